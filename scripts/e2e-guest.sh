#!/bin/bash
#
# e2e-guest.sh - run the end-to-end tests inside one guest boot.
#
# Runs scripts/tests/NN-*.sh (or the tests named as arguments) one after
# another as root, shows their TAP, and counts the test points. A test
# fails as a whole, with one extra failed point, if it exits non-zero
# without reporting a failed point, if its plan does not match the points
# it printed, or if it leaves vnic loaded or a netns behind.
#
# Writes "NAME PASSED FAILED SECONDS SKIPPED" per test to $VNIC_OUT/results, which
# scripts/e2e.sh reads on the host. Started by vm.sh, never directly.
#
# Two more rows of checks, each counted like a test:
#   swiotlb-force  when the kernel command line has swiotlb=force: the
#                  bounce buffers were really used (swiotlb's high-water
#                  mark in debugfs is above zero after the tests).
#   debug-checks   on the debug kernel (VNIC_E2E_DEBUG=1): after the last
#                  test has unloaded vnic, kmemleak finds no new leak
#                  (scripts/kmemleak-scan.sh; what boot left behind is
#                  cleared before the first test) and DMA-API debugging
#                  counted no error and is still enabled. The tests under
#                  scripts/tests/debug/ also run there, after the others.

set -euo pipefail
# The ERR trap (a failed command names itself), as on the host.
# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

: "${VNIC_OUT:?run through scripts/e2e.sh}"
: "${VNIC_KO:?run through scripts/e2e.sh}"
TESTS_DIR=$VNIC_ROOT/scripts/tests
TIMEOUT=${VNIC_TEST_TIMEOUT:-300}
DEBUG=${VNIC_E2E_DEBUG:-0}
KMEMLEAK=/sys/kernel/debug/kmemleak
DMA_DEBUG=/sys/kernel/debug/dma-api

