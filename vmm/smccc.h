/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "userspace SMCCC exits" series (v3, docs/uapi-v3.md) as a VMM sees
 * it, in one place: the capabilities, upstream's SMCCC filter, the
 * hypercall exit with its registers (KVM_CAP_SYNC_REGS), the handled-range
 * registers and the SMCCC version register. Only smccc.c touches the uAPI.
 * Where the kernel lacks the additions (KVM_CHECK_EXTENSION), upstream's
 * way stands in: PSCI by FWD_TO_USER filter ranges, registers by
 * KVM_GET/SET_ONE_REG.
 *
 * The service framework on top of it (dispatch, trace, tally) is
 * service.h's; function IDs are smccc-ids.h's.
 */
#ifndef VMM_SMCCC_H
#define VMM_SMCCC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smccc-ids.h"

struct vm;
struct vcpu;

/*
 * A view of one KVM_EXIT_HYPERCALL. A service reads the call's x0..x17
 * (AArch32: r0..r7) in regs[] and writes its results there; the library
 * hands them back to the vCPU (smccc__answer) the way the vCPU's
 * registers travel (enum vmm_regs).
 */
struct vmm_hypercall {
	uint64_t *regs;		/* x0..x17 */
	uint32_t nr;		/* upstream's run->hypercall.nr: W0, the function ID */
	uint32_t imm;		/* HVC/SMC immediate; non-zero: not an SMCCC call */
	uint32_t flags;		/* VMM_HC_* */
	/* VMM_REGS_ONEREG: the registers as read, to write back what changed */
	uint64_t buf[18], in[18];
};

/*
 * How a forwarded call's registers travel (smccc__set_regs, per vCPU):
 *  VMM_REGS_SYNC    KVM_CAP_SYNC_REGS: x0..x17 and the call's immediate and
 *                   flags in run->s.regs at the exit, the answer loaded by
 *                   the next KVM_RUN (kvm_dirty_regs); no register ioctl.
 *  VMM_REGS_ONEREG  upstream's way: x0..x17 read with KVM_GET_ONE_REG at
 *                   the exit, the ones a service changed written back with
 *                   KVM_SET_ONE_REG; no immediate (0) nor AArch32 flag.
 *  VMM_REGS_NONE    the view has nr and flags only (regs NULL): the
 *                   program makes its own register ioctls (bench/).
 * vcpu__create() picks SYNC if the kernel has it, else ONEREG.
 */
enum vmm_regs { VMM_REGS_ONEREG, VMM_REGS_SYNC, VMM_REGS_NONE };

/*
 * The view's flags: upstream's SMC and 16BIT at their uAPI bits, then the
 * call details of the series' from the top; use the names.
 */
#define VMM_HC_NR_REGS		18
#define VMM_HC_SMC		(1u << 0)	/* SMC, else HVC */
#define VMM_HC_16BIT		(1u << 1)	/* T32 encoding (16-bit ESR.IL) */
#define VMM_HC_UNKNOWN		(1u << 28)	/* a flag this library does not know */
#define VMM_HC_IMM		(1u << 29)	/* non-zero immediate: not SMCCC */
#define VMM_HC_COND_PASSED	(1u << 30)	/* AArch32 SMC, condition checked */
#define VMM_HC_AARCH32		(1u << 31)	/* AArch32 caller */

/* Conduits for smccc__forward() */
#define VMM_CONDUIT_HVC		(1u << 0)
#define VMM_CONDUIT_SMC		(1u << 1)

/* The capability numbers, for code that probes them directly (robust/) */
extern const uint32_t smccc_cap_hypercall_to_user, smccc_cap_psci_to_user;

/* Use none of the series' additions, as a VMM for upstream's filter; first */
void smccc__upstream_only(void);
/* KVM_CHECK_EXTENSION: conduits the kernel can forward (0: none, no series) */
int smccc__conduits(struct vm *vm);
bool smccc__has_psci_to_user(struct vm *vm);
/* Forward calls made over these conduits (0: none); before the first KVM_RUN */
int __smccc__forward(struct vm *vm, uint32_t conduits);
void smccc__forward(struct vm *vm, uint32_t conduits);
/* PSCI calls to userspace too (KVM_CAP_ARM_PSCI_TO_USER) */
int __smccc__psci_to_user(struct vm *vm, bool on);
void smccc__psci_to_user(struct vm *vm, bool on);

