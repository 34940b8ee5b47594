// SPDX-License-Identifier: GPL-2.0
/*
 * The cable between the card's two ports, and the receive side of a port.
 *
 * A frame the TX engine puts on the wire reaches the peer port (or, with
 * CTRL.LOOPBACK, its own port) at once, on the engine's stack: the
 * receiving MAC drops runts and oversized frames, filters on the
 * destination address, verifies the L4 checksum, and writes the frame into
 * the next posted buffer of the RX queue with the same number as the TX
 * queue (modulo the receiver's queue count), or counts it missed when there
 * is none. SPEED limits what a port may send with a simple virtual-clock
 * token bucket.
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
 * vnic_wire_wait - may the port send now, as far as SPEED is concerned?
 * @port: the sending port
 *
 * Return: 0 if it may, else the nanoseconds until it may.
 */
u64 vnic_wire_wait(struct vnic_port *port)
{
	u64 now, wait = 0;

	if (!READ_ONCE(port->speed))
		return 0;
	now = ktime_get_ns();
	spin_lock_bh(&port->rate_lock);
	if (port->wire_free > now + VNIC_CARD_WIRE_BURST_NS)
		wait = port->wire_free - now - VNIC_CARD_WIRE_BURST_NS;
	spin_unlock_bh(&port->rate_lock);
	return wait;
}

/* The wire is busy for the frame's time on a SPEED Mbit/s link. */
static void vnic_wire_charge(struct vnic_port *port, u32 len)
{
	u32 speed = READ_ONCE(port->speed);
	u64 now, ns;

	if (!speed)
		return;
	/* 1 Mbit/s is one bit per microsecond. */
	ns = div_u64((u64)(len + VNIC_CARD_WIRE_OVERHEAD) * BITS_PER_BYTE *
		     NSEC_PER_USEC, speed);
	now = ktime_get_ns();
	spin_lock_bh(&port->rate_lock);
	port->wire_free = max(port->wire_free, now) + ns;
	spin_unlock_bh(&port->rate_lock);
}

/**
 * vnic_wire_send - put a frame on the wire
 * @port: the sending port; the link is up or the port loops back
 * @qid: the TX queue it came from
 * @frame: the frame, padded
 * @len: its length
 */
void vnic_wire_send(struct vnic_port *port, u16 qid, const u8 *frame, u32 len)
{
	struct vnic_card *card = port->card;
	struct vnic_port *dst = port;

	if (!(READ_ONCE(port->ctrl) & VNIC_CTRL_LOOPBACK))
		dst = &card->port[(port->idx + 1) % VNIC_CARD_PORTS];
	vnic_wire_charge(port, len);
	vnic_port_receive(dst, qid, frame, len);
}

/**
 * vnic_mc_hash_bin - the multicast filter bin of an address
 * @addr: a MAC address
 *
 * The card's own CRC circuit: the same value as
 * ether_crc(ETH_ALEN, addr) >> (32 - VNIC_MC_HASH_BITS), without needing
 * the kernel's CRC32 library.
 *
 * Return: the bin, 0..63.
 */
u32 vnic_mc_hash_bin(const u8 *addr)
{
	u32 crc = ~0U, bin = 0;
	unsigned int i, b;

	for (i = 0; i < ETH_ALEN; i++) {
		crc ^= addr[i];
		for (b = 0; b < BITS_PER_BYTE; b++)
			crc = (crc >> 1) ^ ((crc & 1) ? 0xedb88320 : 0);
	}
	/* ether_crc() is this CRC bit-reversed; take its top bits. */
	for (i = 0; i < VNIC_MC_HASH_BITS; i++)
		if (crc & BIT(i))
			bin |= BIT(VNIC_MC_HASH_BITS - 1 - i);
	return bin;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_mc_hash_bin);

