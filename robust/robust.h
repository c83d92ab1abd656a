/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Robustness checks for the userspace SMCCC exits, series v3 (issues #6,
 * #13, #16): stress with signals, the sync-regs rules (what kvm_valid_regs
 * and kvm_dirty_regs mean across immediate_exit, signals, threads and the
 * other vCPU ioctls), random filters, catch-all and PSCI_TO_USER
 * configurations x random calls over both conduits from AArch64 and
 * AArch32, and the catalogue of bad inputs. The VM and vCPU plumbing and
 * the exit's view are vmm/'s; this header adds what the checks share,
 * including model.c, robust's own reading of SPEC v3 §5.
 */
#ifndef ROBUST_H
#define ROBUST_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/kvm.h>
#if !defined(KVM_REG_ARM_FW_HANDLED_NR) || !defined(KVM_SYNC_ARM64_HYPERCALL)
#error "robust needs the series' v3 uAPI headers: make KHDR=<kernel>/usr/include"
#endif
#include "vmm.h"

#define ALL_CONDUITS		(KVM_ARM_HYPERCALL_HVC | KVM_ARM_HYPERCALL_SMC)
#define EXIT_SKIP		4

/* Calls nobody implements (SiP, owner 2); the rest are smccc-ids.h's */
#define FID_SIP			0xc2000010u
#define FID_SIP32		0x82000010u

/* Guest memory of the scripted guests; nothing is mapped at DONE_GPA */
#define SCRIPT_GPA		0x10000000ull
#define DONE_GPA		0x0f000000ull

/* A64: HVC/SMC #imm; A32: HVC #imm16 (always AL), SMC<c> #imm4 */
#define A64_HVC(imm)		(0xd4000002u | (uint32_t)(imm) << 5)
#define A64_SMC(imm)		(0xd4000003u | (uint32_t)(imm) << 5)
#define A32_HVC(imm)		(0xe1400070u | ((imm) >> 4 & 0xfff) << 8 | ((imm) & 0xf))
#define A32_SMC(cond, imm4)	(0x01600070u | (uint32_t)(cond) << 28 | ((imm4) & 0xf))
#define A32_COND_AL		0xe
/* T32 (hw1 << 16 | hw2): HVC #imm16, SMC #imm4 (conditional through an IT) */
#define T32_HVC(imm)		(0xf7e08000u | ((imm) >> 12 & 0xf) << 16 | ((imm) & 0xfff))
#define T32_SMC(imm4)		(0xf7f08000u | ((imm4) & 0xf) << 16)

/* SPSR/PSTATE */
#define PSR_AA32_MODE_SVC	0x13
#define PSR_AIF			(7u << 6)
#define PSR_AA32_T		(1u << 5)

/* main.c: failures end the check (exit 1) with a message */
void check_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
#define CHECK(cond, ...)						\
	do {								\
		if (!(cond))						\
			check_fail(__FILE__, __LINE__, __VA_ARGS__);	\
	} while (0)
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* main.c: the checks' VM is "vm" (vm__destroy(&vm) ends it); skip without the series v3 */
extern struct vm vm;
void vm_new(struct vm *vm);
void vm_setup_caps(struct vm *vm, uint64_t conduits, bool psci_to_user);
/* upstream's filter: 0 or -errno (robust tries bad ones, so no die) */
int vm_filter(struct vm *vm, uint32_t base, uint32_t nr, uint8_t action);
/* vm->vcpus[id]: PSCI 0.2, powered off unless id 0; AArch32 EL1 (or skip) if a32 */
struct vcpu *vcpu_new(struct vm *vm, int id, bool a32);
int vcpu_try_run(struct vcpu *v, bool immediate);

/*
 * The raw uAPI where robust tests it. KVM_GET/SET_ONE_REG exactly as a VMM
 * makes them: unlike vmm/'s vcpu__get_reg(), nothing loads a pending
 * kvm_dirty_regs first. 0 or -errno.
 */
