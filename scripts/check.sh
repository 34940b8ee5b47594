#!/bin/bash
#
# check.sh - `make check`: every gate, in order, with one summary.
#
#   1. build       vnic.ko for the pinned kernel with W=1; any warning fails
#   2. checkpatch  checkpatch.pl --strict --no-tree over driver/ include/ kunit/
#   3. kunit       the KUnit suites in the small KUnit kernel (scripts/kunit.sh)
#   4. e2e         the end-to-end tests in the Debian guest (scripts/e2e.sh)
#   5. e2e (swiotlb=force)
#                  the tests that move frames through the DMA API in bulk,
#                  under faults or while rings are rebuilt ($SWIOTLB_E2E),
#                  the guest booted with swiotlb=force so that every DMA
#                  mapping is bounced (scripts/e2e.sh --swiotlb)
#   6. selftests   the kernel's own NIC driver selftests (drivers/net of
#                  linux-source-6.12) against vnic in the guest
#                  (scripts/selftests.sh)
#   7. selftests (swiotlb=force)
#                  the short ones under swiotlb=force (scripts/selftests.sh
#                  --swiotlb; its list is in selftests-guest.sh)
#   8. build (6.1) vnic.ko for Debian's pinned 6.1 with W=1; any warning fails
#   9. e2e (6.1)   a subset of the end-to-end tests ($E2E_61) in a guest
#                  booted with Debian's 6.1 (scripts/e2e.sh --kernel 6.1)
#
# `scripts/check.sh --kernel 6.1` (make check-6.1) runs instead stages 8
# and 9 with every end-to-end test (KUnit, checkpatch and the selftests
# are 6.12's only).
#
# `scripts/check.sh --debug [TEST...]` (make check-debug) runs instead:
#   1. debug kernel   build it, or find it cached (scripts/debug-kernel.sh)
#   2. e2e (debug)    the end-to-end tests and scripts/tests/debug/ on it,
#                     then kmemleak and DMA-API checks (scripts/e2e.sh --debug)
#   3. fault-injection kernel
#                     the debug kernel with its slow checkers off again
#                     (scripts/debug-kernel.sh --faultinj); not with TEST...
#   4. selftests (fault injection)
#                     the kernel's selftest hw/pp_alloc_fail.py on it
#                     (scripts/selftests.sh --faultinj): it needs more RX
#                     traffic than the debug kernel gives; not with TEST...
#
# Every stage runs even if an earlier one failed, so one run shows
# everything that is wrong. Counting, for the final line: the build is one
# test point; checkpatch is one point per file; KUnit is one point per case
# plus one for a clean kernel log; e2e is one point per TAP "ok"/"not ok"
# line plus one for a clean kernel log; selftests is one point per
# kselftest case plus one for a clean kernel log. A stage that fails without
# reporting counts (it crashed, or could not build) counts as 1 failed.
#
# The last line is "N passed, N failed", also saved to $VNIC_SUMMARY
# (default $VNIC_CACHE/check-summary-<checkout>, or check-debug-summary-...
# with --debug). The exit status is non-zero on any failure.

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

debug=0
only61=0
if [[ ${1:-} == --debug ]]; then
	debug=1
	shift
