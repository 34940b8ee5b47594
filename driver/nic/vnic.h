/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vnic driver: data structures shared by its files. The driver knows
 * the card only through BAR0 (vnic_rd32/vnic_wr32), the descriptors in
 * include/vnic_hw.h and the interrupt vectors the bus hands it.
 */
#ifndef _VNIC_H_
#define _VNIC_H_

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/dim.h>
#include <linux/log2.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/xdp.h>

#include "vnic_bus.h"
#include "vnic_compat.h"
#include "vnic_hw.h"

#define VNIC_DRV_NAME		"vnic"

#define VNIC_RING_MIN		64
#define VNIC_RING_MAX		4096
#define VNIC_TX_RING_DEFAULT	256
#define VNIC_RX_RING_DEFAULT	512

#define VNIC_MAX_SPEED		400000	/* Mbit/s, the speed module parameter */

#define VNIC_MIN_MTU		ETH_MIN_MTU
#define VNIC_MAX_MTU		9000

/* Worst case descriptors for one skb: the linear part plus every frag. */
#define VNIC_TX_DESC_NEEDED	(MAX_SKB_FRAGS + 1)
#define VNIC_TX_WAKE_THRESH	(VNIC_TX_DESC_NEEDED * 2)

#define VNIC_RX_HEADROOM	(NET_SKB_PAD + NET_IP_ALIGN)
/* With an XDP program: room for bpf_xdp_adjust_head() and the xdp_frame. */
#define VNIC_XDP_HEADROOM	XDP_PACKET_HEADROOM

/*
 * RX buffers are page_pool fragments of this size, two to a 4 KiB page,
 * while a frame fits one (MTU up to 1646); beyond, whole pages. A frame
 * longer than a buffer spans several (see the RCQ in vnic_hw.h).
 */
#define VNIC_RX_SLOT_SMALL	2048

/* ethtool --set-tunable rx-copybreak: frames this short are copied. */
#define VNIC_RX_COPYBREAK_DEFAULT	256
#define VNIC_RX_COPYBREAK_MAX		1024

/* Fits the 14-bit MSS field's smallest sensible MSS into 64 KiB. */
#define VNIC_TSO_MAX_SEGS	1024

/**
 * struct vnic_hw - the driver's handle on the card's registers
 * @bar: BAR0 as mapped by the bus
 */
struct vnic_hw {
	struct vnic_bar *bar;
};

static inline u32 vnic_rd32(struct vnic_hw *hw, u32 reg)
{
	return vnic_bar_read32(hw->bar, reg);
}

static inline void vnic_wr32(struct vnic_hw *hw, u32 reg, u32 val)
{
	vnic_bar_write32(hw->bar, reg, val);
}

/* Per-ring counters, written only by the ring's owner (xmit or NAPI). */
struct vnic_ring_stats {
	u64 packets;
	u64 bytes;
	u64 errors;		/* TX: bad completion status; RX: bad status */
	u64 dropped;		/* TX: mapping failed; RX: no skb */
	u64 csum_err;		/* RX: the card found a bad L4 checksum */
	u64 csum_ok;		/* RX: the card vouched for the checksum */
	u64 alloc_fail;		/* RX: buffer refill failed */
	u64 gso_packets;	/* RX: GSO pass-through packets, whole */
	u64 gso_bytes;		/* RX: their bytes as received */
	u64 gso_segs;		/* RX: the segments they stand for */
	u64 copybreak;		/* RX: frames copied, their buffer reused */
	u64 stops;		/* TX: queue stopped for lack of descriptors */
	u64 wakes;		/* TX: queue woken by completions */
	u64 completions;	/* completion entries consumed */
	/* RX: the verdicts of an XDP program, one per frame */
	u64 xdp_pass;
	u64 xdp_drop;		/* XDP_DROP, and redirects that failed */
	u64 xdp_tx;		/* XDP_TX, posted on the XDP TX ring */
	u64 xdp_tx_errors;	/* XDP_TX frames the XDP TX ring had no room for */
	u64 xdp_redirect;
	u64 xdp_aborted;	/* XDP_ABORTED and unknown verdicts */
	/* XDP TX ring: frames other devices redirected here (ndo_xdp_xmit) */
	u64 xdp_xmit;
	/* XDP TX ring: frames sent from an AF_XDP socket's UMEM (zero-copy) */
	u64 xsk_xmit;
};

