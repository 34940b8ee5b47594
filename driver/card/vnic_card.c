// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated card: its life cycle (create, plug into the vnic bus,
 * unplug, destroy), the register file behind each port's BAR0, reset, and
 * the debugfs view of its state under /sys/kernel/debug/vnic/<card>/<port>/.
 *
 * The register accessors are the card's only entry points for a driver.
 * They may run in any context, hard IRQ included, and never sleep. Two
 * registers are slow-path: Q_CTRL and CTRL.RESET wait (spinning, with BH
 * off) for the DMA engine to let go of a ring, so a driver must write them
 * from process or softirq context with interrupts on; from anywhere else
 * they are refused with a warning, as the driver bug it is.
 */
#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/interrupt.h>
#include <linux/minmax.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/unaligned.h>

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

static bool vnic_reg_slow_ok(struct vnic_port *port, u32 off)
{
	if (!in_hardirq() && !irqs_disabled())
		return true;
	WARN_ONCE(1, "vnic: card %u port %u: register 0x%04x written with interrupts off; ignored\n",
		  port->card->id, port->idx, off);
	return false;
}

/**
 * vnic_port_reset - CTRL.RESET: the port as after power-on, counters kept
 * @port: the port
 *
 * Queues are disabled synchronously, vectors masked with their causes and
 * moderation cleared, the MAC, RX_MODE and MAX_FRAME restored and RSS
 * turned off and cleared; SPEED and FLOW_CTRL are link settings and stay.
 * An injected TX stall ends. Process or softirq context.
 */
void vnic_port_reset(struct vnic_port *port)
{
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < port->num_txqs; i++) {
		vnic_txq_reset(&port->txq[i]);
		/* A TX-only queue raises its queue pair's vector. */
		WRITE_ONCE(port->q_vec[i], i % port->num_queues + 1);
	}
	for (i = 0; i < port->num_queues; i++)
		vnic_rxq_reset(&port->rxq[i]);
	for (i = 0; i < port->num_vecs; i++)
		vnic_vec_reset(&port->vec[i]);
	vnic_fault_reset(port);

	spin_lock_irqsave(&port->reg_lock, flags);
	WRITE_ONCE(port->ctrl, 0);
	WRITE_ONCE(port->mac_lo, get_unaligned_le32(port->perm_addr));
	WRITE_ONCE(port->mac_hi, get_unaligned_le16(port->perm_addr + 4));
	WRITE_ONCE(port->max_frame, VNIC_CARD_DEF_MAX_FRAME);
	WRITE_ONCE(port->rx_mode, VNIC_RX_MODE_BCAST);
	WRITE_ONCE(port->mc_hash, 0);
	WRITE_ONCE(port->rss_ctrl, 0);
	memset(port->rss_key, 0, sizeof(port->rss_key));
	memset(port->rss_indir, 0, sizeof(port->rss_indir));
	spin_unlock_irqrestore(&port->reg_lock, flags);
	vnic_steer_reset(port);
}

/*
 * Queue registers. @q indexes port->txq: a queue pair's, or with @tx_only
 * a TX-only queue's (VNIC_REG_XDPQ), which has no RX ring.
 */
