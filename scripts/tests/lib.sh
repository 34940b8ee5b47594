# shellcheck shell=bash
#
# lib.sh - helpers for the end-to-end tests in scripts/tests/NN-name.sh.
#
# Tests run as root inside the guest (scripts/e2e-guest.sh runs them, one
# after another, in one boot). A test sources this file, prints TAP through
# the tap_* helpers and ends with tap_done. Environment from the runner:
#   VNIC_KO    absolute path of the vnic.ko built for the guest's kernel
#   VNIC_ROOT  the repository
#   VNIC_OUT   a writable directory whose contents come back to the host
#   VNIC_KSRC  the pinned kernel source (for tools/net/ynl)
#
# Traffic stays inside the guest: 198.18.0.0/15 and 2001:db8::/32 only, and
# the guest has no other network card.
#
# A test that cannot run (a tool is missing, the module does not load) must
# fail, never skip: use vnic_require and tap_bail.

VNIC_NS=ns1
VNIC_IP4_0=198.18.0.1
VNIC_IP4_1=198.18.0.2
VNIC_IP6_0=2001:db8::1
VNIC_IP6_1=2001:db8::2

: "${VNIC_KO:?VNIC_KO is not set: run tests through scripts/e2e.sh}"

_tap_n=0
_tap_failed=0
_vnic_pids=()

# --- TAP -------------------------------------------------------------------

# tap_ok DESC: record a passing test point.
tap_ok() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1"
}

# tap_fail DESC [DIAG...]: record a failing test point, with diagnostics.
tap_fail() {
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $1"
	shift
	local line
	for line in "$@"; do
		# shellcheck disable=SC2001 # prefix every line of a multi-line string
		sed 's/^/#   /' <<<"$line"
	done
}

# tap_todo DESC REASON [DIAG...]: a failing point that is a known, reported
# shortfall (TAP's TODO directive): shown, but not counted as a failure.
tap_todo() {
	_tap_n=$((_tap_n + 1))
	echo "not ok $_tap_n - $1 # TODO $2"
	shift 2
	local line
	for line in "$@"; do
		# shellcheck disable=SC2001
		sed 's/^/#   /' <<<"$line"
	done
}

# tap_diag TEXT: a TAP comment.
tap_diag() {
	# shellcheck disable=SC2001
	sed 's/^/# /' <<<"$*"
}

# tap_check DESC CMD...: run CMD; ok if it exits 0, else not ok with its
# output. The test goes on either way.
tap_check() {
	_tap_run "$@" || true
}

# tap_must DESC CMD...: like tap_check, but if CMD fails the rest of the
# test cannot run: bail out.
tap_must() {
	_tap_run "$@" || tap_bail "$1"
}

_tap_run() {
	local desc=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	if [[ $rc -eq 0 ]]; then
		tap_ok "$desc"
	else
		tap_fail "$desc" "command: $*" "exit status: $rc" "$out"
	fi
	return $rc
}

# not CMD...: succeed if CMD fails (for tap_check "x is gone" not ip link ...).
not() {
	! "$@"
}

# tap_bail REASON: the rest of the test cannot run. Fails the test loudly.
tap_bail() {
	echo "Bail out! $1"
	_tap_failed=$((_tap_failed + 1))
	tap_done
}

# tap_done: print the plan and exit; non-zero if any point failed.
tap_done() {
	echo "1..$_tap_n"
	if [[ $_tap_failed -gt 0 ]]; then
		exit 1
	fi
	exit 0
}

