// SPDX-License-Identifier: GPL-2.0
/*
 * vnic-loopback: the whole path, driver plus card. Plug in a fresh card,
 * open both ports, transmit frames on one and receive them through the
 * other port's NAPI poll, as the stack would.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "../driver/vnic.h"
#include "../driver/vnic_main.h"

#define VNIC_TEST_CARD		250
#define VNIC_TEST_ETHERTYPE	ETH_P_802_EX1
#define VNIC_TEST_FRAMES	300

struct vnic_loopback {
	struct net_device *port[2];
	struct packet_type pt;
	struct completion all_rx;
	atomic_t rx_frames;
	atomic_t rx_bad;
	unsigned int want;
	unsigned int len;
};

static struct vnic_loopback *vnic_lb;	/* the packet handler has no context */

static int vnic_lb_rcv(struct sk_buff *skb, struct net_device *dev,
		       struct packet_type *pt, struct net_device *orig)
{
	struct vnic_loopback *lb = vnic_lb;
	unsigned int i, n;
	u8 buf[64];

	n = min_t(unsigned int, skb->len, sizeof(buf));
	if (skb->len != lb->len - ETH_HLEN || skb_copy_bits(skb, 0, buf, n)) {
		atomic_inc(&lb->rx_bad);
	} else {
		for (i = 0; i < n; i++)
			if (buf[i] != (u8)(i + 1))
				break;
		if (i != n)
			atomic_inc(&lb->rx_bad);
	}
	if (atomic_inc_return(&lb->rx_frames) == lb->want)
		complete(&lb->all_rx);
	kfree_skb(skb);
	return NET_RX_SUCCESS;
}

static struct net_device *vnic_lb_find_port(u32 card, u32 func)
{
	struct net_device *dev;

	for_each_netdev(&init_net, dev) {
		struct device *parent = dev->dev.parent;
		struct vnic_bus_dev *bdev;

		if (!parent || !parent->bus || strcmp(parent->bus->name, "vnic"))
			continue;
		bdev = to_vnic_bus_dev(parent);
		if (bdev->card_id == card && bdev->func == func)
			return dev;
	}
	return NULL;
}

static void vnic_lb_teardown(void *data)
{
	struct vnic_loopback *lb = data;

	dev_remove_pack(&lb->pt);
	vnic_cards_del(VNIC_TEST_CARD);
	vnic_lb = NULL;
}

static struct vnic_loopback *vnic_lb_setup(struct kunit *test)
{
	struct vnic_loopback *lb;
	unsigned int p;
	int err;

	lb = kunit_kzalloc(test, sizeof(*lb), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, lb);
	init_completion(&lb->all_rx);

	KUNIT_ASSERT_EQ(test, vnic_cards_new(VNIC_TEST_CARD, 1), 0);

	rtnl_lock();
	for (p = 0; p < 2; p++) {
		lb->port[p] = vnic_lb_find_port(VNIC_TEST_CARD, p);
		if (!lb->port[p])
			break;
		err = dev_open(lb->port[p], NULL);
		if (err)
			break;
	}
	rtnl_unlock();

	lb->pt.type = htons(VNIC_TEST_ETHERTYPE);
	lb->pt.func = vnic_lb_rcv;
	lb->pt.dev = lb->port[1];
	vnic_lb = lb;
	if (lb->port[1])
		dev_add_pack(&lb->pt);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vnic_lb_teardown, lb), 0);

	KUNIT_ASSERT_NOT_NULL(test, lb->port[0]);
	KUNIT_ASSERT_NOT_NULL(test, lb->port[1]);
	KUNIT_ASSERT_TRUE(test, netif_running(lb->port[0]) && netif_running(lb->port[1]));
	return lb;
}

static struct sk_buff *vnic_lb_frame(struct vnic_loopback *lb, unsigned int len)
{
	struct net_device *tx = lb->port[0];
	struct sk_buff *skb;
	struct ethhdr *eth;
	unsigned int i;
	u8 *data;

