// SPDX-License-Identifier: GPL-2.0
/*
 * vnic net_device operations: open and stop, the receive filter, MAC and
 * MTU changes, statistics, the TX watchdog, and attaching XDP programs.
 */
#include <linux/bpf.h>
#include <linux/crc32.h>
#include <linux/etherdevice.h>
#include <linux/filter.h>
#include <linux/rtnetlink.h>
#include <net/netdev_queues.h>

#include "vnic_compat.h"
#include "vnic.h"

static int vnic_open(struct net_device *netdev)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	int err;

	vnic_enable_link(vd, true);
	err = vnic_up(vd);
	if (err)
		vnic_enable_link(vd, false);
	return err;
}

static int vnic_stop(struct net_device *netdev)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	vnic_enable_link(vd, false);
	vnic_down(vd);
	return 0;
}

/**
 * vnic_write_mac - program the net_device's address into the card's filter
 * @vd: the device
 */
void vnic_write_mac(struct vnic_dev *vd)
{
	const u8 *mac = vd->netdev->dev_addr;

	/* Byte 0 of the address in bits 7:0 of MAC_LO, byte 4 in MAC_HI. */
	vnic_wr32(&vd->hw, VNIC_REG_MAC_LO, get_unaligned_le32(mac));
	vnic_wr32(&vd->hw, VNIC_REG_MAC_HI, get_unaligned_le16(mac + 4));
}

/**
 * vnic_write_max_frame - tell the card the largest frame the MTU allows
 * @vd: the device
 */
void vnic_write_max_frame(struct vnic_dev *vd)
{
	vnic_wr32(&vd->hw, VNIC_REG_MAX_FRAME, vd->netdev->mtu + ETH_HLEN);
}

/**
 * vnic_write_ctrl - program CTRL from the net_device's features
 * @vd: the device
 * @features: the features in force (NETIF_F_LOOPBACK)
 *
 * A card reset clears CTRL, so the datapath programs it at every start.
 */
void vnic_write_ctrl(struct vnic_dev *vd, netdev_features_t features)
{
	vnic_wr32(&vd->hw, VNIC_REG_CTRL,
		  features & NETIF_F_LOOPBACK ? VNIC_CTRL_LOOPBACK : 0);
}

/**
 * vnic_write_rss - program the RSS key and indirection table into the card
 * @vd: the device
 */
void vnic_write_rss(struct vnic_dev *vd)
{
	unsigned int i;

	for (i = 0; i < VNIC_RSS_KEY_SIZE / 4; i++)
		vnic_wr32(&vd->hw, VNIC_REG_RSS_KEY(i), get_unaligned_le32(&vd->rss_key[i * 4]));
	/* One byte an entry: entry 4i in bits 7:0 of word i. */
	for (i = 0; i < VNIC_RSS_INDIR_SIZE / 4; i++) {
		const u32 *e = &vd->rss_indir[i * 4];
		const u8 word[4] = { e[0], e[1], e[2], e[3] };

		vnic_wr32(&vd->hw, VNIC_REG_RSS_INDIR(i), get_unaligned_le32(word));
	}
	vnic_wr32(&vd->hw, VNIC_REG_RSS_CTRL, VNIC_RSS_CTRL_EN);
}

/**
 * vnic_init_rss - spread the hash buckets evenly over the active queues
 * @vd: the device
 *
 * A table the user set with ethtool -X is kept.
 */
void vnic_init_rss(struct vnic_dev *vd)
{
	unsigned int i;

	if (netif_is_rxfh_configured(vd->netdev))
		return;
	for (i = 0; i < VNIC_RSS_INDIR_SIZE; i++)
		vd->rss_indir[i] = ethtool_rxfh_indir_default(i, vd->num_queues);
}

static void vnic_set_rx_mode(struct net_device *netdev)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	u32 mode = VNIC_RX_MODE_BCAST;
	struct netdev_hw_addr *ha;
	u64 hash = 0;

	/* An XDP program sees frames as they were on the wire. */
	if (READ_ONCE(vd->gso_rx) && !READ_ONCE(vd->xdp_prog))
		mode |= VNIC_RX_MODE_GSO;
	if (netdev->flags & IFF_PROMISC) {
		mode |= VNIC_RX_MODE_PROMISC;
	} else if ((netdev->flags & IFF_ALLMULTI) || !netdev_uc_empty(netdev)) {
		/* Secondary unicast addresses have no filter slots: let all in. */
		mode |= netdev_uc_empty(netdev) ? VNIC_RX_MODE_ALLMULTI : VNIC_RX_MODE_PROMISC;
	} else {
		netdev_for_each_mc_addr(ha, netdev)
			hash |= BIT_ULL(ether_crc(ETH_ALEN, ha->addr) >> (32 - VNIC_MC_HASH_BITS));
	}

	vnic_wr32(&vd->hw, VNIC_REG_MC_HASH_LO, lower_32_bits(hash));
	vnic_wr32(&vd->hw, VNIC_REG_MC_HASH_HI, upper_32_bits(hash));
	vnic_wr32(&vd->hw, VNIC_REG_RX_MODE, mode);
}