/**
 * struct vnic_tx_buf - what the driver remembers of a posted TX descriptor
 * @skb: the packet, on the slot of its first descriptor only
 * @xdpf: XDP TX ring: the frame, on the slot of its first descriptor only
 * @dma: DMA address of this descriptor's buffer
 * @len: mapped length, 0 when the slot holds no mapping (an XDP_TX frame
 *	is in the RX page_pool's own mapping)
 * @single: mapped with dma_map_single (the linear part) rather than as a page
 * @xmit: XDP TX ring: @xdpf came through ndo_xdp_xmit, not XDP_TX
 * @xsk: XDP TX ring: an AF_XDP frame, in the UMEM and mapped by its pool;
 *	completing it tells the socket (xsk_tx_completed())
 * @segs: frames the packet becomes on the wire (TSO/USO segments)
 * @wire_bytes: bytes of those frames, headers counted in each
 */
struct vnic_tx_buf {
	union {
		struct sk_buff *skb;
		struct xdp_frame *xdpf;
	};
	dma_addr_t dma;
	u32 len;
	bool single;
	bool xmit;
	bool xsk;
	u16 segs;
	u32 wire_bytes;
};

/**
 * struct vnic_rx_buf - an RX buffer posted on an RBR slot
 * @page: the page_pool page it is a fragment of, NULL if none is posted
 * @xsk: on a zero-copy ring (@xsk_pool of the ring): the AF_XDP buffer,
 *	a chunk of the socket's UMEM, NULL if none is posted
 * @offset: where in @page the buffer starts; the card writes from
 *	VNIC_RX_HEADROOM past it
 */
struct vnic_rx_buf {
	union {
		struct page *page;
		struct xdp_buff *xsk;
	};
	u32 offset;
};

/**
 * struct vnic_ring - a descriptor ring and its completion ring
 * @desc: TXD or RBR entries, in coherent DMA memory
 * @cmpl: TXC or RCQ entries, written by the card
 * @tx_buf: TX only: one entry per descriptor
 * @rx_buf: RX only: the buffer posted on each RBR slot
 * @pp: RX only: the page pool the buffers come from
 * @rx_skb: RX only: a multi-buffer frame being gathered, across polls
 * @rx_tail: RX only: the skb of @rx_skb that takes the next fragment:
 *	@rx_skb itself, or the last on its frag_list once its frags are full
 * @rx_meta: RX only: the first RCQ entry's word of @rx_skb
 * @rx_hash: RX only: the first RCQ entry's hash word of @rx_skb
 * @rx_drop: RX only: the rest of a broken multi-buffer frame is to drop
 * @rx_frag_page: RX only: the page being split into slots, NULL when the
 *	next slot needs a new page
 * @rx_frag_off: RX only: where in @rx_frag_page the next slot starts
 * @xdp_prog: RX only: the XDP program every frame goes through, or NULL
 * @xdp: RX only: a frame being gathered for @xdp_prog, across polls
 * @xdp_len: RX only: bytes of @xdp gathered, 0 when none is
 * @xdp_rxq: RX only: the queue as XDP sees it (page_pool memory model)
 * @xdp_lock: XDP TX ring only: serialises its producers, the XDP_TX of
 *	the channel's NAPI and ndo_xdp_xmit on any CPU, and their counters
 * @xsk_pool: the AF_XDP zero-copy socket's buffer pool bound to the
 *	channel, or NULL: RX buffers come from its UMEM (the ring has no
 *	page_pool), and the XDP TX ring also sends from its TX ring
 * @netdev: the net_device this ring belongs to
 * @dev: the device that does DMA
 * @hw: register access
 * @qid: queue index
 * @size: entries in @desc and in @cmpl, a power of two
 * @next_to_use: next free descriptor slot; the doorbell value
 * @next_to_clean: oldest descriptor not yet completed
 * @cmpl_idx: next completion entry to look at
 * @phase: value of the DONE bit that marks a new completion in this lap
 * @buf_len: RX only: bytes the card may write to each buffer (Q_RX_BUF_SIZE)
 * @headroom: RX only: bytes before the data in each buffer
 * @slot_size: RX only: memory each buffer takes, its truesize
 * @desc_dma: DMA address of @desc
 * @cmpl_dma: DMA address of @cmpl
 * @syncp: protects @stats for readers on other CPUs
 * @stats: counters
 */
