// SPDX-License-Identifier: GPL-2.0
/*
 * vnic-rss: the card's receive side scaling. vnic_rss_toeplitz() is checked
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

#include "../driver/card/vnic_card_priv.h"
#include "vnic_test_util.h"

#define VNIC_RT_QUEUES		2
#define VNIC_RT_RING		VNIC_HW_RING_MIN
#define VNIC_RT_BUF		256	/* bytes per RX buffer */
#define VNIC_RT_PAYLOAD		16	/* bytes after the L4 header */
#define VNIC_RT_NO_QUEUE	5	/* a queue the port does not have */

/* Distinct from the other suites' card numbers, so debugfs names differ. */
static atomic_t vnic_rt_ids = ATOMIC_INIT(0x300);

/* Microsoft's key; also the default of several Linux drivers (hns3, netxen). */
static const u8 vnic_rt_key[VNIC_RSS_KEY_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
	0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
	0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
	0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

/**
 * struct vnic_rt_vec - one row of the published table
 * @desc: the row, as KUnit names the case
 * @v6: addresses are IPv6
 * @src: source address, text
 * @sport: source port
 * @dst: destination address, text
 * @dport: destination port
 * @hash_l3: the hash over the addresses alone ("IPv4"/"IPv6" column)
 * @hash_l4: the hash over addresses and ports ("with TCP" column)
 */
struct vnic_rt_vec {
	const char *desc;
	bool v6;
	const char *src;
	u16 sport;
	const char *dst;
	u16 dport;
	u32 hash_l3;
	u32 hash_l4;
};

static const struct vnic_rt_vec vnic_rt_vecs[] = {
	{ "IPv4 66.9.149.187:2794 -> 161.142.100.80:1766", false,
	  "66.9.149.187", 2794, "161.142.100.80", 1766, 0x323e8fc2, 0x51ccc178 },
	{ "IPv4 199.92.111.2:14230 -> 65.69.140.83:4739", false,
	  "199.92.111.2", 14230, "65.69.140.83", 4739, 0xd718262a, 0xc626b0ea },
	{ "IPv4 24.19.198.95:12898 -> 12.22.207.184:38024", false,
	  "24.19.198.95", 12898, "12.22.207.184", 38024, 0xd2d0a5de, 0x5c2b394a },
	{ "IPv4 38.27.205.30:48228 -> 209.142.163.6:2217", false,
	  "38.27.205.30", 48228, "209.142.163.6", 2217, 0x82989176, 0xafc7327f },
	{ "IPv4 153.39.163.191:44251 -> 202.188.127.2:1303", false,
	  "153.39.163.191", 44251, "202.188.127.2", 1303, 0x5d1809c5, 0x10e828a2 },
	{ "IPv6 [3ffe:2501:200:1fff::7]:2794 -> [3ffe:2501:200:3::1]:1766", true,
	  "3ffe:2501:200:1fff::7", 2794, "3ffe:2501:200:3::1", 1766,
	  0x2cc18cd5, 0x40207d3d },
	{ "IPv6 [3ffe:501:8::260:97ff:fe40:efab]:14230 -> [ff02::1]:4739", true,
	  "3ffe:501:8::260:97ff:fe40:efab", 14230, "ff02::1", 4739,
	  0x0f0c461c, 0xdde51bbf },
	{ "IPv6 [3ffe:1900:4545:3:200:f8ff:fe21:67cf]:44251 -> [fe80::200:f8ff:fe21:67cf]:38024",
	  true, "3ffe:1900:4545:3:200:f8ff:fe21:67cf", 44251,
	  "fe80::200:f8ff:fe21:67cf", 38024, 0x4b61e985, 0x02d1feef },
};

KUNIT_ARRAY_PARAM_DESC(vnic_rt_vec, vnic_rt_vecs, desc);

/*
 * The hash input as the card lays it out: source address, destination
 * address, then source and destination port. Return: bytes of addresses.
 */
static u32 vnic_rt_tuple(struct kunit *test, const struct vnic_rt_vec *v, u8 *in)
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
	const struct vnic_rt_vec *v = test->param_value;
	u8 in[2 * sizeof(struct in6_addr) + 2 * sizeof(__be16)];
	u32 alen, hash;

	alen = vnic_rt_tuple(test, v, in);

	hash = vnic_rss_toeplitz(vnic_rt_key, in, alen);
	KUNIT_EXPECT_EQ_MSG(test, hash, v->hash_l3, "addresses only: 0x%08x, want 0x%08x",
			    hash, v->hash_l3);
	/* IPv6 with ports reads the key to its last byte. */
	hash = vnic_rss_toeplitz(vnic_rt_key, in, alen + 4);
	KUNIT_EXPECT_EQ_MSG(test, hash, v->hash_l4, "with ports: 0x%08x, want 0x%08x",
			    hash, v->hash_l4);
}

