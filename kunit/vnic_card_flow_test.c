// SPDX-License-Identifier: GPL-2.0
/*
 * vnic-card-flow: what paces the card's wire: SPEED, and pause frames
 * when the receiver has no buffer (held, missed, ended every way, in the
 * middle of a segmented packet).
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

/* SPEED paces the wire; the engine waits and resumes by itself. */
static void vnic_card_speed_test(struct kunit *test)
{
	struct vnic_t *t = test->priv;
	ktime_t start;
	unsigned int i;
	u8 *frame;
	u64 w;

	frame = kunit_kzalloc(test, 1500, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, frame);
	vnic_t_start(t, VNIC_T_RING);
	/* 20 frames of 1524 wire bytes at 10 Mbit/s: 1.22 ms each. */
	vnic_t_wr(t, 0, VNIC_REG_SPEED, 10);
	vnic_t_fill_frame(t, frame, 1500, 1);
	for (i = 0; i < 20; i++)
		vnic_t_tx_frame(t, 0, frame, 1500, 0);
	start = ktime_get();
	vnic_t_tx_kick(t, 0);
	for (i = 0; i < 20; i++)
		KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
	KUNIT_EXPECT_GE(test, ktime_ms_delta(ktime_get(), start), 20);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), 20);
}

struct vnic_t_pause {
	const char *desc;
	u32 rx_fc;		/* FLOW_CTRL of the receiver, port 1 */
	u32 tx_fc;		/* FLOW_CTRL of the sender, port 0 */
	bool holds;
};

static const struct vnic_t_pause vnic_t_pauses[] = {
	{ "receiver TX_PAUSE, sender RX_PAUSE: held", VNIC_FC_TX_PAUSE, VNIC_FC_RX_PAUSE, true },
	{ "both ways on both ports: held", VNIC_FC_TX_PAUSE | VNIC_FC_RX_PAUSE,
	  VNIC_FC_TX_PAUSE | VNIC_FC_RX_PAUSE, true },
	{ "receiver TX_PAUSE only: dropped", VNIC_FC_TX_PAUSE, 0, false },
	{ "sender RX_PAUSE only: dropped", 0, VNIC_FC_RX_PAUSE, false },
	{ "the wrong way round: dropped", VNIC_FC_RX_PAUSE, VNIC_FC_TX_PAUSE, false },
	{ "off: dropped", 0, 0, false },
};

KUNIT_ARRAY_PARAM_DESC(vnic_t_pause, vnic_t_pauses, desc);

/*
 * One pause frame went, sent by the receiver (port 1) and taken by the
 * sender (port 0), and @frames frames of the test's size (RMON bucket 2)
 * have gone out of port 0 and arrived at port 1.
 */
static void vnic_t_expect_one_pause(struct vnic_t *t, u32 frames)
{
	struct kunit *test = t->test;

	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_TX_PAUSE_FRAMES), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_RX_PAUSE_FRAMES), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_PAUSE_FRAMES), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_PAUSE_FRAMES), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_HIST(2)), frames);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_HIST(2)), frames);
}

/* A frame without an RX buffer: held by pause until one is posted, or missed. */
static void vnic_card_pause_test(struct kunit *test)
{
	const struct vnic_t_pause *c = test->param_value;
	struct vnic_t *t = test->priv;
	u8 frame[200];
	u64 w;

	vnic_t_pause_start(t, c->rx_fc, c->tx_fc);
	vnic_t_fill_frame(t, frame, sizeof(frame), 1);
	vnic_t_tx_frame(t, 0, frame, sizeof(frame), VNIC_TXD_REQ_COMPL);
	vnic_t_tx_kick(t, 0);

	if (!c->holds) {
		KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
		KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), VNIC_STATUS_OK);
		KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_MISSED), 1);
		KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_PAUSED), 0);
		KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_TX_PAUSE_FRAMES), 0);
		KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_RX_PAUSE_FRAMES), 0);
		/* A missed frame did arrive. */
		KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_HIST(2)), 1);
		/* Dropped, not kept: a buffer posted now stays empty. */
		vnic_t_rx_post(t, 1, 1);
		vnic_t_flush(t);
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(0, VNIC_Q_RBR_HEAD)), 0);
		return;
	}

	/* The engine waits at the packet, across its pause-time retries. */
	KUNIT_EXPECT_TRUE(test, vnic_t_txc_none(t, 0));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_TXD_HEAD)), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_PAUSED), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_MISSED), 0);
	/* A held frame has not arrived, nor gone out. */
	vnic_t_expect_one_pause(t, 0);

	/* A posted buffer lets it through, once. */
	vnic_t_rx_post(t, 1, 1);
	vnic_t_expect_txc(t, 0, VNIC_STATUS_OK, 1);
	w = vnic_t_expect_rcq(t, 1, VNIC_STATUS_OK);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_LEN, w), sizeof(frame));
	KUNIT_EXPECT_MEMEQ(test, t->rx[1].buf, frame, sizeof(frame));
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_MISSED), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_PAUSED), 1);
	/* Its retries while held were no new pause, nor new arrivals. */
	vnic_t_expect_one_pause(t, 1);
}

