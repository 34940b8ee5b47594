/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints along a packet's path through vnic: the driver posts a
 * descriptor and rings the doorbell, the card's engine moves the frame by
 * DMA and writes a completion, the card raises an interrupt, NAPI polls and
 * hands the frame to the stack. `trace-cmd record -e vnic` shows it all.
 *
 * Card events name the card, port and queue by number; driver events name
 * the net_device.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM vnic

#if !defined(_VNIC_TRACE_H_) || defined(TRACE_HEADER_MULTI_READ)
#define _VNIC_TRACE_H_

#include <linux/netdevice.h>
#include <linux/tracepoint.h>

#include "vnic_compat.h"

TRACE_EVENT(vnic_xmit,
	    TP_PROTO(const struct net_device *netdev, u16 qid, u32 len, u16 first, u16 ndesc),
	    TP_ARGS(netdev, qid, len, first, ndesc),
	    TP_STRUCT__entry(__string(dev, netdev->name)
			     __field(u16, qid)
			     __field(u32, len)
			     __field(u16, first)
			     __field(u16, ndesc)),
	    TP_fast_assign(vnic_assign_str(dev, netdev->name);
			   __entry->qid = qid;
			   __entry->len = len;
			   __entry->first = first;
			   __entry->ndesc = ndesc;),
	    TP_printk("dev=%s q=%u len=%u txd=%u ndesc=%u", __get_str(dev),
		      __entry->qid, __entry->len, __entry->first, __entry->ndesc));

TRACE_EVENT(vnic_doorbell,
	    TP_PROTO(const struct net_device *netdev, u16 qid, bool rx, u32 tail),
	    TP_ARGS(netdev, qid, rx, tail),
	    TP_STRUCT__entry(__string(dev, netdev->name)
			     __field(u16, qid)
			     __field(bool, rx)
			     __field(u32, tail)),
	    TP_fast_assign(vnic_assign_str(dev, netdev->name);
			   __entry->qid = qid;
			   __entry->rx = rx;
			   __entry->tail = tail;),
	    TP_printk("dev=%s q=%u ring=%s tail=%u", __get_str(dev), __entry->qid,
		      __entry->rx ? "rbr" : "txd", __entry->tail));

/* The card's DMA engine moved one frame (TX side) */
TRACE_EVENT(vnic_engine_dma,
	    TP_PROTO(u32 card, u32 port, u16 qid, u16 txd, u32 len, u8 status),
	    TP_ARGS(card, port, qid, txd, len, status),
	    TP_STRUCT__entry(__field(u32, card)
			     __field(u32, port)
			     __field(u16, qid)
			     __field(u16, txd)
			     __field(u32, len)
			     __field(u8, status)),
	    TP_fast_assign(__entry->card = card;
			   __entry->port = port;
			   __entry->qid = qid;
			   __entry->txd = txd;
			   __entry->len = len;
			   __entry->status = status;),
	    TP_printk("card=%u port=%u q=%u txd=%u len=%u status=%u",
		      __entry->card, __entry->port, __entry->qid, __entry->txd,
		      __entry->len, __entry->status));

/* The card wrote a completion (TXC or RCQ entry) */
TRACE_EVENT(vnic_cmpl_write,
	    TP_PROTO(u32 card, u32 port, u16 qid, bool rx, u16 idx, u32 len, u8 status),
	    TP_ARGS(card, port, qid, rx, idx, len, status),
	    TP_STRUCT__entry(__field(u32, card)
			     __field(u32, port)
			     __field(u16, qid)
			     __field(bool, rx)
			     __field(u16, idx)
			     __field(u32, len)
			     __field(u8, status)),
	    TP_fast_assign(__entry->card = card;
			   __entry->port = port;
			   __entry->qid = qid;
			   __entry->rx = rx;
			   __entry->idx = idx;
			   __entry->len = len;
			   __entry->status = status;),
	    TP_printk("card=%u port=%u q=%u ring=%s idx=%u len=%u status=%u",
		      __entry->card, __entry->port, __entry->qid,
		      __entry->rx ? "rcq" : "txc", __entry->idx, __entry->len,
		      __entry->status));

