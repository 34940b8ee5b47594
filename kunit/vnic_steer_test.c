// SPDX-License-Identifier: GPL-2.0
/*
 * vnic-steer: the card's flow steering. Rules go into a card's rule table
 * through BAR0, staged and committed with RULE_CMD as a driver writes
 * them, and vnic_card_steer_find() is asked whether a flow matches: exact and
 * masked addresses and ports, IPv4 and IPv6, each flow type only its own.
 * Then frames are received by a port with four RX queues: a rule sends
 * its flow to its queue; a rule into an RSS context hashes with that
 * context's key and table and adds its queue; the lowest slot wins; a
 * frame no rule takes goes by the main RSS, as every frame does with
 * STEER_CTRL off or after CTRL.RESET.
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
#include <linux/udp.h>
#include <linux/unaligned.h>

#include "vnic_test_util.h"

#define VNIC_ST_QUEUES		4
#define VNIC_ST_BUF		256

/**
 * struct vnic_st_rule - a rule as text, with its masks
 * @type: VNIC_RULE_*
 * @sip: source address ("" for any)
 * @sip_mask: source address mask
 * @dip: destination address ("" for any)
 * @dip_mask: destination address mask
 * @ports: RULE_PORTS
 * @ports_mask: RULE_PORTS_MASK
 */
struct vnic_st_rule {
	u8 type;
	const char *sip;
	const char *sip_mask;
	const char *dip;
	const char *dip_mask;
	u32 ports;
	u32 ports_mask;
};

/**
 * struct vnic_st_match - one row: a rule, a flow, and whether it matches
 * @desc: the row, as KUnit names the case
 * @rule: the rule
 * @type: the flow's VNIC_RULE_*
 * @src: its source address
 * @dst: its destination address
 * @sport: its source port
 * @dport: its destination port
 * @match: the rule takes the flow
 */
struct vnic_st_match {
	const char *desc;
	struct vnic_st_rule rule;
	u8 type;
	const char *src;
	const char *dst;
	u16 sport;
	u16 dport;
	bool match;
};

/* RULE_PORTS: source port in 15:0, destination port in 31:16 (constant, for tables). */
#define PORTS(s, d)	((u32)(s) | (u32)(d) << 16)
#define V4_ALL		"255.255.255.255"
#define V6_ALL		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"

/* The rules more than one row has. */
#define ST_TCP4_TO_5001	{ VNIC_RULE_TCP4, "", "", "", "", PORTS(0, 5001), PORTS(0, 0xffff) }
#define ST_UDP4_EXACT	{ VNIC_RULE_UDP4, "198.18.0.2", V4_ALL, "198.18.0.1", V4_ALL, \
			  PORTS(40000, 53), PORTS(0xffff, 0xffff) }
#define ST_UDP4_SRC_24	{ VNIC_RULE_UDP4, "198.18.0.0", "255.255.255.0", "", "", 0, 0 }
#define ST_TCP4_FROM_17XX	{ VNIC_RULE_TCP4, "", "", "", "", PORTS(0x1700, 0), \
				  PORTS(0xff00, 0) }
#define ST_TCP6_SRC_32	{ VNIC_RULE_TCP6, "2001:db8::", "ffff:ffff::", "", "", 0, 0 }

