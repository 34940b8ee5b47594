#!/bin/bash
#
# 52-stats.sh - the card's standard statistics and its loopback feature.
# Pings of known sizes, broadcasts, multicasts and a TCP transfer (GSO
# pass-through) move ethtool -S --groups eth-mac eth-ctrl rmon as they
# must; a receiver out of buffers sends pause frames that ethtool -I -a
# counts at both ends; with ethtool -K vnic0 loopback on, vnic0's frames
# come back to vnic0 and vnic1 sees none, across down/up, the offline
# self test and a card reset.
# vnic-test-timeout: 900

set -euo pipefail
# shellcheck source=scripts/tests/lib.sh
source "$(dirname "$0")/lib.sh"

vnic_require insmod ip ping ethtool python3 socat

HELPER="$(dirname "$0")/stats.py"
D1=/sys/kernel/debug/vnic_driver/vnic-c0p1
P0=/sys/kernel/debug/vnic/0/0
SNAP=/tmp/vnic-stats

tap_must "insmod vnic.ko" vnic_load
tap_must "both ports come up, vnic1 in netns $VNIC_NS" vnic_setup_pair

# dev_ns DEV: the namespace DEV lives in, empty for the root one.
dev_ns() {
	[[ $1 == vnic1 ]] && echo "$VNIC_NS"
	return 0
}

# snap NAME DEV: keep DEV's standard stats, pause stats and ethtool -S.
snap() {
	python3 "$HELPER" snap "$2" "$(dev_ns "$2")" >"$SNAP.$1"
}

# val NAME KEY: one value of a snapshot (0 if absent).
val() {
	awk -v k="$2" '$1 == k { v = $2 } END { print v + 0 }' "$SNAP.$1"
}

# delta A B KEY: how much KEY moved from snapshot A to B.
delta() {
	echo $(($(val "$2" "$3") - $(val "$1" "$3")))
}

# sumd A B REGEX: the moves of all keys that match REGEX.
sumd() {
	awk -v re="$3" 'FNR == NR { if ($1 ~ re) s -= $2; next }
		$1 ~ re { s += $2 } END { print s + 0 }' "$SNAP.$1" "$SNAP.$2"
}

# within DESC VALUE LOW HIGH [DIAG...]
within() {
	local desc=$1 v=$2 lo=$3 hi=$4
	shift 4
	if [[ $v -ge $lo && $v -le $hi ]]; then
		tap_ok "$desc: $v"
	else
		tap_fail "$desc: $v, expected $lo to $hi" "$@"
	fi
}

RANGES="64-64 65-127 128-255 256-511 512-1023 1024-1518 1519-2047 2048-4095 4096-9224"

# --- what is reported ---------------------------------------------------------
tap_diag "at ${SECONDS}s"

tap_check "ethtool -I -a reports pause frame counters" \
	sh -c "ethtool -I -a vnic0 | grep -q tx_pause_frames && ethtool -I -a vnic0 | grep -q rx_pause_frames"
ping -c 2 -i 0.2 -W 2 -q "$VNIC_IP4_1" >/dev/null || true
snap a0 vnic0
for k in pause.statistics.tx_pause_frames pause.statistics.rx_pause_frames \
	eth-mac.FramesTransmittedOK eth-mac.OctetsReceivedOK eth-mac.FrameTooLongErrors \
	eth-ctrl.MACControlFramesTransmitted rmon.etherStatsUndersizePkts; do
	tap_check "the nest has $k" grep -q "^$k " "$SNAP.a0"
done
for dir in rx tx; do
	got=$(awk -v p="rmon.$dir-pktsNtoM." 'index($1, p) == 1 { sub(p, "", $1); printf "%s ", $1 }' \
		"$SNAP.a0")
	if [[ ${got% } == "$RANGES" ]]; then
		tap_ok "rmon $dir histogram buckets: $RANGES"
	else
		tap_fail "rmon $dir histogram buckets are $RANGES" "got: $got"
	fi
done
tap_check "ethtool -S leaves the standard counters to their groups" \
	not grep -q "^S\..*_hist\|^S\.tx_octets" "$SNAP.a0"

# --- pings of known sizes -----------------------------------------------------
tap_diag "at ${SECONDS}s"
# ping -s 56: 98 B frames (102 with FCS); ping -s 1000: 1042 B (1046). N
# requests out of vnic0, N replies back. Neighbour discovery and the like
# may add a few frames, never many.

