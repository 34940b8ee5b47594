// SPDX-License-Identifier: GPL-2.0
/*
 * vnic-offload: the card's checksum and segmentation offloads, called
 * directly: vnic_card_tx_csum() (CHECKSUM_PARTIAL insertion), vnic_card_rx_csum()
 * (the receive verdict) and vnic_card_tso_segment() (TSO and USO). Frames are
 * built here from the real protocol headers, and every checksum the card
 * writes is checked against a plain bytewise RFC 1071 sum written in this
 * file, over the RFC 793/768/8200 pseudo-header, not against the kernel's
 * csum_partial() that the card itself uses. Some expected values are
 * written down as numbers: worked examples from RFC 1071 and from the
 * literature, and packet checksums computed once outside the kernel.
 *
 * The test module's MODULE_* lines are in vnic_ring_test.c.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/unaligned.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "vnic_test_util.h"

#define VNIC_OT_SPORT		40000
#define VNIC_OT_DPORT		5201
#define VNIC_OT_SEQ		0x01020304
#define VNIC_OT_ACK		0x0a0b0c0d
#define VNIC_OT_ID		0x1234
#define VNIC_OT_WIN		502
#define VNIC_OT_VID		100
#define VNIC_OT_SEQ_WRAP	0xfffffc00	/* wraps within 1024 bytes */
#define VNIC_OT_ID_WRAP		0xfffe		/* wraps at the third segment */
#define VNIC_OT_ROOM		64	/* bytes allocated past each packet */
#define VNIC_OT_MAX_SEGS	64
/* What the engine passes as max_frame for the default MAX_FRAME. */
#define VNIC_OT_MTU_FRAME	(VNIC_CARD_DEF_MAX_FRAME + VNIC_CARD_VLAN_SLACK)
#define VNIC_OT_JUMBO_FRAME	(VNIC_HW_MAX_FRAME + VNIC_CARD_VLAN_SLACK)

static const u8 vnic_ot_dst[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const u8 vnic_ot_src[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

/* ---- Reference: RFC 1071, one byte at a time, big-endian words ---- */

/* Add @len bytes that start on an even offset of the summed data. */
static u64 vnic_ref_add(u64 acc, const u8 *p, u32 len)
{
	u32 i;

	for (i = 0; i + 1 < len; i += 2)
		acc += (p[i] << 8) | p[i + 1];
	if (len & 1)
		acc += p[len - 1] << 8;
	return acc;
}

/* End-around carry: 0xffff, not 0, is what a sum of nonzero words gives. */
static u16 vnic_ref_fold(u64 acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return acc;
}

/* 0 and 0xffff are the same number in ones' complement. */
static bool vnic_ref_same(u16 a, u16 b)
{
	return a % 0xffff == b % 0xffff;
}

/* A checksum field's value as a number, from its bytes in the frame. */
static u16 vnic_ref_field(const u8 *p)
{
	return get_unaligned_be16(p);
}

/* The folded (not complemented) sum a kernel __wsum stands for. */
static u16 vnic_ref_wsum(__wsum sum)
{
	return ~be16_to_cpu((__force __be16)csum_fold(sum));
}

/* ---- Packets ---- */

/**
 * struct vnic_ot_shape - the packet a case starts from
 * @v6: IPv6, else IPv4
 * @vlan: behind an 802.1Q tag
 * @proto: IPPROTO_TCP, IPPROTO_UDP, or another protocol with no L4 header
 * @ip_opt: IPv4 option words (NOPs)
 * @tcp_opt: TCP option words: 3 gives NOP, NOP, timestamps
 * @plen: L4 payload bytes
 * @zero_sum: the last payload word is tuned so the L4 checksum computes
 *	to 0 (@plen even and at least 2)
 * @wrap: the IPv4 ID and the TCP sequence number are about to wrap
 * @flags: TCP flags besides ACK (TCPHDR_*)
 */
struct vnic_ot_shape {
	bool v6;
	bool vlan;
	u8 proto;
	u8 ip_opt;
	u8 tcp_opt;
	u32 plen;
	bool zero_sum;
	bool wrap;
	u8 flags;
};

/**
 * struct vnic_ot_pkt - a packet built from a shape, and where its parts are
 * @frame: the bytes, with VNIC_OT_ROOM zeroed bytes allocated past @len
 * @len: frame length, no padding
 * @l3: IP header offset
 * @l4: L4 header offset
 * @hlen: length of all headers
 * @csum: offset of the L4 checksum field
 * @v6: IPv6
 * @proto: L4 protocol
 */
struct vnic_ot_pkt {
	u8 *frame;
	u32 len;
	u32 l3;
	u32 l4;
	u32 hlen;
	u32 csum;
	bool v6;
	u8 proto;
};

/* The pseudo-header of RFC 793/768 (IPv4) or RFC 8200 8.1 (IPv6). */
static u64 vnic_ref_pseudo(const u8 *frame, const struct vnic_ot_pkt *p, u32 l4len)
{
	u8 ph[40] = {};

	if (p->v6) {
		memcpy(ph, frame + p->l3 + offsetof(struct ipv6hdr, saddr), 32);
		put_unaligned_be32(l4len, ph + 32);
		ph[39] = p->proto;
		return vnic_ref_add(0, ph, 40);
	}
	memcpy(ph, frame + p->l3 + offsetof(struct iphdr, saddr), 8);
	ph[9] = p->proto;
	put_unaligned_be16(l4len, ph + 10);
	return vnic_ref_add(0, ph, 12);
}

/* The L4 checksum a sender must write, whatever the field holds now. */
static u16 vnic_ref_l4_csum(const u8 *frame, const struct vnic_ot_pkt *p, u32 l4len)
{
	u32 field = p->csum - p->l4;
	u64 acc = vnic_ref_pseudo(frame, p, l4len);

	acc = vnic_ref_add(acc, frame + p->l4, field);
	acc = vnic_ref_add(acc, frame + p->csum + 2, l4len - field - 2);
	return ~vnic_ref_fold(acc);
}

/* Does the L4 checksum in the frame verify against its pseudo-header? */
static bool vnic_ref_l4_ok(const u8 *frame, const struct vnic_ot_pkt *p, u32 l4len)
{
	u64 acc = vnic_ref_pseudo(frame, p, l4len);

	return vnic_ref_fold(vnic_ref_add(acc, frame + p->l4, l4len)) == 0xffff;
}

static void vnic_ot_fix_ip_csum(struct vnic_ot_pkt *p)
{
	struct iphdr *ip = (void *)(p->frame + p->l3);

	if (p->v6)
		return;
	ip->check = 0;
	ip->check = ip_fast_csum(ip, ip->ihl);
}

/* The checksum a host computes in software; UDP's 0 goes out as 0xffff. */
static void vnic_ot_host_csum(struct vnic_ot_pkt *p)
{
	u16 sum = vnic_ref_l4_csum(p->frame, p, p->len - p->l4);

	if (p->proto == IPPROTO_UDP && !sum)
		sum = 0xffff;
	put_unaligned_be16(sum, p->frame + p->csum);
}

/* Tune the last payload word so the sum of everything else is 0xffff. */
static void vnic_ot_tune_zero_sum(struct kunit *test, struct vnic_ot_pkt *p)
{
	u8 *last = p->frame + p->len - 2;
	u16 sum;

	KUNIT_ASSERT_EQ(test, (p->len - p->l4) % 2, 0);
	KUNIT_ASSERT_GE(test, p->len - p->hlen, 2);
	put_unaligned_be16(0, last);
	sum = ~vnic_ref_l4_csum(p->frame, p, p->len - p->l4);
	put_unaligned_be16(0xffff - sum, last);
	KUNIT_ASSERT_EQ(test, vnic_ref_l4_csum(p->frame, p, p->len - p->l4), 0);
}

/*
 * Build the packet of @s with the checksum a host would compute; cases
 * that offload it overwrite the field with a pseudo-header seed.
 */
static struct vnic_ot_pkt *vnic_ot_build(struct kunit *test, const struct vnic_ot_shape *s)
{
	struct vnic_ot_pkt *p;
	struct ethhdr *eth;
	u32 l4hdr = 0, i;
	__be16 etype;
	u8 *frame;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p->v6 = s->v6;
	p->proto = s->proto;
	p->l3 = s->vlan ? VLAN_ETH_HLEN : ETH_HLEN;
	p->l4 = p->l3 + (s->v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr) + s->ip_opt * 4);
	if (s->proto == IPPROTO_TCP) {
		l4hdr = sizeof(struct tcphdr) + s->tcp_opt * 4;
		p->csum = p->l4 + offsetof(struct tcphdr, check);
	} else if (s->proto == IPPROTO_UDP) {
		l4hdr = sizeof(struct udphdr);
		p->csum = p->l4 + offsetof(struct udphdr, check);
	}
	p->hlen = p->l4 + l4hdr;
	p->len = p->hlen + s->plen;
	frame = kunit_kzalloc(test, p->len + VNIC_OT_ROOM, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, frame);
	p->frame = frame;

	etype = htons(s->v6 ? ETH_P_IPV6 : ETH_P_IP);
	eth = (struct ethhdr *)frame;
	ether_addr_copy(eth->h_dest, vnic_ot_dst);
	ether_addr_copy(eth->h_source, vnic_ot_src);
	eth->h_proto = etype;
	if (s->vlan) {
		struct vlan_hdr *vh = (struct vlan_hdr *)(frame + ETH_HLEN);

		eth->h_proto = htons(ETH_P_8021Q);
		vh->h_vlan_TCI = htons(VNIC_OT_VID);
		vh->h_vlan_encapsulated_proto = etype;
	}

	if (s->v6) {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(frame + p->l3);

		vnic_t_ip6_hdr(ip6, p->len - p->l4, s->proto);
	} else {
		struct iphdr *ip = (struct iphdr *)(frame + p->l3);

		ip->version = 4;
		ip->ihl = 5 + s->ip_opt;
		ip->tot_len = htons(p->len - p->l3);
		ip->id = htons(s->wrap ? VNIC_OT_ID_WRAP : VNIC_OT_ID);
		ip->frag_off = htons(IP_DF);
		ip->ttl = 64;
		ip->protocol = s->proto;
		ip->saddr = htonl(0xc0a80001);	/* 192.168.0.1 */
		ip->daddr = htonl(0xc0a80002);
		memset(ip + 1, IPOPT_NOOP, s->ip_opt * 4);
	}

	if (s->proto == IPPROTO_TCP) {
		struct tcphdr *th = (struct tcphdr *)(frame + p->l4);
		u8 *opt = (u8 *)(th + 1);

		th->source = htons(VNIC_OT_SPORT);
		th->dest = htons(VNIC_OT_DPORT);
		th->seq = htonl(s->wrap ? VNIC_OT_SEQ_WRAP : VNIC_OT_SEQ);
		th->ack_seq = htonl(VNIC_OT_ACK);
		th->doff = l4hdr / 4;
		th->ack = 1;
		tcp_flag_byte(th) |= s->flags;
		th->window = htons(VNIC_OT_WIN);
		if (s->tcp_opt >= 3) {
			opt[0] = TCPOPT_NOP;
			opt[1] = TCPOPT_NOP;
			opt[2] = TCPOPT_TIMESTAMP;
			opt[3] = TCPOLEN_TIMESTAMP;
			put_unaligned_be32(0x11223344, opt + 4);
			put_unaligned_be32(0x55667788, opt + 8);
		}
	} else if (s->proto == IPPROTO_UDP) {
		struct udphdr *uh = (struct udphdr *)(frame + p->l4);

		uh->source = htons(VNIC_OT_SPORT);
		uh->dest = htons(VNIC_OT_DPORT);
		uh->len = htons(p->len - p->l4);
	}

	for (i = 0; i < s->plen; i++)
		frame[p->hlen + i] = i * 31 + 7;
	vnic_ot_fix_ip_csum(p);
	if (!p->csum)
		return p;
	if (s->zero_sum)
		vnic_ot_tune_zero_sum(test, p);
	vnic_ot_host_csum(p);
	return p;
}

static u8 *vnic_ot_dup(struct kunit *test, const u8 *src, u32 len)
{
	u8 *dst = kunit_kmalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, dst);
	memcpy(dst, src, len);
	return dst;
}

