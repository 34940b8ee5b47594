// SPDX-License-Identifier: GPL-2.0
/*
 * vnic probe and remove, bringing the interface up and down, and the
 * service task that resets the card after a TX timeout. The shape is that
 * of a PCI driver: map BAR0, set the DMA mask, reset the card, read its MAC,
 * allocate and register the net_device.
 */
#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/iopoll.h>
#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <net/netlink.h>

#include "vnic_compat.h"
#include "vnic_link.h"

#include "vnic.h"

/* The driver's ring sizes at probe; ethtool -G changes them per port. */
static unsigned int tx_ring_size = VNIC_TX_RING_DEFAULT;
module_param(tx_ring_size, uint, 0444);
MODULE_PARM_DESC(tx_ring_size, "TX descriptors per queue, power of two 64-4096 (default 256)");

static unsigned int rx_ring_size = VNIC_RX_RING_DEFAULT;
module_param(rx_ring_size, uint, 0444);
MODULE_PARM_DESC(rx_ring_size, "RX buffers per queue, power of two 64-4096 (default 512)");

static bool vnic_ring_param_ok(const char *name, unsigned int val)
{
	if (vnic_ring_size_ok(val))
		return true;
	pr_err("vnic: %s=%u is invalid, allowed: a power of two from %u to %u\n",
	       name, val, VNIC_RING_MIN, VNIC_RING_MAX);
	return false;
}

static const struct vnic_bus_device_id vnic_id_table[] = {
	{ .vendor = VNIC_VENDOR_ID, .device = VNIC_DEVICE_ID },
	{ }
};

static u32 vnic_rd_ctrl(struct vnic_dev *vd)
{
	return vnic_rd32(&vd->hw, VNIC_REG_CTRL);
}

/**
 * vnic_reset_hw - reset the card and wait for it to come back
 * @vd: the device
 *
 * The reset disables every ring and masks every vector, so it also serves
 * as the last step of bringing the interface down.
 *
 * Return: 0, or -ETIMEDOUT if the reset bit does not clear.
 */
int vnic_reset_hw(struct vnic_dev *vd)
{
	u32 ctrl;
	int err;

	vnic_wr32(&vd->hw, VNIC_REG_CTRL, VNIC_CTRL_RESET);
	err = readx_poll_timeout_atomic(vnic_rd_ctrl, vd, ctrl, !(ctrl & VNIC_CTRL_RESET),
					10, 100000);
	if (err)
		netdev_err(vd->netdev, "card did not come out of reset\n");
	return err;
}

/**
 * vnic_update_hw_stats - fold the card's 32-bit counters into 64-bit totals
 * @vd: the device
 *
 * Safe in any context; the counters are plain register reads.
 */
void vnic_update_hw_stats(struct vnic_dev *vd)
{
	u64 *total = (u64 *)&vd->hw_stats;
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&vd->hw_stats_lock, flags);
	for (i = 0; i < VNIC_HW_STATS_NUM; i++) {
		u32 now = vnic_rd32(&vd->hw, VNIC_REG_STAT_BASE + i * 4);

		total[i] += (u32)(now - vd->hw_stats_last[i]);
		vd->hw_stats_last[i] = now;
	}
	spin_unlock_irqrestore(&vd->hw_stats_lock, flags);
}

static void vnic_sync_hw_stats_base(struct vnic_dev *vd)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&vd->hw_stats_lock, flags);
	for (i = 0; i < VNIC_HW_STATS_NUM; i++)
		vd->hw_stats_last[i] = vnic_rd32(&vd->hw, VNIC_REG_STAT_BASE + i * 4);
	spin_unlock_irqrestore(&vd->hw_stats_lock, flags);
}

static void vnic_update_carrier(struct vnic_dev *vd)
{
	bool up = vnic_rd32(&vd->hw, VNIC_REG_STATUS) & VNIC_STATUS_LINK_UP;

	if (up == netif_carrier_ok(vd->netdev))
		return;
	if (up)
		netif_carrier_on(vd->netdev);
	else
		netif_carrier_off(vd->netdev);
	netif_info(vd, link, vd->netdev, "link %s\n", up ? "up" : "down");
}