static const struct vnic_st_match vnic_st_matches[] = {
	{ "tcp4 dst-port 5001: taken", ST_TCP4_TO_5001, VNIC_RULE_TCP4, "198.18.0.2",
	  "198.18.0.1", 40000, 5001, true },
	{ "tcp4 dst-port 5001: port 5002 is not", ST_TCP4_TO_5001, VNIC_RULE_TCP4,
	  "198.18.0.2", "198.18.0.1", 40000, 5002, false },
	{ "tcp4 dst-port 5001: udp4 to 5001 is not", ST_TCP4_TO_5001, VNIC_RULE_UDP4,
	  "198.18.0.2", "198.18.0.1", 40000, 5001, false },
	{ "udp4 exact 4-tuple: taken", ST_UDP4_EXACT, VNIC_RULE_UDP4, "198.18.0.2",
	  "198.18.0.1", 40000, 53, true },
	{ "udp4 exact 4-tuple: another source port is not", ST_UDP4_EXACT, VNIC_RULE_UDP4,
	  "198.18.0.2", "198.18.0.1", 40001, 53, false },
	{ "udp4 exact 4-tuple: another source address is not", ST_UDP4_EXACT,
	  VNIC_RULE_UDP4, "198.18.0.3", "198.18.0.1", 40000, 53, false },
	{ "udp4 src 198.18.0.0/24: 198.18.0.77 taken", ST_UDP4_SRC_24, VNIC_RULE_UDP4,
	  "198.18.0.77", "198.18.0.1", 1, 2, true },
	{ "udp4 src 198.18.0.0/24: 198.18.1.77 is not", ST_UDP4_SRC_24, VNIC_RULE_UDP4,
	  "198.18.1.77", "198.18.0.1", 1, 2, false },
	{ "tcp4 src-port 0x1700/8: 0x17ab taken", ST_TCP4_FROM_17XX, VNIC_RULE_TCP4,
	  "198.18.0.2", "198.18.0.1", 0x17ab, 80, true },
	{ "tcp4 src-port 0x1700/8: 0x18ab is not", ST_TCP4_FROM_17XX, VNIC_RULE_TCP4,
	  "198.18.0.2", "198.18.0.1", 0x18ab, 80, false },
	{ "udp6 dst 2001:db8::1 port 5004: taken", { VNIC_RULE_UDP6, "", "", "2001:db8::1",
	  V6_ALL, PORTS(0, 5004), PORTS(0, 0xffff) }, VNIC_RULE_UDP6, "2001:db8::2",
	  "2001:db8::1", 40000, 5004, true },
	{ "udp6 dst 2001:db8::1: 2001:db8::1:1 (other last word) is not", { VNIC_RULE_UDP6,
	  "", "", "2001:db8::1", V6_ALL, 0, 0 }, VNIC_RULE_UDP6, "2001:db8::2",
	  "2001:db8::1:1", 1, 2, false },
	{ "udp6 rule: udp4 with the same ports is not", { VNIC_RULE_UDP6, "", "", "", "",
	  PORTS(0, 5004), PORTS(0, 0xffff) }, VNIC_RULE_UDP4, "198.18.0.2", "198.18.0.1",
	  40000, 5004, false },
	{ "tcp6 src 2001:db8::/32: taken", ST_TCP6_SRC_32, VNIC_RULE_TCP6, "2001:db8:5::2",
	  "2001:db8::1", 1, 2, true },
	{ "tcp6 src 2001:db8::/32: 2001:db9::2 is not", ST_TCP6_SRC_32, VNIC_RULE_TCP6,
	  "2001:db9::2", "2001:db8::1", 1, 2, false },
};

KUNIT_ARRAY_PARAM_DESC(vnic_st_match, vnic_st_matches, desc);

static void vnic_st_wr(struct vnic_t *t, u32 off, u32 val)
{
	vnic_t_wr(t, 1, off, val);
}

static u32 vnic_st_rd(struct vnic_t *t, u32 off)
{
	return vnic_t_rd(t, 1, off);
}

/* An address as text into @addr (16 bytes, zeroed first); "" is all zeros. */
static void vnic_st_addr(struct kunit *test, const char *s, u8 *addr)
{
	memset(addr, 0, 16);
	if (!*s)
		return;
	if (strchr(s, ':'))
		KUNIT_ASSERT_EQ(test, in6_pton(s, -1, addr, -1, NULL), 1);
	else
		KUNIT_ASSERT_EQ(test, in4_pton(s, -1, addr, -1, NULL), 1);
}

/* Stage @r with action @act and commit it into @slot, as a driver does. */
static void vnic_st_write_rule(struct vnic_t *st, u32 slot, const struct vnic_st_rule *r,
			       u32 act)
{
	u8 sip[16], sipm[16], dip[16], dipm[16];
	u32 i;

	vnic_st_addr(st->test, r->sip, sip);
	vnic_st_addr(st->test, r->sip_mask, sipm);
	vnic_st_addr(st->test, r->dip, dip);
	vnic_st_addr(st->test, r->dip_mask, dipm);
	vnic_st_wr(st, VNIC_REG_RULE_FLOW, FIELD_PREP(VNIC_RULE_FLOW_TYPE, r->type));
	for (i = 0; i < 4; i++) {
		vnic_st_wr(st, VNIC_REG_RULE_SIP(i), get_unaligned_le32(sip + i * 4));
		vnic_st_wr(st, VNIC_REG_RULE_SIP_MASK(i), get_unaligned_le32(sipm + i * 4));
		vnic_st_wr(st, VNIC_REG_RULE_DIP(i), get_unaligned_le32(dip + i * 4));
		vnic_st_wr(st, VNIC_REG_RULE_DIP_MASK(i), get_unaligned_le32(dipm + i * 4));
	}
	vnic_st_wr(st, VNIC_REG_RULE_PORTS, r->ports);
	vnic_st_wr(st, VNIC_REG_RULE_PORTS_MASK, r->ports_mask);
	vnic_st_wr(st, VNIC_REG_RULE_ACT, act);
	vnic_st_wr(st, VNIC_REG_RULE_CMD, FIELD_PREP(VNIC_RULE_CMD_SLOT, slot) |
		   FIELD_PREP(VNIC_RULE_CMD_OP, VNIC_RULE_OP_WRITE));
}

