#!/bin/bash
#
# 42-linkadd.sh - ip link add NAME type vnic peer name PEER: a new card
# whose ports carry the two names, bound through the bus's probe; ip link
# del (of either port, or of the namespace the peer is in) takes the whole
# card away. numtxqueues/numrxqueues set its queue pairs; ip -d link show
# gives its card number, port and queues; every bad argument is refused
# with its message and leaves no card behind. num_cards=0 starts with no
# card, and sysfs new_device/del_device still work. 100 adds and deletes
# under traffic on the module's own pair lose (almost) nothing there.
#
# ip needs the plugin scripts/iproute2/link_vnic.c to parse "peer" and to
# print the details: it is built here, into IP_LIB_DIR. VNIC_LINKADD_ROUNDS
# (default 100) sets the rounds of the last part (fewer on the debug kernel).
# vnic-test-timeout: 600

set -euo pipefail
# shellcheck source=scripts/tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck disable=SC2016 # bash -c scripts expand in their own shell

vnic_require insmod rmmod ip ethtool ping gcc iperf3 dmesg

plugin_dir=/tmp/vnic-iproute2
mkdir -p "$plugin_dir"
tap_must "the iproute2 plugin builds" \
	gcc -Wall -shared -fPIC -O2 -I "$VNIC_ROOT/include" -o "$plugin_dir/link_vnic.so" \
	"$VNIC_ROOT/scripts/iproute2/link_vnic.c"
export IP_LIB_DIR=$plugin_dir

log0=$(vnic_log_lines)

# cards: the card functions on the bus.
cards() {
	find /sys/bus/vnic/devices/ -mindepth 1 -maxdepth 1 -printf '%f\n' | sort | tr '\n' ' '
}

