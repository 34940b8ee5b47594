#!/bin/bash
#
# checkpatch.sh - run checkpatch.pl --strict --no-tree from the pinned
# kernel source over every .c and .h file in driver/, include/ and kunit/,
# and pyflakes over every Python file in scripts/.
#
# One test point per file: a file passes when checkpatch (or pyflakes)
# reports nothing (no error, warning or check). Prints "checkpatch: N passed, N failed" and
# writes "PASSED FAILED" to $VNIC_COUNTS if that is set.

set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

SRC=$(vnic_kernel_source "$(vnic_kver)")
CHECKPATCH=$SRC/scripts/checkpatch.pl

cd "$VNIC_ROOT"
mapfile -t files < <(find driver include kunit -name '*.[ch]' -type f | sort)
[[ ${#files[@]} -gt 0 ]] || die "no .c or .h files under driver/ include/ kunit/"

pass=0
fail=0

# point FILE CMD...: one test point; FILE passes when CMD succeeds and
# prints nothing.
point() {
	local f=$1 out
	shift
	if out=$("$@" 2>&1) && [[ -z $out ]]; then
		echo "ok - $f"
		pass=$((pass + 1))
	else
		echo "not ok - $f"
		# shellcheck disable=SC2001 # indent a multi-line report
		sed 's/^/    /' <<<"$out"
		fail=$((fail + 1))
	fi
}
for f in "${files[@]}"; do
	extra=()
	# The ethtool stats ops fill the kernel's own IEEE 802.3 names
	# (struct ethtool_eth_mac_stats): checkpatch in the kernel tree knows
	# them from include/, with --no-tree it calls them CamelCase.
	[[ $f == driver/nic/vnic_ethtool.c ]] && extra=(--ignore CAMELCASE)
	# The compat header is the one place that tests the kernel's version
	# (LINUX_VERSION_CODE, compared as a constant); its wrappers take
	# arguments one kernel does not need (__assign_str()'s source), use a
	# format string twice (NL_SET_ERR_MSG_FMT() for 6.1) and define the
	# ethtool_puts() that checkpatch would have them call.
	[[ $f == include/vnic_compat.h ]] &&
		extra=(--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON,MACRO_ARG_UNUSED,MACRO_ARG_REUSE,PREFER_ETHTOOL_PUTS)
	# Its struct bus_type is const only from 6.4 on (VNIC_BUS_CONST).
	[[ $f == driver/bus/vnic_bus.c ]] && extra=(--ignore CONST_STRUCT)
	point "$f" perl "$CHECKPATCH" --strict --no-tree --show-types --quiet "${extra[@]}" -f "$f"
done

# The harness's Python (bench report, test helpers, the selftests runner).
mapfile -t pyfiles < <(find scripts -name '*.py' -type f | sort)
for f in "${pyfiles[@]}"; do
	point "$f" pyflakes3 "$f"
done

echo "checkpatch: $pass passed, $fail failed (one point per file)"
if [[ -n ${VNIC_COUNTS:-} ]]; then
	echo "$pass $fail" >"$VNIC_COUNTS"
fi
[[ $fail -eq 0 ]] || exit 1
