#!/bin/bash
#
# 57-link.sh - link modes and autonegotiation. What ethtool shows by
# default (every mode, autoneg, 100G, unpaced), the highest common mode
# winning, a forced speed against autoneg and against another forced
# speed, and why a link is down (ethtool's extended state): no common
# mode, a forced mismatch, the partner down, the cable out. Refused
# settings leave the old ones; settings survive down/up.

set -euo pipefail
# shellcheck source=scripts/tests/lib.sh
source "$(dirname "$0")/lib.sh"

vnic_require insmod ip ping ethtool awk

tap_must "insmod vnic.ko" vnic_load
tap_must "both ports come up, vnic1 in netns $VNIC_NS" vnic_setup_pair

P0=/sys/kernel/debug/vnic/0/0
P1=/sys/kernel/debug/vnic/0/1
# In ethtool's order (of the link mode bits).
MODES="25000baseCR/Full 50000baseCR2/Full 100000baseCR4/Full 1000baseX/Full 10000baseCR/Full"

pings() {
	ping -c 3 -i 0.2 -W 2 "$VNIC_IP4_1"
}

# eth0 ARGS / eth1 ARGS: ethtool on vnic0 / on vnic1 in its namespace.
eth0() {
	ethtool "$@"
}
eth1() {
	in_ns ethtool "$@"
}

# modes WHICH DEV...: the link modes ethtool lists under "WHICH link
# modes:" (Supported, Advertised, Link partner advertised), on one line.
modes() {
	local which=$1
	shift
	"$@" | awk -v h="$which link modes:" '
		index($0, h) { on = 1; sub(".*" h, "") }
		on && /^\t[^ \t]/ && !index($0, h) { on = 0 }
		on { for (i = 1; i <= NF; i++) printf "%s%s", n++ ? " " : "", $i }
		END { print "" }'
}

# is WANT WHICH DEV...: modes WHICH of DEV are WANT.
is() {
	local want=$1 got
	shift
	got=$(modes "$@")
	[[ $got == "$want" ]] || { echo "expected '$want', got '$got'"; return 1; }
}

