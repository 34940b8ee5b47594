#!/bin/bash
#
# journey-guest.sh - trace ONE packet from vnic0 to vnic1 and its reply,
# inside a guest (scripts/journey.sh runs it; so does the e2e test
# 85-journey). Usage: journey-guest.sh icmp|tcp|udp OUTDIR
#
# It loads vnic, brings up the pair (vnic1 in netns ns1), resolves the
# neighbours with two warm-up pings and, for tcp/udp, starts an echo
# server in ns1 and connects. Then, with nothing else moving, it enables
# the kernel's and vnic's tracepoints and a few kprobes ONCE in a tracefs
# instance of its own, lets the client send its one packet and wait for
# the reply, stops tracing and disables everything again (each enable and
# disable patches kernel text: DEVELOPERS.md, the TCG int3 hazard).
# OUTDIR gets trace.txt (the raw trace), meta.txt (pids, devices,
# neighbours) and timeline.txt (scripts/journey.py's output, also printed).

set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"
# shellcheck source=scripts/tests/lib.sh
source "$VNIC_ROOT/scripts/tests/lib.sh"

pkt=${1:-icmp}
out=${2:?usage: journey-guest.sh icmp|tcp|udp OUTDIR}
case $pkt in
icmp | tcp | udp) ;;
*) die "journey: PKT=$pkt: not a packet kind; use icmp, tcp or udp" ;;
esac
mkdir -p "$out"
port=7007
peer=$VNIC_ROOT/scripts/journey-peer.py
go=/tmp/journey-go.$$
rm -f "$go"

vnic_require python3 ip ping

# pfifo_fast and fq_codel let a packet that finds its queue empty bypass
# enqueue and dequeue (TCQ_F_CAN_BYPASS); fq always queues, so both steps
# show.
sysctl -qw net.core.default_qdisc=fq || die "journey: the fq qdisc (sch_fq) is not available"
# shellcheck disable=SC2119 # no module parameters
vnic_load || die "journey: insmod $VNIC_KO failed"
vnic_setup_pair >/dev/null || die "journey: the pair did not come up"
# Both ends learn each other's MAC now, so the traced packet needs no ARP.
ping -c 2 -i 0.2 -W 5 "$VNIC_IP4_1" >/dev/null || die "journey: warm-up ping failed"

spid=0
if [[ $pkt != icmp ]]; then
	# This run's own file: an earlier run's pid must not be taken for it.
	pidfile=/tmp/journey-server.$$.pid
	rm -f "$pidfile"
	vnic_bg in_ns python3 "$peer" server "$pkt" "$VNIC_IP4_1" "$port" "$pidfile"
	for ((i = 0; i < 100; i++)); do
		[[ -s $pidfile ]] && break
		sleep 0.1
	done
	spid=$(cat "$pidfile") || die "journey: the echo server did not start"
	rm -f "$pidfile"
fi

exec {cfd}< <(python3 "$peer" client "$pkt" "$VNIC_IP4_1" "$port" "$go"; echo "exit $?")
read -r -t 30 ready cpid cport <&"$cfd" && [[ $ready == ready ]] ||
	die "journey: the client did not get ready (got: ${ready:-nothing})"

T=/sys/kernel/tracing
[[ -d $T/instances ]] || mount -t tracefs nodev "$T"
I=$T/instances/vnic-journey
probes=()

# Tracing off and gone, also when the run stops half-way; then lib.sh's.
journey_cleanup() {
	local p
	if [[ -d $I ]]; then
		echo 0 >"$I/tracing_on" || true
		echo 0 >"$I/events/enable" || true
		rmdir "$I" || true
	fi
	for p in "${probes[@]}"; do
		echo "-:journey/$p" >>"$T/kprobe_events" || true
	done
	probes=()
	rm -f "$go"
	vnic_cleanup
}
trap journey_cleanup EXIT

[[ -d $I ]] && rmdir "$I"
mkdir "$I"

# kprobes where the stack has no tracepoint: NAME FUNCTION (the skb is
# the first argument, %di, or the third, %dx). ip_rcv_core serves both
# ip_rcv and ip_list_rcv (GRO hands lists); a function the compiler
# inlined is not in kallsyms and is skipped.
kprobes=(
	"ip_output ip_output %dx"
	"ip_finish_output2 ip_finish_output2 %dx"
	"ip_rcv_core ip_rcv_core %di"
	"ip_local_deliver ip_local_deliver %di"
	"icmp_rcv icmp_rcv %di"
	"tcp_v4_rcv tcp_v4_rcv %di"
	"udp_rcv udp_rcv %di"
)
for k in "${kprobes[@]}"; do
	read -r name fn reg <<<"$k"
	# One left over by a run that died: replaced.
	echo "-:journey/$name" >>"$T/kprobe_events" 2>/dev/null || true
	sym=$(awk -v f="$fn" '$3 == f || $3 ~ "^" f "\\.(isra|constprop|part)\\.[0-9]+$" { print $3; exit }' /proc/kallsyms)
	if [[ -z $sym ]] || ! echo "p:journey/$name $sym skbaddr=$reg:x64" >>"$T/kprobe_events" 2>/dev/null; then
		echo "journey: no kprobe on $fn (not in kallsyms)" >&2
		continue
	fi
	probes+=("$name")
