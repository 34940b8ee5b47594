// SPDX-License-Identifier: GPL-2.0
/*
 * vnic-loopback: the whole path, driver plus card. Plug in a fresh card,
 * open both ports, transmit frames on one and receive them through the
 * other port's NAPI poll, as the stack would; and a TSO packet, which the
 * receiver gets whole with rx-gro-hw (NETIF_F_GRO_HW) on and in segments
 * with it off.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/netdev_queues.h>
#include <net/sch_generic.h>

#include "../driver/nic/vnic.h"
#include "../driver/vnic_main.h"
#include "vnic_test_util.h"

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
	/* of the last frame received */
	unsigned int truesize;
	unsigned int nr_frags;
	bool pp_recycle;
};

static struct vnic_loopback *vnic_lb;	/* the packet handler has no context */

static int vnic_lb_rcv(struct sk_buff *skb, struct net_device *dev,
		       struct packet_type *pt, struct net_device *orig)
{
	struct vnic_loopback *lb = vnic_lb;
	unsigned int i, off;
	u8 buf[64];

	if (skb->len != lb->len - ETH_HLEN)
		atomic_inc(&lb->rx_bad);
	for (off = 0; off < skb->len && skb->len == lb->len - ETH_HLEN; off += sizeof(buf)) {
		unsigned int n = min_t(unsigned int, skb->len - off, sizeof(buf));

		if (skb_copy_bits(skb, off, buf, n)) {
			atomic_inc(&lb->rx_bad);
			break;
		}
		for (i = 0; i < n; i++)
			if (buf[i] != (u8)(off + i + 1))
				break;
		if (i != n) {
			atomic_inc(&lb->rx_bad);
			break;
		}
	}
	WRITE_ONCE(lb->truesize, skb->truesize);
	WRITE_ONCE(lb->nr_frags, skb_shinfo(skb)->nr_frags);
	WRITE_ONCE(lb->pp_recycle, skb->pp_recycle);
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
	vnic_destroy_cards(VNIC_TEST_CARD);
	vnic_lb = NULL;
}

/*
 * The link comes up once both ports are open, through the misc interrupt,
 * and the stack starts port 0's qdisc on that carrier (linkwatch).
 */
static bool vnic_lb_link_ready(struct vnic_loopback *lb)
{
	unsigned int i;

	for (i = 0; i < 250; i++) {
		if (netif_carrier_ok(lb->port[0]) && netif_carrier_ok(lb->port[1]) &&
		    !qdisc_tx_is_noop(lb->port[0]))
			return true;
		msleep(20);
	}
	return false;
}

static struct vnic_loopback *vnic_lb_setup(struct kunit *test)
{
	struct vnic_loopback *lb;
	unsigned int p;
	int err;

	lb = kunit_kzalloc(test, sizeof(*lb), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, lb);
	init_completion(&lb->all_rx);

	KUNIT_ASSERT_EQ(test, vnic_create_cards(VNIC_TEST_CARD, 1), 0);

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
	KUNIT_ASSERT_TRUE_MSG(test, vnic_lb_link_ready(lb), "no link between the ports after 5 s");
	return lb;
}

/* An skb of room for @len bytes holding the Ethernet header port 0 -> 1. */
static struct sk_buff *vnic_lb_eth_skb(struct vnic_loopback *lb, unsigned int len, u16 proto)
{
	struct sk_buff *skb;
	struct ethhdr *eth;

	skb = alloc_skb(len + NET_IP_ALIGN, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, NET_IP_ALIGN);
	eth = skb_put(skb, ETH_HLEN);
	ether_addr_copy(eth->h_dest, lb->port[1]->dev_addr);
	ether_addr_copy(eth->h_source, lb->port[0]->dev_addr);
	eth->h_proto = htons(proto);
	return skb;
}

static struct sk_buff *vnic_lb_frame(struct vnic_loopback *lb, unsigned int len)
{
	struct net_device *tx = lb->port[0];
	struct sk_buff *skb;
	struct ethhdr *eth;
	unsigned int i;
	u8 *data;

