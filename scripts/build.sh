#!/bin/bash
#
# build.sh - build vnic.ko for the pinned Debian kernel, the one the VM boots,
# or for the debug kernel (scripts/debug-kernel.sh).
#
# The build happens in a copy of the sources under the cache, with W=1:
# $VNIC_CACHE/build/<checkout>/$KVER against the pinned headers, or
# $VNIC_CACHE/{debug,faultinj}/$KVER-<hash>/vnic-<checkout> against that kernel's
# build directory (built first if it is not cached). That keeps it apart
# from whatever `make` built in the tree (maybe for your own kernel) and
# from the other kernels' builds. The last line of output is the path of
# vnic.ko.
#
# Usage: scripts/build.sh [--strict] [--debug] [--kernel 6.12|6.1] [--out FILE]
#   --strict   fail if the build prints any warning (make check, stage 1)
#   --debug    build for the debug kernel instead of the Debian one
#   --kernel S build for Debian's pinned kernel of series S: 6.12 (the
#              default) or 6.1 (Debian 12's default kernel); the same as
#              VNIC_KSERIES=S. The build directory is named by the release.
#   --out FILE copy vnic.ko to FILE (and print that path): the next build
#              deletes the objects, so a VM run that may overlap another
#              build of the same checkout uses its own copy

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

strict=0
debug=0
copy=
while [[ $# -gt 0 ]]; do
	case $1 in
	--strict) strict=1 ;;
	--debug) debug=1 ;;
	--kernel)
		[[ $# -ge 2 ]] || die "--kernel needs a series: 6.12 or 6.1"
		VNIC_KSERIES=$2
		shift
		;;
	--out)
		[[ $# -ge 2 ]] || die "--out needs a file name"
		copy=$2
		shift
		;;
	*) die "usage: $0 [--strict] [--debug] [--kernel 6.12|6.1] [--out FILE]" ;;
	esac
	shift
done

KVER=$(vnic_target_kver)
if [[ $debug -eq 1 ]]; then
	[[ $VNIC_KSERIES == 6.12 ]] || die "--debug builds for the debug kernel, a 6.12"
	KDIR=$("$VNIC_ROOT/scripts/debug-kernel.sh" | tail -n1)
	OUT=$(dirname "$KDIR")/vnic-$VNIC_TREE_ID
	what="the debug kernel ($(<"$KDIR/include/config/kernel.release"))"
else
	KDIR=$(vnic_headers_dir "$KVER")
	OUT=$VNIC_CACHE/build/$VNIC_TREE_ID/$KVER
	what=$KVER
fi
LOG=$OUT/build.log

vnic_lock "$OUT.lock"
vnic_sync_sources "$OUT"
# Rebuild every object so that each run sees (and reports) every warning.
find "$OUT" \( -name '*.o' -o -name '*.ko' \) -delete
log "build: vnic.ko for $what with W=1 in $OUT"
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
if [[ -n $copy ]]; then
	mkdir -p "$(dirname "$copy")"
	cp "$OUT/vnic.ko" "$copy.tmp"
	mv "$copy.tmp" "$copy"
	echo "$copy"
else
	echo "$OUT/vnic.ko"
fi
