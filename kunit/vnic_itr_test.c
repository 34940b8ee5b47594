// SPDX-License-Identifier: GPL-2.0
/*
 * vnic-itr: the card's interrupt moderation state machine, driven with a
 * fake clock. Each case is a script of steps (a completion, a timer going
 * off, a register write) at given times, with what the vector must do
 * after each: deliver or not, keep a cause pending or not, and when it
 * wants its timer.
 */
#include <kunit/test.h>
#include <linux/ktime.h>

#include "vnic_test_util.h"

enum vnic_itr_t_op {
	VNIC_T_END,
	VNIC_T_RX,		/* an RX completion */
	VNIC_T_TX,		/* a TX completion */
	VNIC_T_EXPIRE,		/* the hrtimer went off */
	VNIC_T_CFG,		/* ITR register write */
	VNIC_T_MASK,
	VNIC_T_UNMASK,
	VNIC_T_ACK,		/* INT_CAUSE write-1-to-clear */
	VNIC_T_RAISE,		/* INT_TEST */
};

#define VNIC_T_NONE	(-1)	/* no deadline */

/**
 * struct vnic_itr_t_step - one step of a script and what must follow
 * @op: what happens
 * @t: when, microseconds on the fake clock
 * @reg: ITR register for VNIC_T_CFG
 * @val: its value
 * @deliver: the interrupt is delivered now
 * @cause: INT_CAUSE is pending afterwards
 * @deadline: when the timer is wanted, microseconds, or VNIC_T_NONE
 * @batch: completions the delivery reports, checked if > 0
 */
struct vnic_itr_t_step {
	enum vnic_itr_t_op op;
	u32 t;
	enum vnic_itr_reg reg;
	u32 val;
	bool deliver;
	bool cause;
	s64 deadline;
	u32 batch;
};

struct vnic_itr_t_case {
	const char *desc;
	struct vnic_itr_t_step steps[12];
};