static u32 vnic_reg_read_q(struct vnic_port *port, u32 q, u32 reg, bool tx_only)
{
	struct vnic_txq *txq = &port->txq[q];
	struct vnic_rxq *rxq = tx_only ? NULL : &port->rxq[q];
	u32 val;

	switch (reg) {
	case VNIC_Q_TXD_BASE_LO ... VNIC_Q_TXC_BASE_HI:
	case VNIC_Q_CTRL ... VNIC_Q_TX_ERRS:
		break;
	default:
		if (!rxq)
			return 0;
	}
	switch (reg) {
	case VNIC_Q_TXD_BASE_LO:
		return READ_ONCE(txq->base_lo);
	case VNIC_Q_TXD_BASE_HI:
		return READ_ONCE(txq->base_hi);
	case VNIC_Q_TXD_SIZE:
		return READ_ONCE(txq->size_reg);
	case VNIC_Q_TXD_TAIL:
		return READ_ONCE(txq->tail);
	case VNIC_Q_TXD_HEAD:
		return READ_ONCE(txq->head);
	case VNIC_Q_TXC_BASE_LO:
		return READ_ONCE(txq->cmpl_lo);
	case VNIC_Q_TXC_BASE_HI:
		return READ_ONCE(txq->cmpl_hi);
	case VNIC_Q_RBR_BASE_LO:
		return READ_ONCE(rxq->base_lo);
	case VNIC_Q_RBR_BASE_HI:
		return READ_ONCE(rxq->base_hi);
	case VNIC_Q_RBR_SIZE:
		return READ_ONCE(rxq->size_reg);
	case VNIC_Q_RX_BUF_SIZE:
		return READ_ONCE(rxq->buf_size_reg);
	case VNIC_Q_RBR_TAIL:
		return READ_ONCE(rxq->tail);
	case VNIC_Q_RBR_HEAD:
		return READ_ONCE(rxq->head);
	case VNIC_Q_RCQ_BASE_LO:
		return READ_ONCE(rxq->cmpl_lo);
	case VNIC_Q_RCQ_BASE_HI:
		return READ_ONCE(rxq->cmpl_hi);
	case VNIC_Q_CTRL:
	case VNIC_Q_STATUS:
		val = READ_ONCE(txq->enabled) ? VNIC_Q_CTRL_TX_EN : 0;
		if (rxq && READ_ONCE(rxq->enabled))
			val |= VNIC_Q_CTRL_RX_EN;
		if (reg != VNIC_Q_STATUS)
			return val;
		if (READ_ONCE(txq->cfg_err))
			val |= VNIC_Q_STATUS_TX_CFG_ERR;
		if (rxq && READ_ONCE(rxq->cfg_err))
			val |= VNIC_Q_STATUS_RX_CFG_ERR;
		return val;
	case VNIC_Q_VEC:
		return READ_ONCE(port->q_vec[q]);
	case VNIC_Q_TX_ERRS:
		return atomic_read(&txq->errs);
	case VNIC_Q_RX_ERRS:
		return atomic_read(&rxq->errs);
	}
	return 0;
}

static void vnic_reg_write_q(struct vnic_port *port, u32 q, u32 reg, u32 val, bool tx_only)
{
	struct vnic_txq *txq = &port->txq[q];
	struct vnic_rxq *rxq = tx_only ? NULL : &port->rxq[q];

	switch (reg) {
	case VNIC_Q_TXD_BASE_LO ... VNIC_Q_TXC_BASE_HI:
	case VNIC_Q_CTRL ... VNIC_Q_TX_ERRS:
		break;
	default:
		if (!rxq)
			return;
	}
	/* Ring registers take effect at the next enable. */
	switch (reg) {
	case VNIC_Q_TXD_BASE_LO:
		WRITE_ONCE(txq->base_lo, val);
		break;
	case VNIC_Q_TXD_BASE_HI:
		WRITE_ONCE(txq->base_hi, val);
		break;
	case VNIC_Q_TXD_SIZE:
		WRITE_ONCE(txq->size_reg, val);
		break;
	case VNIC_Q_TXD_TAIL:
		vnic_txq_doorbell(txq, val);
		break;
	case VNIC_Q_TXC_BASE_LO:
		WRITE_ONCE(txq->cmpl_lo, val);
		break;
	case VNIC_Q_TXC_BASE_HI:
		WRITE_ONCE(txq->cmpl_hi, val);
		break;
	case VNIC_Q_RBR_BASE_LO:
		WRITE_ONCE(rxq->base_lo, val);
		break;
	case VNIC_Q_RBR_BASE_HI:
		WRITE_ONCE(rxq->base_hi, val);
		break;
	case VNIC_Q_RBR_SIZE:
		WRITE_ONCE(rxq->size_reg, val);
		break;
	case VNIC_Q_RX_BUF_SIZE:
		WRITE_ONCE(rxq->buf_size_reg, val);
		break;
	case VNIC_Q_RBR_TAIL:
		vnic_rxq_doorbell(rxq, val);
		break;
	case VNIC_Q_RCQ_BASE_LO:
		WRITE_ONCE(rxq->cmpl_lo, val);
		break;
	case VNIC_Q_RCQ_BASE_HI:
		WRITE_ONCE(rxq->cmpl_hi, val);
		break;
	case VNIC_Q_CTRL:
		if (!vnic_reg_slow_ok(port, VNIC_REG_Q(q, reg)))
			break;
		vnic_txq_enable(txq, val & VNIC_Q_CTRL_TX_EN);
		if (rxq)
			vnic_rxq_enable(rxq, val & VNIC_Q_CTRL_RX_EN);
		break;
	case VNIC_Q_VEC:
		WRITE_ONCE(port->q_vec[q], val);
		break;
	}
}

