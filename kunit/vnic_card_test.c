// SPDX-License-Identifier: GPL-2.0
/*
 * vnic-card: the simulated card driven directly, without bus or driver.
 * Each case builds a card, allocates rings with dma_alloc_coherent() on a
 * KUnit device, programs them through BAR0 as a driver would, and checks
 * what the card writes back: frames moved from port 0's TX ring to port
 * 1's RX ring, checksums, completions and their phase, the MAC filter,
 * drops and their counters, RSS, the handling of bad descriptors,
 * interrupts, pause, GSO pass-through (RX_MODE.GSO: a TSO/USO packet over
 * several RX buffers), the TX-only queues for XDP (VNIC_REG_XDPQ) and
 * their descriptor checks, the faults injected through debugfs knobs, and
 * the MAC counters and RMON histograms.
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

#include "../driver/card/vnic_card_priv.h"
#include "vnic_test_util.h"

#define VNIC_T_RING	64		/* entries allocated per ring */
#define VNIC_T_BUF	2048		/* bytes per buffer slot */
#define VNIC_T_WAIT_MS	2000		/* bound on any wait for the card */
#define VNIC_T_ETYPE	0x88b5		/* local experimental ethertype */

static atomic_t vnic_t_ids = ATOMIC_INIT(0x100);

struct vnic_t_txq {
	unsigned int port;
	unsigned int q;
	bool xdpq;	/* q is a TX-only queue (VNIC_REG_XDPQ) */
	u32 size;
	struct vnic_tx_desc *txd;
	dma_addr_t txd_dma;
	struct vnic_tx_cmpl *txc;
	dma_addr_t txc_dma;
	u8 *buf;
	dma_addr_t buf_dma;
	u32 tail;
	u32 cidx;
	bool phase;
};

struct vnic_t_rxq {
	unsigned int port;
	unsigned int q;
	u32 size;
	u32 buf_size;	/* Q_RX_BUF_SIZE to program; 0: VNIC_T_BUF */
	struct vnic_rx_desc *rbr;
	dma_addr_t rbr_dma;
	struct vnic_rx_cmpl *rcq;
	dma_addr_t rcq_dma;
	u8 *buf;
	dma_addr_t buf_dma;
	u32 tail;
	u32 cidx;
	bool phase;
};

struct vnic_t {
	struct kunit *test;
	struct device *dev;
	struct vnic_card *card;
	struct vnic_bar *bar[VNIC_CARD_PORTS];
	struct vnic_t_txq tx[VNIC_CARD_PORTS];	/* queue 0 of each port */
	struct vnic_t_rxq rx[VNIC_CARD_PORTS];
};

static void *vnic_t_alloc(struct vnic_t *t, size_t size, dma_addr_t *dma)
{
	return vnic_kunit_dma_alloc(t->test, t->dev, size, dma);
}

static u32 vnic_t_rd(struct vnic_t *t, unsigned int port, u32 off)
{
	return vnic_bar_read32(t->bar[port], off);
}

static void vnic_t_wr(struct vnic_t *t, unsigned int port, u32 off, u32 val)
{
	vnic_bar_write32(t->bar[port], off, val);
}

static u32 vnic_t_stat(struct vnic_t *t, unsigned int port, u32 off)
{
	return vnic_t_rd(t, port, off);
}

static void vnic_t_mac(struct vnic_t *t, unsigned int port, u8 *mac)
{
	u32 lo = vnic_t_rd(t, port, VNIC_REG_MAC_LO);
	u32 hi = vnic_t_rd(t, port, VNIC_REG_MAC_HI);

	put_unaligned_le32(lo, mac);
	put_unaligned_le16(hi, mac + 4);
}

static int vnic_card_test_init(struct kunit *test)
{
	struct vnic_card_config cfg = {
		.id = atomic_inc_return(&vnic_t_ids),
		.num_queues = 2,
	};
	struct vnic_t *t;
	unsigned int p;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	t->dev = kunit_device_register(test, "vnic-card-test");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->dev);

	t->card = vnic_card_create(&cfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->card);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vnic_kunit_card_destroy, t->card), 0);

	for (p = 0; p < VNIC_CARD_PORTS; p++) {
		struct vnic_t_txq *tx = &t->tx[p];
		struct vnic_t_rxq *rx = &t->rx[p];

		t->bar[p] = vnic_card_bar(t->card, p);
		KUNIT_ASSERT_NOT_NULL(test, t->bar[p]);
		tx->port = p;
		tx->txd = vnic_t_alloc(t, VNIC_T_RING * sizeof(*tx->txd), &tx->txd_dma);
		tx->txc = vnic_t_alloc(t, VNIC_T_RING * sizeof(*tx->txc), &tx->txc_dma);
		tx->buf = vnic_t_alloc(t, VNIC_T_RING * VNIC_T_BUF, &tx->buf_dma);
		rx->port = p;
		rx->rbr = vnic_t_alloc(t, VNIC_T_RING * sizeof(*rx->rbr), &rx->rbr_dma);
		rx->rcq = vnic_t_alloc(t, VNIC_T_RING * sizeof(*rx->rcq), &rx->rcq_dma);
		rx->buf = vnic_t_alloc(t, VNIC_T_RING * VNIC_T_BUF, &rx->buf_dma);
	}
	test->priv = t;
	return 0;
}

/* A register of the TX queue: a queue pair's, or a TX-only queue's. */
static u32 vnic_t_txq_reg(const struct vnic_t_txq *tx, u32 reg)
{
	return tx->xdpq ? VNIC_REG_XDPQ(tx->q, reg) : VNIC_REG_Q(tx->q, reg);
}

static void vnic_t_txq_program(struct vnic_t *t, struct vnic_t_txq *tx, u32 size,
			       u64 txd_dma, u64 txc_dma)
{
	unsigned int p = tx->port;

	vnic_t_wr(t, p, vnic_t_txq_reg(tx, VNIC_Q_TXD_BASE_LO), lower_32_bits(txd_dma));
	vnic_t_wr(t, p, vnic_t_txq_reg(tx, VNIC_Q_TXD_BASE_HI), upper_32_bits(txd_dma));
	vnic_t_wr(t, p, vnic_t_txq_reg(tx, VNIC_Q_TXC_BASE_LO), lower_32_bits(txc_dma));
	vnic_t_wr(t, p, vnic_t_txq_reg(tx, VNIC_Q_TXC_BASE_HI), upper_32_bits(txc_dma));
	vnic_t_wr(t, p, vnic_t_txq_reg(tx, VNIC_Q_TXD_SIZE), size);
	vnic_t_wr(t, p, vnic_t_txq_reg(tx, VNIC_Q_TXD_TAIL), 0);
}

