# shellcheck shell=bash disable=SC2034 # variables here are used by the scripts that source this file
#
# common.sh - helpers shared by the host-side scripts (deps.sh, vm.sh,
# kunit.sh, e2e.sh, demo.sh, check.sh) and by the scripts the guest runs.
# Source it; it runs nothing but installs an ERR trap (vnic_on_error) so
# that a script stopped by `set -e` says where and why.
#
# It answers three questions the same way for every script:
#   - where the repository is          (VNIC_ROOT)
#   - where build caches live          (VNIC_CACHE, outside the repository)
#   - which Debian 6.12 kernel we pin  (vnic_kver)
#   - which kernel a build and a guest are for (vnic_target_kver:
#     VNIC_KSERIES, 6.12 or 6.1)

VNIC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VNIC_CACHE=${VNIC_CACHE:-$HOME/.cache/vnic}
# Per-checkout build and run directories in the cache are keyed by this, so
# two clones on one machine do not overwrite each other's builds. Only
# [A-Za-z0-9._-] of the directory's name are kept: Kbuild cannot build in a
# directory whose path has a space.
VNIC_TREE_ID=$(basename "$VNIC_ROOT" | tr -c 'A-Za-z0-9._\n-' _)-$(printf '%s' "$VNIC_ROOT" | sha256sum | cut -c1-8)

# The meta-packages that choose the kernel. deps.sh installs them; the exact
# version they depend on is the one version everything else uses.
VNIC_IMAGE_META=linux-image-6.12-amd64
VNIC_HEADERS_META=linux-headers-6.12-amd64
VNIC_SOURCE_PKG=linux-source-6.12
# Debian 12's default kernel, 6.1, pinned the same way (image and headers
# only: the source, KUnit, checkpatch and the selftests stay 6.12's).
VNIC_IMAGE_META_61=linux-image-amd64
VNIC_HEADERS_META_61=linux-headers-amd64

# The kernel series builds and guests are for: 6.12 (the pinned kernel,
# the default) or 6.1. build.sh and e2e.sh take --kernel 6.1; make takes
# KERNEL=6.1. Exported, so vm.sh (called by e2e.sh) boots the same one.
VNIC_KSERIES=${VNIC_KSERIES:-6.12}
export VNIC_KSERIES

