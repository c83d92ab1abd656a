// SPDX-License-Identifier: GPL-2.0
/*
 * The series' uAPI, v1 (patches/0005-0007): KVM_CAP_ARM_HYPERCALL_TO_USER
 * (224) and KVM_CAP_ARM_PSCI_TO_USER (225), the exit in run->arm_hypercall,
 * KVM_REG_ARM_FW_HANDLED_RANGE(i). Everything that changes with v2
 * (docs/uapi-v2.md) is in this file.
 *
 * With the series' own headers (make KHDR=...) the definitions come from
 * <linux/kvm.h> and only the layout checks run; with 6.1-era system
 * headers the fallbacks below stand in.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/ioctl.h>

#include "vmm.h"

/* Same layout as run->arm_hypercall, with libc types */
struct v1_hypercall {
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
	       sizeof(struct v1_hypercall),
	       "arm_hypercall layout differs from struct v1_hypercall");
#define run_hypercall(run)	((struct v1_hypercall *)(void *)&(run)->arm_hypercall)
#else
#define KVM_CAP_ARM_HYPERCALL_TO_USER	224
/* The member sits at the start of the exit union, like run->hypercall. */
#define run_hypercall(run)	((struct v1_hypercall *)(void *)&(run)->hypercall)
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

/* In the firmware bitmap register space, 0x6030 0000 0016 01<i> (api.rst) */
#ifndef KVM_REG_ARM_FW_HANDLED_RANGES
#define KVM_REG_ARM_FW_HANDLED_RANGES		16
#define KVM_REG_ARM_FW_HANDLED_RANGE(i)	KVM_REG_ARM_FW_FEAT_BMAP_REG(0x100 + (i))
#endif

const uint32_t smccc_cap_hypercall_to_user = KVM_CAP_ARM_HYPERCALL_TO_USER;
const uint32_t smccc_cap_psci_to_user = KVM_CAP_ARM_PSCI_TO_USER;

static uint64_t kvm_conduits(uint32_t conduits)
{
	return (conduits & VMM_CONDUIT_HVC ? KVM_ARM_HYPERCALL_HVC : 0) |
	       (conduits & VMM_CONDUIT_SMC ? KVM_ARM_HYPERCALL_SMC : 0);
}

int smccc__conduits(struct vm *vm)
{
	int ret = vm__check_extension(vm, KVM_CAP_ARM_HYPERCALL_TO_USER);

	if (ret <= 0)
		return 0;
	return (ret & KVM_ARM_HYPERCALL_HVC ? VMM_CONDUIT_HVC : 0) |
	       (ret & KVM_ARM_HYPERCALL_SMC ? VMM_CONDUIT_SMC : 0);
}

bool smccc__has_psci_to_user(struct vm *vm)
{
	return vm__check_extension(vm, KVM_CAP_ARM_PSCI_TO_USER) == 1;
}

int __smccc__forward(struct vm *vm, uint32_t conduits)
{
	return __vm__enable_cap(vm, KVM_CAP_ARM_HYPERCALL_TO_USER, 0,
				kvm_conduits(conduits), 0, 0, 0);
}

void smccc__forward(struct vm *vm, uint32_t conduits)
{
	int ret = __smccc__forward(vm, conduits);

	if (ret) {
		errno = -ret;
		die_perror("KVM_ENABLE_CAP failed (KVM_CAP_ARM_HYPERCALL_TO_USER, %s%s%s)",
			   conduits & VMM_CONDUIT_HVC ? "HVC" : "",
			   conduits == (VMM_CONDUIT_HVC | VMM_CONDUIT_SMC) ? "|" : "",
			   conduits & VMM_CONDUIT_SMC ? "SMC" : conduits ? "" : "0");
	}
}

int __smccc__psci_to_user(struct vm *vm, bool on)
{
	return __vm__enable_cap(vm, KVM_CAP_ARM_PSCI_TO_USER, 0, on, 0, 0, 0);
}

