// SPDX-License-Identifier: GPL-2.0
/*
 * vnic ethtool operations: driver info, link, message level, ring sizes,
 * statistics (the card's own counters, then per-queue counters), and flow
 * steering: RSS, extra RSS contexts and ntuple rules.
 */
#include <linux/bitfield.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/linkmode.h>
#include <linux/log2.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "vnic_compat.h"
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
	VNIC_HW_STAT(tx_paused),
	VNIC_HW_STAT(rx_fcs_err),
};

/* The card's other counters are in the standard groups (pause, eth-mac, ...). */
static_assert(ARRAY_SIZE(vnic_hw_stat_descs) ==
	      offsetof(struct vnic_hw_stats, tx_pause_frames) / sizeof(u64));

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
	VNIC_RING_STAT(gso_packets),
	VNIC_RING_STAT(gso_bytes),
	VNIC_RING_STAT(gso_segs),
	VNIC_RING_STAT(copybreak),
	VNIC_RING_STAT(completions),
	VNIC_RING_STAT(xdp_pass),
	VNIC_RING_STAT(xdp_drop),
	VNIC_RING_STAT(xdp_tx),
	VNIC_RING_STAT(xdp_tx_errors),
	VNIC_RING_STAT(xdp_redirect),
	VNIC_RING_STAT(xdp_aborted),
};

/* The channel's XDP TX ring, shown with its TX queue: tx_q<N>_xdp_... */
static const struct vnic_stat_desc vnic_xdp_stat_descs[] = {
	{ "xdp_xmit", offsetof(struct vnic_ring_stats, xdp_xmit) },
	{ "xsk_xmit", offsetof(struct vnic_ring_stats, xsk_xmit) },
	{ "xdp_xmit_errors", offsetof(struct vnic_ring_stats, xdp_tx_errors) },
	{ "xdp_packets", offsetof(struct vnic_ring_stats, packets) },
	{ "xdp_bytes", offsetof(struct vnic_ring_stats, bytes) },
	{ "xdp_errors", offsetof(struct vnic_ring_stats, errors) },
	{ "xdp_dropped", offsetof(struct vnic_ring_stats, dropped) },
	{ "xdp_completions", offsetof(struct vnic_ring_stats, completions) },
};

#define VNIC_NV_STAT(m)	{ #m, offsetof(struct vnic_nv_stats, m) }

static const struct vnic_stat_desc vnic_nv_stat_descs[] = {
	VNIC_NV_STAT(irqs),
	VNIC_NV_STAT(polls),
	VNIC_NV_STAT(polls_busy),
	VNIC_NV_STAT(kicks),
};

#define VNIC_Q_STATS_NUM	(ARRAY_SIZE(vnic_tx_stat_descs) + \
				 ARRAY_SIZE(vnic_xdp_stat_descs) + \
				 ARRAY_SIZE(vnic_rx_stat_descs) + \
				 ARRAY_SIZE(vnic_nv_stat_descs))

static void vnic_get_drvinfo(struct net_device *netdev, struct ethtool_drvinfo *info)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	strscpy(info->driver, VNIC_DRV_NAME, sizeof(info->driver));
	strscpy(info->bus_info, dev_name(&vd->bdev->dev), sizeof(info->bus_info));
	snprintf(info->fw_version, sizeof(info->fw_version), "rev %u",
		 vnic_rd32(&vd->hw, VNIC_REG_REV));
	info->regdump_len = VNIC_REG_END;
	info->testinfo_len = VNIC_TEST_NUM;
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

static int vnic_set_ringparam(struct net_device *netdev, struct ethtool_ringparam *ring,
			      struct kernel_ethtool_ringparam *kring,
			      struct netlink_ext_ack *extack)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	if (!vnic_ring_size_ok(ring->tx_pending)) {
		NL_SET_ERR_MSG_FMT(extack,
				   "tx ring size %u is invalid: must be a power of two from %u to %u",
				   ring->tx_pending, VNIC_RING_MIN, VNIC_RING_MAX);
		return -EINVAL;
	}
	if (!vnic_ring_size_ok(ring->rx_pending)) {
		NL_SET_ERR_MSG_FMT(extack,
				   "rx ring size %u is invalid: must be a power of two from %u to %u",
				   ring->rx_pending, VNIC_RING_MIN, VNIC_RING_MAX);
		return -EINVAL;
	}
	if (ring->tx_pending == vd->tx_ring_size && ring->rx_pending == vd->rx_ring_size)
		return 0;

	return vnic_reconfigure(vd, vd->num_queues, ring->tx_pending, ring->rx_pending,
				netdev->mtu);
}

static void vnic_get_channels(struct net_device *netdev, struct ethtool_channels *ch)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	ch->max_combined = vd->max_queues;
	ch->combined_count = vd->num_queues;
}

static int vnic_check_rules_fit(struct vnic_dev *vd, u32 nq);

static int vnic_set_channels(struct net_device *netdev, struct ethtool_channels *ch)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	int err;

	/* The core refuses counts above the maxima and rx/tx/other channels. */
	if (!ch->combined_count) {
		netdev_err(netdev, "combined channels must be 1 to %u\n", vd->max_queues);
		return -EINVAL;
	}
	if (ch->combined_count == vd->num_queues)
		return 0;
	if (vd->xdp_prog && ch->combined_count > vd->xdp_txqs) {
		netdev_err(netdev, "an XDP program needs an XDP TX queue per channel, and the card has %u: combined channels must be 1 to %u while it is attached\n",
			   vd->xdp_txqs, vd->xdp_txqs);
		return -EINVAL;
	}
	err = vnic_check_rules_fit(vd, ch->combined_count);
	if (err)
		return err;
	return vnic_reconfigure(vd, ch->combined_count, vd->tx_ring_size, vd->rx_ring_size,
				netdev->mtu);
}

static void vnic_coal_to_ethtool(const struct vnic_dev *vd, unsigned int q,
				 struct ethtool_coalesce *ec)
{
	const struct vnic_coal *c = &vd->coal[q];

	ec->rx_coalesce_usecs = c->rx_usecs;
	ec->rx_max_coalesced_frames = c->rx_frames;
	ec->tx_coalesce_usecs = c->tx_usecs;
	ec->tx_max_coalesced_frames = c->tx_frames;
	ec->use_adaptive_rx_coalesce = vd->adaptive_rx;
	ec->use_adaptive_tx_coalesce = vd->adaptive_tx;
}

static int vnic_check_coal(const struct ethtool_coalesce *ec, struct netlink_ext_ack *extack)
{
	const struct {
		const char *name;
		u32 val, max;
	} lim[] = {
		{ "rx-usecs", ec->rx_coalesce_usecs, VNIC_HW_ITR_MAX_USECS },
		{ "rx-frames", ec->rx_max_coalesced_frames, VNIC_HW_ITR_MAX_FRAMES },
		{ "tx-usecs", ec->tx_coalesce_usecs, VNIC_HW_ITR_MAX_USECS },
		{ "tx-frames", ec->tx_max_coalesced_frames, VNIC_HW_ITR_MAX_FRAMES },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lim); i++) {
		if (lim[i].val > lim[i].max) {
			NL_SET_ERR_MSG_FMT(extack, "%s %u is out of range, allowed 0 to %u",
					   lim[i].name, lim[i].val, lim[i].max);
			return -EINVAL;
		}
	}
	/* Without a timer, the last few completions would wait for traffic. */
	if ((ec->rx_max_coalesced_frames > 1 && !ec->rx_coalesce_usecs) ||
	    (ec->tx_max_coalesced_frames > 1 && !ec->tx_coalesce_usecs)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "frames above 1 need usecs above 0, or a lone completion would wait forever");
		return -EINVAL;
	}
	return 0;
}

