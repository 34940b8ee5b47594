#!/bin/bash
#
# 60-faults.sh - the card's fault injection, driven through its debugfs
# knobs (/sys/kernel/debug/vnic/<card>/<port>/, see README.md), and the
# driver's recovery from each fault: the link going down and up, lost
# interrupts, TX and RX DMA errors, damaged frames on the wire, a stalled
# TX engine; and knobs touched while the interfaces are down or while the
# card is being removed.

set -euo pipefail
# shellcheck source=scripts/tests/lib.sh
source "$(dirname "$0")/lib.sh"

vnic_require insmod ip ping ethtool iperf3 socat sha256sum head python3 awk ss timeout

tap_must "insmod vnic.ko" vnic_load
tap_must "both ports come up, vnic1 in netns $VNIC_NS" vnic_setup_pair

P0=/sys/kernel/debug/vnic/0/0
P1=/sys/kernel/debug/vnic/0/1
KNOBS=(irq_drop_next irq_drop_rate tx_dma_err_next rx_dma_err_next
	rx_corrupt_fcs_rate rx_corrupt_csum_rate rx_truncate_rate tx_stall link)

knobs_present() {
	local p k
	for p in "$P0" "$P1"; do
		for k in "${KNOBS[@]}"; do
			[[ -w $p/$k ]] || { echo "missing $p/$k"; return 1; }
		done
		[[ -r $p/faults ]] || { echo "missing $p/faults"; return 1; }
	done
}
tap_must "every fault knob is in debugfs for both ports" knobs_present

# injected PORTDIR NAME: a count from the port's "faults" file.
injected() {
	awk -v k="$2" '$1 == k { print $2 }' "$1/faults"
}

# carrier_is up|down: both ends show it within 5 s.
carrier_is() {
	local want=$1 i flag=NO-CARRIER
	[[ $want == up ]] && flag=LOWER_UP
	for ((i = 0; i < 50; i++)); do
		if ip link show dev vnic0 | grep -q "$flag" &&
			in_ns ip link show dev vnic1 | grep -q "$flag"; then
			return 0
		fi
		sleep 0.1
	done
	ip link show dev vnic0
	in_ns ip link show dev vnic1
	return 1
}

# pings_ok: the path works (a neighbour entry that failed meanwhile may
# take a few seconds to be probed again), then 5 pings in a row get through.
pings_ok() {
	local i
	for ((i = 0; i < 15; i++)); do
		ping -c 1 -W 1 -q "$VNIC_IP4_1" >/dev/null 2>&1 && break
	done
	ping -c 5 -i 0.2 -W 2 -q "$VNIC_IP4_1"
}

# --- link down and up on the wire -------------------------------------------

echo 0 >"$P0/link"
tap_check "link 0 on port 0: both ends lose carrier (NO-CARRIER)" carrier_is down
tap_check "port 1's link knob shows the same wire: 0" grep -qx 0 "$P1/link"
tap_check "no traffic while the link is down" not ping -c 2 -W 1 -q "$VNIC_IP4_1"
echo 1 >"$P1/link"
tap_check "link 1 on port 1: both ends regain carrier (LOWER_UP)" carrier_is up
tap_check "traffic resumes after the link comes back" pings_ok

# --- lost interrupts -----------------------------------------------------------

lost0=$(($(injected "$P0" irqs_lost) + $(injected "$P1" irqs_lost)))
for p in "$P0" "$P1"; do
	echo 50 >"$p/irq_drop_next"
	echo 10000 >"$p/irq_drop_rate"
done
tap_check "ping: all 30 replies despite lost interrupts (no permanent stall)" \
	ping -c 30 -i 0.05 -w 60 -q "$VNIC_IP4_1"
vnic_bg in_ns timeout 90 iperf3 -s -B "$VNIC_IP4_1" -1 >/dev/null 2>&1
vnic_wait_listen "$VNIC_NS" 5201 || true
if out=$(timeout 60 iperf3 -c "$VNIC_IP4_1" -t 5 -J 2>&1) &&
	bps=$(vnic_iperf3_bps <<<"$out") &&
	[[ $bps -gt 0 ]]; then
	tap_ok "iperf3 TCP 5 s completes despite 1% lost interrupts: $((bps / 1000000)) Mbit/s"
else
	tap_fail "iperf3 TCP 5 s completes despite lost interrupts" "$out"
fi
lost=$(($(injected "$P0" irqs_lost) + $(injected "$P1" irqs_lost) - lost0))
if [[ $lost -ge 100 ]]; then
	tap_ok "the card lost $lost interrupts (the first 50 of each port, then 1%)"
