#!/bin/bash
#
# e2e.sh - run the end-to-end tests (scripts/tests/NN-*.sh) in the VM.
#
# Builds vnic.ko for the pinned kernel (scripts/build.sh), boots one guest
# with scripts/vm.sh and runs every test in it through scripts/e2e-guest.sh,
# then counts the TAP test points: each "ok"/"not ok" line of each test,
# plus one point for a clean guest kernel log (no WARNING, BUG, lockdep,
# KASAN, ...), plus one failed point if the guest did not finish.
#
# Usage: scripts/e2e.sh [TEST...]     e.g. scripts/e2e.sh 00-load
# Env:   VNIC_TEST_TIMEOUT (per test, default 300 s), VNIC_COUNTS (file to
#        write "PASSED FAILED" into, for make check), and vm.sh's knobs.

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

out=$VNIC_CACHE/vm/e2e-last-$VNIC_TREE_ID
vnic_lock "$out.lock"
ko=$("$VNIC_ROOT/scripts/build.sh" | tail -n1)
rc=0
VNIC_KO=$ko VNIC_VM_OUT=$out "$VNIC_ROOT/scripts/vm.sh" \
	"$VNIC_ROOT/scripts/e2e-guest.sh" "$@" || rc=$?

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
[[ $fail -eq 0 ]]