static void vnic_t_rxq_program(struct vnic_t *t, struct vnic_t_rxq *rx, u32 size,
			       u64 rbr_dma, u64 rcq_dma)
{
	unsigned int p = rx->port;

	vnic_t_wr(t, p, VNIC_REG_Q(rx->q, VNIC_Q_RBR_BASE_LO), lower_32_bits(rbr_dma));
	vnic_t_wr(t, p, VNIC_REG_Q(rx->q, VNIC_Q_RBR_BASE_HI), upper_32_bits(rbr_dma));
	vnic_t_wr(t, p, VNIC_REG_Q(rx->q, VNIC_Q_RCQ_BASE_LO), lower_32_bits(rcq_dma));
	vnic_t_wr(t, p, VNIC_REG_Q(rx->q, VNIC_Q_RCQ_BASE_HI), upper_32_bits(rcq_dma));
	vnic_t_wr(t, p, VNIC_REG_Q(rx->q, VNIC_Q_RBR_SIZE), size);
	vnic_t_wr(t, p, VNIC_REG_Q(rx->q, VNIC_Q_RX_BUF_SIZE), rx->buf_size ?: VNIC_T_BUF);
	vnic_t_wr(t, p, VNIC_REG_Q(rx->q, VNIC_Q_RBR_TAIL), 0);
}

/* Enable the queue pair's rings that are set up (Q_CTRL covers both). */
static void vnic_t_q_ctrl(struct vnic_t *t, unsigned int port, bool tx_on, bool rx_on)
{
	vnic_t_wr(t, port, VNIC_REG_Q(0, VNIC_Q_CTRL),
		  (tx_on ? VNIC_Q_CTRL_TX_EN : 0) | (rx_on ? VNIC_Q_CTRL_RX_EN : 0));
}

static void vnic_t_tx_setup(struct vnic_t *t, unsigned int port, u32 size)
{
	struct vnic_t_txq *tx = &t->tx[port];

	tx->size = size;
	tx->tail = 0;
	tx->cidx = 0;
	tx->phase = true;
	vnic_t_txq_program(t, tx, size, tx->txd_dma, tx->txc_dma);
}

/* Post @n buffers: slot i's buffer is the i-th VNIC_T_BUF of the area. */
static void vnic_t_rx_post(struct vnic_t *t, unsigned int port, u32 n)
{
	struct vnic_t_rxq *rx = &t->rx[port];

	while (n--) {
		rx->rbr[rx->tail].addr = cpu_to_le64(rx->buf_dma + rx->tail * VNIC_T_BUF);
		rx->rbr[rx->tail].rsvd = 0;
		rx->tail = (rx->tail + 1) & (rx->size - 1);
	}
	dma_wmb();
	vnic_t_wr(t, rx->port, VNIC_REG_Q(rx->q, VNIC_Q_RBR_TAIL), rx->tail);
}

static void vnic_t_rx_setup(struct vnic_t *t, unsigned int port, u32 size)
{
	struct vnic_t_rxq *rx = &t->rx[port];

	rx->size = size;
	rx->tail = 0;
	rx->cidx = 0;
	rx->phase = true;
	vnic_t_rxq_program(t, rx, size, rx->rbr_dma, rx->rcq_dma);
}

/*
 * The usual start: port 0 queue 0 sends (from TX-only queue 0 if
 * t->tx[0].xdpq), port 1 queue 0 receives.
 */
static void vnic_t_start(struct vnic_t *t, u32 size)
{
	struct vnic_t_txq *tx = &t->tx[0];

	vnic_t_tx_setup(t, 0, size);
	if (tx->xdpq)
		vnic_t_wr(t, 0, vnic_t_txq_reg(tx, VNIC_Q_CTRL), VNIC_Q_CTRL_TX_EN);
	else
		vnic_t_q_ctrl(t, 0, true, false);
	vnic_t_rx_setup(t, 1, size);
	vnic_t_q_ctrl(t, 1, false, true);
	KUNIT_ASSERT_EQ(t->test, vnic_t_rd(t, 0, vnic_t_txq_reg(tx, VNIC_Q_STATUS)),
			VNIC_Q_STATUS_TX_EN);
	KUNIT_ASSERT_EQ(t->test, vnic_t_rd(t, 1, VNIC_REG_Q(0, VNIC_Q_STATUS)),
			VNIC_Q_STATUS_RX_EN);
	vnic_t_rx_post(t, 1, size - 1);
}

static void vnic_t_tx_desc(struct vnic_t *t, unsigned int port, u64 addr, u32 len, u64 flags)
{
	struct vnic_t_txq *tx = &t->tx[port];

	tx->txd[tx->tail].addr = cpu_to_le64(addr);
	tx->txd[tx->tail].ctrl = cpu_to_le64(FIELD_PREP(VNIC_TXD_LEN, len) | flags);
	tx->tail = (tx->tail + 1) & (tx->size - 1);
}

/* Copy a frame into the TX buffer slot of the next descriptor and post it. */
static void vnic_t_tx_frame(struct vnic_t *t, unsigned int port, const void *frame,
			    u32 len, u64 flags)
{
	struct vnic_t_txq *tx = &t->tx[port];

	memcpy(tx->buf + tx->tail * VNIC_T_BUF, frame, len);
	vnic_t_tx_desc(t, port, tx->buf_dma + tx->tail * VNIC_T_BUF, len,
		       VNIC_TXD_EOP | flags);
}

static void vnic_t_tx_kick(struct vnic_t *t, unsigned int port)
{
	dma_wmb();
	vnic_t_wr(t, port, vnic_t_txq_reg(&t->tx[port], VNIC_Q_TXD_TAIL), t->tx[port].tail);
}

/* Wait until the engine has done what it can with what was posted. */
static void vnic_t_flush(struct vnic_t *t)
{
	unsigned int p, q;

	for (p = 0; p < VNIC_CARD_PORTS; p++)
		for (q = 0; q < t->card->port[p].num_txqs; q++)
			flush_work(&t->card->port[p].txq[q].work);
}

static bool vnic_t_txc_next(struct vnic_t *t, unsigned int port, u64 *word)
{
	struct vnic_t_txq *tx = &t->tx[port];
	unsigned int i;

	for (i = 0; i < VNIC_T_WAIT_MS; i++) {
		u64 w = le64_to_cpu(READ_ONCE(tx->txc[tx->cidx].word));

		if (!!(w & VNIC_TXC_DONE) == tx->phase) {
			dma_rmb();
			*word = w;
			if (++tx->cidx == tx->size) {
				tx->cidx = 0;
				tx->phase = !tx->phase;
			}
			return true;
		}
		usleep_range(500, 1000);
	}
	return false;
}

static bool vnic_t_rcq_next(struct vnic_t *t, unsigned int port, u64 *word)
{
	struct vnic_t_rxq *rx = &t->rx[port];
	unsigned int i;

	for (i = 0; i < VNIC_T_WAIT_MS; i++) {
		u64 w = le64_to_cpu(READ_ONCE(rx->rcq[rx->cidx].word));

		if (!!(w & VNIC_RCQ_DONE) == rx->phase) {
			dma_rmb();
			*word = w;
			if (++rx->cidx == rx->size) {
				rx->cidx = 0;
				rx->phase = !rx->phase;
			}
			return true;
		}
		usleep_range(500, 1000);
	}
	return false;
}

