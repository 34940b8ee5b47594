// SPDX-License-Identifier: GPL-2.0
/*
 * vnic-card-regs: the simulated card driven directly, without bus or
 * driver (vnic_test_util.c builds it and its rings): the registers after
 * power-on, what CTRL.RESET clears and what it keeps, and which ring
 * configurations the card accepts.
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

static void vnic_card_regs_test(struct kunit *test)
{
	struct vnic_t *t = test->priv;
	u32 id = vnic_card_id(t->card);
	unsigned int p;

	for (p = 0; p < VNIC_CARD_PORTS; p++) {
		u8 mac[ETH_ALEN], want[ETH_ALEN] = { 0x02, 0x76, 0x6e, id >> 8, id & 0xff, p };
		u32 caps = vnic_t_rd(t, p, VNIC_REG_CAPS);

		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, p, VNIC_REG_ID),
				FIELD_PREP(VNIC_ID_VENDOR, VNIC_VENDOR_ID) |
				FIELD_PREP(VNIC_ID_DEVICE, VNIC_DEVICE_ID));
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, p, VNIC_REG_REV), VNIC_REVISION);
		KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_CAPS_QUEUES, caps), 2);
		KUNIT_EXPECT_TRUE(test, caps & VNIC_CAPS_TX_CSUM);
		KUNIT_EXPECT_TRUE(test, caps & VNIC_CAPS_RX_CSUM);
		KUNIT_EXPECT_TRUE(test, caps & VNIC_CAPS_RSS);
		KUNIT_EXPECT_TRUE(test, caps & VNIC_CAPS_PAUSE);
		KUNIT_EXPECT_TRUE(test, caps & VNIC_CAPS_GSO_RX);
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, p, VNIC_REG_RSS_CTRL), 0);
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, p, VNIC_REG_STATUS), VNIC_STATUS_LINK_UP);

		vnic_t_mac(t, p, mac);
		KUNIT_EXPECT_MEMEQ(test, mac, want, ETH_ALEN);
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, p, VNIC_REG_PERM_MAC_LO),
				get_unaligned_le32(want));
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, p, VNIC_REG_PERM_MAC_HI),
				get_unaligned_le16(want + 4));

		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, p, VNIC_REG_MAX_FRAME), 1518);
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, p, VNIC_REG_RX_MODE), VNIC_RX_MODE_BCAST);
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, p, VNIC_REG_INT_MASK(0)), 0x7);
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, p, VNIC_REG_INT_CAUSE(0)), 0);
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, p, VNIC_REG_Q(0, VNIC_Q_VEC)), 1);
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, p, VNIC_REG_Q(1, VNIC_Q_VEC)), 2);
		/* Registers of a queue the port lacks read as zero. */
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, p, VNIC_REG_Q(2, VNIC_Q_VEC)), 0);
		KUNIT_EXPECT_GT(test, vnic_card_irq(t->card, p, 2), 0);
		KUNIT_EXPECT_EQ(test, vnic_card_irq(t->card, p, 3), -EINVAL);
	}
	KUNIT_EXPECT_NULL(test, vnic_card_bar(t->card, VNIC_CARD_PORTS));
}

/* After reset the MAC registers hold the permanent address again. */
#define VNIC_T_PERM	U32_MAX

struct vnic_t_reg {
	const char *desc;
	u32 write_off;
	u32 val;
	u32 read_off;
	u32 after_write;
	u32 after_reset;
};

