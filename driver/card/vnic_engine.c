// SPDX-License-Identifier: GPL-2.0
/*
 * The card's DMA engine: how it reaches host memory, and its TX side.
 *
 * The card touches host memory only through DMA addresses it finds in its
 * registers and in descriptors. Our bus devices have no dma_range_map and
 * x86 has no IOMMU here, so a DMA address is the physical address; every
 * page an access touches must pass pfn_valid(). The driver's own mapping
 * (dma_map_single(), page_pool, swiotlb bounce buffers) decides what that
 * address is, and the card never looks behind it.
 *
 * Each TX queue's engine is a work item on the card's engine_wq, the BH
 * workqueue system_bh_wq (on 6.1, include/vnic_compat.h's stand-in: a
 * per-CPU workqueue whose work runs with bottom halves off). A doorbell write
 * only records the tail and queues the work; the work fetches at most
 * VNIC_CARD_TX_BUDGET packets per run under the queue's lock, so disabling
 * the queue (which takes the lock) waits for the batch in flight, and the
 * engine re-checks the enable bit before each packet.
 *
 * Where the work runs: a real engine copies beside the CPUs, but ours
 * spends CPU time. On the CPU that rang the doorbell it queues behind the
 * very sender that keeps ringing it; on another CPU it costs a wake-up of
 * that CPU, which is cheap if the CPU is awake and slow if it sleeps. So a
 * queue that is busy (woken again within VNIC_CARD_BUSY_NS) has its engine
 * run on the next online CPU, where it overlaps with the sender, and a
 * lone packet is moved where it was posted, as waking another CPU for
 * every packet would add that wake-up to each one's latency. A card made
 * with engine_local keeps every engine on the doorbell's CPU.
 * A batch that runs out of budget goes on where it is.
 *
 * A packet to segment goes whole to a peer that asked for it (GSO
 * pass-through, VNIC_RX_MODE_GSO), and is cut into segments otherwise.
 *
 * Pause: when the peer has no buffer for a frame and flow control says
 * wait, the engine leaves the packet at head (remembering how many of its
 * frames already went, for a segmented one) and sleeps. The peer's RBR
 * doorbell wakes it, and so does anything that ends the wait by making it
 * drop (the RX queue disabled, the link down, FLOW_CTRL rewritten); the
 * kick timer looks again every VNIC_CARD_PAUSE_NS in any case.
 */
#include <linux/bitfield.h>
#include <linux/highmem.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <net/checksum.h>

#include "vnic_compat.h"
#include "vnic_card_priv.h"
#include "vnic_trace.h"

static struct page *vnic_card_dma_page(u64 addr)
{
	phys_addr_t phys = addr;
	unsigned long pfn;

	/* dma_addr_t -> phys_addr_t is the identity here; check it fits. */
	if (phys != addr)
		return NULL;
	pfn = PHYS_PFN(phys);
	/* Page 0 is never handed out for DMA; it catches NULL addresses. */
	if (!pfn || !pfn_valid(pfn))
		return NULL;
	return pfn_to_page(pfn);
}

/**
 * vnic_card_dma_map - map a small DMA range that lies within one page
 * @addr: DMA address
 * @len: bytes, at most up to the end of @addr's page
 *
 * Used for descriptors and completions, which never straddle a page since
 * rings are VNIC_HW_RING_ALIGN aligned. Undo with kunmap_local().
 *
 * Return: a kernel address, or NULL if the range does not translate.
 */
void *vnic_card_dma_map(u64 addr, size_t len)
{
	size_t off = offset_in_page(addr);
	struct page *page;

	if (!len || off + len > PAGE_SIZE)
		return NULL;
	page = vnic_card_dma_page(addr);
	if (!page)
		return NULL;
	return kmap_local_page(page) + off;
}

/* Does every page of [@addr, @addr + @len) translate? */
static bool vnic_card_dma_ok(u64 addr, size_t len)
{
	u64 pfn;

	if (!len || addr + len < addr)
		return false;
	for (pfn = PHYS_PFN(addr); pfn <= PHYS_PFN(addr + len - 1); pfn++)
		if (!vnic_card_dma_page(PFN_PHYS(pfn)))
			return false;
	return true;
}