/* ---- Worked examples through vnic_card_tx_csum() ---- */

struct vnic_ot_vector {
	const char *desc;
	u8 bytes[24];
	u32 len;
	u32 off;	/* of the field; the sum starts at byte 0 */
	u16 check;	/* the field afterwards */
};

/*
 * The field holds the seed (the pseudo-header sum, for a real packet) on
 * entry; the card sums it with the rest and stores the complement there.
 */
static const struct vnic_ot_vector vnic_ot_vectors[] = {
	/* RFC 1071 section 3: the words sum to 0xddf2. */
	{ "RFC 1071 example",
	  { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7, 0x00, 0x00 }, 10, 8, 0x220d },
	/* The IPv4 header worked through in the literature: 0xb861. */
	{ "IPv4 header example",
	  { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
	    0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 }, 20, 10, 0xb861 },
	/* An odd byte counts as the high byte of a word: ~0xab00. */
	{ "odd length, trailing byte", { 0x00, 0x00, 0xab }, 3, 0, 0x54ff },
	/* The seed 0x1234 plus 0x0001: ~0x1235. */
	{ "seed in the field", { 0x12, 0x34, 0x00, 0x01 }, 4, 0, 0xedca },
	/* 0x8000 + 0x8000 = 0x10000, end-around carry 0x0001: ~0x0001. */
	{ "end-around carry", { 0x80, 0x00, 0x80, 0x00, 0x00, 0x00 }, 6, 4, 0xfffe },
	/* Sum 0: ~0 is 0xffff; nothing to mangle. */
	{ "all zero", { 0x00, 0x00, 0x00, 0x00 }, 4, 2, 0xffff },
	/* Sum 0xffff: the complement 0 goes out as 0xffff (CSUM_MANGLED_0). */
	{ "sum 0xffff, 0 sent as 0xffff", { 0xff, 0xff, 0x00, 0x00 }, 4, 2, 0xffff },
	{ "odd bytes summing to 0xffff", { 0x00, 0x00, 0x00, 0xff, 0xff }, 5, 0, 0xffff },
};

KUNIT_ARRAY_PARAM_DESC(vnic_ot_vector, vnic_ot_vectors, desc);

static void vnic_offload_csum_vector_test(struct kunit *test)
{
	const struct vnic_ot_vector *c = test->param_value;
	struct vnic_wire_sum ws;
	u8 frame[sizeof(c->bytes)];

	memcpy(frame, c->bytes, sizeof(frame));
	KUNIT_ASSERT_EQ(test, vnic_card_tx_csum(frame, c->len, 0, c->off, &ws), VNIC_STATUS_OK);
	KUNIT_EXPECT_EQ(test, vnic_ref_field(frame + c->off), c->check);
	KUNIT_EXPECT_MEMEQ(test, frame, c->bytes, c->off);
	KUNIT_EXPECT_MEMEQ(test, frame + c->off + 2, c->bytes + c->off + 2, c->len - c->off - 2);
	/* The reference agrees with the written-down value. */
	KUNIT_EXPECT_TRUE(test, vnic_ref_same(vnic_ref_fold(vnic_ref_add(0, c->bytes, c->len)),
					      ~c->check));
}

/* ---- TX checksum insertion ---- */

enum vnic_ot_seed {
	VNIC_OT_SEED_GOOD,	/* as the stack seeds CHECKSUM_PARTIAL */
	VNIC_OT_SEED_DADDR,	/* over a wrong destination address */
	VNIC_OT_SEED_LEN,	/* over a wrong L4 length */
	VNIC_OT_SEED_PROTO,	/* over the other L4 protocol */
	VNIC_OT_SEED_ZERO,	/* no pseudo-header sum at all */
};

