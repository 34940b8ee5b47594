// SPDX-License-Identifier: GPL-2.0
/*
 * vnic-card-rx: the card's receive MAC, driven directly: the checksum
 * verdict, the multicast hash and the MAC filter, drops and their
 * counters, RX descriptor errors, frames over several buffers, RSS
 * queue selection and internal loopback.
 *
 * The test module's MODULE_* lines are in vnic_ring_test.c.
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/in.h>
#include <linux/interrupt.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>

#include "vnic_test_util.h"

static const struct vnic_t_csum vnic_t_csums[] = {
	{ "UDP/IPv4, offloaded", false, IPPROTO_UDP, true, .verdict = VNIC_RCQ_CSUM_GOOD },
	{ "TCP/IPv4, offloaded", false, IPPROTO_TCP, true, .verdict = VNIC_RCQ_CSUM_GOOD },
	{ "UDP/IPv6, offloaded", true, IPPROTO_UDP, true, .verdict = VNIC_RCQ_CSUM_GOOD },
	{ "TCP/IPv6, offloaded", true, IPPROTO_TCP, true, .verdict = VNIC_RCQ_CSUM_GOOD },
	{ "TCP/IPv4, summed by the host", false, IPPROTO_TCP, false,
	  .verdict = VNIC_RCQ_CSUM_GOOD },
	{ "TCP/IPv4, corrupted", false, IPPROTO_TCP, false, true,
	  .verdict = VNIC_RCQ_CSUM_BAD },
	{ "UDP/IPv6, corrupted", true, IPPROTO_UDP, false, true,
	  .verdict = VNIC_RCQ_CSUM_BAD },
	{ "UDP/IPv4, no checksum", false, IPPROTO_UDP, false, .zero = true,
	  .verdict = VNIC_RCQ_CSUM_NONE },
	{ "IPv4 fragment", false, IPPROTO_UDP, false, .frag = true,
	  .verdict = VNIC_RCQ_CSUM_NONE },
	{ "not IP", false, 0, false, .not_ip = true, .verdict = VNIC_RCQ_CSUM_NONE },
	{ "TCP/IPv4, offloaded with a wrong seed", false, IPPROTO_TCP, true, .bad_seed = true,
	  .verdict = VNIC_RCQ_CSUM_BAD },
	{ "UDP/IPv6, offloaded with a wrong seed", true, IPPROTO_UDP, true, .bad_seed = true,
	  .verdict = VNIC_RCQ_CSUM_BAD },
};

KUNIT_ARRAY_PARAM_DESC(vnic_t_csum, vnic_t_csums, desc);

static void vnic_card_csum_test(struct kunit *test)
{
	const struct vnic_t_csum *c = test->param_value;
	struct vnic_t *t = test->priv;
	u32 len, l4 = 0, csum_off = 0;
	__sum16 full = 0, got;
	u8 frame[256];
	u64 flags = 0;
	u64 w;

	memset(frame, 0, sizeof(frame));
	if (c->not_ip) {
		vnic_t_fill_frame(t, frame, 100, 1);
		len = 100;
	} else {
		len = vnic_t_build_l4(t, c, frame, &l4, &csum_off, &full);
	}
	if (c->offload)
		flags = VNIC_TXD_CSUM | FIELD_PREP(VNIC_TXD_CSUM_START, l4) |
			FIELD_PREP(VNIC_TXD_CSUM_OFF, csum_off);

	vnic_t_start(t, VNIC_T_RING);
	vnic_t_tx_frame(t, 0, frame, len, flags | VNIC_TXD_REQ_COMPL);
	vnic_t_tx_kick(t, 0);
	KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), VNIC_STATUS_OK);
	w = vnic_t_expect_rcq(t, 1, VNIC_STATUS_OK);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_CSUM, w), c->verdict);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_LEN, w), len);
	if (c->offload && !c->bad_seed) {
		memcpy(&got, t->rx[1].buf + l4 + csum_off, sizeof(got));
		KUNIT_EXPECT_EQ(test, (__force u16)got, (__force u16)full);
	}
	/*
	 * The RCQ verdict of an offloaded frame reuses the sender's sum; the
	 * verdict from summing the received bytes afresh must agree.
	 */
	KUNIT_EXPECT_EQ(test, vnic_card_rx_csum(t->rx[1].buf, len), c->verdict);
}

