// SPDX-License-Identifier: GPL-2.0
/*
 * vnic AF_XDP zero-copy: an AF_XDP socket's buffer pool bound to a
 * channel (XDP_SETUP_XSK_POOL), the RX ring posting chunks of the
 * socket's UMEM so that the card's DMA writes frames straight into the
 * application's memory, and the channel's XDP TX ring sending from the
 * socket's TX ring, woken by ndo_xsk_wakeup.
 *
 * The pool is used while an XDP program is attached (the program
 * redirects to the socket through an xskmap), as with i40e and ice:
 * binding or unbinding it then rebuilds the rings as ethtool -G does
 * (vnic_reconfigure()). Without a program the pool is only DMA-mapped,
 * ready for the program to come.
 *
 * Frames are single-buffer: the device offers no multi-buffer zero-copy
 * (xdp_zc_max_segs stays 1), and a frame larger than a chunk is dropped;
 * binding a pool whose chunks cannot hold the MTU is refused, and so is
 * an MTU that a bound pool's chunks cannot hold.
 *
 * All of it runs in the channel's NAPI poll, like the rest of the rings,
 * apart from the setup (under RTNL) and the wakeup (any context), which
 * only raises the channel's vector through INT_TEST, as a real driver
 * forces an interrupt.
 */
#include <linux/bitfield.h>
#include <linux/bpf_trace.h>
#include <linux/etherdevice.h>
#include <linux/filter.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/xdp.h>
#include <net/xdp_sock_drv.h>

#include "vnic_compat.h"
#include "vnic.h"
#include "vnic_trace.h"

/*
 * The pool of queue @q that the rings use: bound there, and an XDP
 * program attached to redirect frames to its socket.
 */
struct xsk_buff_pool *vnic_xsk_pool(struct vnic_dev *vd, unsigned int q)
{
	if (!vd->xdp_prog || q >= VNIC_HW_MAX_QUEUES)
		return NULL;
	return vd->xsk_pools[q];
}

/**
 * vnic_xsk_buf_len - bytes the card may write into one chunk of @pool
 * @pool: the pool
 *
 * Return: the value for Q_RX_BUF_SIZE: the chunk less its headroom,
 * rounded down to the card's granularity.
 */
u32 vnic_xsk_buf_len(struct xsk_buff_pool *pool)
{
	return min_t(u32, ALIGN_DOWN(xsk_pool_get_rx_frame_size(pool), VNIC_HW_RX_BUF_ALIGN),
		     VNIC_HW_RX_BUF_MAX);
}

/* Whether a frame at @mtu (VLAN tag included) fits one chunk of @pool. */
static bool vnic_xsk_fits(struct xsk_buff_pool *pool, unsigned int mtu)
{
	return mtu + ETH_HLEN + VLAN_HLEN <= vnic_xsk_buf_len(pool);
}

/**
 * vnic_xsk_mtu_check - whether every bound pool's chunks hold @mtu
 * @vd: the device
 * @mtu: the MTU asked for
 * @q: set to the queue whose pool does not
 *
 * Return: NULL if they all do, or the reason for the log.
 */
const char *vnic_xsk_mtu_check(struct vnic_dev *vd, unsigned int mtu, unsigned int *q)
{
	for (*q = 0; *q < VNIC_HW_MAX_QUEUES; (*q)++)
		if (vd->xsk_pools[*q] && !vnic_xsk_fits(vd->xsk_pools[*q], mtu))
			return "the AF_XDP socket's UMEM chunks are too small for it";
	return NULL;
}

/* Rebuild the rings for the pools as they are now, if the change shows. */
static int vnic_xsk_rebuild(struct vnic_dev *vd, u16 qid)
{
	if (!netif_running(vd->netdev) || !vd->xdp_prog || qid >= vd->num_queues)
		return 0;
	return vnic_reconfigure(vd, vd->num_queues, vd->tx_ring_size, vd->rx_ring_size,
				vd->netdev->mtu);
}

/* Raise channel @q's vector, as a real driver forces an interrupt. */
static void vnic_xsk_kick(struct vnic_dev *vd, unsigned int q)
{
	vnic_raise_vector(vd, VNIC_VEC_Q(q));
}