static void vnic_apply_coal(struct vnic_dev *vd, unsigned int q, const struct ethtool_coalesce *ec)
{
	struct vnic_coal *c = &vd->coal[q];

	c->rx_usecs = ec->rx_coalesce_usecs;
	c->rx_frames = ec->rx_max_coalesced_frames;
	c->tx_usecs = ec->tx_coalesce_usecs;
	c->tx_frames = ec->tx_max_coalesced_frames;
	if (vd->running && q < vd->num_queues)
		vnic_write_vector_coalesce(vd, q);
}

static int vnic_get_coalesce(struct net_device *netdev, struct ethtool_coalesce *ec,
			     struct kernel_ethtool_coalesce *kec,
			     struct netlink_ext_ack *extack)
{
	vnic_coal_to_ethtool(netdev_priv(netdev), 0, ec);
	return 0;
}

static int vnic_set_coalesce(struct net_device *netdev, struct ethtool_coalesce *ec,
			     struct kernel_ethtool_coalesce *kec,
			     struct netlink_ext_ack *extack)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	unsigned int q;
	int err;

	err = vnic_check_coal(ec, extack);
	if (err)
		return err;

	/* Adaptive starts from no moderation; lib/dim raises it under load. */
	if (ec->use_adaptive_rx_coalesce && !vd->adaptive_rx) {
		ec->rx_coalesce_usecs = 0;
		ec->rx_max_coalesced_frames = 1;
	}
	if (ec->use_adaptive_tx_coalesce && !vd->adaptive_tx) {
		ec->tx_coalesce_usecs = 0;
		ec->tx_max_coalesced_frames = 1;
	}
	vd->adaptive_rx = ec->use_adaptive_rx_coalesce;
	vd->adaptive_tx = ec->use_adaptive_tx_coalesce;
	for (q = 0; q < vd->max_queues; q++)
		vnic_apply_coal(vd, q, ec);
	return 0;
}

static int vnic_get_per_queue_coalesce(struct net_device *netdev, u32 queue,
				       struct ethtool_coalesce *ec)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	if (queue >= vd->max_queues)
		return -EINVAL;
	vnic_coal_to_ethtool(vd, queue, ec);
	return 0;
}

static int vnic_set_per_queue_coalesce(struct net_device *netdev, u32 queue,
				       struct ethtool_coalesce *ec)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	int err;

	if (queue >= vd->max_queues) {
		netdev_err(netdev, "queue %u does not exist, the card has %u\n",
			   queue, vd->max_queues);
		return -EINVAL;
	}
	err = vnic_check_coal(ec, NULL);
	if (err) {
		netdev_err(netdev, "coalescing out of range: usecs 0-%u, frames 0-%u\n",
			   VNIC_HW_ITR_MAX_USECS, VNIC_HW_ITR_MAX_FRAMES);
		return err;
	}
	if (ec->use_adaptive_rx_coalesce != vd->adaptive_rx ||
	    ec->use_adaptive_tx_coalesce != vd->adaptive_tx) {
		netdev_err(netdev, "adaptive coalescing is per device, not per queue\n");
		return -EINVAL;
	}
	vnic_apply_coal(vd, queue, ec);
	return 0;
}

/* The card's link modes (VNIC_LINK_MODE_*) as ethtool knows them. */
static const struct vnic_link_mode {
	enum ethtool_link_mode_bit_indices bit;
	u32 speed;
	const char *name;
} vnic_link_modes[VNIC_LINK_MODES] = {
	[VNIC_LINK_MODE_1000_X] = {
		ETHTOOL_LINK_MODE_1000baseX_Full_BIT, SPEED_1000, "1000baseX/Full" },
	[VNIC_LINK_MODE_10000_CR] = {
		ETHTOOL_LINK_MODE_10000baseCR_Full_BIT, SPEED_10000, "10000baseCR/Full" },
	[VNIC_LINK_MODE_25000_CR] = {
		ETHTOOL_LINK_MODE_25000baseCR_Full_BIT, SPEED_25000, "25000baseCR/Full" },
	[VNIC_LINK_MODE_50000_CR2] = {
		ETHTOOL_LINK_MODE_50000baseCR2_Full_BIT, SPEED_50000, "50000baseCR2/Full" },
	[VNIC_LINK_MODE_100000_CR4] = {
		ETHTOOL_LINK_MODE_100000baseCR4_Full_BIT, SPEED_100000, "100000baseCR4/Full" },
};

/* Card modes (a VNIC_REG_LINK_* set) into an ethtool link mode bitmap. */
static void vnic_link_modes_to_ethtool(u32 modes, unsigned long *dst)
{
	unsigned long m = modes & VNIC_LINK_MODES_ALL;
	unsigned int i;

	for_each_set_bit(i, &m, VNIC_LINK_MODES)
		__set_bit(vnic_link_modes[i].bit, dst);
}

/* What the card supports, as the message of a refusal lists it. */
static void vnic_link_modes_list(u32 modes, bool speeds, char *buf, size_t size)
{
	unsigned long m = modes & VNIC_LINK_MODES_ALL;
	size_t len = 0;
	unsigned int i;

	buf[0] = '\0';
	for_each_set_bit(i, &m, VNIC_LINK_MODES) {
		if (speeds)
			len += scnprintf(buf + len, size - len, "%s%u", len ? ", " : "",
					 vnic_link_modes[i].speed);
		else
			len += scnprintf(buf + len, size - len, "%s%s", len ? " " : "",
					 vnic_link_modes[i].name);
	}
}