static void vnic_st_clear_rule(struct vnic_t *st, u32 slot)
{
	vnic_st_wr(st, VNIC_REG_RULE_CMD, FIELD_PREP(VNIC_RULE_CMD_SLOT, slot) |
		   FIELD_PREP(VNIC_RULE_CMD_OP, VNIC_RULE_OP_CLEAR));
}

static int vnic_steer_test_init(struct kunit *test)
{
	vnic_t_new(test, VNIC_ST_QUEUES);
	return 0;
}

/* Each row: the rule in slot 5, alone; the flow matches or it does not. */
static void vnic_steer_match_test(struct kunit *test)
{
	const struct vnic_st_match *m = test->param_value;
	struct vnic_t *st = test->priv;
	struct vnic_steer_flow fl = {
		.type = m->type,
		.alen = m->type == VNIC_RULE_TCP6 || m->type == VNIC_RULE_UDP6 ? 16 : 4,
		.ports = PORTS(m->sport, m->dport),
	};
	u8 addrs[32], buf[16];
	u32 act = 0;

	vnic_st_addr(test, m->src, buf);
	memcpy(addrs, buf, fl.alen);
	vnic_st_addr(test, m->dst, buf);
	memcpy(addrs + fl.alen, buf, fl.alen);
	fl.addrs = addrs;

	vnic_st_write_rule(st, 5, &m->rule, FIELD_PREP(VNIC_RULE_ACT_QUEUE, 3));
	KUNIT_EXPECT_EQ(test, vnic_card_steer_find(st->card->port[1].steer, &fl, &act), m->match);
	if (m->match)
		KUNIT_EXPECT_EQ(test, act, FIELD_PREP(VNIC_RULE_ACT_QUEUE, 3));
	vnic_st_clear_rule(st, 5);
	KUNIT_EXPECT_FALSE(test, vnic_card_steer_find(st->card->port[1].steer, &fl, &act));
}

/* READ loads a slot back into staging; the capabilities are as documented. */
static void vnic_steer_regs_test(struct kunit *test)
{
	static const struct vnic_st_rule r = { VNIC_RULE_UDP6, "2001:db8::2", V6_ALL, "", "",
					       PORTS(1, 2), PORTS(0xffff, 0xffff) };
	struct vnic_t *st = test->priv;
	u32 caps = vnic_st_rd(st, VNIC_REG_STEER_CAPS);

	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_STEER_CAPS_RULES, caps), VNIC_STEER_RULES);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_STEER_CAPS_CTXS, caps), VNIC_STEER_CTXS);

	vnic_st_write_rule(st, VNIC_STEER_RULES - 1, &r, VNIC_RULE_ACT_RSS | 0x0701);
	/* Overwrite staging, then read the slot back. */
	vnic_st_wr(st, VNIC_REG_RULE_PORTS, 0);
	vnic_st_wr(st, VNIC_REG_RULE_ACT, 0);
	vnic_st_wr(st, VNIC_REG_RULE_CMD, FIELD_PREP(VNIC_RULE_CMD_SLOT, VNIC_STEER_RULES - 1) |
		   FIELD_PREP(VNIC_RULE_CMD_OP, VNIC_RULE_OP_READ));
	KUNIT_EXPECT_EQ(test, vnic_st_rd(st, VNIC_REG_RULE_PORTS), PORTS(1, 2));
	KUNIT_EXPECT_EQ(test, vnic_st_rd(st, VNIC_REG_RULE_ACT), VNIC_RULE_ACT_RSS | 0x0701);
	KUNIT_EXPECT_EQ(test, vnic_st_rd(st, VNIC_REG_RULE_FLOW), VNIC_RULE_UDP6);
	KUNIT_EXPECT_EQ(test, st->card->port[1].steer->nr_slots, VNIC_STEER_RULES);
	vnic_st_clear_rule(st, VNIC_STEER_RULES - 1);
	KUNIT_EXPECT_EQ(test, st->card->port[1].steer->nr_slots, 0);

	/* A context's key and table read back; context 0 has none here. */
	vnic_st_wr(st, VNIC_REG_RSS_CTX_KEY(VNIC_STEER_CTXS, 9), 0x11223344);
	vnic_st_wr(st, VNIC_REG_RSS_CTX_INDIR(1, 31), 0x03020100);
	KUNIT_EXPECT_EQ(test, vnic_st_rd(st, VNIC_REG_RSS_CTX_KEY(VNIC_STEER_CTXS, 9)),
			0x11223344);
	KUNIT_EXPECT_EQ(test, st->card->port[1].steer->ctx[0].indir[127], 3);
	KUNIT_EXPECT_EQ(test, vnic_st_rd(st, VNIC_REG_RSS_CTX(1) + 0xfc), 0);
}

