// SPDX-License-Identifier: GPL-2.0
/*
 * vnic rings: allocating them and handing them to the card, transmit,
 * the NAPI poll that cleans TX completions and receives frames, and RX
 * buffer refill from a page_pool.
 *
 * Each queue pair's rings are owned by its NAPI context (and, for the
 * producer side of TX, by ndo_start_xmit under the queue's xmit lock), so
 * they need no locks of their own.
 */
#include <kunit/visibility.h>
#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/bpf_trace.h>
#include <linux/filter.h>
#include <net/netdev_queues.h>
#include <net/xdp.h>
#include <net/xdp_sock_drv.h>

#include "vnic_compat.h"
#include "vnic.h"
#include "vnic_trace.h"

static u32 vnic_rx_buf_len(u32 slot_size, u32 headroom)
{
	u32 len = slot_size - headroom - SKB_DATA_ALIGN(sizeof(struct skb_shared_info));

	return min_t(u32, ALIGN_DOWN(len, VNIC_HW_RX_BUF_ALIGN), VNIC_HW_RX_BUF_MAX);
}

/**
 * vnic_rx_buf_size - bytes the card may write into an RX buffer
 * @slot_size: the memory the buffer takes
 *
 * The buffer starts VNIC_RX_HEADROOM into its slot and leaves room at the
 * end for the skb_shared_info that napi_build_skb() puts there, rounded
 * down to the card's granularity.
 *
 * Return: the value for Q_RX_BUF_SIZE.
 */
u32 vnic_rx_buf_size(u32 slot_size)
{
	return vnic_rx_buf_len(slot_size, VNIC_RX_HEADROOM);
}
EXPORT_SYMBOL_IF_KUNIT(vnic_rx_buf_size);

/**
 * vnic_xdp_max_mtu - the largest MTU whose frames fit one RX buffer under XDP
 *
 * With an XDP program every RX buffer is a whole page with
 * VNIC_XDP_HEADROOM in front; a program without frags support sees only
 * frames that fit one (VLAN tag included).
 *
 * Return: the MTU.
 */
u32 vnic_xdp_max_mtu(void)
{
	return vnic_rx_buf_len(PAGE_SIZE, VNIC_XDP_HEADROOM) - ETH_HLEN - VLAN_HLEN;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_xdp_max_mtu);

/**
 * vnic_rx_slot_size - the memory each RX buffer takes, for a given MTU
 * @mtu: the MTU
 *
 * Half a page while a whole frame (VLAN tag included) fits in one buffer
 * of that; otherwise a page, and a frame spans several.
 *
 * Return: the slot size, which is also each buffer's truesize.
 */
u32 vnic_rx_slot_size(unsigned int mtu)
{
	u32 small = min_t(u32, VNIC_RX_SLOT_SMALL, PAGE_SIZE);

	if (mtu + ETH_HLEN + VLAN_HLEN <= vnic_rx_buf_size(small))
		return small;
	return PAGE_SIZE;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_rx_slot_size);

/**
 * vnic_read_ring_stats - a consistent snapshot of a ring's counters
 * @ring: the ring
 * @out: where to put them
 */
void vnic_read_ring_stats(struct vnic_ring *ring, struct vnic_ring_stats *out)
{
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&ring->syncp);
		*out = ring->stats;
	} while (u64_stats_fetch_retry(&ring->syncp, start));
}
EXPORT_SYMBOL_IF_KUNIT(vnic_read_ring_stats);

/**
 * vnic_add_ring_stats - add one set of ring counters to another
 * @sum: the running total
 * @s: what to add
 */
void vnic_add_ring_stats(struct vnic_ring_stats *sum, const struct vnic_ring_stats *s)
{
	const u64 *src = (const u64 *)s;
	u64 *dst = (u64 *)sum;
	unsigned int i;

	for (i = 0; i < sizeof(*s) / sizeof(u64); i++)
		dst[i] += src[i];
}

/* TX */

static void vnic_unmap_tx_buf(struct vnic_ring *ring, struct vnic_tx_buf *buf)
{
	if (!buf->len)
		return;
	if (buf->single)
		dma_unmap_single(ring->dev, buf->dma, buf->len, DMA_TO_DEVICE);
	else
		dma_unmap_page(ring->dev, buf->dma, buf->len, DMA_TO_DEVICE);
	buf->len = 0;
}

void vnic_fill_tx_desc(struct vnic_tx_desc *txd, dma_addr_t dma, u32 len, u64 flags)
{
	txd->addr = cpu_to_le64(dma);
	txd->ctrl = cpu_to_le64(FIELD_PREP(VNIC_TXD_LEN, len) | flags);
}
EXPORT_SYMBOL_IF_KUNIT(vnic_fill_tx_desc);

VISIBLE_IF_KUNIT u64 vnic_tx_offload_flags(const struct sk_buff *skb)
{
	const struct skb_shared_info *shinfo = skb_shinfo(skb);
	u64 flags;

	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return 0;
	flags = VNIC_TXD_CSUM |
		FIELD_PREP(VNIC_TXD_CSUM_START, skb_checksum_start_offset(skb)) |
		FIELD_PREP(VNIC_TXD_CSUM_OFF, skb->csum_offset);
	if (!skb_is_gso(skb))
		return flags;

	/* The card segments; it fills in every segment's checksum itself. */
	flags |= FIELD_PREP(VNIC_TXD_MSS, shinfo->gso_size);
	if (shinfo->gso_type & SKB_GSO_UDP_L4)
		flags |= FIELD_PREP(VNIC_TXD_SEG, VNIC_TXD_SEG_UDP);
	else
		flags |= FIELD_PREP(VNIC_TXD_SEG, VNIC_TXD_SEG_TCP);
	return flags;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_tx_offload_flags);

/* Bytes BQL counts as sent and not yet completed on @txq, and its limit */
static void vnic_bql_state(const struct netdev_queue *txq, u32 *inflight, u32 *limit)
{
#ifdef CONFIG_BQL
	*inflight = READ_ONCE(txq->dql.num_queued) - READ_ONCE(txq->dql.num_completed);
	*limit = READ_ONCE(txq->dql.limit);
#else
	*inflight = 0;
	*limit = 0;
#endif
}

/* What a packet becomes on the wire: segments and bytes, headers repeated. */
static void vnic_tx_wire_count(const struct sk_buff *skb, struct vnic_tx_buf *buf)
{
	u32 segs = skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1;

	buf->segs = segs;
	buf->wire_bytes = skb->len;
	if (segs > 1) {
		u32 hlen = skb_transport_offset(skb) +
			   (skb_shinfo(skb)->gso_type & SKB_GSO_UDP_L4 ?
			    sizeof(struct udphdr) : tcp_hdrlen(skb));

		buf->wire_bytes += (segs - 1) * hlen;
	}
}

/**
 * vnic_xmit_frame - ndo_start_xmit: post an skb on its queue's TX ring
 * @skb: the packet
 * @netdev: the device
 *
 * Return: NETDEV_TX_OK, or NETDEV_TX_BUSY if the ring is unexpectedly full.
 */
netdev_tx_t vnic_xmit_frame(struct sk_buff *skb, struct net_device *netdev)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	u16 qid = skb_get_queue_mapping(skb);
	unsigned int nr_frags = skb_shinfo(skb)->nr_frags;
	struct vnic_ring *ring = &vd->nv[qid]->tx;
	struct netdev_queue *txq = netdev_get_tx_queue(netdev, qid);
	struct vnic_tx_desc *ring_desc = ring->desc;
	u32 first = ring->next_to_use, idx = first;
	struct vnic_tx_buf *buf;
	u64 flags;
	unsigned int f;
	dma_addr_t dma;
	bool kick;
	u32 len;

	if (unlikely(vnic_desc_unused(ring) < nr_frags + 1)) {
		/* The queue is stopped before this can happen; be safe anyway. */
		netif_tx_stop_queue(txq);
		return NETDEV_TX_BUSY;
	}

	/* The card refuses a zero-length descriptor: have a linear head. */
	if (unlikely(!skb_headlen(skb))) {
		if (!pskb_may_pull(skb, ETH_HLEN))
			goto drop;
		nr_frags = skb_shinfo(skb)->nr_frags;
	}

	flags = vnic_tx_offload_flags(skb);

	len = skb_headlen(skb);
	dma = dma_map_single(ring->dev, skb->data, len, DMA_TO_DEVICE);
	if (dma_mapping_error(ring->dev, dma))
		goto drop;
	buf = &ring->tx_buf[idx];
	buf->skb = skb;
	buf->dma = dma;
	buf->len = len;
	buf->single = true;
	vnic_tx_wire_count(skb, buf);

	for (f = 0; f < nr_frags; f++) {
		const skb_frag_t *frag = &skb_shinfo(skb)->frags[f];

		vnic_fill_tx_desc(&ring_desc[idx], dma, len, flags);
		trace_vnic_tx_desc(netdev, qid, idx, skb, dma, len,
				   le64_to_cpu(ring_desc[idx].ctrl));
		flags = 0;
		idx = vnic_ring_next(ring, idx);

		len = skb_frag_size(frag);
		dma = skb_frag_dma_map(ring->dev, frag, 0, len, DMA_TO_DEVICE);
		if (dma_mapping_error(ring->dev, dma))
			goto unmap;
		buf = &ring->tx_buf[idx];
		buf->skb = NULL;
		buf->dma = dma;
		buf->len = len;
		buf->single = false;
	}
	vnic_fill_tx_desc(&ring_desc[idx], dma, len, flags | VNIC_TXD_EOP | VNIC_TXD_REQ_COMPL);
	trace_vnic_tx_desc(netdev, qid, idx, skb, dma, len, le64_to_cpu(ring_desc[idx].ctrl));
	idx = vnic_ring_next(ring, idx);
	/* debugfs: a bad descriptor, for the card to refuse */
	if (vnic_dbg_fault(&vd->fault_tx_bad_desc))
		ring_desc[first].ctrl &= ~cpu_to_le64(VNIC_TXD_LEN);

	trace_vnic_xmit(netdev, qid, skb->len, first, nr_frags + 1);
	skb_tx_timestamp(skb);
	ring->next_to_use = idx;

	if (!netif_txq_maybe_stop(txq, vnic_desc_unused(ring),
				  VNIC_TX_DESC_NEEDED, VNIC_TX_WAKE_THRESH)) {
		u64_stats_update_begin(&ring->syncp);
		ring->stats.stops++;
		u64_stats_update_end(&ring->syncp);
	}

	kick = __netdev_tx_sent_queue(txq, skb->len, netdev_xmit_more());
	if (trace_vnic_tx_queued_enabled()) {
		u32 inflight, limit;

		vnic_bql_state(txq, &inflight, &limit);
		trace_vnic_tx_queued(netdev, qid, skb, idx, inflight, limit, kick);
	}
	if (kick) {
		/* Descriptors must be visible before the card sees the tail. */
		dma_wmb();
		vnic_wr32(ring->hw, VNIC_REG_Q(qid, VNIC_Q_TXD_TAIL), idx);
		trace_vnic_doorbell(netdev, qid, false, idx);
	}
	return NETDEV_TX_OK;

