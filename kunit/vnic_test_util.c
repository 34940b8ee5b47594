// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the vnic KUnit suites: DMA memory and cards that go
 * when the test ends, and the one card fixture (struct vnic_t) the suites
 * that drive the card directly use: a card whose rings the test programs
 * through BAR0 as a driver would, and what it needs to send, receive and
 * read completions; and the Microsoft RSS test vectors.
 */

#include <kunit/device.h>
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

#include "vnic_compat.h"
#include "vnic_test_util.h"

struct vnic_kunit_mem {
	struct device *dev;
	size_t size;
	void *va;
	dma_addr_t dma;
};

static void vnic_kunit_mem_free(void *data)
{
	struct vnic_kunit_mem *m = data;

	dma_free_coherent(m->dev, m->size, m->va, m->dma);
}

/**
 * vnic_kunit_dma_alloc - coherent DMA memory freed when the test ends
 * @test: the test
 * @dev: the device to allocate for
 * @size: bytes
 * @dma: the memory's DMA address, on return
 *
 * Return: its kernel address; the test is aborted if it cannot be had.
 */
void *vnic_kunit_dma_alloc(struct kunit *test, struct device *dev, size_t size,
			   dma_addr_t *dma)
{
	struct vnic_kunit_mem *m;

	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->dev = dev;
	m->size = size;
	m->va = dma_alloc_coherent(dev, size, &m->dma, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->va);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vnic_kunit_mem_free, m), 0);
	*dma = m->dma;
	return m->va;
}

/**
 * vnic_kunit_card_destroy - vnic_card_destroy() as a kunit deferred action
 * @card: the card
 */
void vnic_kunit_card_destroy(void *card)
{
	vnic_card_destroy(card);
}

/* ---- the card fixture ---- */

/* Distinct for every card the suites make, so debugfs names differ. */
static atomic_t vnic_t_ids = ATOMIC_INIT(0x100);

void *vnic_t_alloc(struct vnic_t *t, size_t size, dma_addr_t *dma)
{
	return vnic_kunit_dma_alloc(t->test, t->dev, size, dma);
}

u32 vnic_t_rd(struct vnic_t *t, unsigned int port, u32 off)
{
	return vnic_bar_read32(t->bar[port], off);
}

void vnic_t_wr(struct vnic_t *t, unsigned int port, u32 off, u32 val)
{
	vnic_bar_write32(t->bar[port], off, val);
}

u32 vnic_t_stat(struct vnic_t *t, unsigned int port, u32 off)
{
	return vnic_t_rd(t, port, off);
}

void vnic_t_mac(struct vnic_t *t, unsigned int port, u8 *mac)
{
	u32 lo = vnic_t_rd(t, port, VNIC_REG_MAC_LO);
	u32 hi = vnic_t_rd(t, port, VNIC_REG_MAC_HI);

	put_unaligned_le32(lo, mac);
	put_unaligned_le16(hi, mac + 4);
}

/**
 * vnic_t_card - a card of the test's own, destroyed when the test ends
 * @test: the test
 * @num_queues: queue pairs per port
 * @speed: SPEED in Mbit/s, 0 for the card's default
 *
 * Every card of every suite gets a number of its own, so that their
 * debugfs directories never clash.
 *
 * Return: the card; the test is aborted if it cannot be made.
 */
struct vnic_card *vnic_t_card(struct kunit *test, unsigned int num_queues, u32 speed)
{
	struct vnic_card_config cfg = {
		.num_queues = num_queues,
		.speed = speed,
	};

	return vnic_t_card_cfg(test, &cfg);
}

/* vnic_t_card with a configuration of the test's own; @cfg->id is set here. */
struct vnic_card *vnic_t_card_cfg(struct kunit *test, struct vnic_card_config *cfg)
{
	struct vnic_card *card;

	cfg->id = atomic_inc_return(&vnic_t_ids);
	card = vnic_card_create(cfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, card);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vnic_kunit_card_destroy, card), 0);
	return card;
}

