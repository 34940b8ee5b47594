#!/bin/bash
#
# xsk-selftest-guest.sh - in the guest: test_xsk.sh -i vnic0 (see
# scripts/xsk-selftest.sh), its cases as TAP points in
# $VNIC_OUT/tests/test_xsk.tap, its output in test_xsk.log, and
# "test_xsk.sh PASSED FAILED SECONDS SKIPPED" in $VNIC_OUT/results.
# Started by vm.sh, never directly. Env: VNIC_XSK_ARGS (test_xsk.sh's
# arguments for one run instead of one run per mode and case),
# VNIC_XSK_TIMEOUT (seconds per run, default 300), VNIC_XSK_VETH=1 (the
# same cases, skb and drv mode, on test_xsk.sh's own veth pair instead:
# the comparison; veth has no zero-copy), VNIC_XSK_RINGS (ethtool -G
# arguments for vnic0 before the runs, e.g. "tx 4096").

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
# A port has a link only while its peer is up too (README, link modes);
# vnic1 carries nothing meanwhile, the card loops vnic0's frames back. No
# IPv6 on either (as test_xsk.sh does for its veth pair): the router
# solicitations and MLD reports the stack sends would loop back into
# xskxceiver's socket and break its sequence check.
sysctl -qw net.ipv6.conf.vnic0.disable_ipv6=1 net.ipv6.conf.vnic1.disable_ipv6=1
ip link set vnic1 up
# The unaligned-UMEM cases want 2 MiB pages (xskxceiver's hugepages_present).
echo 64 >/proc/sys/vm/nr_hugepages
ip link set vnic0 up
ethtool -K vnic0 loopback on
# shellcheck disable=SC2086 # ethtool -G's arguments, one per word
[[ -z ${VNIC_XSK_RINGS:-} ]] || ethtool -G vnic0 $VNIC_XSK_RINGS
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

# One test_xsk.sh per mode and case (-m MODE -t N), unless VNIC_XSK_ARGS
# says otherwise: a case that fails with exit_with_error() ends its
# xskxceiver, and would take every later case of the run with it.
runs=()
dev=(-i vnic0)
modes=(skb drv zc)
if [[ ${VNIC_XSK_VETH:-0} == 1 ]]; then
	dev=()
	modes=(skb drv)
fi
if [[ ${#args[@]} -gt 0 ]]; then
	runs=("${args[*]}")
else
	ncases=$( (cd "$VNIC_XSK_DIR" && ./xskxceiver -l) | grep -cE '^[0-9]+: ' || true)
	for mode in "${modes[@]}"; do
		for ((t = 0; t < ncases; t++)); do
			runs+=("-m $mode -t $t")
		done
	done
fi
for r in "${runs[@]}"; do
	rc=0
	echo "### test_xsk.sh ${dev[*]} $r" >>"$log"
	# shellcheck disable=SC2086 # the run's arguments, one per word
	(cd "$VNIC_XSK_DIR" && timeout "${VNIC_XSK_TIMEOUT:-300}" ./test_xsk.sh "${dev[@]}" $r) \
		>>"$log" 2>&1 || rc=$?
	[[ $rc -ne 124 ]] || echo "### timed out" >>"$log"
done
# The port's counters after the runs; the per-queue ones went with the
# rings, which are rebuilt when a socket unbinds.
{
	echo "### ethtool -S vnic0 (non-zero)"
	ethtool -S vnic0 | awk '$NF != 0'
} >>"$log"
tail -n 40 "$log"

# xskxceiver's cases: "ok N PASS: DRV SEND_RECEIVE", "not ok N FAIL: ...",
# "ok N # SKIP reason" (a skip names no case: the run's arguments stand
# in). Each test_xsk.sh runs xskxceiver twice, each printing its plan:
# without, then with busy polling.
awk '
	/^### test_xsk.sh/ { run = $0; sub(/^### test_xsk.sh (-i vnic0)? */, "", run); plans = 0; got = 0; next }
	/^### timed out/ { print "not ok " ++n " - " run ": timed out"; next }
	/^1\.\.[0-9]+$/ { plans++ }
	/^(not )?ok [0-9]+ / {
		phase = plans <= 1 ? "softirq" : "busy-poll"
		line = $0
		sub(/^(not )?ok [0-9]+ /, "", line)
		n++
		if ($1 == "not") {
			print "not ok " n " - " phase ": " line " (" run ")"
		} else if (line ~ /^# SKIP/) {
			sub(/^# SKIP */, "", line)
			print "ok " n " - " phase ": " run " # SKIP " line
		} else {
			sub(/^PASS: /, "", line)
			print "ok " n " - " phase ": " line
		}
	}
	/^# Error: / { print "not ok " ++n " - " run ": " substr($0, 3) }
	END {
		if (!n)
			print "not ok " ++n " - test_xsk.sh reported no case"
		print "1.." n
	}' "$log" >"$tap"
cat "$tap"
skip=$(grep -c '^ok .*# SKIP' "$tap" || true)
pass=$(($(grep -c '^ok ' "$tap" || true) - skip))
fail=$(grep -c '^not ok ' "$tap" || true)
ip link set vnic0 promisc off
rmmod vnic || { echo "not ok - rmmod vnic"; fail=$((fail + 1)); }
name=test_xsk.sh
[[ ${#dev[@]} -gt 0 ]] || name="test_xsk.sh_(veth)"
echo "$name $pass $fail $((SECONDS - start)) $skip" >>"$VNIC_OUT/results"
echo "# test_xsk.sh: $pass passed, $fail failed, $skip skipped"
