// SPDX-License-Identifier: GPL-2.0
/*
 * The service framework: one table of services per program, one entry
 * point per forwarded call (dispatch, trace line, tally).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "vmm.h"

static const smccc_service *services;
static int nr_services;

static pthread_mutex_t tally_lock = PTHREAD_MUTEX_INITIALIZER;
static struct service_tally tally;

void service__init(const smccc_service *list, int nr)
{
	services = list;
	nr_services = nr;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* One forwarded call; distinct calls by ID (or immediate), conduit and answer */
static void tally_call(const struct vmm_hypercall *hc, const struct smccc_call *c,
		       bool answered, long long ns)
{
	bool smc = hc->flags & VMM_HC_SMC;
	uint32_t fid = hc->imm ? 0 : hypercall__fid(hc);
	unsigned int i;

	pthread_mutex_lock(&tally_lock);
	tally.exits++;
	if (c->kind >= 0 && c->kind < VMM_CALL_KINDS)
		tally.kind[c->kind]++;
	tally.ns += ns;
	if (!tally.min_ns || ns < tally.min_ns)
		tally.min_ns = ns;
	for (i = 0; i < tally.nr_calls; i++)
		if (tally.calls[i].fid == fid && tally.calls[i].imm == hc->imm &&
		    tally.calls[i].smc == smc && tally.calls[i].answered == answered)
			break;
	if (i == tally.nr_calls && i < VMM_TALLY_CALLS) {
		tally.calls[i].fid = fid;
		tally.calls[i].imm = hc->imm;
		tally.calls[i].smc = smc;
		tally.calls[i].answered = answered;
		tally.nr_calls++;
	}
	if (i < VMM_TALLY_CALLS)
		tally.calls[i].count++;
	pthread_mutex_unlock(&tally_lock);
}

void service__tally(struct service_tally *out)
{
	pthread_mutex_lock(&tally_lock);
	*out = tally;
	pthread_mutex_unlock(&tally_lock);
}

/*
 * Offer the call to each service; the first that takes it answers. An
 * unknown function gets SMCCC NOT_SUPPORTED and a debug dump of its
 * arguments (as kvmtool's riscv SBI handler does for an unknown service).
 */
bool service__hypercall(struct vcpu *v, struct vmm_hypercall *hc)
{
	uint64_t in[VMM_HC_NR_REGS];
	struct smccc_call c = { 0 };
	long long t0 = now_ns();
	bool answered = false;

	memcpy(in, hc->regs, sizeof(in));
	for (int i = 0; i < nr_services && !answered; i++)
		answered = services[i](v, hc, &c);
	if (!answered) {
		struct smccc_call none = { .arg_lo = hc->imm ? 0 : 1, .arg_hi = 3,
					   .nres = 1, .dump = true };

		/* a service that looked but declined may have left a note */
		snprintf(none.note, sizeof(none.note), "%s",
			 c.note[0] ? c.note : "NOT_SUPPORTED (no handler)");
		c = none;
		hc->regs[0] = SMCCC_RET_NOT_SUPPORTED;
	}
	decode__trace(v, hc, in, &c);
	if (c.after)
		c.after(v, &c);
	tally_call(hc, &c, answered, now_ns() - t0);
	return true;
}