/* A UDP/IPv4 frame from 198.18.0.2:@sport to 198.18.0.1:@dport, to port 1. */
static u32 vnic_st_frame(struct vnic_t *st, u16 sport, u16 dport, u8 *frame)
{
	struct iphdr *iph = (struct iphdr *)(frame + ETH_HLEN);
	struct udphdr *uh = (struct udphdr *)(iph + 1);
	u32 l4len = sizeof(*uh) + 16;

	memset(frame, 0, VNIC_ST_BUF);
	vnic_t_mac(st, 1, frame);
	eth_random_addr(frame + ETH_ALEN);
	put_unaligned_be16(ETH_P_IP, frame + 2 * ETH_ALEN);
	vnic_t_ip4_hdr(iph, l4len, IPPROTO_UDP);
	KUNIT_ASSERT_EQ(st->test, in4_pton("198.18.0.2", -1, (u8 *)&iph->saddr, -1, NULL), 1);
	KUNIT_ASSERT_EQ(st->test, in4_pton("198.18.0.1", -1, (u8 *)&iph->daddr, -1, NULL), 1);
	uh->source = htons(sport);
	uh->dest = htons(dport);
	uh->len = htons(l4len);
	return max_t(u32, ETH_HLEN + sizeof(*iph) + l4len, VNIC_HW_MIN_FRAME);
}

/* The hash the card reports for a vnic_st_frame() under @key. */
static u32 vnic_st_hash(const u8 *frame, const u8 *key)
{
	u8 in[12];

	memcpy(in, frame + ETH_HLEN + offsetof(struct iphdr, saddr), 8);
	memcpy(in + 8, frame + ETH_HLEN + sizeof(struct iphdr), 4);
	return vnic_card_rss_toeplitz(key, in, sizeof(in));
}

/* Receive the frame: it must land on queue @q, with @hash reported. */
static void vnic_st_expect(struct vnic_t *st, u16 sport, u16 dport, unsigned int q,
			   const u8 *key)
{
	u8 frame[VNIC_ST_BUF];
	u64 word, hword;
	u32 len;

	len = vnic_st_frame(st, sport, dport, frame);
	kunit_info(st->test, "%u -> %u: to queue %u\n", sport, dport, q);
	vnic_t_rx_one(st, frame, len, q, VNIC_ST_QUEUES, &word, &hword);
	KUNIT_EXPECT_EQ(st->test, FIELD_GET(VNIC_RCQ_HASH_VAL, hword), vnic_st_hash(frame, key));
}

static void vnic_st_fill_indir(struct vnic_t *st, u32 ctx, u8 q)
{
	u8 indir[VNIC_RSS_INDIR_SIZE];

	memset(indir, q, sizeof(indir));
	vnic_t_rss_indir(st, 1, ctx, indir);
}

static void vnic_st_fill_key(struct vnic_t *st, u32 ctx, u8 *key, u8 seed)
{
	u32 i;

	for (i = 0; i < VNIC_RSS_KEY_SIZE; i++)
		key[i] = seed + i * 7;
	vnic_t_rss_key(st, 1, ctx, key);
}

/*
 * The queue a frame goes to: the first rule that takes it, its queue or
 * its context's table plus its queue; else the main table.
 */
