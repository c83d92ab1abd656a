// SPDX-License-Identifier: GPL-2.0
/*
 * SPEC v3 §5 (dispatch order), §4 (PSCI_TO_USER is the filter) and §6
 * (handled ranges) written down a second time, from the SPEC and KVM's
 * list of the calls it implements (one table, kvm_calls[]), not from the
 * kernel's code: the random and bad-input checks hold the kernel's exits,
 * answers, errnos and HANDLED_NR/_RANGE(n) registers against it. Function
 * IDs are vmm/smccc-ids.h's.
 *
 *  1. AArch32 SMC failing its condition: NOP (script.c, not here).
 *  2. imm != 0: catch-all conduit -> exit; else SMC -> NOT_SUPPORTED in x0
 *     only (not an SMCCC call: x1-x3 unchanged), HVC -> an SMCCC call with
 *     that W0 (go on).
 *  3. Arm Architecture range: the kernel.
 *  4. A filter range is final: DENY -> NOT_SUPPORTED, FWD_TO_USER -> exit,
 *     HANDLE -> the kernel (NOT_SUPPORTED if it does not implement it).
 *     PSCI_TO_USER is three FWD_TO_USER ranges here, nothing else.
 *  5. Implemented by KVM, enabled by its bitmap: the kernel.
 *  6. catch-all conduit: exit; else NOT_SUPPORTED.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "robust.h"

void model_init(struct model *m, uint64_t conduits, bool psci)
{
	memset(m, 0, sizeof(*m));
	m->conduits = conduits;
	CHECK(!model_psci_to_user(m, psci), "model: PSCI_TO_USER on an empty filter");
	m->std_bmap = 1ull << KVM_REG_ARM_STD_BIT_TRNG_V1_0;
	m->std_hyp_bmap = 1ull << KVM_REG_ARM_STD_HYP_BIT_PV_TIME;
	m->vendor_hyp_bmap = 1ull << KVM_REG_ARM_VENDOR_HYP_BIT_FUNC_FEAT |
			     1ull << KVM_REG_ARM_VENDOR_HYP_BIT_PTP;
	m->smccc_version = SMCCC_VERSION_1_1;
	m->psci_version = PSCI_VERSION(1, 1);	/* KVM's default */
}

static bool arch_range(uint32_t fid)
{
	return (fid & ~(SMCCC_SMC64 | 0xffffu)) == SMCCC_FAST;
}

/* PSCI: Standard Secure 0x00-0x1f, SMC32 and SMC64, and KVM's 0.1 IDs */
static bool psci_id(uint32_t fid)
{
	return smccc_is_psci(fid) ||
	       (fid >= FID_PSCI01_BASE && fid < FID_PSCI01_BASE + FID_PSCI01_NR);
}

bool model_psci_side_effect(uint32_t fid)
{
	if (fid >= FID_PSCI01_BASE && fid < FID_PSCI01_BASE + FID_PSCI01_NR)
		return true;
	if (!psci_id(fid))
		return false;
	switch (smccc_psci_fn(fid)) {
	case 0x01: case 0x02: case 0x03:	/* CPU_SUSPEND, CPU_OFF, CPU_ON */
	case 0x08: case 0x09:			/* SYSTEM_OFF, SYSTEM_RESET */
	case 0x0c: case 0x0e: case 0x12:	/* CPU_DEFAULT_SUSPEND, SYSTEM_SUSPEND, RESET2 */
		return true;
	}
	return false;
}

/*
 * The calls KVM implements, once: model_implemented() answers from it and
 * model_ranges() takes its edges. Each enabled by a bit of one firmware
 * bitmap register, or always (PSCI too: PSCI_TO_USER is filter ranges).
 */
