#!/bin/bash
#
# dkms.sh - install vnic's source for DKMS, which builds vnic.ko for every
# kernel that has headers and again for each new one (make dkms-install,
# make dkms-remove). Run as root.
#
# Usage: scripts/dkms.sh install   copy the module's source (Kbuild,
#                                  driver/, include/, kunit/) to
#                                  /usr/src/vnic-VERSION with a dkms.conf
#                                  made from scripts/dkms.conf.in, then
#                                  `dkms add`, and `dkms build` and
#                                  `dkms install` for each kernel in
#                                  /lib/modules that has its build directory
#                                  (headers); installs dkms with apt-get if
#                                  it is missing. A version already there is
#                                  removed first, so a second run redoes it.
#        scripts/dkms.sh remove    `dkms remove --all` of every vnic version,
#                                  and their /usr/src/vnic-VERSION
#        scripts/dkms.sh check     (after install) boot a guest of each pinned
#                                  kernel, 6.12 and 6.1 (scripts/vm.sh), that
#                                  runs `modprobe vnic` and finds the DKMS
#                                  module loaded with its two ports
#
# VERSION is 0+gitYYYYMMDD.HASH of the commit checked out (with .dirty if
# the tree has changes), or 0+local outside git.
#
# DKMS installs vnic.ko as /lib/modules/KVER/updates/dkms/vnic.ko and runs
# depmod, so `modprobe vnic` finds it. The host never loads it here.

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

cmd=${1:-}
[[ $(id -u) -eq 0 ]] || die "dkms.sh must run as root (it writes /usr/src and /lib/modules)"

vnic_dkms_version() {
	local date hash dirty=
	if git -C "$VNIC_ROOT" rev-parse --git-dir >/dev/null 2>&1; then
		date=$(git -C "$VNIC_ROOT" log -1 --format=%cd --date=format:%Y%m%d)
		hash=$(git -C "$VNIC_ROOT" rev-parse --short=8 HEAD)
		git -C "$VNIC_ROOT" diff --quiet HEAD -- Kbuild driver include kunit || dirty=.dirty
		echo "0+git$date.$hash$dirty"
	else
		echo "0+local"
	fi
}

# The vnic versions DKMS knows, one a line.
vnic_dkms_versions() {
	{ dkms status -m vnic 2>/dev/null || true; } |
		sed -n 's|^vnic/\([^,: ]*\).*|\1|p' | sort -u
}

dkms_remove_all() {
	local v
	for v in $(vnic_dkms_versions); do
		log "dkms remove vnic/$v --all"
		dkms remove -m vnic -v "$v" --all
	done
	for v in /usr/src/vnic-*; do
		[[ -e $v ]] || continue
		log "rm -rf $v"
		rm -rf "$v"
	done
}

dkms_install() {
	local ver src k kernels=() built=()
	if ! command -v dkms >/dev/null; then
		log "apt-get install dkms"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends dkms ||
			{ DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
				DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends dkms; }
	fi
	for k in /lib/modules/*; do
		[[ -e $k/build/Makefile ]] && kernels+=("$(basename "$k")")
	done
	[[ ${#kernels[@]} -gt 0 ]] ||
		die "no kernel in /lib/modules has its headers (build/); install linux-headers-... first"

	ver=$(vnic_dkms_version)
	src=/usr/src/vnic-$ver
	dkms_remove_all
	log "source: $src"
	mkdir -p "$src"
	cp -r "$VNIC_ROOT/Kbuild" "$VNIC_ROOT/driver" "$VNIC_ROOT/include" "$VNIC_ROOT/kunit" "$src/"
	# Only what Kbuild builds from: no objects of a build in the tree.
	find "$src" -type f ! -name '*.[ch]' ! -name Kbuild ! -name '*.config' -delete
	sed "s/@VERSION@/$ver/" "$VNIC_ROOT/scripts/dkms.conf.in" >"$src/dkms.conf"

	dkms add -m vnic -v "$ver"
	for k in "${kernels[@]}"; do
		log "dkms build and install vnic/$ver for $k"
		dkms build -m vnic -v "$ver" -k "$k"
		dkms install -m vnic -v "$ver" -k "$k"
		built+=("$k")
	done
	dkms status -m vnic
	log "vnic/$ver installed by DKMS for ${built[*]}"
}

# In the guest (scripts/vm.sh runs this file with "guest"): modprobe must
# take the DKMS module, which brings up two ports.
dkms_guest() {
	local ko
	ko=$(modinfo -n vnic)
	echo "modinfo -n vnic: $ko"
	[[ $ko == */updates/dkms/vnic.ko* ]] || die "modprobe would not load DKMS's vnic.ko"
	modprobe vnic
	grep -q '^vnic ' /proc/modules || die "vnic is not loaded after modprobe"
	ip -br link show vnic0
	ip -br link show vnic1
	modprobe -r vnic
	! grep -q '^vnic ' /proc/modules || die "vnic is still loaded after modprobe -r"
	echo "dkms-guest: modprobe vnic OK on $(uname -r)"
}

dkms_check() {
	local s rc pass=0 fail=0
	for s in 6.12 6.1; do
		rc=0
		VNIC_KSERIES=$s VNIC_VM_TIMEOUT=${VNIC_VM_TIMEOUT:-300} \
			"$VNIC_ROOT/scripts/vm.sh" "$VNIC_ROOT/scripts/dkms.sh" guest || rc=$?
		if [[ $rc -eq 0 ]]; then
			echo "ok - modprobe vnic (DKMS) in a guest of $(VNIC_KSERIES=$s vnic_target_kver)"
			pass=$((pass + 1))
		else
			echo "not ok - modprobe vnic (DKMS) in a guest of $(VNIC_KSERIES=$s vnic_target_kver) (vm.sh status $rc)"
			fail=$((fail + 1))
		fi
	done
	echo "dkms check: $pass passed, $fail failed"
	[[ -z ${VNIC_COUNTS:-} ]] || echo "$pass $fail" >"$VNIC_COUNTS"
	[[ $fail -eq 0 ]] || exit 1
}

case $cmd in
install) dkms_install ;;
remove) dkms_remove_all ;;
check) dkms_check ;;
guest) dkms_guest ;;
*) die "usage: $0 install|remove|check" ;;
esac