struct vnic_ring {
	void *desc;
	void *cmpl;
	union {
		struct vnic_tx_buf *tx_buf;
		struct vnic_rx_buf *rx_buf;
	};
	struct page_pool *pp;
	struct sk_buff *rx_skb;
	struct sk_buff *rx_tail;
	u64 rx_meta;
	u64 rx_hash;
	bool rx_drop;
	struct page *rx_frag_page;
	u32 rx_frag_off;
	struct bpf_prog *xdp_prog;
	struct xdp_buff xdp;
	u32 xdp_len;
	struct xdp_rxq_info xdp_rxq;
	spinlock_t xdp_lock;	/* XDP TX ring: producers and their stats */
	struct xsk_buff_pool *xsk_pool;
	struct net_device *netdev;
	struct device *dev;
	struct vnic_hw *hw;
	u16 qid;
	u32 size;
	u32 next_to_use;
	u32 next_to_clean;
	u32 cmpl_idx;
	u8 phase;
	u32 buf_len;
	u32 headroom;
	u32 slot_size;
	dma_addr_t desc_dma;
	dma_addr_t cmpl_dma;
	struct u64_stats_sync syncp;
	struct vnic_ring_stats stats;
};

/**
 * struct vnic_coal - interrupt moderation of one vector, as ethtool sees it
 * @rx_usecs: fire this long after the first unreported RX completion
 * @rx_frames: or once this many RX completions are pending
 * @tx_usecs: the same for TX completions
 * @tx_frames: the same for TX completions
 */
struct vnic_coal {
	u32 rx_usecs;
	u32 rx_frames;
	u32 tx_usecs;
	u32 tx_frames;
};

/* Per-vector counters, written only in the vector's IRQ handler or NAPI. */
struct vnic_nv_stats {
	u64 irqs;
	u64 polls;
	u64 polls_busy;		/* polls that used the whole budget */
	u64 kicks;		/* polls the service task had to start */
};

/**
 * struct vnic_napi_vector - one queue pair, its NAPI context and its vector
 * @napi: NAPI context; owns both rings
 * @vd: the device
 * @tx: TX ring
 * @rx: RX ring
 * @xdp_tx: the XDP TX ring, on the card's TX-only queue of the same
 *	number, while an XDP program is attached (else its @desc is NULL)
 * @v_idx: interrupt vector number on the card
 * @irq: Linux IRQ number
 * @syncp: protects @stats
 * @stats: counters
 * @rx_dim: adaptive moderation state for RX (lib/dim)
 * @tx_dim: adaptive moderation state for TX
 * @name: IRQ name as shown in /proc/interrupts
 * @rcu: frees the vector once stats readers are gone
 */
struct vnic_napi_vector {
	struct napi_struct napi;
	struct vnic_dev *vd;
	struct vnic_ring tx;
	struct vnic_ring rx;
	struct vnic_ring xdp_tx;
	u16 v_idx;
	int irq;
	struct u64_stats_sync syncp;
	struct vnic_nv_stats stats;
	struct dim rx_dim;
	struct dim tx_dim;
	char name[IFNAMSIZ + 16];
	struct rcu_head rcu;
};

/* Counters the card keeps in its STAT_* registers, widened to 64 bits. */
struct vnic_hw_stats {
	u64 rx_missed;
	u64 rx_runt;
	u64 rx_oversize;
	u64 rx_filtered;
	u64 rx_frames;
	u64 tx_frames;
	u64 tx_desc_err;
	u64 rx_desc_err;
	u64 tx_no_link;
	u64 irqs;
	u64 tx_paused;
	u64 rx_fcs_err;
	/* Reported through the standard ethtool groups, not ethtool -S: */
	u64 tx_pause_frames;
	u64 rx_pause_frames;
	u64 tx_octets;
	u64 rx_octets;
	u64 tx_mcast;
	u64 tx_bcast;
	u64 rx_mcast;
	u64 rx_bcast;
	u64 rx_hist[VNIC_HW_RMON_BUCKETS];
	u64 tx_hist[VNIC_HW_RMON_BUCKETS];
};