/*
 * Without highmem every page stays mapped, in the order of its physical
 * address: a DMA range whose pages all translate is one run of kernel
 * addresses, and a copy needs no page-by-page mapping. NULL otherwise.
 */
static void *vnic_card_dma_va(u64 addr, size_t len)
{
	if (IS_ENABLED(CONFIG_HIGHMEM) || !vnic_card_dma_ok(addr, len))
		return NULL;
	return page_address(vnic_card_dma_page(addr)) + offset_in_page(addr);
}

static int vnic_card_dma_copy(u64 addr, void *buf, size_t len, bool to_host)
{
	void *va;

	if (addr + len < addr)
		return -EFAULT;
	va = vnic_card_dma_va(addr, len);
	if (va) {
		if (to_host)
			memcpy(va, buf, len);
		else
			memcpy(buf, va, len);
		return 0;
	}

	while (len) {
		size_t off = offset_in_page(addr);
		size_t chunk = min(len, PAGE_SIZE - off);
		struct page *page = vnic_card_dma_page(addr);
		void *va;

		if (!page)
			return -EFAULT;
		va = kmap_local_page(page) + off;
		if (to_host)
			memcpy(va, buf, chunk);
		else
			memcpy(buf, va, chunk);
		kunmap_local(va);
		addr += chunk;
		buf += chunk;
		len -= chunk;
	}
	return 0;
}

/**
 * vnic_card_dma_read - copy from host memory at a DMA address
 * @addr: DMA address
 * @dst: card-side buffer
 * @len: bytes
 *
 * Return: 0, or -EFAULT if a page of the range does not translate (the
 * part before it may have been copied).
 */
int vnic_card_dma_read(u64 addr, void *dst, size_t len)
{
	return vnic_card_dma_copy(addr, dst, len, false);
}

/**
 * vnic_card_dma_write - copy into host memory at a DMA address
 * @addr: DMA address
 * @src: card-side buffer
 * @len: bytes
 *
 * Return: 0, or -EFAULT if a page of the range does not translate.
 */
int vnic_card_dma_write(u64 addr, const void *src, size_t len)
{
	return vnic_card_dma_copy(addr, (void *)src, len, true);
}

/* Copy host to host: at once, or page by page on both sides. */
static int vnic_card_dma_move(u64 dst, u64 src, size_t len)
{
	void *sva, *dva;

	if (dst + len < dst || src + len < src)
		return -EFAULT;
	sva = vnic_card_dma_va(src, len);
	dva = vnic_card_dma_va(dst, len);
	if (sva && dva) {
		memcpy(dva, sva, len);
		return 0;
	}

	while (len) {
		size_t chunk = min3(len, PAGE_SIZE - offset_in_page(src),
				    PAGE_SIZE - offset_in_page(dst));
		struct page *sp = vnic_card_dma_page(src), *dp = vnic_card_dma_page(dst);
		void *s, *d;

		if (!sp || !dp)
			return -EFAULT;
		s = kmap_local_page(sp) + offset_in_page(src);
		d = kmap_local_page(dp) + offset_in_page(dst);
		memcpy(d, s, chunk);
		kunmap_local(d);
		kunmap_local(s);
		src += chunk;
		dst += chunk;
		len -= chunk;
	}
	return 0;
}

/**
 * vnic_card_pkt_write - copy part of a packet into host memory
 * @pkt: the packet
 * @off: where in it to start
 * @dst: DMA address to copy to
 * @len: bytes
 *
 * Bytes within @pkt's head come from card memory, the rest straight from
 * the sender's TX buffers.
 *
 * Return: 0, or -EFAULT if @dst (or, which the engine checked before, a
 * TX buffer) does not translate, or the packet is shorter.
 */
int vnic_card_pkt_write(const struct vnic_pkt *pkt, u32 off, u64 dst, u32 len)
{
	u32 i, pos = 0;

	if (off < pkt->hlen) {
		u32 chunk = min(len, pkt->hlen - off);

		if (vnic_card_dma_write(dst, pkt->head + off, chunk))
			return -EFAULT;
		off += chunk;
		dst += chunk;
		len -= chunk;
	}
	for (i = 0; len && i < pkt->ndesc; i++) {
		u32 blen = FIELD_GET(VNIC_TXD_LEN, pkt->ctrl[i]);
		u32 chunk;

		if (off >= pos + blen) {
			pos += blen;
			continue;
		}
		chunk = min(len, pos + blen - off);
		if (vnic_card_dma_move(dst, pkt->addr[i] + (off - pos), chunk))
			return -EFAULT;
		off += chunk;
		dst += chunk;
		len -= chunk;
		pos += blen;
	}
	return len ? -EFAULT : 0;
}

