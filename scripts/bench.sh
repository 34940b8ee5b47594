#!/bin/bash
#
# bench.sh - `make bench`: vnic against veth, measured side by side in one
# guest boot (QEMU TCG, 2 vCPUs), as issue 5 asks.
#
# Builds vnic.ko for the pinned kernel (scripts/build.sh), boots one guest
# with scripts/vm.sh and runs scripts/bench-guest.sh in it (which measures
# and writes raw numbers), then, on the host:
#   results.md     one row per metric: vnic, veth, vnic/veth, the issue's
#                  target and whether it is met; printed at the end
#   summary.tsv    the same numbers, tab-separated
#   sweep.tsv      vnic rx-usecs sweep: throughput and interrupts per packet
#   sweep.png      the sweep plotted (gnuplot, two panels)
#   sweep.txt      the same plot as text (gnuplot's dumb terminal)
#   readme.md      the README's Benchmark section for this run
#   raw/, runs.tsv, pktgen.tsv, guest-env.txt   what the guest measured
#   vm/            the guest's console log and dmesg
# all in $VNIC_CACHE/bench/<timestamp>/ (outside git; "latest" links to the
# newest). The guest script's header says how each number is taken.
#
# Usage: scripts/bench.sh                   measure, then report
#        scripts/bench.sh --report DIR      only redo the table, plots and
#                                           README section of a results DIR
# Env:   vm.sh's knobs; VNIC_VM_TIMEOUT defaults to 1800 s here.
#        VNIC_BENCH_QUICK=1: every run short, to try the bench itself.
#        VNIC_BENCH_WAIT: seconds to wait for other QEMU guests on this host
#        to finish before booting (default 900); they share the CPUs.
# Exits non-zero, with the reason, if any measurement could not be taken or
# the guest's kernel log shows a problem.

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

for tool in gnuplot python3; do
	command -v "$tool" >/dev/null || die "$tool is not installed; run scripts/deps.sh (make deps)"
done

# other_vms: how many QEMU guests run on this host (reads only).
other_vms() {
	pgrep -c -f '^qemu-system' || true
}

# measure: build, boot the guest, run bench-guest.sh; sets res to the new
# results folder and fills it with what the guest wrote and host-env.txt.
measure() {
	local KVER pktgen_dir version ko wait_secs waited rc others_before others_after
	KVER=$(vnic_kver)
	pktgen_dir=$(vnic_kernel_source "$KVER")/samples/pktgen
	[[ -f $pktgen_dir/pktgen_sample01_simple.sh ]] ||
		die "no pktgen_sample01_simple.sh in $pktgen_dir"

	# One bench at a time: two would measure each other.
	vnic_lock "$VNIC_CACHE/bench/bench.lock"
	res=$VNIC_CACHE/bench/$(date +%Y%m%d-%H%M%S)
	mkdir -p "$res"
	log "bench: results go to $res"

	# The guest loads this copy, so a rebuild meanwhile cannot change it;
	# the version is the tree's as it is built, not as it is at the end.
	version=$(git -C "$VNIC_ROOT" describe --always --dirty 2>/dev/null || echo unknown)
	ko=$("$VNIC_ROOT/scripts/build.sh" | tail -n1)
	cp "$ko" "$res/vnic.ko"

	# Other guests on this host share its CPUs and make the numbers noisier.
	wait_secs=${VNIC_BENCH_WAIT:-900}
	if [[ $(other_vms) -gt 0 ]]; then
		log "bench: waiting up to ${wait_secs}s for the other QEMU guests on this host to finish"
		for ((waited = 0; waited < wait_secs; waited += 10)); do
			[[ $(other_vms) -eq 0 ]] && break
			sleep 10
		done
	fi
	others_before=$(other_vms)
	[[ $others_before -eq 0 ]] ||
		warn "bench: $others_before other QEMU guest(s) running on this host; expect noisy numbers"

	log "bench: booting the guest (about 6 minutes of measurements)"
	rc=0
	VNIC_KO=$res/vnic.ko VNIC_PKTGEN_DIR=$pktgen_dir VNIC_VM_OUT=$res/vm \
		VNIC_VM_TIMEOUT=${VNIC_VM_TIMEOUT:-1800} \
		"$VNIC_ROOT/scripts/vm.sh" "$VNIC_ROOT/scripts/bench-guest.sh" || rc=$?
	others_after=$(other_vms)
	[[ $rc -eq 0 ]] || die "bench: the guest run failed (status $rc); see $res/vm/console.log"

	cp -r "$res/vm/share/." "$res/"
	rm -f "$res/cmd" "$res/status"
	{
		echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
		echo "host nproc: $(nproc)"
		echo "host cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
		echo "guest: QEMU TCG, 2 vCPUs, ${VNIC_VM_MEM:-2048} MiB, kernel $KVER"
		echo "vnic: $version (built from the working tree at the start)"
		echo "other QEMU guests on the host: $others_before at the start, $others_after at the end"
	} >"$res/host-env.txt"
}

