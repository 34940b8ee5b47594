// SPDX-License-Identifier: GPL-2.0
/*
 * The card's interrupt vectors: a small irq_domain per card (in the manner
 * of kernel/irq/irq_sim.c, which Debian does not export), one Linux IRQ per
 * vector, each running the moderation state machine of vnic_itr.c. This is
 * the plumbing around it: a hard hrtimer that wakes the state machine when
 * a usecs deadline passes, and the delivery that calls the driver's handler
 * through generic_handle_domain_irq_safe(), so counts show in
 * /proc/interrupts.
 *
 * Each vector has an affinity, as an MSI-X vector has: the IRQ's
 * smp_affinity (/proc/irq/N/smp_affinity, irqbalance, a driver's hint). A
 * fire is delivered on the CPU that raised it when that CPU is in the mask
 * (with the default mask of all CPUs, always), else on the first online
 * CPU of the mask, by IPI. On the raising CPU, a fire of the card's own
 * (the engine's completion, the moderation timer) runs the handler at once,
 * with IRQs off; one that a register write of the driver's causes
 * (unmasking a pending cause, INT_TEST, ITR) runs it from a hard irq_work,
 * never on the driver's own stack.
 */
#include <linux/bitops.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/kernel.h>

#include "vnic_card_priv.h"
#include "vnic_trace.h"

/*
 * Send a fire to another CPU of the vector's affinity, by IPI, if this one
 * is not among them. vec->lock held, so IRQs are off.
 * Return: true if it is this CPU's to deliver.
 */
static bool vnic_card_vec_send(struct vnic_vec *vec)
{
	const struct cpumask *aff = irq_data_get_affinity_mask(vec->irqd);
	unsigned int target;

	if (!cpumask_test_cpu(smp_processor_id(), aff)) {
		target = cpumask_first_and(aff, cpu_online_mask);
		if (target < nr_cpu_ids) {
			atomic_inc(&vec->ipis);
			/* Busy: the one under way has yet to run, and covers this. */
			if (smp_call_function_single_async(target, &vec->csd))
				atomic_dec(&vec->ipis);
			return false;
		}
	}
	return true;
}

/*
 * Act on a transition's verdict and keep the timer in step. vec->lock held.
 * Return: true if the caller must deliver a fire on this CPU once it drops
 * the lock (vnic_card_vec_fire()).
 */
static bool vnic_card_vec_apply(struct vnic_vec *vec, bool deliver)
{
	struct vnic_port *port = vec->port;
	ktime_t deadline;
	bool local = false;

	lockdep_assert_held(&vec->lock);
	if (deliver) {
		trace_vnic_irq_raise(port->card->id, port->idx, vec->idx,
				     vnic_card_itr_take_batch(&vec->itr));
		local = vnic_card_vec_send(vec);
	}

	/*
	 * Only an earlier deadline moves the timer. A later or vanished one
	 * leaves it be: when it goes off the state machine finds nothing due
	 * and the timer is set again from the current deadline.
	 */
	deadline = vnic_card_itr_deadline(&vec->itr);
	if (deadline < vec->armed) {
		vec->armed = deadline;
		hrtimer_start(&vec->timer, deadline, HRTIMER_MODE_ABS_HARD);
	}
	return local;
}

/* What moderation decided, and why, for the tracepoint. vec->lock held. */
static void vnic_card_vec_trace(struct vnic_vec *vec, bool timer, bool rx, bool fire, ktime_t now)
{
	const struct vnic_itr *itr = &vec->itr;
	ktime_t deadline = vnic_card_itr_deadline(itr);

	trace_vnic_itr_decide(vec->port->card->id, vec->port->idx, vec->idx, timer, rx,
			      itr->rx_pending, itr->tx_pending,
			      rx ? itr->rx_usecs : itr->tx_usecs,
			      rx ? itr->rx_frames : itr->tx_frames, itr->masked, fire,
			      deadline == KTIME_MAX ? -1 :
			      ktime_us_delta(deadline, now));
}