unmap:
	for (idx = first; ; idx = vnic_ring_next(ring, idx)) {
		buf = &ring->tx_buf[idx];
		buf->skb = NULL;
		if (!buf->len)
			break;
		vnic_unmap_tx_buf(ring, buf);
	}
drop:
	dev_kfree_skb_any(skb);
	u64_stats_update_begin(&ring->syncp);
	ring->stats.dropped++;
	u64_stats_update_end(&ring->syncp);
	return NETDEV_TX_OK;
}

/* Free descriptors up to @head; the last packet freed carries @status. */
static void vnic_clean_tx_to(struct vnic_ring *ring, u32 head, u8 status, int napi_budget,
			     unsigned int *pkts, unsigned int *bytes)
{
	struct vnic_tx_buf *last_buf = NULL;
	struct sk_buff *last = NULL;
	u32 idx = ring->next_to_clean;

	while (idx != head) {
		struct vnic_tx_buf *buf = &ring->tx_buf[idx];

		vnic_unmap_tx_buf(ring, buf);
		if (buf->skb) {
			if (last) {
				(*pkts)++;
				*bytes += last->len;
				ring->stats.packets += last_buf->segs;
				ring->stats.bytes += last_buf->wire_bytes;
				napi_consume_skb(last, napi_budget);
			}
			last = buf->skb;
			last_buf = buf;
			buf->skb = NULL;
		}
		idx = vnic_ring_next(ring, idx);
	}
	ring->next_to_clean = idx;

	if (!last)
		return;
	/* BQL counts every byte it was told about, good or bad. */
	(*pkts)++;
	*bytes += last->len;
	if (status == VNIC_STATUS_OK) {
		ring->stats.packets += last_buf->segs;
		ring->stats.bytes += last_buf->wire_bytes;
		napi_consume_skb(last, napi_budget);
		return;
	}
	/* Link down is a drop; anything else means the card refused it. */
	if (status == VNIC_STATUS_NO_LINK)
		ring->stats.dropped++;
	else
		ring->stats.errors++;
	dev_kfree_skb_any(last);
}

/*
 * vnic_txc_next - the next new TXC entry of @ring, if the card wrote one:
 * the head it reports (a bad one reads as "nothing cleaned") and its
 * status. @what names the ring in the error message.
 */
static inline bool vnic_txc_next(struct vnic_ring *ring, const char *what,
				 u32 *head, u32 *status)
{
	struct vnic_tx_cmpl *txc = ring->cmpl;
	u64 word = le64_to_cpu(READ_ONCE(txc[ring->cmpl_idx].word));

	if (!vnic_cmpl_is_new(ring, word & VNIC_TXC_DONE))
		return false;
	/* Read nothing the card wrote before seeing DONE. */
	dma_rmb();
	*head = FIELD_GET(VNIC_TXC_HEAD, word);
	*status = FIELD_GET(VNIC_TXC_STATUS, word);
	if (unlikely(*head >= ring->size)) {
		if (net_ratelimit())
			netdev_err(ring->netdev, "q%u: %s completion with head %u\n",
				   ring->qid, what, *head);
		*head = ring->next_to_clean;
	}
	return true;
}

static unsigned int vnic_clean_tx(struct vnic_napi_vector *nv, int napi_budget)
{
	struct vnic_ring *ring = &nv->tx;
	unsigned int pkts = 0, bytes = 0, done = 0;
	struct netdev_queue *txq;
	u32 head, status;
	u64 start_pkts;

	u64_stats_update_begin(&ring->syncp);
	start_pkts = ring->stats.packets;
	while (vnic_txc_next(ring, "TX", &head, &status)) {
		vnic_clean_tx_to(ring, head, status, napi_budget, &pkts, &bytes);
		vnic_cmpl_advance(ring);
		done++;
	}
	ring->stats.completions += done;
	u64_stats_update_end(&ring->syncp);

	if (!done)
		return 0;

	txq = netdev_get_tx_queue(ring->netdev, ring->qid);
	if (!netif_txq_completed_wake(txq, pkts, bytes, vnic_desc_unused(ring),
				      VNIC_TX_WAKE_THRESH)) {
		u64_stats_update_begin(&ring->syncp);
		ring->stats.wakes++;
		u64_stats_update_end(&ring->syncp);
	}
	if (trace_vnic_tx_clean_enabled()) {
		u32 inflight, limit;

		vnic_bql_state(txq, &inflight, &limit);
		trace_vnic_tx_clean(ring->netdev, ring->qid, ring->next_to_clean, pkts, bytes,
				    inflight);
	}
	return ring->stats.packets - start_pkts;
}

/* XDP TX: the card's TX-only queue of each channel */

/*
 * Post one frame, its head and frags, on an XDP TX ring; the caller holds
 * ring->xdp_lock and rings the doorbell. An XDP_TX frame is in the RX
 * page_pool's pages, mapped both ways while a program is attached: only
 * synced. A frame from ndo_xdp_xmit is another device's memory: mapped.
 */
bool vnic_post_xdp_frame(struct vnic_ring *ring, struct xdp_frame *xdpf, bool xmit)
{
	struct skb_shared_info *sinfo = xdp_get_shared_info_from_frame(xdpf);
	u32 nr_frags = xdp_frame_has_frags(xdpf) ? sinfo->nr_frags : 0;
	struct vnic_tx_desc *ring_desc = ring->desc;
	u32 first = ring->next_to_use, idx = first;
	struct vnic_tx_buf *buf;
	unsigned int f;

	/* The clean moves next_to_clean under the same lock. */
	if (vnic_desc_unused(ring) < nr_frags + 1)
		return false;

	for (f = 0; f <= nr_frags; f++) {
		struct page *page;
		u32 off, len;
		dma_addr_t dma;

		if (!f) {
			page = virt_to_page(xdpf->data);
			off = offset_in_page(xdpf->data);
			len = xdpf->len;
		} else {
			page = skb_frag_page(&sinfo->frags[f - 1]);
			off = skb_frag_off(&sinfo->frags[f - 1]);
			len = skb_frag_size(&sinfo->frags[f - 1]);
		}
		buf = &ring->tx_buf[idx];
		buf->xdpf = NULL;
		buf->single = false;
		buf->xmit = xmit;
		buf->xsk = false;
		if (xmit) {
			dma = dma_map_page(ring->dev, page, off, len, DMA_TO_DEVICE);
			if (dma_mapping_error(ring->dev, dma))
				goto unmap;
			buf->len = len;
		} else {
			/* A page of this channel's pool: synced as it maps. */
			dma = page_pool_get_dma_addr(page) + off;
			dma_sync_single_for_device(page->pp->p.dev, dma, len, DMA_BIDIRECTIONAL);
			buf->len = 0;
		}
		buf->dma = dma;
		vnic_fill_tx_desc(&ring_desc[idx], dma, len,
				  f == nr_frags ? VNIC_TXD_EOP | VNIC_TXD_REQ_COMPL : 0);
		idx = vnic_ring_next(ring, idx);
	}
	buf = &ring->tx_buf[first];
	buf->xdpf = xdpf;
	buf->segs = 1;
	buf->wire_bytes = xdp_get_frame_len(xdpf);
	ring->next_to_use = idx;
	return true;

unmap:
	/* Slots first..f - 1 hold the mappings of the parts before. */
	for (idx = first; f--; idx = vnic_ring_next(ring, idx))
		vnic_unmap_tx_buf(ring, &ring->tx_buf[idx]);
	return false;
}

