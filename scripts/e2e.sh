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
# Usage: scripts/e2e.sh [--swiotlb] [--debug] [TEST...]   e.g. scripts/e2e.sh 00-load
#   --swiotlb  boot the guest with swiotlb=force: every DMA mapping goes
#              through bounce buffers; checks that they were used
#   --debug    boot the debug kernel (scripts/debug-kernel.sh), also run
#              scripts/tests/debug/*.sh, and end with kmemleak and DMA-API
#              debug checks (make check-debug)
# Env:   VNIC_TEST_TIMEOUT (per test, default 300 s; 900 s with --debug),
#        VNIC_VM_TIMEOUT (whole guest, default 1800 s; 5400 s with --debug),
#        VNIC_COUNTS (file to write "PASSED FAILED" into, for make check),
#        and vm.sh's knobs.

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

swiotlb=0
debug=0
tests=()
for arg in "$@"; do
	case $arg in
	--swiotlb) swiotlb=1 ;;
	--debug) debug=1 ;;
	-*) die "usage: $0 [--swiotlb] [--debug] [TEST...]" ;;
	*) tests+=("$arg") ;;
	esac
done

# One run directory per flavour, so that make check's two e2e stages both
# leave their results behind.
flavour=e2e
[[ $debug -eq 1 ]] && flavour+=-debug
[[ $swiotlb -eq 1 ]] && flavour+=-swiotlb
out=$VNIC_CACHE/vm/$flavour-last-$VNIC_TREE_ID
vnic_lock "$out.lock"

if [[ $swiotlb -eq 1 ]]; then
	export VNIC_APPEND="${VNIC_APPEND:+$VNIC_APPEND }swiotlb=force"
fi
# The run's own copy of vnic.ko: another run may rebuild meanwhile.
build=("$VNIC_ROOT/scripts/build.sh" --out "$out.ko")
if [[ $debug -eq 1 ]]; then
	build+=(--debug)
	kout=$(vnic_debug_kernel_dir "$(vnic_kver)")
	export VNIC_KERNEL=$kout/arch/x86/boot/bzImage VNIC_E2E_DEBUG=1
	export VNIC_TEST_TIMEOUT=${VNIC_TEST_TIMEOUT:-900}
	export VNIC_VM_TIMEOUT=${VNIC_VM_TIMEOUT:-5400}
else
	export VNIC_VM_TIMEOUT=${VNIC_VM_TIMEOUT:-1800}
fi
ko=$("${build[@]}" | tail -n1)
if [[ $debug -eq 1 ]]; then
	# The debug kernel is built by now (build.sh --debug).
	VNIC_MODDIR=$(dirname "$kout")/modules/lib/modules/$(<"$kout/include/config/kernel.release")
	export VNIC_MODDIR
fi
# The pinned source: tests use its tools/net/ynl (25-rxmem).
VNIC_KSRC=$(vnic_kernel_source "$(vnic_kver)")
export VNIC_KSRC
rc=0
VNIC_KO=$ko VNIC_VM_OUT=$out "$VNIC_ROOT/scripts/vm.sh" \
	"$VNIC_ROOT/scripts/e2e-guest.sh" "${tests[@]}" || rc=$?

if [[ -s $out/share/kernel ]]; then
	echo "e2e guest:"
	sed 's/^/  /' "$out/share/kernel"
fi
pass=0
fail=0
if [[ -f $out/share/results ]]; then
	echo "e2e results per test:"
	while read -r name p f; do
		printf '  %-24s %3d passed, %3d failed\n' "$name" "$p" "$f"
		pass=$((pass + p))
		fail=$((fail + f))
	done <"$out/share/results"
else
	warn "e2e: the guest did not finish the tests (vm.sh status $rc)"
	fail=$((fail + 1))
fi
if [[ -s $out/share/dmesg ]] && ! vnic_check_bad_dmesg "$out/share/dmesg" >/dev/null; then
	pass=$((pass + 1))
else
	echo "not ok - guest kernel log is clean (see $out/share/dmesg or $out/console.log)"
	fail=$((fail + 1))
fi
if [[ $rc -ne 0 && $fail -eq 0 ]]; then
	echo "not ok - vm.sh exited with status $rc"
	fail=1
fi

echo "e2e: $pass passed, $fail failed (TAP test points + clean kernel log)"
if [[ -n ${VNIC_COUNTS:-} ]]; then
	echo "$pass $fail" >"$VNIC_COUNTS"
fi
[[ $fail -eq 0 ]] || exit 1
