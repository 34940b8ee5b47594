// SPDX-License-Identifier: GPL-2.0
/*
 * vnic module glue: the "machine" the card is plugged into. It checks the
 * card parameters, registers the bus and the driver, and builds the cards
 * that the parameters ask for. It owns the card slots and the bus's
 * hotplug attributes (as netdevsim's bus.c keeps its list and its
 * new_device_store together), which plug cards in and out at runtime:
 *   echo "ID [QUEUES]" > /sys/bus/vnic/new_device
 *   echo "ID" > /sys/bus/vnic/del_device
 * and the rtnetlink link kind "vnic", which builds a card for each
 *   ip link add NAME type vnic peer name PEER
 * and destroys it again on ip link del (see vnic_newlink()).
 */
#include <kunit/visibility.h>
#include <linux/etherdevice.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/rtnetlink.h>

#include "card/vnic_card.h"
#include "nic/vnic.h"
#include "vnic_link.h"
#include "vnic_main.h"

#define CREATE_TRACE_POINTS
#include "vnic_trace.h"

#define VNIC_MAX_CARDS		16
#define VNIC_MAX_CARD_ID	255

static unsigned int num_cards = 1;
module_param(num_cards, uint, 0444);
MODULE_PARM_DESC(num_cards, "Cards (port pairs) to create at load, 0-16 (default 1)");

static unsigned int num_queues = 2;
module_param(num_queues, uint, 0444);
MODULE_PARM_DESC(num_queues, "Queue pairs per port, 1-128 (default 2)");

static unsigned int xdp_tx_queues;
module_param(xdp_tx_queues, uint, 0444);
MODULE_PARM_DESC(xdp_tx_queues, "TX-only queues per port for XDP, 0-128, at most one per queue pair (default 0: one per queue pair)");

static unsigned int speed;
module_param(speed, uint, 0444);
MODULE_PARM_DESC(speed, "Cap on the wire rate in Mbit/s, below the link mode's, 0 for none, up to 400000 (default 0)");

static bool engine_local;
module_param(engine_local, bool, 0444);
MODULE_PARM_DESC(engine_local, "Run the card's DMA engines on the CPU that rings the doorbell, not the next one (default N)");

/**
 * struct vnic_slot - a card plugged into the machine
 * @card: the card; NULL while it is being built
 * @id: the card's number
 * @list: entry in vnic_slots
 * @dying: it is being destroyed (under vnic_slots_lock)
 * @rtnl: ip link add made it; ip link del takes it away (vnic_dellink())
 * @deleting: with @rtnl, under RTNL: dellink has queued both ports'
 *	net_devices, and @destroy_work destroys the card
 * @adopt: with @rtnl: the net_devices handed to the ports' probe
 * @destroy_work: with @rtnl: destroys the card once RTNL is released
 */
struct vnic_slot {
	struct vnic_card *card;
	u32 id;
	struct list_head list;
	bool dying;
	bool rtnl;
	bool deleting;
	struct vnic_adopt adopt[VNIC_CARD_PORTS];
	struct work_struct destroy_work;
};

/*
 * Protects vnic_slots: the cards plugged in, by load, through sysfs or by
 * ip link add. A leaf: it is never held while a card is built, plugged or
 * destroyed, since the driver's probe and remove take RTNL, and newlink
 * takes this lock with RTNL held.
 */
static DEFINE_MUTEX(vnic_slots_lock);
static LIST_HEAD(vnic_slots);

/* Destroys the cards of ip link add (vnic_dellink()), outside RTNL. */
static struct workqueue_struct *vnic_link_wq;

static struct vnic_slot *vnic_find_slot(u32 id)
{
	struct vnic_slot *slot;

	lockdep_assert_held(&vnic_slots_lock);
	list_for_each_entry(slot, &vnic_slots, list)
		if (slot->id == id)
			return slot;
	return NULL;
}

/* Take card number @id, or the lowest free one if @id is U32_MAX. */
static struct vnic_slot *vnic_reserve_slot(u32 id)
{
	struct vnic_slot *slot;

	slot = kzalloc(sizeof(*slot), GFP_KERNEL);
	if (!slot)
		return ERR_PTR(-ENOMEM);