struct vnic_t_mc {
	const char *desc;
	u8 addr[ETH_ALEN];
	u32 bin;
};

/* Bins from ether_crc(ETH_ALEN, addr) >> 26, computed outside the kernel. */
static const struct vnic_t_mc vnic_t_mcs[] = {
	{ "IPv4 all-hosts", { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 }, 31 },
	{ "IPv6 all-nodes", { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 }, 62 },
	{ "STP", { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x00 }, 25 },
	{ "IPv6 solicited-node", { 0x33, 0x33, 0xff, 0x12, 0x34, 0x56 }, 2 },
	{ "SSDP", { 0x01, 0x00, 0x5e, 0x7f, 0xff, 0xfa }, 43 },
};

KUNIT_ARRAY_PARAM_DESC(vnic_t_mc, vnic_t_mcs, desc);

static void vnic_card_mc_bin_test(struct kunit *test)
{
	const struct vnic_t_mc *m = test->param_value;

	KUNIT_EXPECT_EQ(test, vnic_card_mc_hash_bin(m->addr), m->bin);
}

enum vnic_t_dst {
	VNIC_T_DST_OWN,
	VNIC_T_DST_OTHER,
	VNIC_T_DST_BCAST,
	VNIC_T_DST_MCAST,
	VNIC_T_DST_NEW_MAC,
	VNIC_T_DST_OLD_MAC,
};

struct vnic_t_filter {
	const char *desc;
	enum vnic_t_dst dst;
	u32 rx_mode;
	bool bin_set;
	bool pass;
};

static const struct vnic_t_filter vnic_t_filters[] = {
	{ "own unicast", VNIC_T_DST_OWN, VNIC_RX_MODE_BCAST, false, true },
	{ "own unicast, RX_MODE 0", VNIC_T_DST_OWN, 0, false, true },
	{ "other unicast", VNIC_T_DST_OTHER, VNIC_RX_MODE_BCAST, false, false },
	{ "other unicast, promiscuous", VNIC_T_DST_OTHER, VNIC_RX_MODE_PROMISC, false, true },
	{ "broadcast with BCAST", VNIC_T_DST_BCAST, VNIC_RX_MODE_BCAST, false, true },
	{ "broadcast without BCAST", VNIC_T_DST_BCAST, 0, false, false },
	{ "multicast, bin set", VNIC_T_DST_MCAST, VNIC_RX_MODE_BCAST, true, true },
	{ "multicast, bin clear", VNIC_T_DST_MCAST, VNIC_RX_MODE_BCAST, false, false },
	{ "multicast, all-multi", VNIC_T_DST_MCAST, VNIC_RX_MODE_ALLMULTI, false, true },
	{ "multicast, promiscuous", VNIC_T_DST_MCAST, VNIC_RX_MODE_PROMISC, false, true },
	{ "new MAC address", VNIC_T_DST_NEW_MAC, VNIC_RX_MODE_BCAST, false, true },
	{ "old MAC address after a change", VNIC_T_DST_OLD_MAC, VNIC_RX_MODE_BCAST, false, false },
};

KUNIT_ARRAY_PARAM_DESC(vnic_t_filter, vnic_t_filters, desc);