void vnic_ring_xdp_doorbell(struct vnic_ring *ring)
{
	/* Descriptors must be visible before the card sees the tail. */
	dma_wmb();
	vnic_wr32(ring->hw, VNIC_REG_XDPQ(ring->qid, VNIC_Q_TXD_TAIL), ring->next_to_use);
	trace_vnic_doorbell(ring->netdev, ring->qid, false, ring->next_to_use);
}

static void vnic_free_xdp_frame(struct xdp_frame *xdpf, bool xmit, bool napi)
{
	/* XDP_TX frames are this NAPI's own pool's pages. */
	if (napi && !xmit)
		xdp_return_frame_rx_napi(xdpf);
	else
		xdp_return_frame(xdpf);
}

/*
 * One frame of an XDP TX ring is done, with @status: counted, and freed,
 * or for an AF_XDP frame (its UMEM chunk is the socket's) counted in @xsk.
 */
static void vnic_xdp_frame_done(struct vnic_ring *ring, struct vnic_tx_buf *buf, u8 status,
				bool napi, u32 *xsk)
{
	if (status == VNIC_STATUS_OK) {
		ring->stats.packets++;
		ring->stats.bytes += buf->wire_bytes;
	} else if (status == VNIC_STATUS_NO_LINK) {
		ring->stats.dropped++;
	} else {
		ring->stats.errors++;
	}
	if (buf->xsk) {
		(*xsk)++;
		buf->xsk = false;
		return;
	}
	vnic_free_xdp_frame(buf->xdpf, buf->xmit, napi);
	buf->xdpf = NULL;
}

/*
 * Free descriptors up to @head; the last frame freed carries @status.
 * AF_XDP frames go back to their socket's completion ring, in order.
 * Under ring->xdp_lock, or with the ring stopped.
 */
static void vnic_clean_xdp_to(struct vnic_ring *ring, u32 head, u8 status, bool napi)
{
	struct vnic_tx_buf *last = NULL;
	u32 idx = ring->next_to_clean;
	u32 xsk = 0;

	while (idx != head) {
		struct vnic_tx_buf *buf = &ring->tx_buf[idx];

		vnic_unmap_tx_buf(ring, buf);
		if (buf->xdpf || buf->xsk) {
			if (last)
				vnic_xdp_frame_done(ring, last, VNIC_STATUS_OK, napi, &xsk);
			last = buf;
		}
		idx = vnic_ring_next(ring, idx);
	}
	if (last)
		vnic_xdp_frame_done(ring, last, status, napi, &xsk);
	ring->next_to_clean = idx;
	if (xsk)
		xsk_tx_completed(ring->xsk_pool, xsk);
}

static void vnic_clean_xdp_tx(struct vnic_napi_vector *nv)
{
	struct vnic_ring *ring = &nv->xdp_tx;
	unsigned int done = 0;
	u32 head, status;

	if (!ring->desc)
		return;
	spin_lock(&ring->xdp_lock);
	u64_stats_update_begin(&ring->syncp);
	while (vnic_txc_next(ring, "XDP TX", &head, &status)) {
		vnic_clean_xdp_to(ring, head, status, true);
		vnic_cmpl_advance(ring);
		done++;
	}
	ring->stats.completions += done;
	u64_stats_update_end(&ring->syncp);
	spin_unlock(&ring->xdp_lock);
}

/**
 * vnic_xdp_xmit - ndo_xdp_xmit: send frames redirected to this port
 * @netdev: the device
 * @n: frames
 * @frames: the frames
 * @flags: XDP_XMIT_FLUSH rings the doorbell
 *
 * The frames go on the XDP TX ring of the channel numbered after this
 * CPU, all in one batch, and the doorbell rings once for the batch.
 *
 * Return: frames taken (the core frees the others), or a negative errno.
 */
int vnic_xdp_xmit(struct net_device *netdev, int n, struct xdp_frame **frames, u32 flags)
{
	struct vnic_dev *vd = netdev_priv(netdev);
	u32 max_len = netdev->mtu + ETH_HLEN + VLAN_HLEN;
	struct vnic_napi_vector *nv;
	struct vnic_ring *ring;
	unsigned int nq;
	int i, sent = 0;

	if (unlikely(flags & ~XDP_XMIT_FLAGS_MASK))
		return -EINVAL;
	/* vnic_stop_datapath() waits for us (synchronize_net()) once this is false. */
	if (unlikely(!READ_ONCE(vd->running)))
		return -ENETDOWN;
	nq = READ_ONCE(vd->num_queues);
	nv = READ_ONCE(vd->nv[smp_processor_id() % nq]);
	if (unlikely(!nv || !nv->xdp_tx.desc))
		return -ENXIO;
	ring = &nv->xdp_tx;

	spin_lock(&ring->xdp_lock);
	for (i = 0; i < n; i++) {
		if (xdp_get_frame_len(frames[i]) > max_len ||
		    !vnic_post_xdp_frame(ring, frames[i], true))
			break;
		sent++;
	}
	if (sent && (flags & XDP_XMIT_FLUSH))
		vnic_ring_xdp_doorbell(ring);
	u64_stats_update_begin(&ring->syncp);
	ring->stats.xdp_xmit += sent;
	ring->stats.xdp_tx_errors += n - sent;
	u64_stats_update_end(&ring->syncp);
	spin_unlock(&ring->xdp_lock);
	return sent;
}

/**
 * vnic_read_xdp_stats - a snapshot of a channel's XDP TX ring counters
 * @nv: the vector
 * @out: where to put them; all 0 without an XDP TX ring
 */
void vnic_read_xdp_stats(struct vnic_napi_vector *nv, struct vnic_ring_stats *out)
{
	if (!READ_ONCE(nv->xdp_tx.size)) {
		memset(out, 0, sizeof(*out));
		return;
	}
	vnic_read_ring_stats(&nv->xdp_tx, out);
}

/* RX */

/*
 * vnic_alloc_rx_slot - the next free slot of the page being split, or a
 * new page when that one is used up. A 2 KiB slot is half a page: the page
 * is split with page_pool_fragment_page(), so that each half goes back to
 * the pool on its own and the page is recycled with the last. This is what
 * page_pool_dev_alloc_frag() does, done by hand so that every page comes
 * from page_pool_alloc_pages(), where the kernel's fault injection
 * (fail_function, hw/pp_alloc_fail.py) can make it fail.
 */
static struct page *vnic_alloc_rx_slot(struct vnic_ring *ring, unsigned int *offset)
{
	unsigned int per_page = PAGE_SIZE / ring->slot_size;
	struct page *page = ring->rx_frag_page;

	if (!page) {
		page = page_pool_dev_alloc_pages(ring->pp);
		if (!page)
			return NULL;
		/* Whole pages too: 6.1 counts every page's frags (compat). */
		page_pool_fragment_page(page, per_page);
		ring->rx_frag_off = 0;
	}
	*offset = ring->rx_frag_off;
	ring->rx_frag_off += ring->slot_size;
	ring->rx_frag_page = ring->rx_frag_off + ring->slot_size <= PAGE_SIZE ? page : NULL;
	return page;
}

/* vnic_free_rx_slots - give back the slots of the split page not handed out. */
static void vnic_free_rx_slots(struct vnic_ring *ring)
{
	struct page *page = ring->rx_frag_page;
	unsigned int off;

	if (!page)
		return;
	for (off = ring->rx_frag_off; off + ring->slot_size <= PAGE_SIZE; off += ring->slot_size)
		page_pool_put_full_page(ring->pp, page, false);
	ring->rx_frag_page = NULL;
}

static bool vnic_post_rx_buf(struct vnic_ring *ring, u32 idx)
{
	struct vnic_rx_desc *rxd = &((struct vnic_rx_desc *)ring->desc)[idx];
	struct vnic_dev *vd = netdev_priv(ring->netdev);
	struct vnic_rx_buf *buf = &ring->rx_buf[idx];
	unsigned int offset;
	struct page *page;

	if (vnic_dbg_fault(&vd->fault_rx_alloc))
		return false;
	page = vnic_alloc_rx_slot(ring, &offset);
	if (!page)
		return false;
	buf->page = page;
	buf->offset = offset;
	rxd->addr = cpu_to_le64(page_pool_get_dma_addr(page) + offset + ring->headroom);
	rxd->rsvd = 0;
	return true;
}

/**
 * vnic_rx_doorbell - hand the RBR up to @idx to the card
 * @ring: the RX ring
 * @idx: the new tail; buffers up to it are posted
 */
void vnic_rx_doorbell(struct vnic_ring *ring, u32 idx)
{
	ring->next_to_use = idx;
	/* Buffers must be visible before the card sees the tail. */
	dma_wmb();
	vnic_wr32(ring->hw, VNIC_REG_Q(ring->qid, VNIC_Q_RBR_TAIL), idx);
	trace_vnic_doorbell(ring->netdev, ring->qid, true, idx);
}

static void vnic_refill_rx(struct vnic_ring *ring)
{
	u32 idx = ring->next_to_use;
	u32 n = vnic_desc_unused(ring);

	if (ring->xsk_pool) {
		vnic_xsk_refill_rx(ring);
		return;
	}
	if (!n)
		return;

	while (n--) {
		if (!vnic_post_rx_buf(ring, idx)) {
			u64_stats_update_begin(&ring->syncp);
			ring->stats.alloc_fail++;
			u64_stats_update_end(&ring->syncp);
			break;
		}
		idx = vnic_ring_next(ring, idx);
	}
	if (idx != ring->next_to_use)
		vnic_rx_doorbell(ring, idx);
}

