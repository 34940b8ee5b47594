// SPDX-License-Identifier: GPL-2.0
/*
 * vnic ethtool operations: driver info, link, message level, ring sizes and
 * statistics (the card's own counters, then per-queue counters).
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>

#include "vnic.h"

struct vnic_stat_desc {
	char name[ETH_GSTRING_LEN];
	size_t offset;
};

#define VNIC_HW_STAT(m)	{ #m, offsetof(struct vnic_hw_stats, m) }

static const struct vnic_stat_desc vnic_hw_stat_descs[] = {
	VNIC_HW_STAT(rx_missed),
	VNIC_HW_STAT(rx_runt),
	VNIC_HW_STAT(rx_oversize),
	VNIC_HW_STAT(rx_filtered),
	VNIC_HW_STAT(rx_frames),
	VNIC_HW_STAT(tx_frames),
	VNIC_HW_STAT(tx_desc_err),
	VNIC_HW_STAT(rx_desc_err),
	VNIC_HW_STAT(tx_no_link),
	VNIC_HW_STAT(irqs),
};

static_assert(ARRAY_SIZE(vnic_hw_stat_descs) == VNIC_HW_STATS_NUM);

static const char * const vnic_dev_stat_names[] = {
	"tx_timeouts",
	"resets",
};

#define VNIC_RING_STAT(m)	{ #m, offsetof(struct vnic_ring_stats, m) }

static const struct vnic_stat_desc vnic_tx_stat_descs[] = {
	VNIC_RING_STAT(packets),
	VNIC_RING_STAT(bytes),
	VNIC_RING_STAT(errors),
	VNIC_RING_STAT(dropped),
	VNIC_RING_STAT(stops),
	VNIC_RING_STAT(wakes),
	VNIC_RING_STAT(completions),
};

static const struct vnic_stat_desc vnic_rx_stat_descs[] = {
	VNIC_RING_STAT(packets),
	VNIC_RING_STAT(bytes),
	VNIC_RING_STAT(errors),
	VNIC_RING_STAT(dropped),
	VNIC_RING_STAT(csum_ok),
	VNIC_RING_STAT(csum_err),
	VNIC_RING_STAT(alloc_fail),
	VNIC_RING_STAT(completions),
};

#define VNIC_NV_STAT(m)	{ #m, offsetof(struct vnic_nv_stats, m) }

static const struct vnic_stat_desc vnic_nv_stat_descs[] = {
	VNIC_NV_STAT(irqs),
	VNIC_NV_STAT(polls),
	VNIC_NV_STAT(polls_busy),
};

#define VNIC_Q_STATS_NUM	(ARRAY_SIZE(vnic_tx_stat_descs) + \
				 ARRAY_SIZE(vnic_rx_stat_descs) + \
				 ARRAY_SIZE(vnic_nv_stat_descs))

static void vnic_get_drvinfo(struct net_device *netdev, struct ethtool_drvinfo *info)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	strscpy(info->driver, VNIC_DRV_NAME, sizeof(info->driver));
	strscpy(info->bus_info, dev_name(&vd->bdev->dev), sizeof(info->bus_info));
	snprintf(info->fw_version, sizeof(info->fw_version), "rev %u",
		 vnic_rd32(&vd->hw, VNIC_REG_REV));
	info->regdump_len = 0;
}

static u32 vnic_get_msglevel(struct net_device *netdev)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	return vd->msg_enable;
}

static void vnic_set_msglevel(struct net_device *netdev, u32 level)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	vd->msg_enable = level;
}

static void vnic_get_ringparam(struct net_device *netdev, struct ethtool_ringparam *ring,
			       struct kernel_ethtool_ringparam *kring,
			       struct netlink_ext_ack *extack)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	ring->rx_max_pending = VNIC_RING_MAX;
	ring->tx_max_pending = VNIC_RING_MAX;
	ring->rx_pending = vd->rx_ring_size;
	ring->tx_pending = vd->tx_ring_size;
}

static void vnic_get_channels(struct net_device *netdev, struct ethtool_channels *ch)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	ch->max_combined = vd->max_queues;
	ch->combined_count = vd->num_queues;
}

static int vnic_get_link_ksettings(struct net_device *netdev,
				   struct ethtool_link_ksettings *cmd)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	u32 speed = vnic_rd32(&vd->hw, VNIC_REG_SPEED);

	ethtool_link_ksettings_zero_link_mode(cmd, supported);
	ethtool_link_ksettings_zero_link_mode(cmd, advertising);
	cmd->base.port = PORT_OTHER;
	cmd->base.autoneg = AUTONEG_DISABLE;
	if (netif_carrier_ok(netdev)) {
		cmd->base.speed = speed ?: SPEED_UNKNOWN;
		cmd->base.duplex = DUPLEX_FULL;
	} else {
		cmd->base.speed = SPEED_UNKNOWN;
		cmd->base.duplex = DUPLEX_UNKNOWN;
	}
	return 0;
}

static int vnic_get_sset_count(struct net_device *netdev, int sset)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return VNIC_HW_STATS_NUM + ARRAY_SIZE(vnic_dev_stat_names) +
	       vd->max_queues * VNIC_Q_STATS_NUM;
}

static void vnic_get_strings(struct net_device *netdev, u32 sset, u8 *data)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	unsigned int i, q;

	if (sset != ETH_SS_STATS)
		return;

	for (i = 0; i < ARRAY_SIZE(vnic_hw_stat_descs); i++)
		ethtool_puts(&data, vnic_hw_stat_descs[i].name);
	for (i = 0; i < ARRAY_SIZE(vnic_dev_stat_names); i++)
		ethtool_puts(&data, vnic_dev_stat_names[i]);
	for (q = 0; q < vd->max_queues; q++) {
		for (i = 0; i < ARRAY_SIZE(vnic_tx_stat_descs); i++)
			ethtool_sprintf(&data, "tx_q%u_%s", q, vnic_tx_stat_descs[i].name);
		for (i = 0; i < ARRAY_SIZE(vnic_rx_stat_descs); i++)
			ethtool_sprintf(&data, "rx_q%u_%s", q, vnic_rx_stat_descs[i].name);
		for (i = 0; i < ARRAY_SIZE(vnic_nv_stat_descs); i++)
			ethtool_sprintf(&data, "q%u_%s", q, vnic_nv_stat_descs[i].name);
	}
}

static u64 vnic_stat_at(const void *base, size_t offset)
{
	return *(const u64 *)((const u8 *)base + offset);
}

static void vnic_get_ethtool_stats(struct net_device *netdev, struct ethtool_stats *stats,
				   u64 *data)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	unsigned int i, q;

	vnic_update_hw_stats(vd);
	for (i = 0; i < ARRAY_SIZE(vnic_hw_stat_descs); i++)
		*data++ = vnic_stat_at(&vd->hw_stats, vnic_hw_stat_descs[i].offset);
	*data++ = vd->tx_timeouts;
	*data++ = vd->resets;

	/* Called under RTNL: the vectors cannot go away meanwhile. */
	for (q = 0; q < vd->max_queues; q++) {
		struct vnic_napi_vector *nv = q < vd->num_queues ? vd->nv[q] : NULL;
		struct vnic_ring_stats tx = {}, rx = {};
		struct vnic_nv_stats nvs = {};
		unsigned int start;

		if (nv) {
			vnic_ring_stats_read(&nv->tx, &tx);
			vnic_ring_stats_read(&nv->rx, &rx);
			do {
				start = u64_stats_fetch_begin(&nv->syncp);
				nvs = nv->stats;
			} while (u64_stats_fetch_retry(&nv->syncp, start));
		}
		for (i = 0; i < ARRAY_SIZE(vnic_tx_stat_descs); i++)
			*data++ = vnic_stat_at(&tx, vnic_tx_stat_descs[i].offset);
		for (i = 0; i < ARRAY_SIZE(vnic_rx_stat_descs); i++)
			*data++ = vnic_stat_at(&rx, vnic_rx_stat_descs[i].offset);
		for (i = 0; i < ARRAY_SIZE(vnic_nv_stat_descs); i++)
			*data++ = vnic_stat_at(&nvs, vnic_nv_stat_descs[i].offset);
	}
}

static const struct ethtool_ops vnic_ethtool_ops = {
	.get_drvinfo		= vnic_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_msglevel		= vnic_get_msglevel,
	.set_msglevel		= vnic_set_msglevel,
	.get_ringparam		= vnic_get_ringparam,
	.get_channels		= vnic_get_channels,
	.get_link_ksettings	= vnic_get_link_ksettings,
	.get_sset_count		= vnic_get_sset_count,
	.get_strings		= vnic_get_strings,
	.get_ethtool_stats	= vnic_get_ethtool_stats,
};

/**
 * vnic_set_ethtool_ops - attach the ethtool operations to a net_device
 * @netdev: the device
 */
void vnic_set_ethtool_ops(struct net_device *netdev)
{
	netdev->ethtool_ops = &vnic_ethtool_ops;
}