	guard(mutex)(&vnic_slots_lock);
	if (id == U32_MAX) {
		for (id = 0; id <= VNIC_MAX_CARD_ID && vnic_find_slot(id); id++)
			;
		if (id > VNIC_MAX_CARD_ID) {
			kfree(slot);
			return ERR_PTR(-ENOSPC);
		}
	} else if (vnic_find_slot(id)) {
		kfree(slot);
		return ERR_PTR(-EEXIST);
	}
	slot->id = id;
	list_add_tail(&slot->list, &vnic_slots);
	return slot;
}

/* Give the card number back; the slot's card is gone. */
static void vnic_release_slot(struct vnic_slot *slot)
{
	scoped_guard(mutex, &vnic_slots_lock)
		list_del(&slot->list);
	kfree(slot);
}

static void vnic_card_config_init(struct vnic_card_config *cfg, u32 id, u32 queues)
{
	*cfg = (struct vnic_card_config) {
		.id = id,
		.num_queues = queues ?: num_queues,
		.xdp_txqs = xdp_tx_queues,
		.speed = speed,
		.engine_local = engine_local,
	};
}

/* Build the card of @slot and plug it in; the driver probes its ports. */
static int vnic_build_card(struct vnic_slot *slot, const struct vnic_card_config *cfg)
{
	struct vnic_card *card;
	int err;

	card = vnic_card_create(cfg);
	if (IS_ERR(card))
		return PTR_ERR(card);

	err = vnic_card_plug(card);
	if (err) {
		vnic_card_destroy(card);
		return err;
	}
	scoped_guard(mutex, &vnic_slots_lock)
		slot->card = card;
	return 0;
}

/**
 * vnic_create_cards - build a card and plug it in
 * @id: card number, unique, 0-255
 * @queues: queue pairs per port, 0 for the num_queues parameter
 *
 * Return: 0 or a negative errno.
 */
int vnic_create_cards(u32 id, u32 queues)
{
	struct vnic_card_config cfg;
	struct vnic_slot *slot;
	int err;

	if (id > VNIC_MAX_CARD_ID) {
		pr_err("vnic: card ID %u is invalid, allowed 0-%u\n", id, VNIC_MAX_CARD_ID);
		return -EINVAL;
	}
	vnic_card_config_init(&cfg, id, queues);
	if (cfg.num_queues > VNIC_HW_MAX_QUEUES) {
		pr_err("vnic: %u queues is invalid, allowed 1-%u\n",
		       cfg.num_queues, VNIC_HW_MAX_QUEUES);
		return -EINVAL;
	}

	slot = vnic_reserve_slot(id);
	if (IS_ERR(slot)) {
		if (PTR_ERR(slot) == -EEXIST)
			pr_err("vnic: card %u exists already\n", id);
		return PTR_ERR(slot);
	}

	err = vnic_build_card(slot, &cfg);
	if (err)
		vnic_release_slot(slot);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_create_cards);

static void vnic_remove_slot(struct vnic_slot *slot)
{
	vnic_card_destroy(slot->card);
	vnic_release_slot(slot);
}

/**
 * vnic_destroy_cards - unplug a card and destroy it
 * @id: card number
 *
 * Return: 0, -ENOENT if there is no such card, -EBUSY if it is being
 * built or destroyed, or ip link add made it (ip link del takes it away).
 */
int vnic_destroy_cards(u32 id)
{
	struct vnic_slot *slot;

	scoped_guard(mutex, &vnic_slots_lock) {
		slot = vnic_find_slot(id);
		if (!slot) {
			pr_err("vnic: del_device: there is no card %u\n", id);
			return -ENOENT;
		}
		if (slot->rtnl) {
			pr_err("vnic: del_device: card %u was made by ip link add: delete it with ip link del\n",
			       id);
			return -EBUSY;
		}
		if (!slot->card || slot->dying) {
			pr_err("vnic: del_device: card %u is being plugged in or out\n", id);
			return -EBUSY;
		}
		slot->dying = true;
	}
	vnic_remove_slot(slot);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_destroy_cards);

/* At unload or failed load, when ip link add's cards are gone already. */
static void vnic_destroy_all_cards(void)
{
	struct vnic_slot *slot;

	for (;;) {
		scoped_guard(mutex, &vnic_slots_lock) {
			slot = list_empty(&vnic_slots) ? NULL :
			       list_last_entry(&vnic_slots, struct vnic_slot, list);
			if (slot)
				slot->dying = true;
		}
		if (!slot)
			return;
		vnic_remove_slot(slot);
	}
}

