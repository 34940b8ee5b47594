/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vnic bus: the part that plays the PCI core. The card plugs its
 * functions (one per port) into it as struct vnic_bus_dev, each with a BAR0
 * and a set of interrupt vectors; the driver binds to them through an id
 * table, as a pci_driver does. BAR0 accesses go through vnic_bar_read32()
 * and vnic_bar_write32(), the bus's readl()/writel(): like MMIO, a write can
 * have side effects inside the card.
 */
#ifndef _VNIC_BUS_H_
#define _VNIC_BUS_H_

#include <linux/device.h>
#include <linux/mod_devicetable.h>
#include <linux/types.h>

#include "vnic_compat.h"
#include "vnic_hw.h"

/**
 * struct vnic_bar_ops - how BAR0 accesses reach the card
 * @read: return the 32-bit register at byte offset @off
 * @write: store @val in the register at @off, with its side effects
 *
 * Both may be called from any context, including hard IRQ, and never sleep.
 */
struct vnic_bar_ops {
	u32 (*read)(void *priv, u32 off);
	void (*write)(void *priv, u32 off, u32 val);
};

/**
 * struct vnic_bar - a mapped BAR0
 * @ops: the card's register access handlers
 * @priv: the card's context for @ops
 */
struct vnic_bar {
	const struct vnic_bar_ops *ops;
	void *priv;
};

static inline u32 vnic_bar_read32(const struct vnic_bar *bar, u32 off)
{
	return bar->ops->read(bar->priv, off);
}

static inline void vnic_bar_write32(const struct vnic_bar *bar, u32 off, u32 val)
{
	bar->ops->write(bar->priv, off, val);
}

/**
 * struct vnic_bus_dev - one function of a card on the vnic bus
 * @dev: the driver-model device; DMA-capable
 * @vendor: vendor id, as in the card's VNIC_REG_ID
 * @device: device id
 * @card_id: number of the card this function belongs to
 * @func: function (port) number on the card
 * @bar: BAR0
 * @num_irqs: number of interrupt vectors
 * @irqs: Linux IRQ number of each vector
 * @dma_mask: storage for @dev's DMA mask
 */
struct vnic_bus_dev {
	struct device dev;
	u16 vendor;
	u16 device;
	u32 card_id;
	u32 func;
	struct vnic_bar bar;
	unsigned int num_irqs;
	unsigned int irqs[VNIC_HW_MAX_VECTORS];
	u64 dma_mask;
};

static inline struct vnic_bus_dev *to_vnic_bus_dev(struct device *dev)
{
	return container_of(dev, struct vnic_bus_dev, dev);
}

/**
 * struct vnic_bus_device_id - an entry of a driver's id table
 * @vendor: vendor id to match
 * @device: device id to match
 */
struct vnic_bus_device_id {
	u16 vendor;
	u16 device;
};

/**
 * struct vnic_bus_driver - a driver for functions on the vnic bus
 * @id_table: the devices it binds to, ended by a zero entry
 * @probe: bind to a function
 * @remove: unbind; undo everything @probe did
 * @driver: the driver-model driver
 */
struct vnic_bus_driver {
	const struct vnic_bus_device_id *id_table;
	int (*probe)(struct vnic_bus_dev *bdev, const struct vnic_bus_device_id *id);
	void (*remove)(struct vnic_bus_dev *bdev);
	struct device_driver driver;
};

int vnic_bus_init(struct bus_attribute *const *attrs);
void vnic_bus_exit(void);
int vnic_bus_driver_register(struct vnic_bus_driver *bdrv);
void vnic_bus_driver_unregister(struct vnic_bus_driver *bdrv);
int vnic_bus_dev_add(struct vnic_bus_dev *bdev);
void vnic_bus_dev_del(struct vnic_bus_dev *bdev);
struct device *vnic_bus_dma_dev(struct vnic_bus_dev *bdev);

/**
 * vnic_bus_irq_vector - Linux IRQ number of a function's vector
 * @bdev: the function
 * @vec: vector index, below @bdev->num_irqs
 *
 * The counterpart of pci_irq_vector().
 *
 * Return: the IRQ number, or -EINVAL if @vec is out of range.
 */
static inline int vnic_bus_irq_vector(struct vnic_bus_dev *bdev, unsigned int vec)
{
	if (vec >= bdev->num_irqs)
		return -EINVAL;
	return bdev->irqs[vec];
}

#endif /* _VNIC_BUS_H_ */