static int vnic_xsk_enable_pool(struct vnic_dev *vd, struct xsk_buff_pool *pool, u16 qid)
{
	struct net_device *netdev = vd->netdev;
	int err;

	if (qid >= vd->max_queues) {
		netdev_err(netdev, "AF_XDP: queue %u does not exist (the card has %u)\n",
			   qid, vd->max_queues);
		return -EINVAL;
	}
	if (vd->xsk_pools[qid]) {
		netdev_err(netdev, "AF_XDP: queue %u already has a zero-copy socket\n", qid);
		return -EBUSY;
	}
	if (vnic_xsk_buf_len(pool) < VNIC_HW_RX_BUF_MIN || !vnic_xsk_fits(pool, netdev->mtu)) {
		netdev_err(netdev, "AF_XDP: queue %u: UMEM chunks of %u bytes (headroom %u) hold frames of %u bytes, MTU %u needs %u: use larger chunks or a smaller MTU\n",
			   qid, xsk_pool_get_chunk_size(pool), xsk_pool_get_headroom(pool),
			   vnic_xsk_buf_len(pool), netdev->mtu, netdev->mtu + ETH_HLEN + VLAN_HLEN);
		return -EINVAL;
	}
	/* The pages the card reads and writes, mapped as the page pools are. */
	err = xsk_pool_dma_map(pool, vnic_bus_dma_dev(vd->bdev), DMA_ATTR_SKIP_CPU_SYNC);
	if (err) {
		netdev_err(netdev, "AF_XDP: queue %u: cannot map the UMEM (%d)\n", qid, err);
		return err;
	}

	vd->xsk_pools[qid] = pool;
	err = vnic_xsk_rebuild(vd, qid);
	if (err && !(vd->running && vd->nv[qid] && vd->nv[qid]->rx.xsk_pool == pool)) {
		vd->xsk_pools[qid] = NULL;
		xsk_pool_dma_unmap(pool, DMA_ATTR_SKIP_CPU_SYNC);
		netdev_err(netdev, "AF_XDP: queue %u: cannot rebuild the rings (%d)\n", qid, err);
		return err;
	}
	/* The fill queue may have had nothing yet: let NAPI look again. */
	if (vd->running && qid < vd->num_queues)
		vnic_xsk_kick(vd, qid);
	return 0;
}

static int vnic_xsk_disable_pool(struct vnic_dev *vd, u16 qid)
{
	struct xsk_buff_pool *pool = qid < VNIC_HW_MAX_QUEUES ? vd->xsk_pools[qid] : NULL;
	int err;

	if (!pool)
		return -EINVAL;
	vd->xsk_pools[qid] = NULL;
	err = vnic_xsk_rebuild(vd, qid);
	if (err && vd->running && vd->nv[qid] && vd->nv[qid]->rx.xsk_pool == pool) {
		/*
		 * The core cannot take no for an answer here: the socket is
		 * going. New rings could not be had while the old ran, so
		 * free the old ones first.
		 */
		netdev_err(vd->netdev, "AF_XDP: queue %u: rebuilding the rings failed (%d); restarting them\n",
			   qid, err);
		vnic_down(vd);
		err = vnic_up(vd);
		if (err)
			netdev_err(vd->netdev, "cannot restart the rings (%d); bring the interface down and up\n",
				   err);
	}
	/* No ring holds a chunk of the UMEM any more. */
	xsk_pool_dma_unmap(pool, DMA_ATTR_SKIP_CPU_SYNC);
	return 0;
}

/**
 * vnic_xsk_setup_pool - ndo_bpf XDP_SETUP_XSK_POOL
 * @vd: the device
 * @pool: the pool to bind, or NULL to unbind
 * @qid: the queue
 *
 * The core gives no extack here: a refusal is explained in the log.
 *
 * Return: 0 or a negative errno, with nothing changed.
 */
int vnic_xsk_setup_pool(struct vnic_dev *vd, struct xsk_buff_pool *pool, u16 qid)
{
	ASSERT_RTNL();

	return pool ? vnic_xsk_enable_pool(vd, pool, qid) : vnic_xsk_disable_pool(vd, qid);
}