/**
 * vnic_enable_link - take part in the link, or leave it
 * @vd: the device
 * @on: LINK_CTRL.EN; the card keeps the rest of the link settings
 *
 * The interface does while it is up; a link comes up only between two
 * ports that both do. Its coming and going reaches the carrier through
 * the misc vector.
 */
void vnic_enable_link(struct vnic_dev *vd, bool on)
{
	u32 ctrl = vnic_rd32(&vd->hw, VNIC_REG_LINK_CTRL);

	if (on)
		ctrl |= VNIC_LINK_CTRL_EN;
	else
		ctrl &= ~VNIC_LINK_CTRL_EN;
	vnic_wr32(&vd->hw, VNIC_REG_LINK_CTRL, ctrl);
}

/* Hand the allocated rings to the card and start traffic. */
static int vnic_start_datapath(struct vnic_dev *vd)
{
	struct net_device *netdev = vd->netdev;
	unsigned int q;
	int err;

	err = netif_set_real_num_queues(netdev, vd->num_queues, vd->num_queues);
	if (err)
		return err;

	err = vnic_request_queue_irqs(vd);
	if (err)
		return err;

	/*
	 * A reset of the card lost these; program them every time. RX_MODE
	 * also carries GSO pass-through (rx-gro-hw, vd->gso_rx).
	 */
	vnic_write_mac(vd);
	vnic_write_max_frame(vd);
	vnic_write_ctrl(vd, netdev->features);
	netif_addr_lock_bh(netdev);
	netdev->netdev_ops->ndo_set_rx_mode(netdev);
	netif_addr_unlock_bh(netdev);
	vnic_write_coalesce(vd);
	vnic_wr32(&vd->hw, VNIC_REG_FLOW_CTRL, vd->flow_ctrl);
	vnic_init_rss(vd);
	vnic_write_rss(vd);
	vnic_write_steer(vd);

	err = vnic_enable_rings(vd);
	if (err)
		goto abort_with_irqs;

	vnic_fill_rx_rings(vd);

	for (q = 0; q < vd->num_queues; q++) {
		struct vnic_napi_vector *nv = vd->nv[q];

		napi_enable(&nv->napi);
		vnic_queue_set_napi(netdev, q, &nv->napi);
	}

	vnic_tx_timeout_rearm(vd);
	WRITE_ONCE(vd->running, true);
	vnic_unmask_all_vectors(vd);
	netif_tx_start_all_queues(netdev);
	vnic_update_carrier(vd);
	return 0;

abort_with_irqs:
	vnic_free_queue_irqs(vd);
	return err;
}

/*
 * Stop traffic and take the rings back from the card. When this returns
 * the card no longer touches any ring, and no handler or poll runs.
 *
 * Who may run a poll, and when the rings may go. A poll runs only while
 * its NAPI is scheduled, and a NAPI is scheduled only by:
 *   - the queue vector's handler (napi_schedule_irqoff), also when the
 *     card delivers an interrupt late (from its engine, an irq_work or an
 *     IPI);
 *   - the poll itself (napi_complete_done() of a missed NAPI);
 *   - the service task's kick (vnic_kick_stalled), under RTNL and only
 *     while vd->running;
 *   - the TX watchdog's kick (vnic_tx_timeout), under the TX global lock
 *     and only while vd->running.
 * The rings are freed only under RTNL, after this function. So, in order:
 *   1. vd->running = false, then the misc vector is synchronised: from
 *      here the carrier stays off and the watchdog, which runs only with
 *      the carrier on, and the service task kick nothing.
 *   2. netif_tx_disable(): no xmit, and any watchdog under way is done.
 *   3. The card masks every queue vector and stops every ring: no new
 *      completion, no new interrupt.
 *   4. napi_disable() on every vector: it waits until the poll under way
 *      gives the NAPI up. A poll gives it up only as its very last act
 *      (vnic_poll(): the unmask and every look at the rings come before
 *      napi_complete_done()), and a disabled NAPI is never scheduled
 *      again, whoever asks.
 *   5. free_irq(): waits for a handler under way; a late delivery now
 *      finds no handler, and is replayed to the next one requested,
 *      which finds its NAPI not yet enabled.
 * Starting goes the other way round: rings, then IRQs, then the card,
 * then napi_enable(), then vd->running, and only then unmask and wake: a
 * NAPI is never enabled before its rings exist.
 */