static ssize_t new_device_store(VNIC_BUS_CONST struct bus_type *bus, const char *buf, size_t count)
{
	unsigned int id, queues = 0;
	int n, err;

	n = sscanf(buf, "%u %u", &id, &queues);
	if (n < 1) {
		pr_err("vnic: new_device: expected \"ID [QUEUES]\"\n");
		return -EINVAL;
	}
	err = vnic_create_cards(id, queues);
	return err ?: count;
}
static BUS_ATTR_WO(new_device);

static ssize_t del_device_store(VNIC_BUS_CONST struct bus_type *bus, const char *buf, size_t count)
{
	unsigned int id;
	int err;

	if (kstrtouint(buf, 0, &id)) {
		pr_err("vnic: del_device: expected a card ID\n");
		return -EINVAL;
	}
	err = vnic_destroy_cards(id);
	return err ?: count;
}
static BUS_ATTR_WO(del_device);

/* What the bus shows in /sys/bus/vnic/: the hotplug of cards. */
static struct bus_attribute *const vnic_bus_attrs[] = {
	&bus_attr_new_device,
	&bus_attr_del_device,
	NULL
};

/*
 * ip link add NAME type vnic peer name PEER: a new card, with NAME on port 0
 * and PEER on port 1.
 *
 * The rtnetlink core calls newlink under RTNL with NAME's net_device
 * already allocated from vnic_link_ops (priv_size, vnic_netdev_setup()),
 * while the driver allocates and registers a port's net_device in its
 * probe, with register_netdev(), which takes RTNL. So newlink:
 *   1. checks every argument and allocates PEER's net_device, before
 *      anything exists;
 *   2. takes a card number and builds the card with a struct vnic_adopt
 *      in each port's platform data: NAME's and PEER's net_device, and
 *      this task. Plugging it in probes both ports through the normal
 *      bus path, in this task; a probe that finds an adoption takes the
 *      net_device given instead of allocating one, does all else as
 *      usual, and leaves registration to newlink. No lock is held across
 *      the plug: not vnic_slots_lock (a leaf), not the card's;
 *   3. registers PEER, then NAME (as veth does, the core's net_device
 *      last), each with vnic_adopt_register(), under the RTNL it holds.
 * Until step 3 an error destroys the card at once: remove finds an
 * unregistered net_device and leaves it to its owner (the core frees
 * NAME's, newlink PEER's). Once PEER is registered, its unregistration
 * completes only after RTNL is released: then PEER is unregistered, port 0
 * let go at once (vnic_adopt_abort(): the core frees NAME's net_device,
 * and the driver's state in it, as soon as newlink returns), and the card
 * destroyed by the slot's work.
 *
 * ip link del NAME (or PEER), a namespace going, or unload: dellink
 * queues both net_devices for the core to unregister, and the slot's work
 * destroys the card after RTNL is released: the driver's remove waits
 * until the core has let each net_device go (its priv_destructor), then
 * frees the card's side as rmmod does. The bus's device_lock() and the
 * driver's debugfs, whose readers take RTNL, are never waited for under
 * RTNL on that path.
 */
static const struct nla_policy vnic_link_policy[IFLA_VNIC_MAX + 1] = {
	[IFLA_VNIC_PEER]	= { .len = sizeof(struct ifinfomsg) },
	[IFLA_VNIC_CARD]	= { .type = NLA_REJECT },
	[IFLA_VNIC_PORT]	= { .type = NLA_REJECT },
	[IFLA_VNIC_QUEUES]	= { .type = NLA_REJECT },
};

static struct rtnl_link_ops vnic_link_ops;

static unsigned int vnic_link_num_queues(void)
{
	return num_queues;
}

/* numtxqueues and numrxqueues of @tb (@who: "" or "peer "). */
static int vnic_validate_queues(struct nlattr *tb[], const char *who,
				struct netlink_ext_ack *extack)
{
	u32 txq = num_queues, rxq = num_queues;