static u32 vnic_reg_read_vecs(struct vnic_port *port, bool cause)
{
	u32 bits = 0;
	unsigned int i;

	for (i = 0; i < port->num_vecs; i++) {
		struct vnic_itr *itr = &port->vec[i].itr;

		if (cause ? READ_ONCE(itr->cause) : READ_ONCE(itr->masked))
			bits |= BIT(i);
	}
	return bits;
}

static u32 vnic_reg_read(void *priv, u32 off)
{
	struct vnic_port *port = priv;

	if (off & 3)
		return 0;
	if (off >= VNIC_REG_Q_BASE && off < VNIC_REG_END) {
		u32 q = (off - VNIC_REG_Q_BASE) / VNIC_REG_Q_STRIDE;

		if (q >= port->num_queues)
			return 0;
		return vnic_reg_read_q(port, q, (off - VNIC_REG_Q_BASE) % VNIC_REG_Q_STRIDE, false);
	}
	if (off >= VNIC_REG_XDPQ_BASE && off < VNIC_REG_XDPQ_END) {
		u32 q = (off - VNIC_REG_XDPQ_BASE) / VNIC_REG_Q_STRIDE;

		if (q >= port->num_txqs - port->num_queues)
			return 0;
		return vnic_reg_read_q(port, port->num_queues + q,
				       (off - VNIC_REG_XDPQ_BASE) % VNIC_REG_Q_STRIDE, true);
	}
	if (off >= VNIC_REG_STAT_BASE && off < VNIC_REG_STAT_END)
		return atomic_read(&port->stats[(off - VNIC_REG_STAT_BASE) / 4]);
	if (off >= VNIC_REG_LINK_SUPPORTED && off < VNIC_REG_LINK_END)
		return vnic_link_reg_read(port, off);
	if (off >= VNIC_REG_STEER_BASE && off < VNIC_REG_STEER_END)
		return vnic_steer_read(port, off);
	if (off >= VNIC_REG_RSS_KEY(0) && off < VNIC_REG_RSS_KEY(VNIC_RSS_KEY_SIZE / 4))
		return get_unaligned_le32(&port->rss_key[off - VNIC_REG_RSS_KEY(0)]);
	if (off >= VNIC_REG_RSS_INDIR(0) && off < VNIC_REG_RSS_INDIR(VNIC_RSS_INDIR_SIZE / 4))
		return get_unaligned_le32(&port->rss_indir[off - VNIC_REG_RSS_INDIR(0)]);
	if (off >= VNIC_REG_ITR_BASE &&
	    off < VNIC_REG_ITR_BASE + port->num_vecs * VNIC_REG_ITR_STRIDE) {
		u32 v = (off - VNIC_REG_ITR_BASE) / VNIC_REG_ITR_STRIDE;

		return vnic_vec_read_itr(&port->vec[v],
					 (off - VNIC_REG_ITR_BASE) % VNIC_REG_ITR_STRIDE / 4);
	}

	switch (off) {
	case VNIC_REG_ID:
		return FIELD_PREP(VNIC_ID_VENDOR, VNIC_VENDOR_ID) |
		       FIELD_PREP(VNIC_ID_DEVICE, VNIC_DEVICE_ID);
	case VNIC_REG_REV:
		return VNIC_REVISION;
	case VNIC_REG_CAPS:
		return FIELD_PREP(VNIC_CAPS_QUEUES, port->num_queues) |
		       FIELD_PREP(VNIC_CAPS_XDP_TXQS, port->num_txqs - port->num_queues) |
		       VNIC_CAPS_TX_CSUM | VNIC_CAPS_RX_CSUM | VNIC_CAPS_RSS |
		       VNIC_CAPS_TSO | VNIC_CAPS_USO | VNIC_CAPS_PAUSE |
		       VNIC_CAPS_GSO_RX;
	case VNIC_REG_CTRL:
		return READ_ONCE(port->ctrl);
	case VNIC_REG_STATUS:
		return READ_ONCE(port->link_ok) ? VNIC_STATUS_LINK_UP : 0;
	case VNIC_REG_MAC_LO:
		return READ_ONCE(port->mac_lo);
	case VNIC_REG_MAC_HI:
		return READ_ONCE(port->mac_hi);
	case VNIC_REG_PERM_MAC_LO:
		return get_unaligned_le32(port->perm_addr);
	case VNIC_REG_PERM_MAC_HI:
		return get_unaligned_le16(port->perm_addr + 4);
	case VNIC_REG_MAX_FRAME:
		return READ_ONCE(port->max_frame);
	case VNIC_REG_RX_MODE:
		return READ_ONCE(port->rx_mode);
	case VNIC_REG_MC_HASH_LO:
		return lower_32_bits(READ_ONCE(port->mc_hash));
	case VNIC_REG_MC_HASH_HI:
		return upper_32_bits(READ_ONCE(port->mc_hash));
	case VNIC_REG_SPEED:
		return READ_ONCE(port->speed);
	case VNIC_REG_FLOW_CTRL:
		return READ_ONCE(port->flow_ctrl);
	case VNIC_REG_RSS_CTRL:
		return READ_ONCE(port->rss_ctrl);
	case VNIC_REG_INT_CAUSE:
		return vnic_reg_read_vecs(port, true);
	case VNIC_REG_INT_MASK:
		return vnic_reg_read_vecs(port, false);
	case VNIC_REG_MISC_CAUSE:
		return READ_ONCE(port->misc_cause);
	}
	return 0;
}

