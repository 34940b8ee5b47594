#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Helpers of 52-stats.sh.

stats.py flat < JSON
    ethtool --json output (-S --groups ..., -a) as "group.name value"
    lines; a histogram bucket as "group.name.LOW-HIGH value".
stats.py loop DEV COUNT
    send COUNT frames of a local experimental ethertype out of DEV and
    print how many of them DEV received back (internal loopback).
"""
import json
import os
import socket
import sys
import time

ETYPE = 0x88B5
PACKET_OUTGOING = 4


def flat():
    for dev in json.load(sys.stdin):
        for group, val in dev.items():
            if isinstance(val, dict):
                items = val.items()
            else:
                items = [(group, val)]
                group = "pause"
            for name, v in items:
                if isinstance(v, list):
                    for b in v:
                        print("%s.%s.%d-%d %d" % (group, name, b["low"], b["high"], b["val"]))
                elif isinstance(v, dict):
                    for k, x in v.items():
                        print("%s.%s.%s %s" % (group, name, k, x))
                else:
                    print("%s.%s %s" % (group, name, v))


def loop(dev, count):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETYPE))
    s.bind((dev, ETYPE))
    mac = s.getsockname()[4]
    tag = os.urandom(8)
    for i in range(count):
        frame = b"\xff" * 6 + mac + ETYPE.to_bytes(2, "big") + tag + i.to_bytes(4, "big")
        s.send(frame + bytes(100 - len(frame)))
    seen = set()
    s.settimeout(0.2)
    end = time.monotonic() + 3
    while len(seen) < count and time.monotonic() < end:
        try:
            data, addr = s.recvfrom(2048)
        except socket.timeout:
            continue
        if addr[2] != PACKET_OUTGOING and data[14:22] == tag:
            seen.add(data[22:26])
    print(len(seen))


if __name__ == "__main__":
    if sys.argv[1] == "flat":
        flat()
    elif sys.argv[1] == "loop":
        loop(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit("usage: stats.py flat | loop DEV COUNT")
