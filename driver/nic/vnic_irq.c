// SPDX-License-Identifier: GPL-2.0
/*
 * vnic interrupt vectors. Vector 0 (misc) reports link changes; each queue
 * pair has its own vector whose handler only masks it and schedules NAPI.
 * The poll unmasks the vector when it completes; the card keeps a cause
 * that arrives while masked pending, so no event is lost in between.
 */
#include <linux/interrupt.h>

#include "vnic.h"
#include "vnic_trace.h"

#define VNIC_DIM_LIGHT_PPMS	10	/* packets per ms: 10k pps */

/*
 * Write vector @v_idx's bit to its bank's copy of @reg0, bank 0's INT_CAUSE,
 * INT_MASK_SET, INT_MASK_CLR or INT_TEST.
 */
static void vnic_wr_vector(struct vnic_dev *vd, u32 reg0, unsigned int v_idx)
{
	vnic_wr32(&vd->hw, reg0 - VNIC_REG_INT_BASE + VNIC_REG_INT_BANK(VNIC_INT_BANK(v_idx)),
		  VNIC_INT_BIT(v_idx));
}

/**
 * vnic_unmask_vector - let a vector interrupt again
 * @vd: the device
 * @v_idx: vector number on the card
 */
void vnic_unmask_vector(struct vnic_dev *vd, unsigned int v_idx)
{
	vnic_wr_vector(vd, VNIC_REG_INT_MASK_CLR(0), v_idx);
}

/**
 * vnic_ack_vector - clear a vector's pending cause without its interrupt
 * @vd: the device
 * @v_idx: vector number on the card
 */
void vnic_ack_vector(struct vnic_dev *vd, unsigned int v_idx)
{
	vnic_wr_vector(vd, VNIC_REG_INT_CAUSE(0), v_idx);
}

/**
 * vnic_mask_vector - keep a vector from interrupting
 * @vd: the device
 * @v_idx: vector number on the card
 */
void vnic_mask_vector(struct vnic_dev *vd, unsigned int v_idx)
{
	vnic_wr_vector(vd, VNIC_REG_INT_MASK_SET(0), v_idx);
}

/**
 * vnic_raise_vector - make a vector fire now (INT_TEST), as a driver forces
 * an interrupt
 * @vd: the device
 * @v_idx: vector number on the card
 */
void vnic_raise_vector(struct vnic_dev *vd, unsigned int v_idx)
{
	vnic_wr_vector(vd, VNIC_REG_INT_TEST(0), v_idx);
}

/**
 * vnic_mask_all_vectors - mask every queue vector, leaving misc alone
 * @vd: the device
 */
void vnic_mask_all_vectors(struct vnic_dev *vd)
{
	unsigned int bank;

	for (bank = 0; bank < VNIC_INT_BANKS; bank++)
		vnic_wr32(&vd->hw, VNIC_REG_INT_MASK_SET(bank),
			  bank == VNIC_INT_BANK(VNIC_VEC_MISC) ?
			  ~VNIC_INT_BIT(VNIC_VEC_MISC) : ~0U);
}

/**
 * vnic_unmask_all_vectors - unmask the vectors of the active queues
 * @vd: the device
 */
void vnic_unmask_all_vectors(struct vnic_dev *vd)
{
	u32 mask[VNIC_INT_BANKS] = {};
	unsigned int q, v, bank;

	for (q = 0; q < vd->num_queues; q++) {
		v = vd->nv[q]->v_idx;
		mask[VNIC_INT_BANK(v)] |= VNIC_INT_BIT(v);
	}
	for (bank = 0; bank < VNIC_INT_BANKS; bank++)
		if (mask[bank])
			vnic_wr32(&vd->hw, VNIC_REG_INT_MASK_CLR(bank), mask[bank]);
}

/**
 * vnic_write_vector_coalesce - program one queue vector's moderation
 * @vd: the device
 * @q: the queue pair
 */
void vnic_write_vector_coalesce(struct vnic_dev *vd, unsigned int q)
{
	const struct vnic_coal *c = &vd->coal[q];
	unsigned int v = VNIC_VEC_Q(q);

	vnic_wr32(&vd->hw, VNIC_REG_ITR_RX_USECS(v), c->rx_usecs);
	vnic_wr32(&vd->hw, VNIC_REG_ITR_RX_FRAMES(v), c->rx_frames);
	vnic_wr32(&vd->hw, VNIC_REG_ITR_TX_USECS(v), c->tx_usecs);
	vnic_wr32(&vd->hw, VNIC_REG_ITR_TX_FRAMES(v), c->tx_frames);
}

