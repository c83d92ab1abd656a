// SPDX-License-Identifier: GPL-2.0
/*
 * robust fastpath: an HVC with a non-zero immediate whose W0 is
 * SMCCC_ARCH_WORKAROUND_1, _2 or _3 is not an SMCCC call (SPEC v3 §5 step
 * 2): with the catch-all on HVC it exits like any other, without it KVM
 * answers it as the SMCCC call W0 names. KVM's hyp fast path for the
 * workarounds (hyp-entry.S el1_sync) must leave it alone: it takes HVC #0
 * only (patches/6.12 0007), and this row failed before that patch.
 *
 * Exit 0 when every call goes where the SPEC says, 1 otherwise.
 */
#include <stdio.h>

#include "robust.h"

static const uint32_t ids[] = { FID_WORKAROUND_1, FID_WORKAROUND_2, FID_WORKAROUND_3 };
static const uint16_t imms[] = { 1, 0x5a5, 0xffff };

int fastpath_main(int argc, char **argv)
{
	struct scall calls[ARRAY_SIZE(ids) * ARRAY_SIZE(imms)] = {};
	struct script s = { .nr = ARRAY_SIZE(calls), .calls = calls };
	struct model m;
	struct vcpu *v;

	(void)argc;
	(void)argv;
	vm_new(&vm);
	v = vcpu_new(&vm, 0, false);
	model_init(&m, KVM_ARM_HYPERCALL_HVC, false);
	vm_setup_caps(&vm, m.conduits, m.psci);
	for (size_t i = 0; i < ARRAY_SIZE(calls); i++) {
		struct scall *c = &calls[i];

		c->insn = A64_HVC(imms[i % ARRAY_SIZE(imms)]);
		c->cond = A32_COND_AL;
		c->in[0] = ids[i / ARRAY_SIZE(imms)];
		for (int j = 1; j < VMM_HC_NR_REGS; j++)
			c->in[j] = 0xfa57000000000000ull | i << 8 | j;
		model_expect(&m, &s, c);
		CHECK(c->fwd, "model: HVC #imm W0 0x%llx not forwarded with the catch-all on HVC",
		      (unsigned long long)c->in[0]);
	}
	script_load(&s, v);
	script_run(&s, v);
	script_check(&s);
	note("PASS: %d HVC #imm with W0 = WORKAROUND_1/2/3 forwarded by the catch-all", s.nr);
	vm__destroy(&vm);
	return 0;
}
