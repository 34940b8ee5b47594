/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vnic hardware interface: the register map of BAR0 and the formats of the
 * descriptors the card and the driver exchange through DMA memory.
 *
 * This header is the whole contract between the simulated card
 * (driver/card/) and the driver (driver/nic/). It holds no code. The model
 * is the classic one: the driver fills a TX descriptor ring and
 * rings a doorbell; the card fetches descriptors and data by DMA, puts the
 * frame on the wire and writes a completion; on receive the card takes a
 * buffer the driver posted on the RX buffer ring (RBR), writes the frame
 * into it and reports length and status on the RX completion ring (RCQ).
 *
 * Completion rings carry a DONE bit whose meaning flips on every wrap
 * (the "phase"), so neither side ever has to zero a ring.
 */
#ifndef _VNIC_HW_H_
#define _VNIC_HW_H_

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/types.h>

#define VNIC_VENDOR_ID			0x5649	/* "VI" */
#define VNIC_DEVICE_ID			0x0001
#define VNIC_REVISION			1

#define VNIC_BAR0_SIZE			0x10000

/* Limits of the card itself; the driver may choose tighter ones. */
#define VNIC_HW_MAX_QUEUES		128
#define VNIC_HW_RING_MIN		16
#define VNIC_HW_RING_MAX		32768
#define VNIC_HW_RING_ALIGN		128	/* ring base alignment, bytes */
#define VNIC_HW_MIN_FRAME		60	/* ETH_ZLEN; TX pads up to it */
#define VNIC_HW_MAX_FRAME		9216	/* without FCS */
#define VNIC_HW_TX_MAX_DESC_PER_PKT	32
#define VNIC_HW_TSO_MAX			(65536 + 256)	/* a packet to segment */

/*
 * Interrupt vectors: vector 0 is the misc vector (link changes, test
 * interrupts); queue pair q raises the vector programmed in its
 * VNIC_REG_Q_VEC register, by default VNIC_VEC_Q(q).
 */
#define VNIC_VEC_MISC			0
#define VNIC_VEC_Q(q)			((q) + 1)
#define VNIC_HW_MAX_VECTORS		VNIC_VEC_Q(VNIC_HW_MAX_QUEUES)

/* Global registers */
#define VNIC_REG_ID			0x0000	/* RO */
#define   VNIC_ID_DEVICE		GENMASK(15, 0)
#define   VNIC_ID_VENDOR		GENMASK(31, 16)
#define VNIC_REG_REV			0x0004	/* RO */
#define VNIC_REG_CAPS			0x0008	/* RO */
#define   VNIC_CAPS_QUEUES		GENMASK(7, 0)
#define   VNIC_CAPS_TX_CSUM		BIT(8)
#define   VNIC_CAPS_RX_CSUM		BIT(9)
#define   VNIC_CAPS_TSO			BIT(10)
#define   VNIC_CAPS_RSS			BIT(11)
#define   VNIC_CAPS_PAUSE		BIT(12)
#define   VNIC_CAPS_USO			BIT(13)
#define   VNIC_CAPS_GSO_RX		BIT(14)	/* RX_MODE.GSO: see the RCQ */
#define   VNIC_CAPS_XDP_TXQS		GENMASK(23, 16)	/* TX-only queues: see XDPQ */
#define VNIC_REG_CTRL			0x000c	/* RW */
#define   VNIC_CTRL_RESET		BIT(0)	/* self-clearing */
#define   VNIC_CTRL_LOOPBACK		BIT(1)	/* TX turns back to own RX */
#define VNIC_REG_STATUS			0x0010	/* RO */
#define   VNIC_STATUS_LINK_UP		BIT(0)
#define VNIC_REG_MAC_LO			0x0014	/* RW, bytes 0..3, byte 0 in 7:0 */
#define VNIC_REG_MAC_HI			0x0018	/* RW, bytes 4..5 in 15:0 */
#define VNIC_REG_PERM_MAC_LO		0x001c	/* RO, the card's own address */
#define VNIC_REG_PERM_MAC_HI		0x0020	/* RO */
#define VNIC_REG_MAX_FRAME		0x0024	/* RW, bytes without FCS */
#define VNIC_REG_RX_MODE		0x0028	/* RW */
#define   VNIC_RX_MODE_PROMISC		BIT(0)
#define   VNIC_RX_MODE_ALLMULTI		BIT(1)
#define   VNIC_RX_MODE_BCAST		BIT(2)
/*
 * GSO pass-through, asked for by the receiving port. A packet its peer
 * (or, with CTRL.LOOPBACK, the port itself) sends with TXD SEG reaches
 * the port whole instead of cut into segments, spread over as many RBR
 * buffers as it needs, with its GSO type and MSS in the RCQ (see there).
 * The card still segments, even with this bit on, a packet that would be
 * one segment anyway, one behind a VLAN tag, one whose segments would be
 * over this port's MAX_FRAME, one bigger than the whole RBR can ever hold,
 * and every packet while an RX wire fault (rx_corrupt_*, rx_truncate_*)
 * is armed on the port. Off after reset.
 */
