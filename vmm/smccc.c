// SPDX-License-Identifier: GPL-2.0
/*
 * The series' uAPI, v3 (docs/uapi-v3.md): KVM_CAP_ARM_HYPERCALL_TO_USER
 * (0x10000) and KVM_CAP_ARM_PSCI_TO_USER (0x10001), upstream's SMCCC
 * filter, the exit in run->hypercall (upstream's nr/flags) with the
 * registers and the call's details in run->s.regs (KVM_CAP_SYNC_REGS:
 * KVM_SYNC_ARM64_REGS, KVM_SYNC_ARM64_HYPERCALL), KVM_REG_ARM_FW_HANDLED_NR
 * and _RANGE(n), KVM_REG_ARM_FW_SMCCC_VERSION. Nothing else in vmm/ or the
 * programs knows these names.
 *
 * Without the additions (KVM_CHECK_EXTENSION), upstream's way: PSCI by
 * FWD_TO_USER filter ranges, registers by KVM_GET/SET_ONE_REG.
 *
 * With the series' own headers (make KHDR=...) the definitions come from
 * <linux/kvm.h> and only the layout checks run; with older headers the
 * fallbacks below, all in this one block, stand in.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm.h"

/* ---- fallbacks for headers without the series (one place) ---------- */

#if defined(KVM_CAP_ARM_HYPERCALL_TO_USER) && KVM_CAP_ARM_HYPERCALL_TO_USER != 0x10000
#error "kernel headers of the series v1 (KVM_CAP_ARM_HYPERCALL_TO_USER 224): vmm/ speaks v3"
#endif

/* v3: run->s.regs as arm64's struct kvm_sync_regs lays it out, libc types */
struct v3_sync_regs {
	uint64_t device_irq_level;	/* KVM_CAP_ARM_USER_IRQ */
	struct {
		uint64_t regs[31];	/* x0..x30 */
		uint64_t sp, pc, pstate;
	} regs;				/* KVM_SYNC_ARM64_REGS: struct user_pt_regs */
	struct {
		uint32_t imm;
		uint32_t flags;		/* KVM_ARM64_HYPERCALL_* */
	} hypercall;			/* KVM_SYNC_ARM64_HYPERCALL, read-only */
};
_Static_assert(sizeof(struct v3_sync_regs) <= 2048, "kvm_run.s is 2048 bytes");

#ifdef KVM_SYNC_ARM64_HYPERCALL
/* The series' headers: check that the view matches them field by field */
#define SR_OFF(f)	offsetof(struct kvm_sync_regs, f)
_Static_assert(SR_OFF(device_irq_level) == 0, "device_irq_level first");
_Static_assert(SR_OFF(regs) == offsetof(struct v3_sync_regs, regs) &&
	       SR_OFF(regs.regs) == offsetof(struct v3_sync_regs, regs.regs) &&
	       SR_OFF(regs.pc) == offsetof(struct v3_sync_regs, regs.pc), "s.regs.regs");
_Static_assert(SR_OFF(hypercall.imm) == offsetof(struct v3_sync_regs, hypercall.imm) &&
	       SR_OFF(hypercall.flags) == offsetof(struct v3_sync_regs, hypercall.flags),
	       "s.regs.hypercall");
#else
#define KVM_SYNC_ARM64_REGS		(1UL << 0)
#define KVM_SYNC_ARM64_HYPERCALL	(1UL << 1)
#define KVM_ARM64_HYPERCALL_AARCH32	(1U << 0)
#define KVM_ARM64_HYPERCALL_COND_PASSED	(1U << 1)
#define KVM_ARM64_HYPERCALL_IMM		(1U << 2)
#endif
#define run_sync(run)	((struct v3_sync_regs *)(void *)&(run)->s.regs)
#define SYNC_SETS	(KVM_SYNC_ARM64_REGS | KVM_SYNC_ARM64_HYPERCALL)

/* run->hypercall as upstream lays it out (6.1's headers have no flags) */
struct up_hypercall {
	uint64_t nr;			/* W0 */
	uint64_t args[6];		/* arm64: 0 */
	uint64_t ret;			/* arm64: 0 */
	uint64_t flags;			/* KVM_HYPERCALL_EXIT_* */
};
#define run_hypercall(run)	((struct up_hypercall *)(void *)&(run)->hypercall)
_Static_assert(offsetof(struct kvm_run, hypercall.nr) == offsetof(struct kvm_run, hypercall) +
	       offsetof(struct up_hypercall, nr), "hypercall.nr");

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
#else
_Static_assert(offsetof(struct kvm_run, hypercall.flags) == offsetof(struct kvm_run, hypercall) +
	       offsetof(struct up_hypercall, flags), "hypercall.flags");
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

