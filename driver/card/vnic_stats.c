// SPDX-License-Identifier: GPL-2.0
/*
 * What a port's MAC counts of the frames it moves, beyond the frame counts
 * the engine and the receive path keep themselves: octets, multicast and
 * broadcast frames, and the RMON frame-size histograms (see the STAT_*
 * registers in include/vnic_hw.h). A GSO pass-through packet is counted
 * as the segments it stands for, as the frame counters do.
 */
#include <linux/etherdevice.h>

#include "vnic_card_priv.h"

/*
 * Upper bound of each histogram bucket, in bytes with FCS; the last
 * bucket takes the rest, up to VNIC_CARD_FRAME_SIZE + ETH_FCS_LEN.
 */
static const u16 vnic_rmon_high[VNIC_HW_RMON_BUCKETS - 1] = {
	64, 127, 255, 511, 1023, 1518, 2047, 4095,
};

/**
 * vnic_card_stat_size_bucket - the RMON histogram bucket of a frame
 * @len: the frame's length, without FCS
 *
 * Return: the bucket, 0..VNIC_HW_RMON_BUCKETS - 1, or -1 for a runt.
 */
int vnic_card_stat_size_bucket(u32 len)
{
	u32 flen = len + ETH_FCS_LEN;
	int i;

	if (len < VNIC_HW_MIN_FRAME)
		return -1;
	for (i = 0; i < ARRAY_SIZE(vnic_rmon_high); i++)
		if (flen <= vnic_rmon_high[i])
			break;
	return i;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_stat_size_bucket);

static void vnic_card_port_count_size(struct vnic_port *port, enum vnic_stat hist, u32 len, u32 n)
{
	int b = vnic_card_stat_size_bucket(len);

	if (b >= 0 && n)
		vnic_card_port_count_n(port, hist + b, n);
}

/*
 * The segments a packet to segment stands for: @full of @full_len bytes,
 * then one of @last_len (0: none), each padded to the minimum.
 */
static void vnic_card_gso_shape(u32 len, const struct vnic_tso_info *ti, u32 *full,
				u32 *full_len, u32 *last_len)
{
	u32 payload = len - ti->hlen, rest = payload % ti->mss;

	*full = payload / ti->mss;
	*full_len = max(ti->hlen + ti->mss, VNIC_HW_MIN_FRAME);
	*last_len = rest || !payload ? max(ti->hlen + rest, VNIC_HW_MIN_FRAME) : 0;
}

/* Octets, multicast and broadcast of @n frames to @dst, @bytes long in all. */
static void vnic_card_port_count_mac(struct vnic_port *port, bool rx, const u8 *dst,
				     u32 bytes, u32 n)
{
	vnic_card_port_count_n(port, rx ? VNIC_STAT_RX_OCTETS : VNIC_STAT_TX_OCTETS,
			       bytes - n * ETH_HLEN);
	if (is_broadcast_ether_addr(dst))
		vnic_card_port_count_n(port, rx ? VNIC_STAT_RX_BCAST : VNIC_STAT_TX_BCAST, n);
	else if (is_multicast_ether_addr(dst))
		vnic_card_port_count_n(port, rx ? VNIC_STAT_RX_MCAST : VNIC_STAT_TX_MCAST, n);
}

/**
 * vnic_card_port_count_tx - count a frame the port put on the wire
 * @port: the sending port
 * @frame: the frame, padded
 * @len: its length
 */
void vnic_card_port_count_tx(struct vnic_port *port, const u8 *frame, u32 len)
{
	vnic_card_port_count_size(port, VNIC_STAT_TX_HIST, len, 1);
	vnic_card_port_count_mac(port, false, frame, len, 1);
}

/* The segments a packet to segment stands for, in histogram @hist. */
static void vnic_card_port_count_gso_sizes(struct vnic_port *port, enum vnic_stat hist, u32 len,
					   const struct vnic_tso_info *ti)
{
	u32 full, full_len, last_len;

	vnic_card_gso_shape(len, ti, &full, &full_len, &last_len);
	vnic_card_port_count_size(port, hist, full_len, full);
	if (last_len)
		vnic_card_port_count_size(port, hist, last_len, 1);
}

/**
 * vnic_card_port_count_tx_gso - count a packet the port sent whole
 * @port: the sending port
 * @frame: the packet's headers
 * @len: the packet's length
 * @ti: what vnic_card_tso_prepare() found of it
 */
void vnic_card_port_count_tx_gso(struct vnic_port *port, const u8 *frame, u32 len,
				 const struct vnic_tso_info *ti)
{
	vnic_card_port_count_gso_sizes(port, VNIC_STAT_TX_HIST, len, ti);
	vnic_card_port_count_mac(port, false, frame, ti->wire_bytes, ti->segs);
}

/**
 * vnic_card_port_count_arrival - count a frame that reached the port's MAC
 * @port: the receiving port
 * @len: the frame's length
 */
void vnic_card_port_count_arrival(struct vnic_port *port, u32 len)
{
	vnic_card_port_count_size(port, VNIC_STAT_RX_HIST, len, 1);
}

/**
 * vnic_card_port_count_arrival_gso - count a packet that reached the MAC whole
 * @port: the receiving port
 * @len: the packet's length
 * @ti: what vnic_card_tso_prepare() found of it
 */
void vnic_card_port_count_arrival_gso(struct vnic_port *port, u32 len,
				      const struct vnic_tso_info *ti)
{
	vnic_card_port_count_gso_sizes(port, VNIC_STAT_RX_HIST, len, ti);
}

/**
 * vnic_card_port_count_rx - count a frame written into an RX ring
 * @port: the receiving port
 * @frame: the frame
 * @len: its length
 */
void vnic_card_port_count_rx(struct vnic_port *port, const u8 *frame, u32 len)
{
	vnic_card_port_count_mac(port, true, frame, len, 1);
}

/**
 * vnic_card_port_count_rx_gso - count a packet written whole into an RX ring
 * @port: the receiving port
 * @frame: the packet's headers
 * @ti: what vnic_card_tso_prepare() found of it
 */
void vnic_card_port_count_rx_gso(struct vnic_port *port, const u8 *frame,
				 const struct vnic_tso_info *ti)
{
	vnic_card_port_count_mac(port, true, frame, ti->wire_bytes, ti->segs);
}
