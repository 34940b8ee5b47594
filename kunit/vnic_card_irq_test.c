// SPDX-License-Identifier: GPL-2.0
/*
 * vnic-card-irq: the card's interrupts through real Linux IRQs: queue
 * vectors with mask and pending cause, the misc vector, and moderation.
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

/* RX completions through a real Linux IRQ; mask, pending cause, unmask. */
static void vnic_card_irq_test(struct kunit *test)
{
	struct vnic_t *t = test->priv;
	struct vnic_t_irq *ti = vnic_t_irq_request(t, 1, 1, true);
	u8 frame[ETH_ZLEN];

	vnic_t_rx_setup(t, 1, VNIC_T_RING);
	vnic_t_q_ctrl(t, 1, false, true);
	vnic_t_rx_post(t, 1, 8);
	vnic_t_fill_frame(t, frame, sizeof(frame), 1);
	vnic_t_wr(t, 1, VNIC_REG_INT_MASK_CLR(0), BIT(1));

	vnic_card_port_receive(&t->card->port[1], frame, sizeof(frame));
	KUNIT_ASSERT_TRUE(test, vnic_t_irq_wait(ti, 1));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_MASK(0)) & BIT(1), BIT(1));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_CAUSE(0)), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_IRQS), 1);

	/* Masked by the handler: the next completion leaves a cause. */
	vnic_card_port_receive(&t->card->port[1], frame, sizeof(frame));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_CAUSE(0)), BIT(1));
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&ti->count), 1);
	vnic_t_wr(t, 1, VNIC_REG_INT_MASK_CLR(0), BIT(1));
	KUNIT_ASSERT_TRUE(test, vnic_t_irq_wait(ti, 2));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_CAUSE(0)), 0);

	/* A cause cleared by W1C while masked is never delivered. */
	vnic_card_port_receive(&t->card->port[1], frame, sizeof(frame));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_CAUSE(0)), BIT(1));
	vnic_t_wr(t, 1, VNIC_REG_INT_CAUSE(0), BIT(1));
	vnic_t_wr(t, 1, VNIC_REG_INT_MASK_CLR(0), BIT(1));
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&ti->count), 2);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_IRQS), 2);
}

/*
 * TX-only queues: one per queue pair (CAPS.XDP_TXQS), TX registers only,
 * frames on the same wire, completions on their own TXC, interrupts on
 * the vector in their Q_VEC (the queue pair's after reset).
 */
static void vnic_card_xdpq_test(struct kunit *test)
{
	struct vnic_t *t = test->priv;
	struct vnic_t_txq *tx = &t->tx[0];
	struct vnic_t_irq *ti = vnic_t_irq_request(t, 0, 2, true);
	u8 frame[ETH_ZLEN];
	u64 w;

	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_CAPS_XDP_TXQS, vnic_t_rd(t, 0, VNIC_REG_CAPS)),
			t->card->num_queues);
	/* After reset TX-only queue q raises queue pair q's vector. */
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_XDPQ(0, VNIC_Q_VEC)), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_XDPQ(1, VNIC_Q_VEC)), 2);
	/* No RX ring: its registers read 0 and take no write. */
	vnic_t_wr(t, 0, VNIC_REG_XDPQ(0, VNIC_Q_RBR_SIZE), 64);
	vnic_t_wr(t, 0, VNIC_REG_XDPQ(0, VNIC_Q_RX_BUF_SIZE), 4096);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_XDPQ(0, VNIC_Q_RBR_SIZE)), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_XDPQ(0, VNIC_Q_RX_BUF_SIZE)), 0);
	/* None beyond the card's count. */
	vnic_t_wr(t, 0, VNIC_REG_XDPQ(2, VNIC_Q_TXD_SIZE), 64);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_XDPQ(2, VNIC_Q_TXD_SIZE)), 0);

	/* A bad ring is refused as a queue pair's is. */
	tx->xdpq = true;
	vnic_t_txq_program(t, tx, 48, tx->txd_dma, tx->txc_dma);
	vnic_t_wr(t, 0, VNIC_REG_XDPQ(0, VNIC_Q_CTRL), VNIC_Q_CTRL_TX_EN);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_XDPQ(0, VNIC_Q_STATUS)),
			VNIC_Q_STATUS_TX_CFG_ERR);

	/* RX_EN on a TX-only queue enables nothing more. */
	vnic_t_tx_setup(t, 0, VNIC_T_RING);
	vnic_t_wr(t, 0, VNIC_REG_XDPQ(0, VNIC_Q_VEC), 2);
	vnic_t_wr(t, 0, VNIC_REG_XDPQ(0, VNIC_Q_CTRL), VNIC_Q_CTRL_TX_EN | VNIC_Q_CTRL_RX_EN);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_XDPQ(0, VNIC_Q_STATUS)),
			VNIC_Q_STATUS_TX_EN);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_STATUS)), 0);
	vnic_t_rx_setup(t, 1, VNIC_T_RING);
	vnic_t_q_ctrl(t, 1, false, true);
	vnic_t_rx_post(t, 1, 8);
	vnic_t_wr(t, 0, VNIC_REG_INT_MASK_CLR(0), BIT(2));

	vnic_t_fill_frame(t, frame, sizeof(frame), 1);
	vnic_t_tx_frame(t, 0, frame, sizeof(frame), VNIC_TXD_REQ_COMPL);
	vnic_t_tx_kick(t, 0);
	KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), VNIC_STATUS_OK);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_HEAD, w), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_XDPQ(0, VNIC_Q_TXD_HEAD)), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_TXD_HEAD)), 0);
	KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_STATUS, w), VNIC_STATUS_OK);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_LEN, w), sizeof(frame));
	KUNIT_EXPECT_MEMEQ(test, t->rx[1].buf, frame, sizeof(frame));
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), 1);
	/* The completion raised the vector programmed, 2, not queue 0's 1. */
	KUNIT_EXPECT_TRUE(test, vnic_t_irq_wait(ti, 1));

	/* Disabling is synchronous, and a reset clears the queue. */
	vnic_t_wr(t, 0, VNIC_REG_XDPQ(0, VNIC_Q_CTRL), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_XDPQ(0, VNIC_Q_STATUS)), 0);
	vnic_t_wr(t, 0, VNIC_REG_CTRL, VNIC_CTRL_RESET);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_XDPQ(0, VNIC_Q_TXD_SIZE)), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_XDPQ(0, VNIC_Q_VEC)), 1);
}