int reg_get(struct vcpu *v, uint64_t id, uint64_t *val);
int reg_set(struct vcpu *v, uint64_t id, uint64_t val);
uint64_t reg(struct vcpu *v, uint64_t id);	/* reg_get or fail */
/* KVM_SYNC_ARM64_REGS: run->s.regs.regs; SYNC_SETS both sets */
#define SYNC_SETS		(KVM_SYNC_ARM64_REGS | KVM_SYNC_ARM64_HYPERCALL)
static inline struct user_pt_regs *sync_regs(struct vcpu *v)
{
	return &v->run->s.regs.regs;
}
/* s.regs.regs equals KVM_GET_ONE_REG of x0-x30, sp, pc, pstate (after what) */
void sync_regs_check(struct vcpu *v, const char *after);
/*
 * Fill every field of the run struct KVM ignores on re-entry with
 * garbage() (one call per field): run->hypercall's nr, args[], ret and
 * flags, s.regs.hypercall (read-only). Not device_irq_level: KVM compares
 * it with the timer's level to decide whether to exit (KVM_CAP_ARM_USER_IRQ).
 */
void fill_ignored(struct vcpu *v, uint64_t (*garbage)(void));
/* Upstream leaves run->hypercall.args[] and ret 0 on arm64 */
bool hypercall_reserved_ok(struct vcpu *v);
uint64_t rnd(void);
void rnd_seed(uint64_t seed);

/*
 * A snapshot of the vCPU state a VMM can save: core registers, upstream's
 * firmware registers, ours (SMCCC_VERSION, HANDLED_NR and the
 * min(NR, _RANGE_MAX) ranges that exist).
 */
#define NR_SNAP_FIXED		(31 + 6 + 6 + 2)
#define NR_SNAP_MAX		(NR_SNAP_FIXED + KVM_REG_ARM_FW_HANDLED_RANGE_MAX)
struct snap {
	int n;
	uint64_t id[NR_SNAP_MAX], val[NR_SNAP_MAX];
};
void snap_take(struct vcpu *v, struct snap *s);
void snap_restore(struct vcpu *v, const struct snap *s, bool fresh);
const char *snap_name(const struct snap *s, int i);
/* both snapshots hold the same registers with the same values */
void snap_same(const struct snap *a, const struct snap *b, const char *after);
#define SNAP_SMCCC_VERSION	(NR_SNAP_FIXED - 2)
#define SNAP_HANDLED_NR		(NR_SNAP_FIXED - 1)
/* index of x<n>/pc in a snapshot */
#define SNAP_X(n)		(n)
#define SNAP_PC			32

/* script.c: a guest generated from a list of calls */
struct scall {
	uint32_t insn;		/* the HVC/SMC encoding */
	uint8_t cond;		/* AArch32 SMC: its condition (T32: an IT before it) */
	uint64_t in[VMM_HC_NR_REGS];	/* x0..x17 (AArch32: r0..r7) before it */
	bool fwd;		/* expected to exit to userspace */
	bool nop;		/* AArch32 SMC failing its condition */
	bool deny;		/* KVM answers NOT_SUPPORTED: x0 -1, x1-x3 0 */
	bool x0_only;		/* with deny: not an SMCCC call, x1-x3 unchanged */
	bool known;		/* KVM answers: x0 must be x0_want */
	uint64_t x0_want;
	int exits;		/* seen */
};

struct script;
typedef void (*script_hook)(struct script *s, struct vcpu *v, int idx);

struct script {
	bool a32;
	bool thumb;		/* AArch32: T32 code */
	uint32_t nzcv;		/* AArch32 condition flags while it runs */
	int nr;
	struct scall *calls;
	script_hook hook;	/* after an exit has been checked and answered */
	void *priv;
	/*
	 * The vCPU sets no sync-regs bit (VMM_REGS_ONEREG): upstream's exit
	 * (no immediate, no call details), s.regs never written by KVM,
	 * answered with KVM_SET_ONE_REG
	 */
	bool upstream;
	/* filled by script_load */
	uint8_t *mem;
	uint64_t code, in, out, size;
	int nr_fwd, nr_kernel, nr_nop, nr_deny;
};

