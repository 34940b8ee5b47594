// SPDX-License-Identifier: GPL-2.0
/*
 * The link between the card's two ports: the cable, each port's link
 * settings (LINK_CTRL, LINK_ADVERTISE) and what the two ends make of them.
 *
 * Negotiation is immediate: whenever the cable or a setting of either port
 * changes, both ends are worked out again (vnic_card_link_resolve(), the rules
 * in vnic_hw.h), and a port whose link came up, went down or changed mode
 * gets MISC_CAUSE.LINK_CHANGE. The result feeds the data path twice: a
 * port whose link is down completes what it sends with NO_LINK (unless it
 * loops back), and the link mode paces the wire (vnic_card_wire_rate()).
 */
#include <linux/bitfield.h>
#include <linux/bitops.h>
#include <linux/spinlock.h>

#include "vnic_card_priv.h"

/* Mbit/s of each VNIC_LINK_MODE_*. */
static const u32 vnic_link_speeds[VNIC_LINK_MODES] = {
	[VNIC_LINK_MODE_1000_X]		= 1000,
	[VNIC_LINK_MODE_10000_CR]	= 10000,
	[VNIC_LINK_MODE_25000_CR]	= 25000,
	[VNIC_LINK_MODE_50000_CR2]	= 50000,
	[VNIC_LINK_MODE_100000_CR4]	= 100000,
};

/* The top mode is not paced: see "Link modes" in vnic_hw.h. */
#define VNIC_LINK_MODE_UNPACED		(VNIC_LINK_MODES - 1)

/**
 * vnic_card_link_resolve - what one end of the wire gets from both ends' settings
 * @cable: the cable is in
 * @self: this end's settings
 * @peer: the other end's
 * @res: LINK_STATUS and LINK_PARTNER of this end, on return
 *
 * Pure: the same settings always give the same result, and swapping @self
 * and @peer gives the other end's, which is up at the same mode or down.
 */
void vnic_card_link_resolve(bool cable, const struct vnic_link_cfg *self,
			    const struct vnic_link_cfg *peer, struct vnic_link_res *res)
{
	bool self_an = self->ctrl & VNIC_LINK_CTRL_AUTONEG;
	bool peer_an = peer->ctrl & VNIC_LINK_CTRL_AUTONEG;
	u32 self_adv = self->adv & VNIC_LINK_MODES_ALL;
	u32 peer_adv = peer->adv & VNIC_LINK_MODES_ALL;
	u32 mode, down;

	res->partner = 0;
	if (!cable) {
		down = VNIC_LINK_DOWN_NO_CABLE;
		goto link_down;
	}
	if (!(self->ctrl & VNIC_LINK_CTRL_EN)) {
		down = VNIC_LINK_DOWN_DISABLED;
		goto link_down;
	}
	if (!(peer->ctrl & VNIC_LINK_CTRL_EN)) {
		down = VNIC_LINK_DOWN_NO_PARTNER;
		goto link_down;
	}
	/* Only a partner that autonegotiates sends its abilities. */
	if (peer_an)
		res->partner = peer_adv;

	if (self_an && peer_an) {
		if (!(self_adv & peer_adv)) {
			down = VNIC_LINK_DOWN_NO_COMMON;
			goto link_down;
		}
		mode = __fls(self_adv & peer_adv);
	} else if (self_an) {
		mode = FIELD_GET(VNIC_LINK_CTRL_FORCE, peer->ctrl);
		if (mode >= VNIC_LINK_MODES || !(self_adv & BIT(mode))) {
			down = VNIC_LINK_DOWN_NO_ACK;
			goto link_down;
		}
	} else {
		mode = FIELD_GET(VNIC_LINK_CTRL_FORCE, self->ctrl);
		if (mode >= VNIC_LINK_MODES ||
		    (peer_an ? !(peer_adv & BIT(mode)) :
			       FIELD_GET(VNIC_LINK_CTRL_FORCE, peer->ctrl) != mode)) {
			down = VNIC_LINK_DOWN_FORCE_MISMATCH;
			goto link_down;
		}
	}
	res->status = VNIC_LINK_STATUS_UP | FIELD_PREP(VNIC_LINK_STATUS_MODE, mode);
	return;

link_down:
	res->status = FIELD_PREP(VNIC_LINK_STATUS_DOWN, down);
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_link_resolve);

/**
 * vnic_card_link_mode_rate - the pace of the wire at a link mode
 * @status: a LINK_STATUS value
 *
 * Return: Mbit/s, or 0 for no pacing (the link is down, or at the top mode).
 */
u32 vnic_card_link_mode_rate(u32 status)
{
	u32 mode = FIELD_GET(VNIC_LINK_STATUS_MODE, status);

	if (!(status & VNIC_LINK_STATUS_UP) || mode >= VNIC_LINK_MODE_UNPACED)
		return 0;
	return vnic_link_speeds[mode];
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_link_mode_rate);

/*
 * Work out both ends again. Return: true if a link went down, so that
 * engines paused on the peer can be told.
 */
