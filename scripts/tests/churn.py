#!/usr/bin/python3
"""churn.py DEV SECONDS SEED - reconfigure DEV as fast as the kernel allows.

Each round picks one change at random and makes it with the ioctl that
ethtool or ip would use, without starting a process per change:
  ETHTOOL_SCHANNELS  combined 1 to max            (ethtool -L)
  ETHTOOL_SRINGPARAM rx 256..1024, tx 128..512    (ethtool -G)
  SIOCSIFMTU         1500, 4000 or 9000           (ip link set mtu: the RX
                     buffer order changes, so the rings are rebuilt)
  SIOCSIFFLAGS       down, then up                (ip link set down/up)
Run it in the namespace DEV lives in. It prints one line: how many changes
were made and which failed (errno), and exits 1 if any failed.
"""

import ctypes
import fcntl
import random
import socket
import struct
import sys
import time

SIOCGIFFLAGS, SIOCSIFFLAGS, SIOCSIFMTU, SIOCETHTOOL = 0x8913, 0x8914, 0x8922, 0x8946
ETHTOOL_SRINGPARAM, ETHTOOL_GCHANNELS, ETHTOOL_SCHANNELS = 0x11, 0x3C, 0x3D
IFF_UP = 0x1


def main():
    dev, secs, seed = sys.argv[1].encode(), float(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    buf = (ctypes.c_uint32 * 9)()
    eth_ifr = struct.pack("16sP16x", dev, ctypes.addressof(buf))

    def ethtool(cmd, fields):
        for i in range(9):
            buf[i] = 0
        buf[0] = cmd
        for i, v in fields.items():
            buf[i] = v
        fcntl.ioctl(s, SIOCETHTOOL, eth_ifr)

    def channels():
        ethtool(ETHTOOL_GCHANNELS, {})
        combined = rng.randint(1, buf[4])
        buf[0] = ETHTOOL_SCHANNELS
        buf[5:9] = [0, 0, 0, combined]
        fcntl.ioctl(s, SIOCETHTOOL, eth_ifr)

    def rings():
        ethtool(ETHTOOL_SRINGPARAM, {5: rng.choice((256, 512, 1024)),
                                     8: rng.choice((128, 256, 512))})

    def mtu():
        fcntl.ioctl(s, SIOCSIFMTU, struct.pack("16si20x", dev, rng.choice((1500, 4000, 9000))))

    def flags():
        ifr = fcntl.ioctl(s, SIOCGIFFLAGS, struct.pack("16sh22x", dev, 0))
        return struct.unpack("16sh22x", ifr)[1]

    def down_up():
        f = flags()
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sh22x", dev, f & ~IFF_UP))
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sh22x", dev, f | IFF_UP))

    changes = (channels, channels, rings, mtu, down_up)
    end = time.monotonic() + secs
    n, errors = 0, {}
    while time.monotonic() < end:
        change = rng.choice(changes)
        try:
            change()
        except OSError as e:
            key = f"{change.__name__}: {e.strerror}"
            errors[key] = errors.get(key, 0) + 1
        n += 1
        # Let traffic fill the rings again, so that the next change meets
        # NAPI polls under way.
        time.sleep(rng.uniform(0.01, 0.08))
    print(f"{dev.decode()}: {n} changes, {sum(errors.values())} failed {errors or ''}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
