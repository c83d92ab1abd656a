// SPDX-License-Identifier: GPL-2.0
/*
 * robust random: random SMCCC configurations x random calls. Each VM gets
 * a random catch-all mask (none, HVC, SMC, both), PSCI_TO_USER on or off
 * (before the filter ranges, and one VM in three toggles it after them:
 * it is three FWD_TO_USER filter ranges, -EEXIST over one already there),
 * firmware bitmaps (TRNG, PV time, KVM vendor services) kept or cleared,
 * SMCCC_VERSION 1.1 or 1.2 and up to a dozen random filter ranges
 * (HANDLE/DENY/FWD_TO_USER, around the IDs KVM implements, the Arm
 * Architecture range, PSCI and random places; refusals must match
 * upstream's errno, -EEXIST and -EINVAL included). One VM in every eight
 * gets 300 one-ID DENY ranges, so that HANDLED_NR exceeds
 * HANDLED_RANGE_MAX and the list must say it is truncated.
 *
 * Then, from AArch64 and AArch32 (A32 and T32) EL1 guests: random
 * conduit, immediate, function ID (uniform, inside and at the edges of the
 * handled ranges and of the filter's ranges, IDs KVM implements, odd
 * ones), x0[63:32], x1-x17, and for AArch32 SMCs a random condition.
 *
 * Expected, per VM and per call (model.c, SPEC v3 §4, §5 and §6):
 *  - HANDLED_NR and every HANDLED_RANGE(n) are the model's, before and
 *    after the run;
 *  - an imm-0 call on a catch-all conduit exits exactly when its ID is in
 *    none of the kernel's ranges (checked against the ranges read back);
 *  - every call exits exactly when the model says so (filter FWD_TO_USER,
 *    PSCI_TO_USER, catch-all), with the exit script.c checks; a DENY, an
 *    unimplemented or bitmap-disabled ID, an SMC with an immediate on a
 *    conduit not forwarded get NOT_SUPPORTED (x0 -1, x1-x3 0); KVM's own
 *    answers are right where they are known (SMCCC_VERSION, PSCI_VERSION,
 *    TRNG_VERSION, vendor UID, KVM features); x4-x17 (r4-r7) of every
 *    call are unchanged; an AArch32 SMC failing its condition does nothing.
 * In-kernel PSCI calls with side effects (CPU_OFF, SYSTEM_OFF, ...) are
 * not generated. The seed is printed; -s reproduces a run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "robust.h"

#define CALLS_PER_VM	250

static struct {
	int calls, fwd, kernel, deny, nop, vms, filters, refused, truncated, crosschecks;
	int psci_on, psci_off, psci_refused;
	int steps[NR_STEPS], reads;
} tot;

/* Places where the rules change, for filter bases and call IDs */
static const uint32_t spots[] = {
	0x00000000, 0x7ffffff8, 0x80000000, 0x8000fff8, 0x80010000, 0x82000000,
	0x83fffff8, 0x84000000, 0x84000018, 0x84000050, 0x86000000, 0x8600ff00,
	0x95c1ba5c, 0xbffffff8, 0xc0000000, 0xc000fff8, 0xc2000000, 0xc4000000,
	0xc4000050, 0xc5000020, 0xfffffff8,
};
#define NR_SPOTS	(int)(ARRAY_SIZE(spots))

static const uint32_t odd[] = {
	0, 0xffffffff, FID_SMCCC_VERSION, FID_ARCH_FEATURES, FID_WORKAROUND_1,
	FID_WORKAROUND_2, FID_WORKAROUND_3, 0x8000ffff, 0xc000ffff, FID_PSCI_VERSION,
	0x84000004, 0x84000006, 0x8400000a, 0x8400001f, 0xc4000000, 0xc4000004,
	FID_TRNG_VERSION, FID_TRNG_FEATURES, FID_TRNG_GET_UUID, FID_TRNG_RND32,
	FID_TRNG_RND64, FID_PV_TIME_FEATURES, FID_PV_TIME_ST, FID_KVM_FEATURES,
	FID_KVM_PTP, FID_VENDOR_UID, FID_PSCI01_BASE, FID_PSCI01_BASE + 3, FID_SIP,
	FID_SIP32, 0x8600ff02, 0xbf00ffff, 0x84010000,
};
#define NR_ODD		(int)(ARRAY_SIZE(odd))

static uint32_t random_nr(void)
{
	switch (rnd() % 8) {
	case 0: case 1: case 2: return 1 + rnd() % 4;
	case 3: case 4: return 1 + rnd() % 0x40;
	case 5: return 1 + rnd() % 0x10000;
	case 6: return 1 + rnd() % 0x10000000;
	default: return rnd();		/* wraps often: -EINVAL */
	}
}

/* SPEC §6: the ranges reflect the configuration at read time */
static void config_step(struct model *m, struct vcpu *v, const char *what)
{
	model_check_ranges(m, v, what);
	tot.reads++;
}

