// SPDX-License-Identifier: GPL-2.0
/*
 * The card's segmentation offload (TSO for TCP, USO for UDP). The TX engine
 * gathers a large packet; this cuts its payload into MSS-sized pieces and
 * builds one frame per piece from a copy of the headers, with lengths, IDs,
 * sequence numbers and checksums fixed up as the stack's software GSO would
 * (see include/vnic_hw.h for the rules).
 *
 * vnic_card_tso_segment() is pure: it reads the packet and hands each segment to
 * a callback, so KUnit can check segments without a wire. vnic_card_tso_prepare()
 * checks a packet and counts its segments without cutting it, for the GSO
 * pass-through (VNIC_RX_MODE_GSO), which hands the packet over whole.
 */
#include <kunit/visibility.h>
#include <linux/bitfield.h>
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>

#include "vnic_card_priv.h"

static u8 vnic_card_tso_parse(const u8 *frame, u32 len, u32 l4, u8 type,
			      struct vnic_tso_info *h)
{
	u8 proto = type == VNIC_TXD_SEG_TCP ? IPPROTO_TCP : IPPROTO_UDP;
	__be16 eth_type;
	u32 l3 = ETH_HLEN;

	if (len < ETH_HLEN + VLAN_HLEN)
		return VNIC_STATUS_DESC_ERR;
	memcpy(&eth_type, frame + ETH_ALEN * 2, sizeof(eth_type));
	if (eth_type == htons(ETH_P_8021Q)) {
		memcpy(&eth_type, frame + ETH_HLEN + 2, sizeof(eth_type));
		l3 += VLAN_HLEN;
	}

	if (eth_type == htons(ETH_P_IP)) {
		const struct iphdr *ip = (const void *)(frame + l3);

		if (len < l3 + sizeof(*ip) || ip->version != 4 || ip->ihl < 5 ||
		    l4 != l3 + ip->ihl * 4 || ip->protocol != proto)
			return VNIC_STATUS_DESC_ERR;
		h->ipv6 = false;
	} else if (eth_type == htons(ETH_P_IPV6)) {
		const struct ipv6hdr *ip6 = (const void *)(frame + l3);

		if (len < l3 + sizeof(*ip6) || ip6->version != 6 ||
		    l4 != l3 + sizeof(*ip6) || ip6->nexthdr != proto)
			return VNIC_STATUS_DESC_ERR;
		h->ipv6 = true;
	} else {
		return VNIC_STATUS_DESC_ERR;
	}

	if (type == VNIC_TXD_SEG_TCP) {
		const struct tcphdr *th = (const void *)(frame + l4);

		if (len < l4 + sizeof(*th) || th->doff < 5)
			return VNIC_STATUS_DESC_ERR;
		h->hlen = l4 + th->doff * 4;
	} else {
		h->hlen = l4 + sizeof(struct udphdr);
	}
	if (h->hlen > len)
		return VNIC_STATUS_DESC_ERR;
	h->l3 = l3;
	h->l4 = l4;
	return VNIC_STATUS_OK;
}

/*
 * Fix one segment's headers in place: @seg holds headers then @plen bytes,
 * whose sum is @psum. Returns the sum of the L4 bytes as sent, for the
 * receiver's checksum.
 */
static __wsum vnic_card_tso_fixup(u8 *seg, const struct vnic_tso_info *h, u8 type, u32 plen,
				  __wsum psum, u32 offset, unsigned int i, bool last)
{
	u32 l4len = h->hlen - h->l4 + plen;
	__sum16 c;
	__wsum sum;

	if (h->ipv6) {
		struct ipv6hdr *ip6 = (void *)(seg + h->l3);

		ip6->payload_len = htons(l4len);
	} else {
		struct iphdr *ip = (void *)(seg + h->l3);

		ip->tot_len = htons(h->l4 - h->l3 + l4len);
		ip->id = htons(ntohs(ip->id) + i);
		ip->check = 0;
		ip->check = ip_fast_csum(ip, ip->ihl);
	}

	if (type == VNIC_TXD_SEG_TCP) {
		struct tcphdr *th = (void *)(seg + h->l4);

		th->seq = htonl(ntohl(th->seq) + offset);
		if (!last) {
			th->fin = 0;
			th->psh = 0;
		}
		if (i)
			th->cwr = 0;
		th->check = 0;
	} else {
		struct udphdr *uh = (void *)(seg + h->l4);

		uh->len = htons(l4len);
		uh->check = 0;
	}

	/* The L4 header is whole 32-bit words: the payload sum adds as is. */
	sum = csum_add(csum_partial(seg + h->l4, h->hlen - h->l4, 0), psum);
	if (h->ipv6) {
		const struct ipv6hdr *ip6 = (const void *)(seg + h->l3);

		c = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, l4len, ip6->nexthdr, sum);
	} else {
		const struct iphdr *ip = (const void *)(seg + h->l3);

		c = csum_tcpudp_magic(ip->saddr, ip->daddr, l4len, ip->protocol, sum);
	}
	if (type == VNIC_TXD_SEG_TCP) {
		((struct tcphdr *)(seg + h->l4))->check = c;
	} else {
		/* In UDP a zero checksum means none: send its other form. */
		if (!c)
			c = CSUM_MANGLED_0;
		((struct udphdr *)(seg + h->l4))->check = c;
	}
	return csum_add(sum, (__force __wsum)(__force u16)c);
}

