// SPDX-License-Identifier: GPL-2.0
/*
 * vnic-rss: the card's receive side scaling. vnic_card_rss_toeplitz() is checked
 * against every IPv4 and IPv6 row of the table in Microsoft's "Verifying
 * the RSS Hash Calculation" (the RSS verification suite), with and without
 * ports, under that page's well-known key. Then a card built here, with
 * two RX queues on port 1 programmed through BAR0 as a driver would, is
 * given frames carrying those same addresses and ports: each must land on
 * the queue named by the indirection table entry at (hash % 128), with
 * the published hash in its RCQ entry.
 *
 * The test module's MODULE_* lines are in vnic_ring_test.c.
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/in.h>
#include <linux/inet.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/unaligned.h>

#include "vnic_test_util.h"

#define VNIC_RT_QUEUES		2
#define VNIC_RT_BUF		256	/* bytes per RX buffer */
#define VNIC_RT_PAYLOAD		16	/* bytes after the L4 header */
#define VNIC_RT_NO_QUEUE	5	/* a queue the port does not have */

KUNIT_ARRAY_PARAM_DESC(vnic_t_ms_vec, vnic_t_ms_vecs, desc);

/*
 * The hash input as the card lays it out: source address, destination
 * address, then source and destination port. Return: bytes of addresses.
 */
static u32 vnic_rt_tuple(struct kunit *test, const struct vnic_t_ms_vec *v, u8 *in)
{
	u32 alen = v->v6 ? sizeof(struct in6_addr) : sizeof(__be32);

	if (v->v6) {
		KUNIT_ASSERT_EQ(test, in6_pton(v->src, -1, in, -1, NULL), 1);
		KUNIT_ASSERT_EQ(test, in6_pton(v->dst, -1, in + alen, -1, NULL), 1);
	} else {
		KUNIT_ASSERT_EQ(test, in4_pton(v->src, -1, in, -1, NULL), 1);
		KUNIT_ASSERT_EQ(test, in4_pton(v->dst, -1, in + alen, -1, NULL), 1);
	}
	put_unaligned_be16(v->sport, in + 2 * alen);
	put_unaligned_be16(v->dport, in + 2 * alen + 2);
	return 2 * alen;
}

/* Both columns of a row: without ports, and with them. */
static void vnic_rss_toeplitz_test(struct kunit *test)
{
	const struct vnic_t_ms_vec *v = test->param_value;
	u8 in[2 * sizeof(struct in6_addr) + 2 * sizeof(__be16)];
	u32 alen, hash;

	alen = vnic_rt_tuple(test, v, in);

	hash = vnic_card_rss_toeplitz(vnic_t_ms_key, in, alen);
	KUNIT_EXPECT_EQ_MSG(test, hash, v->hash_l3, "addresses only: 0x%08x, want 0x%08x",
			    hash, v->hash_l3);
	/* IPv6 with ports reads the key to its last byte. */
	hash = vnic_card_rss_toeplitz(vnic_t_ms_key, in, alen + 4);
	KUNIT_EXPECT_EQ_MSG(test, hash, v->hash_l4, "with ports: 0x%08x, want 0x%08x",
			    hash, v->hash_l4);
}

/*
 * The hash input laid out by hand, as bytes, for some rows: the same hash
 * as from the addresses and ports parsed from text.
 */
struct vnic_rt_bytes {
	const char *desc;
	u8 in[36];
	u32 len;
	unsigned int vec;	/* the row of vnic_t_ms_vecs */
};

static const struct vnic_rt_bytes vnic_rt_bytess[] = {
	{ "IPv4 66.9.149.187 -> 161.142.100.80",
	  { 66, 9, 149, 187, 161, 142, 100, 80 }, 8, VNIC_T_MS_V4_0 },
	{ "TCP/IPv4 66.9.149.187:2794 -> 161.142.100.80:1766",
	  { 66, 9, 149, 187, 161, 142, 100, 80, 0x0a, 0xea, 0x06, 0xe6 }, 12, VNIC_T_MS_V4_0 },
	{ "TCP/IPv4 199.92.111.2:14230 -> 65.69.140.83:4739",
	  { 199, 92, 111, 2, 65, 69, 140, 83, 0x37, 0x96, 0x12, 0x83 }, 12, VNIC_T_MS_V4_1 },
	{ "TCP/IPv6 3ffe:2501:200:1fff::7:2794 -> 3ffe:2501:200:3::1:1766",
	  { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x1f, 0xff, 0, 0, 0, 0, 0, 0, 0, 0x07,
	    0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0, 0x01,
	    0x0a, 0xea, 0x06, 0xe6 }, 36, VNIC_T_MS_V6_0 },
};