static bool vnic_card_link_update(struct vnic_card *card, bool notify)
{
	bool cable = card->link_up, went_down = false;
	struct vnic_link_cfg cfg[VNIC_CARD_PORTS];
	unsigned int p;

	lockdep_assert_held(&card->link_lock);

	for (p = 0; p < VNIC_CARD_PORTS; p++) {
		cfg[p].ctrl = card->port[p].link_ctrl;
		cfg[p].adv = card->port[p].link_adv;
	}
	for (p = 0; p < VNIC_CARD_PORTS; p++) {
		struct vnic_port *port = &card->port[p];
		u32 was = port->link_status & (VNIC_LINK_STATUS_UP | VNIC_LINK_STATUS_MODE);
		struct vnic_link_res res;

		vnic_card_link_resolve(cable, &cfg[p], &cfg[(p + 1) % VNIC_CARD_PORTS], &res);
		WRITE_ONCE(port->link_status, res.status);
		WRITE_ONCE(port->link_partner, res.partner);
		WRITE_ONCE(port->link_rate, vnic_card_link_mode_rate(res.status));
		WRITE_ONCE(port->link_ok, res.status & VNIC_LINK_STATUS_UP);

		if (was == (res.status & (VNIC_LINK_STATUS_UP | VNIC_LINK_STATUS_MODE)))
			continue;
		if (was & VNIC_LINK_STATUS_UP)
			went_down |= !(res.status & VNIC_LINK_STATUS_UP);
		if (notify)
			vnic_card_vec_misc(port, VNIC_MISC_LINK_CHANGE);
	}
	return went_down;
}

/**
 * vnic_card_link_init - the power-on link settings of a new card's ports
 * @card: the card, its ports initialised but not on the bus
 *
 * Every mode advertised, autonegotiation on, both ports enabled: with the
 * cable in, the link is up at the top mode, and no interrupt is raised.
 */
void vnic_card_link_init(struct vnic_card *card)
{
	unsigned long flags;
	unsigned int p;

	spin_lock_irqsave(&card->link_lock, flags);
	for (p = 0; p < VNIC_CARD_PORTS; p++) {
		card->port[p].link_ctrl = VNIC_LINK_CTRL_EN | VNIC_LINK_CTRL_AUTONEG;
		card->port[p].link_adv = VNIC_LINK_MODES_ALL;
	}
	vnic_card_link_update(card, false);
	spin_unlock_irqrestore(&card->link_lock, flags);
}

/**
 * vnic_card_set_link - plug or pull the cable between the ports
 * @card: the card
 * @up: the cable is in
 *
 * A port whose link changes with it gets MISC_CAUSE.LINK_CHANGE. Any
 * context.
 */
void vnic_card_set_link(struct vnic_card *card, bool up)
{
	bool went_down = false;
	unsigned long flags;

	spin_lock_irqsave(&card->link_lock, flags);
	if (card->link_up != up) {
		WRITE_ONCE(card->link_up, up);
		went_down = vnic_card_link_update(card, true);
	}
	spin_unlock_irqrestore(&card->link_lock, flags);

	/* Engines paused on the peer complete with NO_LINK now. */
	if (went_down)
		vnic_card_wake_paused(card);
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_set_link);

/**
 * vnic_card_link_reg_read - read a register of the LINK_* block
 * @port: the port
 * @off: VNIC_REG_LINK_SUPPORTED up to VNIC_REG_LINK_END
 *
 * Return: its value; 0 for a hole in the block.
 */
u32 vnic_card_link_reg_read(struct vnic_port *port, u32 off)
{
	switch (off) {
	case VNIC_REG_LINK_SUPPORTED:
		return VNIC_LINK_MODES_ALL;
	case VNIC_REG_LINK_ADVERTISE:
		return READ_ONCE(port->link_adv);
	case VNIC_REG_LINK_CTRL:
		return READ_ONCE(port->link_ctrl);
	case VNIC_REG_LINK_PARTNER:
		return READ_ONCE(port->link_partner);
	case VNIC_REG_LINK_STATUS:
		return READ_ONCE(port->link_status);
	case VNIC_REG_LINK_RATE:
		return vnic_card_wire_rate(port);
	}
	return 0;
}

/**
 * vnic_card_link_reg_write - write a register of the LINK_* block
 * @port: the port
 * @off: VNIC_REG_LINK_SUPPORTED up to VNIC_REG_LINK_END
 * @val: the value; read-only registers ignore it
 *
 * The link is negotiated again at once. Any context.
 */
void vnic_card_link_reg_write(struct vnic_port *port, u32 off, u32 val)
{
	struct vnic_card *card = port->card;
	bool went_down = false;
	unsigned long flags;

	spin_lock_irqsave(&card->link_lock, flags);
	switch (off) {
	case VNIC_REG_LINK_ADVERTISE:
		WRITE_ONCE(port->link_adv, val & VNIC_LINK_MODES_ALL);
		went_down = vnic_card_link_update(card, true);
		break;
	case VNIC_REG_LINK_CTRL:
		WRITE_ONCE(port->link_ctrl, val & (VNIC_LINK_CTRL_EN | VNIC_LINK_CTRL_AUTONEG |
						   VNIC_LINK_CTRL_FORCE));
		went_down = vnic_card_link_update(card, true);
		break;
	}
	spin_unlock_irqrestore(&card->link_lock, flags);

	if (went_down)
		vnic_card_wake_paused(card);
}