#define   VNIC_RX_MODE_GSO		BIT(3)
/*
 * 64-bin multicast hash filter. A multicast frame passes when the bin
 * given by the top 6 bits of ether_crc(ETH_ALEN, dest) is set.
 */
#define VNIC_REG_MC_HASH_LO		0x002c
#define VNIC_REG_MC_HASH_HI		0x0030
#define VNIC_MC_HASH_BITS		6
#define VNIC_REG_SPEED			0x0034	/* RW, Mbit/s cap, 0: none; see LINK_RATE */
/*
 * Flow control (802.3x pause). A port with TX_PAUSE asks its link partner
 * to wait when a frame finds no posted RX buffer; a port with RX_PAUSE
 * honours that. With both (receiver TX_PAUSE, sender RX_PAUSE) the
 * sender's TX engine holds the frame, without completing it, until the
 * receiver posts a buffer (STAT_TX_PAUSED counts each stop); otherwise
 * the frame is dropped and counted in the receiver's STAT_RX_MISSED. A
 * disabled RX queue or a link that goes down always drops.
 */
#define VNIC_REG_FLOW_CTRL		0x0038	/* RW */
#define   VNIC_FC_TX_PAUSE		BIT(0)	/* send pause when out of buffers */
#define   VNIC_FC_RX_PAUSE		BIT(1)	/* obey the partner's pause */

/*
 * Receive side scaling. With RSS_CTRL.EN the card computes a Toeplitz hash
 * over the IPv4/IPv6 addresses (and, for TCP and UDP, the ports) of each
 * received frame with the 40-byte key, and picks the RX queue from the
 * 128-entry indirection table at (hash % 128). Frames that are not IP, or
 * any frame while RSS is off, go to queue 0. The hash is reported in the
 * RCQ entry either way when RSS_CTRL.EN is set.
 */
#define VNIC_REG_RSS_CTRL		0x003c	/* RW */
#define   VNIC_RSS_CTRL_EN		BIT(0)
#define VNIC_REG_RSS_KEY(i)		(0x0400 + (i) * 4)	/* 10 words */
#define VNIC_RSS_KEY_SIZE		40	/* bytes; byte 0 in bits 7:0 of word 0 */
#define VNIC_REG_RSS_INDIR(i)		(0x0500 + (i) * 4)	/* 32 words */
#define VNIC_RSS_INDIR_SIZE		128	/* entries; entry 0 in bits 7:0 of word 0 */

/*
 * Link modes and autonegotiation (0x0040-0x007f; driver/card/vnic_link.c).
 *
 * A port supports the link modes below, full duplex all, over a direct
 * attach cable. Modes are numbered; a register holding a set of modes has
 * bit N for mode N.
 *
 * The link is up when the cable is in (the `link` fault knob), both ports
 * have LINK_CTRL.EN, and their settings meet:
 *   - both autonegotiate: at the highest mode both advertise;
 *   - one autonegotiates, the other is forced to mode M (LINK_CTRL.FORCE,
 *     AUTONEG off): at M if the first advertises M (parallel detection);
 *   - both forced: at M if both are forced to the same M.
 * A forced mode the port does not support never links.
 * Otherwise the link is down, and LINK_STATUS.DOWN says why. It comes up,
 * goes down or changes mode the moment a setting changes; each change
 * raises MISC_CAUSE.LINK_CHANGE on the port it concerns. STATUS.LINK_UP
 * is LINK_STATUS.UP.
 *
 * The mode limits the wire like SPEED: a port sends at most at its mode's
 * rate, except at the top mode (100G), where it sends as fast as the
 * machine goes: no emulated machine comes near 100 Gbit/s, and pacing
 * there would only cost time per frame. That is the default (every mode
 * advertised on both ports), so an unconfigured card is not throttled.
 * SPEED, if set, caps the rate further (LINK_RATE is what the wire uses).
 *
 * Power-on: ADVERTISE is every supported mode, LINK_CTRL is EN | AUTONEG.
 * CTRL.RESET leaves these registers alone, as it does SPEED: they are link
 * settings, and a reset does not take the link down. A driver clears EN
 * while its interface is down, so that the partner sees no one there.
 */
