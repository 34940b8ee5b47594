#!/bin/bash
#
# rss-ctx-guest.sh SRC - in a guest, run the kernel's own RSS context test,
# tools/testing/selftests/drivers/net/hw/rss_ctx.py from the linux-source
# tree extracted at SRC, against vnic: vnic0 local, vnic1 in netns ns1
# (REMOTE_TYPE=netns), 16 queues per port. Not part of make check.
#
#   VNIC_KO=$(scripts/build.sh | tail -n1) scripts/vm.sh scripts/rss-ctx-guest.sh SRC
#
# SRC must hold tools/testing/selftests/{drivers/net,net/lib}, tools/net/ynl
# and Documentation/netlink/specs, outside /tmp (the guest's own tmpfs).

set -euo pipefail

src=${1:?usage: rss-ctx-guest.sh LINUX-SOURCE-DIR}

insmod "$VNIC_KO" num_queues=16
ip netns add ns1
ip -n ns1 link set lo up
ip link set vnic1 netns ns1
ip addr add 198.18.0.1/24 dev vnic0
ip -n ns1 addr add 198.18.0.2/24 dev vnic1
ip link set vnic0 up
ip -n ns1 link set vnic1 up
for _ in $(seq 50); do
	ip link show vnic0 | grep -q LOWER_UP && break
	sleep 0.1
done

# Debian 12's ethtool 6.1 has no --json for -x and -c, which rss_ctx.py
# reads: a shim answers those two from netlink (ynl), as a newer ethtool
# would; everything else goes to the real one.
shim=$(mktemp -d)
cat >"$shim/ethtool" <<SHIM
#!/usr/bin/python3
import json, os, sys
args = sys.argv[1:]
if '--json' not in args or not ({'-x', '-c'} & set(args)):
    os.execv('/usr/sbin/ethtool', ['ethtool'] + args)
sys.path.append('$src/tools')
from net.ynl.lib import YnlFamily
eth = YnlFamily('$src/Documentation/netlink/specs/ethtool.yaml', schema='')
args.remove('--json')
dev = args[1]
if args[0] == '-c':
    out = eth.coalesce_get({'header': {'dev-name': dev}})
    out.pop('header', None)
else:
    req = {'header': {'dev-name': dev}}
    if 'context' in args and int(args[args.index('context') + 1]):
        req['context'] = int(args[args.index('context') + 1])
    rss = eth.rss_get(req)
    out = {'rss-indirection-table': rss.get('indir', []),
           'rss-hash-key': list(rss.get('hkey', b'')),
           'rss-hash-function': 'toeplitz' if rss.get('hfunc') == 1 else str(rss.get('hfunc'))}
out['ifname'] = dev
print(json.dumps([out]))
SHIM
chmod +x "$shim/ethtool"

cd "$src/tools/testing/selftests/drivers/net"
rc=0
PATH=$shim:$PATH NETIF=vnic0 LOCAL_V4=198.18.0.1 REMOTE_V4=198.18.0.2 REMOTE_TYPE=netns \
	REMOTE_ARGS=ns1 python3 hw/rss_ctx.py || rc=$?

ip netns del ns1
rmmod vnic
exit "$rc"
