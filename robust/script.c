// SPDX-License-Identifier: GPL-2.0
/*
 * Scripted guests: straight-line code generated from a list of calls, so
 * that any function ID, immediate, conduit and (AArch32) condition can be
 * tried. Each call loads x0-x17 (r0-r7) from an input table, executes its
 * HVC/SMC and stores x0-x17 (r0-r7) to an output table; a store to
 * DONE_GPA (an MMIO exit) ends the script. Every exit is checked against
 * the call it came from (found by the PC) and answered with
 * script_answer() through sync regs (s.regs.regs, KVM_SYNC_ARM64_REGS in
 * kvm_dirty_regs; with s->upstream by KVM_SET_ONE_REG); script_check()
 * then compares what the guest got.
 *
 *   A64 call: 9 x ldp x<n>, x<n+1>, [x28], #16; insn; 9 x stp ... [x27], #16
 *   A32 call: ldmia r12!, {r0-r7}; insn; stmia r11!, {r0-r7}
 *   T32 call: ldmia.w r12!, {r0-r7}; it<cond> or nop; insn; stmia.w r11!, {r0-r7}
 */
#include <errno.h>
#include <string.h>

#include "robust.h"

#define A64_LDP_X28(n)		(0xa8c10000u | (n + 1) << 10 | 28 << 5 | (n))
#define A64_STP_X27(n)		(0xa8810000u | (n + 1) << 10 | 27 << 5 | (n))
#define A64_STR_XZR_X26		0xf900035fu
#define A64_B_SELF		0x14000000u
#define A32_LDMIA_R12_R0_R7	0xe8bc00ffu
#define A32_STMIA_R11_R0_R7	0xe8ab00ffu
#define A32_STR_R0_R10		0xe58a0000u
#define A32_B_SELF		0xeafffffeu
#define T32_LDMIA_R12_R0_R7	0xe8bc00ffu
#define T32_STMIA_R11_R0_R7	0xe8ab00ffu
#define T16_IT(cond)		(0xbf08u | (cond) << 4)
#define T16_NOP			0xbf00u
#define T32_STR_R0_R10		0xf8ca0000u
#define T16_B_SELF		0xe7feu

#define A64_BLOCK		(19 * 4)
#define A64_INSN_OFF		(9 * 4)
#define A32_BLOCK		(3 * 4)
#define A32_INSN_OFF		4
#define T32_BLOCK		(4 + 2 + 4 + 4)
#define T32_INSN_OFF		6

static int block(const struct script *s)
{
	return !s->a32 ? A64_BLOCK : s->thumb ? T32_BLOCK : A32_BLOCK;
}

static int insn_off(const struct script *s)
{
	return !s->a32 ? A64_INSN_OFF : s->thumb ? T32_INSN_OFF : A32_INSN_OFF;
}

static int width(const struct script *s)	/* registers passed, bytes each */
{
	return s->a32 ? 8 : VMM_HC_NR_REGS;
}

bool insn_smc(const struct script *s, uint32_t insn)
{
	if (s->thumb)
		return (insn >> 20 & 0xfff) == 0xf7f;
	return s->a32 ? (insn >> 20 & 0xff) == 0x16 : (insn & 3) == 3;
}

/* What KVM must report in run->s.regs.hypercall.imm */
uint16_t insn_imm(const struct script *s, uint32_t insn)
{
	if (!s->a32)
		return insn >> 5 & 0xffff;
	if (insn_smc(s, insn))
		return 0;	/* the AArch32 SMC syndrome has no immediate */
	if (s->thumb)
		return (insn >> 16 & 0xf) << 12 | (insn & 0xfff);
	return (insn >> 8 & 0xfff) << 4 | (insn & 0xf);
}

/* ARM ARM "Conditional execution"; nzcv is N:Z:C:V */
bool a32_cond_passes(uint32_t cond, uint32_t nzcv)
{
	bool n = nzcv & 8, z = nzcv & 4, c = nzcv & 2, v = nzcv & 1, r;

	switch (cond >> 1) {
	case 0: r = z; break;
	case 1: r = c; break;
	case 2: r = n; break;
	case 3: r = v; break;
	case 4: r = c && !z; break;
	case 5: r = n == v; break;
	case 6: r = !z && n == v; break;
	default: return true;	/* AL (and 0xf, never generated) */
	}
	return cond & 1 ? !r : r;
}

uint64_t script_answer(int idx, int reg)
{
	return 0xa5a5000000000000ull ^ (uint64_t)reg << 40 ^ (uint64_t)idx << 8 ^ 0x5a;
}

