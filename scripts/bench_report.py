#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# bench_report.py RESULTS_DIR - the report half of `make bench` (scripts/bench.sh):
# reads the raw numbers the guest wrote and writes summary.tsv, sweep.tsv and
# results.md in RESULTS_DIR. bench.sh runs it after the guest, and again for
# `scripts/bench.sh --report DIR`.
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
xsk = rows("xsk.tsv") if (res / "xsk.tsv").exists() else []


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


def pps_runs(dev, test="udp64"):
    r = [x for x in pktgen if x["dev"] == dev and x.get("test", "udp64") == test]
    if not r:
        fail(f"no pktgen {test} runs for {dev}")
    return [int(x["received"]) / (int(x["usec"]) / 1e6) for x in r]


def pps(dev, test="udp64"):
    return med(pps_runs(dev, test))


def xsk_runs(dev, mode):
    r = [float(x["pps"]) / 1e3 for x in xsk if x["dev"] == dev and x["mode"] == mode]
    if not r:
        fail(f"no AF_XDP {mode} runs for {dev}")
    return r


def ping_us(dev, q, knob=None):
    # A knob's run is vnic's; veth's column is its plain run.
    name = f"ping-{dev}-{knob}.txt" if knob and dev == "vnic" else f"ping-{dev}.txt"
    text = (res / "raw" / name).read_text()
    t = sorted(float(m) * 1000 for m in re.findall(r"time=([0-9.]+) ms", text))
    if not t:
        fail(f"no ping times for {dev}")
    # nearest rank
    return t[max(0, -(-len(t) * q // 100) - 1)]


def ping_cost(dev, col):
    """Per round trip of the plain idle ping run: col 0 vnic interrupts,
    1 NET_RX softirqs, 2 TASKLET softirqs, 3 irq_work self-interrupts."""
    f = res / "raw" / f"ping-{dev}.cnt"
    if not f.exists():
        return None
    v = [int(x) for x in f.read_text().split()]
    n = len(re.findall(r"time=", (res / "raw" / f"ping-{dev}.txt").read_text()))
    if len(v) != 8 or not n:
        fail(f"bad ping counters in {f}")
    return (v[4 + col] - v[col]) / n


# The runs a median row is the median of, for its spread (min-max).
def tcp_runs(dev, test):
    return [gbps(r) for r in tcp(dev, test)]


spreads = {
    "TCP 1 stream": lambda d: tcp_runs(d, "tcp1"),
    "TCP 4 streams": lambda d: tcp_runs(d, "tcp4"),
    "TCP 1 stream, rx-gro-hw off": lambda d: tcp_runs(d, "tcp1seg" if d == "vnic" else "tcp1"),
    "UDP 64 B frames received": lambda d: [v / 1e3 for v in pps_runs(d)],
    "XDP_DROP, 64 B frames dropped": lambda d: [v / 1e3 for v in pps_runs(d, "xdpdrop")],
    "XDP_TX, 64 B frames bounced": lambda d: [v / 1e3 for v in pps_runs(d, "xdptx")] if d == "vnic" else None,
    "AF_XDP RX, zero-copy, 64 B frames": lambda d: xsk_runs("vnic", "zerocopy") if d == "vnic" else None,
    "AF_XDP RX, copy, 64 B frames": lambda d: xsk_runs(d, "copy"),
    "Noise: TCP 1 stream, a second veth pair in the vnic column": lambda d: tcp_runs("veth2" if d == "vnic" else "veth", "tcp1"),
    "Noise: UDP 64 B frames, a second veth pair in the vnic column": lambda d: [v / 1e3 for v in pps_runs("veth2" if d == "vnic" else "veth")],
}

# name, unit, function(dev) or None for n/a, target kind, target value
# kinds: "ratio>=" / "ratio<=" compare vnic/veth; "vnic<=" the vnic value
metrics = [
    ("TCP 1 stream", "Gbit/s", lambda d: med(gbps(r) for r in tcp(d, "tcp1")), "ratio>=", 0.8),
    ("TCP 4 streams", "Gbit/s", lambda d: med(gbps(r) for r in tcp(d, "tcp4")), None, None),
    # veth has no such switch: its column is its plain 1-stream run.
    ("TCP 1 stream, rx-gro-hw off", "Gbit/s", lambda d: med(gbps(r) for r in tcp(d, "tcp1seg" if d == "vnic" else "tcp1")), None, None),
    ("UDP 64 B frames received", "kpps", lambda d: pps(d) / 1e3, "ratio>=", 1.0),
    ("XDP_DROP, 64 B frames dropped", "kpps", lambda d: pps(d, "xdpdrop") / 1e3, None, None),
    ("XDP_TX, 64 B frames bounced", "kpps", lambda d: pps(d, "xdptx") / 1e3 if d == "vnic" else None, None, None),
    ("AF_XDP RX, zero-copy, 64 B frames", "kpps", lambda d: med(xsk_runs("vnic", "zerocopy")) if d == "vnic" else None, None, None),
    ("AF_XDP RX, copy, 64 B frames", "kpps", lambda d: med(xsk_runs(d, "copy")), None, None),
    ("Idle ping RTT p50", "us", lambda d: ping_us(d, 50), "ratio<=", 1.2),
    ("Idle ping RTT p99", "us", lambda d: ping_us(d, 99), None, None),
    ("Idle ping RTT p50, threaded NAPI", "us", lambda d: ping_us(d, 50, "threaded"), None, None),
    ("Idle ping RTT p99, threaded NAPI", "us", lambda d: ping_us(d, 99, "threaded"), None, None),
    ("Idle ping RTT p50, napi_defer_hard_irqs 2, gro_flush_timeout 200 us", "us", lambda d: ping_us(d, 50, "defer"), None, None),
    ("Idle ping RTT p99, napi_defer_hard_irqs 2, gro_flush_timeout 200 us", "us", lambda d: ping_us(d, 99, "defer"), None, None),
    ("Idle ping RTT p50, busy polling 50 us", "us", lambda d: ping_us(d, 50, "busypoll"), None, None),
    ("Idle ping RTT p99, busy polling 50 us", "us", lambda d: ping_us(d, 99, "busypoll"), None, None),
    ("Idle ping: vnic interrupts per round trip", "", lambda d: ping_cost(d, 0), None, None),
    ("Idle ping: NET_RX softirqs per round trip", "", lambda d: ping_cost(d, 1), None, None),
    ("Idle ping: TASKLET softirqs (the card's engine) per round trip", "", lambda d: ping_cost(d, 2), None, None),
    ("Idle ping: irq_work self-interrupts per round trip", "", lambda d: ping_cost(d, 3), None, None),
    ("Interrupts/packet, TCP 1 stream", "", lambda d: med(irq_per_pkt(r) for r in tcp(d, "tcp1")) if d == "vnic" else None, "vnic<=", 0.05),
    ("Interrupts/packet, TCP 4 streams", "", lambda d: med(irq_per_pkt(r) for r in tcp(d, "tcp4")) if d == "vnic" else None, None, None),
    ("Interrupts/packet, TCP 1 stream, rx-gro-hw off", "", lambda d: med(irq_per_pkt(r) for r in tcp(d, "tcp1seg")) if d == "vnic" else None, None, None),
    ("NET_RX softirqs/packet, TCP 1 stream", "", lambda d: med(netrx_per_pkt(r) for r in tcp(d, "tcp1")), None, None),
    ("CPU seconds/GB, TCP 1 stream", "", lambda d: med(cpu_s_per_gb(r) for r in tcp(d, "tcp1")), None, None),
    ("CPU seconds/GB, TCP 4 streams", "", lambda d: med(cpu_s_per_gb(r) for r in tcp(d, "tcp4")), None, None),
    ("CPU seconds/GB, TCP 1 stream, rx-gro-hw off", "", lambda d: med(cpu_s_per_gb(r) for r in tcp(d, "tcp1seg" if d == "vnic" else "tcp1")), None, None),
    ("Noise: TCP 1 stream, a second veth pair in the vnic column", "Gbit/s", lambda d: med(tcp_runs("veth2" if d == "vnic" else "veth", "tcp1")), None, None),
    ("Noise: UDP 64 B frames, a second veth pair in the vnic column", "kpps", lambda d: pps("veth2" if d == "vnic" else "veth") / 1e3, None, None),
    ("Noise: idle ping RTT p50, a second veth pair in the vnic column", "us", lambda d: ping_us("veth2" if d == "vnic" else "veth", 50), None, None),
]


def fmt(v):
    if v is None:
        return "n/a"
    if v == 0 or abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 1:
        return f"{v:.2f}"
    return f"{v:.3g}"


def spread(name, dev):
    fn = spreads.get(name)
    v = fn(dev) if fn else None
    if not v or len(v) < 2:
        return ""
    return f"{fmt(min(v))}-{fmt(max(v))}"


summary = []
table = [
    "| Metric | vnic | veth | vnic/veth | Target | Met | vnic runs | veth runs |",
    "|---|---:|---:|---:|---|---|---:|---:|",
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
    sv, se = spread(name, "vnic"), spread(name, "veth")
    table.append(f"| {label} | {fmt(vnic)} | {fmt(veth)} | {fmt(ratio)} | {target} | {verdict} | {sv} | {se} |")
    summary.append([label, fmt(vnic), fmt(veth), fmt(ratio), target, verdict.strip("*"), sv, se])

with open(res / "summary.tsv", "w") as f:
    f.write("metric\tvnic\tveth\tratio\ttarget\tmet\tvnic_runs\tveth_runs\n")
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
    "- XDP_DROP, XDP_TX: the same pktgen runs with a native XDP program on the "
    "peer's port (scripts/tests/xdp_prog.py) that drops every frame (frames its "
    "port received) or bounces every frame back (vnic only: frames its XDP TX ring "
    "took, rx_q*_xdp_tx; the frames vethB bounces wait on vethA's XDP ring, which "
    "pktgen's sending on vethA leaves undrained: 256 go, then every bounce fails).",
    "- AF_XDP RX: scripts/tests/xsk_seq.c rx on queue 0 of the root namespace's "
    f"port, every frame checked, {env.get('xsk', '?')}, fed by xsk_seq tx on the peer's "
    "port as fast as it goes (zero-copy on vnic1; copy on vethB, veth having no "
    "zero-copy); median of the receiver's frames a second. vnic's zero-copy "
    "over its copy row is what zero-copy saves the receiver, as far as the one "
    "sender keeps up: rows close together mean the sender is the bound.",
    "- Runs: the median rows' lowest and highest run (TCP and pktgen rows: "
    "each repeat is a run). Noise rows: a second veth pair (vethC, vethD), "
    "measured as the first in the same rounds, in the vnic column; its ratio "
    "to veth is how far two identical devices differ in this boot.",
    f"- Ping: {env['ping']} on the idle link, nearest-rank percentiles. The rows "
    "with a latency knob are vnic's run with it on both ports (`threaded` 1; "
    "`napi_defer_hard_irqs` 2 and `gro_flush_timeout` 200000; `net.core.busy_read` "
    "and `busy_poll` 50), each after the plain runs; their veth column is veth's plain run.",
    "- Idle ping per round trip: the plain ping run's counts in /proc/interrupts "
    "(vnic's vectors; IWI, the irq_work self-interrupts) and /proc/softirqs "
    "(NET_RX; TASKLET, where the BH workqueue runs the card's engine), all CPUs, "
    "over the replies. They are the whole guest's, so whatever else ran counts too.",
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
