#!/bin/bash
#
# 10-alloc-fail.sh - the kernel's own failslab and fail_page_alloc make
# vnic's allocations fail, and vnic must fail cleanly: an error for the
# user, nothing leaked, the old configuration still working, and everything
# working again once the failures stop. Debug kernel only (make
# check-debug): it needs FAULT_INJECTION_DEBUG_FS, the stack trace filter
# and kmemleak.
#
# Both fault types are scoped to vnic with their stack trace filter:
# require-start/require-end span the module's code, from the base of its
# text (/proc/modules) for /sys/module/vnic/coresize bytes. A call is
# failed only if one of the 32 innermost frames of its stack lies there, so
# allocations vnic makes, directly or through the kernel (page_pool,
# request_irq, dma_alloc_coherent), fail and nothing else in the guest does.
# coresize also counts vnic's data, so the range can reach past its text
# into whatever was mapped after it: the test checks that no other module
# is there. Calls under DMA-API debugging's own code are never failed
# (reject-start/reject-end, see dma_debug_text).
#
#   (a) `ip link set vnic0 up`: every allocation of the open path is failed
#       in turn (fail-nth: the Nth vnic allocation of one system call),
#       then `ip link set vnic0 up` itself with its first allocation failed;
#       each time the call fails with an error and vnic0 stays down, and
#       the next plain `ip link set vnic0 up` works.
#   (b) `ethtool -G vnic0 rx 1024` the same way, interface up: each failure
#       leaves the old rings in place and working (ping, ethtool -g).
#   (c) RX refill under iperf3 (and a TCP receiver that does not read, so
#       that page_pool cannot just recycle): fail_page_alloc fails half,
#       then all of vnic's page allocations for a few seconds.
#       rx_q*_alloc_fail counts them, and traffic comes back once the
#       failures stop.
#   Then rmmod, and kmemleak finds nothing (scripts/kmemleak-scan.sh).
#
# The test writes "vnic-fault-injection: start"/"stop" into the kernel log
# around each phase: the harness then accepts the stack dumps that a failed
# vmalloc prints there (scripts/common.sh, vnic_check_bad_dmesg).

set -euo pipefail
# shellcheck source=scripts/tests/lib.sh
source "$(dirname "$0")/../lib.sh"

DBG=/sys/kernel/debug
KMEMLEAK=$DBG/kmemleak
FAULTS=(failslab fail_page_alloc)
# The longest fail-nth sweep: more allocations than that in one call means
# the sweep is not ending (or vnic allocates far more than it should).
MAX_NTH=400

vnic_require insmod rmmod ip ping ethtool iperf3 python3

for f in "${FAULTS[@]}"; do
	[[ -w $DBG/$f/require-start ]] ||
		tap_bail "no $DBG/$f/require-start: not the debug kernel (FAULT_INJECTION_STACKTRACE_FILTER)"
done
[[ -w $KMEMLEAK ]] || tap_bail "no $KMEMLEAK: not the debug kernel (DEBUG_KMEMLEAK)"

# --- fault injection ------------------------------------------------------

# fi_reset: no failures, and the fault attributes back to their defaults.
fi_reset() {
	local f
	for f in "${FAULTS[@]}"; do
		echo 0 >"$DBG/$f/probability"
		echo N >"$DBG/$f/task-filter"
		echo 0 >"$DBG/$f/require-start"
		echo 0xffffffffffffffff >"$DBG/$f/require-end"
	done
}

