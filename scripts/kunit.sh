#!/bin/bash
#
# kunit.sh - run vnic's KUnit suites in a small kernel under QEMU.
#
#  1. Build (once; cached outside the repo) a small x86_64 kernel from
#     Debian's linux-source-6.12 at the pinned version: `make tinyconfig`,
#     then kunit/kunit.config merged with scripts/kconfig/merge_config.sh.
#     The cache key is the kernel version plus a hash of the fragment, so a
#     warm run does not rebuild the kernel.
#  2. Build vnic.ko and kunit/vnic_test.ko against that kernel, in a copy of
#     the sources under the cache, so the tree never mixes objects built for
#     two different kernels.
#  3. Boot it (TCG, -smp 2, -net none) with a busybox initramfs that loads
#     vnic.ko and then vnic_test.ko, and power the guest off.
#  4. Parse the module's KTAP with the kernel's tools/testing/kunit/kunit.py,
#     show per-case results, and fail on a failed case, a missing result, a
#     timeout or a kernel splat (WARNING, BUG, lockdep, KASAN, ...).
#
# Usage: scripts/kunit.sh [--build-only]
# Env:   VNIC_CACHE (default ~/.cache/vnic), VNIC_KUNIT_TIMEOUT (seconds,
#        default 300), VNIC_JOBS (make -j, default nproc).

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

# Bump when the way the kernel is built changes, to invalidate the cache.
RECIPE=1

build_only=0
[[ ${1:-} == --build-only ]] && build_only=1

KVER=$(vnic_kver)
FRAGMENT=$VNIC_ROOT/kunit/kunit.config
JOBS=${VNIC_JOBS:-$(nproc)}
TIMEOUT=${VNIC_KUNIT_TIMEOUT:-300}

key=$(vnic_kernel_key "$RECIPE" "$FRAGMENT")
SRC=$(vnic_kernel_source "$KVER")
KOUT=$VNIC_CACHE/kunit/$KVER-$key/kernel
MOUT=$VNIC_CACHE/kunit/$KVER-$key/vnic-$VNIC_TREE_ID
RUN=$VNIC_CACHE/kunit/$KVER-$key/run-$VNIC_TREE_ID

build_modules() {
	log "building vnic.ko and vnic_test.ko against the KUnit kernel in $MOUT"
	vnic_sync_sources "$MOUT"
	if ! make -C "$KOUT" M="$MOUT" -j"$JOBS" modules >"$MOUT/build.log" 2>&1; then
		cat "$MOUT/build.log" >&2
		die "building the modules against the KUnit kernel failed"
	fi
	[[ -f $MOUT/vnic.ko ]] || die "no vnic.ko after the build"
	[[ -f $MOUT/kunit/vnic_test.ko ]] ||
		die "no kunit/vnic_test.ko after the build (is CONFIG_KUNIT set?)"
}

make_initramfs() {
	local root=$RUN/initramfs
	rm -rf "$root"
	mkdir -p "$root"/{bin,dev,proc,sys,tmp}
	cp /bin/busybox "$root/bin/busybox"
	cp "$MOUT/vnic.ko" "$MOUT/kunit/vnic_test.ko" "$root/"
	cat >"$root/init" <<'EOF'
#!/bin/busybox sh
# PID 1 of the KUnit guest: load the modules, report, power off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
echo "vnic-kunit: insmod vnic.ko"
if insmod /vnic.ko; then
	echo "vnic-kunit: insmod vnic_test.ko"
	insmod /vnic_test.ko || echo "vnic-kunit: insmod vnic_test.ko failed"
	rmmod vnic_test || echo "vnic-kunit: rmmod vnic_test failed"
	rmmod vnic || echo "vnic-kunit: rmmod vnic failed"
else
	echo "vnic-kunit: insmod vnic.ko failed"
fi
echo "vnic-kunit: done"
reboot -f
EOF
	chmod +x "$root/init"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$RUN/initramfs.cpio.gz"
}

boot() {
	local console=$RUN/console.log rc=0
	rm -f "$console"
	log "booting the KUnit kernel (console: $console)"
	VNIC_VM_SMP=2 VNIC_VM_MEM=1024 vnic_qemu "$TIMEOUT" "$console" \
		"$KOUT/arch/x86/boot/bzImage" "$RUN/initramfs.cpio.gz" "loglevel=7" || rc=$?
	if [[ $rc -eq 124 || $rc -eq 137 ]]; then
		tail -n 30 "$console" >&2
		die "KUnit guest timed out after ${TIMEOUT}s and was killed"
	fi
	[[ $rc -eq 0 ]] || die "qemu exited with status $rc"
}

# Show the results and count the test points: one per KUnit case, plus
# one for the guest's kernel log and one for each step that went wrong.
# Return non-zero on any failure.
report() {
	local console=$RUN/console.log ktap=$RUN/ktap.log parsed=$RUN/parsed.log
	local pass=0 fail=0 line
	# The module's KTAP starts after our marker; the boot-time `1..0` block
	# (no built-in suites) would otherwise confuse the parser.
	sed -n '/vnic-kunit: insmod vnic_test.ko/,/vnic-kunit: done/p' "$console" >"$ktap"
	if ! python3 "$SRC/tools/testing/kunit/kunit.py" parse "$ktap" | tee "$parsed"; then
		warn "kunit.py reports a failure (KTAP: $ktap)"
		fail=1
	fi
	line=$(grep -o 'Ran [0-9]* tests:.*' "$parsed" | tail -n1 || true)
	if [[ -n $line ]]; then
		pass=$(sed -n 's/.*passed: \([0-9]*\).*/\1/p' <<<"$line")
		local n f=0
		for n in failed crashed errors; do
			f=$((f + $(sed -n "s/.*$n: \([0-9]*\).*/\1/p" <<<"$line" | grep . || echo 0)))
		done
		pass=${pass:-0}
		# kunit.py's own failure already counted above when f is 0.
		[[ $f -gt 0 ]] && fail=$f
	fi
	if grep -q 'vnic-kunit: .* failed' "$console"; then
		grep 'vnic-kunit: .* failed' "$console" >&2
		fail=$((fail + 1))
	fi
	if ! grep -q 'vnic-kunit: done' "$console"; then
		warn "the guest did not reach the end of its script"
		fail=$((fail + 1))
	fi
	if vnic_check_bad_dmesg "$console" >"$RUN/bad.log"; then
		warn "kernel log of the KUnit guest shows a problem:"
		cat "$RUN/bad.log" >&2
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
	log "console log: $console"
	echo "kunit: $pass passed, $fail failed (KUnit cases + clean kernel log)"
	if [[ -n ${VNIC_COUNTS:-} ]]; then
		echo "$pass $fail" >"$VNIC_COUNTS"
	fi
	[[ $fail -eq 0 ]]
}

# One run at a time per kernel configuration: runs share the kernel build.
vnic_lock "$VNIC_CACHE/kunit/$KVER-$key.lock"
vnic_build_kernel KUnit "$KOUT" "$FRAGMENT"
[[ $build_only -eq 1 ]] && exit 0
build_modules
mkdir -p "$RUN"
make_initramfs
boot
report || exit 1
