// SPDX-License-Identifier: GPL-2.0
/*
 * The RX DMA of a queue: the buffer ring (RBR) the driver posts to and the
 * completion ring (RCQ) the card reports in. A frame is written over the
 * queue's next posted buffers, as many as it needs, or counted missed when
 * there are not enough (unless pause makes the sender hold it: see
 * VNIC_REG_FLOW_CTRL).
 */
#include <linux/bitfield.h>
#include <linux/etherdevice.h>
#include <linux/highmem.h>
#include <linux/if_vlan.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/math64.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/unaligned.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>

#include "vnic_card_priv.h"
#include "vnic_trace.h"

/* Report the frame in the RCQ; false if the RCQ itself is unreachable. */
static bool vnic_card_rxq_write_cmpl(struct vnic_rxq *rxq, u32 slot, u32 len,
				     u8 csum, u8 status, u32 hash, u8 htype, u64 extra)
{
	struct vnic_rx_cmpl *cmpl;
	u64 word;

	cmpl = vnic_card_dma_map(rxq->cmpl_base + (u64)slot * sizeof(*cmpl), sizeof(*cmpl));
	if (!cmpl)
		return false;
	word = FIELD_PREP(VNIC_RCQ_LEN, len) |
	       FIELD_PREP(VNIC_RCQ_BUF, slot) |
	       FIELD_PREP(VNIC_RCQ_CSUM, status ? VNIC_RCQ_CSUM_NONE : csum) |
	       FIELD_PREP(VNIC_RCQ_HASH_TYPE, htype) |
	       FIELD_PREP(VNIC_RCQ_STATUS, status) | extra |
	       (rxq->phase ? VNIC_RCQ_DONE : 0);
	WRITE_ONCE(cmpl->hash, cpu_to_le64(FIELD_PREP(VNIC_RCQ_HASH_VAL, hash)));
	/* Buffer and hash are visible before the DONE bit. */
	smp_wmb();
	WRITE_ONCE(cmpl->word, cpu_to_le64(word));
	kunmap_local(cmpl);
	return true;
}

/* The address of the buffer posted at @slot; false if it does not map. */
static bool vnic_card_rxq_buf(struct vnic_rxq *rxq, u32 slot, u64 *addr)
{
	struct vnic_rx_desc *desc;

	desc = vnic_card_dma_map(rxq->base + (u64)slot * sizeof(*desc), sizeof(*desc));
	if (!desc)
		return false;
	*addr = le64_to_cpu(READ_ONCE(desc->addr));
	kunmap_local(desc);
	return true;
}

/*
 * Write @src into the buffers from the queue's head, Q_RX_BUF_SIZE bytes
 * each, and report each in the RCQ, MORE on all but the last, @m on the
 * first only. @fault makes the last buffer's write fail. The caller holds
 * the queue's lock and has found enough buffers posted.
 *
 * Return: the frame's status; @parts is set to the entries written, 0 if
 * not even the first could be reported (then the frame is lost and the
 * buffers stay posted).
 */
static u8 vnic_card_rxq_write(struct vnic_port *port, struct vnic_rxq *rxq,
			      const struct vnic_pkt *src, const struct vnic_rx_meta *m,
			 bool fault, u32 *parts)
{
	u32 off = 0, len = src->len, n = 0;
	u8 status = VNIC_STATUS_OK;

	for (;;) {
		u32 slot = rxq->head, chunk = min(rxq->buf_size, len - off);
		bool first = !off, last = off + chunk == len;
		u64 addr;

		if (!vnic_card_rxq_buf(rxq, slot, &addr) || (last && fault) ||
		    vnic_card_pkt_write(src, off, addr, chunk))
			status = VNIC_STATUS_DMA_ERR;
		if (status != VNIC_STATUS_OK)
			last = true;
		if (!vnic_card_rxq_write_cmpl(rxq, slot, chunk, first ? m->csum : 0, status,
					      first ? m->hash : 0, first ? m->htype : 0,
					 (first ? m->gso : 0) | (last ? 0 : VNIC_RCQ_MORE))) {
			/*
			 * Nowhere to report it: the RCQ is not memory the card
			 * can reach, so the ring is lost as a whole anyway.
			 */
			status = VNIC_STATUS_DMA_ERR;
			break;
		}
		trace_vnic_cmpl_write(port->card->id, port->idx, rxq->idx, true, slot,
				      chunk, status);
		WRITE_ONCE(rxq->head, (slot + 1) & (rxq->size - 1));
		if (!rxq->head)
			rxq->phase = !rxq->phase;
		n++;
		off += chunk;
		if (last)
			break;
	}
	*parts = n;
	return status;
}

/*
 * Take @src into @rxq if the buffers it needs are posted, and count it: as
 * one frame, or with @ti (a pass-through packet) as the segments it stands
 * for.
 */