/* A frame to port 1 of @len bytes with a counting payload. */
static void vnic_t_fill_frame(struct vnic_t *t, u8 *frame, u32 len, unsigned int to)
{
	u32 i;

	vnic_t_mac(t, to, frame);
	vnic_t_mac(t, !to, frame + ETH_ALEN);
	put_unaligned_be16(VNIC_T_ETYPE, frame + 2 * ETH_ALEN);
	for (i = ETH_HLEN; i < len; i++)
		frame[i] = i * 7 + len;
}

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
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, p, VNIC_REG_INT_MASK), 0x7);
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, p, VNIC_REG_INT_CAUSE), 0);
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
	{ "INT_MASK_CLR unmasks; reset masks", VNIC_REG_INT_MASK_CLR, 0xff,
	  VNIC_REG_INT_MASK, 0, 0x7 },
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

	KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), b->status);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_HEAD, w), b->head);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, vnic_t_txq_reg(tx, VNIC_Q_TX_ERRS)), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_DESC_ERR), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), 0);

	/* The card goes on: the next good frame goes through. */
	vnic_t_fill_frame(t, frame, sizeof(frame), 1);
	vnic_t_tx_frame(t, 0, frame, sizeof(frame), VNIC_TXD_REQ_COMPL);
	vnic_t_tx_kick(t, 0);
	KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), VNIC_STATUS_OK);
	KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_STATUS, w), VNIC_STATUS_OK);
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
	KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), VNIC_STATUS_OK);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_HEAD, w), 3);
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

struct vnic_t_csum {
	const char *desc;
	bool v6;
	u8 proto;
	bool offload;		/* the card fills in the checksum */
	bool corrupt;		/* a payload byte changes after summing */
	bool zero;		/* UDP checksum 0: none computed */
	bool frag;		/* IPv4 fragment */
	bool not_ip;
	bool bad_seed;		/* the driver seeded a wrong pseudo-header sum */
	u8 verdict;
};

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

#define VNIC_T_PAYLOAD	101	/* odd, to test the trailing byte */

/* Build the frame; return its length and where the L4 header starts. */
static u32 vnic_t_build_l4(struct vnic_t *t, const struct vnic_t_csum *c, u8 *frame,
			   u32 *l4off, u32 *csum_off, __sum16 *full)
{
	u32 l3 = ETH_HLEN, l4, l4len, len, i;
	__sum16 *check;
	__wsum sum;

	vnic_t_fill_frame(t, frame, ETH_HLEN, 1);
	l4 = l3 + (c->v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr));
	l4len = (c->proto == IPPROTO_TCP ? sizeof(struct tcphdr) : sizeof(struct udphdr)) +
		VNIC_T_PAYLOAD;
	len = l4 + l4len;
	for (i = l4; i < len; i++)
		frame[i] = i * 13;

	if (c->v6) {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(frame + l3);

		put_unaligned_be16(ETH_P_IPV6, frame + 2 * ETH_ALEN);
		memset(ip6, 0, sizeof(*ip6));
		ip6->version = 6;
		ip6->payload_len = htons(l4len);
		ip6->nexthdr = c->proto;
		ip6->hop_limit = 64;
		ip6->saddr.s6_addr[0] = 0xfd;
		ip6->saddr.s6_addr[15] = 1;
		ip6->daddr.s6_addr[0] = 0xfd;
		ip6->daddr.s6_addr[15] = 2;
	} else {
		struct iphdr *iph = (struct iphdr *)(frame + l3);

		put_unaligned_be16(c->not_ip ? VNIC_T_ETYPE : ETH_P_IP, frame + 2 * ETH_ALEN);
		memset(iph, 0, sizeof(*iph));
		iph->version = 4;
		iph->ihl = 5;
		iph->tot_len = htons(sizeof(*iph) + l4len);
		iph->frag_off = c->frag ? htons(IP_MF) : 0;
		iph->ttl = 64;
		iph->protocol = c->proto;
		iph->saddr = htonl(0xc0a80001);
		iph->daddr = htonl(0xc0a80002);
		iph->check = ip_fast_csum(iph, iph->ihl);
	}

	if (c->proto == IPPROTO_TCP) {
		struct tcphdr *th = (struct tcphdr *)(frame + l4);

		th->doff = 5;
		*csum_off = offsetof(struct tcphdr, check);
	} else {
		struct udphdr *uh = (struct udphdr *)(frame + l4);

		uh->len = htons(l4len);
		*csum_off = offsetof(struct udphdr, check);
	}
	check = (__sum16 *)(frame + l4 + *csum_off);

	/* The full checksum, as the receiver must find it. */
	*check = 0;
	sum = csum_partial(frame + l4, l4len, 0);
	if (c->v6) {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(frame + l3);

		*full = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, l4len, c->proto, sum);
		if (c->offload)
			*check = ~csum_ipv6_magic(&ip6->saddr, &ip6->daddr, l4len, c->proto, 0);
	} else {
		struct iphdr *iph = (struct iphdr *)(frame + l3);

		*full = csum_tcpudp_magic(iph->saddr, iph->daddr, l4len, c->proto, sum);
		if (c->offload)
			*check = ~csum_tcpudp_magic(iph->saddr, iph->daddr, l4len, c->proto, 0);
	}
	if (!*full)
		*full = CSUM_MANGLED_0;
	if (!c->offload)
		*check = c->zero ? 0 : *full;
	if (c->bad_seed)
		*check = (__force __sum16)((__force u16)*check ^ 0x1234);
	if (c->corrupt)
		frame[len - 1] ^= 0x40;
	*l4off = l4;
	return len;
}

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
	KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_STATUS, w), VNIC_STATUS_OK);
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
	KUNIT_EXPECT_EQ(test, vnic_rx_csum(t->rx[1].buf, len), c->verdict);
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

	KUNIT_EXPECT_EQ(test, vnic_mc_hash_bin(m->addr), m->bin);
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
		u32 bin = vnic_mc_hash_bin(mcast);

		vnic_t_wr(t, 1, bin < 32 ? VNIC_REG_MC_HASH_LO : VNIC_REG_MC_HASH_HI,
			  BIT(bin % 32));
	} else {
		/* Every bin but the one the address falls in. */
		u64 hash = ~BIT_ULL(vnic_mc_hash_bin(mcast));

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

	vnic_port_receive(port, frame, sizeof(frame));
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

	vnic_port_receive(&t->card->port[1], frame, d->len);
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

	vnic_port_receive(&t->card->port[1], frame, b->len);
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

	vnic_port_receive(&t->card->port[1], frame, c->len);
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

	vnic_port_receive(&t->card->port[1], frame, sizeof(frame));	/* needs 4 */
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_MISSED), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(0, VNIC_Q_RBR_HEAD)), 0);

	vnic_port_receive(&t->card->port[1], frame, 700);		/* needs 3 */
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(0, VNIC_Q_RBR_HEAD)), 3);
	KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_LEN, w), 256);
}

