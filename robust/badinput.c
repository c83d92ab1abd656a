// SPDX-License-Identifier: GPL-2.0
/*
 * robust badinput: every invalid argument to upstream's SMCCC filter, the
 * series' capabilities, its firmware registers and its sync-regs bits gets
 * upstream's errno (the documented one for ours) and changes nothing. "Nothing" is checked
 * three ways after every row: a snapshot of every core and firmware
 * register (SMCCC_VERSION, HANDLED_NR and the ranges included) is the
 * same, HANDLED_NR and the ranges are the ones model.c computes for the
 * configuration the row started from (a filter range that slipped in would
 * show there: the base configuration forwards HVCs, so any DENY or HANDLE
 * range and any FWD range over an ID KVM implements changes the list), and
 * a probe guest sees exactly that configuration's exits and answers. The
 * rows are the catalogue in README.md; each prints "ok Bn - ...".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "robust.h"

/*
 * The configuration every row starts from: catch-all on HVC, PSCI in the
 * kernel, three filter ranges (TRNG_VERSION forwarded, a SiP block denied,
 * another handled).
 */
static struct model base;
#define DENY_BASE	0xc2000100u
#define HANDLE_BASE	0x82000000u

static const struct { uint32_t insn, fid; } probe_calls[] = {
	{ A64_HVC(0), FID_SIP },		{ A64_SMC(0), FID_SIP },
	{ A64_HVC(0), FID_PSCI_VERSION },	{ A64_SMC(0), FID_PSCI_VERSION },
	{ A64_HVC(1), FID_SIP },		{ A64_SMC(1), FID_SIP },
	{ A64_HVC(0), FID_TRNG_VERSION },	{ A64_SMC(0), FID_SMCCC_VERSION },
	{ A64_HVC(0), DENY_BASE + 5 },		{ A64_HVC(0), HANDLE_BASE + 1 },
	{ A64_SMC(0), FID_VENDOR_UID },		{ A64_HVC(0), 0xc2000200u },
};
#define NR_PROBE	(int)ARRAY_SIZE(probe_calls)

struct probe {
	struct vcpu *v;
	struct script s;
	struct scall calls[NR_PROBE];
	struct snap snap;
};

/* A VM configured as base, with a probe guest loaded but not run */
static void probe_new(struct probe *p)
{
	memset(p, 0, sizeof(*p));
	vm_new(&vm);
	p->v = vcpu_new(&vm, 0, false);
	model_init(&base, KVM_ARM_HYPERCALL_HVC, false);
	vm_setup_caps(&vm, base.conduits, base.psci);
	filter_both(&vm, &base, FID_TRNG_VERSION, 1, KVM_SMCCC_FILTER_FWD_TO_USER);
	filter_both(&vm, &base, DENY_BASE, 0x10, KVM_SMCCC_FILTER_DENY);
	filter_both(&vm, &base, HANDLE_BASE, 0x10, KVM_SMCCC_FILTER_HANDLE);
	model_apply_regs(&base, p->v);
	p->s = (struct script){ .nr = NR_PROBE, .calls = p->calls };
	for (int i = 0; i < NR_PROBE; i++) {
		p->calls[i].insn = probe_calls[i].insn;
		p->calls[i].cond = A32_COND_AL;
		p->calls[i].in[0] = probe_calls[i].fid;
		for (int j = 1; j < VMM_HC_NR_REGS; j++)
			p->calls[i].in[j] = 0xba5e000000000000ull | i << 8 | j;
		model_expect(&base, &p->s, &p->calls[i]);
	}
	script_load(&p->s, p->v);
	model_check_ranges(&base, p->v, "the base configuration");
	snap_take(p->v, &p->snap);
}

/* Registers as at the last snapshot, ranges as the model says */
static void probe_same_regs(struct probe *p, const char *after)
{
	struct snap now;

	snap_take(p->v, &now);
	snap_same(&p->snap, &now, after);
	model_check_ranges(&base, p->v, after);
}

/* Same registers, and the guest sees base's exits and answers */
static void probe_run(struct probe *p, const char *after)
{
	probe_same_regs(p, after);
	script_start(&p->s, p->v);
	script_run(&p->s, p->v);
	script_check(&p->s);
	script_start(&p->s, p->v);
	snap_take(p->v, &p->snap);
}

static void probe_free(struct probe *p)
{
	p->v = NULL;
	vm__destroy(&vm);
}

static int tried;

static const char *err_name(int err)
{
	return err ? strerror(err) : "0";
}

static void expect_cap(int err, uint32_t cap, uint32_t flags, uint64_t a0, uint64_t a1,
		       uint64_t a2, uint64_t a3)
{
	int ret = __vm__enable_cap(&vm, cap, flags, a0, a1, a2, a3);

	tried++;
	CHECK(ret == -err, "KVM_ENABLE_CAP(0x%x, flags 0x%x, args 0x%llx 0x%llx 0x%llx 0x%llx): "
	      "%s (expected: %s)", cap, flags, (unsigned long long)a0, (unsigned long long)a1,
	      (unsigned long long)a2, (unsigned long long)a3, err_name(-ret), err_name(err));
}

static void expect_reg(int err, struct vcpu *v, unsigned long nr, uint64_t id, uint64_t val)
{
	int ret = nr == KVM_GET_ONE_REG ? reg_get(v, id, &val) :
						 reg_set(v, id, val);

	tried++;
	CHECK(ret == -err, "KVM_%s_ONE_REG(0x%llx, 0x%llx): %s (expected: %s)",
	      nr == KVM_GET_ONE_REG ? "GET" : "SET", (unsigned long long)id,
	      (unsigned long long)val, err_name(-ret), err_name(err));
}

