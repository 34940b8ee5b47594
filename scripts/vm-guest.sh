#!/bin/bash
#
# vm-guest.sh - PID 1 inside the guest that scripts/vm.sh boots.
#
# The initramfs mounts the host's root read-only over 9p and switch_roots
# here. This script sets up a usable system on top of the read-only root
# (proc, sys, dev, debugfs, tmpfs on /run and /tmp), mounts the writable
# output share at /tmp/out, binds back the host paths under /tmp or /run
# that the run needs (the repository, the script, vnic.ko: a clone may live
# there), runs the requested script as root, saves its
# exit status and the kernel log into the share, and reboots (QEMU runs with
# -no-reboot, so that ends the VM). It must never exit: it is PID 1.

set -euo pipefail

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp TERM=dumb LANG=C.UTF-8

OUT=/tmp/out
# The host's root as it is under the guest's own /run and /tmp (a bind of
# the 9p root alone, without the tmpfs mounted over it).
HOST=/run/vnic/host

finish() {
	sync
	umount "$OUT" 2>/dev/null || true
	# busybox's reboot: the host's /sbin/reboot may be systemd's.
	busybox reboot -f
	sleep 10
}

setup() {
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	# What udev would add: bash's process substitution needs /dev/fd.
	ln -sfn /proc/self/fd /dev/fd
	ln -sfn /proc/self/fd/0 /dev/stdin
	ln -sfn /proc/self/fd/1 /dev/stdout
	ln -sfn /proc/self/fd/2 /dev/stderr
	mkdir -p /dev/pts /dev/shm
	mount -t devpts devpts /dev/pts
	mount -t tmpfs tmpfs /dev/shm
	mount -t debugfs debugfs /sys/kernel/debug
	mount -t tmpfs -o mode=0755 tmpfs /run
	mkdir -p /run/netns "$HOST"
	mount --bind / "$HOST"
	mount -t tmpfs -o mode=1777 tmpfs /tmp
	mkdir -p "$OUT"
	mount -t 9p -o rw,trans=virtio,version=9p2000.L,access=any,msize=524288 vnicout "$OUT"
	hostname vnic-guest
	ip link set lo up
	hold_netstamp
}

# Under QEMU TCG we saw guests die with "Oops: int3" at the static-key site
# of netstamp_needed_key at the top of __netif_receive_skb_core: a vCPU
# receiving traffic ran the int3 that text_poke_bp() uses while flipping
# the key, after the patch was done. Every ping flips that key (it sets
# SO_TIMESTAMP; the key goes back off when the last such socket closes),
# so the tests flip it hundreds of times under traffic. A socket that holds
# SO_TIMESTAMP for the guest's whole life keeps the key on, and ping no
# longer patches kernel code. It changes nothing else: received packets
# get a timestamp, as on any host that runs ping.
hold_netstamp() {
	python3 -c '
import os, socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 29, 1)  # SO_TIMESTAMP (asm-generic)
os.close(1)
while True:
    time.sleep(3600)' </dev/null 2>/dev/null &
}

# keep_host_path PATH: if PATH is under /tmp or /run, where the guest's
# tmpfs hides the host's files, bind the host's PATH back in place. A path
# the guest already has (under an earlier bind) is left alone.
keep_host_path() {
	local p=$1
	case $p in /tmp/?* | /run/?*) ;; *) return 0 ;; esac
	[[ ! -e $p && -d $HOST$p ]] || return 0
	mkdir -p "$p" && mount --bind "$HOST$p" "$p"
}

# The host paths this run reads: the repository, the script, vnic.ko and
# the modules of a kernel of our own.
keep_run_paths() {
	local p
	for p in "$VNIC_ROOT" "$(dirname "${VNIC_CMD[0]}")" \
		${VNIC_KO:+"$(dirname "$VNIC_KO")"} ${VNIC_MODDIR:+"$VNIC_MODDIR"}; do
		keep_host_path "$p" || return 1
	done
}

# A failed mount must end the VM with a message, not kill PID 1.
trap 'echo "vnic-guest: setting up the guest failed at line $LINENO" >/dev/console; finish' ERR
setup
trap - ERR

# The host wrote the command (VNIC_CMD) and the environment to pass on.
rc=0
# shellcheck source=/dev/null
if ! source "$OUT/cmd"; then
	echo "vnic-guest: cannot read $OUT/cmd" >/dev/console
	rc=125
elif ! keep_run_paths; then
	echo "vnic-guest: cannot bind the host's /tmp or /run paths back" >/dev/console
	rc=125
elif ! cd "$VNIC_ROOT"; then
	echo "vnic-guest: cannot enter the repository $VNIC_ROOT" >/dev/console
	rc=125
elif [[ ! -d /lib/modules/$(uname -r) && -d ${VNIC_MODDIR:-} ]] &&
	! mount --bind "$(dirname "$VNIC_MODDIR")" /lib/modules; then
	# A kernel of our own (the debug kernel): its modules are in the cache,
	# and modprobe looks in /lib/modules/$(uname -r).
	echo "vnic-guest: cannot mount $(dirname "$VNIC_MODDIR") on /lib/modules" >/dev/console
	rc=125
else
	# vm.sh streams the console from this line on.
	echo "vnic-guest: running ${VNIC_CMD[*]}" >/dev/console
	if [[ -x ${VNIC_CMD[0]} ]]; then
		"${VNIC_CMD[@]}" </dev/null >/dev/console 2>&1 || rc=$?
	else
		bash "${VNIC_CMD[@]}" </dev/null >/dev/console 2>&1 || rc=$?
	fi
fi

echo "$rc" >"$OUT/status"
dmesg >"$OUT/dmesg" || true
finish
