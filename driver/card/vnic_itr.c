// SPDX-License-Identifier: GPL-2.0
/*
 * The card's interrupt moderation: vnic_itr_*() is a pure state machine
 * that is told the time; it decides when a vector fires and whether the
 * fire is delivered now (unmasked) or left pending in INT_CAUSE (masked).
 * The vectors that run it, with their timer and delivery, are in
 * vnic_vec.c.
 *
 * Semantics, per vector (RX and TX of a queue pair share it):
 *  - a completion is pending until a fire covers it; a fire covers all
 *    pending RX and TX completions;
 *  - it fires when the pending RX (TX) completions reach rx-frames
 *    (tx-frames), or rx-usecs (tx-usecs) after the oldest pending one,
 *    whichever comes first;
 *  - usecs 0 disables the timer and frames 0 the count, as in struct
 *    ethtool_coalesce; both 0 fires on every completion. With usecs 0 and
 *    frames N > 1 completions below N wait for more traffic, as on real
 *    NICs: a driver that wants a bound must keep a timer;
 *  - moderation runs whether or not the vector is masked; a fire while
 *    masked sets the cause bit, which is delivered on unmask unless the
 *    driver clears it first (W1C).
 */
#include <linux/kernel.h>
#include <linux/minmax.h>

#include "vnic_card_priv.h"

/**
 * vnic_card_itr_init - reset state: no moderation, nothing pending, masked
 * @itr: the state
 */
void vnic_card_itr_init(struct vnic_itr *itr)
{
	*itr = (struct vnic_itr) {
		.rx_first = KTIME_MAX,
		.tx_first = KTIME_MAX,
		.masked = true,
	};
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_itr_init);

static bool vnic_card_itr_due_one(u32 pending, u32 frames, u32 usecs, ktime_t first,
				  ktime_t now)
{
	if (!pending)
		return false;
	if (!frames && !usecs)
		return true;
	if (frames && pending >= frames)
		return true;
	return usecs && ktime_compare(now, ktime_add_us(first, usecs)) >= 0;
}

static bool vnic_card_itr_deliver(struct vnic_itr *itr)
{
	if (!itr->cause || itr->masked)
		return false;
	itr->cause = false;
	return true;
}

static bool vnic_card_itr_fire(struct vnic_itr *itr)
{
	itr->batch += itr->rx_pending + itr->tx_pending;
	itr->rx_pending = 0;
	itr->tx_pending = 0;
	itr->rx_first = KTIME_MAX;
	itr->tx_first = KTIME_MAX;
	itr->cause = true;
	return vnic_card_itr_deliver(itr);
}

static bool vnic_card_itr_check(struct vnic_itr *itr, ktime_t now)
{
	if (vnic_card_itr_due_one(itr->rx_pending, itr->rx_frames, itr->rx_usecs,
				  itr->rx_first, now) ||
	    vnic_card_itr_due_one(itr->tx_pending, itr->tx_frames, itr->tx_usecs,
				  itr->tx_first, now))
		return vnic_card_itr_fire(itr);
	return false;
}

/**
 * vnic_card_itr_complete - account one completion written by the card
 * @itr: the vector's state
 * @rx: an RX completion (else TX)
 * @now: current time
 *
 * Return: true if the interrupt must be delivered now.
 */
bool vnic_card_itr_complete(struct vnic_itr *itr, bool rx, ktime_t now)
{
	if (rx) {
		if (!itr->rx_pending++)
			itr->rx_first = now;
	} else {
		if (!itr->tx_pending++)
			itr->tx_first = now;
	}
	return vnic_card_itr_check(itr, now);
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_itr_complete);

/**
 * vnic_card_itr_expire - the moderation timer went off
 * @itr: the vector's state
 * @now: current time
 *
 * The timer may be stale (the vector fired on frames meanwhile) or early
 * (the deadline moved); both are harmless, and the caller re-arms the
 * timer from vnic_card_itr_deadline().
 *
 * Return: true if the interrupt must be delivered now.
 */
