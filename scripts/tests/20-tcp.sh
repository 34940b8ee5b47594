#!/bin/bash
#
# 20-tcp.sh - bulk traffic: iperf3 TCP both ways and UDP, a 64 MiB file
# whose sha256 must survive the trip, and the interface counters on both
# sides agreeing with each other. Also measures single-stream TCP over
# veth in the same guest, for comparison.

set -euo pipefail
# shellcheck source=scripts/tests/lib.sh
source "$(dirname "$0")/lib.sh"

vnic_require insmod ip iperf3 socat sha256sum head python3 ethtool

tap_must "insmod vnic.ko" vnic_load
tap_must "both ports come up, vnic1 in netns $VNIC_NS" vnic_setup_pair

vnic_bg in_ns iperf3 -s -B "$VNIC_IP4_1" -1 >/dev/null
vnic_wait_listen "$VNIC_NS" 5201 || true
if out=$(iperf3 -c "$VNIC_IP4_1" -t 10 -J 2>&1) && bps=$(vnic_iperf3_bps <<<"$out") && [[ $bps -gt 0 ]]; then
	tap_ok "iperf3 TCP vnic0 -> vnic1, 10 s: $((bps / 1000000)) Mbit/s"
	vnic_tcp=$bps
else
	tap_fail "iperf3 TCP vnic0 -> vnic1, 10 s" "$out"
	vnic_tcp=0
fi

vnic_bg in_ns iperf3 -s -B "$VNIC_IP4_1" -1 >/dev/null
vnic_wait_listen "$VNIC_NS" 5201 || true
if out=$(iperf3 -c "$VNIC_IP4_1" -t 10 -R -J 2>&1) && bps=$(vnic_iperf3_bps <<<"$out") && [[ $bps -gt 0 ]]; then
	tap_ok "iperf3 TCP vnic1 -> vnic0 (reverse), 10 s: $((bps / 1000000)) Mbit/s"
else
	tap_fail "iperf3 TCP vnic1 -> vnic0 (reverse), 10 s" "$out"
fi

vnic_bg in_ns iperf3 -s -B "$VNIC_IP6_1" -1 >/dev/null
vnic_wait_listen "$VNIC_NS" 5201 || true
if out=$(iperf3 -c "$VNIC_IP6_1" -u -b 100M -t 5 -J 2>&1) && bps=$(vnic_iperf3_bps <<<"$out") && [[ $bps -gt 0 ]]; then
	tap_ok "iperf3 UDP over IPv6, 5 s: $((bps / 1000000)) Mbit/s received"
else
	tap_fail "iperf3 UDP over IPv6, 5 s" "$out"
fi

# 64 MiB of random data over TCP; the sha256 must match on arrival.
vnic_tcp_file 64M 5001 120 "send 64 MiB over TCP with socat" \
	"64 MiB file arrives with the same sha256"

# Counters: over a quiet window of 200 pings, what one side sent the
# other side received (or counted as missed/filtered in the card).
# Frames the card refused (multicast not subscribed to) or had no buffer for.
card_refused() {
	vnic_ethsum "$VNIC_NS" 'rx_(filtered|missed)'
}
# count_window: 200 pings, then the counters of both ends until they agree
# (up to 5 s). Sets dtx0, drx1 and dref1.
count_window() {
	local tx0 rx1 ref1
	sleep 1
	tx0=$(vnic_link_stat "" vnic0 "['tx']['packets']")
	rx1=$(vnic_link_stat "$VNIC_NS" vnic1 "['rx']['packets']")
	ref1=$(card_refused)
	ping -c 200 -i 0.01 -W 2 -q "$VNIC_IP4_1" >/dev/null || true
	for _ in 1 2 3 4 5; do
		sleep 1
		dtx0=$(($(vnic_link_stat "" vnic0 "['tx']['packets']") - tx0))
		drx1=$(($(vnic_link_stat "$VNIC_NS" vnic1 "['rx']['packets']") - rx1))
		dref1=$(($(card_refused) - ref1))
		[[ $dtx0 -eq $((drx1 + dref1)) ]] && return 0
	done
	return 1
}
# A window is quiet unless something else (a late segment of the transfers
# above, say) was in flight across its edges: then it is taken once more.
if ! count_window; then
	tap_diag "first window: vnic0 tx delta $dtx0, vnic1 rx delta $drx1, refused $dref1; measuring again"
	count_window || true
fi
if [[ $dtx0 -ge 200 && $dtx0 -eq $((drx1 + dref1)) ]]; then
	tap_ok "ip -s link: vnic0 sent $dtx0 packets, vnic1 received $drx1 (+$dref1 refused by its filter)"
else
	tap_fail "ip -s link: vnic0 sent = vnic1 received + refused, at least 200" \
		"vnic0 tx delta $dtx0, vnic1 rx delta $drx1, refused $dref1" \
		"$(ethtool -S vnic0 | grep -v ': 0$')" "$(in_ns ethtool -S vnic1 | grep -v ': 0$')"
fi
errs=$(vnic_link_stat "" vnic0 "['tx']['errors']")
tap_check "vnic0 has no TX errors" test "$errs" -eq 0

# The same single-stream TCP test over veth, for comparison.
if modprobe veth 2>/dev/null; then
	ip netns add vethns
	ip link add vethA type veth peer name vethB netns vethns
	ip addr add 198.19.0.1/24 dev vethA
	ip -n vethns addr add 198.19.0.2/24 dev vethB
	ip link set vethA up
	ip -n vethns link set vethB up
	vnic_bg ip netns exec vethns iperf3 -s -B 198.19.0.2 -1 >/dev/null
	vnic_wait_listen vethns 5201 || true
	if out=$(iperf3 -c 198.19.0.2 -t 10 -J 2>&1) && bps=$(vnic_iperf3_bps <<<"$out"); then
		ratio=$(python3 -c "print(f'{$vnic_tcp / $bps:.2f}')")
		tap_ok "veth TCP 1 stream: $((bps / 1000000)) Mbit/s; vnic/veth = $ratio"
	else
		tap_fail "veth TCP 1 stream" "$out"
	fi
	ip link del vethA 2>/dev/null || true
	vnic_kill_netns vethns
else
	tap_fail "modprobe veth for the comparison"
fi

tap_must "rmmod vnic" vnic_unload
tap_done
