/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The service framework, on top of smccc.h's exit view: a program hands
 * vmm/ its table of services once (service__init); service__hypercall, the
 * one entry point (a vcpu_ops.hypercall), offers each forwarded call to
 * them in turn, answers NOT_SUPPORTED when none takes it, prints the
 * trace line (decode.c) and counts the call (the tally). Services keep
 * their own state (psci.c, demo/sip.c, ...).
 */
#ifndef VMM_SERVICE_H
#define VMM_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smccc.h"

/*
 * What a service did with one call, for the trace line: a handler fills
 * it; after() runs once the line is printed (e.g. to kick a CPU_ON target,
 * so that the target's lines come after this one).
 */
enum {
	VMM_CALL_NONE = 0,	/* nobody answered */
	VMM_CALL_PSCI,		/* psci.c */
	VMM_CALL_FFA,		/* ffa.c */
	VMM_CALL_OPTEE,		/* optee.c */
	VMM_CALL_PROGRAM = 8,	/* first kind for a program's own services */
	VMM_CALL_KINDS = 16,
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
 * The program's services, offered each call in this order (nr 0: nobody
 * answers, every call is traced and gets NOT_SUPPORTED). Before the vCPUs
 * run; the table must outlive them.
 */
void service__init(const smccc_service *services, int nr);

/*
 * A vcpu_ops.hypercall: offer the call to each service in turn; if none
 * takes it: SMCCC NOT_SUPPORTED in x0, x1..x3 in the trace and x4..x7 on
 * a debug line (note: "NOT_SUPPORTED (no handler)", or what a declining
 * service left). Then the trace line, c->after and the tally. Always
 * true: every call gets an answer.
 */
bool service__hypercall(struct vcpu *v, struct vmm_hypercall *hc);

/* The tally of forwarded calls, for a program's summary */
#define VMM_TALLY_CALLS		64
struct service_tally {
	unsigned int exits;			/* forwarded calls */
	unsigned int kind[VMM_CALL_KINDS];	/* by smccc_call.kind */
	long long ns, min_ns;			/* time in the VMM, trace line included */
	unsigned int nr_calls;			/* distinct calls in calls[] */
	struct {
		uint32_t fid;			/* 0 for a non-SMCCC call */
		uint32_t imm;
		bool smc, answered;
		unsigned int count;
	} calls[VMM_TALLY_CALLS];		/* in order of first appearance */
};
/* A snapshot, taken under the tally's lock */
void service__tally(struct service_tally *out);

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
