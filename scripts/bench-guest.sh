#!/bin/bash
#
# bench-guest.sh - the measurements of `make bench`, run inside one guest by
# scripts/bench.sh. It measures vnic and veth side by side in the same boot
# and writes raw numbers only; bench.sh turns them into the table and plots.
#
# Topology (all traffic stays inside the guest, on 198.18.0.0/15):
#   vnic: vnic0 198.18.0.1/24  <->  netns ns1,    vnic1 198.18.0.2/24 (lib.sh)
#   veth: vethA 198.19.0.1/24  <->  netns vethns, vethB 198.19.0.2/24
# The sender is always in the root namespace, the receiver in the netns.
#
# What it measures, per device:
#   ping.    200 pings at -i 0.05 on the idle link       raw/ping-DEV.txt
#            and for vnic again with each latency knob on both ports:
#            threaded NAPI, napi_defer_hard_irqs 2 with gro_flush_timeout
#            200 us, busy polling (net.core.busy_read and busy_poll 50)
#                                             raw/ping-vnic-KNOB.txt
#   tcp1/4.  iperf3 -J, 10 s, 1 and 4 streams, 3 repeats  raw/iperf3-*.json
#            plus counters around each run (below)         runs.tsv
#   tcp1seg. vnic only: tcp1 again with rx-gro-hw off at the receiver (the
#            card cuts TSO packets into frames), in the same rounds; it
#            is on again (the default) for everything else    runs.tsv
#   pktgen.  samples/pktgen/pktgen_sample01_simple.sh, 64 B frames at full
#            speed for 5 s, 3 repeats; frames received on the peer (its
#            rx_packets delta) and pktgen's own sending time  pktgen.tsv
#   xdpdrop. the same with a native XDP program on the peer's port that
#            drops every frame (XDP_DROP); frames its port received
#   xdptx.   the same with a program that bounces every frame (XDP_TX);
#            frames that came back to the sender's port (its rx_packets
#            delta, the sender's port promiscuous)
#            The programs come from scripts/tests/xdp_prog.py, pinned in a
#            bpffs at /run/vnic-bench-bpf (/sys is the netns's own).
# and for vnic only a sweep of rx-usecs (iperf3 1 stream, 5 s, same
# counters) with adaptive-rx off                              runs.tsv
#
# Counters around each iperf3 run (columns of runs.tsv):
#   irqs    sum over CPUs of every /proc/interrupts line naming vnic (both
#           ports' queue vectors and the misc vectors)
#   netrx   NET_RX softirqs, /proc/softirqs, all CPUs
#   busy    /proc/stat "cpu" user+nice+system+irq+softirq+steal jiffies
#   segs    TCP OutSegs of /proc/net/snmp, root namespace + peer namespace:
#           the TCP segments of both directions (data and ACKs), counting a
#           TSO/GSO packet as the MSS-sized segments it stands for, so vnic
#           and veth are counted alike
#   frames  rx_packets of both ends of the pair (what the devices counted)
#
# Env: VNIC_KO (vnic.ko for this kernel), VNIC_PKTGEN_DIR (the kernel
# tree's samples/pktgen), VNIC_OUT (results come back to the host),
# VNIC_BENCH_QUICK=1 (every run short: to try the bench, not to measure).
# Any measurement that cannot be taken ends the script with an error.

set -euo pipefail
# The ERR trap (a failed command names itself), as on the host.
# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

: "${VNIC_OUT:?run through scripts/bench.sh}"
: "${VNIC_PKTGEN_DIR:?run through scripts/bench.sh}"
# lib.sh: addresses, vnic_load, vnic_setup_pair, vnic_bg and an EXIT trap
# (vnic_cleanup) that bench_cleanup below replaces and then calls.
# shellcheck source=scripts/tests/lib.sh
source "$VNIC_ROOT/scripts/tests/lib.sh"

