#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The two applications of `make journey` (scripts/journey-guest.sh).

  journey-peer.py client icmp|tcp|udp ADDR PORT GOFILE
      Sets up its socket (a TCP connection is made now, before the
      tracing starts), prints "ready PID", waits until GOFILE exists, then
      sends ONE packet with one sendto() and waits for the one reply with
      recvfrom(). Prints "reply ..." and exits 0, or 1 after 10 s.
  journey-peer.py server tcp|udp ADDR PORT PIDFILE
      An echo server: each message comes back with one sendto().

ICMP needs no server: the peer's kernel answers in icmp_rcv(). The ICMP
echo id is 0x4a4e ("JN"), sequence 1; UDP and TCP carry the payload
b"vnic journey".
"""
import os
import socket
import struct
import sys
import time

PAYLOAD = b"vnic journey"
ICMP_ID = 0x4A4E


def inet_csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def client(kind, addr, port, gofile):
    if kind == "icmp":
        sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        body = PAYLOAD.ljust(56, b".")
        hdr = struct.pack("!BBHHH", 8, 0, 0, ICMP_ID, 1)
        msg = struct.pack("!BBHHH", 8, 0, inet_csum(hdr + body), ICMP_ID, 1) + body
        dest = (addr, 0)
    elif kind == "tcp":
        sock = socket.create_connection((addr, port), timeout=10)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        msg, dest = PAYLOAD, None
    elif kind == "udp":
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.connect((addr, port))
        msg, dest = PAYLOAD, None
    else:
        sys.exit(f"journey-peer: unknown packet kind {kind!r} (icmp, tcp or udp)")
    sock.settimeout(10)
    print(f"ready {os.getpid()} {sock.getsockname()[1] if kind != 'icmp' else ICMP_ID}",
          flush=True)
    deadline = time.monotonic() + 60
    while not os.path.exists(gofile):
        if time.monotonic() > deadline:
            sys.exit("journey-peer: never told to go")
        time.sleep(0.05)
    if dest:
        sock.sendto(msg, dest)
    else:
        sock.send(msg)
    end = time.monotonic() + 10
    while time.monotonic() < end:
        try:
            data = sock.recv(2048)
        except socket.timeout:
            break
        if kind != "icmp":
            print(f"reply {len(data)} bytes", flush=True)
            return 0
        ihl = (data[0] & 0xF) * 4
        typ, _, _, ident, seq = struct.unpack("!BBHHH", data[ihl:ihl + 8])
        if typ == 0 and ident == ICMP_ID and seq == 1:
            print(f"reply icmp echo reply id=0x{ident:04x} seq={seq}", flush=True)
            return 0
    print("no reply", flush=True)
    return 1


def server(kind, addr, port, pidfile):
    if kind == "tcp":
        lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lsock.bind((addr, port))
        lsock.listen(1)
    else:
        lsock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        lsock.bind((addr, port))
    with open(pidfile, "w") as f:
        f.write(f"{os.getpid()}\n")
    while True:
        if kind == "udp":
            data, peer = lsock.recvfrom(2048)
            lsock.sendto(data, peer)
            continue
        conn, _ = lsock.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while True:
            data = conn.recv(2048)
            if not data:
                break
            conn.send(data)
        conn.close()


def main():
    if len(sys.argv) != 6 or sys.argv[1] not in ("client", "server"):
        sys.exit(__doc__)
    role, kind, addr, port, path = sys.argv[1:]
    if role == "client":
        return client(kind, addr, int(port), path)
    return server(kind, addr, int(port), path)


if __name__ == "__main__":
    sys.exit(main())