/* The card raised an interrupt vector */
TRACE_EVENT(vnic_irq_raise,
	    TP_PROTO(u32 card, u32 port, u16 vec, u32 frames),
	    TP_ARGS(card, port, vec, frames),
	    TP_STRUCT__entry(__field(u32, card)
			     __field(u32, port)
			     __field(u16, vec)
			     __field(u32, frames)),
	    TP_fast_assign(__entry->card = card;
			   __entry->port = port;
			   __entry->vec = vec;
			   __entry->frames = frames;),
	    TP_printk("card=%u port=%u vec=%u frames=%u", __entry->card,
		      __entry->port, __entry->vec, __entry->frames));

TRACE_EVENT(vnic_napi_poll,
	    TP_PROTO(const struct net_device *netdev, u16 qid, int budget, int rx_done,
		     u32 tx_done),
	    TP_ARGS(netdev, qid, budget, rx_done, tx_done),
	    TP_STRUCT__entry(__string(dev, netdev->name)
			     __field(u16, qid)
			     __field(int, budget)
			     __field(int, rx_done)
			     __field(u32, tx_done)),
	    TP_fast_assign(vnic_assign_str(dev, netdev->name);
			   __entry->qid = qid;
			   __entry->budget = budget;
			   __entry->rx_done = rx_done;
			   __entry->tx_done = tx_done;),
	    TP_printk("dev=%s q=%u budget=%d rx=%d tx=%u", __get_str(dev),
		      __entry->qid, __entry->budget, __entry->rx_done,
		      __entry->tx_done));

TRACE_EVENT(vnic_irq,
	    TP_PROTO(const struct net_device *netdev, u16 vec),
	    TP_ARGS(netdev, vec),
	    TP_STRUCT__entry(__string(dev, netdev->name)
			     __field(u16, vec)),
	    TP_fast_assign(vnic_assign_str(dev, netdev->name);
			   __entry->vec = vec;),
	    TP_printk("dev=%s vec=%u", __get_str(dev), __entry->vec));

TRACE_EVENT(vnic_rx,
	    TP_PROTO(const struct net_device *netdev, u16 qid, u32 len, u8 csum),
	    TP_ARGS(netdev, qid, len, csum),
	    TP_STRUCT__entry(__string(dev, netdev->name)
			     __field(u16, qid)
			     __field(u32, len)
			     __field(u8, csum)),
	    TP_fast_assign(vnic_assign_str(dev, netdev->name);
			   __entry->qid = qid;
			   __entry->len = len;
			   __entry->csum = csum;),
	    TP_printk("dev=%s q=%u len=%u csum=%u", __get_str(dev), __entry->qid,
		      __entry->len, __entry->csum));

/*
 * The events below follow one packet (scripts/journey.sh). They name the
 * net_device in a fixed array and the skb by address, and use no
 * __string(), whose __assign_str() takes a different number of arguments
 * on older kernels.
 */

/* The driver wrote one TX descriptor of @skb at ring slot @idx */
TRACE_EVENT(vnic_tx_desc,
	    TP_PROTO(const struct net_device *netdev, u16 qid, u32 idx, const void *skb,
		     u64 dma, u32 len, u64 ctrl),
	    TP_ARGS(netdev, qid, idx, skb, dma, len, ctrl),
	    TP_STRUCT__entry(__array(char, dev, IFNAMSIZ)
			     __field(u16, qid)
			     __field(u32, idx)
			     __field(const void *, skbaddr)
			     __field(u64, dma)
			     __field(u32, len)
			     __field(u64, ctrl)),
	    TP_fast_assign(memcpy(__entry->dev, netdev->name, IFNAMSIZ);
			   __entry->qid = qid;
			   __entry->idx = idx;
			   __entry->skbaddr = skb;
			   __entry->dma = dma;
			   __entry->len = len;
			   __entry->ctrl = ctrl;),
	    TP_printk("dev=%s q=%u txd=%u skbaddr=%p dma=0x%llx len=%u ctrl=0x%016llx",
		      __entry->dev, __entry->qid, __entry->idx, __entry->skbaddr,
		      __entry->dma, __entry->len, __entry->ctrl));

