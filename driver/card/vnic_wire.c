// SPDX-License-Identifier: GPL-2.0
/*
 * The cable between the card's two ports. A frame the TX engine puts on
 * the wire reaches the peer port (or, with CTRL.LOOPBACK, its own port) at
 * once, on the engine's stack, and goes to that port's receiving MAC
 * (vnic_rx_mac.c). The link mode and SPEED limit what a port may send
 * (vnic_card_wire_rate()) with a simple virtual-clock token bucket.
 */
#include <linux/bitfield.h>
#include <linux/etherdevice.h>
#include <linux/highmem.h>
#include <linux/if_vlan.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/math64.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/unaligned.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>

#include "vnic_card_priv.h"
#include "vnic_trace.h"

/**
 * vnic_card_wire_wait - may the port send now, as far as the wire's rate goes?
 * @port: the sending port
 *
 * Return: 0 if it may, else the nanoseconds until it may.
 */
u64 vnic_card_wire_wait(struct vnic_port *port)
{
	u64 now, wait = 0;

	if (!vnic_card_wire_rate(port))
		return 0;
	now = ktime_get_ns();
	spin_lock_bh(&port->rate_lock);
	if (port->wire_free > now + VNIC_CARD_WIRE_BURST_NS)
		wait = port->wire_free - now - VNIC_CARD_WIRE_BURST_NS;
	spin_unlock_bh(&port->rate_lock);
	return wait;
}

/* The wire is busy for @frames frames' time at vnic_card_wire_rate() Mbit/s. */
static void vnic_card_wire_charge(struct vnic_port *port, u32 len, u32 frames)
{
	u32 speed = vnic_card_wire_rate(port);
	u64 now, ns;

	if (!speed)
		return;
	/* 1 Mbit/s is one bit per microsecond. */
	ns = div_u64(((u64)len + (u64)frames * VNIC_CARD_WIRE_OVERHEAD) * BITS_PER_BYTE *
		     NSEC_PER_USEC, speed);
	now = ktime_get_ns();
	spin_lock_bh(&port->rate_lock);
	port->wire_free = max(port->wire_free, now) + ns;
	spin_unlock_bh(&port->rate_lock);
}

/**
 * vnic_card_wire_dst - the port a port's frames arrive at
 * @port: the sending port
 *
 * Return: the other port, or @port itself with CTRL.LOOPBACK.
 */
struct vnic_port *vnic_card_wire_dst(struct vnic_port *port)
{
	if (READ_ONCE(port->ctrl) & VNIC_CTRL_LOOPBACK)
		return port;
	return &port->card->port[(port->idx + 1) % VNIC_CARD_PORTS];
}

/**
 * vnic_card_wire_send - put a frame on the wire
 * @port: the sending port; the link is up or the port loops back
 * @frame: the frame, padded
 * @len: its length
 * @ws: the L4 sum the sender computed, or NULL
 *
 * Return: true if the frame went, false if the receiver has no buffer for
 * it and pause holds it at the sender (nothing was sent).
 */
bool vnic_card_wire_send(struct vnic_port *port, const u8 *frame, u32 len,
			 const struct vnic_wire_sum *ws)
{
	struct vnic_port *dst = vnic_card_wire_dst(port);
	/* The receiver sends pause frames, and this sender obeys them. */
	bool pause = (READ_ONCE(dst->flow_ctrl) & VNIC_FC_TX_PAUSE) &&
		     (READ_ONCE(port->flow_ctrl) & VNIC_FC_RX_PAUSE);

	if (!vnic_card_port_deliver(dst, frame, len, ws, pause))
		return false;
	vnic_card_port_count_tx(port, frame, len);
	vnic_card_wire_charge(port, len, 1);
	return true;
}

/**
 * vnic_card_wire_send_gso - offer a packet to segment to the wire whole
 * @port: the sending port; the link is up or the port loops back
 * @src: the packet, its headers gathered
 * @ti: what vnic_card_tso_prepare() found, for @port's MAX_FRAME
 *
 * The receiver takes it whole if it asked for GSO pass-through and can
 * trust what it gets: no RX wire fault is armed there (those damage frames
 * one by one, so the packet is cut for them). The wire is charged for the
 * segments the packet stands for.
 *
 * Return: VNIC_GSO_SEGMENT if the packet must be cut, VNIC_GSO_HOLD if the
 * receiver has no room and pause holds it at the sender (nothing was
 * sent), else VNIC_GSO_SENT.
 */
enum vnic_gso_verdict vnic_card_wire_send_gso(struct vnic_port *port, const struct vnic_pkt *src,
					      const struct vnic_tso_info *ti)
{
	struct vnic_port *dst = vnic_card_wire_dst(port);
	bool pause = (READ_ONCE(dst->flow_ctrl) & VNIC_FC_TX_PAUSE) &&
		     (READ_ONCE(port->flow_ctrl) & VNIC_FC_RX_PAUSE);
	enum vnic_gso_verdict v;

	if (!(READ_ONCE(dst->rx_mode) & VNIC_RX_MODE_GSO) || vnic_card_fault_rx_armed(dst))
		return VNIC_GSO_SEGMENT;
	v = vnic_card_mac_rx_gso(dst, src, ti, pause);
	if (v == VNIC_GSO_SENT) {
		vnic_card_port_count_tx_gso(port, src->head, src->len, ti);
		vnic_card_port_count_arrival_gso(dst, src->len, ti);
		vnic_card_wire_charge(port, ti->wire_bytes, ti->segs);
	}
	return v;
}