enum { ALWAYS, STD_BMAP, STD_HYP_BMAP, VENDOR_HYP_BMAP };
static const struct {
	uint32_t first, last;		/* inclusive */
	int enabled_by;			/* ALWAYS, a bitmap register, KVM_PSCI */
	int bit;			/* in that register */
} kvm_calls[] = {
	{ FID_SMCCC_VERSION, FID_SMCCC_VERSION, ALWAYS, 0 },
	{ FID_ARCH_FEATURES, FID_ARCH_FEATURES, ALWAYS, 0 },
	{ FID_WORKAROUND_3, FID_WORKAROUND_3, ALWAYS, 0 },
	{ FID_WORKAROUND_2, FID_WORKAROUND_2, ALWAYS, 0 },
	{ FID_WORKAROUND_1, FID_WORKAROUND_1, ALWAYS, 0 },
	{ FID_TRNG_VERSION, FID_TRNG_RND32, STD_BMAP, KVM_REG_ARM_STD_BIT_TRNG_V1_0 },
	{ FID_TRNG_RND64, FID_TRNG_RND64, STD_BMAP, KVM_REG_ARM_STD_BIT_TRNG_V1_0 },
	{ FID_PV_TIME_FEATURES, FID_PV_TIME_ST, STD_HYP_BMAP, KVM_REG_ARM_STD_HYP_BIT_PV_TIME },
	{ FID_KVM_FEATURES, FID_KVM_FEATURES, VENDOR_HYP_BMAP,
	  KVM_REG_ARM_VENDOR_HYP_BIT_FUNC_FEAT },
	{ FID_KVM_PTP, FID_KVM_PTP, VENDOR_HYP_BMAP, KVM_REG_ARM_VENDOR_HYP_BIT_PTP },
	{ FID_VENDOR_UID, FID_VENDOR_UID, VENDOR_HYP_BMAP, KVM_REG_ARM_VENDOR_HYP_BIT_FUNC_FEAT },
	{ FID_PSCI_BASE, FID_PSCI_BASE + FID_PSCI_NR - 1, ALWAYS, 0 },
	{ FID_PSCI_BASE | SMCCC_SMC64, (FID_PSCI_BASE | SMCCC_SMC64) + FID_PSCI_NR - 1, ALWAYS, 0 },
	{ FID_PSCI01_BASE, FID_PSCI01_BASE + FID_PSCI01_NR - 1, ALWAYS, 0 },
};

/* KVM_CAP_ARM_PSCI_TO_USER's FWD_TO_USER ranges (SPEC §4), [first, nr] */
static const uint32_t psci_ranges[][2] = {
	{ FID_PSCI_BASE, FID_PSCI_NR },
	{ FID_PSCI_BASE | SMCCC_SMC64, FID_PSCI_NR },
	{ FID_PSCI01_BASE, FID_PSCI01_NR },
};

bool model_implemented(const struct model *m, uint32_t fid)
{
	for (size_t i = 0; i < ARRAY_SIZE(kvm_calls); i++) {
		if (fid < kvm_calls[i].first || fid > kvm_calls[i].last)
			continue;
		switch (kvm_calls[i].enabled_by) {
		case STD_BMAP:
			return m->std_bmap & 1ull << kvm_calls[i].bit;
		case STD_HYP_BMAP:
			return m->std_hyp_bmap & 1ull << kvm_calls[i].bit;
		case VENDOR_HYP_BMAP:
			return m->vendor_hyp_bmap & 1ull << kvm_calls[i].bit;
		default:
			return true;
		}
	}
	return false;
}

static int filter_find(const struct model *m, uint32_t fid)
{
	for (int i = 0; i < m->nr; i++)
		if (fid >= m->f[i].first && fid <= m->f[i].last)
			return i;
	return -1;
}

const char *const model_step_names[NR_STEPS] = {
	"2 imm, catch-all: exit", "2 imm, SMC: NOT_SUPPORTED", "3 Arm arch: KVM",
	"4 filter DENY", "4 filter FWD_TO_USER: exit", "4 filter HANDLE: KVM",
	"5 implemented: KVM", "6 catch-all: exit", "6 NOT_SUPPORTED",
};
int model_last_step;

#define STEP(n, act)	do { model_last_step = (n); return (act); } while (0)

int model_action(const struct model *m, uint32_t fid, uint16_t imm, bool smc)
{
	bool to_user = m->conduits & (smc ? KVM_ARM_HYPERCALL_SMC : KVM_ARM_HYPERCALL_HVC);
	int f;

	if (imm) {					/* 2 */
		if (to_user)
			STEP(0, M_FWD);
		if (smc)
			STEP(1, M_NOT_SMCCC);
	}
	if (arch_range(fid))				/* 3 */
		STEP(2, model_implemented(m, fid) ? M_KERNEL : M_DENY);
	f = filter_find(m, fid);			/* 4 */
	if (f >= 0) {
		switch (m->f[f].action) {
		case KVM_SMCCC_FILTER_DENY:
			STEP(3, M_DENY);
		case KVM_SMCCC_FILTER_FWD_TO_USER:
			STEP(4, M_FWD);
		default:
			STEP(5, model_implemented(m, fid) ? M_KERNEL : M_DENY);
		}
	}
	if (model_implemented(m, fid))			/* 5 */
		STEP(6, M_KERNEL);
	STEP(to_user ? 7 : 8, to_user ? M_FWD : M_DENY);	/* 6 */
}

