// SPDX-License-Identifier: GPL-2.0
/*
 * vnic-card-dma: the card's TX and RX DMA, driven directly: frames moved
 * from port 0's TX ring to port 1's RX ring over every ring layout,
 * completions and their phase over laps, bad descriptors and rings,
 * packets without EOP yet, and disabled queues.
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

struct vnic_t_layout {
	const char *desc;
	u32 nfrags;
	u32 frag[VNIC_HW_TX_MAX_DESC_PER_PKT];
	u32 max_frame;
};

static const struct vnic_t_layout vnic_t_layouts[] = {
	{ "one buffer of 60 bytes", 1, { 60 } },
	{ "short frame padded to 60", 1, { 42 } },
	{ "1514 bytes", 1, { 1514 } },
	{ "VLAN allowance: 1522 bytes", 1, { 1522 } },
	{ "three fragments", 3, { 14, 20, 500 } },
	{ "jumbo, 9216 bytes in five fragments", 5, { 2000, 2000, 2000, 2000, 1216 },
	  VNIC_HW_MAX_FRAME },
	{ "32 fragments, the limit", 32, {
		40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40,
		40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40 } },
};

KUNIT_ARRAY_PARAM_DESC(vnic_t_layout, vnic_t_layouts, desc);

static void vnic_card_dma_test(struct kunit *test)
{
	const struct vnic_t_layout *l = test->param_value;
	struct vnic_t *t = test->priv;
	struct vnic_t_txq *tx = &t->tx[0];
	u32 len = 0, want_len, off, i, parts;
	u8 *frame, *rxbuf;
	u64 w;

	for (i = 0; i < l->nfrags; i++)
		len += l->frag[i];
	want_len = max_t(u32, len, ETH_ZLEN);
	frame = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, frame);
	vnic_t_fill_frame(t, frame, len, 1);

	vnic_t_start(t, VNIC_T_RING);
	if (l->max_frame) {
		vnic_t_wr(t, 0, VNIC_REG_MAX_FRAME, l->max_frame);
		vnic_t_wr(t, 1, VNIC_REG_MAX_FRAME, l->max_frame);
	}
	/* Fragments scattered over the TX buffer area, in reverse order. */
	for (i = 0, off = 0; i < l->nfrags; i++) {
		u32 slot = VNIC_T_RING - 1 - i;
		u8 *dst = tx->buf + slot * VNIC_T_BUF;

		if (l->frag[i] > VNIC_T_BUF) {
			KUNIT_FAIL(test, "fragment too large for the test");
			return;
		}
		memcpy(dst, frame + off, l->frag[i]);
		vnic_t_tx_desc(t, 0, tx->buf_dma + slot * VNIC_T_BUF, l->frag[i],
			       i == l->nfrags - 1 ? VNIC_TXD_EOP | VNIC_TXD_REQ_COMPL : 0);
		off += l->frag[i];
	}
	vnic_t_tx_kick(t, 0);

	KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_HEAD, w), l->nfrags);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), VNIC_STATUS_OK);
	KUNIT_EXPECT_TRUE(test, w & VNIC_TXC_DONE);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_TXD_HEAD)), l->nfrags);

	/*
	 * Over as many VNIC_T_BUF buffers as it needs, all full but the last;
	 * they are adjacent in the RX area, so the frame is there in one run.
	 */
	parts = DIV_ROUND_UP(want_len, VNIC_T_BUF);
	for (i = 0; i < parts; i++) {
		KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
		KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_LEN, w),
				min_t(u32, want_len - i * VNIC_T_BUF, VNIC_T_BUF));
		KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_BUF, w), i);
		KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_STATUS, w), VNIC_STATUS_OK);
		KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_CSUM, w), VNIC_RCQ_CSUM_NONE);
		KUNIT_EXPECT_EQ(test, !!(w & VNIC_RCQ_MORE), i + 1 < parts);
		KUNIT_EXPECT_TRUE(test, w & VNIC_RCQ_DONE);
	}
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(0, VNIC_Q_RBR_HEAD)), parts);

	rxbuf = t->rx[1].buf;
	KUNIT_EXPECT_MEMEQ(test, rxbuf, frame, len);
	for (i = len; i < want_len; i++)
		KUNIT_EXPECT_EQ_MSG(test, rxbuf[i], 0, "pad byte %u", i);

	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_DESC_ERR), 0);
}