#define VNIC_HW_STATS_NUM	(sizeof(struct vnic_hw_stats) / sizeof(u64))
/* Counter i (at byte 8 * i here) is the register at VNIC_REG_STAT_BASE + 4 * i. */
static_assert(VNIC_REG_STAT_BASE + VNIC_HW_STATS_NUM * 4 == VNIC_REG_STAT_END);
static_assert(VNIC_REG_STAT_BASE + offsetof(struct vnic_hw_stats, tx_pause_frames) / 2 ==
	      VNIC_REG_STAT_TX_PAUSE_FRAMES);
static_assert(VNIC_REG_STAT_BASE + offsetof(struct vnic_hw_stats, rx_hist) / 2 ==
	      VNIC_REG_STAT_RX_HIST(0));

/**
 * struct vnic_rule - an ntuple rule (ethtool -N), as the card has it
 * @fs: the flow spec as ethtool gave it, its location the rule's slot
 * @rss_context: the RSS context of a FLOW_RSS rule
 */
struct vnic_rule {
	struct ethtool_rx_flow_spec fs;
	u32 rss_context;
};

/**
 * struct vnic_rss_ctx - an extra RSS context (ethtool -X context N)
 * @key: its Toeplitz key
 * @indir: its indirection table
 */
struct vnic_rss_ctx {
	u8 key[VNIC_RSS_KEY_SIZE];
	u8 indir[VNIC_RSS_INDIR_SIZE];
};

enum vnic_state_bits {
	VNIC_STATE_RESET_REQUESTED,
	VNIC_STATE_REMOVING,
};

/**
 * struct vnic_adopt - a net_device that rtnl newlink hands to a port's probe
 * @netdev: the net_device, allocated by the rtnetlink core (the first name
 *	of ip link add) or by newlink (the peer) from vnic_netdev_setup()
 * @task: the task that plugs the card in, holding RTNL; the probe refuses
 *	any other (the bus's drivers_probe), and newlink clears it when done
 * @vd: set by the probe that bound the port
 * @err: the probe's error, if it failed
 * @owner: the module glue's slot of the card
 *
 * The module glue puts one in each port's dev.platform_data (through the
 * card's config) when it builds a card for ip link add; see
 * vnic_adopt_register() and DEVELOPERS.md, "ip link add".
 */
struct vnic_adopt {
	struct net_device *netdev;
	struct task_struct *task;
	struct vnic_dev *vd;
	int err;
	void *owner;
};

/**
 * struct vnic_dev - the driver's private part of a net_device
 * @netdev: the net_device
 * @bdev: the bus function
 * @hw: register access
 * @nv: one vector per active queue pair, while the interface is up
 * @num_queues: active queue pairs
 * @max_queues: queue pairs the card has
 * @xdp_txqs: TX-only queues the card has (CAPS.XDP_TXQS), one per
 *	channel with an XDP program
 * @xdp_prog: the XDP program, under RTNL; each RX ring has a copy
 * @xsk_pools: AF_XDP zero-copy buffer pools by queue (XDP_SETUP_XSK_POOL),
 *	DMA-mapped, under RTNL; the channel's rings use one while a program
 *	is attached
 * @tx_ring_size: TX descriptors per queue
 * @rx_ring_size: RX buffers per queue
 * @coal: moderation of each queue vector, kept across down/up
 * @adaptive_rx: lib/dim drives rx-usecs/rx-frames
 * @adaptive_tx: lib/dim drives tx-usecs/tx-frames
 * @rss_key: Toeplitz key programmed into the card
 * @rss_indir: indirection table: RX queue of each hash bucket
 * @rule_used: slots of @rules in use (under RTNL, as all of the steering)
 * @rules: the ntuple rules, by slot
 * @rss_ctx_used: contexts of @rss_ctx in use, by context number
 * @rss_ctx: the extra RSS contexts, at context number - 1
 * @flow_ctrl: VNIC_FC_* pause settings
 * @caps: the card's VNIC_REG_CAPS
 * @gso_rx: NETIF_F_GRO_HW: RX_MODE.GSO asks the card for whole GSO packets
 * @rx_copybreak: frames up to this long are copied into a small skb
 * @msg_enable: netif_msg_* bits
 * @misc_irq: Linux IRQ of the misc vector
 * @misc_name: its name in /proc/interrupts
 * @misc_test_irqs: test interrupts seen on the misc vector (self test)
 * @running: the rings are handed to the card and NAPI is enabled
 * @state: enum vnic_state_bits
 * @service_task: periodic upkeep, and the reset after a TX timeout
 * @tx_kick: jiffies of the last NAPI kick for a TX timeout
 * @tx_timeouts: TX timeouts seen
 * @resets: card resets done by the service task
 * @hw_stats_lock: protects @hw_stats and @hw_stats_last
 * @hw_stats: the card's counters, accumulated
 * @hw_stats_last: last raw value read of each counter
 * @closed_tx: TX ring counters of rings already freed, so that totals
 *	survive down/up
 * @closed_rx: the same for RX rings
 * @closed_xdp: the same for XDP TX rings
 * @closed_nv: vector counters of vectors already freed
 * @adopt: the net_device came from rtnl newlink (ip link add), or NULL if
 *	probe allocated it; see vnic_adopt_register()
 * @registered: with @adopt: newlink registered the net_device, so it is
 *	the rtnetlink core's to unregister (dellink) before remove
 * @unregistered: with @adopt: completed by the core once the net_device is
 *	unregistered and its last reference gone (priv_destructor)
 */
