#!/bin/bash
#
# profile-guest.sh - where the CPU time goes while vnic carries bulk TCP,
# run inside one guest by scripts/profile.sh. perf (the host's, over 9p)
# samples every CPU with the cpu-clock software event (TCG has no PMU)
# during a 1-stream iperf3 from vnic0 to vnic1 in netns ns1, with call
# graphs, then reports:
#   report-sym.txt     the hottest symbols, self time, all CPUs
#   report-dso.txt     the split between the kernel and vnic.ko
#   report-caller.txt  the callers of the hottest vnic/copy symbols
#   iperf3.txt         what iperf3 measured meanwhile
#
# Env: VNIC_KO, VNIC_OUT (results come back to the host),
#      VNIC_PROFILE_SECS (default 10).

set -euo pipefail
# The ERR trap (a failed command names itself), as on the host.
# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

: "${VNIC_OUT:?run through scripts/profile.sh}"
# shellcheck source=scripts/tests/lib.sh
source "$VNIC_ROOT/scripts/tests/lib.sh"

secs=${VNIC_PROFILE_SECS:-10}
out=$VNIC_OUT
data=/tmp/perf.data

vnic_require perf iperf3 ip
echo 0 >/proc/sys/kernel/kptr_restrict
echo -1 >/proc/sys/kernel/perf_event_paranoid

# shellcheck disable=SC2119 # no module parameters
vnic_load || { echo "insmod failed"; exit 1; }
vnic_setup_pair >/dev/null || { echo "the pair did not come up"; exit 1; }
vnic_bg ip netns exec "$VNIC_NS" iperf3 -s -B "$VNIC_IP4_1" >/dev/null
vnic_wait_listen "$VNIC_NS" 5201 || { echo "iperf3 server did not start"; exit 1; }

iperf3 -c "$VNIC_IP4_1" -t $((secs + 4)) >"$out/iperf3.txt" 2>&1 &
iperf=$!
sleep 2
perf record -q -a -g -e cpu-clock -F 499 -o "$data" -- sleep "$secs" 2>"$out/perf-record.txt"
wait "$iperf" || { echo "iperf3 failed"; cat "$out/iperf3.txt"; exit 1; }

report() {
	perf report -i "$data" --stdio --kallsyms=/proc/kallsyms "$@" 2>/dev/null
}
report --no-children --sort sym -g none --percent-limit 0.5 >"$out/report-sym.txt"
report --no-children --sort dso -g none >"$out/report-dso.txt"
report --no-children --sort sym -g caller,0.5,callee --percent-limit 3 >"$out/report-caller.txt"
grep -E 'sender|receiver' "$out/iperf3.txt" || true
echo "top symbols (self time, all CPUs):"
# Not `grep | head`: head's early exit could kill grep with SIGPIPE, and
# pipefail would turn that into the script's failure.
awk '/^ +[0-9]/ && ++n <= 30' "$out/report-sym.txt"