/*
 * Upstream's SMCCC filter (KVM_SET_DEVICE_ATTR on the VM fd, group
 * KVM_ARM_VM_SMCCC_CTRL, attribute KVM_ARM_VM_SMCCC_FILTER): calls to
 * [base, base + nr) get action. Before the first KVM_RUN; overlapping an
 * earlier range or the Arm Architecture range: -EEXIST.
 */
enum smccc_filter_action {
	VMM_FILTER_HANDLE = 0,		/* KVM_SMCCC_FILTER_HANDLE */
	VMM_FILTER_DENY = 1,		/* KVM_SMCCC_FILTER_DENY */
	VMM_FILTER_FWD_TO_USER = 2,	/* KVM_SMCCC_FILTER_FWD_TO_USER */
};
/* KVM_HAS_DEVICE_ATTR: does the kernel have the filter? */
bool smccc__has_filter(struct vm *vm);
/* action is passed through as is (robust/ tries bad ones); pad: NULL = zeros */
int __smccc__filter_pad(struct vm *vm, uint32_t base, uint32_t nr, uint8_t action,
			const uint8_t pad[15]);
int __smccc__filter(struct vm *vm, uint32_t base, uint32_t nr, uint8_t action);
void smccc__filter(struct vm *vm, uint32_t base, uint32_t nr, uint8_t action);

/*
 * The SMCCC version KVM answers to SMCCC_VERSION (KVM_REG_ARM_FW_SMCCC_VERSION,
 * SPEC §7): SMCCC_VERSION_1_1 (default) or SMCCC_VERSION_1_2, before the
 * first KVM_RUN.
 */
int __smccc__get_version(struct vcpu *v, uint32_t *version);
int __smccc__set_version(struct vcpu *v, uint32_t version);
void smccc__set_version(struct vcpu *v, uint32_t version);

/* What vcpu__create() sets up: the best way this kernel offers */
void smccc__init_vcpu(struct vcpu *v);
/* Another way for v (VMM_REGS_SYNC: -EOPNOTSUPP if the kernel lacks it) */
int smccc__set_regs(struct vcpu *v, enum vmm_regs how);

/* The exit in v->run as a view; false if it is no hypercall exit */
bool smccc__exit(struct vcpu *v, struct vmm_hypercall *hc);
/* Hand the results in hc->regs back to the vCPU (after the services ran) */
void smccc__answer(struct vcpu *v, struct vmm_hypercall *hc);
/*
 * Apply what is pending for the vCPU without running the guest (KVM_RUN
 * with immediate_exit: an MMIO read's data, registers in kvm_dirty_regs).
 * The register ioctls of vcpu.c do it first themselves.
 */
void smccc__complete(struct vcpu *v);
/* Drop an answer not yet loaded (a reset makes it meaningless) */
void smccc__drop(struct vcpu *v);

/* The function ID as the kernel dispatched on it (W0 at the call) */
static inline uint32_t hypercall__fid(const struct vmm_hypercall *hc)
{
	return hc->nr;
}

/*
 * The function IDs the kernel keeps for this VM (inclusive, sorted), from
 * KVM_REG_ARM_FW_HANDLED_NR and _RANGE(n). The kernel can keep more ranges
 * than it lists (KVM_REG_ARM_FW_HANDLED_RANGE_MAX): then truncated is set
 * and nr_kept says how many there are.
 */
#define VMM_MAX_RANGES		256
struct smccc_range {
	uint32_t first, last;
};
struct smccc_ranges {
	unsigned int nr;	/* listed in r[] */
	unsigned int nr_kept;	/* HANDLED_NR: what the kernel keeps */
	bool truncated;		/* nr_kept > nr: the list is incomplete */
	struct smccc_range r[VMM_MAX_RANGES];
};
int __smccc__read_ranges(struct vcpu *v, struct smccc_ranges *out);
void smccc__read_ranges(struct vcpu *v, struct smccc_ranges *out);
bool smccc__in_ranges(const struct smccc_ranges *rg, uint32_t fid);

#endif
