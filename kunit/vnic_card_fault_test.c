// SPDX-License-Identifier: GPL-2.0
/*
 * vnic-card-fault: the faults injected through the card's debugfs knobs:
 * lost interrupts, TX and RX DMA errors, a stalled TX engine, and
 * damaged frames on the wire.
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

static bool vnic_t_wait_atomic(atomic_t *v, int val)
{
	unsigned int i;

	for (i = 0; i < VNIC_T_WAIT_MS; i++) {
		if (atomic_read(v) >= val)
			return true;
		usleep_range(500, 1000);
	}
	return false;
}

/* irq_drop_next and irq_drop_rate: the cause is consumed, nothing arrives. */
static void vnic_card_fault_irq_test(struct kunit *test)
{
	struct vnic_t *t = test->priv;
	struct vnic_t_irq *ti = vnic_t_irq_request(t, 1, 1, false);
	struct vnic_port *port = &t->card->port[1];
	struct vnic_fault *f = &port->fault;
	u8 frame[ETH_ZLEN];
	unsigned int i;

	vnic_t_rx_setup(t, 1, VNIC_T_RING);
	vnic_t_q_ctrl(t, 1, false, true);
	vnic_t_rx_post(t, 1, 16);
	vnic_t_fill_frame(t, frame, sizeof(frame), 1);
	vnic_t_wr(t, 1, VNIC_REG_INT_MASK_CLR(0), BIT(1));

	WRITE_ONCE(f->irq_drop_next, 2);
	for (i = 1; i <= 2; i++) {
		vnic_card_port_receive(port, frame, sizeof(frame));
		KUNIT_ASSERT_TRUE(test, vnic_t_wait_atomic(&f->irqs_lost, i));
	}
	KUNIT_EXPECT_EQ(test, READ_ONCE(f->irq_drop_next), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_CAUSE(0)), 0);
	vnic_card_port_receive(port, frame, sizeof(frame));
	KUNIT_ASSERT_TRUE(test, vnic_t_irq_wait(ti, 1));
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_IRQS), 1);

	WRITE_ONCE(f->irq_drop_rate, 1000000);
	for (i = 3; i <= 4; i++) {
		vnic_card_port_receive(port, frame, sizeof(frame));
		KUNIT_ASSERT_TRUE(test, vnic_t_wait_atomic(&f->irqs_lost, i));
	}
	WRITE_ONCE(f->irq_drop_rate, 0);
	vnic_card_port_receive(port, frame, sizeof(frame));
	KUNIT_ASSERT_TRUE(test, vnic_t_irq_wait(ti, 2));
	KUNIT_EXPECT_EQ(test, atomic_read(&ti->count), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->irqs_lost), 4);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_IRQS), 2);
	/* The completions themselves were all written. */
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), 6);
}

/* tx_dma_err_next: the packet completes with DMA_ERR and is not sent. */
static void vnic_card_fault_tx_dma_test(struct kunit *test)
{
	struct vnic_t *t = test->priv;
	struct vnic_fault *f = &t->card->port[0].fault;
	u8 frame[ETH_ZLEN];

	vnic_t_start(t, VNIC_T_RING);
	vnic_t_fill_frame(t, frame, sizeof(frame), 1);
	WRITE_ONCE(f->tx_dma_err_next, 1);
	vnic_t_tx_frame(t, 0, frame, sizeof(frame), VNIC_TXD_REQ_COMPL);
	vnic_t_tx_frame(t, 0, frame, sizeof(frame), VNIC_TXD_REQ_COMPL);
	vnic_t_tx_kick(t, 0);

	vnic_t_expect_txc(t, 0, VNIC_STATUS_DMA_ERR, 1);
	vnic_t_expect_txc(t, 0, VNIC_STATUS_OK, 2);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_TX_ERRS)), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_DESC_ERR), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->tx_dma_errs), 1);
	KUNIT_EXPECT_EQ(test, READ_ONCE(f->tx_dma_err_next), 0);
}