/* The series', from index 0x8000 of the firmware register space */
#ifndef KVM_REG_ARM_FW_HANDLED_NR
#define KVM_REG_ARM_FW_SMCCC_VERSION		KVM_REG_ARM_FW_REG(0x8000)
#define KVM_REG_ARM_FW_HANDLED_NR		KVM_REG_ARM_FW_REG(0x8001)
#define KVM_REG_ARM_FW_HANDLED_RANGE_MAX	256
#define KVM_REG_ARM_FW_HANDLED_RANGE(n)		KVM_REG_ARM_FW_REG(0x8100 + (n))
#endif
_Static_assert(VMM_MAX_RANGES >= KVM_REG_ARM_FW_HANDLED_RANGE_MAX, "VMM_MAX_RANGES");

/* Upstream's SMC/16BIT are the view's; the view's own bits are free */
_Static_assert(VMM_HC_SMC == KVM_HYPERCALL_EXIT_SMC &&
	       VMM_HC_16BIT == KVM_HYPERCALL_EXIT_16BIT, "VMM_HC_SMC/16BIT");
_Static_assert(VMM_HC_NR_REGS <= 31 && VMM_HC_NR_REGS == ARRAY_SIZE(((struct vmm_hypercall *)0)->buf),
	       "VMM_HC_NR_REGS");

/* ---- capabilities ---------------------------------------------------- */

const uint32_t smccc_cap_hypercall_to_user = KVM_CAP_ARM_HYPERCALL_TO_USER;
const uint32_t smccc_cap_psci_to_user = KVM_CAP_ARM_PSCI_TO_USER;

static uint64_t kvm_conduits(uint32_t conduits)
{
	return (conduits & VMM_CONDUIT_HVC ? KVM_ARM_HYPERCALL_HVC : 0) |
	       (conduits & VMM_CONDUIT_SMC ? KVM_ARM_HYPERCALL_SMC : 0);
}

/*
 * Behave as a VMM written for upstream's filter alone would, whatever the
 * kernel has: no capability of the series, no sync regs, PSCI by
 * FWD_TO_USER ranges, registers by KVM_GET/SET_ONE_REG. Before vm__create().
 */
static bool upstream_only;

void smccc__upstream_only(void)
{
	upstream_only = true;
}

int smccc__conduits(struct vm *vm)
{
	int ret = vm__check_extension(vm, KVM_CAP_ARM_HYPERCALL_TO_USER);

	if (ret <= 0 || upstream_only)
		return 0;
	return (ret & KVM_ARM_HYPERCALL_HVC ? VMM_CONDUIT_HVC : 0) |
	       (ret & KVM_ARM_HYPERCALL_SMC ? VMM_CONDUIT_SMC : 0);
}

static bool has_psci_cap(struct vm *vm)
{
	return !upstream_only && vm__check_extension(vm, KVM_CAP_ARM_PSCI_TO_USER) == 1;
}

