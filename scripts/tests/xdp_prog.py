#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""xdp_prog.py - load a tiny XDP program and pin it, for 65-xdp.sh.

  xdp_prog.py PIN SMALL [BIG LIMIT] [frags]

loads an XDP program that returns verdict SMALL for a frame of up to LIMIT
bytes (bpf_xdp_get_buff_len(): all of a multi-buffer frame) and BIG for a
longer one, and pins it at PIN (a path in a bpffs) for
`ip link set dev DEV xdpdrv pinned PIN`. With "frags" it is loaded with
BPF_F_XDP_HAS_FRAGS (an "xdp.frags" program: it may see frames over
several buffers). Verdicts: aborted, drop, pass, tx, redirect, or a number.

The program is six instructions assembled here, so that the test needs no
compiler: clang is not part of the guest's tools, and xdp-tools ships no
program with frags support.
"""
import ctypes
import os
import struct
import sys

SYS_BPF = 321  # x86-64
BPF_PROG_LOAD = 5
BPF_OBJ_PIN = 6
BPF_PROG_TYPE_XDP = 6
BPF_F_XDP_HAS_FRAGS = 1 << 5
BPF_FUNC_XDP_GET_BUFF_LEN = 188
VERDICTS = {"aborted": 0, "drop": 1, "pass": 2, "tx": 3, "redirect": 4}

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long


def insn(code, dst=0, src=0, off=0, imm=0):
    return struct.pack("<BBhi", code, dst | src << 4, off, imm)


def program(small, big, limit):
    return b"".join([
        insn(0x85, imm=BPF_FUNC_XDP_GET_BUFF_LEN),  # call bpf_xdp_get_buff_len
        insn(0x25, dst=0, off=2, imm=limit),         # if r0 > limit goto +2
        insn(0xb7, dst=0, imm=small),                # r0 = small
        insn(0x95),                                  # exit
        insn(0xb7, dst=0, imm=big),                  # r0 = big
        insn(0x95),                                  # exit
    ])


def bpf(cmd, attr):
    buf = ctypes.create_string_buffer(attr, len(attr))
    ret = libc.syscall(SYS_BPF, cmd, buf, len(attr))
    if ret < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return ret


def load(small, big, limit, frags):
    code = program(small, big, limit)
    insns = ctypes.create_string_buffer(code, len(code))
    lic = ctypes.create_string_buffer(b"GPL")
    log = ctypes.create_string_buffer(65536)
    attr = struct.pack("<IIQQIIQII16s", BPF_PROG_TYPE_XDP, len(code) // 8,
                       ctypes.addressof(insns), ctypes.addressof(lic), 1, len(log),
                       ctypes.addressof(log), 0,
                       BPF_F_XDP_HAS_FRAGS if frags else 0, b"vnic_test")
    try:
        return bpf(BPF_PROG_LOAD, attr.ljust(128, b"\0"))
    except OSError as e:
        sys.exit("BPF_PROG_LOAD: %s\n%s" % (e, log.value.decode(errors="replace")))


def verdict(name):
    return VERDICTS[name] if name in VERDICTS else int(name)


def main(argv):
    frags = argv[-1] == "frags"
    if frags:
        argv = argv[:-1]
    if len(argv) not in (3, 5):
        sys.exit(__doc__)
    pin, small = argv[1], verdict(argv[2])
    big, limit = (verdict(argv[3]), int(argv[4])) if len(argv) == 5 else (small, 0)
    fd = load(small, big, limit, frags)
    path = ctypes.create_string_buffer(pin.encode())
    bpf(BPF_OBJ_PIN, struct.pack("<QII", ctypes.addressof(path), fd, 0))
    os.close(fd)


if __name__ == "__main__":
    main(sys.argv)