struct vnic_dev {
	struct net_device *netdev;
	struct vnic_bus_dev *bdev;
	struct vnic_hw hw;
	struct vnic_napi_vector *nv[VNIC_HW_MAX_QUEUES];
	u16 num_queues;
	u16 max_queues;
	u16 xdp_txqs;
	struct bpf_prog *xdp_prog;
	struct xsk_buff_pool *xsk_pools[VNIC_HW_MAX_QUEUES];
	u32 tx_ring_size;
	u32 rx_ring_size;
	struct vnic_coal coal[VNIC_HW_MAX_QUEUES];
	bool adaptive_rx;
	bool adaptive_tx;
	u8 rss_key[VNIC_RSS_KEY_SIZE];
	u32 rss_indir[VNIC_RSS_INDIR_SIZE];
	DECLARE_BITMAP(rule_used, VNIC_STEER_RULES);
	struct vnic_rule rules[VNIC_STEER_RULES];
	DECLARE_BITMAP(rss_ctx_used, VNIC_STEER_CTXS + 1);
	struct vnic_rss_ctx rss_ctx[VNIC_STEER_CTXS];
	u32 flow_ctrl;
	u32 caps;
	bool gso_rx;
	u32 rx_copybreak;
	u32 msg_enable;
	int misc_irq;
	char misc_name[IFNAMSIZ + 16];
	atomic_t misc_test_irqs;
	bool running;
	unsigned long state;
	struct delayed_work service_task;
	unsigned long tx_kick;
	u64 tx_timeouts;
	u64 resets;
	spinlock_t hw_stats_lock;	/* hw_stats, hw_stats_last */
	struct vnic_hw_stats hw_stats;
	u32 hw_stats_last[VNIC_HW_STATS_NUM];
	struct vnic_ring_stats closed_tx;
	struct vnic_ring_stats closed_rx;
	struct vnic_ring_stats closed_xdp;
	struct vnic_nv_stats closed_nv;
	struct dentry *dbg;
	atomic_t fault_tx_bad_desc;
	atomic_t fault_rx_alloc;
	u32 dbg_napi_release_delay;
	struct vnic_adopt *adopt;
	bool registered;
	struct completion unregistered;
};

/* Free descriptor slots; one always stays empty so full != empty. */
static inline u32 vnic_desc_unused(const struct vnic_ring *ring)
{
	return (ring->next_to_clean - ring->next_to_use - 1) & (ring->size - 1);
}

static inline u32 vnic_ring_next(const struct vnic_ring *ring, u32 idx)
{
	return (idx + 1) & (ring->size - 1);
}

/* Step past a consumed completion; the DONE polarity flips on each wrap. */
static inline void vnic_cmpl_advance(struct vnic_ring *ring)
{
	if (++ring->cmpl_idx == ring->size) {
		ring->cmpl_idx = 0;
		ring->phase ^= 1;
	}
}

static inline bool vnic_cmpl_is_new(const struct vnic_ring *ring, bool done)
{
	return done == !!ring->phase;
}

/*
 * The TX watchdog's policy, as gve_tx_timeout_try_q_kick(): a timeout first
 * suspects a lost interrupt and kicks NAPI; another one within two watchdog
 * periods of that kick means the queue is stuck, and the card is reset.
 */
