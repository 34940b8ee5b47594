#!/bin/bash
#
# 25-rxmem.sh - what a received frame costs the socket it lands in. Bursts
# of small and large UDP datagrams into sockets with the default buffers
# arrive over vnic as they do over veth in the same boot: the driver
# charges each frame its RX buffer (half a page up to MTU 1646, pages
# beyond) or, at or below rx-copybreak, a small copy. Then jumbo frames,
# the rx-copybreak tunable, and no page_pool page left behind once the
# rings go, traffic running (ynl page-pool-get).
#
# vnic-test-timeout: 600

set -euo pipefail
# shellcheck source=scripts/tests/lib.sh
source "$(dirname "$0")/lib.sh"

vnic_require insmod ip ethtool python3 iperf3 taskset
rxmem=$(dirname "$0")/rxmem.py
ynl_dir=${VNIC_KSRC:-}

tap_must "insmod vnic.ko" vnic_load
tap_must "both ports come up with carrier, vnic1 in netns $VNIC_NS" vnic_setup_pair

tap_must "modprobe veth, for the comparison" modprobe veth
ip netns add vethns
ip link add vethA type veth peer name vethB netns vethns
ip addr add 198.19.0.1/24 dev vethA
ip addr add 2001:db8:1::1/64 dev vethA nodad
ip -n vethns addr add 198.19.0.2/24 dev vethB
ip -n vethns addr add 2001:db8:1::2/64 dev vethB nodad
ip link set vethA up
ip -n vethns link set vethB up

# burst NS ADDR COUNT SIZE: COUNT datagrams of SIZE bytes from here to a
# socket in NS bound to ADDR; sets $got (datagrams the socket took) and $ts
# (the truesize each was charged).
port=9000
burst() {
	local ns=$1 addr=$2 count=$3 size=$4 ready donef out
	port=$((port + 1))
	ready=$VNIC_OUT/rxmem.ready
	donef=$VNIC_OUT/rxmem.done
	out=$VNIC_OUT/rxmem.out
	rm -f "$ready" "$donef" "$out"
	ip netns exec "$ns" python3 "$rxmem" recv "$addr" "$port" "$ready" "$donef" >"$out" 2>&1 &
	local pid=$! i
	# Python may take seconds to start on a loaded TCG guest.
	for ((i = 0; i < 600; i++)); do
		[[ -e $ready ]] && break
		sleep 0.1
	done
	[[ -e $ready ]] || echo "the receiver never bound its socket" >>"$out"
	python3 "$rxmem" send "$addr" "$port" "$count" "$size"
	touch "$donef"
	wait "$pid" || true
	got=$(awk '/^received/ { print $2 }' "$out")
	ts=$(awk '/^queued/ { print $6 }' "$out")
	got=${got:-0}
	ts=${ts:-0}
}

# compare DESC COUNT SIZE MAXTS [6]: vnic takes at least as many as veth
# (one less allowed: the two sockets see their bursts at different
# moments), and charges each at most MAXTS bytes; over IPv6 with "6".
compare() {
	local desc=$1 count=$2 size=$3 maxts=$4 vgot vts
	local vaddr=198.19.0.2 addr=$VNIC_IP4_1
	if [[ ${5:-} == 6 ]]; then
		vaddr=2001:db8:1::2 addr=$VNIC_IP6_1
	fi
	burst vethns "$vaddr" "$count" "$size"
	vgot=$got vts=$ts
	burst "$VNIC_NS" "$addr" "$count" "$size"
	local line="$desc: vnic $got/$count (truesize $ts), veth $vgot/$count (truesize $vts)"
	if [[ $got -ge $((vgot - 1)) && $got -gt 0 && $ts -le $maxts ]]; then
		tap_ok "$line"
	else
		tap_fail "$line" "want vnic >= veth - 1 and truesize <= $maxts" \
			"$(cat "$VNIC_OUT/rxmem.out")"
	fi
}

compare "100 datagrams of 64 bytes" 100 64 1280
compare "100 datagrams of 1400 bytes" 100 1400 2560
compare "IPv6: 100 datagrams of 1400 bytes" 100 1400 2560 6

ip link set vethA mtu 9000
ip -n vethns link set vethB mtu 9000
tap_check "MTU 9000 on vnic0" ip link set dev vnic0 mtu 9000
tap_check "MTU 9000 on vnic1" ip -n "$VNIC_NS" link set dev vnic1 mtu 9000
{ vnic_wait_link vnic0 && vnic_wait_link vnic1 "$VNIC_NS"; } || true
# 8028-byte frames: three 4 KiB pages, not one 16 KiB buffer.
compare "MTU 9000: 40 datagrams of 8000 bytes" 40 8000 $((3 * 4096 + 512))
tap_check "back to MTU 1500 on vnic0" ip link set dev vnic0 mtu 1500
tap_check "back to MTU 1500 on vnic1" ip -n "$VNIC_NS" link set dev vnic1 mtu 1500
{ vnic_wait_link vnic0 && vnic_wait_link vnic1 "$VNIC_NS"; } || true

# rx-copybreak: the tunable, its bounds, and what it changes.
out=$(in_ns ethtool --get-tunable vnic1 rx-copybreak 2>&1) || true
if grep -q 'rx-copybreak: 256' <<<"$out"; then
	tap_ok "rx-copybreak is 256 by default"
else
	tap_fail "rx-copybreak is 256 by default" "$out"