N=50
snap a0 vnic0
snap b0 vnic1
ping -c $N -i 0.02 -W 2 -q -s 56 "$VNIC_IP4_1" >/dev/null
ping -c $N -i 0.02 -W 2 -q -s 1000 "$VNIC_IP4_1" >/dev/null
snap a1 vnic0
snap b1 vnic1
slack=10
for b in 65-127 1024-1518; do
	within "vnic0 tx $b B frames" "$(delta a0 a1 "rmon.tx-pktsNtoM.$b")" $N $((N + slack))
	within "vnic0 rx $b B frames" "$(delta a0 a1 "rmon.rx-pktsNtoM.$b")" $N $((N + slack))
	within "vnic1 rx $b B frames" "$(delta b0 b1 "rmon.rx-pktsNtoM.$b")" $N $((N + slack))
	within "vnic1 tx $b B frames" "$(delta b0 b1 "rmon.tx-pktsNtoM.$b")" $N $((N + slack))
done
within "vnic0 FramesTransmittedOK" "$(delta a0 a1 eth-mac.FramesTransmittedOK)" \
	$((2 * N)) $((2 * N + slack))
within "vnic1 FramesReceivedOK" "$(delta b0 b1 eth-mac.FramesReceivedOK)" \
	$((2 * N)) $((2 * N + slack))
# MAC client data and pad: the IP packet, 84 and 1028 B.
oct=$((N * 84 + N * 1028))
within "vnic0 OctetsTransmittedOK" "$(delta a0 a1 eth-mac.OctetsTransmittedOK)" \
	$oct $((oct + slack * 100))
within "vnic1 OctetsReceivedOK" "$(delta b0 b1 eth-mac.OctetsReceivedOK)" \
	$oct $((oct + slack * 100))
within "vnic0 OctetsReceivedOK" "$(delta a0 a1 eth-mac.OctetsReceivedOK)" \
	$oct $((oct + slack * 100))
ftx=$(delta a0 a1 eth-mac.FramesTransmittedOK)
within "vnic0's TX histogram adds up to FramesTransmittedOK" \
	"$(sumd a0 a1 "^rmon[.]tx-pktsNtoM[.]")" "$ftx" "$ftx"
# ethtool -S is read a moment later: a frame of the stack's may slip in.
within "vnic0's ethtool -S tx_frames moved as FramesTransmittedOK" \
	"$(delta a0 a1 S.tx_frames)" $((ftx - 3)) $((ftx + 3))
within "no FCS errors, no runts, no oversize" \
	"$(($(delta b0 b1 eth-mac.FrameCheckSequenceErrors) + $(delta b0 b1 rmon.etherStatsUndersizePkts) +
		$(delta b0 b1 rmon.etherStatsOversizePkts)))" 0 0

# --- broadcast, multicast -----------------------------------------------------
tap_diag "at ${SECONDS}s"

M=20
snap a0 vnic0
snap b0 vnic1
ping -b -c $M -i 0.02 -W 1 -q 198.18.0.255 >/dev/null 2>&1 || true
ping -c $M -i 0.02 -W 1 -q -I vnic0 ff02::1 >/dev/null 2>&1 || true
snap a1 vnic0
snap b1 vnic1
within "vnic0 BroadcastFramesXmittedOK" "$(delta a0 a1 eth-mac.BroadcastFramesXmittedOK)" \
	$M $((M + slack))
within "vnic1 BroadcastFramesReceivedOK" "$(delta b0 b1 eth-mac.BroadcastFramesReceivedOK)" \
	$M $((M + slack))
within "vnic0 MulticastFramesXmittedOK" "$(delta a0 a1 eth-mac.MulticastFramesXmittedOK)" \
	$M $((M + slack))
within "vnic1 MulticastFramesReceivedOK" "$(delta b0 b1 eth-mac.MulticastFramesReceivedOK)" \
	$M $((M + slack))

# --- GSO pass-through counts as segments --------------------------------------
tap_diag "at ${SECONDS}s"
# 4 MiB over TCP: vnic0 hands the card TSO packets that reach vnic1 whole
# (rx-gro-hw is on), but on the wire they are segments of at most an MSS
# (1448 B with timestamps): never a frame above 1518 B.