/* Three laps of a 16-entry ring: the DONE bit flips each lap. */
static void vnic_card_wrap_test(struct kunit *test)
{
	struct vnic_t *t = test->priv;
	u8 frame[128];
	unsigned int round, i, sent = 0;
	u64 w;

	vnic_t_start(t, VNIC_HW_RING_MIN);
	for (round = 0; round < 4; round++) {
		for (i = 0; i < 10; i++) {
			vnic_t_fill_frame(t, frame, sizeof(frame), 1);
			frame[ETH_HLEN] = sent + i;
			/* Only every other packet asks for a completion. */
			vnic_t_tx_frame(t, 0, frame, sizeof(frame),
					i % 2 ? 0 : VNIC_TXD_REQ_COMPL);
		}
		vnic_t_tx_kick(t, 0);

		for (i = 0; i < 10; i += 2) {
			bool phase = t->tx[0].phase;

			KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
			KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_HEAD, w), (sent + i + 1) % 16);
			KUNIT_EXPECT_EQ(test, !!(w & VNIC_TXC_DONE), phase);
		}
		for (i = 0; i < 10; i++) {
			u32 slot = t->rx[1].cidx;
			bool phase = t->rx[1].phase;

			KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
			KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_BUF, w), slot);
			KUNIT_EXPECT_EQ(test, !!(w & VNIC_RCQ_DONE), phase);
			KUNIT_EXPECT_EQ(test, t->rx[1].buf[slot * VNIC_T_BUF + ETH_HLEN],
					(u8)(sent + i));
		}
		sent += 10;
		vnic_t_rx_post(t, 1, 10);
	}
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), 40);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_MISSED), 0);
}

enum vnic_t_bad_kind {
	VNIC_T_ZERO_LEN,
	VNIC_T_OVERSIZE,
	VNIC_T_OVERSIZE_FRAGS,
	VNIC_T_BAD_ADDR,
	VNIC_T_NULL_ADDR,
	VNIC_T_NO_EOP,
	VNIC_T_BAD_CSUM_OFF,
	VNIC_T_BAD_RING,
};

struct vnic_t_bad {
	const char *desc;
	enum vnic_t_bad_kind kind;
	u8 status;
	u32 head;
};

static const struct vnic_t_bad vnic_t_bads[] = {
	{ "zero length", VNIC_T_ZERO_LEN, VNIC_STATUS_DESC_ERR, 1 },
	{ "oversized", VNIC_T_OVERSIZE, VNIC_STATUS_OVERSIZE, 1 },
	{ "oversized across fragments", VNIC_T_OVERSIZE_FRAGS, VNIC_STATUS_OVERSIZE, 2 },
	{ "buffer address beyond memory", VNIC_T_BAD_ADDR, VNIC_STATUS_DMA_ERR, 1 },
	{ "NULL buffer address", VNIC_T_NULL_ADDR, VNIC_STATUS_DMA_ERR, 1 },
	{ "no EOP within the packet limit", VNIC_T_NO_EOP, VNIC_STATUS_DESC_ERR,
	  VNIC_HW_TX_MAX_DESC_PER_PKT },
	{ "checksum offsets beyond the frame", VNIC_T_BAD_CSUM_OFF, VNIC_STATUS_DESC_ERR, 1 },
};

KUNIT_ARRAY_PARAM_DESC(vnic_t_bad, vnic_t_bads, desc);

