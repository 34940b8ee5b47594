#!/bin/bash
#
# 85-journey.sh - `make journey`'s guest side (scripts/journey-guest.sh)
# for one ICMP echo, one TCP segment and one UDP datagram: the timeline
# that scripts/journey.py makes of the trace has every step of the
# packet's way out and in, and of the reply's, in causal order on the
# trace's one clock (trace_clock mono: times compare across CPUs), and
# the TX completion, BQL and the freeing of each skb sent.
# vnic-test-timeout: 600

set -euo pipefail
# shellcheck source=scripts/tests/lib.sh
source "$(dirname "$0")/lib.sh"

vnic_require python3 ip ping

# The way of one packet, in causal order; L4 is the protocol's receive.
path=("IP output" "neighbour" "dev_queue_xmit" "qdisc enqueue" "qdisc dequeue"
	"ndo_start_xmit" "descriptor written" "BQL queued" "doorbell" "engine fetch"
	"data DMA" "checksum" "wire" "MAC filter" "RX checksum" "RSS" "RX DMA"
	"RCQ entry" "moderation" "IRQ raised" "IRQ taken" "NAPI: skb built" "GRO"
	"netif_receive_skb" "ip_rcv" "ip_local_deliver" L4)
# After the wire, the sender's side: completion, interrupt, clean.
done_path=("wire" "TX completion" "/txc moderation" "/txc IRQ raised" "/txc IRQ taken"
	"skb freed")

# check_order TSV DIR STEP...: every STEP is in TSV for DIR (a step
# starting with / is for DIR/txc), times never go backwards along them.
# A completion that finds its vector masked raises no interrupt of its
# own: the NAPI poll already running takes it ("NAPI running" stands for
# "IRQ raised" and "IRQ taken").
check_order() {
	local tsv=$1 dir=$2
	shift 2
	awk -F'\t' -v dir="$dir" -v steps="$(printf '%s\n' "$@")" '
		BEGIN { n = split(steps, want, "\n") }
		{
			d = $1; s = $2
			if (d == dir "/txc") s = "/txc " s
			else if (d != dir) next
			if (!(s in t)) t[s] = $3
		}
		END {
			split("|/txc ", pre, "|")
			for (k = 1; k <= 2; k++) {
				if (!((pre[k] "IRQ raised") in t) && ((pre[k] "NAPI running") in t))
					t[pre[k] "IRQ raised"] = t[pre[k] "IRQ taken"] = t[pre[k] "NAPI running"]
			}
			prev = -1e18; bad = 0
			for (i = 1; i <= n; i++) {
				if (want[i] == "") continue
				if (!(want[i] in t)) { print "missing: " dir " " want[i]; bad = 1; continue }
				if (t[want[i]] + 0 < prev) {
					print "out of order: " dir " " want[i] " at " t[want[i]] " after " prevs " at " prev
					bad = 1
				}
				prev = t[want[i]] + 0; prevs = want[i]
			}
			exit bad
		}' "$tsv"
}

for pkt in icmp tcp udp; do
	out=$VNIC_OUT/journey-$pkt
	case $pkt in
	icmp) l4=icmp_rcv ;;
	tcp) l4=tcp_v4_rcv ;;
	udp) l4=udp_rcv ;;
	esac
	steps=("${path[@]/#L4/$l4}")
	if ! log=$(bash "$VNIC_ROOT/scripts/journey-guest.sh" "$pkt" "$out" 2>&1); then
		tap_fail "$pkt: journey-guest.sh traced one packet and its reply" "$log"
		continue
	fi
	tap_ok "$pkt: journey-guest.sh traced one packet and its reply"
	tsv=$out/steps.tsv
	tap_check "$pkt: the raw trace and the timeline are kept" \
		test -s "$out/trace.txt" -a -s "$out/timeline.txt" -a -s "$tsv"
	tap_check "$pkt: the picture (journey.svg) names every column at both ends" \
		bash -c 'for c in app stack qdisc driver card; do for d in vnic0 vnic1; do
			grep -q ">$c ($d)<" "$1" || { echo "no column $c ($d)"; exit 1; }; done; done
			grep -q ">wire<" "$1"' _ "$out/journey.svg"
	tap_check "$pkt: the timeline names no missing step" \
		not grep -q "not found in the trace" "$out/timeline.txt"
	tap_check "$pkt: the request starts with the client's send syscall at t=0" \
		awk -F'\t' 'NR == 1 && $1 == "->" && $2 == "send syscall" && $3 == "0" { ok = 1 }
			END { exit !ok }' "$tsv"
	tap_check "$pkt: request vnic0 -> vnic1: every step, in causal order" \
		check_order "$tsv" "->" "${steps[@]}"
	tap_check "$pkt: request: TX completion, interrupt and skb freed, in order" \
		check_order "$tsv" "->" "${done_path[@]}"
	tap_check "$pkt: request: BQL completed its bytes (back to 0 in flight)" \
		grep -qE ' -> +TX clean \+ BQL .* bql_inflight=0B$' "$out/timeline.txt"
	tap_check "$pkt: reply vnic1 -> vnic0: every step, in causal order" \
		check_order "$tsv" "<-" "${steps[@]}"
	tap_check "$pkt: reply: TX completion, interrupt and skb freed, in order" \
		check_order "$tsv" "<-" "${done_path[@]}"
	tap_check "$pkt: reply: BQL completed its bytes (back to 0 in flight)" \
		grep -qE ' <- +TX clean \+ BQL .* bql_inflight=0B$' "$out/timeline.txt"
	tap_check "$pkt: the reply reaches the client's recvfrom last of the two trips" \
		check_order "$tsv" "<-" "$l4" "recv returns"
	tap_check "$pkt: the reply comes after the request arrived" \
		awk -F'\t' '$1 == "->" && $2 == "'"$l4"'" { a = $3 }
			$1 == "<-" && $2 == "IP output" { b = $3 }
			END { exit !(a != "" && b != "" && b + 0 >= a + 0) }' "$tsv"
	tap_check "$pkt: times never go backwards down the timeline" \
		awk -F'\t' '$3 + 0 < prev { exit 1 } { prev = $3 + 0 }' "$tsv"
	tap_check "$pkt: the timeline follows one packet each way (no step twice)" \
		not awk -F'\t' 'seen[$1 FS $2]++ { print; bad = 1 } END { exit !bad }' "$tsv"
	if [[ $pkt != icmp ]]; then
		tap_check "$pkt: the reply starts at the echo server's send syscall" \
			check_order "$tsv" "<-" "send syscall" "IP output"
		tap_check "$pkt: the card offloaded the L4 checksum and the peer found it good" \
			awk '/ -> +checksum / && /offload/ { a = 1 } / -> +RX checksum / && /verdict=good/ { b = 1 }
				END { exit !(a && b) }' "$out/timeline.txt"
	fi
done

tap_check "the module is unloaded after the runs" not vnic_loaded
tap_done