TCP_SECS=10
TCP_REPEATS=3
SWEEP_SECS=5
SWEEP_USECS=(0 8 16 32 64 128 256)
PKTGEN_SECS=5
PKTGEN_REPEATS=3
PING_COUNT=200
PING_INTERVAL=0.05
PKTGEN_SCRIPT=$VNIC_PKTGEN_DIR/pktgen_sample01_simple.sh
PGCTRL=/proc/net/pktgen/pgctrl
# VNIC_BENCH_QUICK=1: a short run to try the bench itself; its numbers mean
# little.
if [[ ${VNIC_BENCH_QUICK:-0} == 1 ]]; then
	TCP_SECS=2 TCP_REPEATS=1 SWEEP_SECS=2 PKTGEN_SECS=2 PKTGEN_REPEATS=1 PING_COUNT=20
fi

DEVS=(vnic veth)
declare -A NS=([vnic]=$VNIC_NS [veth]=vethns)
declare -A TX_DEV=([vnic]=vnic0 [veth]=vethA)
declare -A RX_DEV=([vnic]=vnic1 [veth]=vethB)
declare -A PEER_IP=([vnic]=$VNIC_IP4_1 [veth]=198.19.0.2)

RAW=$VNIC_OUT/raw
RUNS=$VNIC_OUT/runs.tsv
PKTGEN=$VNIC_OUT/pktgen.tsv

die() {
	echo "bench: FAILED: $*" >&2
	exit 1
}

step() {
	echo "bench: $*"
}

# --- cleanup -----------------------------------------------------------------

bench_cleanup() {
	if [[ -n ${pktgen_pid:-} ]]; then
		kill "$pktgen_pid" 2>/dev/null || true
		wait "$pktgen_pid" 2>/dev/null || true
	fi
	if [[ -w $PGCTRL ]]; then
		# "reset" waits for pktgen's threads; do not hang on it.
		timeout 10 sh -c "echo stop >$PGCTRL; echo reset >$PGCTRL" 2>/dev/null || true
	fi
	umount /run/vnic-bench-bpf 2>/dev/null || true
	ip link del vethA 2>/dev/null || true
	ip netns del vethns 2>/dev/null || true
	vnic_cleanup
	modprobe -r pktgen 2>/dev/null || true
	modprobe -r veth 2>/dev/null || true
}
trap bench_cleanup EXIT

# --- counters ----------------------------------------------------------------

in_ns() {
	ip netns exec "$@"
}

irq_sum() {
	awk 'NR == 1 { ncpu = NF; next }
	     /vnic/ { for (i = 2; i <= ncpu + 1; i++) s += $i }
	     END { print s + 0 }' /proc/interrupts
}

netrx_sum() {
	awk '$1 == "NET_RX:" { for (i = 2; i <= NF; i++) s += $i } END { print s + 0 }' /proc/softirqs
}

busy_jiffies() {
	awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}

# tcp_outsegs [NS]: Tcp OutSegs of the root namespace or of NS.
tcp_outsegs() {
	local -a run=()
	[[ -n ${1:-} ]] && run=(ip netns exec "$1")
	# awk reads the file itself: behind `cat |` its early exit could kill
	# cat with SIGPIPE, and pipefail would fail the run.
	# shellcheck disable=SC2016 # an awk program
	"${run[@]}" awk '$1 == "Tcp:" {
		if (!col) { for (i = 2; i <= NF; i++) if ($i == "OutSegs") col = i }
		else { print $col; exit } }' /proc/net/snmp
}

# rx_packets DEV [NS]
rx_packets() {
	local -a run=()
	[[ -n ${2:-} ]] && run=(ip netns exec "$2")
	"${run[@]}" cat "/sys/class/net/$1/statistics/rx_packets"
}

# snap D: the counters of runs.tsv, in column order.
snap() {
	local d=$1
	echo "$(irq_sum) $(netrx_sum) $(busy_jiffies)" \
		"$(($(tcp_outsegs) + $(tcp_outsegs "${NS[$d]}")))" \
		"$(($(rx_packets "${TX_DEV[$d]}") + $(rx_packets "${RX_DEV[$d]}" "${NS[$d]}")))"
}

# --- measurements ------------------------------------------------------------

