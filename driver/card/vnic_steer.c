// SPDX-License-Identifier: GPL-2.0
/*
 * The card's flow steering: the rule table a received TCP or UDP frame is
 * matched against before RSS, and the RSS contexts that rules may send it
 * to, each with its own key and indirection table (see VNIC_REG_STEER_BASE
 * in include/vnic_hw.h). The registers live here; vnic_card_rx_pick_queue() in
 * vnic_wire.c asks vnic_card_steer_lookup() and vnic_card_steer_rss() for a frame.
 *
 * A rule is copied between the staging registers and its slot only by a
 * RULE_CMD write, under a seqlock, and the data path matches inside the
 * read side of it: a frame sees a slot either before or after a command,
 * never half written.
 */
#include <linux/bitfield.h>
#include <linux/slab.h>
#include <linux/unaligned.h>

#include "vnic_card_priv.h"

/**
 * vnic_card_steer_init - allocate a port's steering registers, empty
 * @port: the port
 *
 * Return: 0 or -ENOMEM.
 */
int vnic_card_steer_init(struct vnic_port *port)
{
	port->steer = kvzalloc(sizeof(*port->steer), GFP_KERNEL);
	if (!port->steer)
		return -ENOMEM;
	seqlock_init(&port->steer->lock);
	return 0;
}

/**
 * vnic_card_steer_free - free what vnic_card_steer_init() allocated
 * @port: the port; nothing of its data path runs any more
 */
void vnic_card_steer_free(struct vnic_port *port)
{
	kvfree(port->steer);
	port->steer = NULL;
}

/**
 * vnic_card_steer_reset - CTRL.RESET: steering off, no rules, contexts cleared
 * @port: the port
 */
void vnic_card_steer_reset(struct vnic_port *port)
{
	struct vnic_steer *st = port->steer;
	unsigned long flags;

	write_seqlock_irqsave(&st->lock, flags);
	WRITE_ONCE(st->active, false);
	st->ctrl = 0;
	st->nr_slots = 0;
	memset(&st->staging, 0, sizeof(st->staging));
	memset(st->rules, 0, sizeof(st->rules));
	memset(st->ctx, 0, sizeof(st->ctx));
	write_sequnlock_irqrestore(&st->lock, flags);
}

static bool vnic_card_steer_slot_used(const struct vnic_steer *st, u32 slot)
{
	return FIELD_GET(VNIC_RULE_FLOW_TYPE, st->rules[slot].w[VNIC_STEER_W(VNIC_REG_RULE_FLOW)]);
}

/* RULE_CMD, under the write side of the lock. */
static void vnic_card_steer_cmd(struct vnic_steer *st, u32 val)
{
	u32 slot = FIELD_GET(VNIC_RULE_CMD_SLOT, val);

	if (slot >= VNIC_STEER_RULES)
		return;
	switch (FIELD_GET(VNIC_RULE_CMD_OP, val)) {
	case VNIC_RULE_OP_WRITE:
		st->rules[slot] = st->staging;
		break;
	case VNIC_RULE_OP_CLEAR:
		memset(&st->rules[slot], 0, sizeof(st->rules[slot]));
		break;
	case VNIC_RULE_OP_READ:
		st->staging = st->rules[slot];
		return;
	default:
		return;
	}
	if (vnic_card_steer_slot_used(st, slot))
		st->nr_slots = max(st->nr_slots, slot + 1);
	while (st->nr_slots && !vnic_card_steer_slot_used(st, st->nr_slots - 1))
		st->nr_slots--;
}

/* Context c's indirection table or key register at @off, or NULL. */
static u8 *vnic_card_steer_ctx_reg(struct vnic_steer *st, u32 off)
{
	u32 c = (off - VNIC_REG_STEER_BASE) / VNIC_RSS_CTX_STRIDE;
	u32 reg = (off - VNIC_REG_STEER_BASE) % VNIC_RSS_CTX_STRIDE;

	if (c < 1 || c > VNIC_STEER_CTXS)
		return NULL;
	/* Four table entries, or four key bytes, to a word. */
	if (reg < VNIC_RSS_INDIR_SIZE)
		return &st->ctx[c - 1].indir[reg];
	if (reg >= VNIC_RSS_CTX_KEY_OFF && reg < VNIC_RSS_CTX_KEY_OFF + VNIC_RSS_KEY_SIZE)
		return &st->ctx[c - 1].key[reg - VNIC_RSS_CTX_KEY_OFF];
	return NULL;
}

/**
 * vnic_card_steer_read - read a register of the steering range
 * @port: the port
 * @off: offset in BAR0, aligned, within VNIC_REG_STEER_BASE..VNIC_REG_STEER_END
 *
 * Return: its value; 0 for a write-only or unused offset.
 */
u32 vnic_card_steer_read(struct vnic_port *port, u32 off)
{
	struct vnic_steer *st = port->steer;
	unsigned int seq;
	u8 *reg;
	u32 val;

	switch (off) {
	case VNIC_REG_STEER_CTRL:
		return READ_ONCE(st->ctrl);
	case VNIC_REG_STEER_CAPS:
		return FIELD_PREP(VNIC_STEER_CAPS_RULES, VNIC_STEER_RULES) |
		       FIELD_PREP(VNIC_STEER_CAPS_CTXS, VNIC_STEER_CTXS);
	}
	if (off >= VNIC_REG_RULE_FLOW && off < VNIC_REG_RULE_END) {
		do {
			seq = read_seqbegin(&st->lock);
			val = st->staging.w[VNIC_STEER_W(off)];
		} while (read_seqretry(&st->lock, seq));
		return val;
	}
	reg = vnic_card_steer_ctx_reg(st, off);
	return reg ? get_unaligned_le32(reg) : 0;
}

