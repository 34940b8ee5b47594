#!/bin/bash
#
# 50-ethtool.sh - the ethtool surface: every setting round-trips, every
# out-of-range value is refused with a message and leaves the old value in
# place, and traffic still flows after each change.

set -euo pipefail
# shellcheck source=scripts/tests/lib.sh
source "$(dirname "$0")/lib.sh"

vnic_require insmod ip ping ethtool

tap_must "insmod vnic.ko" vnic_load
tap_must "both ports come up, vnic1 in netns $VNIC_NS" vnic_setup_pair

pings() {
	ping -c 3 -i 0.2 -W 2 "$VNIC_IP4_1"
}

# refused DESC REGEX CMD...: CMD must fail and print a message matching
# REGEX (case-insensitive).
refused() {
	local desc=$1 want=$2 out rc=0
	shift 2
	out=$("$@" 2>&1) || rc=$?
	if [[ $rc -ne 0 ]] && grep -qiE "$want" <<<"$out"; then
		tap_ok "$desc is refused: $(tr '\n' ' ' <<<"$out")"
	else
		tap_fail "$desc is refused with a message matching /$want/" \
			"exit status $rc" "$out"
	fi
}

# shows DESC REGEX CMD...: CMD's output matches REGEX.
shows() {
	local desc=$1 re=$2 out
	shift 2
	out=$("$@" 2>&1) || true
	if grep -qE "$re" <<<"$out"; then
		tap_ok "$desc"
	else
		tap_fail "$desc" "expected /$re/ in the output of: $*" "$out"
	fi
}

# now CMD: the "Current" part of ethtool's output for vnic0 (-g, -l).
now() {
	ethtool "$1" vnic0 | sed -n '/Current/,$p'
}

# --- coalescing -------------------------------------------------------------
tap_check "ethtool -C rx-usecs 50 rx-frames 32 tx-usecs 20 tx-frames 16" \
	ethtool -C vnic0 adaptive-rx off adaptive-tx off rx-usecs 50 rx-frames 32 \
	tx-usecs 20 tx-frames 16
shows "ethtool -c shows rx-usecs 50" '^rx-usecs: +50$' ethtool -c vnic0
shows "ethtool -c shows rx-frames 32" '^rx-frames: +32$' ethtool -c vnic0
shows "ethtool -c shows tx-usecs 20" '^tx-usecs: +20$' ethtool -c vnic0
shows "ethtool -c shows tx-frames 16" '^tx-frames: +16$' ethtool -c vnic0
tap_check "traffic flows with coalescing set" pings
refused "rx-usecs 20000" 'rx-usecs 20000 is out of range, allowed 0 to 10000' \
	ethtool -C vnic0 rx-usecs 20000
refused "tx-frames 5000" 'tx-frames 5000 is out of range, allowed 0 to 4096' \
	ethtool -C vnic0 tx-frames 5000
shows "rx-usecs is still 50 after the refusal" '^rx-usecs: +50$' ethtool -c vnic0
refused "rx-usecs-irq (not supported by the card)" 'not supported|unsupported|Operation not' \
	ethtool -C vnic0 rx-usecs-irq 5
tap_check "adaptive-rx on adaptive-tx on" ethtool -C vnic0 adaptive-rx on adaptive-tx on
shows "ethtool -c shows adaptive RX and TX on" '^Adaptive RX: on +TX: on' ethtool -c vnic0
tap_check "traffic flows with adaptive coalescing" pings
tap_check "adaptive off, rx-usecs 0 rx-frames 0" \
	ethtool -C vnic0 adaptive-rx off adaptive-tx off rx-usecs 0 rx-frames 0 tx-usecs 0 tx-frames 0
tap_check "per-queue: queue 1 rx-usecs 30" \
	ethtool --per-queue vnic0 queue_mask 0x2 --coalesce rx-usecs 30
shows "per-queue: queue 1 shows rx-usecs 30, queue 0 still 0" \
	'Queue: 0.*rx-usecs: 0.*Queue: 1.*rx-usecs: 30' \
	sh -c "ethtool --per-queue vnic0 queue_mask 0x3 --show-coalesce | tr '\n' ' '"

# --- rings --------------------------------------------------------------------
tap_check "ethtool -G rx 1024 tx 128 (live)" ethtool -G vnic0 rx 1024 tx 128
shows "ethtool -g shows RX 1024" 'RX:[[:space:]]+1024' now -g
shows "ethtool -g shows TX 128" 'TX:[[:space:]]+128' now -g
tap_check "traffic flows after the resize" pings
refused "rx ring 100" 'rx ring size 100 is invalid: must be a power of two from 64 to 4096' \
	ethtool -G vnic0 rx 100
