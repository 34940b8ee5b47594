// SPDX-License-Identifier: GPL-2.0
/*
 * vnic-link: link modes and autonegotiation. vnic_card_link_resolve() is run
 * over a table of both ends' settings (autoneg against autoneg, forced
 * against autoneg, forced against forced, a port or its partner off, the
 * cable out), each end in turn, and the two answers must agree. Then a
 * card built here is driven through its LINK_* registers as a driver
 * would: defaults, a narrower advertisement, a forced mode, the partner
 * leaving, the cable, CTRL.RESET, and the wire rate each mode gives.
 *
 * The test module's MODULE_* lines are in vnic_ring_test.c.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>

#include "vnic_test_util.h"

#define VNIC_LT_AN		(VNIC_LINK_CTRL_EN | VNIC_LINK_CTRL_AUTONEG)
#define VNIC_LT_FORCE_NUM(n)	(VNIC_LINK_CTRL_EN | \
			 FIELD_PREP_CONST(VNIC_LINK_CTRL_FORCE, (n)))
#define VNIC_LT_FORCE(m)	VNIC_LT_FORCE_NUM(VNIC_LINK_MODE_##m)
#define VNIC_LT_1G		BIT(VNIC_LINK_MODE_1000_X)
#define VNIC_LT_10G		BIT(VNIC_LINK_MODE_10000_CR)
#define VNIC_LT_25G		BIT(VNIC_LINK_MODE_25000_CR)
#define VNIC_LT_50G		BIT(VNIC_LINK_MODE_50000_CR2)
#define VNIC_LT_100G		BIT(VNIC_LINK_MODE_100000_CR4)
#define VNIC_LT_ALL		VNIC_LINK_MODES_ALL
#define VNIC_LT_UP(m)		(VNIC_LINK_STATUS_UP | \
			 FIELD_PREP_CONST(VNIC_LINK_STATUS_MODE, VNIC_LINK_MODE_##m))
#define VNIC_LT_DOWN(r)		FIELD_PREP_CONST(VNIC_LINK_STATUS_DOWN, VNIC_LINK_DOWN_##r)

/**
 * struct vnic_lt_case - both ends' settings and what this end must get
 * @desc: the case, as KUnit names it
 * @cable: the cable is in
 * @self: this end
 * @peer: the other end
 * @status: this end's LINK_STATUS
 * @partner: this end's LINK_PARTNER
 */
struct vnic_lt_case {
	const char *desc;
	bool cable;
	struct vnic_link_cfg self;
	struct vnic_link_cfg peer;
	u32 status;
	u32 partner;
};