uint64_t script_out(struct script *s, int idx, int reg)
{
	uint8_t *out = s->mem + (s->out - SCRIPT_GPA);

	if (s->a32)
		return ((uint32_t *)out)[idx * 8 + reg];
	return ((uint64_t *)out)[idx * VMM_HC_NR_REGS + reg];
}

/* The call whose HVC/SMC is right before pc, or -1 */
int script_index(struct script *s, uint64_t pc)
{
	uint64_t off = pc - s->code - insn_off(s) - 4;

	if (pc < s->code || off % block(s) || off / block(s) >= (uint64_t)s->nr)
		return -1;
	return off / block(s);
}

static uint64_t align(uint64_t x)
{
	return (x + 0xfff) & ~0xfffull;
}

/* T32: two halfwords, the first one first */
static uint16_t *emit_t32(uint16_t *code, uint32_t insn)
{
	*code++ = insn >> 16;
	*code++ = insn;
	return code;
}

static void emit_thumb(struct script *s)
{
	uint16_t *code = (uint16_t *)s->mem;

	for (int i = 0; i < s->nr; i++) {
		const struct scall *c = &s->calls[i];

		code = emit_t32(code, T32_LDMIA_R12_R0_R7);
		*code++ = c->cond == A32_COND_AL ? T16_NOP : T16_IT(c->cond);
		code = emit_t32(code, c->insn);
		code = emit_t32(code, T32_STMIA_R11_R0_R7);
	}
	code = emit_t32(code, T32_STR_R0_R10);
	*code = T16_B_SELF;
}

static void emit_arm(struct script *s)
{
	uint32_t *code = (uint32_t *)s->mem;

	for (int i = 0; i < s->nr; i++) {
		if (s->a32) {
			*code++ = A32_LDMIA_R12_R0_R7;
			*code++ = s->calls[i].insn;
			*code++ = A32_STMIA_R11_R0_R7;
			continue;
		}
		for (int j = 0; j < VMM_HC_NR_REGS; j += 2)
			*code++ = A64_LDP_X28(j);
		*code++ = s->calls[i].insn;
		for (int j = 0; j < VMM_HC_NR_REGS; j += 2)
			*code++ = A64_STP_X27(j);
	}
	*code++ = s->a32 ? A32_STR_R0_R10 : A64_STR_XZR_X26;
	*code = s->a32 ? A32_B_SELF : A64_B_SELF;
}

/* Write code and input table to a new memory slot */
void script_load(struct script *s, struct vcpu *v)
{
	uint64_t code_size = align((uint64_t)s->nr * block(s) + 8);
	uint64_t table = align((uint64_t)s->nr * width(s) * (s->a32 ? 4 : 8));
	uint8_t *in;

	s->code = SCRIPT_GPA;
	s->in = s->code + code_size;
	s->out = s->in + table;
	s->size = code_size + 2 * table;
	s->mem = vm__add_ram(&vm, SCRIPT_GPA, s->size);
	in = s->mem + code_size;
	if (s->thumb)
		emit_thumb(s);
	else
		emit_arm(s);

	s->nr_fwd = s->nr_kernel = s->nr_nop = s->nr_deny = 0;
	for (int i = 0; i < s->nr; i++) {
		const struct scall *c = &s->calls[i];

		if (s->a32)
			for (int j = 0; j < 8; j++)
				((uint32_t *)in)[i * 8 + j] = c->in[j];
		else
			memcpy(in + (size_t)i * VMM_HC_NR_REGS * 8, c->in, VMM_HC_NR_REGS * 8);
		s->nr_fwd += c->fwd;
		s->nr_nop += c->nop;
		s->nr_kernel += !c->fwd && !c->nop && !c->deny;
		s->nr_deny += c->deny;
	}
	script_start(s, v);
}

/* Point the vCPU at the first call */
void script_start(struct script *s, struct vcpu *v)
{
	/* pc: first call; x28/r12 inputs, x27/r11 outputs, x26/r10 "done" */
	vcpu__set_reg(v, REG_PC, s->code);
	vcpu__set_reg(v, REG_X(s->a32 ? 12 : 28), s->in);
	vcpu__set_reg(v, REG_X(s->a32 ? 11 : 27), s->out);
	vcpu__set_reg(v, REG_X(s->a32 ? 10 : 26), DONE_GPA);
	if (s->a32)	/* SVC mode, interrupts masked, the flags under test, ARM/Thumb */
		vcpu__set_reg(v, REG_PSTATE, PSR_AA32_MODE_SVC | PSR_AIF |
			      (s->thumb ? PSR_AA32_T : 0) | (uint64_t)s->nzcv << 28);
	for (int i = 0; i < s->nr; i++)
		s->calls[i].exits = 0;
	if (s->upstream)
		memset(&v->run->s.regs, 0xee, sizeof(v->run->s.regs));
}