enum vnic_ot_where {
	VNIC_OT_AT_L4,		/* csum_start = L4 header, csum_off = its field */
	VNIC_OT_START_AT_END,	/* csum_start = frame length */
	VNIC_OT_START_PAST_END,
	VNIC_OT_FIELD_ACROSS_END, /* the field's second byte is past the end */
	VNIC_OT_FIELD_PAST_END,
	VNIC_OT_FIELD_AT_END,	/* the field is the last two bytes: fits */
};

struct vnic_ot_tx {
	const char *desc;
	struct vnic_ot_shape shape;
	enum vnic_ot_seed seed;
	enum vnic_ot_where where;
	u16 check;		/* written down, for the known vectors; 0: none */
	u8 status;
};

#define VNIC_OT_TCP4(n)	{ .proto = IPPROTO_TCP, .plen = (n) }
#define VNIC_OT_UDP4(n)	{ .proto = IPPROTO_UDP, .plen = (n) }
#define VNIC_OT_TCP6(n)	{ .v6 = true, .proto = IPPROTO_TCP, .plen = (n) }
#define VNIC_OT_UDP6(n)	{ .v6 = true, .proto = IPPROTO_UDP, .plen = (n) }

/*
 * The known vectors' checksums were computed once outside the kernel,
 * with an independent RFC 1071 implementation over the same bytes: the
 * headers vnic_ot_build() writes and payload byte i = i * 31 + 7.
 */
static const struct vnic_ot_tx vnic_ot_txs[] = {
	{ "TCP/IPv4, known vector, 17 bytes", VNIC_OT_TCP4(17), .check = 0x66cd },
	{ "UDP/IPv4, known vector, 17 bytes", VNIC_OT_UDP4(17), .check = 0xd2d9 },
	{ "TCP/IPv6, known vector, 1 byte", VNIC_OT_TCP6(1), .check = 0xe229 },
	{ "UDP/IPv6, known vector, 1459 bytes", VNIC_OT_UDP6(1459), .check = 0x7355 },
	{ "TCP/IPv4, no payload", VNIC_OT_TCP4(0) },
	{ "TCP/IPv4, 1 byte", VNIC_OT_TCP4(1) },
	{ "TCP/IPv4, 1459 bytes", VNIC_OT_TCP4(1459) },
	{ "TCP/IPv4, 1460 bytes", VNIC_OT_TCP4(1460) },
	{ "UDP/IPv4, no payload", VNIC_OT_UDP4(0) },
	{ "UDP/IPv4, 1 byte", VNIC_OT_UDP4(1) },
	{ "UDP/IPv4, 1471 bytes", VNIC_OT_UDP4(1471) },
	{ "TCP/IPv6, no payload", VNIC_OT_TCP6(0) },
	{ "TCP/IPv6, 17 bytes", VNIC_OT_TCP6(17) },
	{ "TCP/IPv6, 1439 bytes", VNIC_OT_TCP6(1439) },
	{ "UDP/IPv6, no payload", VNIC_OT_UDP6(0) },
	{ "UDP/IPv6, 1 byte", VNIC_OT_UDP6(1) },
	{ "UDP/IPv6, 17 bytes", VNIC_OT_UDP6(17) },
	{ "TCP/IPv4, jumbo, 8999 bytes", VNIC_OT_TCP4(8999) },
	{ "UDP/IPv6, jumbo, 9000 bytes", VNIC_OT_UDP6(9000) },
	{ "TCP/IPv4 with options and timestamps, VLAN",
	  { .vlan = true, .proto = IPPROTO_TCP, .ip_opt = 1, .tcp_opt = 3, .plen = 33 } },
	{ "UDP/IPv6, VLAN", { .v6 = true, .vlan = true, .proto = IPPROTO_UDP, .plen = 99 } },
	{ "UDP/IPv4, sum 0 goes out as 0xffff",
	  { .proto = IPPROTO_UDP, .plen = 20, .zero_sum = true }, .check = 0xffff },
	{ "UDP/IPv6, sum 0 goes out as 0xffff",
	  { .v6 = true, .proto = IPPROTO_UDP, .plen = 64, .zero_sum = true }, .check = 0xffff },
	{ "TCP/IPv4, sum 0 goes out as 0xffff",
	  { .proto = IPPROTO_TCP, .plen = 2, .zero_sum = true }, .check = 0xffff },
	{ "TCP/IPv4, seed over a wrong address", VNIC_OT_TCP4(17), VNIC_OT_SEED_DADDR },
	{ "UDP/IPv6, seed over a wrong address", VNIC_OT_UDP6(17), VNIC_OT_SEED_DADDR },
	{ "UDP/IPv4, seed over a wrong length", VNIC_OT_UDP4(1), VNIC_OT_SEED_LEN },
	{ "TCP/IPv6, seed over a wrong length", VNIC_OT_TCP6(100), VNIC_OT_SEED_LEN },
	{ "TCP/IPv4, seed over UDP", VNIC_OT_TCP4(10), VNIC_OT_SEED_PROTO },
	{ "UDP/IPv4, no seed", VNIC_OT_UDP4(17), VNIC_OT_SEED_ZERO },
	{ "TCP/IPv6, no seed", VNIC_OT_TCP6(17), VNIC_OT_SEED_ZERO },
	{ "csum_start at the frame's end", VNIC_OT_TCP4(10), .where = VNIC_OT_START_AT_END,
	  .status = VNIC_STATUS_DESC_ERR },
	{ "csum_start past the frame's end", VNIC_OT_UDP6(10), .where = VNIC_OT_START_PAST_END,
	  .status = VNIC_STATUS_DESC_ERR },
	{ "field across the frame's end", VNIC_OT_TCP4(10), .where = VNIC_OT_FIELD_ACROSS_END,
	  .status = VNIC_STATUS_DESC_ERR },
	{ "field past the frame's end", VNIC_OT_UDP4(10), .where = VNIC_OT_FIELD_PAST_END,
	  .status = VNIC_STATUS_DESC_ERR },
	{ "field in the frame's last two bytes", VNIC_OT_UDP4(10), .where = VNIC_OT_FIELD_AT_END },
};

KUNIT_ARRAY_PARAM_DESC(vnic_ot_tx, vnic_ot_txs, desc);

/* The seed the stack leaves in the field for CHECKSUM_PARTIAL. */
static __sum16 vnic_ot_seed(const struct vnic_ot_pkt *p, enum vnic_ot_seed seed)
{
	u32 l4len = p->len - p->l4;
	const struct iphdr *ip;
	u8 proto = p->proto;
	__be32 daddr;

	if (seed == VNIC_OT_SEED_ZERO)
		return 0;
	if (seed == VNIC_OT_SEED_LEN)
		l4len++;
	if (seed == VNIC_OT_SEED_PROTO)
		proto = proto == IPPROTO_TCP ? IPPROTO_UDP : IPPROTO_TCP;

	if (p->v6) {
		const struct ipv6hdr *ip6 = (const void *)(p->frame + p->l3);
		struct in6_addr daddr6 = ip6->daddr;

		if (seed == VNIC_OT_SEED_DADDR)
			daddr6.s6_addr[15] ^= 1;
		return ~csum_ipv6_magic(&ip6->saddr, &daddr6, l4len, proto, 0);
	}
	ip = (const void *)(p->frame + p->l3);
	daddr = ip->daddr;
	if (seed == VNIC_OT_SEED_DADDR)
		daddr ^= htonl(1);
	return ~csum_tcpudp_magic(ip->saddr, daddr, l4len, proto, 0);
}