/**
 * vnic_t_new - the fixture: a card with @num_queues queue pairs per port,
 * a KUnit device to allocate its rings for, and queue 0's rings of each
 * port allocated (not programmed)
 * @test: the test
 * @num_queues: queue pairs per port
 *
 * Return: the fixture, also in test->priv.
 */
struct vnic_t *vnic_t_new(struct kunit *test, unsigned int num_queues)
{
	struct vnic_t *t;
	unsigned int p;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	t->dev = kunit_device_register(test, "vnic-test");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->dev);
	t->card = vnic_t_card(test, num_queues, 0);

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
	return t;
}

/**
 * vnic_t_init - a suite's .init: the fixture with two queue pairs per port
 * @test: the test
 *
 * Return: 0.
 */
int vnic_t_init(struct kunit *test)
{
	vnic_t_new(test, 2);
	return 0;
}

/* The ring base registers: the high half follows the low one. */
static_assert(VNIC_Q_TXD_BASE_HI - VNIC_Q_TXD_BASE_LO == 4);
static_assert(VNIC_Q_TXC_BASE_HI - VNIC_Q_TXC_BASE_LO == 4);
static_assert(VNIC_Q_RBR_BASE_HI - VNIC_Q_RBR_BASE_LO == 4);
static_assert(VNIC_Q_RCQ_BASE_HI - VNIC_Q_RCQ_BASE_LO == 4);
/*
 * A TX ring's registers and an RX ring's lie alike from the ring's BASE_LO
 * on: its base, size and tail, then its completion ring's base.
 */
#define VNIC_T_RING_SIZE	(VNIC_Q_TXD_SIZE - VNIC_Q_TXD_BASE_LO)
#define VNIC_T_RING_TAIL	(VNIC_Q_TXD_TAIL - VNIC_Q_TXD_BASE_LO)
#define VNIC_T_RING_CMPL	(VNIC_Q_TXC_BASE_LO - VNIC_Q_TXD_BASE_LO)
static_assert(VNIC_Q_RBR_SIZE - VNIC_Q_RBR_BASE_LO == VNIC_T_RING_SIZE);
static_assert(VNIC_Q_RBR_TAIL - VNIC_Q_RBR_BASE_LO == VNIC_T_RING_TAIL);
static_assert(VNIC_Q_RCQ_BASE_LO - VNIC_Q_RBR_BASE_LO == VNIC_T_RING_CMPL);

/* A 64-bit value into the register pair at @off (low half) and @off + 4. */
static void vnic_t_wr64(struct vnic_t *t, unsigned int port, u32 off, u64 val)
{
	vnic_t_wr(t, port, off, lower_32_bits(val));
	vnic_t_wr(t, port, off + 4, upper_32_bits(val));
}

/*
 * Program a ring whose registers start at @off (a queue's block plus
 * VNIC_Q_TXD_BASE_LO or VNIC_Q_RBR_BASE_LO) on port @port: @size entries
 * at @ring_dma, its completions at @cmpl_dma, the tail at 0.
 */
static void vnic_t_ring_program(struct vnic_t *t, unsigned int port, u32 off,
				u32 size, u64 ring_dma, u64 cmpl_dma)
{
	vnic_t_wr64(t, port, off, ring_dma);
	vnic_t_wr64(t, port, off + VNIC_T_RING_CMPL, cmpl_dma);
	vnic_t_wr(t, port, off + VNIC_T_RING_SIZE, size);
	vnic_t_wr(t, port, off + VNIC_T_RING_TAIL, 0);
}

/* A register of the TX queue: a queue pair's, or a TX-only queue's. */
u32 vnic_t_txq_reg(const struct vnic_t_txq *tx, u32 reg)
{
	return tx->xdpq ? VNIC_REG_XDPQ(tx->q, reg) : VNIC_REG_Q(tx->q, reg);
}

