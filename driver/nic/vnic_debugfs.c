// SPDX-License-Identifier: GPL-2.0
/*
 * The driver's own debugfs, as fbnic and gve have one: the rings as the
 * driver sees them, and faults on the driver's side of the contract.
 *
 *   /sys/kernel/debug/vnic_driver/<bus device>/
 *     rings               per queue: next_to_use, next_to_clean, completion
 *                         index and phase of the TX and RX rings (read-only)
 *     tx_bad_desc_next    post the next N TX packets with a zero-length
 *                         first descriptor: the card must refuse them
 *                         (TX_DESC_ERR) and carry on
 *     rx_alloc_fail_next  fail the next N RX buffer allocations, as if
 *                         memory ran out: the ring runs dry, the refill is
 *                         counted as alloc_fail and retried
 *     napi_release_delay_us
 *                         after a poll gives its NAPI up, hold the CPU this
 *                         long (0-1000 us) before returning, as an
 *                         interrupt or a hypervisor would: a poll that
 *                         touched its rings after napi_complete_done()
 *                         would then meet their teardown every time
 *
 * The card's own state and its faults are elsewhere, under
 * /sys/kernel/debug/vnic/<card>/<port>/ (driver/card/).
 */

#include <linux/debugfs.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>

#include "vnic.h"

static struct dentry *vnic_dbg_root;

static void vnic_dbg_ring(struct seq_file *s, const char *name, const struct vnic_ring *ring)
{
	seq_printf(s, "  %s: size %u next_to_use %u next_to_clean %u unused %u cmpl_idx %u phase %u\n",
		   name, ring->size, ring->next_to_use, ring->next_to_clean,
		   vnic_desc_unused(ring), ring->cmpl_idx, ring->phase);
}

static int vnic_dbg_rings_show(struct seq_file *s, void *unused)
{
	struct vnic_dev *vd = s->private;
	unsigned int q;

	/* The rings change under reconfiguration, which holds the RTNL. */
	rtnl_lock();
	seq_printf(s, "%s: %s, %u queue pairs\n", netdev_name(vd->netdev),
		   vd->running ? "running" : "down", vd->num_queues);
	for (q = 0; vd->running && q < vd->num_queues; q++) {
		const struct vnic_napi_vector *nv = vd->nv[q];

		seq_printf(s, "queue %u (irq %d):\n", q, nv->irq);
		vnic_dbg_ring(s, "tx", &nv->tx);
		vnic_dbg_ring(s, "rx", &nv->rx);
		if (nv->xdp_tx.desc)
			vnic_dbg_ring(s, "xdp", &nv->xdp_tx);
	}
	rtnl_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vnic_dbg_rings);

/**
 * vnic_dbg_fault - consume one injected fault, if any is pending
 * @count: the knob
 *
 * Return: true if the caller should fail this time.
 */
bool vnic_dbg_fault(atomic_t *count)
{
	return unlikely(atomic_read(count)) && atomic_dec_if_positive(count) >= 0;
}

/**
 * vnic_add_debugfs - create the device's directory
 * @vd: the device, registered
 */
void vnic_add_debugfs(struct vnic_dev *vd)
{
	vd->dbg = debugfs_create_dir(dev_name(&vd->bdev->dev), vnic_dbg_root);
	debugfs_create_file("rings", 0400, vd->dbg, vd, &vnic_dbg_rings_fops);
	debugfs_create_atomic_t("tx_bad_desc_next", 0600, vd->dbg, &vd->fault_tx_bad_desc);
	debugfs_create_atomic_t("rx_alloc_fail_next", 0600, vd->dbg, &vd->fault_rx_alloc);
	debugfs_create_u32("napi_release_delay_us", 0600, vd->dbg, &vd->dbg_napi_release_delay);
}

/**
 * vnic_del_debugfs - remove the device's directory
 * @vd: the device
 *
 * Call without the RTNL: "rings" takes it, and removal waits for readers.
 */
void vnic_del_debugfs(struct vnic_dev *vd)
{
	debugfs_remove_recursive(vd->dbg);
	vd->dbg = NULL;
}

void vnic_debugfs_init(void)
{
	vnic_dbg_root = debugfs_create_dir("vnic_driver", NULL);
}

void vnic_debugfs_exit(void)
{
	debugfs_remove_recursive(vnic_dbg_root);
	vnic_dbg_root = NULL;
}