#define VNIC_LINK_MODE_1000_X		0	/* 1000baseX/Full */
#define VNIC_LINK_MODE_10000_CR		1	/* 10000baseCR/Full */
#define VNIC_LINK_MODE_25000_CR		2	/* 25000baseCR/Full */
#define VNIC_LINK_MODE_50000_CR2	3	/* 50000baseCR2/Full */
#define VNIC_LINK_MODE_100000_CR4	4	/* 100000baseCR4/Full */
#define VNIC_LINK_MODES			5
#define VNIC_LINK_MODES_ALL		GENMASK(VNIC_LINK_MODES - 1, 0)
#define VNIC_REG_LINK_SUPPORTED		0x0040	/* RO, modes */
#define VNIC_REG_LINK_ADVERTISE		0x0044	/* RW, modes; kept to SUPPORTED */
#define VNIC_REG_LINK_CTRL		0x0048	/* RW */
#define   VNIC_LINK_CTRL_EN		BIT(0)	/* the port takes part in the link */
#define   VNIC_LINK_CTRL_AUTONEG	BIT(1)
#define   VNIC_LINK_CTRL_FORCE		GENMASK(11, 8)	/* mode, with AUTONEG off */
#define VNIC_REG_LINK_PARTNER		0x004c	/* RO: partner's ADVERTISE if it autonegotiates */
#define VNIC_REG_LINK_STATUS		0x0050	/* RO */
#define   VNIC_LINK_STATUS_UP		BIT(0)
#define   VNIC_LINK_STATUS_MODE		GENMASK(11, 8)	/* while UP */
#define   VNIC_LINK_STATUS_DOWN		GENMASK(19, 16)	/* while not UP: VNIC_LINK_DOWN_* */
#define VNIC_REG_LINK_RATE		0x0054	/* RO, Mbit/s the wire runs at, 0: unpaced */
#define VNIC_REG_LINK_END		0x0058

/* LINK_STATUS.DOWN: why the link is down, the first that applies. */
#define VNIC_LINK_DOWN_NONE		0	/* the link is up */
#define VNIC_LINK_DOWN_NO_CABLE		1	/* the cable is out */
#define VNIC_LINK_DOWN_DISABLED		2	/* this port's EN is off */
#define VNIC_LINK_DOWN_NO_PARTNER	3	/* the partner's EN is off */
#define VNIC_LINK_DOWN_NO_COMMON	4	/* both autonegotiate, no mode in common */
/* Forced here; the partner is neither forced alike nor advertising it. */
#define VNIC_LINK_DOWN_FORCE_MISMATCH	5
/* Autoneg here; the partner is forced to a mode not advertised here. */
#define VNIC_LINK_DOWN_NO_ACK		6

/* What the misc vector reports (vector 0; see the interrupt banks below). */
#define VNIC_REG_MISC_CAUSE		0x0080	/* RO, W1C */
#define   VNIC_MISC_LINK_CHANGE		BIT(0)
#define   VNIC_MISC_TEST		BIT(1)

/*
 * Interrupts. A vector's cause bit is set when its moderation logic decides
 * to fire. An unmasked vector with its cause set is delivered and its cause
 * cleared; a masked one keeps the cause pending and is delivered the moment
 * it is unmasked. The driver masks a vector in its handler and unmasks it
 * when NAPI completes.
 *
 * The vectors' bits come in banks of 32, as an MSI-X table's pending bits
 * do: vector v is bit VNIC_INT_BIT(v) of the registers of bank
 * VNIC_INT_BANK(v). A write acts on the vectors of its bank whose bits are
 * set and on no other; bits of vectors the port lacks read 0.
 */
#define VNIC_INT_BANK_VECS		32
#define VNIC_INT_BANKS			((VNIC_HW_MAX_VECTORS + VNIC_INT_BANK_VECS - 1) / \
					 VNIC_INT_BANK_VECS)
#define VNIC_INT_BANK(v)		((v) / VNIC_INT_BANK_VECS)
#define VNIC_INT_BIT(v)			BIT((v) % VNIC_INT_BANK_VECS)
#define VNIC_REG_INT_BASE		0x0600
#define VNIC_REG_INT_STRIDE		0x20
#define VNIC_REG_INT_BANK(b)		(VNIC_REG_INT_BASE + (b) * VNIC_REG_INT_STRIDE)
#define VNIC_REG_INT_CAUSE(b)		(VNIC_REG_INT_BANK(b) + 0x00)	/* RO, W1C */
#define VNIC_REG_INT_MASK(b)		(VNIC_REG_INT_BANK(b) + 0x04)	/* RO, 1 = masked */
#define VNIC_REG_INT_MASK_SET(b)	(VNIC_REG_INT_BANK(b) + 0x08)	/* WO */
#define VNIC_REG_INT_MASK_CLR(b)	(VNIC_REG_INT_BANK(b) + 0x0c)	/* WO */
#define VNIC_REG_INT_TEST(b)		(VNIC_REG_INT_BANK(b) + 0x10)	/* WO, raise these causes */
#define VNIC_REG_INT_END		VNIC_REG_INT_BANK(VNIC_INT_BANKS)