/* @skb is on the ring and counted by BQL; @kick: the doorbell follows */
TRACE_EVENT(vnic_tx_queued,
	    TP_PROTO(const struct net_device *netdev, u16 qid, const void *skb, u32 next_to_use,
		     u32 inflight, u32 limit, bool kick),
	    TP_ARGS(netdev, qid, skb, next_to_use, inflight, limit, kick),
	    TP_STRUCT__entry(__array(char, dev, IFNAMSIZ)
			     __field(u16, qid)
			     __field(const void *, skbaddr)
			     __field(u32, next_to_use)
			     __field(u32, inflight)
			     __field(u32, limit)
			     __field(bool, kick)),
	    TP_fast_assign(memcpy(__entry->dev, netdev->name, IFNAMSIZ);
			   __entry->qid = qid;
			   __entry->skbaddr = skb;
			   __entry->next_to_use = next_to_use;
			   __entry->inflight = inflight;
			   __entry->limit = limit;
			   __entry->kick = kick;),
	    TP_printk("dev=%s q=%u skbaddr=%p ntu=%u bql_inflight=%u bql_limit=%u kick=%u",
		      __entry->dev, __entry->qid, __entry->skbaddr, __entry->next_to_use,
		      __entry->inflight, __entry->limit, __entry->kick));

/* TX clean freed descriptors up to @next_to_clean and told BQL */
TRACE_EVENT(vnic_tx_clean,
	    TP_PROTO(const struct net_device *netdev, u16 qid, u32 next_to_clean, u32 pkts,
		     u32 bytes, u32 inflight),
	    TP_ARGS(netdev, qid, next_to_clean, pkts, bytes, inflight),
	    TP_STRUCT__entry(__array(char, dev, IFNAMSIZ)
			     __field(u16, qid)
			     __field(u32, next_to_clean)
			     __field(u32, pkts)
			     __field(u32, bytes)
			     __field(u32, inflight)),
	    TP_fast_assign(memcpy(__entry->dev, netdev->name, IFNAMSIZ);
			   __entry->qid = qid;
			   __entry->next_to_clean = next_to_clean;
			   __entry->pkts = pkts;
			   __entry->bytes = bytes;
			   __entry->inflight = inflight;),
	    TP_printk("dev=%s q=%u ntc=%u pkts=%u bytes=%u bql_inflight=%u",
		      __entry->dev, __entry->qid, __entry->next_to_clean, __entry->pkts,
		      __entry->bytes, __entry->inflight));

/* The driver built @skb from an RCQ entry and hands it to GRO */
TRACE_EVENT(vnic_rx_skb,
	    TP_PROTO(const struct net_device *netdev, u16 qid, const void *skb, u32 len,
		     u8 csum, u8 ip_summed, u32 hash),
	    TP_ARGS(netdev, qid, skb, len, csum, ip_summed, hash),
	    TP_STRUCT__entry(__array(char, dev, IFNAMSIZ)
			     __field(u16, qid)
			     __field(const void *, skbaddr)
			     __field(u32, len)
			     __field(u8, csum)
			     __field(u8, ip_summed)
			     __field(u32, hash)),
	    TP_fast_assign(memcpy(__entry->dev, netdev->name, IFNAMSIZ);
			   __entry->qid = qid;
			   __entry->skbaddr = skb;
			   __entry->len = len;
			   __entry->csum = csum;
			   __entry->ip_summed = ip_summed;
			   __entry->hash = hash;),
	    TP_printk("dev=%s q=%u skbaddr=%p len=%u csum=%u ip_summed=%u hash=0x%08x",
		      __entry->dev, __entry->qid, __entry->skbaddr, __entry->len,
		      __entry->csum, __entry->ip_summed, __entry->hash));

/* The engine fetched the @ndesc descriptors of the packet at @first */
TRACE_EVENT(vnic_tx_fetch,
	    TP_PROTO(u32 card, u32 port, u16 qid, u32 first, u32 tail, u32 ndesc, u64 addr,
		     u64 ctrl),
	    TP_ARGS(card, port, qid, first, tail, ndesc, addr, ctrl),
	    TP_STRUCT__entry(__field(u32, card)
			     __field(u32, port)
			     __field(u16, qid)
			     __field(u32, first)
			     __field(u32, tail)
			     __field(u32, ndesc)
			     __field(u64, addr)
			     __field(u64, ctrl)),
	    TP_fast_assign(__entry->card = card;
			   __entry->port = port;
			   __entry->qid = qid;
			   __entry->first = first;
			   __entry->tail = tail;
			   __entry->ndesc = ndesc;
			   __entry->addr = addr;
			   __entry->ctrl = ctrl;),
	    TP_printk("card=%u port=%u q=%u txd=%u tail=%u ndesc=%u addr=0x%llx ctrl=0x%016llx",
		      __entry->card, __entry->port, __entry->qid, __entry->first,
		      __entry->tail, __entry->ndesc, __entry->addr, __entry->ctrl));

