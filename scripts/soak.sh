#!/bin/bash
#
# soak.sh - the reconfiguration stress (scripts/tests/75-churn.sh) for a
# set time, boot after boot, on the plain and the debug kernel. Any kernel
# report (WARNING, BUG, Oops, KASAN, lockdep, kmemleak, ...), a failed
# change or lost traffic fails the boot, and the console and dmesg of that
# boot are kept.
#
# Usage: scripts/soak.sh            (make soak)
# Env:   SOAK_MIN      minutes per kernel (default 30)
#        SOAK_BOOT_MIN minutes of churn per boot (default 3): each kernel
#                      gets SOAK_MIN / SOAK_BOOT_MIN boots, at least one
#        SOAK_KERNELS  which kernels, in order (default "plain debug")
#        SOAK_SMP      guest vCPUs (default 2; see DEVELOPERS.md on why not
#                      more)
#        SOAK_SEED     first seed (default from the clock); boot N uses
#                      SOAK_SEED + N, and each boot prints its seed
#
# A failed boot's seed repeats its sequence of changes:
#   VNIC_CHURN_SEED=S VNIC_CHURN_SECONDS=180 scripts/e2e.sh 75-churn
# (the timing of the guest differs run to run, so a race may need a few).
#
# The last line is "N passed, N failed", counting boots.

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

SOAK_MIN=${SOAK_MIN:-30}
SOAK_BOOT_MIN=${SOAK_BOOT_MIN:-3}
SOAK_KERNELS=${SOAK_KERNELS:-plain debug}
SOAK_SMP=${SOAK_SMP:-2}
SOAK_SEED=${SOAK_SEED:-$(date +%s)}
for v in SOAK_MIN SOAK_BOOT_MIN SOAK_SMP SOAK_SEED; do
	[[ ${!v} =~ ^[0-9]+(\.[0-9]+)?$ && ${!v} != 0 ]] ||
		die "$v=${!v}: must be a positive number"
done
for k in $SOAK_KERNELS; do
	[[ $k == plain || $k == debug ]] || die "SOAK_KERNELS: '$k' is not a kernel; use plain and/or debug"
done

boots=$(awk -v a="$SOAK_MIN" -v b="$SOAK_BOOT_MIN" 'BEGIN { n = int(a / b); print (n < 1 ? 1 : n) }')
secs=$(awk -v a="$SOAK_MIN" -v n="$boots" 'BEGIN { print int(a * 60 / n) }')
keep=$VNIC_CACHE/soak/$(date +%Y%m%d-%H%M%S)
mkdir -p "$keep"
log "soak: $boots boot(s) of $secs s of churn per kernel ($SOAK_KERNELS), -smp $SOAK_SMP; failures kept in $keep"

pass=0
fail=0
n=0
start=$SECONDS
for kernel in $SOAK_KERNELS; do
	args=()
	flavour=e2e
	if [[ $kernel == debug ]]; then
		args=(--debug)
		flavour=e2e-debug
	fi
	for i in $(seq "$boots"); do
		n=$((n + 1))
		seed=$((SOAK_SEED + n))
		t0=$SECONDS
		rc=0
		VNIC_CHURN_SEED=$seed VNIC_CHURN_SECONDS=$secs VNIC_VM_SMP=$SOAK_SMP \
			VNIC_TEST_TIMEOUT=$((secs + 600)) VNIC_VM_QUIET=1 \
			VNIC_VM_TIMEOUT=$((secs * 3 + 1800)) \
			"$VNIC_ROOT/scripts/e2e.sh" "${args[@]}" 75-churn >"$keep/boot-$n.log" 2>&1 || rc=$?
		out=$VNIC_CACHE/vm/$flavour-last-$VNIC_TREE_ID
		what=$(grep -m1 -E '^(not )?ok [0-9]+ - churn' "$out/share/tests/75-churn.tap" 2>/dev/null |
			cut -c1-160 || true)
		if [[ $rc -eq 0 ]]; then
			pass=$((pass + 1))
			echo "ok $n - $kernel boot $i, seed $seed, $((SECONDS - t0)) s: ${what#ok * - }"
		else
			fail=$((fail + 1))
			cp "$out/console.log" "$keep/boot-$n-console.log" 2>/dev/null || true
			cp "$out/share/dmesg" "$keep/boot-$n-dmesg" 2>/dev/null || true
			cp "$out/share/tests/75-churn.tap" "$keep/boot-$n.tap" 2>/dev/null || true
			echo "not ok $n - $kernel boot $i, seed $seed, $((SECONDS - t0)) s (e2e status $rc)"
			grep -h -m5 -E "$VNIC_DMESG_BAD" "$keep/boot-$n-console.log" 2>/dev/null |
				sed 's/^/#   /' || true
			grep -h -A3 -E '^not ok' "$keep/boot-$n.tap" 2>/dev/null | sed 's/^/#   /' || true
			echo "#   log: $keep/boot-$n.log, console: $keep/boot-$n-console.log"
		fi
	done
done
echo "soak: $n boot(s) in $((SECONDS - start)) s"
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