/* A card built with fewer TX-only queues than queue pairs, or asked for more. */
static void vnic_card_xdpq_count_test(struct kunit *test)
{
	static const struct { u32 queues, asked, got; } cases[] = {
		{ 4, 1, 1 }, { 2, 16, 2 }, { 3, 0, 3 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vnic_card_config cfg = {
			.num_queues = cases[i].queues,
			.xdp_txqs = cases[i].asked,
		};
		struct vnic_card *card = vnic_t_card_cfg(test, &cfg);
		struct vnic_bar *bar;
		u32 caps, got = cases[i].got;

		bar = vnic_card_bar(card, 1);
		caps = vnic_bar_read32(bar, VNIC_REG_CAPS);
		KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_CAPS_QUEUES, caps), cases[i].queues);
		KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_CAPS_XDP_TXQS, caps), got);
		/* The last one takes a write; the next one does not exist. */
		vnic_bar_write32(bar, VNIC_REG_XDPQ(got - 1, VNIC_Q_TXD_SIZE), 64);
		vnic_bar_write32(bar, VNIC_REG_XDPQ(got, VNIC_Q_TXD_SIZE), 64);
		KUNIT_EXPECT_EQ(test, vnic_bar_read32(bar, VNIC_REG_XDPQ(got - 1, VNIC_Q_TXD_SIZE)),
				64);
		KUNIT_EXPECT_EQ(test, vnic_bar_read32(bar, VNIC_REG_XDPQ(got, VNIC_Q_TXD_SIZE)), 0);
	}
}