# wait_listen NS IP PORT: until a TCP server listens there (5 s at most).
wait_listen() {
	local i
	for ((i = 0; i < 50; i++)); do
		in_ns "$1" ss -Hltn "src $2 and sport = :$3" | grep -q . && return 0
		sleep 0.1
	done
	die "no TCP listener on $2:$3 in netns $1"
}

# ping_idle D [KNOB]: PING_COUNT pings to the peer on the idle link, into
# raw/ping-D.txt (raw/ping-D-KNOB.txt: a run with that knob on).
ping_idle() {
	local d=$1 out=$RAW/ping-$1${2:+-$2}.txt n
	sleep 2
	ping -c "$PING_COUNT" -i "$PING_INTERVAL" -W 1 "${PEER_IP[$d]}" >"$out" ||
		die "ping over $d (see $out): $(tail -n 3 "$out")"
	n=$(grep -c 'time=' "$out" || true)
	[[ $n -ge $((PING_COUNT * 95 / 100)) ]] ||
		die "ping over $d: only $n of $PING_COUNT replies"
	step "ping $d: $n replies"
}

# knob KNOB on|off: a latency knob on both vnic ports (threaded, defer,
# busypoll), or back to the default.
knob() {
	local on=0 defer=0 flush=0
	[[ $2 == on ]] && on=1
	case $1 in
	threaded)
		echo "$on" >/sys/class/net/vnic0/threaded &&
			in_ns "$VNIC_NS" sh -c "echo $on >/sys/class/net/vnic1/threaded"
		;;
	defer)
		[[ $on -eq 1 ]] && defer=2 flush=200000
		echo "$defer" >/sys/class/net/vnic0/napi_defer_hard_irqs &&
			echo "$flush" >/sys/class/net/vnic0/gro_flush_timeout &&
			in_ns "$VNIC_NS" sh -c "echo $defer >/sys/class/net/vnic1/napi_defer_hard_irqs &&
				echo $flush >/sys/class/net/vnic1/gro_flush_timeout"
		;;
	busypoll)
		sysctl -qw net.core.busy_read=$((on * 50)) net.core.busy_poll=$((on * 50))
		;;
	esac || die "cannot turn $1 $2"
}

# tcp_run D TEST SECS STREAMS REP USECS FRAMES: one iperf3 run from the root
# namespace to the peer, with the counters around it: one row of runs.tsv.
tcp_run() {
	local d=$1 test=$2 secs=$3 streams=$4 rep=$5 usecs=$6 frames=$7
	local json=$RAW/iperf3-$d-$test-$rep.json result bps bytes i
	local -a before after delta=()
	sleep 1
	read -ra before <<<"$(snap "$d")"
	iperf3 -c "${PEER_IP[$d]}" -t "$secs" -P "$streams" -J >"$json" ||
		die "iperf3 over $d ($test, run $rep): $(grep -m1 '"error"' "$json" || tail -n 3 "$json")"
	read -ra after <<<"$(snap "$d")"
	for i in "${!before[@]}"; do
		delta+=($((after[i] - before[i])))
	done
	# bits per second and bytes, as the receiver counted them
	result=$(python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))["end"]["sum_received"]
print(int(r["bits_per_second"]), int(r["bytes"]))' "$json") ||
		die "cannot read iperf3's result in $json"
	read -r bps bytes <<<"$result"
	[[ ${bps:-0} -gt 0 ]] || die "iperf3 over $d ($test, run $rep) moved no data"
	[[ ${delta[3]} -gt 0 ]] || die "no TCP segments counted during iperf3 over $d"
	if [[ $d == vnic && ${delta[0]} -le 0 ]]; then
		die "no vnic interrupts counted in /proc/interrupts during iperf3"
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		"$d" "$test" "$streams" "$secs" "$rep" "$usecs" "$frames" \
		"$bps" "$bytes" "${delta[@]}" >>"$RUNS"
	step "iperf3 $d $test run $rep: $((bps / 1000000)) Mbit/s, counters ${delta[*]}"
}