/* The case's bad descriptor on port 0's TX queue, then a good frame. */
static void vnic_t_bad_desc(struct kunit *test, const struct vnic_t_bad *b)
{
	struct vnic_t *t = test->priv;
	struct vnic_t_txq *tx = &t->tx[0];
	u64 flags = VNIC_TXD_EOP | VNIC_TXD_REQ_COMPL;
	u8 frame[ETH_ZLEN];
	u32 i;
	u64 w;

	vnic_t_start(t, VNIC_T_RING);
	switch (b->kind) {
	case VNIC_T_ZERO_LEN:
		vnic_t_tx_desc(t, 0, tx->buf_dma, 0, flags);
		break;
	case VNIC_T_OVERSIZE:
		vnic_t_tx_desc(t, 0, tx->buf_dma, 2000, flags);
		break;
	case VNIC_T_OVERSIZE_FRAGS:
		vnic_t_tx_desc(t, 0, tx->buf_dma, 1000, 0);
		vnic_t_tx_desc(t, 0, tx->buf_dma, 1000, flags);
		break;
	case VNIC_T_BAD_ADDR:
		vnic_t_tx_desc(t, 0, BIT_ULL(51), 100, flags);
		break;
	case VNIC_T_NULL_ADDR:
		vnic_t_tx_desc(t, 0, 0, 100, flags);
		break;
	case VNIC_T_NO_EOP:
		for (i = 0; i < VNIC_HW_TX_MAX_DESC_PER_PKT; i++)
			vnic_t_tx_desc(t, 0, tx->buf_dma, 64, 0);
		break;
	case VNIC_T_BAD_CSUM_OFF:
		vnic_t_fill_frame(t, frame, sizeof(frame), 1);
		vnic_t_tx_frame(t, 0, frame, sizeof(frame),
				VNIC_TXD_REQ_COMPL | VNIC_TXD_CSUM |
				FIELD_PREP(VNIC_TXD_CSUM_START, 58) |
				FIELD_PREP(VNIC_TXD_CSUM_OFF, 6));
		break;
	default:
		break;
	}
	vnic_t_tx_kick(t, 0);

	vnic_t_expect_txc(t, 0, b->status, b->head);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, vnic_t_txq_reg(tx, VNIC_Q_TX_ERRS)), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_DESC_ERR), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), 0);

	/* The card goes on: the next good frame goes through. */
	vnic_t_fill_frame(t, frame, sizeof(frame), 1);
	vnic_t_tx_frame(t, 0, frame, sizeof(frame), VNIC_TXD_REQ_COMPL);
	vnic_t_tx_kick(t, 0);
	KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), VNIC_STATUS_OK);
	vnic_t_expect_rcq(t, 1, VNIC_STATUS_OK);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), 1);
}

static void vnic_card_bad_desc_test(struct kunit *test)
{
	vnic_t_bad_desc(test, test->param_value);
}

/* A TX-only queue checks its descriptors as a queue pair's TX ring does. */
static void vnic_card_xdpq_bad_desc_test(struct kunit *test)
{
	struct vnic_t *t = test->priv;

	t->tx[0].xdpq = true;
	vnic_t_bad_desc(test, test->param_value);
	/* Counted on the TX-only queue, not on queue pair 0. */
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_TX_ERRS)), 0);
}

/* A TX ring whose memory does not translate: errors counted, no crash. */
static void vnic_card_bad_ring_test(struct kunit *test)
{
	struct vnic_t *t = test->priv;

	vnic_t_txq_program(t, &t->tx[0], 16, BIT_ULL(51), BIT_ULL(51) + 4096);
	vnic_t_q_ctrl(t, 0, true, false);
	KUNIT_ASSERT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_STATUS)),
			VNIC_Q_STATUS_TX_EN);
	vnic_t_wr(t, 0, VNIC_REG_Q(0, VNIC_Q_TXD_TAIL), 1);
	vnic_t_flush(t);
	/* The descriptor read failed, and so did its completion. */
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_TXD_HEAD)), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_TX_ERRS)), 2);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), 0);
}