static int vnic_get_link_ksettings(struct net_device *netdev,
				   struct ethtool_link_ksettings *cmd)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	u32 status = vnic_rd32(&vd->hw, VNIC_REG_LINK_STATUS);
	u32 partner = vnic_rd32(&vd->hw, VNIC_REG_LINK_PARTNER);
	u32 ctrl = vnic_rd32(&vd->hw, VNIC_REG_LINK_CTRL);

	ethtool_link_ksettings_zero_link_mode(cmd, supported);
	ethtool_link_ksettings_zero_link_mode(cmd, advertising);
	ethtool_link_ksettings_zero_link_mode(cmd, lp_advertising);
	vnic_link_modes_to_ethtool(vnic_rd32(&vd->hw, VNIC_REG_LINK_SUPPORTED),
				   cmd->link_modes.supported);
	__set_bit(ETHTOOL_LINK_MODE_Autoneg_BIT, cmd->link_modes.supported);
	vnic_link_modes_to_ethtool(vnic_rd32(&vd->hw, VNIC_REG_LINK_ADVERTISE),
				   cmd->link_modes.advertising);
	if (ctrl & VNIC_LINK_CTRL_AUTONEG)
		__set_bit(ETHTOOL_LINK_MODE_Autoneg_BIT, cmd->link_modes.advertising);
	if (partner) {
		vnic_link_modes_to_ethtool(partner, cmd->link_modes.lp_advertising);
		__set_bit(ETHTOOL_LINK_MODE_Autoneg_BIT, cmd->link_modes.lp_advertising);
	}

	cmd->base.port = PORT_DA;
	cmd->base.autoneg = ctrl & VNIC_LINK_CTRL_AUTONEG ? AUTONEG_ENABLE : AUTONEG_DISABLE;
	if (status & VNIC_LINK_STATUS_UP) {
		u32 mode = FIELD_GET(VNIC_LINK_STATUS_MODE, status);

		cmd->base.speed = mode < VNIC_LINK_MODES ? vnic_link_modes[mode].speed :
							   SPEED_UNKNOWN;
		cmd->base.duplex = DUPLEX_FULL;
	} else {
		cmd->base.speed = SPEED_UNKNOWN;
		cmd->base.duplex = DUPLEX_UNKNOWN;
	}
	return 0;
}

/*
 * Autoneg on: advertise the given modes. Off: force the mode of the given
 * speed. The card keeps the settings across resets and down/up, and
 * negotiates again at once. ethtool's netlink request starts from what
 * get_link_ksettings reported, so a duplex left unknown (the link is
 * down) is taken as the only one there is, full.
 */
static int vnic_set_link_ksettings(struct net_device *netdev,
				   const struct ethtool_link_ksettings *cmd)
{
	__ETHTOOL_DECLARE_LINK_MODE_MASK(supported) = { 0 };
	struct vnic_dev *vd = netdev_priv(netdev);
	u32 sup = vnic_rd32(&vd->hw, VNIC_REG_LINK_SUPPORTED);
	u32 ctrl = vnic_rd32(&vd->hw, VNIC_REG_LINK_CTRL);
	u32 speed = cmd->base.speed, adv = 0;
	char list[96];
	unsigned int i;

	if (cmd->base.duplex != DUPLEX_FULL && cmd->base.duplex != DUPLEX_UNKNOWN) {
		netdev_err(netdev, "only full duplex is supported\n");
		return -EINVAL;
	}
	ctrl &= VNIC_LINK_CTRL_EN;

	if (cmd->base.autoneg == AUTONEG_ENABLE) {
		vnic_link_modes_to_ethtool(sup, supported);
		__set_bit(ETHTOOL_LINK_MODE_Autoneg_BIT, supported);
		if (!linkmode_subset(cmd->link_modes.advertising, supported)) {
			vnic_link_modes_list(sup, false, list, sizeof(list));
			netdev_err(netdev, "advertised modes not supported; the port supports %s\n",
				   list);
			return -EINVAL;
		}
		for (i = 0; i < VNIC_LINK_MODES; i++)
			if (test_bit(vnic_link_modes[i].bit, cmd->link_modes.advertising))
				adv |= BIT(i);
		if (!adv) {
			vnic_link_modes_list(sup, false, list, sizeof(list));
			netdev_err(netdev, "no link mode to advertise; choose among %s\n", list);
			return -EINVAL;
		}
		vnic_wr32(&vd->hw, VNIC_REG_LINK_ADVERTISE, adv);
		ctrl |= VNIC_LINK_CTRL_AUTONEG;
	} else {
		for (i = 0; i < VNIC_LINK_MODES; i++)
			if ((sup & BIT(i)) && vnic_link_modes[i].speed == speed)
				break;
		if (i == VNIC_LINK_MODES) {
			vnic_link_modes_list(sup, true, list, sizeof(list));
			netdev_err(netdev, "speed %u is not a mode of the port, allowed %s Mbit/s\n",
				   speed, list);
			return -EINVAL;
		}
		ctrl |= FIELD_PREP(VNIC_LINK_CTRL_FORCE, i);
	}
	vnic_wr32(&vd->hw, VNIC_REG_LINK_CTRL, ctrl);
	return 0;
}

/* Why the link is down, from the card's LINK_STATUS.DOWN. */
static int vnic_get_link_ext_state(struct net_device *netdev,
				   struct ethtool_link_ext_state_info *info)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	u32 status = vnic_rd32(&vd->hw, VNIC_REG_LINK_STATUS);
	bool an = vnic_rd32(&vd->hw, VNIC_REG_LINK_CTRL) & VNIC_LINK_CTRL_AUTONEG;

	if (status & VNIC_LINK_STATUS_UP)
		return -ENODATA;

	switch (FIELD_GET(VNIC_LINK_STATUS_DOWN, status)) {
	case VNIC_LINK_DOWN_NO_CABLE:
		info->link_ext_state = ETHTOOL_LINK_EXT_STATE_NO_CABLE;
		return 0;
	case VNIC_LINK_DOWN_NO_PARTNER:
		info->link_ext_state = ETHTOOL_LINK_EXT_STATE_AUTONEG;
		info->autoneg = an ? ETHTOOL_LINK_EXT_SUBSTATE_AN_NO_PARTNER_DETECTED :
				     ETHTOOL_LINK_EXT_SUBSTATE_AN_NO_PARTNER_DETECTED_FORCE_MODE;
		return 0;
	case VNIC_LINK_DOWN_NO_COMMON:
		info->link_ext_state = ETHTOOL_LINK_EXT_STATE_AUTONEG;
		info->autoneg = ETHTOOL_LINK_EXT_SUBSTATE_AN_NO_HCD;
		return 0;
	case VNIC_LINK_DOWN_FORCE_MISMATCH:
		info->link_ext_state = ETHTOOL_LINK_EXT_STATE_AUTONEG;
		info->autoneg = ETHTOOL_LINK_EXT_SUBSTATE_AN_NO_PARTNER_DETECTED_FORCE_MODE;
		return 0;
	case VNIC_LINK_DOWN_NO_ACK:
		info->link_ext_state = ETHTOOL_LINK_EXT_STATE_AUTONEG;
		info->autoneg = ETHTOOL_LINK_EXT_SUBSTATE_AN_ACK_NOT_RECEIVED;
		return 0;
	}
	/* The port itself is off (the interface is down): nothing to explain. */
	return -ENODATA;
}

static void vnic_get_pauseparam(struct net_device *netdev, struct ethtool_pauseparam *pause)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	u32 fc = vnic_rd32(&vd->hw, VNIC_REG_FLOW_CTRL);

	pause->autoneg = AUTONEG_DISABLE;
	pause->rx_pause = !!(fc & VNIC_FC_RX_PAUSE);
	pause->tx_pause = !!(fc & VNIC_FC_TX_PAUSE);
}

