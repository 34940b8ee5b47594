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
# fail, never skip: use vnic_require and tap_bail. The one exception is a
# feature the guest's kernel does not have (vnic on 6.1 has no qstats, for
# instance): vnic_skip_unless reports that point as a TAP SKIP naming the
# kernel.

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

# tap_skip DESC REASON: a point this kernel cannot run (TAP's SKIP
# directive), e.g. a 6.12 feature on 6.1. Only for what the guest's kernel
# lacks (vnic_kernel_has), never for a missing tool: e2e-guest.sh counts
# skips apart from passes and shows them.
tap_skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

# vnic_kernel_has MAJOR.MINOR: true if the guest's kernel is that version
# or later (vnic compiles some features out before it: include/vnic_compat.h).
vnic_kernel_has() {
	local want=$1 have
	have=$(uname -r | grep -oE '^[0-9]+\.[0-9]+')
	[[ $(printf '%s\n%s\n' "$want" "$have" | sort -V | head -n1) == "$want" ]]
}

# vnic_skip_unless MAJOR.MINOR DESC WHAT: if the guest's kernel is older,
# print one SKIP point DESC naming WHAT and the kernel, and return 1.
vnic_skip_unless() {
	vnic_kernel_has "$1" && return 0
	tap_skip "$2" "$3 needs Linux $1 or later; this kernel is $(uname -r)"
	return 1
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

# tap_is DESC GOT WANT [DIAG...]: one point: the string GOT is WANT; if not,
# not ok with both and DIAG.
tap_is() {
	if [[ $2 == "$3" ]]; then
		tap_ok "$1"
	else
		tap_fail "$1" "got:  $2" "want: $3" "${@:4}"
	fi
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

# vnic_wait_unlisten NS PORT [SECONDS]: wait until nothing listens on TCP
# PORT in netns NS any more (a one-off server of the last run on its way out).
vnic_wait_unlisten() {
	local ns=$1 port=$2 secs=${3:-10} i
	local -a ipx=()
	[[ -n $ns ]] && ipx=(ip netns exec "$ns")
	for ((i = 0; i < secs * 10; i++)); do
		if [[ -z $("${ipx[@]}" ss -Hltn "sport = :$port" 2>/dev/null) ]]; then
			return 0
		fi
		sleep 0.1
	done
	echo "port $port${ns:+ in netns $ns} still listens after ${secs}s" >&2
	return 1
}

# --- traffic and counters --------------------------------------------------

# vnic_iperf3_bps: read iperf3's JSON (-J) on stdin, print the receiver's
# bits per second.
vnic_iperf3_bps() {
	python3 -c 'import json,sys; print(int(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]))'
}

# vnic_irq_total REGEX: the interrupts of every /proc/interrupts line that
# matches REGEX (e.g. 'vnic0-TxRx-'), summed over the CPUs.
vnic_irq_total() {
	awk -v pat="$1" '$0 ~ pat { for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i } END { print s + 0 }' \
		/proc/interrupts
}

# vnic_link_stat NS DEV FIELD: one counter of `ip -s link` for DEV in netns
# NS ("" for the root namespace), FIELD as in "['tx']['errors']".
vnic_link_stat() {
	local ns=$1 dev=$2 field=$3
	local -a ipx=(ip)
	[[ -n $ns ]] && ipx=(ip -n "$ns")
	"${ipx[@]}" -j -s link show dev "$dev" |
		python3 -c "import json,sys; s=json.load(sys.stdin)[0]['stats64']; print(s$field)"
}

# vnic_ethsum [NS] REGEX: the sum of the ethtool -S counters whose whole
# name matches REGEX, of vnic0 (or of vnic1, with NS $VNIC_NS).
vnic_ethsum() {
	local dev=vnic0
	local -a pre=()
	if [[ $1 == "$VNIC_NS" ]]; then
		dev=vnic1
		pre=(ip netns exec "$VNIC_NS")
		shift
	fi
	"${pre[@]}" ethtool -S "$dev" |
		awk -v re="^($1)\$" '{ k = $1; sub(/:$/, "", k) } k ~ re { s += $2 } END { print s + 0 }'
}

# vnic_serve_file DST PORT: a one-off socat server in $VNIC_NS on
# $VNIC_IP4_1:PORT that writes what it receives to DST; returns once it
# listens. Its output goes nowhere, so that it never holds the test's open.
vnic_serve_file() {
	rm -f "$1"
	vnic_bg in_ns socat -u "TCP-LISTEN:$2,bind=$VNIC_IP4_1,reuseaddr" \
		"OPEN:$1,creat,trunc" >/dev/null 2>&1
	vnic_wait_listen "$VNIC_NS" "$2" || true
}

# vnic_send_file SRC DST PORT SECONDS: send SRC to the vnic_serve_file
# server on PORT within SECONDS, then wait (up to 20 s) until DST has all of
# it. Fails, with socat's output, if the send did.
vnic_send_file() {
	local src=$1 dst=$2 size i
	timeout "$4" socat -u "OPEN:$src" "TCP:$VNIC_IP4_1:$3" || return
	size=$(stat -c %s "$src")
	for ((i = 0; i < 100; i++)); do
		[[ $(stat -c %s "$dst" 2>/dev/null || echo 0) -ge $size ]] && break
		sleep 0.2
	done
}

# vnic_same_sha256 DESC SRC DST: one point: DST arrived with SRC's sha256.
vnic_same_sha256() {
	local sum_src sum_dst
	sum_src=$(sha256sum <"$2" | cut -d' ' -f1)
	sum_dst=$( (sha256sum <"$3" 2>/dev/null || echo missing) | cut -d' ' -f1)
	if [[ $sum_src == "$sum_dst" ]]; then
		tap_ok "$1 (sha256 $sum_src)"
	else
		tap_fail "$1" "sent $sum_src" "got  $sum_dst" "size $(stat -c %s "$3" 2>/dev/null)"
	fi
}

# vnic_tcp_file SIZE PORT SECONDS SENT ARRIVED: two points: SIZE (as head -c
# takes it) of random data goes over TCP (socat) from the root namespace to
# $VNIC_NS on PORT within SECONDS (SENT), and arrives with the same sha256
# (ARRIVED).
vnic_tcp_file() {
	local src=/tmp/vnic-src.bin dst=/tmp/vnic-dst.bin
	head -c "$1" /dev/urandom >"$src"
	vnic_serve_file "$dst" "$2"
	tap_check "$4" vnic_send_file "$src" "$dst" "$2" "$3"
	vnic_same_sha256 "$5" "$src" "$dst"
	rm -f "$src" "$dst"
}

# vnic_udp_flood ADDR [SECONDS]: UDP at ADDR's port 9 from 8 non-blocking
# sockets for SECONDS (default 2), which never wait for a stalled queue.
vnic_udp_flood() {
	python3 - "$1" "${2:-2}" <<'EOF_PY'
import socket, sys, time
socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(8)]
for s in socks:
    s.setblocking(False)
end = time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    for s in socks:
        try:
            s.sendto(b"x" * 1400, (sys.argv[1], 9))
        except OSError:
            time.sleep(0.001)
EOF_PY
}

# --- the kernel log ----------------------------------------------------------

# vnic_log_lines: how many lines the kernel log has now, for vnic_log_since.
# Never clear the log: the harness checks all of it at the end.
vnic_log_lines() {
	dmesg | wc -l
}

# vnic_log_since N: the kernel log after its first N lines.
vnic_log_since() {
	dmesg | tail -n +$(($1 + 1))
}

# vnic_wait_log N TEXT [SECONDS]: wait (default 30 s) until the kernel log
# after its first N lines has the fixed string TEXT.
vnic_wait_log() {
	local n=$1 text=$2 secs=${3:-30} i
	for ((i = 0; i < secs * 10; i++)); do
		vnic_log_since "$n" | grep -qF "$text" && return 0
		sleep 0.1
	done
	echo "no \"$text\" in the kernel log after ${secs}s" >&2
	return 1
}

# vnic_logged DESC REGEX CMD...: one point: CMD fails and the kernel log
# gains REGEX (what ethtool's ioctl paths refuse carries no extack in 6.12).
vnic_logged() {
	local desc=$1 re=$2 rc=0 out n new
	shift 2
	n=$(vnic_log_lines)
	out=$("$@" 2>&1) || rc=$?
	new=$(vnic_log_since "$n")
	if [[ $rc -ne 0 ]] && grep -qE "$re" <<<"$new"; then
		tap_ok "$desc is refused: $(grep -E "$re" <<<"$new" | head -n1)"
	else
		tap_fail "$desc is refused with /$re/ in the kernel log" "exit status $rc" "$out" "$new"
	fi
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
