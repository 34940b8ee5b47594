#!/bin/bash
#
# bench-guest.sh - the measurements of `make bench`, run inside one guest by
# scripts/bench.sh. It measures vnic and veth side by side in the same boot
# and writes raw numbers only; bench.sh turns them into the table and plots.
#
# Topology (all traffic stays inside the guest, on 198.18.0.0/15):
#   vnic: vnic0 198.18.0.1/24  <->  netns ns1,    vnic1 198.18.0.2/24 (lib.sh)
#   veth: vethA 198.19.0.1/24  <->  netns vethns, vethB 198.19.0.2/24
#   veth2: vethC 198.19.1.1/24 <->  netns vethns2, vethD 198.19.1.2/24, a
#         second veth pair measured as the first in the same rounds
#         (ping, tcp1, pktgen): veth2 against veth is the bench's noise
# The sender is always in the root namespace, the receiver in the netns.
#
# What it measures, per device:
#   ping.    200 pings at -i 0.05 on the idle link       raw/ping-DEV.txt
#            and what they cost (interrupts, softirqs)   raw/ping-DEV.cnt
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
#   xdptx.   vnic only: the same with a program that bounces every frame
#            (XDP_TX); frames vnic1 sent back (rx_q*_xdp_tx, each counted
#            once its XDP TX ring took it). veth has no such row: frames
#            vethB bounces go to vethA's XDP ring, which pktgen's sending
#            on vethA leaves undrained (256 frames, then every bounce fails)
#            The programs come from scripts/tests/xdp_prog.py, pinned in a
#            bpffs at /run/vnic-bench-bpf (/sys is the netns's own).
#   xsk.     AF_XDP RX: scripts/tests/xsk_seq.c (built here) rx on the
#            root namespace's port, queue 0, zero-copy (vnic) or copy
#            (vnic, veth), each of XSK_COUNT 64 B frames checked, fed by
#            xsk_seq tx on the peer's port as fast as it goes (zero-copy
#            on vnic1, copy on vethB, which has no zero-copy); the
#            receiver's frames a second, 3 repeats        xsk.tsv
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
XSK_COUNT=20000
XSK_REPEATS=3
PING_INTERVAL=0.05
PKTGEN_SCRIPT=$VNIC_PKTGEN_DIR/pktgen_sample01_simple.sh
PGCTRL=/proc/net/pktgen/pgctrl
# VNIC_BENCH_QUICK=1: a short run to try the bench itself; its numbers mean
# little.
if [[ ${VNIC_BENCH_QUICK:-0} == 1 ]]; then
	TCP_SECS=2 TCP_REPEATS=1 SWEEP_SECS=2 PKTGEN_SECS=2 PKTGEN_REPEATS=1 PING_COUNT=20
	XSK_COUNT=2000 XSK_REPEATS=1
fi

DEVS=(vnic veth)
declare -A NS=([vnic]=$VNIC_NS [veth]=vethns [veth2]=vethns2)
declare -A TX_DEV=([vnic]=vnic0 [veth]=vethA [veth2]=vethC)
declare -A RX_DEV=([vnic]=vnic1 [veth]=vethB [veth2]=vethD)
declare -A PEER_IP=([vnic]=$VNIC_IP4_1 [veth]=198.19.0.2 [veth2]=198.19.1.2)

RAW=$VNIC_OUT/raw
RUNS=$VNIC_OUT/runs.tsv
PKTGEN=$VNIC_OUT/pktgen.tsv
XSKTSV=$VNIC_OUT/xsk.tsv
XSK_DIR=/tmp/vnic-bench-xsk
XSK=$XSK_DIR/xsk_seq

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
	ip link del vethC 2>/dev/null || true
	ip netns del vethns 2>/dev/null || true
	ip netns del vethns2 2>/dev/null || true
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

tasklet_sum() {
	awk '$1 == "TASKLET:" { for (i = 2; i <= NF; i++) s += $i } END { print s + 0 }' /proc/softirqs
}