static void vnic_steer_pick_test(struct kunit *test)
{
	static const struct vnic_st_rule to_5001 = { VNIC_RULE_UDP4, "", "", "", "",
						     PORTS(0, 5001), PORTS(0, 0xffff) };
	static const struct vnic_st_rule to_5002 = { VNIC_RULE_UDP4, "", "", "", "",
						     PORTS(0, 5002), PORTS(0, 0xffff) };
	static const struct vnic_st_rule from_7 = { VNIC_RULE_UDP4, "", "", "", "",
						    PORTS(7, 0), PORTS(0xffff, 0) };
	u8 main_key[VNIC_RSS_KEY_SIZE], ctx_key[VNIC_RSS_KEY_SIZE];
	struct vnic_t *st = test->priv;
	unsigned int q;

	for (q = 0; q < VNIC_ST_QUEUES; q++)
		vnic_t_rxq_start(st, q, VNIC_ST_BUF);
	vnic_st_fill_key(st, 0, main_key, 1);
	vnic_st_fill_indir(st, 0, 1);
	vnic_st_wr(st, VNIC_REG_RSS_CTRL, VNIC_RSS_CTRL_EN);
	vnic_st_fill_key(st, 3, ctx_key, 100);
	vnic_st_fill_indir(st, 3, 2);

	vnic_st_write_rule(st, 10, &to_5001, FIELD_PREP(VNIC_RULE_ACT_QUEUE, 3));
	vnic_st_write_rule(st, 11, &to_5002, VNIC_RULE_ACT_RSS |
			   FIELD_PREP(VNIC_RULE_ACT_CTX, 3) | FIELD_PREP(VNIC_RULE_ACT_QUEUE, 1));
	/* Rules are off until STEER_CTRL.EN: the main table, queue 1. */
	vnic_st_expect(st, 40000, 5001, 1, main_key);
	vnic_st_wr(st, VNIC_REG_STEER_CTRL, VNIC_STEER_CTRL_EN);

	vnic_st_expect(st, 40000, 5001, 3, main_key);
	/* Context 3's table (all 2) plus 1, hashed with its own key. */
	vnic_st_expect(st, 40000, 5002, 3, ctx_key);
	vnic_st_expect(st, 40000, 5003, 1, main_key);

	/* A lower slot wins: from port 7 to queue 0, before the 5001 rule. */
	vnic_st_write_rule(st, 2, &from_7, FIELD_PREP(VNIC_RULE_ACT_QUEUE, 0));
	vnic_st_expect(st, 7, 5001, 0, main_key);
	vnic_st_expect(st, 8, 5001, 3, main_key);

	/* A rule into context 0 uses the main table; a queue beyond: 0. */
	vnic_st_write_rule(st, 11, &to_5002,
			   VNIC_RULE_ACT_RSS | FIELD_PREP(VNIC_RULE_ACT_QUEUE, 2));
	vnic_st_expect(st, 40000, 5002, 3, main_key);
	vnic_st_write_rule(st, 10, &to_5001, FIELD_PREP(VNIC_RULE_ACT_QUEUE, VNIC_ST_QUEUES));
	vnic_st_expect(st, 40000, 5001, 0, main_key);

	vnic_st_clear_rule(st, 10);
	vnic_st_expect(st, 40000, 5001, 1, main_key);
	vnic_st_wr(st, VNIC_REG_STEER_CTRL, 0);
	vnic_st_expect(st, 7, 5002, 1, main_key);
	KUNIT_EXPECT_EQ(test, vnic_st_rd(st, VNIC_REG_STAT_RX_MISSED), 0);
}

/* CTRL.RESET empties the rule table and clears the contexts. */
static void vnic_steer_reset_test(struct kunit *test)
{
	static const struct vnic_st_rule any_udp4 = { VNIC_RULE_UDP4, "", "", "", "", 0, 0 };
	struct vnic_t *st = test->priv;
	struct vnic_steer *s = st->card->port[1].steer;
	u8 key[VNIC_RSS_KEY_SIZE];

	vnic_st_fill_key(st, 1, key, 5);
	vnic_st_write_rule(st, 0, &any_udp4, 0);
	vnic_st_wr(st, VNIC_REG_STEER_CTRL, VNIC_STEER_CTRL_EN);
	KUNIT_EXPECT_TRUE(test, vnic_card_steer_on(&st->card->port[1]));

	vnic_st_wr(st, VNIC_REG_CTRL, VNIC_CTRL_RESET);
	KUNIT_EXPECT_FALSE(test, vnic_card_steer_on(&st->card->port[1]));
	KUNIT_EXPECT_EQ(test, vnic_st_rd(st, VNIC_REG_STEER_CTRL), 0);
	KUNIT_EXPECT_EQ(test, s->nr_slots, 0);
	KUNIT_EXPECT_EQ(test, vnic_st_rd(st, VNIC_REG_RSS_CTX_KEY(1, 0)), 0);
	KUNIT_EXPECT_EQ(test, vnic_st_rd(st, VNIC_REG_RULE_FLOW), 0);
}

VNIC_T_SUITE(vnic_steer_test, "vnic-steer", vnic_steer_test_init,
	     KUNIT_CASE_PARAM(vnic_steer_match_test, vnic_st_match_gen_params),
	     KUNIT_CASE(vnic_steer_regs_test),
	     KUNIT_CASE(vnic_steer_pick_test),
	     KUNIT_CASE(vnic_steer_reset_test));