/* No sync-regs bit set: KVM never writes s.regs (script_start fills it) */
static void upstream_untouched(struct vcpu *v, const char *where)
{
	const uint8_t *p = (const uint8_t *)&v->run->s.regs;
	size_t irq = sizeof(v->run->s.regs.device_irq_level);

	CHECK(!v->run->kvm_valid_regs, "%s: kvm_valid_regs 0x%llx", where,
	      (unsigned long long)v->run->kvm_valid_regs);
	/* but device_irq_level: upstream's, written at every exit (no in-kernel GIC here) */
	for (size_t i = irq; i < sizeof(v->run->s.regs); i++)
		CHECK(p[i] == 0xee, "%s: KVM wrote s.regs (byte %zu: 0x%02x) for a VMM that set "
		      "no kvm_valid_regs bit", where, i, p[i]);
}

/*
 * Is this exit what call idx must produce? (SPEC v3 §2, uapi-v3.md) Its
 * view hc (vmm/'s, from run->hypercall and run->s.regs) is left for answer().
 */
static void check_exit(struct script *s, struct vcpu *v, int idx, struct vmm_hypercall *h)
{
	struct vmm_hypercall hc;
	struct scall *c = &s->calls[idx];
	bool smc = insn_smc(s, c->insn);
	uint16_t imm = s->upstream ? 0 : insn_imm(s, c->insn);
	uint32_t flags = (smc ? VMM_HC_SMC : 0) | (s->a32 && !s->upstream ? VMM_HC_AARCH32 : 0) |
			 (imm ? VMM_HC_IMM : 0);
	uint32_t cond_passed;

	CHECK(smccc__exit(v, h), "call %d: exit reason %u", idx, v->run->exit_reason);
	hc = *h;
	cond_passed = hc.flags & VMM_HC_COND_PASSED;

	CHECK(c->fwd, "call %d (insn 0x%08x, x0 0x%llx) exited to userspace; "
	      "expected: handled by KVM%s", idx, c->insn, (unsigned long long)c->in[0],
	      c->nop ? " (condition fails: NOP)" : c->deny ? " (NOT_SUPPORTED)" : "");
	CHECK(++c->exits == 1, "call %d (insn 0x%08x) exited %d times", idx, c->insn, c->exits);
	/* HVC/SMC are 32-bit instructions in every state: 16BIT is never set */
	CHECK((hc.flags & ~VMM_HC_COND_PASSED) == flags,
	      "call %d (insn 0x%08x): flags 0x%x (expected: 0x%x)", idx, c->insn,
	      hc.flags, flags);
	CHECK(!cond_passed || (s->a32 && smc && c->cond != A32_COND_AL),
	      "call %d (insn 0x%08x): COND_PASSED for an unconditional instruction",
	      idx, c->insn);
	CHECK(hc.imm == imm, "call %d (insn 0x%08x): imm 0x%x (expected: 0x%x)",
	      idx, c->insn, hc.imm, imm);
	/* upstream's fields: nr = W0, args[] and ret 0 */
	CHECK(hc.nr == (uint32_t)c->in[0], "call %d (insn 0x%08x): hypercall.nr 0x%x "
	      "(expected: W0 0x%x)", idx, c->insn, hc.nr, (uint32_t)c->in[0]);
	CHECK(hypercall_reserved_ok(v), "call %d: hypercall.args[]/ret not zero", idx);
	/* the AArch64 view of the registers; x0-x17 (r0-r7) the call's arguments */
	for (int j = 0; j < width(s); j++) {
		uint64_t want = s->a32 ? (uint32_t)c->in[j] : c->in[j];

		CHECK(hc.regs[j] == want, "call %d (insn 0x%08x): regs[%d] 0x%llx (expected: 0x%llx)",
		      idx, c->insn, j, (unsigned long long)hc.regs[j],
		      (unsigned long long)want);
	}
	CHECK(!v->run->kvm_dirty_regs, "call %d: kvm_dirty_regs 0x%llx after KVM_RUN (the bit is "
	      "cleared once loaded)", idx, (unsigned long long)v->run->kvm_dirty_regs);
}

/*
 * Answer x0-x3 in hc->regs (s.regs.regs) and mark them dirty; for AArch32
 * put garbage in the upper halves of x0-x30 and pc, which KVM must drop
 * (KVM_SET_ONE_REG's narrowing). Fill what KVM must ignore with garbage:
 * run->hypercall's other fields, s.regs.hypercall.
 * Upstream's way (s->upstream): KVM_SET_ONE_REG of what changed, and the
 * run struct's s.regs scribbled over, which must have no effect.
 */