static void vnic_ot_tx_where(const struct vnic_ot_tx *c, const struct vnic_ot_pkt *p,
			     u32 *start, u32 *off)
{
	*start = p->l4;
	*off = p->csum - p->l4;
	switch (c->where) {
	case VNIC_OT_AT_L4:
		break;
	case VNIC_OT_START_AT_END:
		*start = p->len;
		*off = 0;
		break;
	case VNIC_OT_START_PAST_END:
		*start = p->len + 10;
		*off = 0;
		break;
	case VNIC_OT_FIELD_ACROSS_END:
		*off = p->len - p->l4 - 1;
		break;
	case VNIC_OT_FIELD_PAST_END:
		*off = p->len - p->l4;
		break;
	case VNIC_OT_FIELD_AT_END:
		*off = p->len - p->l4 - 2;
		break;
	}
}

static void vnic_offload_tx_csum_test(struct kunit *test)
{
	const struct vnic_ot_tx *c = test->param_value;
	struct vnic_ot_pkt *p = vnic_ot_build(test, &c->shape);
	u32 l4len = p->len - p->l4, start, off;
	struct vnic_wire_sum ws;
	u8 *frame = p->frame;
	u16 want, seed, field, pseudo;
	__sum16 seed16;
	u8 *orig;

	want = vnic_ref_l4_csum(frame, p, l4len) ?: 0xffff;
	seed16 = vnic_ot_seed(p, c->seed);
	memcpy(frame + p->csum, &seed16, sizeof(seed16));
	seed = vnic_ref_field(frame + p->csum);
	/* The kernel's pseudo-header sum is the reference's. */
	pseudo = vnic_ref_fold(vnic_ref_pseudo(frame, p, l4len));
	if (c->seed == VNIC_OT_SEED_GOOD)
		KUNIT_ASSERT_TRUE(test, vnic_ref_same(seed, pseudo));
	orig = vnic_ot_dup(test, frame, p->len + VNIC_OT_ROOM);
	vnic_ot_tx_where(c, p, &start, &off);
	field = c->status ? 0 : vnic_ref_field(frame + start + off);

	ws.end = 0xdead;
	KUNIT_ASSERT_EQ(test, vnic_card_tx_csum(frame, p->len, start, off, &ws), c->status);
	if (c->status != VNIC_STATUS_OK) {
		KUNIT_EXPECT_EQ(test, ws.end, 0);
		KUNIT_EXPECT_MEMEQ(test, frame, orig, p->len + VNIC_OT_ROOM);
		return;
	}

	/* Only the field changed, and never past the frame. */
	KUNIT_EXPECT_MEMEQ(test, frame, orig, start + off);
	KUNIT_EXPECT_MEMEQ(test, frame + start + off + 2, orig + start + off + 2,
			   p->len + VNIC_OT_ROOM - start - off - 2);
	/* CHECKSUM_PARTIAL: the seed plus the bytes as sent sum to 0xffff. */
	KUNIT_EXPECT_EQ(test, vnic_ref_fold(vnic_ref_add(field, frame + start, p->len - start)),
			0xffff);
	/* The sum handed to the wire is that of the bytes as sent. */
	KUNIT_EXPECT_EQ(test, ws.start, start);
	KUNIT_EXPECT_EQ(test, ws.end, p->len);
	KUNIT_EXPECT_TRUE(test, vnic_ref_same(vnic_ref_wsum(ws.sum),
					      vnic_ref_fold(vnic_ref_add(0, frame + start,
									 p->len - start))));
	if (c->where != VNIC_OT_AT_L4)
		return;

	if (c->check)
		KUNIT_EXPECT_EQ(test, vnic_ref_field(frame + p->csum), c->check);
	if (c->seed == VNIC_OT_SEED_GOOD) {
		KUNIT_EXPECT_EQ(test, vnic_ref_field(frame + p->csum), want);
		KUNIT_EXPECT_TRUE(test, vnic_ref_l4_ok(frame, p, l4len));
		KUNIT_EXPECT_EQ(test, vnic_card_rx_csum(frame, p->len), VNIC_RCQ_CSUM_GOOD);
	} else {
		KUNIT_EXPECT_NE(test, vnic_ref_field(frame + p->csum), want);
		KUNIT_EXPECT_FALSE(test, vnic_ref_l4_ok(frame, p, l4len));
		KUNIT_EXPECT_EQ(test, vnic_card_rx_csum(frame, p->len), VNIC_RCQ_CSUM_BAD);
	}
}

/* ---- RX verdict ---- */

enum vnic_ot_mut {
	VNIC_OT_MUT_NONE,
	VNIC_OT_MUT_FLIP,	/* flip bit @arg of the bytes from L4 on */
	VNIC_OT_MUT_DADDR,	/* flip the destination's last bit, IP csum fixed */
	VNIC_OT_MUT_SWAP,	/* swap source and destination addresses */
	VNIC_OT_MUT_CSUM,	/* L4 checksum field = @arg */
	VNIC_OT_MUT_ETYPE,	/* the innermost ethertype = @arg */
	VNIC_OT_MUT_FRAG,	/* IPv4 frag_off = @arg, IP csum fixed */
	VNIC_OT_MUT_CUT,	/* frame length = @arg */
	VNIC_OT_MUT_TRIM,	/* frame length - @arg */
	VNIC_OT_MUT_IPLEN,	/* IP length covers @arg bytes from L4 on */
	VNIC_OT_MUT_VERSION,	/* IP version = @arg */
	VNIC_OT_MUT_IHL,	/* IPv4 IHL = @arg, IP csum fixed */
	VNIC_OT_MUT_NEXTHDR,	/* IPv6 next header = @arg */
	VNIC_OT_MUT_PAD,	/* padded to ETH_ZLEN with nonzero bytes */
	VNIC_OT_MUT_DOFF,	/* TCP data offset = @arg */
};

/* Apply @mut to @p; return the frame length to pass on. */
static u32 vnic_ot_mutate(struct vnic_ot_pkt *p, enum vnic_ot_mut mut, u32 arg)
{
	struct ipv6hdr *ip6 = (void *)(p->frame + p->l3);
	struct iphdr *ip = (void *)(p->frame + p->l3);
	u8 *frame = p->frame;

	switch (mut) {
	case VNIC_OT_MUT_NONE:
		break;
	case VNIC_OT_MUT_FLIP:
		frame[p->l4 + arg / 8] ^= BIT(arg % 8);
		break;
	case VNIC_OT_MUT_DADDR:
		if (p->v6)
			ip6->daddr.s6_addr[15] ^= 1;
		else
			ip->daddr ^= htonl(1);
		vnic_ot_fix_ip_csum(p);
		break;
	case VNIC_OT_MUT_SWAP:
		if (p->v6)
			swap(ip6->saddr, ip6->daddr);
		else
			swap(ip->saddr, ip->daddr);
		vnic_ot_fix_ip_csum(p);
		break;
	case VNIC_OT_MUT_CSUM:
		put_unaligned_be16(arg, frame + p->csum);
		break;
	case VNIC_OT_MUT_ETYPE:
		put_unaligned_be16(arg, frame + p->l3 - 2);
		break;
	case VNIC_OT_MUT_FRAG:
		ip->frag_off = htons(arg);
		vnic_ot_fix_ip_csum(p);
		break;
	case VNIC_OT_MUT_CUT:
		return arg;
	case VNIC_OT_MUT_TRIM:
		return p->len - arg;
	case VNIC_OT_MUT_IPLEN:
		if (p->v6)
			ip6->payload_len = htons(arg);
		else
			ip->tot_len = htons(p->l4 - p->l3 + arg);
		vnic_ot_fix_ip_csum(p);
		break;
	case VNIC_OT_MUT_VERSION:
		if (p->v6)
			ip6->version = arg;
		else
			ip->version = arg;
		break;
	case VNIC_OT_MUT_IHL:
		ip->ihl = arg;
		vnic_ot_fix_ip_csum(p);
		break;
	case VNIC_OT_MUT_NEXTHDR:
		ip6->nexthdr = arg;
		break;
	case VNIC_OT_MUT_PAD:
		if (p->len >= ETH_ZLEN)
			break;
		memset(frame + p->len, 0xa5, ETH_ZLEN - p->len);
		return ETH_ZLEN;
	case VNIC_OT_MUT_DOFF:
		((struct tcphdr *)(frame + p->l4))->doff = arg;
		break;
	}
	return p->len;
}

