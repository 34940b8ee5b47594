// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the vnic KUnit suites. */

#include <linux/dma-mapping.h>

#include "../driver/card/vnic_card.h"
#include "vnic_test_util.h"

struct vnic_kunit_mem {
	struct device *dev;
	size_t size;
	void *va;
	dma_addr_t dma;
};

static void vnic_kunit_mem_free(void *data)
{
	struct vnic_kunit_mem *m = data;

	dma_free_coherent(m->dev, m->size, m->va, m->dma);
}

/**
 * vnic_kunit_dma_alloc - coherent DMA memory freed when the test ends
 * @test: the test
 * @dev: the device to allocate for
 * @size: bytes
 * @dma: the memory's DMA address, on return
 *
 * Return: its kernel address; the test is aborted if it cannot be had.
 */
void *vnic_kunit_dma_alloc(struct kunit *test, struct device *dev, size_t size,
			   dma_addr_t *dma)
{
	struct vnic_kunit_mem *m;

	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->dev = dev;
	m->size = size;
	m->va = dma_alloc_coherent(dev, size, &m->dma, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->va);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vnic_kunit_mem_free, m), 0);
	*dma = m->dma;
	return m->va;
}

/**
 * vnic_kunit_card_destroy - vnic_card_destroy() as a kunit deferred action
 * @card: the card
 */
void vnic_kunit_card_destroy(void *card)
{
	vnic_card_destroy(card);
}