KUNIT_ARRAY_PARAM_DESC(vnic_rt_bytes, vnic_rt_bytess, desc);

static void vnic_rss_toeplitz_bytes_test(struct kunit *test)
{
	const struct vnic_rt_bytes *b = test->param_value;
	const struct vnic_t_ms_vec *v = &vnic_t_ms_vecs[b->vec];
	bool ports = b->len == 12 || b->len == 36;

	KUNIT_EXPECT_EQ(test, vnic_card_rss_toeplitz(vnic_t_ms_key, b->in, b->len),
			ports ? v->hash_l4 : v->hash_l3);
}

/* ---- A card with two RX queues on port 1 ---- */

static int vnic_rss_test_init(struct kunit *test)
{
	struct vnic_t *t = vnic_t_new(test, VNIC_RT_QUEUES);
	unsigned int q;

	for (q = 0; q < VNIC_RT_QUEUES; q++)
		vnic_t_rxq_start(t, q, VNIC_RT_BUF);
	vnic_t_rss_key(t, 1, 0, vnic_t_ms_key);
	vnic_t_wr(t, 1, VNIC_REG_RSS_CTRL, VNIC_RSS_CTRL_EN);
	return 0;
}

/* Every entry of the table names @rest, except entry @bucket, which names @q. */
static void vnic_rt_indir(struct vnic_t *t, u32 bucket, u8 q, u8 rest)
{
	u8 indir[VNIC_RSS_INDIR_SIZE];

	memset(indir, rest, sizeof(indir));
	indir[bucket] = q;
	vnic_t_rss_indir(t, 1, 0, indir);
}

/* What the L4 header of a test frame is. */
enum vnic_rt_l4 {
	VNIC_RT_TCP,
	VNIC_RT_UDP,
	VNIC_RT_NO_PORTS,	/* ICMP or ICMPv6: the addresses alone are hashed */
};

/* A frame to port 1 carrying @v's addresses and ports. Return: its length. */
static u32 vnic_rt_build(struct vnic_t *t, const struct vnic_t_ms_vec *v,
			 enum vnic_rt_l4 l4, u8 *frame)
{
	u8 in[2 * sizeof(struct in6_addr) + 2 * sizeof(__be16)];
	u32 alen, off, l4len;
	u8 proto;

	alen = vnic_rt_tuple(t->test, v, in);
	switch (l4) {
	case VNIC_RT_TCP:
		proto = IPPROTO_TCP;
		l4len = sizeof(struct tcphdr);
		break;
	case VNIC_RT_UDP:
		proto = IPPROTO_UDP;
		l4len = sizeof(struct udphdr);
		break;
	default:
		proto = v->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
		l4len = 8;
		break;
	}
	l4len += VNIC_RT_PAYLOAD;

	memset(frame, 0, VNIC_RT_BUF);
	vnic_t_mac(t, 1, frame);
	eth_random_addr(frame + ETH_ALEN);
	off = ETH_HLEN;
	if (v->v6) {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(frame + off);

		put_unaligned_be16(ETH_P_IPV6, frame + 2 * ETH_ALEN);
		ip6->version = 6;
		ip6->payload_len = htons(l4len);
		ip6->nexthdr = proto;
		ip6->hop_limit = 64;
		memcpy(&ip6->saddr, in, 2 * alen);
		off += sizeof(*ip6);
	} else {
		struct iphdr *iph = (struct iphdr *)(frame + off);

		put_unaligned_be16(ETH_P_IP, frame + 2 * ETH_ALEN);
		vnic_t_ip4_hdr(iph, l4len, proto);
		memcpy(&iph->saddr, in, 2 * alen);
		off += sizeof(*iph);
	}
	if (l4 == VNIC_RT_TCP) {
		struct tcphdr *th = (struct tcphdr *)(frame + off);

		th->source = htons(v->sport);
		th->dest = htons(v->dport);
		th->doff = sizeof(*th) / 4;
	} else if (l4 == VNIC_RT_UDP) {
		struct udphdr *uh = (struct udphdr *)(frame + off);

		uh->source = htons(v->sport);
		uh->dest = htons(v->dport);
		uh->len = htons(l4len);
	}
	return max_t(u32, off + l4len, VNIC_HW_MIN_FRAME);
}

