#!/bin/bash
#
# fresh.sh - `make check-fresh`: the README's first contact, in a clean room.
#
# It does what a new user does on a fresh Debian 12 machine, and checks that
# it works:
#   1. root           a minimal Debian 12 root (debootstrap --variant=minbase
#                     bookworm) from the mirror the host's apt uses, with the
#                     host's apt sources and network settings; the base root
#                     is cached as a tarball, nothing else ever is
#   2. prerequisites  only what README.md's "Fresh machine" lists:
#                     apt-get update && apt-get install git make
#   3. clone          the commit under test (HEAD, or VNIC_FRESH_COMMIT), to
#                     a path under /tmp with a space in it
#   4. make demo      cold: deps.sh installs everything from apt; it must end
#                     with "demo finished OK"
#   5. make demo      again, warm: deps.sh has nothing to do
#   6. make kunit     on an empty cache: builds the KUnit kernel from
#                     linux-source-6.12, then runs the suites
#   7. make e2e TESTS=00-load
#   8. make dkms-install
#                     DKMS builds and installs vnic for every kernel with
#                     headers (deps.sh put in 6.12's and 6.1's); `dkms
#                     status` must list vnic installed for both, a guest of
#                     each must `modprobe vnic` (scripts/dkms.sh check), and
#                     make dkms-remove must leave DKMS knowing no vnic
#                     (VNIC_FRESH_DKMS_ONLY=1: steps 1-3 and this one only,
#                     with `make deps` first)
# Each step runs as root in the chroot, with /proc, /sys, /dev and /dev/pts
# bound in (QEMU runs there under TCG, as on the host) and an environment as
# bare as a login's. A step runs only if the ones before it passed; one
# that cannot run counts as failed.
#
# The last line is "N passed, N failed" (one point per step), also saved
# to $VNIC_SUMMARY if set. Every mount is undone and the root removed on
# every exit path; each step's log is kept in $VNIC_CACHE/fresh/last/.
#
# Usage: scripts/fresh.sh
# Env:   VNIC_FRESH_COMMIT  commit to test (default HEAD; uncommitted
#                           changes are not seen)
#        VNIC_FRESH_MIRROR  Debian mirror for debootstrap (default: the
#                           host's apt source for bookworm)
#        VNIC_FRESH_TIMEOUT seconds before one command in the root is
#                           killed (default 3600)
#        VNIC_FRESH_KEEP=1  leave the root (unmounted) for a look: see
#                           DEVELOPERS.md, "The clean room"
#        VNIC_CACHE

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

SUITE=bookworm
# Bump when the way the base root is made changes, to invalidate its cache.
RECIPE=1
FRESH=$VNIC_CACHE/fresh
LOGS=$FRESH/last
CLONE="/tmp/first contact/vnic"
# What a login shell of root has, and nothing of this machine's.
CHROOT_ENV=(env -i HOME=/root LANG=C.UTF-8 TERM=dumb
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)

[[ $(id -u) -eq 0 ]] || die "fresh.sh needs root (debootstrap, chroot, mount)"
commit=$(git -C "$VNIC_ROOT" rev-parse --verify "${VNIC_FRESH_COMMIT:-HEAD}^{commit}") ||
	die "no commit ${VNIC_FRESH_COMMIT:-HEAD} in $VNIC_ROOT"
if [[ -z ${VNIC_FRESH_COMMIT:-} && -n $(git -C "$VNIC_ROOT" status --porcelain --untracked-files=no) ]]; then
	warn "uncommitted changes in $VNIC_ROOT are not tested: the clean room clones $commit"
fi

vnic_lock "$FRESH/lock"
rm -rf "$LOGS"
mkdir -p "$LOGS"
ROOT=$(mktemp -d "$FRESH/root-XXXXXX")

# --- cleanup: every exit path --------------------------------------------