/* The first buffer of a frame becomes the skb's head. */
static struct sk_buff *vnic_build_rx_skb(struct vnic_ring *ring, struct vnic_rx_buf *buf,
					 u32 len)
{
	struct sk_buff *skb;

	page_pool_dma_sync_for_cpu(ring->pp, buf->page, buf->offset + ring->headroom, len);
	skb = napi_build_skb(page_address(buf->page) + buf->offset, ring->slot_size);
	if (unlikely(!skb))
		return NULL;
	skb_reserve(skb, ring->headroom);
	skb_put(skb, len);
	skb_mark_for_recycle(skb);
	return skb;
}

/*
 * Copybreak: a short frame is copied into a small skb, so that a socket
 * is charged for what it holds, not for a buffer; the buffer goes back to
 * the pool at once.
 */
static struct sk_buff *vnic_copy_rx_skb(struct vnic_napi_vector *nv, struct vnic_rx_buf *buf,
					u32 len)
{
	struct vnic_ring *ring = &nv->rx;
	struct sk_buff *skb;

	skb = napi_alloc_skb(&nv->napi, len);
	if (unlikely(!skb))
		return NULL;
	page_pool_dma_sync_for_cpu(ring->pp, buf->page, buf->offset + ring->headroom, len);
	skb_put_data(skb, page_address(buf->page) + buf->offset + ring->headroom, len);
	page_pool_recycle_direct(ring->pp, buf->page);
	return skb;
}

/*
 * A later buffer of a multi-buffer frame becomes a fragment. Once the head
 * has MAX_SKB_FRAGS, more go on skbs of its frag_list, as virtio-net's
 * mergeable buffers do for a GSO packet bigger than those frags hold.
 */
static bool vnic_add_rx_frag(struct vnic_napi_vector *nv, struct vnic_rx_buf *buf, u32 len)
{
	struct vnic_ring *ring = &nv->rx;
	struct sk_buff *head = ring->rx_skb, *skb = ring->rx_tail;

	if (skb_shinfo(skb)->nr_frags == MAX_SKB_FRAGS) {
		struct sk_buff *nskb = napi_alloc_skb(&nv->napi, 0);

		if (unlikely(!nskb))
			return false;
		skb_mark_for_recycle(nskb);
		if (skb == head)
			skb_shinfo(head)->frag_list = nskb;
		else
			skb->next = nskb;
		head->truesize += nskb->truesize;
		ring->rx_tail = nskb;
		skb = nskb;
	}
	page_pool_dma_sync_for_cpu(ring->pp, buf->page, buf->offset + ring->headroom, len);
	skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, buf->page,
			buf->offset + ring->headroom, len, ring->slot_size);
	if (skb != head) {
		head->len += len;
		head->data_len += len;
		head->truesize += ring->slot_size;
	}
	return true;
}

static void vnic_set_rx_hash(struct sk_buff *skb, u64 word, u64 hash)
{
	switch (FIELD_GET(VNIC_RCQ_HASH_TYPE, word)) {
	case VNIC_RCQ_HASH_L4:
		skb_set_hash(skb, FIELD_GET(VNIC_RCQ_HASH_VAL, hash), PKT_HASH_TYPE_L4);
		break;
	case VNIC_RCQ_HASH_L3:
		skb_set_hash(skb, FIELD_GET(VNIC_RCQ_HASH_VAL, hash), PKT_HASH_TYPE_L3);
		break;
	}
}

/*
 * A GSO pass-through packet (VNIC_RCQ_GSO_*), whole: set it up as
 * virtio_net_hdr_to_skb() does, CHECKSUM_PARTIAL over the sender's
 * pseudo-header sum and DODGY GSO for the stack to re-check. @skb->data is
 * at the IP header. Returns the segments it stands for and their header
 * bytes (Ethernet included) in @hlen, or 0 if the headers do not match.
 */
static u32 vnic_set_rx_gso(struct sk_buff *skb, u64 meta, u32 *hlen)
{
	u32 type = FIELD_GET(VNIC_RCQ_GSO_TYPE, meta);
	u32 mss = FIELD_GET(VNIC_RCQ_MSS, meta);
	struct skb_shared_info *shinfo;
	u32 l4, thlen, gso_type;
	u8 proto;

	if (!mss || type == VNIC_RCQ_GSO_NONE)
		return 0;
	if (skb->protocol == htons(ETH_P_IP) && type != VNIC_RCQ_GSO_TCPV6) {
		const struct iphdr *iph;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			return 0;
		iph = (const struct iphdr *)skb->data;
		if (iph->ihl < 5)
			return 0;
		l4 = iph->ihl * 4;
		proto = iph->protocol;
	} else if (skb->protocol == htons(ETH_P_IPV6) && type != VNIC_RCQ_GSO_TCPV4) {
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)))
			return 0;
		l4 = sizeof(struct ipv6hdr);
		proto = ((const struct ipv6hdr *)skb->data)->nexthdr;
	} else {
		return 0;
	}

	if (type == VNIC_RCQ_GSO_UDP_L4) {
		if (proto != IPPROTO_UDP || !pskb_may_pull(skb, l4 + sizeof(struct udphdr)))
			return 0;
		thlen = sizeof(struct udphdr);
		gso_type = SKB_GSO_UDP_L4;
		if (!skb_partial_csum_set(skb, l4, offsetof(struct udphdr, check)))
			return 0;
	} else {
		const struct tcphdr *th;

		if (proto != IPPROTO_TCP || !pskb_may_pull(skb, l4 + sizeof(*th)))
			return 0;
		th = (const struct tcphdr *)(skb->data + l4);
		thlen = th->doff * 4;
		gso_type = type == VNIC_RCQ_GSO_TCPV4 ? SKB_GSO_TCPV4 : SKB_GSO_TCPV6;
		if (th->cwr)
			gso_type |= SKB_GSO_TCP_ECN;
		if (thlen < sizeof(*th) ||
		    !skb_partial_csum_set(skb, l4, offsetof(struct tcphdr, check)))
			return 0;
	}
	if (!pskb_may_pull(skb, l4 + thlen) || skb->len <= l4 + thlen)
		return 0;

	shinfo = skb_shinfo(skb);
	shinfo->gso_size = mss;
	shinfo->gso_type = gso_type | SKB_GSO_DODGY;
	shinfo->gso_segs = 0;
	*hlen = ETH_HLEN + l4 + thlen;
	return DIV_ROUND_UP(skb->len - l4 - thlen, mss);
}

/*
 * Hand a whole frame to the stack; its metadata is from its first entry.
 * A frame that went through XDP (@xdp) was counted as received already.
 */
void vnic_deliver_rx_skb(struct vnic_napi_vector *nv, struct sk_buff *skb, u64 meta, u64 hash,
			 bool xdp)
{
	struct vnic_ring *ring = &nv->rx;
	struct net_device *netdev = ring->netdev;
	u32 csum = FIELD_GET(VNIC_RCQ_CSUM, meta);
	u32 len = skb->len, segs = 0, hlen = 0;

	skb->protocol = eth_type_trans(skb, netdev);
	skb_record_rx_queue(skb, ring->qid);
	if (netdev->features & NETIF_F_RXHASH)
		vnic_set_rx_hash(skb, meta, hash);

	/* Whatever the features now: the card wrote it for the old ones. */
	if (csum == VNIC_RCQ_CSUM_PARTIAL || FIELD_GET(VNIC_RCQ_GSO_TYPE, meta)) {
		segs = csum == VNIC_RCQ_CSUM_PARTIAL ? vnic_set_rx_gso(skb, meta, &hlen) : 0;
		if (unlikely(!segs)) {
			u64_stats_update_begin(&ring->syncp);
			ring->stats.errors++;
			u64_stats_update_end(&ring->syncp);
			dev_kfree_skb_any(skb);
			return;
		}
	}

	u64_stats_update_begin(&ring->syncp);
	if (segs) {
		/* As the segments it stands for, the way the sender counts. */
		ring->stats.packets += segs;
		ring->stats.bytes += len + (segs - 1) * hlen;
		ring->stats.gso_packets++;
		ring->stats.gso_bytes += len;
		ring->stats.gso_segs += segs;
	} else {
		if (!xdp) {
			ring->stats.packets++;
			ring->stats.bytes += len;
		}
		if (netdev->features & NETIF_F_RXCSUM) {
			if (csum == VNIC_RCQ_CSUM_GOOD) {
				skb->ip_summed = CHECKSUM_UNNECESSARY;
				ring->stats.csum_ok++;
			} else if (csum == VNIC_RCQ_CSUM_BAD) {
				ring->stats.csum_err++;
			}
		}
	}
	u64_stats_update_end(&ring->syncp);

	trace_vnic_rx(netdev, ring->qid, len, csum);
	trace_vnic_rx_skb(netdev, ring->qid, skb, len, csum, skb->ip_summed, skb->hash);
	napi_gro_receive(&nv->napi, skb);
}

/* XDP on receive */

