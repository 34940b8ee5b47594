#!/bin/bash
#
# selftests.sh - run the kernel's own NIC driver selftests
# (tools/testing/selftests/drivers/net of the pinned linux-source-6.12)
# against vnic in the VM, one TAP point per kselftest case.
#
# The selftests, tools/net/ynl and Documentation/netlink/specs are taken
# from /usr/src/linux-source-6.12.tar.xz once, into
# $VNIC_CACHE/selftests/<package version>/, and the csum helper of
# hw/csum.py is built there. Then vnic.ko is built (scripts/build.sh), one
# guest boots (scripts/vm.sh) and scripts/selftests-guest.sh runs the tests
# in it. The counting is e2e.sh's: each "ok"/"not ok" line of each test,
# plus one point for a clean guest kernel log, plus one failed point if the
# guest did not finish.
#
# Usage: scripts/selftests.sh [--swiotlb] [--debug|--faultinj] [TEST...]
#          e.g. scripts/selftests.sh ping.py hw/loopback.sh
#   --swiotlb  boot the guest with swiotlb=force (as e2e.sh --swiotlb)
#   --debug    boot the debug kernel (scripts/debug-kernel.sh) and run the
#              tests that need it: hw/pp_alloc_fail.py
#   --faultinj the same on the fault-injection kernel (debug-kernel.sh
#              --faultinj: fault injection without the slow checkers),
#              which gives hw/pp_alloc_fail.py its traffic (make check-debug)
# Env:   VNIC_SELFTEST_DEV  the devices to test, "vnic" (default), "veth",
#                           or "vnic veth" (both in one boot; veth runs only
#                           the tests a veth pair can run, for comparison)
#        VNIC_SELFTEST_TIMEOUT (per test, default 600 s),
#        VNIC_VM_TIMEOUT (whole guest, default 3600 s; 1800 s with --debug),
#        VNIC_COUNTS (file to write "PASSED FAILED" into, for make check),
#        and vm.sh's knobs.

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

# Bump when what is extracted or built into the cache changes.
SELFTESTS_RECIPE=1

vnic_guest_args "$@"
# They are 6.12's tests, for 6.12's netlink (qstats, queue-get, RSS contexts).
[[ $VNIC_KSERIES == 6.12 ]] || die "the selftests run on 6.12 only (not --kernel $VNIC_KSERIES)"

# vnic_selftests_tree: print the directory that holds the selftests in the
# source's own layout (linux-source-6.12/tools/testing/selftests, ...),
# extracting and building them the first time.
vnic_selftests_tree() {
	local ver dir tarball=/usr/src/$VNIC_SOURCE_PKG.tar.xz top=$VNIC_SOURCE_PKG
	local st=$top/tools/testing/selftests
	ver=$(dpkg-query -W -f='${Version}' "$VNIC_SOURCE_PKG" 2>/dev/null) ||
		die "$VNIC_SOURCE_PKG is not installed; run scripts/deps.sh (make deps)"
	dir=$VNIC_CACHE/selftests/$ver
	vnic_lock "$dir.lock"
	if [[ $(cat "$dir/.vnic-ready" 2>/dev/null) != "$SELFTESTS_RECIPE" ]]; then
		[[ -r $tarball ]] || die "$tarball is missing; run scripts/deps.sh"
		log "selftests: extracting them from $tarball into $dir"
		rm -rf "$dir"
		mkdir -p "$dir.tmp"
		# Only what the tests import or source: the driver tests and their
		# python lib, net/lib (ksft python lib, csum.c), net/lib.sh and
		# net/forwarding's lib.sh and tc_common.sh, kselftest's helpers,
		# the ynl python library and the netlink specs it reads.
		tar -xf "$tarball" -C "$dir.tmp" \
			"$st/drivers/net/lib" "$st/drivers/net/hw" \
			"$st/drivers/net/ping.py" "$st/drivers/net/stats.py" \
			"$st/drivers/net/queues.py" \
			"$st/net/lib" "$st/net/lib.sh" \
			"$st/net/forwarding/lib.sh" "$st/net/forwarding/tc_common.sh" \
			"$st/kselftest" "$st/kselftest.h" \
			"$top/tools/net/ynl" "$top/Documentation/netlink/specs"
		log "selftests: building net/lib/csum (for hw/csum.py)"
		gcc -Wall -O2 -g -I"$dir.tmp/$st" -o "$dir.tmp/$st/net/lib/csum" \
			"$dir.tmp/$st/net/lib/csum.c"
		# The guest's root is read-only: byte-compile once here rather than
		# parse every module again in each test under TCG.
		python3 -m compileall -q "$dir.tmp/$st/net/lib/py" \
			"$dir.tmp/$st/drivers/net/lib/py" "$dir.tmp/$st/drivers/net/hw/lib/py" \
			"$dir.tmp/$top/tools/net/ynl/lib" >/dev/null
		mv "$dir.tmp" "$dir"
		echo "$SELFTESTS_RECIPE" >"$dir/.vnic-ready"
	fi
	echo "$dir/$top"
}

if [[ $debug -eq 1 ]]; then
	export VNIC_SELFTEST_DEBUG=1
	export VNIC_VM_TIMEOUT=${VNIC_VM_TIMEOUT:-1800}
else
	export VNIC_VM_TIMEOUT=${VNIC_VM_TIMEOUT:-3600}
fi
vnic_guest_prepare selftests "$swiotlb" "$debug"

VNIC_SELFTESTS_SRC=$(vnic_selftests_tree)
export VNIC_SELFTESTS_SRC
log "selftests: from $VNIC_SELFTESTS_SRC"

rc=0
VNIC_KO=$ko VNIC_VM_OUT=$out "$VNIC_ROOT/scripts/vm.sh" \
	"$VNIC_ROOT/scripts/selftests-guest.sh" "${tests[@]}" || rc=$?

vnic_guest_summary selftests "$out" "$rc" 36 "TAP in $out/share/tests/" || exit 1
