// SPDX-License-Identifier: GPL-2.0
/*
 * The receiving MAC of a port: it drops runts and oversized frames,
 * filters on the destination address, verifies the L4 checksum, picks an
 * RX queue by flow steering or RSS (a Toeplitz hash over addresses and
 * ports, through the indirection table), and hands the frame to that
 * queue's RX DMA (vnic_rxq.c). A packet to segment that the port may take
 * whole (GSO pass-through) goes the same way.
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
 * vnic_card_mc_hash_bin - the multicast filter bin of an address
 * @addr: a MAC address
 *
 * The card's own CRC circuit: the same value as
 * ether_crc(ETH_ALEN, addr) >> (32 - VNIC_MC_HASH_BITS), without needing
 * the kernel's CRC32 library.
 *
 * Return: the bin, 0..63.
 */
u32 vnic_card_mc_hash_bin(const u8 *addr)
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
EXPORT_SYMBOL_IF_KUNIT(vnic_card_mc_hash_bin);

static bool vnic_card_rx_filter(struct vnic_port *port, const u8 *dst)
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
		       (READ_ONCE(port->mc_hash) & BIT_ULL(vnic_card_mc_hash_bin(dst)));

	lo = READ_ONCE(port->mac_lo);
	hi = READ_ONCE(port->mac_hi);
	put_unaligned_le32(lo, mac);
	put_unaligned_le16(hi, mac + 4);
	return ether_addr_equal(dst, mac);
}

/**
 * struct vnic_rx_pkt - where a received frame's IP and L4 parts are
 * @v6: IPv6 (else IPv4)
 * @addrs: source then destination address, in the frame
 * @alen: bytes of one address
 * @proto: L4 protocol
 * @frag: an IPv4 fragment; its L4 header may be elsewhere
 * @l4: L4 header
 * @l4len: bytes from @l4 to the end of the IP payload
 */
struct vnic_rx_pkt {
	bool v6;
	const u8 *addrs;
	u32 alen;
	u8 proto;
	bool frag;
	const u8 *l4;
	u32 l4len;
};

/*
 * Find IPv4 or IPv6 behind at most one VLAN tag. IPv6 extension headers
 * are left to the stack: the next header is taken as the L4 protocol.
 */
static bool vnic_card_rx_parse(const u8 *frame, u32 len, struct vnic_rx_pkt *pkt)
{
	u32 off = ETH_HLEN;
	__be16 proto;

	if (len < ETH_HLEN)
		return false;
	proto = get_unaligned((const __be16 *)(frame + ETH_ALEN * 2));
	if (eth_type_vlan(proto)) {
		if (len < VLAN_ETH_HLEN)
			return false;
		proto = get_unaligned((const __be16 *)(frame + ETH_HLEN + 2));
		off = VLAN_ETH_HLEN;
	}
	frame += off;
	len -= off;

	if (proto == htons(ETH_P_IP)) {
		struct iphdr iph;
		u32 hlen, tot;

		if (len < sizeof(iph))
			return false;
		memcpy(&iph, frame, sizeof(iph));
		hlen = iph.ihl * 4;
		tot = ntohs(iph.tot_len);
		if (iph.version != 4 || hlen < sizeof(iph) || tot < hlen || tot > len)
			return false;
		*pkt = (struct vnic_rx_pkt) {
			.addrs = frame + offsetof(struct iphdr, saddr),
			.alen = sizeof(iph.saddr),
			.proto = iph.protocol,
			.frag = iph.frag_off & htons(IP_MF | IP_OFFSET),
			.l4 = frame + hlen,
			.l4len = tot - hlen,
		};
		return true;
	}

	if (proto == htons(ETH_P_IPV6)) {
		struct ipv6hdr ip6;
		u32 plen;

		if (len < sizeof(ip6))
			return false;
		memcpy(&ip6, frame, sizeof(ip6));
		plen = ntohs(ip6.payload_len);
		if (ip6.version != 6 || plen > len - sizeof(ip6))
			return false;
		*pkt = (struct vnic_rx_pkt) {
			.v6 = true,
			.addrs = frame + offsetof(struct ipv6hdr, saddr),
			.alen = sizeof(ip6.saddr),
			.proto = ip6.nexthdr,
			.l4 = frame + sizeof(ip6),
			.l4len = plen,
		};
		return true;
	}
	return false;
}