/**
 * vnic_card_tso_prepare - check a packet to segment, and count what it becomes
 * @frame: the gathered packet
 * @len: its length
 * @ctrl: the first TX descriptor's control word (SEG, MSS, CSUM_START)
 * @max_frame: the largest segment the port may send
 * @ti: filled in: where the headers are, the segments and their bytes
 *
 * Return: VNIC_STATUS_OK, VNIC_STATUS_DESC_ERR for a packet the card cannot
 * parse or an MSS of 0, VNIC_STATUS_OVERSIZE if a segment would not fit
 * @max_frame.
 */
u8 vnic_card_tso_prepare(const u8 *frame, u32 len, u64 ctrl, u32 max_frame,
			 struct vnic_tso_info *ti)
{
	u8 type = FIELD_GET(VNIC_TXD_SEG, ctrl);
	u32 mss = FIELD_GET(VNIC_TXD_MSS, ctrl);
	u32 payload, full, rest;
	u8 status;

	if (type != VNIC_TXD_SEG_TCP && type != VNIC_TXD_SEG_UDP)
		return VNIC_STATUS_DESC_ERR;
	status = vnic_card_tso_parse(frame, len, FIELD_GET(VNIC_TXD_CSUM_START, ctrl), type, ti);
	if (status != VNIC_STATUS_OK)
		return status;
	if (!mss)
		return VNIC_STATUS_DESC_ERR;
	if (ti->hlen + mss > max_frame)
		return VNIC_STATUS_OVERSIZE;
	ti->type = type;
	ti->mss = mss;

	/* Full segments, then one short one; no payload is one bare segment. */
	payload = len - ti->hlen;
	full = payload / mss;
	rest = payload % mss;
	ti->segs = full + (rest || !payload);
	ti->wire_bytes = full * max(ti->hlen + mss, VNIC_HW_MIN_FRAME);
	if (rest || !payload)
		ti->wire_bytes += max(ti->hlen + rest, VNIC_HW_MIN_FRAME);
	return VNIC_STATUS_OK;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_tso_prepare);

/**
 * vnic_card_tso_segment - cut a packet into segments
 * @frame: the gathered packet
 * @len: its length
 * @ctrl: the first TX descriptor's control word (SEG, MSS, CSUM_START)
 * @max_frame: the largest segment the port may send
 * @seg: scratch space for one segment, at least @max_frame bytes
 * @emit: called with each segment in order, and the sum of its L4 bytes
 * @ctx: passed to @emit
 *
 * Return: as vnic_card_tso_prepare(). Nothing is emitted unless the whole
 * packet is good.
 */
u8 vnic_card_tso_segment(const u8 *frame, u32 len, u64 ctrl, u32 max_frame, u8 *seg,
			 void (*emit)(void *ctx, const u8 *seg, u32 len,
				      const struct vnic_wire_sum *ws),
		    void *ctx)
{
	struct vnic_wire_sum ws;
	struct vnic_tso_info h;
	u32 payload, offset;
	unsigned int i;
	u8 status;

	status = vnic_card_tso_prepare(frame, len, ctrl, max_frame, &h);
	if (status != VNIC_STATUS_OK)
		return status;

	payload = len - h.hlen;
	for (i = 0, offset = 0; offset < payload || (!payload && !i); i++) {
		u32 plen = min(h.mss, payload - offset);
		bool last = offset + plen >= payload;
		u32 seg_len = h.hlen + plen;
		__wsum psum;

		memcpy(seg, frame, h.hlen);
		/* One pass over the payload: the copy sums it as it goes. */
		psum = csum_partial_copy_nocheck(frame + h.hlen + offset, seg + h.hlen, plen);
		ws.sum = vnic_card_tso_fixup(seg, &h, h.type, plen, psum, offset, i, last);
		ws.start = h.l4;
		ws.end = seg_len;
		if (seg_len < VNIC_HW_MIN_FRAME) {
			memset(seg + seg_len, 0, VNIC_HW_MIN_FRAME - seg_len);
			seg_len = VNIC_HW_MIN_FRAME;
		}
		emit(ctx, seg, seg_len, &ws);
		offset += plen;
	}
	return VNIC_STATUS_OK;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_tso_segment);
