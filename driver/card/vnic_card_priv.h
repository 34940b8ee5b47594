/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the simulated card: the state behind each port's BAR0, its DMA
 * engine, the wire between the ports and the interrupt vectors. Only the
 * card's own files (and its KUnit suites) include this; the driver sees
 * the card through include/vnic_hw.h and include/vnic_bus.h alone.
 *
 * Contexts. BAR accessors run in any context, hard IRQ included, and never
 * sleep. Each TX queue has a BH work item (on the card's engine_wq:
 * system_bh_wq, or on 6.1 include/vnic_compat.h's stand-in) that is the DMA
 * engine: it fetches descriptors and data, puts the frame on the wire and,
 * on the receiving port, writes it into a posted RX buffer, all in softirq
 * context. Each vector has an hrtimer (hard) for moderation and an irq_work
 * (hard) that delivers the Linux interrupt.
 *
 * Lock order: vnic_txq.lock -> vnic_rxq.lock -> vnic_port.rate_lock and
 * vnic_vec.lock; vnic_card.link_lock -> vnic_vec.lock. No lock is held
 * while the driver's interrupt handler runs.
 */
#ifndef _VNIC_CARD_PRIV_H_
#define _VNIC_CARD_PRIV_H_

#include <linux/atomic.h>
#include <linux/export.h>
#include <linux/bits.h>
#include <linux/hrtimer.h>
#include <linux/if_ether.h>
#include <linux/irq_work.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "vnic_card.h"
#include "vnic_compat.h"
#include "vnic_hw.h"

#define VNIC_CARD_DEF_MAX_FRAME	1518	/* ETH_FRAME_LEN + 4: one VLAN tag */
#define VNIC_CARD_VLAN_SLACK	4	/* a tag beyond MAX_FRAME is tolerated */
#define VNIC_CARD_FRAME_SIZE	(VNIC_HW_MAX_FRAME + VNIC_CARD_VLAN_SLACK)
#define VNIC_CARD_STAGING_SIZE	max(VNIC_CARD_FRAME_SIZE, VNIC_HW_TSO_MAX)
/* What the engine gathers first of a packet to segment: all its headers. */
#define VNIC_CARD_HEAD_SIZE	256
#define VNIC_CARD_TX_BUDGET	64	/* wire frames per engine run */
#define VNIC_CARD_WIRE_BURST_NS	(100 * NSEC_PER_USEC)	/* rate-limit burst */
#define VNIC_CARD_WIRE_OVERHEAD	24	/* preamble, SFD, FCS, IFG bytes */
#define VNIC_CARD_PAUSE_NS	NSEC_PER_MSEC	/* a paused engine looks again */
#define VNIC_CARD_BUSY_NS	NSEC_PER_MSEC	/* woken again within: a busy queue */

/**
 * struct vnic_wire_sum - what the sending MAC knows of a frame's L4 sum
 * @start: first byte the sum covers
 * @end: byte after the last one it covers
 * @sum: ones-complement sum of those bytes, as they went on the wire
 *
 * The sender computed it to fill in the checksum; the receiver uses it
 * instead of summing the same bytes again when they are exactly its L4
 * payload. The verdict is the same either way.
 */
struct vnic_wire_sum {
	u32 start;
	u32 end;
	__wsum sum;
};

/**
 * struct vnic_pkt - a packet to segment, as the TX engine holds it
 * @head: its first @hlen bytes, gathered into card memory
 * @hlen: bytes in @head; all the headers at least
 * @len: bytes of the whole packet
 * @addr: the DMA address of each of its TX buffers, checked
 * @ctrl: the control word of each (its LEN)
 * @ndesc: buffers
 *
 * The bytes after @hlen are still in host memory. Passed through whole,
 * they go straight from the sender's buffers into the receiver's: one copy
 * for the whole way (vnic_card_pkt_write()).
 */
struct vnic_pkt {
	const u8 *head;
	u32 hlen;
	u32 len;
	const u64 *addr;
	const u64 *ctrl;
	u32 ndesc;
};

/**
 * struct vnic_tso_info - a packet to segment, and what cutting it yields
 * @type: VNIC_TXD_SEG_TCP or VNIC_TXD_SEG_UDP
 * @mss: L4 payload bytes per segment
 * @l3: offset of the IP header
 * @l4: offset of the TCP or UDP header
 * @hlen: length of all headers, the part every segment repeats
 * @ipv6: the IP header is IPv6
 * @segs: segments the packet is cut into
 * @wire_bytes: their bytes, headers repeated, each padded to the minimum
 */
struct vnic_tso_info {
	u8 type;
	u32 mss;
	u32 l3;
	u32 l4;
	u32 hlen;
	bool ipv6;
	u32 segs;
	u32 wire_bytes;
};

/* What the wire did with a packet offered whole (GSO pass-through). */
enum vnic_gso_verdict {
	VNIC_GSO_SEGMENT,	/* not taken: cut it and send the segments */
	VNIC_GSO_SENT,		/* taken, or dropped and counted */
	VNIC_GSO_HOLD,		/* no room and pause holds it at the sender */
};

/* Index of a port counter: (register - VNIC_REG_STAT_BASE) / 4 */
enum vnic_stat {
	VNIC_STAT_RX_MISSED,
	VNIC_STAT_RX_RUNT,
	VNIC_STAT_RX_OVERSIZE,
	VNIC_STAT_RX_FILTERED,
	VNIC_STAT_RX_FRAMES,
	VNIC_STAT_TX_FRAMES,
	VNIC_STAT_TX_DESC_ERR,
	VNIC_STAT_RX_DESC_ERR,
	VNIC_STAT_TX_NO_LINK,
	VNIC_STAT_IRQS,
	VNIC_STAT_TX_PAUSED,
	VNIC_STAT_RX_FCS_ERR,
	VNIC_STAT_TX_PAUSE_FRAMES,
	VNIC_STAT_RX_PAUSE_FRAMES,
	VNIC_STAT_TX_OCTETS,
	VNIC_STAT_RX_OCTETS,
	VNIC_STAT_TX_MCAST,
	VNIC_STAT_TX_BCAST,
	VNIC_STAT_RX_MCAST,
	VNIC_STAT_RX_BCAST,
	VNIC_STAT_RX_HIST,	/* VNIC_HW_RMON_BUCKETS of them */
	VNIC_STAT_TX_HIST = VNIC_STAT_RX_HIST + VNIC_HW_RMON_BUCKETS,
	VNIC_STAT_NUM = VNIC_STAT_TX_HIST + VNIC_HW_RMON_BUCKETS
};

static_assert(VNIC_REG_STAT_BASE + VNIC_STAT_NUM * 4 == VNIC_REG_STAT_END);
static_assert(VNIC_REG_STAT_BASE + VNIC_STAT_TX_PAUSE_FRAMES * 4 ==
	      VNIC_REG_STAT_TX_PAUSE_FRAMES);
static_assert(VNIC_REG_STAT_BASE + VNIC_STAT_RX_HIST * 4 == VNIC_REG_STAT_RX_HIST(0));

/**
 * struct vnic_itr - moderation, cause and mask state of one vector
 * @rx_usecs: ITR_RX_USECS, 0: no RX timer
 * @rx_frames: ITR_RX_FRAMES, 0: no RX frame count
 * @tx_usecs: ITR_TX_USECS
 * @tx_frames: ITR_TX_FRAMES
 * @rx_pending: RX completions not yet covered by a fire
 * @tx_pending: TX completions not yet covered by a fire
 * @rx_first: when the oldest of @rx_pending was written
 * @tx_first: when the oldest of @tx_pending was written
 * @batch: completions covered by fires not yet delivered
 * @cause: the vector fired and was not delivered (INT_CAUSE bit)
 * @masked: INT_MASK bit
 *
 * A pure state machine: every transition takes the time as an argument, so
 * it can be driven with a fake clock. Transitions that return true ask the
 * caller to deliver the interrupt now (and to take @batch with it).
 */
struct vnic_itr {
	u32 rx_usecs;
	u32 rx_frames;
	u32 tx_usecs;
	u32 tx_frames;
	u32 rx_pending;
	u32 tx_pending;
	ktime_t rx_first;
	ktime_t tx_first;
	u32 batch;
	bool cause;
	bool masked;
};

/* ITR register index within a vector's block */
enum vnic_itr_reg {
	VNIC_ITR_RX_USECS,
	VNIC_ITR_RX_FRAMES,
	VNIC_ITR_TX_USECS,
	VNIC_ITR_TX_FRAMES,
};

void vnic_card_itr_init(struct vnic_itr *itr);
bool vnic_card_itr_complete(struct vnic_itr *itr, bool rx, ktime_t now);
bool vnic_card_itr_expire(struct vnic_itr *itr, ktime_t now);
bool vnic_card_itr_configure(struct vnic_itr *itr, enum vnic_itr_reg reg, u32 val, ktime_t now);
u32 vnic_card_itr_config(const struct vnic_itr *itr, enum vnic_itr_reg reg);
bool vnic_card_itr_set_masked(struct vnic_itr *itr, bool masked);
bool vnic_card_itr_raise(struct vnic_itr *itr);
void vnic_card_itr_ack(struct vnic_itr *itr);
ktime_t vnic_card_itr_deadline(const struct vnic_itr *itr);
u32 vnic_card_itr_take_batch(struct vnic_itr *itr);

struct vnic_port;

/**
 * struct vnic_vec - one interrupt vector of a port
 * @lock: protects @itr, @armed and the port's misc_cause (vector 0);
 *	taken with interrupts off, as BAR writes come from hard IRQ too
 * @itr: moderation, cause and mask state
 * @armed: expiry @timer is set to, KTIME_MAX when it is not armed
 * @timer: moderation timer (hard)
 * @work: delivers the interrupt in hard-IRQ context, on this CPU
 * @csd: delivers it on another CPU, by IPI (see vnic_card_vec_send())
 * @ipis: deliveries by @csd under way
 * @port: the port
 * @idx: vector number
 * @hwirq: number in the card's irq_domain
 * @virq: Linux IRQ number
 * @irqd: its irq_data, for the affinity
 */
struct vnic_vec {
	spinlock_t lock;	/* @itr, @armed, misc_cause */
	struct vnic_itr itr;
	ktime_t armed;
	struct hrtimer timer;
	struct irq_work work;
	call_single_data_t csd;
	atomic_t ipis;
	struct vnic_port *port;
	unsigned int idx;
	unsigned int hwirq;
	unsigned int virq;
	struct irq_data *irqd;
};

/**
 * struct vnic_txq - a TX descriptor ring and its completion ring
 * @lock: held by the engine while it works a batch and by whoever enables,
 *	disables or resets the ring; protects @enabled through @ctrl.
 *	Taken with BH off; never from hard IRQ.
 * @enabled: the engine may touch the ring's memory
 * @base: TXD ring DMA address, latched at enable
 * @cmpl_base: TXC ring DMA address, latched at enable
 * @size: entries of both rings, latched at enable
 * @buf_size: bytes of each RBR buffer, latched at enable
 * @head: next TXD slot the engine reads (TXD_HEAD)
 * @cmpl_idx: next TXC slot the engine writes
 * @phase: DONE value of the current TXC lap
 * @cfg_err: the last enable was refused (Q_STATUS TX_CFG_ERR)
 * @staging: the frame being gathered, VNIC_CARD_STAGING_SIZE bytes
 * @gathered: bytes of it in @staging; a packet to segment first gathers
 *	only VNIC_CARD_HEAD_SIZE, and the rest if it must be cut after all
 * @seg: one segment of a packet being segmented, VNIC_CARD_FRAME_SIZE bytes
 * @frames: segments of the current packet put on the wire
 * @sent: frames of the packet at head that went out before it waited
 * @wait: the peer asked the packet at head to wait (pause)
 * @paused: the engine waits for the peer's RX buffers; counted once
 * @addr: buffer addresses of the packet being gathered
 * @ctrl: control words of the packet being gathered
 * @base_lo: TXD_BASE_LO register (written lock-free, used at enable)
 * @base_hi: TXD_BASE_HI register
 * @cmpl_lo: TXC_BASE_LO register
 * @cmpl_hi: TXC_BASE_HI register
 * @size_reg: TXD_SIZE register
 * @tail: TXD_TAIL doorbell, store-release by the BAR, load-acquire by
 *	the engine
 * @errs: Q_TX_ERRS
 * @work: the engine
 * @kick: restarts the engine when the wire's rate limit allows
 * @woken: ktime (ns) the engine was last woken (vnic_card_txq_schedule())
 * @port: the port
 * @idx: queue number
 */
struct vnic_txq {
	spinlock_t lock;	/* the ring vs the engine's batch */
	bool enabled;
	u64 base;
	u64 cmpl_base;
	u32 size;
	u32 head;
	u32 cmpl_idx;
	bool phase;
	bool cfg_err;
	u8 *staging;
	u32 gathered;
	u8 *seg;
	u32 frames;
	u32 sent;
	bool wait;
	bool paused;
	u64 addr[VNIC_HW_TX_MAX_DESC_PER_PKT];
	u64 ctrl[VNIC_HW_TX_MAX_DESC_PER_PKT];

	u32 base_lo;
	u32 base_hi;
	u32 cmpl_lo;
	u32 cmpl_hi;
	u32 size_reg;
	u32 tail;
	atomic_t errs;
	struct work_struct work;
	struct hrtimer kick;
	u64 woken;
	struct vnic_port *port;
	u16 idx;
};

/**
 * struct vnic_rxq - an RX buffer ring and its completion ring
 * @lock: held while a frame is written into the ring and by whoever
 *	enables, disables or resets it; protects @enabled through @cfg_err.
 *	Taken with BH off; never from hard IRQ.
 * @enabled: the card may touch the ring's memory
 * @base: RBR DMA address, latched at enable
 * @cmpl_base: RCQ DMA address, latched at enable
 * @size: entries of both rings, latched at enable
 * @head: next RBR slot the card uses, also the next RCQ slot (RBR_HEAD)
 * @phase: DONE value of the current RCQ lap
 * @cfg_err: the last enable was refused (Q_STATUS RX_CFG_ERR)
 * @base_lo: RBR_BASE_LO register (written lock-free, used at enable)
 * @base_hi: RBR_BASE_HI register
 * @cmpl_lo: RCQ_BASE_LO register
 * @cmpl_hi: RCQ_BASE_HI register
 * @size_reg: RBR_SIZE register
 * @buf_size_reg: Q_RX_BUF_SIZE register
 * @tail: RBR_TAIL doorbell, store-release / load-acquire
 * @errs: Q_RX_ERRS
 * @port: the port
 * @idx: queue number
 */
struct vnic_rxq {
	spinlock_t lock;	/* the ring vs a frame being written */
	bool enabled;
	u64 base;
	u64 cmpl_base;
	u32 size;
	u32 buf_size;
	u32 head;
	bool phase;
	bool cfg_err;

	u32 base_lo;
	u32 base_hi;
	u32 cmpl_lo;
	u32 cmpl_hi;
	u32 size_reg;
	u32 buf_size_reg;
	u32 tail;
	atomic_t errs;
	struct vnic_port *port;
	u16 idx;
};

/**
 * struct vnic_fault - faults injected into a port, set through debugfs
 * @irq_drop_next: lose this many more interrupts of the port
 * @irq_drop_rate: lose each interrupt with this chance, per million
 * @tx_dma_err_next: this many more TX packets fail with DMA_ERR
 * @rx_dma_err_next: this many more received frames fail with DMA_ERR
 * @rx_corrupt_fcs_rate: frames arriving with a bad FCS, per million
 * @rx_corrupt_csum_rate: frames arriving with an L4 bit flipped, per million
 * @rx_truncate_rate: frames arriving cut short, per million
 * @tx_stall: the port's TX engines fetch nothing; CTRL.RESET clears it
 * @irqs_lost: interrupts lost so far
 * @tx_dma_errs: TX DMA errors injected so far
 * @rx_dma_errs: RX DMA errors injected so far
 * @rx_bad_fcs: frames dropped for a bad FCS so far
 * @rx_bad_csum: frames whose L4 bytes were corrupted so far
 * @rx_truncated: frames cut short so far
 *
 * The knobs are plain u32s that debugfs writes; the hot paths read them
 * with READ_ONCE() and take a "next N" with a cmpxchg loop.
 */
struct vnic_fault {
	u32 irq_drop_next;
	u32 irq_drop_rate;
	u32 tx_dma_err_next;
	u32 rx_dma_err_next;
	u32 rx_corrupt_fcs_rate;
	u32 rx_corrupt_csum_rate;
	u32 rx_truncate_rate;
	bool tx_stall;

	atomic_t irqs_lost;
	atomic_t tx_dma_errs;
	atomic_t rx_dma_errs;
	atomic_t rx_bad_fcs;
	atomic_t rx_bad_csum;
	atomic_t rx_truncated;
};

/* A steering rule: the words RULE_FLOW .. RULE_ACT, as the registers lay them out. */
#define VNIC_STEER_RULE_WORDS	((VNIC_REG_RULE_END - VNIC_REG_RULE_FLOW) / 4)
#define VNIC_STEER_W(reg)	(((reg) - VNIC_REG_RULE_FLOW) / 4)

/**
 * struct vnic_steer_rule - one slot of the rule table, or the staging registers
 * @w: the register words; RULE_FLOW's TYPE is 0 in an empty slot
 */
struct vnic_steer_rule {
	u32 w[VNIC_STEER_RULE_WORDS];
};

/**
 * struct vnic_steer_ctx - an RSS context's registers
 * @key: its Toeplitz key
 * @indir: its indirection table
 */
struct vnic_steer_ctx {
	u8 key[VNIC_RSS_KEY_SIZE];
	u8 indir[VNIC_RSS_INDIR_SIZE];
};

/**
 * struct vnic_steer_flow - what the rules match of a received TCP or UDP frame
 * @type: VNIC_RULE_TCP4 .. VNIC_RULE_UDP6
 * @addrs: source then destination address, in the frame
 * @alen: bytes of one address
 * @ports: source port in 15:0, destination port in 31:16, host order
 */
struct vnic_steer_flow {
	u8 type;
	const u8 *addrs;
	u32 alen;
	u32 ports;
};

/**
 * struct vnic_steer - a port's flow steering registers (driver/card/vnic_steer.c)
 * @lock: writers of everything here; the data path reads @rules inside it
 *	and retries, so it never acts on a rule half copied
 * @ctrl: STEER_CTRL
 * @active: STEER_CTRL.EN with at least one rule: the data path looks
 * @nr_slots: slots up to the last one in use; the data path looks no further
 * @staging: the RULE_* staging registers
 * @rules: the rule table
 * @ctx: RSS contexts 1..VNIC_STEER_CTXS, at index context - 1
 */
struct vnic_steer {
	seqlock_t lock;	/* all of the below */
	u32 ctrl;
	bool active;
	u32 nr_slots;
	struct vnic_steer_rule staging;
	struct vnic_steer_rule rules[VNIC_STEER_RULES];
	struct vnic_steer_ctx ctx[VNIC_STEER_CTXS];
};

/**
 * struct vnic_port - one function of the card, with its own BAR0
 * @card: the card
 * @idx: port number
 * @reg_lock: serialises writers of the global registers @ctrl through
 *	@rss_indir (readers on the data path use READ_ONCE, and may see a
 *	MAC update half done, as hardware would); taken with interrupts off
 * @ctrl: CTRL, without the self-clearing RESET bit
 * @mac_lo: MAC_LO
 * @mac_hi: MAC_HI
 * @max_frame: MAX_FRAME
 * @rx_mode: RX_MODE
 * @mc_hash: MC_HASH_HI:MC_HASH_LO
 * @speed: SPEED, Mbit/s
 * @flow_ctrl: FLOW_CTRL
 * @rss_ctrl: RSS_CTRL
 * @rss_key: RSS_KEY, the Toeplitz key
 * @rss_indir: RSS_INDIR, queue of each hash bucket
 * @perm_addr: permanent MAC address
 * @misc_cause: MISC_CAUSE, under vec[VNIC_VEC_MISC].lock
 * @link_ctrl: LINK_CTRL; the link_* fields are written under card->link_lock
 * @link_adv: LINK_ADVERTISE
 * @link_partner: LINK_PARTNER
 * @link_status: LINK_STATUS
 * @link_rate: the link mode's pace, Mbit/s, 0 for none (vnic_card_wire_rate())
 * @link_ok: LINK_STATUS.UP, for the data path
 * @q_vec: Q_VEC of each TX queue (queue pairs, then TX-only queues)
 * @stats: the STAT_* counters
 * @rate_lock: protects @wire_free
 * @wire_free: when (ns, monotonic) the wire has sent all it was given
 * @tx_paused: TX queues waiting for a pause to lift (bitmap)
 * @rx_posted: RBR doorbells while TX_PAUSE is on, to wake paused senders
 * @fault: injected faults
 * @steer: flow steering: the rule table and the RSS contexts
 * @num_queues: queue pairs
 * @num_txqs: TX queues: the queue pairs' and, after them, the TX-only
 *	queues (VNIC_REG_XDPQ), at most one per queue pair
 * @num_vecs: vectors, num_queues + 1
 * @txq: TX queues, @num_txqs of them
 * @rxq: RX queues
 * @vec: vectors
 * @bar: BAR0 as handed to the bus
 * @bdev: the bus function while plugged
 * @platform_data: handed to the function's dev.platform_data when plugged
 * @debugfs: the port's debugfs directory
 */
struct vnic_port {
	struct vnic_card *card;
	unsigned int idx;

	spinlock_t reg_lock;	/* writers of @ctrl..@rss_indir */
	u32 ctrl;
	u32 mac_lo;
	u32 mac_hi;
	u32 max_frame;
	u32 rx_mode;
	u64 mc_hash;
	u32 speed;
	u32 flow_ctrl;
	u32 rss_ctrl;
	u8 rss_key[VNIC_RSS_KEY_SIZE];
	u8 rss_indir[VNIC_RSS_INDIR_SIZE];
	u8 perm_addr[ETH_ALEN];

	u32 misc_cause;
	u32 link_ctrl;
	u32 link_adv;
	u32 link_partner;
	u32 link_status;
	u32 link_rate;
	bool link_ok;
	u32 q_vec[2 * VNIC_HW_MAX_QUEUES];
	atomic_t stats[VNIC_STAT_NUM];

	spinlock_t rate_lock;	/* @wire_free */
	u64 wire_free;

	DECLARE_BITMAP(tx_paused, 2 * VNIC_HW_MAX_QUEUES);
	atomic_t rx_posted;
	struct vnic_fault fault;
	struct vnic_steer *steer;

	unsigned int num_queues;
	unsigned int num_txqs;
	unsigned int num_vecs;
	struct vnic_txq *txq;
	struct vnic_rxq *rxq;
	struct vnic_vec *vec;
	struct vnic_bar bar;
	struct vnic_bus_dev *bdev;
	void *platform_data;
	struct dentry *debugfs;
};

/**
 * struct vnic_card - a card: two ports cabled back to back
 * @id: card number
 * @num_queues: queue pairs per port
 * @engine_local: DMA engines run on the doorbell's CPU (vnic_card_txq_schedule())
 * @link_lock: serialises link changes (the cable, the ports' link_*
 *	fields); taken with interrupts off
 * @link_up: the cable between the ports is in (the `link` fault knob)
 * @plugged: the ports are on the bus; the card's owner serialises plug
 *	and unplug, so no lock (vnic_card_plug())
 * @fwnode: names @domain
 * @domain: the card's interrupt controller, all ports' vectors
 * @debugfs: the card's debugfs directory
 * @port: the ports
 */
struct vnic_card {
	u32 id;
	u32 num_queues;
	bool engine_local;
	struct workqueue_struct *engine_wq;
	spinlock_t link_lock;	/* link changes */
	bool link_up;
	bool plugged;
	struct fwnode_handle *fwnode;
	struct irq_domain *domain;
	struct dentry *debugfs;
	struct vnic_port port[VNIC_CARD_PORTS];
};

static inline void vnic_card_port_count(struct vnic_port *port, enum vnic_stat stat)
{
	atomic_inc(&port->stats[stat]);
}

static inline void vnic_card_port_count_n(struct vnic_port *port, enum vnic_stat stat, u32 n)
{
	atomic_add(n, &port->stats[stat]);
}

/* vnic_stats.c: what the MACs count of the frames they move */
int vnic_card_stat_size_bucket(u32 len);
void vnic_card_port_count_tx(struct vnic_port *port, const u8 *frame, u32 len);
void vnic_card_port_count_tx_gso(struct vnic_port *port, const u8 *frame, u32 len,
				 const struct vnic_tso_info *ti);
void vnic_card_port_count_arrival(struct vnic_port *port, u32 len);
void vnic_card_port_count_arrival_gso(struct vnic_port *port, u32 len,
				      const struct vnic_tso_info *ti);
void vnic_card_port_count_rx(struct vnic_port *port, const u8 *frame, u32 len);
void vnic_card_port_count_rx_gso(struct vnic_port *port, const u8 *frame,
				 const struct vnic_tso_info *ti);

/* vnic_regs.c: the BAR decoder */
extern const struct vnic_bar_ops vnic_bar_ops;
u32 vnic_card_reg_read(void *priv, u32 off);
void vnic_card_port_reset(struct vnic_port *port);

/**
 * struct vnic_link_cfg - one port's link settings, as negotiation sees them
 * @ctrl: LINK_CTRL
 * @adv: LINK_ADVERTISE
 */
struct vnic_link_cfg {
	u32 ctrl;
	u32 adv;
};

/**
 * struct vnic_link_res - what negotiation gives one port
 * @status: LINK_STATUS
 * @partner: LINK_PARTNER
 */
struct vnic_link_res {
	u32 status;
	u32 partner;
};

/* vnic_link.c: the cable, link modes, autonegotiation */
void vnic_card_set_link(struct vnic_card *card, bool up);
void vnic_card_link_init(struct vnic_card *card);
u32 vnic_card_link_reg_read(struct vnic_port *port, u32 off);
void vnic_card_link_reg_write(struct vnic_port *port, u32 off, u32 val);
void vnic_card_link_resolve(bool cable, const struct vnic_link_cfg *self,
			    const struct vnic_link_cfg *peer, struct vnic_link_res *res);
u32 vnic_card_link_mode_rate(u32 status);

/*
 * The rate a port's wire runs at, Mbit/s, 0 for as fast as the machine
 * goes: its link mode's pace, capped by SPEED.
 */
static inline u32 vnic_card_wire_rate(const struct vnic_port *port)
{
	return min_not_zero(READ_ONCE(port->speed), READ_ONCE(port->link_rate));
}

/* vnic_engine.c: DMA, TX queues */
void *vnic_card_dma_map(u64 addr, size_t len);
int vnic_card_dma_read(u64 addr, void *dst, size_t len);
int vnic_card_dma_write(u64 addr, const void *src, size_t len);
int vnic_card_pkt_write(const struct vnic_pkt *pkt, u32 off, u64 dst, u32 len);
bool vnic_card_ring_ok(u64 base, u64 cmpl_base, u32 size);
int vnic_card_txq_init(struct vnic_port *port, struct vnic_txq *txq, u16 idx);
void vnic_card_txq_free(struct vnic_txq *txq);
void vnic_card_txq_enable(struct vnic_txq *txq, bool on);
void vnic_card_txq_doorbell(struct vnic_txq *txq, u32 tail);
void vnic_card_txq_schedule(struct vnic_txq *txq);
void vnic_card_txq_reset(struct vnic_txq *txq);
void vnic_card_txq_quiesce(struct vnic_txq *txq);
u8 vnic_card_tx_csum(u8 *frame, u32 len, u32 start, u32 off, struct vnic_wire_sum *ws);
void vnic_card_port_wake_paused(struct vnic_port *port);
void vnic_card_wake_paused(struct vnic_card *card);

/* vnic_tso.c: segmentation offload */
u8 vnic_card_tso_prepare(const u8 *frame, u32 len, u64 ctrl, u32 max_frame,
			 struct vnic_tso_info *ti);
u8 vnic_card_tso_segment(const u8 *frame, u32 len, u64 ctrl, u32 max_frame, u8 *seg,
			 void (*emit)(void *ctx, const u8 *seg, u32 len,
				      const struct vnic_wire_sum *ws),
		    void *ctx);

/* vnic_wire.c: the cable and its rate */
bool vnic_card_wire_send(struct vnic_port *port, const u8 *frame, u32 len,
			 const struct vnic_wire_sum *ws);
struct vnic_port *vnic_card_wire_dst(struct vnic_port *port);
enum vnic_gso_verdict vnic_card_wire_send_gso(struct vnic_port *port, const struct vnic_pkt *src,
					      const struct vnic_tso_info *ti);
u64 vnic_card_wire_wait(struct vnic_port *port);

/* vnic_rx_mac.c: the receiving MAC: filter, checksum, RSS, queue choice */
enum vnic_gso_verdict vnic_card_mac_rx_gso(struct vnic_port *port, const struct vnic_pkt *src,
					   const struct vnic_tso_info *ti, bool pause);
bool vnic_card_port_deliver(struct vnic_port *port, const u8 *frame, u32 len,
			    const struct vnic_wire_sum *ws, bool pause);
bool vnic_card_mac_rx(struct vnic_port *port, const u8 *frame, u32 len,
		      const struct vnic_wire_sum *ws, bool pause);
bool vnic_card_rx_l4_span(const u8 *frame, u32 len, u32 *start, u32 *end);
void vnic_card_port_receive(struct vnic_port *port, const u8 *frame, u32 len);
u8 vnic_card_rx_csum(const u8 *frame, u32 len);
u32 vnic_card_mc_hash_bin(const u8 *addr);
u32 vnic_card_rss_toeplitz(const u8 *key, const u8 *data, unsigned int len);

/* vnic_rxq.c: the RX DMA: buffer ring and completions */

/* What a frame's first RCQ entry carries besides its length and status. */
struct vnic_rx_meta {
	u8 csum;
	u8 htype;
	u32 hash;
	u64 gso;	/* GSO_TYPE and MSS */
};

/* How a frame fared at the RBR. */
enum vnic_rx_verdict {
	VNIC_RX_TAKEN,		/* written (or lost to an error) and counted */
	VNIC_RX_MISSED,		/* not enough buffers, and no pause */
	VNIC_RX_HOLD,		/* not enough buffers; pause holds it */
	VNIC_RX_NEVER,		/* more buffers than the whole ring holds */
};

enum vnic_rx_verdict vnic_card_rxq_take(struct vnic_port *port, struct vnic_rxq *rxq,
					const struct vnic_pkt *src, const struct vnic_rx_meta *m,
				   const struct vnic_tso_info *ti, bool pause);
void vnic_card_rxq_init(struct vnic_port *port, struct vnic_rxq *rxq, u16 idx);
void vnic_card_rxq_enable(struct vnic_rxq *rxq, bool on);
void vnic_card_rxq_doorbell(struct vnic_rxq *rxq, u32 tail);
void vnic_card_rxq_reset(struct vnic_rxq *rxq);

/* vnic_steer.c: flow steering rules and RSS contexts */
int vnic_card_steer_init(struct vnic_port *port);
void vnic_card_steer_free(struct vnic_port *port);
void vnic_card_steer_reset(struct vnic_port *port);
u32 vnic_card_steer_read(struct vnic_port *port, u32 off);
void vnic_card_steer_write(struct vnic_port *port, u32 off, u32 val);
bool vnic_card_steer_find(const struct vnic_steer *st, const struct vnic_steer_flow *fl, u32 *act);
bool vnic_card_steer_lookup(struct vnic_port *port, const struct vnic_steer_flow *fl, u32 *act);
void vnic_card_steer_rss(struct vnic_port *port, u32 ctx, const u8 **key, const u8 **indir);

/* The data path's check: one READ_ONCE() while no rule is in use. */
static inline bool vnic_card_steer_on(const struct vnic_port *port)
{
	return READ_ONCE(port->steer->active);
}

/* vnic_vec.c: irq_domain and vector plumbing */
int vnic_card_irq_domain_create(struct vnic_card *card);
void vnic_card_irq_domain_destroy(struct vnic_card *card);
int vnic_card_vec_init(struct vnic_port *port, struct vnic_vec *vec, unsigned int idx);
void vnic_card_vec_free(struct vnic_vec *vec);
void vnic_card_vec_quiesce(struct vnic_vec *vec);
void vnic_card_vec_reset(struct vnic_vec *vec);
void vnic_card_vec_complete(struct vnic_port *port, u16 qid, bool rx);
void vnic_card_vec_misc(struct vnic_port *port, u32 cause);
void vnic_card_vec_raise(struct vnic_vec *vec);
void vnic_card_vec_ack(struct vnic_vec *vec);
void vnic_card_vec_set_masked(struct vnic_vec *vec, bool masked);
u32 vnic_card_vec_read_itr(struct vnic_vec *vec, enum vnic_itr_reg reg);
void vnic_card_vec_write_itr(struct vnic_vec *vec, enum vnic_itr_reg reg, u32 val);

/* vnic_fault.c: fault injection */
void vnic_card_fault_debugfs_init(struct vnic_port *port);
void vnic_card_fault_reset(struct vnic_port *port);
void vnic_card_fault_set_tx_stall(struct vnic_port *port, bool stall);
bool vnic_card_fault_lose_irq(struct vnic_port *port);
bool vnic_card_fault_tx_dma(struct vnic_port *port);
bool vnic_card_fault_rx_dma(struct vnic_port *port);
bool vnic_card_fault_rx(struct vnic_port *port, const u8 *frame, u32 len,
			const struct vnic_wire_sum *ws, bool pause);

/*
 * The hot paths' checks: one or two READ_ONCE()s of the knobs, and the
 * work out of line only when a fault is armed.
 */
static inline bool vnic_card_fault_irq_lost(struct vnic_port *port)
{
	const struct vnic_fault *f = &port->fault;

	if (likely(!(READ_ONCE(f->irq_drop_next) | READ_ONCE(f->irq_drop_rate))))
		return false;
	return vnic_card_fault_lose_irq(port);
}

static inline bool vnic_card_fault_tx_dma_err(struct vnic_port *port)
{
	return unlikely(READ_ONCE(port->fault.tx_dma_err_next)) && vnic_card_fault_tx_dma(port);
}

static inline bool vnic_card_fault_rx_dma_err(struct vnic_port *port)
{
	return unlikely(READ_ONCE(port->fault.rx_dma_err_next)) && vnic_card_fault_rx_dma(port);
}

static inline bool vnic_card_fault_rx_armed(const struct vnic_port *port)
{
	const struct vnic_fault *f = &port->fault;

	return unlikely(READ_ONCE(f->rx_corrupt_fcs_rate) |
			READ_ONCE(f->rx_corrupt_csum_rate) |
			READ_ONCE(f->rx_truncate_rate));
}

static inline bool vnic_card_fault_tx_stalled(const struct vnic_port *port)
{
	return unlikely(READ_ONCE(port->fault.tx_stall));
}

#endif /* _VNIC_CARD_PRIV_H_ */
