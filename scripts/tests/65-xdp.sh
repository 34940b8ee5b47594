#!/bin/bash
#
# 65-xdp.sh - native XDP on vnic. xdp-bench drop, pass and tx on vnic0
# with UDP from the peer (ns1/vnic1): every frame the card wrote gets the
# verdict, dropped frames never reach the stack, XDP_TX frames come back
# to the sender; redirect from card 0's vnic0 to card 1's vnic2, which
# sends them to vnic3 (ndo_xdp_xmit); xdpdump sees the packets; a program
# with frags support at MTU 9000 passes and bounces (XDP_TX) frames of
# three buffers; XDP_ABORTED is counted; attach and detach under traffic,
# with traffic coming back each time and no page_pool left with pages
# out; and what is refused, with its message: a program without frags
# support at MTU 9000, an MTU its buffers cannot hold, and more channels
# than the card has XDP TX queues (module parameter xdp_tx_queues).
#
# The programs besides xdp-bench's come from xdp_prog.py (six BPF
# instructions, no compiler needed).
#
# vnic-test-timeout: 600

set -euo pipefail
# shellcheck source=scripts/tests/lib.sh
source "$(dirname "$0")/lib.sh"

vnic_require insmod ip ethtool python3 xdp-bench xdpdump tcpdump ping
here=$(dirname "$0")
ynl_dir=${VNIC_KSRC:-}
N=1000

tap_must "insmod vnic.ko num_cards=2" vnic_load num_cards=2
tap_must "both ports come up with carrier, vnic1 in netns $VNIC_NS" vnic_setup_pair
ip link set vnic2 up
ip link set vnic3 up
ip link set vnic3 promisc on
tap_must "card 1's ports vnic2 and vnic3 come up" vnic_wait_link vnic3

# With a program that drops everything, ARP would not get through either.
mac0=$(cat /sys/class/net/vnic0/address)
mac1=$(in_ns cat /sys/class/net/vnic1/address)
ip neigh replace "$VNIC_IP4_1" lladdr "$mac1" dev vnic0 nud permanent
in_ns ip neigh replace "$VNIC_IP4_0" lladdr "$mac0" dev vnic1 nud permanent

mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
pins=/sys/fs/bpf/vnic-test
mkdir -p "$pins"
rm -f "$pins"/*

# counters DEV: the ethtool -S counters the checks use, each "name value",
# the per-queue ones summed over the queues: xdp_pass ... (rx_q*_xdp_*),
# tx_xdp_xmit ... (tx_q*_xdp_*), and the card's rx_frames, rx_missed and
# rx_filtered. vnic1 is read in ns1. One ethtool call per device: each
# takes a while on a TCG guest.
counters() {
	local -a nsx=()
	[[ $1 == vnic1 ]] && nsx=(ip netns exec "$VNIC_NS")
	"${nsx[@]}" ethtool -S "$1" | awk '
		{ sub(":", "", $1) }
		$1 ~ /^rx_q[0-9]+_xdp_/ { n = $1; sub(/^rx_q[0-9]+_/, "", n); s[n] += $2; next }
		$1 ~ /^tx_q[0-9]+_xdp_/ { n = $1; sub(/^tx_q[0-9]+_/, "tx_", n); s[n] += $2; next }
		$1 ~ /^(rx_frames|rx_missed|rx_filtered)$/ { s[$1] += $2 }
		END { for (n in s) print n, s[n] }'
}

# take ARRAY DEV...: the counters of each DEV into ARRAY[DEV.name], and
# the root namespace's IPv4 packets received (Ip InReceives) into ARRAY[ipin].
take() {
	# shellcheck disable=SC2034 # a name for the caller's array
	local -n arr=$1
	local dev n v
	shift
	for dev in "$@"; do
		while read -r n v; do
			arr[$dev.$n]=$v
		done < <(counters "$dev")
	done
	arr["ipin"]=$(awk '/^Ip:/ && !h { h = 1; next } /^Ip:/ { print $4 }' /proc/net/snmp)
}

# snap DEV...: remember the counters; after DEV...: read them again;
# d DEV.NAME (or ipin): how much one moved in between.
declare -A before now
snap() {
	before=()
	take before "$@"
}
after() {
	now=()
	take now "$@"
}
d() {
	echo $((${now[$1]:-0} - ${before[$1]:-0}))
}

# send: N UDP datagrams from the peer to vnic0 (the discard port), then
# a moment for the last completions.
send() {
	in_ns python3 "$here/rxmem.py" send "$VNIC_IP4_0" 9 "$N" 64
	sleep 1
}

# round DEV...: the counters of DEV... before and after one send.
round() {
	snap "$@"
	send
	after "$@"
}

# attached DEV: DEV has a native XDP program (xdp-bench takes seconds to
# start on a TCG guest).
attached() {
	local i
	for ((i = 0; i < 300; i++)); do
		ip link show dev "$1" | grep -q 'prog/xdp' && return 0
		sleep 0.1
	done
	return 1
}

# settle: attaching the first program or detaching the last rebuilds the
# rings, which blinks vnic0's carrier; its qdisc comes back a moment
# later. Until a ping gets through, what vnic0 sends may be dropped.
settle() {
	vnic_wait_link vnic0 && ping -c 1 -w 5 -i 0.2 "$VNIC_IP4_1" >/dev/null
}

# bench MODE DEV...: start xdp-bench in the background and wait until its
# program is on the first device (one test point; bail out if not);
# bench_stop ends it (it detaches). Not in a subshell: tap_must would lose
# the pid.
bench() {
	local log=$VNIC_OUT/xdp-bench.$1.log
	xdp-bench "$@" -i 1 >"$log" 2>&1 &
	bench_pid=$!
	_vnic_pids+=("$bench_pid")
	if attached "$2"; then
		tap_ok "xdp-bench $* attaches"
	else
		tap_fail "xdp-bench $* attaches" "$(cat "$log")"
		tap_bail "xdp-bench $1 did not attach"
	fi
}
bench_stop() {
	kill -INT "$bench_pid" 2>/dev/null || true
	wait "$bench_pid" 2>/dev/null || true
	local i
	for ((i = 0; i < 100; i++)); do
		ip link show dev vnic0 | grep -q 'prog/xdp' || return 0
		sleep 0.1
	done
}

# xdp_features DEV: what ynl's dev-get says DEV can do.
xdp_features() {
	local ifindex
	ifindex=$(cat "/sys/class/net/$1/ifindex")
	python3 "$ynl_dir/tools/net/ynl/cli.py" --no-schema --output-json \
		--spec "$ynl_dir/Documentation/netlink/specs/netdev.yaml" \
		--do dev-get --json "{\"ifindex\": $ifindex}" |
		python3 -c "import json, sys; print(' '.join(sorted(json.load(sys.stdin)['xdp-features'])))"
}

if vnic_skip_unless 6.3 "xdp_features without a program: basic redirect rx-sg xsk-zerocopy" \
	"netlink's dev-get with xdp-features"; then
	feat=$(xdp_features vnic0)
	if [[ $feat == "basic redirect rx-sg xsk-zerocopy" ]]; then
		tap_ok "xdp_features without a program: $feat"
	else
		tap_fail "xdp_features without a program: basic redirect rx-sg xsk-zerocopy" "got: $feat"
	fi
fi

# --- drop ------------------------------------------------------------------
bench drop vnic0 -m native
round vnic0
w=$(d vnic0.rx_frames) x=$(d vnic0.xdp_drop) ip_in=$(d ipin)
if [[ $w -gt $((N / 2)) && $x -eq $w && $ip_in -eq 0 ]]; then
	tap_ok "XDP_DROP: $x of the $w frames the card wrote, none reached IP"
else
	tap_fail "XDP_DROP: every frame the card wrote is dropped before the stack" \
		"rx_frames +$w xdp_drop +$x Ip InReceives +$ip_in (sent $N)"
fi
if vnic_skip_unless 6.3 "xdp_features with a program: basic ndo-xmit ndo-xmit-sg redirect rx-sg xsk-zerocopy" \
	"netlink's dev-get with xdp-features"; then
	feat=$(xdp_features vnic0)
	if [[ $feat == "basic ndo-xmit ndo-xmit-sg redirect rx-sg xsk-zerocopy" ]]; then
		tap_ok "xdp_features with a program: $feat"
	else
		tap_fail "xdp_features with a program: basic ndo-xmit ndo-xmit-sg redirect rx-sg xsk-zerocopy" "got: $feat"
	fi
fi
bench_stop

# --- pass ------------------------------------------------------------------
bench pass vnic0 -m native
round vnic0
# IP counts IPv4 only; the peer may have sent a few IPv6 frames meanwhile.
w=$(d vnic0.rx_frames) x=$(d vnic0.xdp_pass) ip_in=$(d ipin)
if [[ $w -gt $((N / 2)) && $x -eq $w && $ip_in -ge $((w - 5)) ]]; then
	tap_ok "XDP_PASS: $x of the $w frames the card wrote went up, IP took $ip_in"
else
	tap_fail "XDP_PASS: every frame the card wrote reaches the stack" \
		"rx_frames +$w xdp_pass +$x Ip InReceives +$ip_in (sent $N)"
fi
tap_check "ping through the pass program" settle
bench_stop

# --- tx --------------------------------------------------------------------
bench tx vnic0 -m native -p swap-macs
round vnic0 vnic1
# A frame the XDP TX ring had no room for counts in xdp_tx_errors.
w=$(d vnic0.rx_frames) x=$(d vnic0.xdp_tx) full=$(d vnic0.xdp_tx_errors)
sent=$(d vnic0.tx_xdp_packets) back=$(($(d vnic1.rx_frames) + $(d vnic1.rx_missed)))
if [[ $x -gt $((N / 2)) && $((x + full)) -eq $w && $sent -eq $x && $back -ge $x ]]; then
	tap_ok "XDP_TX: $x frames bounced ($full found the ring full), $sent sent, $back back at vnic1"
else
	tap_fail "XDP_TX: every frame bounces back to the sender" \
		"vnic0 rx_frames +$w xdp_tx +$x xdp_tx_errors +$full tx_q*_xdp_packets +$sent" \
		"vnic1 rx_frames+rx_missed +$back"
fi
bench_stop

# --- redirect, card 0 to card 1 --------------------------------------------
# vnic2 is a redirect target (NDO_XMIT) while it has a program of its own:
# xdp-bench puts a dummy one there.
bench redirect vnic0 vnic2 -m native
round vnic0 vnic2 vnic3
# ndo_xdp_xmit refuses what finds vnic2's XDP TX ring full (xdp_xmit_errors).
w=$(d vnic0.rx_frames) x=$(d vnic0.xdp_redirect) xmit=$(d vnic2.tx_xdp_xmit)
full=$(d vnic2.tx_xdp_xmit_errors) out=$(d vnic3.rx_frames)
if [[ $w -gt $((N / 2)) && $x -eq $w && $((xmit + full)) -eq $x && $xmit -gt $((x / 2)) &&
	$out -ge $xmit ]]; then
	tap_ok "XDP_REDIRECT: $x frames from vnic0 to vnic2, $xmit sent by ndo_xdp_xmit ($full found the ring full), $out at vnic3"
else
	tap_fail "XDP_REDIRECT: every frame goes out of card 1's vnic2" \
		"vnic0 rx_frames +$w xdp_redirect +$x; vnic2 tx_q*_xdp_xmit +$xmit xmit_errors +$full" \
		"vnic3 rx_frames +$out"
fi
bench_stop
python3 "$here/xdp_prog.py" "$pins/pass" pass

# --- xdpdump ---------------------------------------------------------------
pcap=$VNIC_OUT/xdpdump.pcap
rm -f "$pcap"
xdpdump -i vnic0 --load-xdp-program --use-pcap -w "$pcap" >"$VNIC_OUT/xdpdump.log" 2>&1 &
dump_pid=$!
_vnic_pids+=("$dump_pid")
attached vnic0 || true
settle || true
sleep 1
ping -c 5 -i 0.2 -W 2 "$VNIC_IP4_1" >/dev/null 2>&1 || true
kill -INT "$dump_pid" 2>/dev/null || true
wait "$dump_pid" 2>/dev/null || true
n=$(tcpdump -nr "$pcap" 'icmp[icmptype] = icmp-echoreply' 2>/dev/null | wc -l)
if [[ $n -ge 5 ]]; then
	tap_ok "xdpdump -i vnic0 saw the $n echo replies"
else
	tap_fail "xdpdump -i vnic0 sees the echo replies" "$n in the capture" \
		"$(cat "$VNIC_OUT/xdpdump.log")"
fi

# --- XDP_ABORTED -----------------------------------------------------------
python3 "$here/xdp_prog.py" "$pins/aborted" aborted
tap_must "an aborting program on vnic0" ip link set dev vnic0 xdpdrv pinned "$pins/aborted"
round vnic0
w=$(d vnic0.rx_frames) x=$(d vnic0.xdp_aborted) ip_in=$(d ipin)
if [[ $w -gt $((N / 2)) && $x -eq $w && $ip_in -eq 0 ]]; then
	tap_ok "XDP_ABORTED: counted for all $x frames, none reached IP"
else
	tap_fail "XDP_ABORTED: counted for every frame" "rx_frames +$w xdp_aborted +$x Ip InReceives +$ip_in"
fi
ip link set dev vnic0 xdp off

# --- MTU 9000: what is refused, and a program with frags support ----------
ip link set dev vnic0 mtu 9000
in_ns ip link set dev vnic1 mtu 9000
out=$(ip link set dev vnic0 xdpdrv pinned "$pins/pass" 2>&1) && rc=0 || rc=$?
if [[ $rc -ne 0 && $out == *"needs a program with frags"* ]]; then
	tap_ok "at MTU 9000 a program without frags support is refused: $out"
else
	tap_fail "at MTU 9000 a program without frags support is refused with a message" \
		"status $rc: $out"
fi
tap_check "vnic0 has no XDP program after the refusal" \
	not bash -c "ip link show dev vnic0 | grep -q prog/xdp"

# Frames over 8000 bytes (three buffers) bounce, the rest pass.
python3 "$here/xdp_prog.py" "$pins/frags" pass tx 8000 frags
tap_must "a program with frags support attaches at MTU 9000" \
	ip link set dev vnic0 xdpdrv pinned "$pins/frags"
settle || true
tap_check "ping -s 7000 (two buffers) passes through it" \
	ping -c 3 -i 0.2 -W 2 -M "do" -s 7000 "$VNIC_IP4_1"
snap vnic0 vnic1
ping -c 5 -i 0.2 -W 1 -M "do" -s 8500 "$VNIC_IP4_1" >/dev/null 2>&1 || true
sleep 1
after vnic0 vnic1
# They go back with vnic0's address as destination: vnic1's filter takes them.
x=$(d vnic0.xdp_tx) sent=$(d vnic0.tx_xdp_packets) back=$(d vnic1.rx_filtered)
if [[ $x -eq 5 && $sent -eq 5 && $back -ge 5 ]]; then
	tap_ok "8542-byte echo replies (three buffers) bounce whole: xdp_tx +$x, sent +$sent, vnic1 rx_filtered +$back"
else
	tap_fail "8542-byte echo replies bounce whole (multi-buffer XDP_TX)" \
		"xdp_tx +$x tx_q*_xdp_packets +$sent vnic1 rx_filtered +$back"
fi
ip link set dev vnic0 xdp off
ip link set dev vnic0 mtu 1500
in_ns ip link set dev vnic1 mtu 1500

ip link set dev vnic0 xdpdrv pinned "$pins/pass"
out=$(ip link set dev vnic0 mtu 9000 2>&1) && rc=0 || rc=$?
mtu=$(cat /sys/class/net/vnic0/mtu)
if [[ $rc -ne 0 && $mtu -eq 1500 ]] && dmesg | tail -n 20 | grep -q "load a program with frags support"; then
	tap_ok "with a program without frags support, MTU 9000 is refused and 1500 stays"
else
	tap_fail "with a program without frags support, MTU 9000 is refused" \
		"status $rc, mtu $mtu: $out" "$(dmesg | tail -n 5)"
fi
ip link set dev vnic0 xdp off

# --- attach and detach under traffic ---------------------------------------
# vnic2 keeps the pass program: the kernel's XDP dispatcher then already
# has it, and attaching it to vnic0 patches no kernel text under traffic
# (see DEVELOPERS.md on TCG and text_poke).
tap_must "the pass program on idle vnic2" ip link set dev vnic2 xdpdrv pinned "$pins/pass"
vnic_bg ip netns exec "$VNIC_NS" ping -q -i 0.02 "$VNIC_IP4_0"
fails=0
cycles=100
t0=$SECONDS
for ((i = 0; i < cycles; i++)); do
	ip link set dev vnic0 xdpdrv pinned "$pins/pass" || fails=$((fails + 1))
	settle || fails=$((fails + 1))
	ip link set dev vnic0 xdp off || fails=$((fails + 1))
	settle || fails=$((fails + 1))
done
if [[ $fails -eq 0 ]]; then
	tap_ok "$cycles attach/detach cycles under a ping flood, a ping through after each ($((SECONDS - t0)) s)"
else
	tap_fail "$cycles attach/detach cycles under a ping flood, a ping through after each" \
		"$fails failed steps"
fi
if ! vnic_skip_unless 6.8 "after $((2 * cycles)) ring rebuilds vnic0 has one page_pool per RX queue" \
	"netlink's page-pool list"; then
	:
elif [[ -z $ynl_dir || ! -f $ynl_dir/tools/net/ynl/cli.py ]]; then
	tap_fail "ynl is available (VNIC_KSRC)" "VNIC_KSRC=$ynl_dir"
else
	ifindex=$(cat /sys/class/net/vnic0/ifindex)
	sleep 1
	pools=$(python3 "$ynl_dir/tools/net/ynl/cli.py" --no-schema --output-json \
		--spec "$ynl_dir/Documentation/netlink/specs/netdev.yaml" --dump page-pool-get)
	n=$(python3 -c "import json,sys; print(sum(p.get('ifindex') == $ifindex for p in json.loads(sys.argv[1])))" "$pools")
	nq=$(ethtool -l vnic0 | awk '/^Combined/ { v = $2 } END { print v }')
	if [[ $n -eq $nq ]]; then
		tap_ok "after $((2 * cycles)) ring rebuilds vnic0 has one page_pool per RX queue ($n), none left behind"
	else
		tap_fail "after $((2 * cycles)) ring rebuilds vnic0 has one page_pool per RX queue" "$n pools, $nq queues" "$pools"
	fi
fi
ip link set dev vnic2 xdp off

# --- a card with fewer XDP TX queues than channels --------------------------
vnic_cleanup
rm -f "$pins"/frags "$pins"/aborted
tap_must "insmod vnic.ko xdp_tx_queues=1 (2 queue pairs, 1 XDP TX queue)" \
	vnic_load xdp_tx_queues=1
ip link set vnic0 up
ip link set vnic1 up
out=$(ip link set dev vnic0 xdpdrv pinned "$pins/pass" 2>&1) && rc=0 || rc=$?
if [[ $rc -ne 0 && $out == *"2 channels, 1 XDP TX queues: ethtool -L combined 1"* ]]; then
	tap_ok "2 channels with 1 XDP TX queue: attaching is refused: $out"
else
	tap_fail "2 channels with 1 XDP TX queue: attaching is refused with a message" "status $rc: $out"
fi
tap_check "with ethtool -L combined 1 the program attaches" \
	bash -c "ethtool -L vnic0 combined 1 && ip link set dev vnic0 xdpdrv pinned $pins/pass"
out=$(ethtool -L vnic0 combined 2 2>&1) && rc=0 || rc=$?
nq=$(ethtool -l vnic0 | awk '/^Combined/ { v = $2 } END { print v }')
if [[ $rc -ne 0 && $nq -eq 1 ]] && dmesg | tail -n 20 | grep -q "needs an XDP TX queue per channel"; then
	tap_ok "with the program, ethtool -L combined 2 is refused and 1 channel stays"
else
	tap_fail "with the program, ethtool -L combined 2 is refused" "status $rc, $nq channels: $out" \
		"$(dmesg | tail -n 5)"
fi
ip link set dev vnic0 xdp off
rm -rf "$pins"

tap_done
