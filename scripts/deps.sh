#!/bin/bash
#
# deps.sh - install what building and testing vnic needs (Debian 12).
#
# Safe to run again: it only calls apt-get when something is missing, and
# only runs `apt-get update` when a package cannot be found otherwise.
#
# Kernel pinning: linux-image-6.12-amd64 chooses one exact kernel, e.g.
# 6.12.117+deb12-amd64 at package version 6.12.117-1~deb12u1. The headers
# and linux-source-6.12 are installed at that same package version, so the
# image we boot, the headers we build against and the source we take
# checkpatch.pl and the KUnit kernel from all match. If the meta-package is
# already installed it is kept as it is (no silent upgrade).
#
# Debian 12's default kernel, 6.1, is pinned the same way: the meta-package
# linux-image-amd64 chooses one release, e.g. 6.1.0-57-amd64 at package
# version 6.1.192-3, and its image and headers (linux-headers-amd64) are
# installed at that version. e2e.sh --kernel 6.1 boots it, and vnic is
# built for it; KUnit, checkpatch and the selftests stay 6.12's.
#
# Usage: scripts/deps.sh              everything (needs root, or sudo)
#        scripts/deps.sh --build [KDIR]
#            only what a plain `make` needs: if KDIR (or the running
#            kernel's /lib/modules/$(uname -r)/build) exists and make and gcc
#            are there, nothing is installed; otherwise the same as above.

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

# Tools for the build, the VM and the tests. The guest runs the host's own
# binaries (read-only 9p root), so guest tools are installed here too.
# The kernel's selftests (scripts/selftests.sh) need jq, mausezahn
# (netsniff-ng), python3-yaml (ynl) and linux/ethtool.h (linux-libc-dev);
# the XDP test (scripts/tests/65-xdp.sh) xdp-tools and bpftool; the AF_XDP
# test (66-xsk.sh builds xsk_seq.c in the guest) libxdp-dev and libbpf-dev;
# the kernel's AF_XDP selftest (scripts/xsk-build.sh: xskxceiver, its BPF
# program and the tree's libbpf) clang-19, llvm-19 and zlib1g-dev; the debug
# kernel's BTF (scripts/debug-kernel.sh, DEBUG_INFO_BTF) pahole (Debian 12's
# dwarves is only a transitional package for it).
TOOLS=(
	make gcc bc bison flex libelf-dev libssl-dev cpio xz-utils gzip rsync
	perl python3 kmod
	qemu-system-x86 busybox-static
	iproute2 iputils-ping ethtool iperf3 socat netcat-openbsd tcpdump
	trace-cmd gnuplot-nox linux-perf
	jq netsniff-ng python3-yaml python3-pyflakes linux-libc-dev
	xdp-tools bpftool libxdp-dev libbpf-dev clang-19 llvm-19 zlib1g-dev pahole
)

if [[ ${1:-} == --build ]]; then
	kdir=${2:-/lib/modules/$(uname -r)/build}
	if [[ -d $kdir ]] && command -v make >/dev/null && command -v gcc >/dev/null; then
		exit 0
	fi
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
	command -v sudo >/dev/null || die "deps.sh must run as root (or with sudo installed)"
	SUDO=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
updated=0
# Another apt (unattended-upgrades, a second checkout's deps.sh) may hold
# dpkg's lock for a while: wait for it rather than fail.
APT_WAIT=(-o DPkg::Lock::Timeout=900)

apt_update() {
	[[ $updated -eq 1 ]] && return
	log "apt-get update"
	"${SUDO[@]}" apt-get "${APT_WAIT[@]}" update -qq
	updated=1
}

# Prints the installed version of a package, or nothing. dpkg-query exits 1
# for a package it does not know; that is an answer here, not an error.
installed_version() {
	{ dpkg-query -W -f='${db:Status-Abbrev} ${Version}' "$1" 2>/dev/null || true; } |
		awk '$1 == "ii" { print $2 }'
}

candidate_version() {
	{ apt-cache policy "$1" 2>/dev/null || true; } | awk '/Candidate:/ { print $2 }'
}

