#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""rxmem.py - what received datagrams cost a socket (25-rxmem.sh).

  rxmem.py recv ADDR PORT READYFILE DONEFILE   bind a UDP socket with the
        default buffers, touch READYFILE, wait for DONEFILE (the sender has
        finished) and until datagrams stop coming, then
        print "queued N rmem BYTES truesize BYTES/N" (from SO_MEMINFO, before
        reading anything) and drain it: "received N".
  rxmem.py send ADDR PORT COUNT SIZE  send COUNT datagrams of SIZE bytes of
        payload as one burst.

Addresses are the test's own (198.18.0.0/15, 2001:db8::/32).
"""
import os
import socket
import struct
import sys
import time

SO_MEMINFO = 55  # include/uapi/asm-generic/socket.h
SK_MEMINFO_VARS = 9


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def rmem(sock):
    raw = sock.getsockopt(socket.SOL_SOCKET, SO_MEMINFO, 4 * SK_MEMINFO_VARS)
    return struct.unpack("%dI" % SK_MEMINFO_VARS, raw)[0]  # SK_MEMINFO_RMEM_ALLOC


def recv(addr, port, ready, done):
    sock = socket.socket(family(addr), socket.SOCK_DGRAM)
    sock.bind((addr, int(port)))
    with open(ready, "w"):
        pass
    # The sender is done when DONEFILE exists; then let the last
    # datagrams land: the queue stops growing for half a second.
    start = time.time()
    while not os.path.exists(done) and time.time() < start + 120:
        time.sleep(0.1)
    last, still = -1, 0.0
    while still < 0.5 and time.time() < start + 150:
        time.sleep(0.1)
        now = rmem(sock)
        still = still + 0.1 if now == last else 0.0
        last = now
    total = rmem(sock)
    sock.setblocking(False)
    n = 0
    while True:
        try:
            sock.recv(65536)
        except BlockingIOError:
            break
        n += 1
    print("queued %d rmem %d truesize %d" % (n, total, total // n if n else 0))
    print("received %d" % n)


def send(addr, port, count, size):
    sock = socket.socket(family(addr), socket.SOCK_DGRAM)
    payload = bytes(int(size))
    for _ in range(int(count)):
        sock.sendto(payload, (addr, int(port)))


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "recv":
        recv(*sys.argv[2:])
    elif len(sys.argv) == 6 and sys.argv[1] == "send":
        send(*sys.argv[2:])
    else:
        sys.exit(__doc__)
    sys.exit(os.EX_OK)