static void random_config(struct model *m, struct vcpu *v, bool many)
{
	static const uint64_t bmaps[] = { 0, 1, 2, 3 };
	int want = rnd() % 13, tries = 0;

	model_init(m, 0, false);
	config_step(m, v, "a new VM");
	m->conduits = rnd() % 4;
	vm_setup_caps(&vm, m->conduits, false);
	if (rnd() % 2) {
		CHECK(!psci_both(&vm, m, true), "PSCI_TO_USER on a new VM");
		tot.psci_on++;
	}
	config_step(m, v, "after the caps");
	if (rnd() % 3 == 0)
		m->std_bmap = 0;
	if (rnd() % 3 == 0)
		m->std_hyp_bmap = 0;
	if (rnd() % 3 == 0)
		m->vendor_hyp_bmap = bmaps[rnd() % 3];
	m->smccc_version = rnd() % 2 ? SMCCC_VERSION_1_1 : SMCCC_VERSION_1_2;
	model_apply_regs(m, v);
	config_step(m, v, "after the bitmaps");

	if (many)
		for (int i = 0; i < 300; i++) {
			CHECK(!filter_both(&vm, m, 0xc3000000u + 2 * i, 1, KVM_SMCCC_FILTER_DENY),
			      "one-ID filter %d refused", i);
			tot.filters++;
		}
	while (m->nr < want + (many ? 300 : 0) && tries++ < 40) {
		uint32_t base = rnd() % 4 ? spots[rnd() % NR_SPOTS] + rnd() % 48 : rnd();
		uint8_t action = rnd() % 16 ? rnd() % 3 : 3 + rnd() % 253;

		if (filter_both(&vm, m, base, random_nr(), action)) {
			tot.refused++;
		} else {
			tot.filters++;
			if (!many)
				config_step(m, v, "after a filter range");
		}
	}
	/* PSCI_TO_USER after the ranges: on (-EEXIST over one), again, or off */
	if (rnd() % 3 == 0) {
		bool on = rnd() % 3 ? !m->psci : m->psci;

		if (psci_both(&vm, m, on))
			tot.psci_refused++;
		else
			on ? tot.psci_on++ : tot.psci_off++;
		config_step(m, v, "after PSCI_TO_USER");
	}
}

/* IDs likely to matter: in and next to the ranges, the filter's edges, odd ones */
static uint32_t random_fid(const struct smccc_ranges *rg, const struct model *m)
{
	struct smccc_range r = rg->r[rnd() % rg->nr];
	uint32_t span = r.last - r.first + 1;
	int f = m->nr ? (int)(rnd() % m->nr) : -1;

	switch (rnd() % 10) {
	case 0: case 1:
		return rnd();
	case 2: case 3:
		return r.first + (span ? rnd() % span : 0);
	case 4:
		return (rnd() % 2 ? r.first : r.last) - 1 + rnd() % 3;
	case 5:
		if (f >= 0)
			return (rnd() % 2 ? m->f[f].first : m->f[f].last) - 1 + rnd() % 3;
		return rnd();
	case 6:
		if (f >= 0)
			return m->f[f].first + rnd() % (m->f[f].last - m->f[f].first + 1ull);
		return rnd();
	case 7:
		return spots[rnd() % NR_SPOTS] + rnd() % 48;
	default:
		return odd[rnd() % NR_ODD];
	}
}

static uint16_t random_imm(void)
{
	return rnd() % 2 ? 0 : 1 + rnd() % 0xffff;
}

static void make_call(struct script *s, struct scall *c, const struct smccc_ranges *rg,
		      const struct model *m)
{
	uint32_t fid, cond = A32_COND_AL;
	bool smc;
	uint16_t imm;

	/* no in-kernel PSCI call with a side effect (CPU_OFF, SYSTEM_OFF, ...) */
	do {
		cond = A32_COND_AL;
		fid = random_fid(rg, m);
		smc = rnd() % 2;
		imm = random_imm();
		if (s->a32) {
			if (smc && rnd() % 2)
				cond = rnd() % 14;
			c->insn = s->thumb ? (smc ? T32_SMC(imm) : T32_HVC(imm)) :
					     (smc ? A32_SMC(cond, imm) : A32_HVC(imm));
		} else {
			c->insn = smc ? A64_SMC(imm) : A64_HVC(imm);
		}
	} while (model_psci_side_effect(fid) &&
		 model_action(m, fid, insn_imm(s, c->insn), smc) == M_KERNEL);

	c->in[0] = fid;
	if (!s->a32 && rnd() % 4 == 0)	/* the ID is w0: x0[63:32] must not matter */
		c->in[0] |= rnd() << 32;
	for (int j = 1; j < VMM_HC_NR_REGS; j++)
		c->in[j] = j < 8 || !s->a32 ? rnd() : 0;
	if (s->a32)
		for (int j = 1; j < 8; j++)
			c->in[j] = (uint32_t)c->in[j];
	c->cond = cond;
	c->nop = s->a32 && !a32_cond_passes(cond, s->nzcv);
	model_expect(m, s, c);
	if (!c->nop)
		tot.steps[model_last_step]++;

	/* SPEC §6: on a catch-all conduit an imm-0 call exits iff in no range */
	if (!c->nop && !insn_imm(s, c->insn) &&
	    m->conduits & (smc ? KVM_ARM_HYPERCALL_SMC : KVM_ARM_HYPERCALL_HVC) &&
	    (!rg->truncated || fid <= rg->r[rg->nr - 1].last)) {
		CHECK(c->fwd == !smccc__in_ranges(rg, fid),
		      "ID 0x%08x over %s: the model %s, the handled ranges say %s", fid,
		      smc ? "SMC" : "HVC", c->fwd ? "forwards it" : "keeps it",
		      c->fwd ? "kept" : "forwarded");
		tot.crosschecks++;
	}
}

