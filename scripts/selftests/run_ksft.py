#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run one of the kernel's python NIC selftests as `python3 TEST.py` would.

Usage: run_ksft.py TEST.py [ARGS...]

scripts/selftests-guest.sh starts the tests of drivers/net and
drivers/net/hw through this wrapper, never by editing them. It sets up
what the interpreter would for the test itself (sys.argv[0], and the
test's directory first on sys.path, so that `from lib.py import ...` finds
the test's own lib/py), imports that lib.py, adds what 6.12's lib lacks,
then runs the test as __main__.

It also has PyYAML parse the netlink specs with libyaml's CSafeLoader
(the same result, in a tenth of the time: under TCG the pure-python loader
took several seconds per spec, and a test loads up to three).

What it adds: NetDrvEpEnv.remote_ifname, the name of the remote end's
interface, which hw/csum.py passes to the csum helper on the remote side.
Later kernels (6.13) resolve it in NetDrvEpEnv.__init__ from REMOTE_V4 /
REMOTE_V6 with `ip addr show to ADDR` on the remote; this does the same,
after the original __init__, and only if the attribute is not already set.
"""

import os
import runpy
import sys


def _remote_ifname(env, ip):
    """The remote interface that holds REMOTE_V6 / REMOTE_V4 (as 6.13)."""
    v4 = v6 = None
    if env.remote_v4:
        v4 = ip("addr show to " + env.remote_v4, json=True, host=env.remote)
    if env.remote_v6:
        v6 = ip("addr show to " + env.remote_v6, json=True, host=env.remote)
    if v4 and v6 and v4[0]["ifname"] != v6[0]["ifname"]:
        raise Exception("Can't resolve remote interface name, v4 and v6 don't match")
    if (v4 and len(v4) > 1) or (v6 and len(v6) > 1):
        raise Exception("Can't resolve remote interface name, multiple interfaces match")
    if not v4 and not v6:
        raise Exception("Can't resolve remote interface name, no interface has "
                        f"{env.remote_v6 or env.remote_v4} on the remote")
    return v6[0]["ifname"] if v6 else v4[0]["ifname"]


def _add_remote_ifname(ksft_lib):
    cls = getattr(ksft_lib, "NetDrvEpEnv", None)
    if cls is None:
        return
    orig_init = cls.__init__

    def __init__(self, *args, **kwargs):
        orig_init(self, *args, **kwargs)
        if not hasattr(self, "remote_ifname"):
            self.remote_ifname = _remote_ifname(self, ksft_lib.ip)

    cls.__init__ = __init__


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: run_ksft.py TEST.py [ARGS...]")
    test = os.path.abspath(sys.argv[1])
    sys.argv = [test] + sys.argv[2:]
    sys.path[0] = os.path.dirname(test)

    import yaml
    if getattr(yaml, "CSafeLoader", None):
        yaml.safe_load = lambda stream: yaml.load(stream, Loader=yaml.CSafeLoader)

    import lib.py as ksft_lib  # the test's own lib/py, as the test imports it

    _add_remote_ifname(ksft_lib)
    runpy.run_path(test, run_name="__main__")


if __name__ == "__main__":
    main()