# Patterns in a guest's kernel log that fail a run. Used by vm.sh and
# kunit.sh. Extended regular expression, matched case-sensitively. The debug
# kernel's checkers (kmemleak, DMA-API debug) also print harmless lines at
# boot, so a line matching VNIC_DMESG_OK is let through. kmemleak's "N new
# suspected memory leaks" after a scan is one of them: the harness reads
# the suspects itself and judges them (scripts/kmemleak-scan.sh).
VNIC_DMESG_BAD='WARNING:|BUG:|BUG kmalloc|Oops|general protection fault|Kernel panic|kernel BUG|possible circular locking|inconsistent lock state|possible recursive locking|possible irq lock inversion|suspicious RCU usage|lock held when returning|bad unlock balance|held lock freed|circular locking dependency|KASAN:|UBSAN:|rcu_sched self-detected stall|rcu: INFO: .* stall|RCU stall|blocked for more than [0-9]+ seconds|hung_task|soft lockup|hard LOCKUP|kmemleak|refcount_t:|list_add corruption|list_del corruption|scheduling while atomic|sleeping function called from invalid context|Call Trace:|DMA-API:|ODEBUG:|stalled pool shutdown|waiting for .* to become free'
VNIC_DMESG_OK='kmemleak: (Kernel memory leak detector initialized|Automatic memory scanning thread|[0-9]+ new suspected memory leaks)|DMA-API: (preallocated [0-9]+ debug entries|debugging enabled by kernel config|dma_debug_entry pool grown)'

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# vnic_on_error STATUS LINE COMMAND: the ERR trap. When `set -e` is about to
# stop the script (not in a subshell or command substitution, whose caller
# reports it, nor where errexit is off), say which script, line and command
# failed, with the functions it was called from. A user must never see
# only make's "Error 1". A subshell that reports its own errors (a step run
# in the background, as fresh.sh does) sets VNIC_ERR_SUBSHELL=$BASH_SUBSHELL.
vnic_on_error() {
	local rc=$1 line=$2 cmd=$3 i where=
	[[ $- == *e* && $BASH_SUBSHELL -le ${VNIC_ERR_SUBSHELL:-0} ]] || return 0
	for ((i = 1; i < ${#FUNCNAME[@]} - 1; i++)); do
		where+=" in ${FUNCNAME[i]}(), called from ${BASH_SOURCE[i + 1]:-$0} line ${BASH_LINENO[i]}"
	done
	# After a function's `return N`, BASH_COMMAND is still that return.
	[[ $cmd != return* ]] || cmd="a function call (it ended with $cmd)"
	printf "error: %s line %s: '%s' failed with status %s%s\n" \
		"${BASH_SOURCE[1]:-$0}" "$line" "$cmd" "$rc" "$where" >&2
}
set -E
trap 'vnic_on_error $? $LINENO "$BASH_COMMAND"' ERR

# vnic_kver: print the pinned kernel release, e.g. 6.12.117+deb12-amd64.
# It is whatever linux-image-6.12-amd64 (installed) depends on.
vnic_kver() {
	local dep
	dep=$(dpkg-query -W -f='${Depends}' "$VNIC_IMAGE_META" 2>/dev/null) ||
		die "$VNIC_IMAGE_META is not installed; run scripts/deps.sh (make deps)"
	dep=$({ grep -oE 'linux-image-[^ ,]+' <<<"$dep" || true; } | head -n1)
	[[ -n $dep ]] || die "cannot read the kernel version from $VNIC_IMAGE_META"
	echo "${dep#linux-image-}"
}

# vnic_kver_of META: the kernel release the installed meta-package META
# depends on, or nothing if META is not installed.
vnic_kver_of() {
	local dep
	dep=$(dpkg-query -W -f='${Depends}' "$1" 2>/dev/null) || return 0
	{ grep -oE 'linux-image-[0-9][^ ,]*' <<<"$dep" || true; } | head -n1 | sed 's/^linux-image-//'
}

# vnic_target_kver: the release of VNIC_KSERIES's pinned kernel, e.g.
# 6.12.117+deb12-amd64 or 6.1.0-57-amd64.
vnic_target_kver() {
	local k
	case $VNIC_KSERIES in
	6.12) vnic_kver ;;
	6.1)
		k=$(vnic_kver_of "$VNIC_IMAGE_META_61")
		[[ -n $k ]] || die "$VNIC_IMAGE_META_61 (the 6.1 kernel) is not installed; run scripts/deps.sh (make deps)"
		echo "$k"
		;;
	*) die "unknown kernel series '$VNIC_KSERIES' (VNIC_KSERIES, --kernel): 6.12 or 6.1" ;;
	esac
}

# vnic_headers_dir KVER: the Kbuild directory of the pinned headers.
vnic_headers_dir() {
	echo "/usr/src/linux-headers-$1"
}

# vnic_kernel_source KVER: print the directory of the pinned kernel source,
# extracting /usr/src/linux-source-6.12.tar.xz into the cache the first time.
# It provides checkpatch.pl, kunit.py and the KUnit kernel's sources.
vnic_kernel_source() {
	local src=$VNIC_CACHE/src/linux-source-$1
	local tarball=/usr/src/$VNIC_SOURCE_PKG.tar.xz
	if [[ ! -f $src/.vnic-extracted ]]; then
		[[ -r $tarball ]] || die "$tarball is missing; run scripts/deps.sh"
		log "extracting $tarball into $src"
		rm -rf "$src" "$src.tmp"
		mkdir -p "$src.tmp"
		tar -xf "$tarball" -C "$src.tmp"
		mv "$src.tmp/$VNIC_SOURCE_PKG" "$src"
		rmdir "$src.tmp"
		touch "$src/.vnic-extracted"
	fi
	echo "$src"
}

# vnic_sync_sources DEST: copy the module's sources (not scripts, not build
# output) to DEST, so it can be built there for a given kernel without
# touching the tree or mixing objects built for different kernels.
vnic_sync_sources() {
	mkdir -p "$1"
	rsync -a --delete --prune-empty-dirs \
		--exclude=/.git/ --exclude=/scripts/ --exclude=/.ci/ \
		--include='*/' --include='*.[chS]' --include='Kbuild' \
		--include='Makefile' --exclude='*' \
		"$VNIC_ROOT/" "$1/"
}

# vnic_lock FILE: hold an exclusive lock on FILE until the calling script
# exits, waiting (and saying so) while another run holds it. Two runs must
# not share a build or run directory.
vnic_lock() {
	local fd
	mkdir -p "$(dirname "$1")"
	exec {fd}>"$1"
	if ! flock -n "$fd"; then
		log "waiting for another run to release $1"
		flock "$fd"
	fi
}