/* A packet without EOP yet waits for more doorbells. */
static void vnic_card_partial_test(struct kunit *test)
{
	struct vnic_t *t = test->priv;
	struct vnic_t_txq *tx = &t->tx[0];
	u8 frame[300];
	u64 w;

	vnic_t_start(t, VNIC_T_RING);
	vnic_t_fill_frame(t, frame, sizeof(frame), 1);
	memcpy(tx->buf, frame, sizeof(frame));
	vnic_t_tx_desc(t, 0, tx->buf_dma, 100, 0);
	vnic_t_tx_desc(t, 0, tx->buf_dma + 100, 100, 0);
	vnic_t_tx_kick(t, 0);
	vnic_t_flush(t);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_TXD_HEAD)), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), 0);

	vnic_t_tx_desc(t, 0, tx->buf_dma + 200, 100, VNIC_TXD_EOP | VNIC_TXD_REQ_COMPL);
	vnic_t_tx_kick(t, 0);
	vnic_t_expect_txc(t, 0, VNIC_STATUS_OK, 3);
	KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_LEN, w), sizeof(frame));
	KUNIT_EXPECT_MEMEQ(test, t->rx[1].buf, frame, sizeof(frame));
}

/* A disabled queue ignores its doorbell; disabling is synchronous. */
static void vnic_card_disable_test(struct kunit *test)
{
	struct vnic_t *t = test->priv;
	struct vnic_t_txq *tx = &t->tx[0];
	u8 frame[ETH_ZLEN];
	u32 head, i;
	u8 *snap;

	vnic_t_tx_setup(t, 0, VNIC_T_RING);
	vnic_t_fill_frame(t, frame, sizeof(frame), 1);
	vnic_t_tx_frame(t, 0, frame, sizeof(frame), 0);
	vnic_t_tx_kick(t, 0);
	vnic_t_flush(t);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_TXD_HEAD)), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), 0);
	KUNIT_EXPECT_FALSE(test, le64_to_cpu(tx->txc[0].word) & VNIC_TXC_DONE);

	/* Fill the ring, start the engine, and pull the plug at once. */
	vnic_t_tx_setup(t, 0, VNIC_T_RING);
	for (i = 0; i < VNIC_T_RING - 1; i++)
		vnic_t_tx_frame(t, 0, frame, sizeof(frame), VNIC_TXD_REQ_COMPL);
	vnic_t_q_ctrl(t, 0, true, false);
	vnic_t_tx_kick(t, 0);
	vnic_t_q_ctrl(t, 0, false, false);

	head = vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_TXD_HEAD));
	snap = kunit_kzalloc(test, VNIC_T_RING * sizeof(*tx->txc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap);
	memcpy(snap, tx->txc, VNIC_T_RING * sizeof(*tx->txc));
	vnic_t_flush(t);
	msleep(20);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_TXD_HEAD)), head);
	KUNIT_EXPECT_MEMEQ(test, snap, tx->txc, VNIC_T_RING * sizeof(*tx->txc));
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), head);
}

VNIC_T_SUITE(vnic_card_dma, "vnic-card-dma", vnic_t_init,
	     KUNIT_CASE_PARAM(vnic_card_dma_test, vnic_t_layout_gen_params),
	     KUNIT_CASE(vnic_card_wrap_test),
	     KUNIT_CASE_PARAM(vnic_card_bad_desc_test, vnic_t_bad_gen_params),
	     KUNIT_CASE_PARAM(vnic_card_xdpq_bad_desc_test, vnic_t_bad_gen_params),
	     KUNIT_CASE(vnic_card_bad_ring_test),
	     KUNIT_CASE(vnic_card_partial_test),
	     KUNIT_CASE(vnic_card_disable_test));
