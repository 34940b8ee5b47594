#!/bin/bash
#
# 66-xsk.sh - AF_XDP on vnic, in copy and zero-copy mode: an AF_XDP socket
# (xsk_seq.c, built here with libxdp and bound with need_wakeup, libxdp's
# default xsk program attached in driver mode, once in skb mode) on vnic0
# queue 1, to which an ntuple rule steers UDP port 4242. Per mode: RX of
# UDP from the peer (xsk_peer.py send in ns1), every payload checked by
# its sequence number, every frame accounted for in ethtool -S
# (rx_q1_xdp_redirect); TX of UDP frames from the UMEM to a socket in ns1
# (tx_q1_xsk_xmit in zero-copy, tx_q1_packets in copy); an echo (fwd)
# back to the peer; the rate of xsk_seq tx on vnic1 into xsk_seq rx on
# vnic0 (frames a second, loss allowed, no payload error). Zero-copy also:
# need_wakeup (a fill ring shorter than the RX ring, idle periods, a
# socket that makes no syscall unless the driver asks for one), a
# TX-only socket (no program), and sockets killed under traffic three
# times, with traffic going back to the stack each time, a bind after
# them receiving, no XDP socket left (ss --xdp), one page_pool per RX
# queue again once the program is gone, and a clean kernel log. Refused:
# a queue the port does not have, in either mode.
#
# Attaching and detaching XDP programs patches kernel text (the TCG int3
# hazard in DEVELOPERS.md): every socket is bound, and every program
# attached, while the port is idle, but the binds after a kill, which
# reuse the program left attached.

set -euo pipefail
# shellcheck source=scripts/tests/lib.sh
source "$(dirname "$0")/lib.sh"

vnic_require insmod ip ethtool python3 gcc ss
here=$(dirname "$0")
ynl_dir=${VNIC_KSRC:-}
bin_dir=/tmp/vnic-xsk
xsk=$bin_dir/xsk_seq
peer=$here/xsk_peer.py
ready=/tmp/vnic-xsk-ready
PORT=4242
Q=1
N=1000
RATE=2000

mkdir -p "$bin_dir"
# -O1: half of -O2's compile time under TCG, and the kernel is the bottleneck.
tap_must "xsk_seq.c builds (gcc, libxdp, libbpf)" \
	gcc -O1 -Wall -o "$xsk" "$here/xsk_seq.c" -lxdp -lbpf

tap_must "insmod vnic.ko" vnic_load
tap_must "both ports come up with carrier, vnic1 in netns $VNIC_NS" vnic_setup_pair
mac0=$(cat /sys/class/net/vnic0/address)
mac1=$(in_ns cat /sys/class/net/vnic1/address)
ip neigh replace "$VNIC_IP4_1" lladdr "$mac1" dev vnic0 nud permanent
in_ns ip neigh replace "$VNIC_IP4_0" lladdr "$mac0" dev vnic1 nud permanent
tap_must "ethtool -N vnic0: UDP port $PORT to queue $Q" \
	ethtool -N vnic0 flow-type udp4 dst-port $PORT action $Q
# libxdp keeps its dispatcher in bpffs. ip netns exec mounts a sysfs of
# its own, without bpffs: in_bpf mounts one there too.
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
# shellcheck disable=SC2317 # called through start_xsk
in_bpf() {
	ip netns exec "$VNIC_NS" sh -c 'mount -t bpf bpf /sys/fs/bpf && exec "$@"' sh "$@"
}

# field LINE KEY: the value of KEY=... in a summary line.
field() {
	sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"
}

# summary FILE: the last summary line (XSK_SEQ or XSK_PEER) in FILE.
summary() {
	grep -E '^XSK_(SEQ|PEER) ' "$1" | tail -n 1 || true
}