/* The pages of an xdp_buff, its head and its frags, back to the pool. */
static void vnic_free_xdp_buff(struct vnic_ring *ring, struct xdp_buff *xdp, bool napi)
{
	if (xdp_buff_has_frags(xdp)) {
		struct skb_shared_info *sinfo = xdp_get_shared_info_from_buff(xdp);
		u32 i;

		for (i = 0; i < sinfo->nr_frags; i++)
			page_pool_put_full_page(ring->pp, skb_frag_page(&sinfo->frags[i]), napi);
	}
	page_pool_put_full_page(ring->pp, virt_to_page(xdp->data_hard_start), napi);
}

/*
 * A buffer of a frame for the XDP program: the first becomes the
 * xdp_buff, the later ones its frags, in the skb_shared_info at the end
 * of the first buffer's page, where napi_build_skb() will find them.
 * Returns false if the frame has more parts than frags can hold.
 */
static bool vnic_add_xdp_buf(struct vnic_ring *ring, struct vnic_rx_buf *buf, u32 len)
{
	struct xdp_buff *xdp = &ring->xdp;
	struct skb_shared_info *sinfo;

	page_pool_dma_sync_for_cpu(ring->pp, buf->page, buf->offset + ring->headroom, len);
	if (!ring->xdp_len) {
		xdp_init_buff(xdp, ring->slot_size, &ring->xdp_rxq);
		xdp_prepare_buff(xdp, page_address(buf->page) + buf->offset, ring->headroom,
				 len, true);
		ring->xdp_len = len;
		return true;
	}
	sinfo = xdp_get_shared_info_from_buff(xdp);
	if (!xdp_buff_has_frags(xdp)) {
		sinfo->nr_frags = 0;
		sinfo->xdp_frags_size = 0;
		xdp_buff_set_frags_flag(xdp);
	}
	if (sinfo->nr_frags == MAX_SKB_FRAGS)
		return false;
	skb_frag_fill_page_desc(&sinfo->frags[sinfo->nr_frags++], buf->page,
				buf->offset + ring->headroom, len);
	sinfo->xdp_frags_size += len;
	if (page_is_pfmemalloc(buf->page))
		xdp_buff_set_frag_pfmemalloc(xdp);
	ring->xdp_len += len;
	return true;
}

/* XDP_PASS: an skb around the buffer, as the program left head, tail and metadata. */
static struct sk_buff *vnic_build_xdp_skb(struct vnic_ring *ring, struct xdp_buff *xdp)
{
	struct skb_shared_info *sinfo = xdp_get_shared_info_from_buff(xdp);
	u32 nr_frags = xdp_buff_has_frags(xdp) ? sinfo->nr_frags : 0;
	u32 frags_size = nr_frags ? sinfo->xdp_frags_size : 0;
	u32 metasize = xdp->data - xdp->data_meta;
	struct sk_buff *skb;

	/* napi_build_skb() clears nr_frags and the size; the frags stay. */
	skb = napi_build_skb(xdp->data_hard_start, xdp->frame_sz);
	if (unlikely(!skb))
		return NULL;
	skb_reserve(skb, xdp->data - xdp->data_hard_start);
	__skb_put(skb, xdp->data_end - xdp->data);
	if (metasize)
		skb_metadata_set(skb, metasize);
	if (nr_frags)
		xdp_update_skb_shared_info(skb, nr_frags, frags_size, nr_frags * ring->slot_size,
					   xdp_buff_is_frag_pfmemalloc(xdp));
	skb_mark_for_recycle(skb);
	return skb;
}

/* XDP_TX: onto the channel's own XDP TX ring; the poll rings the doorbell. */
static bool vnic_xdp_tx(struct vnic_napi_vector *nv, struct xdp_frame *xdpf)
{
	struct vnic_ring *ring = &nv->xdp_tx;
	bool ok;

	spin_lock(&ring->xdp_lock);
	ok = vnic_post_xdp_frame(ring, xdpf, false);
	spin_unlock(&ring->xdp_lock);
	return ok;
}

void vnic_count_rx(struct vnic_ring *ring, u64 *counter)
{
	u64_stats_update_begin(&ring->syncp);
	(*counter)++;
	u64_stats_update_end(&ring->syncp);
}

/* Run the program over the whole frame gathered in ring->xdp, and act. */
static void vnic_run_rx_xdp(struct vnic_napi_vector *nv, struct bpf_prog *prog, u32 *pending)
{
	struct vnic_ring *ring = &nv->rx;
	struct net_device *netdev = ring->netdev;
	struct xdp_buff *xdp = &ring->xdp;
	struct xdp_frame *xdpf;
	struct sk_buff *skb;
	u32 act;

	/* XDP is the first layer of the stack: every frame counts as received. */
	u64_stats_update_begin(&ring->syncp);
	ring->stats.packets++;
	ring->stats.bytes += ring->xdp_len;
	u64_stats_update_end(&ring->syncp);
	ring->xdp_len = 0;

	act = bpf_prog_run_xdp(prog, xdp);
	switch (act) {
	case XDP_PASS:
		skb = vnic_build_xdp_skb(ring, xdp);
		if (unlikely(!skb)) {
			vnic_free_xdp_buff(ring, xdp, true);
			vnic_count_rx(ring, &ring->stats.dropped);
			return;
		}
		vnic_count_rx(ring, &ring->stats.xdp_pass);
		vnic_deliver_rx_skb(nv, skb, ring->rx_meta, ring->rx_hash, true);
		return;
	case XDP_TX:
		xdpf = xdp_convert_buff_to_frame(xdp);
		if (likely(xdpf && vnic_xdp_tx(nv, xdpf))) {
			vnic_count_rx(ring, &ring->stats.xdp_tx);
			*pending |= VNIC_XDP_TX_PENDING;
			return;
		}
		trace_xdp_exception(netdev, prog, act);
		vnic_count_rx(ring, &ring->stats.xdp_tx_errors);
		vnic_free_xdp_buff(ring, xdp, true);
		return;
	case XDP_REDIRECT:
		if (likely(!xdp_do_redirect(netdev, xdp, prog))) {
			vnic_count_rx(ring, &ring->stats.xdp_redirect);
			*pending |= VNIC_XDP_REDIR_PENDING;
			return;
		}
		/* xdp_do_redirect() traced the failure. */
		vnic_count_rx(ring, &ring->stats.xdp_drop);
		vnic_free_xdp_buff(ring, xdp, true);
		return;
	default:
		bpf_warn_invalid_xdp_action(netdev, prog, act);
		fallthrough;
	case XDP_ABORTED:
		trace_xdp_exception(netdev, prog, act);
		vnic_count_rx(ring, &ring->stats.xdp_aborted);
		vnic_free_xdp_buff(ring, xdp, true);
		return;
	case XDP_DROP:
		vnic_count_rx(ring, &ring->stats.xdp_drop);
		vnic_free_xdp_buff(ring, xdp, true);
		return;
	}
}

/* What the poll owed: one doorbell for its XDP_TX frames, one redirect flush. */
void vnic_finish_rx_xdp(struct vnic_napi_vector *nv, u32 pending)
{
	struct vnic_ring *ring = &nv->xdp_tx;

	if (pending & VNIC_XDP_TX_PENDING) {
		spin_lock(&ring->xdp_lock);
		vnic_ring_xdp_doorbell(ring);
		spin_unlock(&ring->xdp_lock);
	}
	if (pending & VNIC_XDP_REDIR_PENDING)
		xdp_do_flush();
}

/* Forget the frame being gathered; its pages go back to the pool. */
static void vnic_drop_rx_partial(struct vnic_ring *ring)
{
	if (ring->xdp_len) {
		vnic_free_xdp_buff(ring, &ring->xdp, false);
		ring->xdp_len = 0;
	}
	if (!ring->rx_skb)
		return;
	dev_kfree_skb_any(ring->rx_skb);
	ring->rx_skb = NULL;
	ring->rx_tail = NULL;
}

/*
 * Receive up to @budget RCQ entries: one per buffer, so a multi-buffer
 * frame (VNIC_RCQ_MORE) may end in a later poll; it waits in the ring.
 */
