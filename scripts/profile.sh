#!/bin/bash
#
# profile.sh - `make profile`: a perf profile of the guest while vnic
# carries one bulk TCP stream (scripts/profile-guest.sh says how), to see
# where the time goes. Results in $VNIC_CACHE/profile/<timestamp>/
# ("latest" links to the newest); the top of the report is printed.
#
# Env: VNIC_PROFILE_SECS (sampling time, default 10), vm.sh's knobs.

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

res=$(vnic_results_dir profile)
log "profile: results go to $res"
rc=0
VNIC_KO=$res/vnic.ko VNIC_VM_OUT=$res/vm VNIC_VM_TIMEOUT=${VNIC_VM_TIMEOUT:-900} \
	"$VNIC_ROOT/scripts/vm.sh" "$VNIC_ROOT/scripts/profile-guest.sh" || rc=$?
cp -r "$res/vm/share/." "$res/"
rm -f "$res/cmd" "$res/status"
ln -sfn "$res" "$VNIC_CACHE/profile/latest"
[[ $rc -eq 0 ]] || die "profile: the guest run failed (status $rc); see $res/vm/console.log"
log "profile: reports in $res (report-sym.txt, report-dso.txt, report-caller.txt)"