static void expect_filter_pad(int err, uint32_t b, uint32_t n, uint8_t action,
			      const uint8_t pad[15])
{
	int ret = __smccc__filter_pad(&vm, b, n, action, pad);

	tried++;
	CHECK(ret == -err, "KVM_ARM_VM_SMCCC_FILTER(base 0x%08x, nr 0x%x, action %u%s): %s "
	      "(expected: %s)", b, n, action, pad ? ", pad != 0" : "", err_name(-ret),
	      err_name(err));
}

static void expect_filter(int err, uint32_t b, uint32_t n, uint8_t action)
{
	expect_filter_pad(err, b, n, action, NULL);
}

static const uint32_t caps[] = { KVM_CAP_ARM_HYPERCALL_TO_USER, KVM_CAP_ARM_PSCI_TO_USER };

/* args[0] of a cap that would show if accepted: SMC forwarded, PSCI to user */
static uint64_t other_arg(uint32_t cap)
{
	return cap == KVM_CAP_ARM_PSCI_TO_USER ? 1 : KVM_ARM_HYPERCALL_SMC;
}

/* ---- capabilities ---- */

static void row_flags(struct probe *p)
{
	for (int c = 0; c < 2; c++)
		for (int b = 0; b < 32; b++)
			expect_cap(EINVAL, caps[c], 1u << b, other_arg(caps[c]), 0, 0, 0);
	probe_run(p, "non-zero flags");
}

static void row_args(struct probe *p)
{
	static const int bits[] = { 0, 1, 31, 32, 63 };

	for (int c = 0; c < 2; c++)
		for (int i = 1; i < 4; i++)
			for (int b = 0; b < 5; b++) {
				uint64_t a[4] = { other_arg(caps[c]) };

				a[i] = 1ull << bits[b];
				expect_cap(EINVAL, caps[c], 0, a[0], a[1], a[2], a[3]);
			}
	probe_run(p, "non-zero args[1..3]");
}

static void row_conduits(struct probe *p)
{
	for (int b = 2; b < 64; b++) {
		expect_cap(EINVAL, KVM_CAP_ARM_HYPERCALL_TO_USER, 0, 1ull << b, 0, 0, 0);
		expect_cap(EINVAL, KVM_CAP_ARM_HYPERCALL_TO_USER, 0,
			   1ull << b | KVM_ARM_HYPERCALL_SMC, 0, 0, 0);
	}
	expect_cap(EINVAL, KVM_CAP_ARM_HYPERCALL_TO_USER, 0, ~0ull, 0, 0, 0);
	probe_run(p, "unknown conduit bits");
}

static void row_psci(struct probe *p)
{
	for (int b = 1; b < 64; b++) {
		expect_cap(EINVAL, KVM_CAP_ARM_PSCI_TO_USER, 0, 1ull << b, 0, 0, 0);
		expect_cap(EINVAL, KVM_CAP_ARM_PSCI_TO_USER, 0, 1ull << b | 1, 0, 0, 0);
	}
	expect_cap(EINVAL, KVM_CAP_ARM_PSCI_TO_USER, 0, ~0ull, 0, 0, 0);
	probe_run(p, "PSCI_TO_USER args[0] > 1");
}

/*
 * After the first run: every valid cap value -EBUSY; flags, args[1..3] and
 * unknown args[0] bits are checked first (-EINVAL, SPEC v3 §3). A valid
 * filter range: -EBUSY; an invalid one: -EINVAL first (upstream);
 * SMCCC_VERSION 1.1 or 1.2: -EBUSY whatever the value (SPEC §7: the list
 * never changes once a vCPU ran), a bad one: -EINVAL.
 */
static void after_run(struct probe *p, const char *how)
{
	static const uint8_t pad1[15] = { [7] = 1 };

	for (uint64_t a = 0; a < 4; a++)
		expect_cap(EBUSY, KVM_CAP_ARM_HYPERCALL_TO_USER, 0, a, 0, 0, 0);
	for (uint64_t a = 0; a < 2; a++)
		expect_cap(EBUSY, KVM_CAP_ARM_PSCI_TO_USER, 0, a, 0, 0, 0);
	expect_cap(EINVAL, KVM_CAP_ARM_HYPERCALL_TO_USER, 1, KVM_ARM_HYPERCALL_SMC, 0, 0, 0);
	expect_cap(EINVAL, KVM_CAP_ARM_PSCI_TO_USER, 0, 1, 0, 0, 1);
	expect_cap(EINVAL, KVM_CAP_ARM_HYPERCALL_TO_USER, 0, 4, 0, 0, 0);
	expect_cap(EINVAL, KVM_CAP_ARM_HYPERCALL_TO_USER, 0, ~0ull, 0, 0, 0);
	expect_cap(EINVAL, KVM_CAP_ARM_PSCI_TO_USER, 0, 2, 0, 0, 0);

	expect_filter(EBUSY, 0xc2000200u, 0x10, KVM_SMCCC_FILTER_DENY);
	expect_filter(EBUSY, FID_PSCI_VERSION, 1, KVM_SMCCC_FILTER_FWD_TO_USER);
	expect_filter(EBUSY, DENY_BASE, 1, KVM_SMCCC_FILTER_HANDLE);	/* overlap: busy first */
	expect_filter(EBUSY, 0x80000000u, 1, KVM_SMCCC_FILTER_HANDLE);
	expect_filter_pad(EINVAL, 0xc2000200u, 0x10, KVM_SMCCC_FILTER_DENY, pad1);
	expect_filter(EINVAL, 0xc2000200u, 0, KVM_SMCCC_FILTER_DENY);
	expect_filter(EINVAL, 0xfffffff0u, 0x20, KVM_SMCCC_FILTER_DENY);
	expect_filter(EINVAL, 0xc2000200u, 0x10, 3);

	expect_reg(EBUSY, p->v, KVM_SET_ONE_REG, KVM_REG_ARM_FW_SMCCC_VERSION, SMCCC_VERSION_1_2);
	expect_reg(EINVAL, p->v, KVM_SET_ONE_REG, KVM_REG_ARM_FW_SMCCC_VERSION, 0x10003);
	expect_reg(EBUSY, p->v, KVM_SET_ONE_REG, KVM_REG_ARM_FW_SMCCC_VERSION, SMCCC_VERSION_1_1);
	probe_run(p, how);
}