/* Interrupt moderation, per vector (see driver/card/vnic_itr.c) */
#define VNIC_REG_ITR_BASE		0x1000
#define VNIC_REG_ITR_STRIDE		0x10
#define VNIC_REG_ITR_RX_USECS(v)	(VNIC_REG_ITR_BASE + (v) * VNIC_REG_ITR_STRIDE + 0x0)
#define VNIC_REG_ITR_RX_FRAMES(v)	(VNIC_REG_ITR_BASE + (v) * VNIC_REG_ITR_STRIDE + 0x4)
#define VNIC_REG_ITR_TX_USECS(v)	(VNIC_REG_ITR_BASE + (v) * VNIC_REG_ITR_STRIDE + 0x8)
#define VNIC_REG_ITR_TX_FRAMES(v)	(VNIC_REG_ITR_BASE + (v) * VNIC_REG_ITR_STRIDE + 0xc)
#define VNIC_HW_ITR_MAX_USECS		10000
#define VNIC_HW_ITR_MAX_FRAMES		4096

/* Port statistics: free-running 32-bit counters, read-only */
#define VNIC_REG_STAT_BASE		0x0300
#define VNIC_REG_STAT_RX_MISSED		0x0300	/* no RX buffer posted */
#define VNIC_REG_STAT_RX_RUNT		0x0304
#define VNIC_REG_STAT_RX_OVERSIZE	0x0308
#define VNIC_REG_STAT_RX_FILTERED	0x030c	/* refused by the MAC filter */
#define VNIC_REG_STAT_RX_FRAMES		0x0310	/* frames written to a ring */
#define VNIC_REG_STAT_TX_FRAMES		0x0314	/* frames put on the wire */
#define VNIC_REG_STAT_TX_DESC_ERR	0x0318
#define VNIC_REG_STAT_RX_DESC_ERR	0x031c
#define VNIC_REG_STAT_TX_NO_LINK	0x0320	/* sent while the link was down */
#define VNIC_REG_STAT_IRQS		0x0324	/* interrupts delivered */
#define VNIC_REG_STAT_TX_PAUSED		0x0328	/* TX stopped by the peer's pause */
#define VNIC_REG_STAT_RX_FCS_ERR	0x032c	/* dropped: bad FCS */
/*
 * Pause frames (802.3x). A port with FLOW_CTRL.TX_PAUSE sends one each
 * time a frame of a partner that honours pause (the pause the two ends
 * agreed on) finds no posted buffer, that is each time one of the
 * partner's TX queues stops (its STAT_TX_PAUSED); the partner counts it
 * received. They are the only MAC control frames the card sends, and are
 * counted nowhere else: not as frames, octets or in the histograms.
 */
#define VNIC_REG_STAT_TX_PAUSE_FRAMES	0x0330
#define VNIC_REG_STAT_RX_PAUSE_FRAMES	0x0334
/*
 * MAC counters in the sense of IEEE 802.3 clause 30, of the frames in
 * STAT_TX_FRAMES and STAT_RX_FRAMES: octets are those of the MAC client
 * data and pad (a frame without its 14-byte header and its FCS), and
 * multicast does not include broadcast. A 32-bit octet counter goes round
 * in a second at 34 Gbit/s: read them more often than that.
 */
#define VNIC_REG_STAT_TX_OCTETS		0x0338
#define VNIC_REG_STAT_RX_OCTETS		0x033c
#define VNIC_REG_STAT_TX_MCAST		0x0340
#define VNIC_REG_STAT_TX_BCAST		0x0344
#define VNIC_REG_STAT_RX_MCAST		0x0348
#define VNIC_REG_STAT_RX_BCAST		0x034c
/*
 * RMON (RFC 2819) frame-size histograms, by the length with FCS (the
 * card's length + 4), in buckets 64, 65-127, 128-255, 256-511, 512-1023,
 * 1024-1518, 1519-2047, 2048-4095 and 4096-9224 (VNIC_HW_MAX_FRAME with a
 * VLAN tag and FCS). TX counts every frame put on the wire; RX every frame
 * that arrives at the MAC, whatever becomes of it (filtered, missed, bad
 * FCS), except runts, which only STAT_RX_RUNT counts. A frame held at the
 * sender by pause has not arrived. A GSO pass-through packet counts as the
 * segments it stands for.
 */