static const struct vnic_t_reg vnic_t_regs[] = {
	{ "MAC_LO", VNIC_REG_MAC_LO, 0x12345678, VNIC_REG_MAC_LO, 0x12345678, VNIC_T_PERM },
	{ "MAC_HI keeps 16 bits", VNIC_REG_MAC_HI, 0xffff9abc, VNIC_REG_MAC_HI, 0x9abc,
	  VNIC_T_PERM },
	{ "MAX_FRAME", VNIC_REG_MAX_FRAME, 9000, VNIC_REG_MAX_FRAME, 9000, 1518 },
	{ "MAX_FRAME clamped low", VNIC_REG_MAX_FRAME, 10, VNIC_REG_MAX_FRAME, 60, 1518 },
	{ "MAX_FRAME clamped high", VNIC_REG_MAX_FRAME, 100000, VNIC_REG_MAX_FRAME,
	  VNIC_HW_MAX_FRAME, 1518 },
	{ "RX_MODE", VNIC_REG_RX_MODE, 0xff, VNIC_REG_RX_MODE, 0xf, VNIC_RX_MODE_BCAST },
	{ "MC_HASH_LO", VNIC_REG_MC_HASH_LO, 0x80000001, VNIC_REG_MC_HASH_LO, 0x80000001, 0 },
	{ "MC_HASH_HI", VNIC_REG_MC_HASH_HI, 0x00010000, VNIC_REG_MC_HASH_HI, 0x00010000, 0 },
	{ "CTRL loopback; RESET reads 0", VNIC_REG_CTRL, 0xff, VNIC_REG_CTRL,
	  VNIC_CTRL_LOOPBACK, 0 },
	{ "ITR rx-usecs of vector 1", VNIC_REG_ITR_RX_USECS(1), 50,
	  VNIC_REG_ITR_RX_USECS(1), 50, 0 },
	{ "ITR tx-frames clamped", VNIC_REG_ITR_TX_FRAMES(2), 100000,
	  VNIC_REG_ITR_TX_FRAMES(2), VNIC_HW_ITR_MAX_FRAMES, 0 },
	{ "TXD_BASE_LO", VNIC_REG_Q(1, VNIC_Q_TXD_BASE_LO), 0x1000,
	  VNIC_REG_Q(1, VNIC_Q_TXD_BASE_LO), 0x1000, 0 },
	{ "RBR_SIZE", VNIC_REG_Q(0, VNIC_Q_RBR_SIZE), 256, VNIC_REG_Q(0, VNIC_Q_RBR_SIZE), 256, 0 },
	{ "TXD_TAIL", VNIC_REG_Q(0, VNIC_Q_TXD_TAIL), 5, VNIC_REG_Q(0, VNIC_Q_TXD_TAIL), 5, 0 },
	{ "Q_VEC back to q + 1", VNIC_REG_Q(1, VNIC_Q_VEC), 0, VNIC_REG_Q(1, VNIC_Q_VEC), 0, 2 },
	{ "INT_MASK_CLR unmasks; reset masks", VNIC_REG_INT_MASK_CLR(0), 0xff,
	  VNIC_REG_INT_MASK(0), 0, 0x7 },
	{ "SPEED survives reset", VNIC_REG_SPEED, 100, VNIC_REG_SPEED, 100, 100 },
	{ "FLOW_CTRL survives reset", VNIC_REG_FLOW_CTRL, 0xff, VNIC_REG_FLOW_CTRL, 3, 3 },
	{ "ID is read-only", VNIC_REG_ID, 0, VNIC_REG_REV, VNIC_REVISION, VNIC_REVISION },
	{ "RSS_CTRL", VNIC_REG_RSS_CTRL, 0xff, VNIC_REG_RSS_CTRL, VNIC_RSS_CTRL_EN, 0 },
	{ "RSS_KEY word 9", VNIC_REG_RSS_KEY(9), 0xdeadbeef, VNIC_REG_RSS_KEY(9), 0xdeadbeef, 0 },
	{ "RSS_INDIR word 31", VNIC_REG_RSS_INDIR(31), 0x01000100, VNIC_REG_RSS_INDIR(31),
	  0x01000100, 0 },
};

KUNIT_ARRAY_PARAM_DESC(vnic_t_reg, vnic_t_regs, desc);

static void vnic_card_reset_test(struct kunit *test)
{
	const struct vnic_t_reg *r = test->param_value;
	struct vnic_t *t = test->priv;

	vnic_t_wr(t, 1, r->write_off, r->val);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, r->read_off), r->after_write);
	vnic_t_wr(t, 1, VNIC_REG_CTRL, VNIC_CTRL_RESET);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_CTRL), 0);
	if (r->after_reset == VNIC_T_PERM)
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, r->read_off),
				vnic_t_rd(t, 1, r->read_off - VNIC_REG_MAC_LO +
					  VNIC_REG_PERM_MAC_LO));
	else
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, r->read_off), r->after_reset);
	/* The other port is a function of its own. */
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_MAX_FRAME), 1518);
}

struct vnic_t_ring_cfg {
	const char *desc;
	bool rx;
	u32 size;
	u32 ring_off;
	u32 cmpl_off;
	bool ok;
	u32 buf_size;	/* RX: Q_RX_BUF_SIZE, 0 for the test's usual */
};