static void vnic_card_filter_test(struct kunit *test)
{
	static const u8 mcast[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	static const u8 new_mac[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x99 };
	const struct vnic_t_filter *f = test->param_value;
	struct vnic_t *t = test->priv;
	struct vnic_port *port = &t->card->port[1];
	u8 frame[ETH_ZLEN];
	u64 w;

	vnic_t_rx_setup(t, 1, VNIC_T_RING);
	vnic_t_q_ctrl(t, 1, false, true);
	vnic_t_rx_post(t, 1, 8);
	vnic_t_fill_frame(t, frame, sizeof(frame), 1);

	vnic_t_wr(t, 1, VNIC_REG_RX_MODE, f->rx_mode);
	if (f->bin_set) {
		u32 bin = vnic_card_mc_hash_bin(mcast);

		vnic_t_wr(t, 1, bin < 32 ? VNIC_REG_MC_HASH_LO : VNIC_REG_MC_HASH_HI,
			  BIT(bin % 32));
	} else {
		/* Every bin but the one the address falls in. */
		u64 hash = ~BIT_ULL(vnic_card_mc_hash_bin(mcast));

		vnic_t_wr(t, 1, VNIC_REG_MC_HASH_LO, lower_32_bits(hash));
		vnic_t_wr(t, 1, VNIC_REG_MC_HASH_HI, upper_32_bits(hash));
	}

	switch (f->dst) {
	case VNIC_T_DST_OWN:
		break;
	case VNIC_T_DST_OTHER:
		frame[5] ^= 0x80;
		break;
	case VNIC_T_DST_BCAST:
		eth_broadcast_addr(frame);
		break;
	case VNIC_T_DST_MCAST:
		ether_addr_copy(frame, mcast);
		break;
	case VNIC_T_DST_NEW_MAC:
	case VNIC_T_DST_OLD_MAC:
		vnic_t_wr(t, 1, VNIC_REG_MAC_LO, get_unaligned_le32(new_mac));
		vnic_t_wr(t, 1, VNIC_REG_MAC_HI, get_unaligned_le16(new_mac + 4));
		if (f->dst == VNIC_T_DST_NEW_MAC)
			ether_addr_copy(frame, new_mac);
		break;
	}

	vnic_card_port_receive(port, frame, sizeof(frame));
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), f->pass ? 1 : 0);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FILTERED), f->pass ? 0 : 1);
	if (f->pass) {
		KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
		KUNIT_EXPECT_MEMEQ(test, t->rx[1].buf, frame, sizeof(frame));
	}
}

enum vnic_t_drop_kind {
	VNIC_T_DROP_NO_BUF,
	VNIC_T_DROP_DISABLED,
	VNIC_T_DROP_RUNT,
	VNIC_T_DROP_OVERSIZE,
	VNIC_T_DROP_NONE_VLAN,
};

struct vnic_t_drop {
	const char *desc;
	enum vnic_t_drop_kind kind;
	u32 len;
	u32 stat;
};

static const struct vnic_t_drop vnic_t_drops[] = {
	{ "no buffer posted: missed", VNIC_T_DROP_NO_BUF, 100, VNIC_REG_STAT_RX_MISSED },
	{ "queue disabled: missed", VNIC_T_DROP_DISABLED, 100, VNIC_REG_STAT_RX_MISSED },
	{ "runt", VNIC_T_DROP_RUNT, 59, VNIC_REG_STAT_RX_RUNT },
	{ "over MAX_FRAME + 4", VNIC_T_DROP_OVERSIZE, 1523, VNIC_REG_STAT_RX_OVERSIZE },
	{ "MAX_FRAME + 4 is taken", VNIC_T_DROP_NONE_VLAN, 1522, VNIC_REG_STAT_RX_FRAMES },
};

KUNIT_ARRAY_PARAM_DESC(vnic_t_drop, vnic_t_drops, desc);

