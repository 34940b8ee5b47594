/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attributes of a vnic link (IFLA_INFO_DATA of kind "vnic"), shared by
 * the driver and the iproute2 plugin (scripts/iproute2/link_vnic.c), as a
 * uapi header would be. Plain C: it includes nothing.
 */
#ifndef _VNIC_LINK_H_
#define _VNIC_LINK_H_

enum {
	IFLA_VNIC_UNSPEC,
	IFLA_VNIC_PEER,		/* ip link add: nested struct ifinfomsg + IFLA_* */
	IFLA_VNIC_CARD,		/* u32, dump only: the card's number */
	IFLA_VNIC_PORT,		/* u32, dump only: the port on the card, 0 or 1 */
	IFLA_VNIC_QUEUES,	/* u32, dump only: queue pairs the card has */
	__IFLA_VNIC_MAX
};

#define IFLA_VNIC_MAX	(__IFLA_VNIC_MAX - 1)

#endif /* _VNIC_LINK_H_ */