struct vnic_ot_rx {
	const char *desc;
	struct vnic_ot_shape shape;
	enum vnic_ot_mut mut;
	u32 arg;
	u8 verdict;
};

#define VNIC_OT_GOOD	.verdict = VNIC_RCQ_CSUM_GOOD
#define VNIC_OT_BAD	.verdict = VNIC_RCQ_CSUM_BAD
#define VNIC_OT_NONE	.verdict = VNIC_RCQ_CSUM_NONE

static const struct vnic_ot_rx vnic_ot_rxs[] = {
	{ "TCP/IPv4, good", VNIC_OT_TCP4(100), VNIC_OT_GOOD },
	{ "TCP/IPv4, no payload, good", VNIC_OT_TCP4(0), VNIC_OT_GOOD },
	{ "UDP/IPv4, odd length, good", VNIC_OT_UDP4(17), VNIC_OT_GOOD },
	{ "TCP/IPv6, odd length, good", VNIC_OT_TCP6(1459), VNIC_OT_GOOD },
	{ "UDP/IPv6, no payload, good", VNIC_OT_UDP6(0), VNIC_OT_GOOD },
	{ "TCP/IPv4 with options, VLAN, good",
	  { .vlan = true, .proto = IPPROTO_TCP, .ip_opt = 2, .tcp_opt = 3, .plen = 7 },
	  VNIC_OT_GOOD },
	{ "UDP/IPv6, VLAN, good", { .v6 = true, .vlan = true, .proto = IPPROTO_UDP, .plen = 9 },
	  VNIC_OT_GOOD },
	{ "UDP/IPv4, sum 0 sent as 0xffff, good",
	  { .proto = IPPROTO_UDP, .plen = 20, .zero_sum = true }, VNIC_OT_GOOD },
	{ "UDP/IPv6, sum 0 sent as 0xffff, good",
	  { .v6 = true, .proto = IPPROTO_UDP, .plen = 2, .zero_sum = true }, VNIC_OT_GOOD },
	{ "UDP/IPv4, padded to 60 bytes, good", VNIC_OT_UDP4(1), VNIC_OT_MUT_PAD, VNIC_OT_GOOD },
	{ "TCP/IPv6, addresses swapped, good", VNIC_OT_TCP6(40), VNIC_OT_MUT_SWAP, 0,
	  VNIC_OT_GOOD },
	{ "TCP/IPv4, payload bit flipped", VNIC_OT_TCP4(100), VNIC_OT_MUT_FLIP, 8 * 70 + 3,
	  VNIC_OT_BAD },
	{ "TCP/IPv4, last odd byte flipped", VNIC_OT_TCP4(17), VNIC_OT_MUT_FLIP, 8 * 36,
	  VNIC_OT_BAD },
	{ "UDP/IPv4, payload bit flipped", VNIC_OT_UDP4(17), VNIC_OT_MUT_FLIP, 8 * 8 + 7,
	  VNIC_OT_BAD },
	{ "TCP/IPv6, payload bit flipped", VNIC_OT_TCP6(1459), VNIC_OT_MUT_FLIP, 8 * 1000,
	  VNIC_OT_BAD },
	{ "UDP/IPv6, payload bit flipped", VNIC_OT_UDP6(33), VNIC_OT_MUT_FLIP, 8 * 40 + 1,
	  VNIC_OT_BAD },
	{ "TCP/IPv4, port bit flipped", VNIC_OT_TCP4(10), VNIC_OT_MUT_FLIP, 8 * 3,
	  VNIC_OT_BAD },
	{ "UDP/IPv6, checksum bit flipped", VNIC_OT_UDP6(10), VNIC_OT_MUT_FLIP, 8 * 7,
	  VNIC_OT_BAD },
	{ "TCP/IPv4, pseudo-header address changed", VNIC_OT_TCP4(10), VNIC_OT_MUT_DADDR, 0,
	  VNIC_OT_BAD },
	{ "UDP/IPv6, pseudo-header address changed", VNIC_OT_UDP6(10), VNIC_OT_MUT_DADDR, 0,
	  VNIC_OT_BAD },
	{ "UDP/IPv4, checksum 0: none sent", VNIC_OT_UDP4(17), VNIC_OT_MUT_CSUM, 0,
	  VNIC_OT_NONE },
	{ "TCP/IPv4, checksum 0 when it is not", VNIC_OT_TCP4(17), VNIC_OT_MUT_CSUM, 0,
	  VNIC_OT_BAD },
	{ "ARP ethertype", VNIC_OT_TCP4(20), VNIC_OT_MUT_ETYPE, ETH_P_ARP, VNIC_OT_NONE },
	{ "ARP ethertype behind VLAN", { .vlan = true, .proto = IPPROTO_UDP, .plen = 20 },
	  VNIC_OT_MUT_ETYPE, ETH_P_ARP, VNIC_OT_NONE },
	{ "IPv6 under the IPv4 ethertype", VNIC_OT_TCP6(20), VNIC_OT_MUT_ETYPE, ETH_P_IP,
	  VNIC_OT_NONE },
	{ "ICMP/IPv4", { .proto = IPPROTO_ICMP, .plen = 40 }, VNIC_OT_NONE },
	{ "IPv6 hop-by-hop header", VNIC_OT_UDP6(20), VNIC_OT_MUT_NEXTHDR, NEXTHDR_HOP,
	  VNIC_OT_NONE },
	{ "IPv4 first fragment (MF)", VNIC_OT_UDP4(100), VNIC_OT_MUT_FRAG, IP_MF, VNIC_OT_NONE },
	{ "IPv4 last fragment (offset)", VNIC_OT_TCP4(100), VNIC_OT_MUT_FRAG, 185,
	  VNIC_OT_NONE },
	{ "IPv4 DF alone is no fragment", VNIC_OT_TCP4(100), VNIC_OT_MUT_FRAG, IP_DF,
	  VNIC_OT_GOOD },
	{ "TCP/IPv4 cut by 1 byte", VNIC_OT_TCP4(100), VNIC_OT_MUT_TRIM, 1, VNIC_OT_NONE },
	{ "UDP/IPv6 cut by 1 byte", VNIC_OT_UDP6(100), VNIC_OT_MUT_TRIM, 1, VNIC_OT_NONE },
	{ "cut inside the IPv4 header", VNIC_OT_TCP4(100), VNIC_OT_MUT_CUT, ETH_HLEN + 19,
	  VNIC_OT_NONE },
	{ "cut inside the IPv6 header", VNIC_OT_TCP6(100), VNIC_OT_MUT_CUT, ETH_HLEN + 39,
	  VNIC_OT_NONE },
	{ "cut inside the VLAN tag", { .vlan = true, .proto = IPPROTO_TCP, .plen = 10 },
	  VNIC_OT_MUT_CUT, ETH_HLEN + 2, VNIC_OT_NONE },
	{ "cut inside the Ethernet header", VNIC_OT_TCP4(100), VNIC_OT_MUT_CUT, ETH_HLEN - 1,
	  VNIC_OT_NONE },
	{ "empty frame", VNIC_OT_UDP4(10), VNIC_OT_MUT_CUT, 0, VNIC_OT_NONE },
	{ "IPv4 length ends inside the TCP header", VNIC_OT_TCP4(10), VNIC_OT_MUT_IPLEN, 19,
	  VNIC_OT_NONE },
	{ "IPv6 length ends inside the UDP header", VNIC_OT_UDP6(10), VNIC_OT_MUT_IPLEN, 7,
	  VNIC_OT_NONE },
	{ "IPv4 length past the frame", VNIC_OT_UDP4(10), VNIC_OT_MUT_IPLEN, 19, VNIC_OT_NONE },
	{ "IPv4 header with version 6", VNIC_OT_TCP4(10), VNIC_OT_MUT_VERSION, 6, VNIC_OT_NONE },
	{ "IPv6 header with version 4", VNIC_OT_UDP6(10), VNIC_OT_MUT_VERSION, 4, VNIC_OT_NONE },
	{ "IPv4 IHL 4", VNIC_OT_TCP4(10), VNIC_OT_MUT_IHL, 4, VNIC_OT_NONE },
};