static const struct vnic_lt_case vnic_lt_cases[] = {
	{ "autoneg, all modes both ends: the top mode", true,
	  { VNIC_LT_AN, VNIC_LT_ALL }, { VNIC_LT_AN, VNIC_LT_ALL },
	  VNIC_LT_UP(100000_CR4), VNIC_LT_ALL },
	{ "autoneg: the highest mode both advertise", true,
	  { VNIC_LT_AN, VNIC_LT_1G | VNIC_LT_10G | VNIC_LT_25G }, { VNIC_LT_AN, VNIC_LT_ALL },
	  VNIC_LT_UP(25000_CR), VNIC_LT_ALL },
	{ "autoneg: one mode in common, the lowest", true,
	  { VNIC_LT_AN, VNIC_LT_1G | VNIC_LT_50G }, { VNIC_LT_AN, VNIC_LT_1G | VNIC_LT_100G },
	  VNIC_LT_UP(1000_X), VNIC_LT_1G | VNIC_LT_100G },
	{ "autoneg: no common mode, partner still heard", true,
	  { VNIC_LT_AN, VNIC_LT_1G }, { VNIC_LT_AN, VNIC_LT_10G },
	  VNIC_LT_DOWN(NO_COMMON), VNIC_LT_10G },
	{ "autoneg: partner advertises nothing", true,
	  { VNIC_LT_AN, VNIC_LT_ALL }, { VNIC_LT_AN, 0 }, VNIC_LT_DOWN(NO_COMMON), 0 },
	{ "autoneg: modes beyond the card's ignored", true,
	  { VNIC_LT_AN, VNIC_LT_1G | BIT(9) }, { VNIC_LT_AN, VNIC_LT_ALL | BIT(9) },
	  VNIC_LT_UP(1000_X), VNIC_LT_ALL },
	{ "forced here, partner advertises it", true,
	  { VNIC_LT_FORCE(10000_CR), 0 }, { VNIC_LT_AN, VNIC_LT_ALL },
	  VNIC_LT_UP(10000_CR), VNIC_LT_ALL },
	{ "forced here, partner does not advertise it", true,
	  { VNIC_LT_FORCE(10000_CR), VNIC_LT_ALL }, { VNIC_LT_AN, VNIC_LT_1G },
	  VNIC_LT_DOWN(FORCE_MISMATCH), VNIC_LT_1G },
	{ "autoneg here, partner forced to an advertised mode", true,
	  { VNIC_LT_AN, VNIC_LT_25G }, { VNIC_LT_FORCE(25000_CR), VNIC_LT_1G },
	  VNIC_LT_UP(25000_CR), 0 },
	{ "autoneg here, partner forced to a mode not advertised", true,
	  { VNIC_LT_AN, VNIC_LT_1G }, { VNIC_LT_FORCE(25000_CR), VNIC_LT_1G },
	  VNIC_LT_DOWN(NO_ACK), 0 },
	{ "forced alike both ends", true,
	  { VNIC_LT_FORCE(1000_X), 0 }, { VNIC_LT_FORCE(1000_X), 0 },
	  VNIC_LT_UP(1000_X), 0 },
	{ "forced to different modes", true,
	  { VNIC_LT_FORCE(1000_X), 0 }, { VNIC_LT_FORCE(10000_CR), 0 },
	  VNIC_LT_DOWN(FORCE_MISMATCH), 0 },
	{ "forced to a mode the card lacks, both ends", true,
	  { VNIC_LT_FORCE_NUM(9), 0 }, { VNIC_LT_FORCE_NUM(9), 0 },
	  VNIC_LT_DOWN(FORCE_MISMATCH), 0 },
	{ "this port off", true,
	  { VNIC_LINK_CTRL_AUTONEG, VNIC_LT_ALL }, { VNIC_LT_AN, VNIC_LT_ALL },
	  VNIC_LT_DOWN(DISABLED), 0 },
	{ "partner off", true,
	  { VNIC_LT_AN, VNIC_LT_ALL }, { VNIC_LINK_CTRL_AUTONEG, VNIC_LT_ALL },
	  VNIC_LT_DOWN(NO_PARTNER), 0 },
	{ "partner off, forced here", true,
	  { VNIC_LT_FORCE(1000_X), 0 }, { 0, 0 }, VNIC_LT_DOWN(NO_PARTNER), 0 },
	{ "cable out comes first", false,
	  { 0, 0 }, { VNIC_LT_AN, VNIC_LT_ALL }, VNIC_LT_DOWN(NO_CABLE), 0 },
};

KUNIT_ARRAY_PARAM_DESC(vnic_lt_case, vnic_lt_cases, desc);

/* Each case from this end; the other end must agree on up and mode. */
static void vnic_link_resolve_test(struct kunit *test)
{
	const struct vnic_lt_case *c = test->param_value;
	struct vnic_link_res self, peer;

	vnic_card_link_resolve(c->cable, &c->self, &c->peer, &self);
	KUNIT_EXPECT_EQ(test, self.status, c->status);
	KUNIT_EXPECT_EQ(test, self.partner, c->partner);

	vnic_card_link_resolve(c->cable, &c->peer, &c->self, &peer);
	KUNIT_EXPECT_EQ(test, peer.status & VNIC_LINK_STATUS_UP,
			self.status & VNIC_LINK_STATUS_UP);
	if (self.status & VNIC_LINK_STATUS_UP)
		KUNIT_EXPECT_EQ(test, peer.status, self.status);
	else
		KUNIT_EXPECT_NE(test, FIELD_GET(VNIC_LINK_STATUS_DOWN, peer.status),
				VNIC_LINK_DOWN_NONE);
}

/* Every mode but the top one paces the wire at its own rate. */
static void vnic_link_rate_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vnic_card_link_mode_rate(VNIC_LT_UP(1000_X)), 1000);
	KUNIT_EXPECT_EQ(test, vnic_card_link_mode_rate(VNIC_LT_UP(10000_CR)), 10000);
	KUNIT_EXPECT_EQ(test, vnic_card_link_mode_rate(VNIC_LT_UP(25000_CR)), 25000);
	KUNIT_EXPECT_EQ(test, vnic_card_link_mode_rate(VNIC_LT_UP(50000_CR2)), 50000);
	KUNIT_EXPECT_EQ(test, vnic_card_link_mode_rate(VNIC_LT_UP(100000_CR4)), 0);
	KUNIT_EXPECT_EQ(test, vnic_card_link_mode_rate(VNIC_LT_DOWN(NO_CABLE)), 0);
	KUNIT_EXPECT_EQ(test, vnic_card_link_mode_rate(VNIC_LT_DOWN(FORCE_MISMATCH)), 0);
}

