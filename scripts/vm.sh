#!/bin/bash
#
# vm.sh - run one script as root inside a QEMU guest of the pinned Debian
# kernel. This is the one way anything of vnic runs: the host never loads
# the module.
#
# Usage: scripts/vm.sh GUEST_SCRIPT [ARGS...]
#
# The guest boots /boot/vmlinuz-$KVER under TCG (-smp 2, -net none), KVER
# being the pinned 6.12 or, with VNIC_KSERIES=6.1, the pinned 6.1, with a
# tiny busybox initramfs that loads the 9p modules, mounts the host's / read
# only and switch_roots to scripts/vm-guest.sh. So the guest sees the host's
# files (the repository, the built vnic.ko, ip, ethtool, iperf3, ...) at the
# same paths. A second, writable 9p share is mounted at /tmp/out in the guest
# (VNIC_OUT); it brings back the exit status and the guest's dmesg.
#
# GUEST_SCRIPT must not be under /proc, /sys or /dev, which the guest mounts
# over. The guest mounts its own tmpfs on /tmp and /run too, but binds the
# host's repository, script and module back at their paths (vm-guest.sh),
# so a clone under /tmp or /run works, and so does a path with spaces.
#
# Exit status: the script's, or 1 if the guest's kernel log shows a splat
# (WARNING, BUG, Oops, lockdep, KASAN, UBSAN, RCU stall, hung task, ...),
# or 124 if the guest timed out and was killed, or 125 if the guest died
# before the script finished. Every variable named VNIC_* in the
# environment is passed on to the script.
#
# Env knobs (see DEVELOPERS.md):
#   VNIC_KSERIES      6.12 (default) or 6.1: which pinned Debian kernel
#   VNIC_KERNEL       kernel image to boot (default /boot/vmlinuz-$KVER)
#   VNIC_MODDIR       that kernel's modules directory, lib/modules/RELEASE
#                     (default /lib/modules/$KVER); 9p modules come from
#                     there unless modules.builtin lists them, and the guest
#                     sees its parent as /lib/modules
#   VNIC_APPEND       extra kernel command line, e.g. "swiotlb=force"
#   VNIC_VM_TIMEOUT   seconds before a guest is killed (default 600)
#   VNIC_VM_MEM       guest memory in MiB (default 2048)
#   VNIC_VM_CPU       QEMU's -cpu model (default: QEMU's own, qemu64), e.g. max
#   VNIC_VM_MACHINE   QEMU's -machine (default: QEMU's own, pc), e.g. q35
#   VNIC_VM_SMP       guest vCPUs (default 2; more than the host has cores
#                     makes vCPUs stall at random points: races show up)
#   VNIC_VM_QUIET     1: do not stream the console while the guest runs
#   VNIC_VM_RUNS      keep this many run directories (default 20)
#   VNIC_VM_OUT       use this run directory instead of a new one under
#                     $VNIC_CACHE/vm (it is emptied first)

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