static void vnic_card_vec_handle(struct vnic_vec *vec)
{
	struct vnic_port *port = vec->port;

	/* A lost interrupt: its cause is gone, and nothing arrives. */
	if (vnic_card_fault_irq_lost(port))
		return;
	vnic_card_port_count(port, VNIC_STAT_IRQS);
	/* IRQs off, as in the hard IRQ of an irq_work, an IPI or the timer. */
	generic_handle_domain_irq_safe(port->card->domain, vec->hwirq);
}

static void vnic_card_vec_deliver(struct irq_work *work)
{
	vnic_card_vec_handle(container_of(work, struct vnic_vec, work));
}

/*
 * Deliver a fire on this CPU, vec->lock dropped. From the card's own
 * contexts, its engine (bottom halves off) and its moderation timer (hard
 * IRQ), the handler runs at once, as a raised MSI-X vector interrupts the
 * CPU it targets, with IRQs off; the driver's NAPI then runs when that
 * context ends. From anywhere else, a register write of the driver's
 * (unmask, INT_TEST, ITR), it runs from a self-interrupt (irq_work), not on
 * the driver's stack.
 */
static void vnic_card_vec_fire(struct vnic_vec *vec, bool local, bool now)
{
	if (!local)
		return;
	if (now)
		vnic_card_vec_handle(vec);
	else
		irq_work_queue(&vec->work);
}

static enum hrtimer_restart vnic_card_vec_timer(struct hrtimer *timer)
{
	struct vnic_vec *vec = container_of(timer, struct vnic_vec, timer);
	unsigned long flags;
	bool deliver;
	ktime_t now;
	bool local;

	spin_lock_irqsave(&vec->lock, flags);
	vec->armed = KTIME_MAX;
	now = ktime_get();
	deliver = vnic_card_itr_expire(&vec->itr, now);
	if (trace_vnic_itr_decide_enabled())
		vnic_card_vec_trace(vec, true, true, deliver, now);
	/* Re-arming, if needed, is an hrtimer_start() from the callback. */
	local = vnic_card_vec_apply(vec, deliver);
	spin_unlock_irqrestore(&vec->lock, flags);
	vnic_card_vec_fire(vec, local, true);
	return HRTIMER_NORESTART;
}

/* The IPI of a vector delivered to another CPU; hard-IRQ context there. */
static void vnic_card_vec_ipi(void *info)
{
	struct vnic_vec *vec = info;

	vnic_card_vec_handle(vec);
	atomic_dec(&vec->ipis);
}

/**
 * vnic_card_vec_complete - tell a queue pair's vector about a written completion
 * @port: the port
 * @qid: the queue pair
 * @rx: an RCQ entry (else TXC)
 *
 * Any context but hard IRQ; in practice the engine's softirq.
 */
void vnic_card_vec_complete(struct vnic_port *port, u16 qid, bool rx)
{
	u32 idx = READ_ONCE(port->q_vec[qid]);
	struct vnic_vec *vec;
	unsigned long flags;
	bool deliver;
	ktime_t now;
	bool local;

	/* A queue steered to a vector the port lacks raises nothing. */
	if (idx >= port->num_vecs)
		return;
	vec = &port->vec[idx];
	spin_lock_irqsave(&vec->lock, flags);
	now = ktime_get();
	deliver = vnic_card_itr_complete(&vec->itr, rx, now);
	if (trace_vnic_itr_decide_enabled())
		vnic_card_vec_trace(vec, false, rx, deliver, now);
	local = vnic_card_vec_apply(vec, deliver);
	spin_unlock_irqrestore(&vec->lock, flags);
	/* The engine runs with bottom halves off: the handler may run here. */
	vnic_card_vec_fire(vec, local, in_interrupt());
}

/**
 * vnic_card_vec_misc - raise the misc vector with the given MISC_CAUSE bits
 * @port: the port
 * @cause: VNIC_MISC_* bits
 */
void vnic_card_vec_misc(struct vnic_port *port, u32 cause)
{
	struct vnic_vec *vec = &port->vec[VNIC_VEC_MISC];
	unsigned long flags;
	bool local;

	spin_lock_irqsave(&vec->lock, flags);
	port->misc_cause |= cause;
	local = vnic_card_vec_apply(vec, vnic_card_itr_raise(&vec->itr));
	spin_unlock_irqrestore(&vec->lock, flags);
	vnic_card_vec_fire(vec, local, false);
}