static void vnic_stop_datapath(struct vnic_dev *vd)
{
	struct net_device *netdev = vd->netdev;
	unsigned int q;

	if (!vd->running)
		return;
	WRITE_ONCE(vd->running, false);
	synchronize_irq(vd->misc_irq);
	/* ndo_xdp_xmit looks at vd->running, under RCU: let it finish. */
	if (vd->nv[0] && vd->nv[0]->xdp_tx.desc)
		synchronize_net();

	netif_carrier_off(netdev);
	netif_tx_disable(netdev);

	/* Queue vectors off first, so that no new poll is scheduled. */
	vnic_mask_all_vectors(vd);
	vnic_disable_rings(vd);

	for (q = 0; q < vd->num_queues; q++) {
		struct vnic_napi_vector *nv = vd->nv[q];

		vnic_queue_set_napi(netdev, q, NULL);
		napi_disable(&nv->napi);
	}
	/*
	 * A poll that ran until napi_disable() may have completed TX and woken
	 * a queue: stop them again, now that nothing else can wake them, so
	 * that no xmit reaches rings that are about to be freed.
	 */
	netif_tx_disable(netdev);

	vnic_free_queue_irqs(vd);
	/* A poll may have unmasked its vector before napi_disable() took hold. */
	vnic_mask_all_vectors(vd);
}

/**
 * vnic_up - allocate rings, program the card and start the queues
 * @vd: the device
 *
 * Return: 0 or a negative errno, with everything undone.
 */
int vnic_up(struct vnic_dev *vd)
{
	int err;

	ASSERT_RTNL();

	err = vnic_alloc_napi_vectors(vd, vd->nv, vd->num_queues, vd->tx_ring_size,
				      vd->rx_ring_size, vd->netdev->mtu);
	if (err)
		return err;

	err = vnic_start_datapath(vd);
	if (err)
		vnic_free_napi_vectors(vd, vd->nv, vd->num_queues);
	return err;
}

/**
 * vnic_down - stop the queues and the card's rings, free everything
 * @vd: the device
 *
 * When this returns, the card no longer touches any ring memory, no
 * interrupt handler or NAPI poll runs, and every skb and page is freed.
 */
void vnic_down(struct vnic_dev *vd)
{
	ASSERT_RTNL();

	vnic_stop_datapath(vd);
	vnic_free_napi_vectors(vd, vd->nv, vd->num_queues);
	vnic_reset_tx_queues(vd);
}

/**
 * vnic_reconfigure - change queue count, ring sizes or MTU, live
 * @vd: the device
 * @nq: queue pairs
 * @tx_size: TX descriptors per ring
 * @rx_size: RX buffers per ring
 * @mtu: the new MTU
 *
 * The new rings are allocated while the old ones still run; if that fails
 * the old configuration stays in place, untouched. Only then is the card
 * quiesced and restarted on the new rings. Restarting can fail too (it
 * requests the queue vectors): then the old configuration comes back, on
 * fresh rings.
 *
 * Return: 0 or a negative errno.
 */
int vnic_reconfigure(struct vnic_dev *vd, unsigned int nq, u32 tx_size, u32 rx_size,
		     unsigned int mtu)
{
	struct vnic_napi_vector **nv;
	unsigned int old_nq = vd->num_queues, old_mtu = vd->netdev->mtu;
	u32 old_tx = vd->tx_ring_size, old_rx = vd->rx_ring_size;
	struct net_device *netdev = vd->netdev;
	unsigned int q;
	int err, err2;

	ASSERT_RTNL();

	if (!netif_running(netdev)) {
		vd->num_queues = nq;
		vd->tx_ring_size = tx_size;
		vd->rx_ring_size = rx_size;
		WRITE_ONCE(netdev->mtu, mtu);
		return 0;
	}

	/* VNIC_HW_MAX_QUEUES pointers are too many for the stack. */
	nv = kcalloc(VNIC_HW_MAX_QUEUES, sizeof(*nv), GFP_KERNEL);
	if (!nv)
		return -ENOMEM;
	err = vnic_alloc_napi_vectors(vd, nv, nq, tx_size, rx_size, mtu);
	if (err)
		goto out;

	vnic_down(vd);

	/* ndo_get_stats64 reads the array under RCU only. */
	for (q = 0; q < VNIC_HW_MAX_QUEUES; q++)
		WRITE_ONCE(vd->nv[q], nv[q]);
	vd->num_queues = nq;
	vd->tx_ring_size = tx_size;
	vd->rx_ring_size = rx_size;
	WRITE_ONCE(netdev->mtu, mtu);

	err = vnic_start_datapath(vd);
	if (!err)
		goto out;

	vnic_free_napi_vectors(vd, vd->nv, vd->num_queues);
	vd->num_queues = old_nq;
	vd->tx_ring_size = old_tx;
	vd->rx_ring_size = old_rx;
	WRITE_ONCE(netdev->mtu, old_mtu);
	err2 = vnic_up(vd);
	if (err2)
		netdev_err(netdev, "cannot restart the rings (%d, then %d); bring the interface down and up\n",
			   err, err2);
out:
	kfree(nv);
	return err;
}