/**
 * vnic_card_ring_ok - may a ring pair with this configuration be enabled?
 * @base: descriptor ring DMA address
 * @cmpl_base: completion ring DMA address
 * @size: entries of both, a power of two within the card's limits
 *
 * Return: true if so.
 */
bool vnic_card_ring_ok(u64 base, u64 cmpl_base, u32 size)
{
	return is_power_of_2(size) && size >= VNIC_HW_RING_MIN &&
	       size <= VNIC_HW_RING_MAX &&
	       IS_ALIGNED(base, VNIC_HW_RING_ALIGN) &&
	       IS_ALIGNED(cmpl_base, VNIC_HW_RING_ALIGN);
}

/**
 * vnic_card_tx_csum - fill in an L4 checksum, CHECKSUM_PARTIAL style
 * @frame: the frame
 * @len: its length
 * @start: where summing starts (skb->csum_start, from the frame start)
 * @off: where the result goes, from @start (skb->csum_offset)
 * @ws: set to the sum of the bytes from @start on, as sent; its @end is 0
 *	if it cannot be had
 *
 * The ones-complement sum runs from @start to the end of the frame, over
 * the pseudo-header sum the stack left in the checksum field, and its
 * complement is stored at @start + @off, as skb_checksum_help() does.
 *
 * Return: VNIC_STATUS_OK, or VNIC_STATUS_DESC_ERR if the offsets do not
 * fit the frame.
 */
u8 vnic_card_tx_csum(u8 *frame, u32 len, u32 start, u32 off, struct vnic_wire_sum *ws)
{
	__sum16 seed, sum;
	__wsum full;

	ws->end = 0;
	if (start >= len || start + off + sizeof(sum) > len)
		return VNIC_STATUS_DESC_ERR;
	memcpy(&seed, frame + start + off, sizeof(seed));
	full = csum_partial(frame + start, len - start, 0);
	sum = csum_fold(full);
	if (!sum)
		sum = CSUM_MANGLED_0;
	memcpy(frame + start + off, &sum, sizeof(sum));

	/* The seed leaves the sum and the result joins it, if word-aligned. */
	if (!(off & 1)) {
		full = csum_sub(full, (__force __wsum)(__force u16)seed);
		ws->sum = csum_add(full, (__force __wsum)(__force u16)sum);
		ws->start = start;
		ws->end = len;
	}
	return VNIC_STATUS_OK;
}
EXPORT_SYMBOL_IF_KUNIT(vnic_card_tx_csum);

static int vnic_card_txq_read_desc(struct vnic_txq *txq, u32 slot, unsigned int i)
{
	struct vnic_tx_desc *desc;

	desc = vnic_card_dma_map(txq->base + (u64)slot * sizeof(*desc), sizeof(*desc));
	if (!desc)
		return -EFAULT;
	txq->addr[i] = le64_to_cpu(READ_ONCE(desc->addr));
	txq->ctrl[i] = le64_to_cpu(READ_ONCE(desc->ctrl));
	kunmap_local(desc);
	return 0;
}

static void vnic_card_txq_write_cmpl(struct vnic_txq *txq, u8 status, u32 len)
{
	struct vnic_port *port = txq->port;
	struct vnic_tx_cmpl *cmpl;
	u32 idx = txq->cmpl_idx;
	u64 word;

	cmpl = vnic_card_dma_map(txq->cmpl_base + (u64)idx * sizeof(*cmpl), sizeof(*cmpl));
	if (!cmpl) {
		/* Nowhere to report it: count it and go on. */
		atomic_inc(&txq->errs);
		vnic_card_port_count(port, VNIC_STAT_TX_DESC_ERR);
		return;
	}
	word = FIELD_PREP(VNIC_TXC_HEAD, txq->head) |
	       FIELD_PREP(VNIC_TXC_STATUS, status) |
	       (txq->phase ? VNIC_TXC_DONE : 0);
	/*
	 * The entry is one word, written at once: the DONE bit cannot be seen
	 * before the rest. Order it after the engine's earlier writes (the
	 * peer's RX buffer and RCQ), as the PCIe write ordering would.
	 */
	smp_wmb();
	WRITE_ONCE(cmpl->word, cpu_to_le64(word));
	kunmap_local(cmpl);

	if (++txq->cmpl_idx == txq->size) {
		txq->cmpl_idx = 0;
		txq->phase = !txq->phase;
	}
	trace_vnic_cmpl_write(port->card->id, port->idx, txq->idx, false, idx,
			      len, status);
	vnic_card_vec_complete(port, txq->idx, false);
}