#define VNIC_HW_RMON_BUCKETS		9
#define VNIC_REG_STAT_RX_HIST(i)	(0x0350 + (i) * 4)
#define VNIC_REG_STAT_TX_HIST(i)	(0x0374 + (i) * 4)
#define VNIC_REG_STAT_END		0x0398

/* Per-queue registers */
#define VNIC_REG_Q_BASE			0x4000
#define VNIC_REG_Q_STRIDE		0x80
#define VNIC_REG_Q(q, reg)		(VNIC_REG_Q_BASE + (q) * VNIC_REG_Q_STRIDE + (reg))
#define VNIC_Q_TXD_BASE_LO		0x00
#define VNIC_Q_TXD_BASE_HI		0x04
#define VNIC_Q_TXD_SIZE			0x08	/* entries, power of two */
#define VNIC_Q_TXD_TAIL			0x0c	/* doorbell: next free slot */
#define VNIC_Q_TXD_HEAD			0x10	/* RO: next slot the card reads */
#define VNIC_Q_TXC_BASE_LO		0x14	/* TX completion ring, TXD_SIZE entries */
#define VNIC_Q_TXC_BASE_HI		0x18
#define VNIC_Q_RBR_BASE_LO		0x20
#define VNIC_Q_RBR_BASE_HI		0x24
#define VNIC_Q_RBR_SIZE			0x28	/* entries, power of two */
#define VNIC_Q_RBR_TAIL			0x2c	/* doorbell: next free slot */
#define VNIC_Q_RBR_HEAD			0x30	/* RO: next buffer the card uses */
#define VNIC_Q_RCQ_BASE_LO		0x34	/* RX completions, RBR_SIZE entries */
#define VNIC_Q_RCQ_BASE_HI		0x38
#define VNIC_Q_CTRL			0x40
#define   VNIC_Q_CTRL_TX_EN		BIT(0)
#define   VNIC_Q_CTRL_RX_EN		BIT(1)
/*
 * Enabling a ring checks its configuration; a bad one (size not a power of
 * two within limits, base not aligned) leaves it disabled with the error
 * bit set. Disabling is synchronous: once the write returns the card no
 * longer touches that ring's memory.
 */
#define VNIC_Q_STATUS			0x44	/* RO */
#define   VNIC_Q_STATUS_TX_EN		BIT(0)
#define   VNIC_Q_STATUS_RX_EN		BIT(1)
#define   VNIC_Q_STATUS_TX_CFG_ERR	BIT(2)
#define   VNIC_Q_STATUS_RX_CFG_ERR	BIT(3)
#define VNIC_Q_VEC			0x48	/* vector this queue pair raises */
#define VNIC_Q_TX_ERRS			0x4c	/* RO, descriptor errors */
#define VNIC_Q_RX_ERRS			0x50	/* RO, descriptor errors */
/*
 * The size of every buffer on the queue's RBR, in bytes: a multiple of
 * VNIC_HW_RX_BUF_ALIGN from VNIC_HW_RX_BUF_MIN to VNIC_HW_RX_BUF_MAX, 2048
 * after reset. The card takes it when RX is enabled (a value out of those
 * bounds fails the enable with RX_CFG_ERR; a write while enabled counts
 * from the next enable) and writes each frame over as many buffers as it
 * needs (see the RCQ).
 */
#define VNIC_Q_RX_BUF_SIZE		0x54
#define VNIC_HW_RX_BUF_MIN		256
#define VNIC_HW_RX_BUF_MAX		16384
#define VNIC_HW_RX_BUF_ALIGN		64
#define VNIC_HW_RX_BUF_DEFAULT		2048

#define VNIC_REG_END			VNIC_REG_Q(VNIC_HW_MAX_QUEUES, 0)
static_assert(VNIC_REG_END <= VNIC_BAR0_SIZE);

/*
 * TX-only queues ("XDP TX queues"), CAPS.XDP_TXQS of them, for a driver
 * to send what it does not want behind the stack's packets on the queue
 * pairs: frames an XDP program bounces (XDP_TX) or that are redirected to
 * the port, as mlx5's XDP SQs and ice's XDP rings. TX-only queue q has a
 * register block at VNIC_REG_XDPQ(q, 0) laid out as a queue pair's, of
 * which only the TX registers exist: TXD_BASE_LO/HI, TXD_SIZE, TXD_TAIL,
 * TXD_HEAD, TXC_BASE_LO/HI, Q_CTRL (TX_EN; RX_EN is ignored), Q_STATUS
 * (TX_EN, TX_CFG_ERR), Q_VEC and Q_TX_ERRS; the others read 0 and ignore
 * writes. Its descriptors, completions, checks and errors are those of a
 * queue pair's TX ring, offloads included, and its frames go on the same
 * wire. Q_VEC is q + 1 after reset, the vector of queue pair q, so that
 * one NAPI context can clean both; any vector may be programmed.
 */
