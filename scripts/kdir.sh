#!/bin/bash
#
# kdir.sh - print the default KDIR for `make`: the running kernel's build
# directory if it exists, else the pinned Debian 6.12 headers.
#
# Usage: scripts/kdir.sh [SERIES]
#   SERIES (make's KERNEL=6.1 or KERNEL=6.12): the pinned headers of that
#   series, whatever the running kernel is.

set -euo pipefail

running=/lib/modules/$(uname -r)/build
if [[ -z ${1:-} && -d $running ]]; then
	echo "$running"
	exit 0
fi
# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"
VNIC_KSERIES=${1:-6.12}
vnic_headers_dir "$(vnic_target_kver)"