void vnic_t_txq_program(struct vnic_t *t, struct vnic_t_txq *tx, u32 size,
			u64 txd_dma, u64 txc_dma)
{
	vnic_t_ring_program(t, tx->port, vnic_t_txq_reg(tx, VNIC_Q_TXD_BASE_LO), size,
			    txd_dma, txc_dma);
}

void vnic_t_rxq_program(struct vnic_t *t, struct vnic_t_rxq *rx, u32 size,
			u64 rbr_dma, u64 rcq_dma)
{
	vnic_t_wr(t, rx->port, VNIC_REG_Q(rx->q, VNIC_Q_RX_BUF_SIZE), rx->buf_size ?: VNIC_T_BUF);
	vnic_t_ring_program(t, rx->port, VNIC_REG_Q(rx->q, VNIC_Q_RBR_BASE_LO), size,
			    rbr_dma, rcq_dma);
}

/* Enable the queue pair's rings that are set up (Q_CTRL covers both). */
void vnic_t_q_ctrl(struct vnic_t *t, unsigned int port, bool tx_on, bool rx_on)
{
	vnic_t_wr(t, port, VNIC_REG_Q(0, VNIC_Q_CTRL),
		  (tx_on ? VNIC_Q_CTRL_TX_EN : 0) | (rx_on ? VNIC_Q_CTRL_RX_EN : 0));
}

/* A ring (TX or RX) of @size entries starts on its first lap, empty. */
static void vnic_t_first_lap(u32 *size, u32 *tail, u32 *cidx, bool *phase, u32 n)
{
	*size = n;
	*tail = 0;
	*cidx = 0;
	*phase = true;
}

void vnic_t_tx_setup(struct vnic_t *t, unsigned int port, u32 size)
{
	struct vnic_t_txq *tx = &t->tx[port];

	vnic_t_first_lap(&tx->size, &tx->tail, &tx->cidx, &tx->phase, size);
	vnic_t_txq_program(t, tx, size, tx->txd_dma, tx->txc_dma);
}

/* Post @n buffers on @rx: slot i's buffer is the i-th VNIC_T_BUF of the area. */
void vnic_t_rxq_post(struct vnic_t *t, struct vnic_t_rxq *rx, u32 n)
{
	while (n--) {
		rx->rbr[rx->tail].addr = cpu_to_le64(rx->buf_dma + rx->tail * VNIC_T_BUF);
		rx->rbr[rx->tail].rsvd = 0;
		rx->tail = (rx->tail + 1) & (rx->size - 1);
	}
	dma_wmb();
	vnic_t_wr(t, rx->port, VNIC_REG_Q(rx->q, VNIC_Q_RBR_TAIL), rx->tail);
}

/* Post @n buffers on queue 0 of port @port. */
void vnic_t_rx_post(struct vnic_t *t, unsigned int port, u32 n)
{
	vnic_t_rxq_post(t, &t->rx[port], n);
}

void vnic_t_rx_setup(struct vnic_t *t, unsigned int port, u32 size)
{
	struct vnic_t_rxq *rx = &t->rx[port];

	vnic_t_first_lap(&rx->size, &rx->tail, &rx->cidx, &rx->phase, size);
	vnic_t_rxq_program(t, rx, size, rx->rbr_dma, rx->rcq_dma);
}

/*
 * The usual start: port 0 queue 0 sends (from TX-only queue 0 if
 * t->tx[0].xdpq), port 1 queue 0 receives.
 */
void vnic_t_start(struct vnic_t *t, u32 size)
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

void vnic_t_tx_desc(struct vnic_t *t, unsigned int port, u64 addr, u32 len, u64 flags)
{
	struct vnic_t_txq *tx = &t->tx[port];

	tx->txd[tx->tail].addr = cpu_to_le64(addr);
	tx->txd[tx->tail].ctrl = cpu_to_le64(FIELD_PREP(VNIC_TXD_LEN, len) | flags);
	tx->tail = (tx->tail + 1) & (tx->size - 1);
}