else
	tap_fail "the card lost at least the first 50 interrupts of each port" "lost $lost" \
		"$(cat "$P0/faults" "$P1/faults")"
fi
tap_diag "service task NAPI kicks: vnic0 $(vnic_ethsum 'q[0-9]+_kicks'), vnic1 $(vnic_ethsum "$VNIC_NS" 'q[0-9]+_kicks')"
for p in "$P0" "$P1"; do
	echo 0 >"$p/irq_drop_next"
	echo 0 >"$p/irq_drop_rate"
done
tap_check "traffic is prompt again with the knobs at 0" ping -c 5 -i 0.2 -W 1 -q "$VNIC_IP4_1"

# --- DMA errors ----------------------------------------------------------------

txe0=$(vnic_ethsum 'tx_q[0-9]+_errors')
rxe0=$(vnic_ethsum "$VNIC_NS" 'rx_q[0-9]+_errors')
iptx0=$(vnic_link_stat "" vnic0 "['tx']['errors']")
iprx0=$(vnic_link_stat "$VNIC_NS" vnic1 "['rx']['errors']")
echo 5 >"$P0/tx_dma_err_next"
echo 5 >"$P1/rx_dma_err_next"
ping -c 20 -i 0.05 -W 1 -q "$VNIC_IP4_1" >/dev/null || true
sleep 1
txe=$(($(vnic_ethsum 'tx_q[0-9]+_errors') - txe0))
rxe=$(($(vnic_ethsum "$VNIC_NS" 'rx_q[0-9]+_errors') - rxe0))
iptx=$(($(vnic_link_stat "" vnic0 "['tx']['errors']") - iptx0))
iprx=$(($(vnic_link_stat "$VNIC_NS" vnic1 "['rx']['errors']") - iprx0))
tap_check "tx_dma_err_next and rx_dma_err_next are used up" \
	sh -c "grep -qx 0 '$P0/tx_dma_err_next' && grep -qx 0 '$P1/rx_dma_err_next'"
tap_is "5 TX DMA errors counted: ethtool -S tx_q*_errors +$txe, ip -s link TX errors +$iptx" \
	"$txe $iptx" "5 5" "$(ethtool -S vnic0 | grep -v ': 0$')"
tap_is "5 RX DMA errors counted: ethtool -S rx_q*_errors +$rxe, ip -s link RX errors +$iprx" \
	"$rxe $iprx" "5 5" "$(in_ns ethtool -S vnic1 | grep -v ': 0$')"
tap_check "traffic continues after the DMA errors" pings_ok

# --- faults on the driver's side (/sys/kernel/debug/vnic_driver/) ---------------

D0=/sys/kernel/debug/vnic_driver/vnic-c0p0
D1=/sys/kernel/debug/vnic_driver/vnic-c0p1
tap_check "the driver's debugfs shows its rings" \
	sh -c "grep -q 'queue 0' $D0/rings && grep -q 'next_to_use' $D1/rings"

# The driver posts 5 packets with a zero-length descriptor; the card must
# refuse each one (its tx_desc_err) and go on with the next packet.
desc0=$(vnic_ethsum 'tx_desc_err')
txe0=$(vnic_ethsum 'tx_q[0-9]+_errors')
echo 5 >"$D0/tx_bad_desc_next"
ping -c 20 -i 0.05 -W 1 -q "$VNIC_IP4_1" >/dev/null || true
sleep 1
desc=$(($(vnic_ethsum 'tx_desc_err') - desc0))
txe=$(($(vnic_ethsum 'tx_q[0-9]+_errors') - txe0))
tap_check "tx_bad_desc_next is used up" grep -qx 0 "$D0/tx_bad_desc_next"
tap_is "5 bad descriptors refused by the card: tx_desc_err +$desc, tx_q*_errors +$txe" \
	"$desc $txe" "5 5" "$(ethtool -S vnic0 | grep -v ': 0$')"
tap_check "traffic continues after the bad descriptors" pings_ok

# RX buffer exhaustion: the next 200 buffer allocations of vnic1 fail. Each
# failure ends that refill, is counted, and the next poll (or the service
# task, for a ring that ran dry) tries again.
af0=$(vnic_ethsum "$VNIC_NS" 'rx_q[0-9]+_alloc_fail')
echo 200 >"$D1/rx_alloc_fail_next"
ping -c 300 -i 0.01 -W 1 -q "$VNIC_IP4_1" >/dev/null 2>&1 || true
t=0
while [[ $(<"$D1/rx_alloc_fail_next") -ne 0 && $t -lt 30 ]]; do
	ping -c 10 -i 0.1 -W 1 -q "$VNIC_IP4_1" >/dev/null 2>&1 || true
	t=$((t + 1))