# vnic_require TOOL...: one test point; bail out if a tool is missing.
vnic_require() {
	local t missing=()
	for t in "$@"; do
		command -v "$t" >/dev/null || missing+=("$t")
	done
	if [[ ${#missing[@]} -gt 0 ]]; then
		tap_fail "required tools are available" "missing: ${missing[*]}"
		tap_bail "missing tools: ${missing[*]}"
	fi
	tap_ok "required tools are available: $*"
}

# --- the module and its two ports ------------------------------------------

# vnic_loaded: true if vnic is in the kernel.
vnic_loaded() {
	grep -q '^vnic ' /proc/modules
}

# vnic_load [PARAM=VALUE...]: insmod vnic.ko with parameters.
vnic_load() {
	insmod "$VNIC_KO" "$@"
}

# vnic_kill_netns NS: kill every process in a namespace, then delete it.
# A server started in it may outlive the shell that started it and would
# hold the runner's output pipe open.
vnic_kill_netns() {
	local pids
	pids=$(ip netns pids "$1" 2>/dev/null) || true
	if [[ -n $pids ]]; then
		# shellcheck disable=SC2086 # one pid per word
		kill $pids 2>/dev/null || true
		sleep 0.2
		# shellcheck disable=SC2086
		kill -9 $pids 2>/dev/null || true
	fi
	ip netns del "$1" 2>/dev/null || true
}

# vnic_unload: remove the module (and the namespaces holding its ports first).
vnic_unload() {
	local ns
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
		vnic_kill_netns "$ns"
	done
	if vnic_loaded; then
		rmmod vnic
	fi
}

# vnic_wait_link DEV [NS] [SECONDS]: wait until DEV reports carrier.
vnic_wait_link() {
	local dev=$1 ns=${2:-} secs=${3:-5} i
	local -a ipx=(ip)
	[[ -n $ns ]] && ipx=(ip -n "$ns")
	for ((i = 0; i < secs * 10; i++)); do
		if "${ipx[@]}" link show dev "$dev" 2>/dev/null | grep -q 'LOWER_UP'; then
			return 0
		fi
		sleep 0.1
	done
	echo "$dev${ns:+ (netns $ns)} has no link after ${secs}s" >&2
	"${ipx[@]}" link show dev "$dev" >&2 || true
	return 1
}

# vnic_setup_pair: the usual topology. vnic0 stays in the root namespace,
# vnic1 moves to netns ns1; both get an IPv4 and an IPv6 address and come up.
#   vnic0: 198.18.0.1/24 2001:db8::1/64    ns1/vnic1: 198.18.0.2/24 2001:db8::2/64
vnic_setup_pair() {
	ip netns add "$VNIC_NS"
	ip -n "$VNIC_NS" link set lo up
	ip link set vnic1 netns "$VNIC_NS"
	ip addr add "$VNIC_IP4_0/24" dev vnic0
	ip addr add "$VNIC_IP6_0/64" dev vnic0 nodad
	ip -n "$VNIC_NS" addr add "$VNIC_IP4_1/24" dev vnic1
	ip -n "$VNIC_NS" addr add "$VNIC_IP6_1/64" dev vnic1 nodad
	ip link set vnic0 up
	ip -n "$VNIC_NS" link set vnic1 up
	vnic_wait_link vnic0 &&
		vnic_wait_link vnic1 "$VNIC_NS"
}

# in_ns CMD...: run CMD in the peer's namespace ($VNIC_NS).
in_ns() {
	ip netns exec "$VNIC_NS" "$@"
}

# vnic_wait_listen NS PORT [SECONDS]: wait until a TCP listener is up on
# PORT in netns NS ("" for the root namespace). A loaded machine may take a
# while to start a server; connecting before it listens is refused.
vnic_wait_listen() {
	local ns=$1 port=$2 secs=${3:-20} i
	local -a ipx=()
	[[ -n $ns ]] && ipx=(ip netns exec "$ns")
	for ((i = 0; i < secs * 10; i++)); do
		if "${ipx[@]}" ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
			return 0
		fi
		sleep 0.1
	done
	echo "nothing listens on port $port${ns:+ in netns $ns} after ${secs}s" >&2
	return 1
}

# vnic_bg CMD...: start CMD in the background; vnic_cleanup kills it.
vnic_bg() {
	"$@" &
	_vnic_pids+=($!)
}

# vnic_cleanup: kill background jobs, delete the namespace, unload the
# module. Installed as the EXIT trap, so a test leaves nothing behind.
vnic_cleanup() {
	local pid
	for pid in "${_vnic_pids[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	_vnic_pids=()
	vnic_unload 2>/dev/null || true
}
trap vnic_cleanup EXIT