# counters: vnic0's ethtool -S, "name value" per line.
declare -A before now
# shellcheck disable=SC2034 # arr: a name for the caller's array
take() {
	local -n arr=$1
	local n v
	while read -r n v; do
		arr[${n%:}]=$v
	done < <(ethtool -S vnic0 | awk 'NF == 2')
	arr["udp_noports"]=$(awk '/^Udp:/ && !h { h = 1; next } /^Udp:/ { print $3 }' /proc/net/snmp)
}
snap() {
	before=()
	take before
}
after() {
	now=()
	take now
}
# d NAME...: how much the counters NAME... moved together.
d() {
	local n s=0
	for n in "$@"; do
		s=$((s + ${now[$n]:-0} - ${before[$n]:-0}))
	done
	echo "$s"
}
xsk_xmit_all() {
	local q out=()
	for q in $(ethtool -S vnic0 | awk -F: '/^ *tx_q[0-9]+_xsk_xmit/ { print $1 }'); do
		out+=("$q")
	done
	echo "${out[@]}"
}

# bound PID: wait (up to 60 s) until the xsk_seq (or xsk_peer.py) of PID
# has bound and written the ready file, or died.
bound() {
	local i
	for ((i = 0; i < 600; i++)); do
		[[ -s $ready ]] && return 0
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# start_xsk LOG ARGS...: xsk_seq ARGS in the background into LOG, bound
# until told to go (--linger: it stays bound after its summary until
# stop_xsk); sets xsk_pid (the ready file's pid: xsk_seq itself, in a
# namespace too). Returns 1 if it did not bind.
start_xsk() {
	local log=$1 pid
	shift
	rm -f "$ready"
	"$@" --ready "$ready" --linger 120 >"$log" 2>&1 &
	pid=$!
	_vnic_pids+=("$pid")
	bound "$pid" || return 1
	xsk_pid=$(cat "$ready")
}

# summary_wait LOG [SECS]: wait (default 90 s) for the summary line in LOG.
summary_wait() {
	local i
	for ((i = 0; i < ${2:-90} * 10; i++)); do
		grep -q '^XSK_SEQ ' "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# stop_xsk PID: end a lingering xsk_seq (its socket goes, and with the last
# one libxdp's program); fin_rc is its exit status.
stop_xsk() {
	local i
	kill -TERM "$1" 2>/dev/null || true
	for ((i = 0; i < 300; i++)); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	fin_rc=0
	wait "$1" 2>/dev/null || fin_rc=$?
	# Not our child (in a namespace): the summary's status.
	[[ -n ${2:-} ]] && fin_rc=$(field "$(summary "$2")" status)
	return 0
}

# run_xsk LOG ARGS...: xsk_seq ARGS until its summary, with the counters
# snapped once it is bound and again before it lets go (a bind rebuilds
# the rings, and their counters start again).
go=/tmp/vnic-xsk-go
run_xsk() {
	local log=$1
	shift
	rm -f "$go"
	if ! start_xsk "$log" "$xsk" "$@" --go "$go"; then
		fin_rc=2
		return 1
	fi
	snap
	touch "$go"
}
end_xsk() {
	summary_wait "$1" || true
	after
	stop_xsk "$xsk_pid"
}

# rx_case MODE ATTACH: N datagrams from ns1 into the socket on vnic0 queue Q.
rx_case() {
	local mode=$1 attach=$2 log=$VNIC_OUT/xsk-rx-$1-$2.log desc s zc
	desc="$mode RX ($attach): $N datagrams from ns1 into the socket on vnic0 queue $Q"
	if ! run_xsk "$log" rx -i vnic0 -q $Q "--$mode" "--$attach" --count $N \
		--timeout 60 --idle 10; then
		tap_fail "$desc" "xsk_seq did not bind" "$(cat "$log")"
		return
	fi
	in_ns python3 "$peer" send "$VNIC_IP4_0" $PORT $N --rate $RATE
	end_xsk "$log"
	s=$(summary "$log")
	zc=$([[ $mode == zerocopy ]] && echo 1 || echo 0)
	if [[ $fin_rc -eq 0 && $(field "$s" unique) -eq $N && $(field "$s" bad) -eq 0 &&
		$(field "$s" zc) -eq $zc ]]; then
		tap_ok "$desc: all $N in order, payloads good, $(field "$s" pps) frames/s"
	else
		tap_fail "$desc: all arrive in order with good payloads" "status $fin_rc" "$(cat "$log")"
	fi
	# Each frame the program redirected is in the socket (frames=) or
	# was dropped by it (rx_dropped: its RX ring was full).
	local redir drop got pk
	redir=$(d "rx_q${Q}_xdp_redirect") drop=$(d "rx_q${Q}_xdp_drop") pk=$(d "rx_q${Q}_packets")
	got=$(($(field "$s" frames) + $(field "$s" rx_dropped)))
	if [[ $attach == skb ]]; then
		# Generic XDP runs in the stack, after the driver's counters.
		if [[ $redir -eq 0 && $pk -ge $N ]]; then
			tap_ok "$mode RX ($attach): the driver counts no redirect, rx_q${Q}_packets +$pk"
		else
			tap_fail "$mode RX ($attach): the driver counts no redirect" \
				"rx_q${Q}_xdp_redirect +$redir rx_q${Q}_packets +$pk"
		fi
	elif [[ $redir -eq $got && $drop -eq 0 && $redir -ge $N && $pk -eq $redir ]]; then
		tap_ok "$mode RX ($attach): rx_q${Q}_xdp_redirect +$redir = rx_q${Q}_packets = the socket's frames + rx_dropped, xdp_drop +0"
	else
		tap_fail "$mode RX ($attach): rx_q${Q}_xdp_redirect counts the socket's frames" \
			"rx_q${Q}_xdp_redirect +$redir xdp_drop +$drop packets +$pk; socket frames + rx_dropped $got" \
			"$(ethtool -S vnic0 | grep -E "q${Q}_(xdp|xsk|packets)")"
	fi
}

# tx_case MODE: N frames from the UMEM to a UDP socket in ns1.
tx_case() {
	local mode=$1 log=$VNIC_OUT/xsk-tx-$1.log plog=$VNIC_OUT/xsk-tx-$1-peer.log
	local desc s p prc ppid xmit pk
	desc="$mode TX: $N frames from the UMEM of vnic0 queue $Q to a socket in ns1"
	rm -f "$ready"
	in_ns python3 "$peer" recv "$VNIC_IP4_1" $PORT $N --ready "$ready" --timeout 60 \
		--idle 5 >"$plog" 2>&1 &
	ppid=$!
	_vnic_pids+=("$ppid")
	bound "$ppid" || true
	if ! run_xsk "$log" tx -i vnic0 -q $Q "--$mode" --count $N --rate $RATE \
		--dst-mac "$mac1" --src-ip "$VNIC_IP4_0" --dst-ip "$VNIC_IP4_1" --size 100; then
		tap_fail "$desc" "xsk_seq did not bind" "$(cat "$log")"
		kill "$ppid" 2>/dev/null || true
		return
	fi
	end_xsk "$log"
	prc=0
	wait "$ppid" || prc=$?
	s=$(summary "$log") p=$(summary "$plog")
	if [[ $fin_rc -eq 0 && $prc -eq 0 && $(field "$s" completed) -eq $N &&
		$(field "$p" unique) -eq $N && $(field "$p" bad) -eq 0 ]]; then
		tap_ok "$desc: $N completed, all $N arrived in order with good payloads, $(field "$s" pps) frames/s"
	else
		tap_fail "$desc: all complete and arrive with good payloads" \
			"xsk_seq status $fin_rc: $s" "peer status $prc: $p" "$(cat "$log")"
	fi
	# shellcheck disable=SC2046 # one counter name per word
	xmit=$(d $(xsk_xmit_all)) pk=$(d "tx_q${Q}_packets")
	if [[ $mode == zerocopy && $xmit -eq $N && $(d "tx_q${Q}_xsk_xmit") -eq $N ]] ||
		[[ $mode == copy && $xmit -eq 0 && $pk -ge $N ]]; then
		tap_ok "$mode TX: tx_q${Q}_xsk_xmit +$(d "tx_q${Q}_xsk_xmit") (all queues +$xmit), tx_q${Q}_packets +$pk"
	else
		tap_fail "$mode TX: counted on queue $Q (zero-copy: tx_q${Q}_xsk_xmit; copy: tx_q${Q}_packets)" \
			"tx_q*_xsk_xmit +$xmit tx_q${Q}_xsk_xmit +$(d "tx_q${Q}_xsk_xmit") tx_q${Q}_packets +$pk" \
			"$(ethtool -S vnic0 | grep -E "tx_q${Q}_")"
	fi
}

# fwd_case MODE: ns1 sends N datagrams, the socket echoes each back.
fwd_case() {
	local mode=$1 log=$VNIC_OUT/xsk-fwd-$1.log desc s p
	desc="$mode echo: the socket on vnic0 queue $Q sends $N datagrams back to ns1"
	if ! run_xsk "$log" fwd -i vnic0 -q $Q "--$mode" --count $N --timeout 60 --idle 10; then
		tap_fail "$desc" "xsk_seq did not bind" "$(cat "$log")"
		return
	fi
	p=$(in_ns python3 "$peer" echo "$VNIC_IP4_0" $PORT $N --rate $RATE --timeout 20 2>&1) || true
	end_xsk "$log"
	s=$(summary "$log") p=$(grep '^XSK_PEER' <<<"$p" || echo "$p")
	if [[ $fin_rc -eq 0 && $(field "$s" fwd) -eq $N && $(field "$p" unique) -eq $N &&
		$(field "$p" bad) -eq 0 ]]; then
		tap_ok "$desc: $N echoed, all back in order with good payloads"
	else
		tap_fail "$desc: every datagram comes back intact" "xsk_seq status $fin_rc: $s" "peer: $p"
	fi
}

# rate_case MODE: xsk_seq tx on vnic1 (queue 0) as fast as it goes into
# xsk_seq rx on vnic0; frames a second, lost frames allowed. Each end's
# program goes while both ports are idle (the dispatcher both run is
# rewritten then).
rate_case() {
	local mode=$1 n=10000 log=$VNIC_OUT/xsk-rate-$1.log tlog=$VNIC_OUT/xsk-rate-$1-tx.log
	local desc s t rx_pid tx_pid trc
	desc="$mode, both ends: $n frames from xsk_seq tx on vnic1 into xsk_seq rx on vnic0"
	if ! run_xsk "$log" rx -i vnic0 -q $Q "--$mode" --count $n --max-lost $n \
		--timeout 60 --idle 2; then
		tap_fail "$desc" "xsk_seq rx did not bind" "$(cat "$log")"
		return
	fi
	rx_pid=$xsk_pid
	if ! start_xsk "$tlog" in_bpf "$xsk" tx -i vnic1 -q 0 "--$mode" --count $n \
		--dst-mac "$mac0" --src-ip "$VNIC_IP4_1" --dst-ip "$VNIC_IP4_0"; then
		tap_fail "$desc" "xsk_seq tx on vnic1 did not bind" "$(cat "$tlog")"
		stop_xsk "$rx_pid"
		return
	fi
	tx_pid=$xsk_pid
	summary_wait "$tlog" || true
	xsk_pid=$rx_pid
	end_xsk "$log"
	stop_xsk "$tx_pid" "$tlog"
	trc=$fin_rc
	stop_xsk "$rx_pid"
	s=$(summary "$log") t=$(summary "$tlog")
	if [[ $(field "$s" status) -eq 0 && $trc -eq 0 && $(field "$s" unique) -gt 0 ]]; then
		tap_ok "$desc: sent $(field "$t" pps)/s, received $(field "$s" unique) ($(field "$s" pps)/s), lost $(field "$s" lost) (card rx_missed +$(d rx_missed), socket rx_dropped $(field "$s" rx_dropped)), no payload error"
	else
		tap_fail "$desc: they arrive without payload errors" "rx: $s" \
			"tx status $trc: $t" "$(cat "$tlog")"
	fi
	tap_diag "XSK_RATE mode=$mode tx_pps=$(field "$t" pps) rx_pps=$(field "$s" pps) received=$(field "$s" unique) lost=$(field "$s" lost) rx_missed=$(d rx_missed) rx_dropped=$(field "$s" rx_dropped) xdp_redirect=$(d "rx_q${Q}_xdp_redirect") xdp_drop=$(d "rx_q${Q}_xdp_drop")"
}

# detach: no program left on vnic0 (libxdp removes its own when the last
# socket goes; one whose socket was killed stays).
detach() {
	ip link set dev vnic0 xdp off 2>/dev/null || true
	ip link set dev vnic0 xdpgeneric off 2>/dev/null || true
}

# refused MODE: binding to a queue vnic0 does not have.
refused() {
	local mode=$1 out rc=0
	out=$("$xsk" rx -i vnic0 -q 5 "--$mode" --count 1 --timeout 1 2>&1) || rc=$?
	if [[ $rc -eq 2 && $out == *"step=bind errno=EINVAL"* ]]; then
		tap_ok "$mode: binding to queue 5 (vnic0 has 2) is refused: EINVAL"
	else
		tap_fail "$mode: binding to queue 5 (vnic0 has 2) is refused" "status $rc" "$out"
	fi
}

# --- copy mode -----------------------------------------------------------------
rx_case copy drv
tx_case copy
fwd_case copy
rx_case copy skb
detach
rate_case copy
detach
refused copy

# --- zero-copy -----------------------------------------------------------------
log=$VNIC_OUT/xsk-zc-bind.log
out=$("$xsk" rx -i vnic0 -q $Q --zerocopy --count 1 --timeout 1 --idle 1 2>&1) && rc=0 || rc=$?
if [[ $out == *"zc=1"* ]]; then
	tap_ok "a zero-copy bind to vnic0 queue $Q is accepted (XDP_OPTIONS says zero-copy)"
else
	tap_fail "a zero-copy bind to vnic0 queue $Q is accepted" "status $rc" "$out"
	tap_bail "the driver does not support AF_XDP zero-copy"
fi

rx_case zerocopy drv
tx_case zerocopy
fwd_case zerocopy
detach
refused zerocopy

# need_wakeup: 64 frames in the fill ring for an RX ring of 512; the socket
# only makes a syscall when the fill ring says need_wakeup (--spin), so
# without the flag, or without the wakeup it asks for, traffic stops.
log=$VNIC_OUT/xsk-need-wakeup.log
if run_xsk "$log" rx -i vnic0 -q $Q --zerocopy --spin --fill 64 --count $N \
	--timeout 60 --idle 15; then
	# Idle before the first frame, and for 3 s in the middle.
	in_ns python3 "$peer" send "$VNIC_IP4_0" $PORT $((N / 2)) --rate 500
	sleep 3
	in_ns python3 "$peer" send "$VNIC_IP4_0" $PORT $((N / 2)) --rate 500 --start $((N / 2))
	end_xsk "$log"
	s=$(summary "$log")
	if [[ $fin_rc -eq 0 && $(field "$s" unique) -eq $N && $(field "$s" need_wakeup_seen) -gt 0 ]]; then
		tap_ok "need_wakeup: $N frames through a 64-frame fill ring with idle periods, $(field "$s" wakeups) wakeups asked for ($(field "$s" need_wakeup_seen) times idle with the flag)"
	else
		tap_fail "need_wakeup: all $N frames through a 64-frame fill ring, across idle periods" \
			"status $fin_rc" "$(cat "$log")"
	fi
else
	tap_fail "need_wakeup: a zero-copy socket binds" "$(cat "$log")"
fi

# TX-only: no RX ring, so libxdp attaches no program.
log=$VNIC_OUT/xsk-tx-only.log
detach
rc=0
"$xsk" tx -i vnic0 -q $Q --zerocopy --tx-only --count 100 --rate $RATE --dst-mac "$mac1" \
	--src-ip "$VNIC_IP4_0" --dst-ip "$VNIC_IP4_1" >"$log" 2>&1 || rc=$?
s=$(summary "$log")
if [[ $rc -eq 0 && $(field "$s" completed) -eq 100 ]]; then
	tap_ok "zero-copy TX-only socket without an XDP program: 100 frames sent and completed"
elif [[ $rc -eq 2 ]]; then
	tap_ok "zero-copy TX-only socket without an XDP program: refused at bind ($(field "$s" errno))"
else
	tap_fail "zero-copy TX-only socket without an XDP program: sends, or is refused at bind" \
		"status $rc" "$(cat "$log")"
fi

# Teardown under traffic: a socket killed (SIGKILL: libxdp detaches
# nothing, the kernel releases the socket and its pool) three times while
# ns1 sends; each time the program, its socket gone, passes the flow to
# the stack (nothing listens: Udp NoPorts grows) and a bind under the same
# traffic follows; the last receives for 2 s, and its program goes once
# the sender has stopped.
n0=$(vnic_log_lines)
stop=/tmp/vnic-xsk-stop
rm -f "$stop"
start_xsk "$VNIC_OUT/xsk-kill-0.log" "$xsk" rx -i vnic0 -q $Q --zerocopy --timeout 60 ||
	true
vnic_bg in_ns python3 "$peer" send "$VNIC_IP4_0" $PORT 1000000 --rate 1000 --until "$stop"
send_pid=${_vnic_pids[-1]}
fails=()
for i in 1 2 3; do
	sleep 0.7
	kill -9 "$xsk_pid" 2>/dev/null || true
	wait "$xsk_pid" 2>/dev/null || true
	snap
	sleep 0.7
	after
	[[ $(d udp_noports) -gt 50 ]] || fails+=("kill $i: Udp NoPorts +$(d udp_noports) in 0.7 s after it")
	start_xsk "$VNIC_OUT/xsk-kill-$i.log" "$xsk" rx -i vnic0 -q $Q --zerocopy --timeout 60 ||
		fails+=("bind $i under traffic failed: $(cat "$VNIC_OUT/xsk-kill-$i.log")")
done
kill -9 "$xsk_pid" 2>/dev/null || true
wait "$xsk_pid" 2>/dev/null || true
if [[ ${#fails[@]} -eq 0 ]]; then
	tap_ok "three zero-copy sockets killed under traffic: the flow went to the stack after each, each bind under traffic worked"
else
	tap_fail "three zero-copy sockets killed under traffic, the flow back to the stack each time" "${fails[@]}"
fi
log=$VNIC_OUT/xsk-after-kill.log
if start_xsk "$log" "$xsk" rx -i vnic0 -q $Q --zerocopy --timeout 2 --idle 0; then
	summary_wait "$log" 30 || true
	touch "$stop"
	wait "$send_pid" 2>/dev/null || true
	sleep 0.5
	stop_xsk "$xsk_pid"
	s=$(summary "$log")
	if [[ $fin_rc -eq 0 && $(field "$s" unique) -gt 300 && $(field "$s" bad) -eq 0 ]]; then
		tap_ok "a bind after the kills receives: $(field "$s" unique) frames in 2 s, in order, payloads good"
	else
		tap_fail "a bind after the kills receives in order with good payloads" "status $fin_rc" "$(cat "$log")"
	fi
else
	touch "$stop"
	tap_fail "a bind after the kills works" "$(cat "$log")"
fi
tap_check "no AF_XDP socket is left (ss --xdp)" \
	bash -c '! ss -H --xdp -a | grep -q . || { ss --xdp -a; false; }'
detach
tap_check "ping after the kills and the program's detach" \
	ping -c 3 -i 0.2 -W 2 "$VNIC_IP4_1"
new=$(vnic_log_since "$n0" | grep -E 'vnic|xsk|AF_XDP' || true)
if ! grep -qEi 'error|fail|cannot|timeout|WARNING|BUG' <<<"$new"; then
	tap_ok "the kernel log says nothing wrong about the kills"
else
	tap_fail "the kernel log says nothing wrong about the kills" "$new"
fi
if ! vnic_skip_unless 6.8 "after the kills vnic0 has one page_pool per RX queue" \
	"netlink's page-pool list"; then
	:
elif [[ -z $ynl_dir || ! -f $ynl_dir/tools/net/ynl/cli.py ]]; then
	tap_fail "ynl is available (VNIC_KSRC)" "VNIC_KSRC=$ynl_dir"
else
	ifindex=$(cat /sys/class/net/vnic0/ifindex)
	sleep 1
	pools=$(python3 "$ynl_dir/tools/net/ynl/cli.py" --no-schema --output-json \
		--spec "$ynl_dir/Documentation/netlink/specs/netdev.yaml" --dump page-pool-get)
	n=$(python3 -c "import json,sys; print(sum(p.get('ifindex') == $ifindex for p in json.loads(sys.argv[1])))" "$pools")
	nq=$(ethtool -l vnic0 | awk '/^Combined/ { v = $2 } END { print v }')
	if [[ $n -eq $nq ]]; then
		tap_ok "after the kills vnic0 has one page_pool per RX queue ($n), none left behind"
	else
		tap_fail "after the kills vnic0 has one page_pool per RX queue" "$n pools, $nq queues" "$pools"
	fi
fi

rate_case zerocopy
detach

tap_done
