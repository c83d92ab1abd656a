/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "userspace SMCCC exits" series (v2, docs/uapi-v2.md) as a VMM sees
 * it, in one place: the capabilities, upstream's SMCCC filter, the
 * hypercall exit, its completion, the handled-range registers and the
 * SMCCC version register. Only smccc.c touches the uAPI.
 *
 * decode.c names function IDs and prints one trace line per call.
 */
#ifndef VMM_SMCCC_H
#define VMM_SMCCC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm;
struct vcpu;

/*
 * A view of one KVM_EXIT_HYPERCALL. regs points into the run struct
 * (run->hypercall.smccc.regs): what the VMM writes there is copied back to
 * x0..x17 (AArch32: r0..r7) once, at the next KVM_RUN or just before a
 * vCPU ioctl that changes the vCPU's registers or run state (SPEC §2). No
 * register ioctl is needed to answer.
 */
struct vmm_hypercall {
	uint64_t *regs;		/* x0..x17 */
	uint32_t nr;		/* upstream's run->hypercall.nr: W0, the function ID */
	uint32_t imm;		/* HVC/SMC immediate; non-zero: not an SMCCC call */
	uint32_t flags;		/* VMM_HC_* */
};

/*
 * The view's flags. Their values happen to be the uAPI's bits (upstream's
 * flags in the low bits, the series' from the top) so that the view costs
 * two masks; use the names.
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
 * SPEC §7): VMM_SMCCC_1_1 (default) or VMM_SMCCC_1_2, before the first KVM_RUN.
 */
#define VMM_SMCCC_1_1		0x10001
#define VMM_SMCCC_1_2		0x10002
int __smccc__get_version(struct vcpu *v, uint32_t *version);
int __smccc__set_version(struct vcpu *v, uint32_t version);
void smccc__set_version(struct vcpu *v, uint32_t version);

/* The exit in v->run as a view; false if it is no hypercall exit */
bool smccc__exit(struct vcpu *v, struct vmm_hypercall *hc);
/*
 * Complete a pending hypercall exit without running the guest (KVM_RUN
 * with immediate_exit: KVM writes regs back and returns -EINTR). Register
 * and run-state writes complete it themselves (SPEC §2); this is for a
 * VMM that wants KVM_GET_ONE_REG to see the answer (saving state).
 */
void smccc__complete(struct vcpu *v);

/* Where the exit's x0..x17 live in v->run, whatever exit_reason says now */
uint64_t *smccc__regs(struct vcpu *v);
/*
 * For checks of the uAPI itself (robust/): fill every field of the exit
 * that KVM ignores on completion with garbage() (called once per field,
 * in layout order: nr, args[0..5], ret, flags, smccc.imm, smccc.flags),
 * and whether the fields the uAPI leaves unused hold what it promises
 * (args[] and ret are 0 on arm64, as upstream leaves them).
 */
void smccc__fill_ignored(struct vcpu *v, uint64_t (*garbage)(void));
bool smccc__reserved_ok(struct vcpu *v);

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

/*
 * What a service did with one call, for the trace line: a handler fills
 * it; after() runs once the line is printed (e.g. to kick a CPU_ON target,
 * so that the target's lines come after this one).
 */
enum {
	VMM_CALL_NONE = 0,	/* nobody answered */
	VMM_CALL_PSCI,		/* psci.c */
	VMM_CALL_PROGRAM = 8,	/* first kind for a program's own services */
};

struct smccc_call {
	int kind;		/* VMM_CALL_* */
	const char *name;	/* non-SMCCC calls: the service's name */
	int arg_lo, arg_hi;	/* arguments shown: x<lo>..x<hi>, none if hi < lo */
	int nres;		/* results shown: x0..x<nres-1> */
	char note[112];		/* decoded result, e.g. "SUCCESS" */
	bool dump;		/* also show x4..x7 on a debug line */
	void (*after)(struct vcpu *self, struct smccc_call *c);
	struct vcpu *target;
};

/* A service: true if it answered the call (results in hc->regs, c filled) */
typedef bool (*smccc_service)(struct vcpu *v, struct vmm_hypercall *hc,
			      struct smccc_call *c);

/*
 * Offer a call to each service in turn; if none takes it: SMCCC
 * NOT_SUPPORTED in x0, x1..x3 in the trace and x4..x7 on a debug line
 * (note: "NOT_SUPPORTED (no handler)", or what a declining service left).
 * Then the trace line (if trace), then c->after. in[] gets the registers
 * as the guest passed them.
 */
bool smccc__dispatch(struct vcpu *v, struct vmm_hypercall *hc,
		     const smccc_service *services, int nr, bool trace,
		     struct smccc_call *c, uint64_t in[VMM_HC_NR_REGS]);

/* decode.c: names of function IDs; programs add their own (SiP, ...) */
struct smccc_name {
	uint32_t fid;
	const char *name;
};
void decode__add_names(const struct smccc_name *names, int nr);
/* "Owner:service.CALL", e.g. "Std-Secure:PSCI.CPU_ON" or "OEM:0x0042" */
void decode__fid(uint32_t fid, char *buf, size_t size);
/* "[vcpu0] HVC    A64 0x84000000 Std-Secure:PSCI.VERSION() -> x0=0x10000 PSCI 1.0" */
void decode__trace(const struct vcpu *v, const struct vmm_hypercall *hc,
		   const uint64_t *in, const struct smccc_call *c);
/* the ranges, one line each, each line starting with prefix */
void decode__ranges(const struct smccc_ranges *rg, const char *prefix);

#endif