# pktgen_running DEV: pktgen's thread 0 is sending on DEV.
pktgen_running() {
	grep -q "^Running: .*\<$1\>" /proc/net/pktgen/kpktgend_0 2>/dev/null
}

# pktgen_run D REP [TEST]: 64-byte UDP frames at full speed from the root
# namespace's end toward the peer's IP and MAC for PKTGEN_SECS; the peer's
# rx_packets delta counts what arrived, over pktgen's own sending time.
# TEST (default udp64) names the row; xdptx counts instead what came back
# to the sender's port.
#
# pktgen_sample01_simple.sh configures pktgen; it runs with -a (append: no
# reset, no start) and we start and stop pktgen ourselves. Left to itself
# the script writes "start" to pgctrl, which is meant to block until the
# run ends, and resets pktgen on exit. But "start" only waits 125 ms for
# the kpktgend thread to pick the run up; in a slow guest it may not have,
# "start" returns at once, and the script's reset then kills the run just
# begun. A "stop" written before the thread started would be lost as well.
# So: start in the background, wait until the thread lists the device as
# running, sleep, stop, and read the result from /proc/net/pktgen/DEV.
pktgen_run() {
	local d=$1 rep=$2 test=${3:-udp64} out=$RAW/pktgen-$1-$2${3:+-$3}.txt
	local tx=${TX_DEV[$d]} rx=${RX_DEV[$d]} ns=${NS[$d]} mac rx0 rx1 usec sent i
	local -a count=("$rx" "$ns")
	[[ $test == xdptx ]] && count=("$tx")
	mac=$(in_ns "$ns" cat "/sys/class/net/$rx/address")
	echo reset >"$PGCTRL"
	bash "$PKTGEN_SCRIPT" -a -i "$tx" -d "${PEER_IP[$d]}" -m "$mac" -s 64 -n 0 \
		>"$out" 2>&1 || die "pktgen_sample01_simple.sh failed on $tx (see $out): $(tail -n 5 "$out")"
	sleep 1
	rx0=$(rx_packets "${count[@]}")
	echo start >"$PGCTRL" &
	pktgen_pid=$!
	for ((i = 0; i < 300; i++)); do
		pktgen_running "$tx" && break
		sleep 0.1
	done
	pktgen_running "$tx" || die "pktgen is not sending on $tx 30 s after start"
	sleep "$PKTGEN_SECS"
	pktgen_running "$tx" || die "pktgen stopped sending on $tx before it was told to"
	echo stop >"$PGCTRL"
	for ((i = 0; i < 300; i++)); do
		kill -0 "$pktgen_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pktgen_pid" 2>/dev/null && die "pktgen on $tx did not stop within 30 s"
	wait "$pktgen_pid" || true # "start" fails if interrupted; the result says more
	pktgen_pid=
	sleep 1 # let the receiver drain its ring
	rx1=$(rx_packets "${count[@]}")
	cat "/proc/net/pktgen/$tx" >>"$out"
	echo reset >"$PGCTRL"
	# "Result: OK: 5000123(c4999000+d1123) usec, 1234567 (64byte,0frags)"
	usec=$(sed -n 's/^Result: OK: \([0-9]\+\)(.*/\1/p' "$out")
	sent=$(sed -n 's/^Result: OK: [^ ]* usec, \([0-9]\+\) .*/\1/p' "$out")
	[[ -n $usec && $usec -gt 0 && -n $sent ]] ||
		die "pktgen on $tx reported no result (see $out): $(grep -m1 Result "$out")"
	[[ $((rx1 - rx0)) -gt 0 ]] || die "pktgen $test over $d: ${count[0]} received nothing ($sent sent)"
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$d" "$test" "$rep" "$sent" "$((rx1 - rx0))" "$usec" >>"$PKTGEN"
	step "pktgen $test $d run $rep: sent $sent, ${count[0]} received $((rx1 - rx0)) in $usec us"
}

