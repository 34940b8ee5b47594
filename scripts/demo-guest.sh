#!/bin/bash
#
# demo-guest.sh - the `make demo` tour, run inside the guest by scripts/demo.sh.
#
# Loads vnic.ko, puts its second port vnic1 into network namespace ns1,
# gives both ends an address on 198.18.0.0/24, pings, runs iperf3 for a few
# seconds, and shows the counters and the card's interrupts. Every command
# is printed before it runs. On exit (success or not) it stops iperf3,
# deletes the namespace and unloads the module.

set -euo pipefail
# lib.sh gives the addresses, vnic_wait_link and the cleanup trap.
# shellcheck source=scripts/tests/lib.sh
source "$VNIC_ROOT/scripts/tests/lib.sh"

step() {
	printf '\n=== %s\n' "$*"
}

run() {
	printf '$ %s\n' "$*"
	"$@"
}

failed() {
	printf '\ndemo FAILED at: %s\n' "$1"
	exit 1
}
# Any other failing command ends the demo the same way, also inside a
# function such as run (set -E); not in a subshell or a background job
# (vnic_bg's iperf3 server is killed at the end), nor where errexit is off.
set -E
trap '[[ $- != *e* || $BASH_SUBSHELL -gt 0 ]] || failed "line $LINENO: $BASH_COMMAND"' ERR

step "1. Load the driver"
run insmod "$VNIC_KO" || failed "insmod vnic.ko"
run ip -br link show dev vnic0 || failed "vnic0 does not exist (is the driver complete?)"
run ip -br link show dev vnic1 || failed "vnic1 does not exist (is the driver complete?)"

step "2. Move vnic1 into network namespace $VNIC_NS and bring both ends up"
run ip netns add "$VNIC_NS"
run ip -n "$VNIC_NS" link set lo up
run ip link set vnic1 netns "$VNIC_NS"
run ip addr add "$VNIC_IP4_0/24" dev vnic0
run ip -n "$VNIC_NS" addr add "$VNIC_IP4_1/24" dev vnic1
run ip link set vnic0 up
run ip -n "$VNIC_NS" link set vnic1 up
vnic_wait_link vnic0 || failed "vnic0 has no link"
vnic_wait_link vnic1 "$VNIC_NS" || failed "vnic1 has no link"
run ip -br addr show dev vnic0
run ip -n "$VNIC_NS" -br addr show dev vnic1

step "3. Ping from vnic0 to vnic1 through the card"
run ping -c 3 -i 0.2 -W 2 "$VNIC_IP4_1" || failed "ping $VNIC_IP4_1"

step "4. iperf3 for 5 seconds: server in $VNIC_NS, client in the root namespace"
printf '$ ip netns exec %s iperf3 -s -1 -B %s >/tmp/iperf3-server.log &\n' "$VNIC_NS" "$VNIC_IP4_1"
vnic_bg ip netns exec "$VNIC_NS" iperf3 -s -1 -B "$VNIC_IP4_1" >/tmp/iperf3-server.log 2>&1
for _ in $(seq 50); do
	ip netns exec "$VNIC_NS" ss -Hltn "sport = :5201" | grep -q . && break
	sleep 0.1
done
run iperf3 -c "$VNIC_IP4_1" -t 5 -i 1 || failed "iperf3"

step "5. Counters"
run ip -s link show dev vnic0
run ip -n "$VNIC_NS" -s link show dev vnic1
run ethtool -S vnic0 || failed "ethtool -S vnic0"
run ip netns exec "$VNIC_NS" ethtool -S vnic1 || failed "ethtool -S vnic1"

step "6. The card's interrupts"
run grep -E 'CPU|vnic' /proc/interrupts
grep -q vnic /proc/interrupts || failed "no vnic interrupts in /proc/interrupts"

step "7. Clean up: stop iperf3, delete $VNIC_NS, unload the driver"
vnic_cleanup
run ip netns list
if vnic_loaded; then
	failed "vnic is still loaded"
fi
echo "vnic unloaded"
printf '\ndemo finished OK\n'