# within SECS CMD...: CMD succeeds within SECS seconds.
within() {
	local secs=$1 i
	shift
	for ((i = 0; i < secs * 10; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	"$@"
}

# speed_is N: both ends show Speed N Mb/s and carrier, within 5 s.
speed_both() {
	eth0 vnic0 | grep -q "Speed: $1Mb/s" && eth1 vnic1 | grep -q "Speed: $1Mb/s" &&
		ip link show dev vnic0 | grep -q LOWER_UP &&
		in_ns ip link show dev vnic1 | grep -q LOWER_UP
}
speed_is() {
	within 5 speed_both "$1" || { eth0 vnic0; eth1 vnic1; return 1; }
}

# down_why DEV-CMD STATE: the port shows no link, for the reason STATE.
down_why() {
	local state=$1 out
	shift
	out=$("$@")
	grep -qF "Link detected: no ($state)" <<<"$out" || { echo "$out"; return 1; }
}
down_is() {
	within 5 down_why "$@"
}

# rate PORTDIR: the card's LINK_RATE register (0x0054), Mbit/s.
rate() {
	local v
	v=$(awk '$1 == "0x0054" { print $2 }' "$1/regs")
	echo $((v))
}
rates_are() {
	local p got
	for p in "$P0" "$P1"; do
		got=$(rate "$p")
		[[ $got == "$1" ]] || { echo "LINK_RATE of $p is $got, expected $1"; return 1; }
	done
}

# shows REGEX...: ethtool vnic0 shows each REGEX.
shows() {
	local out re
	out=$(ethtool vnic0)
	for re in "$@"; do
		grep -qE "$re" <<<"$out" || { echo "no /$re/ in:"; echo "$out"; return 1; }
	done
}

# --- the default ---------------------------------------------------------------
tap_check "supported: the five modes" is "$MODES" Supported eth0 vnic0
tap_check "advertised: all five" is "$MODES" Advertised eth0 vnic0
tap_check "link partner advertised: all five" is "$MODES" "Link partner advertised" eth0 vnic0
tap_check "autoneg on, both ends at 100000 Mb/s" speed_is 100000
tap_check "Duplex: Full, Auto-negotiation: on, Port: Direct Attach Copper" shows \
	'Duplex: Full' 'Auto-negotiation: on' 'Port: Direct Attach Copper'
tap_check "the top mode does not pace the wire (LINK_RATE 0 on both ports)" rates_are 0
tap_check "traffic flows" pings

# --- autoneg: the highest common mode --------------------------------------------
tap_check "vnic0 advertises 1G, 10G and 25G" eth0 -s vnic0 advertise 0x60080000000
tap_check "both ends at the highest mode in common, 25000 Mb/s" speed_is 25000
tap_check "vnic1 hears vnic0's three modes" \
	is "25000baseCR/Full 1000baseX/Full 10000baseCR/Full" "Link partner advertised" eth1 vnic1
tap_check "the wire is paced at 25000 Mbit/s on both ports" rates_are 25000
tap_check "traffic flows at 25G" pings
tap_check "vnic1 advertises 100G alone" eth1 -s vnic1 advertise 0x4000000000
tap_check "no common mode: vnic0 down (Autoneg, No HCD)" down_is "Autoneg, No HCD" eth0 vnic0
tap_check "no common mode: vnic1 down too" down_is "Autoneg, No HCD" eth1 vnic1
tap_check "no traffic without a common mode" not ping -c 2 -W 1 -q "$VNIC_IP4_1"
tap_check "vnic1 autoneg on (ethtool advertises every mode again)" eth1 -s vnic1 autoneg on
tap_check "back at 25000 Mb/s" speed_is 25000
tap_check "vnic0 autoneg on" eth0 -s vnic0 autoneg on
tap_check "back at 100000 Mb/s" speed_is 100000

# --- forced speeds ------------------------------------------------------------------
tap_check "vnic0 forced to 1000 Mb/s, autoneg off" eth0 -s vnic0 speed 1000 autoneg off
tap_check "vnic1 (autoneg, advertising 1G) links at 1000 Mb/s" speed_is 1000
tap_check "vnic0 shows Auto-negotiation: off" shows 'Auto-negotiation: off'
tap_check "the wire is paced at 1000 Mbit/s on both ports" rates_are 1000
tap_check "traffic flows at 1G" pings
tap_check "vnic1 forced to 10000 Mb/s" eth1 -s vnic1 speed 10000 duplex full autoneg off
tap_check "different forced speeds: vnic0 down (No partner detected during force mode)" \
	down_is "Autoneg, No partner detected during force mode" eth0 vnic0
tap_check "vnic1 down for the same reason" \
	down_is "Autoneg, No partner detected during force mode" eth1 vnic1
tap_check "vnic1 forced to 1000 Mb/s as well" eth1 -s vnic1 speed 1000 autoneg off
tap_check "forced alike: up at 1000 Mb/s" speed_is 1000
tap_check "traffic flows, both forced" pings
tap_check "vnic1 autoneg with 10G alone" eth1 -s vnic1 autoneg on advertise 0x40000000000
tap_check "vnic1 down: the partner is forced to a mode it does not advertise (Ack not received)" \
	down_is "Autoneg, Ack not received" eth1 vnic1
tap_check "vnic0 down: its forced mode is not advertised" \
	down_is "Autoneg, No partner detected during force mode" eth0 vnic0
tap_check "vnic0 autoneg on again" eth0 -s vnic0 autoneg on
tap_check "vnic1 autoneg on again" eth1 -s vnic1 autoneg on
tap_check "back at 100000 Mb/s" speed_is 100000

# --- the partner, the cable ---------------------------------------------------------
in_ns ip link set vnic1 down
tap_check "vnic1 down: vnic0 loses carrier (Autoneg, No partner detected)" \
	down_is "Autoneg, No partner detected" eth0 vnic0
in_ns ip link set vnic1 up
tap_check "vnic1 up: both ends at 100000 Mb/s" speed_is 100000
echo 0 >"$P0/link"
tap_check "the cable out: vnic0 down (No cable)" down_is "No cable" eth0 vnic0
tap_check "the cable out: vnic1 down (No cable)" down_is "No cable" eth1 vnic1
echo 1 >"$P0/link"
tap_check "the cable back: up at 100000 Mb/s" speed_is 100000
tap_check "traffic flows" pings

# --- refusals keep the old settings -----------------------------------------------------
vnic_logged "speed 5" 'speed 5 is not a mode of the port, allowed 1000, 10000, 25000, 50000, 100000 Mbit/s' \
	eth0 -s vnic0 speed 5 autoneg off
vnic_logged "advertising 10baseT/Half" 'advertised modes not supported; the port supports 1000baseX/Full' \
	eth0 -s vnic0 advertise 0x1
vnic_logged "half duplex" 'only full duplex' eth0 -s vnic0 speed 1000 duplex half autoneg off
tap_check "still advertising every mode" is "$MODES" Advertised eth0 vnic0
tap_check "still autoneg, at 100000 Mb/s" speed_is 100000

# --- settings outlive down/up ---------------------------------------------------------
tap_check "vnic0 advertises 50G alone" eth0 -s vnic0 advertise 0x400000000
tap_check "both ends at 50000 Mb/s" speed_is 50000
ip link set vnic0 down
ip link set vnic0 up
tap_check "after down/up vnic0 still advertises 50G alone" is "50000baseCR2/Full" Advertised eth0 vnic0
tap_check "and links at 50000 Mb/s" speed_is 50000
tap_check "vnic0 autoneg on" eth0 -s vnic0 autoneg on
tap_check "back at 100000 Mb/s" speed_is 100000
tap_check "traffic flows" pings

tap_done