done
af=$(($(vnic_ethsum "$VNIC_NS" 'rx_q[0-9]+_alloc_fail') - af0))
if [[ $(<"$D1/rx_alloc_fail_next") -eq 0 && $af -eq 200 ]]; then
	tap_ok "200 failed RX refills counted: rx_q*_alloc_fail +$af"
else
	tap_fail "200 failed RX refills counted" "rx_q*_alloc_fail +$af, $(<"$D1/rx_alloc_fail_next") left"
fi
tap_check "traffic is back once memory returns" pings_ok

# --- damaged frames ------------------------------------------------------------

fcs0=$(($(vnic_ethsum rx_fcs_err) + $(vnic_ethsum "$VNIC_NS" rx_fcs_err)))
bad0=$(($(vnic_ethsum 'rx_q[0-9]+_csum_err') + $(vnic_ethsum "$VNIC_NS" 'rx_q[0-9]+_csum_err')))
runt0=$(($(vnic_ethsum rx_runt) + $(vnic_ethsum "$VNIC_NS" rx_runt)))
declare -A inj0
for k in rx_bad_fcs rx_bad_csum rx_truncated; do
	inj0[$k]=$(($(injected "$P0" $k) + $(injected "$P1" $k)))
done
for p in "$P0" "$P1"; do
	echo 10000 >"$p/rx_corrupt_fcs_rate"
	echo 10000 >"$p/rx_corrupt_csum_rate"
	echo 10000 >"$p/rx_truncate_rate"
done

vnic_tcp_file 16M 5001 120 \
	"16 MiB over TCP with 1% bad FCS, 1% bad checksum, 1% truncated frames" \
	"the 16 MiB arrive intact"
for p in "$P0" "$P1"; do
	echo 0 >"$p/rx_corrupt_fcs_rate"
	echo 0 >"$p/rx_corrupt_csum_rate"
	echo 0 >"$p/rx_truncate_rate"
done

declare -A inj
for k in rx_bad_fcs rx_bad_csum rx_truncated; do
	inj[$k]=$(($(injected "$P0" $k) + $(injected "$P1" $k) - ${inj0[$k]}))
done
fcs=$(($(vnic_ethsum rx_fcs_err) + $(vnic_ethsum "$VNIC_NS" rx_fcs_err) - fcs0))
bad=$(($(vnic_ethsum 'rx_q[0-9]+_csum_err') + $(vnic_ethsum "$VNIC_NS" 'rx_q[0-9]+_csum_err') - bad0))
runt=$(($(vnic_ethsum rx_runt) + $(vnic_ethsum "$VNIC_NS" rx_runt) - runt0))
if [[ ${inj[rx_bad_fcs]} -gt 0 && $fcs -eq ${inj[rx_bad_fcs]} ]]; then
	tap_ok "every bad FCS is counted: ethtool -S rx_fcs_err +$fcs"
else
	tap_fail "every bad FCS is counted in rx_fcs_err" \
		"injected ${inj[rx_bad_fcs]}, rx_fcs_err +$fcs"
fi
# A damaged frame can still miss a buffer or the filter; none is counted twice.
if [[ ${inj[rx_bad_csum]} -gt 0 && $bad -gt 0 && $bad -le ${inj[rx_bad_csum]} ]]; then
	tap_ok "bad checksums are flagged: rx_q*_csum_err +$bad of ${inj[rx_bad_csum]} corrupted"
else
	tap_fail "bad checksums are flagged in rx_q*_csum_err" \
		"corrupted ${inj[rx_bad_csum]}, rx_q*_csum_err +$bad"
fi
if [[ ${inj[rx_truncated]} -gt 0 && $runt -le ${inj[rx_truncated]} ]]; then
	tap_ok "${inj[rx_truncated]} frames truncated: $runt caught as runts, the rest dropped by IP"
else
	tap_fail "frames are truncated, runts among them counted" \
		"truncated ${inj[rx_truncated]}, rx_runt +$runt"
fi
tap_diag "stack counters: $(nstat -az 2>/dev/null | awk '/InCsumErrors|InTruncatedPkts/ && $2 > 0 { printf "%s %s ", $1, $2 }')"
tap_check "traffic is clean again with the rates at 0" pings_ok