static void vnic_reset_and_restart(struct vnic_dev *vd)
{
	struct net_device *netdev = vd->netdev;
	int err;

	netdev_err(netdev, "TX stalled: resetting the card\n");
	vnic_down(vd);
	err = vnic_reset_hw(vd);
	if (!err) {
		vnic_sync_hw_stats_base(vd);
		vnic_unmask_vector(vd, VNIC_VEC_MISC);
		err = vnic_up(vd);
	}
	if (err)
		netdev_err(netdev, "reset failed (%d), interface stays down\n", err);
	vd->resets++;
}

/*
 * A lost interrupt strands completions, and an RX ring that could not be
 * refilled gets no completion to retry on: both need NAPI to run once.
 */
static void vnic_kick_stalled(struct vnic_dev *vd)
{
	unsigned int q;

	for (q = 0; q < vd->num_queues; q++) {
		struct vnic_napi_vector *nv = vd->nv[q];
		bool starved = vnic_desc_unused(&nv->rx) == nv->rx.size - 1;

		if (!vnic_has_work(nv) && !starved)
			continue;
		u64_stats_update_begin(&nv->syncp);
		nv->stats.kicks++;
		u64_stats_update_end(&nv->syncp);
		local_bh_disable();
		napi_schedule(&nv->napi);
		local_bh_enable();
	}
}

/*
 * The service task runs every second while the device exists, and at once
 * after a TX timeout: it resets a stalled card, rescues stranded
 * completions, widens the card's 32-bit counters and follows the link in
 * case a link interrupt was lost.
 */
static void vnic_service_task(struct work_struct *work)
{
	struct vnic_dev *vd = container_of(to_delayed_work(work), struct vnic_dev,
					   service_task);
	struct net_device *netdev = vd->netdev;

	rtnl_lock();
	if (test_and_clear_bit(VNIC_STATE_RESET_REQUESTED, &vd->state) && netif_running(netdev))
		vnic_reset_and_restart(vd);
	if (vd->running) {
		vnic_kick_stalled(vd);
		vnic_update_carrier(vd);
	}
	vnic_update_hw_stats(vd);
	rtnl_unlock();

	if (!test_bit(VNIC_STATE_REMOVING, &vd->state))
		queue_delayed_work(system_wq, &vd->service_task, HZ);
}