static int vnic_set_pauseparam(struct net_device *netdev, struct ethtool_pauseparam *pause)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	u32 fc = 0;

	if (pause->autoneg) {
		netdev_err(netdev, "pause autonegotiation is not supported; set rx/tx directly\n");
		return -EINVAL;
	}
	if (pause->rx_pause)
		fc |= VNIC_FC_RX_PAUSE;
	if (pause->tx_pause)
		fc |= VNIC_FC_TX_PAUSE;
	vd->flow_ctrl = fc;
	vnic_wr32(&vd->hw, VNIC_REG_FLOW_CTRL, fc);
	return 0;
}

static int vnic_get_regs_len(struct net_device *netdev)
{
	return VNIC_REG_END;
}

/* BAR0 word by word, up to the last queue's registers. */
static void vnic_get_regs(struct net_device *netdev, struct ethtool_regs *regs, void *p)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	u32 *buf = p;
	u32 off;

	regs->version = vnic_rd32(&vd->hw, VNIC_REG_ID) << 8 | vnic_rd32(&vd->hw, VNIC_REG_REV);
	for (off = 0; off < VNIC_REG_END; off += 4)
		*buf++ = vnic_rd32(&vd->hw, off);
}

static void vnic_diag_test(struct net_device *netdev, struct ethtool_test *test, u64 *data)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	bool offline = test->flags & ETH_TEST_FL_OFFLINE;
	unsigned int i;

	vnic_self_test(vd, offline, data);
	for (i = 0; i < VNIC_TEST_NUM; i++)
		if (data[i])
			test->flags |= ETH_TEST_FL_FAILED;
}

/* ---- Flow steering: ntuple rules (ethtool -N) and RSS contexts (-X context) ---- */

/* The highest queue in an extra RSS context's table. */
static u32 vnic_rss_ctx_max_queue(const struct vnic_dev *vd, u32 ctx)
{
	const u8 *indir = vd->rss_ctx[ctx - 1].indir;
	u32 i, max = 0;

	for (i = 0; i < VNIC_RSS_INDIR_SIZE; i++)
		max = max_t(u32, max, indir[i]);
	return max;
}

/*
 * The highest queue a rule can send a frame to. With the main table
 * (context 0) the offset is always 0 and the table the core's to check.
 */
static u32 vnic_rule_max_queue(const struct vnic_dev *vd, const struct vnic_rule *rule)
{
	u32 q = ethtool_get_flow_spec_ring(rule->fs.ring_cookie);

	if ((rule->fs.flow_type & FLOW_RSS) && rule->rss_context)
		q += vnic_rss_ctx_max_queue(vd, rule->rss_context);
	return q;
}

static void vnic_write_rule(struct vnic_dev *vd, u32 loc)
{
	u32 sip[4] = {}, sipm[4] = {}, dip[4] = {}, dipm[4] = {};
	const struct vnic_rule *rule = &vd->rules[loc];
	const struct ethtool_rx_flow_spec *fs = &rule->fs;
	u32 type, ports, pmask, act, i;
	__be16 psrc, pdst, mpsrc, mpdst;

	if (!test_bit(loc, vd->rule_used)) {
		vnic_wr32(&vd->hw, VNIC_REG_RULE_CMD, FIELD_PREP(VNIC_RULE_CMD_SLOT, loc) |
			  FIELD_PREP(VNIC_RULE_CMD_OP, VNIC_RULE_OP_CLEAR));
		return;
	}

	/* Address words as the card reads the frame: byte 0 in bits 7:0. */
	switch (fs->flow_type & ~FLOW_RSS) {
	case TCP_V4_FLOW:
	case UDP_V4_FLOW: {
		const struct ethtool_tcpip4_spec *h = &fs->h_u.tcp_ip4_spec;
		const struct ethtool_tcpip4_spec *m = &fs->m_u.tcp_ip4_spec;

		type = (fs->flow_type & ~FLOW_RSS) == TCP_V4_FLOW ? VNIC_RULE_TCP4 : VNIC_RULE_UDP4;
		sip[0] = get_unaligned_le32(&h->ip4src);
		sipm[0] = get_unaligned_le32(&m->ip4src);
		dip[0] = get_unaligned_le32(&h->ip4dst);
		dipm[0] = get_unaligned_le32(&m->ip4dst);
		psrc = h->psrc;
		pdst = h->pdst;
		mpsrc = m->psrc;
		mpdst = m->pdst;
		break;
	}
	default: {
		const struct ethtool_tcpip6_spec *h = &fs->h_u.tcp_ip6_spec;
		const struct ethtool_tcpip6_spec *m = &fs->m_u.tcp_ip6_spec;

		type = (fs->flow_type & ~FLOW_RSS) == TCP_V6_FLOW ? VNIC_RULE_TCP6 : VNIC_RULE_UDP6;
		for (i = 0; i < 4; i++) {
			sip[i] = get_unaligned_le32(&h->ip6src[i]);
			sipm[i] = get_unaligned_le32(&m->ip6src[i]);
			dip[i] = get_unaligned_le32(&h->ip6dst[i]);
			dipm[i] = get_unaligned_le32(&m->ip6dst[i]);
		}
		psrc = h->psrc;
		pdst = h->pdst;
		mpsrc = m->psrc;
		mpdst = m->pdst;
		break;
	}
	}
	ports = FIELD_PREP(VNIC_RULE_PORTS_SRC, ntohs(psrc)) |
		FIELD_PREP(VNIC_RULE_PORTS_DST, ntohs(pdst));
	pmask = FIELD_PREP(VNIC_RULE_PORTS_SRC, ntohs(mpsrc)) |
		FIELD_PREP(VNIC_RULE_PORTS_DST, ntohs(mpdst));
	act = FIELD_PREP(VNIC_RULE_ACT_QUEUE, ethtool_get_flow_spec_ring(fs->ring_cookie));
	if (fs->flow_type & FLOW_RSS)
		act |= VNIC_RULE_ACT_RSS | FIELD_PREP(VNIC_RULE_ACT_CTX, rule->rss_context);

	vnic_wr32(&vd->hw, VNIC_REG_RULE_FLOW, FIELD_PREP(VNIC_RULE_FLOW_TYPE, type));
	for (i = 0; i < 4; i++) {
		vnic_wr32(&vd->hw, VNIC_REG_RULE_SIP(i), sip[i]);
		vnic_wr32(&vd->hw, VNIC_REG_RULE_SIP_MASK(i), sipm[i]);
		vnic_wr32(&vd->hw, VNIC_REG_RULE_DIP(i), dip[i]);
		vnic_wr32(&vd->hw, VNIC_REG_RULE_DIP_MASK(i), dipm[i]);
	}
	vnic_wr32(&vd->hw, VNIC_REG_RULE_PORTS, ports);
	vnic_wr32(&vd->hw, VNIC_REG_RULE_PORTS_MASK, pmask);
	vnic_wr32(&vd->hw, VNIC_REG_RULE_ACT, act);
	/* The card takes the staged rule whole. */
	vnic_wr32(&vd->hw, VNIC_REG_RULE_CMD, FIELD_PREP(VNIC_RULE_CMD_SLOT, loc) |
		  FIELD_PREP(VNIC_RULE_CMD_OP, VNIC_RULE_OP_WRITE));
}

