// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated card: its life cycle (create, plug into the vnic bus,
 * unplug, destroy) and the debugfs view of its state under
 * /sys/kernel/debug/vnic/<card>/<port>/. The register file behind each
 * port's BAR0 is in vnic_regs.c.
 */
#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/interrupt.h>
#include <linux/minmax.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "vnic_compat.h"
#include "vnic_card_priv.h"

/* Protects vnic_debugfs_root and vnic_debugfs_users. */
static DEFINE_MUTEX(vnic_debugfs_lock);
static struct dentry *vnic_debugfs_root;
static unsigned int vnic_debugfs_users;

static const char * const vnic_stat_names[VNIC_STAT_NUM] = {
	[VNIC_STAT_RX_MISSED]	= "rx_missed",
	[VNIC_STAT_RX_RUNT]	= "rx_runt",
	[VNIC_STAT_RX_OVERSIZE]	= "rx_oversize",
	[VNIC_STAT_RX_FILTERED]	= "rx_filtered",
	[VNIC_STAT_RX_FRAMES]	= "rx_frames",
	[VNIC_STAT_TX_FRAMES]	= "tx_frames",
	[VNIC_STAT_TX_DESC_ERR]	= "tx_desc_err",
	[VNIC_STAT_RX_DESC_ERR]	= "rx_desc_err",
	[VNIC_STAT_TX_NO_LINK]	= "tx_no_link",
	[VNIC_STAT_IRQS]	= "irqs",
	[VNIC_STAT_TX_PAUSED]	= "tx_paused",
	[VNIC_STAT_RX_FCS_ERR]	= "rx_fcs_err",
	[VNIC_STAT_TX_PAUSE_FRAMES] = "tx_pause_frames",
	[VNIC_STAT_RX_PAUSE_FRAMES] = "rx_pause_frames",
	[VNIC_STAT_TX_OCTETS]	= "tx_octets",
	[VNIC_STAT_RX_OCTETS]	= "rx_octets",
	[VNIC_STAT_TX_MCAST]	= "tx_mcast",
	[VNIC_STAT_TX_BCAST]	= "tx_bcast",
	[VNIC_STAT_RX_MCAST]	= "rx_mcast",
	[VNIC_STAT_RX_BCAST]	= "rx_bcast",
	[VNIC_STAT_RX_HIST + 0]	= "rx_64",
	[VNIC_STAT_RX_HIST + 1]	= "rx_65_127",
	[VNIC_STAT_RX_HIST + 2]	= "rx_128_255",
	[VNIC_STAT_RX_HIST + 3]	= "rx_256_511",
	[VNIC_STAT_RX_HIST + 4]	= "rx_512_1023",
	[VNIC_STAT_RX_HIST + 5]	= "rx_1024_1518",
	[VNIC_STAT_RX_HIST + 6]	= "rx_1519_2047",
	[VNIC_STAT_RX_HIST + 7]	= "rx_2048_4095",
	[VNIC_STAT_RX_HIST + 8]	= "rx_4096_9224",
	[VNIC_STAT_TX_HIST + 0]	= "tx_64",
	[VNIC_STAT_TX_HIST + 1]	= "tx_65_127",
	[VNIC_STAT_TX_HIST + 2]	= "tx_128_255",
	[VNIC_STAT_TX_HIST + 3]	= "tx_256_511",
	[VNIC_STAT_TX_HIST + 4]	= "tx_512_1023",
	[VNIC_STAT_TX_HIST + 5]	= "tx_1024_1518",
	[VNIC_STAT_TX_HIST + 6]	= "tx_1519_2047",
	[VNIC_STAT_TX_HIST + 7]	= "tx_2048_4095",
	[VNIC_STAT_TX_HIST + 8]	= "tx_4096_9224",
};

/* The names above cover every bucket. */
static_assert(VNIC_HW_RMON_BUCKETS == 9);

