// SPDX-License-Identifier: GPL-2.0
/*
 * robust random: random function IDs, immediates, conduits and (AArch32
 * SMC) condition codes, from AArch64 and AArch32 (A32 and T32) EL1 guests,
 * with both conduits forwarded and KVM_CAP_ARM_PSCI_TO_USER on, so that no
 * random ID can have a PSCI side effect.
 *
 * Each call must either be handled by KVM, exactly when its immediate is 0
 * and its ID (w0) is in a KVM_REG_ARM_FW_HANDLED_RANGE, or exit once with
 * the exit the contract describes (script.c checks both); an AArch32 SMC
 * that fails its condition must do nothing at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "robust.h"

/* IDs that are likely to matter: in, at and next to the ranges, and odd ones */
static uint32_t random_fid(const struct smccc_ranges *rg)
{
	static const uint32_t odd[] = {
		0, 0xffffffff, 0x80000000, 0x84000000, 0x84000008, 0xc4000003,
		0x95c1ba5e, 0x95c1ba61, FID_SIP, FID_SIP32, 0x8600ff01, 0xbf00ffff,
	};
	struct smccc_range r = rg->r[rnd() % rg->nr];
	uint32_t first = r.first, last = r.last, span = last - first + 1;

	switch (rnd() % 8) {
	case 0: case 1: case 2:
		return rnd();
	case 3: case 4:
		return first + (span ? rnd() % span : 0);
	case 5:
		return first - 2 + rnd() % 4;
	case 6:
		return last - 1 + rnd() % 4;
	default:
		return odd[rnd() % (sizeof(odd) / sizeof(odd[0]))];
	}
}

static uint16_t random_imm(void)
{
	return rnd() % 2 ? 0 : 1 + rnd() % 0xffff;
}

static void make_call(struct script *s, struct scall *c, const struct smccc_ranges *rg)
{
	uint32_t fid = random_fid(rg), cond = A32_COND_AL;
	bool smc = rnd() % 2;
	uint16_t imm = random_imm();

	if (!s->a32) {
		c->insn = smc ? A64_SMC(imm) : A64_HVC(imm);
		c->in[0] = fid;
		if (rnd() % 4 == 0)	/* the ID is w0: x0[63:32] must not matter */
			c->in[0] |= rnd() << 32;
		for (int j = 1; j < NR_REGS; j++)
			c->in[j] = rnd();
	} else {
		if (smc && rnd() % 2)
			cond = rnd() % 14;
		/* SMC: #imm4 is not in the syndrome; HVC is unconditional */
		if (s->thumb)
			c->insn = smc ? T32_SMC(imm) : T32_HVC(imm);
		else
			c->insn = smc ? A32_SMC(cond, imm) : A32_HVC(imm);
		c->in[0] = fid;
		for (int j = 1; j < 8; j++)
			c->in[j] = (uint32_t)rnd();
	}
	c->cond = cond;
	c->nop = !a32_cond_passes(cond, s->nzcv);
	c->fwd = !c->nop && (insn_imm(s, c->insn) || !smccc__in_ranges(rg, fid));
}

static void run_one(bool a32, bool thumb, int nr, uint32_t nzcv, int *totals)
{
	struct script s = { .a32 = a32, .thumb = thumb, .nzcv = nzcv, .nr = nr };
	struct smccc_ranges rg;
	struct vcpu *v;
	struct timespec t0, t1;

	vm_new(&vm);
	vm_setup_caps(&vm, ALL_CONDUITS, true);
	v = vcpu_new(&vm, 0, a32);
	smccc__read_ranges(v, &rg);
	CHECK(rg.nr > 0, "no handled ranges");

	s.calls = calloc(nr, sizeof(*s.calls));
	CHECK(s.calls, "out of memory");
	for (int i = 0; i < nr; i++)
		make_call(&s, &s.calls[i], &rg);
	script_load(&s, v);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	script_run(&s, v);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	script_check(&s);
	note("%s NZCV=%x: %d calls: %d forwarded once, %d in KVM, %d NOPs, %d ranges, %.1fs",
	     !a32 ? "AArch64" : thumb ? "AArch32 T32" : "AArch32 A32", nzcv, nr, s.nr_fwd, s.nr_kernel, s.nr_nop, rg.nr,
	     (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	totals[0] += nr;
	totals[1] += s.nr_fwd;
	totals[2] += s.nr_kernel;
	totals[3] += s.nr_nop;
	free(s.calls);
	vm__destroy(&vm);
}

int random_main(int argc, char **argv)
{
	int n64 = 6000, n32 = 4000, opt, totals[4] = {};
	uint64_t seed = 0x5ccc2026;

	while ((opt = getopt(argc, argv, "n:a:s:")) != -1) {
		switch (opt) {
		case 'n': n64 = atoi(optarg); break;
		case 'a': n32 = atoi(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		default: return 2;
		}
	}
	rnd_seed(seed);
	note("seed 0x%llx (rerun with -s to reproduce)", (unsigned long long)seed);

	/* AArch64 in two VMs; AArch32 in four (A32, T32), each with other NZCV */
	for (int i = 0; i < 2; i++)
		run_one(false, false, n64 / 2, 0, totals);
	for (int i = 0; i < 4; i++)
		run_one(true, i % 2, n32 / 4, rnd() % 16, totals);

	note("PASS: %d random calls (%d AArch64, %d AArch32): %d forwarded exactly once, "
	     "%d handled by KVM as the ranges say, %d conditional SMCs skipped",
	     totals[0], n64, n32, totals[1], totals[2], totals[3]);
	return 0;
}