/**
 * vnic_xsk_wakeup - ndo_xsk_wakeup: the socket has put buffers on its fill
 * ring or frames on its TX ring
 * @netdev: the device
 * @qid: the queue the socket is bound to
 * @flags: XDP_WAKEUP_RX, XDP_WAKEUP_TX; both are served by the one NAPI
 *
 * Called under RCU, which vnic_stop_datapath() waits out once
 * vd->running is false.
 *
 * Return: 0, or -ENETDOWN or -EINVAL if the queue has no zero-copy rings.
 */
int vnic_xsk_wakeup(struct net_device *netdev, u32 qid, u32 flags)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	struct vnic_napi_vector *nv;

	if (unlikely(!READ_ONCE(vd->running)))
		return -ENETDOWN;
	if (unlikely(qid >= READ_ONCE(vd->num_queues)))
		return -EINVAL;
	nv = READ_ONCE(vd->nv[qid]);
	if (unlikely(!nv || !nv->xdp_tx.xsk_pool))
		return -EINVAL;
	/* A poll under way will look again; an idle one needs the vector. */
	if (!napi_if_scheduled_mark_missed(&nv->napi))
		vnic_xsk_kick(vd, qid);
	return 0;
}

/**
 * vnic_xsk_refill_rx - post UMEM chunks from the socket's fill ring
 * @ring: the zero-copy RX ring
 *
 * Tells the socket, when it uses need_wakeup, whether it must wake the
 * driver once it has filled more.
 *
 * Return: true if every free slot got a chunk.
 */
bool vnic_xsk_refill_rx(struct vnic_ring *ring)
{
	struct vnic_rx_desc *ring_desc = ring->desc;
	struct xsk_buff_pool *pool = ring->xsk_pool;
	u32 n = vnic_desc_unused(ring);
	u32 idx = ring->next_to_use;
	bool full = true;

	while (n--) {
		struct xdp_buff *xdp = xsk_buff_alloc(pool);

		if (!xdp) {
			full = false;
			break;
		}
		ring->rx_buf[idx].xsk = xdp;
		ring_desc[idx].addr = cpu_to_le64(xsk_buff_xdp_get_dma(xdp));
		ring_desc[idx].rsvd = 0;
		idx = vnic_ring_next(ring, idx);
	}
	if (idx != ring->next_to_use)
		vnic_rx_doorbell(ring, idx);
	if (!full) {
		/* An empty fill ring is the socket's business, not a failure. */
		u64_stats_update_begin(&ring->syncp);
		ring->stats.alloc_fail++;
		u64_stats_update_end(&ring->syncp);
	}
	if (xsk_uses_need_wakeup(pool)) {
		if (full)
			xsk_clear_rx_need_wakeup(pool);
		else
			xsk_set_rx_need_wakeup(pool);
	}
	return full;
}

/**
 * vnic_xsk_free_rx_bufs - give every posted chunk back to the pool
 * @ring: the zero-copy RX ring, stopped
 */
void vnic_xsk_free_rx_bufs(struct vnic_ring *ring)
{
	u32 i;

	for (i = 0; i < ring->size; i++) {
		if (ring->rx_buf[i].xsk) {
			xsk_buff_free(ring->rx_buf[i].xsk);
			ring->rx_buf[i].xsk = NULL;
		}
	}
	ring->rx_drop = false;
}

/* XDP_PASS from a UMEM chunk: the stack gets a copy, the chunk goes back. */
static struct sk_buff *vnic_xsk_build_skb(struct vnic_napi_vector *nv, struct xdp_buff *xdp)
{
	u32 metasize = xdp->data - xdp->data_meta;
	u32 len = xdp->data_end - xdp->data_meta;
	struct sk_buff *skb;

	skb = napi_alloc_skb(&nv->napi, len);
	if (unlikely(!skb))
		return NULL;
	memcpy(__skb_put(skb, len), xdp->data_meta, len);
	if (metasize) {
		__skb_pull(skb, metasize);
		skb_metadata_set(skb, metasize);
	}
	return skb;
}

/* Run the program on one frame in a UMEM chunk, and act. */
static void vnic_xsk_run_xdp(struct vnic_napi_vector *nv, struct bpf_prog *prog,
			     struct xdp_buff *xdp, u64 word, u64 hash, u32 *pending)
{
	struct vnic_ring *ring = &nv->rx;
	struct net_device *netdev = ring->netdev;
	struct xdp_frame *xdpf;
	struct sk_buff *skb;
	u32 act;