enum vnic_t_pause_end_kind {
	VNIC_T_END_RX_OFF,
	VNIC_T_END_FC_OFF,
	VNIC_T_END_RX_RESET,
	VNIC_T_END_LINK_DOWN,
	VNIC_T_END_TX_RESET,
};

struct vnic_t_pause_end {
	const char *desc;
	enum vnic_t_pause_end_kind kind;
	bool completes;
	u8 status;
	u32 missed;
};

static const struct vnic_t_pause_end vnic_t_pause_ends[] = {
	{ "receiver's queue disabled: dropped", VNIC_T_END_RX_OFF, true, VNIC_STATUS_OK, 1 },
	{ "receiver's pause turned off: dropped", VNIC_T_END_FC_OFF, true, VNIC_STATUS_OK, 1 },
	{ "receiver reset: dropped", VNIC_T_END_RX_RESET, true, VNIC_STATUS_OK, 1 },
	{ "link down: NO_LINK", VNIC_T_END_LINK_DOWN, true, VNIC_STATUS_NO_LINK, 0 },
	{ "sender reset: gone", VNIC_T_END_TX_RESET, false, 0, 0 },
};

KUNIT_ARRAY_PARAM_DESC(vnic_t_pause_end, vnic_t_pause_ends, desc);

/* Whatever ends a pause without a buffer never leaves the sender stuck. */
static void vnic_card_pause_end_test(struct kunit *test)
{
	const struct vnic_t_pause_end *c = test->param_value;
	struct vnic_t *t = test->priv;
	struct vnic_port *sender = &t->card->port[0];
	u8 frame[ETH_ZLEN];
	u64 w;

	vnic_t_pause_start(t, VNIC_FC_TX_PAUSE, VNIC_FC_RX_PAUSE);
	vnic_t_fill_frame(t, frame, sizeof(frame), 1);
	vnic_t_tx_frame(t, 0, frame, sizeof(frame), VNIC_TXD_REQ_COMPL);
	vnic_t_tx_kick(t, 0);
	KUNIT_ASSERT_TRUE(test, vnic_t_txc_none(t, 0));
	KUNIT_ASSERT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_PAUSED), 1);

	switch (c->kind) {
	case VNIC_T_END_RX_OFF:
		vnic_t_q_ctrl(t, 1, false, false);
		break;
	case VNIC_T_END_FC_OFF:
		vnic_t_wr(t, 1, VNIC_REG_FLOW_CTRL, 0);
		break;
	case VNIC_T_END_RX_RESET:
		vnic_t_wr(t, 1, VNIC_REG_CTRL, VNIC_CTRL_RESET);
		break;
	case VNIC_T_END_LINK_DOWN:
		vnic_card_set_link(t->card, false);
		break;
	case VNIC_T_END_TX_RESET:
		vnic_t_wr(t, 0, VNIC_REG_CTRL, VNIC_CTRL_RESET);
		break;
	}

	if (c->completes) {
		KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
		KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), c->status);
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_TXD_HEAD)), 1);
	} else {
		KUNIT_EXPECT_TRUE(test, vnic_t_txc_none(t, 0));
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_STATUS)), 0);
		/* Nothing of the old ring is left waiting. */
		vnic_t_rx_post(t, 1, 1);
		vnic_t_flush(t);
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(0, VNIC_Q_RBR_HEAD)), 0);
	}
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_MISSED), c->missed);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), 0);
	KUNIT_EXPECT_TRUE(test, bitmap_empty(sender->tx_paused, sender->num_txqs));
	if (c->kind == VNIC_T_END_LINK_DOWN)
		vnic_card_set_link(t->card, true);
}

