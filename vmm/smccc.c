// SPDX-License-Identifier: GPL-2.0
/*
 * The series' uAPI, v2 (docs/uapi-v2.md): KVM_CAP_ARM_HYPERCALL_TO_USER
 * (0x10000) and KVM_CAP_ARM_PSCI_TO_USER (0x10001), upstream's SMCCC
 * filter, the exit in run->hypercall (upstream's nr/flags, then our
 * hypercall.smccc), completion in the run struct, KVM_REG_ARM_FW_HANDLED_NR
 * and _RANGE(n), KVM_REG_ARM_FW_SMCCC_VERSION. Nothing else in vmm/ or the
 * programs knows these names.
 *
 * With the series' own headers (make KHDR=...) the definitions come from
 * <linux/kvm.h> and only the layout checks run; with 6.1-era system
 * headers the fallbacks below, all in this one block, stand in.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm.h"

/* ---- fallbacks for headers without the series (one place) ---------- */

#if defined(KVM_CAP_ARM_HYPERCALL_TO_USER) && KVM_CAP_ARM_HYPERCALL_TO_USER != 0x10000
#error "kernel headers of the series v1 (KVM_CAP_ARM_HYPERCALL_TO_USER 224): vmm/ speaks v2"
#endif

/* run->hypercall as v2 lays it out (uapi-v2.md), with libc types */
struct v2_hypercall {
	uint64_t nr;			/* W0 */
	uint64_t args[6];		/* arm64: 0 */
	uint64_t ret;			/* arm64: 0 */
	uint64_t flags;			/* KVM_HYPERCALL_EXIT_* */
	struct {
		uint64_t regs[18];	/* x0..x17; AArch32 r0..r7 */
		uint32_t imm;
		uint32_t flags;		/* KVM_HYPERCALL_SMCCC_* */
	} smccc;
};
_Static_assert(sizeof(struct v2_hypercall) == 224, "v2 hypercall exit is 224 bytes");

#ifdef KVM_HYPERCALL_SMCCC_AARCH32
/* The series' headers: check that the view matches them field by field */
#define HC_OFF(f)	offsetof(struct kvm_run, hypercall.f)
_Static_assert(HC_OFF(nr) == offsetof(struct kvm_run, hypercall) +
	       offsetof(struct v2_hypercall, nr), "hypercall.nr");
_Static_assert(HC_OFF(flags) == HC_OFF(nr) + offsetof(struct v2_hypercall, flags),
	       "hypercall.flags");
_Static_assert(HC_OFF(smccc.regs) == HC_OFF(nr) + offsetof(struct v2_hypercall, smccc.regs),
	       "hypercall.smccc.regs");
_Static_assert(HC_OFF(smccc.imm) == HC_OFF(nr) + offsetof(struct v2_hypercall, smccc.imm),
	       "hypercall.smccc.imm");
_Static_assert(HC_OFF(smccc.flags) == HC_OFF(nr) + offsetof(struct v2_hypercall, smccc.flags),
	       "hypercall.smccc.flags");
_Static_assert(sizeof(((struct kvm_run *)0)->hypercall) == sizeof(struct v2_hypercall),
	       "hypercall size");
#else
#define KVM_HYPERCALL_SMCCC_AARCH32	(1U << 31)
#define KVM_HYPERCALL_SMCCC_COND_PASSED	(1U << 30)
#define KVM_HYPERCALL_SMCCC_IMM		(1U << 29)
#endif
/* run->hypercall sits at the start of the exit union in every version */
#define run_hypercall(run)	((struct v2_hypercall *)(void *)&(run)->hypercall)

#ifndef KVM_CAP_ARM_HYPERCALL_TO_USER
#define KVM_CAP_ARM_HYPERCALL_TO_USER	0x10000
#endif
#ifndef KVM_CAP_ARM_PSCI_TO_USER
#define KVM_CAP_ARM_PSCI_TO_USER	0x10001
#endif
#ifndef KVM_ARM_HYPERCALL_HVC
#define KVM_ARM_HYPERCALL_HVC		(1ULL << 0)
#define KVM_ARM_HYPERCALL_SMC		(1ULL << 1)
#endif