	if (tb[IFLA_NUM_TX_QUEUES])
		txq = nla_get_u32(tb[IFLA_NUM_TX_QUEUES]);
	if (tb[IFLA_NUM_RX_QUEUES])
		rxq = nla_get_u32(tb[IFLA_NUM_RX_QUEUES]);
	if (txq < 1 || txq > VNIC_HW_MAX_QUEUES || rxq < 1 || rxq > VNIC_HW_MAX_QUEUES) {
		NL_SET_ERR_MSG_FMT(extack,
				   "vnic: %snumtxqueues %u numrxqueues %u: allowed 1-%u",
				   who, txq, rxq, VNIC_HW_MAX_QUEUES);
		return -EINVAL;
	}
	if (txq != rxq) {
		NL_SET_ERR_MSG_FMT(extack,
				   "vnic: %snumtxqueues %u numrxqueues %u: must be equal (queue pairs)",
				   who, txq, rxq);
		return -EINVAL;
	}
	return 0;
}

static int vnic_validate_address(struct nlattr *tb[], const char *who,
				 struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS] && (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN ||
				 !is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS])))) {
		NL_SET_ERR_MSG_FMT(extack, "vnic: %saddress is not a unicast Ethernet address",
				   who);
		return -EADDRNOTAVAIL;
	}
	return 0;
}

static int vnic_link_validate(struct nlattr *tb[], struct nlattr *data[],
			      struct netlink_ext_ack *extack)
{
	int err;

	err = vnic_validate_queues(tb, "", extack);
	if (err)
		return err;
	return vnic_validate_address(tb, "", extack);
}

/* PEER's arguments, checked before anything is made. */
static int vnic_parse_peer(struct net_device *dev, struct nlattr *tb[], struct nlattr *data[],
			   struct nlattr **peer_tb, char *ifname,
			   struct netlink_ext_ack *extack)
{
	u32 nq = dev->num_tx_queues;
	int err;

	if (!data || !data[IFLA_VNIC_PEER]) {
		NL_SET_ERR_MSG(extack,
			       "vnic: a card has two ports: name the second with \"peer name PEER\"");
		return -EINVAL;
	}
	err = rtnl_nla_parse_ifinfomsg(peer_tb, data[IFLA_VNIC_PEER], extack);
	if (err)
		return err;
	if (!peer_tb[IFLA_IFNAME]) {
		NL_SET_ERR_MSG(extack, "vnic: the peer needs a name: \"peer name PEER\"");
		return -EINVAL;
	}
	nla_strscpy(ifname, peer_tb[IFLA_IFNAME], IFNAMSIZ);
	if (!dev_valid_name(ifname)) {
		NL_SET_ERR_MSG_FMT(extack, "vnic: peer name \"%s\" is not a valid interface name",
				   ifname);
		return -EINVAL;
	}
	err = vnic_validate_queues(peer_tb, "peer ", extack);
	if (err)
		return err;
	err = vnic_validate_address(peer_tb, "peer ", extack);
	if (err)
		return err;

	/* One card: both ports have its queues. */
	if (dev->num_tx_queues != dev->num_rx_queues) {
		NL_SET_ERR_MSG_FMT(extack, "vnic: %u TX and %u RX queues: a card has queue pairs",
				   dev->num_tx_queues, dev->num_rx_queues);
		return -EINVAL;
	}
	if ((peer_tb[IFLA_NUM_TX_QUEUES] && nla_get_u32(peer_tb[IFLA_NUM_TX_QUEUES]) != nq) ||
	    (peer_tb[IFLA_NUM_RX_QUEUES] && nla_get_u32(peer_tb[IFLA_NUM_RX_QUEUES]) != nq)) {
		NL_SET_ERR_MSG_FMT(extack,
				   "vnic: the peer's queues must be the card's, %u",
				   nq);
		return -EINVAL;
	}
	/* PEER's net_device is allocated with NAME's queue counts. */
	if (!peer_tb[IFLA_NUM_TX_QUEUES])
		peer_tb[IFLA_NUM_TX_QUEUES] = tb[IFLA_NUM_TX_QUEUES];
	if (!peer_tb[IFLA_NUM_RX_QUEUES])
		peer_tb[IFLA_NUM_RX_QUEUES] = tb[IFLA_NUM_RX_QUEUES];
	return 0;
}