# table: results.md, summary.tsv and sweep.tsv from the raw numbers in res.
table() {
python3 - "$res" <<'EOF'
"""Medians of the guest's raw runs -> summary.tsv, sweep.tsv, results.md."""
import csv
import re
import statistics
import sys
import textwrap
from pathlib import Path

res = Path(sys.argv[1])


def fail(msg):
    sys.exit(f"error: bench: {msg}")


def rows(name):
    with open(res / name) as f:
        return list(csv.DictReader(f, delimiter="\t"))


env = dict(line.split(": ", 1) for line in (res / "guest-env.txt").read_text().splitlines())
hz = int(env["clk_tck"])
runs = rows("runs.tsv")
pktgen = rows("pktgen.tsv")


def tcp(dev, test):
    r = [x for x in runs if x["dev"] == dev and x["test"] == test]
    if not r:
        fail(f"no iperf3 runs for {dev} {test}")
    return r


def med(values):
    return statistics.median(values)


def gbps(r):
    return int(r["bps"]) / 1e9


def irq_per_pkt(r):
    return int(r["irqs"]) / int(r["segs"])


def netrx_per_pkt(r):
    return int(r["netrx"]) / int(r["segs"])


def cpu_s_per_gb(r):
    return (int(r["busy"]) / hz) / (int(r["bytes"]) / 1e9)


def pps(dev):
    r = [x for x in pktgen if x["dev"] == dev]
    if not r:
        fail(f"no pktgen runs for {dev}")
    return med(int(x["received"]) / (int(x["usec"]) / 1e6) for x in r)


def ping_us(dev, q):
    text = (res / "raw" / f"ping-{dev}.txt").read_text()
    t = sorted(float(m) * 1000 for m in re.findall(r"time=([0-9.]+) ms", text))
    if not t:
        fail(f"no ping times for {dev}")
    # nearest rank
    return t[max(0, -(-len(t) * q // 100) - 1)]


# name, unit, function(dev) or None for n/a, target kind, target value
# kinds: "ratio>=" / "ratio<=" compare vnic/veth; "vnic<=" the vnic value
metrics = [
    ("TCP 1 stream", "Gbit/s", lambda d: med(gbps(r) for r in tcp(d, "tcp1")), "ratio>=", 0.8),
    ("TCP 4 streams", "Gbit/s", lambda d: med(gbps(r) for r in tcp(d, "tcp4")), None, None),
    # veth has no such switch: its column is its plain 1-stream run.
    ("TCP 1 stream, rx-gro-hw off", "Gbit/s", lambda d: med(gbps(r) for r in tcp(d, "tcp1seg" if d == "vnic" else "tcp1")), None, None),
    ("UDP 64 B frames received", "kpps", lambda d: pps(d) / 1e3, "ratio>=", 1.0),
    ("Idle ping RTT p50", "us", lambda d: ping_us(d, 50), "ratio<=", 1.2),
    ("Idle ping RTT p99", "us", lambda d: ping_us(d, 99), None, None),
    ("Interrupts/packet, TCP 1 stream", "", lambda d: med(irq_per_pkt(r) for r in tcp(d, "tcp1")) if d == "vnic" else None, "vnic<=", 0.05),
    ("Interrupts/packet, TCP 4 streams", "", lambda d: med(irq_per_pkt(r) for r in tcp(d, "tcp4")) if d == "vnic" else None, None, None),
    ("Interrupts/packet, TCP 1 stream, rx-gro-hw off", "", lambda d: med(irq_per_pkt(r) for r in tcp(d, "tcp1seg")) if d == "vnic" else None, None, None),
    ("NET_RX softirqs/packet, TCP 1 stream", "", lambda d: med(netrx_per_pkt(r) for r in tcp(d, "tcp1")), None, None),
    ("CPU seconds/GB, TCP 1 stream", "", lambda d: med(cpu_s_per_gb(r) for r in tcp(d, "tcp1")), None, None),
    ("CPU seconds/GB, TCP 4 streams", "", lambda d: med(cpu_s_per_gb(r) for r in tcp(d, "tcp4")), None, None),
    ("CPU seconds/GB, TCP 1 stream, rx-gro-hw off", "", lambda d: med(cpu_s_per_gb(r) for r in tcp(d, "tcp1seg" if d == "vnic" else "tcp1")), None, None),
]


def fmt(v):
    if v is None:
        return "n/a"
    if v == 0 or abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 1:
        return f"{v:.2f}"
    return f"{v:.3g}"


summary = []
table = [
    "| Metric | vnic | veth | vnic/veth | Target | Met |",
    "|---|---:|---:|---:|---|---|",
]
for name, unit, fn, kind, want in metrics:
    vnic, veth = fn("vnic"), fn("veth")
    ratio = vnic / veth if vnic is not None and veth else None
    if kind == "ratio>=":
        target, met = f"vnic/veth >= {want}", ratio >= want
    elif kind == "ratio<=":
        target, met = f"vnic/veth <= {want}", ratio <= want
    elif kind == "vnic<=":
        target, met = f"vnic <= {want}", vnic <= want
    else:
        target, met = "", None
    label = f"{name} ({unit})" if unit else name
    verdict = "" if met is None else ("yes" if met else "**no**")
    table.append(f"| {label} | {fmt(vnic)} | {fmt(veth)} | {fmt(ratio)} | {target} | {verdict} |")
    summary.append([label, fmt(vnic), fmt(veth), fmt(ratio), target, verdict.strip("*")])

with open(res / "summary.tsv", "w") as f:
    f.write("metric\tvnic\tveth\tratio\ttarget\tmet\n")
    for s in summary:
        f.write("\t".join(s) + "\n")

sweep = [x for x in runs if x["test"].startswith("sweep")]
if not sweep:
    fail("no rx-usecs sweep runs")
with open(res / "sweep.tsv", "w") as f:
    f.write("rx_usecs\trx_frames\tgbps\tirq_per_pkt\n")
    for r in sweep:
        f.write(f"{r['rx_usecs']}\t{r['rx_frames']}\t{gbps(r):.3f}\t{irq_per_pkt(r):.4f}\n")

host = dict(line.split(": ", 1) for line in (res / "host-env.txt").read_text().splitlines())
notes = [
    f"Command `make bench`, taken {host['date']} on a {host['host nproc']}-CPU host "
    f"({host['host cpu']}), guest {host['guest']}; vnic {host['vnic']}.",
    "",
    f"- TCP: iperf3 -J from the root namespace to the peer's namespace, "
    f"{env['tcp']}, median of the receiver's rate. vnic with its default coalescing.",
    "- rx-gro-hw off: the same 1-stream run with `ethtool -K vnic1 rx-gro-hw off` "
    "(the card cuts TSO packets into MSS-sized frames, as without pass-through; "
    "by default it hands them to the receiver whole), in the same rounds; "
    "the veth column of those rows is veth's plain 1-stream run.",
    f"- UDP 64 B: samples/pktgen/pktgen_sample01_simple.sh -s 64 at full speed, "
    f"{env['pktgen']}, median of frames received on the peer (its rx_packets delta) "
    "over pktgen's sending time.",
    f"- Ping: {env['ping']} on the idle link, nearest-rank percentiles.",
    "- Interrupts/packet: all of vnic's vectors in /proc/interrupts (both ports) "
    "over the TCP segments of both directions (data and ACKs: Tcp OutSegs of both "
    "namespaces, a TSO/GSO packet counted as its MSS-sized segments). veth has no "
    "device interrupts: n/a. The NET_RX softirq row uses the same denominator for both.",
    "- CPU seconds/GB: busy jiffies of the whole guest (/proc/stat: user, nice, "
    "system, irq, softirq, steal) over the bytes iperf3 received (1 GB = 1e9 bytes).",
]
if env["quick"] != "0":
    notes.append("- **Quick run (VNIC_BENCH_QUICK=1): short runs, not a measurement.**")
if host["other QEMU guests on the host"] != "0 at the start, 0 at the end":
    notes.append(
        f"- Other QEMU guests were running on the host "
        f"({host['other QEMU guests on the host']}): the numbers are noisier than on an idle host."
    )
notes = [textwrap.fill(n, 76, subsequent_indent="  " if n.startswith("- ") else "") for n in notes]
(res / "results.md").write_text(
    "# vnic vs veth\n\n" + "\n".join(table) + "\n\n" + "\n".join(notes) + "\n"
)
EOF
}

# plot TERMINAL FILE GRID: the sweep, two panels, with gnuplot.
plot() {
	local terminal=$1 output=$2 grid=$3
	gnuplot <<EOF
set terminal $terminal
set output '$output'
set datafile separator tab
$grid
set offsets 0.3, 0.3, 0, 0
set multiplot layout 2,1
set title 'vnic TCP 1 stream (Gbit/s) against rx-usecs, adaptive-rx off'
set key off
set yrange [0:*]
plot '$res/sweep.tsv' using 0:3:xtic(1) skip 1 with linespoints pt 7
set title 'vnic interrupts per packet against rx-usecs (rx-frames 64; 1 at 0 us)'
set key below
plot '$res/sweep.tsv' using 0:4:xtic(1) skip 1 with linespoints pt 7 title 'measured', \
	0.05 with lines dashtype 2 title 'target 0.05'
unset multiplot
EOF
}

# readme_section: the README's Benchmark section for this run.
readme_section() {
	cat <<'EOF'
## Benchmark

`make bench` (scripts/bench.sh, scripts/bench-guest.sh) measures vnic and
veth side by side in one guest boot, about 10 minutes under TCG, and writes
raw data, `results.md`, `sweep.png` and `sweep.txt` to
`~/.cache/vnic/bench/<timestamp>/`. It fails if any number cannot be
taken. `VNIC_BENCH_QUICK=1` makes every run short, to try the bench
itself; `scripts/bench.sh --report DIR` redoes the table and plots of a
results folder. The targets are issue 5's. The latest run:

EOF
	sed -n '3,$p' "$res/results.md"
	printf '\nThe rx-usecs sweep (sweep.png in the results folder):\n\n```\n'
	# without form feeds, trailing blanks and blank lines around the plot
	awk '{ gsub(/\f/, ""); sub(/[ \t]+$/, ""); line[NR] = $0; if (NF) { if (!first) first = NR; last = NR } }
	     END { for (i = first; i <= last; i++) print line[i] }' "$res/sweep.txt"
	echo '```'
}

if [[ ${1:-} == --report ]]; then
	res=$(realpath -e "${2:?usage: $0 --report RESULTS_DIR}")
else
	measure
	ln -sfn "$(basename "$res")" "$VNIC_CACHE/bench/latest"
fi
table
plot "pngcairo size 900,700" "$res/sweep.png" "set grid"
plot "dumb size 79,40" "$res/sweep.txt" ""
[[ -s $res/sweep.png && -s $res/sweep.txt ]] || die "gnuplot wrote no plot"
readme_section >"$res/readme.md"
echo
cat "$res/results.md"
echo
cat "$res/sweep.txt"
echo
log "bench: results in $res (results.md, sweep.png, sweep.txt, readme.md, raw/)"