static void vnic_write_rss_ctx(struct vnic_dev *vd, u32 ctx)
{
	const struct vnic_rss_ctx *c = &vd->rss_ctx[ctx - 1];
	unsigned int i;

	for (i = 0; i < VNIC_RSS_KEY_SIZE / 4; i++)
		vnic_wr32(&vd->hw, VNIC_REG_RSS_CTX_KEY(ctx, i),
			  get_unaligned_le32(&c->key[i * 4]));
	for (i = 0; i < VNIC_RSS_INDIR_SIZE / 4; i++)
		vnic_wr32(&vd->hw, VNIC_REG_RSS_CTX_INDIR(ctx, i),
			  get_unaligned_le32(&c->indir[i * 4]));
}

/**
 * vnic_write_steer - program the RSS contexts and ntuple rules into the card
 * @vd: the device
 *
 * A card reset cleared them; the driver's copy is the truth. Under RTNL.
 */
void vnic_write_steer(struct vnic_dev *vd)
{
	unsigned int i;

	ASSERT_RTNL();
	for_each_set_bit(i, vd->rss_ctx_used, VNIC_STEER_CTXS + 1)
		vnic_write_rss_ctx(vd, i);
	for_each_set_bit(i, vd->rule_used, VNIC_STEER_RULES)
		vnic_write_rule(vd, i);
	vnic_wr32(&vd->hw, VNIC_REG_STEER_CTRL,
		  vd->netdev->features & NETIF_F_NTUPLE ? VNIC_STEER_CTRL_EN : 0);
}

/**
 * vnic_set_ntuple - NETIF_F_NTUPLE changes
 * @vd: the device
 * @on: the feature's new state
 *
 * Off deletes every rule, as i40e and ixgbe do: a rule the card no longer
 * applies would only mislead ethtool -n. RSS contexts stay. Under RTNL.
 */
void vnic_set_ntuple(struct vnic_dev *vd, bool on)
{
	unsigned int n = bitmap_weight(vd->rule_used, VNIC_STEER_RULES);
	unsigned int loc;

	ASSERT_RTNL();
	if (!on && n) {
		for_each_set_bit(loc, vd->rule_used, VNIC_STEER_RULES) {
			clear_bit(loc, vd->rule_used);
			vnic_write_rule(vd, loc);
		}
		netdev_info(vd->netdev, "ntuple-filters off: %u rules deleted\n", n);
	}
	vnic_wr32(&vd->hw, VNIC_REG_STEER_CTRL, on ? VNIC_STEER_CTRL_EN : 0);
}

/* What the card can match and do; the core has checked nothing of it. */
static int vnic_check_rule(struct vnic_dev *vd, const struct ethtool_rxnfc *cmd)
{
	const struct ethtool_rx_flow_spec *fs = &cmd->fs;
	struct net_device *netdev = vd->netdev;
	u64 ring = ethtool_get_flow_spec_ring(fs->ring_cookie);
	u32 flow = fs->flow_type & ~FLOW_RSS, ctx = cmd->rss_context;

	if (!(netdev->features & NETIF_F_NTUPLE)) {
		netdev_err(netdev, "ntuple-filters is off; turn it on first (ethtool -K %s ntuple on)\n",
			   netdev->name);
		return -EOPNOTSUPP;
	}
	if (flow & (FLOW_EXT | FLOW_MAC_EXT)) {
		netdev_err(netdev, "rules match addresses and ports only: no vlan, dst-mac or user-def\n");
		return -EOPNOTSUPP;
	}
	switch (flow) {
	case TCP_V4_FLOW:
	case UDP_V4_FLOW:
		if (fs->m_u.tcp_ip4_spec.tos) {
			netdev_err(netdev, "rules cannot match tos\n");
			return -EOPNOTSUPP;
		}
		break;
	case TCP_V6_FLOW:
	case UDP_V6_FLOW:
		if (fs->m_u.tcp_ip6_spec.tclass) {
			netdev_err(netdev, "rules cannot match tclass\n");
			return -EOPNOTSUPP;
		}
		break;
	default:
		netdev_err(netdev, "flow-type 0x%x is not supported: rules are tcp4, udp4, tcp6 or udp6\n",
			   flow);
		return -EOPNOTSUPP;
	}
	if (fs->ring_cookie == RX_CLS_FLOW_DISC || fs->ring_cookie == RX_CLS_FLOW_WAKE ||
	    ethtool_get_flow_spec_ring_vf(fs->ring_cookie)) {
		netdev_err(netdev, "the action must be a queue (with a context: an offset into its table); drop, wake and VF actions are not supported\n");
		return -EOPNOTSUPP;
	}
	if (!(fs->flow_type & FLOW_RSS)) {
		if (ring >= vd->num_queues) {
			netdev_err(netdev, "queue %llu does not exist: queues are 0-%u\n",
				   ring, vd->num_queues - 1);
			return -EINVAL;
		}
		return 0;
	}
	if (!ctx) {
		if (ring) {
			netdev_err(netdev, "with context 0, the main table, the action must be 0\n");
			return -EINVAL;
		}
		return 0;
	}
	if (ctx > VNIC_STEER_CTXS || !test_bit(ctx, vd->rss_ctx_used)) {
		netdev_err(netdev, "RSS context %u does not exist\n", ctx);
		return -ENOENT;
	}
	if (ring + vnic_rss_ctx_max_queue(vd, ctx) >= vd->num_queues) {
		netdev_err(netdev, "action %llu plus context %u's table reaches queue %llu: queues are 0-%u\n",
			   ring, ctx, ring + vnic_rss_ctx_max_queue(vd, ctx), vd->num_queues - 1);
		return -EINVAL;
	}
	return 0;
}

/* The slot a new rule goes to: the one asked for, or the first (last) free one. */
static int vnic_rule_loc(struct vnic_dev *vd, u32 *loc)
{
	struct net_device *netdev = vd->netdev;
	u32 l = *loc;

	if (!(l & RX_CLS_LOC_SPECIAL)) {
		if (l >= VNIC_STEER_RULES) {
			netdev_err(netdev, "location %u is out of range: 0-%u\n", l,
				   VNIC_STEER_RULES - 1);
			return -EINVAL;
		}
		return 0;
	}
	switch (l) {
	case RX_CLS_LOC_ANY:
	case RX_CLS_LOC_FIRST:
		l = find_first_zero_bit(vd->rule_used, VNIC_STEER_RULES);
		break;
	case RX_CLS_LOC_LAST:
		for (l = VNIC_STEER_RULES; l-- && test_bit(l, vd->rule_used);)
			;
		if (l >= VNIC_STEER_RULES)
			l = VNIC_STEER_RULES;
		break;
	default:
		netdev_err(netdev, "location 0x%x is not a slot, nor any, first or last\n", l);
		return -EINVAL;
	}
	if (l >= VNIC_STEER_RULES) {
		netdev_err(netdev, "the rule table is full (%u rules)\n", VNIC_STEER_RULES);
		return -ENOSPC;
	}
	*loc = l;
	return 0;
}