/* The capability, or upstream's filter to do its job */
bool smccc__has_psci_to_user(struct vm *vm)
{
	return has_psci_cap(vm) || smccc__has_filter(vm);
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

/*
 * Without the capability, what it does (docs/uapi-v3.md): PSCI's ranges
 * and KVM's PSCI 0.1 IDs as FWD_TO_USER filter ranges. Upstream's filter
 * cannot remove a range: off is then a no-op, as on a fresh VM.
 */
int __smccc__psci_to_user(struct vm *vm, bool on)
{
	static const uint32_t ranges[][2] = {
		{ FID_PSCI_BASE, FID_PSCI_NR },
		{ FID_PSCI_BASE | SMCCC_SMC64, FID_PSCI_NR },
		{ FID_PSCI01_BASE, FID_PSCI01_NR },
	};
	int ret = 0;

	if (has_psci_cap(vm))
		return __vm__enable_cap(vm, KVM_CAP_ARM_PSCI_TO_USER, 0, on, 0, 0, 0);
	for (size_t i = 0; on && !ret && i < ARRAY_SIZE(ranges); i++)
		ret = __smccc__filter(vm, ranges[i][0], ranges[i][1],
				      KVM_SMCCC_FILTER_FWD_TO_USER);
	return ret;
}

void smccc__psci_to_user(struct vm *vm, bool on)
{
	int ret = __smccc__psci_to_user(vm, on);

	if (ret) {
		errno = -ret;
		die_perror("%s failed (KVM_CAP_ARM_PSCI_TO_USER, %d)",
			   has_psci_cap(vm) ? "KVM_ENABLE_CAP" :
			   "KVM_SET_DEVICE_ATTR (PSCI's FWD_TO_USER filter ranges)", on);
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

/* ---- the exit and its registers -------------------------------------- */

/* Sync regs if the kernel has them, else upstream's way */
void smccc__init_vcpu(struct vcpu *v)
{
	if (upstream_only || smccc__set_regs(v, VMM_REGS_SYNC))
		smccc__set_regs(v, VMM_REGS_ONEREG);
}

int smccc__set_regs(struct vcpu *v, enum vmm_regs how)
{
	if (how == VMM_REGS_SYNC &&
	    (vm__check_extension(v->vm, KVM_CAP_SYNC_REGS) & SYNC_SETS) != SYNC_SETS)
		return -EOPNOTSUPP;
	/* copied out at every exit from the next KVM_RUN on */
	v->run->kvm_valid_regs = how == VMM_REGS_SYNC ? SYNC_SETS : 0;
	v->run->kvm_dirty_regs = 0;
	v->regs_how = how;
	return 0;
}

/* The series' call details, AArch32, COND_PASSED and IMM, as the view's bits */
static const uint32_t vmm_bits[3] = { VMM_HC_AARCH32, VMM_HC_COND_PASSED, VMM_HC_IMM };
static const uint32_t v3_bits[3] = {
	KVM_ARM64_HYPERCALL_AARCH32, KVM_ARM64_HYPERCALL_COND_PASSED, KVM_ARM64_HYPERCALL_IMM,
};

/* Upstream's exit flags and the details f (laid out as bits[]) as VMM_HC_* */
static uint32_t hc_flags(uint64_t exit_flags, uint32_t f, const uint32_t bits[3])
{
	const uint64_t known = KVM_HYPERCALL_EXIT_SMC | KVM_HYPERCALL_EXIT_16BIT;
	uint32_t out = exit_flags & known;

	for (int i = 0; i < 3; i++)
		if (f & bits[i])
			out |= vmm_bits[i];
	if ((exit_flags & ~known) || (f & ~(bits[0] | bits[1] | bits[2])))
		out |= VMM_HC_UNKNOWN;
	return out;
}

bool smccc__exit(struct vcpu *v, struct vmm_hypercall *hc)
{
	struct up_hypercall *raw = run_hypercall(v->run);

	if (v->run->exit_reason != KVM_EXIT_HYPERCALL)
		return false;
	hc->nr = raw->nr;
	switch (v->regs_how) {
	case VMM_REGS_SYNC: {
		struct v3_sync_regs *sr = run_sync(v->run);

		hc->regs = sr->regs.regs;
		hc->imm = sr->hypercall.imm;
		hc->flags = hc_flags(raw->flags, sr->hypercall.flags, v3_bits);
		break;
	}
	case VMM_REGS_ONEREG:
		/* upstream's exit has the ID only: an SMCCC call, caller unknown */
		for (int i = 0; i < VMM_HC_NR_REGS; i++)
			hc->in[i] = hc->buf[i] = vcpu__get_reg(v, REG_X(i));
		hc->regs = hc->buf;
		hc->imm = 0;
		hc->flags = hc_flags(raw->flags, 0, v3_bits);
		break;
	default:
		hc->regs = NULL;
		hc->imm = 0;
		hc->flags = hc_flags(raw->flags, 0, v3_bits);
	}
	return true;
}

void smccc__answer(struct vcpu *v, struct vmm_hypercall *hc)
{
	switch (v->regs_how) {
	case VMM_REGS_SYNC:
		/* loaded by the next KVM_RUN, then the bit is cleared */
		v->run->kvm_dirty_regs |= KVM_SYNC_ARM64_REGS;
		break;
	case VMM_REGS_ONEREG:
		for (int i = 0; i < VMM_HC_NR_REGS; i++)
			if (hc->buf[i] != hc->in[i])
				/* x<i> = the service's result */
				vcpu__set_reg(v, REG_X(i), hc->buf[i]);
		break;
	default:
		break;		/* NONE: the program did */
	}
}

/* KVM_RUN with immediate_exit applies what is pending and returns -EINTR */
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

void smccc__drop(struct vcpu *v)
{
	if (v->regs_how == VMM_REGS_SYNC)
		v->run->kvm_dirty_regs = 0;
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