#define VNIC_REG_XDPQ_BASE		VNIC_REG_END
#define VNIC_REG_XDPQ(q, reg)		(VNIC_REG_XDPQ_BASE + (q) * VNIC_REG_Q_STRIDE + (reg))
#define VNIC_REG_XDPQ_END		VNIC_REG_XDPQ(VNIC_HW_MAX_QUEUES, 0)
/*
 * Flow steering, matched before RSS. A table of VNIC_STEER_RULES rules,
 * each a TCP or UDP flow over IPv4 or IPv6 with masked source and
 * destination address and port (a mask bit of 1 compares that bit). With
 * STEER_CTRL.EN the card looks at the rules of a frame's flow type in
 * slot order; the first that matches picks the queue:
 *   - without RULE_ACT_RSS, queue RULE_ACT_QUEUE;
 *   - with it, the RSS context RULE_ACT_CTX hashes the frame with its own
 *     key and indirection table (context 0: the main RSS_KEY and
 *     RSS_INDIR), and RULE_ACT_QUEUE is added to the table's entry.
 * A frame no rule matches goes by the main RSS. A queue beyond the port's
 * queues is queue 0, as it is for RSS_INDIR.
 *
 * A rule is written whole: the driver fills the staging registers
 * (RULE_FLOW .. RULE_ACT) and writes RULE_CMD with the slot and WRITE;
 * the card copies them into the slot at once, so a frame never sees half
 * a rule. CLEAR empties the slot, READ loads it back into staging.
 * Addresses are in network byte order, byte 0 in bits 7:0 of the first
 * word; IPv4 uses the first word of each. CTRL.RESET empties the table
 * and clears the contexts.
 */
#define VNIC_STEER_RULES		128
#define VNIC_STEER_CTXS			63	/* RSS contexts 1..63 */
#define VNIC_REG_STEER_BASE		0xc000
#define VNIC_REG_STEER_CTRL		0xc000	/* RW */
#define   VNIC_STEER_CTRL_EN		BIT(0)
#define VNIC_REG_STEER_CAPS		0xc004	/* RO */
#define   VNIC_STEER_CAPS_RULES		GENMASK(15, 0)
#define   VNIC_STEER_CAPS_CTXS		GENMASK(23, 16)
#define VNIC_REG_RULE_CMD		0xc008	/* WO */
#define   VNIC_RULE_CMD_SLOT		GENMASK(7, 0)
#define   VNIC_RULE_CMD_OP		GENMASK(9, 8)
#define     VNIC_RULE_OP_WRITE		1
#define     VNIC_RULE_OP_CLEAR		2
#define     VNIC_RULE_OP_READ		3
#define VNIC_REG_RULE_FLOW		0xc010	/* staging */
#define   VNIC_RULE_FLOW_TYPE		GENMASK(2, 0)
#define     VNIC_RULE_TCP4		1
#define     VNIC_RULE_UDP4		2
#define     VNIC_RULE_TCP6		3
#define     VNIC_RULE_UDP6		4
#define VNIC_REG_RULE_SIP(i)		(0xc020 + (i) * 4)	/* 4 words */
#define VNIC_REG_RULE_SIP_MASK(i)	(0xc030 + (i) * 4)
#define VNIC_REG_RULE_DIP(i)		(0xc040 + (i) * 4)
#define VNIC_REG_RULE_DIP_MASK(i)	(0xc050 + (i) * 4)
#define VNIC_REG_RULE_PORTS		0xc060	/* host-order port numbers */
#define VNIC_REG_RULE_PORTS_MASK	0xc064
#define   VNIC_RULE_PORTS_SRC		GENMASK(15, 0)
#define   VNIC_RULE_PORTS_DST		GENMASK(31, 16)
#define VNIC_REG_RULE_ACT		0xc068
#define   VNIC_RULE_ACT_QUEUE		GENMASK(7, 0)
#define   VNIC_RULE_ACT_CTX		GENMASK(15, 8)
#define   VNIC_RULE_ACT_RSS		BIT(16)
#define VNIC_REG_RULE_END		0xc06c
/*
 * RSS context c (1..VNIC_STEER_CTXS): its indirection table and Toeplitz
 * key, laid out as RSS_INDIR and RSS_KEY. Used only by rules that name it.
 */