static void vnic_card_rx_drop_test(struct kunit *test)
{
	const struct vnic_t_drop *d = test->param_value;
	struct vnic_t *t = test->priv;
	u8 *frame;

	frame = kunit_kzalloc(test, d->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, frame);
	vnic_t_fill_frame(t, frame, d->len, 1);

	vnic_t_rx_setup(t, 1, VNIC_T_RING);
	if (d->kind != VNIC_T_DROP_DISABLED)
		vnic_t_q_ctrl(t, 1, false, true);
	if (d->kind != VNIC_T_DROP_NO_BUF)
		vnic_t_rx_post(t, 1, 4);

	vnic_card_port_receive(&t->card->port[1], frame, d->len);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, d->stat), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(0, VNIC_Q_RBR_HEAD)),
			d->stat == VNIC_REG_STAT_RX_FRAMES ? 1 : 0);
	/* The frame is dropped, not kept: posting a buffer later delivers nothing. */
	if (d->kind == VNIC_T_DROP_NO_BUF) {
		vnic_t_rx_post(t, 1, 4);
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(0, VNIC_Q_RBR_HEAD)), 0);
		KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), 0);
	}
}

struct vnic_t_rx_bad {
	const char *desc;
	u32 len;	/* the frame */
	u32 buf_size;	/* Q_RX_BUF_SIZE */
	u32 bad;	/* the buffer whose address does not translate */
};

static const struct vnic_t_rx_bad vnic_t_rx_bads[] = {
	{ "one-buffer frame, its buffer beyond memory", 200, VNIC_T_BUF, 0 },
	{ "three-buffer frame, the second beyond memory", 600, 256, 1 },
	{ "three-buffer frame, the last beyond memory", 600, 256, 2 },
};

KUNIT_ARRAY_PARAM_DESC(vnic_t_rx_bad, vnic_t_rx_bads, desc);

/* A part that cannot be written ends the frame there, with the error. */
static void vnic_card_rx_desc_err_test(struct kunit *test)
{
	const struct vnic_t_rx_bad *b = test->param_value;
	struct vnic_t *t = test->priv;
	struct vnic_t_rxq *rx = &t->rx[1];
	u8 frame[600];
	u32 i;
	u64 w;

	vnic_t_fill_frame(t, frame, b->len, 1);
	rx->buf_size = b->buf_size;
	vnic_t_rx_setup(t, 1, VNIC_T_RING);
	vnic_t_q_ctrl(t, 1, false, true);
	vnic_t_rx_post(t, 1, 4);
	rx->rbr[b->bad].addr = cpu_to_le64(BIT_ULL(51));

	vnic_card_port_receive(&t->card->port[1], frame, b->len);
	for (i = 0; i <= b->bad; i++) {
		KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
		KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_BUF, w), i);
		KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_STATUS, w),
				i == b->bad ? VNIC_STATUS_DMA_ERR : VNIC_STATUS_OK);
		KUNIT_EXPECT_EQ(test, !!(w & VNIC_RCQ_MORE), i < b->bad);
	}
	/* The buffers after it stay posted for the next frame. */
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(0, VNIC_Q_RBR_HEAD)), b->bad + 1);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(0, VNIC_Q_RX_ERRS)), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_DESC_ERR), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), 0);
}

struct vnic_t_rx_span {
	const char *desc;
	u32 buf_size;	/* Q_RX_BUF_SIZE */
	u32 len;	/* the frame */
	u32 parts;	/* buffers it takes */
};

static const struct vnic_t_rx_span vnic_t_rx_spans[] = {
	{ "256-byte buffers, 255-byte frame: one", 256, 255, 1 },
	{ "256-byte buffers, 256-byte frame: one", 256, 256, 1 },
	{ "256-byte buffers, 257-byte frame: two", 256, 257, 2 },
	{ "256-byte buffers, 1514-byte frame: six", 256, 1514, 6 },
	{ "1664-byte buffers, 1518-byte frame: one", 1664, 1518, 1 },
	{ "1664-byte buffers, 1665-byte frame: two", 1664, 1665, 2 },
};

KUNIT_ARRAY_PARAM_DESC(vnic_t_rx_span, vnic_t_rx_spans, desc);

