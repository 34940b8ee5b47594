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

cd "$src/tools/testing/selftests/drivers/net"
rc=0
NETIF=vnic0 LOCAL_V4=198.18.0.1 REMOTE_V4=198.18.0.2 REMOTE_TYPE=netns REMOTE_ARGS=ns1 \
	python3 hw/rss_ctx.py || rc=$?

ip netns del ns1
rmmod vnic
exit "$rc"
