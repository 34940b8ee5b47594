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
	vnic_t_wr(t, 1, VNIC_REG_INT_MASK_CLR, BIT(1));

	vnic_port_receive(&t->card->port[1], frame, sizeof(frame));
	KUNIT_ASSERT_TRUE(test, vnic_t_irq_wait(ti, 1));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_MASK) & BIT(1), BIT(1));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_CAUSE), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_IRQS), 1);

	/* Masked by the handler: the next completion leaves a cause. */
	vnic_port_receive(&t->card->port[1], frame, sizeof(frame));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_CAUSE), BIT(1));
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&ti->count), 1);
	vnic_t_wr(t, 1, VNIC_REG_INT_MASK_CLR, BIT(1));
	KUNIT_ASSERT_TRUE(test, vnic_t_irq_wait(ti, 2));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_CAUSE), 0);

	/* A cause cleared by W1C while masked is never delivered. */
	vnic_port_receive(&t->card->port[1], frame, sizeof(frame));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_CAUSE), BIT(1));
	vnic_t_wr(t, 1, VNIC_REG_INT_CAUSE, BIT(1));
	vnic_t_wr(t, 1, VNIC_REG_INT_MASK_CLR, BIT(1));
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&ti->count), 2);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_IRQS), 2);
}

/* The misc vector: INT_TEST and link changes. */
static void vnic_card_misc_irq_test(struct kunit *test)
{
	struct vnic_t *t = test->priv;
	struct vnic_t_irq *ti = vnic_t_irq_request(t, 0, VNIC_VEC_MISC, false);
	u8 frame[ETH_ZLEN];
	u64 w;

	vnic_t_wr(t, 0, VNIC_REG_INT_MASK_CLR, BIT(VNIC_VEC_MISC));
	vnic_t_wr(t, 0, VNIC_REG_INT_TEST, BIT(VNIC_VEC_MISC));
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
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_CAUSE), BIT(VNIC_VEC_MISC));

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
	vnic_t_wr(t, 1, VNIC_REG_INT_MASK_CLR, BIT(1));

	vnic_port_receive(port, frame, sizeof(frame));
	vnic_port_receive(port, frame, sizeof(frame));
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&ti->count), 0);
	vnic_port_receive(port, frame, sizeof(frame));
	KUNIT_ASSERT_TRUE(test, vnic_t_irq_wait(ti, 1));

	/* Timer only: 10 ms after the completion, not before. */
	vnic_t_wr(t, 1, VNIC_REG_ITR_RX_FRAMES(1), 0);
	vnic_t_wr(t, 1, VNIC_REG_ITR_RX_USECS(1), VNIC_HW_ITR_MAX_USECS);
	vnic_port_receive(port, frame, sizeof(frame));
	KUNIT_EXPECT_EQ(test, atomic_read(&ti->count), 1);
	KUNIT_ASSERT_TRUE(test, vnic_t_irq_wait(ti, 2));
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_IRQS), 2);

	/* Steered to vector 2 by Q_VEC: vector 1 stays quiet. */
	vnic_t_wr(t, 1, VNIC_REG_Q(0, VNIC_Q_VEC), 2);
	vnic_port_receive(port, frame, sizeof(frame));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_CAUSE), BIT(2));
	KUNIT_EXPECT_EQ(test, atomic_read(&ti->count), 2);
}

VNIC_T_SUITE(vnic_card_irq, "vnic-card-irq", vnic_t_init,
	     KUNIT_CASE(vnic_card_irq_test),
	     KUNIT_CASE(vnic_card_misc_irq_test),
	     KUNIT_CASE(vnic_card_moderation_test));
