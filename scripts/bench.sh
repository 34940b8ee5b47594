#!/bin/bash
#
# bench.sh - `make bench`: vnic against veth, measured side by side in one
# guest boot (QEMU TCG, 2 vCPUs), as issue 5 asks; once on QEMU's default
# CPU and machine and once on -cpu max -machine q35, in one invocation
# (issue 16: how the emulated CPU copies and checksums moves the ratios).
#
# Builds vnic.ko for the pinned kernel (scripts/build.sh), and for each CPU
# model boots one guest with scripts/vm.sh and runs scripts/bench-guest.sh
# in it (which measures and writes raw numbers), then, on the host, in
# that model's folder (default/, max/):
#   results.md     one row per metric: vnic, veth, vnic/veth, the issue's
#                  target and whether it is met; printed at the end
#   summary.tsv    the same numbers, tab-separated
#   sweep.tsv      vnic rx-usecs sweep: throughput and interrupts per packet
#   sweep.png      the sweep plotted (gnuplot, two panels)
#   sweep.txt      the same plot as text (gnuplot's dumb terminal)
#   raw/, runs.tsv, pktgen.tsv, guest-env.txt   what the guest measured
#   vm/            the guest's console log and dmesg
# and readme.md, the README's Benchmark section for both, at the top; all
# in $VNIC_CACHE/bench/<timestamp>/ (outside git; "latest" links to the
# newest). The guest script's header says how each number is taken.
#
# Usage: scripts/bench.sh                   measure, then report
#        scripts/bench.sh --report DIR      only redo the tables, plots and
#                                           README section of a results DIR
# Env:   vm.sh's knobs; VNIC_VM_TIMEOUT defaults to 1800 s here.
#        VNIC_BENCH_CPUS: the CPU models, of "default" (QEMU's own CPU
#        and machine, or VNIC_VM_CPU/VNIC_VM_MACHINE if set) and "max"
#        (-cpu max -machine q35); default both.
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