	act = bpf_prog_run_xdp(prog, xdp);
	switch (act) {
	case XDP_REDIRECT:
		/* To the socket, in place: the frame is already in its UMEM. */
		if (likely(!xdp_do_redirect(netdev, xdp, prog))) {
			vnic_count_rx(ring, &ring->stats.xdp_redirect);
			*pending |= VNIC_XDP_REDIR_PENDING;
			return;
		}
		vnic_count_rx(ring, &ring->stats.xdp_drop);
		break;
	case XDP_PASS:
		skb = vnic_xsk_build_skb(nv, xdp);
		xsk_buff_free(xdp);
		if (unlikely(!skb)) {
			vnic_count_rx(ring, &ring->stats.dropped);
			return;
		}
		vnic_count_rx(ring, &ring->stats.xdp_pass);
		vnic_deliver_rx_skb(nv, skb, word, hash, true);
		return;
	case XDP_TX:
		/* The chunk stays the socket's: send a copy, mapped as a redirect's. */
		xdpf = xdp_convert_zc_to_xdp_frame(xdp);
		xsk_buff_free(xdp);
		if (likely(xdpf)) {
			bool ok;

			spin_lock(&nv->xdp_tx.xdp_lock);
			ok = vnic_post_xdp_frame(&nv->xdp_tx, xdpf, true);
			spin_unlock(&nv->xdp_tx.xdp_lock);
			if (likely(ok)) {
				vnic_count_rx(ring, &ring->stats.xdp_tx);
				*pending |= VNIC_XDP_TX_PENDING;
				return;
			}
			xdp_return_frame(xdpf);
		}
		trace_xdp_exception(netdev, prog, act);
		vnic_count_rx(ring, &ring->stats.xdp_tx_errors);
		return;
	default:
		bpf_warn_invalid_xdp_action(netdev, prog, act);
		fallthrough;
	case XDP_ABORTED:
		trace_xdp_exception(netdev, prog, act);
		vnic_count_rx(ring, &ring->stats.xdp_aborted);
		break;
	case XDP_DROP:
		vnic_count_rx(ring, &ring->stats.xdp_drop);
		break;
	}
	xsk_buff_free(xdp);
}

/**
 * vnic_xsk_clean_rx - receive into UMEM chunks
 * @nv: the vector
 * @budget: RCQ entries to take at most
 *
 * Each frame is in one chunk; the card writes a longer one over several,
 * and the driver drops it all.
 *
 * Return: entries taken; @budget while the fill ring is empty and the
 * socket does not use need_wakeup, so that NAPI keeps looking for chunks.
 */
int vnic_xsk_clean_rx(struct vnic_napi_vector *nv, int budget)
{
	struct vnic_ring *ring = &nv->rx;
	struct vnic_rx_cmpl *rcq = ring->cmpl;
	struct bpf_prog *prog = READ_ONCE(ring->xdp_prog);
	u32 xdp_pending = 0;
	int done = 0;

	while (done < budget) {
		u32 cmpl = ring->cmpl_idx;
		u64 word = le64_to_cpu(READ_ONCE(rcq[cmpl].word));
		u32 idx = ring->next_to_clean;
		struct xdp_buff *xdp;
		bool more;
		u8 status;
		u32 len;

		if (!vnic_cmpl_is_new(ring, word & VNIC_RCQ_DONE))
			break;
		dma_rmb();

		len = FIELD_GET(VNIC_RCQ_LEN, word);
		status = FIELD_GET(VNIC_RCQ_STATUS, word);
		more = word & VNIC_RCQ_MORE;
		xdp = ring->rx_buf[idx].xsk;
		ring->rx_buf[idx].xsk = NULL;
		ring->next_to_clean = vnic_ring_next(ring, idx);
		vnic_cmpl_advance(ring);
		done++;

		u64_stats_update_begin(&ring->syncp);
		ring->stats.completions++;
		if (unlikely(ring->rx_drop)) {
			/* The rest of a frame already dropped. */
			u64_stats_update_end(&ring->syncp);
			ring->rx_drop = more;
			if (xdp)
				xsk_buff_free(xdp);
			continue;
		}
		if (unlikely(FIELD_GET(VNIC_RCQ_BUF, word) != idx || !xdp)) {
			ring->stats.errors++;
			u64_stats_update_end(&ring->syncp);
			if (net_ratelimit())
				netdev_err(ring->netdev, "q%u: RX completion for slot %llu, expected %u\n",
					   ring->qid, FIELD_GET(VNIC_RCQ_BUF, word), idx);
			if (xdp)
				xsk_buff_free(xdp);
			ring->rx_drop = more;
			continue;
		}
		if (unlikely(status != VNIC_STATUS_OK || !len || len > ring->buf_len ||
			     len < ETH_HLEN || more)) {
			/* A bad frame, or one larger than a chunk. */
			if (more)
				ring->stats.dropped++;
			else
				ring->stats.errors++;
			u64_stats_update_end(&ring->syncp);
			xsk_buff_free(xdp);
			ring->rx_drop = more;
			continue;
		}
		/* XDP is the first layer of the stack: every frame counts. */
		ring->stats.packets++;
		ring->stats.bytes += len;
		u64_stats_update_end(&ring->syncp);

		xsk_buff_set_size(xdp, len);
		vnic_xsk_buff_dma_sync_for_cpu(xdp, ring->xsk_pool);
		vnic_xsk_run_xdp(nv, prog, xdp, word, le64_to_cpu(READ_ONCE(rcq[cmpl].hash)),
				 &xdp_pending);
	}

	if (xdp_pending)
		vnic_finish_rx_xdp(nv, xdp_pending);
	if (!vnic_xsk_refill_rx(ring) && !xsk_uses_need_wakeup(ring->xsk_pool))
		return budget;
	return done;
}