/* Upstream's (6.4+), missing from 6.1's headers */
#ifndef KVM_HYPERCALL_EXIT_SMC
#define KVM_HYPERCALL_EXIT_SMC		(1U << 0)
#define KVM_HYPERCALL_EXIT_16BIT	(1U << 1)
#endif
#ifndef KVM_ARM_VM_SMCCC_CTRL
#define KVM_ARM_VM_SMCCC_CTRL		0
#define KVM_ARM_VM_SMCCC_FILTER		0
struct kvm_smccc_filter {
	__u32 base;
	__u32 nr_functions;
	__u8 action;
	__u8 pad[15];
};
#define KVM_SMCCC_FILTER_HANDLE		0
#define KVM_SMCCC_FILTER_DENY		1
#define KVM_SMCCC_FILTER_FWD_TO_USER	2
#endif
_Static_assert((int)VMM_FILTER_HANDLE == (int)KVM_SMCCC_FILTER_HANDLE &&
	       (int)VMM_FILTER_DENY == (int)KVM_SMCCC_FILTER_DENY &&
	       (int)VMM_FILTER_FWD_TO_USER == (int)KVM_SMCCC_FILTER_FWD_TO_USER,
	       "filter actions");

/* Ours, from index 0x8000 of the firmware register space */
#ifndef KVM_REG_ARM_FW_HANDLED_NR
#define KVM_REG_ARM_FW_SMCCC_VERSION		KVM_REG_ARM_FW_REG(0x8000)
#define KVM_REG_ARM_FW_HANDLED_NR		KVM_REG_ARM_FW_REG(0x8001)
#define KVM_REG_ARM_FW_HANDLED_RANGE_MAX	256
#define KVM_REG_ARM_FW_HANDLED_RANGE(n)		KVM_REG_ARM_FW_REG(0x8100 + (n))
#endif
_Static_assert(VMM_MAX_RANGES >= KVM_REG_ARM_FW_HANDLED_RANGE_MAX, "VMM_MAX_RANGES");

/* The exit view's flags are the uAPI's bits, so smccc__exit() just masks */
_Static_assert(VMM_HC_SMC == KVM_HYPERCALL_EXIT_SMC &&
	       VMM_HC_16BIT == KVM_HYPERCALL_EXIT_16BIT &&
	       VMM_HC_AARCH32 == KVM_HYPERCALL_SMCCC_AARCH32 &&
	       VMM_HC_COND_PASSED == KVM_HYPERCALL_SMCCC_COND_PASSED &&
	       VMM_HC_IMM == KVM_HYPERCALL_SMCCC_IMM, "VMM_HC_* = the uAPI's bits");
_Static_assert(!(VMM_HC_UNKNOWN & (KVM_HYPERCALL_EXIT_SMC | KVM_HYPERCALL_EXIT_16BIT |
				   KVM_HYPERCALL_SMCCC_AARCH32 | KVM_HYPERCALL_SMCCC_COND_PASSED |
				   KVM_HYPERCALL_SMCCC_IMM)), "VMM_HC_UNKNOWN is free");

/* ---- capabilities ---------------------------------------------------- */

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

/* ---- upstream's SMCCC filter ------------------------------------------ */

bool smccc__has_filter(struct vm *vm)
{
	struct kvm_device_attr attr = {
		.group = KVM_ARM_VM_SMCCC_CTRL, .attr = KVM_ARM_VM_SMCCC_FILTER,
	};

	return !ioctl(vm->vm_fd, KVM_HAS_DEVICE_ATTR, &attr);
}

int __smccc__filter_pad(struct vm *vm, uint32_t base, uint32_t nr, uint8_t action,
			const uint8_t pad[15])
{
	struct kvm_smccc_filter filter = {
		.base = base, .nr_functions = nr, .action = action,
	};
	struct kvm_device_attr attr = {
		.group = KVM_ARM_VM_SMCCC_CTRL, .attr = KVM_ARM_VM_SMCCC_FILTER,
		.addr = (uintptr_t)&filter,
	};

	if (pad)
		memcpy(filter.pad, pad, sizeof(filter.pad));
	return ioctl(vm->vm_fd, KVM_SET_DEVICE_ATTR, &attr) ? -errno : 0;
}

int __smccc__filter(struct vm *vm, uint32_t base, uint32_t nr, uint8_t action)
{
	return __smccc__filter_pad(vm, base, nr, action, NULL);
}

void smccc__filter(struct vm *vm, uint32_t base, uint32_t nr, uint8_t action)
{
	static const char *const names[] = { "HANDLE", "DENY", "FWD_TO_USER" };
	int ret = __smccc__filter(vm, base, nr, action);

	if (ret) {
		errno = -ret;
		die_perror("KVM_SET_DEVICE_ATTR failed (KVM_ARM_VM_SMCCC_FILTER "
			   "0x%08x+%u %s)", base, nr,
			   action < ARRAY_SIZE(names) ? names[action] : "(bad action)");
	}
}

