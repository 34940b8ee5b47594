// SPDX-License-Identifier: GPL-2.0
/*
 * The vnic bus, our stand-in for the PCI core (compare netdevsim's bus.c).
 * Cards plug their functions in as struct vnic_bus_dev; drivers bind to them
 * through an id table, and probe/remove are real driver-model callbacks.
 *
 * A leaf: it knows only include/. The attributes of /sys/bus/vnic/ (the
 * module glue's new_device and del_device) are handed to vnic_bus_init().
 */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/kernel.h>
#include <linux/module.h>

#include "vnic_bus.h"

static struct device *vnic_bus_root;
/* The attributes of /sys/bus/vnic/ that vnic_bus_init() was given. */
static struct bus_attribute *const *vnic_bus_attrs;

static const struct vnic_bus_device_id *
vnic_bus_match_id(const struct vnic_bus_device_id *ids, const struct vnic_bus_dev *bdev)
{
	for (; ids->vendor; ids++)
		if (ids->vendor == bdev->vendor && ids->device == bdev->device)
			return ids;
	return NULL;
}

static int vnic_bus_match(struct device *dev, VNIC_MATCH_CONST struct device_driver *drv)
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

static int vnic_bus_uevent(VNIC_UEVENT_CONST struct device *dev, struct kobj_uevent_env *env)
{
	const struct vnic_bus_dev *bdev = container_of_const(dev, struct vnic_bus_dev, dev);

	return add_uevent_var(env, "MODALIAS=vnic:v%04Xd%04X", bdev->vendor, bdev->device);
}

/* const from 6.4; before, bus_register() writes into it. */
static VNIC_BUS_CONST struct bus_type vnic_bus_type = {
	.name		= "vnic",
	.match		= vnic_bus_match,
	.uevent		= vnic_bus_uevent,
	.probe		= vnic_bus_probe,
	.remove		= vnic_bus_remove,
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

static void vnic_bus_remove_files(unsigned int n)
{
	while (n--)
		bus_remove_file(&vnic_bus_type, vnic_bus_attrs[n]);
}

/**
 * vnic_bus_init - register the bus type, its attributes and its root device
 * @attrs: the attributes of /sys/bus/vnic/, NULL-terminated; kept until
 *	vnic_bus_exit()
 *
 * Return: 0 or a negative errno.
 */
int vnic_bus_init(struct bus_attribute *const *attrs)
{
	unsigned int n;
	int err;

	err = bus_register(&vnic_bus_type);
	if (err)
		return err;

	vnic_bus_attrs = attrs;
	for (n = 0; attrs[n]; n++) {
		err = bus_create_file(&vnic_bus_type, attrs[n]);
		if (err)
			goto abort_with_files;
	}

	vnic_bus_root = root_device_register("vnic");
	if (IS_ERR(vnic_bus_root)) {
		err = PTR_ERR(vnic_bus_root);
		goto abort_with_files;
	}
	/* The root maps page pools' buffers: see vnic_bus_dma_dev(). */
	vnic_bus_root->dma_mask = &vnic_bus_root->coherent_dma_mask;
	err = dma_set_mask_and_coherent(vnic_bus_root, DMA_BIT_MASK(64));
	if (err)
		goto abort_with_root;
	return 0;

abort_with_root:
	root_device_unregister(vnic_bus_root);
abort_with_files:
	vnic_bus_remove_files(n);
	bus_unregister(&vnic_bus_type);
	return err;
}

/**
 * vnic_bus_dma_dev - the device to map a function's pooled RX buffers with
 * @bdev: the function
 *
 * A page_pool that maps its pages may hold a reference on its device until
 * the last of them comes home (6.1's does), and that can be after vnic.ko is
 * gone: a page may wait in a socket or on a CPU's skb defer list. The final
 * put_device() then runs the device's release. A PCI function's struct
 * device belongs to the PCI core, so a real driver never meets this; ours
 * belongs to the bus in this module, and its release would run in freed
 * module text. The bus root's release is the driver core's own
 * (root_device_release()), and the root reaches the same DMA (direct, or
 * swiotlb's bounce buffers) as its children, so the card sees the same
 * addresses. Every map, sync and unmap of a pooled page must use it.
 * (@bdev is the root's child; the root serves every function alike.)
 *
 * Return: the bus root device, with a 64-bit DMA mask.
 */
struct device *vnic_bus_dma_dev(struct vnic_bus_dev *bdev)
{
	return vnic_bus_root;
}

/**
 * vnic_bus_exit - unregister the root device, the attributes and the bus type
 */
void vnic_bus_exit(void)
{
	unsigned int n = 0;

	root_device_unregister(vnic_bus_root);
	while (vnic_bus_attrs[n])
		n++;
	vnic_bus_remove_files(n);
	bus_unregister(&vnic_bus_type);
}