/* The key and vectors of Microsoft's "Verifying the RSS Hash Calculation". */
static const u8 vnic_t_ms_key[VNIC_RSS_KEY_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
	0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
	0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
	0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

struct vnic_t_toeplitz {
	const char *desc;
	u8 in[36];
	u32 len;
	u32 hash;
};

static const struct vnic_t_toeplitz vnic_t_toeplitzs[] = {
	{ "IPv4 66.9.149.187 -> 161.142.100.80",
	  { 66, 9, 149, 187, 161, 142, 100, 80 }, 8, 0x323e8fc2 },
	{ "TCP/IPv4 66.9.149.187:2794 -> 161.142.100.80:1766",
	  { 66, 9, 149, 187, 161, 142, 100, 80, 0x0a, 0xea, 0x06, 0xe6 }, 12, 0x51ccc178 },
	{ "TCP/IPv4 199.92.111.2:14230 -> 65.69.140.83:4739",
	  { 199, 92, 111, 2, 65, 69, 140, 83, 0x37, 0x96, 0x12, 0x83 }, 12, 0xc626b0ea },
	{ "TCP/IPv6 3ffe:2501:200:1fff::7:2794 -> 3ffe:2501:200:3::1:1766",
	  { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x1f, 0xff, 0, 0, 0, 0, 0, 0, 0, 0x07,
	    0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0, 0x01,
	    0x0a, 0xea, 0x06, 0xe6 }, 36, 0x40207d3d },
};

KUNIT_ARRAY_PARAM_DESC(vnic_t_toeplitz, vnic_t_toeplitzs, desc);

static void vnic_card_toeplitz_test(struct kunit *test)
{
	const struct vnic_t_toeplitz *v = test->param_value;

	KUNIT_EXPECT_EQ(test, vnic_rss_toeplitz(vnic_t_ms_key, v->in, v->len), v->hash);
}

enum vnic_t_rss_kind {
	VNIC_T_RSS_TCP4,
	VNIC_T_RSS_FRAG4,
	VNIC_T_RSS_TCP6,
	VNIC_T_RSS_NOT_IP,
};

struct vnic_t_rss {
	const char *desc;
	bool on;
	enum vnic_t_rss_kind kind;
	unsigned int q;
	u8 type;
	u32 hash;
};

static const struct vnic_t_rss vnic_t_rsss[] = {
	{ "TCP/IPv4: L4 hash, steered", true, VNIC_T_RSS_TCP4, 1, VNIC_RCQ_HASH_L4, 0x51ccc178 },
	{ "IPv4 fragment: L3 hash, steered", true, VNIC_T_RSS_FRAG4, 1, VNIC_RCQ_HASH_L3,
	  0x323e8fc2 },
	{ "TCP/IPv6: L4 hash, steered", true, VNIC_T_RSS_TCP6, 1, VNIC_RCQ_HASH_L4, 0x40207d3d },
	{ "not IP: queue 0, no hash", true, VNIC_T_RSS_NOT_IP, 0, VNIC_RCQ_HASH_NONE, 0 },
	{ "RSS off: queue 0, no hash", false, VNIC_T_RSS_TCP4, 0, VNIC_RCQ_HASH_NONE, 0 },
};

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
	struct vnic_t_rxq *rx;
	u32 len, slot, i;
	u8 frame[256];
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

	for (i = 0; i < VNIC_RSS_KEY_SIZE / 4; i++)
		vnic_t_wr(t, 1, VNIC_REG_RSS_KEY(i), get_unaligned_le32(vnic_t_ms_key + i * 4));
	for (i = 0; i < VNIC_RSS_INDIR_SIZE / 4; i++)
		vnic_t_wr(t, 1, VNIC_REG_RSS_INDIR(i), 0x01010101);
	vnic_t_wr(t, 1, VNIC_REG_RSS_CTRL, r->on ? VNIC_RSS_CTRL_EN : 0);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_RSS_KEY(1)),
			get_unaligned_le32(vnic_t_ms_key + 4));

	len = vnic_t_build_rss(t, r->kind, frame);
	vnic_port_receive(&t->card->port[1], frame, len);

	rx = r->q ? &t->rx[0] : &t->rx[1];
	slot = rx->cidx;
	KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, r->q ? 0 : 1, &w));
	hash = le64_to_cpu(rx->rcq[slot].hash);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_STATUS, w), VNIC_STATUS_OK);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_HASH_TYPE, w), r->type);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_HASH_VAL, hash), r->hash);
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

struct vnic_t_irq {
	atomic_t count;
	unsigned int irq;
	struct vnic_bar *bar;
	unsigned int vec;
	bool mask_in_handler;
};

static irqreturn_t vnic_t_irq_handler(int irq, void *data)
{
	struct vnic_t_irq *ti = data;

	/* As the driver does: mask the vector, then count. */
	if (ti->mask_in_handler)
		vnic_bar_write32(ti->bar, VNIC_REG_INT_MASK_SET, BIT(ti->vec));
	atomic_inc(&ti->count);
	return IRQ_HANDLED;
}

static void vnic_t_irq_free(void *data)
{
	struct vnic_t_irq *ti = data;

	free_irq(ti->irq, ti);
}

static struct vnic_t_irq *vnic_t_irq_request(struct vnic_t *t, unsigned int port,
					     unsigned int vec, bool mask_in_handler)
{
	struct kunit *test = t->test;
	struct vnic_t_irq *ti;
	int irq;

	ti = kunit_kzalloc(test, sizeof(*ti), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ti);
	irq = vnic_card_irq(t->card, port, vec);
	KUNIT_ASSERT_GT(test, irq, 0);
	ti->irq = irq;
	ti->bar = t->bar[port];
	ti->vec = vec;
	ti->mask_in_handler = mask_in_handler;
	KUNIT_ASSERT_EQ(test, request_irq(irq, vnic_t_irq_handler, 0, "vnic-test", ti), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vnic_t_irq_free, ti), 0);
	return ti;
}

static bool vnic_t_irq_wait(struct vnic_t_irq *ti, int count)
{
	unsigned int i;

	for (i = 0; i < VNIC_T_WAIT_MS; i++) {
		if (atomic_read(&ti->count) >= count)
			return true;
		usleep_range(500, 1000);
	}
	return false;
}

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
	vnic_t_wr(t, 0, VNIC_REG_INT_MASK_CLR, BIT(2));

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
			.id = atomic_inc_return(&vnic_t_ids),
			.num_queues = cases[i].queues,
			.xdp_txqs = cases[i].asked,
		};
		struct vnic_card *card = vnic_card_create(&cfg);
		struct vnic_bar *bar;
		u32 caps, got = cases[i].got;

		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, card);
		KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vnic_kunit_card_destroy,
								card), 0);
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

/* Wait until the engine is idle, then check that no TX completion came. */
static bool vnic_t_txc_none(struct vnic_t *t, unsigned int port)
{
	struct vnic_t_txq *tx = &t->tx[port];

	vnic_t_flush(t);
	msleep(20);
	return !!(le64_to_cpu(READ_ONCE(tx->txc[tx->cidx].word)) & VNIC_TXC_DONE) != tx->phase;
}

