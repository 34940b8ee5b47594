// SPDX-License-Identifier: GPL-2.0
/*
 * The register file behind each port's BAR0: the BAR decoder, reset, and
 * the queue and vector registers.
 *
 * The register accessors are the card's only entry points for a driver.
 * They may run in any context, hard IRQ included, and never sleep. Two
 * registers are slow-path: Q_CTRL and CTRL.RESET wait (spinning, with BH
 * off) for the DMA engine to let go of a ring, so a driver must write them
 * from process or softirq context with interrupts on; from anywhere else
 * they are refused with a warning, as the driver bug it is.
 */
#include <linux/bitfield.h>
#include <linux/interrupt.h>
#include <linux/minmax.h>

#include "vnic_compat.h"
#include "vnic_card_priv.h"

static bool vnic_card_reg_slow_ok(struct vnic_port *port, u32 off)
{
	if (!in_hardirq() && !irqs_disabled())
		return true;
	WARN_ONCE(1, "vnic: card %u port %u: register 0x%04x written with interrupts off; ignored\n",
		  port->card->id, port->idx, off);
	return false;
}

/**
 * vnic_card_port_reset - CTRL.RESET: the port as after power-on, counters kept
 * @port: the port
 *
 * Queues are disabled synchronously, vectors masked with their causes and
 * moderation cleared, the MAC, RX_MODE and MAX_FRAME restored and RSS
 * turned off and cleared; SPEED and FLOW_CTRL are link settings and stay.
 * An injected TX stall ends. Process or softirq context.
 */
void vnic_card_port_reset(struct vnic_port *port)
{
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < port->num_txqs; i++) {
		vnic_card_txq_reset(&port->txq[i]);
		/* A TX-only queue raises its queue pair's vector. */
		WRITE_ONCE(port->q_vec[i], VNIC_VEC_Q(i % port->num_queues));
	}
	for (i = 0; i < port->num_queues; i++)
		vnic_card_rxq_reset(&port->rxq[i]);
	for (i = 0; i < port->num_vecs; i++)
		vnic_card_vec_reset(&port->vec[i]);
	vnic_card_fault_reset(port);

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
	vnic_card_steer_reset(port);
}

/*
 * Queue registers. @q indexes port->txq: a queue pair's, or with @tx_only
 * a TX-only queue's (VNIC_REG_XDPQ), which has no RX ring.
 */
static u32 vnic_card_reg_read_q(struct vnic_port *port, u32 q, u32 reg, bool tx_only)
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

static void vnic_card_reg_write_q(struct vnic_port *port, u32 q, u32 reg, u32 val, bool tx_only)
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
		vnic_card_txq_doorbell(txq, val);
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
		vnic_card_rxq_doorbell(rxq, val);
		break;
	case VNIC_Q_RCQ_BASE_LO:
		WRITE_ONCE(rxq->cmpl_lo, val);
		break;
	case VNIC_Q_RCQ_BASE_HI:
		WRITE_ONCE(rxq->cmpl_hi, val);
		break;
	case VNIC_Q_CTRL:
		if (!vnic_card_reg_slow_ok(port, VNIC_REG_Q(q, reg)))
			break;
		vnic_card_txq_enable(txq, val & VNIC_Q_CTRL_TX_EN);
		if (rxq)
			vnic_card_rxq_enable(rxq, val & VNIC_Q_CTRL_RX_EN);
		break;
	case VNIC_Q_VEC:
		WRITE_ONCE(port->q_vec[q], val);
		break;
	}
}

/* The vectors of interrupt bank @bank, as far as the port has them. */
static unsigned int vnic_card_bank_vecs(struct vnic_port *port, u32 bank, unsigned int *first)
{
	*first = bank * VNIC_INT_BANK_VECS;
	if (*first >= port->num_vecs)
		return 0;
	return min(port->num_vecs - *first, VNIC_INT_BANK_VECS);
}

/* The bank of interrupt register @off, and @off as bank 0's register. */
static u32 vnic_card_int_reg(u32 off, u32 *bank)
{
	*bank = (off - VNIC_REG_INT_BASE) / VNIC_REG_INT_STRIDE;
	return off - VNIC_REG_INT_BANK(*bank) + VNIC_REG_INT_BASE;
}

/* INT_CAUSE (@cause) or INT_MASK of bank @bank. */
static u32 vnic_card_reg_read_vecs(struct vnic_port *port, u32 bank, bool cause)
{
	unsigned int first, n = vnic_card_bank_vecs(port, bank, &first);
	u32 bits = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct vnic_itr *itr = &port->vec[first + i].itr;

		if (cause ? READ_ONCE(itr->cause) : READ_ONCE(itr->masked))
			bits |= BIT(i);
	}
	return bits;
}