/*
 * Receive @frame; it must land on queue @q, and only there, reported with
 * @hash of @type.
 */
static void vnic_rt_expect(struct vnic_t *t, const u8 *frame, u32 len, unsigned int q,
			   u32 hash, u8 type)
{
	struct kunit *test = t->test;
	u64 word, hword;
	u32 slot;

	slot = vnic_t_rx_one(t, frame, len, q, VNIC_RT_QUEUES, &word, &hword);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_STATUS, word), VNIC_STATUS_OK);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_LEN, word), len);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_BUF, word), slot);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_HASH_TYPE, word), type);
	KUNIT_EXPECT_EQ_MSG(test, FIELD_GET(VNIC_RCQ_HASH_VAL, hword), hash,
			    "reported 0x%08llx, want 0x%08x",
			    FIELD_GET(VNIC_RCQ_HASH_VAL, hword), hash);
	KUNIT_EXPECT_MEMEQ(test, t->rxq[q].buf + slot * VNIC_T_BUF, frame, len);
}

/*
 * The card picks the RX queue from the indirection table at (hash % 128):
 * with only that bucket naming queue 1 the frame goes to queue 1; with
 * only that bucket naming queue 0 it goes to queue 0; and a bucket naming
 * a queue the port lacks sends it to queue 0. For TCP and UDP the ports
 * are hashed, for ICMP only the addresses.
 */
static void vnic_rss_steer_test(struct kunit *test)
{
	static const enum vnic_rt_l4 kinds[] = { VNIC_RT_TCP, VNIC_RT_UDP, VNIC_RT_NO_PORTS };
	static const char * const names[] = {
		[VNIC_RT_TCP] = "TCP", [VNIC_RT_UDP] = "UDP", [VNIC_RT_NO_PORTS] = "ICMP",
	};
	const struct vnic_t_ms_vec *v = test->param_value;
	struct vnic_t *t = test->priv;
	u8 frame[VNIC_RT_BUF];
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		bool ports = kinds[k] != VNIC_RT_NO_PORTS;
		u32 hash = ports ? v->hash_l4 : v->hash_l3;
		u8 type = ports ? VNIC_RCQ_HASH_L4 : VNIC_RCQ_HASH_L3;
		u32 bucket = hash % VNIC_RSS_INDIR_SIZE;
		u32 len;

		kunit_info(test, "%s: hash 0x%08x, bucket %u\n", names[kinds[k]], hash, bucket);
		len = vnic_rt_build(t, v, kinds[k], frame);

		vnic_rt_indir(t, bucket, 1, 0);
		vnic_rt_expect(t, frame, len, 1, hash, type);
		vnic_rt_indir(t, bucket, 0, 1);
		vnic_rt_expect(t, frame, len, 0, hash, type);
		vnic_rt_indir(t, bucket, VNIC_RT_NO_QUEUE, 1);
		vnic_rt_expect(t, frame, len, 0, hash, type);
	}
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_STAT_RX_FRAMES), 3 * ARRAY_SIZE(kinds));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_STAT_RX_MISSED), 0);
}

VNIC_T_SUITE(vnic_rss_test, "vnic-rss", vnic_rss_test_init,
	     KUNIT_CASE_PARAM(vnic_rss_toeplitz_test, vnic_t_ms_vec_gen_params),
	     KUNIT_CASE_PARAM(vnic_rss_toeplitz_bytes_test, vnic_rt_bytes_gen_params),
	     KUNIT_CASE_PARAM(vnic_rss_steer_test, vnic_t_ms_vec_gen_params));
