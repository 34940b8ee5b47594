#!/bin/bash
#
# journey.sh - `make journey [PKT=icmp|tcp|udp]`: boot a VM, send one packet
# from vnic0 to vnic1 (netns ns1) and its reply back, and print that
# packet's path as a timeline (scripts/journey-guest.sh traces it,
# scripts/journey.py formats it). The raw trace, the timeline, its picture
# (journey.svg) and the guest's notes are kept in
# $VNIC_CACHE/journey/<timestamp>-<PKT>/ ("latest" links to the newest).
#
# Env: VNIC_JOURNEY_PKT (what PKT= sets; default icmp), vm.sh's knobs.

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

pkt=${1:-${VNIC_JOURNEY_PKT:-icmp}}
case $pkt in
icmp | tcp | udp) ;;
*) die "journey: PKT=$pkt: not a packet kind; use PKT=icmp, PKT=tcp or PKT=udp" ;;
esac

res=$(vnic_results_dir journey "$pkt")
log "journey: booting a VM to follow one $pkt packet; results go to $res"
rc=0
VNIC_KO=$res/vnic.ko VNIC_VM_OUT=$res/vm VNIC_VM_QUIET=${VNIC_VM_QUIET:-1} \
	"$VNIC_ROOT/scripts/vm.sh" "$VNIC_ROOT/scripts/journey-guest.sh" "$pkt" /tmp/out/journey || rc=$?
cp -r "$res/vm/share/journey/." "$res/" 2>/dev/null || true
ln -sfn "$res" "$VNIC_CACHE/journey/latest"
[[ $rc -eq 0 ]] || die "journey: the guest run failed (status $rc); see $res/vm/console.log"
[[ -s $res/timeline.txt ]] || die "journey: no timeline; see $res/vm/console.log"
cat "$res/timeline.txt"
log "journey: raw trace $res/trace.txt, timeline $res/timeline.txt, picture $res/journey.svg"