KUNIT_ARRAY_PARAM_DESC(vnic_ot_rx, vnic_ot_rxs, desc);

static void vnic_offload_rx_csum_test(struct kunit *test)
{
	const struct vnic_ot_rx *c = test->param_value;
	struct vnic_ot_pkt *p = vnic_ot_build(test, &c->shape);
	u32 len = vnic_ot_mutate(p, c->mut, c->arg);
	u8 *orig = vnic_ot_dup(test, p->frame, p->len + VNIC_OT_ROOM);

	KUNIT_EXPECT_EQ(test, vnic_card_rx_csum(p->frame, len), c->verdict);
	/* The reference agrees on the frames the card verifies. */
	if (c->verdict == VNIC_RCQ_CSUM_GOOD)
		KUNIT_EXPECT_TRUE(test, vnic_ref_l4_ok(p->frame, p, p->len - p->l4));
	if (c->verdict == VNIC_RCQ_CSUM_BAD)
		KUNIT_EXPECT_FALSE(test, vnic_ref_l4_ok(p->frame, p, p->len - p->l4));
	KUNIT_EXPECT_MEMEQ(test, p->frame, orig, p->len + VNIC_OT_ROOM);
}

/* ---- Segmentation ---- */

struct vnic_ot_tso {
	const char *desc;
	struct vnic_ot_shape shape;
	u8 type;		/* VNIC_TXD_SEG_* */
	u32 mss;
	u32 nsegs;		/* expected */
	u32 last;		/* expected payload of the last segment */
	enum vnic_ot_mut mut;
	u32 arg;
	int start_adj;		/* CSUM_START = L4 offset + this */
	u32 max_frame;		/* 0: VNIC_OT_JUMBO_FRAME */
	u8 status;
};

#define VNIC_OT_FPC	(TCPHDR_FIN | TCPHDR_PSH | TCPHDR_CWR)
#define VNIC_OT_SEG_TCP	.type = VNIC_TXD_SEG_TCP
#define VNIC_OT_SEG_UDP	.type = VNIC_TXD_SEG_UDP

static const struct vnic_ot_tso vnic_ot_tsos[] = {
	{ "TCP/IPv4, 3000 bytes by 1000",
	  { .proto = IPPROTO_TCP, .plen = 3000, .flags = VNIC_OT_FPC },
	  VNIC_OT_SEG_TCP, 1000, 3, 1000 },
	{ "TCP/IPv4, 2500 bytes by 1000",
	  { .proto = IPPROTO_TCP, .plen = 2500, .flags = VNIC_OT_FPC },
	  VNIC_OT_SEG_TCP, 1000, 3, 500 },
	{ "TCP/IPv4, 1 byte", { .proto = IPPROTO_TCP, .plen = 1, .flags = VNIC_OT_FPC },
	  VNIC_OT_SEG_TCP, 1000, 1, 1 },
	{ "TCP/IPv4, no payload", { .proto = IPPROTO_TCP, .plen = 0, .flags = VNIC_OT_FPC },
	  VNIC_OT_SEG_TCP, 1000, 1, 0 },
	{ "TCP/IPv4, MSS 1: 5 one-byte segments, padded",
	  { .proto = IPPROTO_TCP, .plen = 5, .flags = TCPHDR_PSH },
	  VNIC_OT_SEG_TCP, 1, 5, 1 },
	{ "TCP/IPv4, 64 KB by 1448",
	  { .proto = IPPROTO_TCP, .plen = 65000, .tcp_opt = 3, .flags = TCPHDR_PSH },
	  VNIC_OT_SEG_TCP, 1448, 45, 1288 },
	{ "TCP/IPv4, ID and sequence number wrap",
	  { .proto = IPPROTO_TCP, .plen = 3001, .wrap = true },
	  VNIC_OT_SEG_TCP, 1000, 4, 1 },
	{ "TCP/IPv4, VLAN, options",
	  { .vlan = true, .proto = IPPROTO_TCP, .ip_opt = 1, .tcp_opt = 3, .plen = 2897,
	    .flags = VNIC_OT_FPC },
	  VNIC_OT_SEG_TCP, 1448, 3, 1 },
	{ "TCP/IPv4, headers + MSS = max_frame", { .proto = IPPROTO_TCP, .plen = 3000 },
	  VNIC_OT_SEG_TCP, VNIC_OT_MTU_FRAME - 54, 3, 3000 - 2 * (VNIC_OT_MTU_FRAME - 54),
	  .max_frame = VNIC_OT_MTU_FRAME },
	{ "TCP/IPv6, 3000 bytes by 1000",
	  { .v6 = true, .proto = IPPROTO_TCP, .plen = 3000, .flags = VNIC_OT_FPC },
	  VNIC_OT_SEG_TCP, 1000, 3, 1000 },
	{ "TCP/IPv6, 2500 bytes by 1000",
	  { .v6 = true, .proto = IPPROTO_TCP, .plen = 2500, .flags = VNIC_OT_FPC },
	  VNIC_OT_SEG_TCP, 1000, 3, 500 },
	{ "TCP/IPv6, odd MSS", { .v6 = true, .proto = IPPROTO_TCP, .plen = 4001, .tcp_opt = 3 },
	  VNIC_OT_SEG_TCP, 1427, 3, 1147 },
	{ "TCP/IPv6, no payload", { .v6 = true, .proto = IPPROTO_TCP, .plen = 0 },
	  VNIC_OT_SEG_TCP, 1000, 1, 0 },
	{ "TCP/IPv6, jumbo MSS", { .v6 = true, .proto = IPPROTO_TCP, .plen = 20000 },
	  VNIC_OT_SEG_TCP, 8948, 3, 2104 },
	{ "UDP/IPv4, 3000 bytes by 1000", { .proto = IPPROTO_UDP, .plen = 3000 },
	  VNIC_OT_SEG_UDP, 1000, 3, 1000 },
	{ "UDP/IPv4, 2500 bytes by 1000", { .proto = IPPROTO_UDP, .plen = 2500 },
	  VNIC_OT_SEG_UDP, 1000, 3, 500 },
	{ "UDP/IPv4, 1 byte", { .proto = IPPROTO_UDP, .plen = 1 },
	  VNIC_OT_SEG_UDP, 1000, 1, 1 },
	{ "UDP/IPv4, no payload", { .proto = IPPROTO_UDP, .plen = 0 },
	  VNIC_OT_SEG_UDP, 1000, 1, 0 },
	{ "UDP/IPv4, 10 bytes by 3, padded", { .proto = IPPROTO_UDP, .plen = 10 },
	  VNIC_OT_SEG_UDP, 3, 4, 1 },
	{ "UDP/IPv4, ID wrap", { .proto = IPPROTO_UDP, .plen = 5000, .wrap = true },
	  VNIC_OT_SEG_UDP, 1472, 4, 584 },
	{ "UDP/IPv4, one segment whose sum is 0",
	  { .proto = IPPROTO_UDP, .plen = 100, .zero_sum = true },
	  VNIC_OT_SEG_UDP, 1000, 1, 100 },
	{ "UDP/IPv6, one segment whose sum is 0",
	  { .v6 = true, .proto = IPPROTO_UDP, .plen = 998, .zero_sum = true },
	  VNIC_OT_SEG_UDP, 1000, 1, 998 },
	{ "TCP/IPv6, one segment whose sum is 0",
	  { .v6 = true, .proto = IPPROTO_TCP, .plen = 64, .zero_sum = true },
	  VNIC_OT_SEG_TCP, 1000, 1, 64 },
	{ "UDP/IPv4, VLAN", { .vlan = true, .proto = IPPROTO_UDP, .plen = 1501 },
	  VNIC_OT_SEG_UDP, 500, 4, 1 },
	{ "UDP/IPv6, 2500 bytes by 1000", { .v6 = true, .proto = IPPROTO_UDP, .plen = 2500 },
	  VNIC_OT_SEG_UDP, 1000, 3, 500 },
};