/*
 * The buffer-size register: a frame goes over as many buffers as it needs,
 * each full but the last, the metadata on the first entry only.
 */
static void vnic_card_rx_span_test(struct kunit *test)
{
	const struct vnic_t_rx_span *c = test->param_value;
	struct vnic_t *t = test->priv;
	struct vnic_t_rxq *rx = &t->rx[1];
	u32 i, off = 0;
	u8 *frame;
	u64 w;

	frame = kunit_kzalloc(test, c->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, frame);
	vnic_t_fill_frame(t, frame, c->len, 1);
	vnic_t_wr(t, 1, VNIC_REG_MAX_FRAME, VNIC_HW_MAX_FRAME);
	rx->buf_size = c->buf_size;
	vnic_t_rx_setup(t, 1, VNIC_T_RING);
	vnic_t_q_ctrl(t, 1, false, true);
	KUNIT_ASSERT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(0, VNIC_Q_RX_BUF_SIZE)), c->buf_size);
	vnic_t_rx_post(t, 1, VNIC_T_RING - 1);

	vnic_card_port_receive(&t->card->port[1], frame, c->len);
	for (i = 0; i < c->parts; i++) {
		u32 n = min(c->len - off, c->buf_size);

		KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
		KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_BUF, w), i);
		KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_LEN, w), n);
		KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_STATUS, w), VNIC_STATUS_OK);
		KUNIT_EXPECT_EQ(test, !!(w & VNIC_RCQ_MORE), i + 1 < c->parts);
		KUNIT_EXPECT_MEMEQ(test, rx->buf + i * VNIC_T_BUF, frame + off, n);
		off += n;
	}
	KUNIT_EXPECT_EQ(test, off, c->len);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(0, VNIC_Q_RBR_HEAD)), c->parts);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), 1);
}

/*
 * A frame that finds fewer buffers than it needs is missed whole: nothing
 * of it is written, and the buffers stay for the next frame that fits.
 */
static void vnic_card_rx_span_short_test(struct kunit *test)
{
	struct vnic_t *t = test->priv;
	struct vnic_t_rxq *rx = &t->rx[1];
	u8 frame[1000];
	u64 w;

	vnic_t_fill_frame(t, frame, sizeof(frame), 1);
	rx->buf_size = 256;
	vnic_t_rx_setup(t, 1, VNIC_T_RING);
	vnic_t_q_ctrl(t, 1, false, true);
	vnic_t_rx_post(t, 1, 3);

	vnic_card_port_receive(&t->card->port[1], frame, sizeof(frame));	/* needs 4 */
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_MISSED), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(0, VNIC_Q_RBR_HEAD)), 0);

	vnic_card_port_receive(&t->card->port[1], frame, 700);		/* needs 3 */
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(0, VNIC_Q_RBR_HEAD)), 3);
	KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_LEN, w), 256);
}

enum vnic_t_rss_kind {
	VNIC_T_RSS_TCP4,
	VNIC_T_RSS_FRAG4,
	VNIC_T_RSS_TCP6,
	VNIC_T_RSS_NOT_IP,
};

/* The frames carry rows of Microsoft's table (vnic_t_ms_vecs). */
struct vnic_t_rss {
	const char *desc;
	bool on;
	enum vnic_t_rss_kind kind;
	unsigned int q;
	u8 type;
	unsigned int vec;	/* the row whose hash of @type is reported */
};

static const struct vnic_t_rss vnic_t_rsss[] = {
	{ "TCP/IPv4: L4 hash, steered", true, VNIC_T_RSS_TCP4, 1, VNIC_RCQ_HASH_L4,
	  VNIC_T_MS_V4_0 },
	{ "IPv4 fragment: L3 hash, steered", true, VNIC_T_RSS_FRAG4, 1, VNIC_RCQ_HASH_L3,
	  VNIC_T_MS_V4_0 },
	{ "TCP/IPv6: L4 hash, steered", true, VNIC_T_RSS_TCP6, 1, VNIC_RCQ_HASH_L4,
	  VNIC_T_MS_V6_0 },
	{ "not IP: queue 0, no hash", true, VNIC_T_RSS_NOT_IP, 0, VNIC_RCQ_HASH_NONE },
	{ "RSS off: queue 0, no hash", false, VNIC_T_RSS_TCP4, 0, VNIC_RCQ_HASH_NONE },
};