	skb = vnic_lb_eth_skb(lb, len, VNIC_TEST_ETHERTYPE);
	if (!skb)
		return NULL;
	eth = (struct ethhdr *)skb->data;
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

/*
 * The poll's ownership rule (vnic_poll(), vnic_stop_datapath()): the vector
 * is unmasked while the poll still owns the NAPI, and an interrupt that
 * comes before napi_complete_done() marks the NAPI missed. Such a poll must
 * then keep the NAPI and the vector masked, and the poll that follows must
 * give both up. The missed mark is set by hand here, as the handler would.
 */
static void vnic_loopback_poll_missed_test(struct kunit *test)
{
	struct vnic_loopback *lb = vnic_lb_setup(test);
	struct vnic_dev *vd = netdev_priv(lb->port[1]);
	struct vnic_napi_vector *nv = vd->nv[0];
	struct napi_struct *napi = &nv->napi;
	bool owned = false;
	unsigned int i;
	int done;

	/* Own the NAPI as the core would before a poll; retry if it runs. */
	for (i = 0; i < 100 && !owned; i++) {
		local_bh_disable();
		owned = napi_schedule_prep(napi);
		if (!owned) {
			local_bh_enable();
			msleep(20);
		}
	}
	KUNIT_ASSERT_TRUE_MSG(test, owned, "the NAPI never went idle");

	KUNIT_EXPECT_FALSE(test, napi_schedule_prep(napi));	/* now missed */
	done = vnic_poll(napi, NAPI_POLL_WEIGHT);
	KUNIT_EXPECT_LT(test, done, NAPI_POLL_WEIGHT);
	KUNIT_EXPECT_TRUE(test, test_bit(NAPI_STATE_SCHED, &napi->state));
	KUNIT_EXPECT_TRUE(test, vnic_rd32(&vd->hw, VNIC_REG_INT_MASK(VNIC_INT_BANK(nv->v_idx))) &
			  VNIC_INT_BIT(nv->v_idx));
	local_bh_enable();	/* the poll scheduled again runs here */

	for (i = 0; i < 50 && test_bit(NAPI_STATE_SCHED, &napi->state); i++)
		msleep(20);
	KUNIT_EXPECT_FALSE(test, test_bit(NAPI_STATE_SCHED, &napi->state));
	KUNIT_EXPECT_FALSE(test, vnic_rd32(&vd->hw, VNIC_REG_INT_MASK(VNIC_INT_BANK(nv->v_idx))) &
			   VNIC_INT_BIT(nv->v_idx));

	/* And traffic still arrives through that vector. */
	vnic_lb_send(test, lb, 1, 100);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&lb->all_rx, 5 * HZ), 0);
}

/* ---- RX memory: what a frame of each size costs the socket ---- */

struct vnic_lb_size {
	const char *desc;
	unsigned int mtu;
	unsigned int len;	/* the frame, Ethernet header included */
	bool copied;		/* rx-copybreak: a small skb, no pool page */
	unsigned int frags;	/* buffers after the first */
	unsigned int truesize;	/* the buffers' memory, the copy's at most */
};

static const struct vnic_lb_size vnic_lb_sizes[] = {
	{ "60 bytes: copied", 1500, 60, true, 0, 1280 },
	{ "255 bytes: copied", 1500, 255, true, 0, 1280 },
	{ "256 bytes, rx-copybreak: copied", 1500, 256, true, 0, 1280 },
	{ "257 bytes: one half-page buffer", 1500, 257, false, 0, 2048 },
	{ "1514 bytes: one half-page buffer", 1500, 1514, false, 0, 2048 },
	{ "1518 bytes at MTU 1504: one half-page buffer", 1504, 1518, false, 0, 2048 },
	{ "9014 bytes at MTU 9000: three pages", 9000, 9014, false, 2, 3 * PAGE_SIZE },
};

KUNIT_ARRAY_PARAM_DESC(vnic_lb_size, vnic_lb_sizes, desc);