static inline unsigned long vnic_tx_kick_window(const struct vnic_dev *vd)
{
	return 2 * vd->netdev->watchdog_timeo;
}

/* True (and the kick is counted from now) if this timeout should kick. */
static inline bool vnic_tx_timeout_try_kick(struct vnic_dev *vd)
{
	if (!time_after(jiffies, vd->tx_kick + vnic_tx_kick_window(vd)))
		return false;
	vd->tx_kick = jiffies;
	return true;
}

/* After a (re)start: the next timeout kicks first. */
static inline void vnic_tx_timeout_rearm(struct vnic_dev *vd)
{
	vd->tx_kick = jiffies - vnic_tx_kick_window(vd) - 1;
}

/* A ring size the driver takes: a power of two from VNIC_RING_MIN to VNIC_RING_MAX. */
static inline bool vnic_ring_size_ok(u32 size)
{
	return size >= VNIC_RING_MIN && size <= VNIC_RING_MAX && is_power_of_2(size);
}

/* vnic_pci.c */
int vnic_driver_register(void);
void vnic_driver_unregister(void);
int vnic_up(struct vnic_dev *vd);
void vnic_down(struct vnic_dev *vd);
void vnic_enable_link(struct vnic_dev *vd, bool on);
int vnic_reconfigure(struct vnic_dev *vd, unsigned int nq, u32 tx_size, u32 rx_size,
		     unsigned int mtu);
int vnic_reset_hw(struct vnic_dev *vd);
void vnic_update_hw_stats(struct vnic_dev *vd);
void vnic_netdev_setup(struct net_device *netdev);
int vnic_adopt_register(struct vnic_adopt *ad);
void vnic_adopt_unregister(struct vnic_adopt *ad, struct list_head *head);
void vnic_adopt_abort(struct vnic_adopt *ad);
struct vnic_adopt *vnic_netdev_adopt(const struct net_device *netdev);
size_t vnic_link_info_size(const struct net_device *netdev);
int vnic_fill_link_info(struct sk_buff *skb, const struct net_device *netdev);

/* vnic_debugfs.c */
void vnic_debugfs_init(void);
void vnic_debugfs_exit(void);
void vnic_add_debugfs(struct vnic_dev *vd);
void vnic_del_debugfs(struct vnic_dev *vd);
bool vnic_dbg_fault(atomic_t *count);

/*
 * The napi_release_delay_us knob (vnic_debugfs.c), called by a poll that
 * has just given its NAPI up. Inline: on the poll's path it is one load.
 */
static inline void vnic_dbg_napi_released(struct vnic_dev *vd)
{
	u32 us = READ_ONCE(vd->dbg_napi_release_delay);

	if (unlikely(us))
		udelay(min(us, 1000U));
}

/* vnic_netdev.c */
extern const struct net_device_ops vnic_netdev_ops;
#if VNIC_HAVE_QSTATS
extern const struct netdev_stat_ops vnic_stat_ops;
#endif
void vnic_write_mac(struct vnic_dev *vd);
void vnic_write_max_frame(struct vnic_dev *vd);
void vnic_write_ctrl(struct vnic_dev *vd, netdev_features_t features);
void vnic_write_rss(struct vnic_dev *vd);
void vnic_init_rss(struct vnic_dev *vd);

/* vnic_txrx.c */
netdev_tx_t vnic_xmit_frame(struct sk_buff *skb, struct net_device *netdev);
int vnic_poll(struct napi_struct *napi, int budget);
int vnic_alloc_napi_vectors(struct vnic_dev *vd, struct vnic_napi_vector **nv,
			    unsigned int nq, u32 tx_size, u32 rx_size, unsigned int mtu);