/* Port 0 sends, port 1 receives with nothing posted; flow control as given. */
static void vnic_t_pause_start(struct vnic_t *t, u32 rx_fc, u32 tx_fc)
{
	vnic_t_tx_setup(t, 0, VNIC_T_RING);
	vnic_t_q_ctrl(t, 0, true, false);
	vnic_t_rx_setup(t, 1, VNIC_T_RING);
	vnic_t_q_ctrl(t, 1, false, true);
	vnic_t_wr(t, 1, VNIC_REG_FLOW_CTRL, rx_fc);
	vnic_t_wr(t, 0, VNIC_REG_FLOW_CTRL, tx_fc);
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
	/* One pause frame, sent by the receiver and taken by the sender. */
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_TX_PAUSE_FRAMES), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_RX_PAUSE_FRAMES), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_PAUSE_FRAMES), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_PAUSE_FRAMES), 0);
	/* A held frame has not arrived, nor gone out. */
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_HIST(2)), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_HIST(2)), 0);

	/* A posted buffer lets it through, once. */
	vnic_t_rx_post(t, 1, 1);
	KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), VNIC_STATUS_OK);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_HEAD, w), 1);
	KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_STATUS, w), VNIC_STATUS_OK);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_LEN, w), sizeof(frame));
	KUNIT_EXPECT_MEMEQ(test, t->rx[1].buf, frame, sizeof(frame));
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_MISSED), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_PAUSED), 1);
	/* Its retries while held were no new pause, nor new arrivals. */
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_TX_PAUSE_FRAMES), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_RX_PAUSE_FRAMES), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_HIST(2)), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_HIST(2)), 1);
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
	KUNIT_EXPECT_EQ(test, READ_ONCE(sender->tx_paused), 0);
	if (c->kind == VNIC_T_END_LINK_DOWN)
		vnic_card_set_link(t->card, true);
}

#define VNIC_T_MSS	100
#define VNIC_T_SEGS	4

/* An IPv4 header (no options) of a frame of @len bytes, @proto inside. */
static void vnic_t_ipv4_hdr(u8 *frame, u32 len, u8 proto)
{
	struct iphdr *iph = (struct iphdr *)(frame + ETH_HLEN);

	put_unaligned_be16(ETH_P_IP, frame + 2 * ETH_ALEN);
	iph->version = 4;
	iph->ihl = 5;
	iph->tot_len = htons(len - ETH_HLEN);
	iph->ttl = 64;
	iph->protocol = proto;
	iph->saddr = htonl(0xc0a80001);
	iph->daddr = htonl(0xc0a80002);
	iph->check = ip_fast_csum(iph, iph->ihl);
}

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
		KUNIT_EXPECT_EQ(test, vnic_rx_csum(rx->buf + i * VNIC_T_BUF, seg),
				VNIC_RCQ_CSUM_GOOD);
	}
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), VNIC_T_SEGS);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), VNIC_T_SEGS);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_MISSED), 0);
	KUNIT_EXPECT_TRUE(test, vnic_t_txc_none(t, 0));
}

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
	vnic_t_wr(t, 1, VNIC_REG_INT_MASK_CLR, BIT(1));

	WRITE_ONCE(f->irq_drop_next, 2);
	for (i = 1; i <= 2; i++) {
		vnic_port_receive(port, frame, sizeof(frame));
		KUNIT_ASSERT_TRUE(test, vnic_t_wait_atomic(&f->irqs_lost, i));
	}
	KUNIT_EXPECT_EQ(test, READ_ONCE(f->irq_drop_next), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_INT_CAUSE), 0);
	vnic_port_receive(port, frame, sizeof(frame));
	KUNIT_ASSERT_TRUE(test, vnic_t_irq_wait(ti, 1));
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_IRQS), 1);

	WRITE_ONCE(f->irq_drop_rate, 1000000);
	for (i = 3; i <= 4; i++) {
		vnic_port_receive(port, frame, sizeof(frame));
		KUNIT_ASSERT_TRUE(test, vnic_t_wait_atomic(&f->irqs_lost, i));
	}
	WRITE_ONCE(f->irq_drop_rate, 0);
	vnic_port_receive(port, frame, sizeof(frame));
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
	u64 w;

	vnic_t_start(t, VNIC_T_RING);
	vnic_t_fill_frame(t, frame, sizeof(frame), 1);
	WRITE_ONCE(f->tx_dma_err_next, 1);
	vnic_t_tx_frame(t, 0, frame, sizeof(frame), VNIC_TXD_REQ_COMPL);
	vnic_t_tx_frame(t, 0, frame, sizeof(frame), VNIC_TXD_REQ_COMPL);
	vnic_t_tx_kick(t, 0);

	KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), VNIC_STATUS_DMA_ERR);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_HEAD, w), 1);
	KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), VNIC_STATUS_OK);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_HEAD, w), 2);
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
	vnic_port_receive(port, frame, sizeof(frame));
	vnic_port_receive(port, frame, sizeof(frame));

	KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_STATUS, w), VNIC_STATUS_DMA_ERR);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_BUF, w), 0);
	KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_STATUS, w), VNIC_STATUS_OK);
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
	vnic_fault_set_tx_stall(port, true);
	vnic_t_tx_frame(t, 0, frame, sizeof(frame), VNIC_TXD_REQ_COMPL);
	vnic_t_tx_kick(t, 0);
	KUNIT_EXPECT_TRUE(test, vnic_t_txc_none(t, 0));
	KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 0, VNIC_REG_Q(0, VNIC_Q_TXD_HEAD)), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), 0);

	/* Released, the engine picks up what waits without a new doorbell. */
	vnic_fault_set_tx_stall(port, false);
	KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), VNIC_STATUS_OK);
	KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));

	vnic_fault_set_tx_stall(port, true);
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
		KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
		KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_STATUS, w), VNIC_STATUS_OK);
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

/* ---- GSO pass-through (RX_MODE.GSO) ---- */

#define VNIC_T_GSO_MSS		300
#define VNIC_T_GSO_SEGS		10
#define VNIC_T_GSO_BUF		960	/* Q_RX_BUF_SIZE: several per packet */
#define VNIC_T_GSO_MAX		4096

enum vnic_t_gso_kind {
	VNIC_T_GSO_WHOLE,	/* taken whole over several buffers */
	VNIC_T_GSO_CUT,		/* segmented as ever */
	VNIC_T_GSO_MISSED,	/* too few buffers, no pause: missed whole */
	VNIC_T_GSO_HELD,	/* too few buffers, pause: held, then whole */
	VNIC_T_GSO_DMA_ERR,	/* rx_dma_err: the last part fails */
	VNIC_T_GSO_TX_BAD,	/* a TX buffer past the headers does not map */
};

struct vnic_t_gso {
	const char *desc;
	bool v6;
	bool udp;
	bool gso_on;		/* the receiver's RX_MODE.GSO */
	bool wire_fault;	/* an RX wire fault armed on the receiver */
	u32 segs;		/* payload = segs * MSS */
	enum vnic_t_gso_kind kind;
	u8 rcq_type;		/* VNIC_RCQ_GSO_* of a whole packet */
};