/* The hash a case must see reported: none, or its row's of its type. */
static u32 vnic_t_rss_hash(const struct vnic_t_rss *r)
{
	const struct vnic_t_ms_vec *v = &vnic_t_ms_vecs[r->vec];

	if (r->type == VNIC_RCQ_HASH_L4)
		return v->hash_l4;
	return r->type == VNIC_RCQ_HASH_L3 ? v->hash_l3 : 0;
}

KUNIT_ARRAY_PARAM_DESC(vnic_t_rss, vnic_t_rsss, desc);

static u32 vnic_t_build_rss(struct vnic_t *t, enum vnic_t_rss_kind kind, u8 *frame)
{
	static const u8 src6[16] = { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x1f, 0xff,
				     0, 0, 0, 0, 0, 0, 0, 0x07 };
	static const u8 dst6[16] = { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x00, 0x03,
				     0, 0, 0, 0, 0, 0, 0, 0x01 };
	u32 l4len = sizeof(struct tcphdr) + 32;
	struct tcphdr *th;
	u32 l4;

	memset(frame, 0, 256);
	vnic_t_fill_frame(t, frame, ETH_HLEN, 1);
	if (kind == VNIC_T_RSS_NOT_IP)
		return 128;

	if (kind == VNIC_T_RSS_TCP6) {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(frame + ETH_HLEN);

		put_unaligned_be16(ETH_P_IPV6, frame + 2 * ETH_ALEN);
		ip6->version = 6;
		ip6->payload_len = htons(l4len);
		ip6->nexthdr = IPPROTO_TCP;
		memcpy(&ip6->saddr, src6, sizeof(src6));
		memcpy(&ip6->daddr, dst6, sizeof(dst6));
		l4 = ETH_HLEN + sizeof(*ip6);
	} else {
		struct iphdr *iph = (struct iphdr *)(frame + ETH_HLEN);

		put_unaligned_be16(ETH_P_IP, frame + 2 * ETH_ALEN);
		iph->version = 4;
		iph->ihl = 5;
		iph->tot_len = htons(sizeof(*iph) + l4len);
		iph->frag_off = kind == VNIC_T_RSS_FRAG4 ? htons(IP_MF) : 0;
		iph->protocol = IPPROTO_TCP;
		iph->saddr = htonl(0x420995bb);	/* 66.9.149.187 */
		iph->daddr = htonl(0xa18e6450);	/* 161.142.100.80 */
		l4 = ETH_HLEN + sizeof(*iph);
	}
	th = (struct tcphdr *)(frame + l4);
	th->source = htons(2794);
	th->dest = htons(1766);
	th->doff = 5;
	return l4 + l4len;
}

