/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Robustness checks for KVM_EXIT_HYPERCALL on arm64 (issue #6): stress
 * with signals, completion across immediate_exit/signals/register
 * save-restore, random calls over both conduits from AArch64 and AArch32,
 * and the catalogue of bad inputs. The VM and vCPU plumbing is vmm/'s;
 * this header adds what the checks share.
 */
#ifndef ROBUST_H
#define ROBUST_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/kvm.h>
#ifndef KVM_REG_ARM_FW_HANDLED_RANGES
#error "robust needs the series' uAPI headers: make KHDR=<kernel>/usr/include"
#endif
#include "vmm.h"

#define NR_REGS			18
#define ALL_CONDUITS		(KVM_ARM_HYPERCALL_HVC | KVM_ARM_HYPERCALL_SMC)
#define EXIT_SKIP		4

/* SMCCC IDs the checks use (DEN0028; values as in KVM 6.1) */
#define FID_SMCCC_VERSION	0x80000000u
#define FID_PSCI_VERSION	0x84000000u
#define FID_TRNG_VERSION	0x84000050u
#define FID_SIP			0xc2000010u	/* nobody implements it: forwarded */
#define FID_SIP32		0x82000010u
#define V1_1			0x10001		/* SMCCC and PSCI version 1.1 */
#define TRNG_V1_0		0x10000

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

/* main.c: the checks' VM is "vm" (vm__destroy(&vm) ends it); skip without the series */
extern struct vm vm;
void vm_new(struct vm *vm);
void vm_setup_caps(struct vm *vm, uint64_t conduits, bool psci_to_user);
/* vm->vcpus[id]: PSCI 0.2, powered off unless id 0; AArch32 EL1 (or skip) if a32 */
struct vcpu *vcpu_new(struct vm *vm, int id, bool a32);
int vcpu_try_run(struct vcpu *v, bool immediate);
uint64_t rnd(void);
void rnd_seed(uint64_t seed);

/* A snapshot of the vCPU state a VMM can save: core and firmware registers */
#define NR_SNAP			(31 + 9 + KVM_REG_ARM_FW_HANDLED_RANGES)
struct snap { uint64_t val[NR_SNAP]; };
void snap_take(struct vcpu *v, struct snap *s);
void snap_restore(struct vcpu *v, const struct snap *s);
const char *snap_name(int i);
/* index of x<n>/pc in a snapshot */
#define SNAP_X(n)		(n)
#define SNAP_PC			32

/* script.c: a guest generated from a list of calls */
struct scall {
	uint32_t insn;		/* the HVC/SMC encoding */
	uint8_t cond;		/* AArch32 SMC: its condition (T32: an IT before it) */
	uint64_t in[NR_REGS];	/* x0..x17 (AArch32: r0..r7) before it */
	bool fwd;		/* expected to exit to userspace */
	bool nop;		/* AArch32 SMC failing its condition */
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
	/* filled by script_load */
	uint8_t *mem;
	uint64_t code, in, out, size;
	int nr_fwd, nr_kernel, nr_nop;
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

/* The checks: 0 pass (or exit 1 from CHECK) */
int stress_main(int argc, char **argv);
int complete_main(int argc, char **argv);
int random_main(int argc, char **argv);
int badinput_main(int argc, char **argv);

#endif