static bool vnic_rx_filter(struct vnic_port *port, const u8 *dst)
{
	u32 mode = READ_ONCE(port->rx_mode);
	u32 lo, hi;
	u8 mac[ETH_ALEN];

	if (mode & VNIC_RX_MODE_PROMISC)
		return true;
	if (is_broadcast_ether_addr(dst))
		return mode & VNIC_RX_MODE_BCAST;
	if (is_multicast_ether_addr(dst))
		return (mode & VNIC_RX_MODE_ALLMULTI) ||
		       (READ_ONCE(port->mc_hash) & BIT_ULL(vnic_mc_hash_bin(dst)));

	lo = READ_ONCE(port->mac_lo);
	hi = READ_ONCE(port->mac_hi);
	put_unaligned_le32(lo, mac);
	put_unaligned_le16(hi, mac + 4);
	return ether_addr_equal(dst, mac);
}

static bool vnic_rx_csum_l4(u8 proto, const u8 *l4, u32 l4len)
{
	if (proto == IPPROTO_TCP)
		return l4len >= sizeof(struct tcphdr);
	if (proto == IPPROTO_UDP)
		/* A zero UDP checksum means the sender did not compute one. */
		return l4len >= sizeof(struct udphdr) &&
		       ((const struct udphdr *)l4)->check;
	return false;
}

static u8 vnic_rx_csum_v4(const u8 *p, u32 len)
{
	struct iphdr iph;
	u32 hlen, tot;
	__wsum sum;

	if (len < sizeof(iph))
		return VNIC_RCQ_CSUM_NONE;
	memcpy(&iph, p, sizeof(iph));
	hlen = iph.ihl * 4;
	tot = ntohs(iph.tot_len);
	if (iph.version != 4 || hlen < sizeof(iph) || tot < hlen || tot > len)
		return VNIC_RCQ_CSUM_NONE;
	if (iph.frag_off & htons(IP_MF | IP_OFFSET))
		return VNIC_RCQ_CSUM_NONE;
	if (!vnic_rx_csum_l4(iph.protocol, p + hlen, tot - hlen))
		return VNIC_RCQ_CSUM_NONE;

	sum = csum_partial(p + hlen, tot - hlen, 0);
	if (csum_tcpudp_magic(iph.saddr, iph.daddr, tot - hlen, iph.protocol, sum))
		return VNIC_RCQ_CSUM_BAD;
	return VNIC_RCQ_CSUM_GOOD;
}

static u8 vnic_rx_csum_v6(const u8 *p, u32 len)
{
	struct ipv6hdr ip6;
	u32 plen;
	__wsum sum;

	if (len < sizeof(ip6))
		return VNIC_RCQ_CSUM_NONE;
	memcpy(&ip6, p, sizeof(ip6));
	plen = ntohs(ip6.payload_len);
	if (ip6.version != 6 || plen > len - sizeof(ip6))
		return VNIC_RCQ_CSUM_NONE;
	/* Extension headers are left to the stack. */
	if (!vnic_rx_csum_l4(ip6.nexthdr, p + sizeof(ip6), plen))
		return VNIC_RCQ_CSUM_NONE;

	sum = csum_partial(p + sizeof(ip6), plen, 0);
	if (csum_ipv6_magic(&ip6.saddr, &ip6.daddr, plen, ip6.nexthdr, sum))
		return VNIC_RCQ_CSUM_BAD;
	return VNIC_RCQ_CSUM_GOOD;
}

/**
 * vnic_rx_csum - the card's verdict on a received frame's L4 checksum
 * @frame: the frame
 * @len: its length
 *
 * TCP and UDP over IPv4 and IPv6 (no IPv6 extension headers, no fragments),
 * behind at most one VLAN tag, are checked; anything else is NONE.
 *
 * Return: VNIC_RCQ_CSUM_GOOD, _BAD or _NONE.
 */
u8 vnic_rx_csum(const u8 *frame, u32 len)
{
	u32 off = ETH_HLEN;
	__be16 proto;

	if (len < ETH_HLEN)
		return VNIC_RCQ_CSUM_NONE;
	proto = get_unaligned((const __be16 *)(frame + ETH_ALEN * 2));
	if (eth_type_vlan(proto)) {
		if (len < VLAN_ETH_HLEN)
			return VNIC_RCQ_CSUM_NONE;
		proto = get_unaligned((const __be16 *)(frame + ETH_HLEN + 2));
		off = VLAN_ETH_HLEN;
	}
	if (proto == htons(ETH_P_IP))
		return vnic_rx_csum_v4(frame + off, len - off);
	if (proto == htons(ETH_P_IPV6))
		return vnic_rx_csum_v6(frame + off, len - off);
	return VNIC_RCQ_CSUM_NONE;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_rx_csum);