static void vnic_init_features(struct vnic_dev *vd)
{
	struct net_device *netdev = vd->netdev;
	netdev_features_t hw = NETIF_F_SG | NETIF_F_HIGHDMA;

	if (vd->caps & VNIC_CAPS_TX_CSUM)
		hw |= NETIF_F_HW_CSUM;
	if (vd->caps & VNIC_CAPS_RX_CSUM)
		hw |= NETIF_F_RXCSUM;
	if (vd->caps & VNIC_CAPS_RSS)
		hw |= NETIF_F_RXHASH;
	/* The card segments only what it can also checksum. */
	if ((vd->caps & VNIC_CAPS_TSO) && (hw & NETIF_F_HW_CSUM))
		hw |= NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_TSO_ECN;
	if ((vd->caps & VNIC_CAPS_USO) && (hw & NETIF_F_HW_CSUM))
		hw |= NETIF_F_GSO_UDP_L4;

	netdev->vlan_features = hw;
	/*
	 * GSO pass-through is on by default, as bnxt's hardware GRO: a
	 * packet a vnic peer would cut into segments arrives whole, in one
	 * copy (see driver/card/vnic_engine.c). It needs RXCSUM (the core
	 * drops GRO_HW without it) and never reaches VLAN uppers: the card
	 * passes only untagged packets whole.
	 */
	if ((vd->caps & VNIC_CAPS_GSO_RX) && (hw & NETIF_F_RXCSUM))
		hw |= NETIF_F_GRO_HW;
	/* ntuple rules (and RSS contexts): on by default, as a capability. */
	if (vnic_rd32(&vd->hw, VNIC_REG_STEER_CAPS))
		hw |= NETIF_F_NTUPLE;
	netdev->features = hw;
	/* Internal loopback (CTRL.LOOPBACK) may be turned on; it starts off. */
	netdev->hw_features = hw | NETIF_F_LOOPBACK;
	vd->gso_rx = !!(hw & NETIF_F_GRO_HW);
	vd->rx_copybreak = VNIC_RX_COPYBREAK_DEFAULT;
	netdev->priv_flags |= IFF_UNICAST_FLT | IFF_LIVE_ADDR_CHANGE;
	/* NDO_XMIT comes with a program, which brings the XDP TX rings. */
#if VNIC_HAVE_XDP_FEATURES
	if (vd->xdp_txqs)
		netdev->xdp_features = NETDEV_XDP_ACT_BASIC | NETDEV_XDP_ACT_REDIRECT |
				       NETDEV_XDP_ACT_RX_SG | NETDEV_XDP_ACT_XSK_ZEROCOPY;
#endif
}

/* The card's permanent MAC address, or a random one if it holds none. */
static void vnic_init_mac(struct vnic_dev *vd)
{
	struct net_device *netdev = vd->netdev;
	u8 mac[ETH_ALEN];

	put_unaligned_le32(vnic_rd32(&vd->hw, VNIC_REG_PERM_MAC_LO), mac);
	put_unaligned_le16(vnic_rd32(&vd->hw, VNIC_REG_PERM_MAC_HI), mac + 4);
	/* ip link add ... address ADDR: the rtnetlink core has set it. */
	if (netdev->addr_assign_type == NET_ADDR_SET) {
		ether_addr_copy(netdev->perm_addr, mac);
		return;
	}
	if (is_valid_ether_addr(mac)) {
		eth_hw_addr_set(netdev, mac);
		ether_addr_copy(netdev->perm_addr, mac);
	} else {
		dev_warn(&vd->bdev->dev, "invalid MAC %pM in the card, using a random one\n", mac);
		eth_hw_addr_random(netdev);
	}
}

/**
 * vnic_netdev_setup - what every vnic net_device has, whoever allocates it
 * @netdev: the net_device
 *
 * The setup of alloc_netdev_mqs() in probe, and of vnic_link_ops (the
 * rtnetlink core allocates the net_device of ip link add with it): its
 * operations and limits, in the manner of fbnic_netdev_alloc(). Nothing
 * here depends on the card.
 */
void vnic_netdev_setup(struct net_device *netdev)
{
	ether_setup(netdev);
	netdev->netdev_ops = &vnic_netdev_ops;
#if VNIC_HAVE_QSTATS
	netdev->stat_ops = &vnic_stat_ops;
#endif
	vnic_set_ethtool_ops(netdev);
	netdev->min_mtu = VNIC_MIN_MTU;
	netdev->max_mtu = VNIC_MAX_MTU;
	netdev->watchdog_timeo = 5 * HZ;
	netif_set_tso_max_size(netdev, GSO_LEGACY_MAX_SIZE);
	netif_set_tso_max_segs(netdev, VNIC_TSO_MAX_SEGS);
}

/*
 * The private state of @netdev as the port of function @bdev with @nq
 * queue pairs. What depends on the card's state (capabilities, MAC,
 * features) comes after its reset, in vnic_probe().
 */
