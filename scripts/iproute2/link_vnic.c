// SPDX-License-Identifier: GPL-2.0
/*
 * iproute2 plugin for the "vnic" link kind: what ip needs to parse
 *   ip link add NAME type vnic peer name PEER [PEER'S OPTIONS]
 * and to print vnic's details in ip -d link show. ip (iproute2 from 4.x
 * on, built with -export-dynamic as Debian's is) dlopen()s
 * $IP_LIB_DIR/link_vnic.so (default /usr/lib/x86_64-linux-gnu/ip on
 * Debian) for a kind it does not know and looks up vnic_link_util, as it
 * does its own link_veth. The peer's options (name, netns, numtxqueues,
 * address, mtu, ...) are parsed by ip's own iplink_parse(), as veth's are.
 *
 * Build: gcc -shared -fPIC -O2 -I include -o link_vnic.so scripts/iproute2/link_vnic.c
 */
#include <stdio.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "vnic_link.h"

/* iproute2's ip/ip_common.h, stable since 4.x. */
struct link_util {
	struct link_util *next;
	const char *id;
	int maxattr;
	int (*parse_opt)(struct link_util *lu, int argc, char **argv, struct nlmsghdr *n);
	void (*print_opt)(struct link_util *lu, FILE *f, struct rtattr *tb[]);
	void (*print_xstats)(struct link_util *lu, FILE *f, struct rtattr *xstats);
	void (*print_help)(struct link_util *lu, int argc, char **argv, FILE *f);
	int (*parse_ifla_xstats)(struct link_util *lu, int argc, char **argv);
	int (*print_ifla_xstats)(struct nlmsghdr *n, void *arg);
};

struct iplink_req {
	struct nlmsghdr n;
	struct ifinfomsg i;
	char buf[1024];
};

/* Exported by the ip binary. */
int iplink_parse(int argc, char **argv, struct iplink_req *req, char **type);
struct rtattr *addattr_nest(struct nlmsghdr *n, int maxlen, int type);
int addattr_nest_end(struct nlmsghdr *n, struct rtattr *nest);
int is_json_context(void);
int print_color_uint(int type, int color, const char *key, const char *fmt, unsigned int value);

#define VNIC_PRINT_JSON	2	/* iproute2's PRINT_JSON */

static void vnic_print_help(struct link_util *lu, int argc, char **argv, FILE *f)
{
	fprintf(f,
		"Usage: ip link add NAME type vnic peer name PEER [ netns NS ] [ OPTIONS ]\n"
		"A new vnic card: NAME on port 0, PEER on port 1. numtxqueues and\n"
		"numrxqueues (equal, 1-128) set the card's queue pairs.\n");
}

static int vnic_parse_opt(struct link_util *lu, int argc, char **argv, struct nlmsghdr *n)
{
	struct ifinfomsg *ifm = NLMSG_DATA(n), *peer_ifm;
	unsigned int flags = ifm->ifi_flags, change = ifm->ifi_change;
	int index = ifm->ifi_index;
	struct rtattr *data;
	char *type = NULL;
	int err;

	if (strcmp(argv[0], "peer") != 0) {
		vnic_print_help(lu, argc, argv, stderr);
		return -1;
	}

	/* The peer's options go into a struct ifinfomsg of their own. */
	ifm->ifi_flags = 0;
	ifm->ifi_change = 0;
	ifm->ifi_index = 0;
	data = addattr_nest(n, 1024, IFLA_VNIC_PEER);
	n->nlmsg_len += sizeof(struct ifinfomsg);
	err = iplink_parse(argc - 1, argv + 1, (struct iplink_req *)n, &type);
	if (err < 0)
		return err;
	if (type) {
		fprintf(stderr, "vnic: the peer takes no \"type\"\n");
		return -1;
	}
	peer_ifm = RTA_DATA(data);
	peer_ifm->ifi_index = ifm->ifi_index;
	peer_ifm->ifi_flags = ifm->ifi_flags;
	peer_ifm->ifi_change = ifm->ifi_change;
	ifm->ifi_flags = flags;
	ifm->ifi_change = change;
	ifm->ifi_index = index;
	addattr_nest_end(n, data);
	return argc - 1 - err;
}

static void vnic_print_u32(FILE *f, struct rtattr *attr, const char *key)
{
	unsigned int val;

	if (!attr || RTA_PAYLOAD(attr) < sizeof(val))
		return;
	memcpy(&val, RTA_DATA(attr), sizeof(val));
	if (is_json_context())
		print_color_uint(VNIC_PRINT_JSON, 0, key, NULL, val);
	else
		fprintf(f, "%s %u ", key, val);
}

static void vnic_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	if (!tb)
		return;
	vnic_print_u32(f, tb[IFLA_VNIC_CARD], "card");
	vnic_print_u32(f, tb[IFLA_VNIC_PORT], "port");
	vnic_print_u32(f, tb[IFLA_VNIC_QUEUES], "queues");
}

struct link_util vnic_link_util = {
	.id		= "vnic",
	.maxattr	= IFLA_VNIC_MAX,
	.parse_opt	= vnic_parse_opt,
	.print_opt	= vnic_print_opt,
	.print_help	= vnic_print_help,
};