apt_install() {
	log "apt-get install $*"
	"${SUDO[@]}" apt-get "${APT_WAIT[@]}" install -y -q --no-install-recommends "$@"
}

# 1. Tools.
missing=()
for pkg in "${TOOLS[@]}"; do
	[[ -n $(installed_version "$pkg") ]] || missing+=("$pkg")
done
if [[ ${#missing[@]} -gt 0 ]]; then
	apt_update
	apt_install "${missing[@]}"
fi

# pin_meta META: install META if it is not, at apt's candidate version;
# print the version installed.
pin_meta() {
	local v
	v=$(installed_version "$1")
	if [[ -z $v ]]; then
		v=$(candidate_version "$1")
		if [[ -z $v || $v == "(none)" ]]; then
			apt_update
			v=$(candidate_version "$1")
		fi
		[[ -n $v && $v != "(none)" ]] || die "apt knows no $1"
		apt_install "$1=$v" >&2
	fi
	echo "$v"
}

# 2. The kernel: one version for image, headers and source.
ver=$(pin_meta "$VNIC_IMAGE_META")
kver=$(vnic_kver)

wanted=()
[[ $(installed_version "linux-image-$kver") == "$ver" ]] || wanted+=("linux-image-$kver=$ver")
[[ $(installed_version "$VNIC_HEADERS_META") == "$ver" ]] || wanted+=("$VNIC_HEADERS_META=$ver")
[[ $(installed_version "linux-headers-$kver") == "$ver" ]] || wanted+=("linux-headers-$kver=$ver")
[[ $(installed_version "$VNIC_SOURCE_PKG") == "$ver" ]] || wanted+=("$VNIC_SOURCE_PKG=$ver")
if [[ ${#wanted[@]} -gt 0 ]]; then
	if ! apt-cache show "${wanted[@]}" >/dev/null 2>&1; then
		apt_update
	fi
	# --allow-downgrades: an already newer linux-source-6.12 must follow the
	# pinned image, not the other way round.
	apt_install --allow-downgrades "${wanted[@]}"
fi

# 3. Debian's 6.1: image and headers at the version linux-image-amd64 chose.
ver61=$(pin_meta "$VNIC_IMAGE_META_61")
kver61=$(vnic_kver_of "$VNIC_IMAGE_META_61")
[[ -n $kver61 ]] || die "cannot read the kernel version from $VNIC_IMAGE_META_61"
wanted=()
[[ $(installed_version "linux-image-$kver61") == "$ver61" ]] || wanted+=("linux-image-$kver61=$ver61")
[[ $(installed_version "$VNIC_HEADERS_META_61") == "$ver61" ]] || wanted+=("$VNIC_HEADERS_META_61=$ver61")
[[ $(installed_version "linux-headers-$kver61") == "$ver61" ]] || wanted+=("linux-headers-$kver61=$ver61")
if [[ ${#wanted[@]} -gt 0 ]]; then
	if ! apt-cache show "${wanted[@]}" >/dev/null 2>&1; then
		apt_update
	fi
	apt_install --allow-downgrades "${wanted[@]}"
fi

# 4. Verify.
for f in "/boot/vmlinuz-$kver" "$(vnic_headers_dir "$kver")/Makefile" \
	"/boot/vmlinuz-$kver61" "$(vnic_headers_dir "$kver61")/Makefile" \
	"/usr/src/$VNIC_SOURCE_PKG.tar.xz" /bin/busybox; do
	[[ -e $f ]] || die "$f is missing after installing"
done
for k in "$kver" "$kver61"; do
	for m in 9pnet 9pnet_virtio 9p; do
		[[ -n $(find "/lib/modules/$k/kernel" -name "$m.ko*" -print -quit) ]] ||
			die "module $m for $k is missing"
	done
done
src_ver=$(installed_version "$VNIC_SOURCE_PKG")
[[ $src_ver == "$ver" ]] || die "$VNIC_SOURCE_PKG is $src_ver, kernel image is $ver"

log "dependencies OK; pinned kernels $kver (package version $ver) and $kver61 ($ver61)"