fi
dmesg -c >/dev/null 2>&1 || true
out=$(in_ns ethtool --set-tunable vnic1 rx-copybreak 1025 2>&1) && rc=0 || rc=$?
msg=$(dmesg | grep -o 'rx-copybreak 1025 out of range.*' || true)
if [[ $rc -ne 0 && -n $msg ]] &&
	in_ns ethtool --get-tunable vnic1 rx-copybreak | grep -q 'rx-copybreak: 256'; then
	tap_ok "rx-copybreak 1025 is refused and 256 kept: $msg"
else
	tap_fail "rx-copybreak 1025 is refused and 256 kept" "exit $rc: $out" "dmesg: $msg"
fi
tap_check "rx-copybreak 0" in_ns ethtool --set-tunable vnic1 rx-copybreak 0
burst "$VNIC_NS" "$VNIC_IP4_1" 20 64
if [[ $got -eq 20 && $ts -ge 2048 ]]; then
	tap_ok "rx-copybreak 0: a 64-byte datagram is charged its buffer ($ts)"
else
	tap_fail "rx-copybreak 0: a 64-byte datagram is charged its buffer" "got $got, truesize $ts"
fi
tap_check "rx-copybreak 256 again" in_ns ethtool --set-tunable vnic1 rx-copybreak 256
copies() {
	vnic_ethsum "$VNIC_NS" 'rx_q[0-9]+_copybreak'
}
n0=$(copies)
burst "$VNIC_NS" "$VNIC_IP4_1" 20 64
n=$(($(copies) - n0))
if [[ $got -eq 20 && $n -ge 20 ]]; then
	tap_ok "ethtool -S counts the copies: rx_q*_copybreak +$n for 20 datagrams"
else
	tap_fail "ethtool -S counts the copies" "rx_q*_copybreak +$n, $got datagrams taken; want 20 and >= 20"
fi

# No page left behind: the rings go down under TCP traffic, and every
# page_pool page comes home (a pool with pages out would stay listed).
# The dump lists the pools of the caller's namespace's devices.
pools() {
	in_ns python3 "$ynl_dir/tools/net/ynl/cli.py" --no-schema --output-json \
		--spec "$ynl_dir/Documentation/netlink/specs/netdev.yaml" --dump page-pool-get
}
if ! vnic_skip_unless 6.8 "ynl page-pool-get: pools per queue, none left after down under traffic" \
	"netlink's page-pool list (and page_pool_params.netdev, 6.7)"; then
	:
elif [[ -z $ynl_dir || ! -f $ynl_dir/tools/net/ynl/cli.py ]]; then
	tap_fail "ynl is available (VNIC_KSRC)" "VNIC_KSRC=$ynl_dir"
else
	ifindex=$(ip -n "$VNIC_NS" -o link show vnic1 | cut -d: -f1)
	n=$(pools | python3 -c "import json,sys; print(sum(p.get('ifindex') == $ifindex for p in json.load(sys.stdin)))")
	nq=$(in_ns ethtool -l vnic1 | awk '/^Combined/ { v = $2 } END { print v }')
	if [[ $n -eq $nq ]]; then
		tap_ok "ynl page-pool-get: one pool per RX queue of vnic1 ($n)"
	else
		tap_fail "ynl page-pool-get: one pool per RX queue of vnic1" "$n pools, $nq queues" "$(pools)"
	fi
	vnic_bg ip netns exec "$VNIC_NS" iperf3 -s -B "$VNIC_IP4_1" -1 >/dev/null
	srv=$!
	vnic_wait_listen "$VNIC_NS" 5201 || true
	# The link goes down under it: bound the client's wait for the results.
	timeout 20 iperf3 -c "$VNIC_IP4_1" -t 4 -P 4 >/dev/null 2>&1 &
	ipid=$!
	sleep 2
	ip -n "$VNIC_NS" link set vnic1 down
	wait "$ipid" || true
	# Pages may still be out, legitimately: in the server's socket (its
	# peer is gone, so it never finishes), and in the per-CPU lists of
	# skbs freed on another CPU, which a CPU frees at its next network
	# softirq. End the server and give each CPU a softirq (a ping over
	# lo on it); then every page must come home within 10 s.
	kill "$srv" 2>/dev/null || true
	t0=$SECONDS
	for ((i = 0; i < 20; i++)); do
		for cpu in $(seq 0 $(($(nproc) - 1))); do
			taskset -c "$cpu" ping -c 1 -W 1 127.0.0.1 >/dev/null 2>&1 || true
		done
		left=$(pools | python3 -c "
import json, sys
print([p for p in json.load(sys.stdin) if p.get('ifindex') == $ifindex])")
		[[ $left == "[]" ]] && break
		sleep 0.5
	done
	if [[ $left == "[]" ]]; then
		tap_ok "after ip link set down under traffic, no page_pool of vnic1 is left ($((SECONDS - t0)) s after the server ended)"
	else
		tap_fail "after ip link set down under traffic, no page_pool of vnic1 is left" "$left"
	fi
	ip -n "$VNIC_NS" link set vnic1 up
	# vnic1 down took vnic0's carrier too (the peer's port went dark);
	# both have to be back before vnic0 can resolve 198.18.0.2 again.
	{ vnic_wait_link vnic1 "$VNIC_NS" && vnic_wait_link vnic0; } || true
	tap_check "ping after the rings came back" ping -c 2 -i 0.2 -W 2 "$VNIC_IP4_1"
fi

ip link del vethA 2>/dev/null || true
vnic_kill_netns vethns
vnic_cleanup
tap_done
