#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Helpers of 52-stats.sh.

stats.py snap DEV [NETNS]
    the standard groups of DEV (ethtool --json -S --groups eth-mac
    eth-ctrl rmon), its pause statistics (-I -a) and ethtool -S, read in
    one go, as "group.name value" lines ("pause." and "S." before the
    last two); a histogram bucket as "group.name.LOW-HIGH value".
stats.py loop DEV COUNT PEER NETNS
    send COUNT frames of a local experimental ethertype out of DEV; print
    how many of them DEV received back (internal loopback), and how many
    frames reached the MAC of PEER (in NETNS) meanwhile (its RMON RX
    histogram).
"""
import json
import os
import socket
import subprocess
import sys
import time

ETYPE = 0x88B5
PACKET_OUTGOING = 4


def show(key, v):
    if isinstance(v, dict):
        for k, x in v.items():
            show(key + [k], x)
    elif isinstance(v, list):
        for b in v:
            print("%s.%d-%d %d" % (".".join(key), b["low"], b["high"], b["val"]))
    else:
        print("%s %s" % (".".join(key), v))


def ethtool(netns, *args):
    pre = ["ip", "netns", "exec", netns] if netns else []
    return subprocess.run(pre + ["ethtool"] + list(args), check=True,
                          capture_output=True, text=True).stdout


def rx_frames(dev, netns):
    d = json.loads(ethtool(netns, "--json", "-S", dev, "--groups", "rmon"))[0]
    return sum(b["val"] for b in d["rmon"]["rx-pktsNtoM"])


def snap(dev, netns):

    for d in json.loads(ethtool(netns, "--json", "-S", dev, "--groups", "eth-mac",
                                "eth-ctrl", "rmon")):
        show([], d)
    for d in json.loads(ethtool(netns, "--json", "-I", "-a", dev)):
        show(["pause"], d)
    for line in ethtool(netns, "-S", dev).splitlines():
        name, sep, v = line.partition(":")
        if sep and v.strip().isdigit():
            print("S.%s %s" % (name.strip(), v.strip()))


def loop(dev, count, peer, netns):
    peer_rx = rx_frames(peer, netns)
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
    print(len(seen), rx_frames(peer, netns) - peer_rx)


if __name__ == "__main__":
    if sys.argv[1] == "snap":
        snap(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    elif sys.argv[1] == "loop":
        loop(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5])
    else:
        sys.exit("usage: stats.py snap DEV [NETNS] | loop DEV COUNT PEER NETNS")