/*
 * Find the packet at head within [head, tail): the number of descriptors up
 * to and including its EOP, read into txq->addr/ctrl. Returns 0 when the
 * packet is not all posted yet, and sets *status when the descriptors are
 * unusable (the count then says how many to consume).
 */
static u32 vnic_card_txq_fetch(struct vnic_txq *txq, u32 tail, u8 *status)
{
	u32 mask = txq->size - 1;
	u32 avail = (tail - txq->head) & mask;
	u32 n;

	for (n = 0; n < avail && n < VNIC_HW_TX_MAX_DESC_PER_PKT; n++) {
		if (vnic_card_txq_read_desc(txq, (txq->head + n) & mask, n)) {
			*status = VNIC_STATUS_DMA_ERR;
			return n + 1;
		}
		if (txq->ctrl[n] & VNIC_TXD_EOP)
			return n + 1;
	}
	/*
	 * No EOP yet. Wait for more doorbells unless no more can come: the
	 * per-packet limit is reached, or the ring is full.
	 */
	if (n < VNIC_HW_TX_MAX_DESC_PER_PKT && avail < mask)
		return 0;
	*status = VNIC_STATUS_DESC_ERR;
	return n;
}

/*
 * Copy the packet's first @limit bytes (all of it for U32_MAX) into the
 * staging buffer, checking every buffer; txq->gathered says how many.
 */
static u8 vnic_card_txq_gather(struct vnic_txq *txq, u32 ndesc, u32 limit, u32 *lenp)
{
	u32 max = READ_ONCE(txq->port->max_frame) + VNIC_CARD_VLAN_SLACK;
	u32 i, len = 0;

	/* A packet to segment may be larger than a frame; its segments not. */
	if (FIELD_GET(VNIC_TXD_SEG, txq->ctrl[0]))
		max = VNIC_HW_TSO_MAX;

	txq->gathered = 0;
	for (i = 0; i < ndesc; i++) {
		u32 dlen = FIELD_GET(VNIC_TXD_LEN, txq->ctrl[i]);
		u32 copy = len < limit ? min(dlen, limit - len) : 0;

		if (!dlen)
			return VNIC_STATUS_DESC_ERR;
		if (len + dlen > max)
			return VNIC_STATUS_OVERSIZE;
		if (copy < dlen && !vnic_card_dma_ok(txq->addr[i], dlen))
			return VNIC_STATUS_DMA_ERR;
		if (copy && vnic_card_dma_read(txq->addr[i], txq->staging + len, copy))
			return VNIC_STATUS_DMA_ERR;
		txq->gathered += copy;
		len += dlen;
	}
	*lenp = len;
	return VNIC_STATUS_OK;
}

/*
 * Put the next frame of the packet at head on the wire, unless it went
 * before the packet last waited. Once the peer asks to wait, the rest of
 * the packet waits too.
 */
static void vnic_card_txq_wire(struct vnic_txq *txq, const u8 *frame, u32 len,
			       const struct vnic_wire_sum *ws)
{
	if (txq->wait)
		return;
	if (txq->frames < txq->sent) {
		txq->frames++;
		return;
	}
	if (!vnic_card_wire_send(txq->port, frame, len, ws)) {
		txq->wait = true;
		return;
	}
	vnic_card_port_count(txq->port, VNIC_STAT_TX_FRAMES);
	txq->frames++;
}

/* Each segment of a TSO/USO packet goes on the wire as its own frame. */
static void vnic_card_txq_emit(void *ctx, const u8 *seg, u32 len, const struct vnic_wire_sum *ws)
{
	vnic_card_txq_wire(ctx, seg, len, ws);
}