/* ---- A card with two RX queues on port 1 ---- */

struct vnic_rt_rxq {
	struct vnic_rx_desc *rbr;
	dma_addr_t rbr_dma;
	struct vnic_rx_cmpl *rcq;
	dma_addr_t rcq_dma;
	u8 *buf;
	dma_addr_t buf_dma;
	u32 cidx;	/* next RCQ entry to read; all on the first lap */
};

struct vnic_rt {
	struct kunit *test;
	struct device *dev;
	struct vnic_card *card;
	struct vnic_port *port;		/* port 1, the receiver */
	struct vnic_bar *bar;
	struct vnic_rt_rxq rxq[VNIC_RT_QUEUES];
};

static void *vnic_rt_alloc(struct vnic_rt *rt, size_t size, dma_addr_t *dma)
{
	return vnic_kunit_dma_alloc(rt->test, rt->dev, size, dma);
}

static void vnic_rt_wr(struct vnic_rt *rt, u32 off, u32 val)
{
	vnic_bar_write32(rt->bar, off, val);
}

static u32 vnic_rt_rd(struct vnic_rt *rt, u32 off)
{
	return vnic_bar_read32(rt->bar, off);
}

/* Program queue @q's RBR and RCQ, enable it and post all but one buffer. */
static void vnic_rt_rxq_start(struct vnic_rt *rt, unsigned int q)
{
	struct vnic_rt_rxq *rxq = &rt->rxq[q];
	u32 i;

	rxq->rbr = vnic_rt_alloc(rt, VNIC_RT_RING * sizeof(*rxq->rbr), &rxq->rbr_dma);
	rxq->rcq = vnic_rt_alloc(rt, VNIC_RT_RING * sizeof(*rxq->rcq), &rxq->rcq_dma);
	rxq->buf = vnic_rt_alloc(rt, VNIC_RT_RING * VNIC_RT_BUF, &rxq->buf_dma);

	vnic_rt_wr(rt, VNIC_REG_Q(q, VNIC_Q_RBR_BASE_LO), lower_32_bits(rxq->rbr_dma));
	vnic_rt_wr(rt, VNIC_REG_Q(q, VNIC_Q_RBR_BASE_HI), upper_32_bits(rxq->rbr_dma));
	vnic_rt_wr(rt, VNIC_REG_Q(q, VNIC_Q_RCQ_BASE_LO), lower_32_bits(rxq->rcq_dma));
	vnic_rt_wr(rt, VNIC_REG_Q(q, VNIC_Q_RCQ_BASE_HI), upper_32_bits(rxq->rcq_dma));
	vnic_rt_wr(rt, VNIC_REG_Q(q, VNIC_Q_RBR_SIZE), VNIC_RT_RING);
	vnic_rt_wr(rt, VNIC_REG_Q(q, VNIC_Q_RX_BUF_SIZE), VNIC_RT_BUF);
	vnic_rt_wr(rt, VNIC_REG_Q(q, VNIC_Q_RBR_TAIL), 0);
	vnic_rt_wr(rt, VNIC_REG_Q(q, VNIC_Q_CTRL), VNIC_Q_CTRL_RX_EN);
	KUNIT_ASSERT_EQ(rt->test, vnic_rt_rd(rt, VNIC_REG_Q(q, VNIC_Q_STATUS)),
			VNIC_Q_STATUS_RX_EN);

	for (i = 0; i < VNIC_RT_RING - 1; i++)
		rxq->rbr[i].addr = cpu_to_le64(rxq->buf_dma + i * VNIC_RT_BUF);
	dma_wmb();
	vnic_rt_wr(rt, VNIC_REG_Q(q, VNIC_Q_RBR_TAIL), VNIC_RT_RING - 1);
}