static struct vnic_dev *vnic_netdev_init(struct net_device *netdev, struct vnic_bus_dev *bdev,
					 unsigned int nq)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	SET_NETDEV_DEV(netdev, &bdev->dev);
	vd->netdev = netdev;
	vd->bdev = bdev;
	vd->hw.bar = &bdev->bar;
	vd->max_queues = nq;
	vd->num_queues = nq;
	vd->xdp_txqs = FIELD_GET(VNIC_CAPS_XDP_TXQS, vnic_bar_read32(&bdev->bar, VNIC_REG_CAPS));
	vd->tx_ring_size = tx_ring_size;
	vd->rx_ring_size = rx_ring_size;
	vd->msg_enable = netif_msg_init(-1, NETIF_MSG_DRV | NETIF_MSG_PROBE | NETIF_MSG_LINK);
	spin_lock_init(&vd->hw_stats_lock);
	INIT_DELAYED_WORK(&vd->service_task, vnic_service_task);
	netdev_rss_key_fill(vd->rss_key, sizeof(vd->rss_key));
	return vd;
}

/* The core calls this once an adopted net_device has no user left. */
static void vnic_netdev_destruct(struct net_device *netdev)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	complete(&vd->unregistered);
}

/*
 * The net_device of function @bdev: allocated here, or the one ip link add
 * hands over in the function's platform data (struct vnic_adopt).
 */
static struct vnic_dev *vnic_netdev_get(struct vnic_bus_dev *bdev, unsigned int nq)
{
	struct vnic_adopt *ad = dev_get_platdata(&bdev->dev);
	struct net_device *netdev;
	struct vnic_dev *vd;

	if (!ad) {
		netdev = alloc_netdev_mqs(sizeof(*vd), "vnic%d", NET_NAME_ENUM, vnic_netdev_setup,
					  nq, nq);
		if (!netdev)
			return ERR_PTR(-ENOMEM);
		return vnic_netdev_init(netdev, bdev, nq);
	}

	/*
	 * Only the newlink that built the card may probe it: it holds RTNL
	 * and registers the net_device itself. Any other prober (the bus's
	 * drivers_probe) would race it for the net_device.
	 */
	if (READ_ONCE(ad->task) != current) {
		dev_err(&bdev->dev, "made by ip link add: probed only by its newlink\n");
		return ERR_PTR(-EBUSY);
	}
	netdev = ad->netdev;
	if (netdev->num_tx_queues < nq || netdev->num_rx_queues < nq) {
		dev_err(&bdev->dev, "%u TX and %u RX queues for a card of %u queue pairs\n",
			netdev->num_tx_queues, netdev->num_rx_queues, nq);
		return ERR_PTR(-EINVAL);
	}
	vd = vnic_netdev_init(netdev, bdev, nq);
	vd->adopt = ad;
	init_completion(&vd->unregistered);
	netdev->priv_destructor = vnic_netdev_destruct;
	return vd;
}

/* Once the net_device is registered: the misc vector, debugfs, upkeep. */
static void vnic_start_port(struct vnic_dev *vd)
{
	vnic_unmask_vector(vd, VNIC_VEC_MISC);
	vnic_add_debugfs(vd);
	queue_delayed_work(system_wq, &vd->service_task, HZ);
	netif_info(vd, probe, vd->netdev, "vnic card %u port %u, %u queues, MAC %pM\n",
		   vd->bdev->card_id, vd->bdev->func, vd->max_queues, vd->netdev->dev_addr);
}

