// SPDX-License-Identifier: GPL-2.0
/*
 * vnic-card-gso: GSO pass-through (RX_MODE.GSO): a TSO/USO packet taken
 * whole over several RX buffers, or cut as ever, held or missed when
 * buffers run short, and its DMA errors.
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
		vnic_t_ip6_hdr(ip6, len - l4, proto);
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

			w = vnic_t_expect_rcq(t, 1, VNIC_STATUS_OK);
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

VNIC_T_SUITE(vnic_card_gso, "vnic-card-gso", vnic_t_init,
	     KUNIT_CASE_PARAM(vnic_card_gso_test, vnic_t_gso_gen_params));