/* Copy a frame into the TX buffer slot of the next descriptor and post it. */
void vnic_t_tx_frame(struct vnic_t *t, unsigned int port, const void *frame,
		     u32 len, u64 flags)
{
	struct vnic_t_txq *tx = &t->tx[port];

	memcpy(tx->buf + tx->tail * VNIC_T_BUF, frame, len);
	vnic_t_tx_desc(t, port, tx->buf_dma + tx->tail * VNIC_T_BUF, len,
		       VNIC_TXD_EOP | flags);
}

void vnic_t_tx_kick(struct vnic_t *t, unsigned int port)
{
	dma_wmb();
	vnic_t_wr(t, port, vnic_t_txq_reg(&t->tx[port], VNIC_Q_TXD_TAIL), t->tx[port].tail);
}

/* Wait until the engine has done what it can with what was posted. */
void vnic_t_flush(struct vnic_t *t)
{
	unsigned int p, q;

	for (p = 0; p < VNIC_CARD_PORTS; p++)
		for (q = 0; q < t->card->port[p].num_txqs; q++)
			flush_work(&t->card->port[p].txq[q].work);
}

/*
 * Wait for the entry at *@cidx of a completion ring of @size entries
 * (@entry: its first word, @stride bytes apart) to show @done in the
 * current *@phase; take it and step on.
 */
static bool vnic_t_cmpl_next(const void *ring, size_t stride, u32 size, u64 done,
			     u32 *cidx, bool *phase, u64 *word)
{
	unsigned int i;

	for (i = 0; i < VNIC_T_WAIT_MS; i++) {
		const __le64 *entry = ring + *cidx * stride;
		u64 w = le64_to_cpu(READ_ONCE(*entry));

		if (!!(w & done) == *phase) {
			dma_rmb();
			*word = w;
			if (++*cidx == size) {
				*cidx = 0;
				*phase = !*phase;
			}
			return true;
		}
		usleep_range(500, 1000);
	}
	return false;
}

/* The next TX completion of port @port's queue 0, waiting for it. */
bool vnic_t_txc_next(struct vnic_t *t, unsigned int port, u64 *word)
{
	struct vnic_t_txq *tx = &t->tx[port];

	return vnic_t_cmpl_next(tx->txc, sizeof(*tx->txc), tx->size, VNIC_TXC_DONE,
				&tx->cidx, &tx->phase, word);
}

/* The next RX completion of port @port's queue 0, waiting for it. */
bool vnic_t_rcq_next(struct vnic_t *t, unsigned int port, u64 *word)
{
	struct vnic_t_rxq *rx = &t->rx[port];

	return vnic_t_cmpl_next(rx->rcq, sizeof(*rx->rcq), rx->size, VNIC_RCQ_DONE,
				&rx->cidx, &rx->phase, word);
}

/*
 * The next TX completion of port @port's queue 0, waited for, has @status
 * and HEAD @head. Return: its word.
 */
u64 vnic_t_expect_txc(struct vnic_t *t, unsigned int port, u32 status, u32 head)
{
	struct kunit *test = t->test;
	u64 w;

	KUNIT_ASSERT_TRUE(test, vnic_t_txc_next(t, port, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_STATUS, w), status);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXC_HEAD, w), head);
	return w;
}

/*
 * The next RX completion of port @port's queue 0, waited for, has @status.
 * Return: its word.
 */
u64 vnic_t_expect_rcq(struct vnic_t *t, unsigned int port, u32 status)
{
	struct kunit *test = t->test;
	u64 w;

	KUNIT_ASSERT_TRUE(test, vnic_t_rcq_next(t, port, &w));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_STATUS, w), status);
	return w;
}

/* A frame to port 1 of @len bytes with a counting payload. */
void vnic_t_fill_frame(struct vnic_t *t, u8 *frame, u32 len, unsigned int to)
{
	u32 i;

	vnic_t_mac(t, to, frame);
	vnic_t_mac(t, !to, frame + ETH_ALEN);
	put_unaligned_be16(VNIC_T_ETYPE, frame + 2 * ETH_ALEN);
	for (i = ETH_HLEN; i < len; i++)
		frame[i] = i * 7 + len;
}

