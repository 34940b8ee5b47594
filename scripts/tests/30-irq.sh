#!/bin/bash
#
# 30-irq.sh - the card's interrupt vectors are real Linux IRQs: each queue
# pair's vector is listed in /proc/interrupts and counts under traffic, and
# ethtool shows driver, ring and channel information and statistics.

set -euo pipefail
# shellcheck source=scripts/tests/lib.sh
source "$(dirname "$0")/lib.sh"

vnic_require insmod ip ping ethtool

tap_must "insmod vnic.ko" vnic_load
tap_must "both ports come up, vnic1 in netns $VNIC_NS" vnic_setup_pair

irq_total() {
	awk -v pat="$1" '$0 ~ pat { for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i } END { print s + 0 }' \
		/proc/interrupts
}

n=$(grep -c 'vnic0-TxRx-' /proc/interrupts || true)
if [[ $n -ge 1 ]]; then
	tap_ok "/proc/interrupts lists $n queue vectors of vnic0"
else
	tap_fail "/proc/interrupts lists the queue vectors of vnic0" "$(cat /proc/interrupts)"
fi
tap_check "/proc/interrupts lists the misc vectors" grep -q 'misc' /proc/interrupts

before=$(irq_total 'vnic0-TxRx-')
ping -c 50 -i 0.02 -W 2 -q "$VNIC_IP4_1" >/dev/null || true
after=$(irq_total 'vnic0-TxRx-')
if [[ $after -gt $before ]]; then
	tap_ok "vnic0's vectors counted $((after - before)) interrupts during 50 pings"
else
	tap_fail "vnic0's vectors count under traffic" "before $before after $after"
fi

tap_check "ethtool -i names the driver" sh -c "ethtool -i vnic0 | grep -q '^driver: vnic'"
tap_check "ethtool -g shows the rings" sh -c "ethtool -g vnic0 | grep -q 'TX:'"
tap_check "ethtool -l shows the channels" sh -c "ethtool -l vnic0 | grep -q 'Combined:'"
tap_check "ethtool -S counts queue interrupts" \
	sh -c "ethtool -S vnic0 | awk '/q0_irqs:/ { exit !(\$2 > 0) }'"
tap_check "ethtool -S counts NAPI polls" \
	sh -c "ethtool -S vnic0 | awk '/q0_polls:/ { exit !(\$2 > 0) }'"

tap_must "rmmod vnic" vnic_unload
tap_done