/* The misc vector: INT_TEST and link changes. */
static void vnic_card_misc_irq_test(struct kunit *test)
{
	struct vnic_t *t = test->priv;
	struct vnic_t_irq *ti = vnic_t_irq_request(t, 0, VNIC_VEC_MISC, false);
	u8 frame[ETH_ZLEN];
	u64 w;

	vnic_t_wr(t, 0, VNIC_REG_INT_MASK_CLR(0), BIT(VNIC_VEC_MISC));
	vnic_t_wr(t, 0, VNIC_REG_INT_TEST(0), BIT(VNIC_VEC_MISC));
	KUNIT_ASSERT_TRUE(test, vnic_t_irq_wait(ti, 1));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_MISC_CAUSE), VNIC_MISC_TEST);
	vnic_t_wr(t, 0, VNIC_REG_MISC_CAUSE, VNIC_MISC_TEST);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_MISC_CAUSE), 0);

	vnic_card_set_link(t->card, false);
	KUNIT_ASSERT_TRUE(test, vnic_t_irq_wait(ti, 2));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_MISC_CAUSE), VNIC_MISC_LINK_CHANGE);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_STATUS), 0);
	/* Port 1's misc vector is masked: the change waits there. */
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_MISC_CAUSE), VNIC_MISC_LINK_CHANGE);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_CAUSE(0)), BIT(VNIC_VEC_MISC));

	/* With the link down, frames complete with NO_LINK. */
	vnic_t_start(t, VNIC_T_RING);
	vnic_t_fill_frame(t, frame, sizeof(frame), 1);
	vnic_t_tx_frame(t, 0, frame, sizeof(frame), VNIC_TXD_REQ_COMPL);
	vnic_t_tx_kick(t, 0);
	KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), VNIC_STATUS_NO_LINK);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_NO_LINK), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_DESC_ERR), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), 0);

	vnic_card_set_link(t->card, true);
	KUNIT_ASSERT_TRUE(test, vnic_t_irq_wait(ti, 3));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_STATUS), VNIC_STATUS_LINK_UP);
}

/* Moderation through the real vector: frames count and the hrtimer. */
static void vnic_card_moderation_test(struct kunit *test)
{
	struct vnic_t *t = test->priv;
	struct vnic_t_irq *ti = vnic_t_irq_request(t, 1, 1, false);
	struct vnic_port *port = &t->card->port[1];
	u8 frame[ETH_ZLEN];

	vnic_t_rx_setup(t, 1, VNIC_T_RING);
	vnic_t_q_ctrl(t, 1, false, true);
	vnic_t_rx_post(t, 1, 16);
	vnic_t_fill_frame(t, frame, sizeof(frame), 1);
	vnic_t_wr(t, 1, VNIC_REG_ITR_RX_FRAMES(1), 3);
	vnic_t_wr(t, 1, VNIC_REG_INT_MASK_CLR(0), BIT(1));

	vnic_card_port_receive(port, frame, sizeof(frame));
	vnic_card_port_receive(port, frame, sizeof(frame));
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&ti->count), 0);
	vnic_card_port_receive(port, frame, sizeof(frame));
	KUNIT_ASSERT_TRUE(test, vnic_t_irq_wait(ti, 1));

	/* Timer only: 10 ms after the completion, not before. */
	vnic_t_wr(t, 1, VNIC_REG_ITR_RX_FRAMES(1), 0);
	vnic_t_wr(t, 1, VNIC_REG_ITR_RX_USECS(1), VNIC_HW_ITR_MAX_USECS);
	vnic_card_port_receive(port, frame, sizeof(frame));
	KUNIT_EXPECT_EQ(test, atomic_read(&ti->count), 1);
	KUNIT_ASSERT_TRUE(test, vnic_t_irq_wait(ti, 2));
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_IRQS), 2);

	/* Steered to vector 2 by Q_VEC: vector 1 stays quiet. */
	vnic_t_wr(t, 1, VNIC_REG_Q(0, VNIC_Q_VEC), 2);
	vnic_card_port_receive(port, frame, sizeof(frame));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_CAUSE(0)), BIT(2));
	KUNIT_EXPECT_EQ(test, atomic_read(&ti->count), 2);
}

/*
 * Vectors past 31 live in the next interrupt bank: a port of 40 queue
 * pairs has 41 vectors, 32..40 in bank 1, bits 0..8. A bank's writes act
 * on its own vectors alone, and bits of vectors the port lacks read 0.
 */
