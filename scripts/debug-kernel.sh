#!/bin/bash
#
# debug-kernel.sh - build (once; cached outside the repo) the debug kernel
# that `make check-debug` boots, and print its build directory.
#
# The kernel comes from Debian's linux-source-6.12 at the pinned version:
# `make tinyconfig`, then kunit/kunit.config and kunit/debug.config merged
# in that order, the same recipe as the KUnit kernel (scripts/kunit.sh) with
# more on top: everything the busybox + 9p guest of scripts/vm.sh and the
# end-to-end tests need, built in (BPF and kernel BTF for the XDP and
# AF_XDP tests among it: pahole must be installed), plus KASAN, lockdep,
# DMA-API debugging, kmemleak, debug objects and failslab/fail_page_alloc.
# Every line of both fragments must end up in the final .config.
#
# The cache key is the kernel version plus a hash of both fragments, so a
# warm run does nothing. Its modules (pktgen) are installed under
# modules/lib/modules/RELEASE next to the build directory; scripts/vm.sh
# shows that directory to the guest as /lib/modules (VNIC_MODDIR).
#
# With --faultinj (VNIC_DEBUG_KIND=faultinj) it builds the fault-injection
# kernel instead: kunit/faultinj.config merged last turns KASAN, lockdep,
# DMA-API debugging, kmemleak, debug objects and the refcount trackers off
# again, so that hw/pp_alloc_fail.py gets the traffic it needs; cached
# apart, under $VNIC_CACHE/faultinj/.
#
# Usage: scripts/debug-kernel.sh [--faultinj]
#        last line of output: the build directory
# Env:   VNIC_CACHE, VNIC_JOBS (make -j, default nproc).

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

case ${1:-} in
"") ;;
--faultinj) VNIC_DEBUG_KIND=faultinj ;;
*) die "usage: $0 [--faultinj]" ;;
esac
KVER=$(vnic_kver)
KOUT=$(vnic_debug_kernel_dir "$KVER")
vnic_debug_fragments
MODS=$(dirname "$KOUT")/modules

vnic_lock "$(dirname "$KOUT").lock"
# Without pahole, Kconfig drops DEBUG_INFO_BTF (debug.config) and the
# fragment check would only say that it did not stick.
if [[ ! -f $KOUT/.vnic-built && $VNIC_DEBUG_KIND == debug ]] && ! command -v pahole >/dev/null; then
	die "the debug kernel's BTF (CONFIG_DEBUG_INFO_BTF) needs pahole: run make deps (or apt-get install pahole)"
fi
vnic_build_kernel "$VNIC_DEBUG_KIND" "$KOUT" "${debug_frags[@]}"
if [[ ! -f $MODS/.vnic-installed ]]; then
	rm -rf "$MODS"
	SRC=$(vnic_kernel_source "$KVER")
	make -s -C "$SRC" O="$KOUT" INSTALL_MOD_PATH="$MODS" INSTALL_MOD_STRIP=1 \
		modules_install >"$KOUT/modules_install.log" 2>&1 ||
		die "installing the $VNIC_DEBUG_KIND kernel's modules failed (log: $KOUT/modules_install.log)"
	touch "$MODS/.vnic-installed"
fi
echo "$KOUT"