/* Does the packet carry a TCP or UDP header the card can use? */
static bool vnic_card_rx_has_ports(const struct vnic_rx_pkt *pkt)
{
	if (pkt->frag)
		return false;
	if (pkt->proto == IPPROTO_TCP)
		return pkt->l4len >= sizeof(struct tcphdr);
	if (pkt->proto == IPPROTO_UDP)
		return pkt->l4len >= sizeof(struct udphdr);
	return false;
}

static u8 vnic_card_rx_csum_pkt(const struct vnic_rx_pkt *pkt, const u8 *frame,
				const struct vnic_wire_sum *ws)
{
	__wsum sum;

	if (!vnic_card_rx_has_ports(pkt))
		return VNIC_RCQ_CSUM_NONE;
	/* A zero UDP checksum means the sender did not compute one. */
	if (pkt->proto == IPPROTO_UDP && !((const struct udphdr *)pkt->l4)->check)
		return VNIC_RCQ_CSUM_NONE;

	if (ws && pkt->l4 == frame + ws->start && pkt->l4 + pkt->l4len == frame + ws->end)
		sum = ws->sum;
	else
		sum = csum_partial(pkt->l4, pkt->l4len, 0);
	if (pkt->v6) {
		struct in6_addr saddr, daddr;

		memcpy(&saddr, pkt->addrs, sizeof(saddr));
		memcpy(&daddr, pkt->addrs + sizeof(saddr), sizeof(daddr));
		if (csum_ipv6_magic(&saddr, &daddr, pkt->l4len, pkt->proto, sum))
			return VNIC_RCQ_CSUM_BAD;
	} else {
		__be32 saddr = get_unaligned((const __be32 *)pkt->addrs);
		__be32 daddr = get_unaligned((const __be32 *)(pkt->addrs + 4));

		if (csum_tcpudp_magic(saddr, daddr, pkt->l4len, pkt->proto, sum))
			return VNIC_RCQ_CSUM_BAD;
	}
	return VNIC_RCQ_CSUM_GOOD;
}

/**
 * vnic_card_rx_l4_span - the bytes the card's L4 checksum verdict covers
 * @frame: the frame
 * @len: its length
 * @start: set to the offset of the L4 header
 * @end: set to the offset after the L4 payload
 *
 * Return: true if the card checks this frame's L4 checksum (a TCP or UDP
 * packet it parses, and not a UDP one without a checksum), else false.
 */
bool vnic_card_rx_l4_span(const u8 *frame, u32 len, u32 *start, u32 *end)
{
	struct vnic_rx_pkt pkt;

	if (!vnic_card_rx_parse(frame, len, &pkt) || !vnic_card_rx_has_ports(&pkt))
		return false;
	if (pkt.proto == IPPROTO_UDP && !((const struct udphdr *)pkt.l4)->check)
		return false;
	*start = pkt.l4 - frame;
	*end = *start + pkt.l4len;
	return true;
}

/**
 * vnic_card_rx_csum - the card's verdict on a received frame's L4 checksum
 * @frame: the frame
 * @len: its length
 *
 * TCP and UDP over IPv4 and IPv6 (no IPv6 extension headers, no fragments),
 * behind at most one VLAN tag, are checked; anything else is NONE.
 *
 * Return: VNIC_RCQ_CSUM_GOOD, _BAD or _NONE.
 */
