// SPDX-License-Identifier: GPL-2.0
/*
 * vnic-ring: the driver's ring arithmetic (free slots, wrap, the DONE
 * phase that flips every lap) and the descriptor formats of
 * include/vnic_hw.h, encoded by the driver and decoded with FIELD_GET.
 *
 * This file also carries the test module's MODULE_* lines.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/if_vlan.h>
#include <linux/module.h>
#include <linux/skbuff.h>

#include "../driver/nic/vnic.h"
#include "vnic_test_util.h"

struct vnic_unused_case {
	const char *desc;
	u32 size, ntu, ntc, unused;
};

static const struct vnic_unused_case vnic_unused_cases[] = {
	{ "empty ring",		64,   0,   0,  63 },
	{ "one posted",		64,   1,   0,  62 },
	{ "full ring",		64,  63,   0,   0 },
	{ "full after wrap",	64,  10,  11,   0 },
	{ "wrapped producer",	64,   2,  60,  57 },
	{ "large ring",		4096, 4095, 4095, 4095 },
};

KUNIT_ARRAY_PARAM_DESC(vnic_unused, vnic_unused_cases, desc);

static void vnic_desc_unused_test(struct kunit *test)
{
	const struct vnic_unused_case *c = test->param_value;
	struct vnic_ring ring = {
		.size = c->size,
		.next_to_use = c->ntu,
		.next_to_clean = c->ntc,
	};

	KUNIT_EXPECT_EQ(test, vnic_desc_unused(&ring), c->unused);
}

static void vnic_ring_next_wraps_test(struct kunit *test)
{
	struct vnic_ring ring = { .size = 64 };

	KUNIT_EXPECT_EQ(test, vnic_ring_next(&ring, 0), 1);
	KUNIT_EXPECT_EQ(test, vnic_ring_next(&ring, 62), 63);
	KUNIT_EXPECT_EQ(test, vnic_ring_next(&ring, 63), 0);
}

/* Walk three laps: the expected DONE value flips exactly at each wrap. */
static void vnic_cmpl_phase_test(struct kunit *test)
{
	struct vnic_ring ring = { .size = 16, .phase = 1 };
	unsigned int i;

	for (i = 0; i < 3 * 16; i++) {
		u8 lap_phase = ((i / 16) & 1) ? 0 : 1;

		KUNIT_ASSERT_EQ(test, ring.cmpl_idx, i % 16);
		KUNIT_ASSERT_EQ(test, ring.phase, lap_phase);
		KUNIT_EXPECT_TRUE(test, vnic_cmpl_is_new(&ring, lap_phase));
		/* Last lap's entry, still in memory, is not mistaken for new. */
		KUNIT_EXPECT_FALSE(test, vnic_cmpl_is_new(&ring, !lap_phase));
		vnic_cmpl_advance(&ring);
	}
}

/* A zeroed completion ring reads as empty on the first lap. */
static void vnic_cmpl_zeroed_ring_test(struct kunit *test)
{
	struct vnic_ring ring = { .size = 64, .phase = 1 };
	struct vnic_rx_cmpl rcq = {};

	KUNIT_EXPECT_FALSE(test, vnic_cmpl_is_new(&ring,
						  le64_to_cpu(rcq.word) & VNIC_RCQ_DONE));
}

struct vnic_txd_case {
	const char *desc;
	dma_addr_t dma;
	u32 len;
	u64 flags;
};

static const struct vnic_txd_case vnic_txd_cases[] = {
	{ "short, no flags",	0x1000, 60, 0 },
	{ "max length",		0xfffff000ULL, 0xffff, VNIC_TXD_EOP },
	{ "high address",	0x123456789abc0ULL, 1514, VNIC_TXD_EOP | VNIC_TXD_REQ_COMPL },
	{ "csum request",	0x2000, 1000,
	  VNIC_TXD_CSUM | FIELD_PREP_CONST(VNIC_TXD_CSUM_START, 34) |
	  FIELD_PREP_CONST(VNIC_TXD_CSUM_OFF, 16) | VNIC_TXD_EOP },
	{ "widest fields",	0x3000, 1,
	  FIELD_PREP_CONST(VNIC_TXD_CSUM_START, 4095) | FIELD_PREP_CONST(VNIC_TXD_CSUM_OFF, 255) |
	  FIELD_PREP_CONST(VNIC_TXD_MSS, 16383) |
	  FIELD_PREP_CONST(VNIC_TXD_SEG, VNIC_TXD_SEG_UDP) },
};