/*
 * GSO pass-through: offer a packet to segment to the wire whole; the
 * receiving port takes it if it asked for that (RX_MODE.GSO). Returns
 * false if the packet must be cut after all, with nothing sent. A packet
 * that already sent some of its segments before a pause finishes that way.
 */
static bool vnic_card_txq_pass(struct vnic_txq *txq, u32 ndesc, u32 len)
{
	struct vnic_pkt pkt = {
		.head = txq->staging,
		.hlen = txq->gathered,
		.len = len,
		.addr = txq->addr,
		.ctrl = txq->ctrl,
		.ndesc = ndesc,
	};
	struct vnic_port *port = txq->port;
	struct vnic_tso_info ti;

	if (txq->sent)
		return false;
	/*
	 * A bad packet is refused by the segmenting path, as ever; so is one
	 * with headers beyond what was gathered (the parse only read stale
	 * staging there).
	 */
	if (vnic_card_tso_prepare(txq->staging, len, txq->ctrl[0],
				  READ_ONCE(port->max_frame) + VNIC_CARD_VLAN_SLACK,
			     &ti) != VNIC_STATUS_OK || ti.hlen > txq->gathered)
		return false;

	switch (vnic_card_wire_send_gso(port, &pkt, &ti)) {
	case VNIC_GSO_SENT:
		vnic_card_port_count_n(port, VNIC_STAT_TX_FRAMES, ti.segs);
		txq->frames = ti.segs;
		return true;
	case VNIC_GSO_HOLD:
		txq->wait = true;
		return true;
	default:
		return false;
	}
}

/* What the checksum offload did to the packet at @first, for the tracepoint */
static void vnic_card_txq_trace_csum(struct vnic_txq *txq, u32 first, u64 ctrl, u32 len, u8 status)
{
	bool req = (ctrl & VNIC_TXD_CSUM) && !FIELD_GET(VNIC_TXD_SEG, ctrl);
	u32 start = FIELD_GET(VNIC_TXD_CSUM_START, ctrl);
	u32 off = FIELD_GET(VNIC_TXD_CSUM_OFF, ctrl);
	u16 sum = 0;

	if (req && status == VNIC_STATUS_OK && start + off + sizeof(sum) <= len)
		sum = get_unaligned_be16(txq->staging + start + off);
	trace_vnic_tx_csum(txq->port->card->id, txq->port->idx, txq->idx, first, req,
			   start, off, sum, status);
}

/*
 * Move the packet at head: fetch, gather, offload, wire, completion.
 * Returns the frames it put on the wire (at least 1 to count the work
 * done), or 0 if the packet is not all posted yet or must wait for a pause
 * (txq->wait).
 */