bool model_kept(const struct model *m, uint32_t fid)
{
	struct model all = *m;

	all.conduits = KVM_ARM_HYPERCALL_HVC | KVM_ARM_HYPERCALL_SMC;
	return model_action(&all, fid, 0, false) != M_FWD;
}

bool model_known_x0(const struct model *m, uint32_t fid, uint64_t *x0)
{
	switch (fid) {
	case FID_SMCCC_VERSION:
		*x0 = m->smccc_version;
		return true;
	case FID_PSCI_VERSION:
		*x0 = m->psci_version;
		return true;
	case FID_TRNG_VERSION:
		*x0 = TRNG_VERSION_1_0;
		return true;
	case FID_VENDOR_UID:
		*x0 = KVM_VENDOR_UID_0;
		return true;
	case FID_KVM_FEATURES:
		*x0 = m->vendor_hyp_bmap;
		return true;
	}
	return false;
}

/* Filter: upstream 6.12's kvm_smccc_set_filter, in order (SPEC §1) */
int model_filter_errno(const struct model *m, uint32_t base, uint32_t nr, uint8_t action)
{
	uint32_t last = base + nr - 1;

	if (!nr || last < base || action > KVM_SMCCC_FILTER_FWD_TO_USER)
		return -EINVAL;
	/* the Arm Architecture ranges are reserved in the filter */
	if (base <= 0x8000ffffu && last >= 0x80000000u)
		return -EEXIST;
	if (base <= 0xc000ffffu && last >= 0xc0000000u)
		return -EEXIST;
	for (int i = 0; i < m->nr; i++)
		if (base <= m->f[i].last && last >= m->f[i].first)
			return -EEXIST;
	return 0;
}

void model_filter_add(struct model *m, uint32_t base, uint32_t nr, uint8_t action)
{
	CHECK(m->nr < MODEL_MAX_FILTERS, "model: too many filter ranges");
	m->f[m->nr].first = base;
	m->f[m->nr].last = base + nr - 1;
	m->f[m->nr].action = action;
	m->nr++;
}

/*
 * SPEC §4, docs/uapi-v3.md: on installs the three ranges as the filter
 * would (-EEXIST if any overlaps a range there, and then none goes in),
 * again is a no-op; off removes exactly them.
 */
int model_psci_to_user(struct model *m, bool on)
{
	int n = ARRAY_SIZE(psci_ranges);

	if (on == m->psci)
		return 0;
	if (!on) {
		for (int i = 0; i < m->nr; i++) {
			bool ours = false;

			for (int k = 0; k < n; k++)
				ours |= m->f[i].first == psci_ranges[k][0];
			if (ours)
				m->f[i--] = m->f[--m->nr];
		}
		m->psci = false;
		return 0;
	}
	for (int k = 0; k < n; k++) {
		int err = model_filter_errno(m, psci_ranges[k][0], psci_ranges[k][1],
					     KVM_SMCCC_FILTER_FWD_TO_USER);
		if (err)
			return err;
	}
	for (int k = 0; k < n; k++)
		model_filter_add(m, psci_ranges[k][0], psci_ranges[k][1],
				 KVM_SMCCC_FILTER_FWD_TO_USER);
	m->psci = true;
	return 0;
}

int psci_both(struct vm *vm, struct model *m, bool on)
{
	struct model next = *m;
	int want = model_psci_to_user(&next, on);
	int ret = __vm__enable_cap(vm, KVM_CAP_ARM_PSCI_TO_USER, 0, on, 0, 0, 0);

	CHECK(ret == want, "KVM_ENABLE_CAP(PSCI_TO_USER, %d) with %d filter ranges: %s "
	      "(expected: %s)", on, m->nr, ret ? strerror(-ret) : "0",
	      want ? strerror(-want) : "0");
	if (!ret)
		*m = next;
	return ret;
}

int filter_both(struct vm *vm, struct model *m, uint32_t base, uint32_t nr, uint8_t action)
{
	int want = model_filter_errno(m, base, nr, action);
	int ret = vm_filter(vm, base, nr, action);

	CHECK(ret == want, "KVM_ARM_VM_SMCCC_FILTER 0x%08x+0x%x action %u: %s (expected: %s)",
	      base, nr, action, ret ? strerror(-ret) : "0", want ? strerror(-want) : "0");
	if (!ret)
		model_filter_add(m, base, nr, action);
	return ret;
}