u32 vnic_card_reg_read(void *priv, u32 off)
{
	struct vnic_port *port = priv;

	if (off & 3)
		return 0;
	if (off >= VNIC_REG_Q_BASE && off < VNIC_REG_END) {
		u32 q = (off - VNIC_REG_Q_BASE) / VNIC_REG_Q_STRIDE;

		if (q >= port->num_queues)
			return 0;
		return vnic_card_reg_read_q(port, q, (off - VNIC_REG_Q_BASE) % VNIC_REG_Q_STRIDE,
					    false);
	}
	if (off >= VNIC_REG_XDPQ_BASE && off < VNIC_REG_XDPQ_END) {
		u32 q = (off - VNIC_REG_XDPQ_BASE) / VNIC_REG_Q_STRIDE;

		if (q >= port->num_txqs - port->num_queues)
			return 0;
		return vnic_card_reg_read_q(port, port->num_queues + q,
				       (off - VNIC_REG_XDPQ_BASE) % VNIC_REG_Q_STRIDE, true);
	}
	if (off >= VNIC_REG_STAT_BASE && off < VNIC_REG_STAT_END)
		return atomic_read(&port->stats[(off - VNIC_REG_STAT_BASE) / 4]);
	if (off >= VNIC_REG_LINK_SUPPORTED && off < VNIC_REG_LINK_END)
		return vnic_card_link_reg_read(port, off);
	if (off >= VNIC_REG_STEER_BASE && off < VNIC_REG_STEER_END)
		return vnic_card_steer_read(port, off);
	if (off >= VNIC_REG_INT_BASE && off < VNIC_REG_INT_END) {
		u32 bank;

		switch (vnic_card_int_reg(off, &bank)) {
		case VNIC_REG_INT_CAUSE(0):
			return vnic_card_reg_read_vecs(port, bank, true);
		case VNIC_REG_INT_MASK(0):
			return vnic_card_reg_read_vecs(port, bank, false);
		}
		return 0;
	}
	if (off >= VNIC_REG_RSS_KEY(0) && off < VNIC_REG_RSS_KEY(VNIC_RSS_KEY_SIZE / 4))
		return get_unaligned_le32(&port->rss_key[off - VNIC_REG_RSS_KEY(0)]);
	if (off >= VNIC_REG_RSS_INDIR(0) && off < VNIC_REG_RSS_INDIR(VNIC_RSS_INDIR_SIZE / 4))
		return get_unaligned_le32(&port->rss_indir[off - VNIC_REG_RSS_INDIR(0)]);
	if (off >= VNIC_REG_ITR_BASE &&
	    off < VNIC_REG_ITR_BASE + port->num_vecs * VNIC_REG_ITR_STRIDE) {
		u32 v = (off - VNIC_REG_ITR_BASE) / VNIC_REG_ITR_STRIDE;

		return vnic_card_vec_read_itr(&port->vec[v],
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
	case VNIC_REG_MISC_CAUSE:
		return READ_ONCE(port->misc_cause);
	}
	return 0;
}

/* A write of @val to register @reg (INT_CAUSE(0)..INT_TEST(0)) of bank @bank. */
static void vnic_card_reg_write_vecs(struct vnic_port *port, u32 bank, u32 reg, u32 val)
{
	unsigned int first, n = vnic_card_bank_vecs(port, bank, &first);
	unsigned long bits = val;
	unsigned int i;

	for_each_set_bit(i, &bits, n) {
		struct vnic_vec *vec = &port->vec[first + i];

		switch (reg) {
		case VNIC_REG_INT_CAUSE(0):
			vnic_card_vec_ack(vec);
			break;
		case VNIC_REG_INT_MASK_SET(0):
			vnic_card_vec_set_masked(vec, true);
			break;
		case VNIC_REG_INT_MASK_CLR(0):
			vnic_card_vec_set_masked(vec, false);
			break;
		case VNIC_REG_INT_TEST(0):
			vnic_card_vec_raise(vec);
			break;
		}
	}
}

static void vnic_card_reg_write(void *priv, u32 off, u32 val)
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
			vnic_card_reg_write_q(port, q, (off - VNIC_REG_Q_BASE) % VNIC_REG_Q_STRIDE,
					      val, false);
		return;
	}
	if (off >= VNIC_REG_XDPQ_BASE && off < VNIC_REG_XDPQ_END) {
		u32 q = (off - VNIC_REG_XDPQ_BASE) / VNIC_REG_Q_STRIDE;

		if (q < port->num_txqs - port->num_queues)
			vnic_card_reg_write_q(port, port->num_queues + q,
					      (off - VNIC_REG_XDPQ_BASE) % VNIC_REG_Q_STRIDE, val,
					      true);
		return;
	}
	if (off >= VNIC_REG_LINK_SUPPORTED && off < VNIC_REG_LINK_END) {
		vnic_card_link_reg_write(port, off, val);
		return;
	}
	if (off >= VNIC_REG_ITR_BASE &&
	    off < VNIC_REG_ITR_BASE + port->num_vecs * VNIC_REG_ITR_STRIDE) {
		u32 v = (off - VNIC_REG_ITR_BASE) / VNIC_REG_ITR_STRIDE;

		vnic_card_vec_write_itr(&port->vec[v],
					(off - VNIC_REG_ITR_BASE) % VNIC_REG_ITR_STRIDE / 4, val);
		return;
	}
	if (off >= VNIC_REG_STEER_BASE && off < VNIC_REG_STEER_END) {
		vnic_card_steer_write(port, off, val);
		return;
	}
	if (off >= VNIC_REG_INT_BASE && off < VNIC_REG_INT_END) {
		u32 bank, reg = vnic_card_int_reg(off, &bank);

		vnic_card_reg_write_vecs(port, bank, reg, val);
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
		if ((val & VNIC_CTRL_RESET) && vnic_card_reg_slow_ok(port, off))
			vnic_card_port_reset(port);
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
	case VNIC_REG_MISC_CAUSE:
		spin_lock_irqsave(&misc->lock, flags);
		port->misc_cause &= ~val;
		spin_unlock_irqrestore(&misc->lock, flags);
		break;
	}
}

const struct vnic_bar_ops vnic_bar_ops = {
	.read	= vnic_card_reg_read,
	.write	= vnic_card_reg_write,
};
