// SPDX-License-Identifier: GPL-2.0
/*
 * The vnic bus, our stand-in for the PCI core (compare netdevsim's bus.c).
 * Cards plug their functions in as struct vnic_bus_dev; drivers bind to them
 * through an id table, and probe/remove are real driver-model callbacks.
 *
 * /sys/bus/vnic/new_device and del_device plug cards in and out at runtime:
 *   echo "ID [QUEUES]" > /sys/bus/vnic/new_device
 *   echo "ID" > /sys/bus/vnic/del_device
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/module.h>

#include "vnic_bus.h"
#include "vnic_main.h"

static struct device *vnic_bus_root;

static const struct vnic_bus_device_id *
vnic_bus_match_id(const struct vnic_bus_device_id *ids, const struct vnic_bus_dev *bdev)
{
	for (; ids->vendor; ids++)
		if (ids->vendor == bdev->vendor && ids->device == bdev->device)
			return ids;
	return NULL;
}

static int vnic_bus_match(struct device *dev, const struct device_driver *drv)
{
	const struct vnic_bus_driver *bdrv =
		container_of_const(drv, struct vnic_bus_driver, driver);

	return !!vnic_bus_match_id(bdrv->id_table, to_vnic_bus_dev(dev));
}

static int vnic_bus_probe(struct device *dev)
{
	struct vnic_bus_driver *bdrv = container_of(dev->driver, struct vnic_bus_driver, driver);
	struct vnic_bus_dev *bdev = to_vnic_bus_dev(dev);

	return bdrv->probe(bdev, vnic_bus_match_id(bdrv->id_table, bdev));
}

static void vnic_bus_remove(struct device *dev)
{
	struct vnic_bus_driver *bdrv = container_of(dev->driver, struct vnic_bus_driver, driver);

	bdrv->remove(to_vnic_bus_dev(dev));
}

static int vnic_bus_uevent(const struct device *dev, struct kobj_uevent_env *env)
{
	const struct vnic_bus_dev *bdev = container_of_const(dev, struct vnic_bus_dev, dev);

	return add_uevent_var(env, "MODALIAS=vnic:v%04Xd%04X", bdev->vendor, bdev->device);
}

static ssize_t new_device_store(const struct bus_type *bus, const char *buf, size_t count)
{
	unsigned int id, queues = 0;
	int n, err;

	n = sscanf(buf, "%u %u", &id, &queues);
	if (n < 1) {
		pr_err("vnic: new_device: expected \"ID [QUEUES]\"\n");
		return -EINVAL;
	}
	err = vnic_cards_new(id, queues);
	return err ?: count;
}
static BUS_ATTR_WO(new_device);

static ssize_t del_device_store(const struct bus_type *bus, const char *buf, size_t count)
{
	unsigned int id;
	int err;

	if (kstrtouint(buf, 0, &id)) {
		pr_err("vnic: del_device: expected a card ID\n");
		return -EINVAL;
	}
	err = vnic_cards_del(id);
	return err ?: count;
}
static BUS_ATTR_WO(del_device);

static struct attribute *vnic_bus_attrs[] = {
	&bus_attr_new_device.attr,
	&bus_attr_del_device.attr,
	NULL
};
ATTRIBUTE_GROUPS(vnic_bus);

static const struct bus_type vnic_bus_type = {
	.name		= "vnic",
	.match		= vnic_bus_match,
	.uevent		= vnic_bus_uevent,
	.probe		= vnic_bus_probe,
	.remove		= vnic_bus_remove,
	.bus_groups	= vnic_bus_groups,
};

/**
 * vnic_bus_dev_add - plug a card function into the bus
 * @bdev: the function; the card has set its name, release and DMA mask
 *
 * Probing happens here if a driver is registered.
 *
 * Return: 0 or a negative errno. On error the card must put_device().
 */
int vnic_bus_dev_add(struct vnic_bus_dev *bdev)
{
	bdev->dev.bus = &vnic_bus_type;
	if (!bdev->dev.parent)
		bdev->dev.parent = vnic_bus_root;
	return device_register(&bdev->dev);
}

/**
 * vnic_bus_dev_del - unplug a card function; the driver's remove runs first
 * @bdev: the function
 */
void vnic_bus_dev_del(struct vnic_bus_dev *bdev)
{
	device_unregister(&bdev->dev);
}

/**
 * vnic_bus_driver_register - register a driver for vnic bus functions
 * @bdrv: the driver, with driver.name and driver.owner set
 *
 * Return: 0 or a negative errno.
 */
int vnic_bus_driver_register(struct vnic_bus_driver *bdrv)
{
	bdrv->driver.bus = &vnic_bus_type;
	return driver_register(&bdrv->driver);
}

/**
 * vnic_bus_driver_unregister - unregister a driver, unbinding its devices
 * @bdrv: the driver
 */
void vnic_bus_driver_unregister(struct vnic_bus_driver *bdrv)
{
	driver_unregister(&bdrv->driver);
}

/**
 * vnic_bus_init - register the bus type and its root device
 *
 * Return: 0 or a negative errno.
 */
int vnic_bus_init(void)
{
	int err;

	err = bus_register(&vnic_bus_type);
	if (err)
		return err;

	vnic_bus_root = root_device_register("vnic");
	if (IS_ERR(vnic_bus_root)) {
		err = PTR_ERR(vnic_bus_root);
		goto abort_with_bus;
	}
	return 0;

abort_with_bus:
	bus_unregister(&vnic_bus_type);
	return err;
}

/**
 * vnic_bus_exit - unregister the root device and the bus type
 */
void vnic_bus_exit(void)
{
	root_device_unregister(vnic_bus_root);
	bus_unregister(&vnic_bus_type);
}