static int vnic_clean_rx(struct vnic_napi_vector *nv, int budget)
{
	struct vnic_ring *ring = &nv->rx;
	struct vnic_rx_cmpl *rcq = ring->cmpl;
	struct net_device *netdev = ring->netdev;
	struct vnic_dev *vd = netdev_priv(netdev);
	struct bpf_prog *prog = READ_ONCE(ring->xdp_prog);
	u32 copybreak = READ_ONCE(vd->rx_copybreak);
	u32 xdp_pending = 0;
	int done = 0;

	if (ring->xsk_pool)
		return vnic_xsk_clean_rx(nv, budget);

	while (done < budget) {
		u32 cmpl = ring->cmpl_idx;
		u64 word = le64_to_cpu(READ_ONCE(rcq[cmpl].word));
		u32 idx = ring->next_to_clean;
		struct vnic_rx_buf buf;
		struct sk_buff *skb;
		bool more;
		u8 status;
		u32 len;

		if (!vnic_cmpl_is_new(ring, word & VNIC_RCQ_DONE))
			break;
		dma_rmb();

		len = FIELD_GET(VNIC_RCQ_LEN, word);
		status = FIELD_GET(VNIC_RCQ_STATUS, word);
		more = word & VNIC_RCQ_MORE;
		buf = ring->rx_buf[idx];
		ring->rx_buf[idx].page = NULL;
		ring->next_to_clean = vnic_ring_next(ring, idx);
		vnic_cmpl_advance(ring);
		done++;

		u64_stats_update_begin(&ring->syncp);
		ring->stats.completions++;
		if (unlikely(ring->rx_drop)) {
			/* The rest of a frame that broke: already counted. */
			u64_stats_update_end(&ring->syncp);
			ring->rx_drop = more;
			if (buf.page)
				page_pool_recycle_direct(ring->pp, buf.page);
			continue;
		}
		if (unlikely(FIELD_GET(VNIC_RCQ_BUF, word) != idx || !buf.page)) {
			/* The card broke RBR order; nothing can be trusted. */
			ring->stats.errors++;
			u64_stats_update_end(&ring->syncp);
			if (net_ratelimit())
				netdev_err(netdev, "q%u: RX completion for slot %llu, expected %u\n",
					   ring->qid, FIELD_GET(VNIC_RCQ_BUF, word), idx);
			if (buf.page)
				page_pool_recycle_direct(ring->pp, buf.page);
			vnic_drop_rx_partial(ring);
			ring->rx_drop = more;
			continue;
		}
		if (unlikely(status != VNIC_STATUS_OK || len > ring->buf_len || !len ||
			     (!ring->rx_skb && !ring->xdp_len && len < ETH_HLEN) ||
			     (more && len != ring->buf_len))) {
			/* A bad part loses the whole frame. */
			ring->stats.errors++;
			u64_stats_update_end(&ring->syncp);
			page_pool_recycle_direct(ring->pp, buf.page);
			vnic_drop_rx_partial(ring);
			ring->rx_drop = more;
			continue;
		}
		u64_stats_update_end(&ring->syncp);

		if (prog) {
			bool first = !ring->xdp_len;

			if (unlikely(!vnic_add_xdp_buf(ring, &buf, len))) {
				page_pool_recycle_direct(ring->pp, buf.page);
				vnic_drop_rx_partial(ring);
				ring->rx_drop = more;
				vnic_count_rx(ring, &ring->stats.dropped);
				continue;
			}
			if (first) {
				ring->rx_meta = word;
				ring->rx_hash = le64_to_cpu(READ_ONCE(rcq[cmpl].hash));
			}
			if (!more)
				vnic_run_rx_xdp(nv, prog, &xdp_pending);
			continue;
		}

		if (ring->rx_skb) {
			/* A later part of a multi-buffer frame. */
			if (unlikely(!vnic_add_rx_frag(nv, &buf, len))) {
				page_pool_recycle_direct(ring->pp, buf.page);
				vnic_drop_rx_partial(ring);
				ring->rx_drop = more;
				u64_stats_update_begin(&ring->syncp);
				ring->stats.dropped++;
				u64_stats_update_end(&ring->syncp);
				continue;
			}
			if (more)
				continue;
			skb = ring->rx_skb;
			ring->rx_skb = NULL;
			ring->rx_tail = NULL;
			vnic_deliver_rx_skb(nv, skb, ring->rx_meta, ring->rx_hash, false);
			continue;
		}

		if (!more && len <= copybreak) {
			skb = vnic_copy_rx_skb(nv, &buf, len);
			if (skb) {
				u64_stats_update_begin(&ring->syncp);
				ring->stats.copybreak++;
				u64_stats_update_end(&ring->syncp);
			}
		} else {
			skb = vnic_build_rx_skb(ring, &buf, len);
		}
		if (unlikely(!skb)) {
			page_pool_recycle_direct(ring->pp, buf.page);
			u64_stats_update_begin(&ring->syncp);
			ring->stats.dropped++;
			u64_stats_update_end(&ring->syncp);
			ring->rx_drop = more;
			continue;
		}
		if (more) {
			/* The first part: the frame's metadata is here. */
			ring->rx_skb = skb;
			ring->rx_tail = skb;
			ring->rx_meta = word;
			ring->rx_hash = le64_to_cpu(READ_ONCE(rcq[cmpl].hash));
			continue;
		}
		vnic_deliver_rx_skb(nv, skb, word, le64_to_cpu(READ_ONCE(rcq[cmpl].hash)), false);
	}

	if (xdp_pending)
		vnic_finish_rx_xdp(nv, xdp_pending);
	vnic_refill_rx(ring);
	return done;
}

/**
 * vnic_has_work - whether the card has written completions NAPI has not seen
 * @nv: the vector
 *
 * Return: true if a TX or RX completion is waiting.
 */
bool vnic_has_work(struct vnic_napi_vector *nv)
{
	struct vnic_tx_cmpl *txc = nv->tx.cmpl, *xdpc = nv->xdp_tx.cmpl;
	struct vnic_rx_cmpl *rcq = nv->rx.cmpl;

	return vnic_cmpl_is_new(&nv->tx, le64_to_cpu(READ_ONCE(txc[nv->tx.cmpl_idx].word)) &
				VNIC_TXC_DONE) ||
	       vnic_cmpl_is_new(&nv->rx, le64_to_cpu(READ_ONCE(rcq[nv->rx.cmpl_idx].word)) &
				VNIC_RCQ_DONE) ||
	       (xdpc && vnic_cmpl_is_new(&nv->xdp_tx,
					 le64_to_cpu(READ_ONCE(xdpc[nv->xdp_tx.cmpl_idx].word)) &
					 VNIC_TXC_DONE));
}

/* How often a poll looks again for completions that came while it ran. */
#define VNIC_POLL_LOOKS		3

/**
 * vnic_poll - NAPI poll for one queue pair
 * @napi: the NAPI context
 * @budget: how many frames may be received
 *
 * Cleans all TX completions (the XDP TX ring's too) whatever the budget, receives up to @budget
 * frames, refills RX buffers, and re-arms the vector when done.
 *
 * Return: frames received.
 */
int vnic_poll(struct napi_struct *napi, int budget)
{
	struct vnic_napi_vector *nv = container_of(napi, struct vnic_napi_vector, napi);
	struct vnic_dev *vd = nv->vd;
	unsigned int v_idx = nv->v_idx;
	unsigned int tx_done, looks = 0;
	bool xsk_done = true;
	int rx_done = 0;

again:
	tx_done = vnic_clean_tx(nv, budget);
	vnic_clean_xdp_tx(nv);
	/* AF_XDP zero-copy TX: frames from the socket's TX ring, in NAPI. */
	if (nv->xdp_tx.xsk_pool && budget)
		xsk_done = vnic_xsk_xmit(nv, budget);
	rx_done += budget ? vnic_clean_rx(nv, budget - rx_done) : 0;

	u64_stats_update_begin(&nv->syncp);
	nv->stats.polls++;
	if (rx_done >= budget)
		nv->stats.polls_busy++;
	u64_stats_update_end(&nv->syncp);
	trace_vnic_napi_poll(vd->netdev, nv->rx.qid, budget, rx_done, tx_done);

	/* Frames left on the socket's TX ring: poll again. */
	if (rx_done >= budget || !xsk_done)
		return budget;

	/*
	 * Once napi_complete_done() returns true this poll no longer owns the
	 * NAPI: napi_disable() may return on another CPU at once, and the
	 * rings and the DIM state be freed (vnic_stop_datapath()). So all
	 * that touches them comes first: the DIM sample, the unmask, and the
	 * last look for completions.
	 *
	 * The card raises the vector on unmask if a completion came while it
	 * was masked. Should that interrupt come before napi_complete_done(),
	 * the handler finds the NAPI still scheduled and marks it missed, and
	 * napi_complete_done() returns false and schedules another poll. A
	 * completion that is already there is polled for at once all the
	 * same: its interrupt may be lost.
	 */
	if (vd->adaptive_rx || vd->adaptive_tx)
		vnic_update_dim(nv);
	/*
	 * What came while the vector was masked has been polled for: clear
	 * its cause, or the unmask delivers it as an interrupt with nothing
	 * left to do, and napi_defer_hard_irqs could never keep a stream off
	 * the interrupt. A completion after the clear raises it again; one
	 * before it is found by the look below.
	 */
	vnic_ack_vector(vd, v_idx);
	vnic_unmask_vector(vd, v_idx);
	if (unlikely(vnic_has_work(nv))) {
		/*
		 * Look again here rather than return the whole budget, which
		 * would cost net_rx_action() budget for frames not received.
		 */
		vnic_mask_vector(vd, v_idx);
		if (++looks < VNIC_POLL_LOOKS)
			goto again;
		return budget;
	}
	if (napi_complete_done(napi, rx_done)) {
		/* Given up: from here, nothing of @nv may be touched. */
		vnic_dbg_napi_released(vd);
		return rx_done;
	}
	/*
	 * Not given up (to be polled again, or a busy poller's): keep the
	 * vector quiet until the poll that does give the NAPI up.
	 */
	vnic_mask_vector(vd, v_idx);
	return rx_done;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_poll);

/* Ring setup */