# The processes whose root is the chroot (a QEMU that outlived its step, a
# daemon a package started): they would keep the mounts busy.
chroot_pids() {
	local p
	for p in /proc/[0-9]*; do
		[[ $(readlink "$p/root" 2>/dev/null) == "$ROOT" ]] && echo "${p#/proc/}"
	done
	return 0
}

mounts_under_root() {
	findmnt -rn -o TARGET | awk -v r="$ROOT" 'index($0, r "/") == 1' | sort -r
}

cleanup() {
	local pids m left
	trap - EXIT INT TERM
	set +e
	# A step still running (after Ctrl-C or a kill) must not go on
	# mounting or installing behind the cleanup.
	[[ -z ${step_pid:-} ]] || kill "$step_pid" 2>/dev/null
	pids=$(chroot_pids)
	if [[ -n $pids ]]; then
		# shellcheck disable=SC2086 # a list of numbers
		kill $pids 2>/dev/null
		sleep 2
		pids=$(chroot_pids)
		# shellcheck disable=SC2086
		[[ -z $pids ]] || kill -9 $pids 2>/dev/null
		sleep 1
	fi
	while IFS= read -r m; do
		[[ -n $m ]] || continue
		umount "$m" 2>/dev/null || umount -l "$m"
	done < <(mounts_under_root)
	left=$(mounts_under_root)
	if [[ -n $left ]]; then
		warn "fresh: still mounted, so $ROOT is left in place: $left"
	elif [[ ${VNIC_FRESH_KEEP:-0} == 1 ]]; then
		log "fresh: the root is kept (VNIC_FRESH_KEEP=1): $ROOT"
	else
		rm -rf --one-file-system "$ROOT"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- steps -----------------------------------------------------------------

total_pass=0
total_fail=0
report=()
broken=

# step NAME FUNCTION: run one step, timed, with its output in
# $LOGS/NN-name.log. After a failed step the rest do not run and count as
# failed.
step() {
	local name=$1 fn=$2 rc=0 t0=$SECONDS verdict log
	log=$LOGS/$(printf '%02d' $((${#report[@]} + 1)))-${name//[^A-Za-z0-9]/-}.log
	printf '\n########## make check-fresh: %s\n' "$name"
	if [[ -n $broken ]]; then
		echo "not run: $broken failed"
		verdict="FAIL (not run)"
		total_fail=$((total_fail + 1))
	else
		echo "log: $log"
		STEP_LOG=$log
		# In the background, not behind `||`: there set -e would be off for
		# the whole function, and a failed command would not stop the step.
		(
			VNIC_ERR_SUBSHELL=$BASH_SUBSHELL
			"$fn"
		) >"$log" 2>&1 </dev/null &
		step_pid=$!
		wait "$step_pid" || rc=$?
		step_pid=
		if [[ $rc -eq 0 ]]; then
			tail -n 5 "$log"
			verdict=ok
			total_pass=$((total_pass + 1))
		else
			tail -n 60 "$log"
			echo "----- $name failed (status $rc); the error lines of its log ($log):"
			grep -E '^(error|warning|E):|FAILED|not ok|Error [0-9]' "$log" | tail -n 20 || true
			verdict=FAIL
			broken=$name
			total_fail=$((total_fail + 1))
		fi
	fi
	report+=("$(printf '%-26s %-15s %5d s' "$name" "$verdict" $((SECONDS - t0)))")
}

# in_root CMD: run a bash command line in the chroot as root, from /root,
# killed after VNIC_FRESH_TIMEOUT seconds (default 3600).
in_root() {
	timeout -k 30 "${VNIC_FRESH_TIMEOUT:-3600}" \
		"${CHROOT_ENV[@]}" chroot "$ROOT" /bin/bash -c "cd && $1"
}

# The host's apt source for $SUITE: the mirror to bootstrap from. Prints
# the first one found (no `| head` after it: see DEVELOPERS.md, "Errors").
host_mirror() {
	local f uri
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		[[ -f $f ]] || continue
		uri=$(mirror_in "$f")
		if [[ -n $uri ]]; then
			echo "$uri"
			return
		fi
	done
}

# mirror_in FILE: the first deb source for $SUITE in one apt sources file.
mirror_in() {
	if [[ $1 != *.sources ]]; then
		# One-line format: deb [OPTIONS] URI SUITE COMPONENT...
		awk -v s="$SUITE" '{
				line = $0
				sub(/\[[^]]*\][ \t]*/, "", line)
				n = split(line, w, " ")
				if (w[1] != "deb")
					next
				for (i = 3; i <= n; i++)
					if (w[i] == s) { print w[2]; exit }
			}' "$1"
	else
		# deb822: stanzas separated by blank lines.
		awk -v s="$SUITE" -v RS= '
			{
				uri = ""; ok = 0; deb = 0
				n = split($0, l, "\n")
				for (i = 1; i <= n; i++) {
					if (l[i] ~ /^URIs:/) { split(l[i], w, " "); uri = w[2] }
					if (l[i] ~ /^Types:.*(^|[ \t])deb([ \t]|$)/) deb = 1
					if (l[i] ~ /^Suites:/) {
						m = split(l[i], w, " ")
						for (j = 2; j <= m; j++) if (w[j] == s) ok = 1
					}
				}
				if (deb && ok && uri != "") { print uri; exit }
			}' "$1"
	fi
}

make_base_root() {
	local mirror tarball key
	mirror=${VNIC_FRESH_MIRROR:-$(host_mirror)}
	[[ -n $mirror ]] || die "no apt source for $SUITE on this host; set VNIC_FRESH_MIRROR"
	if ! command -v debootstrap >/dev/null; then
		log "installing debootstrap on the host"
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q debootstrap ||
			{ apt-get -o DPkg::Lock::Timeout=900 update -qq &&
			  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q debootstrap; } ||
			die "cannot install debootstrap"
	fi
	key=$(printf 'recipe %s\n%s %s minbase\n' "$RECIPE" "$SUITE" "$mirror" | sha256sum | cut -c1-12)
	tarball=$FRESH/base-$SUITE-minbase-$key.tar.gz
	if [[ ! -f $tarball ]]; then
		log "debootstrap --variant=minbase $SUITE from $mirror (cached in $tarball)"
		local tmp=$FRESH/base-build
		rm -rf --one-file-system "$tmp"
		debootstrap --variant=minbase "$SUITE" "$tmp" "$mirror"
		# The base system's own .debs; the root starts with apt's cache empty.
		rm -f "$tmp"/var/cache/apt/archives/*.deb
		tar -C "$tmp" -czf "$tarball.tmp" .
		mv "$tarball.tmp" "$tarball"
		rm -rf --one-file-system "$tmp"
	else
		log "base root: $tarball (debootstrap --variant=minbase $SUITE from $mirror)"
	fi
	tar -C "$ROOT" -xzf "$tarball"
	# apt as the host has it: its sources (the mirror that works here) and
	# its Acquire:: settings (proxies, release-file validity), no more.
	rm -f "$ROOT/etc/apt/sources.list"
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		[[ -f $f ]] && cp "$f" "$ROOT$f"
	done
	for f in /etc/apt/apt.conf /etc/apt/apt.conf.d/*; do
		[[ -f $f ]] && grep -q '^[[:space:]]*Acquire' "$f" && cp "$f" "$ROOT$f"
	done
	cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
	# No package may start a daemon in the chroot (standard for chroots:
	# invoke-rc.d asks policy-rc.d); it would hold the mounts.
	printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
	chmod +x "$ROOT/usr/sbin/policy-rc.d"
	local d
	for d in proc sys dev dev/pts; do
		mount --bind "/$d" "$ROOT/$d"
	done
	echo "root ready: $(du -sh --one-file-system "$ROOT" | cut -f1) in $ROOT"
}

install_prerequisites() {
	# README.md, "Fresh machine": this and nothing else.
	in_root 'export DEBIAN_FRONTEND=noninteractive && apt-get update && apt-get install -y git make'
	in_root 'git --version && make --version | head -n1'
}

clone() {
	local bare=$ROOT/tmp/vnic.git
	# The commit under test, in a bare repository the chroot's git can
	# clone from, the way a user clones from a server.
	git init -q --bare --initial-branch=main "$bare"
	git -C "$VNIC_ROOT" push -q "$bare" "$commit:refs/heads/main"
	in_root "git clone /tmp/vnic.git '$CLONE' && git -C '$CLONE' log -1 --format='%h %s'"
	rm -rf "$bare"
}

# make_in_clone ARGS...: `make ARGS` in the clone, as the README says.
make_in_clone() {
	in_root "cd '$CLONE' && make $*"
}

demo() {
	make_in_clone demo
	# The guest's console ends its lines with \r\n.
	grep -q '^demo finished OK' "$STEP_LOG" ||
		{ echo "error: make demo did not print 'demo finished OK'"; return 1; }
}

kunit_cold() {
	in_root "test ! -e .cache/vnic/kunit" ||
		{ echo "error: the KUnit cache is not empty"; return 1; }
	make_in_clone kunit
}

e2e_load() {
	make_in_clone e2e TESTS=00-load
}

dkms_step() {
	local k status missing=0
	# Nothing to do after make demo; alone (VNIC_FRESH_DKMS_ONLY) it installs.
	make_in_clone deps
	make_in_clone dkms-install
	status=$(in_root 'dkms status -m vnic')
	echo "dkms status: $status"
	for k in "$ROOT"/lib/modules/*; do
		[[ -e $k/build/Makefile ]] || continue
		k=$(basename "$k")
		if grep -q ", $k, [^:]*: installed" <<<"$status"; then
			echo "ok: vnic installed for $k"
		else
			echo "error: dkms status does not list vnic installed for $k"
			missing=1
		fi
	done
	if ! grep -q ', 6\.1\.' <<<"$status" || ! grep -q ', 6\.12\.' <<<"$status"; then
		echo "error: dkms status does not list both 6.1 and 6.12"
		return 1
	fi
	[[ $missing -eq 0 ]] || return 1
	in_root "cd '$CLONE' && scripts/dkms.sh check"
	make_in_clone dkms-remove
	status=$(in_root 'dkms status -m vnic')
	[[ -z $status ]] || { echo "error: after make dkms-remove: $status"; return 1; }
	in_root 'ls -d /usr/src/vnic-* 2>/dev/null' &&
		{ echo "error: /usr/src/vnic-* left after make dkms-remove"; return 1; }
	echo "make dkms-remove: DKMS knows no vnic"
}

t_all=$SECONDS
log "fresh: clean-room check of $(git -C "$VNIC_ROOT" log -1 --format='%h %s' "$commit")"
step "root (debootstrap)" make_base_root
step "prerequisites (apt)" install_prerequisites
step "clone to /tmp" clone
if [[ ${VNIC_FRESH_DKMS_ONLY:-0} != 1 ]]; then
	step "make demo (cold)" demo
	step "make demo (warm)" demo
	step "make kunit (cold cache)" kunit_cold
	step "make e2e TESTS=00-load" e2e_load
fi
step "make dkms-install" dkms_step

printf '\n########## make check-fresh: summary (%d s; logs in %s)\n' $((SECONDS - t_all)) "$LOGS"
printf '%s\n' "${report[@]}"
line="$total_pass passed, $total_fail failed"
[[ -z ${VNIC_SUMMARY:-} ]] || echo "$line" >"$VNIC_SUMMARY"
echo "$line"
[[ $total_fail -eq 0 ]] || exit 1
