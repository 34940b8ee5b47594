#!/bin/bash
#
# demo.sh - `make demo`: build vnic.ko for the pinned Debian kernel and run
# the guided tour (scripts/demo-guest.sh) in a VM. Dependencies are
# installed by `make` before this runs.

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

log "demo: building vnic.ko"
ko=$("$VNIC_ROOT/scripts/build.sh" | tail -n1)
log "demo: booting a VM (QEMU, TCG) and running the tour in it"
VNIC_KO=$ko exec "$VNIC_ROOT/scripts/vm.sh" "$VNIC_ROOT/scripts/demo-guest.sh"
