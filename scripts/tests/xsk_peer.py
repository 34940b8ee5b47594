#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""xsk_peer.py - the AF_XDP test's other end (66-xsk.sh), over a UDP socket.

  xsk_peer.py send ADDR PORT COUNT [--size N] [--start SEQ] [--rate PPS]
        [--pause-at SEQ --pause SECS] [--until FILE]
        send COUNT datagrams to ADDR:PORT (from PORT) with sequence numbers
        START.. in xsk_seq.c's payload layout; --pause-at stops for SECS
        before the datagram with that sequence number (idle periods); --until
        stops early once FILE exists.
  xsk_peer.py recv ADDR PORT COUNT [--timeout S] [--idle S] [--ready FILE]
        bind ADDR:PORT, write the pid into FILE, receive until COUNT distinct sequence numbers came,
        or IDLE seconds without one after the first, or TIMEOUT; check
        every payload.
  xsk_peer.py echo ADDR PORT COUNT [--size N] [--rate PPS] [--timeout S]
        send COUNT datagrams and check the ones that come back (xsk_seq
        fwd on the other end).

Payload: u32 magic "VXSQ", u32 payload length, u64 sequence number (all
big-endian), then byte i = (seq * 7 + i) & 0xff. recv and echo end with
one line "XSK_PEER key=value ..." and exit 1 on a bad, duplicate or
out-of-order datagram, 3 if fewer than COUNT came (--max-lost allows some).
"""
import argparse
import os
import socket
import struct
import sys
import time

MAGIC = 0x56585351
HDR = 16
_patterns = {}


def pattern(seq, size):
    key = (seq * 7) & 0xff
    p = _patterns.get((key, size))
    if p is None:
        p = bytes((key + i) & 0xff for i in range(HDR, size))
        _patterns[(key, size)] = p
    return p


def payload(seq, size):
    return struct.pack("!IIQ", MAGIC, size, seq) + pattern(seq, size)


def check(data):
    """The sequence number of a good payload, or None."""
    if len(data) < HDR:
        return None
    magic, size, seq = struct.unpack_from("!IIQ", data)
    if magic != MAGIC or size != len(data) or data[HDR:] != pattern(seq, size):
        return None
    return seq


class Tally:
    def __init__(self, count, start):
        self.count, self.start = count, start
        self.seen = set()
        self.received = self.dup = self.ooo = self.bad = 0
        self.max = None
        self.t_first = self.t_last = None

    def add(self, data):
        self.received += 1
        seq = check(data)
        if seq is None:
            self.bad += 1
            return
        now = time.monotonic()
        self.t_first = self.t_first or now
        self.t_last = now
        if seq in self.seen:
            self.dup += 1
            return
        if self.max is not None and seq < self.max:
            self.ooo += 1
        self.max = seq if self.max is None else max(self.max, seq)
        self.seen.add(seq)

    def report(self, mode, max_lost):
        lost = max(0, self.count - len(self.seen))
        secs = (self.t_last - self.t_first) if self.t_first else 0
        pps = (len(self.seen) - 1) / secs if secs > 0 else 0
        rc = 1 if self.bad or self.dup or self.ooo else (3 if lost > max_lost else 0)
        print("XSK_PEER mode=%s received=%d unique=%d lost=%d ooo=%d dup=%d bad=%d "
              "first=%s last=%s seconds=%.3f pps=%.0f status=%d" % (
                  mode, self.received, len(self.seen), lost, self.ooo, self.dup,
                  self.bad, min(self.seen) if self.seen else 0, self.max or 0,
                  secs, pps, rc), flush=True)
        return rc


def pace(i, t0, rate):
    if rate:
        ahead = t0 + i / rate - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)


def send(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", a.port))
    t0 = time.monotonic()
    for i in range(a.count):
        if a.until and i % 100 == 0 and os.path.exists(a.until):
            break
        seq = a.start + i
        if a.pause_at is not None and seq == a.pause_at:
            time.sleep(a.pause)
            t0 = time.monotonic() - i / a.rate if a.rate else t0
        pace(i, t0, a.rate)
        while True:
            try:
                s.sendto(payload(seq, a.size), (a.addr, a.port))
                break
            except BlockingIOError:
                time.sleep(0.001)
    return 0


def big_rcvbuf(s):
    """4 MiB of receive buffer: a burst waits there while Python checks
    the datagrams before it. SO_RCVBUF alone stops at net.core.rmem_max
    (208 KiB by default, about 270 small datagrams); as root,
    SO_RCVBUFFORCE passes it."""
    try:
        s.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_RCVBUFFORCE", 33), 4 << 20)
    except PermissionError:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)


def recv(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    big_rcvbuf(s)
    s.bind((a.addr, a.port))
    s.settimeout(0.2)
    if a.ready:
        with open(a.ready, "w") as f:
            f.write("%d\n" % os.getpid())
    t = Tally(a.count, a.start)
    end = time.monotonic() + a.timeout
    while time.monotonic() < end and len(t.seen) < a.count:
        if t.t_last and time.monotonic() - t.t_last > a.idle:
            break
        try:
            t.add(s.recv(65536))
        except socket.timeout:
            pass
    return t.report("recv", a.max_lost)


def echo(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    big_rcvbuf(s)
    s.bind(("0.0.0.0", a.port))
    s.setblocking(False)
    t = Tally(a.count, a.start)
    t0 = time.monotonic()
    i = 0
    while i < a.count:
        pace(i, t0, a.rate)
        try:
            s.sendto(payload(a.start + i, a.size), (a.addr, a.port))
            i += 1
        except BlockingIOError:
            time.sleep(0.001)
        try:
            while True:
                t.add(s.recv(65536))
        except BlockingIOError:
            pass
    s.settimeout(0.2)
    end = time.monotonic() + a.timeout
    while time.monotonic() < end and len(t.seen) < a.count:
        if t.t_last and time.monotonic() - t.t_last > a.idle:
            break
        try:
            t.add(s.recv(65536))
        except socket.timeout:
            pass
    return t.report("echo", a.max_lost)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["send", "recv", "echo"])
    p.add_argument("addr")
    p.add_argument("port", type=int)
    p.add_argument("count", type=int)
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--start", type=int, default=0)
    p.add_argument("--rate", type=float, default=0)
    p.add_argument("--pause-at", type=int)
    p.add_argument("--pause", type=float, default=0)
    p.add_argument("--timeout", type=float, default=30)
    p.add_argument("--idle", type=float, default=3)
    p.add_argument("--max-lost", type=int, default=0)
    p.add_argument("--ready")
    p.add_argument("--until")
    a = p.parse_args()
    if a.size < HDR:
        p.error("--size must be at least %d" % HDR)
    return {"send": send, "recv": recv, "echo": echo}[a.mode](a)


if __name__ == "__main__":
    sys.exit(main())