static void vnic_reg_write_vecs(struct vnic_port *port, u32 off, u32 val)
{
	unsigned long bits = val & GENMASK(port->num_vecs - 1, 0);
	unsigned int i;

	for_each_set_bit(i, &bits, port->num_vecs) {
		struct vnic_vec *vec = &port->vec[i];

		switch (off) {
		case VNIC_REG_INT_CAUSE:
			vnic_vec_ack(vec);
			break;
		case VNIC_REG_INT_MASK_SET:
			vnic_vec_set_masked(vec, true);
			break;
		case VNIC_REG_INT_MASK_CLR:
			vnic_vec_set_masked(vec, false);
			break;
		case VNIC_REG_INT_TEST:
			vnic_vec_raise(vec);
			break;
		}
	}
}

static void vnic_reg_write(void *priv, u32 off, u32 val)
{
	struct vnic_port *port = priv;
	struct vnic_vec *misc = &port->vec[VNIC_VEC_MISC];
	unsigned long flags;
	u64 hash;

	if (off & 3)
		return;
	if (off >= VNIC_REG_Q_BASE && off < VNIC_REG_END) {
		u32 q = (off - VNIC_REG_Q_BASE) / VNIC_REG_Q_STRIDE;

		if (q < port->num_queues)
			vnic_reg_write_q(port, q, (off - VNIC_REG_Q_BASE) % VNIC_REG_Q_STRIDE, val,
					 false);
		return;
	}
	if (off >= VNIC_REG_XDPQ_BASE && off < VNIC_REG_XDPQ_END) {
		u32 q = (off - VNIC_REG_XDPQ_BASE) / VNIC_REG_Q_STRIDE;

		if (q < port->num_txqs - port->num_queues)
			vnic_reg_write_q(port, port->num_queues + q,
					 (off - VNIC_REG_XDPQ_BASE) % VNIC_REG_Q_STRIDE, val, true);
		return;
	}
	if (off >= VNIC_REG_LINK_SUPPORTED && off < VNIC_REG_LINK_END) {
		vnic_link_reg_write(port, off, val);
		return;
	}
	if (off >= VNIC_REG_ITR_BASE &&
	    off < VNIC_REG_ITR_BASE + port->num_vecs * VNIC_REG_ITR_STRIDE) {
		u32 v = (off - VNIC_REG_ITR_BASE) / VNIC_REG_ITR_STRIDE;

		vnic_vec_write_itr(&port->vec[v],
				   (off - VNIC_REG_ITR_BASE) % VNIC_REG_ITR_STRIDE / 4, val);
		return;
	}
	if (off >= VNIC_REG_STEER_BASE && off < VNIC_REG_STEER_END) {
		vnic_steer_write(port, off, val);
		return;
	}
	if (off >= VNIC_REG_RSS_KEY(0) && off < VNIC_REG_RSS_KEY(VNIC_RSS_KEY_SIZE / 4)) {
		spin_lock_irqsave(&port->reg_lock, flags);
		put_unaligned_le32(val, &port->rss_key[off - VNIC_REG_RSS_KEY(0)]);
		spin_unlock_irqrestore(&port->reg_lock, flags);
		return;
	}
	if (off >= VNIC_REG_RSS_INDIR(0) && off < VNIC_REG_RSS_INDIR(VNIC_RSS_INDIR_SIZE / 4)) {
		spin_lock_irqsave(&port->reg_lock, flags);
		put_unaligned_le32(val, &port->rss_indir[off - VNIC_REG_RSS_INDIR(0)]);
		spin_unlock_irqrestore(&port->reg_lock, flags);
		return;
	}

	switch (off) {
	case VNIC_REG_CTRL:
		if ((val & VNIC_CTRL_RESET) && vnic_reg_slow_ok(port, off))
			vnic_port_reset(port);
		spin_lock_irqsave(&port->reg_lock, flags);
		WRITE_ONCE(port->ctrl, val & VNIC_CTRL_LOOPBACK);
		spin_unlock_irqrestore(&port->reg_lock, flags);
		break;
	case VNIC_REG_MAC_LO:
		spin_lock_irqsave(&port->reg_lock, flags);
		WRITE_ONCE(port->mac_lo, val);
		spin_unlock_irqrestore(&port->reg_lock, flags);
		break;
	case VNIC_REG_MAC_HI:
		spin_lock_irqsave(&port->reg_lock, flags);
		WRITE_ONCE(port->mac_hi, val & 0xffff);
		spin_unlock_irqrestore(&port->reg_lock, flags);
		break;
	case VNIC_REG_MAX_FRAME:
		spin_lock_irqsave(&port->reg_lock, flags);
		WRITE_ONCE(port->max_frame,
			   clamp(val, VNIC_HW_MIN_FRAME, VNIC_HW_MAX_FRAME));
		spin_unlock_irqrestore(&port->reg_lock, flags);
		break;
	case VNIC_REG_RX_MODE:
		spin_lock_irqsave(&port->reg_lock, flags);
		WRITE_ONCE(port->rx_mode, val & (VNIC_RX_MODE_PROMISC |
						 VNIC_RX_MODE_ALLMULTI |
						 VNIC_RX_MODE_BCAST |
						 VNIC_RX_MODE_GSO));
		spin_unlock_irqrestore(&port->reg_lock, flags);
		break;
	case VNIC_REG_MC_HASH_LO:
	case VNIC_REG_MC_HASH_HI:
		spin_lock_irqsave(&port->reg_lock, flags);
		hash = port->mc_hash;
		if (off == VNIC_REG_MC_HASH_LO)
			hash = (hash & GENMASK_ULL(63, 32)) | val;
		else
			hash = (hash & GENMASK_ULL(31, 0)) | (u64)val << 32;
		WRITE_ONCE(port->mc_hash, hash);
		spin_unlock_irqrestore(&port->reg_lock, flags);
		break;
	case VNIC_REG_SPEED:
		WRITE_ONCE(port->speed, val);
		break;
	case VNIC_REG_FLOW_CTRL:
		WRITE_ONCE(port->flow_ctrl, val & (VNIC_FC_TX_PAUSE | VNIC_FC_RX_PAUSE));
		/* A pause that no longer applies must not hold anyone. */
		vnic_card_wake_paused(port->card);
		break;
	case VNIC_REG_RSS_CTRL:
		WRITE_ONCE(port->rss_ctrl, val & VNIC_RSS_CTRL_EN);
		break;
	case VNIC_REG_INT_CAUSE:
	case VNIC_REG_INT_MASK_SET:
	case VNIC_REG_INT_MASK_CLR:
	case VNIC_REG_INT_TEST:
		vnic_reg_write_vecs(port, off, val);
		break;
	case VNIC_REG_MISC_CAUSE:
		spin_lock_irqsave(&misc->lock, flags);
		port->misc_cause &= ~val;
		spin_unlock_irqrestore(&misc->lock, flags);
		break;
	}
}

