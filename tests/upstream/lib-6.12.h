/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What upstream's 6.12 KVM selftest library does that 6.1's does not, for
 * building upstream's own tests unchanged against the series' 6.1 tree.
 * scripts/selftests.sh forces it in (-include) for those tests only.
 * Library behaviour only: the tests' logic and the uapi are the series'.
 */
#ifndef UPSTREAM_LIB_6_12_H
#define UPSTREAM_LIB_6_12_H

#include "kvm_util.h"
#include "processor.h"

/*
 * 6.2+ sets up ucalls in every VM that __vm_create() makes (commit
 * "KVM: selftests: Automatically do init_ucall() for non-barebones VMs");
 * on 6.1 each test calls ucall_init() itself, or GUEST_SYNC() writes
 * through a NULL pointer in the guest.
 */
static inline struct kvm_vm *upstream_vm_create(uint32_t nr_runnable_vcpus)
{
	struct kvm_vm *vm = vm_create(nr_runnable_vcpus);

	ucall_init(vm, NULL);
	return vm;
}
#define vm_create(nr_runnable_vcpus) upstream_vm_create(nr_runnable_vcpus)

/*
 * smccc_smc(), upstream since 6.4, for a series whose library lacks it
 * (scripts/selftests.sh defines UPSTREAM_NEED_SMCCC_SMC then).
 */
#ifdef UPSTREAM_NEED_SMCCC_SMC
static inline void smccc_smc(uint32_t function_id, uint64_t arg0, uint64_t arg1,
			     uint64_t arg2, uint64_t arg3, uint64_t arg4,
			     uint64_t arg5, uint64_t arg6, struct arm_smccc_res *res)
{
	asm volatile("mov   w0, %w[function_id]\n"
		     "mov   x1, %[arg0]\n"
		     "mov   x2, %[arg1]\n"
		     "mov   x3, %[arg2]\n"
		     "mov   x4, %[arg3]\n"
		     "mov   x5, %[arg4]\n"
		     "mov   x6, %[arg5]\n"
		     "mov   x7, %[arg6]\n"
		     "smc   #0\n"
		     "mov   %[res0], x0\n"
		     "mov   %[res1], x1\n"
		     "mov   %[res2], x2\n"
		     "mov   %[res3], x3\n"
		     : [res0] "=r"(res->a0), [res1] "=r"(res->a1),
		       [res2] "=r"(res->a2), [res3] "=r"(res->a3)
		     : [function_id] "r"(function_id), [arg0] "r"(arg0),
		       [arg1] "r"(arg1), [arg2] "r"(arg2), [arg3] "r"(arg3),
		       [arg4] "r"(arg4), [arg5] "r"(arg5), [arg6] "r"(arg6)
		     : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7");
}
#endif

#endif /* UPSTREAM_LIB_6_12_H */