static void vnic_lb_set_mtu(struct kunit *test, struct vnic_loopback *lb, unsigned int mtu)
{
	unsigned int p;

	rtnl_lock();
	for (p = 0; p < 2; p++)
		KUNIT_EXPECT_EQ(test, dev_set_mtu(lb->port[p], mtu), 0);
	rtnl_unlock();
}

static u64 vnic_lb_copybreaks(struct net_device *dev)
{
	struct vnic_dev *vd = netdev_priv(dev);
	struct vnic_ring_stats s;

	vnic_read_ring_stats(&vd->nv[0]->rx, &s);
	return s.copybreak;
}

/*
 * A frame up to rx-copybreak (256) comes up copied, charged for what it
 * holds; a longer one in the page_pool buffers the card wrote it to, one
 * half page each up to MTU 1646, whole pages beyond, and charged for those.
 */
static void vnic_loopback_rx_size_test(struct kunit *test)
{
	const struct vnic_lb_size *c = test->param_value;
	struct vnic_loopback *lb = vnic_lb_setup(test);
	unsigned int truesize;
	u64 copies;

	if (c->mtu != 1500)
		vnic_lb_set_mtu(test, lb, c->mtu);
	copies = vnic_lb_copybreaks(lb->port[1]);
	vnic_lb_send(test, lb, 1, c->len);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&lb->all_rx, 5 * HZ), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->rx_bad), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(lb->pp_recycle), !c->copied);
	KUNIT_EXPECT_EQ(test, READ_ONCE(lb->nr_frags), c->frags);
	KUNIT_EXPECT_EQ(test, vnic_lb_copybreaks(lb->port[1]) - copies, c->copied ? 1 : 0);
	truesize = READ_ONCE(lb->truesize);
	kunit_info(test, "truesize %u\n", truesize);
	if (c->copied) {
		KUNIT_EXPECT_LE(test, truesize, c->truesize);
	} else {
		/* The buffers, plus the sk_buff itself. */
		KUNIT_EXPECT_GE(test, truesize, c->truesize);
		KUNIT_EXPECT_LE(test, truesize, c->truesize + 512);
	}
}

static int vnic_lb_copybreak_set(struct net_device *dev, u32 val)
{
	struct ethtool_tunable tuna = { .id = ETHTOOL_RX_COPYBREAK, .type_id = ETHTOOL_TUNABLE_U32,
					.len = sizeof(u32) };

	return dev->ethtool_ops->set_tunable(dev, &tuna, &val);
}

static u32 vnic_lb_copybreak_get(struct kunit *test, struct net_device *dev)
{
	struct ethtool_tunable tuna = { .id = ETHTOOL_RX_COPYBREAK, .type_id = ETHTOOL_TUNABLE_U32,
					.len = sizeof(u32) };
	u32 val = U32_MAX;

	KUNIT_EXPECT_EQ(test, dev->ethtool_ops->get_tunable(dev, &tuna, &val), 0);
	return val;
}

/* rx-copybreak: 256 by default, 0 turns copying off, beyond 1024 refused. */
static void vnic_loopback_copybreak_tunable_test(struct kunit *test)
{
	struct vnic_loopback *lb = vnic_lb_setup(test);
	struct net_device *rx = lb->port[1];
	u64 copies;

	KUNIT_EXPECT_EQ(test, vnic_lb_copybreak_get(test, rx), VNIC_RX_COPYBREAK_DEFAULT);
	KUNIT_EXPECT_EQ(test, vnic_lb_copybreak_set(rx, VNIC_RX_COPYBREAK_MAX + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, vnic_lb_copybreak_get(test, rx), VNIC_RX_COPYBREAK_DEFAULT);

	KUNIT_ASSERT_EQ(test, vnic_lb_copybreak_set(rx, 0), 0);
	copies = vnic_lb_copybreaks(rx);
	vnic_lb_send(test, lb, 1, ETH_ZLEN);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&lb->all_rx, 5 * HZ), 0);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(lb->pp_recycle));
	KUNIT_EXPECT_EQ(test, vnic_lb_copybreaks(rx), copies);

	KUNIT_ASSERT_EQ(test, vnic_lb_copybreak_set(rx, VNIC_RX_COPYBREAK_MAX), 0);
	KUNIT_EXPECT_EQ(test, vnic_lb_copybreak_get(test, rx), VNIC_RX_COPYBREAK_MAX);
	reinit_completion(&lb->all_rx);
	atomic_set(&lb->rx_frames, 0);
	vnic_lb_send(test, lb, 1, 1000);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&lb->all_rx, 5 * HZ), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->rx_bad), 0);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(lb->pp_recycle));
	KUNIT_EXPECT_EQ(test, vnic_lb_copybreaks(rx), copies + 1);
}

