#!/bin/bash
#
# 58-steer.sh - flow steering: ntuple rules (ethtool -N) send known flows
# to the queue they name, rules into RSS contexts (ethtool -X context new)
# spread a flow over that context's queues only, bad rules and contexts
# are refused with a message, and rules and contexts survive down/up.
# Where frames went is read from the per-queue counters of ethtool -S.
# vnic-test-timeout: 900

set -euo pipefail
# shellcheck source=scripts/tests/lib.sh
source "$(dirname "$0")/lib.sh"

vnic_require insmod ip ping ethtool python3

NQ=4
tap_must "insmod vnic.ko num_queues=$NQ" vnic_load num_queues=$NQ
tap_must "both ports come up, vnic1 in netns $VNIC_NS" vnic_setup_pair

# rxq_counts: vnic0's rx_qN_packets, one number per queue.
rxq_counts() {
	local q out
	out=$(ethtool -S vnic0)
	for ((q = 0; q < NQ; q++)); do
		awk -v k="rx_q${q}_packets:" '$1 == k { print $2 }' <<<"$out"
	done | tr '\n' ' '
}

# send PROTO DST SPORT DPORT COUNT: COUNT frames of one flow from ns1 to
# vnic0. UDP: datagrams; TCP: connection attempts, one SYN each (nothing
# listens, vnic0 answers with a reset). SPORT 0: a new source port for each.
send() {
	in_ns python3 - "$@" <<'EOF'
import socket, sys
proto, dst, sport, dport, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
fam = socket.AF_INET6 if ':' in dst else socket.AF_INET
for i in range(count):
    if proto == 'udp':
        s = socket.socket(fam, socket.SOCK_DGRAM)
    else:
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.settimeout(2)
    s.bind(('', sport))
    try:
        if proto == 'udp':
            s.sendto(b'x' * 32, (dst, dport))
        else:
            s.connect((dst, dport))
    except OSError:
        pass
    s.close()
EOF
}

# lands DESC WANT PROTO DST SPORT DPORT COUNT: the flow's COUNT frames all
# reach vnic0 on the queues in WANT ("3" or "2 3"), none on the others
# (background traffic, IPv6 MLD and router solicitations from ns1, may
# add a few anywhere: the others may gain at most 5 frames).
lands() {
	local desc=$1 want=$2 before after q n=0 stray=0
	shift 2
	local count=${*: -1}
	read -ra before <<<"$(rxq_counts)"
	send "$@"
	sleep 0.3
	read -ra after <<<"$(rxq_counts)"
	for ((q = 0; q < NQ; q++)); do
		if [[ " $want " == *" $q "* ]]; then
			((n += after[q] - before[q])) || true
		else
			((stray += after[q] - before[q])) || true
		fi
	done
	if ((n >= count && stray <= 5)); then
		tap_ok "$desc: $n frames on queue(s) $want, $stray elsewhere"
	else
		tap_fail "$desc: want >= $count frames on queue(s) $want and <= 5 elsewhere" \
			"before: ${before[*]}" "after:  ${after[*]}"
	fi
}

# refused_log DESC REGEX CMD...: CMD fails and the kernel log (or its own
# output, for what the core refuses over netlink) gains REGEX. ethtool's
# -N and -X come by ioctl, which carries no extack in 6.12. ethtool 6.1's
# -N exits 0 when the kernel refuses a rule; it says "Cannot insert".
refused_log() {
	local desc=$1 re=$2 rc=0 out n new
	shift 2
	n=$(dmesg | wc -l)
	out=$("$@" 2>&1) || rc=$?
	new=$(dmesg | tail -n +$((n + 1)))
	if [[ $rc -ne 0 || $out == *"Cannot insert"* ]] &&
	   grep -qE "$re" <<<"$new"$'\n'"$out"; then
		tap_ok "$desc is refused: $(grep -hE "$re" <<<"$new"$'\n'"$out" | head -n1)"
	else
		tap_fail "$desc is refused with /$re/" "exit status $rc" "$out" "$new"
	fi
}