void script_load(struct script *s, struct vcpu *v);
void script_start(struct script *s, struct vcpu *v);
void script_run(struct script *s, struct vcpu *v);
void script_check(struct script *s);
uint64_t script_answer(int idx, int reg);
uint64_t script_out(struct script *s, int idx, int reg);
int script_index(struct script *s, uint64_t pc);
uint16_t insn_imm(const struct script *s, uint32_t insn);
bool insn_smc(const struct script *s, uint32_t insn);
bool a32_cond_passes(uint32_t cond, uint32_t nzcv);

/*
 * model.c: SPEC v3 §5 written down once more, from the SPEC, to check the
 * kernel's single decision function (the exits) and its handled ranges
 * (SPEC §6) against. A VM's SMCCC configuration:
 */
#define MODEL_MAX_FILTERS	512
struct model {
	uint64_t conduits;	/* catch-all mask, KVM_ARM_HYPERCALL_* */
	bool psci;		/* KVM_CAP_ARM_PSCI_TO_USER: its ranges are in f[] */
	uint64_t std_bmap, std_hyp_bmap, vendor_hyp_bmap;
	uint64_t smccc_version;	/* KVM_REG_ARM_FW_SMCCC_VERSION */
	uint64_t psci_version;	/* KVM_REG_ARM_PSCI_VERSION */
	int nr;			/* filter ranges installed */
	struct { uint32_t first, last; uint8_t action; } f[MODEL_MAX_FILTERS];
};
/* M_NOT_SMCCC: an SMC with an immediate, not forwarded: x0 NOT_SUPPORTED, nothing else */
enum { M_KERNEL, M_DENY, M_FWD, M_NOT_SMCCC };
void model_init(struct model *m, uint64_t conduits, bool psci);
/* Would KVM_ARM_VM_SMCCC_FILTER accept [base, base+nr) action? 0 or -errno */
int model_filter_errno(const struct model *m, uint32_t base, uint32_t nr, uint8_t action);
void model_filter_add(struct model *m, uint32_t base, uint32_t nr, uint8_t action);
/* KVM_CAP_ARM_PSCI_TO_USER(on): PSCI's FWD_TO_USER filter ranges in or out; 0 or -errno */
int model_psci_to_user(struct model *m, bool on);
/* Enable/disable PSCI_TO_USER in vm and model; the kernel must agree on the errno */
int psci_both(struct vm *vm, struct model *m, bool on);
/* Install a filter range in vm and model; the kernel must agree on the errno */
int filter_both(struct vm *vm, struct model *m, uint32_t base, uint32_t nr, uint8_t action);
/* SPEC §5 steps 2-6 for an HVC (smc false) or SMC at EL1 */
int model_action(const struct model *m, uint32_t fid, uint16_t imm, bool smc);
/* which step decided the last model_action(), for the statistics */
#define NR_STEPS		9
extern const char *const model_step_names[NR_STEPS];
extern int model_last_step;
/* SPEC §6: kept = imm-0 call does not exit even with the catch-all on */
bool model_kept(const struct model *m, uint32_t fid);
/* KVM implements fid and its bitmap enables it (SPEC §5 step 5) */
bool model_implemented(const struct model *m, uint32_t fid);
/* In-kernel PSCI calls with side effects (CPU_SUSPEND/OFF/ON, SYSTEM_*) */
bool model_psci_side_effect(uint32_t fid);
/* KVM's answer in x0 for some IDs it handles; false: not predicted */
bool model_known_x0(const struct model *m, uint32_t fid, uint64_t *x0);
/* The handled ranges SPEC §6 says the kernel must list (all of them) */
int model_ranges(const struct model *m, struct smccc_range *r, int max);
/* Fill c->fwd/deny/known/x0_want for a call under m */
void model_expect(const struct model *m, const struct script *s, struct scall *c);
/* The ranges read from v equal the model's, NR included */
void model_check_ranges(const struct model *m, struct vcpu *v, const char *what);
/* Apply the model's bitmaps and SMCCC version to v (before the first run) */
void model_apply_regs(const struct model *m, struct vcpu *v);

/* The checks: 0 pass (or exit 1 from CHECK) */
int stress_main(int argc, char **argv);
int complete_main(int argc, char **argv);
int random_main(int argc, char **argv);
int badinput_main(int argc, char **argv);
int fastpath_main(int argc, char **argv);

#endif