/* rx_dma_err_next: the frame takes its buffer and reports DMA_ERR. */
static void vnic_card_fault_rx_dma_test(struct kunit *test)
{
	struct vnic_t *t = test->priv;
	struct vnic_port *port = &t->card->port[1];
	u8 frame[200];
	u64 w;

	vnic_t_rx_setup(t, 1, VNIC_T_RING);
	vnic_t_q_ctrl(t, 1, false, true);
	vnic_t_rx_post(t, 1, 4);
	vnic_t_fill_frame(t, frame, sizeof(frame), 1);
	WRITE_ONCE(port->fault.rx_dma_err_next, 1);
	vnic_card_port_receive(port, frame, sizeof(frame));
	vnic_card_port_receive(port, frame, sizeof(frame));

	w = vnic_t_expect_rcq(t, 1, VNIC_STATUS_DMA_ERR);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_BUF, w), 0);
	w = vnic_t_expect_rcq(t, 1, VNIC_STATUS_OK);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_BUF, w), 1);
	KUNIT_EXPECT_MEMEQ(test, t->rx[1].buf + VNIC_T_BUF, frame, sizeof(frame));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(0, VNIC_Q_RX_ERRS)), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_DESC_ERR), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&port->fault.rx_dma_errs), 1);
}

/* tx_stall: nothing is fetched until it is cleared; CTRL.RESET clears it. */
static void vnic_card_fault_tx_stall_test(struct kunit *test)
{
	struct vnic_t *t = test->priv;
	struct vnic_port *port = &t->card->port[0];
	u8 frame[ETH_ZLEN];
	u64 w;

	vnic_t_start(t, VNIC_T_RING);
	vnic_t_fill_frame(t, frame, sizeof(frame), 1);
	vnic_card_fault_set_tx_stall(port, true);
	vnic_t_tx_frame(t, 0, frame, sizeof(frame), VNIC_TXD_REQ_COMPL);
	vnic_t_tx_kick(t, 0);
	KUNIT_EXPECT_TRUE(test, vnic_t_txc_none(t, 0));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_TXD_HEAD)), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), 0);

	/* Released, the engine picks up what waits without a new doorbell. */
	vnic_card_fault_set_tx_stall(port, false);
	KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), VNIC_STATUS_OK);
	KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));

	vnic_card_fault_set_tx_stall(port, true);
	vnic_t_wr(t, 0, VNIC_REG_CTRL, VNIC_CTRL_RESET);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(port->fault.tx_stall));
}

enum vnic_t_wire_fault_kind {
	VNIC_T_FAULT_FCS,
	VNIC_T_FAULT_CSUM,
	VNIC_T_FAULT_TRUNC,
};

struct vnic_t_wire_fault {
	const char *desc;
	enum vnic_t_wire_fault_kind kind;
	bool v6;
	u8 proto;
};

static const struct vnic_t_wire_fault vnic_t_wire_faults[] = {
	{ "bad FCS: dropped, counted", VNIC_T_FAULT_FCS, false, IPPROTO_TCP },
	{ "bit flipped, TCP/IPv4: verdict BAD", VNIC_T_FAULT_CSUM, false, IPPROTO_TCP },
	{ "bit flipped, UDP/IPv4: verdict BAD", VNIC_T_FAULT_CSUM, false, IPPROTO_UDP },
	{ "bit flipped, TCP/IPv6: verdict BAD", VNIC_T_FAULT_CSUM, true, IPPROTO_TCP },
	{ "bit flipped, UDP/IPv6: verdict BAD", VNIC_T_FAULT_CSUM, true, IPPROTO_UDP },
	{ "truncated TCP/IPv4: runt or short, never GOOD", VNIC_T_FAULT_TRUNC, false,
	  IPPROTO_TCP },
	{ "truncated UDP/IPv6: runt or short, never GOOD", VNIC_T_FAULT_TRUNC, true,
	  IPPROTO_UDP },
};

KUNIT_ARRAY_PARAM_DESC(vnic_t_wire_fault, vnic_t_wire_faults, desc);

#define VNIC_T_FAULT_FRAMES	32

/*
 * Damaged frames at rate 100%, sent with checksum offload so that the
 * receiver could otherwise reuse the sender's sum: none is delivered good.
 */