# add_rule DESC ARGS...: ethtool -N vnic0 ARGS, one test point; RULE gets
# the new rule's id ("Added rule with ID N"), or x if there is none.
add_rule() {
	local desc=$1 out rc=0
	shift
	RULE=x
	out=$(ethtool -N vnic0 "$@" 2>&1) || rc=$?
	if [[ $rc -eq 0 && ${out##* } =~ ^[0-9]+$ ]]; then
		RULE=${out##* }
		tap_ok "$desc: rule $RULE"
	else
		tap_fail "$desc" "exit status $rc" "$out"
	fi
}

# Neighbours resolved first, so that ARP and ND do not add to the counts.
tap_must "ping vnic0 from ns1 (IPv4 and IPv6)" \
	in_ns bash -c "ping -c 1 -W 2 $VNIC_IP4_0 && ping -c 1 -W 2 $VNIC_IP6_0"

tap_check "ntuple-filters is on by default" \
	bash -c 'ethtool -k vnic0 | grep -qx "ntuple-filters: on"'
# The main table on queues 0 and 1: what no rule takes stays off 2 and 3.
tap_must "ethtool -X vnic0 equal 2" ethtool -X vnic0 equal 2

# ---- rules to a queue ----
add_rule "udp4 dst-port 5001 action 3" flow-type udp4 dst-port 5001 action 3
r_udp=$RULE
add_rule "udp4 src-ip + dst-ip + dst-port 5002 action 2" \
	flow-type udp4 src-ip "$VNIC_IP4_1" dst-ip "$VNIC_IP4_0" dst-port 5002 action 2
add_rule "tcp4 dst-port 5003 action 1" flow-type tcp4 dst-port 5003 action 1
add_rule "udp6 dst-ip 2001:db8::1 dst-port 5004 action 3" \
	flow-type udp6 dst-ip "$VNIC_IP6_0" dst-port 5004 action 3
# ethtool's "m" names the bits to ignore: source ports 0x1700-0x17ff.
add_rule "udp4 src-port 6000 m 0xff dst-port 5005 action 2 (a mask)" \
	flow-type udp4 src-port 6000 m 0xff dst-port 5005 action 2
tap_check "ethtool -n lists 5 rules" bash -c 'ethtool -n vnic0 | grep -q "Total 5 rules"'
tap_check "ethtool -n shows rule $r_udp's port and queue" \
	bash -c "ethtool -n vnic0 rule $r_udp | grep -q 'Dest port: 5001' &&
		 ethtool -n vnic0 rule $r_udp | grep -q 'Action: Direct to queue 3'"

lands "udp4 to port 5001 (fresh source ports)" 3 udp "$VNIC_IP4_0" 0 5001 40
lands "udp4 to port 5002" 2 udp "$VNIC_IP4_0" 0 5002 40
lands "tcp4 SYNs to port 5003" 1 tcp "$VNIC_IP4_0" 0 5003 20
lands "udp6 to port 5004" 3 udp "$VNIC_IP6_0" 0 5004 40
lands "udp4 from port 6100 (inside the mask) to 5005" 2 udp "$VNIC_IP4_0" 6100 5005 20
lands "udp4 from port 6400 (outside the mask) to 5005: main RSS" "0 1" \
	udp "$VNIC_IP4_0" 6400 5005 20
lands "udp4 to port 5003: the tcp4 rule does not take it" "0 1" \
	udp "$VNIC_IP4_0" 0 5003 20

# ---- RSS contexts (6.11's create_rxfh_context; vnic has none before) ----
ctx=0
if vnic_skip_unless 6.11 "RSS contexts: new, rules into them, refusals, down/up, delete" \
	"additional RSS contexts (create_rxfh_context)"; then
ctx=1
tap_must "context new start 2 equal 2" \
	bash -c 'ethtool -X vnic0 context new start 2 equal 2 | grep -q "New RSS context is 1"'
tap_check "ethtool -x context 1 names queues 2 and 3 only" \
	bash -c "ethtool -x vnic0 context 1 | awk '/^ *[0-9]+:/ { for (i = 2; i <= NF; i++) print \$i }' |
		 sort -u | tr '\n' ' ' | grep -qx '2 3 '"
tap_must "context new equal 2 hkey (its own key)" \
	bash -c "ethtool -X vnic0 context new equal 2 hkey $(printf '%02x:' {1..39})28 |
		 grep -q 'New RSS context is 2'"
tap_check "context 2 keeps its own key" \
	bash -c "ethtool -x vnic0 context 2 | grep -qi '01:02:03:04:05'"
add_rule "udp4 dst-port 5006 context 1" flow-type udp4 dst-port 5006 context 1
r_ctx=$RULE
add_rule "udp4 dst-port 5007 context 2 action 2 (an offset into the table)" \
	flow-type udp4 dst-port 5007 context 2 action 2
r_off=$RULE
tap_diag "rules into contexts: $r_ctx, $r_off"
lands "udp4 to port 5006 spreads over context 1's queues" "2 3" udp "$VNIC_IP4_0" 0 5006 60
lands "udp4 to port 5007: context 2's queues 0-1 plus 2" "2 3" udp "$VNIC_IP4_0" 0 5007 60
fi
# The rules so far: 5, and 2 into contexts.
nrules=$((5 + 2 * ctx))

# ---- bad input ----
refused_log "action 9 (4 queues)" "queue 9 does not exist" \
	ethtool -N vnic0 flow-type udp4 dst-port 7000 action 9
refused_log "flow-type ip4" "rules are tcp4, udp4, tcp6 or udp6" \
	ethtool -N vnic0 flow-type ip4 dst-ip "$VNIC_IP4_0" action 1
refused_log "a tos match" "cannot match tos" \
	ethtool -N vnic0 flow-type tcp4 tos 4 action 1
refused_log "action -1 (drop)" "drop, wake and VF actions are not supported" \
	ethtool -N vnic0 flow-type udp4 dst-port 7000 action -1
refused_log "a vlan match" "no vlan, dst-mac or user-def" \
	ethtool -N vnic0 flow-type udp4 dst-port 7000 vlan 5 action 1
refused_log "context 9, which does not exist" "RSS context 9 does not exist" \
	ethtool -N vnic0 flow-type udp4 dst-port 7000 context 9
if [[ $ctx -eq 1 ]]; then
refused_log "context 1 (queues 2-3) with action 1" "reaches queue 4" \
	ethtool -N vnic0 flow-type udp4 dst-port 7000 context 1 action 1
fi
refused_log "loc 500" "location 500 is out of range" \
	ethtool -N vnic0 flow-type udp4 dst-port 7000 action 1 loc 500
refused_log "deleting rule 99, which does not exist" "there is no rule 99" \
	ethtool -N vnic0 delete 99
if [[ $ctx -eq 1 ]]; then
refused_log "deleting context 1 while rule $r_ctx uses it" "in use by rule $r_ctx" \
	ethtool -X vnic0 context 1 delete
refused_log "context 2 equal 3: rule $r_off's offset 2 would reach queue 4" \
	"queue 4 does not exist" ethtool -X vnic0 context 2 equal 3
fi
refused_log "ethtool -L combined 3 (rule $r_udp uses queue 3)" "too low|steers to queue" \
	ethtool -L vnic0 combined 3
if [[ $ctx -eq 1 ]]; then
tap_check "after the refusals: still 7 rules and 2 contexts" \
	bash -c 'ethtool -n vnic0 | grep -q "Total 7 rules" && ethtool -x vnic0 context 2 >/dev/null'
else
tap_check "after the refusals: still 5 rules" bash -c 'ethtool -n vnic0 | grep -q "Total 5 rules"'
fi
tap_check "ethtool -L combined 4 -> 4 is no change" ethtool -L vnic0 combined 4

# ---- down/up ----
tap_must "vnic0 down and up" bash -c 'ip link set vnic0 down && ip link set vnic0 up'
tap_must "link back" vnic_wait_link vnic0
tap_check "after down/up: $nrules rules" bash -c "ethtool -n vnic0 | grep -q 'Total $nrules rules'"
lands "after down/up: udp4 to port 5001" 3 udp "$VNIC_IP4_0" 0 5001 40
if [[ $ctx -eq 1 ]]; then
lands "after down/up: udp4 to port 5006 (context 1)" "2 3" udp "$VNIC_IP4_0" 0 5006 40
fi

# ---- deleting ----
if [[ $ctx -eq 1 ]]; then
tap_check "delete rule $r_ctx, then context 1" \
	bash -c "ethtool -N vnic0 delete $r_ctx && ethtool -X vnic0 context 1 delete"
tap_check "context 1 is gone" not ethtool -x vnic0 context 1
lands "udp4 to port 5006 without its rule: main RSS" "0 1" \
	udp "$VNIC_IP4_0" 0 5006 20
fi
tap_check "delete rule $r_udp" ethtool -N vnic0 delete "$r_udp"
tap_check "ethtool -n: $((nrules - 1 - ctx)) rules" \
	bash -c "ethtool -n vnic0 | grep -q 'Total $((nrules - 1 - ctx)) rules'"

# ---- ntuple off deletes the rules ----
tap_check "ntuple off" ethtool -K vnic0 ntuple off
tap_check "no rules left" bash -c 'ethtool -n vnic0 | grep -q "Total 0 rules"'
[[ $ctx -eq 0 ]] || tap_check "context 2 stays" ethtool -x vnic0 context 2
refused_log "a rule while ntuple is off" "ntuple-filters is off" \
	ethtool -N vnic0 flow-type udp4 dst-port 5001 action 3
tap_check "ntuple on" ethtool -K vnic0 ntuple on
add_rule "a rule again" flow-type udp4 dst-port 5001 action 3
r_again=$RULE
lands "udp4 to port 5001 again" 3 udp "$VNIC_IP4_0" 0 5001 20
if [[ $ctx -eq 1 ]]; then
tap_check "ethtool -L combined 2 once rules and contexts are gone" \
	bash -c "ethtool -N vnic0 delete $r_again && ethtool -X vnic0 context 2 delete &&
		 ethtool -L vnic0 combined 2"
else
tap_check "ethtool -L combined 2 once the rules are gone" \
	bash -c "ethtool -N vnic0 delete $r_again && ethtool -L vnic0 combined 2"
fi

tap_done