static struct vnic_card *vnic_lt_card(struct kunit *test, u32 speed)
{
	return vnic_t_card(test, 1, speed);
}

static u32 vnic_lt_rd(struct vnic_card *card, unsigned int p, u32 off)
{
	return vnic_bar_read32(vnic_card_bar(card, p), off);
}

static void vnic_lt_wr(struct vnic_card *card, unsigned int p, u32 off, u32 val)
{
	vnic_bar_write32(vnic_card_bar(card, p), off, val);
}

/* Reads MISC_CAUSE.LINK_CHANGE of a port and clears it. */
static bool vnic_lt_changed(struct vnic_card *card, unsigned int p)
{
	u32 cause = vnic_lt_rd(card, p, VNIC_REG_MISC_CAUSE);

	vnic_lt_wr(card, p, VNIC_REG_MISC_CAUSE, cause);
	return cause & VNIC_MISC_LINK_CHANGE;
}

/* Power-on: every mode, autoneg, up at the top mode, not paced. */
static void vnic_link_defaults_test(struct kunit *test)
{
	struct vnic_card *card = vnic_lt_card(test, 0);
	unsigned int p;

	for (p = 0; p < VNIC_CARD_PORTS; p++) {
		KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, p, VNIC_REG_LINK_SUPPORTED),
				VNIC_LT_ALL);
		KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, p, VNIC_REG_LINK_ADVERTISE),
				VNIC_LT_ALL);
		KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, p, VNIC_REG_LINK_CTRL), VNIC_LT_AN);
		KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, p, VNIC_REG_LINK_STATUS),
				VNIC_LT_UP(100000_CR4));
		KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, p, VNIC_REG_LINK_PARTNER),
				VNIC_LT_ALL);
		KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, p, VNIC_REG_LINK_RATE), 0);
		KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, p, VNIC_REG_STATUS), VNIC_STATUS_LINK_UP);
		KUNIT_EXPECT_FALSE(test, vnic_lt_changed(card, p));
	}
}