static int vnic_alloc_ring_mem(struct vnic_ring *ring, size_t desc_sz, size_t cmpl_sz)
{
	ring->desc = dma_alloc_coherent(ring->dev, ring->size * desc_sz, &ring->desc_dma,
					GFP_KERNEL);
	if (!ring->desc)
		return -ENOMEM;
	ring->cmpl = dma_alloc_coherent(ring->dev, ring->size * cmpl_sz, &ring->cmpl_dma,
					GFP_KERNEL);
	if (!ring->cmpl) {
		dma_free_coherent(ring->dev, ring->size * desc_sz, ring->desc, ring->desc_dma);
		ring->desc = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void vnic_free_ring_mem(struct vnic_ring *ring, size_t desc_sz, size_t cmpl_sz)
{
	if (ring->cmpl)
		dma_free_coherent(ring->dev, ring->size * cmpl_sz, ring->cmpl, ring->cmpl_dma);
	if (ring->desc)
		dma_free_coherent(ring->dev, ring->size * desc_sz, ring->desc, ring->desc_dma);
	ring->cmpl = NULL;
	ring->desc = NULL;
}

static void vnic_init_ring(struct vnic_dev *vd, struct vnic_ring *ring, u16 qid, u32 size)
{
	ring->netdev = vd->netdev;
	ring->dev = &vd->bdev->dev;
	ring->hw = &vd->hw;
	ring->qid = qid;
	ring->size = size;
	ring->phase = 1;
	u64_stats_init(&ring->syncp);
}

static int vnic_alloc_tx_ring(struct vnic_dev *vd, struct vnic_ring *ring, u16 qid, u32 size)
{
	int err;

	vnic_init_ring(vd, ring, qid, size);
	ring->tx_buf = kvcalloc(ring->size, sizeof(*ring->tx_buf), GFP_KERNEL);
	if (!ring->tx_buf)
		return -ENOMEM;

	err = vnic_alloc_ring_mem(ring, sizeof(struct vnic_tx_desc), sizeof(struct vnic_tx_cmpl));
	if (err) {
		kvfree(ring->tx_buf);
		ring->tx_buf = NULL;
	}
	return err;
}

static void vnic_free_tx_ring(struct vnic_ring *ring)
{
	unsigned int pkts = 0, bytes = 0;

	if (!ring->tx_buf)
		return;
	/* Whatever the card never completed is dropped. */
	u64_stats_update_begin(&ring->syncp);
	vnic_clean_tx_to(ring, ring->next_to_use, VNIC_STATUS_NO_LINK, 0, &pkts, &bytes);
	u64_stats_update_end(&ring->syncp);
	vnic_free_ring_mem(ring, sizeof(struct vnic_tx_desc), sizeof(struct vnic_tx_cmpl));
	kvfree(ring->tx_buf);
	ring->tx_buf = NULL;
}

/*
 * The XDP TX ring of a channel, on the card's TX-only queue @qid; with
 * @pool it also sends what the AF_XDP socket bound to the channel sends.
 */
static int vnic_alloc_xdp_ring(struct vnic_dev *vd, struct vnic_ring *ring, u16 qid, u32 size,
			       struct xsk_buff_pool *pool)
{
	int err;

	err = vnic_alloc_tx_ring(vd, ring, qid, size);
	spin_lock_init(&ring->xdp_lock);
	ring->xsk_pool = pool;
	return err;
}

static void vnic_free_xdp_ring(struct vnic_ring *ring)
{
	if (!ring->tx_buf)
		return;
	/* Whatever the card never completed is dropped. */
	u64_stats_update_begin(&ring->syncp);
	vnic_clean_xdp_to(ring, ring->next_to_use, VNIC_STATUS_NO_LINK, false);
	u64_stats_update_end(&ring->syncp);
	vnic_free_ring_mem(ring, sizeof(struct vnic_tx_desc), sizeof(struct vnic_tx_cmpl));
	kvfree(ring->tx_buf);
	ring->tx_buf = NULL;
}

/*
 * With an XDP program (@prog) every buffer is a whole page with
 * VNIC_XDP_HEADROOM, mapped both ways so that XDP_TX can send it as it is;
 * with an AF_XDP zero-copy socket on the channel (@pool, with @prog), a
 * chunk of the socket's UMEM, and the ring has no page_pool.
 */
static int vnic_alloc_rx_ring(struct vnic_dev *vd, struct vnic_napi_vector *nv, u16 qid,
			      u32 size, unsigned int mtu, struct bpf_prog *prog,
			      struct xsk_buff_pool *pool)
{
	struct vnic_ring *ring = &nv->rx;
	struct page_pool_params pp = {
		.flags = PP_FLAG_DMA_MAP | PP_FLAG_DMA_SYNC_DEV,
		.order = 0,
		/* Not &vd->bdev->dev: see vnic_bus_dma_dev(). */
		.dev = vnic_bus_dma_dev(vd->bdev),
		.dma_dir = prog ? DMA_BIDIRECTIONAL : DMA_FROM_DEVICE,
		/* Buffers are fragments: a recycled page is synced whole. */
		.offset = 0,
		.max_len = PAGE_SIZE,
		.nid = NUMA_NO_NODE,
	};
	int err;

	vnic_init_ring(vd, ring, qid, size);
	ring->xdp_prog = prog;
	if (pool) {
		/* Chunks of the socket's UMEM, which the pool has mapped. */
		ring->xsk_pool = pool;
		ring->headroom = xsk_pool_get_headroom(pool);
		ring->slot_size = xsk_pool_get_chunk_size(pool);
		ring->buf_len = vnic_xsk_buf_len(pool);
	} else {
		ring->headroom = prog ? VNIC_XDP_HEADROOM : VNIC_RX_HEADROOM;
		ring->slot_size = prog ? PAGE_SIZE : vnic_rx_slot_size(mtu);
		ring->buf_len = vnic_rx_buf_len(ring->slot_size, ring->headroom);
		pp.pool_size = ring->size;
		vnic_pp_params_compat(&pp, &nv->napi, vd->netdev);
		ring->pp = page_pool_create(&pp);
		if (IS_ERR(ring->pp)) {
			err = PTR_ERR(ring->pp);
			ring->pp = NULL;
			return err;
		}
	}

	ring->rx_buf = kvcalloc(ring->size, sizeof(*ring->rx_buf), GFP_KERNEL);
	if (!ring->rx_buf) {
		err = -ENOMEM;
		goto abort_with_pp;
	}

	err = vnic_alloc_ring_mem(ring, sizeof(struct vnic_rx_desc), sizeof(struct vnic_rx_cmpl));
	if (err)
		goto abort_with_pages;

	err = xdp_rxq_info_reg(&ring->xdp_rxq, vd->netdev, qid, nv->napi.napi_id);
	if (err)
		goto abort_with_mem;
	err = pool ? xdp_rxq_info_reg_mem_model(&ring->xdp_rxq, MEM_TYPE_XSK_BUFF_POOL, NULL) :
		     xdp_rxq_info_reg_mem_model(&ring->xdp_rxq, MEM_TYPE_PAGE_POOL, ring->pp);
	if (err)
		goto abort_with_rxq;
	if (pool)
		xsk_pool_set_rxq_info(pool, &ring->xdp_rxq);
	return 0;

abort_with_rxq:
	xdp_rxq_info_unreg(&ring->xdp_rxq);
abort_with_mem:
	vnic_free_ring_mem(ring, sizeof(struct vnic_rx_desc), sizeof(struct vnic_rx_cmpl));
abort_with_pages:
	kvfree(ring->rx_buf);
	ring->rx_buf = NULL;
abort_with_pp:
	page_pool_destroy(ring->pp);
	ring->pp = NULL;
	ring->xsk_pool = NULL;
	return err;
}

static void vnic_free_rx_ring(struct vnic_ring *ring)
{
	u32 i;

	if (!ring->rx_buf)
		return;
	if (ring->xsk_pool) {
		/* The UMEM chunks go back to the socket's fill queue. */
		vnic_xsk_free_rx_bufs(ring);
	} else {
		/* A frame the card had not finished; its pages go back to the pool. */
		vnic_drop_rx_partial(ring);
		ring->rx_drop = false;
		for (i = 0; i < ring->size; i++)
			if (ring->rx_buf[i].page)
				page_pool_put_full_page(ring->pp, ring->rx_buf[i].page, false);
		vnic_free_rx_slots(ring);
	}
	vnic_free_ring_mem(ring, sizeof(struct vnic_rx_desc), sizeof(struct vnic_rx_cmpl));
	kvfree(ring->rx_buf);
	ring->rx_buf = NULL;
	/* The memory model holds a reference on the pool; destroy drops ours. */
	xdp_rxq_info_unreg(&ring->xdp_rxq);
	page_pool_destroy(ring->pp);	/* none on a zero-copy ring: a no-op */
	ring->pp = NULL;
	ring->xsk_pool = NULL;
}

static void vnic_free_napi_vector(struct vnic_dev *vd, struct vnic_napi_vector *nv)
{
	struct vnic_ring_stats s;

	vnic_cancel_dim(nv);
	vnic_free_tx_ring(&nv->tx);
	/* XDP_TX frames in flight are pages of the RX ring's pool: first. */
	vnic_free_xdp_ring(&nv->xdp_tx);
	vnic_free_rx_ring(&nv->rx);

	vnic_read_ring_stats(&nv->tx, &s);
	vnic_add_ring_stats(&vd->closed_tx, &s);
	vnic_read_xdp_stats(nv, &s);
	vnic_add_ring_stats(&vd->closed_xdp, &s);
	vnic_read_ring_stats(&nv->rx, &s);
	vnic_add_ring_stats(&vd->closed_rx, &s);
	vd->closed_nv.irqs += nv->stats.irqs;
	vd->closed_nv.polls += nv->stats.polls;
	vd->closed_nv.polls_busy += nv->stats.polls_busy;
	vd->closed_nv.kicks += nv->stats.kicks;

	netif_napi_del(&nv->napi);
	/* ndo_get_stats64 may still be reading the counters. */
	kfree_rcu(nv, rcu);
}

/**
 * vnic_alloc_napi_vectors - allocate a vector, NAPI and rings per queue pair
 * @vd: the device
 * @nv: array to fill, VNIC_HW_MAX_QUEUES entries
 * @nq: queue pairs
 * @tx_size: TX descriptors per ring
 * @rx_size: RX buffers per ring
 * @mtu: the MTU the RX buffers must hold
 *
 * The rings are laid out for vd->xdp_prog: with a program, RX buffers of
 * a page with XDP headroom and an XDP TX ring per channel; and, on a
 * channel with an AF_XDP zero-copy socket (vd->xsk_pools), RX buffers
 * from the socket's UMEM and TX from its TX ring too.
 * Nothing is handed to the card yet, so a new set can be allocated while
 * the old one still runs.
 *
 * Return: 0 or -ENOMEM, with nothing left allocated.
 */
int vnic_alloc_napi_vectors(struct vnic_dev *vd, struct vnic_napi_vector **nv,
			    unsigned int nq, u32 tx_size, u32 rx_size, unsigned int mtu)
{
	unsigned int q;
	int err;

	ASSERT_RTNL();

	for (q = 0; q < nq; q++) {
		nv[q] = kzalloc(sizeof(*nv[q]), GFP_KERNEL);
		if (!nv[q]) {
			err = -ENOMEM;
			goto abort_with_vectors;
		}
		nv[q]->vd = vd;
		nv[q]->v_idx = VNIC_VEC_Q(q);
		u64_stats_init(&nv[q]->syncp);
		vnic_init_dim(nv[q]);
		netif_napi_add(vd->netdev, &nv[q]->napi, vnic_poll);

		err = vnic_alloc_tx_ring(vd, &nv[q]->tx, q, tx_size);
		if (!err)
			err = vnic_alloc_rx_ring(vd, nv[q], q, rx_size, mtu, vd->xdp_prog,
						 vnic_xsk_pool(vd, q));
		if (!err && vd->xdp_prog)
			err = vnic_alloc_xdp_ring(vd, &nv[q]->xdp_tx, q, tx_size,
						  vnic_xsk_pool(vd, q));
		if (err) {
			q++;
			goto abort_with_vectors;
		}
	}
	return 0;

abort_with_vectors:
	vnic_free_napi_vectors(vd, nv, q);
	return err;
}

/**
 * vnic_free_napi_vectors - free vectors and their rings
 * @vd: the device
 * @nv: the vectors; entries are set to NULL
 * @nq: how many
 *
 * The card must no longer use the rings.
 */
void vnic_free_napi_vectors(struct vnic_dev *vd, struct vnic_napi_vector **nv, unsigned int nq)
{
	unsigned int q;

	ASSERT_RTNL();

	for (q = 0; q < nq; q++) {
		struct vnic_napi_vector *v = nv[q];

		WRITE_ONCE(nv[q], NULL);
		if (v)
			vnic_free_napi_vector(vd, v);
	}
}

/**
 * vnic_reset_tx_queues - forget BQL state of every TX queue
 * @vd: the device
 */
void vnic_reset_tx_queues(struct vnic_dev *vd)
{
	unsigned int q;

	for (q = 0; q < vd->netdev->num_tx_queues; q++)
		netdev_tx_reset_queue(netdev_get_tx_queue(vd->netdev, q));
}

static void vnic_wr_base(struct vnic_hw *hw, u32 lo_reg, u32 hi_reg, dma_addr_t dma)
{
	vnic_wr32(hw, lo_reg, lower_32_bits(dma));
	vnic_wr32(hw, hi_reg, upper_32_bits(dma));
}

/**
 * vnic_enable_rings - program every queue pair into the card and enable it
 * @vd: the device
 *
 * Return: 0, or -EIO if the card refused a ring's configuration.
 */
int vnic_enable_rings(struct vnic_dev *vd)
{
	struct vnic_hw *hw = &vd->hw;
	unsigned int q;

	for (q = 0; q < vd->num_queues; q++) {
		struct vnic_napi_vector *nv = vd->nv[q];
		u32 status;

		vnic_wr_base(hw, VNIC_REG_Q(q, VNIC_Q_TXD_BASE_LO),
			     VNIC_REG_Q(q, VNIC_Q_TXD_BASE_HI), nv->tx.desc_dma);
		vnic_wr_base(hw, VNIC_REG_Q(q, VNIC_Q_TXC_BASE_LO),
			     VNIC_REG_Q(q, VNIC_Q_TXC_BASE_HI), nv->tx.cmpl_dma);
		vnic_wr32(hw, VNIC_REG_Q(q, VNIC_Q_TXD_SIZE), nv->tx.size);
		vnic_wr32(hw, VNIC_REG_Q(q, VNIC_Q_TXD_TAIL), 0);
		vnic_wr_base(hw, VNIC_REG_Q(q, VNIC_Q_RBR_BASE_LO),
			     VNIC_REG_Q(q, VNIC_Q_RBR_BASE_HI), nv->rx.desc_dma);
		vnic_wr_base(hw, VNIC_REG_Q(q, VNIC_Q_RCQ_BASE_LO),
			     VNIC_REG_Q(q, VNIC_Q_RCQ_BASE_HI), nv->rx.cmpl_dma);
		vnic_wr32(hw, VNIC_REG_Q(q, VNIC_Q_RBR_SIZE), nv->rx.size);
		vnic_wr32(hw, VNIC_REG_Q(q, VNIC_Q_RX_BUF_SIZE), nv->rx.buf_len);
		vnic_wr32(hw, VNIC_REG_Q(q, VNIC_Q_RBR_TAIL), 0);
		vnic_wr32(hw, VNIC_REG_Q(q, VNIC_Q_VEC), nv->v_idx);
		vnic_wr32(hw, VNIC_REG_Q(q, VNIC_Q_CTRL), VNIC_Q_CTRL_TX_EN | VNIC_Q_CTRL_RX_EN);

		status = vnic_rd32(hw, VNIC_REG_Q(q, VNIC_Q_STATUS));
		if ((status & (VNIC_Q_STATUS_TX_EN | VNIC_Q_STATUS_RX_EN)) !=
		    (VNIC_Q_STATUS_TX_EN | VNIC_Q_STATUS_RX_EN)) {
			netdev_err(vd->netdev, "card refused queue %u (status %#x)\n", q, status);
			goto abort_with_rings;
		}
		if (!nv->xdp_tx.desc)
			continue;

		/* The channel's XDP TX ring completes on the channel's vector. */
		vnic_wr_base(hw, VNIC_REG_XDPQ(q, VNIC_Q_TXD_BASE_LO),
			     VNIC_REG_XDPQ(q, VNIC_Q_TXD_BASE_HI), nv->xdp_tx.desc_dma);
		vnic_wr_base(hw, VNIC_REG_XDPQ(q, VNIC_Q_TXC_BASE_LO),
			     VNIC_REG_XDPQ(q, VNIC_Q_TXC_BASE_HI), nv->xdp_tx.cmpl_dma);
		vnic_wr32(hw, VNIC_REG_XDPQ(q, VNIC_Q_TXD_SIZE), nv->xdp_tx.size);
		vnic_wr32(hw, VNIC_REG_XDPQ(q, VNIC_Q_TXD_TAIL), 0);
		vnic_wr32(hw, VNIC_REG_XDPQ(q, VNIC_Q_VEC), nv->v_idx);
		vnic_wr32(hw, VNIC_REG_XDPQ(q, VNIC_Q_CTRL), VNIC_Q_CTRL_TX_EN);
		status = vnic_rd32(hw, VNIC_REG_XDPQ(q, VNIC_Q_STATUS));
		if (!(status & VNIC_Q_STATUS_TX_EN)) {
			netdev_err(vd->netdev, "card refused XDP TX queue %u (status %#x)\n",
				   q, status);
			goto abort_with_rings;
		}
	}
	return 0;

abort_with_rings:
	vnic_disable_rings(vd);
	return -EIO;
}

/**
 * vnic_disable_rings - stop the card using any ring
 * @vd: the device
 *
 * The card completes a queue disable before the register write returns.
 */
void vnic_disable_rings(struct vnic_dev *vd)
{
	unsigned int q;

	for (q = 0; q < vd->max_queues; q++)
		vnic_wr32(&vd->hw, VNIC_REG_Q(q, VNIC_Q_CTRL), 0);
	for (q = 0; q < vd->xdp_txqs; q++)
		vnic_wr32(&vd->hw, VNIC_REG_XDPQ(q, VNIC_Q_CTRL), 0);
}

/**
 * vnic_fill_rx_rings - post RX buffers on every ring before traffic starts
 * @vd: the device
 */
void vnic_fill_rx_rings(struct vnic_dev *vd)
{
	unsigned int q;

	for (q = 0; q < vd->num_queues; q++)
		vnic_refill_rx(&vd->nv[q]->rx);
}