static int vnic_rss_test_init(struct kunit *test)
{
	struct vnic_card_config cfg = {
		.id = atomic_inc_return(&vnic_rt_ids),
		.num_queues = VNIC_RT_QUEUES,
	};
	struct vnic_rt *rt;
	unsigned int q, i;

	rt = kunit_kzalloc(test, sizeof(*rt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rt);
	rt->test = test;
	rt->dev = kunit_device_register(test, "vnic-rss-test");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, rt->dev);

	rt->card = vnic_card_create(&cfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, rt->card);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vnic_kunit_card_destroy, rt->card),
			0);
	rt->port = &rt->card->port[1];
	rt->bar = vnic_card_bar(rt->card, 1);
	KUNIT_ASSERT_NOT_NULL(test, rt->bar);

	for (q = 0; q < VNIC_RT_QUEUES; q++)
		vnic_rt_rxq_start(rt, q);
	/* The key goes in through the registers: byte 0 in bits 7:0 of word 0. */
	for (i = 0; i < VNIC_RSS_KEY_SIZE / 4; i++)
		vnic_rt_wr(rt, VNIC_REG_RSS_KEY(i), get_unaligned_le32(vnic_rt_key + i * 4));
	vnic_rt_wr(rt, VNIC_REG_RSS_CTRL, VNIC_RSS_CTRL_EN);
	test->priv = rt;
	return 0;
}

/* Every entry of the table names @rest, except entry @bucket, which names @q. */
static void vnic_rt_indir(struct vnic_rt *rt, u32 bucket, u8 q, u8 rest)
{
	u8 indir[VNIC_RSS_INDIR_SIZE];
	u32 i;

	memset(indir, rest, sizeof(indir));
	indir[bucket] = q;
	for (i = 0; i < VNIC_RSS_INDIR_SIZE / 4; i++)
		vnic_rt_wr(rt, VNIC_REG_RSS_INDIR(i), get_unaligned_le32(indir + i * 4));
}

/* What the L4 header of a test frame is. */
enum vnic_rt_l4 {
	VNIC_RT_TCP,
	VNIC_RT_UDP,
	VNIC_RT_NO_PORTS,	/* ICMP or ICMPv6: the addresses alone are hashed */
};

/* A frame to port 1 carrying @v's addresses and ports. Return: its length. */
static u32 vnic_rt_build(struct vnic_rt *rt, const struct vnic_rt_vec *v,
			 enum vnic_rt_l4 l4, u8 *frame)
{
	u8 in[2 * sizeof(struct in6_addr) + 2 * sizeof(__be16)];
	u32 alen, off, l4len;
	u8 proto;