BYTES=$((4 * 1024 * 1024))
head -c $BYTES /dev/urandom >/tmp/vnic-src.bin
snap a0 vnic0
snap b0 vnic1
vnic_bg in_ns socat -u TCP-LISTEN:5201,reuseaddr OPEN:/dev/null
vnic_wait_listen "$VNIC_NS" 5201
tap_check "4 MiB over TCP" timeout 60 socat -u OPEN:/tmp/vnic-src.bin TCP:$VNIC_IP4_1:5201
sleep 0.5
snap a1 vnic0
snap b1 vnic1
segs=$((BYTES / 1448))
within "vnic0 tx frames of 512-1518 B: the segments" \
	"$(sumd a0 a1 "^rmon[.]tx-pktsNtoM[.](512-1023|1024-1518)$")" $segs $((segs + segs / 5))
within "vnic1 rx frames of 512-1518 B: the segments" \
	"$(sumd b0 b1 "^rmon[.]rx-pktsNtoM[.](512-1023|1024-1518)$")" $segs $((segs + segs / 5))
within "no frame above 1518 B either way" \
	"$(($(sumd a0 a1 "^rmon[.]tx-pktsNtoM[.](1519|2048|4096)-") +
		$(sumd b0 b1 "^rmon[.]rx-pktsNtoM[.](1519|2048|4096)-")))" 0 0
frx=$(delta b0 b1 eth-mac.FramesReceivedOK)
# The histogram counts what arrived, also what the filter refused.
within "vnic1's RX histogram adds up to FramesReceivedOK, or a few more" \
	"$(sumd b0 b1 "^rmon[.]rx-pktsNtoM[.]")" "$frx" $((frx + slack))
within "vnic1 OctetsReceivedOK holds the data" "$(delta b0 b1 eth-mac.OctetsReceivedOK)" \
	$BYTES $((BYTES + BYTES / 10))
tap_diag "vnic1: $frx frames on the wire; the driver took $(sumd b0 b1 '^S[.]rx_q[0-9]+_gso_packets$') GSO packets of $(sumd b0 b1 '^S[.]rx_q[0-9]+_gso_segs$') segments"

# --- pause frames ---------------------------------------------------------------
tap_diag "at ${SECONDS}s"
# vnic1 cannot refill its RX ring: it runs dry, and with pause on vnic0
# holds its frames and counts vnic1's pause frames.

tap_check "pause on at vnic0" ethtool -A vnic0 rx on tx on
tap_check "pause on at vnic1" in_ns ethtool -A vnic1 rx on tx on
tap_check "vnic1 on 64-buffer RX rings" in_ns ethtool -G vnic1 rx 64
vnic_wait_link vnic1 "$VNIC_NS"
ping -c 2 -i 0.2 -W 2 -q "$VNIC_IP4_1" >/dev/null || true
snap a0 vnic0
snap b0 vnic1
echo 1000000 >"$D1/rx_alloc_fail_next"
ping -c 150 -i 0.01 -W 1 -q "$VNIC_IP4_1" >/dev/null 2>&1 || true
sleep 1
snap a1 vnic0
snap b1 vnic1
echo 0 >"$D1/rx_alloc_fail_next"
ptx=$(delta b0 b1 pause.statistics.tx_pause_frames)
prx=$(delta a0 a1 pause.statistics.rx_pause_frames)
within "vnic1 sent pause frames" "$ptx" 1 1000
within "vnic0 received as many" "$prx" "$ptx" "$ptx"
within "vnic0 stopped its TX queues as often (ethtool -S tx_paused)" \
	"$(delta a0 a1 S.tx_paused)" "$prx" "$prx"
within "vnic1 MACControlFramesTransmitted = its pause frames" \
	"$(delta b0 b1 eth-ctrl.MACControlFramesTransmitted)" "$ptx" "$ptx"
within "vnic0 MACControlFramesReceived = its pause frames" \
	"$(delta a0 a1 eth-ctrl.MACControlFramesReceived)" "$prx" "$prx"
within "no pause the other way" "$(($(delta a0 a1 pause.statistics.tx_pause_frames) +
	$(delta b0 b1 pause.statistics.rx_pause_frames)))" 0 0
