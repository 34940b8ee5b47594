// SPDX-License-Identifier: GPL-2.0
/*
 * vnic-card-stats: the card's MAC counters and RMON histograms.
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

	KUNIT_EXPECT_EQ(test, vnic_card_stat_size_bucket(c->len), c->bucket);
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
	vnic_card_port_receive(&t->card->port[1], frame, 40);

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

VNIC_T_SUITE(vnic_card_stats, "vnic-card-stats", vnic_t_init,
	     KUNIT_CASE_PARAM(vnic_card_size_bucket_test, vnic_t_bucket_gen_params),
	     KUNIT_CASE(vnic_card_mac_stats_test));
