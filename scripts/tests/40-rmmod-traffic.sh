#!/bin/bash
#
# 40-rmmod-traffic.sh - tearing things down while traffic flows: stop the
# interface and rmmod the module in the middle of an iperf3 run. Nothing
# may hang, leak or warn (the harness checks dmesg afterwards).

set -euo pipefail
# shellcheck source=scripts/tests/lib.sh
source "$(dirname "$0")/lib.sh"

vnic_require insmod rmmod ip iperf3

tap_must "insmod vnic.ko" vnic_load
tap_must "both ports come up" vnic_setup_pair

vnic_bg in_ns iperf3 -s -B "$VNIC_IP4_1" >/dev/null
vnic_wait_listen "$VNIC_NS" 5201 || true
vnic_bg iperf3 -c "$VNIC_IP4_1" -t 30 -P 2 >/dev/null 2>&1
sleep 3
tap_check "ip link set down under traffic" ip link set vnic0 down
sleep 0.5
tap_check "ip link set up again" ip link set vnic0 up
vnic_wait_link vnic0 || true
sleep 2
tap_check "rmmod vnic under traffic" timeout 30 rmmod vnic
tap_check "vnic is gone" not vnic_loaded
vnic_kill_netns "$VNIC_NS"

tap_check "insmod again after rmmod under traffic" vnic_load
tap_check "the ports come back" vnic_setup_pair
tap_check "ping works on the fresh ports" ping -c 2 -i 0.2 -W 2 "$VNIC_IP4_1"
tap_must "rmmod vnic" vnic_unload
tap_done