static int vnic_add_rule(struct vnic_dev *vd, struct ethtool_rxnfc *cmd)
{
	struct vnic_rule *rule;
	u32 loc = cmd->fs.location;
	int err;

	err = vnic_check_rule(vd, cmd);
	if (err)
		return err;
	err = vnic_rule_loc(vd, &loc);
	if (err)
		return err;

	/* A rule already in the slot is replaced. */
	rule = &vd->rules[loc];
	rule->fs = cmd->fs;
	rule->fs.location = loc;
	rule->rss_context = cmd->fs.flow_type & FLOW_RSS ? cmd->rss_context : 0;
	set_bit(loc, vd->rule_used);
	vnic_write_rule(vd, loc);
	cmd->fs.location = loc;
	return 0;
}

static int vnic_del_rule(struct vnic_dev *vd, u32 loc)
{
	if (loc >= VNIC_STEER_RULES || !test_bit(loc, vd->rule_used)) {
		netdev_err(vd->netdev, "there is no rule %u\n", loc);
		return -ENOENT;
	}
	clear_bit(loc, vd->rule_used);
	vnic_write_rule(vd, loc);
	return 0;
}

/*
 * The ethtool core refuses channel counts below a queue that the main
 * table, a context or a plain-queue rule uses; a rule into a context adds
 * its offset to the context's table, which only the driver can see.
 */
static int vnic_check_rules_fit(struct vnic_dev *vd, u32 nq)
{
	unsigned int loc;
	u32 q;

	for_each_set_bit(loc, vd->rule_used, VNIC_STEER_RULES) {
		q = vnic_rule_max_queue(vd, &vd->rules[loc]);
		if (q >= nq) {
			netdev_err(vd->netdev, "rule %u steers to queue %u: delete it first, or keep at least %u channels\n",
				   loc, q, q + 1);
			return -EINVAL;
		}
	}
	return 0;
}

static int vnic_get_rxnfc(struct net_device *netdev, struct ethtool_rxnfc *cmd, u32 *rules)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	unsigned int loc, n = 0;

	switch (cmd->cmd) {
	case ETHTOOL_GRXRINGS:
		cmd->data = vd->num_queues;
		return 0;
	case ETHTOOL_GRXCLSRLCNT:
		cmd->rule_cnt = bitmap_weight(vd->rule_used, VNIC_STEER_RULES);
		/* The driver picks a slot for a rule given none. */
		cmd->data = VNIC_STEER_RULES | RX_CLS_LOC_SPECIAL;
		return 0;
	case ETHTOOL_GRXCLSRULE:
		loc = cmd->fs.location;
		if (loc >= VNIC_STEER_RULES || !test_bit(loc, vd->rule_used))
			return -ENOENT;
		cmd->fs = vd->rules[loc].fs;
		if (cmd->fs.flow_type & FLOW_RSS)
			cmd->rss_context = vd->rules[loc].rss_context;
		return 0;
	case ETHTOOL_GRXCLSRLALL:
		if (bitmap_weight(vd->rule_used, VNIC_STEER_RULES) > cmd->rule_cnt)
			return -EMSGSIZE;
		for_each_set_bit(loc, vd->rule_used, VNIC_STEER_RULES)
			rules[n++] = loc;
		cmd->rule_cnt = n;
		cmd->data = VNIC_STEER_RULES;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

static int vnic_set_rxnfc(struct net_device *netdev, struct ethtool_rxnfc *cmd)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	switch (cmd->cmd) {
	case ETHTOOL_SRXCLSRLINS:
		return vnic_add_rule(vd, cmd);
	case ETHTOOL_SRXCLSRLDEL:
		return vnic_del_rule(vd, cmd->fs.location);
	default:
		return -EOPNOTSUPP;
	}
}

static u32 vnic_get_rxfh_key_size(struct net_device *netdev)
{
	return VNIC_RSS_KEY_SIZE;
}

static u32 vnic_get_rxfh_indir_size(struct net_device *netdev)
{
	return VNIC_RSS_INDIR_SIZE;
}

static int vnic_get_rxfh(struct net_device *netdev, struct ethtool_rxfh_param *rxfh)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	rxfh->hfunc = ETH_RSS_HASH_TOP;
	if (rxfh->indir)
		memcpy(rxfh->indir, vd->rss_indir, sizeof(vd->rss_indir));
	if (rxfh->key)
		memcpy(rxfh->key, vd->rss_key, sizeof(vd->rss_key));
	return 0;
}

static bool vnic_rxfh_hfunc_ok(u8 hfunc, struct netlink_ext_ack *extack)
{
	if (hfunc == ETH_RSS_HASH_NO_CHANGE || hfunc == ETH_RSS_HASH_TOP)
		return true;
	NL_SET_ERR_MSG_MOD(extack, "the card hashes with Toeplitz (toeplitz) only");
	return false;
}

static int vnic_set_rxfh(struct net_device *netdev, struct ethtool_rxfh_param *rxfh,
			 struct netlink_ext_ack *extack)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	unsigned int i;

	if (!vnic_rxfh_hfunc_ok(rxfh->hfunc, extack))
		return -EOPNOTSUPP;
	if (rxfh->indir) {
		/* The core checked the size and every entry against GRXRINGS. */
		for (i = 0; i < VNIC_RSS_INDIR_SIZE; i++)
			vd->rss_indir[i] = rxfh->indir[i];
	}
	if (rxfh->key)
		memcpy(vd->rss_key, rxfh->key, sizeof(vd->rss_key));
	vnic_write_rss(vd);
	return 0;
}

VNIC_DEFINE_RXFH_OPS(vnic_get_rxfh, vnic_set_rxfh)

#if VNIC_HAVE_RSS_CTX
/*
 * A new context starts as ethtool asks, or else spread over the active
 * queues with the main key; its table then stays as it is when the queue
 * count changes (the core refuses fewer queues than the table names).
 */
static int vnic_create_rxfh_context(struct net_device *netdev, struct ethtool_rxfh_context *ctx,
				    const struct ethtool_rxfh_param *rxfh,
				    struct netlink_ext_ack *extack)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	u32 id = rxfh->rss_context, i;
	struct vnic_rss_ctx *c;

	if (!vnic_rxfh_hfunc_ok(rxfh->hfunc, extack))
		return -EOPNOTSUPP;
	/* The core allocates ids below rxfh_max_num_contexts. */
	if (WARN_ON_ONCE(!id || id > VNIC_STEER_CTXS))
		return -EINVAL;

	c = &vd->rss_ctx[id - 1];
	for (i = 0; i < VNIC_RSS_INDIR_SIZE; i++)
		c->indir[i] = rxfh->indir ? rxfh->indir[i] :
			      ethtool_rxfh_indir_default(i, vd->num_queues);
	memcpy(c->key, rxfh->key ?: vd->rss_key, sizeof(c->key));
	if (!rxfh->indir)
		for (i = 0; i < VNIC_RSS_INDIR_SIZE; i++)
			ethtool_rxfh_context_indir(ctx)[i] = c->indir[i];
	if (!rxfh->key)
		memcpy(ethtool_rxfh_context_key(ctx), c->key, sizeof(c->key));
	if (rxfh->hfunc == ETH_RSS_HASH_NO_CHANGE)
		ctx->hfunc = ETH_RSS_HASH_TOP;
	if (rxfh->input_xfrm == RXH_XFRM_NO_CHANGE)
		ctx->input_xfrm = 0;

	set_bit(id, vd->rss_ctx_used);
	vnic_write_rss_ctx(vd, id);
	return 0;
}