# dma_debug_text: the start and end of kernel/dma/debug.c's code, from
# /proc/kallsyms: the run of symbols around debug_dma_map_page that its
# object file defines (the kernel's build directory is on the host, which
# the guest sees). DMA-API debugging allocates its own bookkeeping under
# vnic's DMA mappings, and a failure there switches it off ("cacheline
# tracking ENOMEM, dma-debug disabled"): those calls are not failed.
dma_debug_text() {
	local obj
	obj=/lib/modules/$(uname -r)/build/kernel/dma/debug.o
	[[ -f $obj ]] || return 1
	awk 'NR == FNR { want[$1] = 1; next }
		{ addr[FNR] = $1; name[FNR] = $3 }
		$3 == "debug_dma_map_page" { anchor = FNR }
		END {
			if (!anchor)
				exit 1
			for (i = anchor; i > 1 && (name[i - 1] in want); i--)
				;
			for (j = anchor; (j + 1) in name && (name[j + 1] in want); j++)
				;
			print addr[i], addr[j + 1]
		}' <(nm --defined-only "$obj" | awk '$2 ~ /^[tT]$/ { print $3 }') /proc/kallsyms
}

# fi_scope: fail only calls made from vnic's code (see the top). Prints
# the range.
fi_scope() {
	local base size start end f name obase rstart rend
	base=$(awk '$1 == "vnic" { print $6 }' /proc/modules)
	size=$(</sys/module/vnic/coresize)
	[[ $base == 0x* && $((base)) -ne 0 && $size -gt 0 ]] || {
		echo "cannot read vnic's address ($base) or size ($size)"
		return 1
	}
	start=$(printf '%#x' $((base)))
	end=$(printf '%#x' $((base + size)))
	while read -r name obase; do
		[[ $name == vnic ]] && continue
		# Module areas are close together: the difference is small and
		# bash's signed arithmetic gets it right.
		if (($((obase)) - $((base)) >= 0 && $((obase)) - $((base)) < size)); then
			echo "module $name at $obase lies in vnic's range $start-$end"
			return 1
		fi
	done < <(awk '{ print $1, $6 }' /proc/modules)
	read -r rstart rend < <(dma_debug_text) || {
		echo "cannot find kernel/dma/debug.c's code in /proc/kallsyms"
		return 1
	}
	for f in "${FAULTS[@]}"; do
		echo "$start" >"$DBG/$f/require-start"
		echo "$end" >"$DBG/$f/require-end"
		echo "0x$rstart" >"$DBG/$f/reject-start"
		echo "0x$rend" >"$DBG/$f/reject-end"
		echo 32 >"$DBG/$f/stacktrace-depth"
		echo 0 >"$DBG/$f/probability"
		echo 1 >"$DBG/$f/interval"
		echo -1 >"$DBG/$f/times"
		echo 0 >"$DBG/$f/space"
		echo 1 >"$DBG/$f/verbose"
		# vnic's open path allocates with GFP_KERNEL: fail those too.
		echo N >"$DBG/$f/ignore-gfp-wait"
		echo N >"$DBG/$f/task-filter"
	done
	echo 0 >"$DBG/fail_page_alloc/min-order"
	echo N >"$DBG/fail_page_alloc/ignore-gfp-highmem"
	echo "vnic text $start, failures scoped to $start-$end ($size bytes)," \
		"except under DMA-API debugging 0x$rstart-0x$rend"
}

fi_start() {
	echo "vnic-fault-injection: start ($1)" >/dev/kmsg
}

fi_stop() {
	local f
	for f in "${FAULTS[@]}"; do
		echo 0 >"$DBG/$f/probability"
		echo N >"$DBG/$f/task-filter"
	done
	echo "vnic-fault-injection: stop" >/dev/kmsg
}