static u32 vnic_card_txq_xmit_one(struct vnic_txq *txq, u32 tail)
{
	struct vnic_port *port = txq->port;
	struct vnic_card *card = port->card;
	u8 status = VNIC_STATUS_OK;
	struct vnic_wire_sum ws = {};
	u32 first = txq->head;
	u32 ndesc, len = 0;
	bool compl = true;

	txq->frames = 0;

	ndesc = vnic_card_txq_fetch(txq, tail, &status);
	if (!ndesc)
		return 0;
	trace_vnic_tx_fetch(card->id, port->idx, txq->idx, first, tail, ndesc, txq->addr[0],
			    txq->ctrl[0]);

	/* An injected fault; not for a packet already partly sent. */
	if (status == VNIC_STATUS_OK && !txq->sent && vnic_card_fault_tx_dma_err(port))
		status = VNIC_STATUS_DMA_ERR;

	if (status == VNIC_STATUS_OK) {
		u64 ctrl = txq->ctrl[0];

		compl = txq->ctrl[ndesc - 1] & VNIC_TXD_REQ_COMPL;
		/* A packet to segment may pass whole: its headers are enough. */
		status = vnic_card_txq_gather(txq, ndesc, FIELD_GET(VNIC_TXD_SEG, ctrl) ?
					 VNIC_CARD_HEAD_SIZE : U32_MAX, &len);
		trace_vnic_tx_gather(card->id, port->idx, txq->idx, first, txq->addr[0], len,
				     status);
		if (status == VNIC_STATUS_OK && (ctrl & VNIC_TXD_CSUM) &&
		    !FIELD_GET(VNIC_TXD_SEG, ctrl))
			status = vnic_card_tx_csum(txq->staging, len,
						   FIELD_GET(VNIC_TXD_CSUM_START, ctrl),
					      FIELD_GET(VNIC_TXD_CSUM_OFF, ctrl), &ws);
		if (trace_vnic_tx_csum_enabled())
			vnic_card_txq_trace_csum(txq, first, ctrl, len, status);
	}

	if (status == VNIC_STATUS_OK && FIELD_GET(VNIC_TXD_SEG, txq->ctrl[0])) {
		if (!READ_ONCE(port->link_ok) &&
		    !(READ_ONCE(port->ctrl) & VNIC_CTRL_LOOPBACK)) {
			status = VNIC_STATUS_NO_LINK;
			vnic_card_port_count(port, VNIC_STAT_TX_NO_LINK);
		} else if (!vnic_card_txq_pass(txq, ndesc, len)) {
			if (txq->gathered < len)
				status = vnic_card_txq_gather(txq, ndesc, U32_MAX, &len);
			if (status == VNIC_STATUS_OK)
				status = vnic_card_tso_segment(txq->staging, len, txq->ctrl[0],
							       READ_ONCE(port->max_frame) +
							  VNIC_CARD_VLAN_SLACK,
							  txq->seg, vnic_card_txq_emit, txq);
		}
		if (status != VNIC_STATUS_OK && status != VNIC_STATUS_NO_LINK) {
			atomic_inc(&txq->errs);
			vnic_card_port_count(port, VNIC_STAT_TX_DESC_ERR);
		}
	} else if (status == VNIC_STATUS_OK) {
		if (len < VNIC_HW_MIN_FRAME) {
			memset(txq->staging + len, 0, VNIC_HW_MIN_FRAME - len);
			len = VNIC_HW_MIN_FRAME;
		}
		/* Internal loopback never reaches the cable. */
		if (!READ_ONCE(port->link_ok) &&
		    !(READ_ONCE(port->ctrl) & VNIC_CTRL_LOOPBACK)) {
			status = VNIC_STATUS_NO_LINK;
			vnic_card_port_count(port, VNIC_STAT_TX_NO_LINK);
		} else {
			vnic_card_txq_wire(txq, txq->staging, len, ws.end ? &ws : NULL);
		}
	} else {
		atomic_inc(&txq->errs);
		vnic_card_port_count(port, VNIC_STAT_TX_DESC_ERR);
	}
	if (txq->wait) {
		/* Paused: the packet stays at head; its retry skips what went. */
		txq->sent = txq->frames;
		return 0;
	}
	txq->sent = 0;
	trace_vnic_engine_dma(card->id, port->idx, txq->idx, first, len, status);

	WRITE_ONCE(txq->head, (first + ndesc) & (txq->size - 1));
	if (compl || status != VNIC_STATUS_OK)
		vnic_card_txq_write_cmpl(txq, status, len);
	return max(txq->frames, 1U);
}

/*
 * The packet at head waits for the peer's buffers: count the pause if it
 * is a new one, and sleep unless buffers came since @posted (the peer's
 * rx_posted before the try). Returns true to try again at once.
 */
static bool vnic_card_txq_pause(struct vnic_txq *txq, int posted)
{
	struct vnic_port *port = txq->port;

	txq->wait = false;
	if (!txq->paused) {
		txq->paused = true;
		vnic_card_port_count(port, VNIC_STAT_TX_PAUSED);
		/* The receiver's pause frame that stopped us, at both ends. */
		vnic_card_port_count(vnic_card_wire_dst(port), VNIC_STAT_TX_PAUSE_FRAMES);
		vnic_card_port_count(port, VNIC_STAT_RX_PAUSE_FRAMES);
	}
	set_bit(txq->idx, port->tx_paused);
	/* Pairs with the fully ordered increment in vnic_card_rxq_doorbell(). */
	smp_mb__after_atomic();
	return atomic_read(&vnic_card_wire_dst(port)->rx_posted) != posted;
}

/* The queue starts afresh: no packet waits, no wake-up is owed. */
static void vnic_card_txq_unpause(struct vnic_txq *txq)
{
	txq->sent = 0;
	txq->wait = false;
	txq->paused = false;
	clear_bit(txq->idx, txq->port->tx_paused);
}