static int vnic_modify_rxfh_context(struct net_device *netdev, struct ethtool_rxfh_context *ctx,
				    const struct ethtool_rxfh_param *rxfh,
				    struct netlink_ext_ack *extack)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	u32 id = rxfh->rss_context, i, max = 0;
	struct vnic_rss_ctx *c = &vd->rss_ctx[id - 1];
	unsigned int loc;

	if (!vnic_rxfh_hfunc_ok(rxfh->hfunc, extack))
		return -EOPNOTSUPP;
	if (rxfh->indir) {
		/* A rule's offset into this table must still land on a queue. */
		for (i = 0; i < VNIC_RSS_INDIR_SIZE; i++)
			max = max(max, rxfh->indir[i]);
		for_each_set_bit(loc, vd->rule_used, VNIC_STEER_RULES) {
			const struct vnic_rule *rule = &vd->rules[loc];
			u64 q = ethtool_get_flow_spec_ring(rule->fs.ring_cookie) + max;

			if (!(rule->fs.flow_type & FLOW_RSS) || rule->rss_context != id ||
			    q < vd->num_queues)
				continue;
			/* By ioctl (ethtool 6.1) there is no extack: log it too. */
			NL_SET_ERR_MSG_FMT_MOD(extack,
					       "rule %u adds to this table: queue %llu does not exist",
					       loc, q);
			netdev_err(netdev, "rule %u adds %llu to this table: queue %llu does not exist\n",
				   loc, ethtool_get_flow_spec_ring(rule->fs.ring_cookie), q);
			return -EINVAL;
		}
		for (i = 0; i < VNIC_RSS_INDIR_SIZE; i++)
			c->indir[i] = rxfh->indir[i];
	}
	if (rxfh->key)
		memcpy(c->key, rxfh->key, sizeof(c->key));
	vnic_write_rss_ctx(vd, id);
	return 0;
}

static int vnic_remove_rxfh_context(struct net_device *netdev, struct ethtool_rxfh_context *ctx,
				    u32 rss_context, struct netlink_ext_ack *extack)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	unsigned int loc;

	/* The core drops every context as the device goes: rules and all. */
	for_each_set_bit(loc, vd->rule_used, VNIC_STEER_RULES) {
		const struct vnic_rule *rule = &vd->rules[loc];

		if (netdev->reg_state != NETREG_REGISTERED)
			break;
		if ((rule->fs.flow_type & FLOW_RSS) && rule->rss_context == rss_context) {
			NL_SET_ERR_MSG_FMT_MOD(extack,
					       "RSS context %u is in use by rule %u; delete the rule first",
					       rss_context, loc);
			netdev_err(netdev, "RSS context %u is in use by rule %u; delete the rule first\n",
				   rss_context, loc);
			return -EBUSY;
		}
	}
	clear_bit(rss_context, vd->rss_ctx_used);
	memset(&vd->rss_ctx[rss_context - 1], 0, sizeof(vd->rss_ctx[0]));
	vnic_write_rss_ctx(vd, rss_context);
	return 0;
}
#endif

static int vnic_get_sset_count(struct net_device *netdev, int sset)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	switch (sset) {
	case ETH_SS_STATS:
		return ARRAY_SIZE(vnic_hw_stat_descs) + ARRAY_SIZE(vnic_dev_stat_names) +
		       vd->max_queues * VNIC_Q_STATS_NUM;
	case ETH_SS_TEST:
		return VNIC_TEST_NUM;
	default:
		return -EOPNOTSUPP;
	}
}

static void vnic_get_strings(struct net_device *netdev, u32 sset, u8 *data)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	unsigned int i, q;

	if (sset == ETH_SS_TEST) {
		for (i = 0; i < VNIC_TEST_NUM; i++)
			ethtool_puts(&data, vnic_test_names[i]);
		return;
	}
	if (sset != ETH_SS_STATS)
		return;

	for (i = 0; i < ARRAY_SIZE(vnic_hw_stat_descs); i++)
		ethtool_puts(&data, vnic_hw_stat_descs[i].name);
	for (i = 0; i < ARRAY_SIZE(vnic_dev_stat_names); i++)
		ethtool_puts(&data, vnic_dev_stat_names[i]);
	for (q = 0; q < vd->max_queues; q++) {
		for (i = 0; i < ARRAY_SIZE(vnic_tx_stat_descs); i++)
			ethtool_sprintf(&data, "tx_q%u_%s", q, vnic_tx_stat_descs[i].name);
		for (i = 0; i < ARRAY_SIZE(vnic_xdp_stat_descs); i++)
			ethtool_sprintf(&data, "tx_q%u_%s", q, vnic_xdp_stat_descs[i].name);
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
		struct vnic_ring_stats tx = {}, rx = {}, xdp = {};
		struct vnic_nv_stats nvs = {};
		unsigned int start;

		if (nv) {
			vnic_read_ring_stats(&nv->tx, &tx);
			vnic_read_xdp_stats(nv, &xdp);
			vnic_read_ring_stats(&nv->rx, &rx);
			do {
				start = u64_stats_fetch_begin(&nv->syncp);
				nvs = nv->stats;
			} while (u64_stats_fetch_retry(&nv->syncp, start));
		}
		for (i = 0; i < ARRAY_SIZE(vnic_tx_stat_descs); i++)
			*data++ = vnic_stat_at(&tx, vnic_tx_stat_descs[i].offset);
		for (i = 0; i < ARRAY_SIZE(vnic_xdp_stat_descs); i++)
			*data++ = vnic_stat_at(&xdp, vnic_xdp_stat_descs[i].offset);
		for (i = 0; i < ARRAY_SIZE(vnic_rx_stat_descs); i++)
			*data++ = vnic_stat_at(&rx, vnic_rx_stat_descs[i].offset);
		for (i = 0; i < ARRAY_SIZE(vnic_nv_stat_descs); i++)
			*data++ = vnic_stat_at(&nvs, vnic_nv_stat_descs[i].offset);
	}
}

