#!/bin/bash
#
# xsk-build.sh - build the kernel's AF_XDP selftest, xskxceiver, from the
# pinned linux-source-6.12 (tools/testing/selftests/bpf), without the
# selftests' own Makefile (which wants the whole BPF selftest tree, a
# vmlinux and its own bpftool) and without editing any of its files.
# Prints the directory that holds xskxceiver, test_xsk.sh and
# xsk_prereqs.sh, ready to run from there (scripts/xsk-selftest.sh).
#
#   1. libbpf from the same tree (tools/lib/bpf): libbpf.a and its headers;
#   2. progs/xsk_xdp_progs.c with Debian's clang-19 (--target=bpf) against
#      those headers and the tree's UAPI headers;
#   3. bpftool gen skeleton of it (Debian's bpftool), the
#      xsk_xdp_progs.skel.h that xskxceiver.c includes;
#   4. xskxceiver.c, xsk.c, network_helpers.c and tools/lib/find_bit.c with
#      gcc, as the selftests' Makefile links them, against that libbpf.a.
#
# Output: $VNIC_CACHE/xsk/<linux-source-6.12 version>/ (a .vnic-ready file
# holds XSK_RECIPE: change a step, bump it). Everything comes from Debian:
# clang-19, llvm-19, bpftool, libelf-dev, zlib1g-dev (scripts/deps.sh).
#
# Usage: scripts/xsk-build.sh        build if needed, print the directory

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

# Bump when a step changes.
XSK_RECIPE=1
CLANG=${VNIC_CLANG:-clang-19}

command -v "$CLANG" >/dev/null || die "$CLANG is missing; run scripts/deps.sh (make deps)"
command -v bpftool >/dev/null || die "bpftool is missing; run scripts/deps.sh (make deps)"

src=$(vnic_kernel_source "$(vnic_kver)")
ver=$(dpkg-query -W -f='${Version}' "$VNIC_SOURCE_PKG" 2>/dev/null) ||
	die "$VNIC_SOURCE_PKG is not installed; run scripts/deps.sh (make deps)"
dir=$VNIC_CACHE/xsk/$ver
vnic_lock "$dir.lock"
if [[ $(cat "$dir/.vnic-ready" 2>/dev/null) == "$XSK_RECIPE" ]]; then
	echo "$dir"
	exit 0
fi

st=$src/tools/testing/selftests
bpfdir=$st/bpf
rm -rf "$dir" "$dir.tmp"
mkdir -p "$dir.tmp/libbpf" "$dir.tmp/obj"
out=$dir.tmp
jobs=${VNIC_JOBS:-$(nproc)}

log "xsk: libbpf from $src/tools/lib/bpf"
nice make -s -C "$src/tools/lib/bpf" -j"$jobs" OUTPUT="$out/libbpf/" \
	DESTDIR="$out/libbpf" prefix= BUILD_STATIC_ONLY=1 \
	"$out/libbpf/libbpf.a" install_headers >"$out/libbpf.log" 2>&1 ||
	{ tail -n 30 "$out/libbpf.log" >&2; die "libbpf did not build (log: $out/libbpf.log)"; }

# The system's include directories, as the selftests' Makefile finds them
# for clang (asm/ lives under the multiarch directory).
sys_inc=()
while read -r d; do
	sys_inc+=(-idirafter "$d")
done < <("$CLANG" -v -E - </dev/null 2>&1 |
	sed -e '1,/^#include <...>/d' -e '/^End of search list/,$d' -e 's/^ *//')

log "xsk: progs/xsk_xdp_progs.c with $CLANG"
# The flags are the selftests Makefile's BPF_CFLAGS.
nice "$CLANG" -g -O2 -Wall -Werror -Wno-compare-distinct-pointer-types --target=bpf \
	-mcpu=v3 -D__TARGET_ARCH_x86 \
	-I"$out/libbpf/include" -I"$src/tools/include/uapi" -I"$bpfdir" \
	"${sys_inc[@]}" -c "$bpfdir/progs/xsk_xdp_progs.c" -o "$out/obj/xsk_xdp_progs.bpf.o"
log "xsk: bpftool gen skeleton"
bpftool gen object "$out/obj/xsk_xdp_progs.bpf.linked.o" "$out/obj/xsk_xdp_progs.bpf.o"
bpftool gen skeleton "$out/obj/xsk_xdp_progs.bpf.linked.o" name xsk_xdp_progs \
	>"$out/obj/xsk_xdp_progs.skel.h"

log "xsk: xskxceiver with gcc"
cflags=(-g -O2 -Wall
	-I"$out/obj" -I"$bpfdir" -I"$out/libbpf/include" -I"$src/tools/include"
	-I"$src/tools/include/uapi" -I"$st")
nice gcc "${cflags[@]}" -o "$out/xskxceiver" \
	"$bpfdir/xskxceiver.c" "$bpfdir/xsk.c" "$bpfdir/network_helpers.c" \
	"$src/tools/lib/find_bit.c" "$out/libbpf/libbpf.a" -lelf -lz -lpthread

cp "$bpfdir/test_xsk.sh" "$bpfdir/xsk_prereqs.sh" "$out/"
mv "$out" "$dir"
echo "$XSK_RECIPE" >"$dir/.vnic-ready"
log "xsk: built $dir/xskxceiver"
echo "$dir"