# --- stalled TX engine ---------------------------------------------------------

msg="TX stalled: resetting the card"
n0=$(vnic_log_lines)
resets0=$(vnic_ethsum resets)
timeouts0=$(vnic_ethsum tx_timeouts)
echo 1 >"$P0/tx_stall"
start=$(date +%s)
# Stop a queue (ring or byte limit full) so the watchdog sees it: UDP from
# non-blocking sockets, which never wait for the stalled queue to drain.
vnic_udp_flood "$VNIC_IP4_1"
# The first timeout kicks NAPI, the next one resets: 10 to 15 s.
vnic_wait_log "$n0" "$msg" || true
took=$(($(date +%s) - start))
stall=$(cat "$P0/tx_stall")
echo 0 >"$P0/tx_stall"
tap_check "traffic resumes after the reset" pings_ok
sleep 6
new=$(vnic_log_since "$n0")
n=$(grep -cF "$msg" <<<"$new" || true)
if [[ $n -eq 1 ]]; then
	tap_ok "a TX stall of ${took} s: \"$msg\" logged once"
else
	tap_fail "a TX stall: \"$msg\" logged once" "logged $n times in ${took} s" "$new"
fi
tap_check "the card's reset ended the stall (tx_stall read $stall before it was cleared)" \
	test "$stall" -eq 0
resets=$(($(vnic_ethsum resets) - resets0))
timeouts=$(($(vnic_ethsum tx_timeouts) - timeouts0))
if [[ $resets -ge 1 && $timeouts -ge 2 ]]; then
	tap_ok "ethtool -S: resets +$resets, tx_timeouts +$timeouts"
else
	tap_fail "ethtool -S: resets >= 1 and tx_timeouts >= 2" "resets +$resets tx_timeouts +$timeouts"
fi
tap_diag "kernel log during the stall: $(grep -E 'vnic0' <<<"$new" | tr '\n' '|')"

# --- knobs while the interfaces are down -----------------------------------------

twiddle() {
	local p=$1 k
	for k in irq_drop_next irq_drop_rate tx_dma_err_next rx_dma_err_next \
		rx_corrupt_fcs_rate rx_corrupt_csum_rate rx_truncate_rate; do
		echo 3 >"$p/$k"
		cat "$p/$k" >/dev/null
		echo 0 >"$p/$k"
	done
	echo 1 >"$p/tx_stall"
	echo 0 >"$p/tx_stall"
	echo 0 >"$p/link"
	echo 1 >"$p/link"
	cat "$p/faults" "$p/state" >/dev/null
}
ip link set vnic0 down
in_ns ip link set vnic1 down
tap_check "every knob of both ports can be set and read with the interfaces down" \
	sh -c "$(declare -f twiddle); twiddle $P0 && twiddle $P1"
ip link set vnic0 up
in_ns ip link set vnic1 up
tap_check "both ends come back up" carrier_is up
tap_check "traffic after knobs were touched while down" pings_ok

# --- knobs while a card goes away ------------------------------------------------

hammer() {
	local d=$1 p
	while :; do
		for p in "$d/0" "$d/1"; do
			{
				echo 1 >"$p/tx_stall"
				echo 10000 >"$p/irq_drop_rate"
				echo 0 >"$p/link"
				echo 1 >"$p/link"
				echo 0 >"$p/tx_stall"
				cat "$p/faults" "$p/state"
			} >/dev/null 2>&1
		done
	done
}
if echo 1 >/sys/bus/vnic/new_device; then
	tap_ok "a second card plugs in through /sys/bus/vnic/new_device"
	for p in 0 1; do
		for dev in "/sys/bus/vnic/devices/vnic-c1p$p"/net/*; do
			[[ -e $dev ]] && ip link set "$(basename "$dev")" up
		done
	done
	vnic_bg hammer /sys/kernel/debug/vnic/1
	hpid=${_vnic_pids[-1]}
	sleep 2
	tap_check "del_device removes the card while its knobs are being written" \
		sh -c 'echo 1 >/sys/bus/vnic/del_device'
	kill "$hpid" 2>/dev/null || true
	wait "$hpid" 2>/dev/null || true
	tap_check "the card's debugfs directory is gone" not test -e /sys/kernel/debug/vnic/1
else
	tap_fail "a second card plugs in through /sys/bus/vnic/new_device"
fi
tap_check "card 0 still carries traffic" pings_ok

tap_must "rmmod vnic" vnic_unload
tap_done
