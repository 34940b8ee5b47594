#!/bin/bash
#
# stats-selftests-guest.sh - in a guest (scripts/vm.sh), run the pinned
# kernel's hw/loopback.sh and hw/ethtool_rmon.sh on vnic0 and vnic1, both
# ports in one namespace, as those tests expect. A quick check of the
# loopback feature and the RMON histograms against the kernel's own tests:
#
#   VNIC_KO=$(scripts/build.sh | tail -n1) VNIC_CACHE=$HOME/.cache/vnic \
#       VNIC_VM_TIMEOUT=1800 scripts/vm.sh scripts/stats-selftests-guest.sh [TEST.sh...]
#
# VNIC_CACHE must be the host's, where the source is already extracted:
# the guest's HOME is not the host's, and its /tmp is too small for it.
#
# The exit status is that of the last test that failed, 0 if all passed.

set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

: "${VNIC_KO:?VNIC_KO is not set}"
SRC=$(vnic_kernel_source "$VNIC_KVER")
HW=$SRC/tools/testing/selftests/drivers/net/hw
tests=("$@")
[[ ${#tests[@]} -gt 0 ]] || tests=(loopback.sh ethtool_rmon.sh)

insmod "$VNIC_KO"
for _ in $(seq 50); do
	ip link show vnic1 >/dev/null 2>&1 && break
	sleep 0.1
done

rc=0
for t in "${tests[@]}"; do
	[[ -x $HW/$t ]] || die "$HW/$t is missing"
	echo "==> $t vnic0 vnic1"
	st=0
	(cd "$HW" && "./$t" vnic0 vnic1) || st=$?
	echo "==> $t: exit status $st"
	[[ $st -eq 0 ]] || rc=$st
done
rmmod vnic
exit $rc
