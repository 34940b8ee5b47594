# shellcheck shell=bash disable=SC2034 # variables here are used by the scripts that source this file
#
# common.sh - helpers shared by the host-side scripts (deps.sh, vm.sh,
# kunit.sh, e2e.sh, demo.sh, check.sh). Source it; it does not run anything.
#
# It answers three questions the same way for every script:
#   - where the repository is          (VNIC_ROOT)
#   - where build caches live          (VNIC_CACHE, outside the repository)
#   - which Debian 6.12 kernel we pin  (vnic_kver)

VNIC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VNIC_CACHE=${VNIC_CACHE:-$HOME/.cache/vnic}
# Per-checkout build and run directories in the cache are keyed by this, so
# two clones on one machine do not overwrite each other's builds.
VNIC_TREE_ID=$(basename "$VNIC_ROOT")-$(printf '%s' "$VNIC_ROOT" | sha256sum | cut -c1-8)

# The meta-packages that choose the kernel. deps.sh installs them; the exact
# version they depend on is the one version everything else uses.
VNIC_IMAGE_META=linux-image-6.12-amd64
VNIC_HEADERS_META=linux-headers-6.12-amd64
VNIC_SOURCE_PKG=linux-source-6.12

# Patterns in a guest's kernel log that fail a run. Used by vm.sh and
# kunit.sh. Extended regular expression, matched case-sensitively.
VNIC_DMESG_BAD='WARNING:|BUG:|BUG kmalloc|Oops|general protection fault|Kernel panic|kernel BUG|possible circular locking|inconsistent lock state|possible recursive locking|possible irq lock inversion|suspicious RCU usage|lock held when returning|bad unlock balance|held lock freed|circular locking dependency|KASAN:|UBSAN:|rcu_sched self-detected stall|rcu: INFO: .* stall|RCU stall|blocked for more than [0-9]+ seconds|hung_task|soft lockup|hard LOCKUP|kmemleak|refcount_t:|list_add corruption|list_del corruption|scheduling while atomic|sleeping function called from invalid context|Call Trace:'

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# vnic_kver: print the pinned kernel release, e.g. 6.12.117+deb12-amd64.
# It is whatever linux-image-6.12-amd64 (installed) depends on.
vnic_kver() {
	local dep
	dep=$(dpkg-query -W -f='${Depends}' "$VNIC_IMAGE_META" 2>/dev/null) ||
		die "$VNIC_IMAGE_META is not installed; run scripts/deps.sh (make deps)"
	dep=$(grep -oE 'linux-image-[^ ,]+' <<<"$dep" | head -n1)
	[[ -n $dep ]] || die "cannot read the kernel version from $VNIC_IMAGE_META"
	echo "${dep#linux-image-}"
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

# vnic_check_bad_dmesg FILE: print the lines of FILE that match
# VNIC_DMESG_BAD, with a few lines of context. Returns 0 if any matched.
vnic_check_bad_dmesg() {
	grep -nE -A3 "$VNIC_DMESG_BAD" "$1"
}