static void row_busy(struct probe *p)
{
	probe_run(p, "nothing (first run)");
	after_run(p, "configuring after the first run");
}

/* A KVM_RUN that returns at once with immediate_exit counts as a run */
static void row_busy_immediate(struct probe *p)
{
	int ret = vcpu_try_run(p->v, true);

	CHECK(ret == -EINTR, "KVM_RUN with immediate_exit: %d (expected: -EINTR)", ret);
	after_run(p, "configuring after a KVM_RUN with immediate_exit");
}

static void row_vcpu_fd(struct probe *p)
{
	for (int c = 0; c < 2; c++) {
		struct kvm_enable_cap ec = { .cap = caps[c], .args = { other_arg(caps[c]) } };

		tried++;
		CHECK(ioctl(p->v->fd, KVM_ENABLE_CAP, &ec) == -1 && errno == EINVAL,
		      "KVM_ENABLE_CAP(0x%x) on the vCPU fd: %s (expected: EINVAL)", caps[c],
		      strerror(errno));
	}
	probe_run(p, "KVM_ENABLE_CAP on the vCPU fd");
}

/* ---- upstream's filter ---- */

/* Every action a filter range can have */
static const uint8_t actions[] = {
	KVM_SMCCC_FILTER_HANDLE, KVM_SMCCC_FILTER_DENY, KVM_SMCCC_FILTER_FWD_TO_USER,
};

static void row_filter_pad(struct probe *p)
{
	static const uint8_t vals[] = { 0x01, 0x80, 0xff };

	for (size_t i = 0; i < sizeof(((struct kvm_smccc_filter *)0)->pad); i++)
		for (size_t k = 0; k < ARRAY_SIZE(vals); k++)
			for (size_t a = 0; a < ARRAY_SIZE(actions); a++) {
				uint8_t pad[15] = {};

				pad[i] = vals[k];
				expect_filter_pad(EINVAL, 0xc2000200u, 0x10, actions[a], pad);
			}
	probe_run(p, "filter ranges with pad != 0");
}

/*
 * Filter ranges refused whatever their action, by catalogue row; the
 * model must refuse each the same way (model_filter_errno).
 */
static const struct {
	const char *row;
	uint32_t base, nr;
	int err;
} bad_ranges[] = {
	/* B9: empty */
	{ "B9", 0, 0, EINVAL }, { "B9", 1, 0, EINVAL }, { "B9", 0xc2000200u, 0, EINVAL },
	{ "B9", FID_PSCI_VERSION, 0, EINVAL }, { "B9", 0x80000000u, 0, EINVAL },
	{ "B9", 0xffffffffu, 0, EINVAL },
	/* B10: base + nr wraps */
	{ "B10", 0xffffffffu, 2, EINVAL }, { "B10", 0xfffffff0u, 0x20, EINVAL },
	{ "B10", 0x10, 0xffffffffu, EINVAL }, { "B10", 0x80000000u, 0x80000001u, EINVAL },
	{ "B10", 0xc2000200u, 0xffffffffu, EINVAL }, { "B10", 0xc2000200u, 0x3e000000u, EINVAL },
	{ "B10", 2, 0xffffffffu, EINVAL },
	/* B12: overlapping an installed range (probe_new's), any side */
	{ "B12", DENY_BASE, 0x10, EEXIST }, { "B12", DENY_BASE - 1, 2, EEXIST },
	{ "B12", DENY_BASE + 0xf, 2, EEXIST }, { "B12", DENY_BASE + 5, 1, EEXIST },
	{ "B12", DENY_BASE - 0x100, 0x1000, EEXIST }, { "B12", DENY_BASE + 0xf, 1, EEXIST },
	{ "B12", HANDLE_BASE, 1, EEXIST }, { "B12", HANDLE_BASE - 8, 0x10, EEXIST },
	{ "B12", HANDLE_BASE + 8, 0x10, EEXIST }, { "B12", FID_TRNG_VERSION, 1, EEXIST },
	{ "B12", FID_TRNG_VERSION - 0x50, 0x51, EEXIST }, { "B12", FID_TRNG_VERSION, 4, EEXIST },
	{ "B12", 0x81000000u, 0x02000000u, EEXIST },
	/* B13: over the Arm Architecture range (0x8000xxxx, 0xc000xxxx), KVM's */
	{ "B13", 0x80000000u, 1, EEXIST }, { "B13", 0x8000ffffu, 1, EEXIST },
	{ "B13", 0x80000000u, 0x10000, EEXIST }, { "B13", 0x7fffffffu, 2, EEXIST },
	{ "B13", 0x8000ffffu, 2, EEXIST }, { "B13", FID_WORKAROUND_1, 1, EEXIST },
	{ "B13", 0xc0000000u, 1, EEXIST }, { "B13", 0xc000ffffu, 1, EEXIST },
	{ "B13", 0xbfffffffu, 0x20000, EEXIST }, { "B13", 0, 0xffffffffu, EEXIST },
	{ "B13", 1, 0xffffffffu, EEXIST }, { "B13", 0x70000000u, 0x20000000u, EEXIST },
};

static void bad_filter_ranges(struct probe *p, const char *row, const char *what)
{
	for (size_t i = 0; i < ARRAY_SIZE(bad_ranges); i++) {
		if (strcmp(bad_ranges[i].row, row))
			continue;
		for (size_t a = 0; a < ARRAY_SIZE(actions); a++) {
			uint32_t b = bad_ranges[i].base, n = bad_ranges[i].nr;
			int err = bad_ranges[i].err;

			CHECK(model_filter_errno(&base, b, n, actions[a]) == -err,
			      "%s: the model does not refuse 0x%08x+0x%x with %s", row, b, n,
			      err_name(err));
			expect_filter(err, b, n, actions[a]);
		}
	}
	probe_run(p, what);
}