/**
 * vnic_write_coalesce - program the moderation of every active queue vector
 * @vd: the device
 */
void vnic_write_coalesce(struct vnic_dev *vd)
{
	unsigned int q;

	for (q = 0; q < vd->num_queues; q++)
		vnic_write_vector_coalesce(vd, q);
}

/*
 * lib/dim optimises for throughput; a light flow gains nothing from waiting
 * and pays in latency. Below VNIC_DIM_LIGHT_PPMS interrupt per completion,
 * as with coalescing off; above it, take lib/dim's profile.
 */
static struct dim_cq_moder vnic_dim_moder(const struct dim *dim, bool tx)
{
	struct dim_cq_moder m = { .usec = 0, .pkts = 1 };

	if (dim->prev_stats.ppms < VNIC_DIM_LIGHT_PPMS)
		return m;
	return tx ? net_dim_get_tx_moderation(dim->mode, dim->profile_ix) :
		    net_dim_get_rx_moderation(dim->mode, dim->profile_ix);
}

/* Apply what lib/dim chose for one direction of @nv's vector. */
static void vnic_apply_dim(struct vnic_napi_vector *nv, struct dim *dim, bool tx)
{
	struct dim_cq_moder m = vnic_dim_moder(dim, tx);
	struct vnic_dev *vd = nv->vd;
	unsigned int v = nv->v_idx;

	if (tx) {
		vd->coal[nv->tx.qid].tx_usecs = m.usec;
		vd->coal[nv->tx.qid].tx_frames = m.pkts;
		vnic_wr32(&vd->hw, VNIC_REG_ITR_TX_USECS(v), m.usec);
		vnic_wr32(&vd->hw, VNIC_REG_ITR_TX_FRAMES(v), m.pkts);
	} else {
		vd->coal[nv->rx.qid].rx_usecs = m.usec;
		vd->coal[nv->rx.qid].rx_frames = m.pkts;
		vnic_wr32(&vd->hw, VNIC_REG_ITR_RX_USECS(v), m.usec);
		vnic_wr32(&vd->hw, VNIC_REG_ITR_RX_FRAMES(v), m.pkts);
	}
	dim->state = DIM_START_MEASURE;
}

static void vnic_rx_dim_work(struct work_struct *work)
{
	struct dim *dim = container_of(work, struct dim, work);

	vnic_apply_dim(container_of(dim, struct vnic_napi_vector, rx_dim), dim, false);
}

static void vnic_tx_dim_work(struct work_struct *work)
{
	struct dim *dim = container_of(work, struct dim, work);

	vnic_apply_dim(container_of(dim, struct vnic_napi_vector, tx_dim), dim, true);
}

/**
 * vnic_init_dim - set up adaptive moderation for a vector
 * @nv: the vector
 */
void vnic_init_dim(struct vnic_napi_vector *nv)
{
	INIT_WORK(&nv->rx_dim.work, vnic_rx_dim_work);
	nv->rx_dim.mode = DIM_CQ_PERIOD_MODE_START_FROM_CQE;
	INIT_WORK(&nv->tx_dim.work, vnic_tx_dim_work);
	nv->tx_dim.mode = DIM_CQ_PERIOD_MODE_START_FROM_CQE;
}

/**
 * vnic_cancel_dim - wait for a vector's adaptive moderation work to finish
 * @nv: the vector
 */
void vnic_cancel_dim(struct vnic_napi_vector *nv)
{
	cancel_work_sync(&nv->rx_dim.work);
	cancel_work_sync(&nv->tx_dim.work);
}

/**
 * vnic_update_dim - feed lib/dim a sample at the end of a NAPI cycle
 * @nv: the vector
 *
 * Called from NAPI only, when adaptive moderation is on for RX or TX.
 */
void vnic_update_dim(struct vnic_napi_vector *nv)
{
	struct vnic_dev *vd = nv->vd;
	struct dim_sample sample;

	if (vd->adaptive_rx) {
		dim_update_sample(nv->stats.irqs, nv->rx.stats.packets, nv->rx.stats.bytes,
				  &sample);
		net_dim(&nv->rx_dim, sample);
	}
	if (vd->adaptive_tx) {
		dim_update_sample(nv->stats.irqs, nv->tx.stats.packets, nv->tx.stats.bytes,
				  &sample);
		net_dim(&nv->tx_dim, sample);
	}
}

