#!/bin/bash
#
# xsk-selftest.sh - the kernel's AF_XDP selftest (tools/testing/selftests/
# bpf/test_xsk.sh and xskxceiver of the pinned 6.12 source) against vnic0
# in physical-device mode, in one guest boot: `test_xsk.sh -i vnic0`, the
# port in internal loopback (ethtool -K vnic0 loopback on), promiscuous
# (xskxceiver's frames carry MACs of its own), one queue pair (every frame
# on queue 0, where both of xskxceiver's sockets are bound), and 2 MiB huge
# pages for the unaligned-UMEM cases.
#
# xskxceiver is built on the host by scripts/xsk-build.sh (clang-19, the
# tree's libbpf, bpftool gen skeleton), into the cache. test_xsk.sh runs
# once per mode (skb, drv, zc) and case (-m MODE -t N), so that a case that
# ends xskxceiver with exit_with_error() fails alone. Each xskxceiver
# case becomes one TAP point ("softirq: DRV SEND_RECEIVE", "busy-poll:
# ZC ..."); a case xskxceiver skips (what the device lacks: multi-buffer
# zero-copy, huge pages, ...) is a TAP SKIP with its reason, counted apart.
#
# Usage: scripts/xsk-selftest.sh        (make xsk-selftest)
# Env:   VNIC_XSK_ARGS   test_xsk.sh's arguments for one run instead, e.g.
#                        "-m zc" (one mode, all cases) or "-m drv -t 3"
#                        (one case, by number: xskxceiver -l lists them)
#        VNIC_XSK_TIMEOUT  seconds per test_xsk.sh run (default 300),
#        VNIC_VM_TIMEOUT (default 3000 s), VNIC_COUNTS, and vm.sh's knobs.

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

vnic_guest_args "$@"
[[ $VNIC_KSERIES == 6.12 ]] || die "the AF_XDP selftest is 6.12's (not --kernel $VNIC_KSERIES)"
export VNIC_VM_TIMEOUT=${VNIC_VM_TIMEOUT:-3000}
vnic_guest_prepare xsk-selftest "$swiotlb" "$debug"
VNIC_XSK_DIR=$("$VNIC_ROOT/scripts/xsk-build.sh")
export VNIC_XSK_DIR
rc=0
VNIC_KO=$ko VNIC_VM_OUT=$out "$VNIC_ROOT/scripts/vm.sh" \
	"$VNIC_ROOT/scripts/xsk-selftest-guest.sh" || rc=$?

vnic_guest_summary xsk-selftest "$out" "$rc" 24 "TAP in $out/share/tests/" || exit 1