#define VNIC_RSS_CTX_STRIDE		0x100
#define VNIC_RSS_CTX_KEY_OFF		0x80
#define VNIC_REG_RSS_CTX(c)		(VNIC_REG_STEER_BASE + (c) * VNIC_RSS_CTX_STRIDE)
#define VNIC_REG_RSS_CTX_INDIR(c, i)	(VNIC_REG_RSS_CTX(c) + (i) * 4)	/* 32 words */
#define VNIC_REG_RSS_CTX_KEY(c, i)	(VNIC_REG_RSS_CTX(c) + VNIC_RSS_CTX_KEY_OFF + (i) * 4)
#define VNIC_REG_STEER_END		VNIC_REG_RSS_CTX(VNIC_STEER_CTXS + 1)
static_assert(VNIC_REG_STEER_BASE >= VNIC_REG_XDPQ_END);
static_assert(VNIC_REG_RSS_CTX(1) >= VNIC_REG_RULE_END);
static_assert(VNIC_RSS_INDIR_SIZE <= VNIC_RSS_CTX_KEY_OFF);
static_assert(VNIC_RSS_CTX_KEY_OFF + VNIC_RSS_KEY_SIZE <= VNIC_RSS_CTX_STRIDE);
static_assert(VNIC_REG_STEER_END <= VNIC_BAR0_SIZE);

static_assert(VNIC_REG_MISC_CAUSE >= VNIC_REG_LINK_END);
static_assert(VNIC_REG_MISC_CAUSE + 4 <= VNIC_REG_STAT_BASE);
static_assert(VNIC_REG_RSS_INDIR(VNIC_RSS_INDIR_SIZE / 4) <= VNIC_REG_INT_BASE);
static_assert(VNIC_REG_INT_END <= VNIC_REG_ITR_BASE);
static_assert(VNIC_REG_ITR_RX_USECS(VNIC_HW_MAX_VECTORS) <= VNIC_REG_Q_BASE);
static_assert(VNIC_REG_STAT_RX_HIST(VNIC_HW_RMON_BUCKETS) == VNIC_REG_STAT_TX_HIST(0));
static_assert(VNIC_REG_STAT_TX_HIST(VNIC_HW_RMON_BUCKETS) == VNIC_REG_STAT_END);
static_assert(VNIC_REG_RSS_KEY(0) >= VNIC_REG_STAT_END);

/*
 * TX descriptor (TXD), two little-endian words. A packet is one or more
 * descriptors; the first carries the offload request, the last has EOP.
 *
 * Segmentation (SEG = TCP or UDP, in the first descriptor): the packet is
 * an Ethernet/IPv4 or IPv6 (no extension headers)/TCP or UDP packet of up
 * to VNIC_HW_TSO_MAX bytes, CSUM_START is its L4 header offset and MSS the
 * L4 payload of each segment. The card cuts the payload into MSS pieces
 * and sends each with a copy of the headers, fixing per segment the IP
 * length, the IPv4 ID (+1 each) and header checksum, the TCP sequence
 * number (FIN and PSH on the last segment only, CWR on the first only) or
 * the UDP length, and the whole L4 checksum. The completion covers the
 * packet once, whatever the number of segments.
 */
struct vnic_tx_desc {
	__le64 addr;
	__le64 ctrl;
};

static_assert(sizeof(struct vnic_tx_desc) == 16);

#define VNIC_TXD_LEN			GENMASK_ULL(15, 0)
#define VNIC_TXD_CSUM_START		GENMASK_ULL(27, 16)	/* from frame start */
#define VNIC_TXD_CSUM_OFF		GENMASK_ULL(35, 28)	/* from csum_start */
#define VNIC_TXD_MSS			GENMASK_ULL(49, 36)
#define VNIC_TXD_EOP			BIT_ULL(56)
#define VNIC_TXD_REQ_COMPL		BIT_ULL(57)
#define VNIC_TXD_CSUM			BIT_ULL(58)	/* fill in the L4 checksum */
#define VNIC_TXD_SEG			GENMASK_ULL(61, 60)	/* segmentation */
#define   VNIC_TXD_SEG_NONE		0
#define   VNIC_TXD_SEG_TCP		1
#define   VNIC_TXD_SEG_UDP		2

/*
 * TX completion (TXC), one word per completed packet. HEAD is the TXD slot
 * after the packet's last descriptor, so every descriptor before it is free.
 */
struct vnic_tx_cmpl {
	__le64 word;
};

static_assert(sizeof(struct vnic_tx_cmpl) == 8);