u8 vnic_card_rx_csum(const u8 *frame, u32 len)
{
	struct vnic_rx_pkt pkt;

	if (!vnic_card_rx_parse(frame, len, &pkt))
		return VNIC_RCQ_CSUM_NONE;
	return vnic_card_rx_csum_pkt(&pkt, frame, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_rx_csum);

/**
 * vnic_card_rss_toeplitz - the Toeplitz hash of RSS
 * @key: the key, at least @len + 4 bytes
 * @data: the input: addresses, then ports
 * @len: bytes of @data
 *
 * Return: the 32-bit hash.
 */
u32 vnic_card_rss_toeplitz(const u8 *key, const u8 *data, unsigned int len)
{
	u32 window = get_unaligned_be32(key);
	u32 hash = 0;
	unsigned int i, b;

	for (i = 0; i < len; i++) {
		for (b = 0; b < BITS_PER_BYTE; b++) {
			if (data[i] & (0x80 >> b))
				hash ^= window;
			window <<= 1;
			if (key[i + 4] & (0x80 >> b))
				window |= 1;
		}
	}
	return hash;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_rss_toeplitz);

/* The RSS hash of an IP packet under @rss_key, and what it covered. */
static u32 vnic_card_rx_rss_hash(const u8 *rss_key, const struct vnic_rx_pkt *pkt, u8 *type)
{
	u8 key[VNIC_RSS_KEY_SIZE];
	u8 in[2 * sizeof(struct in6_addr) + 2 * sizeof(__be16)];
	u32 len = 2 * pkt->alen;

	memcpy(in, pkt->addrs, len);
	*type = VNIC_RCQ_HASH_L3;
	if (vnic_card_rx_has_ports(pkt)) {
		/* Source and destination port lead both TCP and UDP headers. */
		memcpy(in + len, pkt->l4, 2 * sizeof(__be16));
		len += 2 * sizeof(__be16);
		*type = VNIC_RCQ_HASH_L4;
	}
	/* A snapshot, so a key being rewritten cannot change under us. */
	memcpy(key, rss_key, sizeof(key));
	return vnic_card_rss_toeplitz(key, in, len);
}

/* The steering rule a TCP or UDP frame matches: its RULE_ACT. */
static bool vnic_card_rx_steer(struct vnic_port *port, const struct vnic_rx_pkt *pkt, u32 *act)
{
	struct vnic_steer_flow fl = {
		.addrs = pkt->addrs,
		.alen = pkt->alen,
	};

	if (!vnic_card_rx_has_ports(pkt))
		return false;
	if (pkt->proto == IPPROTO_TCP)
		fl.type = pkt->v6 ? VNIC_RULE_TCP6 : VNIC_RULE_TCP4;
	else
		fl.type = pkt->v6 ? VNIC_RULE_UDP6 : VNIC_RULE_UDP4;
	fl.ports = get_unaligned_be16(pkt->l4) |
		   (u32)get_unaligned_be16(pkt->l4 + 2) << 16;
	return vnic_card_steer_lookup(port, &fl, act);
}

/*
 * The RX queue a frame goes to, and its hash and what that covered. @pkt
 * holds the frame's IP parts, NULL if it has none. A steering rule the
 * frame matches comes first: its queue, or its RSS context's table entry
 * plus that queue. Otherwise the main RSS picks, when it is on.
 */
static struct vnic_rxq *vnic_card_rx_pick_queue(struct vnic_port *port,
						const struct vnic_rx_pkt *pkt,
					   u32 *hash, u8 *htype)
{
	const u8 *key = port->rss_key, *indir = port->rss_indir;
	bool rss = READ_ONCE(port->rss_ctrl) & VNIC_RSS_CTRL_EN;
	bool steered = false, by_table = true;
	u32 q = 0, act;

	*hash = 0;
	*htype = VNIC_RCQ_HASH_NONE;
	if (!pkt)
		return &port->rxq[0];
	if (vnic_card_steer_on(port))
		steered = vnic_card_rx_steer(port, pkt, &act);
	if (steered) {
		q = FIELD_GET(VNIC_RULE_ACT_QUEUE, act);
		by_table = act & VNIC_RULE_ACT_RSS;
		if (by_table) {
			vnic_card_steer_rss(port, FIELD_GET(VNIC_RULE_ACT_CTX, act), &key, &indir);
			rss = true;
		}
	}
	if (rss) {
		*hash = vnic_card_rx_rss_hash(key, pkt, htype);
		if (by_table)
			q += READ_ONCE(indir[*hash % VNIC_RSS_INDIR_SIZE]);
	}
	if (q >= port->num_queues)
		q = 0;
	return &port->rxq[q];
}

/**
 * vnic_card_mac_rx - the receiving MAC takes a frame, as it came off the wire
 * @port: the receiving port
 * @frame: the frame
 * @len: its length
 * @ws: the L4 sum the sender computed, or NULL
 * @pause: the sender obeys this port's pause frames
 *
 * As vnic_card_port_deliver(), without the injected faults of the wire.
 *
 * Return: false if the frame found too few buffers and @pause holds it at
 * the sender; true if it was taken, or dropped and counted.
 */
bool vnic_card_mac_rx(struct vnic_port *port, const u8 *frame, u32 len,
		      const struct vnic_wire_sum *ws, bool pause)
{
	struct vnic_pkt src = { .head = frame, .hlen = len, .len = len };
	struct vnic_rx_meta m = { .csum = VNIC_RCQ_CSUM_NONE };
	struct vnic_rx_pkt pkt;
	struct vnic_rxq *rxq;
	bool ip;

	if (len < VNIC_HW_MIN_FRAME) {
		vnic_card_port_count(port, VNIC_STAT_RX_RUNT);
		return true;
	}
	if (len > READ_ONCE(port->max_frame) + VNIC_CARD_VLAN_SLACK) {
		vnic_card_port_count(port, VNIC_STAT_RX_OVERSIZE);
		return true;
	}
	if (!vnic_card_rx_filter(port, frame)) {
		vnic_card_port_count(port, VNIC_STAT_RX_FILTERED);
		return true;
	}

	ip = vnic_card_rx_parse(frame, len, &pkt);
	if (ip)
		m.csum = vnic_card_rx_csum_pkt(&pkt, frame, ws);
	rxq = vnic_card_rx_pick_queue(port, ip ? &pkt : NULL, &m.hash, &m.htype);

	switch (vnic_card_rxq_take(port, rxq, &src, &m, NULL, pause)) {
	case VNIC_RX_TAKEN:
		return true;
	case VNIC_RX_HOLD:
		return false;
	default:
		vnic_card_port_count(port, VNIC_STAT_RX_MISSED);
		return true;
	}
}

static const u8 vnic_rx_gso_types[2][3] = {
	[false] = { [VNIC_TXD_SEG_TCP] = VNIC_RCQ_GSO_TCPV4,
		    [VNIC_TXD_SEG_UDP] = VNIC_RCQ_GSO_UDP_L4 },
	[true] = { [VNIC_TXD_SEG_TCP] = VNIC_RCQ_GSO_TCPV6,
		   [VNIC_TXD_SEG_UDP] = VNIC_RCQ_GSO_UDP_L4 },
};

/**
 * vnic_card_mac_rx_gso - the receiving MAC takes a packet to segment, whole
 * @port: the receiving port, with RX_MODE.GSO
 * @src: the packet, its headers gathered by the sender (at least
 *	@ti->hlen bytes); the rest comes straight from the sender's buffers
 * @ti: what vnic_card_tso_prepare() found
 * @pause: the sender obeys this port's pause frames
 *
 * As vnic_card_mac_rx() for a frame (see the RCQ in include/vnic_hw.h), with
 * the counters counting the segments it stands for. An injected
 * rx_dma_err strikes its last buffer.
 *
 * Return: VNIC_GSO_SEGMENT if the port cannot take it whole (the sender
 * then cuts it, and each segment meets the usual checks), VNIC_GSO_HOLD
 * if it found no room and @pause holds it at the sender, VNIC_GSO_SENT if
 * it was taken, or dropped and counted.
 */
enum vnic_gso_verdict vnic_card_mac_rx_gso(struct vnic_port *port, const struct vnic_pkt *src,
					   const struct vnic_tso_info *ti, bool pause)
{
	struct vnic_rx_meta m = { .csum = VNIC_RCQ_CSUM_PARTIAL };
	struct vnic_rx_pkt pkt;
	struct vnic_rxq *rxq;

	/* Untagged, more than one segment, and each segment fits. */
	if (ti->segs < 2 || ti->l3 != ETH_HLEN ||
	    ti->hlen + ti->mss > READ_ONCE(port->max_frame) + VNIC_CARD_VLAN_SLACK ||
	    !vnic_card_rx_parse(src->head, src->len, &pkt) || !vnic_card_rx_has_ports(&pkt))
		return VNIC_GSO_SEGMENT;
	if (!vnic_card_rx_filter(port, src->head)) {
		vnic_card_port_count_n(port, VNIC_STAT_RX_FILTERED, ti->segs);
		return VNIC_GSO_SENT;
	}
	rxq = vnic_card_rx_pick_queue(port, &pkt, &m.hash, &m.htype);
	m.gso = FIELD_PREP(VNIC_RCQ_GSO_TYPE, vnic_rx_gso_types[ti->ipv6][ti->type]) |
		FIELD_PREP(VNIC_RCQ_MSS, ti->mss);

	switch (vnic_card_rxq_take(port, rxq, src, &m, ti, pause)) {
	case VNIC_RX_TAKEN:
		return VNIC_GSO_SENT;
	case VNIC_RX_HOLD:
		return VNIC_GSO_HOLD;
	case VNIC_RX_NEVER:
		/* Never room for it, however long the sender waits: cut it. */
		return VNIC_GSO_SEGMENT;
	default:
		vnic_card_port_count_n(port, VNIC_STAT_RX_MISSED, ti->segs);
		return VNIC_GSO_SENT;
	}
}

/**
 * vnic_card_port_deliver - a frame arrives at a port from the wire
 * @port: the receiving port
 * @frame: the frame
 * @len: its length
 * @ws: the L4 sum the sender computed, or NULL
 * @pause: the sender obeys this port's pause frames
 *
 * With RSS on, an IP frame goes to the queue its hash bucket names (queue
 * 0 if that is beyond the port's queues) and its hash is reported; any
 * other frame goes to queue 0. The faults armed on the port's wire (bad
 * FCS, bad L4 checksum, truncation) strike first. Process or softirq
 * context.
 *
 * Return: false if the frame found no buffer and @pause holds it at the
 * sender; true if it was taken, or dropped and counted.
 */
bool vnic_card_port_deliver(struct vnic_port *port, const u8 *frame, u32 len,
			    const struct vnic_wire_sum *ws, bool pause)
{
	bool taken;

	if (vnic_card_fault_rx_armed(port))
		taken = vnic_card_fault_rx(port, frame, len, ws, pause);
	else
		taken = vnic_card_mac_rx(port, frame, len, ws, pause);
	/* What pause holds at the sender has not arrived. */
	if (taken)
		vnic_card_port_count_arrival(port, len);
	return taken;
}

/**
 * vnic_card_port_receive - a frame arrives at a port, with nothing known of it
 * @port: the receiving port
 * @frame: the frame
 * @len: its length
 *
 * As vnic_card_port_deliver(), without pause; for frames that come from outside
 * the card.
 */
void vnic_card_port_receive(struct vnic_port *port, const u8 *frame, u32 len)
{
	vnic_card_port_deliver(port, frame, len, NULL, false);
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_port_receive);
