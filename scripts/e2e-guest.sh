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
# Writes "NAME PASSED FAILED" per test to $VNIC_OUT/results, which
# scripts/e2e.sh reads on the host. Started by vm.sh, never directly.

set -euo pipefail

: "${VNIC_OUT:?run through scripts/e2e.sh}"
: "${VNIC_KO:?run through scripts/e2e.sh}"
TESTS_DIR=$VNIC_ROOT/scripts/tests
TIMEOUT=${VNIC_TEST_TIMEOUT:-300}

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
fi

mkdir -p "$VNIC_OUT/tests"
: >"$VNIC_OUT/results"
total_pass=0
total_fail=0

for t in "${tests[@]}"; do
	name=$(basename "$t" .sh)
	tap=$VNIC_OUT/tests/$name.tap
	echo "# ===== $name"
	rc=0
	if [[ ! -f $t ]]; then
		echo "not ok 1 - test $t exists" | tee "$tap"
		rc=1
	else
		set +e
		timeout -k 5 "$TIMEOUT" bash "$t" </dev/null 2>&1 | tee "$tap"
		rc=${PIPESTATUS[0]}
		set -e
	fi
	pass=$(grep -c '^ok ' "$tap" || true)
	# TAP's TODO directive: a known shortfall, reported, not counted as failed.
	todo=$(grep -cE '^not ok .*# TODO' "$tap" || true)
	fail=$(($(grep -c '^not ok ' "$tap" || true) - todo))
	plan=$(sed -n 's/^1\.\.\([0-9]\+\).*/\1/p' "$tap" | tail -n1)
	problems=()
	if [[ $rc -eq 124 ]]; then
		problems+=("timed out after ${TIMEOUT}s (VNIC_TEST_TIMEOUT)")
	elif [[ $rc -ne 0 && $fail -eq 0 ]]; then
		problems+=("exited with status $rc without a failed test point")
	fi
	if [[ -z $plan ]]; then
		problems+=("printed no TAP plan (did it end with tap_done?)")
	elif [[ $plan -ne $((pass + fail + todo)) ]]; then
		problems+=("plan 1..$plan but $((pass + fail + todo)) test points")
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
	echo "# $name: $pass passed, $fail failed$note"
	echo "$name $pass $fail" >>"$VNIC_OUT/results"
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
done

echo "# e2e in the guest: $total_pass passed, $total_fail failed"
[[ $total_fail -eq 0 ]]