/*
 * ndo_set_features. NETIF_F_GRO_HW is the card's GSO pass-through, a bit
 * of RX_MODE: ndo_set_rx_mode writes it with the rest of the register, here
 * and whenever the datapath starts (a card reset clears it). Frames the
 * card already wrote either way are received either way. NETIF_F_LOOPBACK
 * is CTRL.LOOPBACK, written the same way (vnic_write_ctrl()). NETIF_F_NTUPLE
 * turns the card's rule table on and off; off deletes the rules.
 */
static int vnic_set_features(struct net_device *netdev, netdev_features_t features)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	netdev_features_t changed = netdev->features ^ features;

	if (changed & NETIF_F_LOOPBACK)
		vnic_write_ctrl(vd, features);
	if (changed & NETIF_F_NTUPLE)
		vnic_set_ntuple(vd, features & NETIF_F_NTUPLE);
	if (!(changed & NETIF_F_GRO_HW))
		return 0;
	WRITE_ONCE(vd->gso_rx, !!(features & NETIF_F_GRO_HW));
	netif_addr_lock_bh(netdev);
	vnic_set_rx_mode(netdev);
	netif_addr_unlock_bh(netdev);
	return 0;
}

/* While an XDP program is attached the card passes no GSO packet whole. */
static netdev_features_t vnic_fix_features(struct net_device *netdev,
					   netdev_features_t features)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	if (vd->xdp_prog)
		features &= ~NETIF_F_GRO_HW;
	return features;
}

static int vnic_set_mac_address(struct net_device *netdev, void *p)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	int err;

	/* eth_prepare_mac_addr_change() refuses multicast and zero addresses. */
	err = eth_prepare_mac_addr_change(netdev, p);
	if (err)
		return err;
	eth_commit_mac_addr_change(netdev, p);
	vnic_write_mac(vd);
	return 0;
}

static int vnic_change_mtu(struct net_device *netdev, int new_mtu)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	const char *why;
	unsigned int q;
	int err;

	/* The core has checked new_mtu against min_mtu and max_mtu. */
	why = vnic_xsk_mtu_check(vd, new_mtu, &q);
	if (why) {
		netdev_err(netdev, "MTU %d: queue %u: %s; unbind the socket or use larger chunks\n",
			   new_mtu, q, why);
		return -EINVAL;
	}
	if (vd->xdp_prog && !vd->xdp_prog->aux->xdp_has_frags &&
	    new_mtu > vnic_xdp_max_mtu()) {
		netdev_err(netdev, "MTU %d is more than one RX buffer holds for the XDP program (at most %u); load a program with frags support (xdp.frags) for a larger MTU\n",
			   new_mtu, vnic_xdp_max_mtu());
		return -EINVAL;
	}
	/* With XDP, RX buffers are pages at any MTU. */
	if (!netif_running(netdev) || vd->xdp_prog ||
	    vnic_rx_slot_size(new_mtu) == vnic_rx_slot_size(netdev->mtu)) {
		WRITE_ONCE(netdev->mtu, new_mtu);
		vnic_write_max_frame(vd);
		return 0;
	}

	/* RX buffers change size: move to new rings. */
	err = vnic_reconfigure(vd, vd->num_queues, vd->tx_ring_size, vd->rx_ring_size, new_mtu);
	if (err)
		netdev_err(netdev, "cannot change the MTU to %d: %d\n", new_mtu, err);
	return err;
}

