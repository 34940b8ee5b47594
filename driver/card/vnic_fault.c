// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: a port of the card can lose interrupts, fail DMA, stall
 * its TX engines, lose its link and receive damaged frames, on demand, so
 * that a driver's recovery paths can be exercised (in the manner of
 * netdevsim). The knobs are debugfs files in the port's directory,
 * /sys/kernel/debug/vnic/<card>/<port>/; README.md lists them.
 *
 * The data paths look at the knobs with a READ_ONCE() or two (the inline
 * checks in vnic_card_priv.h) and come here only when one is armed. A
 * "next N" knob is taken one at a time with a cmpxchg loop, a rate is a
 * chance per million drawn from get_random_u32_below(). What was injected
 * is counted in the read-only file "faults".
 *
 * The knobs live in struct vnic_port and their files go before the port's
 * memory does (vnic_card_destroy() removes the debugfs tree first, and
 * debugfs waits for a file's users), so they are safe to touch at any
 * time, with the interface down or the card going away.
 */
#include <linux/bits.h>
#include <linux/debugfs.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "vnic_card_priv.h"

#define VNIC_FAULT_PER_MILLION	1000000

/* Take one from a "next N" knob, if it is not zero. */
static bool vnic_card_fault_take(u32 *next)
{
	u32 n = READ_ONCE(*next);

	do {
		if (!n)
			return false;
	} while (!try_cmpxchg(next, &n, n - 1));
	return true;
}

static bool vnic_card_fault_chance(u32 rate)
{
	return rate && get_random_u32_below(VNIC_FAULT_PER_MILLION) < rate;
}

/**
 * vnic_card_fault_lose_irq - is this interrupt of the port to be lost?
 * @port: the port
 *
 * The irq_drop_next and irq_drop_rate knobs. Hard IRQ context.
 *
 * Return: true to lose it.
 */
bool vnic_card_fault_lose_irq(struct vnic_port *port)
{
	struct vnic_fault *f = &port->fault;

	if (!vnic_card_fault_take(&f->irq_drop_next) &&
	    !vnic_card_fault_chance(READ_ONCE(f->irq_drop_rate)))
		return false;
	atomic_inc(&f->irqs_lost);
	return true;
}

/**
 * vnic_card_fault_tx_dma - is this TX packet to fail with DMA_ERR?
 * @port: the sending port
 *
 * The tx_dma_err_next knob.
 *
 * Return: true to fail it.
 */
bool vnic_card_fault_tx_dma(struct vnic_port *port)
{
	struct vnic_fault *f = &port->fault;

	if (!vnic_card_fault_take(&f->tx_dma_err_next))
		return false;
	atomic_inc(&f->tx_dma_errs);
	return true;
}

/**
 * vnic_card_fault_rx_dma - is this received frame's DMA to fail?
 * @port: the receiving port
 *
 * The rx_dma_err_next knob. The frame then takes its buffer and reports
 * DMA_ERR in its RCQ entry.
 *
 * Return: true to fail it.
 */
bool vnic_card_fault_rx_dma(struct vnic_port *port)
{
	struct vnic_fault *f = &port->fault;

	if (!vnic_card_fault_take(&f->rx_dma_err_next))
		return false;
	atomic_inc(&f->rx_dma_errs);
	return true;
}

/*
 * A copy of the frame with one bit flipped where the L4 checksum covers it,
 * past the first 8 bytes of the L4 header: the ports (so RSS steers it as
 * before) and, for UDP, the length and the checksum field (a zero there
 * would mean "no checksum" and hide the damage). NULL if the frame has no
 * such byte or no memory can be had.
 */
static u8 *vnic_card_fault_flip_l4(const u8 *frame, u32 len)
{
	u32 start, end, off;
	u8 *copy;

	if (!vnic_card_rx_l4_span(frame, len, &start, &end) || end - start <= 8)
		return NULL;
	copy = kmemdup(frame, len, GFP_ATOMIC | __GFP_NOWARN);
	if (!copy)
		return NULL;
	off = start + 8 + get_random_u32_below(end - start - 8);
	copy[off] ^= BIT(get_random_u32_below(BITS_PER_BYTE));
	return copy;
}

/**
 * vnic_card_fault_rx - a frame arrives at a port whose wire damages frames
 * @port: the receiving port
 * @frame: the frame
 * @len: its length
 * @ws: the L4 sum the sender computed, or NULL
 * @pause: the sender obeys this port's pause frames
 *
 * The rx_corrupt_fcs_rate, rx_truncate_rate and rx_corrupt_csum_rate
 * knobs, in that order, at most one per frame. A bad FCS drops the frame
 * (STAT_RX_FCS_ERR). A truncated frame goes on shorter, to meet the runt
 * check or, its IP length now beyond its end, a NONE checksum verdict. A
 * corrupted frame goes on with a bit flipped, and its verdict is computed
 * from its bytes, never from the sender's sum, so it is BAD. None is ever
 * delivered as good. A frame that cannot be corrupted (no L4 checksum, or
 * no memory for a copy) goes through unharmed.
 *
 * Return: as vnic_card_mac_rx().
 */
bool vnic_card_fault_rx(struct vnic_port *port, const u8 *frame, u32 len,
			const struct vnic_wire_sum *ws, bool pause)
{
	struct vnic_fault *f = &port->fault;
	bool taken;
	u8 *copy;

	if (vnic_card_fault_chance(READ_ONCE(f->rx_corrupt_fcs_rate))) {
		atomic_inc(&f->rx_bad_fcs);
		vnic_card_port_count(port, VNIC_STAT_RX_FCS_ERR);
		return true;
	}
	if (len > 1 && vnic_card_fault_chance(READ_ONCE(f->rx_truncate_rate))) {
		atomic_inc(&f->rx_truncated);
		return vnic_card_mac_rx(port, frame, 1 + get_random_u32_below(len - 1),
				   NULL, pause);
	}
	if (!vnic_card_fault_chance(READ_ONCE(f->rx_corrupt_csum_rate)))
		return vnic_card_mac_rx(port, frame, len, ws, pause);

	copy = vnic_card_fault_flip_l4(frame, len);
	if (!copy)
		return vnic_card_mac_rx(port, frame, len, ws, pause);
	atomic_inc(&f->rx_bad_csum);
	taken = vnic_card_mac_rx(port, copy, len, NULL, pause);
	kfree(copy);
	return taken;
}

/**
 * vnic_card_fault_set_tx_stall - stall or release the port's TX engines
 * @port: the port
 * @stall: stall (else release)
 *
 * Released engines pick up what was posted meanwhile. Process context.
 */
void vnic_card_fault_set_tx_stall(struct vnic_port *port, bool stall)
{
	unsigned int i;

	WRITE_ONCE(port->fault.tx_stall, stall);
	if (stall)
		return;
	for (i = 0; i < port->num_txqs; i++)
		vnic_card_txq_schedule(&port->txq[i]);
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_fault_set_tx_stall);

/**
 * vnic_card_fault_reset - what CTRL.RESET does to the faults: a TX stall ends
 * @port: the port
 *
 * The other knobs belong to whoever injects faults, and stay.
 */
void vnic_card_fault_reset(struct vnic_port *port)
{
	WRITE_ONCE(port->fault.tx_stall, false);
}

static int vnic_card_fault_tx_stall_get(void *data, u64 *val)
{
	struct vnic_port *port = data;

	*val = READ_ONCE(port->fault.tx_stall);
	return 0;
}

static int vnic_card_fault_tx_stall_set(void *data, u64 val)
{
	if (val > 1)
		return -EINVAL;
	vnic_card_fault_set_tx_stall(data, val);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(vnic_card_fault_tx_stall_fops, vnic_card_fault_tx_stall_get,
			 vnic_card_fault_tx_stall_set, "%llu\n");

static int vnic_card_fault_link_get(void *data, u64 *val)
{
	struct vnic_port *port = data;

	*val = READ_ONCE(port->card->link_up);
	return 0;
}

static int vnic_card_fault_link_set(void *data, u64 val)
{
	struct vnic_port *port = data;

	if (val > 1)
		return -EINVAL;
	vnic_card_set_link(port->card, val);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(vnic_card_fault_link_fops, vnic_card_fault_link_get,
			 vnic_card_fault_link_set, "%llu\n");

static int vnic_card_fault_counts_show(struct seq_file *s, void *unused)
{
	struct vnic_port *port = s->private;
	struct vnic_fault *f = &port->fault;

	seq_printf(s, "irqs_lost %u\n", atomic_read(&f->irqs_lost));
	seq_printf(s, "tx_dma_errs %u\n", atomic_read(&f->tx_dma_errs));
	seq_printf(s, "rx_dma_errs %u\n", atomic_read(&f->rx_dma_errs));
	seq_printf(s, "rx_bad_fcs %u\n", atomic_read(&f->rx_bad_fcs));
	seq_printf(s, "rx_bad_csum %u\n", atomic_read(&f->rx_bad_csum));
	seq_printf(s, "rx_truncated %u\n", atomic_read(&f->rx_truncated));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vnic_card_fault_counts);

/**
 * vnic_card_fault_debugfs_init - create the port's fault knobs
 * @port: the port, whose debugfs directory exists
 *
 * Units: "_next" knobs count events, "_rate" knobs are chances per
 * million, "tx_stall" and "link" are 0 or 1.
 */
void vnic_card_fault_debugfs_init(struct vnic_port *port)
{
	struct vnic_fault *f = &port->fault;
	struct dentry *dir = port->debugfs;

	debugfs_create_u32("irq_drop_next", 0600, dir, &f->irq_drop_next);
	debugfs_create_u32("irq_drop_rate", 0600, dir, &f->irq_drop_rate);
	debugfs_create_u32("tx_dma_err_next", 0600, dir, &f->tx_dma_err_next);
	debugfs_create_u32("rx_dma_err_next", 0600, dir, &f->rx_dma_err_next);
	debugfs_create_u32("rx_corrupt_fcs_rate", 0600, dir, &f->rx_corrupt_fcs_rate);
	debugfs_create_u32("rx_corrupt_csum_rate", 0600, dir, &f->rx_corrupt_csum_rate);
	debugfs_create_u32("rx_truncate_rate", 0600, dir, &f->rx_truncate_rate);
	debugfs_create_file_unsafe("tx_stall", 0600, dir, port, &vnic_card_fault_tx_stall_fops);
	debugfs_create_file_unsafe("link", 0600, dir, port, &vnic_card_fault_link_fops);
	debugfs_create_file("faults", 0400, dir, port, &vnic_card_fault_counts_fops);
}