static const struct vnic_bar_ops vnic_bar_ops = {
	.read	= vnic_reg_read,
	.write	= vnic_reg_write,
};

static int vnic_port_state_show(struct seq_file *s, void *unused)
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
		   vnic_wire_rate(port));

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
DEFINE_SHOW_ATTRIBUTE(vnic_port_state);

static void vnic_regs_show_range(struct seq_file *s, struct vnic_port *port,
				 u32 start, u32 end)
{
	u32 off;

	for (off = start; off < end; off += 4)
		seq_printf(s, "0x%04x 0x%08x\n", off, vnic_reg_read(port, off));
}

static int vnic_port_regs_show(struct seq_file *s, void *unused)
{
	struct vnic_port *port = s->private;

	/* Reads have no side effects, so every readable register is shown. */
	vnic_regs_show_range(s, port, VNIC_REG_ID, VNIC_REG_RSS_CTRL + 4);
	vnic_regs_show_range(s, port, VNIC_REG_INT_CAUSE, VNIC_REG_MISC_CAUSE + 4);
	vnic_regs_show_range(s, port, VNIC_REG_LINK_SUPPORTED, VNIC_REG_LINK_END);
	vnic_regs_show_range(s, port, VNIC_REG_ITR_BASE,
			     VNIC_REG_ITR_BASE + port->num_vecs * VNIC_REG_ITR_STRIDE);
	vnic_regs_show_range(s, port, VNIC_REG_STAT_BASE, VNIC_REG_STAT_END);
	vnic_regs_show_range(s, port, VNIC_REG_RSS_KEY(0),
			     VNIC_REG_RSS_KEY(VNIC_RSS_KEY_SIZE / 4));
	vnic_regs_show_range(s, port, VNIC_REG_RSS_INDIR(0),
			     VNIC_REG_RSS_INDIR(VNIC_RSS_INDIR_SIZE / 4));
	vnic_regs_show_range(s, port, VNIC_REG_Q_BASE,
			     VNIC_REG_Q(port->num_queues, 0));
	vnic_regs_show_range(s, port, VNIC_REG_XDPQ_BASE,
			     VNIC_REG_XDPQ(port->num_txqs - port->num_queues, 0));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vnic_port_regs);

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
				    &vnic_port_state_fops);
		debugfs_create_file("regs", 0400, port->debugfs, port,
				    &vnic_port_regs_fops);
		vnic_fault_debugfs_init(port);
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