static const struct vnic_t_gso vnic_t_gsos[] = {
	{ "TCP/IPv4, bit on: whole", false, false, true, false, VNIC_T_GSO_SEGS,
	  VNIC_T_GSO_WHOLE, VNIC_RCQ_GSO_TCPV4 },
	{ "TCP/IPv6, bit on: whole", true, false, true, false, VNIC_T_GSO_SEGS,
	  VNIC_T_GSO_WHOLE, VNIC_RCQ_GSO_TCPV6 },
	{ "UDP/IPv4, bit on: whole", false, true, true, false, VNIC_T_GSO_SEGS,
	  VNIC_T_GSO_WHOLE, VNIC_RCQ_GSO_UDP_L4 },
	{ "UDP/IPv6, bit on: whole", true, true, true, false, VNIC_T_GSO_SEGS,
	  VNIC_T_GSO_WHOLE, VNIC_RCQ_GSO_UDP_L4 },
	{ "TCP/IPv4, bit off: segmented", false, false, false, false, VNIC_T_GSO_SEGS,
	  VNIC_T_GSO_CUT },
	{ "UDP/IPv6, bit off: segmented", true, true, false, false, VNIC_T_GSO_SEGS,
	  VNIC_T_GSO_CUT },
	{ "bit on, RX wire fault armed: segmented", false, false, true, true, VNIC_T_GSO_SEGS,
	  VNIC_T_GSO_CUT },
	{ "bit on, one segment: segmented", false, false, true, false, 1, VNIC_T_GSO_CUT },
	{ "bit on, too few buffers: missed whole", false, false, true, false, VNIC_T_GSO_SEGS,
	  VNIC_T_GSO_MISSED },
	{ "bit on, too few buffers, pause: held, then whole", true, false, true, false,
	  VNIC_T_GSO_SEGS, VNIC_T_GSO_HELD, VNIC_RCQ_GSO_TCPV6 },
	{ "bit on, rx_dma_err: the last part fails", false, false, true, false,
	  VNIC_T_GSO_SEGS, VNIC_T_GSO_DMA_ERR },
	{ "bit on, TX buffer past the headers beyond memory: TX DMA error", false, false,
	  true, false, VNIC_T_GSO_SEGS, VNIC_T_GSO_TX_BAD },
	{ "bit off, TX buffer past the headers beyond memory: TX DMA error", false, false,
	  false, false, VNIC_T_GSO_SEGS, VNIC_T_GSO_TX_BAD },
};

KUNIT_ARRAY_PARAM_DESC(vnic_t_gso, vnic_t_gsos, desc);

/* A TCP or UDP packet over IPv4 or IPv6 with @segs * MSS payload bytes. */
static u32 vnic_t_build_gso(struct vnic_t *t, const struct vnic_t_gso *c, u8 *frame,
			    u32 *l4off, u32 *hlen)
{
	u32 l4 = ETH_HLEN + (c->v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr));
	u32 thlen = c->udp ? sizeof(struct udphdr) : sizeof(struct tcphdr);
	u32 len = l4 + thlen + c->segs * VNIC_T_GSO_MSS;
	u8 proto = c->udp ? IPPROTO_UDP : IPPROTO_TCP;
	u32 i;

	vnic_t_fill_frame(t, frame, len, 1);
	memset(frame + ETH_HLEN, 0, l4 + thlen - ETH_HLEN);
	if (c->v6) {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(frame + ETH_HLEN);

		put_unaligned_be16(ETH_P_IPV6, frame + 2 * ETH_ALEN);
		ip6->version = 6;
		ip6->payload_len = htons(len - l4);
		ip6->nexthdr = proto;
		ip6->hop_limit = 64;
		ip6->saddr.s6_addr[0] = 0x20;
		ip6->saddr.s6_addr[15] = 1;
		ip6->daddr.s6_addr[0] = 0x20;
		ip6->daddr.s6_addr[15] = 2;
	} else {
		vnic_t_ipv4_hdr(frame, len, proto);
	}
	if (c->udp) {
		struct udphdr *uh = (struct udphdr *)(frame + l4);

		uh->source = htons(1000);
		uh->dest = htons(2000);
		uh->len = htons(len - l4);
		uh->check = 0x1234;	/* a seed; the card must leave it */
	} else {
		struct tcphdr *th = (struct tcphdr *)(frame + l4);

		th->source = htons(1000);
		th->dest = htons(2000);
		th->seq = htonl(5000);
		th->doff = 5;
		th->ack = 1;
		th->check = 0x1234;
	}
	for (i = l4 + thlen; i < len; i++)
		frame[i] = i * 13 + 1;
	*l4off = l4;
	*hlen = l4 + thlen;
	return len;
}

/* Post a packet larger than a TX buffer slot over several descriptors. */
static void vnic_t_tx_big(struct vnic_t *t, const u8 *frame, u32 len, u64 flags)
{
	struct vnic_t_txq *tx = &t->tx[0];
	u32 off, chunk;

	for (off = 0; off < len; off += chunk) {
		chunk = min_t(u32, len - off, VNIC_T_BUF);
		if (off + chunk == len)
			flags |= VNIC_TXD_EOP | VNIC_TXD_REQ_COMPL;
		memcpy(tx->buf + tx->tail * VNIC_T_BUF, frame + off, chunk);
		vnic_t_tx_desc(t, 0, tx->buf_dma + tx->tail * VNIC_T_BUF, chunk, flags);
		flags = 0;
	}
}

/* Read the RCQ entries of one whole packet; they must hold @frame. */
static void vnic_t_gso_check_whole(struct kunit *test, struct vnic_t *t,
				   const struct vnic_t_gso *c, const u8 *frame, u32 len)
{
	u32 parts = DIV_ROUND_UP(len, VNIC_T_GSO_BUF), i, off = 0;
	u8 *got = kunit_kzalloc(test, len, GFP_KERNEL);
	struct vnic_t_rxq *rx = &t->rx[1];

	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_ASSERT_GE(test, parts, 2);
	for (i = 0; i < parts; i++) {
		u32 slot = rx->cidx, n;
		u64 w;

		KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
		n = FIELD_GET(VNIC_RCQ_LEN, w);
		KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_STATUS, w), VNIC_STATUS_OK);
		KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_BUF, w), slot);
		KUNIT_EXPECT_EQ(test, n, min_t(u32, len - off, VNIC_T_GSO_BUF));
		KUNIT_EXPECT_EQ(test, !!(w & VNIC_RCQ_MORE), i + 1 < parts);
		if (!i) {
			KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_GSO_TYPE, w), c->rcq_type);
			KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_MSS, w), VNIC_T_GSO_MSS);
			KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_CSUM, w), VNIC_RCQ_CSUM_PARTIAL);
		} else {
			KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_GSO_TYPE, w), 0);
			KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_MSS, w), 0);
			KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_CSUM, w), 0);
		}
		if (n > len - off)
			n = len - off;
		memcpy(got + off, rx->buf + slot * VNIC_T_BUF, n);
		off += n;
	}
	/* Byte for byte as sent, the checksum field's seed included. */
	KUNIT_EXPECT_EQ(test, off, len);
	KUNIT_EXPECT_MEMEQ(test, got, frame, len);
}

/*
 * A TSO/USO packet from port 0 to port 1: whole over several RBR buffers
 * when port 1 has RX_MODE.GSO (and may be trusted with it), cut as before
 * otherwise. The counters count segments either way.
 */
