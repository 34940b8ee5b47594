#!/bin/bash
#
# kmemleak-scan.sh - in a debug-kernel guest: ask kmemleak for suspected
# leaks and print the ones that stay. Prints nothing if there are none.
#
# kmemleak reports an object that looked unreferenced in two scans in a row,
# so it scans twice with a pause. An object referenced only from memory
# kmemleak does not scan (pages from the page allocator, such as an skb's
# shared info in a page_pool page) looks leaked until it is freed: right
# after heavy TCP traffic we saw a few skb heads reported that were gone
# half a minute later. A real leak is never freed. So if the first round
# finds anything, a second round follows after a longer pause, and only
# objects suspected in both rounds are printed, with kmemleak's report
# (the backtrace of the allocation).
#
# Usage: scripts/kmemleak-scan.sh       Run by e2e-guest.sh and tests in
# scripts/tests/debug/, as root in the guest, with debugfs mounted.

set -euo pipefail
# The ERR trap (a failed command names itself), as on the host.
# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

KMEMLEAK=/sys/kernel/debug/kmemleak
[[ -w $KMEMLEAK ]] || {
	echo "kmemleak-scan: $KMEMLEAK is missing: not the debug kernel?" >&2
	exit 2
}

round() {
	echo scan >"$KMEMLEAK"
	sleep 5
	echo scan >"$KMEMLEAK"
	cat "$KMEMLEAK"
}

first=$(round)
[[ -n $first ]] || exit 0
sleep 20
second=$(round)
# Keep the report blocks ("unreferenced object 0x... (size N):" and the
# indented lines under it) of objects already suspected in the first round.
awk 'NR == FNR {
		if ($1 == "unreferenced" && $2 == "object")
			seen[$3] = 1
		next
	}
	$1 == "unreferenced" && $2 == "object" { keep = ($3 in seen) }
	keep' <(printf '%s\n' "$first") <(printf '%s\n' "$second")