enum vnic_rx_verdict vnic_card_rxq_take(struct vnic_port *port, struct vnic_rxq *rxq,
					const struct vnic_pkt *src, const struct vnic_rx_meta *m,
				   const struct vnic_tso_info *ti, bool pause)
{
	u32 tail, avail, need, parts;
	bool fault;
	u8 status;

	spin_lock_bh(&rxq->lock);
	/* Pairs with the store-release of the RBR doorbell write. */
	tail = smp_load_acquire(&rxq->tail);
	if (!rxq->enabled || tail >= rxq->size) {
		spin_unlock_bh(&rxq->lock);
		return VNIC_RX_MISSED;
	}
	avail = (tail - rxq->head) & (rxq->size - 1);
	need = DIV_ROUND_UP(src->len, rxq->buf_size);
	if (need > avail) {
		spin_unlock_bh(&rxq->lock);
		/* Pause holds a frame for a ring that is on, only short. */
		if (need > rxq->size - 1)
			return VNIC_RX_NEVER;
		return pause ? VNIC_RX_HOLD : VNIC_RX_MISSED;
	}
	fault = vnic_card_fault_rx_dma_err(port);
	status = vnic_card_rxq_write(port, rxq, src, m, fault, &parts);
	spin_unlock_bh(&rxq->lock);

	if (status == VNIC_STATUS_OK && ti) {
		vnic_card_port_count_n(port, VNIC_STAT_RX_FRAMES, ti->segs);
		vnic_card_port_count_rx_gso(port, src->head, ti);
	} else if (status == VNIC_STATUS_OK) {
		vnic_card_port_count(port, VNIC_STAT_RX_FRAMES);
		vnic_card_port_count_rx(port, src->head, src->len);
	} else {
		atomic_inc(&rxq->errs);
		vnic_card_port_count(port, VNIC_STAT_RX_DESC_ERR);
	}
	if (parts)
		vnic_card_vec_complete(port, rxq->idx, true);
	return VNIC_RX_TAKEN;
}

/**
 * vnic_card_rxq_doorbell - RBR_TAIL write: buffers up to @tail are posted
 * @rxq: the queue
 * @tail: next free slot
 *
 * Any context.
 */
void vnic_card_rxq_doorbell(struct vnic_rxq *rxq, u32 tail)
{
	struct vnic_port *port = rxq->port;

	/* Descriptors written before the doorbell are visible with it. */
	smp_store_release(&rxq->tail, tail);

	if (!(READ_ONCE(port->flow_ctrl) & VNIC_FC_TX_PAUSE))
		return;
	/*
	 * New buffers lift this port's pause. The value-returning atomic is
	 * fully ordered: the tail is visible before the count moves, and the
	 * count moves before we look for paused engines, the mirror image of
	 * vnic_card_txq_pause(), so either it sees this doorbell or we see it.
	 */
	atomic_inc_return(&port->rx_posted);
	vnic_card_wake_paused(port->card);
}

/**
 * vnic_card_rxq_enable - Q_CTRL RX_EN write
 * @rxq: the queue
 * @on: enable (else disable)
 *
 * As vnic_card_txq_enable(): enabling checks the configuration and starts at
 * slot 0, phase 1; disabling waits for a frame being written. Process or
 * softirq context.
 */
void vnic_card_rxq_enable(struct vnic_rxq *rxq, bool on)
{
	bool wake = false;

	spin_lock_bh(&rxq->lock);
	if (!on) {
		wake = rxq->enabled;
		WRITE_ONCE(rxq->enabled, false);
		rxq->cfg_err = false;
	} else if (!rxq->enabled) {
		u64 base = (u64)READ_ONCE(rxq->base_hi) << 32 | READ_ONCE(rxq->base_lo);
		u64 cmpl = (u64)READ_ONCE(rxq->cmpl_hi) << 32 | READ_ONCE(rxq->cmpl_lo);
		u32 size = READ_ONCE(rxq->size_reg);
		u32 buf_size = READ_ONCE(rxq->buf_size_reg);

		rxq->cfg_err = !vnic_card_ring_ok(base, cmpl, size) ||
			       buf_size < VNIC_HW_RX_BUF_MIN || buf_size > VNIC_HW_RX_BUF_MAX ||
			       !IS_ALIGNED(buf_size, VNIC_HW_RX_BUF_ALIGN);
		if (!rxq->cfg_err) {
			rxq->base = base;
			rxq->cmpl_base = cmpl;
			rxq->size = size;
			rxq->buf_size = buf_size;
			WRITE_ONCE(rxq->head, 0);
			rxq->phase = true;
			WRITE_ONCE(rxq->enabled, true);
		}
	}
	spin_unlock_bh(&rxq->lock);

	/* Senders paused on this queue now drop instead. */
	if (wake)
		vnic_card_wake_paused(rxq->port->card);
}

/**
 * vnic_card_rxq_reset - disable the queue and zero its registers
 * @rxq: the queue
 *
 * Process or softirq context; synchronous like vnic_card_rxq_enable().
 */
void vnic_card_rxq_reset(struct vnic_rxq *rxq)
{
	spin_lock_bh(&rxq->lock);
	WRITE_ONCE(rxq->enabled, false);
	rxq->cfg_err = false;
	WRITE_ONCE(rxq->head, 0);
	rxq->phase = true;
	WRITE_ONCE(rxq->base_lo, 0);
	WRITE_ONCE(rxq->base_hi, 0);
	WRITE_ONCE(rxq->cmpl_lo, 0);
	WRITE_ONCE(rxq->cmpl_hi, 0);
	WRITE_ONCE(rxq->size_reg, 0);
	WRITE_ONCE(rxq->buf_size_reg, VNIC_HW_RX_BUF_DEFAULT);
	WRITE_ONCE(rxq->tail, 0);
	spin_unlock_bh(&rxq->lock);

	vnic_card_wake_paused(rxq->port->card);
}

/**
 * vnic_card_rxq_init - set up an RX queue, disabled
 * @port: the port
 * @rxq: the queue
 * @idx: queue number
 */
void vnic_card_rxq_init(struct vnic_port *port, struct vnic_rxq *rxq, u16 idx)
{
	spin_lock_init(&rxq->lock);
	rxq->phase = true;
	rxq->buf_size_reg = VNIC_HW_RX_BUF_DEFAULT;
	atomic_set(&rxq->errs, 0);
	rxq->port = port;
	rxq->idx = idx;
}
