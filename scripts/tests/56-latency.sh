#!/bin/bash
#
# 56-latency.sh - the kernel's latency knobs work on vnic as on a real
# NIC's NAPI driver:
#   - threaded NAPI (/sys/class/net/DEV/threaded): a kthread napi/DEV-ID per
#     queue polls instead of the NET_RX softirq;
#   - busy polling (net.core.busy_read, SO_BUSY_POLL): a receiving socket
#     polls the queue's NAPI from its own system call;
#   - napi_defer_hard_irqs with gro_flush_timeout: the vector stays masked
#     and a timer polls, so a stream costs fewer interrupts.
# The points count what happened (threads' run time, NAPI polls from the
# process, interrupts per packet), not how fast it was: make bench times it.

set -euo pipefail
# shellcheck source=scripts/tests/lib.sh
source "$(dirname "$0")/lib.sh"

vnic_require insmod ip ping iperf3 python3 ethtool

T=/sys/kernel/tracing
I=$T/instances/vnic-latency
busy_read0=$(sysctl -n net.core.busy_read)
latency_cleanup() {
	[[ -d $I ]] && { echo 0 >"$I/events/enable" || true; rmdir "$I" || true; }
	sysctl -qw net.core.busy_read="$busy_read0" || true
	vnic_cleanup
}
trap latency_cleanup EXIT

tap_must "insmod vnic.ko" vnic_load
tap_must "both ports come up, vnic1 in netns $VNIC_NS" vnic_setup_pair

# --- threaded NAPI -----------------------------------------------------------
queues=$(ls -d /sys/class/net/vnic0/queues/rx-* | wc -l)

# napi_threads DEV: the PIDs of DEV's NAPI kthreads, one a line.
napi_threads() {
	local p
	for p in /proc/[0-9]*; do
		[[ $(cat "$p/comm" 2>/dev/null) == "napi/$1-"* ]] && echo "${p#/proc/}"
	done
	return 0
}

# run_ns PIDS...: the nanoseconds the tasks PIDS ran on a CPU, summed.
run_ns() {
	local p s=0 t
	for p in "$@"; do
		read -r t _ <"/proc/$p/schedstat"
		s=$((s + t))
	done
	echo "$s"
}