void smccc__psci_to_user(struct vm *vm, bool on)
{
	int ret = __smccc__psci_to_user(vm, on);

	if (ret) {
		errno = -ret;
		die_perror("KVM_ENABLE_CAP failed (KVM_CAP_ARM_PSCI_TO_USER, %d)", on);
	}
}

bool smccc__exit(struct vcpu *v, struct vmm_hypercall *hc)
{
	struct v1_hypercall *raw = run_hypercall(v->run);
	uint64_t f = raw->flags;

	if (v->run->exit_reason != KVM_EXIT_HYPERCALL)
		return false;
	hc->regs = raw->regs;
	hc->imm = raw->imm;
	hc->flags = (f & KVM_ARM_HYPERCALL_EXIT_SMC ? VMM_HC_SMC : 0) |
		    (f & KVM_ARM_HYPERCALL_EXIT_AARCH32 ? VMM_HC_AARCH32 : 0) |
		    (f & KVM_ARM_HYPERCALL_EXIT_16BIT ? VMM_HC_16BIT : 0) |
		    (f & KVM_ARM_HYPERCALL_EXIT_COND_PASSED ? VMM_HC_COND_PASSED : 0) |
		    (f & ~(KVM_ARM_HYPERCALL_EXIT_SMC | KVM_ARM_HYPERCALL_EXIT_AARCH32 |
			   KVM_ARM_HYPERCALL_EXIT_16BIT |
			   KVM_ARM_HYPERCALL_EXIT_COND_PASSED) ? VMM_HC_UNKNOWN : 0);
	return true;
}

uint64_t *smccc__regs(struct vcpu *v)
{
	return run_hypercall(v->run)->regs;
}

/* SPEC §2: only regs[] is copied back; flags, imm and pad are ignored */
void smccc__fill_ignored(struct vcpu *v, uint64_t (*garbage)(void))
{
	struct v1_hypercall *raw = run_hypercall(v->run);

	raw->flags = garbage();
	raw->imm = garbage();
	for (int i = 0; i < 3; i++)
		raw->pad[i] = garbage();
}

bool smccc__reserved_ok(struct vcpu *v)
{
	struct v1_hypercall *raw = run_hypercall(v->run);

	return !raw->pad[0] && !raw->pad[1] && !raw->pad[2];
}

/* SPEC §2: KVM_RUN with immediate_exit completes the exit and returns -EINTR */
void smccc__complete(struct vcpu *v)
{
	int ret;

	v->run->immediate_exit = 1;
	ret = __vcpu__run(v);
	if (!ret)
		die("KVM_RUN with immediate_exit ran the guest (vcpu%d)", v->id);
	if (ret != -EINTR) {
		errno = -ret;
		die_perror("KVM_RUN failed (vcpu%d, completing the exit)", v->id);
	}
}

/* SPEC §4 (v1): bits[63:32] first ID, bits[31:0] last ID; 0 ends the list */
int __smccc__read_ranges(struct vcpu *v, struct smccc_ranges *out)
{
	out->nr = 0;
	out->truncated = false;
	for (int i = 0; i < KVM_REG_ARM_FW_HANDLED_RANGES; i++) {
		uint64_t r;
		int ret = __vcpu__get_reg(v, KVM_REG_ARM_FW_HANDLED_RANGE(i), &r);

		if (ret)
			return ret;
		if (!r)
			break;
		out->r[out->nr++] = (struct smccc_range){ .first = r >> 32, .last = r };
	}
	return 0;
}

void smccc__read_ranges(struct vcpu *v, struct smccc_ranges *out)
{
	int ret = __smccc__read_ranges(v, out);

	if (ret) {
		errno = -ret;
		die_perror("KVM_GET_ONE_REG failed (vcpu%d KVM_REG_ARM_FW_HANDLED_RANGE(%u))",
			   v->id, out->nr);
	}
}

bool smccc__in_ranges(const struct smccc_ranges *rg, uint32_t fid)
{
	for (unsigned int i = 0; i < rg->nr; i++)
		if (fid >= rg->r[i].first && fid <= rg->r[i].last)
			return true;
	return false;
}