static void vnic_get_stats64(struct net_device *netdev, struct rtnl_link_stats64 *stats)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	struct vnic_ring_stats tx = vd->closed_tx, rx = vd->closed_rx, s;
	unsigned int q;

	/* Rings come and go under RTNL; RCU keeps ndo_stop from racing us. */
	rcu_read_lock();
	for (q = 0; q < vd->num_queues; q++) {
		struct vnic_napi_vector *nv = READ_ONCE(vd->nv[q]);

		if (!nv)
			continue;
		vnic_read_ring_stats(&nv->tx, &s);
		vnic_add_ring_stats(&tx, &s);
		vnic_read_xdp_stats(nv, &s);
		vnic_add_ring_stats(&tx, &s);
		vnic_read_ring_stats(&nv->rx, &s);
		vnic_add_ring_stats(&rx, &s);
	}
	rcu_read_unlock();
	vnic_add_ring_stats(&tx, &vd->closed_xdp);

	vnic_update_hw_stats(vd);

	stats->tx_packets = tx.packets;
	stats->tx_bytes = tx.bytes;
	stats->tx_errors = tx.errors;
	stats->tx_dropped = tx.dropped;
	stats->rx_packets = rx.packets;
	stats->rx_bytes = rx.bytes;
	stats->rx_dropped = rx.dropped;
	stats->rx_missed_errors = vd->hw_stats.rx_missed;
	stats->rx_length_errors = vd->hw_stats.rx_runt + vd->hw_stats.rx_oversize;
	stats->rx_crc_errors = vd->hw_stats.rx_fcs_err;
	stats->rx_errors = rx.errors + stats->rx_length_errors + stats->rx_crc_errors +
			   rx.csum_err;
	stats->tx_carrier_errors = vd->hw_stats.tx_no_link;
}

static void vnic_tx_timeout(struct net_device *netdev, unsigned int txqueue)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	vd->tx_timeouts++;

	/*
	 * The watchdog holds the TX global lock, which vnic_stop_datapath()
	 * takes after clearing vd->running: while it is set, the rings are
	 * there.
	 */
	if (!READ_ONCE(vd->running))
		return;

	if (txqueue < vd->num_queues && vnic_tx_timeout_try_kick(vd)) {
		netdev_warn(netdev, "TX queue %u timed out, kicking NAPI\n", txqueue);
		napi_schedule(&vd->nv[txqueue]->napi);
		return;
	}

	netdev_warn(netdev, "TX queue %u timed out again, scheduling a reset\n", txqueue);
	set_bit(VNIC_STATE_RESET_REQUESTED, &vd->state);
	if (!test_bit(VNIC_STATE_REMOVING, &vd->state))
		mod_delayed_work(system_wq, &vd->service_task, 0);
}

#if VNIC_HAVE_QSTATS
/* Per-queue statistics for netlink (qstats); they add up to ip -s link. */
static void vnic_get_queue_stats_rx(struct net_device *netdev, int idx,
				    struct netdev_queue_stats_rx *rx)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	struct vnic_napi_vector *nv = vd->nv[idx];
	struct vnic_ring_stats s = {};

	if (nv)
		vnic_read_ring_stats(&nv->rx, &s);
	rx->packets = s.packets;
	rx->bytes = s.bytes;
	rx->alloc_fail = s.alloc_fail;
	rx->csum_unnecessary = s.csum_ok;
	rx->csum_bad = s.csum_err;
	rx->hw_gro_packets = s.gso_packets;
	rx->hw_gro_bytes = s.gso_bytes;
	rx->hw_gro_wire_packets = s.gso_segs;
}

static void vnic_get_queue_stats_tx(struct net_device *netdev, int idx,
				    struct netdev_queue_stats_tx *tx)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	struct vnic_napi_vector *nv = vd->nv[idx];
	struct vnic_ring_stats s = {}, x = {};

	/* The channel's XDP TX ring sends as part of its TX queue. */
	if (nv) {
		vnic_read_ring_stats(&nv->tx, &s);
		vnic_read_xdp_stats(nv, &x);
	}
	tx->packets = s.packets + x.packets;
	tx->bytes = s.bytes + x.bytes;
	tx->hw_drop_errors = s.errors + x.errors;
	tx->stop = s.stops;
	tx->wake = s.wakes;
}

static void vnic_get_base_stats(struct net_device *netdev, struct netdev_queue_stats_rx *rx,
				struct netdev_queue_stats_tx *tx)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	/* Rings that were freed (down/up, -G, -L) live on in the totals. */
	rx->packets = vd->closed_rx.packets;
	rx->bytes = vd->closed_rx.bytes;
	rx->alloc_fail = vd->closed_rx.alloc_fail;
	rx->csum_unnecessary = vd->closed_rx.csum_ok;
	rx->csum_bad = vd->closed_rx.csum_err;
	rx->hw_gro_packets = vd->closed_rx.gso_packets;
	rx->hw_gro_bytes = vd->closed_rx.gso_bytes;
	rx->hw_gro_wire_packets = vd->closed_rx.gso_segs;
	tx->packets = vd->closed_tx.packets + vd->closed_xdp.packets;
	tx->bytes = vd->closed_tx.bytes + vd->closed_xdp.bytes;
	tx->hw_drop_errors = vd->closed_tx.errors + vd->closed_xdp.errors;
	tx->stop = vd->closed_tx.stops;
	tx->wake = vd->closed_tx.wakes;
}