/* ---- the exit ---------------------------------------------------------- */

bool smccc__exit(struct vcpu *v, struct vmm_hypercall *hc)
{
	struct v2_hypercall *raw = run_hypercall(v->run);
	uint64_t f = raw->flags;
	uint32_t sf = raw->smccc.flags;
	const uint64_t f_known = KVM_HYPERCALL_EXIT_SMC | KVM_HYPERCALL_EXIT_16BIT;
	const uint32_t sf_known = KVM_HYPERCALL_SMCCC_AARCH32 |
				  KVM_HYPERCALL_SMCCC_COND_PASSED | KVM_HYPERCALL_SMCCC_IMM;

	if (v->run->exit_reason != KVM_EXIT_HYPERCALL)
		return false;
	hc->regs = raw->smccc.regs;
	hc->nr = raw->nr;
	hc->imm = raw->smccc.imm;
	/* VMM_HC_* are the uAPI's bits (checked above): two masks */
	hc->flags = (f & f_known) | (sf & sf_known) |
		    ((f & ~f_known) || (sf & ~sf_known) ? VMM_HC_UNKNOWN : 0);
	return true;
}

uint64_t *smccc__regs(struct vcpu *v)
{
	return run_hypercall(v->run)->smccc.regs;
}

/* SPEC §2: only smccc.regs[] is copied back; everything else is ignored */
void smccc__fill_ignored(struct vcpu *v, uint64_t (*garbage)(void))
{
	struct v2_hypercall *raw = run_hypercall(v->run);

	raw->nr = garbage();
	for (int i = 0; i < 6; i++)
		raw->args[i] = garbage();
	raw->ret = garbage();
	raw->flags = garbage();
	raw->smccc.imm = garbage();
	raw->smccc.flags = garbage();
}

/* Upstream leaves args[] and ret 0 on arm64 (SPEC §2: "as upstream") */
bool smccc__reserved_ok(struct vcpu *v)
{
	struct v2_hypercall *raw = run_hypercall(v->run);

	for (int i = 0; i < 6; i++)
		if (raw->args[i])
			return false;
	return !raw->ret;
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

/* ---- firmware registers ------------------------------------------------ */

/*
 * SPEC §6: HANDLED_NR ranges, of which the first min(NR, RANGE_MAX) are
 * readable, each first | (u64)last << 32; NR > RANGE_MAX: truncated.
 */
int __smccc__read_ranges(struct vcpu *v, struct smccc_ranges *out)
{
	uint64_t nr;
	int ret;

	out->nr = out->nr_kept = 0;
	out->truncated = false;
	ret = __vcpu__get_reg(v, KVM_REG_ARM_FW_HANDLED_NR, &nr);
	if (ret)
		return ret;
	out->nr_kept = nr > UINT32_MAX ? UINT32_MAX : nr;
	out->truncated = nr > KVM_REG_ARM_FW_HANDLED_RANGE_MAX;
	for (uint64_t i = 0; i < nr && i < KVM_REG_ARM_FW_HANDLED_RANGE_MAX; i++) {
		uint64_t r;

		ret = __vcpu__get_reg(v, KVM_REG_ARM_FW_HANDLED_RANGE(i), &r);
		if (ret)
			return ret;
		out->r[out->nr++] = (struct smccc_range){ .first = r, .last = r >> 32 };
	}
	return 0;
}

void smccc__read_ranges(struct vcpu *v, struct smccc_ranges *out)
{
	int ret = __smccc__read_ranges(v, out);

	if (ret) {
		errno = -ret;
		if (!out->nr_kept)
			die_perror("KVM_GET_ONE_REG failed (vcpu%d KVM_REG_ARM_FW_HANDLED_NR)",
				   v->id);
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

int __smccc__get_version(struct vcpu *v, uint32_t *version)
{
	uint64_t val;
	int ret = __vcpu__get_reg(v, KVM_REG_ARM_FW_SMCCC_VERSION, &val);

	if (!ret)
		*version = val;
	return ret;
}

int __smccc__set_version(struct vcpu *v, uint32_t version)
{
	return __vcpu__set_reg(v, KVM_REG_ARM_FW_SMCCC_VERSION, version);
}

void smccc__set_version(struct vcpu *v, uint32_t version)
{
	int ret = __smccc__set_version(v, version);

	if (ret) {
		errno = -ret;
		die_perror("KVM_SET_ONE_REG failed (vcpu%d KVM_REG_ARM_FW_SMCCC_VERSION = 0x%x)",
			   v->id, version);
	}
}