static void vnic_card_gso_test(struct kunit *test)
{
	const struct vnic_t_gso *c = test->param_value;
	struct vnic_t *t = test->priv;
	struct vnic_port *rxp = &t->card->port[1];
	u32 len, l4, hlen, parts, i;
	u64 flags, w;
	u8 *frame;

	frame = kunit_kzalloc(test, VNIC_T_GSO_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, frame);
	len = vnic_t_build_gso(t, c, frame, &l4, &hlen);
	parts = DIV_ROUND_UP(len, VNIC_T_GSO_BUF);
	flags = VNIC_TXD_CSUM | FIELD_PREP(VNIC_TXD_CSUM_START, l4) |
		FIELD_PREP(VNIC_TXD_CSUM_OFF, c->udp ? offsetof(struct udphdr, check) :
						       offsetof(struct tcphdr, check)) |
		FIELD_PREP(VNIC_TXD_SEG, c->udp ? VNIC_TXD_SEG_UDP : VNIC_TXD_SEG_TCP) |
		FIELD_PREP(VNIC_TXD_MSS, VNIC_T_GSO_MSS);

	t->rx[1].buf_size = VNIC_T_GSO_BUF;
	if (c->kind == VNIC_T_GSO_HELD)
		vnic_t_pause_start(t, VNIC_FC_TX_PAUSE, VNIC_FC_RX_PAUSE);
	else
		vnic_t_pause_start(t, 0, 0);
	vnic_t_wr(t, 1, VNIC_REG_RX_MODE, VNIC_RX_MODE_BCAST | (c->gso_on ? VNIC_RX_MODE_GSO : 0));
	if (c->wire_fault)
		WRITE_ONCE(rxp->fault.rx_truncate_rate, 1);	/* armed, 1 in 10^6 */
	if (c->kind == VNIC_T_GSO_DMA_ERR)
		WRITE_ONCE(rxp->fault.rx_dma_err_next, 1);
	if (c->kind == VNIC_T_GSO_MISSED || c->kind == VNIC_T_GSO_HELD)
		vnic_t_rx_post(t, 1, parts - 1);
	else
		vnic_t_rx_post(t, 1, VNIC_T_RING - 1);
	vnic_t_tx_big(t, frame, len, flags);
	/*
	 * The engine gathers only the headers of a packet it may pass whole;
	 * the buffers it leaves in host memory are checked all the same.
	 */
	if (c->kind == VNIC_T_GSO_TX_BAD)
		t->tx[0].txd[(t->tx[0].tail - 1) & (t->tx[0].size - 1)].addr =
			cpu_to_le64(BIT_ULL(51));
	vnic_t_tx_kick(t, 0);

	if (c->kind == VNIC_T_GSO_TX_BAD) {
		KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
		KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), VNIC_STATUS_DMA_ERR);
		KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_DESC_ERR), 1);
		KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), 0);
		KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), 0);
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(0, VNIC_Q_RBR_HEAD)), 0);
		return;
	}

	if (c->kind == VNIC_T_GSO_HELD) {
		KUNIT_EXPECT_TRUE(test, vnic_t_txc_none(t, 0));
		KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_PAUSED), 1);
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(0, VNIC_Q_RBR_HEAD)), 0);
		vnic_t_rx_post(t, 1, 1);
	}
	KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), VNIC_STATUS_OK);
	/* What segmenting gives: the sender counts segments whatever happened. */
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), c->segs);
	/* So do the MAC counters, at both ends, whole or cut. */
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_OCTETS),
			c->segs * (hlen + VNIC_T_GSO_MSS - ETH_HLEN));
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_HIST(3)), c->segs);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_HIST(3)), c->segs);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_OCTETS),
			c->kind == VNIC_T_GSO_MISSED || c->kind == VNIC_T_GSO_DMA_ERR ? 0 :
			c->segs * (hlen + VNIC_T_GSO_MSS - ETH_HLEN));

	switch (c->kind) {
	case VNIC_T_GSO_WHOLE:
	case VNIC_T_GSO_HELD:
		vnic_t_gso_check_whole(test, t, c, frame, len);
		KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), c->segs);
		break;
	case VNIC_T_GSO_CUT:
		for (i = 0; i < c->segs; i++) {
			struct vnic_t_rxq *rx = &t->rx[1];
			u32 slot = rx->cidx;
			const u8 *seg = rx->buf + slot * VNIC_T_BUF;

			KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
			KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_STATUS, w), VNIC_STATUS_OK);
			KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_LEN, w), hlen + VNIC_T_GSO_MSS);
			KUNIT_EXPECT_FALSE(test, w & VNIC_RCQ_MORE);
			KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_GSO_TYPE, w), 0);
			KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_MSS, w), 0);
			KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_CSUM, w), VNIC_RCQ_CSUM_GOOD);
			KUNIT_EXPECT_MEMEQ(test, seg + hlen, frame + hlen + i * VNIC_T_GSO_MSS,
					   VNIC_T_GSO_MSS);
		}
		KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), c->segs);
		break;
	case VNIC_T_GSO_MISSED:
		KUNIT_EXPECT_EQ(test, vnic_t_rd(t, 1, VNIC_REG_Q(0, VNIC_Q_RBR_HEAD)), 0);
		KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_MISSED), c->segs);
		KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), 0);
		break;
	case VNIC_T_GSO_DMA_ERR:
		for (i = 0; i < parts; i++) {
			KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, 1, &w));
			KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_STATUS, w),
					i + 1 < parts ? VNIC_STATUS_OK : VNIC_STATUS_DMA_ERR);
			KUNIT_EXPECT_EQ(test, !!(w & VNIC_RCQ_MORE), i + 1 < parts);
		}
		KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_DESC_ERR), 1);
		KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), 0);
		KUNIT_EXPECT_EQ(test, atomic_read(&rxp->fault.rx_dma_errs), 1);
		break;
	}
	/* Nothing more arrived than that. */
	vnic_t_flush(t);
	w = le64_to_cpu(READ_ONCE(t->rx[1].rcq[t->rx[1].cidx].word));
	KUNIT_EXPECT_NE(test, !!(w & VNIC_RCQ_DONE), t->rx[1].phase);
	WRITE_ONCE(rxp->fault.rx_truncate_rate, 0);
}

/* ---- MAC counters and RMON histograms ---- */

struct vnic_t_bucket {
	const char *desc;
	u32 len;		/* without FCS */
	int bucket;
};

static const struct vnic_t_bucket vnic_t_buckets[] = {
	{ "59 B (63 with FCS): a runt, no bucket", 59, -1 },
	{ "60 B: 64", 60, 0 },
	{ "61 B: 65-127", 61, 1 },
	{ "123 B: 65-127", 123, 1 },
	{ "124 B: 128-255", 124, 2 },
	{ "251 B: 128-255", 251, 2 },
	{ "252 B: 256-511", 252, 3 },
	{ "507 B: 256-511", 507, 3 },
	{ "508 B: 512-1023", 508, 4 },
	{ "1019 B: 512-1023", 1019, 4 },
	{ "1020 B: 1024-1518", 1020, 5 },
	{ "1514 B: 1024-1518", 1514, 5 },
	{ "1515 B: 1519-2047", 1515, 6 },
	{ "2043 B: 1519-2047", 2043, 6 },
	{ "2044 B: 2048-4095", 2044, 7 },
	{ "4091 B: 2048-4095", 4091, 7 },
	{ "4092 B: 4096-9224", 4092, 8 },
	{ "9220 B, the longest on the wire: 4096-9224", VNIC_CARD_FRAME_SIZE, 8 },
};

KUNIT_ARRAY_PARAM_DESC(vnic_t_bucket, vnic_t_buckets, desc);

