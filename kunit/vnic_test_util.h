/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the vnic KUnit suites. */
#ifndef _VNIC_TEST_UTIL_H_
#define _VNIC_TEST_UTIL_H_

#include <kunit/test.h>
#include <linux/types.h>

struct device;

void *vnic_kunit_dma_alloc(struct kunit *test, struct device *dev, size_t size,
			   dma_addr_t *dma);
void vnic_kunit_card_destroy(void *card);

#endif /* _VNIC_TEST_UTIL_H_ */
