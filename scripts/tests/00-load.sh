#!/bin/bash
#
# 00-load.sh - vnic.ko carries its metadata, loads, creates its two ports
# vnic0 and vnic1, and unloads cleanly. Every module parameter out of its
# range refuses the load with EINVAL and one kernel log line that names
# the parameter and its range; values at the ends of the ranges load, and
# so does engine_local=1, with traffic crossing.

set -euo pipefail
# shellcheck source=scripts/tests/lib.sh
source "$(dirname "$0")/lib.sh"

vnic_require insmod rmmod modinfo ip ethtool dmesg ping

desc=$(modinfo -F description "$VNIC_KO" 2>&1) || true
if [[ -n $desc ]]; then
	tap_ok "modinfo shows a description: $desc"
else
	tap_fail "modinfo shows a description" "$(modinfo "$VNIC_KO" 2>&1)"
fi
license=$(modinfo -F license "$VNIC_KO" 2>&1) || true
if [[ $license == GPL ]]; then
	tap_ok "modinfo shows license GPL"
else
	tap_fail "modinfo shows license GPL" "license: '$license'"
fi

tap_must "insmod vnic.ko" vnic_load
tap_check "vnic0 exists" ip link show dev vnic0
tap_check "vnic1 exists" ip link show dev vnic1
tap_must "rmmod vnic" rmmod vnic
tap_check "the module is gone after rmmod" not vnic_loaded
tap_check "vnic0 is gone after rmmod" not ip link show dev vnic0
tap_check "vnic1 is gone after rmmod" not ip link show dev vnic1

# bad_param PARAM=VALUE RANGE_TEXT: insmod refuses, with one log line.
# (insmod reports the module's EINVAL as "Invalid parameters".)
bad_param() {
	local arg=$1 range=$2 name=${1%%=*} out rc=0 lines
	echo "vnic-test: insmod $arg" >/dev/kmsg
	out=$(insmod "$VNIC_KO" "$arg" 2>&1) || rc=$?
	lines=$(dmesg | sed -n '/vnic-test: insmod '"$arg"'$/,$p' | grep -F "vnic: $arg is invalid" || true)
	if [[ $rc -ne 0 && $out == *"Invalid param"* && $(grep -c . <<<"$lines") -eq 1 &&
		$lines == *"$range"* ]] && ! vnic_loaded; then
		tap_ok "insmod vnic.ko $arg is refused (EINVAL): ${lines#*] }"
	else
		tap_fail "insmod vnic.ko $arg is refused with EINVAL and one line naming $name and $range" \
			"insmod: rc $rc: $out" "log: $lines"
		if vnic_loaded; then rmmod vnic; fi
	fi
}
bad_param num_cards=17 "allowed 0-16"
bad_param num_queues=0 "allowed 1-128"
bad_param num_queues=129 "allowed 1-128"
bad_param speed=400001 "1-400000 Mbit/s"
bad_param tx_ring_size=100 "a power of two from 64 to 4096"
bad_param tx_ring_size=32 "a power of two from 64 to 4096"
bad_param rx_ring_size=8192 "a power of two from 64 to 4096"

# shellcheck disable=SC2317 # called through tap_check
good_params() {
	local rc=0
	vnic_load num_queues=128 speed=400000 tx_ring_size=4096 rx_ring_size=64 || return 1
	[[ $(ethtool -l vnic0 | awk '/^Combined:/ { n = $2 } END { print n }') == 128 ]] || rc=1
	rmmod vnic || rc=1
	return "$rc"
}
tap_check "the ends of the ranges load: num_queues=128 speed=400000 tx_ring_size=4096 rx_ring_size=64" \
	good_params

# engine_local=1 keeps every DMA engine on the CPU that rings its doorbell
# (by default a busy queue's engine runs on the next CPU); traffic flows
# either way.
# shellcheck disable=SC2317 # called through tap_check
engine_local() {
	local rc=0
	vnic_load engine_local=1 || return 1
	grep -qx Y /sys/module/vnic/parameters/engine_local || rc=1
	if vnic_setup_pair >/dev/null; then
		ping -c 50 -i 0.01 -W 2 -q "$VNIC_IP4_1" >/dev/null || rc=1
	else
		rc=1
	fi
	vnic_unload || rc=1
	return "$rc"
}
tap_check "insmod vnic.ko engine_local=1: the parameter reads Y and 50 quick pings cross" \
	engine_local
tap_done