static int vnic_get_tunable(struct net_device *netdev, const struct ethtool_tunable *tuna,
			    void *data)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	switch (tuna->id) {
	case ETHTOOL_RX_COPYBREAK:
		*(u32 *)data = READ_ONCE(vd->rx_copybreak);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* The poll reads rx-copybreak afresh each time: no need to stop the rings. */
static int vnic_set_tunable(struct net_device *netdev, const struct ethtool_tunable *tuna,
			    const void *data)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	u32 val;

	switch (tuna->id) {
	case ETHTOOL_RX_COPYBREAK:
		val = *(const u32 *)data;
		if (val > VNIC_RX_COPYBREAK_MAX) {
			netdev_err(netdev, "rx-copybreak %u out of range: 0 (off) to %u bytes\n",
				   val, VNIC_RX_COPYBREAK_MAX);
			return -EINVAL;
		}
		WRITE_ONCE(vd->rx_copybreak, val);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * The standard statistics: the card counts pause frames, IEEE 802.3 MAC
 * and MAC control counters and RMON frame-size histograms in its STAT_*
 * registers (include/vnic_hw.h). Called under RTNL.
 */
static void vnic_get_pause_stats(struct net_device *netdev,
				 struct ethtool_pause_stats *pause)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	vnic_update_hw_stats(vd);
	pause->tx_pause_frames = vd->hw_stats.tx_pause_frames;
	pause->rx_pause_frames = vd->hw_stats.rx_pause_frames;
}

/*
 * The field names are the kernel's (struct ethtool_eth_mac_stats and
 * ethtool_eth_ctrl_stats, after IEEE 802.3 clause 30): checkpatch
 * --no-tree cannot see them in include/ and calls them CamelCase, so
 * scripts/checkpatch.sh ignores CAMELCASE for this file only.
 */
static void vnic_get_eth_mac_stats(struct net_device *netdev,
				   struct ethtool_eth_mac_stats *mac)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	const struct vnic_hw_stats *hs = &vd->hw_stats;

	vnic_update_hw_stats(vd);
	mac->FramesTransmittedOK = hs->tx_frames;
	mac->FramesReceivedOK = hs->rx_frames;
	mac->FrameCheckSequenceErrors = hs->rx_fcs_err;
	mac->OctetsTransmittedOK = hs->tx_octets;
	mac->OctetsReceivedOK = hs->rx_octets;
	/* Frames that found no RX buffer: the MAC's FIFO overflowed. */
	mac->FramesLostDueToIntMACRcvError = hs->rx_missed;
	mac->MulticastFramesXmittedOK = hs->tx_mcast;
	mac->BroadcastFramesXmittedOK = hs->tx_bcast;
	mac->MulticastFramesReceivedOK = hs->rx_mcast;
	mac->BroadcastFramesReceivedOK = hs->rx_bcast;
	mac->FrameTooLongErrors = hs->rx_oversize;
}

static void vnic_get_eth_ctrl_stats(struct net_device *netdev,
				    struct ethtool_eth_ctrl_stats *ctrl)
{
	struct vnic_dev *vd = netdev_priv(netdev);

	/* Pause frames are the only MAC control frames the card knows. */
	vnic_update_hw_stats(vd);
	ctrl->MACControlFramesTransmitted = vd->hw_stats.tx_pause_frames;
	ctrl->MACControlFramesReceived = vd->hw_stats.rx_pause_frames;
}

/* The card's buckets, by frame length with FCS (VNIC_REG_STAT_RX_HIST). */
static const struct ethtool_rmon_hist_range vnic_rmon_ranges[] = {
	{   64,   64 },
	{   65,  127 },
	{  128,  255 },
	{  256,  511 },
	{  512, 1023 },
	{ 1024, 1518 },
	{ 1519, 2047 },
	{ 2048, 4095 },
	{ 4096, VNIC_HW_MAX_FRAME + VLAN_HLEN + ETH_FCS_LEN },
	{}
};

static_assert(ARRAY_SIZE(vnic_rmon_ranges) == VNIC_HW_RMON_BUCKETS + 1);

static void vnic_get_rmon_stats(struct net_device *netdev, struct ethtool_rmon_stats *rmon,
				const struct ethtool_rmon_hist_range **ranges)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	const struct vnic_hw_stats *hs = &vd->hw_stats;
	unsigned int i;

	vnic_update_hw_stats(vd);
	rmon->undersize_pkts = hs->rx_runt;
	rmon->oversize_pkts = hs->rx_oversize;
	for (i = 0; i < VNIC_HW_RMON_BUCKETS; i++) {
		rmon->hist[i] = hs->rx_hist[i];
		rmon->hist_tx[i] = hs->tx_hist[i];
	}
	*ranges = vnic_rmon_ranges;
}

static const struct ethtool_ops vnic_ethtool_ops = {
#if VNIC_HAVE_RSS_CTX
	.rxfh_per_ctx_key	= 1,
	.cap_rss_rxnfc_adds	= 1,
	.rxfh_max_num_contexts	= VNIC_STEER_CTXS + 1,
#endif
	.supported_coalesce_params = ETHTOOL_COALESCE_USECS |
				     ETHTOOL_COALESCE_MAX_FRAMES |
				     ETHTOOL_COALESCE_USE_ADAPTIVE,
	.get_drvinfo		= vnic_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_msglevel		= vnic_get_msglevel,
	.set_msglevel		= vnic_set_msglevel,
	.get_ringparam		= vnic_get_ringparam,
	.set_ringparam		= vnic_set_ringparam,
	.get_channels		= vnic_get_channels,
	.set_channels		= vnic_set_channels,
	.get_coalesce		= vnic_get_coalesce,
	.set_coalesce		= vnic_set_coalesce,
	.get_per_queue_coalesce	= vnic_get_per_queue_coalesce,
	.set_per_queue_coalesce	= vnic_set_per_queue_coalesce,
	.get_link_ksettings	= vnic_get_link_ksettings,
	.set_link_ksettings	= vnic_set_link_ksettings,
	.get_link_ext_state	= vnic_get_link_ext_state,
	.get_pauseparam		= vnic_get_pauseparam,
	.set_pauseparam		= vnic_set_pauseparam,
	.get_regs_len		= vnic_get_regs_len,
	.get_regs		= vnic_get_regs,
	.self_test		= vnic_diag_test,
	.get_rxnfc		= vnic_get_rxnfc,
	.set_rxnfc		= vnic_set_rxnfc,
	.get_rxfh_key_size	= vnic_get_rxfh_key_size,
	.get_rxfh_indir_size	= vnic_get_rxfh_indir_size,
	VNIC_RXFH_OPS(vnic_get_rxfh, vnic_set_rxfh),
#if VNIC_HAVE_RSS_CTX
	.create_rxfh_context	= vnic_create_rxfh_context,
	.modify_rxfh_context	= vnic_modify_rxfh_context,
	.remove_rxfh_context	= vnic_remove_rxfh_context,
#endif
	.get_sset_count		= vnic_get_sset_count,
	.get_strings		= vnic_get_strings,
	.get_ethtool_stats	= vnic_get_ethtool_stats,
	.get_tunable		= vnic_get_tunable,
	.set_tunable		= vnic_set_tunable,
	.get_pause_stats	= vnic_get_pause_stats,
	.get_eth_mac_stats	= vnic_get_eth_mac_stats,
	.get_eth_ctrl_stats	= vnic_get_eth_ctrl_stats,
	.get_rmon_stats		= vnic_get_rmon_stats,
};

/**
 * vnic_set_ethtool_ops - attach the ethtool operations to a net_device
 * @netdev: the device
 */
void vnic_set_ethtool_ops(struct net_device *netdev)
{
	netdev->ethtool_ops = &vnic_ethtool_ops;
}