	alen = vnic_rt_tuple(rt->test, v, in);
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
	put_unaligned_le32(vnic_rt_rd(rt, VNIC_REG_MAC_LO), frame);
	put_unaligned_le16(vnic_rt_rd(rt, VNIC_REG_MAC_HI), frame + 4);
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
		iph->version = 4;
		iph->ihl = 5;
		iph->tot_len = htons(sizeof(*iph) + l4len);
		iph->ttl = 64;
		iph->protocol = proto;
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
static void vnic_rt_expect(struct vnic_rt *rt, const u8 *frame, u32 len, unsigned int q,
			   u32 hash, u8 type)
{
	struct kunit *test = rt->test;
	struct vnic_rt_rxq *rxq = &rt->rxq[q];
	u32 head[VNIC_RT_QUEUES], i;
	u64 word, hword;

	for (i = 0; i < VNIC_RT_QUEUES; i++)
		head[i] = vnic_rt_rd(rt, VNIC_REG_Q(i, VNIC_Q_RBR_HEAD));
	/* Synchronous: the completion is written when this returns. */
	vnic_port_receive(rt->port, frame, len);
	for (i = 0; i < VNIC_RT_QUEUES; i++)
		KUNIT_EXPECT_EQ_MSG(test, vnic_rt_rd(rt, VNIC_REG_Q(i, VNIC_Q_RBR_HEAD)),
				    head[i] + (i == q), "RBR_HEAD of queue %u", i);

	KUNIT_ASSERT_LT(test, rxq->cidx, VNIC_RT_RING - 1);
	word = le64_to_cpu(READ_ONCE(rxq->rcq[rxq->cidx].word));
	KUNIT_ASSERT_TRUE_MSG(test, word & VNIC_RCQ_DONE, "no completion on queue %u", q);
	dma_rmb();
	hword = le64_to_cpu(READ_ONCE(rxq->rcq[rxq->cidx].hash));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_STATUS, word), VNIC_STATUS_OK);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_LEN, word), len);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_BUF, word), rxq->cidx);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_HASH_TYPE, word), type);
	KUNIT_EXPECT_EQ_MSG(test, FIELD_GET(VNIC_RCQ_HASH_VAL, hword), hash,
			    "reported 0x%08llx, want 0x%08x",
			    FIELD_GET(VNIC_RCQ_HASH_VAL, hword), hash);
	KUNIT_EXPECT_MEMEQ(test, rxq->buf + rxq->cidx * VNIC_RT_BUF, frame, len);
	rxq->cidx++;
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
	const struct vnic_rt_vec *v = test->param_value;
	struct vnic_rt *rt = test->priv;
	u8 frame[VNIC_RT_BUF];
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		bool ports = kinds[k] != VNIC_RT_NO_PORTS;
		u32 hash = ports ? v->hash_l4 : v->hash_l3;
		u8 type = ports ? VNIC_RCQ_HASH_L4 : VNIC_RCQ_HASH_L3;
		u32 bucket = hash % VNIC_RSS_INDIR_SIZE;
		u32 len;

		kunit_info(test, "%s: hash 0x%08x, bucket %u\n", names[kinds[k]], hash, bucket);
		len = vnic_rt_build(rt, v, kinds[k], frame);

		vnic_rt_indir(rt, bucket, 1, 0);
		vnic_rt_expect(rt, frame, len, 1, hash, type);
		vnic_rt_indir(rt, bucket, 0, 1);
		vnic_rt_expect(rt, frame, len, 0, hash, type);
		vnic_rt_indir(rt, bucket, VNIC_RT_NO_QUEUE, 1);
		vnic_rt_expect(rt, frame, len, 0, hash, type);
	}
	KUNIT_EXPECT_EQ(test, vnic_rt_rd(rt, VNIC_REG_STAT_RX_FRAMES), 3 * ARRAY_SIZE(kinds));
	KUNIT_EXPECT_EQ(test, vnic_rt_rd(rt, VNIC_REG_STAT_RX_MISSED), 0);
}

static struct kunit_case vnic_rss_test_cases[] = {
	KUNIT_CASE_PARAM(vnic_rss_toeplitz_test, vnic_rt_vec_gen_params),
	KUNIT_CASE_PARAM(vnic_rss_steer_test, vnic_rt_vec_gen_params),
	{}
};

static struct kunit_suite vnic_rss_test_suite = {
	.name = "vnic-rss",
	.init = vnic_rss_test_init,
	.test_cases = vnic_rss_test_cases,
};

kunit_test_suite(vnic_rss_test_suite);