KUNIT_ARRAY_PARAM_DESC(vnic_ot_tso, vnic_ot_tsos, desc);

static const struct vnic_ot_tso vnic_ot_tso_errs[] = {
	{ "MSS 0", VNIC_OT_TCP4(3000), VNIC_OT_SEG_TCP, 0,
	  .status = VNIC_STATUS_DESC_ERR },
	{ "MSS 0, no payload", VNIC_OT_UDP6(0), VNIC_OT_SEG_UDP, 0,
	  .status = VNIC_STATUS_DESC_ERR },
	{ "SEG TCP on a UDP/IPv4 packet", VNIC_OT_UDP4(3000), VNIC_OT_SEG_TCP, 1000,
	  .status = VNIC_STATUS_DESC_ERR },
	{ "SEG UDP on a TCP/IPv6 packet", VNIC_OT_TCP6(3000), VNIC_OT_SEG_UDP, 1000,
	  .status = VNIC_STATUS_DESC_ERR },
	{ "SEG none", VNIC_OT_TCP4(3000), .type = VNIC_TXD_SEG_NONE, .mss = 1000,
	  .status = VNIC_STATUS_DESC_ERR },
	{ "SEG reserved value", VNIC_OT_TCP4(3000), .type = 3, .mss = 1000,
	  .status = VNIC_STATUS_DESC_ERR },
	{ "CSUM_START 4 past the TCP header", VNIC_OT_TCP4(3000), VNIC_OT_SEG_TCP, 1000,
	  .start_adj = 4, .status = VNIC_STATUS_DESC_ERR },
	{ "CSUM_START at the IPv4 header", VNIC_OT_TCP4(3000), VNIC_OT_SEG_TCP, 1000,
	  .start_adj = -20, .status = VNIC_STATUS_DESC_ERR },
	{ "CSUM_START 2 short of the UDP/IPv6 header", VNIC_OT_UDP6(3000), VNIC_OT_SEG_UDP,
	  1000, .start_adj = -2, .status = VNIC_STATUS_DESC_ERR },
	{ "CSUM_START ignores the VLAN tag",
	  { .vlan = true, .proto = IPPROTO_TCP, .plen = 3000 }, VNIC_OT_SEG_TCP, 1000,
	  .start_adj = -VLAN_HLEN, .status = VNIC_STATUS_DESC_ERR },
	{ "headers + MSS over max_frame", VNIC_OT_TCP4(3000), VNIC_OT_SEG_TCP,
	  VNIC_OT_MTU_FRAME - 53, .max_frame = VNIC_OT_MTU_FRAME,
	  .status = VNIC_STATUS_OVERSIZE },
	{ "MSS 1500 over a 1522-byte max_frame", VNIC_OT_UDP4(3000), VNIC_OT_SEG_UDP, 1500,
	  .max_frame = VNIC_OT_MTU_FRAME, .status = VNIC_STATUS_OVERSIZE },
	{ "jumbo MSS over the card's largest frame", VNIC_OT_TCP6(20000), VNIC_OT_SEG_TCP,
	  9200, .status = VNIC_STATUS_OVERSIZE },
	{ "ARP ethertype", VNIC_OT_TCP4(3000), VNIC_OT_SEG_TCP, 1000,
	  .mut = VNIC_OT_MUT_ETYPE, .arg = ETH_P_ARP, .status = VNIC_STATUS_DESC_ERR },
	{ "IPv6 hop-by-hop header", VNIC_OT_TCP6(3000), VNIC_OT_SEG_TCP, 1000,
	  .mut = VNIC_OT_MUT_NEXTHDR, .arg = NEXTHDR_HOP, .status = VNIC_STATUS_DESC_ERR },
	{ "IPv4 header with version 6", VNIC_OT_TCP4(3000), VNIC_OT_SEG_TCP, 1000,
	  .mut = VNIC_OT_MUT_VERSION, .arg = 6, .status = VNIC_STATUS_DESC_ERR },
	{ "TCP data offset 4", VNIC_OT_TCP4(3000), VNIC_OT_SEG_TCP, 1000,
	  .mut = VNIC_OT_MUT_DOFF, .arg = 4, .status = VNIC_STATUS_DESC_ERR },
	{ "TCP options past the packet", VNIC_OT_TCP4(0), VNIC_OT_SEG_TCP, 1000,
	  .mut = VNIC_OT_MUT_DOFF, .arg = 6, .status = VNIC_STATUS_DESC_ERR },
	{ "cut inside the TCP header", VNIC_OT_TCP4(3000), VNIC_OT_SEG_TCP, 1000,
	  .mut = VNIC_OT_MUT_CUT, .arg = 14 + 20 + 19, .status = VNIC_STATUS_DESC_ERR },
	{ "cut inside the UDP header", VNIC_OT_UDP6(3000), VNIC_OT_SEG_UDP, 1000,
	  .mut = VNIC_OT_MUT_CUT, .arg = 14 + 40 + 7, .status = VNIC_STATUS_DESC_ERR },
	{ "cut inside the IPv6 header", VNIC_OT_UDP6(3000), VNIC_OT_SEG_UDP, 1000,
	  .mut = VNIC_OT_MUT_CUT, .arg = 14 + 39, .status = VNIC_STATUS_DESC_ERR },
	{ "cut inside the Ethernet header", VNIC_OT_UDP4(3000), VNIC_OT_SEG_UDP, 1000,
	  .mut = VNIC_OT_MUT_CUT, .arg = 10, .status = VNIC_STATUS_DESC_ERR },
};

KUNIT_ARRAY_PARAM_DESC(vnic_ot_tso_err, vnic_ot_tso_errs, desc);

/**
 * struct vnic_ot_segs - what vnic_card_tso_segment() emitted
 * @test: the case, for allocations
 * @n: segments emitted
 * @overflow: more than VNIC_OT_MAX_SEGS were emitted
 * @data: a copy of each segment
 * @len: each segment's length
 * @ws: each segment's wire sum
 */
struct vnic_ot_segs {
	struct kunit *test;
	u32 n;
	bool overflow;
	u8 *data[VNIC_OT_MAX_SEGS];
	u32 len[VNIC_OT_MAX_SEGS];
	struct vnic_wire_sum ws[VNIC_OT_MAX_SEGS];
};

static void vnic_ot_collect(void *ctx, const u8 *seg, u32 len, const struct vnic_wire_sum *ws)
{
	struct vnic_ot_segs *segs = ctx;
	u8 *copy;

	if (segs->n == VNIC_OT_MAX_SEGS) {
		segs->overflow = true;
		return;
	}
	copy = kunit_kmalloc(segs->test, len, GFP_KERNEL);
	if (copy)
		memcpy(copy, seg, len);
	segs->data[segs->n] = copy;
	segs->len[segs->n] = len;
	segs->ws[segs->n] = *ws;
	segs->n++;
}

static u8 vnic_ot_tso_run(struct kunit *test, const struct vnic_ot_tso *c,
			  const struct vnic_ot_pkt *p, u32 len, struct vnic_ot_segs *segs)
{
	u32 max_frame = c->max_frame ?: VNIC_OT_JUMBO_FRAME;
	u64 ctrl;
	u8 *seg;

	seg = kunit_kzalloc(test, VNIC_CARD_FRAME_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seg);
	/* As the driver fills the first descriptor of a GSO packet. */
	ctrl = VNIC_TXD_CSUM | FIELD_PREP(VNIC_TXD_CSUM_START, p->l4 + c->start_adj) |
	       FIELD_PREP(VNIC_TXD_CSUM_OFF, p->csum - p->l4) |
	       FIELD_PREP(VNIC_TXD_MSS, c->mss) | FIELD_PREP(VNIC_TXD_SEG, c->type);
	segs->test = test;
	return vnic_card_tso_segment(p->frame, len, ctrl, max_frame, seg, vnic_ot_collect, segs);
}