static const struct vnic_t_ring_cfg vnic_t_ring_cfgs[] = {
	{ "TX good", false, 64, 0, 0, true },
	{ "TX smallest", false, VNIC_HW_RING_MIN, 0, 0, true },
	{ "TX size not a power of two", false, 48, 0, 0, false },
	{ "TX size below minimum", false, 8, 0, 0, false },
	{ "TX size above maximum", false, 2 * VNIC_HW_RING_MAX, 0, 0, false },
	{ "TX size zero", false, 0, 0, 0, false },
	{ "TX ring misaligned", false, 16, 64, 0, false },
	{ "TX completion ring misaligned", false, 16, 0, 8, false },
	{ "RX good", true, 64, 0, 0, true },
	{ "RX smallest buffers", true, 64, 0, 0, true, VNIC_HW_RX_BUF_MIN },
	{ "RX largest buffers", true, 64, 0, 0, true, VNIC_HW_RX_BUF_MAX },
	{ "RX buffers below minimum", true, 64, 0, 0, false, VNIC_HW_RX_BUF_MIN - 64 },
	{ "RX buffers above maximum", true, 64, 0, 0, false, VNIC_HW_RX_BUF_MAX + 64 },
	{ "RX buffers not a multiple of 64", true, 64, 0, 0, false, 1000 },
	{ "RX size not a power of two", true, 100, 0, 0, false },
	{ "RX buffer ring misaligned", true, 16, 16, 0, false },
	{ "RX completion ring misaligned", true, 16, 0, 32, false },
};

KUNIT_ARRAY_PARAM_DESC(vnic_t_ring_cfg, vnic_t_ring_cfgs, desc);

static void vnic_card_enable_test(struct kunit *test)
{
	const struct vnic_t_ring_cfg *c = test->param_value;
	struct vnic_t *t = test->priv;
	u32 en = c->rx ? VNIC_Q_STATUS_RX_EN : VNIC_Q_STATUS_TX_EN;
	u32 err = c->rx ? VNIC_Q_STATUS_RX_CFG_ERR : VNIC_Q_STATUS_TX_CFG_ERR;

	t->rx[0].buf_size = c->buf_size;
	if (c->rx)
		vnic_t_rxq_program(t, &t->rx[0], c->size, t->rx[0].rbr_dma + c->ring_off,
				   t->rx[0].rcq_dma + c->cmpl_off);
	else
		vnic_t_txq_program(t, &t->tx[0], c->size, t->tx[0].txd_dma + c->ring_off,
				   t->tx[0].txc_dma + c->cmpl_off);
	vnic_t_q_ctrl(t, 0, !c->rx, c->rx);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_STATUS)), c->ok ? en : err);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_CTRL)), c->ok ? en : 0);

	/* A refused ring never runs: a doorbell changes nothing. */
	vnic_t_wr(t, 0, VNIC_REG_Q(0, c->rx ? VNIC_Q_RBR_TAIL : VNIC_Q_TXD_TAIL), 1);
	vnic_t_flush(t);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_TXD_HEAD)), 0);

	vnic_t_q_ctrl(t, 0, false, false);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_STATUS)), 0);
}

/* Counters survive CTRL.RESET; the rings do not. */
static void vnic_card_reset_keeps_stats_test(struct kunit *test)
{
	struct vnic_t *t = test->priv;
	u8 frame[ETH_ZLEN];
	u64 w;

	vnic_t_start(t, VNIC_T_RING);
	vnic_t_fill_frame(t, frame, sizeof(frame), 1);
	vnic_t_tx_frame(t, 0, frame, sizeof(frame), VNIC_TXD_REQ_COMPL);
	vnic_t_tx_kick(t, 0);
	KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));

	vnic_t_wr(t, 0, VNIC_REG_CTRL, VNIC_CTRL_RESET);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_STATUS)), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_TXD_HEAD)), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_TXD_SIZE)), 0);
	/* The peer was not reset. */
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(0, VNIC_Q_STATUS)),
			VNIC_Q_STATUS_RX_EN);
}

VNIC_T_SUITE(vnic_card_regs, "vnic-card-regs", vnic_t_init,
	     KUNIT_CASE(vnic_card_regs_test),
	     KUNIT_CASE_PARAM(vnic_card_reset_test, vnic_t_reg_gen_params),
	     KUNIT_CASE(vnic_card_reset_keeps_stats_test),
	     KUNIT_CASE_PARAM(vnic_card_enable_test, vnic_t_ring_cfg_gen_params));
