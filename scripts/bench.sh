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
#        VNIC_VM_CPU / VNIC_VM_MACHINE pick the emulated CPU and machine
#        (e.g. max and q35); the report names them.
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
		echo "guest: QEMU TCG, 2 vCPUs, CPU model ${VNIC_VM_CPU:-qemu64 (the QEMU default)}, machine ${VNIC_VM_MACHINE:-pc (the QEMU default)}, ${VNIC_VM_MEM:-2048} MiB, kernel $KVER"
		echo "vnic: $version (built from the working tree at the start)"
		echo "other QEMU guests on the host: $others_before at the start, $others_after at the end"
	} >"$res/host-env.txt"
}

# table: results.md, summary.tsv and sweep.tsv from the raw numbers in res.
table() {
	python3 "$VNIC_ROOT/scripts/bench_report.py" "$res"
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

`make bench` (scripts/bench.sh, bench-guest.sh and bench_report.py)
measures vnic and veth side by side in one guest boot, about 10 minutes
under TCG, and writes raw data, `results.md`, `sweep.png` and `sweep.txt` to
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