/* The engine read the packet's data by DMA into its staging buffer */
TRACE_EVENT(vnic_tx_gather,
	    TP_PROTO(u32 card, u32 port, u16 qid, u32 first, u64 addr, u32 len, u8 status),
	    TP_ARGS(card, port, qid, first, addr, len, status),
	    TP_STRUCT__entry(__field(u32, card)
			     __field(u32, port)
			     __field(u16, qid)
			     __field(u32, first)
			     __field(u64, addr)
			     __field(u32, len)
			     __field(u8, status)),
	    TP_fast_assign(__entry->card = card;
			   __entry->port = port;
			   __entry->qid = qid;
			   __entry->first = first;
			   __entry->addr = addr;
			   __entry->len = len;
			   __entry->status = status;),
	    TP_printk("card=%u port=%u q=%u txd=%u addr=0x%llx len=%u status=%u",
		      __entry->card, __entry->port, __entry->qid, __entry->first,
		      __entry->addr, __entry->len, __entry->status));

/*
 * The engine's TX checksum: @requested (TXD CSUM), the L4 span it summed
 * from @start, and the 16 bits it wrote at @start + @off, as on the wire
 */
TRACE_EVENT(vnic_tx_csum,
	    TP_PROTO(u32 card, u32 port, u16 qid, u32 first, bool requested, u32 start, u32 off,
		     u16 sum, u8 status),
	    TP_ARGS(card, port, qid, first, requested, start, off, sum, status),
	    TP_STRUCT__entry(__field(u32, card)
			     __field(u32, port)
			     __field(u16, qid)
			     __field(u32, first)
			     __field(bool, requested)
			     __field(u32, start)
			     __field(u32, off)
			     __field(u16, sum)
			     __field(u8, status)),
	    TP_fast_assign(__entry->card = card;
			   __entry->port = port;
			   __entry->qid = qid;
			   __entry->first = first;
			   __entry->requested = requested;
			   __entry->start = start;
			   __entry->off = off;
			   __entry->sum = sum;
			   __entry->status = status;),
	    TP_printk("card=%u port=%u q=%u txd=%u requested=%u start=%u off=%u sum=0x%04x status=%u",
		      __entry->card, __entry->port, __entry->qid, __entry->first,
		      __entry->requested, __entry->start, __entry->off, __entry->sum,
		      __entry->status));

/* A frame of @len bytes leaves @port for @dst */
TRACE_EVENT(vnic_wire_tx,
	    TP_PROTO(u32 card, u32 port, u32 dst, u32 len),
	    TP_ARGS(card, port, dst, len),
	    TP_STRUCT__entry(__field(u32, card)
			     __field(u32, port)
			     __field(u32, dst)
			     __field(u32, len)),
	    TP_fast_assign(__entry->card = card;
			   __entry->port = port;
			   __entry->dst = dst;
			   __entry->len = len;),
	    TP_printk("card=%u port=%u dst=%u len=%u", __entry->card, __entry->port,
		      __entry->dst, __entry->len));

/* The receiving MAC's address filter: RX_MODE and the verdict */
TRACE_EVENT(vnic_rx_filter,
	    TP_PROTO(u32 card, u32 port, const u8 *dst, u32 mode, bool pass),
	    TP_ARGS(card, port, dst, mode, pass),
	    TP_STRUCT__entry(__field(u32, card)
			     __field(u32, port)
			     __array(u8, dst, ETH_ALEN)
			     __field(u32, mode)
			     __field(bool, pass)),
	    TP_fast_assign(__entry->card = card;
			   __entry->port = port;
			   memcpy(__entry->dst, dst, ETH_ALEN);
			   __entry->mode = mode;
			   __entry->pass = pass;),
	    TP_printk("card=%u port=%u dst=%pM rx_mode=0x%x pass=%u", __entry->card,
		      __entry->port, __entry->dst, __entry->mode, __entry->pass));

/* The receiving MAC's L4 checksum verdict (VNIC_RCQ_CSUM_*) */
TRACE_EVENT(vnic_rx_csum,
	    TP_PROTO(u32 card, u32 port, u8 proto, u8 verdict),
	    TP_ARGS(card, port, proto, verdict),
	    TP_STRUCT__entry(__field(u32, card)
			     __field(u32, port)
			     __field(u8, proto)
			     __field(u8, verdict)),
	    TP_fast_assign(__entry->card = card;
			   __entry->port = port;
			   __entry->proto = proto;
			   __entry->verdict = verdict;),
	    TP_printk("card=%u port=%u proto=%u verdict=%u", __entry->card, __entry->port,
		      __entry->proto, __entry->verdict));

