/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Module glue: plugging cards in and out at runtime (the KUnit suites
 * call these too).
 */
#ifndef _VNIC_MAIN_H_
#define _VNIC_MAIN_H_

#include <linux/types.h>

int vnic_create_cards(u32 id, u32 num_queues);
int vnic_destroy_cards(u32 id);

#endif /* _VNIC_MAIN_H_ */
