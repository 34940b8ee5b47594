#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ethtool, with the JSON output of -x, -c and -g that Debian 12's lacks.

Usage: ethtool_json.py ETHTOOL-ARGS... (run by bin/ethtool, which
scripts/selftests-guest.sh puts first on PATH for the kernel's selftests
only, and which runs the real ethtool directly for any command line
without --json). hw/rss_ctx.py reads `ethtool --json -x DEV
[context N]` and `ethtool --json -c DEV` (NetDrvEpEnv's stats settle
time), hw/pp_alloc_fail.py `ethtool --json -g DEV`. Debian 12's ethtool
(6.1) refuses all three ("bad command line argument(s)"); later ethtool
answers them from the kernel's ethtool netlink (RSS_GET, COALESCE_GET,
RINGS_GET) with the keys below.

Every command line is first given to the real ethtool, unchanged. Only if
it is one of those three requests and the real ethtool refused it as a bad
command line does this answer it itself, asking the kernel the same
netlink question through the ynl library of the pinned source
($VNIC_SELFTESTS_SRC/tools/net/ynl), and printing the reply in later
ethtool's JSON layout. Nothing else is changed or made up: a netlink error
is printed and fails the command, as with ethtool.
"""

import json
import os
import subprocess
import sys

REAL = "/usr/sbin/ethtool"

# ETH_RSS_HASH_*_BIT of include/uapi/linux/ethtool.h, named as the kernel's
# ETH_SS_RSS_HASH_FUNCS string set names them.
RSS_HASH_FUNCS = ["toeplitz", "xor", "crc32"]

# COALESCE_GET attributes whose key in ethtool's JSON differs; the others
# (rx-usecs, stats-block-usecs, ...) keep the netlink name.
COALESCE_KEYS = {
    "use-adaptive-rx": "rx",
    "use-adaptive-tx": "tx",
    "rate-sample-interval": "sample-interval",
    "rx-max-frames": "rx-frames",
    "rx-max-frames-irq": "rx-frames-irq",
    "tx-max-frames": "tx-frames",
    "tx-max-frames-irq": "tx-frames-irq",
    "rx-max-frames-low": "rx-frame-low",
    "tx-max-frames-low": "tx-frame-low",
    "rx-max-frames-high": "rx-frame-high",
    "tx-max-frames-high": "tx-frame-high",
}
COALESCE_BOOLS = {"use-adaptive-rx", "use-adaptive-tx"}
COALESCE_SKIP = {"header", "use-cqe-mode-rx", "use-cqe-mode-tx"}

RINGS_KEYS = {"tx-push-buf-len-max": "tx-push-buff-max-len"}
RINGS_BOOLS = {"tx-push", "rx-push"}
RINGS_SPLIT = {"disabled": "off", "enabled": "on", 1: "off", 2: "on"}

SHOW = {"-x": "rss", "--show-rxfh-indir": "rss", "--show-rxfh": "rss",
        "-c": "coalesce", "--show-coalesce": "coalesce",
        "-g": "rings", "--show-ring": "rings"}


def parse(argv):
    """(what, dev, rest) for `--json SHOW DEV [...]`, else None."""
    args = [a for a in argv if a not in ("--json", "-j")]
    if len(args) == len(argv) or len(args) < 2 or args[0] not in SHOW:
        return None
    return SHOW[args[0]], args[1], args[2:]


def family():
    src = os.environ.get("VNIC_SELFTESTS_SRC")
    if not src:
        sys.exit("ethtool (selftests shim): VNIC_SELFTESTS_SRC is not set")
    sys.path.append(os.path.join(src, "tools"))
    import yaml
    # The specs parse the same with libyaml's loader, in a tenth of the time.
    if getattr(yaml, "CSafeLoader", None):
        yaml.safe_load = lambda stream: yaml.load(stream, Loader=yaml.CSafeLoader)
    from net.ynl.lib import YnlFamily, NlError
    spec = os.path.join(src, "Documentation/netlink/specs/ethtool.yaml")
    return YnlFamily(spec, schema=""), NlError


def rss(reply, dev):
    out = {"ifname": dev}
    if reply.get("indir"):
        out["rss-indirection-table"] = list(reply["indir"])
    if reply.get("hkey"):
        out["rss-hash-key"] = list(reply["hkey"])
    hfunc = reply.get("hfunc", 0)
    if hfunc:
        bits = [i for i in range(32) if hfunc & (1 << i)]
        if bits[0] < len(RSS_HASH_FUNCS):
            out["rss-hash-function"] = RSS_HASH_FUNCS[bits[0]]
        else:
            out["rss-hash-function-raw"] = hfunc
    xfrm = reply.get("input_xfrm", 0)
    out["rss-input-transformation"] = {"symmetric-xor": bool(xfrm & 1)}
    if xfrm & ~1:
        out["rss-input-transformation"]["raw"] = xfrm
    return out


def coalesce(reply, dev):
    out = {"ifname": dev}
    for key, val in reply.items():
        if key in COALESCE_SKIP:
            continue
        out[COALESCE_KEYS.get(key, key)] = bool(val) if key in COALESCE_BOOLS else val
    return out


def rings(reply, dev):
    out = {"ifname": dev}
    for key, val in reply.items():
        if key == "header":
            continue
        if key == "tcp-data-split":
            if val in RINGS_SPLIT:
                out[key] = RINGS_SPLIT[val]
            continue
        out[RINGS_KEYS.get(key, key)] = bool(val) if key in RINGS_BOOLS else val
    return out


def answer(what, dev, rest):
    req = {"header": {"dev-name": dev}}
    if what == "rss":
        if rest[:1] == ["context"] and len(rest) == 2:
            req["context"] = int(rest[1])
            rest = []
    if rest:
        return None
    ynl, nl_error = family()
    try:
        reply = ynl.do(f"{what}-get", req)
    except nl_error as e:
        print(f"netlink error: {e}", file=sys.stderr)
        return 1
    print(json.dumps([globals()[what](reply, dev)], indent=4))
    return 0


def main():
    req = parse(sys.argv[1:])
    if req is None:
        os.execv(REAL, [REAL] + sys.argv[1:])
    real = subprocess.run([REAL] + sys.argv[1:], capture_output=True, text=True)
    if real.returncode == 0 or "bad command line argument" not in real.stderr:
        sys.stdout.write(real.stdout)
        sys.stderr.write(real.stderr)
        sys.exit(real.returncode)
    rc = answer(*req)
    if rc is None:
        sys.stderr.write(real.stderr)
        sys.exit(real.returncode)
    sys.exit(rc)


if __name__ == "__main__":
    main()