/**
 * vnic_card_vec_raise - fire a vector now (INT_TEST)
 * @vec: the vector
 */
void vnic_card_vec_raise(struct vnic_vec *vec)
{
	unsigned long flags;
	bool local;

	spin_lock_irqsave(&vec->lock, flags);
	if (vec->idx == VNIC_VEC_MISC)
		vec->port->misc_cause |= VNIC_MISC_TEST;
	local = vnic_card_vec_apply(vec, vnic_card_itr_raise(&vec->itr));
	spin_unlock_irqrestore(&vec->lock, flags);
	vnic_card_vec_fire(vec, local, false);
}

/**
 * vnic_card_vec_ack - clear the vector's pending cause (INT_CAUSE W1C)
 * @vec: the vector
 */
void vnic_card_vec_ack(struct vnic_vec *vec)
{
	unsigned long flags;

	spin_lock_irqsave(&vec->lock, flags);
	vnic_card_itr_ack(&vec->itr);
	spin_unlock_irqrestore(&vec->lock, flags);
}

/**
 * vnic_card_vec_set_masked - mask or unmask; unmasking delivers a pending cause
 * @vec: the vector
 * @masked: mask (else unmask)
 */
void vnic_card_vec_set_masked(struct vnic_vec *vec, bool masked)
{
	unsigned long flags;
	bool local;

	spin_lock_irqsave(&vec->lock, flags);
	local = vnic_card_vec_apply(vec, vnic_card_itr_set_masked(&vec->itr, masked));
	spin_unlock_irqrestore(&vec->lock, flags);
	vnic_card_vec_fire(vec, local, false);
}

/**
 * vnic_card_vec_read_itr - read one of the vector's ITR registers
 * @vec: the vector
 * @reg: which one
 *
 * Return: its value.
 */
u32 vnic_card_vec_read_itr(struct vnic_vec *vec, enum vnic_itr_reg reg)
{
	unsigned long flags;
	u32 val;

	spin_lock_irqsave(&vec->lock, flags);
	val = vnic_card_itr_config(&vec->itr, reg);
	spin_unlock_irqrestore(&vec->lock, flags);
	return val;
}

/**
 * vnic_card_vec_write_itr - write one of the vector's ITR registers, live
 * @vec: the vector
 * @reg: which one
 * @val: the value
 */
void vnic_card_vec_write_itr(struct vnic_vec *vec, enum vnic_itr_reg reg, u32 val)
{
	unsigned long flags;
	bool local;

	spin_lock_irqsave(&vec->lock, flags);
	local = vnic_card_vec_apply(vec, vnic_card_itr_configure(&vec->itr, reg, val, ktime_get()));
	spin_unlock_irqrestore(&vec->lock, flags);
	vnic_card_vec_fire(vec, local, false);
}

/**
 * vnic_card_vec_reset - masked, no cause, no moderation, nothing pending
 * @vec: the vector
 *
 * An armed timer is left to go off and find nothing to do.
 */
void vnic_card_vec_reset(struct vnic_vec *vec)
{
	unsigned long flags;

	spin_lock_irqsave(&vec->lock, flags);
	vnic_card_itr_init(&vec->itr);
	if (vec->idx == VNIC_VEC_MISC)
		vec->port->misc_cause = 0;
	spin_unlock_irqrestore(&vec->lock, flags);
}

/**
 * vnic_card_vec_quiesce - wait until the vector's timer and delivery are idle
 * @vec: the vector, reset, with nothing left that could raise it
 */
void vnic_card_vec_quiesce(struct vnic_vec *vec)
{
	hrtimer_cancel(&vec->timer);
	irq_work_sync(&vec->work);
	/* An IPI's last touch of @vec is its decrement. */
	while (atomic_read(&vec->ipis))
		cpu_relax();
}

/**
 * vnic_card_vec_init - set up a vector and map its Linux IRQ
 * @port: the port
 * @vec: the vector
 * @idx: vector number
 *
 * Return: 0 or a negative errno.
 */
