// SPDX-License-Identifier: GPL-2.0
/*
 * The VMM's own SiP service (SMCCC owner 2). demo.sum takes x1..x17 and
 * returns x0..x17, an SMCCC v1.2-sized call: the guest checks every
 * register it gets back. DEMO_SIP_REPORT is how the guest reports.
 */
#include <stdio.h>

#include "demo.h"

static bool corrupt;			/* --corrupt-sip: flip a bit of demo.sum's x17 */
static uint64_t calls[VMM_MAX_VCPUS];	/* SiP calls answered, each by its vCPU's thread */
static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
static struct report report;

static const struct smccc_name names[] = {
	{ DEMO_SIP_COUNT, "demo.count" },
	{ DEMO_SIP_SUM, "demo.sum" },
	{ DEMO_SIP_REPORT, "demo.report" },
	{ DEMO_SIP_REVISION, "demo.revision" },
};

void sip__init(bool corrupt_sum)
{
	corrupt = corrupt_sum;
	decode__add_names(names, ARRAY_SIZE(names));
}

/* Keep the first failure; a later pass does not hide it. */
static void record_report(struct vcpu *v, const uint64_t *r)
{
	pthread_mutex_lock(&report_lock);
	if (!report.seen || (report.line == 0 && r[1] != 0)) {
		report.seen = true;
		report.vcpu = v->id;
		report.line = r[1];
		report.mode = r[2];
		report.got = r[3];
		report.expected = r[4];
	}
	pthread_mutex_unlock(&report_lock);
}

struct report sip__report(void)
{
	struct report r;

	pthread_mutex_lock(&report_lock);
	r = report;
	pthread_mutex_unlock(&report_lock);
	return r;
}

/*
 * --trace-only answers nothing, but the guest's verdict still travels in
 * the report call's arguments: read them, so the run can be judged. Never
 * answers; leaves the note for the NOT_SUPPORTED trace line.
 */
bool sip__observe(struct vcpu *v, struct vmm_hypercall *hc, struct smccc_call *c)
{
	bool seen = !hc->imm && hypercall__fid(hc) == DEMO_SIP_REPORT;

	if (seen)
		record_report(v, hc->regs);
	snprintf(c->note, sizeof(c->note), "NOT_SUPPORTED (trace-only)%s",
		 !seen ? "" : hc->regs[1] ? "; guest verdict read: FAILED check" :
		 "; guest verdict read: all checks passed");
	return false;
}

bool sip__handle(struct vcpu *v, struct vmm_hypercall *hc, struct smccc_call *c)
{
	uint64_t *r = hc->regs;
	uint64_t in[18];

	if (hc->imm)
		return false;
	c->arg_lo = 1;		/* no arguments shown unless a call says */
	switch (hypercall__fid(hc)) {
	case DEMO_SIP_REVISION:
		r[0] = DEMO_SIP_REV_MAJOR;
		r[1] = DEMO_SIP_REV_MINOR;
		c->nres = 2;
		snprintf(c->note, sizeof(c->note), "revision %d.%d",
			 DEMO_SIP_REV_MAJOR, DEMO_SIP_REV_MINOR);
		break;
	case DEMO_SIP_COUNT:
		r[0] = SMCCC_RET_SUCCESS;
		/* this vCPU's SiP calls, this one included */
		r[1] = calls[v->id] + 1;
		c->nres = 2;
		break;
	case DEMO_SIP_SUM:
		for (int i = 1; i <= 17; i++)
			in[i] = r[i];
		r[0] = 0;
		for (int i = 1; i <= 17; i++) {
			r[0] += in[i];
			r[i] = ~in[18 - i];
		}
		if (corrupt) {
			r[17] ^= 1;
			snprintf(c->note, sizeof(c->note), "(--corrupt-sip: x17 bit 0 flipped)");
		}
		c->arg_hi = 17;
		c->nres = 18;
		break;
	case DEMO_SIP_REPORT:
		record_report(v, r);
		snprintf(c->note, sizeof(c->note), "guest %s",
			 r[1] ? "reports a FAILED check" : "reports all checks passed");
		r[0] = SMCCC_RET_SUCCESS;
		c->arg_hi = r[1] ? 4 : 2;
		c->nres = 1;
		break;
	default:
		return false;
	}
	calls[v->id]++;
	c->kind = CALL_SIP;
	return true;
}