/* ---- A TSO packet, with the receiver's rx-gro-hw on and off ---- */

#define VNIC_LB_MSS		1000
#define VNIC_LB_SEGS		60	/* 60 KB: more buffers than an skb has frags */
#define VNIC_LB_SEQ		1000000
#define VNIC_LB_HLEN		(ETH_HLEN + sizeof(struct iphdr) + sizeof(struct tcphdr))

/**
 * struct vnic_lb_gso - what arrived of the TSO packet at the receiver
 * @skbs: skbs handed up
 * @bytes: TCP payload bytes in them
 * @bad: skbs whose payload is not the pattern the sender wrote
 * @dodgy: skbs handed up as GSO (DODGY, gso_size = MSS, CHECKSUM_PARTIAL)
 * @plain: skbs that are one segment each, with their checksum verified
 * @frags: page frags of the largest skb
 * @frag_list: skbs that came with a frag_list
 */
struct vnic_lb_gso {
	atomic_t skbs;
	atomic_t bytes;
	atomic_t bad;
	atomic_t dodgy;
	atomic_t plain;
	atomic_t frags;
	atomic_t frag_list;
};

static struct vnic_lb_gso *vnic_lb_gso_seen;

static int vnic_lb_gso_rcv(struct sk_buff *skb, struct net_device *dev,
			   struct packet_type *pt, struct net_device *orig)
{
	struct vnic_lb_gso *g = vnic_lb_gso_seen;
	const u32 l4 = sizeof(struct iphdr);
	struct skb_shared_info *shinfo = skb_shinfo(skb);
	struct tcphdr th;
	u32 i, n, off;
	u8 buf[256];

	if (!g || skb_copy_bits(skb, l4, &th, sizeof(th)) || ntohs(th.dest) != 5001)
		goto out;
	off = ntohl(th.seq) - VNIC_LB_SEQ;
	n = skb->len - l4 - sizeof(th);
	for (i = 0; i < n; i += sizeof(buf)) {
		u32 k, chunk = min_t(u32, sizeof(buf), n - i);

		if (skb_copy_bits(skb, l4 + sizeof(th) + i, buf, chunk)) {
			atomic_inc(&g->bad);
			break;
		}
		for (k = 0; k < chunk; k++)
			if (buf[k] != (u8)((off + i + k) * 7 + 3))
				break;
		if (k != chunk) {
			atomic_inc(&g->bad);
			break;
		}
	}
	if (shinfo->gso_size == VNIC_LB_MSS && (shinfo->gso_type & SKB_GSO_TCPV4) &&
	    (shinfo->gso_type & SKB_GSO_DODGY) && skb->ip_summed == CHECKSUM_PARTIAL &&
	    skb_transport_offset(skb) == l4 && skb->csum_offset == offsetof(struct tcphdr, check))
		atomic_inc(&g->dodgy);
	if (!skb_is_gso(skb) && n <= VNIC_LB_MSS && skb->ip_summed == CHECKSUM_UNNECESSARY)
		atomic_inc(&g->plain);
	if (shinfo->nr_frags > atomic_read(&g->frags))
		atomic_set(&g->frags, shinfo->nr_frags);
	if (skb_has_frag_list(skb))
		atomic_inc(&g->frag_list);
	atomic_add(n, &g->bytes);
	atomic_inc(&g->skbs);
out:
	kfree_skb(skb);
	return NET_RX_SUCCESS;
}