static void row_filter_empty(struct probe *p)
{
	bad_filter_ranges(p, "B9", "empty filter ranges");
}

static void row_filter_wrap(struct probe *p)
{
	bad_filter_ranges(p, "B10", "filter ranges that wrap");
}

static void row_filter_action(struct probe *p)
{
	for (int a = ARRAY_SIZE(actions); a < 256; a++)
		expect_filter(EINVAL, 0xc2000200u, 0x10, a);
	probe_run(p, "unknown filter actions");
}

static void row_filter_overlap(struct probe *p)
{
	bad_filter_ranges(p, "B12", "overlapping filter ranges");
}

static void row_filter_arch(struct probe *p)
{
	bad_filter_ranges(p, "B13", "filter ranges over the Arm Architecture range");
}

/* Unknown group/attribute: -ENXIO; unmapped struct: -EFAULT */
static void row_filter_attr(struct probe *p)
{
	static const uint64_t addrs[] = { 0, 8, 0xffff000000000000ull };
	struct kvm_smccc_filter f = { .base = 0xc2000200u, .nr_functions = 0x10,
				      .action = KVM_SMCCC_FILTER_DENY };
	struct kvm_device_attr bad[] = {
		{ .group = KVM_ARM_VM_SMCCC_CTRL, .attr = 1, .addr = (uintptr_t)&f },
		{ .group = KVM_ARM_VM_SMCCC_CTRL, .attr = ~0ull, .addr = (uintptr_t)&f },
		{ .group = 1, .attr = KVM_ARM_VM_SMCCC_FILTER, .addr = (uintptr_t)&f },
		{ .group = 0xffffffffu, .attr = KVM_ARM_VM_SMCCC_FILTER, .addr = (uintptr_t)&f },
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		tried += 2;
		CHECK(ioctl(vm.vm_fd, KVM_SET_DEVICE_ATTR, &bad[i]) == -1 && errno == ENXIO,
		      "KVM_SET_DEVICE_ATTR(group %u, attr 0x%llx): %s (expected: ENXIO)",
		      bad[i].group, (unsigned long long)bad[i].attr, strerror(errno));
		CHECK(ioctl(vm.vm_fd, KVM_HAS_DEVICE_ATTR, &bad[i]) == -1 && errno == ENXIO,
		      "KVM_HAS_DEVICE_ATTR(group %u, attr 0x%llx): %s (expected: ENXIO)",
		      bad[i].group, (unsigned long long)bad[i].attr, strerror(errno));
	}
	for (size_t i = 0; i < ARRAY_SIZE(addrs); i++) {
		struct kvm_device_attr a = { .group = KVM_ARM_VM_SMCCC_CTRL,
					     .attr = KVM_ARM_VM_SMCCC_FILTER, .addr = addrs[i] };

		tried++;
		CHECK(ioctl(vm.vm_fd, KVM_SET_DEVICE_ATTR, &a) == -1 && errno == EFAULT,
		      "KVM_SET_DEVICE_ATTR(filter at 0x%llx): %s (expected: EFAULT)",
		      (unsigned long long)addrs[i], strerror(errno));
	}
	probe_run(p, "unknown filter attributes, unmapped filter structs");
}

/* ---- firmware registers ---- */

/* Each read-only register, each single-bit change, 0, ~0, its own value: -EINVAL */
static void bad_ro_writes(struct probe *p)
{
	uint64_t nr = 0;

	CHECK(!reg_get(p->v, KVM_REG_ARM_FW_HANDLED_NR, &nr), "reading HANDLED_NR");
	for (int64_t i = -1; i < (int64_t)nr && i < KVM_REG_ARM_FW_HANDLED_RANGE_MAX; i++) {
		uint64_t id = i < 0 ? KVM_REG_ARM_FW_HANDLED_NR : KVM_REG_ARM_FW_HANDLED_RANGE(i);
		uint64_t val = 0;

		CHECK(!reg_get(p->v, id, &val), "reading 0x%llx", (unsigned long long)id);
		for (int b = 0; b < 64; b++)
			expect_reg(EINVAL, p->v, KVM_SET_ONE_REG, id, val ^ 1ull << b);
		expect_reg(EINVAL, p->v, KVM_SET_ONE_REG, id, 0);
		expect_reg(EINVAL, p->v, KVM_SET_ONE_REG, id, ~0ull);
		expect_reg(EINVAL, p->v, KVM_SET_ONE_REG, id, val);
	}
}

static void row_ranges(struct probe *p)
{
	bad_ro_writes(p);
	probe_run(p, "other values written to HANDLED_NR and the ranges");
	bad_ro_writes(p);
	probe_run(p, "other values written to HANDLED_NR and the ranges after the first run");
}