bool vnic_card_itr_expire(struct vnic_itr *itr, ktime_t now)
{
	return vnic_card_itr_check(itr, now);
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_itr_expire);

/**
 * vnic_card_itr_configure - write one ITR register; applies live
 * @itr: the vector's state
 * @reg: which register
 * @val: its value, clamped to the card's limits
 * @now: current time
 *
 * Pending completions are judged by the new values at once: lowering
 * frames below what is pending fires now, and a changed usecs moves the
 * deadline of the oldest pending completion.
 *
 * Return: true if the interrupt must be delivered now.
 */
bool vnic_card_itr_configure(struct vnic_itr *itr, enum vnic_itr_reg reg, u32 val,
			     ktime_t now)
{
	switch (reg) {
	case VNIC_ITR_RX_USECS:
		itr->rx_usecs = min(val, VNIC_HW_ITR_MAX_USECS);
		break;
	case VNIC_ITR_RX_FRAMES:
		itr->rx_frames = min(val, VNIC_HW_ITR_MAX_FRAMES);
		break;
	case VNIC_ITR_TX_USECS:
		itr->tx_usecs = min(val, VNIC_HW_ITR_MAX_USECS);
		break;
	case VNIC_ITR_TX_FRAMES:
		itr->tx_frames = min(val, VNIC_HW_ITR_MAX_FRAMES);
		break;
	}
	return vnic_card_itr_check(itr, now);
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_itr_configure);

/**
 * vnic_card_itr_config - read one ITR register
 * @itr: the vector's state
 * @reg: which register
 *
 * Return: the register's value.
 */
u32 vnic_card_itr_config(const struct vnic_itr *itr, enum vnic_itr_reg reg)
{
	switch (reg) {
	case VNIC_ITR_RX_USECS:
		return itr->rx_usecs;
	case VNIC_ITR_RX_FRAMES:
		return itr->rx_frames;
	case VNIC_ITR_TX_USECS:
		return itr->tx_usecs;
	case VNIC_ITR_TX_FRAMES:
		return itr->tx_frames;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_itr_config);

/**
 * vnic_card_itr_set_masked - write the vector's mask bit
 * @itr: the vector's state
 * @masked: the new mask bit
 *
 * Return: true if unmasking found a pending cause to deliver.
 */
bool vnic_card_itr_set_masked(struct vnic_itr *itr, bool masked)
{
	itr->masked = masked;
	return vnic_card_itr_deliver(itr);
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_itr_set_masked);

/**
 * vnic_card_itr_raise - fire now, whatever moderation says (INT_TEST, misc)
 * @itr: the vector's state
 *
 * Return: true if the interrupt must be delivered now.
 */
bool vnic_card_itr_raise(struct vnic_itr *itr)
{
	return vnic_card_itr_fire(itr);
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_itr_raise);

/**
 * vnic_card_itr_ack - clear a pending cause without delivering it (W1C)
 * @itr: the vector's state
 */
void vnic_card_itr_ack(struct vnic_itr *itr)
{
	itr->cause = false;
	itr->batch = 0;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_itr_ack);

/**
 * vnic_card_itr_deadline - when the state machine next needs vnic_card_itr_expire()
 * @itr: the vector's state
 *
 * Return: the earliest usecs deadline of the pending completions, or
 * KTIME_MAX if no timer is needed.
 */
ktime_t vnic_card_itr_deadline(const struct vnic_itr *itr)
{
	ktime_t deadline = KTIME_MAX;

	if (itr->rx_pending && itr->rx_usecs)
		deadline = ktime_add_us(itr->rx_first, itr->rx_usecs);
	if (itr->tx_pending && itr->tx_usecs)
		deadline = min(deadline, ktime_add_us(itr->tx_first, itr->tx_usecs));
	return deadline;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_itr_deadline);

/**
 * vnic_card_itr_take_batch - completions reported by the delivery being made
 * @itr: the vector's state
 *
 * Return: the count, which restarts from zero.
 */
u32 vnic_card_itr_take_batch(struct vnic_itr *itr)
{
	u32 batch = itr->batch;

	itr->batch = 0;
	return batch;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_itr_take_batch);