/* Write the frame into the buffer posted at @slot. */
static u8 vnic_rxq_fill(struct vnic_rxq *rxq, u32 slot, const u8 *frame, u32 len)
{
	struct vnic_rx_desc *desc;
	u64 addr, buflen;

	desc = vnic_dma_map(rxq->base + (u64)slot * sizeof(*desc), sizeof(*desc));
	if (!desc)
		return VNIC_STATUS_DMA_ERR;
	addr = le64_to_cpu(READ_ONCE(desc->addr));
	buflen = FIELD_GET(VNIC_RXD_LEN, le64_to_cpu(READ_ONCE(desc->len)));
	kunmap_local(desc);

	if (buflen < len)
		return VNIC_STATUS_DESC_ERR;
	if (vnic_dma_write(addr, frame, len))
		return VNIC_STATUS_DMA_ERR;
	return VNIC_STATUS_OK;
}

/* Report the frame in the RCQ; false if the RCQ itself is unreachable. */
static bool vnic_rxq_write_cmpl(struct vnic_rxq *rxq, u32 slot, u32 len,
				u8 csum, u8 status)
{
	struct vnic_rx_cmpl *cmpl;
	u64 word;

	cmpl = vnic_dma_map(rxq->cmpl_base + (u64)slot * sizeof(*cmpl), sizeof(*cmpl));
	if (!cmpl)
		return false;
	word = FIELD_PREP(VNIC_RCQ_LEN, len) |
	       FIELD_PREP(VNIC_RCQ_BUF, slot) |
	       FIELD_PREP(VNIC_RCQ_CSUM, status ? VNIC_RCQ_CSUM_NONE : csum) |
	       FIELD_PREP(VNIC_RCQ_HASH_TYPE, VNIC_RCQ_HASH_NONE) |
	       FIELD_PREP(VNIC_RCQ_STATUS, status) |
	       (rxq->phase ? VNIC_RCQ_DONE : 0);
	WRITE_ONCE(cmpl->hash, 0);
	/* Buffer and hash are visible before the DONE bit. */
	smp_wmb();
	WRITE_ONCE(cmpl->word, cpu_to_le64(word));
	kunmap_local(cmpl);
	return true;
}

/**
 * vnic_port_receive - a frame arrives at a port from the wire
 * @port: the receiving port
 * @qid: the sender's TX queue, which picks the RX queue
 * @frame: the frame
 * @len: its length
 *
 * Process or softirq context.
 */
void vnic_port_receive(struct vnic_port *port, u16 qid, const u8 *frame, u32 len)
{
	struct vnic_rxq *rxq = &port->rxq[qid % port->num_queues];
	u32 slot, tail;
	u8 csum, status;

	if (len < VNIC_HW_MIN_FRAME) {
		vnic_port_count(port, VNIC_STAT_RX_RUNT);
		return;
	}
	if (len > READ_ONCE(port->max_frame) + VNIC_CARD_VLAN_SLACK) {
		vnic_port_count(port, VNIC_STAT_RX_OVERSIZE);
		return;
	}
	if (!vnic_rx_filter(port, frame)) {
		vnic_port_count(port, VNIC_STAT_RX_FILTERED);
		return;
	}
	csum = vnic_rx_csum(frame, len);

	spin_lock_bh(&rxq->lock);
	/* Pairs with the store-release of the RBR doorbell write. */
	tail = smp_load_acquire(&rxq->tail);
	if (!rxq->enabled || tail >= rxq->size || tail == rxq->head) {
		spin_unlock_bh(&rxq->lock);
		vnic_port_count(port, VNIC_STAT_RX_MISSED);
		return;
	}
	slot = rxq->head;
	status = vnic_rxq_fill(rxq, slot, frame, len);
	if (!vnic_rxq_write_cmpl(rxq, slot, len, csum, status)) {
		/* Nowhere to report it: drop the frame, keep the buffer. */
		spin_unlock_bh(&rxq->lock);
		atomic_inc(&rxq->errs);
		vnic_port_count(port, VNIC_STAT_RX_DESC_ERR);
		return;
	}
	WRITE_ONCE(rxq->head, (slot + 1) & (rxq->size - 1));
	if (!rxq->head)
		rxq->phase = !rxq->phase;
	spin_unlock_bh(&rxq->lock);

	if (status == VNIC_STATUS_OK) {
		vnic_port_count(port, VNIC_STAT_RX_FRAMES);
	} else {
		atomic_inc(&rxq->errs);
		vnic_port_count(port, VNIC_STAT_RX_DESC_ERR);
	}
	trace_vnic_cmpl_write(port->card->id, port->idx, rxq->idx, true, slot,
			      len, status);
	vnic_vec_complete(port, rxq->idx, true);
}
EXPORT_SYMBOL_IF_KUNIT(vnic_port_receive);

