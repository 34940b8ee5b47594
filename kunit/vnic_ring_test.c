// SPDX-License-Identifier: GPL-2.0
/*
 * vnic-ring: placeholder suite proving the KUnit path.
 */
#include <kunit/test.h>
#include <linux/log2.h>

static void vnic_ring_pow2_test(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, is_power_of_2(256));
	KUNIT_EXPECT_FALSE(test, is_power_of_2(100));
}

static struct kunit_case vnic_ring_cases[] = {
	KUNIT_CASE(vnic_ring_pow2_test),
	{}
};

static struct kunit_suite vnic_ring_suite = {
	.name = "vnic-ring",
	.test_cases = vnic_ring_cases,
};
kunit_test_suite(vnic_ring_suite);

MODULE_DESCRIPTION("KUnit tests for vnic");
MODULE_LICENSE("GPL");