done

events=(
	syscalls/sys_enter_sendto syscalls/sys_exit_recvfrom
	net/net_dev_queue net/net_dev_start_xmit net/net_dev_xmit
	net/napi_gro_receive_entry net/netif_receive_skb
	qdisc/qdisc_enqueue qdisc/qdisc_dequeue
	napi/napi_poll irq/irq_handler_entry
	skb/consume_skb skb/kfree_skb
	vnic
)
for p in "${probes[@]}"; do
	events+=("journey/$p")
done
# One clock for every CPU, so times compare across them.
echo mono >"$I/trace_clock"
# Real skb addresses, as the kprobes print them (a hash by default).
echo 0 >"$I/options/hash-ptr"
echo 8192 >"$I/buffer_size_kb"
pids="common_pid == $cpid"
[[ $spid != 0 ]] && pids+=" || common_pid == $spid"
echo "$pids" >"$I/events/syscalls/sys_enter_sendto/filter"
echo "$pids" >"$I/events/syscalls/sys_exit_recvfrom/filter"
echo 'name ~ "vnic*"' >"$I/events/irq/irq_handler_entry/filter"
for e in "${events[@]}"; do
	echo 1 >"$I/events/$e/enable" || die "journey: cannot enable tracepoint $e"
done
echo 1 >"$I/tracing_on"
# Let every CPU leave the text that was just patched before traffic.
sleep 0.5

# The neighbour entries as the packet will find them.
neigh_src=$(ip -4 neigh show dev vnic0 | head -n1)
neigh_dst=$(in_ns ip -4 neigh show dev vnic1 | head -n1)
touch "$go"
read -r -t 30 line1 <&"$cfd" || true
read -r -t 30 line2 <&"$cfd" || true
exec {cfd}<&-
# The TX completions and frees after the reply.
sleep 0.5
echo 0 >"$I/tracing_on"
cat "$I/trace" >"$out/trace.txt"
# Debian's 6.1 (6.1.192) prints every %s of a tracepoint empty once
# hash-ptr is off ("net_dev_queue: dev= skbaddr=..."): a kernel bug in
# its trace output, not in the buffer. trace-cmd formats the same buffer
# in user space; its lines are put back in the trace file's layout.
if grep -q ' net_dev_queue: dev= ' "$out/trace.txt"; then
	trace-cmd extract -B "${I##*/}" -o "$out/trace.dat" >/dev/null 2>&1 ||
		die "journey: the trace prints strings empty and trace-cmd extract failed"
	# "INST:  comm-pid  CPUflags  ts: event:  fields", flags 5 chars wide:
	trace-cmd report -l -i "$out/trace.dat" 2>/dev/null |
		sed -nE 's/^[^ ]+: +(.+)-([0-9]+) +([0-9]+)([^ ]{5}) +([0-9.]+): +([^ ]+): +(.*)$/\1-\2 [\3] \4 \5: \6: \7/p' |
		# The syscall events as the kernel prints them: "sys_sendto(...)",
		# "sys_recvfrom -> 0x62".
		sed -E 's/ sys_enter_([a-z0-9_]+): (.*)$/ sys_\1(\2)/; s/ sys_exit_([a-z0-9_]+): +(0x[0-9a-f]+).*$/ sys_\1 -> \2/' >"$out/trace.txt"
	rm -f "$out/trace.dat"
fi
# (trace-cmd extract removes the instance itself.)
if [[ -d $I ]]; then
	echo 0 >"$I/events/enable"
	rmdir "$I"
fi
for p in "${probes[@]}"; do
	echo "-:journey/$p" >>"$T/kprobe_events"
done
probes=()
rm -f "$go"

{
	echo "pkt $pkt"
	echo "client_pid $cpid"
	echo "client_port $cport"
	echo "server_pid $spid"
	echo "server_port $port"
	echo "src vnic0 $VNIC_IP4_0 $(cat /sys/class/net/vnic0/address)"
	echo "dst vnic1 $VNIC_IP4_1 $(in_ns cat /sys/class/net/vnic1/address)"
	echo "neigh_src $neigh_src"
	echo "neigh_dst $neigh_dst"
	echo "qdisc $(tc qdisc show dev vnic0 2>/dev/null | head -n2 | tr '\n' ';')"
	echo "client $line1 / $line2"
} >"$out/meta.txt"

[[ $line1 == reply* ]] || die "journey: the $pkt packet got no reply (client: ${line1:-nothing} ${line2:-})"
python3 "$VNIC_ROOT/scripts/journey.py" "$out" | tee "$out/timeline.txt"