#define S(_op, _t, _dlv, _cause, _dl) \
	{ .op = VNIC_T_##_op, .t = _t, .deliver = _dlv, .cause = _cause, .deadline = _dl }
#define SB(_op, _t, _batch, _dl) \
	{ .op = VNIC_T_##_op, .t = _t, .deliver = true, .deadline = _dl, .batch = _batch }
#define CFG(_reg, _val, _t, _dlv, _dl) \
	{ .op = VNIC_T_CFG, .t = _t, .reg = VNIC_ITR_##_reg, .val = _val, \
	  .deliver = _dlv, .deadline = _dl }
#define N VNIC_T_NONE

static const struct vnic_itr_t_case vnic_itr_cases[] = {
	{ "no moderation: every completion fires", {
		S(UNMASK, 0, false, false, N),
		SB(RX, 1, 1, N),
		SB(TX, 2, 1, N),
		SB(RX, 3, 1, N),
	} },
	{ "rx-frames 4 fires on the fourth", {
		S(UNMASK, 0, false, false, N),
		CFG(RX_FRAMES, 4, 0, false, N),
		S(RX, 1, false, false, N),
		S(RX, 2, false, false, N),
		S(RX, 3, false, false, N),
		SB(RX, 4, 4, N),
		S(RX, 5, false, false, N),
	} },
	{ "rx-usecs 100 fires 100us after the first", {
		S(UNMASK, 0, false, false, N),
		CFG(RX_USECS, 100, 0, false, N),
		S(RX, 10, false, false, 110),
		S(RX, 50, false, false, 110),
		S(EXPIRE, 109, false, false, 110),
		SB(EXPIRE, 110, 2, N),
		S(RX, 300, false, false, 400),
	} },
	{ "frames before the timer; the timer is then stale", {
		S(UNMASK, 0, false, false, N),
		CFG(RX_FRAMES, 3, 0, false, N),
		CFG(RX_USECS, 100, 0, false, N),
		S(RX, 0, false, false, 100),
		S(RX, 10, false, false, 100),
		SB(RX, 20, 3, N),
		S(EXPIRE, 100, false, false, N),
	} },
	{ "timer before frames", {
		S(UNMASK, 0, false, false, N),
		CFG(RX_FRAMES, 64, 0, false, N),
		CFG(RX_USECS, 50, 0, false, N),
		S(RX, 0, false, false, 50),
		S(RX, 10, false, false, 50),
		SB(EXPIRE, 50, 2, N),
	} },
	{ "masked: the cause waits for unmask", {
		S(RX, 0, false, true, N),
		S(RX, 1, false, true, N),
		SB(UNMASK, 5, 2, N),
		SB(RX, 6, 1, N),
	} },
	{ "masked: the timer fires into the cause", {
		CFG(RX_USECS, 100, 0, false, N),
		S(RX, 0, false, false, 100),
		S(EXPIRE, 100, false, true, N),
		S(RX, 150, false, true, 250),
		SB(UNMASK, 160, 1, 250),
		SB(EXPIRE, 250, 1, N),
	} },
	{ "W1C drops a pending cause", {
		S(RX, 0, false, true, N),
		S(ACK, 1, false, false, N),
		S(UNMASK, 2, false, false, N),
	} },
	{ "mask after completions: nothing is lost", {
		S(UNMASK, 0, false, false, N),
		CFG(RX_FRAMES, 2, 0, false, N),
		S(RX, 0, false, false, N),
		S(MASK, 1, false, false, N),
		S(RX, 2, false, true, N),
		S(MASK, 3, false, true, N),
		SB(UNMASK, 4, 2, N),
	} },
	{ "re-arm: a longer rx-usecs moves the deadline", {
		S(UNMASK, 0, false, false, N),
		CFG(RX_USECS, 100, 0, false, N),
		S(RX, 0, false, false, 100),
		CFG(RX_USECS, 200, 50, false, 200),
		S(EXPIRE, 100, false, false, 200),
		SB(EXPIRE, 200, 1, N),
	} },
	{ "re-arm: a shorter rx-usecs fires at once when overdue", {
		S(UNMASK, 0, false, false, N),
		CFG(RX_USECS, 100, 0, false, N),
		S(RX, 0, false, false, 100),
		{ .op = VNIC_T_CFG, .t = 50, .reg = VNIC_ITR_RX_USECS, .val = 20,
		  .deliver = true, .deadline = N, .batch = 1 },
	} },
	{ "re-arm: a completion at the deadline beats the timer", {
		S(UNMASK, 0, false, false, N),
		CFG(RX_USECS, 100, 0, false, N),
		S(RX, 0, false, false, 100),
		SB(RX, 100, 2, N),
		S(EXPIRE, 100, false, false, N),
	} },
	{ "lowering rx-frames below what is pending fires", {
		S(UNMASK, 0, false, false, N),
		CFG(RX_FRAMES, 8, 0, false, N),
		S(RX, 1, false, false, N),
		S(RX, 2, false, false, N),
		S(RX, 3, false, false, N),
		S(RX, 4, false, false, N),
		S(RX, 5, false, false, N),
		{ .op = VNIC_T_CFG, .t = 6, .reg = VNIC_ITR_RX_FRAMES, .val = 4,
		  .deliver = true, .deadline = N, .batch = 5 },
	} },
	{ "RX and TX share the vector", {
		S(UNMASK, 0, false, false, N),
		CFG(RX_USECS, 100, 0, false, N),
		CFG(TX_FRAMES, 2, 0, false, N),
		S(RX, 0, false, false, 100),
		S(TX, 10, false, false, 100),
		SB(TX, 20, 3, N),
	} },
	{ "the earlier of the RX and TX timers wins", {
		S(UNMASK, 0, false, false, N),
		CFG(RX_USECS, 100, 0, false, N),
		CFG(TX_USECS, 30, 0, false, N),
		S(RX, 0, false, false, 100),
		S(TX, 10, false, false, 40),
		SB(EXPIRE, 40, 2, N),
	} },
	{ "frames only (usecs 0) waits for traffic", {
		S(UNMASK, 0, false, false, N),
		CFG(RX_FRAMES, 2, 0, false, N),
		S(RX, 0, false, false, N),
		S(EXPIRE, 5000, false, false, N),
		SB(RX, 5001, 2, N),
	} },
	{ "timer only (frames 0)", {
		S(UNMASK, 0, false, false, N),
		CFG(TX_USECS, 30, 0, false, N),
		S(TX, 0, false, false, 30),
		S(TX, 1, false, false, 30),
		S(TX, 2, false, false, 30),
		SB(EXPIRE, 30, 3, N),
	} },
	{ "INT_TEST fires at once, or pends while masked", {
		S(UNMASK, 0, false, false, N),
		S(RAISE, 1, true, false, N),
		S(MASK, 2, false, false, N),
		S(RAISE, 3, false, true, N),
		S(UNMASK, 4, true, false, N),
	} },
};

#undef N

static void vnic_itr_case_desc(const struct vnic_itr_t_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vnic_itr_script, vnic_itr_cases, vnic_itr_case_desc);

static void vnic_itr_script_test(struct kunit *test)
{
	const struct vnic_itr_t_case *c = test->param_value;
	struct vnic_itr itr;
	unsigned int i;

	vnic_card_itr_init(&itr);
	for (i = 0; i < ARRAY_SIZE(c->steps) && c->steps[i].op != VNIC_T_END; i++) {
		const struct vnic_itr_t_step *s = &c->steps[i];
		ktime_t now = ns_to_ktime(s->t * NSEC_PER_USEC);
		ktime_t want = s->deadline == VNIC_T_NONE ? KTIME_MAX :
			       ns_to_ktime(s->deadline * NSEC_PER_USEC);
		bool deliver = false;
		u32 batch;

		switch (s->op) {
		case VNIC_T_RX:
		case VNIC_T_TX:
			deliver = vnic_card_itr_complete(&itr, s->op == VNIC_T_RX, now);
			break;
		case VNIC_T_EXPIRE:
			deliver = vnic_card_itr_expire(&itr, now);
			break;
		case VNIC_T_CFG:
			deliver = vnic_card_itr_configure(&itr, s->reg, s->val, now);
			break;
		case VNIC_T_MASK:
		case VNIC_T_UNMASK:
			deliver = vnic_card_itr_set_masked(&itr, s->op == VNIC_T_MASK);
			break;
		case VNIC_T_ACK:
			vnic_card_itr_ack(&itr);
			break;
		case VNIC_T_RAISE:
			deliver = vnic_card_itr_raise(&itr);
			break;
		case VNIC_T_END:
			break;
		}

		KUNIT_EXPECT_EQ_MSG(test, deliver, s->deliver, "step %u (t=%u)", i, s->t);
		KUNIT_EXPECT_EQ_MSG(test, itr.cause, s->cause, "step %u (t=%u)", i, s->t);
		KUNIT_EXPECT_EQ_MSG(test, ktime_to_ns(vnic_card_itr_deadline(&itr)),
				    ktime_to_ns(want), "step %u (t=%u)", i, s->t);
		if (deliver) {
			batch = vnic_card_itr_take_batch(&itr);
			if (s->batch)
				KUNIT_EXPECT_EQ_MSG(test, batch, s->batch,
						    "step %u (t=%u)", i, s->t);
		}
	}
}

struct vnic_itr_t_clamp {
	const char *desc;
	enum vnic_itr_reg reg;
	u32 val;
	u32 want;
};

static const struct vnic_itr_t_clamp vnic_itr_clamps[] = {
	{ "rx-usecs within range", VNIC_ITR_RX_USECS, 250, 250 },
	{ "rx-usecs clamped", VNIC_ITR_RX_USECS, 20000, VNIC_HW_ITR_MAX_USECS },
	{ "tx-usecs clamped", VNIC_ITR_TX_USECS, U32_MAX, VNIC_HW_ITR_MAX_USECS },
	{ "rx-frames clamped", VNIC_ITR_RX_FRAMES, 5000, VNIC_HW_ITR_MAX_FRAMES },
	{ "tx-frames within range", VNIC_ITR_TX_FRAMES, 64, 64 },
};

KUNIT_ARRAY_PARAM_DESC(vnic_itr_clamp, vnic_itr_clamps, desc);

static void vnic_itr_clamp_test(struct kunit *test)
{
	const struct vnic_itr_t_clamp *c = test->param_value;
	struct vnic_itr itr;

	vnic_card_itr_init(&itr);
	KUNIT_EXPECT_TRUE(test, itr.masked);
	KUNIT_EXPECT_FALSE(test, vnic_card_itr_configure(&itr, c->reg, c->val, 0));
	KUNIT_EXPECT_EQ(test, vnic_card_itr_config(&itr, c->reg), c->want);
}

VNIC_T_SUITE(vnic_itr_test, "vnic-itr", NULL,
	     KUNIT_CASE_PARAM(vnic_itr_script_test, vnic_itr_script_gen_params),
	     KUNIT_CASE_PARAM(vnic_itr_clamp_test, vnic_itr_clamp_gen_params));