static void vnic_card_irq_bank_test(struct kunit *test)
{
	struct vnic_t *t = vnic_t_new(test, 40);
	struct vnic_t_irq *ti = vnic_t_irq_request(t, 1, 36, true);
	u8 frame[ETH_ZLEN];

	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_MASK(0)), ~0U);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_MASK(1)), GENMASK(8, 0));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_MASK(2)), 0);
	KUNIT_EXPECT_EQ(test, VNIC_INT_BANK(36), 1);
	KUNIT_EXPECT_EQ(test, VNIC_INT_BIT(36), BIT(4));

	vnic_t_rx_setup(t, 1, VNIC_T_RING);
	vnic_t_wr(t, 1, VNIC_REG_Q(0, VNIC_Q_VEC), 36);
	vnic_t_q_ctrl(t, 1, false, true);
	vnic_t_rx_post(t, 1, 8);
	vnic_t_fill_frame(t, frame, sizeof(frame), 1);

	/* Bank 0 unmasked whole: vector 36, in bank 1, stays masked. */
	vnic_t_wr(t, 1, VNIC_REG_INT_MASK_CLR(0), ~0U);
	vnic_card_port_receive(&t->card->port[1], frame, sizeof(frame));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_CAUSE(1)), BIT(4));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_CAUSE(0)), 0);
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&ti->count), 0);

	/* Unmasked in its bank: delivered, the cause gone, masked again. */
	vnic_t_wr(t, 1, VNIC_REG_INT_MASK_CLR(1), BIT(4));
	KUNIT_ASSERT_TRUE(test, vnic_t_irq_wait(ti, 1));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_CAUSE(1)), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_MASK(1)), GENMASK(8, 0));

	/* Vectors the port lacks: nothing to unmask or raise. */
	vnic_t_wr(t, 1, VNIC_REG_INT_MASK_CLR(1), GENMASK(31, 9));
	vnic_t_wr(t, 1, VNIC_REG_INT_TEST(2), ~0U);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_MASK(1)), GENMASK(8, 0));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_CAUSE(1)), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_CAUSE(2)), 0);

	/* INT_TEST of bank 1 raises vector 36 (masked: it stays pending). */
	vnic_t_wr(t, 1, VNIC_REG_INT_TEST(1), BIT(4));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_CAUSE(1)), BIT(4));
	vnic_t_wr(t, 1, VNIC_REG_INT_CAUSE(1), BIT(4));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_CAUSE(1)), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ti->count), 1);

	/* A reset masks every bank again. */
	vnic_t_wr(t, 1, VNIC_REG_CTRL, VNIC_CTRL_RESET);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_MASK(0)), ~0U);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_MASK(1)), GENMASK(8, 0));
}

/*
 * The card at its limits: VNIC_HW_MAX_QUEUES queue pairs and TX-only
 * queues, VNIC_HW_MAX_VECTORS vectors, the last of them alone in the last
 * bank, each with its own registers.
 */
static void vnic_card_max_queues_test(struct kunit *test)
{
	struct vnic_t *t = vnic_t_new(test, VNIC_HW_MAX_QUEUES);
	unsigned int last = VNIC_HW_MAX_VECTORS - 1;
	u32 caps = vnic_t_rd(t, 0, VNIC_REG_CAPS);

	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_CAPS_QUEUES, caps), VNIC_HW_MAX_QUEUES);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_CAPS_XDP_TXQS, caps), VNIC_HW_MAX_QUEUES);
	KUNIT_EXPECT_EQ(test, VNIC_INT_BANK(last), VNIC_INT_BANKS - 1);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_INT_MASK(VNIC_INT_BANK(last))),
			VNIC_INT_BIT(last) | (VNIC_INT_BIT(last) - 1));

	vnic_t_wr(t, 0, VNIC_REG_ITR_TX_FRAMES(last), 7);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_ITR_TX_FRAMES(last)), 7);
	vnic_t_wr(t, 0, VNIC_REG_Q(VNIC_HW_MAX_QUEUES - 1, VNIC_Q_TXD_SIZE), 64);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(VNIC_HW_MAX_QUEUES - 1, VNIC_Q_TXD_SIZE)),
			64);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(VNIC_HW_MAX_QUEUES - 1, VNIC_Q_VEC)),
			last);
	vnic_t_wr(t, 0, VNIC_REG_XDPQ(VNIC_HW_MAX_QUEUES - 1, VNIC_Q_TXD_SIZE), 128);
	KUNIT_EXPECT_EQ(test,
			vnic_t_rd(t, 0, VNIC_REG_XDPQ(VNIC_HW_MAX_QUEUES - 1, VNIC_Q_TXD_SIZE)),
			128);
	/* The queue pair's registers are its own. */
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(VNIC_HW_MAX_QUEUES - 1, VNIC_Q_TXD_SIZE)),
			64);
}

VNIC_T_SUITE(vnic_card_irq, "vnic-card-irq", vnic_t_init,
	     KUNIT_CASE(vnic_card_irq_test),
	     KUNIT_CASE(vnic_card_misc_irq_test),
	     KUNIT_CASE(vnic_card_xdpq_test),
	     KUNIT_CASE(vnic_card_xdpq_count_test),
	     KUNIT_CASE(vnic_card_moderation_test));

/* Cards of their own sizes: no fixture of two queue pairs first. */
VNIC_T_SUITE(vnic_card_irq_banks, "vnic-card-irq-banks", NULL,
	     KUNIT_CASE(vnic_card_irq_bank_test),
	     KUNIT_CASE(vnic_card_max_queues_test));