static irqreturn_t vnic_queue_intr(int irq, void *data)
{
	struct vnic_napi_vector *nv = data;

	vnic_mask_vector(nv->vd, nv->v_idx);
	u64_stats_update_begin(&nv->syncp);
	nv->stats.irqs++;
	u64_stats_update_end(&nv->syncp);
	trace_vnic_irq(nv->vd->netdev, nv->v_idx);
	napi_schedule_irqoff(&nv->napi);
	return IRQ_HANDLED;
}

/**
 * vnic_request_queue_irqs - request the vector of every active queue pair
 * @vd: the device
 *
 * Return: 0 or a negative errno, with nothing left requested.
 */
int vnic_request_queue_irqs(struct vnic_dev *vd)
{
	struct vnic_bus_dev *bdev = vd->bdev;
	unsigned int q;
	int err;

	for (q = 0; q < vd->num_queues; q++) {
		struct vnic_napi_vector *nv = vd->nv[q];

		nv->irq = vnic_bus_irq_vector(bdev, nv->v_idx);
		if (nv->irq < 0) {
			err = nv->irq;
			goto abort_with_irqs;
		}
		snprintf(nv->name, sizeof(nv->name), "%s-TxRx-%u", vd->netdev->name, q);
		err = request_irq(nv->irq, vnic_queue_intr, 0, nv->name, nv);
		if (err) {
			netdev_err(vd->netdev, "request_irq %s failed: %d\n", nv->name, err);
			goto abort_with_irqs;
		}
		vnic_napi_set_irq(&nv->napi, nv->irq);
	}
	return 0;

abort_with_irqs:
	while (q--)
		free_irq(vd->nv[q]->irq, vd->nv[q]);
	return err;
}

/**
 * vnic_free_queue_irqs - free the queue vectors, waiting for running handlers
 * @vd: the device
 */
void vnic_free_queue_irqs(struct vnic_dev *vd)
{
	unsigned int q;

	for (q = 0; q < vd->num_queues; q++) {
		vnic_napi_set_irq(&vd->nv[q]->napi, -1);
		free_irq(vd->nv[q]->irq, vd->nv[q]);
	}
}

static irqreturn_t vnic_misc_intr(int irq, void *data)
{
	struct vnic_dev *vd = data;
	u32 cause;

	cause = vnic_rd32(&vd->hw, VNIC_REG_MISC_CAUSE);
	vnic_wr32(&vd->hw, VNIC_REG_MISC_CAUSE, cause);

	if (cause & VNIC_MISC_TEST)
		atomic_inc(&vd->misc_test_irqs);

	if (cause & VNIC_MISC_LINK_CHANGE) {
		bool up = vnic_rd32(&vd->hw, VNIC_REG_STATUS) & VNIC_STATUS_LINK_UP;

		/*
		 * A stopped datapath keeps its carrier off whatever the wire
		 * does: the TX watchdog runs only with the carrier on, and its
		 * NAPI kick needs the rings (vnic_stop_datapath()).
		 */
		if (up && READ_ONCE(vd->running)) {
			netif_carrier_on(vd->netdev);
			netif_info(vd, link, vd->netdev, "link up\n");
		} else if (!up && netif_carrier_ok(vd->netdev)) {
			netif_carrier_off(vd->netdev);
			netif_info(vd, link, vd->netdev, "link down\n");
		}
	}
	return IRQ_HANDLED;
}

/**
 * vnic_request_misc_irq - request the misc vector (link changes)
 * @vd: the device
 *
 * Return: 0 or a negative errno.
 */
int vnic_request_misc_irq(struct vnic_dev *vd)
{
	int err;

	vd->misc_irq = vnic_bus_irq_vector(vd->bdev, VNIC_VEC_MISC);
	if (vd->misc_irq < 0)
		return vd->misc_irq;

	snprintf(vd->misc_name, sizeof(vd->misc_name), "%s-misc", dev_name(&vd->bdev->dev));
	err = request_irq(vd->misc_irq, vnic_misc_intr, 0, vd->misc_name, vd);
	if (err)
		dev_err(&vd->bdev->dev, "request_irq for the misc vector failed: %d\n", err);
	return err;
}

/**
 * vnic_free_misc_irq - free the misc vector
 * @vd: the device
 */
void vnic_free_misc_irq(struct vnic_dev *vd)
{
	vnic_mask_vector(vd, VNIC_VEC_MISC);
	free_irq(vd->misc_irq, vd);
}