static void vnic_port_free(struct vnic_port *port)
{
	unsigned int i;

	if (port->vec)
		for (i = 0; i < port->num_vecs; i++)
			vnic_vec_free(&port->vec[i]);
	if (port->txq)
		for (i = 0; i < port->num_txqs; i++)
			vnic_txq_free(&port->txq[i]);
	kfree(port->vec);
	kfree(port->rxq);
	kfree(port->txq);
	vnic_steer_free(port);
	port->vec = NULL;
	port->rxq = NULL;
	port->txq = NULL;
}

/* On error the caller undoes what was done with vnic_port_free(). */
static int vnic_port_init(struct vnic_card *card, struct vnic_port *port,
			  unsigned int idx, const struct vnic_card_config *cfg)
{
	unsigned int i;
	int err;

	port->card = card;
	port->idx = idx;
	spin_lock_init(&port->reg_lock);
	spin_lock_init(&port->rate_lock);
	port->speed = cfg->speed;
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
	err = vnic_steer_init(port);
	if (err)
		return err;

	for (i = 0; i < port->num_txqs; i++) {
		err = vnic_txq_init(port, &port->txq[i], i);
		if (err)
			return err;
	}
	for (i = 0; i < port->num_queues; i++)
		vnic_rxq_init(port, &port->rxq[i], i);
	for (i = 0; i < port->num_vecs; i++) {
		err = vnic_vec_init(port, &port->vec[i], i);
		if (err)
			return err;
	}
	vnic_port_reset(port);
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
	mutex_init(&card->plug_lock);

	err = vnic_irq_domain_create(card);
	if (err)
		goto abort_with_card;

	for (p = 0; p < VNIC_CARD_PORTS; p++) {
		err = vnic_port_init(card, &card->port[p], p, cfg);
		if (err)
			goto abort_with_ports;
	}
	vnic_link_init(card);
	vnic_card_debugfs_init(card);
	return card;

abort_with_ports:
	for (p = 0; p < VNIC_CARD_PORTS; p++)
		vnic_port_free(&card->port[p]);
	vnic_irq_domain_destroy(card);
abort_with_card:
	mutex_destroy(&card->plug_lock);
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
		vnic_port_reset(&card->port[p]);
	for (p = 0; p < VNIC_CARD_PORTS; p++) {
		struct vnic_port *port = &card->port[p];

		for (i = 0; i < port->num_txqs; i++)
			vnic_txq_quiesce(&port->txq[i]);
		for (i = 0; i < port->num_vecs; i++)
			vnic_vec_quiesce(&port->vec[i]);
	}

	for (p = 0; p < VNIC_CARD_PORTS; p++)
		vnic_port_free(&card->port[p]);
	vnic_irq_domain_destroy(card);
	mutex_destroy(&card->plug_lock);
	kfree(card);
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_destroy);