tap_check "echo 1 > /sys/class/net/vnic0/threaded" sh -c 'echo 1 >/sys/class/net/vnic0/threaded'
tap_is "vnic0's threaded reads 1" "$(cat /sys/class/net/vnic0/threaded)" 1
mapfile -t pids < <(napi_threads vnic0)
if [[ ${#pids[@]} -eq $queues ]]; then
	tap_ok "one NAPI kthread per queue: ${#pids[@]} napi/vnic0-* for $queues queues"
else
	tap_fail "one NAPI kthread per queue" "${#pids[@]} napi/vnic0-* threads for $queues queues"
fi
before=$(run_ns "${pids[@]}")
tap_check "ping over threaded NAPI" ping -c 20 -i 0.05 -W 2 -q "$VNIC_IP4_1"
after=$(run_ns "${pids[@]}")
if ((after > before)); then
	tap_ok "vnic0's NAPI kthreads ran $(((after - before) / 1000)) us during the pings"
else
	tap_fail "vnic0's NAPI kthreads ran during the pings" "run time $before ns before, $after ns after"
fi
tap_check "TCP over threaded NAPI on both ports" sh -c '
	ip netns exec '"$VNIC_NS"' sh -c "echo 1 >/sys/class/net/vnic1/threaded" &&
	ip netns exec '"$VNIC_NS"' iperf3 -s -1 -B '"$VNIC_IP4_1"' >/dev/null &
	sleep 1; iperf3 -c '"$VNIC_IP4_1"' -t 2 >/dev/null; rc=$?; wait; exit $rc'
tap_check "echo 0 > threaded: back to the softirq, and ping works" sh -c '
	echo 0 >/sys/class/net/vnic0/threaded &&
	ip netns exec '"$VNIC_NS"' sh -c "echo 0 >/sys/class/net/vnic1/threaded" &&
	ping -c 5 -i 0.05 -W 2 -q '"$VNIC_IP4_1"' >/dev/null'

# --- busy polling -------------------------------------------------------------
# A UDP echo in the namespace; the client sends 30 requests one by one.
# echo_round BUSY: one round with SO_BUSY_POLL BUSY (us) on the server's
# socket; prints how many of the server's NAPI polls of vnic1 ran in its own
# process context (napi:napi_poll, not in a softirq).
[[ -d $T/instances ]] || mount -t tracefs nodev "$T"
[[ -d $I ]] && rmdir "$I"
mkdir "$I"
echo 'dev_name ~ "vnic1*"' >"$I/events/napi/napi_poll/filter"
echo 1 >"$I/events/napi/napi_poll/enable"
sleep 0.5
echo_round() {
	local busy=$1 spid n
	: >"$I/trace"
	# shellcheck disable=SC2016 # Python, not shell
	in_ns python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
if int(sys.argv[2]):
    s.setsockopt(socket.SOL_SOCKET, 46, int(sys.argv[2]))  # SO_BUSY_POLL
s.bind((sys.argv[1], 7011))
print("ready", flush=True)
for _ in range(30):
    data, peer = s.recvfrom(2048)
    s.sendto(data, peer)
' "$VNIC_IP4_1" "$busy" >/tmp/vnic-echo.out &
	spid=$!
	for ((n = 0; n < 100; n++)); do
		grep -q ready /tmp/vnic-echo.out 2>/dev/null && break
		sleep 0.1
	done
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
for i in range(30):
    s.sendto(b"%d" % i, (sys.argv[1], 7011))
    s.recvfrom(2048)
' "$VNIC_IP4_1" || echo "echo_round: a reply was lost" >&2
	wait "$spid" 2>/dev/null || true
	# "python3-123 [001] ...1. ts: napi_poll: napi poll on napi struct ...
	# for device vnic1 work 1 budget 8": the third flag is h/s in an
	# interrupt or softirq.
	grep -cE '^ *python3-[0-9]+ +\[[0-9]+\] +\S\S[^hHsS]\S* .*napi_poll: .*device vnic1' \
		"$I/trace" || true
}
polls=$(echo_round 0)
tap_is "without busy polling, the server never polls vnic1's NAPI itself" "$polls" 0
sysctl -qw net.core.busy_read=50
polls=$(echo_round 50)
if ((polls > 0)); then
	tap_ok "SO_BUSY_POLL 50 us, busy_read 50: the server polled vnic1's NAPI $polls times from recvfrom()"
else
	tap_fail "SO_BUSY_POLL: the server polls vnic1's NAPI from recvfrom()" \
		"no napi_poll of vnic1 in python3's process context" "$(tail -n 5 "$I/trace")"
fi
sysctl -qw net.core.busy_read="$busy_read0"
echo 0 >"$I/events/enable"
rmdir "$I"
rm -f /tmp/vnic-echo.out

# --- napi_defer_hard_irqs and gro_flush_timeout ----------------------------------
# irqs_per_kpkt: 3 s of UDP into vnic1 at 1250 frames a second (one every
# 800 us, slower than a poll takes); prints vnic1's queue interrupts per
# 1000 frames it received. A saturating stream would show nothing: its
# NAPI never completes, so no vector is unmasked either way.
irqs_per_kpkt() {
	local i0 i1 p0 p1
	in_ns iperf3 -s -1 -B "$VNIC_IP4_1" >/dev/null &
	vnic_wait_listen "$VNIC_NS" 5201 || true
	i0=$(vnic_irq_total 'vnic1-TxRx-')
	p0=$(in_ns cat /sys/class/net/vnic1/statistics/rx_packets)
	iperf3 -c "$VNIC_IP4_1" -u -b 10M -l 1000 -t 3 >/dev/null || true
	i1=$(vnic_irq_total 'vnic1-TxRx-')
	p1=$(in_ns cat /sys/class/net/vnic1/statistics/rx_packets)
	wait || true
	echo "$(((i1 - i0) * 1000 / (p1 - p0 + 1))) $((i1 - i0)) $((p1 - p0))"
}
# Without moderation every frame may raise the vector: the knobs' effect is
# then the card's interrupts alone.
tap_check "ethtool -C vnic1 adaptive-rx off rx-usecs 0 rx-frames 1" \
	in_ns ethtool -C vnic1 adaptive-rx off adaptive-tx off rx-usecs 0 rx-frames 1
read -r base base_irqs base_pkts < <(irqs_per_kpkt)
# Up to 10 timer polls of 1 ms each before the vector is unmasked again.
tap_check "napi_defer_hard_irqs 10, gro_flush_timeout 1 ms on vnic1" in_ns sh -c '
	echo 10 >/sys/class/net/vnic1/napi_defer_hard_irqs &&
	echo 1000000 >/sys/class/net/vnic1/gro_flush_timeout'
read -r defer defer_irqs defer_pkts < <(irqs_per_kpkt)
if ((defer_pkts > 1000 && defer * 2 < base)); then
	tap_ok "deferred: $defer interrupts per 1000 frames ($defer_irqs for $defer_pkts), against $base ($base_irqs for $base_pkts) without"
else
	tap_fail "napi_defer_hard_irqs takes under half the interrupts per frame" \
		"with it $defer per 1000 ($defer_irqs for $defer_pkts), without $base ($base_irqs for $base_pkts)"
fi
tap_check "back to 0 and 0; ping works" in_ns sh -c '
	echo 0 >/sys/class/net/vnic1/napi_defer_hard_irqs &&
	echo 0 >/sys/class/net/vnic1/gro_flush_timeout &&
	ping -c 5 -i 0.05 -W 2 -q '"$VNIC_IP4_0"' >/dev/null'

tap_must "rmmod vnic" vnic_unload
tap_done