int vnic_card_vec_init(struct vnic_port *port, struct vnic_vec *vec, unsigned int idx)
{
	spin_lock_init(&vec->lock);
	vnic_card_itr_init(&vec->itr);
	vec->armed = KTIME_MAX;
	hrtimer_init(&vec->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_HARD);
	vec->timer.function = vnic_card_vec_timer;
	vec->work = IRQ_WORK_INIT_HARD(vnic_card_vec_deliver);
	INIT_CSD(&vec->csd, vnic_card_vec_ipi, vec);
	atomic_set(&vec->ipis, 0);
	vec->port = port;
	vec->idx = idx;
	vec->hwirq = port->idx * VNIC_HW_MAX_VECTORS + idx;
	vec->virq = irq_create_mapping(port->card->domain, vec->hwirq);
	if (!vec->virq)
		return -ENOMEM;
	vec->irqd = irq_get_irq_data(vec->virq);
	return 0;
}

/**
 * vnic_card_vec_free - undo vnic_card_vec_init(); the vector must be quiesced
 * @vec: the vector
 */
void vnic_card_vec_free(struct vnic_vec *vec)
{
	if (vec->virq)
		irq_dispose_mapping(vec->virq);
	vec->virq = 0;
}

/*
 * The chip has nothing to program: masking lives in the card's registers,
 * and a disable_irq() is honoured by handle_simple_irq() itself.
 */
static void vnic_card_irq_noop(struct irq_data *data)
{
}

/* Any mask goes; vnic_card_vec_send() reads it at each fire. */
static int vnic_card_irq_set_affinity(struct irq_data *data, const struct cpumask *mask,
				      bool force)
{
	irq_data_update_effective_affinity(data, mask);
	return IRQ_SET_MASK_OK;
}

static struct irq_chip vnic_irq_chip = {
	.name			= "vnic",
	.irq_mask		= vnic_card_irq_noop,
	.irq_unmask		= vnic_card_irq_noop,
	.irq_set_affinity	= vnic_card_irq_set_affinity,
};

static int vnic_card_irq_map(struct irq_domain *domain, unsigned int virq,
			     irq_hw_number_t hwirq)
{
	irq_set_chip_and_handler(virq, &vnic_irq_chip, handle_simple_irq);
	irq_set_chip_data(virq, domain->host_data);
	/* Affinity changes take effect at once, not at the next interrupt. */
	irq_modify_status(virq, IRQ_NOREQUEST | IRQ_NOAUTOEN, IRQ_NOPROBE | IRQ_MOVE_PCNTXT);
	return 0;
}

static void vnic_card_irq_unmap(struct irq_domain *domain, unsigned int virq)
{
	irq_set_chip_and_handler(virq, NULL, NULL);
	irq_set_chip_data(virq, NULL);
}

static const struct irq_domain_ops vnic_irq_domain_ops = {
	.map	= vnic_card_irq_map,
	.unmap	= vnic_card_irq_unmap,
};

/**
 * vnic_card_irq_domain_create - give the card its interrupt controller
 * @card: the card; vectors are mapped later by vnic_card_vec_init()
 *
 * Return: 0 or a negative errno.
 */
int vnic_card_irq_domain_create(struct vnic_card *card)
{
	char name[32];

	snprintf(name, sizeof(name), "vnic-card%u", card->id);
	card->fwnode = irq_domain_alloc_named_fwnode(name);
	if (!card->fwnode)
		return -ENOMEM;

	card->domain = irq_domain_create_linear(card->fwnode,
						VNIC_CARD_PORTS * VNIC_HW_MAX_VECTORS,
						&vnic_irq_domain_ops, card);
	if (!card->domain) {
		irq_domain_free_fwnode(card->fwnode);
		card->fwnode = NULL;
		return -ENOMEM;
	}
	return 0;
}

/**
 * vnic_card_irq_domain_destroy - remove the card's interrupt controller
 * @card: the card, all of whose vectors are freed
 */
void vnic_card_irq_domain_destroy(struct vnic_card *card)
{
	if (!card->domain)
		return;
	irq_domain_remove(card->domain);
	irq_domain_free_fwnode(card->fwnode);
	card->domain = NULL;
	card->fwnode = NULL;
}