/* Indices past min(NR, MAX), other indices of ours, wrong sizes: -ENOENT */
static void row_range_ids(struct probe *p)
{
	static const uint64_t sizes[] = { KVM_REG_SIZE_U8, KVM_REG_SIZE_U16, KVM_REG_SIZE_U32,
					  KVM_REG_SIZE_U128, KVM_REG_SIZE_U256 };
	static const uint64_t ids[] = { KVM_REG_ARM_FW_HANDLED_RANGE(0), KVM_REG_ARM_FW_HANDLED_NR,
					KVM_REG_ARM_FW_SMCCC_VERSION };
	uint64_t nr = 0;

	CHECK(!reg_get(p->v, KVM_REG_ARM_FW_HANDLED_NR, &nr), "reading HANDLED_NR");
	for (uint64_t i = nr; i < KVM_REG_ARM_FW_HANDLED_RANGE_MAX + 16; i++) {
		expect_reg(ENOENT, p->v, KVM_GET_ONE_REG, KVM_REG_ARM_FW_HANDLED_RANGE(i), 0);
		expect_reg(ENOENT, p->v, KVM_SET_ONE_REG, KVM_REG_ARM_FW_HANDLED_RANGE(i), 0);
	}
	for (uint64_t r = 0x8002; r < 0x8100; r += 0x1f) {
		expect_reg(ENOENT, p->v, KVM_GET_ONE_REG, KVM_REG_ARM_FW_REG(r), 0);
		expect_reg(ENOENT, p->v, KVM_SET_ONE_REG, KVM_REG_ARM_FW_REG(r), 0);
	}
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < 5; i++) {
			uint64_t id = (ids[k] & ~KVM_REG_SIZE_MASK) | sizes[i];
			uint8_t buf[32] = {};
			struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)buf };

			for (int set = 0; set < 2; set++) {
				tried++;
				CHECK(ioctl(p->v->fd, set ? KVM_SET_ONE_REG : KVM_GET_ONE_REG,
					    &reg) == -1 && errno == ENOENT,
				      "KVM_%s_ONE_REG(0x%llx, wrong size): %s (expected: ENOENT)",
				      set ? "SET" : "GET", (unsigned long long)id, strerror(errno));
			}
		}
	probe_run(p, "register indices that do not exist");
}