static int vnic_probe(struct vnic_bus_dev *bdev, const struct vnic_bus_device_id *id)
{
	struct vnic_adopt *ad = dev_get_platdata(&bdev->dev);
	struct net_device *netdev;
	struct vnic_dev *vd;
	unsigned int nq;
	u32 reg;
	int err;

	/* "pci_iomap": BAR0 is reached through the bus's accessors. */
	reg = vnic_bar_read32(&bdev->bar, VNIC_REG_ID);
	if (FIELD_GET(VNIC_ID_VENDOR, reg) != VNIC_VENDOR_ID ||
	    FIELD_GET(VNIC_ID_DEVICE, reg) != VNIC_DEVICE_ID) {
		dev_err(&bdev->dev, "unexpected device id %#x\n", reg);
		return -ENODEV;
	}

	err = dma_set_mask_and_coherent(&bdev->dev, DMA_BIT_MASK(64));
	if (err) {
		dev_err(&bdev->dev, "no usable DMA configuration\n");
		return err;
	}

	nq = FIELD_GET(VNIC_CAPS_QUEUES, vnic_bar_read32(&bdev->bar, VNIC_REG_CAPS));
	nq = clamp_t(unsigned int, nq, 1, VNIC_HW_MAX_QUEUES);
	if (bdev->num_irqs < VNIC_VEC_Q(nq)) {
		dev_err(&bdev->dev, "%u vectors for %u queues\n", bdev->num_irqs, nq);
		return -ENODEV;
	}

	vd = vnic_netdev_get(bdev, nq);
	if (IS_ERR(vd)) {
		err = PTR_ERR(vd);
		goto abort_with_nothing;
	}
	netdev = vd->netdev;
	dev_set_drvdata(&bdev->dev, vd);

	err = vnic_reset_hw(vd);
	if (err)
		goto abort_with_netdev;
	vd->caps = vnic_rd32(&vd->hw, VNIC_REG_CAPS);
	/* The partner sees no one here until the interface comes up. */
	vnic_enable_link(vd, false);
	vd->flow_ctrl = vnic_rd32(&vd->hw, VNIC_REG_FLOW_CTRL);
	vnic_sync_hw_stats_base(vd);
	vnic_init_mac(vd);
	vnic_init_features(vd);

	err = vnic_request_misc_irq(vd);
	if (err)
		goto abort_with_netdev;

	netif_carrier_off(netdev);
	/* ip link add registers the net_device: vnic_adopt_register(). */
	if (vd->adopt) {
		vd->adopt->vd = vd;
		return 0;
	}
	err = register_netdev(netdev);
	if (err)
		goto abort_with_misc_irq;

	vnic_start_port(vd);
	return 0;

abort_with_misc_irq:
	vnic_free_misc_irq(vd);
abort_with_netdev:
	dev_set_drvdata(&bdev->dev, NULL);
	if (!vd->adopt)
		free_netdev(netdev);
abort_with_nothing:
	if (ad)
		ad->err = err;
	return err;
}

/* What probe did to the card, undone; the net_device is no longer in use. */
static void vnic_release_hw(struct vnic_dev *vd)
{
	vnic_mask_all_vectors(vd);
	vnic_free_misc_irq(vd);
	vnic_reset_hw(vd);
}

/*
 * A port of ip link add's card goes in two steps: dellink queues its
 * net_device for unregistration under RTNL, and this remove, from the
 * glue's work without RTNL, waits until the rtnetlink core has let the
 * net_device go before it frees it. If the port is unbound through sysfs
 * instead, remove unregisters it itself. A port whose net_device was never
 * registered leaves it to its owner (the core or newlink) to free.
 */
static void vnic_remove(struct vnic_bus_dev *bdev)
{
	struct vnic_dev *vd = dev_get_drvdata(&bdev->dev);
	struct net_device *netdev;

	/* vnic_adopt_abort() has let this port go already. */
	if (!vd)
		return;
	netdev = vd->netdev;
	set_bit(VNIC_STATE_REMOVING, &vd->state);
	vnic_del_debugfs(vd);
	cancel_delayed_work_sync(&vd->service_task);
	if (!vd->adopt) {
		unregister_netdev(netdev);
	} else if (vd->registered) {
		rtnl_lock();
		/* Not deleted through rtnetlink: unbound through sysfs. */
		if (netdev->reg_state == NETREG_REGISTERED)
			unregister_netdevice(netdev);
		/* dellink of the other port: this one is gone. */
		vd->adopt->vd = NULL;
		rtnl_unlock();
		wait_for_completion(&vd->unregistered);
	}
	vnic_release_hw(vd);
	if (!vd->adopt || vd->registered)
		free_netdev(netdev);
}

/**
 * vnic_adopt_register - register the net_device of a port ip link add made
 * @ad: the port's adoption; its probe has bound it (@ad->vd)
 *
 * Called by newlink, under RTNL, after the probe of both ports: the
 * register_netdev() that probe does for the module's own cards, with RTNL
 * already held.
 *
 * Return: 0 or register_netdevice()'s error, with the port still bound
 * and its net_device unregistered.
 */
