/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels vnic builds for, in one place:
 * Debian 12's 6.12 (the pinned kernel) and its default 6.1. No other file
 * tests LINUX_VERSION_CODE; they use what this header defines:
 *
 *  - a kernel helper that 6.1 lacks but can be written with what 6.1 has
 *    (ethtool_puts(), netif_txq_completed_wake(), ...) is defined here
 *    under its own name, so the code reads as on 6.12;
 *  - an interface whose shape changed (tracepoint strings, the bus
 *    callbacks' const, the RSS ops, page_pool parameters) gets a vnic_ or
 *    VNIC_ wrapper that expands to the right form;
 *  - a facility 6.1 does not have at all is a VNIC_HAVE_* switch, 1 or 0,
 *    and the code that uses it is compiled out on 6.1 (README.md, "On
 *    Debian's 6.1 kernel", lists what goes).
 *
 * The version each change came in is noted at its test. Only 6.1 and 6.12
 * are built and tested; the boundaries in between follow the kernel's
 * history but are not checked.
 *
 * Both the card and the driver include this: it is a leaf that includes
 * only kernel headers.
 */
#ifndef _VNIC_COMPAT_H_
#define _VNIC_COMPAT_H_

#include <linux/version.h>
#include <linux/container_of.h>
#include <linux/dma-mapping.h>
#include <linux/ethtool.h>
#include <linux/interrupt.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/skbuff.h>
#include <linux/workqueue.h>
#include <net/netdev_queues.h>

#define VNIC_KERNEL_AT_LEAST(a, b) (LINUX_VERSION_CODE >= KERNEL_VERSION(a, b, 0))

/* 6.12: <asm/unaligned.h> moved to <linux/unaligned.h>. */
#if VNIC_KERNEL_AT_LEAST(6, 12)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* 6.2: container_of_const(). */
#ifndef container_of_const
#define container_of_const(ptr, type, member) container_of(ptr, type, member)
#endif

/*
 * The bus (driver/bus/, driver/vnic_main.c). The callbacks of struct
 * bus_type took const arguments one by one: uevent's device in 6.3, the
 * bus_type itself (bus_register(), bus attributes) in 6.4, match's driver
 * in 6.11. Each VNIC_*_CONST is `const` where the kernel has it.
 */
#if VNIC_KERNEL_AT_LEAST(6, 3)
#define VNIC_UEVENT_CONST const
#else
#define VNIC_UEVENT_CONST
#endif
#if VNIC_KERNEL_AT_LEAST(6, 4)
#define VNIC_BUS_CONST const
#else
#define VNIC_BUS_CONST
#endif
#if VNIC_KERNEL_AT_LEAST(6, 11)
#define VNIC_MATCH_CONST const
#else
#define VNIC_MATCH_CONST
#endif

/*
 * Tracepoints (include/vnic_trace.h): 6.10's __assign_str() takes only the
 * field and finds the source in __string(); before, it took both.
 */
#if VNIC_KERNEL_AT_LEAST(6, 10)
#define vnic_assign_str(dst, src) __assign_str(dst)
#else
#define vnic_assign_str(dst, src) __assign_str(dst, src)
#endif

/*
 * The card's engines run from a BH workqueue: in softirq context, on the
 * CPU they were queued on, never on the stack of whoever rang the doorbell.
 * system_bh_wq came in 6.9. Before it, each card has a workqueue of its
 * own, per CPU (queue_work_on() still chooses the CPU) and high priority
 * (a runnable engine is not queued behind ordinary work), and its work runs
 * with bottom halves off (vnic_bh_work_begin()/_end()), so the engine's
 * code runs in the same context as on a BH workqueue: not preemptible, no
 * softirq in between, spin_lock_bh() nests as before. It still never runs
 * on the caller's stack: a doorbell only queues the work.
 */
#if VNIC_KERNEL_AT_LEAST(6, 9)
static inline struct workqueue_struct *vnic_bh_wq_alloc(const char *name, u32 id)
{
	return system_bh_wq;
}

static inline void vnic_bh_wq_free(struct workqueue_struct *wq)
{
}

static inline void vnic_bh_work_begin(void)
{
}

static inline void vnic_bh_work_end(void)
{
}
#else
static inline struct workqueue_struct *vnic_bh_wq_alloc(const char *name, u32 id)
{
	return alloc_workqueue("%s%u", WQ_HIGHPRI, 0, name, id);
}

static inline void vnic_bh_wq_free(struct workqueue_struct *wq)
{
	if (!IS_ERR_OR_NULL(wq))
		destroy_workqueue(wq);
}

static inline void vnic_bh_work_begin(void)
{
	local_bh_disable();
}

static inline void vnic_bh_work_end(void)
{
	local_bh_enable();
}
#endif

/*
 * page_pool. 6.6 split <net/page_pool.h> into types and helpers; 6.5
 * added page_pool_params.napi (direct recycling from the owning NAPI),
 * 6.7 .netdev (the pool's owner for netlink's page-pool list); 6.10 (or
 * thereabouts) page_pool_dma_sync_for_cpu(). Before, the pool simply does
 * not know its NAPI or its device.
 *
 * Fragments: the driver splits pages itself with page_pool_fragment_page()
 * and gives each piece back on its own. From 6.7 every page_pool page
 * counts its references; before, only a pool made with PP_FLAG_PAGE_FRAG
 * does, and without it each put recycles the whole page (a page given back
 * twice). So before 6.7 the pool gets that flag, and the driver sets the
 * count of every page it takes, whole ones (count 1) included: 6.1 leaves
 * a new page's count as it finds it.
 */
#if VNIC_KERNEL_AT_LEAST(6, 6)
#include <net/page_pool/helpers.h>
#else
#include <net/page_pool.h>
#endif

static inline void vnic_pp_params_compat(struct page_pool_params *pp, struct napi_struct *napi,
					 struct net_device *netdev)
{
#if !VNIC_KERNEL_AT_LEAST(6, 7)
	pp->flags |= PP_FLAG_PAGE_FRAG;
#endif
#if VNIC_KERNEL_AT_LEAST(6, 5)
	pp->napi = napi;
#endif
#if VNIC_KERNEL_AT_LEAST(6, 7)
	pp->netdev = netdev;
#endif
}

#if !VNIC_KERNEL_AT_LEAST(6, 10)
static inline void page_pool_dma_sync_for_cpu(struct page_pool *pool, struct page *page,
					      u32 offset, u32 dma_sync_size)
{
	dma_sync_single_range_for_cpu(pool->p.dev, page_pool_get_dma_addr(page),
				      offset + pool->p.offset, dma_sync_size,
				      page_pool_get_dma_dir(pool));
}
#endif

/*
 * 6.3: netif_txq_completed_wake(); 6.1's <net/netdev_queues.h> has the
 * stop side only. This is 6.12's: report to BQL (whose barrier pairs with
 * netif_txq_try_stop()'s), then wake the queue if it has room again.
 */
#ifndef netif_txq_completed_wake
static inline void vnic_txq_completed_mb(struct netdev_queue *txq, unsigned int pkts,
					 unsigned int bytes)
{
	if (IS_ENABLED(CONFIG_BQL))
		netdev_tx_completed_queue(txq, pkts, bytes);
	else if (bytes)
		smp_mb(); /* as BQL's: the new clean index, then the stopped bit */
}

#define netif_txq_completed_wake(txq, pkts, bytes, get_desc, start_thrs)	\
	({									\
		struct netdev_queue *_txq = (txq);				\
		unsigned int _pkts = (pkts);					\
		int _res = -1;							\
										\
		vnic_txq_completed_mb(_txq, _pkts, bytes);			\
		if (_pkts && likely((get_desc) >= (start_thrs))) {		\
			_res = 1;						\
			if (unlikely(netif_tx_queue_stopped(_txq))) {		\
				netif_tx_wake_queue(_txq);			\
				_res = 0;					\
			}							\
		}								\
		_res;								\
	})
#endif

/*
 * 6.8: the queue <-> NAPI links and the NAPI's IRQ, which netlink's
 * queue-get and napi-get report. 6.1 has neither; vnic links nothing.
 */
#define VNIC_HAVE_QUEUE_NAPI VNIC_KERNEL_AT_LEAST(6, 8)

static inline void vnic_queue_set_napi(struct net_device *netdev, unsigned int q,
				       struct napi_struct *napi)
{
#if VNIC_HAVE_QUEUE_NAPI
	netif_queue_set_napi(netdev, q, NETDEV_QUEUE_TYPE_RX, napi);
	netif_queue_set_napi(netdev, q, NETDEV_QUEUE_TYPE_TX, napi);
#endif
}

static inline void vnic_napi_set_irq(struct napi_struct *napi, int irq)
{
#if VNIC_HAVE_QUEUE_NAPI
	netif_napi_set_irq(napi, irq);
#endif
}

/* 6.10: per-queue statistics over netlink (netdev_stat_ops with base stats). */
#define VNIC_HAVE_QSTATS VNIC_KERNEL_AT_LEAST(6, 10)

/* 6.3: the device's XDP features (NETDEV_XDP_ACT_*), for netlink's dev-get. */
#define VNIC_HAVE_XDP_FEATURES VNIC_KERNEL_AT_LEAST(6, 3)

#if !VNIC_HAVE_XDP_FEATURES
static inline void xdp_features_set_redirect_target(struct net_device *netdev, bool sg)
{
}

static inline void xdp_features_clear_redirect_target(struct net_device *netdev)
{
}
#endif

/* 6.10: xsk_buff_dma_sync_for_cpu() lost its pool argument. */
#if VNIC_KERNEL_AT_LEAST(6, 10)
#define vnic_xsk_buff_dma_sync_for_cpu(xdp, pool) xsk_buff_dma_sync_for_cpu(xdp)
#else
#define vnic_xsk_buff_dma_sync_for_cpu(xdp, pool) xsk_buff_dma_sync_for_cpu(xdp, pool)
#endif

/* 6.5: skb_frag_fill_page_desc(). */
#if !VNIC_KERNEL_AT_LEAST(6, 5)
static inline void skb_frag_fill_page_desc(skb_frag_t *frag, struct page *page, int off,
					   int size)
{
	__skb_frag_set_page(frag, page);
	skb_frag_off_set(frag, off);
	skb_frag_size_set(frag, size);
}
#endif

/* 6.8: ethtool_puts(). */
#if !VNIC_KERNEL_AT_LEAST(6, 8)
static inline void ethtool_puts(u8 **data, const char *str)
{
	ethtool_sprintf(data, "%s", str);
}
#endif

/*
 * RSS. 6.8 passes get_rxfh/set_rxfh one struct ethtool_rxfh_param instead
 * of (indir, key, hfunc). On 6.1 the struct is declared here with the
 * fields vnic reads, and VNIC_DEFINE_RXFH_OPS(get, set) writes the old
 * entry points around vnic's (get)/(set); VNIC_RXFH_OPS(get, set) names
 * whichever pair the kernel calls, in struct ethtool_ops.
 */
#if VNIC_KERNEL_AT_LEAST(6, 8)
#define VNIC_DEFINE_RXFH_OPS(get, set)
#define VNIC_RXFH_OPS(get, set) .get_rxfh = get, .set_rxfh = set
#else
struct ethtool_rxfh_param {
	u8 hfunc;
	u32 *indir;
	u8 *key;
	u32 rss_context;
};

#define VNIC_DEFINE_RXFH_OPS(get, set)						\
static int get##_old(struct net_device *netdev, u32 *indir, u8 *key, u8 *hfunc) \
{										\
	struct ethtool_rxfh_param p = { .indir = indir, .key = key };		\
	int err = get(netdev, &p);						\
										\
	if (hfunc)								\
		*hfunc = p.hfunc;						\
	return err;								\
}										\
static int set##_old(struct net_device *netdev, const u32 *indir, const u8 *key, \
		     const u8 hfunc)						\
{										\
	struct ethtool_rxfh_param p = {						\
		.hfunc = hfunc, .indir = (u32 *)indir, .key = (u8 *)key,	\
	};									\
										\
	return set(netdev, &p, NULL);						\
}

#define VNIC_RXFH_OPS(get, set) .get_rxfh = get##_old, .set_rxfh = set##_old
#endif

/*
 * 6.11: additional RSS contexts with create/modify/remove_rxfh_context and
 * the core's context table. 6.1's older set_rxfh_context is not used:
 * without it, vnic has only the main RSS table, and a steering rule can
 * only name a queue.
 */
#define VNIC_HAVE_RSS_CTX VNIC_KERNEL_AT_LEAST(6, 11)

/*
 * 6.2: formatted extack messages. 6.1's extack holds only a pointer to a
 * constant string, which netlink reads when it builds the ack, after the
 * operation returns. So there the message is formatted into a static
 * buffer of the length 6.2 allows (one per file that refuses something).
 * Two refusals at the same moment may garble each other's text, never
 * overrun it: snprintf() never writes a character into the last byte, so
 * it stays NUL.
 */
#ifndef NL_SET_ERR_MSG_FMT
#define VNIC_EXTACK_LEN 80
static char __maybe_unused vnic_extack_buf[VNIC_EXTACK_LEN];

#define NL_SET_ERR_MSG_FMT(extack, fmt, args...)				\
	do {									\
		struct netlink_ext_ack *__extack = (extack);			\
										\
		if (__extack) {							\
			snprintf(vnic_extack_buf, VNIC_EXTACK_LEN, fmt, ##args); \
			__extack->_msg = vnic_extack_buf;			\
		}								\
	} while (0)
#define NL_SET_ERR_MSG_FMT_MOD(extack, fmt, args...)				\
	NL_SET_ERR_MSG_FMT(extack, KBUILD_MODNAME ": " fmt, ##args)
#endif

#endif /* _VNIC_COMPAT_H_ */