static void vnic_card_size_bucket_test(struct kunit *test)
{
	const struct vnic_t_bucket *c = test->param_value;

	KUNIT_EXPECT_EQ(test, vnic_stat_size_bucket(c->len), c->bucket);
}

/*
 * Frames of known sizes and destinations from port 0 to port 1: the
 * histograms, octets, multicast and broadcast counters at both ends. The
 * receiver's histogram counts what arrives, filtered frames too; its MAC
 * counters only what it took.
 */
static void vnic_card_mac_stats_test(struct kunit *test)
{
	/* TX pads the first to 60 B; one of each of buckets 0 to 6. */
	static const u32 lens[] = { 42, 64, 200, 300, 600, 1514, 2000 };
	static const u32 hist[VNIC_HW_RMON_BUCKETS] = { 3, 1, 1, 1, 1, 1, 1, 0, 0 };
	struct vnic_t *t = test->priv;
	u8 *frame = kunit_kzalloc(test, VNIC_T_BUF, GFP_KERNEL);
	u32 i, octets = 0;
	u64 w;

	KUNIT_ASSERT_NOT_NULL(test, frame);
	vnic_t_wr(t, 0, VNIC_REG_MAX_FRAME, 2000);
	vnic_t_wr(t, 1, VNIC_REG_MAX_FRAME, 2000);
	vnic_t_start(t, VNIC_T_RING);
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		vnic_t_fill_frame(t, frame, lens[i], 1);
		vnic_t_tx_frame(t, 0, frame, lens[i], VNIC_TXD_REQ_COMPL);
		octets += max(lens[i], VNIC_HW_MIN_FRAME) - ETH_HLEN;
	}
	/* A broadcast, and a multicast frame port 1's filter refuses. */
	vnic_t_fill_frame(t, frame, VNIC_HW_MIN_FRAME, 1);
	eth_broadcast_addr(frame);
	vnic_t_tx_frame(t, 0, frame, VNIC_HW_MIN_FRAME, VNIC_TXD_REQ_COMPL);
	frame[ETH_ALEN - 1] = 0;
	vnic_t_tx_frame(t, 0, frame, VNIC_HW_MIN_FRAME, VNIC_TXD_REQ_COMPL);
	vnic_t_tx_kick(t, 0);
	for (i = 0; i < ARRAY_SIZE(lens) + 2; i++) {
		KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, 0, &w));
		KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), VNIC_STATUS_OK);
	}
	/* A runt from outside: counted as one, in no bucket. */
	vnic_port_receive(&t->card->port[1], frame, 40);

	for (i = 0; i < VNIC_HW_RMON_BUCKETS; i++) {
		KUNIT_EXPECT_EQ_MSG(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_HIST(i)), hist[i],
				    "TX bucket %u", i);
		KUNIT_EXPECT_EQ_MSG(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_HIST(i)), hist[i],
				    "RX bucket %u", i);
		KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_RX_HIST(i)), 0);
		KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_TX_HIST(i)), 0);
	}
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_FRAMES), ARRAY_SIZE(lens) + 2);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_OCTETS),
			octets + 2 * (VNIC_HW_MIN_FRAME - ETH_HLEN));
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_BCAST), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_TX_MCAST), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FRAMES), ARRAY_SIZE(lens) + 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_FILTERED), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_RUNT), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_OCTETS),
			octets + VNIC_HW_MIN_FRAME - ETH_HLEN);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_BCAST), 1);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_RX_MCAST), 0);
	/* No pause was asked for. */
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 1, VNIC_REG_STAT_TX_PAUSE_FRAMES), 0);
	KUNIT_EXPECT_EQ(test, vnic_t_stat(t, 0, VNIC_REG_STAT_RX_PAUSE_FRAMES), 0);
}

static struct kunit_case vnic_card_test_cases[] = {
	KUNIT_CASE(vnic_card_regs_test),
	KUNIT_CASE_PARAM(vnic_card_reset_test, vnic_t_reg_gen_params),
	KUNIT_CASE(vnic_card_reset_keeps_stats_test),
	KUNIT_CASE_PARAM(vnic_card_enable_test, vnic_t_ring_cfg_gen_params),
	KUNIT_CASE_PARAM(vnic_card_dma_test, vnic_t_layout_gen_params),
	KUNIT_CASE(vnic_card_wrap_test),
	KUNIT_CASE_PARAM(vnic_card_bad_desc_test, vnic_t_bad_gen_params),
	KUNIT_CASE(vnic_card_bad_ring_test),
	KUNIT_CASE(vnic_card_partial_test),
	KUNIT_CASE(vnic_card_disable_test),
	KUNIT_CASE_PARAM(vnic_card_csum_test, vnic_t_csum_gen_params),
	KUNIT_CASE_PARAM(vnic_card_mc_bin_test, vnic_t_mc_gen_params),
	KUNIT_CASE_PARAM(vnic_card_filter_test, vnic_t_filter_gen_params),
	KUNIT_CASE_PARAM(vnic_card_rx_drop_test, vnic_t_drop_gen_params),
	KUNIT_CASE_PARAM(vnic_card_rx_desc_err_test, vnic_t_rx_bad_gen_params),
	KUNIT_CASE_PARAM(vnic_card_rx_span_test, vnic_t_rx_span_gen_params),
	KUNIT_CASE(vnic_card_rx_span_short_test),
	KUNIT_CASE_PARAM(vnic_card_toeplitz_test, vnic_t_toeplitz_gen_params),
	KUNIT_CASE_PARAM(vnic_card_rss_test, vnic_t_rss_gen_params),
	KUNIT_CASE(vnic_card_loopback_test),
	KUNIT_CASE(vnic_card_irq_test),
	KUNIT_CASE(vnic_card_misc_irq_test),
	KUNIT_CASE(vnic_card_xdpq_test),
	KUNIT_CASE(vnic_card_xdpq_count_test),
	KUNIT_CASE_PARAM(vnic_card_xdpq_bad_desc_test, vnic_t_bad_gen_params),
	KUNIT_CASE(vnic_card_moderation_test),
	KUNIT_CASE(vnic_card_speed_test),
	KUNIT_CASE_PARAM(vnic_card_pause_test, vnic_t_pause_gen_params),
	KUNIT_CASE_PARAM(vnic_card_pause_end_test, vnic_t_pause_end_gen_params),
	KUNIT_CASE(vnic_card_pause_tso_test),
	KUNIT_CASE_PARAM(vnic_card_gso_test, vnic_t_gso_gen_params),
	KUNIT_CASE(vnic_card_fault_irq_test),
	KUNIT_CASE(vnic_card_fault_tx_dma_test),
	KUNIT_CASE(vnic_card_fault_rx_dma_test),
	KUNIT_CASE(vnic_card_fault_tx_stall_test),
	KUNIT_CASE_PARAM(vnic_card_fault_wire_test, vnic_t_wire_fault_gen_params),
	KUNIT_CASE_PARAM(vnic_card_size_bucket_test, vnic_t_bucket_gen_params),
	KUNIT_CASE(vnic_card_mac_stats_test),
	{}
};

static struct kunit_suite vnic_card_test_suite = {
	.name = "vnic-card",
	.init = vnic_card_test_init,
	.test_cases = vnic_card_test_cases,
};

kunit_test_suite(vnic_card_test_suite);