# measure MODEL: boot the guest on CPU model MODEL (default, max) and run
# bench-guest.sh; fills res (that model's folder under top) with what the
# guest wrote and host-env.txt. The caller has built $top/vnic.ko.
measure() {
	local model=$1 KVER pktgen_dir wait_secs waited rc others_before others_after
	local cpu=${VNIC_VM_CPU:-} machine=${VNIC_VM_MACHINE:-}
	case $model in
	default) ;;
	max) cpu=max machine=q35 ;;
	*) die "bench: VNIC_BENCH_CPUS: unknown CPU model '$model' (default, max)" ;;
	esac
	KVER=$(vnic_kver)
	pktgen_dir=$(vnic_kernel_source "$KVER")/samples/pktgen
	[[ -f $pktgen_dir/pktgen_sample01_simple.sh ]] ||
		die "no pktgen_sample01_simple.sh in $pktgen_dir"
	res=$top/$model
	mkdir -p "$res"

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

	log "bench: booting the guest, CPU model $model (about 8 minutes of measurements)"
	rc=0
	VNIC_KO=$top/vnic.ko VNIC_PKTGEN_DIR=$pktgen_dir VNIC_VM_OUT=$res/vm \
		VNIC_VM_TIMEOUT=${VNIC_VM_TIMEOUT:-1800} VNIC_VM_CPU=$cpu VNIC_VM_MACHINE=$machine \
		"$VNIC_ROOT/scripts/vm.sh" "$VNIC_ROOT/scripts/bench-guest.sh" || rc=$?
	others_after=$(other_vms)
	[[ $rc -eq 0 ]] || die "bench: the guest run failed (status $rc); see $res/vm/console.log"

	cp -r "$res/vm/share/." "$res/"
	rm -f "$res/cmd" "$res/status"
	{
		echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
		echo "host nproc: $(nproc)"
		echo "host cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
		echo "guest: QEMU TCG, 2 vCPUs, CPU model ${cpu:-qemu64 (the QEMU default)}, machine ${machine:-pc (the QEMU default)}, ${VNIC_VM_MEM:-2048} MiB, kernel $KVER"
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

# readme_section MODEL...: the README's Benchmark section for this run.
readme_section() {
	local model
	cat <<'EOF'
## Benchmark

`make bench` (scripts/bench.sh, bench-guest.sh and bench_report.py)
measures vnic and veth side by side in one guest boot, about 12 minutes
under TCG, once per CPU model, and writes raw data, `results.md`,
`sweep.png` and `sweep.txt` per model to
`~/.cache/vnic/bench/<timestamp>/default/` and `.../max/`, and this
section for both to `readme.md` there. It fails if any number cannot be
taken. `VNIC_BENCH_QUICK=1` makes every run short, to try the bench
itself; `scripts/bench.sh --report DIR` redoes the tables and plots of a
results folder. It runs twice, on QEMU's default CPU and on `-cpu max
-machine q35` (`VNIC_BENCH_CPUS` picks), because how the emulated CPU
copies and checksums moves the ratios. The targets are issues 5's and
16's. The latest run:
EOF
	for model in "$@"; do
		printf '\n### CPU model: %s\n\n' "$model"
		sed -n '3,$p' "$top/$model/results.md"
	done
	model=$1
	printf '\nThe rx-usecs sweep on the %s CPU model (sweep.png in its results folder):\n\n```\n' "$model"
	# without form feeds, trailing blanks and blank lines around the plot
	awk '{ gsub(/\f/, ""); sub(/[ \t]+$/, ""); line[NR] = $0; if (NF) { if (!first) first = NR; last = NR } }
	     END { for (i = first; i <= last; i++) print line[i] }' "$top/$model/sweep.txt"
	echo '```'
}

# report: the tables and plots of res (one CPU model's folder).
report() {
	table
	plot "pngcairo size 900,700" "$res/sweep.png" "set grid"
	plot "dumb size 79,40" "$res/sweep.txt" ""
	[[ -s $res/sweep.png && -s $res/sweep.txt ]] || die "gnuplot wrote no plot"
}

read -ra models <<<"${VNIC_BENCH_CPUS:-default max}"
[[ ${#models[@]} -gt 0 ]] || die "bench: VNIC_BENCH_CPUS names no CPU model"
if [[ ${1:-} == --report ]]; then
	top=$(realpath -e "${2:?usage: $0 --report RESULTS_DIR}")
	models=()
	for m in default max; do
		[[ -f $top/$m/runs.tsv ]] && models+=("$m")
	done
	[[ ${#models[@]} -gt 0 ]] || die "bench: no default/ or max/ results in $top"
	for m in "${models[@]}"; do
		res=$top/$m
		report
	done
else
	# One bench at a time: two would measure each other.
	vnic_lock "$VNIC_CACHE/bench/bench.lock"
	top=$VNIC_CACHE/bench/$(date +%Y%m%d-%H%M%S)
	mkdir -p "$top"
	log "bench: results go to $top"
	# The guests load this copy, so a rebuild meanwhile cannot change it;
	# the version is the tree's as it is built, not as it is at the end.
	version=$(git -C "$VNIC_ROOT" describe --always --dirty 2>/dev/null || echo unknown)
	ko=$("$VNIC_ROOT/scripts/build.sh" | tail -n1)
	cp "$ko" "$top/vnic.ko"
	for m in "${models[@]}"; do
		measure "$m"
		report
	done
	ln -sfn "$(basename "$top")" "$VNIC_CACHE/bench/latest"
fi
readme_section "${models[@]}" >"$top/readme.md"
for m in "${models[@]}"; do
	echo
	echo "CPU model $m:"
	cat "$top/$m/results.md"
done
echo
cat "$top/${models[0]}/sweep.txt"
echo
log "bench: results in $top (per CPU model: results.md, sweep.png, sweep.txt, raw/; readme.md)"
