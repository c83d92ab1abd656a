/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TEST_ASSERT_EQ() as upstream added it to the KVM selftests' test_util.h in
 * 6.5. Debian's 6.1.192 backports a dirty_log_test fix that uses it, so
 * scripts/selftests.sh forces this header in (-include) while test_util.h
 * lacks it. A macro only: TEST_ASSERT() is resolved where it is used.
 */
#ifndef __ASSEMBLY__
#define TEST_ASSERT_EQ(a, b)						\
	TEST_ASSERT((a) == (b), "%#lx != %#lx (%s == %s)",		\
		    (unsigned long)(a), (unsigned long)(b), #a, #b)
#endif
