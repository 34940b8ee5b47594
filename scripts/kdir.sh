#!/bin/bash
#
# kdir.sh - print the default KDIR for `make`: the running kernel's build
# directory if it exists, else the pinned Debian 6.12 headers.

set -euo pipefail

running=/lib/modules/$(uname -r)/build
if [[ -d $running ]]; then
	echo "$running"
	exit 0
fi
# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"
vnic_headers_dir "$(vnic_kver)"
