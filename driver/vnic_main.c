// SPDX-License-Identifier: GPL-2.0
/*
 * vnic module entry: placeholder until the card and driver land.
 */
#include <linux/module.h>

static int __init vnic_init(void)
{
	return 0;
}
module_init(vnic_init);

static void __exit vnic_exit(void)
{
}
module_exit(vnic_exit);

MODULE_DESCRIPTION("vnic: a simulated NIC and its driver");
MODULE_LICENSE("GPL");