/* The RX queue the MAC picked: RSS hash (VNIC_RCQ_HASH_* type), steering */
TRACE_EVENT(vnic_rx_rss,
	    TP_PROTO(u32 card, u32 port, bool rss, bool steered, u32 hash, u8 htype, u16 qid),
	    TP_ARGS(card, port, rss, steered, hash, htype, qid),
	    TP_STRUCT__entry(__field(u32, card)
			     __field(u32, port)
			     __field(bool, rss)
			     __field(bool, steered)
			     __field(u32, hash)
			     __field(u8, htype)
			     __field(u16, qid)),
	    TP_fast_assign(__entry->card = card;
			   __entry->port = port;
			   __entry->rss = rss;
			   __entry->steered = steered;
			   __entry->hash = hash;
			   __entry->htype = htype;
			   __entry->qid = qid;),
	    TP_printk("card=%u port=%u rss=%u steered=%u hash=0x%08x htype=%u q=%u",
		      __entry->card, __entry->port, __entry->rss, __entry->steered,
		      __entry->hash, __entry->htype, __entry->qid));

/* The RX DMA wrote @len bytes into the buffer posted at RBR slot @slot */
TRACE_EVENT(vnic_rx_dma,
	    TP_PROTO(u32 card, u32 port, u16 qid, u32 slot, u64 addr, u32 len),
	    TP_ARGS(card, port, qid, slot, addr, len),
	    TP_STRUCT__entry(__field(u32, card)
			     __field(u32, port)
			     __field(u16, qid)
			     __field(u32, slot)
			     __field(u64, addr)
			     __field(u32, len)),
	    TP_fast_assign(__entry->card = card;
			   __entry->port = port;
			   __entry->qid = qid;
			   __entry->slot = slot;
			   __entry->addr = addr;
			   __entry->len = len;),
	    TP_printk("card=%u port=%u q=%u rbr=%u addr=0x%llx len=%u", __entry->card,
		      __entry->port, __entry->qid, __entry->slot, __entry->addr,
		      __entry->len));

/*
 * Interrupt moderation decided, on a completion (@timer false; @rx: RCQ
 * or TXC) or its timer: @fire now, or wait @wait_us (-1: for more frames)
 */
TRACE_EVENT(vnic_itr_decide,
	    TP_PROTO(u32 card, u32 port, u16 vec, bool timer, bool rx, u32 rx_pending,
		     u32 tx_pending, u32 usecs, u32 frames, bool masked, bool fire, s64 wait_us),
	    TP_ARGS(card, port, vec, timer, rx, rx_pending, tx_pending, usecs, frames, masked,
		    fire, wait_us),
	    TP_STRUCT__entry(__field(u32, card)
			     __field(u32, port)
			     __field(u16, vec)
			     __field(bool, timer)
			     __field(bool, rx)
			     __field(u32, rx_pending)
			     __field(u32, tx_pending)
			     __field(u32, usecs)
			     __field(u32, frames)
			     __field(bool, masked)
			     __field(bool, fire)
			     __field(s64, wait_us)),
	    TP_fast_assign(__entry->card = card;
			   __entry->port = port;
			   __entry->vec = vec;
			   __entry->timer = timer;
			   __entry->rx = rx;
			   __entry->rx_pending = rx_pending;
			   __entry->tx_pending = tx_pending;
			   __entry->usecs = usecs;
			   __entry->frames = frames;
			   __entry->masked = masked;
			   __entry->fire = fire;
			   __entry->wait_us = wait_us;),
	    TP_printk("card=%u port=%u vec=%u timer=%u rx=%u rx_pending=%u tx_pending=%u usecs=%u frames=%u masked=%u fire=%u wait_us=%lld",
		      __entry->card, __entry->port, __entry->vec, __entry->timer,
		      __entry->rx, __entry->rx_pending, __entry->tx_pending,
		      __entry->usecs, __entry->frames, __entry->masked, __entry->fire,
		      __entry->wait_us));

#endif /* _VNIC_TRACE_H_ */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE vnic_trace
#include <trace/define_trace.h>