[[ $# -ge 1 ]] || die "usage: $0 GUEST_SCRIPT [ARGS...]"

script=$(realpath -e "$1") || die "no such script: $1"
shift
case $script in
/proc/* | /sys/* | /dev/*)
	die "$script is under a directory the guest mounts over; move it" ;;
esac

KVER=$(vnic_target_kver)
KERNEL=${VNIC_KERNEL:-/boot/vmlinuz-$KVER}
MODDIR=${VNIC_MODDIR:-/lib/modules/$KVER}
TIMEOUT=${VNIC_VM_TIMEOUT:-600}
[[ -r $KERNEL ]] || die "cannot read kernel image $KERNEL"
[[ -d $MODDIR ]] || die "no modules directory $MODDIR (VNIC_MODDIR)"

# One directory per run (unless VNIC_VM_OUT names one); keep the newest few.
RUNS=$VNIC_CACHE/vm
mkdir -p "$RUNS"
if [[ -n ${VNIC_VM_OUT:-} ]]; then
	OUT=$VNIC_VM_OUT
	rm -rf "$OUT"
	mkdir -p "$OUT"
else
	OUT=$(mktemp -d "$RUNS/$(date +%Y%m%d-%H%M%S)-XXXX")
fi
# shellcheck disable=SC2012 # names are ours, no odd characters
ls -1dt "$RUNS"/*/ | tail -n +"$((${VNIC_VM_RUNS:-20} + 1))" | xargs -r rm -rf
SHARE=$OUT/share
CONSOLE=$OUT/console.log
mkdir -p "$SHARE"

# The modules the guest needs for its root, 9p over virtio PCI, with what
# they depend on (modules.dep), each after its dependencies; none that the
# kernel has built in (modules.builtin). 6.12 has virtio PCI built in and
# needs netfs, 9pnet, 9pnet_virtio and 9p; 6.1 also needs fscache and the
# virtio modules; the debug kernel has all of it built in.
declare -A mod_path=() mod_deps=() mod_builtin=() mod_seen=()
mod_order=()
read_modules_dep() {
	local line m
	if [[ -f $MODDIR/modules.dep ]]; then
		while IFS= read -r line; do
			m=${line%%:*}
			m=$(basename "$m")
			m=${m%%.ko*}
			mod_path[$m]=${line%%:*}
			mod_deps[$m]=${line#*:}
		done <"$MODDIR/modules.dep"
	fi
	if [[ -f $MODDIR/modules.builtin ]]; then
		while IFS= read -r line; do
			m=$(basename "$line")
			mod_builtin[${m%%.ko*}]=1
		done <"$MODDIR/modules.builtin"
	fi
}
add_module() {
	local m=$1 d
	[[ -z ${mod_seen[$m]:-} && -z ${mod_builtin[$m]:-} ]] || return 0
	mod_seen[$m]=1
	[[ -n ${mod_path[$m]:-} ]] || die "missing module $m in $MODDIR (and not built in)"
	for d in ${mod_deps[$m]}; do
		d=$(basename "$d")
		add_module "${d%%.ko*}"
	done
	mod_order+=("$m")
}

# Stage 1: initramfs with busybox and those modules.
make_initramfs() {
	local root=$OUT/initramfs m f
	mkdir -p "$root"/{bin,dev,proc,sys,newroot,modules}
	cp /bin/busybox "$root/bin/busybox"
	read_modules_dep
	for m in virtio_pci 9pnet_virtio 9p; do
		add_module "$m"
	done
	for m in "${mod_order[@]}"; do
		f=$MODDIR/${mod_path[$m]}
		case $f in
		*.xz) xz -dc "$f" ;;
		*.zst) zstd -qdc "$f" ;;
		*.gz) gzip -dc "$f" ;;
		*) cat "$f" ;;
		esac >"$root/modules/$m.ko"
	done
	: >"$root/modules/order"
	[[ ${#mod_order[@]} -eq 0 ]] || printf '%s\n' "${mod_order[@]}" >"$root/modules/order"
	cat >"$root/init" <<'EOF'
#!/bin/busybox sh
# Stage 1 of the vnic guest: mount the host's root over 9p and switch to it.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t devtmpfs devtmpfs /dev
while read -r m; do
	[ -n "$m" ] || continue
	insmod /modules/$m.ko || echo "vnic-init: insmod $m.ko failed"
done </modules/order
# The path of vm-guest.sh, written by vm.sh: not on the kernel command
# line, where a space in the path would split it.
read -r guest </vnic-guest
# cache=loose: the guest keeps what it read of the host's files. Each test
# starts bash, ip, python3 ... anew; without it every exec reads them over
# 9p again (the debug kernel took 80 s instead of 30 s to reach the script).
if ! mount -t 9p -o ro,trans=virtio,version=9p2000.L,access=any,msize=524288,cache=loose \
	hostroot /newroot; then
	echo "vnic-init: cannot mount the host root over 9p"
	reboot -f
fi
umount /proc
umount /dev
exec switch_root /newroot /bin/bash "$guest"
EOF
	chmod +x "$root/init"
	printf '%s\n' "$VNIC_ROOT/scripts/vm-guest.sh" >"$root/vnic-guest"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$OUT/initramfs.cpio.gz"
	rm -rf "$root"
}

# The command and the VNIC_* environment, as a file the guest sources.
write_cmd() {
	local v
	{
		printf 'VNIC_CMD=('
		printf '%q ' "$script" "$@"
		printf ')\n'
		printf 'export VNIC_ROOT=%q VNIC_OUT=/tmp/out VNIC_KVER=%q VNIC_MODDIR=%q\n' \
			"$VNIC_ROOT" "$KVER" "$MODDIR"
		while IFS= read -r v; do
			case $v in VNIC_ROOT | VNIC_OUT | VNIC_KVER | VNIC_MODDIR | VNIC_CMD) continue ;; esac
			printf 'export %s=%q\n' "$v" "${!v}"
		done < <(compgen -e | grep '^VNIC_' || true)
	} >"$SHARE/cmd"
}

make_initramfs
write_cmd "$@"

# boot_once: one boot of the guest; qemu's exit status in qemu_rc.
boot_once() {
	log "vm: booting $KERNEL to run ${script#"$VNIC_ROOT"/} $* (console: $CONSOLE)"
	: >"$CONSOLE"
	qemu_rc=0
	vnic_qemu "$TIMEOUT" "$CONSOLE" "$KERNEL" "$OUT/initramfs.cpio.gz" \
		"loglevel=5 ${VNIC_APPEND:-}" \
		-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap" \
		-virtfs "local,path=${SHARE//,/,,},mount_tag=vnicout,security_model=none,multidevs=remap" &
	qemu_pid=$!
	if [[ ${VNIC_VM_QUIET:-0} != 1 ]]; then
		# Show the guest from the moment the script starts; boot chatter stays
		# in the console log.
		tail -n +1 -F --pid="$qemu_pid" "$CONSOLE" 2>/dev/null |
			sed -u -n '/^vnic-guest: running/,$p' &
		tail_pid=$!
	fi
	wait "$qemu_pid" || qemu_rc=$?
	if [[ -n ${tail_pid:-} ]]; then
		wait "$tail_pid" || true
	fi
}

# A guest whose kernel died of TCG's int3 hazard (DEVELOPERS.md) while it
# booted, before the script started, has run nothing of vnic's: that boot
# is kept as $CONSOLE.boot1 and the guest boots once more.
boot_once "$@"
if [[ ! -s $SHARE/status ]] && ! grep -q '^vnic-guest: running' "$CONSOLE" &&
	grep -q 'Oops: int3' "$CONSOLE"; then
	mv "$CONSOLE" "$CONSOLE.boot1"
	warn "vm: the guest's kernel died at boot of TCG's int3 hazard before the script started ($CONSOLE.boot1); booting again, once"
	unset tail_pid
	boot_once "$@"
fi

status=
if [[ $qemu_rc -eq 124 || $qemu_rc -eq 137 ]]; then
	tail -n 40 "$CONSOLE" >&2
	warn "vm: the guest did not finish within ${TIMEOUT}s and was killed (VNIC_VM_TIMEOUT)"
	status=124
elif [[ $qemu_rc -ne 0 ]]; then
	warn "vm: qemu failed with status $qemu_rc"
	status=125
elif [[ ! -s $SHARE/status ]]; then
	tail -n 40 "$CONSOLE" >&2
	warn "vm: the guest died before the script finished"
	status=125
else
	status=$(<"$SHARE/status")
fi

# The guest's dmesg if the script finished, the console log otherwise.
log_to_check=$SHARE/dmesg
[[ -s $log_to_check ]] || log_to_check=$CONSOLE
if vnic_check_bad_dmesg "$log_to_check" >"$OUT/bad-dmesg.log"; then
	warn "vm: the guest kernel log shows a problem ($log_to_check):"
	cat "$OUT/bad-dmesg.log" >&2
	[[ $status -ne 0 ]] || status=1
fi

log "vm: script exit status $status; console log: $CONSOLE; guest dmesg: $SHARE/dmesg"
exit "$status"