/*
 * An IPv4 header without options: @l4len bytes of @proto follow. The
 * addresses, the checksum and the rest are the caller's.
 */
void vnic_t_ip4_hdr(struct iphdr *iph, u32 l4len, u8 proto)
{
	iph->version = 4;
	iph->ihl = 5;
	iph->tot_len = htons(sizeof(*iph) + l4len);
	iph->ttl = 64;
	iph->protocol = proto;
}

/* An IPv6 header from fd00::1 to fd00::2: @len payload bytes of @proto. */
void vnic_t_ip6_hdr(struct ipv6hdr *ip6, u32 len, u8 proto)
{
	ip6->version = 6;
	ip6->payload_len = htons(len);
	ip6->nexthdr = proto;
	ip6->hop_limit = 64;
	ip6->saddr.s6_addr[0] = 0xfd;
	ip6->saddr.s6_addr[15] = 1;
	ip6->daddr.s6_addr[0] = 0xfd;
	ip6->daddr.s6_addr[15] = 2;
}

/* Build the frame; return its length and where the L4 header starts. */
u32 vnic_t_build_l4(struct vnic_t *t, const struct vnic_t_csum *c, u8 *frame,
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
		vnic_t_ip6_hdr(ip6, l4len, c->proto);
	} else {
		struct iphdr *iph = (struct iphdr *)(frame + l3);

		put_unaligned_be16(c->not_ip ? VNIC_T_ETYPE : ETH_P_IP, frame + 2 * ETH_ALEN);
		memset(iph, 0, sizeof(*iph));
		vnic_t_ip4_hdr(iph, l4len, c->proto);
		iph->frag_off = c->frag ? htons(IP_MF) : 0;
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

static irqreturn_t vnic_t_irq_handler(int irq, void *data)
{
	struct vnic_t_irq *ti = data;

	/* As the driver does: mask the vector, then count. */
	if (ti->mask_in_handler)
		vnic_bar_write32(ti->bar, VNIC_REG_INT_MASK_SET(VNIC_INT_BANK(ti->vec)),
				 VNIC_INT_BIT(ti->vec));
	atomic_inc(&ti->count);
	return IRQ_HANDLED;
}

static void vnic_t_irq_free(void *data)
{
	struct vnic_t_irq *ti = data;

	free_irq(ti->irq, ti);
}

struct vnic_t_irq *vnic_t_irq_request(struct vnic_t *t, unsigned int port,
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

bool vnic_t_irq_wait(struct vnic_t_irq *ti, int count)
{
	unsigned int i;

	for (i = 0; i < VNIC_T_WAIT_MS; i++) {
		if (atomic_read(&ti->count) >= count)
			return true;
		usleep_range(500, 1000);
	}
	return false;
}

/* Wait until the engine is idle, then check that no TX completion came. */
bool vnic_t_txc_none(struct vnic_t *t, unsigned int port)
{
	struct vnic_t_txq *tx = &t->tx[port];

	vnic_t_flush(t);
	msleep(20);
	return !!(le64_to_cpu(READ_ONCE(tx->txc[tx->cidx].word)) & VNIC_TXC_DONE) != tx->phase;
}

/* Port 0 sends, port 1 receives with nothing posted; flow control as given. */
void vnic_t_pause_start(struct vnic_t *t, u32 rx_fc, u32 tx_fc)
{
	vnic_t_tx_setup(t, 0, VNIC_T_RING);
	vnic_t_q_ctrl(t, 0, true, false);
	vnic_t_rx_setup(t, 1, VNIC_T_RING);
	vnic_t_q_ctrl(t, 1, false, true);
	vnic_t_wr(t, 1, VNIC_REG_FLOW_CTRL, rx_fc);
	vnic_t_wr(t, 0, VNIC_REG_FLOW_CTRL, tx_fc);
}

/* An IPv4 header (no options) of a frame of @len bytes, @proto inside. */
void vnic_t_ipv4_hdr(u8 *frame, u32 len, u8 proto)
{
	struct iphdr *iph = (struct iphdr *)(frame + ETH_HLEN);

	put_unaligned_be16(ETH_P_IP, frame + 2 * ETH_ALEN);
	vnic_t_ip4_hdr(iph, len - ETH_HLEN - sizeof(*iph), proto);
	iph->saddr = htonl(0xc0a80001);
	iph->daddr = htonl(0xc0a80002);
	iph->check = ip_fast_csum(iph, iph->ihl);
}

/**
 * vnic_t_rxq_start - RX queue @q of port 1 in t->rxq[@q]: allocate its
 * rings, program them with buffers of @buf_size bytes, enable it and post
 * all but one buffer
 * @t: the fixture
 * @q: the queue
 * @buf_size: Q_RX_BUF_SIZE
 */
void vnic_t_rxq_start(struct vnic_t *t, unsigned int q, u32 buf_size)
{
	struct vnic_t_rxq *rx = &t->rxq[q];

	rx->port = 1;
	rx->q = q;
	rx->buf_size = buf_size;
	vnic_t_first_lap(&rx->size, &rx->tail, &rx->cidx, &rx->phase, VNIC_T_RING);
	rx->rbr = vnic_t_alloc(t, VNIC_T_RING * sizeof(*rx->rbr), &rx->rbr_dma);
	rx->rcq = vnic_t_alloc(t, VNIC_T_RING * sizeof(*rx->rcq), &rx->rcq_dma);
	rx->buf = vnic_t_alloc(t, VNIC_T_RING * VNIC_T_BUF, &rx->buf_dma);
	vnic_t_rxq_program(t, rx, VNIC_T_RING, rx->rbr_dma, rx->rcq_dma);
	vnic_t_wr(t, 1, VNIC_REG_Q(q, VNIC_Q_CTRL), VNIC_Q_CTRL_RX_EN);
	KUNIT_ASSERT_EQ(t->test, vnic_t_rd(t, 1, VNIC_REG_Q(q, VNIC_Q_STATUS)),
			VNIC_Q_STATUS_RX_EN);
	vnic_t_rxq_post(t, rx, VNIC_T_RING - 1);
}

/**
 * vnic_t_rx_one - port 1 receives @frame, which must take one buffer of
 * queue @q and none of the other queues below @nq (t->rxq[])
 * @t: the fixture
 * @frame: the frame
 * @len: its length
 * @q: the queue it must land on
 * @nq: how many queues vnic_t_rxq_start() started
 * @word: the completion's first word, on return
 * @hword: its hash word, on return
 *
 * The completions are read on their first lap.
 *
 * Return: the slot of the completion (and of the buffer).
 */
u32 vnic_t_rx_one(struct vnic_t *t, const u8 *frame, u32 len, unsigned int q,
		  unsigned int nq, u64 *word, u64 *hword)
{
	struct kunit *test = t->test;
	struct vnic_t_rxq *rx = &t->rxq[q];
	u32 head[VNIC_T_QUEUES], i;

	KUNIT_ASSERT_LE(test, nq, VNIC_T_QUEUES);
	for (i = 0; i < nq; i++)
		head[i] = vnic_t_rd(t, 1, VNIC_REG_Q(i, VNIC_Q_RBR_HEAD));
	/* Synchronous: the completion is written when this returns. */
	vnic_card_port_receive(&t->card->port[1], frame, len);
	for (i = 0; i < nq; i++)
		KUNIT_EXPECT_EQ_MSG(test, vnic_t_rd(t, 1, VNIC_REG_Q(i, VNIC_Q_RBR_HEAD)),
				    head[i] + (i == q), "RBR_HEAD of queue %u", i);

	KUNIT_ASSERT_LT(test, rx->cidx, VNIC_T_RING - 1);
	*word = le64_to_cpu(READ_ONCE(rx->rcq[rx->cidx].word));
	KUNIT_ASSERT_TRUE_MSG(test, *word & VNIC_RCQ_DONE, "no completion on queue %u", q);
	dma_rmb();
	*hword = le64_to_cpu(READ_ONCE(rx->rcq[rx->cidx].hash));
	return rx->cidx++;
}

/* RSS context @ctx's key on port @port (0: the main RSS_KEY). */
void vnic_t_rss_key(struct vnic_t *t, unsigned int port, u32 ctx, const u8 *key)
{
	u32 i;

	/* Byte 0 of the key goes in bits 7:0 of word 0. */
	for (i = 0; i < VNIC_RSS_KEY_SIZE / 4; i++)
		vnic_t_wr(t, port, ctx ? VNIC_REG_RSS_CTX_KEY(ctx, i) : VNIC_REG_RSS_KEY(i),
			  get_unaligned_le32(key + i * 4));
}

/* RSS context @ctx's indirection table on port @port (0: the main one). */
void vnic_t_rss_indir(struct vnic_t *t, unsigned int port, u32 ctx, const u8 *indir)
{
	u32 i;

	for (i = 0; i < VNIC_RSS_INDIR_SIZE / 4; i++)
		vnic_t_wr(t, port, ctx ? VNIC_REG_RSS_CTX_INDIR(ctx, i) : VNIC_REG_RSS_INDIR(i),
			  get_unaligned_le32(indir + i * 4));
}

/* Microsoft's key; also the default of several Linux drivers (hns3, netxen). */
const u8 vnic_t_ms_key[VNIC_RSS_KEY_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
	0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
	0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
	0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

/* The table of Microsoft's "Verifying the RSS Hash Calculation". */
const struct vnic_t_ms_vec vnic_t_ms_vecs[VNIC_T_MS_VECS] = {
	[VNIC_T_MS_V4_0] = { "IPv4 66.9.149.187:2794 -> 161.142.100.80:1766", false,
	  "66.9.149.187", 2794, "161.142.100.80", 1766, 0x323e8fc2, 0x51ccc178 },
	[VNIC_T_MS_V4_1] = { "IPv4 199.92.111.2:14230 -> 65.69.140.83:4739", false,
	  "199.92.111.2", 14230, "65.69.140.83", 4739, 0xd718262a, 0xc626b0ea },
	{ "IPv4 24.19.198.95:12898 -> 12.22.207.184:38024", false,
	  "24.19.198.95", 12898, "12.22.207.184", 38024, 0xd2d0a5de, 0x5c2b394a },
	{ "IPv4 38.27.205.30:48228 -> 209.142.163.6:2217", false,
	  "38.27.205.30", 48228, "209.142.163.6", 2217, 0x82989176, 0xafc7327f },
	{ "IPv4 153.39.163.191:44251 -> 202.188.127.2:1303", false,
	  "153.39.163.191", 44251, "202.188.127.2", 1303, 0x5d1809c5, 0x10e828a2 },
	[VNIC_T_MS_V6_0] = { "IPv6 [3ffe:2501:200:1fff::7]:2794 -> [3ffe:2501:200:3::1]:1766", true,
	  "3ffe:2501:200:1fff::7", 2794, "3ffe:2501:200:3::1", 1766,
	  0x2cc18cd5, 0x40207d3d },
	{ "IPv6 [3ffe:501:8::260:97ff:fe40:efab]:14230 -> [ff02::1]:4739", true,
	  "3ffe:501:8::260:97ff:fe40:efab", 14230, "ff02::1", 4739,
	  0x0f0c461c, 0xdde51bbf },
	{ "IPv6 [3ffe:1900:4545:3:200:f8ff:fe21:67cf]:44251 -> [fe80::200:f8ff:fe21:67cf]:38024",
	  true, "3ffe:1900:4545:3:200:f8ff:fe21:67cf", 44251,
	  "fe80::200:f8ff:fe21:67cf", 38024, 0x4b61e985, 0x02d1feef },
};