/* IDs where model_kept() may change: every rule's edges */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int model_ranges(const struct model *m, struct smccc_range *r, int max)
{
	/* the Arm Architecture range: SPEC §5 step 3 */
	static const uint32_t arch[][2] = {
		{ SMCCC_FAST, SMCCC_FAST | 0xffffu },
		{ SMCCC_FAST | SMCCC_SMC64, SMCCC_FAST | SMCCC_SMC64 | 0xffffu },
	};
	int nk = ARRAY_SIZE(kvm_calls), na = ARRAY_SIZE(arch);
	int nb = 0, nr = 0;
	uint64_t *b = malloc(sizeof(*b) * (2 * (nk + na + m->nr) + 1));
	bool in = false;
	uint32_t first = 0;

	CHECK(b, "out of memory");
	b[nb++] = 0;
	for (int i = 0; i < nk; i++) {
		b[nb++] = kvm_calls[i].first;
		b[nb++] = (uint64_t)kvm_calls[i].last + 1;
	}
	for (int i = 0; i < na; i++) {
		b[nb++] = arch[i][0];
		b[nb++] = (uint64_t)arch[i][1] + 1;
	}
	for (int i = 0; i < m->nr; i++) {
		b[nb++] = m->f[i].first;
		b[nb++] = (uint64_t)m->f[i].last + 1;
	}
	qsort(b, nb, sizeof(*b), cmp_u64);
	for (int i = 0; i < nb; i++) {
		bool kept;

		if (b[i] > 0xffffffffull || (i && b[i] == b[i - 1]))
			continue;
		kept = model_kept(m, b[i]);
		if (kept && !in) {
			first = b[i];
			in = true;
		} else if (!kept && in) {
			if (nr < max)
				r[nr] = (struct smccc_range){ first, b[i] - 1 };
			nr++;
			in = false;
		}
	}
	if (in) {
		if (nr < max)
			r[nr] = (struct smccc_range){ first, 0xffffffffu };
		nr++;
	}
	free(b);
	return nr;
}

void model_check_ranges(const struct model *m, struct vcpu *v, const char *what)
{
	static struct smccc_range want[4096];
	static struct smccc_ranges got;
	int nr = model_ranges(m, want, 4096);
	unsigned int listed;

	smccc__read_ranges(v, &got);
	listed = nr < KVM_REG_ARM_FW_HANDLED_RANGE_MAX ? nr : KVM_REG_ARM_FW_HANDLED_RANGE_MAX;
	CHECK(got.nr_kept == (unsigned int)nr, "%s: HANDLED_NR %u (expected: %d)",
	      what, got.nr_kept, nr);
	CHECK(got.nr == listed && got.truncated == (nr > KVM_REG_ARM_FW_HANDLED_RANGE_MAX),
	      "%s: %u ranges listed, truncated %d (expected: %u, %d)", what, got.nr,
	      got.truncated, listed, nr > KVM_REG_ARM_FW_HANDLED_RANGE_MAX);
	for (unsigned int i = 0; i < listed; i++)
		CHECK(got.r[i].first == want[i].first && got.r[i].last == want[i].last,
		      "%s: HANDLED_RANGE(%u) 0x%08x..0x%08x (expected: 0x%08x..0x%08x)", what, i,
		      got.r[i].first, got.r[i].last, want[i].first, want[i].last);
	/* the one after the last listed range does not exist */
	{
		uint64_t val;
		int ret = __vcpu__get_reg(v, KVM_REG_ARM_FW_HANDLED_RANGE(listed), &val);

		CHECK(ret == -ENOENT, "%s: HANDLED_RANGE(%u), past the %u listed: %s "
		      "(expected: ENOENT)", what, listed, listed, ret ? strerror(-ret) : "0");
	}
}

void model_apply_regs(const struct model *m, struct vcpu *v)
{
	vcpu__set_reg(v, KVM_REG_ARM_STD_BMAP, m->std_bmap);
	vcpu__set_reg(v, KVM_REG_ARM_STD_HYP_BMAP, m->std_hyp_bmap);
	vcpu__set_reg(v, KVM_REG_ARM_VENDOR_HYP_BMAP, m->vendor_hyp_bmap);
	vcpu__set_reg(v, KVM_REG_ARM_FW_SMCCC_VERSION, m->smccc_version);
	vcpu__set_reg(v, KVM_REG_ARM_PSCI_VERSION, m->psci_version);
}

void model_expect(const struct model *m, const struct script *s, struct scall *c)
{
	bool smc = insn_smc(s, c->insn);
	uint32_t fid = c->in[0];
	int act = model_action(m, fid, insn_imm(s, c->insn), smc);

	c->fwd = c->deny = c->x0_only = c->known = false;
	if (c->nop)
		return;
	c->fwd = act == M_FWD;
	c->deny = act == M_DENY || act == M_NOT_SMCCC;
	c->x0_only = act == M_NOT_SMCCC;
	if (act == M_KERNEL)
		c->known = model_known_x0(m, fid, &c->x0_want);
}