# xdp_on D VERDICT: a native XDP program returning VERDICT (drop, tx) on
# D's peer port; xdp_off D takes it off.
BPF_PINS=/run/vnic-bench-bpf
xdp_on() {
	python3 "$VNIC_ROOT/scripts/tests/xdp_prog.py" "$BPF_PINS/$2" "$2" ||
		die "cannot load the XDP $2 program"
	ip -n "${NS[$1]}" link set dev "${RX_DEV[$1]}" xdpdrv pinned "$BPF_PINS/$2" ||
		die "cannot attach the XDP $2 program to ${RX_DEV[$1]}"
	rm -f "$BPF_PINS/$2"
	# vnic rebuilds its rings for the first program: wait for the link.
	vnic_wait_link "${RX_DEV[$1]}" "${NS[$1]}" || die "${RX_DEV[$1]} has no link with XDP"
	sleep 1
}
xdp_off() {
	ip -n "${NS[$1]}" link set dev "${RX_DEV[$1]}" xdp off || die "cannot detach XDP from ${RX_DEV[$1]}"
	vnic_wait_link "${RX_DEV[$1]}" "${NS[$1]}" || die "${RX_DEV[$1]} has no link after XDP"
}

# coalesce USECS FRAMES: the same RX moderation on both vnic ports.
coalesce() {
	ethtool -C vnic0 adaptive-rx off rx-usecs "$1" rx-frames "$2"
	in_ns "$VNIC_NS" ethtool -C vnic1 adaptive-rx off rx-usecs "$1" rx-frames "$2"
}

# --- setup -------------------------------------------------------------------

for tool in insmod modprobe ip ss ethtool ping iperf3 python3 awk sed; do
	command -v "$tool" >/dev/null || die "$tool is not installed (run make deps)"
done
[[ -r $PKTGEN_SCRIPT ]] || die "$PKTGEN_SCRIPT is missing"

mkdir -p "$RAW"
printf 'dev\ttest\tstreams\tsecs\trep\trx_usecs\trx_frames\tbps\tbytes\tirqs\tnetrx\tbusy\tsegs\tframes\n' >"$RUNS"
printf 'dev\ttest\trep\tsent\treceived\tusec\n' >"$PKTGEN"

step "loading vnic, veth and pktgen"
# shellcheck disable=SC2119 # no module parameters: the driver's defaults
vnic_load || die "insmod $VNIC_KO"
vnic_setup_pair || die "vnic pair setup"
modprobe veth || die "modprobe veth"
ip netns add vethns
ip -n vethns link set lo up
ip link add vethA type veth peer name vethB netns vethns
ip addr add 198.19.0.1/24 dev vethA
ip -n vethns addr add 198.19.0.2/24 dev vethB
ip link set vethA up
ip -n vethns link set vethB up
vnic_wait_link vethA || die "vethA has no link"
vnic_wait_link vethB vethns || die "vethB has no link"
modprobe pktgen || die "modprobe pktgen"
[[ -w $PGCTRL ]] || die "$PGCTRL is missing after modprobe pktgen"
mkdir -p "$BPF_PINS"
mountpoint -q "$BPF_PINS" || mount -t bpf bpf "$BPF_PINS" || die "cannot mount a bpffs at $BPF_PINS"

{
	echo "kernel: $(uname -r)"
	echo "nproc: $(nproc)"
	echo "guest cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
	echo "clk_tck: $(getconf CLK_TCK)"
	echo "iperf3: $(iperf3 --version | head -n1)"
	echo "vnic.ko: $VNIC_KO"
	echo "pktgen script: $PKTGEN_SCRIPT"
	echo "quick: ${VNIC_BENCH_QUICK:-0}"
	echo "tcp: $TCP_REPEATS x $TCP_SECS s"
	echo "sweep: $SWEEP_SECS s per point"
	echo "pktgen: $PKTGEN_REPEATS x $PKTGEN_SECS s"
	echo "ping: $PING_COUNT at -i $PING_INTERVAL"
} >"$VNIC_OUT/guest-env.txt"
{
	ip -d link show dev vnic0
	ip -d link show dev vethA
	ethtool -i vnic0
	ethtool -l vnic0
	ethtool -g vnic0
	ethtool -k vnic0
	echo "# default coalescing (the ping, tcp and pktgen runs use it)"
	ethtool -c vnic0
	in_ns "$VNIC_NS" ethtool -c vnic1
	grep -E 'CPU|vnic' /proc/interrupts
} >"$RAW/setup.txt" 2>&1 || die "cannot record the setup (see $RAW/setup.txt)"