tests=()
if [[ $# -gt 0 ]]; then
	for t in "$@"; do
		[[ -f $t ]] || t=$TESTS_DIR/$t
		[[ -f $t ]] || t=$t.sh
		tests+=("$t")
	done
else
	for t in "$TESTS_DIR"/[0-9][0-9]-*.sh; do
		[[ -e $t ]] && tests+=("$t")
	done
	if [[ $DEBUG -eq 1 ]]; then
		for t in "$TESTS_DIR"/debug/[0-9][0-9]-*.sh; do
			[[ -e $t ]] && tests+=("$t")
		done
	fi
fi

total_pass=0
total_fail=0
# Which kernel, booted how: e2e.sh shows this on the host too.
vnic_guest_begin
if grep -qw 'swiotlb=force' /proc/cmdline; then
	vnic_swiotlb_watch
fi

# Points of the extra rows (swiotlb-force, debug-checks).
_x_pass=0
_x_fail=0
x_ok() {
	echo "ok - $1"
	_x_pass=$((_x_pass + 1))
}
x_fail() {
	echo "not ok - $1"
	shift
	[[ $# -eq 0 ]] || printf '%s\n' "$@" | sed 's/^/#   /'
	_x_fail=$((_x_fail + 1))
}
# x_row NAME: close a row of extra points and add it to the results.
x_row() {
	echo "# $1: $_x_pass passed, $_x_fail failed"
	echo "$1 $_x_pass $_x_fail" >>"$VNIC_OUT/results"
	total_pass=$((total_pass + _x_pass))
	total_fail=$((total_fail + _x_fail))
	_x_pass=0
	_x_fail=0
}

if [[ $DEBUG -eq 1 ]]; then
	echo "# ===== debug kernel: forgetting what boot left for kmemleak"
	# Scan twice (an object must look unreferenced in two scans in a row
	# to be reported), then forget whatever was reported.
	if [[ -w $KMEMLEAK ]]; then
		{ echo scan >"$KMEMLEAK" && sleep 5 && echo scan >"$KMEMLEAK" &&
			echo clear >"$KMEMLEAK"; } || true
	fi
fi

for t in "${tests[@]}"; do
	name=${t#"$TESTS_DIR"/}
	name=${name%.sh}
	name=${name//\//-}
	tap=$VNIC_OUT/tests/$name.tap
	echo "# ===== $name"
	rc=0
	start=$SECONDS
	if [[ ! -f $t ]]; then
		echo "not ok 1 - test $t exists" | tee "$tap"
		rc=1
	else
		# A test may ask for more time with a line "# vnic-test-timeout: N".
		limit=$TIMEOUT
		asked=$(sed -n 's/^# vnic-test-timeout: *\([0-9]\+\)$/\1/p' "$t")
		asked=${asked%%$'\n'*}
		if [[ -n $asked && $asked -gt $limit ]]; then
			limit=$asked
		fi
		set +e
		timeout -k 5 "$limit" bash "$t" </dev/null 2>&1 | tee "$tap"
		rc=${PIPESTATUS[0]}
		set -e
	fi
	secs=$((SECONDS - start))
	# TAP's SKIP directive: a point this kernel cannot run (tap_skip, e.g.
	# a 6.12 feature on 6.1), counted apart, neither passed nor failed.
	skip=$(grep -cE '^ok .*# SKIP' "$tap" || true)
	pass=$(($(grep -c '^ok ' "$tap" || true) - skip))
	# TAP's TODO directive: a known shortfall, reported, not counted as failed.
	todo=$(grep -cE '^not ok .*# TODO' "$tap" || true)
	fail=$(($(grep -c '^not ok ' "$tap" || true) - todo))
	plan=$(sed -n 's/^1\.\.\([0-9]\+\).*/\1/p' "$tap" | tail -n1)
	problems=()
	if [[ $rc -eq 124 ]]; then
		problems+=("timed out after ${limit}s (VNIC_TEST_TIMEOUT or its vnic-test-timeout line)")
	elif [[ $rc -ne 0 && $fail -eq 0 ]]; then
		problems+=("exited with status $rc without a failed test point")
	fi
	if [[ -z $plan ]]; then
		problems+=("printed no TAP plan (did it end with tap_done?)")
	elif [[ $plan -ne $((pass + fail + todo + skip)) ]]; then
		problems+=("plan 1..$plan but $((pass + fail + todo + skip)) test points")
	fi
	if grep -q '^vnic ' /proc/modules; then
		problems+=("left the vnic module loaded")
		rmmod vnic || true
	fi
	if [[ -n $(ip netns list) ]]; then
		problems+=("left network namespaces: $(ip netns list | tr '\n' ' ')")
		ip -all netns delete || true
	fi
	for p in "${problems[@]}"; do
		echo "not ok - $name: $p"
		fail=$((fail + 1))
	done
	note=""
	[[ $todo -gt 0 ]] && note=", $todo todo"
	[[ $skip -gt 0 ]] && note+=", $skip skipped"
	echo "# $name: $pass passed, $fail failed$note (${secs} s)"
	echo "$name $pass $fail $secs $skip" >>"$VNIC_OUT/results"
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
done

if grep -qw 'swiotlb=force' /proc/cmdline; then
	echo "# ===== swiotlb-force"
	if hiwater=$(vnic_swiotlb_hiwater); then
		x_ok "swiotlb=force: DMA went through bounce buffers ($hiwater)"
	else
		x_fail "swiotlb=force: DMA went through bounce buffers" \
			"$hiwater"
	fi
	x_row swiotlb-force
fi

if [[ $DEBUG -eq 1 ]]; then
	echo "# ===== debug-checks"
	if grep -q '^vnic ' /proc/modules; then
		x_fail "vnic is unloaded before the leak scan"
		rmmod vnic || true
	fi
	if [[ ! -w $KMEMLEAK ]]; then
		x_fail "kmemleak is available" "$KMEMLEAK is missing: not the debug kernel?"
	else
		leaks=$("$VNIC_ROOT/scripts/kmemleak-scan.sh" 2>&1) || true
		if [[ -z $leaks ]]; then
			x_ok "kmemleak: no leak suspected after the suite and rmmod"
		else
			x_fail "kmemleak: no leak suspected after the suite and rmmod" "$leaks"
		fi
	fi
	if [[ -r $DMA_DEBUG/error_count ]]; then
		errors=$(<"$DMA_DEBUG/error_count")
		disabled=$(<"$DMA_DEBUG/disabled")
		if [[ $errors -eq 0 ]]; then
			x_ok "DMA-API debug: no error counted"
		else
			x_fail "DMA-API debug: no error counted" "error_count: $errors"
		fi
		if [[ $disabled == N ]]; then
			x_ok "DMA-API debug: still enabled at the end"
		else
			x_fail "DMA-API debug: still enabled at the end" \
				"it turned itself off (out of entries?): errors after that went unseen"
		fi
	else
		x_fail "DMA-API debug is available" "$DMA_DEBUG is missing"
	fi
	x_row debug-checks
fi

echo "# e2e in the guest: $total_pass passed, $total_fail failed"
[[ $total_fail -eq 0 ]] || exit 1
