#!/bin/bash
#
# 30-irq.sh - the card's interrupt vectors are real Linux IRQs: each queue
# pair's vector is listed in /proc/interrupts and counts under traffic, and
# ethtool shows driver, ring and channel information and statistics. Their
# smp_affinity steers them: pinned to one CPU, they fire there only.

set -euo pipefail
# shellcheck source=scripts/tests/lib.sh
source "$(dirname "$0")/lib.sh"

vnic_require insmod ip ping ethtool

tap_must "insmod vnic.ko" vnic_load
tap_must "both ports come up, vnic1 in netns $VNIC_NS" vnic_setup_pair

n=$(grep -c 'vnic0-TxRx-' /proc/interrupts || true)
if [[ $n -ge 1 ]]; then
	tap_ok "/proc/interrupts lists $n queue vectors of vnic0"
else
	tap_fail "/proc/interrupts lists the queue vectors of vnic0" "$(cat /proc/interrupts)"
fi
tap_check "/proc/interrupts lists the misc vectors" grep -q 'misc' /proc/interrupts

before=$(vnic_irq_total 'vnic0-TxRx-')
ping -c 50 -i 0.02 -W 2 -q "$VNIC_IP4_1" >/dev/null || true
after=$(vnic_irq_total 'vnic0-TxRx-')
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

# --- affinity: /proc/irq/N/smp_affinity steers a vector to its CPUs ----------
# irq_cpu_count PAT CPU: the CPU column of /proc/interrupts, summed over the
# lines matching PAT.
irq_cpu_count() {
	awk -v pat="$1" -v col=$(($2 + 2)) '$0 ~ pat { s += $col } END { print s + 0 }' /proc/interrupts
}

# queue_irqs: the IRQ numbers of both ports' queue vectors, one a line.
queue_irqs() {
	awk '/vnic[01]-TxRx-/ { sub(":", "", $1); print $1 }' /proc/interrupts
}

# steer CPU: every vnic queue vector of both ports to CPU, then 100 pings;
# one point: only CPU's column moved, and it moved.
steer() {
	local cpu=$1 other=$((1 - $1)) irq mask=$((1 << $1)) b_on b_off a_on a_off eff
	while read -r irq; do
		if ! echo "$mask" >"/proc/irq/$irq/smp_affinity"; then
			tap_fail "IRQ $irq: echo $mask > smp_affinity"
			return
		fi
		eff=$(cat "/proc/irq/$irq/effective_affinity_list")
		if [[ $eff != "$cpu" ]]; then
			tap_fail "IRQ $irq: effective_affinity_list is $cpu" "it reads $eff"
			return
		fi
	done < <(queue_irqs)
	b_on=$(irq_cpu_count 'vnic[01]-TxRx-' "$cpu")
	b_off=$(irq_cpu_count 'vnic[01]-TxRx-' "$other")
	ping -c 100 -i 0.01 -W 2 -q "$VNIC_IP4_1" >/dev/null || true
	a_on=$(irq_cpu_count 'vnic[01]-TxRx-' "$cpu")
	a_off=$(irq_cpu_count 'vnic[01]-TxRx-' "$other")
	if [[ $a_on -gt $b_on && $a_off -eq $b_off ]]; then
		tap_ok "smp_affinity $mask: the queue vectors took $((a_on - b_on)) interrupts on CPU $cpu, none on CPU $other"
	else
		tap_fail "smp_affinity $mask: the queue vectors fire on CPU $cpu only" \
			"CPU $cpu: $b_on -> $a_on, CPU $other: $b_off -> $a_off"
	fi
}

if [[ $(nproc) -ge 2 ]]; then
	steer 1
	steer 0
	while read -r irq; do
		echo 3 >"/proc/irq/$irq/smp_affinity"
	done < <(queue_irqs)
	tap_check "ping works with the vectors back on both CPUs" ping -c 3 -W 2 -q "$VNIC_IP4_1"
fi

tap_must "rmmod vnic" vnic_unload
tap_done