refused "tx ring 32" 'tx ring size 32 is invalid: must be a power of two from 64 to 4096' \
	ethtool -G vnic0 tx 32
refused "rx ring 8192" 'exceeds maximum|out of range|invalid' \
	ethtool -G vnic0 rx 8192
shows "rings are unchanged after the refusals" 'RX:[[:space:]]+1024' now -g
tap_check "ethtool -G back to rx 512 tx 256" ethtool -G vnic0 rx 512 tx 256

# --- channels -----------------------------------------------------------------
tap_check "ethtool -L combined 1 (live)" ethtool -L vnic0 combined 1
shows "ethtool -l shows 1 combined channel" 'Combined:[[:space:]]+1$' now -l
tap_check "traffic flows on one channel" pings
refused "combined 3 (the card has 2)" 'exceeds maximum|out of range|invalid|maximum' \
	ethtool -L vnic0 combined 3
refused "combined 0" 'combined channels must be|invalid|zero' \
	ethtool -L vnic0 combined 0
tap_check "ethtool -L combined 2" ethtool -L vnic0 combined 2
shows "ethtool -l shows 2 combined channels" 'Combined:[[:space:]]+2$' now -l
tap_check "traffic flows on two channels" pings

# --- pause, speed, link ---------------------------------------------------------
tap_check "ethtool -A rx on tx on" ethtool -A vnic0 autoneg off rx on tx on
shows "ethtool -a shows RX and TX pause on" 'RX:[[:space:]]+on' ethtool -a vnic0
vnic_logged "pause autoneg on" 'pause autonegotiation is not supported' ethtool -A vnic0 autoneg on
tap_check "ethtool -A rx off tx off" ethtool -A vnic0 rx off tx off
tap_check "ethtool -s speed 10000 duplex full autoneg off" \
	ethtool -s vnic0 speed 10000 duplex full autoneg off
shows "ethtool shows Speed: 10000Mb/s" 'Speed: 10000Mb/s' ethtool vnic0
shows "ethtool shows Duplex: Full" 'Duplex: Full' ethtool vnic0
vnic_logged "speed 5" 'speed 5 is not a mode of the port, allowed 1000, 10000, 25000, 50000, 100000 Mbit/s' \
	ethtool -s vnic0 speed 5 duplex full autoneg off
vnic_logged "half duplex" 'only full duplex' ethtool -s vnic0 speed 1000 duplex half autoneg off
shows "speed is still 10000 after the refusals" 'Speed: 10000Mb/s' ethtool vnic0
shows "the link shows detected" 'Link detected: yes' ethtool vnic0

# --- registers, self test, features, message level ---------------------------
shows "ethtool -d dumps the registers" '0x0000' ethtool -d vnic0
shows "ethtool -i gives bus-info" 'bus-info: vnic-c0p0' ethtool -i vnic0
shows "ethtool -t online passes" 'The test result is PASS' ethtool -t vnic0 online
out=$(ethtool -t vnic0 offline 2>&1) || true
if grep -q 'The test result is PASS' <<<"$out" && grep -q 'Loopback test' <<<"$out"; then
	tap_ok "ethtool -t offline passes (registers, interrupt, loopback, link)"
else
	tap_fail "ethtool -t offline passes" "$out"
fi
tap_check "traffic flows after the offline self test" pings
shows "ethtool -k shows rx-checksumming on" 'rx-checksumming: on' ethtool -k vnic0
tap_check "ethtool -K rx off tx off" ethtool -K vnic0 rx off tx off
tap_check "traffic flows with checksum offload off" pings
tap_check "ethtool -K rx on tx on" ethtool -K vnic0 rx on tx on
tap_check "ethtool -s msglvl 0x7" ethtool -s vnic0 msglvl 0x7
shows "ethtool shows the message level 0x00000007" '0x00000007' ethtool vnic0

# --- MAC address ------------------------------------------------------------
refused "a multicast MAC" 'Cannot assign requested address' \
	ip link set dev vnic0 address 01:00:5e:00:00:01
refused "the zero MAC" 'Cannot assign requested address' \
	ip link set dev vnic0 address 00:00:00:00:00:00
tap_check "a new unicast MAC" ip link set dev vnic0 address 02:00:00:00:aa:01
ip -n "$VNIC_NS" neigh flush all
tap_check "traffic flows with the new MAC" pings

tap_must "rmmod vnic" vnic_unload
tap_done