elif [[ ${1:-} == --kernel && ${2:-} == 6.1 && $# -eq 2 ]]; then
	only61=1
	shift 2
fi
[[ $debug -eq 1 || $# -eq 0 ]] || die "usage: $0 [--debug [TEST...] | --kernel 6.1]"

# The swiotlb=force e2e run: what bounces frames (ping, TCP with TSO and
# GRO, multi-buffer RX, rmmod under traffic, DMA and descriptor faults, XDP,
# AF_XDP zero-copy (UMEM chunks mapped through the DMA API),
# rings rebuilt under traffic, offloads). Left out, because their DMA is
# the same as these and CI's 90 minutes hold them only once: the
# control-path tests (30-irq, 50-ethtool, 52-stats, 55-coalesce, 57-link,
# 58-steer) and the long 70-stress. `scripts/e2e.sh --swiotlb` with no
# test named runs them all.
SWIOTLB_E2E=(10-ping 20-tcp 25-rxmem 40-rmmod-traffic 60-faults 65-xdp 66-xsk 75-churn 80-offloads)

# 42-linkadd's add/up/del rounds under traffic: 100 take about 5 minutes
# of TCG; make check runs 30 (VNIC_LINKADD_ROUNDS=100 for all of them).
export VNIC_LINKADD_ROUNDS=${VNIC_LINKADD_ROUNDS:-30}

# The e2e run on Debian's 6.1: the data path (ping, TCP with the 64 MiB
# sha256), rmmod under traffic and the card's fault knobs, about 6 minutes
# with the boot; CI's 90 minutes hold no more. make check-6.1 runs them all.
E2E_61=(00-load 10-ping 20-tcp 40-rmmod-traffic 60-faults)

mkdir -p "$VNIC_CACHE"
if [[ $debug -eq 1 ]]; then
	SUMMARY=${VNIC_SUMMARY:-$VNIC_CACHE/check-debug-summary-$VNIC_TREE_ID}
elif [[ $only61 -eq 1 ]]; then
	SUMMARY=${VNIC_SUMMARY:-$VNIC_CACHE/check-6.1-summary-$VNIC_TREE_ID}
else
	SUMMARY=${VNIC_SUMMARY:-$VNIC_CACHE/check-summary-$VNIC_TREE_ID}
fi
title="make check"
[[ $debug -eq 0 ]] || title="make check-debug"
[[ $only61 -eq 0 ]] || title="make check-6.1"
COUNTS=$(mktemp)
LOG=$(mktemp)
trap 'rm -f "$COUNTS" "$LOG"' EXIT
rm -f "$SUMMARY" "$SUMMARY.failures"
failures=()

total_pass=0
total_fail=0
report=()

# stage NAME CMD...: run one stage and add up its test points.
stage() {
	local name=$1 rc=0 t0=$SECONDS pass fail
	shift
	printf '\n########## %s: %s\n' "$title" "$name"
	: >"$COUNTS"
	# The output goes to the terminal as it comes, and through a copy
	# that keeps the failed points for the list at the end.
	VNIC_COUNTS=$COUNTS "$@" 2>&1 | tee "$LOG" || rc=$?
	if [[ -s $COUNTS ]]; then
		read -r pass fail <"$COUNTS"
	elif [[ $rc -eq 0 ]]; then
		pass=1 fail=0
	else
		pass=0 fail=1
	fi
	# A stage that failed must never look clean.
	if [[ $rc -ne 0 && $fail -eq 0 ]]; then
		fail=1
	fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	report+=("$(printf '%-20s %-4s %3d passed, %3d failed  (%ds)' "$name" \
		"$([[ $fail -eq 0 ]] && echo ok || echo FAIL)" "$pass" "$fail" $((SECONDS - t0)))")
	[[ $fail -eq 0 ]] || stage_failures "$name" "$rc"
}

# stage_failures NAME RC: add what failed in stage NAME (exit status RC)
# to the list printed before the last line: its "not ok" points (TODOs
# and SKIPs are not failures), the "# ===== TEST" each came under, and the
# harness's own complaints ("error: ", "warning: vm: ": a guest that died
# or timed out, with the first lines of a bad kernel log). A stage that
# failed without a line of that kind gets one.
stage_failures() {
	local name=$1 rc=$2 lines
	lines=$(awk '
		/^# ===== / { test = $3 }
		/^not ok/ && !/# (TODO|SKIP|skip|todo)/ {
			print (test != "" ? test ": " : "") $0; n++
		}
		/^error: |^warning: vm: / { print; n++ }
		/^warning: vm: the guest kernel log shows a problem/ { bad = 3; next }
		bad > 0 { print "  " $0; bad--; n++ }
		n >= 20 { exit }' "$LOG" | cut -c1-200) || true
	[[ -n $lines ]] || lines="(no failed point named; exit status $rc)"
	while IFS= read -r l; do
		failures+=("$name: $l")
	done <<<"$lines"
}

t0=$SECONDS
if [[ $debug -eq 1 ]]; then
	stage "debug kernel" "$VNIC_ROOT/scripts/debug-kernel.sh"
	stage "e2e (debug)" "$VNIC_ROOT/scripts/e2e.sh" --debug "$@"
	if [[ $# -eq 0 ]]; then
		stage "fault-injection kernel" "$VNIC_ROOT/scripts/debug-kernel.sh" --faultinj
		stage "selftests (fault injection)" "$VNIC_ROOT/scripts/selftests.sh" --faultinj
	fi
elif [[ $only61 -eq 1 ]]; then
	stage "build (6.1)" "$VNIC_ROOT/scripts/build.sh" --strict --kernel 6.1
	stage "e2e (6.1)" "$VNIC_ROOT/scripts/e2e.sh" --kernel 6.1
else
	stage build "$VNIC_ROOT/scripts/build.sh" --strict
	stage checkpatch "$VNIC_ROOT/scripts/checkpatch.sh"
	stage kunit "$VNIC_ROOT/scripts/kunit.sh"
	stage e2e "$VNIC_ROOT/scripts/e2e.sh"
	stage "e2e (swiotlb=force)" "$VNIC_ROOT/scripts/e2e.sh" --swiotlb "${SWIOTLB_E2E[@]}"
	stage selftests "$VNIC_ROOT/scripts/selftests.sh"
	stage "selftests (swiotlb=force)" "$VNIC_ROOT/scripts/selftests.sh" --swiotlb
	stage "build (6.1)" "$VNIC_ROOT/scripts/build.sh" --strict --kernel 6.1
	stage "e2e (6.1)" "$VNIC_ROOT/scripts/e2e.sh" --kernel 6.1 "${E2E_61[@]}"
fi

printf '\n########## %s: summary (%d s)\n' "$title" $((SECONDS - t0))
printf '%s\n' "${report[@]}"
if [[ ${#failures[@]} -gt 0 ]]; then
	echo "what failed:"
	printf '  %s\n' "${failures[@]}" | tee "$SUMMARY.failures"
fi
line="$total_pass passed, $total_fail failed"
echo "$line" >"$SUMMARY"
echo "$line"
[[ $total_fail -eq 0 ]] || exit 1
