// SPDX-License-Identifier: GPL-2.0
/*
 * A hypercall outside SMCCC: "hvc #1" (non-zero immediate, SPEC §5 step 2)
 * prints a string from guest memory. x0 = address, x1 = length; returns the
 * length in x0.
 */
#include <stdio.h>

#include "demo.h"

#define CONSOLE_MAX	80

bool console__handle(struct vcpu *v, struct vmm_hypercall *hc, struct smccc_call *c)
{
	uint64_t addr = hc->regs[0], len = hc->regs[1];
	char text[CONSOLE_MAX + 1];
	const char *buf;

	if (hc->imm != DEMO_HVC_CONSOLE || (hc->flags & VMM_HC_SMC))
		return false;

	c->kind = CALL_CONSOLE;
	c->name = "demo.console";
	c->arg_lo = 0;
	c->arg_hi = 1;
	c->nres = 1;
	buf = len > CONSOLE_MAX ? NULL : vm__gpa_to_host(v->vm, addr, len);
	if (!buf) {
		hc->regs[0] = SMCCC_RET_INVALID_PARAMETER;
		snprintf(c->note, sizeof(c->note), "bad buffer");
		return true;
	}
	for (uint64_t i = 0; i < len; i++)
		text[i] = buf[i] >= 0x20 && buf[i] < 0x7f ? buf[i] : '.';
	text[len] = '\0';
	snprintf(c->note, sizeof(c->note), "\"%s\"", text);
	hc->regs[0] = len;
	return true;
}
