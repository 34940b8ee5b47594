#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Format the trace of `make journey` as one packet's timeline.

  journey.py DIR

DIR holds trace.txt (a tracefs instance's `trace`, trace_clock mono,
hash-ptr off) and meta.txt, written by scripts/journey-guest.sh. The
trace holds everything the enabled events saw during the run; this picks
out the one packet and its reply by following a chain: the client's
sendto(), the first skb that client queues on vnic0, that skb's events
(by address) down to the descriptor and its ring slot, the card's events
for that slot and port, the RX queue and RBR slot the receiving MAC chose,
the skb the driver built from that RCQ entry, and so on back. Each step is
searched for after the step it follows from, so a reused skb address or
another packet is not taken for ours.

Writes the timeline on stdout, DIR/journey.svg (the same steps as a
sequence diagram) and DIR/steps.tsv (direction, step, time in
µs, CPU, context: what the e2e test checks). Standard library only.
"""
import os
import re
import sys

LINE = re.compile(r"^\s*(?P<comm>.+?)-(?P<pid>\d+)\s+\[(?P<cpu>\d+)\]\s+(?P<flags>\S+)\s+"
                  r"(?P<ts>\d+\.\d+):\s+(?P<ev>[A-Za-z_0-9]+)(?::|\(| ->)\s*(?P<rest>.*)$")
FIELD = re.compile(r"([A-Za-z_]+)[=:]\s?([^\s,)]+)")

# What each step is, for the glossary under the timeline.
EXPLAIN = {
    "send syscall": "the application hands its data to the kernel: sendto(2)",
    "IP output": "IP has built the packet and routed it; ip_output() sends it on",
    "neighbour": "ip_finish_output2() finds the next hop's MAC in the neighbour table "
                 "(ARP) and writes the Ethernet header",
    "dev_queue_xmit": "the packet, now with its Ethernet header, is handed to the device "
                      "layer, which picks the TX queue",
    "qdisc enqueue": "the queueing discipline of the chosen TX queue takes the skb",
    "qdisc dequeue": "the qdisc gives it back to be sent (here at once: the queue is idle)",
    "ndo_start_xmit": "the stack calls the driver's transmit function with the skb",
    "descriptor written": "the driver maps the data for DMA and writes a TX descriptor "
                          "(DMA address, length, flags) into the ring in memory",
    "BQL queued": "byte queue limits count the bytes now in flight on this queue",
    "doorbell": "the driver writes the ring's new tail to a card register (MMIO)",
    "xmit returned": "the driver returned NETDEV_TX_OK; the card owns the packet now",
    "engine fetch": "the card's TX engine reads the descriptor(s) by DMA",
    "data DMA": "the engine reads the packet's bytes from host memory by DMA",
    "checksum": "the card fills in the L4 checksum if the descriptor asked (TCP/UDP "
                "with CHECKSUM_PARTIAL); ICMP's was computed by the stack",
    "wire": "the frame leaves the port for the peer port over the simulated cable",
    "MAC filter": "the receiving MAC compares the destination address with its own "
                  "(RX_MODE: broadcast/multicast/promiscuous bits)",
    "RX checksum": "the receiving MAC verifies the TCP/UDP checksum (0 none, 1 good, 2 bad)",
    "RSS": "the Toeplitz hash over addresses (and ports) picks the RX queue through "
           "the indirection table",
    "RX DMA": "the card writes the frame into the next buffer the driver posted (RBR)",
    "RCQ entry": "the card writes a completion: length, buffer, checksum verdict, hash",
    "moderation": "interrupt moderation decides: fire now, or wait for more frames/usecs",
    "moderation timer": "the moderation timer expired and the vector fires",
    "NAPI running": "the vector is masked while its NAPI poll runs: that poll takes the "
                    "completion, and no interrupt is raised for it",
    "IRQ raised": "the card raises the queue pair's MSI-X-like vector",
    "IRQ taken": "the CPU runs the driver's hard-IRQ handler, which schedules NAPI",
    "driver: vector": "the handler masks the vector and schedules NAPI",
    "NAPI: skb built": "in NAPI's softirq the driver reads the RCQ entry and builds an skb "
                       "around the buffer",
    "GRO": "napi_gro_receive(): GRO tries to merge the skb with others of its flow",
    "NAPI poll done": "the driver's poll returns: work done out of the budget",
    "netif_receive_skb": "the skb enters the core network stack (taps, then the protocol)",
    "ip_rcv": "IP checks the header (ip_rcv_core) and routes the packet",
    "ip_local_deliver": "the packet is for this host: hand it to the L4 protocol",
    "icmp_rcv": "ICMP takes it; for an echo request it builds the echo reply at once",
    "tcp_v4_rcv": "TCP takes the segment and queues its data on the socket",
    "udp_rcv": "UDP takes the datagram and queues it on the socket",
    "recv returns": "the application's recvfrom(2) returns the reply",
    "TX completion": "the card writes a TXC entry: the descriptors up to HEAD are done",
    "TX clean + BQL": "NAPI frees the descriptors and tells BQL the bytes completed",
    "skb freed": "the transmitted skb is freed (consume_skb)",
}

FUNC = {
    "sys_sendto": "sendto", "ip_output": "ip_output", "ip_finish_output2": "ip_finish_output2",
    "net_dev_queue": "__dev_queue_xmit", "qdisc_enqueue": "dev_qdisc_enqueue",
    "qdisc_dequeue": "dequeue_skb", "net_dev_start_xmit": "xmit_one",
    "vnic_tx_desc": "vnic_xmit_frame", "vnic_tx_queued": "vnic_xmit_frame",
    "vnic_doorbell": "vnic_xmit_frame", "net_dev_xmit": "xmit_one",
    "vnic_tx_fetch": "vnic_card_txq_fetch", "vnic_tx_gather": "vnic_card_txq_gather",
    "vnic_tx_csum": "vnic_card_tx_csum", "vnic_wire_tx": "vnic_card_wire_send",
    "vnic_rx_filter": "vnic_card_mac_rx", "vnic_rx_csum": "vnic_card_rx_csum_pkt",
    "vnic_rx_rss": "vnic_card_rx_pick_queue", "vnic_rx_dma": "vnic_card_rxq_write",
    "vnic_cmpl_write": "vnic_card_rxq_write_cmpl", "vnic_itr_decide": "vnic_card_vec_complete",
    "vnic_irq_raise": "vnic_card_vec_apply", "irq_handler_entry": "handle_irq_event",
    "vnic_irq": "vnic_queue_intr", "vnic_rx_skb": "vnic_deliver_rx_skb",
    "napi_gro_receive_entry": "napi_gro_receive", "vnic_napi_poll": "vnic_poll",
    "napi_poll": "__napi_poll", "netif_receive_skb": "__netif_receive_skb_core",
    "ip_rcv_core": "ip_rcv_core", "ip_local_deliver": "ip_local_deliver",
    "icmp_rcv": "icmp_rcv", "tcp_v4_rcv": "tcp_v4_rcv", "udp_rcv": "udp_rcv",
    "sys_recvfrom": "recvfrom", "vnic_engine_dma": "vnic_card_txq_xmit_one",
    "vnic_tx_clean": "vnic_clean_tx", "consume_skb": "napi_consume_skb",
    "kfree_skb": "kfree_skb",
}

CSUM = {0: "none", 1: "good", 2: "bad", 3: "partial"}
HTYPE = {0: "none", 1: "L3", 2: "L4"}


class Ev:
    def __init__(self, idx, m):
        self.idx = idx
        self.comm = m["comm"].strip()
        self.pid = int(m["pid"])
        self.cpu = int(m["cpu"])
        self.flags = m["flags"]
        self.ts = float(m["ts"])
        self.ev = m["ev"]
        self.rest = m["rest"]
        self.f = dict(FIELD.findall(m["rest"]))

    def num(self, key):
        v = self.f.get(key, "-1")
        if self.ev.startswith("sys_"):
            return int(v, 16)
        try:
            return int(v, 0)
        except ValueError:
            try:
                return int(v, 16)
            except ValueError:
                return -1

    def skb(self):
        v = self.f.get("skbaddr")
        if v is None:
            return None
        return int(v, 16)

    def ctx(self):
        if self.ev.startswith("vnic_") and "card=" in self.rest:
            return "card"
        c = self.flags[2] if len(self.flags) > 2 else "."
        if c in "hH":
            return "hardirq"
        if c in "sS":
            return "softirq"
        if self.ev.startswith("sys_"):
            return "app"
        return "process"


def load(d):
    evs = []
    with open(os.path.join(d, "trace.txt"), errors="replace") as f:
        for line in f:
            if line.startswith("#"):
                continue
            m = LINE.match(line)
            if m:
                evs.append(Ev(len(evs), m))
    meta = {}
    with open(os.path.join(d, "meta.txt")) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition(" ")
            meta[k] = v
    return evs, meta


class Journey:
    def __init__(self, evs, meta):
        self.evs = evs
        self.meta = meta
        self.steps = []          # (ev, dir, step, state)
        self.missing = []

    def find(self, start, pred, name=None, need=True):
        if start is None:
            return None
        for e in self.evs[start:]:
            if pred(e):
                return e
        if need and name:
            self.missing.append(name)
        return None

    def add(self, e, d, step, state):
        """Record step for event e (if found); state may be a function of e."""
        if e is not None:
            self.steps.append((e, d, step, state(e) if callable(state) else state))
        return e

    def after(self, e):
        return None if e is None else e.idx + 1

    def trip(self, d, tx_dev, rx_dev, tx_port, rx_port, anchor, sender_pid, l4):
        """One packet from tx_dev to rx_dev; returns the L4 receive event."""
        q = self.find(self.after(anchor), lambda e: e.ev == "net_dev_queue" and
                      e.f.get("dev") == tx_dev and
                      (sender_pid is None or e.pid == sender_pid) and
                      (sender_pid is None or e.ctx() == "process"), d + " net_dev_queue")
        if q is None:
            return None
        s = q.skb()
        is_s = lambda n: (lambda e: e.ev == n and e.skb() == s)
        start = self.after(anchor)
        self.add(self.find(start, is_s("ip_output"), d + " ip_output"), d, "IP output",
                 f"skb={s:#x}")
        self.add(self.find(start, is_s("ip_finish_output2"), d + " neighbour"), d,
                     "neighbour", "next hop " + self.meta.get(
                         "neigh_src" if tx_dev == "vnic0" else "neigh_dst", "?").strip())
        self.add(q, d, "dev_queue_xmit", f"dev={tx_dev} len={q.num('len')}")
        qd = self.meta.get("qdisc", "").split(";")
        qd = qd[1].split()[1] if len(qd) > 1 and len(qd[1].split()) > 1 else "?"
        self.add(self.find(q.idx, is_s("qdisc_enqueue"), d + " qdisc enqueue"), d,
                 "qdisc enqueue", f"dev={tx_dev} len={q.num('len')} qdisc={qd} (under mq)")
        self.add(self.find(q.idx, is_s("qdisc_dequeue"), d + " qdisc dequeue"), d,
                 "qdisc dequeue",
                 lambda e: f"txq_state={e.f.get('txq_state')} packets={e.num('packets')}")
        self.add(self.find(q.idx, is_s("net_dev_start_xmit"), d + " ndo_start_xmit"),
                 d, "ndo_start_xmit",
                 lambda e: f"queue={e.num('queue_mapping')} len={e.num('len')} "
                           f"ip_summed={e.num('ip_summed')} gso_size={e.num('gso_size')}")
        desc = self.find(q.idx, lambda e: e.ev == "vnic_tx_desc" and e.skb() == s,
                         d + " descriptor written")
        if desc is None:
            return None
        txq, txd = desc.num("q"), desc.num("txd")
        self.add(desc, d, "descriptor written",
                 f"q={txq} txd[{txd}] dma={desc.f['dma']} len={desc.num('len')} "
                 f"ctrl={desc.f['ctrl']}")
        self.add(self.find(desc.idx, is_s("vnic_tx_queued"), d + " BQL queued"), d,
                 "BQL queued",
                 lambda e: f"bql_inflight={e.num('bql_inflight')}B "
                           f"limit={e.num('bql_limit')}B ntu={e.num('ntu')}")
        db = self.find(desc.idx, lambda e: e.ev == "vnic_doorbell" and
                       e.f.get("dev") == tx_dev and e.num("q") == txq and
                       e.f.get("ring") == "txd", d + " doorbell")
        self.add(db, d, "doorbell", "" if db is None else
                 f"TXD_TAIL(q{txq}) <- {db.num('tail')}")
        xr = self.find(desc.idx, is_s("net_dev_xmit"))
        self.add(xr, d, "xmit returned", "" if xr is None else f"rc={xr.num('rc')}")

        card = lambda n, port: (lambda e: e.ev == n and e.num("port") == port and
                                e.num("q") == txq and e.num("txd") == txd)
        fe = self.find(self.after(db), card("vnic_tx_fetch", tx_port), d + " engine fetch")
        if fe is None:
            return None
        self.add(fe, d, "engine fetch", f"port={tx_port} q={txq} txd[{txd}] "
                 f"ndesc={fe.num('ndesc')} tail={fe.num('tail')} addr={fe.f['addr']}")
        ga = self.find(fe.idx, card("vnic_tx_gather", tx_port), d + " data DMA")
        self.add(ga, d, "data DMA", "" if ga is None else
                 f"read {ga.num('len')}B from {ga.f['addr']} status={ga.num('status')}")
        cs = self.find(fe.idx, card("vnic_tx_csum", tx_port), d + " checksum")
        if cs is not None:
            st = (f"offload: L4 from byte {cs.num('start')}, sum 0x{cs.num('sum'):04x} "
                  f"written at +{cs.num('off')}") if cs.num("requested") == 1 else \
                "not requested (ip_summed=0: the stack computed it)"
            self.add(cs, d, "checksum", st)
        wi = self.find(fe.idx, lambda e: e.ev == "vnic_wire_tx" and
                       e.num("port") == tx_port and e.cpu == fe.cpu, d + " wire")
        if wi is None:
            return None
        self.add(wi, d, "wire", f"port {tx_port} -> port {wi.num('dst')}, "
                 f"{wi.num('len')}B frame")
        same = lambda n: (lambda e: e.ev == n and e.num("port") == rx_port and
                          e.cpu == wi.cpu)
        fi = self.find(wi.idx, same("vnic_rx_filter"), d + " MAC filter")
        if fi is not None:
            self.add(fi, d, "MAC filter", f"dst={fi.f.get('dst')} rx_mode={fi.f.get('rx_mode')}"
                     f" -> {'pass' if fi.num('pass') == 1 else 'DROP'}")
        rc = self.find(wi.idx, same("vnic_rx_csum"), d + " RX checksum")
        if rc is not None:
            self.add(rc, d, "RX checksum", f"proto={rc.num('proto')} verdict="
                     f"{CSUM.get(rc.num('verdict'), '?')}")
        rs = self.find(wi.idx, same("vnic_rx_rss"), d + " RSS")
        if rs is None:
            return None
        rxq = rs.num("q")
        self.add(rs, d, "RSS", f"hash={rs.f['hash']} ({HTYPE.get(rs.num('htype'), '?')}) "
                 f"-> RX queue {rxq}" + (" (steering rule)" if rs.num("steered") == 1 else ""))
        dm = self.find(rs.idx, lambda e: e.ev == "vnic_rx_dma" and e.num("port") == rx_port
                       and e.num("q") == rxq, d + " RX DMA")
        if dm is None:
            return None
        slot = dm.num("rbr")
        self.add(dm, d, "RX DMA", f"q={rxq} rbr[{slot}] addr={dm.f['addr']} "
                 f"wrote {dm.num('len')}B")
        rq = self.find(dm.idx, lambda e: e.ev == "vnic_cmpl_write" and
                       e.num("port") == rx_port and e.num("q") == rxq and
                       e.f.get("ring") == "rcq" and e.num("idx") == slot, d + " RCQ entry")
        self.add(rq, d, "RCQ entry", "" if rq is None else
                 f"rcq[{slot}] len={rq.num('len')} status={rq.num('status')}")
        irq_done = self.interrupt(d, rq, rx_port, rx_dev, rxq, True)
        # The frame's own skb: the first on its queue, of its length, after
        # its RCQ entry (a poll may take it before, or without, an interrupt).
        sk = self.find(self.after(rq or irq_done), lambda e: e.ev == "vnic_rx_skb" and
                       e.f.get("dev") == rx_dev and e.num("q") == rxq and
                       (rq is None or e.num("len") == rq.num("len")), d + " skb built")
        if sk is None:
            return None
        r = sk.skb()
        self.add(sk, d, "NAPI: skb built", f"skb={r:#x} len={sk.num('len')} "
                 f"csum={CSUM.get(sk.num('csum'), '?')} ip_summed={sk.num('ip_summed')} "
                 f"hash={sk.f.get('hash')}")
        is_r = lambda n: (lambda e: e.ev == n and e.skb() == r)
        g = self.find(sk.idx, is_r("napi_gro_receive_entry"), d + " GRO")
        self.add(g, d, "GRO", "" if g is None else
                 f"napi_id={g.f.get('napi_id')} len={g.num('len')} (after the MAC header)")
        np = self.find(sk.idx, lambda e: e.ev == "vnic_napi_poll" and
                       e.f.get("dev") == rx_dev and e.num("q") == rxq, d + " NAPI poll")
        self.add(np, d, "NAPI poll done", "" if np is None else
                 f"q={rxq} budget={np.num('budget')} rx_done={np.num('rx')} "
                 f"tx_done={np.num('tx')}")
        nr = self.find(sk.idx, is_r("netif_receive_skb"), d + " netif_receive_skb")
        self.add(nr, d, "netif_receive_skb", "" if nr is None else f"len={nr.num('len')}")
        ip = self.find(sk.idx, is_r("ip_rcv_core"), d + " ip_rcv")
        self.add(ip, d, "ip_rcv", "header checked" if ip else "")
        ld = self.find(sk.idx, is_r("ip_local_deliver"), d + " ip_local_deliver")
        self.add(ld, d, "ip_local_deliver", "local destination" if ld else "")
        lr = self.find(sk.idx, is_r(l4), d + " " + l4)
        self.add(lr, d, l4, "")
        self.completion(d, wi, tx_dev, tx_port, txq, s)
        return lr

    def interrupt(self, d, cmpl, port, dev, q, rx):
        """Moderation, raise, handler for a completion; returns the last event."""
        if cmpl is None:
            return None
        md = self.find(cmpl.idx, lambda e: e.ev == "vnic_itr_decide" and
                       e.num("port") == port and e.num("rx") == (1 if rx else 0) and
                       e.num("timer") == 0, d + " moderation")
        if md is None:
            return None
        vec = md.num("vec")
        wait = md.num("wait_us")
        self.add(md, d, "moderation",
                 f"vec={vec} usecs={md.num('usecs')} frames={md.num('frames')} "
                 f"masked={md.num('masked')} -> " +
                 ("fire now" if md.num("fire") == 1 else
                  f"wait {wait}us" if wait >= 0 else "wait for more frames"))
        last = md
        if md.num("fire") != 1 and md.num("masked") == 1:
            # The vector is masked while its NAPI poll runs: that poll takes
            # this completion, with no interrupt of its own.
            self.add(md, d, "NAPI running", f"vec={vec} masked: the poll running now takes it")
            return md
        if md.num("fire") != 1:
            tm = self.find(md.idx, lambda e: e.ev == "vnic_itr_decide" and
                           e.num("port") == port and e.num("vec") == vec and
                           e.num("fire") == 1, d + " moderation timer")
            last = self.add(tm, d, "moderation timer", f"vec={vec} fires") or md
        ra = self.find(last.idx, lambda e: e.ev == "vnic_irq_raise" and
                       e.num("port") == port and e.num("vec") == vec, d + " IRQ raised")
        if ra is None:
            return None
        self.add(ra, d, "IRQ raised", f"vec={vec} covers {ra.num('frames')} completion(s)")
        name = f"{dev}-TxRx-{q}"
        ih = self.find(ra.idx, lambda e: e.ev == "irq_handler_entry" and
                       e.f.get("name") == name, d + " IRQ taken")
        self.add(ih, d, "IRQ taken", "" if ih is None else f"irq={ih.num('irq')} {name}")
        return ih

    def completion(self, d, wire, dev, port, txq, s):
        en = self.find(wire.idx, lambda e: e.ev == "vnic_engine_dma" and
                       e.num("port") == port and e.num("q") == txq, d + " TX done")
        if en is None:
            return
        tc = self.find(en.idx, lambda e: e.ev == "vnic_cmpl_write" and e.num("port") == port
                       and e.num("q") == txq and e.f.get("ring") == "txc", d + " TX completion")
        if tc is None:
            return
        self.add(tc, d, "TX completion", f"txc[{tc.num('idx')}] status={tc.num('status')} "
                 f"(frame {en.num('len')}B)")
        ih = self.interrupt(d + "/txc", tc, port, dev, txq, False)
        fr = self.find(self.after(ih), lambda e: e.ev in ("consume_skb", "kfree_skb") and
                       e.skb() == s, d + " skb freed")
        if fr is not None:
            self.add(fr, d, "skb freed", f"skb={s:#x}")
        cl = self.find(self.after(ih), lambda e: e.ev == "vnic_tx_clean" and
                       e.f.get("dev") == dev and e.num("q") == txq, d + " TX clean")
        if cl is not None:
            self.add(cl, d, "TX clean + BQL", f"q={txq} ntc={cl.num('ntc')} "
                     f"completed {cl.num('pkts')} pkt/{cl.num('bytes')}B, "
                     f"bql_inflight={cl.num('bql_inflight')}B")

    def run(self):
        m = self.meta
        pkt = m.get("pkt", "icmp")
        cpid, spid = int(m.get("client_pid", 0)), int(m.get("server_pid", 0))
        l4 = {"icmp": "icmp_rcv", "tcp": "tcp_v4_rcv", "udp": "udp_rcv"}[pkt]
        send = self.find(0, lambda e: e.ev == "sys_sendto" and e.pid == cpid, "send syscall")
        if send is None:
            return None
        self.add(send, "->", "send syscall", f"{send.comm} pid={cpid} len={send.num('len')}")
        got = self.trip("->", "vnic0", "vnic1", 0, 1, send, cpid, l4)
        if got is None:
            return send
        if pkt == "icmp":
            anchor, pid = got, None
        else:
            anchor = self.find(got.idx, lambda e: e.ev == "sys_sendto" and e.pid == spid,
                               "<- send syscall")
            if anchor is None:
                return send
            self.add(anchor, "<-", "send syscall", f"{anchor.comm} pid={spid} echo server "
                     f"len={anchor.num('len')}")
            pid = spid
        back = self.trip("<-", "vnic1", "vnic0", 1, 0, anchor, pid, l4)
        if back is not None:
            rv = self.find(back.idx, lambda e: e.ev == "sys_recvfrom" and e.pid == cpid,
                           "recv returns")
            self.add(rv, "<-", "recv returns", "" if rv is None else
                     f"{rv.comm} pid={cpid} got {int(rv.rest.split()[-1], 0)}B")
        return send

# The picture: one column a party at each end, the wire between them.
COLS = ["app", "stack", "qdisc", "driver", "card"]
COLUMN = {
    "send syscall": "app", "recv returns": "app",
    "IP output": "stack", "neighbour": "stack", "dev_queue_xmit": "stack",
    "GRO": "stack", "netif_receive_skb": "stack", "ip_rcv": "stack",
    "ip_local_deliver": "stack", "icmp_rcv": "stack", "tcp_v4_rcv": "stack",
    "udp_rcv": "stack", "qdisc enqueue": "qdisc", "qdisc dequeue": "qdisc",
    "wire": "wire",
}
CARD = {"engine fetch", "data DMA", "checksum", "MAC filter", "RX checksum", "RSS",
        "RX DMA", "RCQ entry", "moderation", "moderation timer", "NAPI running", "IRQ raised",
        "TX completion"}
DONE = {"TX completion", "skb freed", "TX clean + BQL"}


def esc(t):
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def picture(path, rows, title):
    """rows: (t_us, dir, step) in time order. A sequence diagram as SVG."""
    names = [f"{c} (vnic0)" for c in COLS] + ["wire"] + \
            [f"{c} (vnic1)" for c in reversed(COLS)]
    colw, top, rowh = 118, 70, 17
    width, height = colw * len(names) + 240, top + rowh * (len(rows) + 1) + 20
    x = lambda i: 60 + colw * i
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="monospace" font-size="10">',
           '<defs><marker id="a" markerWidth="8" markerHeight="6" refX="8" refY="3" '
           'orient="auto"><path d="M0,0 L8,3 L0,6 z" fill="context-stroke"/></marker>'
           '</defs>',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="10" y="18" font-size="13">{esc(title)}</text>',
           '<text x="10" y="34">blue: request (vnic0 to vnic1), green: reply, grey: '
           'TX completion of each; label: time in us since the send, step</text>']
    for i, n in enumerate(names):
        out.append(f'<text x="{x(i)}" y="{top - 10}" text-anchor="middle" '
                   f'font-weight="bold">{esc(n)}</text>')
        out.append(f'<line x1="{x(i)}" y1="{top - 4}" x2="{x(i)}" y2="{height - 10}" '
                   f'stroke="#ccc"/>')
    last, wire_at = {}, {}
    for r, (t, dr, step) in enumerate(rows):
        base = dr.split("/")[0]
        req = base == "->"
        sender, crossed = (0, 1) if req else (1, 0)
        done = step in DONE or "/" in dr
        col = COLUMN.get(step, "card" if step in CARD else "driver")
        if col == "wire":
            i = len(COLS)
        else:
            end = sender if done or base not in wire_at else crossed
            if step in ("send syscall", "IP output", "neighbour", "dev_queue_xmit") or \
                    (step in ("qdisc enqueue", "qdisc dequeue", "ndo_start_xmit",
                              "descriptor written", "BQL queued", "doorbell",
                              "xmit returned", "engine fetch", "data DMA", "checksum")):
                end = sender
            k = COLS.index(col)
            i = k if end == 0 else len(names) - 1 - k
        y = top + rowh * (r + 1)
        color = "#888" if done else ("#1f5fbf" if req else "#1f8f3f")
        chain = base + ("c" if done else "")
        prev = last.get(chain)
        if prev is None and done:
            prev = wire_at.get(base)
        if prev is not None:
            out.append(f'<line x1="{prev[0]}" y1="{prev[1]}" x2="{x(i)}" y2="{y}" '
                       f'stroke="{color}" marker-end="url(#a)"/>')
        out.append(f'<circle cx="{x(i)}" cy="{y}" r="2.5" fill="{color}"/>')
        out.append(f'<text x="{x(i) + 6}" y="{y + 3}" fill="{color}">'
                   f'{t} {esc(step)}</text>')
        last[chain] = (x(i), y)
        if step == "wire":
            wire_at[base] = (x(i), y)
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")



def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    d = sys.argv[1]
    evs, meta = load(d)
    j = Journey(evs, meta)
    send = j.run()
    if send is None:
        sys.exit("journey: the trace has no sendto() by the client; nothing to follow")
    t0 = send.ts
    steps = sorted(j.steps, key=lambda s: (s[0].ts, s[0].idx))
    pkt = meta.get("pkt", "icmp")
    what = {"icmp": "one ICMP echo request (id 0x4a4e, seq 1) and the echo reply",
            "tcp": f"one TCP segment (port {meta.get('client_port')} -> "
                   f"{meta.get('server_port')}) and the echoed segment",
            "udp": f"one UDP datagram (port {meta.get('client_port')} -> "
                   f"{meta.get('server_port')}) and the echoed datagram"}[pkt]
    print(f"vnic journey: {what}")
    print(f"  -> request  vnic0 {meta.get('src', '').split()[1:2]} to vnic1 (netns ns1) "
          f"{meta.get('dst', '').split()[1:2]}".replace("['", "").replace("']", ""))
    print("  <- reply    back the same way;  /txc: that packet's TX completion")
    print()
    hdr = f"{'t(us)':>9} {'cpu':>3} {'context':<8} {'dir':<6} {'step':<19} " \
          f"{'function':<26} state"
    print(hdr)
    print("-" * len(hdr))
    rows = []
    for e, dr, step, state in steps:
        t = (e.ts - t0) * 1e6
        fn = FUNC.get(e.ev, e.ev)
        if e.ev == "vnic_cmpl_write" and e.f.get("ring") == "txc":
            fn = "vnic_card_txq_write_cmpl"
        if e.ev == "vnic_itr_decide" and e.num("timer") == 1:
            fn = "vnic_card_vec_timer"
        print(f"{t:9.0f} {e.cpu:>3} {e.ctx():<8} {dr:<6} {step:<19} {fn:<26} {state}")
        rows.append(f"{dr}\t{step}\t{t:.0f}\t{e.cpu}\t{e.ctx()}")
    print()
    print("Steps (context: app = the application's system call, process = kernel code "
          "on its behalf,")
    print("softirq / hardirq = interrupt contexts, card = the simulated card's engine):")
    seen = set()
    for _, _, step, _ in steps:
        if step not in seen and step in EXPLAIN:
            seen.add(step)
            print(f"  {step:<19} {EXPLAIN[step]}")
    if j.missing:
        print()
        print("not found in the trace: " + ", ".join(j.missing))
    with open(os.path.join(d, "steps.tsv"), "w") as f:
        f.write("\n".join(rows) + "\n")
    pic = os.path.join(d, "journey.svg")
    picture(pic, [(round((e.ts - t0) * 1e6), dr, step) for e, dr, step, _ in steps], what)
    print()
    print("picture: journey.svg next to timeline.txt (an SVG sequence diagram of the same steps)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