/* RSS picks the RX queue and reports the hash. */
static void vnic_card_rss_test(struct kunit *test)
{
	const struct vnic_t_rss *r = test->param_value;
	struct vnic_t *t = test->priv;
	u8 indir[VNIC_RSS_INDIR_SIZE];
	struct vnic_t_rxq *rx;
	u8 frame[256];
	u32 len, slot;
	u64 w, hash;

	/* Port 1's queue 1 borrows the rings the fixture made for port 0. */
	t->rx[0].port = 1;
	t->rx[0].q = 1;
	vnic_t_rx_setup(t, 0, VNIC_T_RING);
	vnic_t_wr(t, 1, VNIC_REG_Q(1, VNIC_Q_CTRL), VNIC_Q_CTRL_RX_EN);
	vnic_t_rx_post(t, 0, 4);
	vnic_t_rx_setup(t, 1, VNIC_T_RING);
	vnic_t_q_ctrl(t, 1, false, true);
	vnic_t_rx_post(t, 1, 4);

	vnic_t_rss_key(t, 1, 0, vnic_t_ms_key);
	memset(indir, 1, sizeof(indir));
	vnic_t_rss_indir(t, 1, 0, indir);
	vnic_t_wr(t, 1, VNIC_REG_RSS_CTRL, r->on ? VNIC_RSS_CTRL_EN : 0);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_RSS_KEY(1)),
			get_unaligned_le32(vnic_t_ms_key + 4));

	len = vnic_t_build_rss(t, r->kind, frame);
	vnic_card_port_receive(&t->card->port[1], frame, len);

	rx = r->q ? &t->rx[0] : &t->rx[1];
	slot = rx->cidx;
	KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, r->q ? 0 : 1, &w));
	hash = le64_to_cpu(rx->rcq[slot].hash);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_STATUS, w), VNIC_STATUS_OK);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_HASH_TYPE, w), r->type);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_HASH_VAL, hash), vnic_t_rss_hash(r));
	KUNIT_EXPECT_MEMEQ(test, rx->buf, frame, len);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(r->q, VNIC_Q_RBR_HEAD)), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(!r->q, VNIC_Q_RBR_HEAD)), 0);
}

/* Internal loopback: port 0's TX comes back to port 0's RX. */
static void vnic_card_loopback_test(struct kunit *test)
{
	struct vnic_t *t = test->priv;
	u8 frame[100];
	u64 w;

	vnic_t_tx_setup(t, 0, VNIC_T_RING);
	vnic_t_rx_setup(t, 0, VNIC_T_RING);
	vnic_t_q_ctrl(t, 0, true, true);
	vnic_t_rx_post(t, 0, 4);
	vnic_t_wr(t, 0, VNIC_REG_CTRL, VNIC_CTRL_LOOPBACK);
	/* Loopback works with the cable pulled. */
	vnic_card_set_link(t->card, false);

	vnic_t_fill_frame(t, frame, sizeof(frame), 0);
	vnic_t_tx_frame(t, 0, frame, sizeof(frame), VNIC_TXD_REQ_COMPL);
	vnic_t_tx_kick(t, 0);
	KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), VNIC_STATUS_OK);
	KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 0, &w));
	KUNIT_EXPECT_MEMEQ(test, t->rx[0].buf, frame, sizeof(frame));
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_RX_FRAMES), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_MISSED), 0);
	/* Both ends of the loop are port 0's MAC; port 1 saw nothing. */
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_HIST(1)), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_RX_HIST(1)), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_HIST(1)), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_RX_OCTETS),
			sizeof(frame) - ETH_HLEN);
}

VNIC_T_SUITE(vnic_card_rx, "vnic-card-rx", vnic_t_init,
	     KUNIT_CASE_PARAM(vnic_card_csum_test, vnic_t_csum_gen_params),
	     KUNIT_CASE_PARAM(vnic_card_mc_bin_test, vnic_t_mc_gen_params),
	     KUNIT_CASE_PARAM(vnic_card_filter_test, vnic_t_filter_gen_params),
	     KUNIT_CASE_PARAM(vnic_card_rx_drop_test, vnic_t_drop_gen_params),
	     KUNIT_CASE_PARAM(vnic_card_rx_desc_err_test, vnic_t_rx_bad_gen_params),
	     KUNIT_CASE_PARAM(vnic_card_rx_span_test, vnic_t_rx_span_gen_params),
	     KUNIT_CASE(vnic_card_rx_span_short_test),
	     KUNIT_CASE_PARAM(vnic_card_rss_test, vnic_t_rss_gen_params),
	     KUNIT_CASE(vnic_card_loopback_test));