# sweep up|rx-ring DEV PEER [SIZE]: fail vnic's allocations one at a time.
# For N = 1, 2, ... one system call, made the way `ip link set DEV up`
# (SIOCSIFFLAGS) or `ethtool -G DEV rx SIZE` (SIOCETHTOOL) make it, has its
# Nth scoped allocation failed (/proc/thread-self/fail-nth), until a call
# makes fewer than N. One python process does it all: it can tell whether
# the failure was injected, and starting a process per N would be slow.
# After each call: up must have failed with DEV down, or succeeded (a
# fallback absorbed the failure: then DEV is taken down again); a resize
# must have failed with the old RX ring size and PEER answering a ping, or
# succeeded (absorbed: the old size is put back). Prints a line "bad: ..."
# per problem and last "injected I absorbed A calls N".
sweep() {
	python3 - "$MAX_NTH" "$@" <<'PY'
import ctypes, fcntl, socket, struct, subprocess, sys, time

maxn, op, dev, peer = int(sys.argv[1]), sys.argv[2], sys.argv[3].encode(), sys.argv[4]
SIOCGIFFLAGS, SIOCSIFFLAGS, SIOCETHTOOL = 0x8913, 0x8914, 0x8946
ETHTOOL_GRINGPARAM, ETHTOOL_SRINGPARAM = 0x10, 0x11
IFF_UP = 0x1
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

def flags():
    ifr = fcntl.ioctl(s, SIOCGIFFLAGS, struct.pack("16sh22x", dev, 0))
    return struct.unpack("16sh22x", ifr)[1]

def set_up(up):
    f = flags()
    f = f | IFF_UP if up else f & ~IFF_UP
    fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sh22x", dev, f))

ring = (ctypes.c_uint32 * 9)()
ring_ifr = struct.pack("16sP16x", dev, ctypes.addressof(ring))

def rx_size():
    ring[0] = ETHTOOL_GRINGPARAM
    fcntl.ioctl(s, SIOCETHTOOL, ring_ifr)
    return ring[5]

def set_rx(n):
    rx_size()
    ring[0] = ETHTOOL_SRINGPARAM
    ring[5] = n
    fcntl.ioctl(s, SIOCETHTOOL, ring_ifr)

def nth(n, call):
    """Run call() with the Nth scoped allocation failed: (injected, errno)."""
    with open("/proc/thread-self/fail-nth", "w") as f:
        f.write(str(n))
    err = 0
    try:
        call()
    except OSError as e:
        err = e.errno
    with open("/proc/thread-self/fail-nth") as f:
        left = int(f.read())
    with open("/proc/thread-self/fail-nth", "w") as f:
        f.write("0")
    return left == 0, err

def ping():
    # A refill that failed can leave an RX ring empty until the service
    # task refills it, within a second: the first echo may be lost then.
    return subprocess.run(["ping", "-c", "1", "-w", "5", peer],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0

injected = absorbed = 0
n = 0
if op == "rx-ring":
    size = int(sys.argv[5])
    old = rx_size()
for n in range(1, maxn + 1):
    if op == "up":
        hit, err = nth(n, lambda: set_up(True))
        up = bool(flags() & IFF_UP)
        if not hit:
            if err:
                print(f"bad: nothing injected, yet up failed with errno {err}")
            break
        injected += 1
        if not err:
            absorbed += 1
        elif up:
            print(f"bad: allocation {n}: up failed with errno {err} but {dev.decode()} is up")
        if up:
            set_up(False)
    else:
        hit, err = nth(n, lambda: set_rx(size))
        now = rx_size()
        if not hit:
            if err:
                print(f"bad: nothing injected, yet the resize failed with errno {err}")
            break
        injected += 1
        if not err:
            absorbed += 1
            if now != size:
                print(f"bad: allocation {n}: resize absorbed but the RX ring is {now}")
        elif now != old:
            print(f"bad: allocation {n}: resize failed with errno {err} but the RX ring is {now}, not {old}")
        if not ping():
            up = bool(flags() & IFF_UP)
            print(f"bad: allocation {n}: resize failed with errno {err}, then no ping"
                  f" ({dev.decode()} is {'up' if up else 'down'})")
            # Get the port back for the next round.
            set_up(False)
            set_up(True)
            time.sleep(2)
        if not err:
            set_rx(old)
else:
    n += 1
    print(f"bad: still injecting after {maxn} allocations")
print(f"injected {injected} absorbed {absorbed} calls {n - 1}")
PY
}

# sweep_report WHAT OUTCOME OUTPUT: one test point from sweep's output.
sweep_report() {
	local what=$1 outcome=$2 out=$3 inj abs calls
	read -r _ inj _ abs _ calls < <(grep '^injected ' <<<"$out" || echo "injected 0 absorbed 0 calls 0")
	if [[ $inj -gt 0 ]] && ! grep -q '^bad: ' <<<"$out" && grep -q '^injected ' <<<"$out"; then
		tap_ok "$what: each of its $calls allocations failed in turn $outcome ($abs absorbed by a fallback)"
	else
		tap_fail "$what: each of its allocations failed in turn $outcome" "$out"
	fi
}

# first_alloc_fails CMD...: run CMD with the first scoped allocation of its
# own process failed (task-filter + make-it-fail, probability 100, once).
first_alloc_fails() {
	local f
	for f in "${FAULTS[@]}"; do
		echo 1 >"$DBG/$f/times"
		echo Y >"$DBG/$f/task-filter"
		echo 100 >"$DBG/$f/probability"
	done
	(echo 1 >/proc/self/make-it-fail && exec "$@")
	local rc=$?
	for f in "${FAULTS[@]}"; do
		echo 0 >"$DBG/$f/probability"
		echo -1 >"$DBG/$f/times"
		echo N >"$DBG/$f/task-filter"
	done
	return $rc
}

is_up() {
	ip -o link show dev vnic0 | grep -q '[<,]UP[,>]'
}

rx_ring() {
	ethtool -g vnic0 | awk '/^Current hardware settings/ { cur = 1 } cur && /^RX:/ { print $2; exit }'
}

# alloc_fails: rx_q*_alloc_fail summed over both ports.
alloc_fails() {
	{ ethtool -S vnic0; in_ns ethtool -S vnic1; } |
		awk '/rx_q[0-9]+_alloc_fail:/ { n += $2 } END { print n + 0 }'
}

# shellcheck disable=SC2317 # the EXIT trap
cleanup() {
	fi_stop >/dev/null 2>&1 || true
	fi_reset >/dev/null 2>&1 || true
	vnic_cleanup
}
trap cleanup EXIT

tap_must "insmod vnic.ko" vnic_load
tap_must "both ports come up with carrier, vnic1 in netns $VNIC_NS" vnic_setup_pair
if out=$(fi_scope 2>&1); then
	tap_ok "failslab and fail_page_alloc scoped to vnic: $out"
else
	tap_fail "failslab and fail_page_alloc scoped to vnic" "$out"
	tap_bail "cannot scope the failures to vnic"
fi

# --- (a) ip link set vnic0 up ---------------------------------------------

tap_must "ip link set vnic0 down" ip link set vnic0 down

fi_start "ifup, fail-nth"
out=$(sweep up vnic0 "$VNIC_IP4_1" 2>&1) || true
fi_stop
ip link set vnic0 down
sweep_report "ifup" "is refused cleanly, vnic0 stays down" "$out"

fi_start "ifup, first allocation"
out=$(first_alloc_fails ip link set vnic0 up 2>&1) && rc=0 || rc=$?
fi_stop
if [[ $rc -ne 0 ]] && ! is_up; then
	tap_ok "ip link set vnic0 up with its first allocation failed: error, stays down ($out)"
else
	tap_fail "ip link set vnic0 up with its first allocation failed: error, stays down" \
		"exit status $rc: $out" "$(ip link show dev vnic0)"
	ip link set vnic0 down || true
fi

tap_check "ip link set vnic0 up works once injection is off" ip link set vnic0 up
tap_check "vnic0 has carrier" vnic_wait_link vnic0
tap_check "ping over the port that failed to open" ping -c 2 -i 0.2 -W 3 "$VNIC_IP4_1"

# --- (b) ethtool -G vnic0 rx 1024 -----------------------------------------

old=$(rx_ring)
tap_check "RX ring size is 512 before the resize ($old)" test "$old" = 512

fi_start "ring resize, fail-nth"
out=$(sweep rx-ring vnic0 "$VNIC_IP4_1" 1024 2>&1) || true
fi_stop
sweep_report "ring resize" "leaves the old rings working" "$out"
if [[ $(rx_ring) != "$old" ]]; then
	ethtool -G vnic0 rx "$old" || true
fi

fi_start "ring resize, first allocation"
out=$(first_alloc_fails ethtool -G vnic0 rx 1024 2>&1) && rc=0 || rc=$?
fi_stop
now=$(rx_ring)
if [[ $rc -ne 0 && $now == "$old" ]]; then
	tap_ok "ethtool -G vnic0 rx 1024 with its first allocation failed: error, ring stays $old ($out)"
else
	tap_fail "ethtool -G vnic0 rx 1024 with its first allocation failed: error, ring stays $old" \
		"exit status $rc, RX ring $now: $out"
fi
tap_check "ping over the old rings after the failed resize" ping -c 3 -i 0.2 -W 3 "$VNIC_IP4_1"
tap_check "ethtool -G vnic0 rx 1024 works once injection is off" ethtool -G vnic0 rx 1024
tap_check "RX ring is 1024 now" test "$(rx_ring)" = 1024
tap_check "ping over the new rings" ping -c 3 -i 0.2 -W 3 "$VNIC_IP4_1"

# --- (c) RX refill under traffic ------------------------------------------

# page_pool recycles RX pages as the stack frees them, so a flow that is
# read as fast as it arrives barely reaches the page allocator. A receiver
# that never reads keeps its pages in its socket (up to a large forced
# SO_RCVBUF), and the refills under it have to allocate.
before=$(alloc_fails)
in_ns python3 -c '
import socket, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)    # SO_RCVBUFFORCE
s.bind(("'"$VNIC_IP4_1"'", 5003))
s.listen(1)
c, _ = s.accept()
time.sleep(120)
' &
hog_rx=$!
vnic_bg in_ns iperf3 -s -B "$VNIC_IP4_1" >/dev/null 2>&1
for i in $(seq 50); do
	in_ns ss -Hltn 'sport = :5003' | grep -q . && in_ns ss -Hltn 'sport = :5201' | grep -q . && break
	sleep 0.2