for d in "${DEVS[@]}"; do
	vnic_bg ip netns exec "${NS[$d]}" iperf3 -s -B "${PEER_IP[$d]}" >"$RAW/iperf3-server-$d.log" 2>&1
	wait_listen "${NS[$d]}" "${PEER_IP[$d]}" 5201
done

# --- the runs, vnic and veth interleaved so that drift hits both -------------

step "idle ping RTT"
for d in "${DEVS[@]}"; do
	ping_idle "$d"
done
for k in threaded defer busypoll; do
	knob "$k" on
	ping_idle vnic "$k"
	knob "$k" off
done

step "TCP throughput: ${TCP_REPEATS} x ${TCP_SECS} s, 1 and 4 streams, 1 with rx-gro-hw off"
for ((rep = 1; rep <= TCP_REPEATS; rep++)); do
	for streams in 1 4; do
		for d in "${DEVS[@]}"; do
			tcp_run "$d" "tcp$streams" "$TCP_SECS" "$streams" "$rep" - -
		done
	done
	in_ns "$VNIC_NS" ethtool -K vnic1 rx-gro-hw off || die "ethtool -K vnic1 rx-gro-hw off"
	tcp_run vnic tcp1seg "$TCP_SECS" 1 "$rep" - -
	in_ns "$VNIC_NS" ethtool -K vnic1 rx-gro-hw on || die "ethtool -K vnic1 rx-gro-hw on"
done

step "64-byte UDP with pktgen: ${PKTGEN_REPEATS} x ${PKTGEN_SECS} s"
for ((rep = 1; rep <= PKTGEN_REPEATS; rep++)); do
	for d in "${DEVS[@]}"; do
		pktgen_run "$d" "$rep"
	done
done

step "XDP_DROP and XDP_TX, 64-byte frames with pktgen: ${PKTGEN_REPEATS} x ${PKTGEN_SECS} s"
ip link set vnic0 promisc on
ip link set vethA promisc on
for verdict in drop tx; do
	for d in "${DEVS[@]}"; do
		xdp_on "$d" "$verdict"
	done
	for ((rep = 1; rep <= PKTGEN_REPEATS; rep++)); do
		for d in "${DEVS[@]}"; do
			pktgen_run "$d" "$rep" "xdp$verdict"
		done
	done
	for d in "${DEVS[@]}"; do
		xdp_off "$d"
	done
done
ip link set vnic0 promisc off
ip link set vethA promisc off

step "vnic rx-usecs sweep: iperf3 1 stream, ${SWEEP_SECS} s per point"
for usecs in "${SWEEP_USECS[@]}"; do
	# rx-frames above 1 needs rx-usecs above 0
	frames=64
	[[ $usecs -eq 0 ]] && frames=1
	coalesce "$usecs" "$frames" || die "ethtool -C rx-usecs $usecs rx-frames $frames"
	tcp_run vnic "sweep$usecs" "$SWEEP_SECS" 1 1 "$usecs" "$frames"
done

grep -E 'CPU|vnic' /proc/interrupts >"$RAW/interrupts-end.txt"
ethtool -S vnic0 >"$RAW/ethtool-S-vnic0.txt"
in_ns "$VNIC_NS" ethtool -S vnic1 >"$RAW/ethtool-S-vnic1.txt"

# --- leave nothing behind ----------------------------------------------------

step "cleaning up"
trap - EXIT
bench_cleanup
if pgrep -x iperf3 >/dev/null; then
	die "iperf3 is still running after the cleanup"
fi
[[ -z $(ip netns list) ]] || die "network namespaces left: $(ip netns list | tr '\n' ' ')"
! vnic_loaded || die "vnic is still loaded"
! grep -q '^pktgen ' /proc/modules || die "pktgen is still loaded"
step "done"
