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

#endif /* _VNIC_TRACE_H_ */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE vnic_trace
#include <trace/define_trace.h>