pings_back() {
	local i
	for i in $(seq 20); do
		ping -c 1 -W 1 -q "$VNIC_IP4_1" >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	return 1
}
tap_check "traffic is back once vnic1 refills" pings_back
ethtool -A vnic0 rx off tx off
in_ns ethtool -A vnic1 rx off tx off

# --- loopback -----------------------------------------------------------------
tap_diag "at ${SECONDS}s"

K=20
# loops: send K frames out of vnic0; "came back" and "reached vnic1's MAC".
loops() {
	python3 "$HELPER" loop vnic0 $K vnic1 "$VNIC_NS"
}
# no_loop DESC: K frames out of vnic0 reach vnic1, none comes back.
no_loop() {
	local desc=$1 got rx
	read -r got rx < <(loops)
	if [[ $got -eq 0 && $rx -ge $K ]]; then
		tap_ok "$desc: none of $K frames came back to vnic0, vnic1 saw $rx"
	else
		tap_fail "$desc: no frame comes back to vnic0, all reach vnic1" \
			"came back: $got; frames at vnic1's MAC: $rx"
	fi
}
# loop_ok DESC: K frames out of vnic0 come back to it, none reaches vnic1.
loop_ok() {
	local desc=$1 got rx
	read -r got rx < <(loops)
	if [[ $got -eq $K && $rx -eq 0 ]]; then
		tap_ok "$desc: $got of $K frames came back to vnic0, vnic1 saw none"
	else
		tap_fail "$desc: $K frames come back to vnic0, none to vnic1" \
			"came back: $got; frames at vnic1's MAC: $rx"
	fi
}

tap_check "ethtool -k: loopback can be changed, and is off" \
	sh -c "ethtool -k vnic0 | grep -qx 'loopback: off'"
no_loop "loopback off"
# The peer's address stays known while vnic0 talks to itself.
mac1=$(ip -n "$VNIC_NS" -br link show vnic1 | awk '{ print $3 }')
ip neigh replace "$VNIC_IP4_1" lladdr "$mac1" dev vnic0 nud permanent
tap_check "ethtool -K vnic0 loopback on" ethtool -K vnic0 loopback on
tap_check "ethtool -k shows loopback on" sh -c "ethtool -k vnic0 | grep -qx 'loopback: on'"
snap a0 vnic0
loop_ok "loopback on"
snap a1 vnic0
within "vnic0's card counted them on both sides (tx 65-127 B frames)" \
	"$(delta a0 a1 rmon.tx-pktsNtoM.65-127)" $K $((K + slack))
within "vnic0's card counted them on both sides (rx 65-127 B frames)" \
	"$(delta a0 a1 rmon.rx-pktsNtoM.65-127)" $K $((K + slack))
tap_check "no ping reaches vnic1 in loopback" not ping -c 2 -i 0.2 -W 1 -q "$VNIC_IP4_1"

ip link set vnic0 down
ip link set vnic0 up
vnic_wait_link vnic0 || true
tap_check "loopback is still on after down/up" sh -c "ethtool -k vnic0 | grep -qx 'loopback: on'"
loop_ok "after down/up"

tap_check "ethtool -t vnic0 offline passes in loopback" ethtool -t vnic0 offline
vnic_wait_link vnic0 || true
loop_ok "after the offline self test"

# A stalled TX engine makes the watchdog reset the card (60-faults.sh).
# Down/up flushed the neighbour entry: without it nothing reaches the
# driver, as no ARP reply comes back in loopback.
ip neigh replace "$VNIC_IP4_1" lladdr "$mac1" dev vnic0 nud permanent
msg="TX stalled: resetting the card"
n0=$(vnic_log_lines)
echo 1 >"$P0/tx_stall"
vnic_udp_flood "$VNIC_IP4_1"
# The first timeout kicks NAPI, the next one resets: 10 to 15 s.
tap_check "the card was reset" vnic_wait_log "$n0" "$msg"
echo 0 >"$P0/tx_stall"
vnic_wait_link vnic0 || true
sleep 1
loop_ok "after a card reset"

tap_check "ethtool -K vnic0 loopback off" ethtool -K vnic0 loopback off
no_loop "loopback off again"
ip neigh del "$VNIC_IP4_1" dev vnic0 || true
tap_check "ping works again" pings_back

tap_done