static void run_one(bool a32, bool thumb, int nr, uint32_t nzcv, bool many)
{
	struct script s = { .a32 = a32, .thumb = thumb, .nzcv = nzcv, .nr = nr };
	static struct smccc_ranges rg;
	struct model *m = calloc(1, sizeof(*m));
	struct vcpu *v;
	struct timespec t0, t1;

	CHECK(m, "out of memory");
	vm_new(&vm);
	v = vcpu_new(&vm, 0, a32);
	random_config(m, v, many);
	config_step(m, v, "before the run");
	smccc__read_ranges(v, &rg);
	CHECK(rg.nr > 0, "no handled ranges");
	tot.truncated += rg.truncated;

	s.calls = calloc(nr, sizeof(*s.calls));
	CHECK(s.calls, "out of memory");
	for (int i = 0; i < nr; i++)
		make_call(&s, &s.calls[i], &rg, m);
	script_load(&s, v);
	note("VM %d: %s catch-all 0x%llx PSCI_TO_USER %d, %d filter ranges", tot.vms,
	     !a32 ? "AArch64" : thumb ? "AArch32 T32" : "AArch32 A32",
	     (unsigned long long)m->conduits, m->psci, m->nr);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	script_run(&s, v);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	script_check(&s);
	config_step(m, v, "after the run");
	note("%s NZCV=%x catch-all %s%s PSCI_TO_USER %d bitmaps %llx/%llx/%llx SMCCC 1.%d, "
	     "%d filter ranges, %u handled ranges%s: %d calls: %d forwarded once, %d in KVM, "
	     "%d NOT_SUPPORTED, %d NOPs, %.1fs",
	     !a32 ? "AArch64" : thumb ? "AArch32 T32" : "AArch32 A32", nzcv,
	     m->conduits & KVM_ARM_HYPERCALL_HVC ? "HVC" : "",
	     m->conduits & KVM_ARM_HYPERCALL_SMC ? "SMC" : m->conduits ? "" : "-", m->psci,
	     (unsigned long long)m->std_bmap, (unsigned long long)m->std_hyp_bmap,
	     (unsigned long long)m->vendor_hyp_bmap, (int)(m->smccc_version & 0xffff),
	     m->nr, rg.nr_kept, rg.truncated ? " (truncated)" : "", nr, s.nr_fwd,
	     s.nr_kernel, s.nr_deny, s.nr_nop,
	     (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	tot.vms++;
	tot.calls += nr;
	tot.fwd += s.nr_fwd;
	tot.kernel += s.nr_kernel;
	tot.deny += s.nr_deny;
	tot.nop += s.nr_nop;
	free(s.calls);
	free(m);
	vm__destroy(&vm);
}

int random_main(int argc, char **argv)
{
	int n64 = 6000, n32 = 4000, opt, i;
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

	/* one configuration per VM; AArch32 alternating A32 and T32, random NZCV */
	for (i = 0; i * CALLS_PER_VM < n64; i++)
		run_one(false, false, CALLS_PER_VM, 0, i % 8 == 3);
	for (i = 0; i * CALLS_PER_VM < n32; i++)
		run_one(true, i % 2, CALLS_PER_VM, rnd() % 16, i % 8 == 5);

	note("PSCI_TO_USER: %d enabled (new VM or after the ranges), %d disabled after the "
	     "ranges, %d refused with -EEXIST as the filter does", tot.psci_on, tot.psci_off,
	     tot.psci_refused);
	note("PASS: %d VMs, %d filter ranges installed, %d refused as upstream does, "
	     "%d handled-range lists read and right, %d truncated and saying so; "
	     "%d random calls: %d forwarded "
	     "exactly once, %d answered by KVM, %d NOT_SUPPORTED, %d conditional SMCs skipped; "
	     "%d exits checked against the handled ranges",
	     tot.vms, tot.filters, tot.refused, tot.reads, tot.truncated, tot.calls, tot.fwd, tot.kernel,
	     tot.deny, tot.nop, tot.crosschecks);
	for (i = 0; i < NR_STEPS; i++)
		note("  SPEC §5 step %s: %d calls", model_step_names[i], tot.steps[i]);
	return 0;
}