# vnic_results_dir KIND [TAG]: makes a new $VNIC_CACHE/KIND/<date-time>[-TAG]
# with a copy of vnic.ko built by build.sh in it (the guest loads that copy,
# so a rebuild meanwhile cannot change it) and prints its path.
vnic_results_dir() {
	local res ko
	res=$VNIC_CACHE/$1/$(date +%Y%m%d-%H%M%S)${2:+-$2}
	mkdir -p "$res"
	ko=$("$VNIC_ROOT/scripts/build.sh" | tail -n1)
	cp "$ko" "$res/vnic.ko"
	echo "$res"
}

# vnic_qemu SECS CONSOLE KERNEL INITRD APPEND [QEMU_ARG...]: the one QEMU
# command line of the harness (vm.sh's guests and kunit.sh's): TCG,
# VNIC_VM_SMP vCPUs (2) and VNIC_VM_MEM MiB (2048), no devices but a serial
# console into the file CONSOLE, no network card (-net none), no reboot,
# killed after SECS seconds. Extra arguments (9p shares) go on the end.
# Returns QEMU's status, or 124 (137) when timeout stopped (killed) it.
vnic_qemu() {
	local secs=$1 console=$2 kernel=$3 initrd=$4 append=$5
	shift 5
	timeout -k 10 "$secs" qemu-system-x86_64 \
		-accel tcg -smp "${VNIC_VM_SMP:-2}" -m "${VNIC_VM_MEM:-2048}" \
		${VNIC_VM_MACHINE:+-machine "$VNIC_VM_MACHINE"} ${VNIC_VM_CPU:+-cpu "$VNIC_VM_CPU"} \
		-nodefaults -display none -no-reboot -net none \
		-serial "file:$console" \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 $append" \
		"$@" </dev/null
}

# vnic_check_bad_dmesg FILE: print the lines of FILE that match
# VNIC_DMESG_BAD (and not VNIC_DMESG_OK), with a few lines of context.
# Returns 0 if any matched.
#
# Allocation-failure tests (scripts/tests/debug/) make the kernel fail
# allocations on purpose; a failed vmalloc or page allocation then prints a
# warning with a stack dump. Between the kernel log lines
# "vnic-fault-injection: start" and "vnic-fault-injection: stop" (the test
# writes them to /dev/kmsg), the "Call Trace:" of such a warning is
# expected and not a failure. Every other pattern still fails.
vnic_check_bad_dmesg() {
	awk -v bad="$VNIC_DMESG_BAD" -v ok="$VNIC_DMESG_OK" '
		{ line[NR] = $0 }
		/vnic-fault-injection: start/ { inj = 1 }
		/vnic-fault-injection: stop/ { inj = 0 }
		inj && /page allocation failure: order:|vmalloc error: size/ { alloc_warn = NR }
		$0 ~ bad && $0 !~ ok {
			if (inj && alloc_warn && NR - alloc_warn <= 8 && /Call Trace:/)
				next
			hit[NR] = 1
			found = 1
		}
		END {
			last = 0
			for (n = 1; n <= NR; n++) {
				if (!(n in hit))
					continue
				if (last && n > last + 1)
					print "--"
				for (i = n; i <= n + 3 && i <= NR; i++) {
					if (i <= last)
						continue
					print i ((i in hit) ? ":" : "-") line[i]
					last = i
				}
			}
			exit !found
		}' "$1"
}

# vnic_guest_begin: in the guest, at the start of a runner (e2e-guest.sh,
# selftests-guest.sh): an empty $VNIC_OUT/results and tests/ directory, and
# in $VNIC_OUT/kernel (shown here too) which kernel runs, booted how; the
# host-side script shows it again (vnic_guest_summary).
vnic_guest_begin() {
	# shellcheck disable=SC2153 # VNIC_OUT comes from vm-guest.sh
	mkdir -p "$VNIC_OUT/tests"
	: >"$VNIC_OUT/results"
	{
		echo "kernel: $(uname -r)"
		echo "command line: $(cat /proc/cmdline)"
		dmesg | grep -iE 'swiotlb|software IO TLB' || true
	} >"$VNIC_OUT/kernel"
	sed 's/^/# /' "$VNIC_OUT/kernel"
}

