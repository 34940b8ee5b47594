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

# Frames a socket still holds outlive rmmod: their page_pool pages come
# home only when it closes, after vnic.ko is gone, and the pool is freed
# then. 6.1's pool drops a reference on its DMA device at that point: had
# the device's release been in vnic.ko, that was an Oops in freed text.
held=/tmp/vnic-held-$$
# shellcheck disable=SC2016 # Python, not shell
in_ns python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 7010))
open(sys.argv[2], "w").close()
time.sleep(120)
' "$VNIC_IP4_1" "$held" &
holder=$!
for ((i = 0; i < 100; i++)); do [[ -e $held ]] && break; sleep 0.1; done
python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(32):
    s.sendto(bytes(1000), (sys.argv[1], 7010))
' "$VNIC_IP4_1"
# held_frames N: the holder's socket has N datagrams queued, unread.
held_frames() {
	local got i
	for ((i = 0; i < 50; i++)); do
		got=$(in_ns ss -uanH "sport = :7010" | awk '{ print $2 }')
		((${got:-0} >= $1 * 1000)) && break
		sleep 0.1
	done
	echo "Recv-Q of :7010: ${got:-none} bytes, of $1 datagrams of 1000 B (above rx-copybreak, so in page_pool pages)"
	((${got:-0} >= $1 * 1000))
}
tap_check "a socket holds 32 received datagrams, unread" held_frames 32
tap_check "rmmod vnic while the socket holds them" timeout 30 rmmod vnic
# The holder is python3 in the namespace, not the subshell $! names.
vnic_kill_netns "$VNIC_NS"
wait "$holder" 2>/dev/null || true
rm -f "$held"
# page_pool's release worker looks again every second.
sleep 3
tap_check "their pages came home after rmmod: no splat in the kernel log" \
	not grep -qE 'Oops|BUG:|general protection|WARNING:' <(dmesg)
tap_check "insmod once more" vnic_load
tap_must "rmmod vnic" vnic_unload
tap_done