	skb = alloc_skb(len + NET_IP_ALIGN, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, NET_IP_ALIGN);
	eth = skb_put(skb, ETH_HLEN);
	ether_addr_copy(eth->h_dest, lb->port[1]->dev_addr);
	ether_addr_copy(eth->h_source, tx->dev_addr);
	eth->h_proto = htons(VNIC_TEST_ETHERTYPE);
	data = skb_put(skb, len - ETH_HLEN);
	for (i = 0; i < len - ETH_HLEN; i++)
		data[i] = i + 1;
	skb_reset_mac_header(skb);
	skb->protocol = eth->h_proto;
	skb->dev = tx;
	return skb;
}

static void vnic_lb_send(struct kunit *test, struct vnic_loopback *lb, unsigned int frames,
			 unsigned int len)
{
	unsigned int i;

	lb->want = frames;
	lb->len = len;
	for (i = 0; i < frames; i++) {
		struct sk_buff *skb = vnic_lb_frame(lb, len);

		KUNIT_ASSERT_NOT_NULL(test, skb);
		/* A full qdisc may drop; resend until the stack takes it. */
		while (dev_queue_xmit(skb) != NET_XMIT_SUCCESS) {
			usleep_range(1000, 2000);
			skb = vnic_lb_frame(lb, len);
			KUNIT_ASSERT_NOT_NULL(test, skb);
		}
	}
}

/* One frame crosses the wire and arrives intact through NAPI. */
static void vnic_loopback_one_frame_test(struct kunit *test)
{
	struct vnic_loopback *lb = vnic_lb_setup(test);
	struct rtnl_link_stats64 tx, rx;

	vnic_lb_send(test, lb, 1, 100);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&lb->all_rx, 5 * HZ), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->rx_bad), 0);

	/* TX completion may trail the receive by a poll. */
	msleep(100);
	dev_get_stats(lb->port[0], &tx);
	dev_get_stats(lb->port[1], &rx);
	KUNIT_EXPECT_GE(test, tx.tx_packets, 1ULL);
	KUNIT_EXPECT_GE(test, rx.rx_packets, 1ULL);
	KUNIT_EXPECT_EQ(test, tx.tx_errors, 0ULL);
}

/* More frames than either ring holds: rings wrap, buffers get refilled. */
static void vnic_loopback_many_frames_test(struct kunit *test)
{
	struct vnic_loopback *lb = vnic_lb_setup(test);
	unsigned long left;

	vnic_lb_send(test, lb, VNIC_TEST_FRAMES, ETH_ZLEN);
	left = wait_for_completion_timeout(&lb->all_rx, 20 * HZ);
	KUNIT_EXPECT_GT_MSG(test, left, 0, "received %d of %d frames",
			    atomic_read(&lb->rx_frames), VNIC_TEST_FRAMES);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->rx_bad), 0);
}

/* A frame to another unicast address is filtered by the card. */
static void vnic_loopback_filter_test(struct kunit *test)
{
	struct vnic_loopback *lb = vnic_lb_setup(test);
	struct sk_buff *skb;
	struct ethhdr *eth;

	lb->want = 1;
	lb->len = 100;
	skb = vnic_lb_frame(lb, 100);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	eth = eth_hdr(skb);
	eth->h_dest[5] ^= 0x40;
	KUNIT_ASSERT_EQ(test, dev_queue_xmit(skb), NET_XMIT_SUCCESS);
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&lb->all_rx, HZ / 2), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->rx_frames), 0);
}

static struct kunit_case vnic_loopback_cases[] = {
	KUNIT_CASE(vnic_loopback_one_frame_test),
	KUNIT_CASE(vnic_loopback_many_frames_test),
	KUNIT_CASE(vnic_loopback_filter_test),
	{}
};

static struct kunit_suite vnic_loopback_suite = {
	.name = "vnic-loopback",
	.test_cases = vnic_loopback_cases,
};

kunit_test_suite(vnic_loopback_suite);
