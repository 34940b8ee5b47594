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

# ethsum [NS] REGEX: the sum of vnic's ethtool -S counters named by REGEX.
ethsum() {
	local dev=vnic0
	local -a pre=()
	if [[ $1 == "$VNIC_NS" ]]; then
		dev=vnic1
		pre=(ip netns exec "$VNIC_NS")
		shift
	fi
	"${pre[@]}" ethtool -S "$dev" |
		awk -v re="^($1)\$" '{ k = $1; sub(/:$/, "", k) } k ~ re { s += $2 } END { print s + 0 }'
}

# injected PORTDIR NAME: a count from the port's "faults" file.
injected() {
	awk -v k="$2" '$1 == k { print $2 }' "$1/faults"
}

# link_stat NS DEV FIELD: an ip -s link counter, e.g. "['tx']['errors']".
link_stat() {
	local ns=$1 dev=$2 field=$3
	local -a ipx=(ip)
	[[ -n $ns ]] && ipx=(ip -n "$ns")
	"${ipx[@]}" -j -s link show dev "$dev" |
		python3 -c "import json,sys; s=json.load(sys.stdin)[0]['stats64']; print(s$field)"
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

# serve_in_ns SECONDS CMD...: a server in the namespace, killed on exit and
# after SECONDS at the latest; it must not hold the test's output open.
serve_in_ns() {
	local secs=$1
	shift
	vnic_bg ip netns exec "$VNIC_NS" timeout "$secs" "$@" >/dev/null 2>>/tmp/vnic-serve.log
}

# listening PORT: a TCP socket listens on PORT in the namespace within 10 s.
listening() {
	local i
	for ((i = 0; i < 100; i++)); do
		in_ns ss -Hltn "sport = :$1" | grep -q . && return 0
		sleep 0.1
	done
	echo "nothing listens on port $1 in $VNIC_NS" >&2
	cat /tmp/vnic-serve.log >&2
	return 1
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
serve_in_ns 90 iperf3 -s -B "$VNIC_IP4_1" -1
listening 5201 || true
if out=$(timeout 60 iperf3 -c "$VNIC_IP4_1" -t 5 -J 2>&1) &&
	bps=$(python3 -c 'import json,sys; print(int(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]))' <<<"$out") &&
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
tap_diag "service task NAPI kicks: vnic0 $(ethsum 'q[0-9]+_kicks'), vnic1 $(ethsum "$VNIC_NS" 'q[0-9]+_kicks')"
for p in "$P0" "$P1"; do
	echo 0 >"$p/irq_drop_next"
	echo 0 >"$p/irq_drop_rate"
done
tap_check "traffic is prompt again with the knobs at 0" ping -c 5 -i 0.2 -W 1 -q "$VNIC_IP4_1"

# --- DMA errors ----------------------------------------------------------------

txe0=$(ethsum 'tx_q[0-9]+_errors')
rxe0=$(ethsum "$VNIC_NS" 'rx_q[0-9]+_errors')
iptx0=$(link_stat "" vnic0 "['tx']['errors']")
iprx0=$(link_stat "$VNIC_NS" vnic1 "['rx']['errors']")
echo 5 >"$P0/tx_dma_err_next"
echo 5 >"$P1/rx_dma_err_next"
ping -c 20 -i 0.05 -W 1 -q "$VNIC_IP4_1" >/dev/null || true
sleep 1
txe=$(($(ethsum 'tx_q[0-9]+_errors') - txe0))
rxe=$(($(ethsum "$VNIC_NS" 'rx_q[0-9]+_errors') - rxe0))
iptx=$(($(link_stat "" vnic0 "['tx']['errors']") - iptx0))
iprx=$(($(link_stat "$VNIC_NS" vnic1 "['rx']['errors']") - iprx0))
tap_check "tx_dma_err_next and rx_dma_err_next are used up" \
	sh -c "grep -qx 0 '$P0/tx_dma_err_next' && grep -qx 0 '$P1/rx_dma_err_next'"
if [[ $txe -eq 5 && $iptx -eq 5 ]]; then
	tap_ok "5 TX DMA errors counted: ethtool -S tx_q*_errors +$txe, ip -s link TX errors +$iptx"
else
	tap_fail "5 TX DMA errors counted" "tx_q*_errors +$txe, ip -s link TX errors +$iptx" \
		"$(ethtool -S vnic0 | grep -v ': 0$')"
fi
if [[ $rxe -eq 5 && $iprx -eq 5 ]]; then
	tap_ok "5 RX DMA errors counted: ethtool -S rx_q*_errors +$rxe, ip -s link RX errors +$iprx"
else
	tap_fail "5 RX DMA errors counted" "rx_q*_errors +$rxe, ip -s link RX errors +$iprx" \
		"$(in_ns ethtool -S vnic1 | grep -v ': 0$')"
fi
tap_check "traffic continues after the DMA errors" pings_ok

# --- faults on the driver's side (/sys/kernel/debug/vnic_driver/) ---------------

D0=/sys/kernel/debug/vnic_driver/vnic-c0p0
D1=/sys/kernel/debug/vnic_driver/vnic-c0p1
tap_check "the driver's debugfs shows its rings" \
	sh -c "grep -q 'queue 0' $D0/rings && grep -q 'next_to_use' $D1/rings"

# The driver posts 5 packets with a zero-length descriptor; the card must
# refuse each one (its tx_desc_err) and go on with the next packet.
desc0=$(ethsum 'tx_desc_err')
txe0=$(ethsum 'tx_q[0-9]+_errors')
echo 5 >"$D0/tx_bad_desc_next"
ping -c 20 -i 0.05 -W 1 -q "$VNIC_IP4_1" >/dev/null || true
sleep 1
desc=$(($(ethsum 'tx_desc_err') - desc0))
txe=$(($(ethsum 'tx_q[0-9]+_errors') - txe0))
tap_check "tx_bad_desc_next is used up" grep -qx 0 "$D0/tx_bad_desc_next"
if [[ $desc -eq 5 && $txe -eq 5 ]]; then
	tap_ok "5 bad descriptors refused by the card: tx_desc_err +$desc, tx_q*_errors +$txe"
else
	tap_fail "5 bad descriptors refused by the card" "tx_desc_err +$desc, tx_q*_errors +$txe" \
		"$(ethtool -S vnic0 | grep -v ': 0$')"
fi
tap_check "traffic continues after the bad descriptors" pings_ok

# RX buffer exhaustion: the next 200 buffer allocations of vnic1 fail. Each
# failure ends that refill, is counted, and the next poll (or the service
# task, for a ring that ran dry) tries again.
af0=$(ethsum "$VNIC_NS" 'rx_q[0-9]+_alloc_fail')
echo 200 >"$D1/rx_alloc_fail_next"
ping -c 300 -i 0.01 -W 1 -q "$VNIC_IP4_1" >/dev/null 2>&1 || true
t=0
while [[ $(<"$D1/rx_alloc_fail_next") -ne 0 && $t -lt 30 ]]; do
	ping -c 10 -i 0.1 -W 1 -q "$VNIC_IP4_1" >/dev/null 2>&1 || true
	t=$((t + 1))
done
af=$(($(ethsum "$VNIC_NS" 'rx_q[0-9]+_alloc_fail') - af0))
if [[ $(<"$D1/rx_alloc_fail_next") -eq 0 && $af -eq 200 ]]; then
	tap_ok "200 failed RX refills counted: rx_q*_alloc_fail +$af"
else
	tap_fail "200 failed RX refills counted" "rx_q*_alloc_fail +$af, $(<"$D1/rx_alloc_fail_next") left"
fi
tap_check "traffic is back once memory returns" pings_ok

# --- damaged frames ------------------------------------------------------------

fcs0=$(($(ethsum rx_fcs_err) + $(ethsum "$VNIC_NS" rx_fcs_err)))
bad0=$(($(ethsum 'rx_q[0-9]+_csum_err') + $(ethsum "$VNIC_NS" 'rx_q[0-9]+_csum_err')))
runt0=$(($(ethsum rx_runt) + $(ethsum "$VNIC_NS" rx_runt)))
declare -A inj0
for k in rx_bad_fcs rx_bad_csum rx_truncated; do
	inj0[$k]=$(($(injected "$P0" $k) + $(injected "$P1" $k)))
done
for p in "$P0" "$P1"; do
	echo 10000 >"$p/rx_corrupt_fcs_rate"
	echo 10000 >"$p/rx_corrupt_csum_rate"
	echo 10000 >"$p/rx_truncate_rate"
done

src=/tmp/vnic-src.bin
dst=/tmp/vnic-dst.bin
head -c 16M /dev/urandom >"$src"
rm -f "$dst"
serve_in_ns 150 socat -u "TCP-LISTEN:5001,bind=$VNIC_IP4_1,reuseaddr" "OPEN:$dst,creat,trunc"
listening 5001 || true
tap_check "16 MiB over TCP with 1% bad FCS, 1% bad checksum, 1% truncated frames" \
	timeout 120 socat -u "OPEN:$src" "TCP:$VNIC_IP4_1:5001"
for _ in $(seq 50); do
	[[ $(stat -c %s "$dst" 2>/dev/null || echo 0) -ge 16777216 ]] && break
	sleep 0.2
done
sum_src=$(sha256sum "$src" | cut -d' ' -f1)
sum_dst=$( (sha256sum "$dst" 2>/dev/null || echo missing) | cut -d' ' -f1)
if [[ $sum_src == "$sum_dst" ]]; then
	tap_ok "the 16 MiB arrive intact: sha256 $sum_src"
else
	tap_fail "the 16 MiB arrive intact" "sent $sum_src" "got  $sum_dst" \
		"size $(stat -c %s "$dst" 2>/dev/null)"
fi
rm -f "$src" "$dst"
for p in "$P0" "$P1"; do
	echo 0 >"$p/rx_corrupt_fcs_rate"
	echo 0 >"$p/rx_corrupt_csum_rate"
	echo 0 >"$p/rx_truncate_rate"
done

declare -A inj
for k in rx_bad_fcs rx_bad_csum rx_truncated; do
	inj[$k]=$(($(injected "$P0" $k) + $(injected "$P1" $k) - ${inj0[$k]}))
done
fcs=$(($(ethsum rx_fcs_err) + $(ethsum "$VNIC_NS" rx_fcs_err) - fcs0))
bad=$(($(ethsum 'rx_q[0-9]+_csum_err') + $(ethsum "$VNIC_NS" 'rx_q[0-9]+_csum_err') - bad0))
runt=$(($(ethsum rx_runt) + $(ethsum "$VNIC_NS" rx_runt) - runt0))
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
n0=$(dmesg | wc -l)
resets0=$(ethsum resets)
timeouts0=$(ethsum tx_timeouts)
echo 1 >"$P0/tx_stall"
start=$(date +%s)
# Stop a queue (ring or byte limit full) so the watchdog sees it: UDP from
# non-blocking sockets, which never wait for the stalled queue to drain.
python3 - "$VNIC_IP4_1" <<'EOF_PY'
import socket, sys, time
socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(8)]
for s in socks:
    s.setblocking(False)
end = time.monotonic() + 2
while time.monotonic() < end:
    for s in socks:
        try:
            s.sendto(b"x" * 1400, (sys.argv[1], 9))
        except OSError:
            time.sleep(0.001)
EOF_PY
# The first timeout kicks NAPI, the next one resets: 10 to 15 s.
for _ in $(seq 300); do
	dmesg | tail -n +$((n0 + 1)) | grep -qF "$msg" && break
	sleep 0.1
done
took=$(($(date +%s) - start))
stall=$(cat "$P0/tx_stall")
echo 0 >"$P0/tx_stall"
tap_check "traffic resumes after the reset" pings_ok
sleep 6
new=$(dmesg | tail -n +$((n0 + 1)))
n=$(grep -cF "$msg" <<<"$new" || true)
if [[ $n -eq 1 ]]; then
	tap_ok "a TX stall of ${took} s: \"$msg\" logged once"
else
	tap_fail "a TX stall: \"$msg\" logged once" "logged $n times in ${took} s" "$new"
fi
tap_check "the card's reset ended the stall (tx_stall read $stall before it was cleared)" \
	test "$stall" -eq 0
resets=$(($(ethsum resets) - resets0))
timeouts=$(($(ethsum tx_timeouts) - timeouts0))
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