done
vnic_bg iperf3 -c "$VNIC_IP4_1" -t 15 >/dev/null 2>&1
sleep 2
fi_start "RX refill under traffic"
echo 50 >"$DBG/fail_page_alloc/probability"
timeout 30 socat -u /dev/zero "TCP:$VNIC_IP4_1:5003" >/dev/null 2>&1 &
hog_tx=$!
sleep 4
echo 100 >"$DBG/fail_page_alloc/probability"
sleep 3
fi_stop
kill "$hog_tx" "$hog_rx" 2>/dev/null || true
wait "$hog_tx" "$hog_rx" 2>/dev/null || true
after=$(alloc_fails)
if [[ $after -gt $before ]]; then
	tap_ok "RX refill failures are counted: rx_q*_alloc_fail $before -> $after"
else
	tap_fail "RX refill failures are counted: rx_q*_alloc_fail $before -> $after" \
		"$( { ethtool -S vnic0; in_ns ethtool -S vnic1; } | grep -E 'alloc_fail|rx_missed')"
fi
# The client may give up while RX is starved; a fresh one must work.
sleep 8
ok=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	if ping -c 1 -W 2 "$VNIC_IP4_1" >/dev/null; then
		ok=1
		break
	fi
done
if [[ $ok -eq 1 ]]; then
	tap_ok "ping works again after the refill failures stop (try $i)"
else
	tap_fail "ping works again after the refill failures stop" "$(ethtool -S vnic0)"
fi
if out=$(timeout 60 iperf3 -c "$VNIC_IP4_1" -t 3 2>&1); then
	tap_ok "iperf3 works again after the refill failures stop"
else
	tap_fail "iperf3 works again after the refill failures stop" "$out"
fi

# --- nothing leaked -------------------------------------------------------

fi_reset
vnic_cleanup
tap_check "vnic unloaded" not vnic_loaded
leaks=$("$VNIC_ROOT/scripts/kmemleak-scan.sh" 2>&1) || true
if [[ -z $leaks ]]; then
	tap_ok "kmemleak: nothing leaked by the failed opens, resizes and refills"
else
	tap_fail "kmemleak: nothing leaked by the failed opens, resizes and refills" "$leaks"
fi
tap_done