/* A TCP/IPv4 TSO skb of VNIC_LB_SEGS segments, as the stack hands it down. */
static struct sk_buff *vnic_lb_tso_skb(struct vnic_loopback *lb)
{
	u32 plen = VNIC_LB_SEGS * VNIC_LB_MSS, l4len = sizeof(struct tcphdr) + plen, i;
	struct net_device *tx = lb->port[0];
	struct sk_buff *skb;
	struct tcphdr *th;
	struct iphdr *iph;
	u8 *data;

	skb = vnic_lb_eth_skb(lb, VNIC_LB_HLEN + plen, ETH_P_IP);
	if (!skb)
		return NULL;
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->tot_len = htons(sizeof(*iph) + l4len);
	iph->frag_off = htons(IP_DF);
	iph->ttl = 64;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = htonl(0xc6130001);	/* 198.19.0.1 */
	iph->daddr = htonl(0xc6130002);
	iph->check = ip_fast_csum(iph, iph->ihl);
	th = skb_put_zero(skb, sizeof(*th));
	th->source = htons(40000);
	th->dest = htons(5001);
	th->seq = htonl(VNIC_LB_SEQ);
	th->doff = sizeof(*th) / 4;
	th->ack = 1;
	th->psh = 1;
	th->window = htons(1000);
	/* CHECKSUM_PARTIAL: the pseudo-header sum over the whole L4 length. */
	th->check = ~csum_tcpudp_magic(iph->saddr, iph->daddr, l4len, IPPROTO_TCP, 0);
	data = skb_put(skb, plen);
	for (i = 0; i < plen; i++)
		data[i] = i * 7 + 3;

	skb_reset_mac_header(skb);
	skb_set_network_header(skb, ETH_HLEN);
	skb_set_transport_header(skb, ETH_HLEN + sizeof(*iph));
	skb->protocol = htons(ETH_P_IP);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct tcphdr, check);
	skb_shinfo(skb)->gso_size = VNIC_LB_MSS;
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	skb_shinfo(skb)->gso_segs = VNIC_LB_SEGS;
	skb->dev = tx;
	return skb;
}

/* hw-gro-packets (rx_q*_gso_packets) of every queue, as netlink reads it. */
static u64 vnic_lb_gso_packets(struct net_device *dev)
{
	unsigned int q;
	u64 n = 0;

	for (q = 0; q < dev->real_num_rx_queues; q++) {
		struct netdev_queue_stats_rx qs = {};

		dev->stat_ops->get_queue_stats_rx(dev, q, &qs);
		n += qs.hw_gro_packets;
	}
	return n;
}

static void vnic_lb_gso_teardown(void *data)
{
	dev_remove_pack(data);
	vnic_lb_gso_seen = NULL;
}

/* rx-gro-hw on the receiver as asked; its software GRO off, to see each skb. */
static void vnic_lb_set_rx_features(struct net_device *dev, bool gro_hw)
{
	rtnl_lock();
	dev->wanted_features &= ~NETIF_F_GRO;
	if (gro_hw)
		dev->wanted_features |= NETIF_F_GRO_HW;
	else
		dev->wanted_features &= ~NETIF_F_GRO_HW;
	netdev_update_features(dev);
	rtnl_unlock();
}

/*
 * A TSO packet crosses the card. With rx-gro-hw on at the receiver it
 * comes up whole: one skb in page frags, DODGY GSO with gso_size = MSS,
 * CHECKSUM_PARTIAL, payload intact, counted as its segments plus once in
 * rx_q*_gso_packets. With it off it comes up as MSS-sized segments whose
 * checksums the card verified.
 */
