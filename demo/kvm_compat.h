/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uAPI of the "userspace SMCCC exits" series, for building against 6.1-era
 * system headers. With the series' own headers (make KHDR=...) every
 * definition below comes from <linux/kvm.h> and only the overlay check runs.
 */
#ifndef DEMO_KVM_COMPAT_H
#define DEMO_KVM_COMPAT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

/*
 * Same layout as the arm_hypercall member of the kvm_run exit union, with
 * libc types so the handlers can use uint64_t throughout.
 */
struct demo_hypercall {
	uint64_t regs[18];
	uint64_t flags;
	uint16_t imm;
	uint16_t pad[3];
};

#ifdef KVM_CAP_ARM_HYPERCALL_TO_USER
_Static_assert(offsetof(struct kvm_run, arm_hypercall) ==
	       offsetof(struct kvm_run, hypercall),
	       "arm_hypercall is not at the start of the exit union");
_Static_assert(sizeof(((struct kvm_run *)0)->arm_hypercall) ==
	       sizeof(struct demo_hypercall),
	       "arm_hypercall layout differs from struct demo_hypercall");
#define run_hypercall(run)	((struct demo_hypercall *)&(run)->arm_hypercall)
#else
#define KVM_CAP_ARM_HYPERCALL_TO_USER	224
/* The member sits at the start of the exit union, like run->hypercall. */
#define run_hypercall(run)	((struct demo_hypercall *)&(run)->hypercall)
#endif

#ifndef KVM_CAP_ARM_PSCI_TO_USER
#define KVM_CAP_ARM_PSCI_TO_USER	225
#endif

#ifndef KVM_ARM_HYPERCALL_HVC
#define KVM_ARM_HYPERCALL_HVC		(1ULL << 0)
#define KVM_ARM_HYPERCALL_SMC		(1ULL << 1)
#endif

#ifndef KVM_ARM_HYPERCALL_EXIT_SMC
#define KVM_ARM_HYPERCALL_EXIT_SMC		(1ULL << 0)
#define KVM_ARM_HYPERCALL_EXIT_AARCH32		(1ULL << 1)
#define KVM_ARM_HYPERCALL_EXIT_16BIT		(1ULL << 2)
#define KVM_ARM_HYPERCALL_EXIT_COND_PASSED	(1ULL << 3)
#endif

/*
 * As the series defines and documents it (api.rst): in the firmware
 * bitmap register space, 0x6030 0000 0016 01<i>.
 */
#ifndef KVM_REG_ARM_FW_HANDLED_RANGES
#define KVM_REG_ARM_FW_HANDLED_RANGES		16
#define KVM_REG_ARM_FW_HANDLED_RANGE(i)	KVM_REG_ARM_FW_FEAT_BMAP_REG(0x100 + (i))
#endif

#endif