#define VNIC_T_MSS	100
#define VNIC_T_SEGS	4

/* A TCP/IPv4 packet for the card to cut into VNIC_T_SEGS segments. */
static u32 vnic_t_build_tso(struct vnic_t *t, u8 *frame, u32 *l4off)
{
	u32 l4 = ETH_HLEN + sizeof(struct iphdr);
	u32 len = l4 + sizeof(struct tcphdr) + VNIC_T_SEGS * VNIC_T_MSS;
	struct iphdr *iph = (struct iphdr *)(frame + ETH_HLEN);
	struct tcphdr *th = (struct tcphdr *)(frame + l4);
	u32 i;

	vnic_t_fill_frame(t, frame, len, 1);
	memset(iph, 0, sizeof(*iph) + sizeof(*th));
	vnic_t_ipv4_hdr(frame, len, IPPROTO_TCP);
	th->source = htons(1000);
	th->dest = htons(2000);
	th->seq = htonl(5000);
	th->doff = 5;
	th->ack = 1;
	for (i = l4 + sizeof(*th); i < len; i++)
		frame[i] = i;
	*l4off = l4;
	return len;
}

/* A segmented packet paused half way resumes where it stopped. */
static void vnic_card_pause_tso_test(struct kunit *test)
{
	struct vnic_t *t = test->priv;
	struct vnic_t_rxq *rx = &t->rx[1];
	u32 len, l4, seg, i;
	u8 frame[600];
	u64 w;

	vnic_t_pause_start(t, VNIC_FC_TX_PAUSE, VNIC_FC_RX_PAUSE);
	len = vnic_t_build_tso(t, frame, &l4);
	seg = l4 + sizeof(struct tcphdr) + VNIC_T_MSS;
	vnic_t_tx_frame(t, 0, frame, len, VNIC_TXD_REQ_COMPL |
			FIELD_PREP(VNIC_TXD_SEG, VNIC_TXD_SEG_TCP) |
			FIELD_PREP(VNIC_TXD_MSS, VNIC_T_MSS) |
			FIELD_PREP(VNIC_TXD_CSUM_START, l4));

	vnic_t_rx_post(t, 1, 2);
	vnic_t_tx_kick(t, 0);
	for (i = 0; i < 2; i++)
		KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
	KUNIT_EXPECT_TRUE(test, vnic_t_txc_none(t, 0));
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), 2);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_PAUSED), 1);

	vnic_t_rx_post(t, 1, 2);
	KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), VNIC_STATUS_OK);
	for (i = 2; i < VNIC_T_SEGS; i++)
		KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));

	/* Each segment once, in order: the sequence numbers say so. */
	for (i = 0; i < VNIC_T_SEGS; i++) {
		const struct tcphdr *th = (const void *)(rx->buf + i * VNIC_T_BUF + l4);

		KUNIT_EXPECT_EQ(test, ntohl(th->seq), 5000 + i * VNIC_T_MSS);
		KUNIT_EXPECT_EQ(test, vnic_card_rx_csum(rx->buf + i * VNIC_T_BUF, seg),
				VNIC_RCQ_CSUM_GOOD);
	}
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), VNIC_T_SEGS);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), VNIC_T_SEGS);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_MISSED), 0);
	KUNIT_EXPECT_TRUE(test, vnic_t_txc_none(t, 0));
}

VNIC_T_SUITE(vnic_card_flow, "vnic-card-flow", vnic_t_init,
	     KUNIT_CASE(vnic_card_speed_test),
	     KUNIT_CASE_PARAM(vnic_card_pause_test, vnic_t_pause_gen_params),
	     KUNIT_CASE_PARAM(vnic_card_pause_end_test, vnic_t_pause_end_gen_params),
	     KUNIT_CASE(vnic_card_pause_tso_test));