/**
 * vnic_card_steer_write - write a register of the steering range
 * @port: the port
 * @off: offset in BAR0, aligned, within VNIC_REG_STEER_BASE..VNIC_REG_STEER_END
 * @val: the value
 *
 * Any context.
 */
void vnic_card_steer_write(struct vnic_port *port, u32 off, u32 val)
{
	struct vnic_steer *st = port->steer;
	unsigned long flags;
	u8 *reg;

	write_seqlock_irqsave(&st->lock, flags);
	if (off == VNIC_REG_STEER_CTRL) {
		WRITE_ONCE(st->ctrl, val & VNIC_STEER_CTRL_EN);
	} else if (off == VNIC_REG_RULE_CMD) {
		vnic_card_steer_cmd(st, val);
	} else if (off >= VNIC_REG_RULE_FLOW && off < VNIC_REG_RULE_END) {
		st->staging.w[VNIC_STEER_W(off)] = val;
	} else {
		reg = vnic_card_steer_ctx_reg(st, off);
		if (reg)
			put_unaligned_le32(val, reg);
	}
	WRITE_ONCE(st->active, (st->ctrl & VNIC_STEER_CTRL_EN) && st->nr_slots);
	write_sequnlock_irqrestore(&st->lock, flags);
}

static bool vnic_card_steer_rule_match(const struct vnic_steer_rule *r,
				       const struct vnic_steer_flow *fl)
{
	const u32 *w = r->w;
	u32 i, n = fl->alen / 4;

	if (FIELD_GET(VNIC_RULE_FLOW_TYPE, w[VNIC_STEER_W(VNIC_REG_RULE_FLOW)]) != fl->type)
		return false;
	if ((fl->ports ^ w[VNIC_STEER_W(VNIC_REG_RULE_PORTS)]) &
	    w[VNIC_STEER_W(VNIC_REG_RULE_PORTS_MASK)])
		return false;
	for (i = 0; i < n; i++) {
		u32 sip = get_unaligned_le32(fl->addrs + i * 4);
		u32 dip = get_unaligned_le32(fl->addrs + fl->alen + i * 4);

		if ((sip ^ w[VNIC_STEER_W(VNIC_REG_RULE_SIP(i))]) &
		    w[VNIC_STEER_W(VNIC_REG_RULE_SIP_MASK(i))])
			return false;
		if ((dip ^ w[VNIC_STEER_W(VNIC_REG_RULE_DIP(i))]) &
		    w[VNIC_STEER_W(VNIC_REG_RULE_DIP_MASK(i))])
			return false;
	}
	return true;
}

/**
 * vnic_card_steer_find - the first rule of the table that matches a flow
 * @st: the steering registers
 * @fl: the frame's flow
 * @act: set to the rule's RULE_ACT if one matches
 *
 * The caller keeps the table stable (vnic_card_steer_lookup()).
 *
 * Return: true if a rule matched.
 */
bool vnic_card_steer_find(const struct vnic_steer *st, const struct vnic_steer_flow *fl, u32 *act)
{
	u32 slot;

	for (slot = 0; slot < st->nr_slots; slot++) {
		const struct vnic_steer_rule *r = &st->rules[slot];

		if (vnic_card_steer_rule_match(r, fl)) {
			*act = r->w[VNIC_STEER_W(VNIC_REG_RULE_ACT)];
			return true;
		}
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_steer_find);

/**
 * vnic_card_steer_lookup - match a received frame's flow against the rules
 * @port: the receiving port, with vnic_card_steer_on()
 * @fl: the frame's flow
 * @act: set to the matching rule's RULE_ACT
 *
 * Return: true if a rule matched.
 */
bool vnic_card_steer_lookup(struct vnic_port *port, const struct vnic_steer_flow *fl, u32 *act)
{
	struct vnic_steer *st = port->steer;
	unsigned int seq;
	bool hit;

	do {
		seq = read_seqbegin(&st->lock);
		hit = vnic_card_steer_find(st, fl, act);
	} while (read_seqretry(&st->lock, seq));
	return hit;
}

/**
 * vnic_card_steer_rss - the key and indirection table of an RSS context
 * @port: the port
 * @ctx: the context, 0 (or one the card lacks) for the main RSS_KEY and RSS_INDIR
 * @key: set to its key
 * @indir: set to its table
 *
 * Readers use them as they use the main ones: a snapshot of the key, each
 * table entry with READ_ONCE().
 */
void vnic_card_steer_rss(struct vnic_port *port, u32 ctx, const u8 **key, const u8 **indir)
{
	if (ctx < 1 || ctx > VNIC_STEER_CTXS) {
		*key = port->rss_key;
		*indir = port->rss_indir;
		return;
	}
	*key = port->steer->ctx[ctx - 1].key;
	*indir = port->steer->ctx[ctx - 1].indir;
}