/**
 * vnic_rxq_doorbell - RBR_TAIL write: buffers up to @tail are posted
 * @rxq: the queue
 * @tail: next free slot
 *
 * Any context.
 */
void vnic_rxq_doorbell(struct vnic_rxq *rxq, u32 tail)
{
	/* Descriptors written before the doorbell are visible with it. */
	smp_store_release(&rxq->tail, tail);
}

/**
 * vnic_rxq_enable - Q_CTRL RX_EN write
 * @rxq: the queue
 * @on: enable (else disable)
 *
 * As vnic_txq_enable(): enabling checks the configuration and starts at
 * slot 0, phase 1; disabling waits for a frame being written. Process or
 * softirq context.
 */
void vnic_rxq_enable(struct vnic_rxq *rxq, bool on)
{
	spin_lock_bh(&rxq->lock);
	if (!on) {
		WRITE_ONCE(rxq->enabled, false);
		rxq->cfg_err = false;
	} else if (!rxq->enabled) {
		u64 base = (u64)READ_ONCE(rxq->base_hi) << 32 | READ_ONCE(rxq->base_lo);
		u64 cmpl = (u64)READ_ONCE(rxq->cmpl_hi) << 32 | READ_ONCE(rxq->cmpl_lo);
		u32 size = READ_ONCE(rxq->size_reg);

		rxq->cfg_err = !vnic_ring_ok(base, cmpl, size);
		if (!rxq->cfg_err) {
			rxq->base = base;
			rxq->cmpl_base = cmpl;
			rxq->size = size;
			WRITE_ONCE(rxq->head, 0);
			rxq->phase = true;
			WRITE_ONCE(rxq->enabled, true);
		}
	}
	spin_unlock_bh(&rxq->lock);
}

/**
 * vnic_rxq_reset - disable the queue and zero its registers
 * @rxq: the queue
 *
 * Process or softirq context; synchronous like vnic_rxq_enable().
 */
void vnic_rxq_reset(struct vnic_rxq *rxq)
{
	spin_lock_bh(&rxq->lock);
	WRITE_ONCE(rxq->enabled, false);
	rxq->cfg_err = false;
	WRITE_ONCE(rxq->head, 0);
	rxq->phase = true;
	WRITE_ONCE(rxq->base_lo, 0);
	WRITE_ONCE(rxq->base_hi, 0);
	WRITE_ONCE(rxq->cmpl_lo, 0);
	WRITE_ONCE(rxq->cmpl_hi, 0);
	WRITE_ONCE(rxq->size_reg, 0);
	WRITE_ONCE(rxq->tail, 0);
	spin_unlock_bh(&rxq->lock);
}

/**
 * vnic_rxq_init - set up an RX queue, disabled
 * @port: the port
 * @rxq: the queue
 * @idx: queue number
 */
void vnic_rxq_init(struct vnic_port *port, struct vnic_rxq *rxq, u16 idx)
{
	spin_lock_init(&rxq->lock);
	rxq->phase = true;
	atomic_set(&rxq->errs, 0);
	rxq->port = port;
	rxq->idx = idx;
}