KUNIT_ARRAY_PARAM_DESC(vnic_txd, vnic_txd_cases, desc);

static void vnic_txd_roundtrip_test(struct kunit *test)
{
	const struct vnic_txd_case *c = test->param_value;
	struct vnic_tx_desc txd;
	u64 ctrl;

	vnic_fill_tx_desc(&txd, c->dma, c->len, c->flags);
	ctrl = le64_to_cpu(txd.ctrl);

	KUNIT_EXPECT_EQ(test, le64_to_cpu(txd.addr), (u64)c->dma);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXD_LEN, ctrl), c->len);
	KUNIT_EXPECT_EQ(test, ctrl & ~VNIC_TXD_LEN, c->flags);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXD_CSUM_START, ctrl),
			FIELD_GET(VNIC_TXD_CSUM_START, c->flags));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXD_CSUM_OFF, ctrl),
			FIELD_GET(VNIC_TXD_CSUM_OFF, c->flags));
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXD_MSS, ctrl), FIELD_GET(VNIC_TXD_MSS, c->flags));
}

/* The fields of each descriptor word must not overlap. */
static void vnic_desc_fields_disjoint_test(struct kunit *test)
{
	static const u64 txd[] = {
		VNIC_TXD_LEN, VNIC_TXD_CSUM_START, VNIC_TXD_CSUM_OFF, VNIC_TXD_MSS,
		VNIC_TXD_EOP, VNIC_TXD_REQ_COMPL, VNIC_TXD_CSUM, VNIC_TXD_SEG,
	};
	static const u64 txc[] = { VNIC_TXC_HEAD, VNIC_TXC_STATUS, VNIC_TXC_DONE };
	static const u64 rcq[] = {
		VNIC_RCQ_LEN, VNIC_RCQ_BUF, VNIC_RCQ_CSUM, VNIC_RCQ_HASH_TYPE,
		VNIC_RCQ_STATUS, VNIC_RCQ_DONE,
	};
	const struct { const u64 *m; unsigned int n; } words[] = {
		{ txd, ARRAY_SIZE(txd) }, { txc, ARRAY_SIZE(txc) }, { rcq, ARRAY_SIZE(rcq) },
	};
	unsigned int w, i;

	for (w = 0; w < ARRAY_SIZE(words); w++) {
		u64 seen = 0;

		for (i = 0; i < words[w].n; i++) {
			KUNIT_EXPECT_EQ_MSG(test, seen & words[w].m[i], 0ULL,
					    "word %u field %u overlaps", w, i);
			seen |= words[w].m[i];
		}
	}
}

static void vnic_rcq_decode_test(struct kunit *test)
{
	struct vnic_rx_cmpl rcq;
	u64 word;

	word = FIELD_PREP(VNIC_RCQ_LEN, 9018) | FIELD_PREP(VNIC_RCQ_BUF, 4095) |
	       FIELD_PREP(VNIC_RCQ_CSUM, VNIC_RCQ_CSUM_BAD) |
	       FIELD_PREP(VNIC_RCQ_STATUS, VNIC_STATUS_OVERSIZE) | VNIC_RCQ_DONE;
	rcq.word = cpu_to_le64(word);
	word = le64_to_cpu(rcq.word);

	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_LEN, word), 9018);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_BUF, word), 4095);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_CSUM, word), VNIC_RCQ_CSUM_BAD);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_RCQ_STATUS, word), VNIC_STATUS_OVERSIZE);
	KUNIT_EXPECT_TRUE(test, word & VNIC_RCQ_DONE);
}

