// SPDX-License-Identifier: GPL-2.0
/*
 * vnic module glue: the "machine" the card is plugged into. It checks the
 * card parameters, registers the bus and the driver, and builds the cards
 * that the parameters ask for. It owns the card slots and the bus's
 * hotplug attributes (as netdevsim's bus.c keeps its list and its
 * new_device_store together), which plug cards in and out at runtime:
 *   echo "ID [QUEUES]" > /sys/bus/vnic/new_device
 *   echo "ID" > /sys/bus/vnic/del_device
 */
#include <kunit/visibility.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "card/vnic_card.h"
#include "nic/vnic.h"
#include "vnic_main.h"

#define CREATE_TRACE_POINTS
#include "vnic_trace.h"

#define VNIC_MAX_CARDS		16

static unsigned int num_cards = 1;
module_param(num_cards, uint, 0444);
MODULE_PARM_DESC(num_cards, "Cards (port pairs) to create at load, 0-16 (default 1)");

static unsigned int num_queues = 2;
module_param(num_queues, uint, 0444);
MODULE_PARM_DESC(num_queues, "Queue pairs per port, 1-16 (default 2)");

static unsigned int xdp_tx_queues;
module_param(xdp_tx_queues, uint, 0444);
MODULE_PARM_DESC(xdp_tx_queues, "TX-only queues per port for XDP, 0-16, at most one per queue pair (default 0: one per queue pair)");

static unsigned int speed;
module_param(speed, uint, 0444);
MODULE_PARM_DESC(speed, "Cap on the wire rate in Mbit/s, below the link mode's, 0 for none, up to 400000 (default 0)");

static bool engine_local;
module_param(engine_local, bool, 0444);
MODULE_PARM_DESC(engine_local, "Run the card's DMA engines on the CPU that rings the doorbell, not the next one (default N)");

/**
 * struct vnic_slot - a card plugged into the machine
 * @card: the card
 * @list: entry in vnic_slots
 */
struct vnic_slot {
	struct vnic_card *card;
	struct list_head list;
};

/* Protects vnic_slots: the cards plugged in, by load or through sysfs. */
static DEFINE_MUTEX(vnic_slots_lock);
static LIST_HEAD(vnic_slots);

static struct vnic_slot *vnic_find_slot(u32 id)
{
	struct vnic_slot *slot;

	list_for_each_entry(slot, &vnic_slots, list)
		if (vnic_card_id(slot->card) == id)
			return slot;
	return NULL;
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
	struct vnic_card_config cfg = {
		.id = id,
		.num_queues = queues ?: num_queues,
		.xdp_txqs = xdp_tx_queues,
		.speed = speed,
		.engine_local = engine_local,
	};
	struct vnic_slot *slot;
	int err;

	if (id > 255) {
		pr_err("vnic: card ID %u is invalid, allowed 0-255\n", id);
		return -EINVAL;
	}
	if (cfg.num_queues > VNIC_HW_MAX_QUEUES) {
		pr_err("vnic: %u queues is invalid, allowed 1-%u\n",
		       cfg.num_queues, VNIC_HW_MAX_QUEUES);
		return -EINVAL;
	}

	guard(mutex)(&vnic_slots_lock);
	if (vnic_find_slot(id)) {
		pr_err("vnic: card %u exists already\n", id);
		return -EEXIST;
	}

	slot = kzalloc(sizeof(*slot), GFP_KERNEL);
	if (!slot)
		return -ENOMEM;

	slot->card = vnic_card_create(&cfg);
	if (IS_ERR(slot->card)) {
		err = PTR_ERR(slot->card);
		goto abort_with_slot;
	}

	err = vnic_card_plug(slot->card);
	if (err)
		goto abort_with_card;

	list_add_tail(&slot->list, &vnic_slots);
	return 0;

abort_with_card:
	vnic_card_destroy(slot->card);
abort_with_slot:
	kfree(slot);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_create_cards);

static void vnic_remove_slot(struct vnic_slot *slot)
{
	list_del(&slot->list);
	vnic_card_destroy(slot->card);
	kfree(slot);
}

/**
 * vnic_destroy_cards - unplug a card and destroy it
 * @id: card number
 *
 * Return: 0, or -ENOENT if there is no such card.
 */
int vnic_destroy_cards(u32 id)
{
	struct vnic_slot *slot;

	guard(mutex)(&vnic_slots_lock);
	slot = vnic_find_slot(id);
	if (!slot) {
		pr_err("vnic: del_device: there is no card %u\n", id);
		return -ENOENT;
	}
	vnic_remove_slot(slot);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_destroy_cards);

static void vnic_destroy_all_cards(void)
{
	struct vnic_slot *slot, *tmp;

	guard(mutex)(&vnic_slots_lock);
	list_for_each_entry_safe_reverse(slot, tmp, &vnic_slots, list)
		vnic_remove_slot(slot);
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
	vnic_destroy_all_cards();
	vnic_driver_unregister();
	vnic_bus_exit();
}
module_exit(vnic_exit);

MODULE_DESCRIPTION("vnic: a simulated NIC and its driver");
MODULE_AUTHOR("The vnic authors");
MODULE_LICENSE("GPL");
