/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Demo VMM for KVM/arm64 with KVM_CAP_ARM_HYPERCALL_TO_USER and
 * KVM_CAP_ARM_PSCI_TO_USER: PSCI, a SiP service and a non-SMCCC hypercall
 * answered in userspace. One thread per vCPU.
 */
#ifndef DEMO_H
#define DEMO_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "kvm_compat.h"
#include "guest_abi.h"

#define NR_VCPUS		2

#define SMCCC_RET_SUCCESS		0
#define SMCCC_RET_NOT_SUPPORTED		((uint64_t)-1)
#define SMCCC_RET_INVALID_PARAMETER	((uint64_t)-3)

/* SMCCC function ID fields (DEN0028, "Function Identifiers") */
#define SMCCC_FAST		0x80000000u
#define SMCCC_SMC64		0x40000000u
#define SMCCC_OWNER(fid)	(((fid) >> 24) & 0x3f)
#define SMCCC_FUNC(fid)		((fid) & 0xffff)

/* Core register IDs for KVM_{GET,SET}_ONE_REG */
#define REG_CORE(r)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 KVM_REG_ARM_CORE_REG(r))
#define REG_X(n)	REG_CORE(regs.regs[n])
#define REG_PC		REG_CORE(regs.pc)
#define REG_PSTATE	REG_CORE(regs.pstate)
#define REG_MPIDR	ARM64_SYS_REG(3, 0, 0, 0, 5)

enum power { PWR_OFF, PWR_ON_PENDING, PWR_ON };

struct vcpu {
	int id;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	uint64_t mpidr;
	/* PSCI state, under psci.c's lock */
	enum power power;
	uint64_t entry, context_id;
	/* SiP calls answered for this vCPU (only its own thread touches it) */
	uint64_t sip_calls;
};

struct vm {
	int kvm_fd, vm_fd;
	uint8_t *ram;
	int run_size;
	struct vcpu vcpus[NR_VCPUS];
	bool trace_only;	/* answer nothing, log every forwarded call */
	bool corrupt_sip;	/* flip a bit of demo.sum's x17 */
};

extern struct vm vm;

enum call_kind { CALL_UNHANDLED, CALL_PSCI, CALL_SIP, CALL_CONSOLE };

/* What a handler did with one exit, for the trace line. */
struct call {
	enum call_kind kind;
	int arg_lo, arg_hi;	/* arguments shown: x<lo>..x<hi>, none if hi < lo */
	int nres;		/* results shown: x0..x<nres-1> */
	char note[112];		/* decoded result, e.g. "SUCCESS" */
	bool dump;		/* unhandled: also show x4..x7 on a debug line */
	/* run after the trace line is printed, e.g. kick a CPU_ON target */
	void (*after)(struct vcpu *self, struct call *c);
	struct vcpu *target;
};

/* The guest's verdict from DEMO_SIP_REPORT */
struct report {
	bool seen;
	int vcpu;
	uint64_t line, mode, got, expected;
};

enum stop { STOP_NONE, STOP_SYSTEM_OFF, STOP_SYSTEM_RESET, STOP_ERROR };

/* main.c */
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void die_perror(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void vm__stop(enum stop why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool vm__stopping(void);
bool guest_range_ok(uint64_t addr, uint64_t len);

/* vcpu.c */
void vcpu__create(struct vcpu *v, int id);
void vcpu__init(struct vcpu *v);
void vcpu__set_reg(struct vcpu *v, uint64_t id, uint64_t val, const char *what);
uint64_t vcpu__get_reg(struct vcpu *v, uint64_t id, const char *what);
void vcpu__set_mp_state(struct vcpu *v, uint32_t state);
int vcpu__run(struct vcpu *v);
void vcpu__complete_exit(struct vcpu *v);
void vcpu__bind_thread(struct vcpu *v);
void vcpu__kick(struct vcpu *v);

/* psci.c */
bool psci__handle(struct vcpu *v, struct demo_hypercall *hc, struct call *c);
void psci__vcpu_poll(struct vcpu *v);

/* sip.c */
bool sip__handle(struct vcpu *v, struct demo_hypercall *hc, struct call *c);
bool sip__observe(struct vcpu *v, const struct demo_hypercall *hc);
struct report sip__report(void);

/* console.c */
bool console__handle(struct vcpu *v, struct demo_hypercall *hc, struct call *c);

/* decode.c */
void decode__fid(uint32_t fid, char *buf, size_t size);
void decode__trace(const struct vcpu *v, const struct demo_hypercall *hc,
		   const uint64_t *in, const struct call *c);
void decode__ranges(struct vcpu *v);

#endif