static void vnic_bus_dev_release(struct device *dev)
{
	kfree(to_vnic_bus_dev(dev));
}

static int vnic_port_plug(struct vnic_port *port)
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
	bdev->dev.release = vnic_bus_dev_release;
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

static void vnic_port_unplug(struct vnic_port *port)
{
	vnic_bus_dev_del(port->bdev);
	port->bdev = NULL;
	/* Like a function-level reset: nothing the driver left runs on. */
	vnic_port_reset(port);
}

/**
 * vnic_card_plug - put the card's ports on the vnic bus
 * @card: the card
 *
 * A registered driver probes the ports from here. Process context.
 *
 * Return: 0, -EBUSY if already plugged, or the bus's error.
 */
int vnic_card_plug(struct vnic_card *card)
{
	unsigned int p;
	int err = 0;

	mutex_lock(&card->plug_lock);
	if (card->plugged) {
		err = -EBUSY;
		goto out;
	}
	for (p = 0; p < VNIC_CARD_PORTS; p++) {
		err = vnic_port_plug(&card->port[p]);
		if (err)
			goto abort_with_ports;
	}
	card->plugged = true;
	goto out;

abort_with_ports:
	while (p--)
		vnic_port_unplug(&card->port[p]);
out:
	mutex_unlock(&card->plug_lock);
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

	mutex_lock(&card->plug_lock);
	if (card->plugged) {
		for (p = VNIC_CARD_PORTS; p--; )
			vnic_port_unplug(&card->port[p]);
		card->plugged = false;
	}
	mutex_unlock(&card->plug_lock);
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
