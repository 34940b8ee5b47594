#!/bin/bash
#
# e2e.sh - run the end-to-end tests (scripts/tests/NN-*.sh) in the VM.
#
# Builds vnic.ko for the guest's kernel (scripts/build.sh), boots one guest
# with scripts/vm.sh and runs every test in it through scripts/e2e-guest.sh,
# then counts the TAP test points: each "ok"/"not ok" line of each test,
# plus one point for a clean guest kernel log (no WARNING, BUG, lockdep,
# KASAN, ...), plus one failed point if the guest did not finish.
#
# Usage: scripts/e2e.sh [--swiotlb] [--debug] [--kernel 6.1] [TEST...]   e.g. scripts/e2e.sh 00-load
#   --swiotlb  boot the guest with swiotlb=force: every DMA mapping goes
#              through bounce buffers; checks that they were used
#   --debug    boot the debug kernel (scripts/debug-kernel.sh), also run
#              scripts/tests/debug/*.sh, and end with kmemleak and DMA-API
#              debug checks (make check-debug)
#   --kernel 6.1  boot Debian's pinned 6.1 (vnic.ko built for it); a point
#              that needs what 6.1 lacks is a TAP SKIP naming the kernel
# Env:   VNIC_TEST_TIMEOUT (per test, default 300 s; 900 s with --debug),
#        VNIC_VM_TIMEOUT (whole guest, default 1800 s; 5400 s with --debug),
#        VNIC_COUNTS (file to write "PASSED FAILED" into, for make check),
#        and vm.sh's knobs.

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

vnic_guest_args "$@"
# The e2e debug checks (kmemleak, DMA-API) need the full debug kernel.
[[ $VNIC_DEBUG_KIND == debug ]] ||
	die "e2e.sh runs on the debug kernel (--debug), not VNIC_DEBUG_KIND=$VNIC_DEBUG_KIND"

if [[ $debug -eq 1 ]]; then
	export VNIC_E2E_DEBUG=1
	export VNIC_TEST_TIMEOUT=${VNIC_TEST_TIMEOUT:-900}
	export VNIC_VM_TIMEOUT=${VNIC_VM_TIMEOUT:-5400}
else
	export VNIC_VM_TIMEOUT=${VNIC_VM_TIMEOUT:-1800}
fi
vnic_guest_prepare e2e "$swiotlb" "$debug"
# The pinned source: tests use its tools/net/ynl (25-rxmem).
VNIC_KSRC=$(vnic_kernel_source "$(vnic_kver)")
export VNIC_KSRC
rc=0
VNIC_KO=$ko VNIC_VM_OUT=$out "$VNIC_ROOT/scripts/vm.sh" \
	"$VNIC_ROOT/scripts/e2e-guest.sh" "${tests[@]}" || rc=$?

vnic_guest_summary e2e "$out" "$rc" || exit 1
