#!/bin/bash
#
# build.sh - build vnic.ko for the pinned Debian kernel, the one the VM boots.
#
# The build happens in a copy of the sources under the cache
# ($VNIC_CACHE/build/<checkout>/$KVER), with W=1, against the pinned headers. That
# keeps it apart from whatever `make` built in the tree (maybe for your own
# kernel) and from the KUnit kernel's build. The last line of output is the
# path of vnic.ko.
#
# Usage: scripts/build.sh [--strict]
#   --strict   fail if the build prints any warning (make check, stage 1)

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

strict=0
[[ ${1:-} == --strict ]] && strict=1

KVER=$(vnic_kver)
KDIR=$(vnic_headers_dir "$KVER")
OUT=$VNIC_CACHE/build/$VNIC_TREE_ID/$KVER
LOG=$OUT/build.log

vnic_lock "$OUT.lock"
vnic_sync_sources "$OUT"
# Rebuild every object so that each run sees (and reports) every warning.
find "$OUT" \( -name '*.o' -o -name '*.ko' \) -delete
log "build: vnic.ko for $KVER with W=1 in $OUT"
rc=0
make -C "$KDIR" M="$OUT" W=1 -j"$(nproc)" modules >"$LOG" 2>&1 || rc=$?
if [[ $rc -ne 0 ]]; then
	cat "$LOG" >&2
	die "build failed (log: $LOG)"
fi
if grep -qi 'warning' "$LOG"; then
	grep -i -B2 -A4 'warning' "$LOG" >&2
	if [[ $strict -eq 1 ]]; then
		die "build printed warnings; make check treats them as errors (log: $LOG)"
	fi
	warn "build printed warnings (log: $LOG)"
fi
[[ -f $OUT/vnic.ko ]] || die "no vnic.ko after the build"
echo "$OUT/vnic.ko"