/* Check segment @i, which carries @plen payload bytes from @offset on. */
static void vnic_ot_check_seg(struct kunit *test, const struct vnic_ot_tso *c,
			      const struct vnic_ot_pkt *p, const u8 *orig,
			      const struct vnic_ot_segs *segs, u32 i, u32 offset, u32 plen)
{
	u32 wire = p->hlen + plen, l4len = wire - p->l4;
	bool last = i == segs->n - 1;
	const u8 *seg = segs->data[i];
	u8 *want;

	KUNIT_ASSERT_NOT_NULL(test, seg);
	KUNIT_EXPECT_EQ(test, segs->len[i], max_t(u32, wire, ETH_ZLEN));
	KUNIT_ASSERT_GE(test, segs->len[i], wire);
	if (wire < ETH_ZLEN)
		KUNIT_EXPECT_NULL(test, memchr_inv(seg + wire, 0, ETH_ZLEN - wire));
	KUNIT_EXPECT_MEMEQ(test, seg + p->hlen, orig + p->hlen + offset, plen);

	/* The headers as the card should have fixed them. */
	want = vnic_ot_dup(test, orig, p->hlen);
	if (p->v6) {
		struct ipv6hdr *ip6 = (void *)(want + p->l3);
		const struct ipv6hdr *got6 = (const void *)(seg + p->l3);

		ip6->payload_len = htons(l4len);
		KUNIT_EXPECT_EQ(test, ntohs(got6->payload_len), l4len);
	} else {
		struct iphdr *ip = (void *)(want + p->l3);
		const struct iphdr *got = (const void *)(seg + p->l3);

		ip->tot_len = htons(wire - p->l3);
		ip->id = htons(ntohs(ip->id) + i);
		KUNIT_EXPECT_EQ(test, ntohs(got->tot_len), wire - p->l3);
		KUNIT_EXPECT_EQ(test, ntohs(got->id), (u16)(ntohs(ip->id)));
		KUNIT_EXPECT_EQ(test, (__force u16)ip_fast_csum(got, got->ihl), 0);
		KUNIT_EXPECT_EQ(test, vnic_ref_fold(vnic_ref_add(0, seg + p->l3, got->ihl * 4)),
				0xffff);
		ip->check = got->check;
	}
	if (p->proto == IPPROTO_TCP) {
		struct tcphdr *th = (void *)(want + p->l4);
		const struct tcphdr *got = (const void *)(seg + p->l4);

		/* FIN and PSH stay on the last segment only, CWR on the first. */
		th->seq = htonl(ntohl(th->seq) + offset);
		th->fin &= last;
		th->psh &= last;
		th->cwr &= !i;
		KUNIT_EXPECT_EQ(test, ntohl(got->seq), ntohl(th->seq));
		KUNIT_EXPECT_EQ(test, tcp_flag_byte(got), tcp_flag_byte(th));
		KUNIT_EXPECT_EQ(test, (u8)got->ack, 1);
		th->check = got->check;
	} else {
		struct udphdr *uh = (void *)(want + p->l4);
		const struct udphdr *got = (const void *)(seg + p->l4);

		uh->len = htons(l4len);
		KUNIT_EXPECT_EQ(test, ntohs(got->len), l4len);
		KUNIT_EXPECT_NE(test, vnic_ref_field(seg + p->csum), 0);
		uh->check = got->check;
	}
	KUNIT_EXPECT_MEMEQ(test, seg, want, p->hlen);

	/* Its own checksum, over its own pseudo-header. */
	KUNIT_EXPECT_TRUE(test, vnic_ref_l4_ok(seg, p, l4len));
	/* UDP's computed 0 goes out as 0xffff; TCP's may stay 0. */
	if (c->shape.zero_sum && p->proto == IPPROTO_UDP)
		KUNIT_EXPECT_EQ(test, vnic_ref_field(seg + p->csum), 0xffff);
	KUNIT_EXPECT_EQ(test, segs->ws[i].start, p->l4);
	KUNIT_EXPECT_EQ(test, segs->ws[i].end, wire);
	KUNIT_EXPECT_TRUE(test, vnic_ref_same(vnic_ref_wsum(segs->ws[i].sum),
					      vnic_ref_fold(vnic_ref_add(0, seg + p->l4, l4len))));
	KUNIT_EXPECT_EQ(test, vnic_card_rx_csum(seg, segs->len[i]), VNIC_RCQ_CSUM_GOOD);
}

static void vnic_offload_tso_test(struct kunit *test)
{
	const struct vnic_ot_tso *c = test->param_value;
	struct vnic_ot_pkt *p = vnic_ot_build(test, &c->shape);
	u32 plen = c->shape.plen, offset = 0, i, len;
	struct vnic_ot_segs *segs;
	u8 *orig, *payload;
	__sum16 seed;

	/* A GSO packet is CHECKSUM_PARTIAL: the field holds the seed. */
	seed = vnic_ot_seed(p, VNIC_OT_SEED_GOOD);
	memcpy(p->frame + p->csum, &seed, sizeof(seed));
	orig = vnic_ot_dup(test, p->frame, p->len);
	segs = kunit_kzalloc(test, sizeof(*segs), GFP_KERNEL);
	payload = kunit_kzalloc(test, plen + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, segs);
	KUNIT_ASSERT_NOT_NULL(test, payload);

	len = vnic_ot_mutate(p, c->mut, c->arg);
	KUNIT_ASSERT_EQ(test, vnic_ot_tso_run(test, c, p, len, segs), VNIC_STATUS_OK);
	KUNIT_EXPECT_MEMEQ(test, p->frame, orig, len);
	KUNIT_ASSERT_FALSE(test, segs->overflow);
	KUNIT_ASSERT_EQ(test, segs->n, c->nsegs);

	for (i = 0; i < segs->n; i++) {
		u32 seg_plen = i == segs->n - 1 ? c->last : c->mss;

		KUNIT_ASSERT_LE(test, offset + seg_plen, plen);
		vnic_ot_check_seg(test, c, p, orig, segs, i, offset, seg_plen);
		if (segs->len[i] >= p->hlen + seg_plen)
			memcpy(payload + offset, segs->data[i] + p->hlen, seg_plen);
		offset += seg_plen;
	}
	KUNIT_EXPECT_EQ(test, offset, plen);
	KUNIT_EXPECT_MEMEQ(test, payload, orig + p->hlen, plen);
}

static void vnic_offload_tso_err_test(struct kunit *test)
{
	const struct vnic_ot_tso *c = test->param_value;
	struct vnic_ot_pkt *p = vnic_ot_build(test, &c->shape);
	u32 len = vnic_ot_mutate(p, c->mut, c->arg);
	u8 *orig = vnic_ot_dup(test, p->frame, p->len);
	struct vnic_ot_segs *segs;

	segs = kunit_kzalloc(test, sizeof(*segs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, segs);
	KUNIT_EXPECT_EQ(test, vnic_ot_tso_run(test, c, p, len, segs), c->status);
	KUNIT_EXPECT_EQ(test, segs->n, 0);
	KUNIT_EXPECT_MEMEQ(test, p->frame, orig, p->len);
}

VNIC_T_SUITE(vnic_offload_test, "vnic-offload", NULL,
	     KUNIT_CASE_PARAM(vnic_offload_csum_vector_test, vnic_ot_vector_gen_params),
	     KUNIT_CASE_PARAM(vnic_offload_tx_csum_test, vnic_ot_tx_gen_params),
	     KUNIT_CASE_PARAM(vnic_offload_rx_csum_test, vnic_ot_rx_gen_params),
	     KUNIT_CASE_PARAM(vnic_offload_tso_test, vnic_ot_tso_gen_params),
	     KUNIT_CASE_PARAM(vnic_offload_tso_err_test, vnic_ot_tso_err_gen_params));