static void answer(struct script *s, struct vcpu *v, int idx, struct vmm_hypercall *hc)
{
	struct user_pt_regs *sr = sync_regs(v);

	for (int j = 0; j < 4; j++)
		hc->regs[j] = script_answer(idx, j);
	if (s->a32 && !s->upstream) {
		for (int j = 0; j < 31; j++)
			sr->regs[j] = (uint32_t)sr->regs[j] | rnd() << 32;
		sr->pc = (uint32_t)sr->pc | rnd() << 32;
	}
	smccc__answer(v, hc);
	if (s->upstream)
		memset(&v->run->s.regs, 0xee, sizeof(v->run->s.regs));
	else
		fill_ignored(v, rnd);
}

/* Run to the end of the script, checking and answering every exit */
void script_run(struct script *s, struct vcpu *v)
{
	for (;;) {
		int ret = vcpu_try_run(v, false), idx;
		struct kvm_run *run = v->run;
		struct vmm_hypercall hc;
		uint64_t pc;

		CHECK(!ret || ret == -EINTR, "KVM_RUN: %s", strerror(-ret));
		if (ret && !s->upstream)
			sync_regs_check(v, "after KVM_RUN -EINTR");
		if (ret)
			continue;
		/* every exit: s.regs.regs is what KVM_GET_ONE_REG says, PC included */
		if (s->upstream)
			upstream_untouched(v, "at an exit");
		else
			sync_regs_check(v, "at an exit");
		if (run->exit_reason == KVM_EXIT_MMIO && run->mmio.phys_addr == DONE_GPA &&
		    run->mmio.is_write) {
			/* complete the MMIO store (PC += 4) before anyone moves the PC */
			ret = vcpu_try_run(v, true);
			CHECK(ret == -EINTR, "KVM_RUN with immediate_exit after MMIO: %d", ret);
			return;
		}
		pc = reg(v, REG_PC);
		CHECK(run->exit_reason == KVM_EXIT_HYPERCALL,
		      "unexpected exit reason %u at pc 0x%llx (call %d)", run->exit_reason,
		      (unsigned long long)pc, script_index(s, pc));
		idx = script_index(s, pc);
		CHECK(idx >= 0, "KVM_EXIT_HYPERCALL with pc 0x%llx, right after no HVC/SMC",
		      (unsigned long long)pc);
		check_exit(s, v, idx, &hc);
		answer(s, v, idx, &hc);
		if (s->hook)
			s->hook(s, v, idx);
	}
}

/*
 * What each call left in the guest's registers: forwarded calls the answer
 * in x0-x3, NOT_SUPPORTED ones -1, 0, 0, 0 (SPEC §5: DENY, what KVM does
 * not implement; an SMC with an immediate, not an SMCCC call: x0 -1 only),
 * KVM's own answers x0 where it is known; x4-x17 (r4-r7) unchanged for
 * every call.
 */
void script_check(struct script *s)
{
	for (int i = 0; i < s->nr; i++) {
		const struct scall *c = &s->calls[i];

		CHECK(c->exits == c->fwd, "call %d (insn 0x%08x, x0 0x%llx): %d exits (expected: %d); "
		      "the guest got x0-x3 0x%llx 0x%llx 0x%llx 0x%llx", i, c->insn,
		      (unsigned long long)c->in[0], c->exits, c->fwd,
		      (unsigned long long)script_out(s, i, 0), (unsigned long long)script_out(s, i, 1),
		      (unsigned long long)script_out(s, i, 2), (unsigned long long)script_out(s, i, 3));
		for (int j = 0; j < width(s); j++) {
			uint64_t got = script_out(s, i, j), want = c->in[j];

			if (c->fwd && j < 4)
				want = script_answer(i, j);
			else if (c->deny && (!j || (j < 4 && !c->x0_only)))
				want = j ? 0 : SMCCC_RET_NOT_SUPPORTED;
			else if (c->known && j == 0)
				want = c->x0_want;
			else if (!c->fwd && !c->nop && j < 4)
				continue;	/* KVM's own result */
			if (s->a32)
				want = (uint32_t)want;
			CHECK(got == want, "call %d (insn 0x%08x, x0 0x%llx, %s): guest x%d 0x%llx "
			      "(expected: 0x%llx)", i, c->insn, (unsigned long long)c->in[0],
			      c->fwd ? "forwarded" : c->nop ? "NOP" : c->deny ? "NOT_SUPPORTED" :
			      "in KVM", j, (unsigned long long)got, (unsigned long long)want);
		}
	}
}
