#!/bin/bash
#
# xsk-selftest-guest.sh - in the guest: test_xsk.sh -i vnic0 (see
# scripts/xsk-selftest.sh), its cases as TAP points in
# $VNIC_OUT/tests/test_xsk.tap, its output in test_xsk.log, and
# "test_xsk.sh PASSED FAILED SECONDS SKIPPED" in $VNIC_OUT/results.
# Started by vm.sh, never directly.

set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

: "${VNIC_OUT:?run through scripts/xsk-selftest.sh}"
: "${VNIC_KO:?run through scripts/xsk-selftest.sh}"
: "${VNIC_XSK_DIR:?run through scripts/xsk-selftest.sh}"
read -r -a args <<<"${VNIC_XSK_ARGS:-}"

vnic_guest_begin
log=$VNIC_OUT/tests/test_xsk.log
tap=$VNIC_OUT/tests/test_xsk.tap
start=$SECONDS

insmod "$VNIC_KO" num_queues=1
# The unaligned-UMEM cases want 2 MiB pages (xskxceiver's hugepages_present).
echo 64 >/proc/sys/vm/nr_hugepages
ip link set vnic0 up
ethtool -K vnic0 loopback on
ip link set vnic0 promisc on
for ((i = 0; i < 50; i++)); do
	ip link show vnic0 | grep -q LOWER_UP && break
	sleep 0.1
done
{
	echo "# vnic0: $(ip -br link show vnic0)"
	echo "# $(ethtool -k vnic0 | grep loopback)"
	echo "# ring sizes: $(ethtool -g vnic0 | tr -s ' \n\t' ' ')"
} | tee "$log"

rc=0
(cd "$VNIC_XSK_DIR" && timeout "${VNIC_XSK_TIMEOUT:-2400}" ./test_xsk.sh -i vnic0 "${args[@]}") \
	>>"$log" 2>&1 || rc=$?
tail -n 40 "$log"

# xskxceiver's cases: "ok N PASS: DRV SEND_RECEIVE", "not ok N FAIL: ...",
# "ok N # SKIP reason" (the skip names no case: the last "# Running"...
# line is not printed either, so the number stands in). test_xsk.sh runs
# them twice: without, then with busy polling ("XSK_SELFTESTS_..._BUSY_POLL").
awk -v rc="$rc" '
	/^# 1\.\.|^1\.\./ { plans++ }
	/: \[ (PASS|FAIL|SKIPPED) \]$/ && /XSK_SELFTESTS_/ { run++ }
	/^(not )?ok [0-9]+ / {
		phase = run == 0 ? "softirq" : "busy-poll"
		line = $0
		sub(/^(not )?ok [0-9]+ /, "", line)
		n++
		if ($1 == "not") {
			print "not ok " n " - " phase ": " line
		} else if (line ~ /^# SKIP/) {
			sub(/^# SKIP */, "", line)
			print "ok " n " - " phase ": case " $2 " # SKIP " line
		} else {
			sub(/^PASS: /, "", line)
			print "ok " n " - " phase ": " line
		}
	}
	END {
		if (!n)
			print "not ok " ++n " - test_xsk.sh reported no case (status " rc ")"
		else if (rc == 124)
			print "not ok " ++n " - test_xsk.sh timed out"
		print "1.." n
	}' "$log" >"$tap"
cat "$tap"
skip=$(grep -c '^ok .*# SKIP' "$tap" || true)
pass=$(($(grep -c '^ok ' "$tap" || true) - skip))
fail=$(grep -c '^not ok ' "$tap" || true)
ip link set vnic0 promisc off
rmmod vnic || { echo "not ok - rmmod vnic"; fail=$((fail + 1)); }
echo "test_xsk.sh $pass $fail $((SECONDS - start)) $skip" >>"$VNIC_OUT/results"
echo "# test_xsk.sh: $pass passed, $fail failed, $skip skipped"