# vnic_swiotlb_watch: in the guest booted with swiotlb=force, where
# debugfs has no high-water mark of used slots (Debian's 6.1 has none),
# count the bounced mappings from now on instead: a trace instance
# with the swiotlb:swiotlb_bounced tracepoint, which every bounce fires.
vnic_swiotlb_watch() {
	local t=/sys/kernel/tracing i=/sys/kernel/tracing/instances/vnic-swiotlb
	[[ -e /sys/kernel/debug/swiotlb/io_tlb_used_hiwater ]] && return 0
	[[ -d $t/instances ]] || mount -t tracefs nodev "$t"
	[[ -d $i ]] || mkdir "$i"
	echo 4 >"$i/buffer_size_kb"
	echo 1 >"$i/events/swiotlb/swiotlb_bounced/enable"
}

# vnic_swiotlb_hiwater: in the guest booted with swiotlb=force, print what
# shows that DMA went through the bounce buffers: swiotlb's high-water mark
# of used slots, or where there is none, the count vnic_swiotlb_watch kept
# ("missing" if neither); true if it is above 0.
vnic_swiotlb_hiwater() {
	local hiwater i=/sys/kernel/tracing/instances/vnic-swiotlb
	if [[ -e /sys/kernel/debug/swiotlb/io_tlb_used_hiwater ]]; then
		hiwater=$(cat /sys/kernel/debug/swiotlb/io_tlb_used_hiwater)
		echo "high water $hiwater slots"
	elif [[ -d $i ]]; then
		# "# entries-in-buffer/entries-written: 85/52301": all ever written.
		hiwater=$(sed -n 's|^# entries-in-buffer/entries-written: [0-9]*/\([0-9]*\).*|\1|p' "$i/trace")
		echo 0 >"$i/events/swiotlb/swiotlb_bounced/enable"
		echo "$hiwater bounced mappings, counted by swiotlb_bounced"
	else
		echo "missing: no io_tlb_used_hiwater, and vnic_swiotlb_watch did not run"
	fi
	[[ $hiwater =~ ^[0-9]+$ && $hiwater -gt 0 ]]
}

# vnic_guest_args [--swiotlb] [--debug|--faultinj] [--kernel SERIES] [TEST...]:
# the arguments of a host-side stage (e2e.sh, selftests.sh): set swiotlb
# and debug to 0 or 1 and tests to the TESTs; --faultinj is --debug with
# VNIC_DEBUG_KIND=faultinj (the fault-injection kernel); --kernel 6.1 sets
# VNIC_KSERIES (the guest boots Debian's 6.1 and vnic.ko is built for it).
vnic_guest_args() {
	swiotlb=0
	debug=0
	tests=()
	while [[ $# -gt 0 ]]; do
		case $1 in
		--swiotlb) swiotlb=1 ;;
		--debug) debug=1 ;;
		--faultinj)
			debug=1
			export VNIC_DEBUG_KIND=faultinj
			;;
		--kernel)
			[[ $# -ge 2 ]] || die "--kernel needs a series: 6.12 or 6.1"
			VNIC_KSERIES=$2
			shift
			;;
		--kernel=*) VNIC_KSERIES=${1#--kernel=} ;;
		-*) die "usage: $0 [--swiotlb] [--debug|--faultinj] [--kernel 6.12|6.1] [TEST...]" ;;
		*) tests+=("$1") ;;
		esac
		shift
	done
	vnic_target_kver >/dev/null
	if [[ $debug -eq 1 && $VNIC_KSERIES != 6.12 ]]; then
		die "--debug boots the debug kernel, a 6.12; it does not go with --kernel $VNIC_KSERIES"
	fi
}

