#!/bin/bash
#
# 00-load.sh - vnic.ko carries its metadata, loads, creates its two ports
# vnic0 and vnic1, and unloads cleanly.

set -euo pipefail
# shellcheck source=scripts/tests/lib.sh
source "$(dirname "$0")/lib.sh"

vnic_require insmod rmmod modinfo ip

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
tap_done