static void vnic_loopback_gso_test(struct kunit *test)
{
	struct vnic_loopback *lb = vnic_lb_setup(test);
	struct net_device *rx = lb->port[1];
	struct vnic_dev *vd = netdev_priv(rx);
	struct rtnl_link_stats64 st0, st1;
	struct packet_type *pt;
	struct vnic_lb_gso *g;
	bool on;

	/* On by default, and the card told so when the port came up. */
	KUNIT_ASSERT_TRUE(test, rx->hw_features & NETIF_F_GRO_HW);
	KUNIT_EXPECT_TRUE(test, rx->features & NETIF_F_GRO_HW);
	KUNIT_EXPECT_TRUE(test, vnic_rd32(&vd->hw, VNIC_REG_RX_MODE) & VNIC_RX_MODE_GSO);

	pt = kunit_kzalloc(test, sizeof(*pt), GFP_KERNEL);
	g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pt);
	KUNIT_ASSERT_NOT_NULL(test, g);
	pt->type = htons(ETH_P_IP);
	pt->func = vnic_lb_gso_rcv;
	pt->dev = rx;
	vnic_lb_gso_seen = g;
	dev_add_pack(pt);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vnic_lb_gso_teardown, pt), 0);

	for (on = true; ; on = false) {
		struct sk_buff *skb;
		unsigned int i;
		u64 gso0, gso1;

		memset(g, 0, sizeof(*g));
		vnic_lb_set_rx_features(rx, on);
		KUNIT_EXPECT_EQ(test, !!(rx->features & NETIF_F_GRO_HW), on);
		KUNIT_EXPECT_EQ(test, !!(vnic_rd32(&vd->hw, VNIC_REG_RX_MODE) & VNIC_RX_MODE_GSO),
				on);
		dev_get_stats(rx, &st0);
		gso0 = vnic_lb_gso_packets(rx);

		skb = vnic_lb_tso_skb(lb);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		KUNIT_ASSERT_EQ(test, dev_queue_xmit(skb), NET_XMIT_SUCCESS);
		for (i = 0; i < 500; i++) {
			if (atomic_read(&g->bytes) >= VNIC_LB_SEGS * VNIC_LB_MSS)
				break;
			msleep(20);
		}
		msleep(50);
		dev_get_stats(rx, &st1);
		gso1 = vnic_lb_gso_packets(rx);

		KUNIT_EXPECT_EQ(test, atomic_read(&g->bytes), VNIC_LB_SEGS * VNIC_LB_MSS);
		KUNIT_EXPECT_EQ(test, atomic_read(&g->bad), 0);
		/* Counted as the segments either way. */
		KUNIT_EXPECT_EQ(test, st1.rx_packets - st0.rx_packets, VNIC_LB_SEGS);
		KUNIT_EXPECT_EQ(test, st1.rx_bytes - st0.rx_bytes,
				VNIC_LB_SEGS * (VNIC_LB_HLEN + VNIC_LB_MSS));
		KUNIT_EXPECT_EQ(test, st1.rx_errors - st0.rx_errors, 0);
		if (on) {
			KUNIT_EXPECT_EQ(test, atomic_read(&g->skbs), 1);
			KUNIT_EXPECT_EQ(test, atomic_read(&g->dodgy), 1);
			KUNIT_EXPECT_GE(test, atomic_read(&g->frags), 1);
			/* 60 KB over 1664-byte buffers: past the frags, a frag_list. */
			KUNIT_EXPECT_EQ(test, atomic_read(&g->frag_list), 1);
			KUNIT_EXPECT_EQ(test, gso1 - gso0, 1);
		} else {
			KUNIT_EXPECT_EQ(test, atomic_read(&g->skbs), VNIC_LB_SEGS);
			KUNIT_EXPECT_EQ(test, atomic_read(&g->plain), VNIC_LB_SEGS);
			KUNIT_EXPECT_EQ(test, gso1 - gso0, 0);
			break;
		}
	}
}

VNIC_T_SUITE(vnic_loopback, "vnic-loopback", NULL,
	     KUNIT_CASE(vnic_loopback_one_frame_test),
	     KUNIT_CASE(vnic_loopback_many_frames_test),
	     KUNIT_CASE(vnic_loopback_filter_test),
	     KUNIT_CASE(vnic_loopback_poll_missed_test),
	     KUNIT_CASE_PARAM(vnic_loopback_rx_size_test, vnic_lb_size_gen_params),
	     KUNIT_CASE(vnic_loopback_copybreak_tunable_test),
	     KUNIT_CASE(vnic_loopback_gso_test));