/* Settings written through BAR0 renegotiate both ends at once. */
static void vnic_link_regs_test(struct kunit *test)
{
	struct vnic_card *card = vnic_lt_card(test, 0);

	/* A narrower advertisement: both ends drop to 10G, paced. */
	vnic_lt_wr(card, 0, VNIC_REG_LINK_ADVERTISE, VNIC_LT_1G | VNIC_LT_10G | BIT(12));
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 0, VNIC_REG_LINK_ADVERTISE),
			VNIC_LT_1G | VNIC_LT_10G);
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 0, VNIC_REG_LINK_STATUS), VNIC_LT_UP(10000_CR));
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 1, VNIC_REG_LINK_STATUS), VNIC_LT_UP(10000_CR));
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 1, VNIC_REG_LINK_PARTNER),
			VNIC_LT_1G | VNIC_LT_10G);
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 0, VNIC_REG_LINK_RATE), 10000);
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 1, VNIC_REG_LINK_RATE), 10000);
	KUNIT_EXPECT_TRUE(test, vnic_lt_changed(card, 0));
	KUNIT_EXPECT_TRUE(test, vnic_lt_changed(card, 1));

	/* SPEED caps the port's rate further; the mode stays. */
	vnic_lt_wr(card, 0, VNIC_REG_SPEED, 100);
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 0, VNIC_REG_LINK_RATE), 100);
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 1, VNIC_REG_LINK_RATE), 10000);
	KUNIT_EXPECT_FALSE(test, vnic_lt_changed(card, 0));
	vnic_lt_wr(card, 0, VNIC_REG_SPEED, 0);

	/* Port 1 forced to 25G, which port 0 does not advertise. */
	vnic_lt_wr(card, 1, VNIC_REG_LINK_CTRL, VNIC_LT_FORCE(25000_CR));
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 0, VNIC_REG_LINK_STATUS), VNIC_LT_DOWN(NO_ACK));
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 1, VNIC_REG_LINK_STATUS),
			VNIC_LT_DOWN(FORCE_MISMATCH));
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 0, VNIC_REG_STATUS), 0);
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 0, VNIC_REG_LINK_PARTNER), 0);
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 0, VNIC_REG_LINK_RATE), 0);
	KUNIT_EXPECT_TRUE(test, vnic_lt_changed(card, 0));
	KUNIT_EXPECT_TRUE(test, vnic_lt_changed(card, 1));

	/* Port 1 forced to 1G, which port 0 advertises: up, paced at 1G. */
	vnic_lt_wr(card, 1, VNIC_REG_LINK_CTRL, VNIC_LT_FORCE(1000_X) | BIT(20));
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 1, VNIC_REG_LINK_CTRL),
			VNIC_LT_FORCE(1000_X));
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 0, VNIC_REG_LINK_STATUS), VNIC_LT_UP(1000_X));
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 1, VNIC_REG_LINK_STATUS), VNIC_LT_UP(1000_X));
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 0, VNIC_REG_STATUS), VNIC_STATUS_LINK_UP);
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 1, VNIC_REG_LINK_RATE), 1000);

	/* CTRL.RESET keeps the link settings, and the link. */
	vnic_lt_changed(card, 0);
	vnic_lt_wr(card, 1, VNIC_REG_CTRL, VNIC_CTRL_RESET);
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 1, VNIC_REG_LINK_CTRL),
			VNIC_LT_FORCE(1000_X));
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 0, VNIC_REG_LINK_STATUS), VNIC_LT_UP(1000_X));
	KUNIT_EXPECT_FALSE(test, vnic_lt_changed(card, 0));

	/* The partner leaves (its interface goes down). */
	vnic_lt_wr(card, 1, VNIC_REG_LINK_CTRL, 0);
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 0, VNIC_REG_LINK_STATUS), VNIC_LT_DOWN(NO_PARTNER));
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 1, VNIC_REG_LINK_STATUS), VNIC_LT_DOWN(DISABLED));
	KUNIT_EXPECT_TRUE(test, vnic_lt_changed(card, 0));

	/* Back, autonegotiating every mode: the best both advertise. */
	vnic_lt_wr(card, 1, VNIC_REG_LINK_CTRL, VNIC_LT_AN);
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 0, VNIC_REG_LINK_STATUS), VNIC_LT_UP(10000_CR));
	KUNIT_EXPECT_TRUE(test, vnic_lt_changed(card, 0));

	/* The cable out: no cable at either end; back in: up again. */
	vnic_card_set_link(card, false);
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 0, VNIC_REG_LINK_STATUS), VNIC_LT_DOWN(NO_CABLE));
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 1, VNIC_REG_LINK_STATUS), VNIC_LT_DOWN(NO_CABLE));
	KUNIT_EXPECT_TRUE(test, vnic_lt_changed(card, 1));
	vnic_card_set_link(card, true);
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 1, VNIC_REG_LINK_STATUS), VNIC_LT_UP(10000_CR));
	KUNIT_EXPECT_TRUE(test, vnic_lt_changed(card, 1));

	/* Read-only registers stay so. */
	vnic_lt_wr(card, 0, VNIC_REG_LINK_SUPPORTED, 0);
	vnic_lt_wr(card, 0, VNIC_REG_LINK_STATUS, 0);
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 0, VNIC_REG_LINK_SUPPORTED), VNIC_LT_ALL);
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 0, VNIC_REG_LINK_STATUS), VNIC_LT_UP(10000_CR));
}

/* The speed module parameter (the card's SPEED) caps even the top mode. */
static void vnic_link_speed_cap_test(struct kunit *test)
{
	struct vnic_card *card = vnic_lt_card(test, 500);

	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 0, VNIC_REG_LINK_STATUS), VNIC_LT_UP(100000_CR4));
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 0, VNIC_REG_LINK_RATE), 500);
	vnic_lt_wr(card, 0, VNIC_REG_LINK_ADVERTISE, VNIC_LT_1G);
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 0, VNIC_REG_LINK_RATE), 500);
	vnic_lt_wr(card, 0, VNIC_REG_SPEED, 0);
	KUNIT_EXPECT_EQ(test, vnic_lt_rd(card, 0, VNIC_REG_LINK_RATE), 1000);
}

VNIC_T_SUITE(vnic_link_test, "vnic-link", NULL,
	     KUNIT_CASE_PARAM(vnic_link_resolve_test, vnic_lt_case_gen_params),
	     KUNIT_CASE(vnic_link_rate_test),
	     KUNIT_CASE(vnic_link_defaults_test),
	     KUNIT_CASE(vnic_link_regs_test),
	     KUNIT_CASE(vnic_link_speed_cap_test));