# vnic_guest_prepare STAGE SWIOTLB DEBUG: on the host, before vm.sh runs a
# guest runner: set out to the run's directory, one per flavour
# ($VNIC_CACHE/vm/STAGE[-debug|-faultinj][-swiotlb]-last-TREE, so that make check's
# stages all leave their results behind) and hold its lock; with SWIOTLB 1
# add swiotlb=force to VNIC_APPEND; set ko to the run's own copy of vnic.ko
# (another run may rebuild meanwhile), built for the Debian kernel or, with
# DEBUG 1, for the $VNIC_DEBUG_KIND kernel (then VNIC_KERNEL and
# VNIC_MODDIR are set).
vnic_guest_prepare() {
	local flavour=$1 swiotlb=$2 debug=$3 kout=
	local -a build
	[[ $debug -eq 1 ]] && flavour+=-$VNIC_DEBUG_KIND
	[[ $swiotlb -eq 1 ]] && flavour+=-swiotlb
	[[ $VNIC_KSERIES == 6.12 ]] || flavour+=-$VNIC_KSERIES
	out=$VNIC_CACHE/vm/$flavour-last-$VNIC_TREE_ID
	vnic_lock "$out.lock"
	if [[ $swiotlb -eq 1 ]]; then
		export VNIC_APPEND="${VNIC_APPEND:+$VNIC_APPEND }swiotlb=force"
	fi
	build=("$VNIC_ROOT/scripts/build.sh" --out "$out.ko")
	if [[ $debug -eq 1 ]]; then
		build+=(--debug)
		kout=$(vnic_debug_kernel_dir "$(vnic_kver)")
		export VNIC_KERNEL=$kout/arch/x86/boot/bzImage
	fi
	ko=$("${build[@]}" | tail -n1)
	if [[ $debug -eq 1 ]]; then
		# The debug kernel is built by now (build.sh --debug).
		VNIC_MODDIR=$(dirname "$kout")/modules/lib/modules/$(<"$kout/include/config/kernel.release")
		export VNIC_MODDIR
	fi
}

# vnic_guest_summary STAGE OUT RC [WIDTH [WHERE]]: on the host, after vm.sh
# (status RC) ran a guest runner with the output directory OUT: show the
# guest's kernel, the results per test ("NAME PASSED FAILED [SECONDS
# [SKIPPED]]" a line, the name WIDTH wide; WHERE says where the TAP is), and count one
# more point for a clean kernel log. Prints "STAGE: N passed, N failed",
# writes "PASSED FAILED" to $VNIC_COUNTS if that is set, and returns
# non-zero if anything failed.
vnic_guest_summary() {
	local stage=$1 out=$2 rc=$3 width=${4:-24} where=${5:-}
	local pass=0 fail=0 name p f secs skip note
	if [[ -s $out/share/kernel ]]; then
		echo "$stage guest:"
		sed 's/^/  /' "$out/share/kernel"
	fi
	if [[ -f $out/share/results ]]; then
		echo "$stage results per test${where:+ ($where)}:"
		while read -r name p f secs skip; do
			note=
			[[ ${skip:-0} -eq 0 ]] || note=", $skip skipped (this kernel lacks what they need)"
			printf '  %-*s %3d passed, %3d failed%s%s\n' "$width" "$name" "$p" "$f" \
				"$note" "${secs:+  ($secs s)}"
			pass=$((pass + p))
			fail=$((fail + f))
		done <"$out/share/results"
	else
		warn "$stage: the guest did not finish the tests (vm.sh status $rc)"
		fail=$((fail + 1))
	fi
	if [[ -s $out/share/dmesg ]] && ! vnic_check_bad_dmesg "$out/share/dmesg" >/dev/null; then
		pass=$((pass + 1))
	else
		echo "not ok - guest kernel log is clean (see $out/share/dmesg or $out/console.log)"
		fail=$((fail + 1))
	fi
	if [[ $rc -ne 0 && $fail -eq 0 ]]; then
		echo "not ok - vm.sh exited with status $rc"
		fail=1
	fi

	echo "$stage: $pass passed, $fail failed (TAP test points + clean kernel log)"
	if [[ -n ${VNIC_COUNTS:-} ]]; then
		echo "$pass $fail" >"$VNIC_COUNTS"
	fi
	[[ $fail -eq 0 ]]
}

# vnic_kernel_key RECIPE FRAGMENT...: the cache key of a kernel built from
# tinyconfig plus FRAGMENTs: a hash of the recipe and the fragments.
vnic_kernel_key() {
	local recipe=$1
	shift
	{ echo "recipe $recipe"; cat "$@"; } | sha256sum | cut -c1-12
}

# The debug kernel comes in two kinds, VNIC_DEBUG_KIND: "debug" (the
# default), tinyconfig + kunit/kunit.config + kunit/debug.config, with
# every checker (KASAN, lockdep, DMA-API debugging, kmemleak, ...); and
# "faultinj", the same plus kunit/faultinj.config, which turns the costly
# checkers off again and keeps the fault injection, for
# hw/pp_alloc_fail.py (scripts/selftests.sh --faultinj).
VNIC_DEBUG_KIND=${VNIC_DEBUG_KIND:-debug}