# vnic_netdevs [NS]: the vnic net_devices (by driver), sorted by name.
vnic_netdevs() {
	local -a ipx=(ip)
	[[ -n ${1:-} ]] && ipx=(ip netns exec "$1" ip)
	local d out=()
	for d in $("${ipx[@]}" -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'); do
		if [[ -n ${1:-} ]]; then
			ip netns exec "$1" ethtool -i "$d" 2>/dev/null | grep -qx 'driver: vnic' || continue
		else
			ethtool -i "$d" 2>/dev/null | grep -qx 'driver: vnic' || continue
		fi
		out+=("$d")
	done
	[[ ${#out[@]} -gt 0 ]] || return 0
	printf '%s\n' "${out[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
	echo
}

tap_must "insmod vnic.ko num_cards=0" vnic_load num_cards=0
tap_is "num_cards=0: no card on the bus" "$(cards)" ""
tap_is "num_cards=0: no vnic net_device" "$(vnic_netdevs)" ""

# --- add and del -----------------------------------------------------------
tap_must "ip link add a0 type vnic peer name a1" ip link add a0 type vnic peer name a1
tap_is "a new card's two functions are on the bus" "$(cards)" "vnic-c0p0 vnic-c0p1 "
tap_is "its ports carry the two names" "$(vnic_netdevs)" "a0 a1"
tap_check "a0 is bound to function vnic-c0p0" \
	bash -c '[[ $(basename "$(readlink /sys/class/net/a0/device)") == vnic-c0p0 ]]'
tap_check "a1 is bound to function vnic-c0p1" \
	bash -c '[[ $(basename "$(readlink /sys/class/net/a1/device)") == vnic-c0p1 ]]'
d0=$(ip -d link show dev a0)
tap_check "ip -d link show a0: vnic card 0 port 0 queues 2, parentdev vnic-c0p0" \
	bash -c 'grep -q "vnic card 0 port 0 queues 2" <<<"$1" && grep -q "parentdev vnic-c0p0" <<<"$1"' _ "$d0"
tap_check "ip -d link show a1: vnic card 0 port 1 queues 2" \
	bash -c 'ip -d link show dev a1 | grep -q "vnic card 0 port 1 queues 2"'
tap_check "ip -d -j link show a0: linkinfo kind vnic, info_data card 0 port 0" \
	bash -c 'ip -d -j link show dev a0 | python3 -c "
import json, sys
li = json.load(sys.stdin)[0][\"linkinfo\"]
assert li[\"info_kind\"] == \"vnic\", li
assert li[\"info_data\"] == {\"card\": 0, \"port\": 0, \"queues\": 2}, li"'
tap_must "ip link del a1 (the peer)" ip link del a1
tap_is "ip link del of one port: the whole card is gone" "$(cards)" ""
tap_is "... and both net_devices" "$(vnic_netdevs)" ""

# --- queues ------------------------------------------------------------------
tap_must "ip link add q0 numtxqueues 4 numrxqueues 4 type vnic peer name q1" \
	ip link add q0 numtxqueues 4 numrxqueues 4 type vnic peer name q1
for d in q0 q1; do
	tap_is "$d: ethtool -l shows 4 combined channels, at most 4" \
		"$(ethtool -l "$d" | awk '/^Combined:/ { printf "%s ", $2 }')" "4 4 "
	tap_is "$d: sysfs has 4 tx and 4 rx queues" \
		"$(find "/sys/class/net/$d/queues" -mindepth 1 -maxdepth 1 -name 'tx-*' | wc -l) $(find "/sys/class/net/$d/queues" -mindepth 1 -maxdepth 1 -name 'rx-*' | wc -l)" \
		"4 4"
done
tap_check "ip -d link show q0: queues 4" bash -c 'ip -d link show dev q0 | grep -q "vnic card 0 port 0 queues 4"'
tap_check "ethtool -L q0 combined 1 and back to 4" \
	bash -c 'ethtool -L q0 combined 1 && ethtool -L q0 combined 4'
tap_must "ip link del q0" ip link del q0
tap_is "the card is gone" "$(cards)" ""

# --- peer netns, ping, the namespace going ----------------------------------
ip netns add "$VNIC_NS"
ip -n "$VNIC_NS" link set lo up
tap_must "ip link add n0 type vnic peer name n1 netns $VNIC_NS" \
	ip link add n0 type vnic peer name n1 netns "$VNIC_NS"
tap_is "n0 is in the root namespace" "$(vnic_netdevs)" "n0"
tap_is "n1 is in $VNIC_NS" "$(vnic_netdevs "$VNIC_NS")" "n1"
# shellcheck disable=SC2317 # called through tap_check
pair_ping() {
	ip addr add "$VNIC_IP4_0/24" dev n0 &&
		ip -n "$VNIC_NS" addr add "$VNIC_IP4_1/24" dev n1 &&
		ip link set n0 up && ip -n "$VNIC_NS" link set n1 up &&
		vnic_wait_link n0 && vnic_wait_link n1 "$VNIC_NS" &&
		ping -c 20 -i 0.05 -W 2 -q "$VNIC_IP4_1"
}
tap_check "20 pings cross the created pair n0 -> n1" pair_ping
tap_check "a TCP stream crosses it (iperf3, 3 s)" bash -c '
	ip netns exec '"$VNIC_NS"' iperf3 -s -1 -B '"$VNIC_IP4_1"' >/dev/null 2>&1 &
	for i in $(seq 50); do ip netns exec '"$VNIC_NS"' ss -Hltn "sport = :5201" | grep -q . && break; sleep 0.1; done
	iperf3 -c '"$VNIC_IP4_1"' -t 3 >/dev/null'
# Deleting under traffic: a flood of pings while the peer's namespace goes.
ping -f -W 1 "$VNIC_IP4_1" >/dev/null 2>&1 &
flood=$!
sleep 1
tap_must "ip netns del $VNIC_NS under a ping flood" ip netns del "$VNIC_NS"
for ((i = 0; i < 50; i++)); do [[ -z $(cards) ]] && break; sleep 0.1; done
kill "$flood" 2>/dev/null || true
wait "$flood" 2>/dev/null || true
tap_is "the peer's namespace going takes the card (and n0) away" "$(cards)|$(vnic_netdevs)" "|"

# --- refusals ----------------------------------------------------------------
# refused DESC MESSAGE ARGS...: ip link add ARGS fails with MESSAGE and
# leaves no card and no vnic net_device.
refused() {
	local desc=$1 msg=$2 out rc=0
	shift 2
	out=$(ip link add "$@" 2>&1) || rc=$?
	if [[ $rc -ne 0 && $out == *"$msg"* && -z $(cards) && -z $(vnic_netdevs) ]]; then
		tap_ok "$desc is refused: $out"
	else
		tap_fail "$desc is refused with \"$msg\", no card left" "rc $rc: $out" \
			"cards: $(cards)" "net_devices: $(vnic_netdevs)"
	fi
}
refused "numtxqueues 129 numrxqueues 129" "allowed 1-128" \
	r0 numtxqueues 129 numrxqueues 129 type vnic peer name r1
refused "numtxqueues 0" "allowed 1-128" r0 numtxqueues 0 type vnic peer name r1
refused "numtxqueues 4 alone (numrxqueues is num_queues, 2)" "must be equal" \
	r0 numtxqueues 4 type vnic peer name r1
refused "the peer with other queues than the card's" "must be the card's, 2" \
	r0 type vnic peer name r1 numtxqueues 4 numrxqueues 4
refused "no peer" "name the second with" r0 type vnic
refused "a peer with no name" "the peer needs a name" r0 type vnic peer mtu 1500
refused "a peer name that is taken (lo)" 'peer name "lo" is taken' r0 type vnic peer name lo
refused "the same name for both ports" 'peer name "r0" is taken' r0 type vnic peer name r0
refused "a first name that is taken (lo)" "File exists" lo type vnic peer name r1
refused "an MTU above the card's 9000" "greater than device maximum" r0 mtu 9001 type vnic peer name r1
refused "a multicast address for the peer" "not a unicast Ethernet address" \
	r0 type vnic peer name r1 address 01:00:5e:00:00:01

# --- sysfs new_device / del_device next to ip link add ----------------------
tap_must "echo '5 2' > /sys/bus/vnic/new_device" bash -c 'echo "5 2" > /sys/bus/vnic/new_device'
tap_is "new_device: card 5 is on the bus" "$(cards)" "vnic-c5p0 vnic-c5p1 "
tap_must "ip link add s0 type vnic peer name s1 address 02:00:00:00:aa:01" \
	ip link add s0 type vnic peer name s1 address 02:00:00:00:aa:01
tap_is "ip link add takes the lowest free card number, 0" "$(cards)" \
	"vnic-c0p0 vnic-c0p1 vnic-c5p0 vnic-c5p1 "
tap_is "the peer has the address it was given" "$(cat /sys/class/net/s1/address)" "02:00:00:00:aa:01"
vnic_logged "del_device of a card ip link add made" "card 0 was made by ip link add: delete it with ip link del" \
	bash -c 'echo 0 > /sys/bus/vnic/del_device'
tap_is "... which stays" "$(vnic_netdevs | tr ' ' '\n' | grep -c '^s[01]$')" "2"
tap_must "echo 5 > /sys/bus/vnic/del_device" bash -c 'echo 5 > /sys/bus/vnic/del_device'
tap_must "ip link del s0" ip link del s0
tap_is "both cards are gone" "$(cards)" ""

# --- a port unbound through sysfs ------------------------------------------
tap_must "ip link add u0 type vnic peer name u1" ip link add u0 type vnic peer name u1
tap_must "unbind vnic-c0p1 from the driver" \
	bash -c 'echo vnic-c0p1 > /sys/bus/vnic/drivers/vnic/unbind'
tap_is "unbind: u1 is gone, u0 stays" "$(vnic_netdevs)" "u0"
vnic_logged "bind of a port ip link add made" "made by ip link add: probed only by its newlink" \
	bash -c 'echo vnic-c0p1 > /sys/bus/vnic/drivers/vnic/bind'
tap_must "ip link del u0" ip link del u0
tap_is "the card is gone" "$(cards)|$(vnic_netdevs)" "|"

# --- rmmod with created cards up and carrying traffic -----------------------
ip netns add "$VNIC_NS"
ip link add m0 type vnic peer name m1 netns "$VNIC_NS"
ip addr add "$VNIC_IP4_0/24" dev m0
ip -n "$VNIC_NS" addr add "$VNIC_IP4_1/24" dev m1
ip link set m0 up
ip -n "$VNIC_NS" link set m1 up
ip link add m2 type vnic peer name m3
ping -f -W 1 "$VNIC_IP4_1" >/dev/null 2>&1 &
flood=$!
sleep 1
tap_must "rmmod vnic with two created cards, one under a ping flood" rmmod vnic
kill "$flood" 2>/dev/null || true
wait "$flood" 2>/dev/null || true
tap_is "rmmod: the peer in $VNIC_NS is gone with the card" "$(ip -n "$VNIC_NS" -o link show | grep -c m1 || true)" "0"
ip netns del "$VNIC_NS"

# --- 100 adds and deletes under traffic on the module's own pair ------------
tap_must "insmod vnic.ko (one card: vnic0, vnic1)" vnic_load
tap_must "vnic0 and vnic1 set up, vnic1 in $VNIC_NS" vnic_setup_pair
out=$(ip link del vnic0 2>&1) && rc=0 || rc=$?
tap_is "ip link del of a port of the module's own card is refused" \
	"$rc $out $(vnic_netdevs)" "2 RTNETLINK answers: Operation not supported vnic0"
vnic_bg in_ns iperf3 -s -B "$VNIC_IP4_1" >/dev/null
vnic_wait_listen "$VNIC_NS" 5201
iperf_out=/tmp/vnic-linkadd-iperf.json
vnic_bg iperf3 -c "$VNIC_IP4_1" -t 600 -J >"$iperf_out" 2>/dev/null
ping_out=/tmp/vnic-linkadd-ping.txt
ping -i 0.05 -W 2 "$VNIC_IP4_1" >"$ping_out" 2>&1 &
pinger=$!
rounds=0
bad=""
start=$SECONDS
want=${VNIC_LINKADD_ROUNDS:-100}
for ((i = 0; i < want; i++)); do
	if ! out=$(ip link add c0 type vnic peer name c1 2>&1); then
		bad="round $i: add: $out"
		break
	fi
	ip link set c0 up
	ip link set c1 up
	if ! out=$(ip link del "c$((i % 2))" 2>&1); then
		bad="round $i: del: $out"
		break
	fi
	rounds=$((rounds + 1))
done
elapsed=$((SECONDS - start))
kill -INT "$pinger" 2>/dev/null || true
wait "$pinger" 2>/dev/null || true
tap_is "$want rounds of ip link add, up, ip link del (either port), in ${elapsed}s" \
	"$rounds${bad:+ ($bad)}" "$want"
tap_is "... no card left but the module's" "$(cards)" "vnic-c0p0 vnic-c0p1 "
stats=$(grep -E 'packets transmitted' "$ping_out" || true)
tx=$(awk '{ print $1 }' <<<"$stats")
rx=$(awk '{ print $4 }' <<<"$stats")
if [[ -n $tx && $tx -gt 0 && $((tx - rx)) -le $((tx / 50 + 1)) ]]; then
	tap_ok "pings on vnic0 -> vnic1 meanwhile: $rx of $tx answered (at most 2% lost)"
else
	tap_fail "pings on vnic0 -> vnic1 meanwhile lose at most 2%" "$stats"
fi
tap_check "iperf3 on vnic0 -> vnic1 still runs" kill -0 "${_vnic_pids[-1]}"
tap_check "20 pings cross vnic0 -> vnic1 after" ping -c 20 -i 0.05 -W 2 -q "$VNIC_IP4_1"
tap_must "rmmod vnic under iperf3" vnic_unload

new=$(vnic_log_since "$log0")
tap_check "the kernel log has no WARNING, BUG, Oops, lockdep or KASAN report" \
	not grep -E 'WARNING|BUG|Oops|circular locking|possible recursive|KASAN|refcount_t' <<<"$new"
tap_done