void vnic_free_napi_vectors(struct vnic_dev *vd, struct vnic_napi_vector **nv, unsigned int nq);
void vnic_reset_tx_queues(struct vnic_dev *vd);
int vnic_enable_rings(struct vnic_dev *vd);
void vnic_disable_rings(struct vnic_dev *vd);
void vnic_fill_rx_rings(struct vnic_dev *vd);
void vnic_read_ring_stats(struct vnic_ring *ring, struct vnic_ring_stats *out);
void vnic_add_ring_stats(struct vnic_ring_stats *sum, const struct vnic_ring_stats *s);
bool vnic_has_work(struct vnic_napi_vector *nv);
u32 vnic_rx_slot_size(unsigned int mtu);
u32 vnic_rx_buf_size(u32 slot_size);
u32 vnic_xdp_max_mtu(void);
int vnic_xdp_xmit(struct net_device *netdev, int n, struct xdp_frame **frames, u32 flags);
void vnic_read_xdp_stats(struct vnic_napi_vector *nv, struct vnic_ring_stats *out);
/* for vnic_xsk.c */
void vnic_fill_tx_desc(struct vnic_tx_desc *txd, dma_addr_t dma, u32 len, u64 flags);
bool vnic_post_xdp_frame(struct vnic_ring *ring, struct xdp_frame *xdpf, bool xmit);
void vnic_ring_xdp_doorbell(struct vnic_ring *ring);
void vnic_deliver_rx_skb(struct vnic_napi_vector *nv, struct sk_buff *skb, u64 meta, u64 hash,
			 bool xdp);
void vnic_count_rx(struct vnic_ring *ring, u64 *counter);
void vnic_finish_rx_xdp(struct vnic_napi_vector *nv, u32 pending);
void vnic_rx_doorbell(struct vnic_ring *ring, u32 idx);

/* What a poll owes once its frames are through the program. */
#define VNIC_XDP_TX_PENDING	BIT(0)	/* the XDP TX ring's doorbell */
#define VNIC_XDP_REDIR_PENDING	BIT(1)	/* xdp_do_flush() */

/* vnic_xsk.c: AF_XDP zero-copy */
struct xsk_buff_pool *vnic_xsk_pool(struct vnic_dev *vd, unsigned int q);
int vnic_xsk_setup_pool(struct vnic_dev *vd, struct xsk_buff_pool *pool, u16 qid);
int vnic_xsk_wakeup(struct net_device *netdev, u32 qid, u32 flags);
u32 vnic_xsk_buf_len(struct xsk_buff_pool *pool);
const char *vnic_xsk_mtu_check(struct vnic_dev *vd, unsigned int mtu, unsigned int *q);
bool vnic_xsk_refill_rx(struct vnic_ring *ring);
void vnic_xsk_free_rx_bufs(struct vnic_ring *ring);
int vnic_xsk_clean_rx(struct vnic_napi_vector *nv, int budget);
bool vnic_xsk_xmit(struct vnic_napi_vector *nv, unsigned int budget);
#if IS_ENABLED(CONFIG_KUNIT)
u64 vnic_tx_offload_flags(const struct sk_buff *skb);
#endif

/* vnic_irq.c */
int vnic_request_queue_irqs(struct vnic_dev *vd);
void vnic_free_queue_irqs(struct vnic_dev *vd);
int vnic_request_misc_irq(struct vnic_dev *vd);
void vnic_free_misc_irq(struct vnic_dev *vd);
void vnic_unmask_vector(struct vnic_dev *vd, unsigned int v_idx);
void vnic_ack_vector(struct vnic_dev *vd, unsigned int v_idx);
void vnic_mask_vector(struct vnic_dev *vd, unsigned int v_idx);
void vnic_raise_vector(struct vnic_dev *vd, unsigned int v_idx);
void vnic_mask_all_vectors(struct vnic_dev *vd);
void vnic_unmask_all_vectors(struct vnic_dev *vd);
void vnic_write_coalesce(struct vnic_dev *vd);
void vnic_write_vector_coalesce(struct vnic_dev *vd, unsigned int q);
void vnic_init_dim(struct vnic_napi_vector *nv);
void vnic_cancel_dim(struct vnic_napi_vector *nv);
void vnic_update_dim(struct vnic_napi_vector *nv);

/* vnic_selftest.c */
enum vnic_test {
	VNIC_TEST_REG,
	VNIC_TEST_IRQ,
	VNIC_TEST_LOOPBACK,
	VNIC_TEST_LINK,
	VNIC_TEST_NUM,
};

extern const char vnic_test_names[VNIC_TEST_NUM][ETH_GSTRING_LEN];
void vnic_self_test(struct vnic_dev *vd, bool offline, u64 *results);

/* vnic_ethtool.c */
void vnic_set_ethtool_ops(struct net_device *netdev);
void vnic_write_steer(struct vnic_dev *vd);
void vnic_set_ntuple(struct vnic_dev *vd, bool on);

#endif /* _VNIC_H_ */