# vnic_debug_fragments: set the array debug_frags to the config fragments
# of the $VNIC_DEBUG_KIND kernel, in merge order.
vnic_debug_fragments() {
	debug_frags=("$VNIC_ROOT/kunit/kunit.config" "$VNIC_ROOT/kunit/debug.config")
	case $VNIC_DEBUG_KIND in
	debug) ;;
	faultinj) debug_frags+=("$VNIC_ROOT/kunit/faultinj.config") ;;
	*) die "VNIC_DEBUG_KIND=$VNIC_DEBUG_KIND: not a kind of debug kernel; use debug or faultinj" ;;
	esac
}

# vnic_debug_kernel_dir KVER: the build directory (O=) of the
# $VNIC_DEBUG_KIND kernel that scripts/debug-kernel.sh builds,
# $VNIC_CACHE/KIND/KVER-KEY/kernel. Its modules are installed next to it,
# under modules/.
vnic_debug_kernel_dir() {
	local key
	local -a debug_frags
	vnic_debug_fragments
	key=$(vnic_kernel_key "debug 1" "${debug_frags[@]}")
	echo "$VNIC_CACHE/$VNIC_DEBUG_KIND/$1-$key/kernel"
}

# vnic_check_config KOUT FRAGMENT...: every CONFIG_ line of the fragments
# (the last fragment that names a symbol wins) must be in KOUT/.config;
# merge_config only warns, and a silently dropped option would make a test
# meaningless. Prints what is missing; returns non-zero if anything is.
vnic_check_config() {
	local kout=$1 f name line sym have missing=0
	local -A want=() from=()
	shift
	for f in "$@"; do
		name=${f##*/}
		while IFS= read -r line; do
			if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
				sym=${BASH_REMATCH[1]}
			elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
				sym=${BASH_REMATCH[1]}
			else
				continue
			fi
			want[$sym]=$line
			from[$sym]=$name
		done <"$f"
	done
	for sym in "${!want[@]}"; do
		have=$(grep -E "^($sym=|# $sym is not set)" "$kout/.config" || true)
		if [[ -z $have && ${want[$sym]} == "# "* ]]; then
			continue
		fi
		if [[ $have != "${want[$sym]}" ]]; then
			warn "${from[$sym]} asks for '${want[$sym]}' but the kernel has '${have:-nothing}'"
			missing=1
		fi
	done
	return $missing
}

# vnic_build_kernel WHAT KOUT FRAGMENT...: build (once) a kernel from the
# pinned source in build directory KOUT: `make tinyconfig`, the fragments
# merged in order, olddefconfig, a check that every fragment line stuck,
# then bzImage and modules. KOUT/.vnic-built marks a finished build; the
# caller holds a lock and picks KOUT by vnic_kernel_key.
vnic_build_kernel() {
	local what=$1 kout=$2 src t0=$SECONDS f
	local -a frags=()
	shift 2
	if [[ -f $kout/.vnic-built ]]; then
		log "$what kernel is cached: $kout"
		return
	fi
	src=$(vnic_kernel_source "$(vnic_kver)")
	log "building the $what kernel in $kout; this takes a few minutes"
	rm -rf "$kout"
	mkdir -p "$kout"
	make -s -C "$src" O="$kout" tinyconfig >/dev/null
	# merge_config.sh splits its arguments on spaces: a clone at a path
	# with a space would break it. It merges copies in the cache instead.
	mkdir -p "$kout/fragments"
	for f in "$@"; do
		cp "$f" "$kout/fragments/${f##*/}"
		frags+=("$kout/fragments/${f##*/}")
	done
	"$src/scripts/kconfig/merge_config.sh" -m -O "$kout" "$kout/.config" "${frags[@]}" \
		>"$kout/merge_config.log"
	make -s -C "$src" O="$kout" olddefconfig >/dev/null
	vnic_check_config "$kout" "${frags[@]}" ||
		die "the $what kernel's config fragments are not fully applied (see above)"
	if ! make -C "$src" O="$kout" -j"${VNIC_JOBS:-$(nproc)}" bzImage modules \
		>"$kout/build.log" 2>&1; then
		tail -n 40 "$kout/build.log" >&2
		die "$what kernel build failed; full log: $kout/build.log"
	fi
	echo "$((SECONDS - t0))" >"$kout/build-seconds"
	touch "$kout/.vnic-built"
	log "$what kernel built in $((SECONDS - t0)) s"
}