static void vnic_link_destroy_work(struct work_struct *work)
{
	struct vnic_slot *slot = container_of(work, struct vnic_slot, destroy_work);

	vnic_remove_slot(slot);
}

static int vnic_newlink(struct net *src_net, struct net_device *dev, struct nlattr *tb[],
			struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct nlattr *peer_tb[IFLA_MAX + 1];
	struct vnic_card_config cfg;
	char ifname[IFNAMSIZ];
	struct net_device *peer;
	struct vnic_slot *slot;
	unsigned int p;
	struct net *net;
	int err;

	ASSERT_RTNL();
	err = vnic_parse_peer(dev, tb, data, peer_tb, ifname, extack);
	if (err)
		return err;

	net = rtnl_link_get_net(src_net, peer_tb);
	if (IS_ERR(net)) {
		NL_SET_ERR_MSG(extack, "vnic: the peer's namespace does not exist");
		return PTR_ERR(net);
	}
	if (!ns_capable(net->user_ns, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG(extack, "vnic: no CAP_NET_ADMIN in the peer's namespace");
		err = -EPERM;
		goto abort_with_net;
	}
	if (!strchr(ifname, '%') &&
	    (__dev_get_by_name(net, ifname) ||
	     (net_eq(net, dev_net(dev)) && !strcmp(ifname, dev->name)))) {
		NL_SET_ERR_MSG_FMT(extack, "vnic: peer name \"%s\" is taken in its namespace",
				   ifname);
		err = -EEXIST;
		goto abort_with_net;
	}

	peer = rtnl_create_link(net, ifname, strchr(ifname, '%') ? NET_NAME_ENUM : NET_NAME_USER,
				&vnic_link_ops, peer_tb, extack);
	if (IS_ERR(peer)) {
		err = PTR_ERR(peer);
		goto abort_with_net;
	}

	slot = vnic_reserve_slot(U32_MAX);
	if (IS_ERR(slot)) {
		err = PTR_ERR(slot);
		NL_SET_ERR_MSG_FMT(extack, "vnic: no free card number: cards are numbered 0-%u",
				   VNIC_MAX_CARD_ID);
		goto abort_with_peer_netdev;
	}
	slot->rtnl = true;
	INIT_WORK(&slot->destroy_work, vnic_link_destroy_work);
	vnic_card_config_init(&cfg, slot->id, dev->num_tx_queues);
	for (p = 0; p < VNIC_CARD_PORTS; p++) {
		slot->adopt[p] = (struct vnic_adopt) {
			.netdev = p ? peer : dev,
			.task = current,
			.owner = slot,
		};
		cfg.platform_data[p] = &slot->adopt[p];
	}

	err = vnic_build_card(slot, &cfg);
	if (err) {
		NL_SET_ERR_MSG_FMT(extack, "vnic: cannot build card %u (%d)", slot->id, err);
		goto abort_with_slot;
	}
	for (p = 0; p < VNIC_CARD_PORTS; p++) {
		if (!slot->adopt[p].vd) {
			err = slot->adopt[p].err ?: -ENODEV;
			NL_SET_ERR_MSG_FMT(extack,
					   "vnic: the driver did not bind port %u of card %u (%d)",
					   p, slot->id, err);
			goto abort_with_card;
		}
	}

	err = vnic_adopt_register(&slot->adopt[1]);
	if (err) {
		NL_SET_ERR_MSG_FMT(extack, "vnic: cannot register the peer %s (%d)", ifname, err);
		goto abort_with_card;
	}
	err = rtnl_configure_link(peer, nla_data(data[IFLA_VNIC_PEER]), 0, NULL);
	if (err)
		goto abort_with_peer;
	err = vnic_adopt_register(&slot->adopt[0]);
	if (err)
		goto abort_with_peer;

	for (p = 0; p < VNIC_CARD_PORTS; p++)
		WRITE_ONCE(slot->adopt[p].task, NULL);
	put_net(net);
	return 0;

abort_with_peer:
	vnic_adopt_abort(&slot->adopt[0]);
	slot->deleting = true;
	vnic_adopt_unregister(&slot->adopt[1], NULL);
	queue_work(vnic_link_wq, &slot->destroy_work);
	put_net(net);
	return err;

abort_with_card:
	vnic_card_destroy(slot->card);
abort_with_slot:
	vnic_release_slot(slot);
abort_with_peer_netdev:
	free_netdev(peer);
abort_with_net:
	put_net(net);
	return err;
}

static void vnic_dellink(struct net_device *dev, struct list_head *head)
{
	struct vnic_adopt *ad = vnic_netdev_adopt(dev);
	struct vnic_slot *slot = ad->owner;
	unsigned int p;

	ASSERT_RTNL();
	/* Both ports in one namespace going, or unload: called for each. */
	if (slot->deleting)
		return;
	slot->deleting = true;
	for (p = 0; p < VNIC_CARD_PORTS; p++)
		vnic_adopt_unregister(&slot->adopt[p], head);
	queue_work(vnic_link_wq, &slot->destroy_work);
}

static struct rtnl_link_ops vnic_link_ops = {
	.kind			= "vnic",
	.priv_size		= sizeof(struct vnic_dev),
	.setup			= vnic_netdev_setup,
	.maxtype		= IFLA_VNIC_MAX,
	.policy			= vnic_link_policy,
	.validate		= vnic_link_validate,
	.newlink		= vnic_newlink,
	.dellink		= vnic_dellink,
	.get_size		= vnic_link_info_size,
	.fill_info		= vnic_fill_link_info,
	.get_num_tx_queues	= vnic_link_num_queues,
	.get_num_rx_queues	= vnic_link_num_queues,
};

/* Before the driver goes: ip link add's cards, and their work. */
static void vnic_rtnl_link_exit(void)
{
	rtnl_link_unregister(&vnic_link_ops);
	destroy_workqueue(vnic_link_wq);
}

static int vnic_rtnl_link_init(void)
{
	int err;

	vnic_link_wq = alloc_workqueue("vnic_link", 0, 0);
	if (!vnic_link_wq)
		return -ENOMEM;
	err = rtnl_link_register(&vnic_link_ops);
	if (err)
		destroy_workqueue(vnic_link_wq);
	return err;
}

static int vnic_check_params(void)
{
	if (num_cards > VNIC_MAX_CARDS) {
		pr_err("vnic: num_cards=%u is invalid, allowed 0-%u\n",
		       num_cards, VNIC_MAX_CARDS);
		return -EINVAL;
	}
	if (num_queues < 1 || num_queues > VNIC_HW_MAX_QUEUES) {
		pr_err("vnic: num_queues=%u is invalid, allowed 1-%u\n",
		       num_queues, VNIC_HW_MAX_QUEUES);
		return -EINVAL;
	}
	if (xdp_tx_queues > VNIC_HW_MAX_QUEUES) {
		pr_err("vnic: xdp_tx_queues=%u is invalid, allowed 0 (one per queue pair) to %u\n",
		       xdp_tx_queues, VNIC_HW_MAX_QUEUES);
		return -EINVAL;
	}
	if (speed > VNIC_MAX_SPEED) {
		pr_err("vnic: speed=%u is invalid, allowed 0 (unlimited) or 1-%u Mbit/s\n",
		       speed, VNIC_MAX_SPEED);
		return -EINVAL;
	}
	return 0;
}

static int __init vnic_init(void)
{
	unsigned int i;
	int err;

	err = vnic_check_params();
	if (err)
		return err;

	err = vnic_bus_init(vnic_bus_attrs);
	if (err)
		return err;

	err = vnic_driver_register();
	if (err)
		goto abort_with_bus;

	for (i = 0; i < num_cards; i++) {
		err = vnic_create_cards(i, 0);
		if (err)
			goto abort_with_cards;
	}

	err = vnic_rtnl_link_init();
	if (err)
		goto abort_with_cards;
	return 0;

abort_with_cards:
	vnic_destroy_all_cards();
	vnic_driver_unregister();
abort_with_bus:
	vnic_bus_exit();
	return err;
}
module_init(vnic_init);

static void __exit vnic_exit(void)
{
	vnic_rtnl_link_exit();
	vnic_destroy_all_cards();
	vnic_driver_unregister();
	vnic_bus_exit();
}
module_exit(vnic_exit);

MODULE_DESCRIPTION("vnic: a simulated NIC and its driver");
MODULE_AUTHOR("The vnic authors");
MODULE_LICENSE("GPL");
MODULE_ALIAS_RTNL_LINK("vnic");