/**
 * vnic_card_txq_schedule - wake a TX queue's engine
 * @txq: the queue
 *
 * On the next online CPU after this one if the queue is busy, else on
 * this one (see the top of this file). Any context.
 */
void vnic_card_txq_schedule(struct vnic_txq *txq)
{
	u64 now = ktime_get_ns(), last = READ_ONCE(txq->woken);
	int cpu = get_cpu();

	WRITE_ONCE(txq->woken, now);
	if (!txq->port->card->engine_local && now - last < VNIC_CARD_BUSY_NS) {
		int next = cpumask_next(cpu, cpu_online_mask);

		cpu = next < nr_cpu_ids ? next : cpumask_first(cpu_online_mask);
	}
	queue_work_on(cpu, txq->port->card->engine_wq, &txq->work);
	put_cpu();
}

static void vnic_card_txq_work(struct work_struct *work)
{
	struct vnic_txq *txq = container_of(work, struct vnic_txq, work);
	struct vnic_port *port = txq->port;
	unsigned int done = 0;
	bool more = false;
	int posted;
	u32 sent;
	u64 wait = 0;

	vnic_bh_work_begin();
	spin_lock_bh(&txq->lock);
	while (txq->enabled && !vnic_card_fault_tx_stalled(port)) {
		/* Pairs with the store-release of the doorbell write. */
		u32 tail = smp_load_acquire(&txq->tail);

		if (tail >= txq->size || tail == txq->head)
			break;
		if (done >= VNIC_CARD_TX_BUDGET) {
			more = true;
			break;
		}
		wait = vnic_card_wire_wait(port);
		if (wait)
			break;
		/* Buffers posted after this are seen by the try, or wake us. */
		posted = atomic_read_acquire(&vnic_card_wire_dst(port)->rx_posted);
		sent = vnic_card_txq_xmit_one(txq, tail);
		if (!sent) {
			if (txq->wait) {
				more = vnic_card_txq_pause(txq, posted);
				if (!more)
					wait = VNIC_CARD_PAUSE_NS;
			}
			break;
		}
		txq->paused = false;
		done += sent;
	}
	spin_unlock_bh(&txq->lock);

	if (wait)
		hrtimer_start(&txq->kick, ns_to_ktime(wait), HRTIMER_MODE_REL);
	else if (more)
		queue_work(port->card->engine_wq, &txq->work);
	vnic_bh_work_end();
}

static enum hrtimer_restart vnic_card_txq_kick(struct hrtimer *timer)
{
	struct vnic_txq *txq = container_of(timer, struct vnic_txq, kick);

	vnic_card_txq_schedule(txq);
	return HRTIMER_NORESTART;
}

/**
 * vnic_card_port_wake_paused - restart the port's TX engines that a pause holds
 * @port: the sending port
 *
 * Any context. An engine that still finds no buffer pauses again.
 */
void vnic_card_port_wake_paused(struct vnic_port *port)
{
	unsigned int i;

	for_each_set_bit(i, port->tx_paused, port->num_txqs)
		if (test_and_clear_bit(i, port->tx_paused))
			vnic_card_txq_schedule(&port->txq[i]);
}

/**
 * vnic_card_wake_paused - restart every paused TX engine of the card
 * @card: the card
 *
 * For whatever ends a pause besides new buffers: a link change, an RX
 * queue going away, new flow control settings. Any context.
 */
void vnic_card_wake_paused(struct vnic_card *card)
{
	unsigned int p;

	for (p = 0; p < VNIC_CARD_PORTS; p++)
		vnic_card_port_wake_paused(&card->port[p]);
}

/**
 * vnic_card_txq_doorbell - TXD_TAIL write: record the tail, wake the engine
 * @txq: the queue
 * @tail: next free slot
 *
 * Any context. The engine runs later, never on the writer's stack.
 */
void vnic_card_txq_doorbell(struct vnic_txq *txq, u32 tail)
{
	/* Descriptors written before the doorbell are visible with it. */
	smp_store_release(&txq->tail, tail);
	/*
	 * Wake the engine even if the queue looks disabled: it checks under
	 * the lock, so a doorbell racing with the enable is never lost.
	 */
	vnic_card_txq_schedule(txq);
}

