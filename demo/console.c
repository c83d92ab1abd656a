// SPDX-License-Identifier: GPL-2.0
/*
 * A hypercall outside SMCCC: "hvc #1" (non-zero immediate, SPEC §3 step 2)
 * prints a string from guest memory. x0 = address, x1 = length; returns the
 * length in x0.
 */
#include <stdio.h>

#include "demo.h"

#define CONSOLE_MAX	80

bool console__handle(struct vcpu *v, struct demo_hypercall *hc, struct call *c)
{
	uint64_t addr = hc->regs[0], len = hc->regs[1];
	char text[CONSOLE_MAX + 1];

	(void)v;
	if (hc->imm != DEMO_HVC_CONSOLE || (hc->flags & KVM_ARM_HYPERCALL_EXIT_SMC))
		return false;

	c->kind = CALL_CONSOLE;
	c->arg_lo = 0;
	c->arg_hi = 1;
	c->nres = 1;
	if (len > CONSOLE_MAX || !guest_range_ok(addr, len)) {
		hc->regs[0] = SMCCC_RET_INVALID_PARAMETER;
		snprintf(c->note, sizeof(c->note), "bad buffer");
		return true;
	}
	for (uint64_t i = 0; i < len; i++) {
		char ch = vm.ram[addr - GUEST_RAM_BASE + i];

		text[i] = ch >= 0x20 && ch < 0x7f ? ch : '.';
	}
	text[len] = '\0';
	snprintf(c->note, sizeof(c->note), "\"%s\"", text);
	hc->regs[0] = len;
	return true;
}