const struct netdev_stat_ops vnic_stat_ops = {
	.get_queue_stats_rx	= vnic_get_queue_stats_rx,
	.get_queue_stats_tx	= vnic_get_queue_stats_tx,
	.get_base_stats		= vnic_get_base_stats,
};
#endif

/*
 * Attach, replace or detach the XDP program. Replacing one program with
 * another swaps a pointer; attaching the first or detaching the last
 * rebuilds the rings (buffers of a page with XDP headroom, an XDP TX ring
 * per channel) through vnic_reconfigure(), which keeps the old rings, and
 * here the old program, if that fails.
 */
static int vnic_xdp_setup(struct vnic_dev *vd, struct bpf_prog *prog,
			  struct netlink_ext_ack *extack)
{
	struct net_device *netdev = vd->netdev;
	struct bpf_prog *old = vd->xdp_prog;
	unsigned int q;
	int err;

	ASSERT_RTNL();

	if (prog && !prog->aux->xdp_has_frags && netdev->mtu > vnic_xdp_max_mtu()) {
		/* The message has 80 bytes: it names the limit and the way out. */
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "MTU %u over %u needs a program with frags (xdp.frags)",
				       netdev->mtu, vnic_xdp_max_mtu());
		return -EOPNOTSUPP;
	}
	if (prog && vd->num_queues > vd->xdp_txqs) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "%u channels, %u XDP TX queues: ethtool -L combined %u",
				       vd->num_queues, vd->xdp_txqs, vd->xdp_txqs);
		return -EOPNOTSUPP;
	}

	if (!netif_running(netdev) || !!prog == !!old) {
		/* Same layout: the polls pick the new program up as they go. */
		WRITE_ONCE(vd->xdp_prog, prog);
		if (netif_running(netdev))
			for (q = 0; q < vd->num_queues; q++)
				WRITE_ONCE(vd->nv[q]->rx.xdp_prog, prog);
	} else {
		WRITE_ONCE(vd->xdp_prog, prog);
		err = vnic_reconfigure(vd, vd->num_queues, vd->tx_ring_size, vd->rx_ring_size,
				       netdev->mtu);
		/*
		 * The new rings failed to start and vnic_reconfigure() brought
		 * the old configuration back on fresh rings, which it laid out
		 * for the new program: the change is done after all.
		 */
		if (err && vd->running && READ_ONCE(vd->nv[0]->rx.xdp_prog) == prog)
			err = 0;
		if (err) {
			WRITE_ONCE(vd->xdp_prog, old);
			NL_SET_ERR_MSG_FMT_MOD(extack, "cannot rebuild the rings for XDP (%d)",
					       err);
			return err;
		}
	}
	if (old)
		bpf_prog_put(old);

	/* A redirect target needs the XDP TX rings, there with a program. */
	if (prog)
		xdp_features_set_redirect_target(netdev, true);
	else
		xdp_features_clear_redirect_target(netdev);
	netdev_update_features(netdev);
	return 0;
}

static int vnic_bpf(struct net_device *netdev, struct netdev_bpf *bpf)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	switch (bpf->command) {
	case XDP_SETUP_PROG:
		return vnic_xdp_setup(vd, bpf->prog, bpf->extack);
	case XDP_SETUP_XSK_POOL:
		return vnic_xsk_setup_pool(vd, bpf->xsk.pool, bpf->xsk.queue_id);
	default:
		return -EINVAL;
	}
}

const struct net_device_ops vnic_netdev_ops = {
	.ndo_open		= vnic_open,
	.ndo_stop		= vnic_stop,
	.ndo_start_xmit		= vnic_xmit_frame,
	.ndo_set_rx_mode	= vnic_set_rx_mode,
	.ndo_fix_features	= vnic_fix_features,
	.ndo_set_features	= vnic_set_features,
	.ndo_set_mac_address	= vnic_set_mac_address,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_change_mtu		= vnic_change_mtu,
	.ndo_get_stats64	= vnic_get_stats64,
	.ndo_tx_timeout		= vnic_tx_timeout,
	.ndo_bpf		= vnic_bpf,
	.ndo_xdp_xmit		= vnic_xdp_xmit,
	.ndo_xsk_wakeup		= vnic_xsk_wakeup,
};