/**
 * vnic_card_txq_enable - Q_CTRL TX_EN write
 * @txq: the queue
 * @on: enable (else disable)
 *
 * Enabling latches and checks the ring registers and starts at slot 0,
 * phase 1; a bad configuration leaves the queue off with TX_CFG_ERR.
 * Disabling waits for the engine's batch in flight: once this returns the
 * engine does not touch the rings' memory. Process or softirq context.
 */
void vnic_card_txq_enable(struct vnic_txq *txq, bool on)
{
	bool kick = false;

	spin_lock_bh(&txq->lock);
	if (!on) {
		WRITE_ONCE(txq->enabled, false);
		txq->cfg_err = false;
	} else if (!txq->enabled) {
		u64 base = (u64)READ_ONCE(txq->base_hi) << 32 | READ_ONCE(txq->base_lo);
		u64 cmpl = (u64)READ_ONCE(txq->cmpl_hi) << 32 | READ_ONCE(txq->cmpl_lo);
		u32 size = READ_ONCE(txq->size_reg);

		txq->cfg_err = !vnic_card_ring_ok(base, cmpl, size);
		if (!txq->cfg_err) {
			txq->base = base;
			txq->cmpl_base = cmpl;
			txq->size = size;
			WRITE_ONCE(txq->head, 0);
			txq->cmpl_idx = 0;
			txq->phase = true;
			vnic_card_txq_unpause(txq);
			WRITE_ONCE(txq->enabled, true);
			kick = READ_ONCE(txq->tail) != 0;
		}
	}
	spin_unlock_bh(&txq->lock);

	if (kick)
		vnic_card_txq_schedule(txq);
}

/**
 * vnic_card_txq_reset - disable the queue and zero its registers
 * @txq: the queue
 *
 * Process or softirq context; synchronous like vnic_card_txq_enable().
 */
void vnic_card_txq_reset(struct vnic_txq *txq)
{
	spin_lock_bh(&txq->lock);
	WRITE_ONCE(txq->enabled, false);
	txq->cfg_err = false;
	WRITE_ONCE(txq->head, 0);
	txq->cmpl_idx = 0;
	txq->phase = true;
	vnic_card_txq_unpause(txq);
	WRITE_ONCE(txq->base_lo, 0);
	WRITE_ONCE(txq->base_hi, 0);
	WRITE_ONCE(txq->cmpl_lo, 0);
	WRITE_ONCE(txq->cmpl_hi, 0);
	WRITE_ONCE(txq->size_reg, 0);
	WRITE_ONCE(txq->tail, 0);
	spin_unlock_bh(&txq->lock);
}

/**
 * vnic_card_txq_quiesce - wait until the engine and its kick timer are idle
 * @txq: the queue, disabled
 *
 * Process context.
 */
void vnic_card_txq_quiesce(struct vnic_txq *txq)
{
	/* The work starts the timer and the timer queues the work. */
	cancel_work_sync(&txq->work);
	hrtimer_cancel(&txq->kick);
	cancel_work_sync(&txq->work);
}

/**
 * vnic_card_txq_init - set up a TX queue, disabled
 * @port: the port
 * @txq: the queue
 * @idx: queue number
 *
 * Return: 0 or -ENOMEM.
 */
int vnic_card_txq_init(struct vnic_port *port, struct vnic_txq *txq, u16 idx)
{
	txq->staging = kvmalloc(VNIC_CARD_STAGING_SIZE, GFP_KERNEL);
	txq->seg = kmalloc(VNIC_CARD_FRAME_SIZE, GFP_KERNEL);
	if (!txq->staging || !txq->seg) {
		vnic_card_txq_free(txq);
		return -ENOMEM;
	}
	spin_lock_init(&txq->lock);
	txq->phase = true;
	atomic_set(&txq->errs, 0);
	INIT_WORK(&txq->work, vnic_card_txq_work);
	hrtimer_init(&txq->kick, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	txq->kick.function = vnic_card_txq_kick;
	txq->port = port;
	txq->idx = idx;
	return 0;
}

/**
 * vnic_card_txq_free - undo vnic_card_txq_init(); the queue must be quiesced
 * @txq: the queue
 */
void vnic_card_txq_free(struct vnic_txq *txq)
{
	kvfree(txq->staging);
	txq->staging = NULL;
	kfree(txq->seg);
	txq->seg = NULL;
}