int vnic_adopt_register(struct vnic_adopt *ad)
{
	struct vnic_dev *vd = ad->vd;
	int err;

	ASSERT_RTNL();
	err = register_netdevice(vd->netdev);
	if (err)
		return err;
	vd->registered = true;
	vnic_start_port(vd);
	return 0;
}

/**
 * vnic_adopt_unregister - queue a registered adopted net_device for
 * unregistration
 * @ad: the port's adoption
 * @head: dellink's list, or NULL for at once
 *
 * Its remove (the card's destruction) then waits for the core to be done.
 */
void vnic_adopt_unregister(struct vnic_adopt *ad, struct list_head *head)
{
	ASSERT_RTNL();
	if (ad->vd && ad->vd->registered)
		unregister_netdevice_queue(ad->vd->netdev, head);
}

/**
 * vnic_adopt_abort - let a port go whose net_device was never registered
 * @ad: the port's adoption
 *
 * For newlink's error path when the other port is registered already: the
 * card's destruction must then wait for the core, after RTNL is released,
 * but the rtnetlink core frees this port's net_device (and the driver's
 * state in it) as soon as newlink returns. So its hardware is let go now,
 * and its remove later finds nothing to do.
 */
void vnic_adopt_abort(struct vnic_adopt *ad)
{
	struct vnic_dev *vd = ad->vd;

	if (!vd || vd->registered)
		return;
	dev_set_drvdata(&vd->bdev->dev, NULL);
	vnic_release_hw(vd);
	ad->vd = NULL;
}

/**
 * vnic_netdev_adopt - the adoption of a net_device of ip link add
 * @netdev: a vnic net_device
 *
 * Return: its struct vnic_adopt, or NULL for a port of a card made at load
 * or through new_device.
 */
struct vnic_adopt *vnic_netdev_adopt(const struct net_device *netdev)
{
	const struct vnic_dev *vd = netdev_priv(netdev);

	return vd->adopt;
}

/**
 * vnic_link_info_size - room for vnic_fill_link_info()
 * @netdev: the net_device
 *
 * Return: bytes.
 */
size_t vnic_link_info_size(const struct net_device *netdev)
{
	return 3 * nla_total_size(sizeof(u32));
}

/**
 * vnic_fill_link_info - the details of ip -d link show
 * @skb: the message
 * @netdev: the net_device
 *
 * The card's number (the N of its functions vnic-cNp0/1 on the vnic bus),
 * the port on it, and the queue pairs the card has (ethtool -l's maximum).
 *
 * Return: 0 or -EMSGSIZE.
 */
int vnic_fill_link_info(struct sk_buff *skb, const struct net_device *netdev)
{
	const struct vnic_dev *vd = netdev_priv(netdev);

	if (nla_put_u32(skb, IFLA_VNIC_CARD, vd->bdev->card_id) ||
	    nla_put_u32(skb, IFLA_VNIC_PORT, vd->bdev->func) ||
	    nla_put_u32(skb, IFLA_VNIC_QUEUES, vd->max_queues))
		return -EMSGSIZE;
	return 0;
}

static struct vnic_bus_driver vnic_driver = {
	.id_table	= vnic_id_table,
	.probe		= vnic_probe,
	.remove		= vnic_remove,
	.driver = {
		.name	= VNIC_DRV_NAME,
		.owner	= THIS_MODULE,
		/* ip link add needs its probe to run now, in its own task. */
		.probe_type = PROBE_FORCE_SYNCHRONOUS,
	},
};

/**
 * vnic_driver_register - check the driver's parameters and register it on
 * the vnic bus
 *
 * Return: 0 or a negative errno.
 */
int vnic_driver_register(void)
{
	int err;

	if (!vnic_ring_param_ok("tx_ring_size", tx_ring_size) ||
	    !vnic_ring_param_ok("rx_ring_size", rx_ring_size))
		return -EINVAL;

	vnic_debugfs_init();
	err = vnic_bus_driver_register(&vnic_driver);
	if (err)
		vnic_debugfs_exit();
	return err;
}

/**
 * vnic_driver_unregister - unbind from every function and unregister
 */
void vnic_driver_unregister(void)
{
	vnic_bus_driver_unregister(&vnic_driver);
	vnic_debugfs_exit();
}