/* CHECKSUM_PARTIAL becomes a checksum request at the same offsets. */
static void vnic_tx_offload_flags_test(struct kunit *test)
{
	struct sk_buff *skb = alloc_skb(256, GFP_KERNEL);
	u64 flags;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put(skb, 100);
	skb_reset_mac_header(skb);

	skb->ip_summed = CHECKSUM_NONE;
	KUNIT_EXPECT_EQ(test, vnic_tx_offload_flags(skb), 0ULL);

	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_headroom(skb) + 34;
	skb->csum_offset = 16;	/* TCP */
	flags = vnic_tx_offload_flags(skb);
	KUNIT_EXPECT_TRUE(test, flags & VNIC_TXD_CSUM);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXD_CSUM_START, flags), 34);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VNIC_TXD_CSUM_OFF, flags), 16);

	kfree_skb(skb);
}

/*
 * The RX buffer for each MTU: half a page while a whole frame fits one,
 * else a page; the card may write a multiple of 64 bytes within it, and
 * the first buffer of a frame still has room for the skb_shared_info.
 */
static void vnic_rx_slot_size_test(struct kunit *test)
{
	static const unsigned int mtus[] = { 68, 1500, 1646, 1647, 4000, 9000 };
	unsigned int i;

	KUNIT_EXPECT_EQ(test, vnic_rx_slot_size(1500), 2048);
	KUNIT_EXPECT_EQ(test, vnic_rx_slot_size(1646), 2048);
	KUNIT_EXPECT_EQ(test, vnic_rx_slot_size(1647), PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, vnic_rx_slot_size(9000), PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, vnic_rx_buf_size(2048), 1664);
	for (i = 0; i < ARRAY_SIZE(mtus); i++) {
		u32 slot = vnic_rx_slot_size(mtus[i]);
		u32 len = vnic_rx_buf_size(slot);

		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(len, VNIC_HW_RX_BUF_ALIGN));
		KUNIT_EXPECT_GE(test, len, VNIC_HW_RX_BUF_MIN);
		KUNIT_EXPECT_LE(test, len, VNIC_HW_RX_BUF_MAX);
		KUNIT_EXPECT_LE(test, VNIC_RX_HEADROOM + len +
				SKB_DATA_ALIGN(sizeof(struct skb_shared_info)), slot);
		/* A half-page buffer holds the whole frame. */
		if (slot < PAGE_SIZE)
			KUNIT_EXPECT_GE(test, len, mtus[i] + ETH_HLEN + VLAN_HLEN);
	}
}

/*
 * With an XDP program a buffer is a page with XDP_PACKET_HEADROOM; a
 * program without frags support takes MTUs whose frames fit one.
 */
static void vnic_xdp_max_mtu_test(struct kunit *test)
{
	u32 mtu = vnic_xdp_max_mtu();

	if (PAGE_SIZE == 4096)
		KUNIT_EXPECT_EQ(test, mtu, 3502);
	KUNIT_EXPECT_GE(test, mtu, ETH_DATA_LEN);
	KUNIT_EXPECT_LE(test, VNIC_XDP_HEADROOM + mtu + ETH_HLEN + VLAN_HLEN +
			SKB_DATA_ALIGN(sizeof(struct skb_shared_info)), PAGE_SIZE);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(mtu + ETH_HLEN + VLAN_HLEN, VNIC_HW_RX_BUF_ALIGN));
}

VNIC_T_SUITE(vnic_ring, "vnic-ring", NULL,
	     KUNIT_CASE_PARAM(vnic_desc_unused_test, vnic_unused_gen_params),
	     KUNIT_CASE(vnic_ring_next_wraps_test),
	     KUNIT_CASE(vnic_cmpl_phase_test),
	     KUNIT_CASE(vnic_cmpl_zeroed_ring_test),
	     KUNIT_CASE_PARAM(vnic_txd_roundtrip_test, vnic_txd_gen_params),
	     KUNIT_CASE(vnic_desc_fields_disjoint_test),
	     KUNIT_CASE(vnic_rcq_decode_test),
	     KUNIT_CASE(vnic_tx_offload_flags_test),
	     KUNIT_CASE(vnic_rx_slot_size_test),
	     KUNIT_CASE(vnic_xdp_max_mtu_test));

MODULE_DESCRIPTION("KUnit tests for vnic");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
