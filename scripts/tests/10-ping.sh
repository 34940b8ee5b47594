#!/bin/bash
#
# 10-ping.sh - ICMP over the wire between vnic0 (root namespace) and vnic1
# (netns ns1): IPv4 and IPv6, both ways, payloads from 0 bytes to the MTU,
# a bounded flood, and a jumbo MTU of 9000 end to end.

set -euo pipefail
# shellcheck source=scripts/tests/lib.sh
source "$(dirname "$0")/lib.sh"

vnic_require insmod ip ping

tap_must "insmod vnic.ko" vnic_load
tap_must "both ports come up with carrier, vnic1 in netns $VNIC_NS" vnic_setup_pair

tap_check "IPv4 ping vnic0 -> vnic1" ping -c 3 -i 0.2 -W 2 "$VNIC_IP4_1"
tap_check "IPv4 ping vnic1 -> vnic0" in_ns ping -c 3 -i 0.2 -W 2 "$VNIC_IP4_0"
tap_check "IPv6 ping vnic0 -> vnic1" ping -6 -c 3 -i 0.2 -W 2 "$VNIC_IP6_1"
tap_check "IPv6 ping vnic1 -> vnic0" in_ns ping -6 -c 3 -i 0.2 -W 2 "$VNIC_IP6_0"

# Payload sizes from empty to the largest that fits the MTU unfragmented
# (1500 - 20 IPv4 - 8 ICMP = 1472; 1500 - 40 IPv6 - 8 ICMPv6 = 1452).
for size in 0 1 17 63 64 65 511 1000 1471 1472; do
	tap_check "IPv4 ping, payload $size bytes, DF" \
		ping -c 1 -W 2 -M "do" -s "$size" "$VNIC_IP4_1"
done
for size in 0 1 1000 1452; do
	tap_check "IPv6 ping, payload $size bytes" \
		in_ns ping -6 -c 1 -W 2 -M "do" -s "$size" "$VNIC_IP6_0"
done
tap_check "IPv4 ping one byte over the MTU with DF fails locally" \
	not ping -c 1 -W 1 -M "do" -s 1473 "$VNIC_IP4_1"

# A bounded flood: 2000 echo requests as fast as replies come back.
out=$(ping -f -c 2000 -w 60 "$VNIC_IP4_1" 2>&1) || true
if grep -q ' 0% packet loss' <<<"$out"; then
	tap_ok "ping -f: 2000 requests, no loss"
else
	tap_fail "ping -f: 2000 requests, no loss" "$out"
fi

# Jumbo frames: MTU 9000 on both ends while they are up.
tap_check "MTU 9000 on vnic0" ip link set dev vnic0 mtu 9000
tap_check "MTU 9000 on vnic1" ip -n "$VNIC_NS" link set dev vnic1 mtu 9000
vnic_wait_link vnic0 && vnic_wait_link vnic1 "$VNIC_NS" || true
tap_check "IPv4 jumbo ping, payload 8972 bytes, DF" \
	ping -c 3 -i 0.2 -W 2 -M "do" -s 8972 "$VNIC_IP4_1"
tap_check "IPv6 jumbo ping, payload 8952 bytes" \
	in_ns ping -6 -c 3 -i 0.2 -W 2 -M "do" -s 8952 "$VNIC_IP6_0"
tap_check "back to MTU 1500 on vnic0" ip link set dev vnic0 mtu 1500
tap_check "back to MTU 1500 on vnic1" ip -n "$VNIC_NS" link set dev vnic1 mtu 1500
tap_check "ping after going back to MTU 1500" ping -c 2 -i 0.2 -W 2 "$VNIC_IP4_1"

out=$(ip link set dev vnic0 mtu 9001 2>&1) && rc=0 || rc=$?
if [[ $rc -ne 0 ]] && grep -qi 'mtu' <<<"$out"; then
	tap_ok "MTU 9001 is refused with a message: $out"
else
	tap_fail "MTU 9001 is refused with a message" "exit $rc: $out"
fi

tap_must "rmmod vnic" vnic_unload
tap_done