static int vnic_card_port_state_show(struct seq_file *s, void *unused)
{
	struct vnic_port *port = s->private;
	unsigned int i;

	seq_printf(s, "card %u port %u link %s ctrl 0x%x\n", port->card->id,
		   port->idx, READ_ONCE(port->card->link_up) ? "up" : "down",
		   READ_ONCE(port->ctrl));
	seq_printf(s, "mac %08x:%04x max_frame %u rx_mode 0x%x mc_hash %016llx\n",
		   READ_ONCE(port->mac_lo), READ_ONCE(port->mac_hi),
		   READ_ONCE(port->max_frame), READ_ONCE(port->rx_mode),
		   READ_ONCE(port->mc_hash));
	seq_printf(s, "speed %u flow_ctrl 0x%x rss_ctrl 0x%x misc_cause 0x%x\n",
		   READ_ONCE(port->speed), READ_ONCE(port->flow_ctrl),
		   READ_ONCE(port->rss_ctrl), READ_ONCE(port->misc_cause));
	seq_printf(s, "link_ctrl 0x%x advertise 0x%x partner 0x%x status 0x%x rate %u\n",
		   READ_ONCE(port->link_ctrl), READ_ONCE(port->link_adv),
		   READ_ONCE(port->link_partner), READ_ONCE(port->link_status),
		   vnic_card_wire_rate(port));

	for (i = 0; i < port->num_queues; i++) {
		struct vnic_txq *txq = &port->txq[i];
		struct vnic_rxq *rxq = &port->rxq[i];

		seq_printf(s, "txq%u %s%s size %u head %u tail %u cmpl %u phase %u errs %u vec %u\n",
			   i, READ_ONCE(txq->enabled) ? "on" : "off",
			   READ_ONCE(txq->cfg_err) ? " cfg_err" : "",
			   READ_ONCE(txq->size), READ_ONCE(txq->head),
			   READ_ONCE(txq->tail), READ_ONCE(txq->cmpl_idx),
			   READ_ONCE(txq->phase), atomic_read(&txq->errs),
			   READ_ONCE(port->q_vec[i]));
		seq_printf(s, "rxq%u %s%s size %u head %u tail %u phase %u errs %u\n",
			   i, READ_ONCE(rxq->enabled) ? "on" : "off",
			   READ_ONCE(rxq->cfg_err) ? " cfg_err" : "",
			   READ_ONCE(rxq->size), READ_ONCE(rxq->head),
			   READ_ONCE(rxq->tail), READ_ONCE(rxq->phase),
			   atomic_read(&rxq->errs));
	}

	for (i = port->num_queues; i < port->num_txqs; i++) {
		struct vnic_txq *txq = &port->txq[i];

		seq_printf(s, "xdpq%u %s%s size %u head %u tail %u cmpl %u phase %u errs %u vec %u\n",
			   i - port->num_queues, READ_ONCE(txq->enabled) ? "on" : "off",
			   READ_ONCE(txq->cfg_err) ? " cfg_err" : "",
			   READ_ONCE(txq->size), READ_ONCE(txq->head),
			   READ_ONCE(txq->tail), READ_ONCE(txq->cmpl_idx),
			   READ_ONCE(txq->phase), atomic_read(&txq->errs),
			   READ_ONCE(port->q_vec[i]));
	}

	for (i = 0; i < port->num_vecs; i++) {
		struct vnic_vec *vec = &port->vec[i];
		struct vnic_itr itr;
		unsigned long flags;

		spin_lock_irqsave(&vec->lock, flags);
		itr = vec->itr;
		spin_unlock_irqrestore(&vec->lock, flags);
		seq_printf(s, "vec%u irq %u%s%s rx %u us/%u fr tx %u us/%u fr pending rx %u tx %u\n",
			   i, vec->virq, itr.masked ? " masked" : "",
			   itr.cause ? " cause" : "", itr.rx_usecs, itr.rx_frames,
			   itr.tx_usecs, itr.tx_frames, itr.rx_pending,
			   itr.tx_pending);
	}

	for (i = 0; i < VNIC_STAT_NUM; i++)
		seq_printf(s, "%s %u\n", vnic_stat_names[i],
			   atomic_read(&port->stats[i]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vnic_card_port_state);

static void vnic_card_regs_show_range(struct seq_file *s, struct vnic_port *port,
				      u32 start, u32 end)
{
	u32 off;

	for (off = start; off < end; off += 4)
		seq_printf(s, "0x%04x 0x%08x\n", off, vnic_card_reg_read(port, off));
}

static int vnic_card_port_regs_show(struct seq_file *s, void *unused)
{
	struct vnic_port *port = s->private;
	unsigned int bank;

	/* Reads have no side effects, so every readable register is shown. */
	vnic_card_regs_show_range(s, port, VNIC_REG_ID, VNIC_REG_RSS_CTRL + 4);
	vnic_card_regs_show_range(s, port, VNIC_REG_LINK_SUPPORTED, VNIC_REG_LINK_END);
	vnic_card_regs_show_range(s, port, VNIC_REG_MISC_CAUSE, VNIC_REG_MISC_CAUSE + 4);
	for (bank = 0; bank * VNIC_INT_BANK_VECS < port->num_vecs; bank++)
		vnic_card_regs_show_range(s, port, VNIC_REG_INT_CAUSE(bank),
					  VNIC_REG_INT_MASK(bank) + 4);
	vnic_card_regs_show_range(s, port, VNIC_REG_ITR_BASE,
				  VNIC_REG_ITR_BASE + port->num_vecs * VNIC_REG_ITR_STRIDE);
	vnic_card_regs_show_range(s, port, VNIC_REG_STAT_BASE, VNIC_REG_STAT_END);
	vnic_card_regs_show_range(s, port, VNIC_REG_RSS_KEY(0),
				  VNIC_REG_RSS_KEY(VNIC_RSS_KEY_SIZE / 4));
	vnic_card_regs_show_range(s, port, VNIC_REG_RSS_INDIR(0),
				  VNIC_REG_RSS_INDIR(VNIC_RSS_INDIR_SIZE / 4));
	vnic_card_regs_show_range(s, port, VNIC_REG_Q_BASE,
				  VNIC_REG_Q(port->num_queues, 0));
	vnic_card_regs_show_range(s, port, VNIC_REG_XDPQ_BASE,
				  VNIC_REG_XDPQ(port->num_txqs - port->num_queues, 0));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vnic_card_port_regs);

/*
 * debugfs: vnic/<card>/<port>/{state,regs}, and the fault knobs next to
 * them (vnic_fault.c).
 */
static void vnic_card_debugfs_init(struct vnic_card *card)
{
	char name[16];
	unsigned int p;

	mutex_lock(&vnic_debugfs_lock);
	if (!vnic_debugfs_users++)
		vnic_debugfs_root = debugfs_create_dir("vnic", NULL);
	mutex_unlock(&vnic_debugfs_lock);

	snprintf(name, sizeof(name), "%u", card->id);
	card->debugfs = debugfs_create_dir(name, vnic_debugfs_root);
	for (p = 0; p < VNIC_CARD_PORTS; p++) {
		struct vnic_port *port = &card->port[p];

		snprintf(name, sizeof(name), "%u", p);
		port->debugfs = debugfs_create_dir(name, card->debugfs);
		debugfs_create_file("state", 0400, port->debugfs, port,
				    &vnic_card_port_state_fops);
		debugfs_create_file("regs", 0400, port->debugfs, port,
				    &vnic_card_port_regs_fops);
		vnic_card_fault_debugfs_init(port);
	}
}

static void vnic_card_debugfs_exit(struct vnic_card *card)
{
	debugfs_remove_recursive(card->debugfs);
	card->debugfs = NULL;

	mutex_lock(&vnic_debugfs_lock);
	if (!--vnic_debugfs_users) {
		debugfs_remove(vnic_debugfs_root);
		vnic_debugfs_root = NULL;
	}
	mutex_unlock(&vnic_debugfs_lock);
}

static void vnic_card_port_free(struct vnic_port *port)
{
	unsigned int i;

	if (port->vec)
		for (i = 0; i < port->num_vecs; i++)
			vnic_card_vec_free(&port->vec[i]);
	if (port->txq)
		for (i = 0; i < port->num_txqs; i++)
			vnic_card_txq_free(&port->txq[i]);
	kfree(port->vec);
	kfree(port->rxq);
	kfree(port->txq);
	vnic_card_steer_free(port);
	port->vec = NULL;
	port->rxq = NULL;
	port->txq = NULL;
}

/* On error the caller undoes what was done with vnic_card_port_free(). */
static int vnic_card_port_init(struct vnic_card *card, struct vnic_port *port,
			       unsigned int idx, const struct vnic_card_config *cfg)
{
	unsigned int i;
	int err;

	port->card = card;
	port->idx = idx;
	spin_lock_init(&port->reg_lock);
	spin_lock_init(&port->rate_lock);
	port->speed = cfg->speed;
	port->platform_data = cfg->platform_data[idx];
	port->num_queues = cfg->num_queues;
	port->num_txqs = cfg->num_queues +
			 (cfg->xdp_txqs ? min(cfg->xdp_txqs, cfg->num_queues) : cfg->num_queues);
	port->num_vecs = cfg->num_queues + 1;
	port->perm_addr[0] = 0x02;	/* locally administered */
	port->perm_addr[1] = 0x76;	/* 'v' */
	port->perm_addr[2] = 0x6e;	/* 'n' */
	port->perm_addr[3] = card->id >> 8;
	port->perm_addr[4] = card->id & 0xff;
	port->perm_addr[5] = idx;
	port->bar.ops = &vnic_bar_ops;
	port->bar.priv = port;

	port->txq = kcalloc(port->num_txqs, sizeof(*port->txq), GFP_KERNEL);
	port->rxq = kcalloc(port->num_queues, sizeof(*port->rxq), GFP_KERNEL);
	port->vec = kcalloc(port->num_vecs, sizeof(*port->vec), GFP_KERNEL);
	if (!port->txq || !port->rxq || !port->vec)
		return -ENOMEM;
	err = vnic_card_steer_init(port);
	if (err)
		return err;

	for (i = 0; i < port->num_txqs; i++) {
		err = vnic_card_txq_init(port, &port->txq[i], i);
		if (err)
			return err;
	}
	for (i = 0; i < port->num_queues; i++)
		vnic_card_rxq_init(port, &port->rxq[i], i);
	for (i = 0; i < port->num_vecs; i++) {
		err = vnic_card_vec_init(port, &port->vec[i], i);
		if (err)
			return err;
	}
	vnic_card_port_reset(port);
	return 0;
}

/**
 * vnic_card_create - build a card with two ports cabled back to back
 * @cfg: card number, queue pairs per port, wire speed
 *
 * The card is reset, its link up (both ports enabled, autonegotiating
 * every mode), and it is not on the bus yet.
 *
 * Return: the card, or an ERR_PTR(): -EINVAL for a bad @cfg, -ENOMEM.
 */
struct vnic_card *vnic_card_create(const struct vnic_card_config *cfg)
{
	struct vnic_card *card;
	unsigned int p;
	int err;

	if (!cfg->num_queues || cfg->num_queues > VNIC_HW_MAX_QUEUES ||
	    cfg->id > U16_MAX)
		return ERR_PTR(-EINVAL);

	card = kzalloc(sizeof(*card), GFP_KERNEL);
	if (!card)
		return ERR_PTR(-ENOMEM);
	card->id = cfg->id;
	card->num_queues = cfg->num_queues;
	card->engine_local = cfg->engine_local;
	spin_lock_init(&card->link_lock);
	card->link_up = true;

	card->engine_wq = vnic_bh_wq_alloc("vnic_engine", card->id);
	if (!card->engine_wq) {
		err = -ENOMEM;
		goto abort_with_card;
	}
	err = vnic_card_irq_domain_create(card);
	if (err)
		goto abort_with_card;

	for (p = 0; p < VNIC_CARD_PORTS; p++) {
		err = vnic_card_port_init(card, &card->port[p], p, cfg);
		if (err)
			goto abort_with_ports;
	}
	vnic_card_link_init(card);
	vnic_card_debugfs_init(card);
	return card;

abort_with_ports:
	for (p = 0; p < VNIC_CARD_PORTS; p++)
		vnic_card_port_free(&card->port[p]);
	vnic_card_irq_domain_destroy(card);
abort_with_card:
	vnic_bh_wq_free(card->engine_wq);
	kfree(card);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_create);

/**
 * vnic_card_destroy - unplug the card if needed and free it
 * @card: the card, or an ERR_PTR() or NULL (nothing is done)
 *
 * Nothing of the card runs afterwards: queues are disabled, the engine's
 * work and timers cancelled, interrupt deliveries finished and the IRQs
 * disposed of. Process context.
 */
void vnic_card_destroy(struct vnic_card *card)
{
	unsigned int p, i;

	if (IS_ERR_OR_NULL(card))
		return;

	vnic_card_unplug(card);
	vnic_card_debugfs_exit(card);

	/* First stop every engine, so none can reach the other port. */
	for (p = 0; p < VNIC_CARD_PORTS; p++)
		vnic_card_port_reset(&card->port[p]);
	for (p = 0; p < VNIC_CARD_PORTS; p++) {
		struct vnic_port *port = &card->port[p];

		for (i = 0; i < port->num_txqs; i++)
			vnic_card_txq_quiesce(&port->txq[i]);
		for (i = 0; i < port->num_vecs; i++)
			vnic_card_vec_quiesce(&port->vec[i]);
	}

	for (p = 0; p < VNIC_CARD_PORTS; p++)
		vnic_card_port_free(&card->port[p]);
	vnic_card_irq_domain_destroy(card);
	vnic_bh_wq_free(card->engine_wq);
	kfree(card);
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_destroy);

static void vnic_card_bus_dev_release(struct device *dev)
{
	kfree(to_vnic_bus_dev(dev));
}

static int vnic_card_port_plug(struct vnic_port *port)
{
	struct vnic_bus_dev *bdev;
	unsigned int i;
	int err;

	bdev = kzalloc(sizeof(*bdev), GFP_KERNEL);
	if (!bdev)
		return -ENOMEM;
	bdev->vendor = VNIC_VENDOR_ID;
	bdev->device = VNIC_DEVICE_ID;
	bdev->card_id = port->card->id;
	bdev->func = port->idx;
	bdev->bar = port->bar;
	bdev->num_irqs = port->num_vecs;
	for (i = 0; i < port->num_vecs; i++)
		bdev->irqs[i] = port->vec[i].virq;
	bdev->dma_mask = DMA_BIT_MASK(64);
	bdev->dev.dma_mask = &bdev->dma_mask;
	bdev->dev.coherent_dma_mask = DMA_BIT_MASK(64);
	bdev->dev.release = vnic_card_bus_dev_release;
	bdev->dev.platform_data = port->platform_data;
	err = dev_set_name(&bdev->dev, "vnic-c%up%u", port->card->id, port->idx);
	if (err) {
		kfree(bdev);
		return err;
	}

	err = vnic_bus_dev_add(bdev);
	if (err) {
		put_device(&bdev->dev);
		return err;
	}
	port->bdev = bdev;
	return 0;
}

static void vnic_card_port_unplug(struct vnic_port *port)
{
	vnic_bus_dev_del(port->bdev);
	port->bdev = NULL;
	/* Like a function-level reset: nothing the driver left runs on. */
	vnic_card_port_reset(port);
}

/**
 * vnic_card_plug - put the card's ports on the vnic bus
 * @card: the card
 *
 * A registered driver probes the ports from here. Process context. The
 * caller serialises plug and unplug of one card (the module glue: each
 * card has one owner). No lock of the card's is held while the driver
 * probes, so a caller may hold RTNL (rtnl newlink does): the card then
 * adds no lock order against RTNL of its own.
 *
 * Return: 0, -EBUSY if already plugged, or the bus's error.
 */
int vnic_card_plug(struct vnic_card *card)
{
	unsigned int p;
	int err;

	if (card->plugged)
		return -EBUSY;
	for (p = 0; p < VNIC_CARD_PORTS; p++) {
		err = vnic_card_port_plug(&card->port[p]);
		if (err)
			goto abort_with_ports;
	}
	card->plugged = true;
	return 0;

abort_with_ports:
	while (p--)
		vnic_card_port_unplug(&card->port[p]);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_plug);

/**
 * vnic_card_unplug - take the card's ports off the bus
 * @card: the card
 *
 * The driver's remove runs for each port, then the port is reset. Does
 * nothing if the card is not plugged. Process context.
 */
void vnic_card_unplug(struct vnic_card *card)
{
	unsigned int p;

	if (!card->plugged)
		return;
	for (p = VNIC_CARD_PORTS; p--; )
		vnic_card_port_unplug(&card->port[p]);
	card->plugged = false;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_unplug);

/**
 * vnic_card_bar - a port's BAR0, for direct access without the bus
 * @card: the card
 * @port: port number
 *
 * Return: the BAR, or NULL if there is no such port.
 */
struct vnic_bar *vnic_card_bar(struct vnic_card *card, unsigned int port)
{
	if (port >= VNIC_CARD_PORTS)
		return NULL;
	return &card->port[port].bar;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_bar);

/**
 * vnic_card_irq - the Linux IRQ number of a port's vector
 * @card: the card
 * @port: port number
 * @vec: vector number
 *
 * Return: the IRQ number, or -EINVAL if there is no such vector.
 */
int vnic_card_irq(struct vnic_card *card, unsigned int port, unsigned int vec)
{
	if (port >= VNIC_CARD_PORTS || vec >= card->port[port].num_vecs)
		return -EINVAL;
	return card->port[port].vec[vec].virq;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_irq);

/**
 * vnic_card_id - the card's number
 * @card: the card
 *
 * Return: the id it was created with.
 */
u32 vnic_card_id(const struct vnic_card *card)
{
	return card->id;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_id);