/**
 * vnic_xsk_xmit - send from the AF_XDP socket's TX ring
 * @nv: the vector; its XDP TX ring has the pool
 * @budget: frames to send at most
 *
 * The frames are in the UMEM, mapped by the pool: each needs only a
 * sync and a descriptor. One doorbell, and one completion request on the
 * last descriptor, for the whole batch.
 *
 * Return: false if the budget ran out with frames perhaps left, so that
 * NAPI polls again; true if the socket's TX ring is empty, or the XDP TX
 * ring full (its completion interrupt brings the next poll).
 */
bool vnic_xsk_xmit(struct vnic_napi_vector *nv, unsigned int budget)
{
	struct vnic_ring *ring = &nv->xdp_tx;
	struct xsk_buff_pool *pool = ring->xsk_pool;
	struct vnic_tx_desc *ring_desc = ring->desc;
	struct vnic_tx_desc *last = NULL;
	u32 idx, sent = 0;
	struct xdp_desc desc;
	bool empty = true;

	spin_lock(&ring->xdp_lock);
	idx = ring->next_to_use;
	while (sent < budget) {
		struct vnic_tx_buf *buf;
		dma_addr_t dma;

		/* Full: the completion this batch asks for brings a poll. */
		if (!vnic_desc_unused(ring))
			break;
		if (!xsk_tx_peek_desc(pool, &desc))
			break;
		dma = xsk_buff_raw_get_dma(pool, desc.addr);
		xsk_buff_raw_dma_sync_for_device(pool, dma, desc.len);

		buf = &ring->tx_buf[idx];
		buf->xdpf = NULL;
		buf->len = 0;
		buf->single = false;
		buf->xmit = false;
		buf->xsk = true;
		buf->segs = 1;
		buf->wire_bytes = desc.len;
		last = &ring_desc[idx];
		vnic_fill_tx_desc(last, dma, desc.len, VNIC_TXD_EOP);
		idx = vnic_ring_next(ring, idx);
		ring->next_to_use = idx;
		sent++;
	}
	if (sent == budget)
		empty = false;
	if (sent) {
		last->ctrl |= cpu_to_le64(VNIC_TXD_REQ_COMPL);
		vnic_ring_xdp_doorbell(ring);
		xsk_tx_release(pool);
		u64_stats_update_begin(&ring->syncp);
		ring->stats.xsk_xmit += sent;
		u64_stats_update_end(&ring->syncp);
	}
	/* The socket kicks us (sendto) for what it queues from here on. */
	if (xsk_uses_need_wakeup(pool))
		xsk_set_tx_need_wakeup(pool);
	spin_unlock(&ring->xdp_lock);
	return empty;
}