#define VNIC_TXC_HEAD			GENMASK_ULL(15, 0)
#define VNIC_TXC_STATUS			GENMASK_ULL(59, 56)
#define VNIC_TXC_DONE			BIT_ULL(63)

/* Completion status, shared by TX and RX completions */
enum vnic_cmpl_status {
	VNIC_STATUS_OK = 0,
	VNIC_STATUS_DESC_ERR = 1,	/* zero or bad length, no EOP in reach */
	VNIC_STATUS_DMA_ERR = 2,	/* address does not translate */
	VNIC_STATUS_OVERSIZE = 3,	/* frame larger than MAX_FRAME */
	VNIC_STATUS_NO_LINK = 4,	/* dropped: link down */
};

/*
 * RX buffer descriptor (RBR): a buffer the driver posts for the card, of
 * the queue's Q_RX_BUF_SIZE bytes at @addr. @rsvd is written as 0.
 */
struct vnic_rx_desc {
	__le64 addr;
	__le64 rsvd;
};

static_assert(sizeof(struct vnic_rx_desc) == 16);

/*
 * RX completion (RCQ), the "receive return ring". One entry per RBR buffer
 * used, in RBR order: BUF is the RBR slot written to and LEN the bytes
 * written there. A frame fills as many buffers as it needs, in order, each
 * up to Q_RX_BUF_SIZE bytes, and every entry but the last of the frame has
 * MORE set: a 1514-byte frame is one buffer of 2048, a 9014-byte one five.
 * So is a GSO pass-through packet (RX_MODE.GSO), only bigger.
 *
 * The frame's metadata is in its FIRST entry only: CSUM, HASH_TYPE, the
 * hash, GSO_TYPE and MSS (the later entries have them 0). A pass-through
 * packet has GSO_TYPE other than NONE, MSS the payload of each segment it
 * stands for, and CSUM_PARTIAL: its L4 checksum field still holds the
 * sender's pseudo-header sum (it was CHECKSUM_PARTIAL) and the data is as
 * the sending port read it; the IP header is the sender's, for the whole
 * packet. The receiver sets it up as CHECKSUM_PARTIAL, as virtio-net does.
 *
 * A part the card cannot write (DMA_ERR: its buffer does not translate)
 * ends the frame there: that entry has the error STATUS and MORE clear,
 * and the frame is lost. The receiver drops what it gathered of it.
 *
 * A frame that does not find enough posted buffers for all of it is missed
 * (or held by pause) whole, like a frame without a buffer: the card never
 * writes part of a frame for want of buffers.
 *
 * Counting: the card's STAT_TX_FRAMES (sender), STAT_RX_FRAMES,
 * STAT_RX_MISSED and STAT_RX_FILTERED (receiver) count a pass-through
 * packet as the segments it stands for, and SPEED charges the wire for
 * those segments, headers and per-frame overhead included, as if it had
 * been cut.
 */
struct vnic_rx_cmpl {
	__le64 word;
	__le64 hash;
};

static_assert(sizeof(struct vnic_rx_cmpl) == 16);

#define VNIC_RCQ_LEN			GENMASK_ULL(15, 0)
#define VNIC_RCQ_BUF			GENMASK_ULL(31, 16)
#define VNIC_RCQ_MORE			BIT_ULL(32)	/* the frame goes on */
#define VNIC_RCQ_GSO_TYPE		GENMASK_ULL(34, 33)	/* first entry */
#define   VNIC_RCQ_GSO_NONE		0
#define   VNIC_RCQ_GSO_TCPV4		1
#define   VNIC_RCQ_GSO_TCPV6		2
#define   VNIC_RCQ_GSO_UDP_L4		3
#define VNIC_RCQ_MSS			GENMASK_ULL(48, 35)	/* first entry */
#define VNIC_RCQ_CSUM			GENMASK_ULL(53, 52)
#define   VNIC_RCQ_CSUM_NONE		0	/* not TCP/UDP over IP */
#define   VNIC_RCQ_CSUM_GOOD		1
#define   VNIC_RCQ_CSUM_BAD		2
#define   VNIC_RCQ_CSUM_PARTIAL		3	/* not filled in: GSO pass-through */
#define VNIC_RCQ_HASH_TYPE		GENMASK_ULL(55, 54)
#define   VNIC_RCQ_HASH_NONE		0
#define   VNIC_RCQ_HASH_L3		1
#define   VNIC_RCQ_HASH_L4		2
#define VNIC_RCQ_STATUS			GENMASK_ULL(59, 56)
#define VNIC_RCQ_DONE			BIT_ULL(63)

#define VNIC_RCQ_HASH_VAL		GENMASK_ULL(31, 0)

#endif /* _VNIC_HW_H_ */