/* SMCCC_VERSION: 1.1 or 1.2 only, -EINVAL else (before the run: see after_run) */
static void row_version(struct probe *p)
{
	static const uint64_t bad[] = {
		0, 1, 0x10000, 0x10003, 0x10004, 0x20000, 0x20001, 0x10001ull | 1ull << 32,
		0x10002ull | 1ull << 63, 0xffffffffull, ~0ull, 0x1, 0x11, 0x12,
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		expect_reg(EINVAL, p->v, KVM_SET_ONE_REG, KVM_REG_ARM_FW_SMCCC_VERSION, bad[i]);
	expect_reg(0, p->v, KVM_SET_ONE_REG, KVM_REG_ARM_FW_SMCCC_VERSION, SMCCC_VERSION_1_1);
	probe_run(p, "bad SMCCC_VERSION values");
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		expect_reg(EINVAL, p->v, KVM_SET_ONE_REG, KVM_REG_ARM_FW_SMCCC_VERSION, bad[i]);
	probe_run(p, "bad SMCCC_VERSION values after the first run");
}

/* Unmapped user buffers: -EFAULT, nothing written */
static void row_efault(struct probe *p)
{
	static const uint64_t addrs[] = { 0, 8, 0xffff000000000000ull };
	uint64_t ids[] = { KVM_REG_ARM_FW_HANDLED_NR, KVM_REG_ARM_FW_SMCCC_VERSION,
			   KVM_REG_ARM_FW_HANDLED_RANGE(0), KVM_REG_ARM_FW_HANDLED_RANGE(1) };

	for (int i = 0; i < 3; i++) {
		for (int r = 0; r < 4; r++) {
			struct kvm_one_reg reg = { .id = ids[r], .addr = addrs[i] };

			for (int set = 0; set < 2; set++) {
				tried++;
				CHECK(ioctl(p->v->fd, set ? KVM_SET_ONE_REG : KVM_GET_ONE_REG,
					    &reg) == -1 && errno == EFAULT,
				      "KVM_%s_ONE_REG(0x%llx, addr 0x%llx): %s (expected: EFAULT)",
				      set ? "SET" : "GET", (unsigned long long)ids[r],
				      (unsigned long long)addrs[i], strerror(errno));
			}
		}
	}
	probe_run(p, "unmapped KVM_{GET,SET}_ONE_REG buffers");
}

/*
 * SPEC §6/§7: the handled ranges and HANDLED_NR are never listed by
 * KVM_GET_REG_LIST (derived state; readable by any VM); SMCCC_VERSION is
 * listed only for a VM that opted in (either capability with args[0] !=
 * 0, or a write of it) before its first run, and the list never changes
 * after it. Returns how many of the series' registers are listed (each
 * must be SMCCC_VERSION).
 */
static int count_ours(struct vcpu *v)
{
	static uint64_t buf[4096];
	struct kvm_reg_list *l = (struct kvm_reg_list *)buf;
	int ours = 0;
	bool version = false;

	l->n = ARRAY_SIZE(buf) - 1;
	CHECK(!ioctl(v->fd, KVM_GET_REG_LIST, l), "KVM_GET_REG_LIST: %m");
	for (uint64_t i = 0; i < l->n; i++) {
		uint64_t id = l->reg[i];

		if ((id & (KVM_REG_ARCH_MASK | KVM_REG_ARM_COPROC_MASK)) !=
		    (KVM_REG_ARM64 | KVM_REG_ARM_FW) || (id & 0xffff) < 0x8000)
			continue;
		ours++;
		version |= id == KVM_REG_ARM_FW_SMCCC_VERSION;
		CHECK(id == KVM_REG_ARM_FW_SMCCC_VERSION, "KVM_GET_REG_LIST lists 0x%llx "
		      "(HANDLED_NR, a HANDLED_RANGE or unknown: never listed)",
		      (unsigned long long)id);
	}
	CHECK(ours <= 1, "KVM_GET_REG_LIST: SMCCC_VERSION listed %d times", ours);
	return ours;
}

static void row_reg_list(struct probe *p)
{
	static struct vm other;
	uint64_t nr;

	for (int how = 0; how < 5; how++) {
		struct vcpu *v;

		vm_new(&other);
		v = vcpu_new(&other, 0, false);
		CHECK(!count_ours(v), "a VM that did not opt in lists our registers");
		if (how == 1 || how == 4)
			CHECK(!__vm__enable_cap(&other, KVM_CAP_ARM_HYPERCALL_TO_USER, 0,
						KVM_ARM_HYPERCALL_SMC, 0, 0, 0), "HYPERCALL_TO_USER");
		for (int i = 0; how == 4 && i < 300; i++)	/* NR > MAX: still none listed */
			CHECK(!vm_filter(&other, 0xc3000000u + 2 * i, 1, KVM_SMCCC_FILTER_DENY),
			      "filter %d", i);
		if (how == 2)
			CHECK(!__vm__enable_cap(&other, KVM_CAP_ARM_PSCI_TO_USER, 0, 1, 0, 0, 0),
			      "PSCI_TO_USER");
		if (how == 3)
			vcpu__set_reg(v, KVM_REG_ARM_FW_SMCCC_VERSION, SMCCC_VERSION_1_1);
		if (how == 0) {
			/* a filter alone and a cap enabled with 0 are no opt-in */
			CHECK(!vm_filter(&other, 0xc2000000u, 1, KVM_SMCCC_FILTER_DENY), "filter");
			CHECK(!__vm__enable_cap(&other, KVM_CAP_ARM_PSCI_TO_USER, 0, 0, 0, 0, 0),
			      "PSCI_TO_USER(0)");
		}
		nr = reg(v, KVM_REG_ARM_FW_HANDLED_NR);	/* readable by any VM */
		CHECK(how != 4 || nr > KVM_REG_ARM_FW_HANDLED_RANGE_MAX, "HANDLED_NR %llu <= MAX",
		      (unsigned long long)nr);
		tried++;
		CHECK(!count_ours(v) == !how, "KVM_GET_REG_LIST after opt-in %d: SMCCC_VERSION %s",
		      how, how ? "missing" : "listed without opt-in");
		/* after the first run the list cannot change: a write is -EBUSY */
		CHECK(vcpu_try_run(v, true) == -EINTR, "KVM_RUN with immediate_exit");
		tried++;
		CHECK(reg_set(v, KVM_REG_ARM_FW_SMCCC_VERSION, SMCCC_VERSION_1_1) == -EBUSY,
		      "SMCCC_VERSION written with its own value after the first run (opt-in %d): "
		      "not EBUSY", how);
		CHECK(!count_ours(v) == !how, "KVM_GET_REG_LIST after the first run and a write "
		      "of SMCCC_VERSION (opt-in %d): changed", how);
		vm__destroy(&other);
	}
	probe_run(p, "nothing (register lists of other VMs)");
}

/*
 * On every exit (the answer in s.regs.regs, the bit set): garbage in every
 * run field KVM must ignore on re-entry; script.c's answer() already filled
 * run->hypercall's other fields, s.regs.hypercall and device_irq_level.
 */
static void garbage_hook(struct script *s, struct vcpu *v, int idx)
{
	struct kvm_run *run = v->run;
	size_t used = sizeof(struct kvm_sync_regs);

	(void)s;
	run->request_interrupt_window = 0xff;
	memset(run->padding1, 0xff, sizeof(run->padding1));
	run->flags = 0xffff;
	run->exit_reason = idx % 2 ? KVM_EXIT_MMIO : 0xdeadbeef;
	memset((uint8_t *)&run->s + used, 0xff, sizeof(run->s) - used);
	memset(&run->s.regs.hypercall, 0xff, sizeof(run->s.regs.hypercall));
	tried++;
}

static void row_garbage(struct probe *p)
{
	p->s.hook = garbage_hook;
	probe_run(p, "nothing");
	p->s.hook = NULL;
	probe_run(p, "garbage in the run struct");
}

/*
 * EL0 HVC/SMC from AArch64 and AArch32 guests: UNDEFINED, taken to EL1,
 * never a KVM exit. The guest counts its undefined-instruction exceptions
 * in x9/r9 (AArch64: ORs their ESR_EL1.EC into x12) and stores x9 to
 * DONE_GPA.
 */
static const uint32_t el0_a64[] = {
	[0x000 / 4] = 0xd69f03e0,	/* eret (ELR_EL1, SPSR_EL1 = EL0t set by the VMM) */
	[0x100 / 4] = 0xd4000002,	/* EL0: hvc #0 */
	0xd4000003,			/*	smc #0 */
	0xd4000022,			/*	hvc #1 */
	0xd4000023,			/*	smc #1 */
	0xf9000349,			/*	str x9, [x26] */
	0x14000000,			/*	b . */
	[0xc00 / 4] = 0x91000529,	/* VBAR+0x400, sync from EL0: add x9, x9, #1 */
	0xd538402a,			/* mrs x10, elr_el1 */
	0x9100114a,			/* add x10, x10, #4 */
	0xd518402a,			/* msr elr_el1, x10 */
	0xd538520b,			/* mrs x11, esr_el1 */
	0xd35afd6b,			/* lsr x11, x11, #26 */
	0xaa0b018c,			/* orr x12, x12, x11 */
	0xd69f03e0,			/* eret */
	[0xfff / 4] = 0,
};

static const uint32_t el0_a32[] = {
	0xf1020010,			/* cps #16 (usr) */
	0xe1400070,			/* hvc #0 */
	0xe1600070,			/* smc #0 */
	0xe1400071,			/* hvc #1 */
	0xe58a9000,			/* str r9, [r10] */
	0xeafffffe,			/* b . */
	[0x100 / 4] = 0xeafffffe,	/* VBAR+0: reset: b . */
	0xe2899001,			/* VBAR+4: undefined: add r9, r9, #1 */
	0xe1b0f00e,			/*	movs pc, lr */
	[0x1ff / 4] = 0,
};

#define REG_VBAR_EL1	ARM64_SYS_REG(3, 0, 12, 0, 0)

/* In a VM of its own: the probe's stays as it is */
static void el0(bool a32)
{
	static struct vm other;
	struct vcpu *v;
	uint8_t *mem;

	vm_new(&other);
	vm_setup_caps(&other, ALL_CONDUITS, true);
	v = vcpu_new(&other, 0, a32);
	mem = vm__add_ram(&other, SCRIPT_GPA, 0x1000);
	memcpy(mem, a32 ? el0_a32 : el0_a64, a32 ? sizeof(el0_a32) : sizeof(el0_a64));
	vcpu__set_reg(v, REG_PC, SCRIPT_GPA);
	/* vectors; x9/r9 counts exceptions, x26/r10 the address that ends it */
	vcpu__set_reg(v, REG_VBAR_EL1, SCRIPT_GPA + (a32 ? 0x100 : 0x800));
	vcpu__set_reg(v, REG_X(a32 ? 10 : 26), DONE_GPA);
	if (a32) {
		vcpu__set_reg(v, REG_PSTATE, PSR_AA32_MODE_SVC | PSR_AIF);
	} else {
		/* eret to EL0t at +0x100, interrupts masked */
		vcpu__set_reg(v, REG_CORE(elr_el1), SCRIPT_GPA + 0x100);
		vcpu__set_reg(v, REG_CORE(spsr[KVM_SPSR_EL1]), 0x3c0);
	}
	for (;;) {
		int ret = vcpu_try_run(v, false);
		struct vmm_hypercall hc;

		CHECK(!ret, "KVM_RUN: %s", strerror(-ret));
		CHECK(!smccc__exit(v, &hc),
		      "%s EL0 %s #%u exited to userspace", a32 ? "AArch32" : "AArch64",
		      hc.flags & VMM_HC_SMC ? "SMC" : "HVC", hc.imm);
		CHECK(v->run->exit_reason == KVM_EXIT_MMIO && v->run->mmio.phys_addr == DONE_GPA,
		      "unexpected exit reason %u at pc 0x%llx", v->run->exit_reason,
		      (unsigned long long)reg(v, REG_PC));
		break;
	}
	tried += a32 ? 3 : 4;
	CHECK(reg(v, REG_X(9)) == (a32 ? 3 : 4),
	      "%s EL0: %llu undefined-instruction exceptions (expected: %d)",
	      a32 ? "AArch32" : "AArch64",
	      (unsigned long long)reg(v, REG_X(9)), a32 ? 3 : 4);
	CHECK(a32 || !reg(v, REG_X(12)),
	      "AArch64 EL0: an exception other than UNDEFINED (EC bits 0x%llx)",
	      (unsigned long long)reg(v, REG_X(12)));
	vm__destroy(&other);
}

static void row_el0(struct probe *p)
{
	el0(false);
	el0(true);
	probe_run(p, "nothing (EL0 guests ran in other VMs)");
}

/*
 * Unknown bits in kvm_valid_regs or kvm_dirty_regs, the read-only
 * KVM_SYNC_ARM64_HYPERCALL in kvm_dirty_regs, a PSTATE KVM_SET_ONE_REG
 * refuses in a dirty s.regs.regs: KVM_RUN fails with -EINVAL before it
 * loads or runs anything (api.rst, KVM_CAP_SYNC_REGS for arm64). s.regs
 * holds values that would show if loaded (x0-x30, pc elsewhere).
 */
static void sync_bits(struct probe *p, uint64_t valid, uint64_t dirty, uint64_t pstate)
{
	struct kvm_run *run = p->v->run;
	struct user_pt_regs *sr = sync_regs(p->v);
	uint64_t pc = reg(p->v, REG_PC), x0 = reg(p->v, REG_X(0));
	int ret;

	for (int j = 0; j < 31; j++)
		sr->regs[j] = 0xbad0000000000000ull | j;
	sr->pc = SCRIPT_GPA + 0x80;
	sr->pstate = pstate;
	run->kvm_valid_regs = valid;
	run->kvm_dirty_regs = dirty;
	ret = vcpu_try_run(p->v, false);
	tried++;
	CHECK(ret == -EINVAL, "KVM_RUN with kvm_valid_regs 0x%llx, kvm_dirty_regs 0x%llx, "
	      "PSTATE 0x%llx: %s (expected: EINVAL)", (unsigned long long)valid,
	      (unsigned long long)dirty, (unsigned long long)pstate, err_name(-ret));
	CHECK(reg(p->v, REG_PC) == pc && reg(p->v, REG_X(0)) == x0,
	      "KVM_RUN -EINVAL (kvm_valid_regs 0x%llx, kvm_dirty_regs 0x%llx) loaded or ran: "
	      "pc 0x%llx x0 0x%llx (were 0x%llx 0x%llx)", (unsigned long long)valid,
	      (unsigned long long)dirty, (unsigned long long)reg(p->v, REG_PC),
	      (unsigned long long)reg(p->v, REG_X(0)), (unsigned long long)pc,
	      (unsigned long long)x0);
	run->kvm_valid_regs = SYNC_SETS;
	run->kvm_dirty_regs = 0;
}

static void row_sync_bits(struct probe *p)
{
	static const uint64_t bad_pstate[] = {
		PSR_AA32_MODE_SVC,	/* AArch32 on an AArch64 vCPU */
		0x8 | 1,		/* EL2h: no nested virtualization here */
		0x2, 0xc, 0x1f,		/* reserved modes */
	};
	uint64_t ok_pstate = reg(p->v, REG_PSTATE);

	for (int b = 2; b < 64; b++) {
		sync_bits(p, SYNC_SETS | 1ull << b, 0, ok_pstate);
		sync_bits(p, 1ull << b, 0, ok_pstate);
		sync_bits(p, SYNC_SETS, 1ull << b, ok_pstate);
		sync_bits(p, SYNC_SETS, KVM_SYNC_ARM64_REGS | 1ull << b, ok_pstate);
	}
	sync_bits(p, ~0ull, 0, ok_pstate);
	sync_bits(p, SYNC_SETS, ~0ull, ok_pstate);
	sync_bits(p, SYNC_SETS, KVM_SYNC_ARM64_HYPERCALL, ok_pstate);
	sync_bits(p, SYNC_SETS, SYNC_SETS, ok_pstate);
	sync_bits(p, 0, KVM_SYNC_ARM64_HYPERCALL, ok_pstate);
	for (size_t i = 0; i < ARRAY_SIZE(bad_pstate); i++) {
		sync_bits(p, SYNC_SETS, KVM_SYNC_ARM64_REGS, bad_pstate[i]);
		sync_bits(p, 0, KVM_SYNC_ARM64_REGS, bad_pstate[i]);
	}
	probe_run(p, "bad kvm_valid_regs, kvm_dirty_regs, dirty PSTATE");
}

/*
 * PSCI_TO_USER is filter ranges (SPEC §4): over a filter range that
 * overlaps the second or third of its ranges, -EEXIST and the first ones
 * rolled back; once on, a filter range over PSCI -EEXIST; off removes
 * exactly its ranges. The model follows each step; the handled ranges
 * must agree after each, and the probe sees the base configuration again.
 */
static void row_psci_filter(struct probe *p)
{
	static const uint32_t over[] = { 0xc4000010u, FID_PSCI01_BASE + 2, 0x8400001fu };

	for (size_t i = 0; i < ARRAY_SIZE(over); i++) {
		struct vm *o = &vm;
		struct model m = base;

		/* on the probe's VM: a range over PSCI, the cap refused, the range stays */
		CHECK(!filter_both(o, &m, over[i], 1, KVM_SMCCC_FILTER_DENY), "filter 0x%08x",
		      over[i]);
		tried++;
		CHECK(psci_both(o, &m, true) == -EEXIST && !m.psci, "PSCI_TO_USER over 0x%08x",
		      over[i]);
		model_check_ranges(&m, p->v, "PSCI_TO_USER refused (rolled back)");
		/* the range cannot go: a new probe VM for the next one */
		probe_free(p);
		probe_new(p);
	}
	tried += 4;
	CHECK(!psci_both(&vm, &base, true), "PSCI_TO_USER on");
	CHECK(!psci_both(&vm, &base, true), "PSCI_TO_USER on again (a no-op)");
	model_check_ranges(&base, p->v, "PSCI_TO_USER on");
	for (size_t i = 0; i < ARRAY_SIZE(over); i++) {
		tried++;
		CHECK(filter_both(&vm, &base, over[i], 1, KVM_SMCCC_FILTER_HANDLE) == -EEXIST,
		      "filter over PSCI_TO_USER's ranges");
	}
	CHECK(!psci_both(&vm, &base, false), "PSCI_TO_USER off");
	CHECK(!base.psci, "model: PSCI_TO_USER still on");
	probe_run(p, "PSCI_TO_USER over filter ranges, filter ranges over PSCI_TO_USER");
}

static const struct {
	const char *id, *name;
	void (*fn)(struct probe *p);
} rows[] = {
	{ "B1", "KVM_ENABLE_CAP flags != 0: EINVAL", row_flags },
	{ "B2", "KVM_ENABLE_CAP args[1..3] != 0: EINVAL", row_args },
	{ "B3", "HYPERCALL_TO_USER unknown conduit bits: EINVAL", row_conduits },
	{ "B4", "PSCI_TO_USER args[0] > 1: EINVAL", row_psci },
	{ "B5", "caps, filter, SMCCC_VERSION after the first run: EBUSY (bad args: EINVAL)",
	  row_busy },
	{ "B6", "the same after a KVM_RUN with immediate_exit: EBUSY", row_busy_immediate },
	{ "B7", "KVM_ENABLE_CAP on the vCPU fd: EINVAL", row_vcpu_fd },
	{ "B8", "filter pad != 0: EINVAL", row_filter_pad },
	{ "B9", "empty filter range: EINVAL", row_filter_empty },
	{ "B10", "filter range that wraps: EINVAL", row_filter_wrap },
	{ "B11", "unknown filter action: EINVAL", row_filter_action },
	{ "B12", "filter range overlapping another: EEXIST", row_filter_overlap },
	{ "B13", "filter range over the Arm Architecture range: EEXIST", row_filter_arch },
	{ "B14", "unknown filter group/attribute: ENXIO; unmapped filter: EFAULT",
	  row_filter_attr },
	{ "B15", "HANDLED_NR/HANDLED_RANGE(n) written with another value: EINVAL", row_ranges },
	{ "B16", "HANDLED_RANGE(n >= min(NR, MAX)), unknown index, wrong size: ENOENT",
	  row_range_ids },
	{ "B17", "SMCCC_VERSION other than 1.1/1.2: EINVAL", row_version },
	{ "B18", "our registers with an unmapped buffer: EFAULT", row_efault },
	{ "B19", "our registers in KVM_GET_REG_LIST only after opt-in", row_reg_list },
	{ "B20", "garbage in the run struct on re-entry: ignored", row_garbage },
	{ "B21", "EL0 HVC/SMC (AArch64, AArch32): UNDEFINED, no exit", row_el0 },
	{ "B26", "unknown sync-regs bits, HYPERCALL dirty, bad dirty PSTATE: EINVAL at KVM_RUN",
	  row_sync_bits },
	{ "B27", "PSCI_TO_USER and the filter overlap: EEXIST either way, rolled back",
	  row_psci_filter },
};

int badinput_main(int argc, char **argv)
{
	size_t nr = ARRAY_SIZE(rows);
	int total = 0;

	(void)argc;
	(void)argv;
	rnd_seed(0xbad);
	for (size_t i = 0; i < nr; i++) {
		struct probe p;

		tried = 0;
		probe_new(&p);
		rows[i].fn(&p);
		probe_free(&p);
		note("ok %s - %s (%d bad inputs, configuration and registers unchanged)",
		     rows[i].id, rows[i].name, tried);
		total += tried;
	}
	note("PASS: %zu rows, %d bad inputs refused or ignored as documented", nr, total);
	return 0;
}
