#!/bin/bash
#
# check.sh - `make check`: every gate, in order, with one summary.
#
#   1. build       vnic.ko for the pinned kernel with W=1; any warning fails
#   2. checkpatch  checkpatch.pl --strict --no-tree over driver/ include/ kunit/
#   3. kunit       the KUnit suites in the small KUnit kernel (scripts/kunit.sh)
#   4. e2e         the end-to-end tests in the Debian guest (scripts/e2e.sh)
#
# Every stage runs even if an earlier one failed, so one run shows
# everything that is wrong. Counting, for the final line: the build is one
# test point; checkpatch is one point per file; KUnit is one point per case
# plus one for a clean kernel log; e2e is one point per TAP "ok"/"not ok"
# line plus one for a clean kernel log. A stage that fails without
# reporting counts (it crashed, or could not build) counts as 1 failed.
#
# The last line is "N passed, N failed", also saved to $VNIC_SUMMARY
# (default $VNIC_CACHE/check-summary-<checkout>). The exit status is
# non-zero on any failure.

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

mkdir -p "$VNIC_CACHE"
SUMMARY=${VNIC_SUMMARY:-$VNIC_CACHE/check-summary-$VNIC_TREE_ID}
COUNTS=$(mktemp)
trap 'rm -f "$COUNTS"' EXIT
rm -f "$SUMMARY"

total_pass=0
total_fail=0
report=()

# stage NAME CMD...: run one stage and add up its test points.
stage() {
	local name=$1 rc=0 t0=$SECONDS pass fail
	shift
	printf '\n########## make check: %s\n' "$name"
	: >"$COUNTS"
	VNIC_COUNTS=$COUNTS "$@" || rc=$?
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
	report+=("$(printf '%-11s %-4s %3d passed, %3d failed  (%ds)' "$name" \
		"$([[ $fail -eq 0 ]] && echo ok || echo FAIL)" "$pass" "$fail" $((SECONDS - t0)))")
}

stage build "$VNIC_ROOT/scripts/build.sh" --strict
stage checkpatch "$VNIC_ROOT/scripts/checkpatch.sh"
stage kunit "$VNIC_ROOT/scripts/kunit.sh"
stage e2e "$VNIC_ROOT/scripts/e2e.sh"

printf '\n########## make check: summary\n'
printf '%s\n' "${report[@]}"
line="$total_pass passed, $total_fail failed"
echo "$line" >"$SUMMARY"
echo "$line"
[[ $total_fail -eq 0 ]]