static void vnic_card_fault_wire_test(struct kunit *test)
{
	const struct vnic_t_wire_fault *c = test->param_value;
	struct vnic_t_csum spec = { .v6 = c->v6, .proto = c->proto, .offload = true };
	struct vnic_t *t = test->priv;
	struct vnic_fault *f = &t->card->port[1].fault;
	u32 len, l4 = 0, csum_off = 0, i, n, runts, flipped = 0;
	__sum16 full = 0;
	u8 frame[256], want[256];
	const u8 *got;
	u64 flags, w;

	memset(frame, 0, sizeof(frame));
	len = vnic_t_build_l4(t, &spec, frame, &l4, &csum_off, &full);
	memcpy(want, frame, len);
	memcpy(want + l4 + csum_off, &full, sizeof(full));
	flags = VNIC_TXD_CSUM | FIELD_PREP(VNIC_TXD_CSUM_START, l4) |
		FIELD_PREP(VNIC_TXD_CSUM_OFF, csum_off);
	n = c->kind == VNIC_T_FAULT_TRUNC ? VNIC_T_FAULT_FRAMES : 1;

	vnic_t_start(t, VNIC_T_RING);
	switch (c->kind) {
	case VNIC_T_FAULT_FCS:
		WRITE_ONCE(f->rx_corrupt_fcs_rate, 1000000);
		break;
	case VNIC_T_FAULT_CSUM:
		WRITE_ONCE(f->rx_corrupt_csum_rate, 1000000);
		break;
	case VNIC_T_FAULT_TRUNC:
		WRITE_ONCE(f->rx_truncate_rate, 1000000);
		break;
	}
	for (i = 0; i < n; i++)
		vnic_t_tx_frame(t, 0, frame, len, flags | (i == n - 1 ? VNIC_TXD_REQ_COMPL : 0));
	vnic_t_tx_kick(t, 0);
	KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), VNIC_STATUS_OK);

	switch (c->kind) {
	case VNIC_T_FAULT_FCS:
		KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FCS_ERR), 1);
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(0, VNIC_Q_RBR_HEAD)), 0);
		KUNIT_EXPECT_EQ(test, atomic_read(&f->rx_bad_fcs), 1);
		break;
	case VNIC_T_FAULT_CSUM:
		w = vnic_t_expect_rcq(t, 1, VNIC_STATUS_OK);
		KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_LEN, w), len);
		KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_CSUM, w), VNIC_RCQ_CSUM_BAD);
		got = t->rx[1].buf;
		for (i = 0; i < len; i++)
			flipped += hweight8(got[i] ^ want[i]);
		KUNIT_EXPECT_EQ(test, flipped, 1);
		KUNIT_EXPECT_EQ(test, atomic_read(&f->rx_bad_csum), 1);
		break;
	case VNIC_T_FAULT_TRUNC:
		runts = vnic_t_stat(t, 1, VNIC_REG_STAT_RX_RUNT);
		for (i = runts; i < n; i++) {
			KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
			KUNIT_EXPECT_LT(test, FIELD_GET(VNIC_RCQ_LEN, w), len);
			KUNIT_EXPECT_NE(test, FIELD_GET(VNIC_RCQ_CSUM, w), VNIC_RCQ_CSUM_GOOD);
		}
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(0, VNIC_Q_RBR_HEAD)), n - runts);
		KUNIT_EXPECT_EQ(test, atomic_read(&f->rx_truncated), n);
		break;
	}

	/* With the rates back at 0 the wire is clean again. */
	WRITE_ONCE(f->rx_corrupt_fcs_rate, 0);
	WRITE_ONCE(f->rx_corrupt_csum_rate, 0);
	WRITE_ONCE(f->rx_truncate_rate, 0);
	vnic_t_tx_frame(t, 0, frame, len, flags | VNIC_TXD_REQ_COMPL);
	vnic_t_tx_kick(t, 0);
	KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
	KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_CSUM, w), VNIC_RCQ_CSUM_GOOD);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_LEN, w), len);
}

VNIC_T_SUITE(vnic_card_fault, "vnic-card-fault", vnic_t_init,
	     KUNIT_CASE(vnic_card_fault_irq_test),
	     KUNIT_CASE(vnic_card_fault_tx_dma_test),
	     KUNIT_CASE(vnic_card_fault_rx_dma_test),
	     KUNIT_CASE(vnic_card_fault_tx_stall_test),
	     KUNIT_CASE_PARAM(vnic_card_fault_wire_test, vnic_t_wire_fault_gen_params));