# iwi_sum: irq_work self-interrupts, all CPUs.
iwi_sum() {
	awk 'NR == 1 { ncpu = NF; next }
	     $1 == "IWI:" { for (i = 2; i <= ncpu + 1; i++) s += $i }
	     END { print s + 0 }' /proc/interrupts
}

# ping_counts: what a ping run's round trips cost, for raw/ping-*.cnt:
# vnic interrupts, NET_RX and TASKLET softirqs, irq_work self-interrupts.
ping_counts() {
	echo "$(irq_sum) $(netrx_sum) $(tasklet_sum) $(iwi_sum)"
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

# xdp_tx_count DEV NS: frames vnic DEV's XDP program bounced (XDP_TX),
# over its queues (rx_q*_xdp_tx).
xdp_tx_count() {
	ip netns exec "$2" ethtool -S "$1" |
		awk '$1 ~ /^rx_q[0-9]+_xdp_tx:$/ { s += $2 } END { print s + 0 }'
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
	local d=$1 out=$RAW/ping-$1${2:+-$2}.txt n before
	sleep 2
	before=$(ping_counts)
	ping -c "$PING_COUNT" -i "$PING_INTERVAL" -W 1 "${PEER_IP[$d]}" >"$out" ||
		die "ping over $d (see $out): $(tail -n 3 "$out")"
	echo "$before $(ping_counts)" >"${out%.txt}.cnt"
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
# TEST (default udp64) names the row; xdptx counts instead the frames the
# peer's port bounced (xdp_tx_count).
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
	local -a count=(rx_packets "$rx" "$ns")
	[[ $test == xdptx ]] && count=(xdp_tx_count "$rx" "$ns")
	mac=$(in_ns "$ns" cat "/sys/class/net/$rx/address")
	echo reset >"$PGCTRL"
	bash "$PKTGEN_SCRIPT" -a -i "$tx" -d "${PEER_IP[$d]}" -m "$mac" -s 64 -n 0 \
		>"$out" 2>&1 || die "pktgen_sample01_simple.sh failed on $tx (see $out): $(tail -n 5 "$out")"
	sleep 1
	rx0=$("${count[@]}")
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
	rx1=$("${count[@]}")
	cat "/proc/net/pktgen/$tx" >>"$out"
	echo reset >"$PGCTRL"
	# "Result: OK: 5000123(c4999000+d1123) usec, 1234567 (64byte,0frags)"
	usec=$(sed -n 's/^Result: OK: \([0-9]\+\)(.*/\1/p' "$out")
	sent=$(sed -n 's/^Result: OK: [^ ]* usec, \([0-9]\+\) .*/\1/p' "$out")
	[[ -n $usec && $usec -gt 0 && -n $sent ]] ||
		die "pktgen on $tx reported no result (see $out): $(grep -m1 Result "$out")"
	[[ $((rx1 - rx0)) -gt 0 ]] || die "pktgen $test over $d: ${count[*]}: nothing ($sent sent)"
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$d" "$test" "$rep" "$sent" "$((rx1 - rx0))" "$usec" >>"$PKTGEN"
	step "pktgen $test $d run $rep: sent $sent, ${count[*]}: $((rx1 - rx0)) in $usec us"
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

# xsk_run D MODE REP: XSK_COUNT frames from xsk_seq tx on D's peer port
# into xsk_seq rx (MODE: zerocopy, copy) on D's root-namespace port,
# queue 0; one row of xsk.tsv. Both sockets are bound, and their programs
# attached, before any frame moves (the TCG int3 hazard, DEVELOPERS.md).
xsk_run() {
	local d=$1 mode=$2 rep=$3 rxlog=$RAW/xsk-$1-$2-$3.log txlog=$RAW/xsk-$1-$2-$3-tx.log
	local dev=${TX_DEV[$d]} txmode=--copy mac pid i s pps received
	[[ $d == vnic ]] && txmode=--zerocopy
	mac=$(cat "/sys/class/net/$dev/address")
	rm -f "$XSK_DIR/ready"
	"$XSK" rx -i "$dev" -q 0 "--$mode" --count "$XSK_COUNT" --max-lost "$XSK_COUNT" \
		--timeout 120 --idle 3 --ready "$XSK_DIR/ready" >"$rxlog" 2>&1 &
	pid=$!
	for ((i = 0; i < 600; i++)); do
		[[ -s $XSK_DIR/ready ]] && break
		kill -0 "$pid" 2>/dev/null || die "xsk_seq rx on $dev ($mode) did not bind: $(tail -n 3 "$rxlog")"
		sleep 0.1
	done
	[[ -s $XSK_DIR/ready ]] || die "xsk_seq rx on $dev ($mode) did not bind in 60 s"
	sleep 1
	# libxdp keeps its dispatcher in bpffs; ip netns exec mounts a sysfs
	# of its own, without one.
	in_ns "${NS[$d]}" sh -c 'mount -t bpf bpf /sys/fs/bpf && exec "$@"' sh \
		"$XSK" tx -i "${RX_DEV[$d]}" -q 0 "$txmode" --count "$XSK_COUNT" --dst-mac "$mac" \
		--src-ip "${PEER_IP[$d]}" --dst-ip "${PEER_IP[$d]%.2}.1" >"$txlog" 2>&1 ||
		die "xsk_seq tx on ${RX_DEV[$d]} failed (see $txlog): $(tail -n 2 "$txlog")"
	wait "$pid" || die "xsk_seq rx on $dev ($mode) failed (see $rxlog): $(tail -n 2 "$rxlog")"
	s=$(grep '^XSK_SEQ ' "$rxlog" | tail -n 1)
	pps=$(sed -n 's/.* pps=\([^ ]*\).*/\1/p' <<<"$s")
	received=$(sed -n 's/.* unique=\([^ ]*\).*/\1/p' <<<"$s")
	[[ ${received:-0} -gt 0 && -n $pps ]] || die "xsk_seq rx on $dev ($mode) received nothing: $s"
	printf '%s\t%s\t%s\t%s\t%s\n' "$d" "$mode" "$rep" "$received" "$pps" >>"$XSKTSV"
	step "AF_XDP $mode $d run $rep: $received of $XSK_COUNT received, $pps a second"
}

# coalesce USECS FRAMES: the same RX moderation on both vnic ports.
coalesce() {
	ethtool -C vnic0 adaptive-rx off rx-usecs "$1" rx-frames "$2"
	in_ns "$VNIC_NS" ethtool -C vnic1 adaptive-rx off rx-usecs "$1" rx-frames "$2"
}

# --- setup -------------------------------------------------------------------

for tool in insmod modprobe ip ss ethtool ping iperf3 python3 awk sed gcc; do
	command -v "$tool" >/dev/null || die "$tool is not installed (run make deps)"
done
[[ -r $PKTGEN_SCRIPT ]] || die "$PKTGEN_SCRIPT is missing"

mkdir -p "$RAW"
printf 'dev\ttest\tstreams\tsecs\trep\trx_usecs\trx_frames\tbps\tbytes\tirqs\tnetrx\tbusy\tsegs\tframes\n' >"$RUNS"
printf 'dev\ttest\trep\tsent\treceived\tusec\n' >"$PKTGEN"
printf 'dev\tmode\trep\treceived\tpps\n' >"$XSKTSV"

step "loading vnic, veth and pktgen"
# shellcheck disable=SC2119 # no module parameters: the driver's defaults
vnic_load || die "insmod $VNIC_KO"
vnic_setup_pair || die "vnic pair setup"
modprobe veth || die "modprobe veth"
for d in veth veth2; do
	ns=${NS[$d]} a=${TX_DEV[$d]} b=${RX_DEV[$d]} peer=${PEER_IP[$d]}
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	ip link add "$a" type veth peer name "$b" netns "$ns"
	ip addr add "${peer%.2}.1/24" dev "$a"
	ip -n "$ns" addr add "$peer/24" dev "$b"
	ip link set "$a" up
	ip -n "$ns" link set "$b" up
	vnic_wait_link "$a" || die "$a has no link"
	vnic_wait_link "$b" "$ns" || die "$b has no link"
done
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
	echo "xsk: $XSK_REPEATS x $XSK_COUNT frames"
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

for d in "${DEVS[@]}" veth2; do
	vnic_bg ip netns exec "${NS[$d]}" iperf3 -s -B "${PEER_IP[$d]}" >"$RAW/iperf3-server-$d.log" 2>&1
	wait_listen "${NS[$d]}" "${PEER_IP[$d]}" 5201
done

# --- the runs, vnic and veth interleaved so that drift hits both -------------

step "idle ping RTT"
for d in "${DEVS[@]}" veth2; do
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
	tcp_run veth2 tcp1 "$TCP_SECS" 1 "$rep" - -
	in_ns "$VNIC_NS" ethtool -K vnic1 rx-gro-hw off || die "ethtool -K vnic1 rx-gro-hw off"
	tcp_run vnic tcp1seg "$TCP_SECS" 1 "$rep" - -
	in_ns "$VNIC_NS" ethtool -K vnic1 rx-gro-hw on || die "ethtool -K vnic1 rx-gro-hw on"
done

step "64-byte UDP with pktgen: ${PKTGEN_REPEATS} x ${PKTGEN_SECS} s"
for ((rep = 1; rep <= PKTGEN_REPEATS; rep++)); do
	for d in "${DEVS[@]}" veth2; do
		pktgen_run "$d" "$rep"
	done
done

step "XDP_DROP and XDP_TX, 64-byte frames with pktgen: ${PKTGEN_REPEATS} x ${PKTGEN_SECS} s"
for d in "${DEVS[@]}"; do
	xdp_on "$d" drop
done
for ((rep = 1; rep <= PKTGEN_REPEATS; rep++)); do
	for d in "${DEVS[@]}"; do
		pktgen_run "$d" "$rep" xdpdrop
	done
done
for d in "${DEVS[@]}"; do
	xdp_off "$d"
done
xdp_on vnic tx
for ((rep = 1; rep <= PKTGEN_REPEATS; rep++)); do
	pktgen_run vnic "$rep" xdptx
done
xdp_off vnic

step "AF_XDP RX, 64-byte frames: ${XSK_REPEATS} x ${XSK_COUNT}"
mkdir -p "$XSK_DIR"
gcc -O2 -Wall -o "$XSK" "$VNIC_ROOT/scripts/tests/xsk_seq.c" -lxdp -lbpf ||
	die "cannot build xsk_seq.c (libxdp-dev, libbpf-dev: make deps)"
# xsk_seq's frames (UDP port 4242) to queue 0, where the socket is.
ethtool -N vnic0 flow-type udp4 dst-port 4242 action 0 || die "ethtool -N vnic0 ... action 0"
mac0=$(cat /sys/class/net/vnic0/address)
macA=$(cat /sys/class/net/vethA/address)
# A socket on a port takes its ARP frames too.
in_ns "$VNIC_NS" ip neigh replace "$VNIC_IP4_0" lladdr "$mac0" dev vnic1 nud permanent
in_ns vethns ip neigh replace 198.19.0.1 lladdr "$macA" dev vethB nud permanent
for ((rep = 1; rep <= XSK_REPEATS; rep++)); do
	xsk_run vnic zerocopy "$rep"
	xsk_run vnic copy "$rep"
	xsk_run veth copy "$rep"
done
ethtool -N vnic0 delete "$(ethtool -n vnic0 | awk '/^Filter:/ { print $2; exit }')" ||
	die "cannot delete vnic0's ntuple rule"

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
