// SPDX-License-Identifier: GPL-2.0
/*
 * robust badinput: every invalid argument to the new capabilities and
 * registers gets the documented error and changes nothing. "Nothing" is
 * checked twice: a snapshot of every core and firmware register (handled
 * ranges included) must be the same, and a probe guest must see the same
 * calls forwarded as before (one HVC and one SMC each of: an unknown call,
 * PSCI, an immediate, TRNG and SMCCC_VERSION). The rows are the catalogue
 * in README.md; each prints "ok Bn - ...".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "robust.h"

struct cfg {
	uint64_t conduits;	/* KVM_CAP_ARM_HYPERCALL_TO_USER */
	uint64_t psci;		/* KVM_CAP_ARM_PSCI_TO_USER */
};

/* The configuration every row starts from, and a valid different one */
static const struct cfg base = { KVM_ARM_HYPERCALL_HVC, 0 };
static const struct cfg other = { KVM_ARM_HYPERCALL_SMC, 1 };

static const struct { uint32_t insn, fid; } probe_calls[] = {
	{ A64_HVC(0), FID_SIP },	{ A64_SMC(0), FID_SIP },
	{ A64_HVC(0), FID_PSCI_VERSION },	{ A64_SMC(0), FID_PSCI_VERSION },
	{ A64_HVC(1), FID_SIP },	{ A64_SMC(1), FID_SIP },
	{ A64_HVC(0), FID_TRNG_VERSION },	{ A64_SMC(0), FID_SMCCC_VERSION },
};
#define NR_PROBE	(int)(sizeof(probe_calls) / sizeof(probe_calls[0]))

struct probe {
	struct vcpu *v;
	struct script s;
	struct scall calls[NR_PROBE];
	struct snap snap;
};

/* SPEC §3 for the probe calls: is this call forwarded under cfg? */
static bool forwarded(uint32_t insn, uint32_t fid, const struct cfg *cfg)
{
	uint64_t conduit = (insn & 3) == 3 ? KVM_ARM_HYPERCALL_SMC : KVM_ARM_HYPERCALL_HVC;

	if (insn >> 5 & 0xffff)
		return cfg->conduits & conduit;
	if (fid == FID_PSCI_VERSION)
		return cfg->psci;
	if (fid == FID_SIP)
		return cfg->conduits & conduit;
	return false;
}

/* A VM configured as base, with a probe guest loaded but not run */
static void probe_new(struct probe *p)
{
	memset(p, 0, sizeof(*p));
	vm_new(&vm);
	vm_setup_caps(&vm, base.conduits, base.psci);
	p->v = vcpu_new(&vm, 0, false);
	for (int i = 0; i < NR_PROBE; i++) {
		p->calls[i].insn = probe_calls[i].insn;
		p->calls[i].in[0] = probe_calls[i].fid;
		for (int j = 1; j < NR_REGS; j++)
			p->calls[i].in[j] = 0xba5e000000000000ull | i << 8 | j;
		p->calls[i].fwd = forwarded(probe_calls[i].insn, probe_calls[i].fid, &base);
	}
	p->s = (struct script){ .nr = NR_PROBE, .calls = p->calls };
	script_load(&p->s, p->v);
	snap_take(p->v, &p->snap);
}

/* Registers as at the last snapshot */
static void probe_same_regs(struct probe *p, const char *after)
{
	struct snap now;

	snap_take(p->v, &now);
	for (int i = 0; i < NR_SNAP; i++)
		CHECK(now.val[i] == p->snap.val[i], "after %s: %s changed from 0x%llx to 0x%llx",
		      after, snap_name(i), (unsigned long long)p->snap.val[i],
		      (unsigned long long)now.val[i]);
}

/* Same registers, and the guest sees base's forwarding */
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

static void expect_cap(int err, uint32_t cap, uint32_t flags, uint64_t a0, uint64_t a1,
		       uint64_t a2, uint64_t a3)
{
	int ret = __vm__enable_cap(&vm, cap, flags, a0, a1, a2, a3);

	tried++;
	CHECK(ret == -err, "KVM_ENABLE_CAP(%u, flags 0x%x, args 0x%llx 0x%llx 0x%llx 0x%llx): "
	      "%s (expected: %s)", cap, flags, (unsigned long long)a0, (unsigned long long)a1,
	      (unsigned long long)a2, (unsigned long long)a3, ret ? strerror(-ret) : "0",
	      err ? strerror(err) : "0");
}

static void expect_reg(int err, struct vcpu *v, unsigned long nr, uint64_t id, uint64_t val)
{
	int ret = nr == KVM_GET_ONE_REG ? __vcpu__get_reg(v, id, &val) :
						 __vcpu__set_reg(v, id, val);

	tried++;
	CHECK(ret == -err, "KVM_%s_ONE_REG(0x%llx, 0x%llx): %s (expected: %s)",
	      nr == KVM_GET_ONE_REG ? "GET" : "SET", (unsigned long long)id,
	      (unsigned long long)val, ret ? strerror(-ret) : "0", err ? strerror(err) : "0");
}

static const uint32_t caps[] = { KVM_CAP_ARM_HYPERCALL_TO_USER, KVM_CAP_ARM_PSCI_TO_USER };

/* args[0] of a cap under the "other" configuration: accepting it would show */
static uint64_t other_arg(uint32_t cap)
{
	return cap == KVM_CAP_ARM_PSCI_TO_USER ? other.psci : other.conduits;
}

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
			   1ull << b | other.conduits, 0, 0, 0);
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

/* Every valid value, then invalid ones: -EBUSY, resp. -EINVAL first */
static void after_run(struct probe *p, const char *how)
{
	for (uint64_t a = 0; a < 4; a++)
		expect_cap(EBUSY, KVM_CAP_ARM_HYPERCALL_TO_USER, 0, a, 0, 0, 0);
	for (uint64_t a = 0; a < 2; a++)
		expect_cap(EBUSY, KVM_CAP_ARM_PSCI_TO_USER, 0, a, 0, 0, 0);
	expect_cap(EINVAL, KVM_CAP_ARM_HYPERCALL_TO_USER, 1, other.conduits, 0, 0, 0);
	expect_cap(EINVAL, KVM_CAP_ARM_HYPERCALL_TO_USER, 0, 4, 0, 0, 0);
	expect_cap(EINVAL, KVM_CAP_ARM_PSCI_TO_USER, 0, 2, 0, 0, 0);
	expect_cap(EINVAL, KVM_CAP_ARM_PSCI_TO_USER, 0, 1, 0, 0, 1);
	probe_run(p, how);
}

static void row_busy(struct probe *p)
{
	probe_run(p, "nothing (first run)");
	after_run(p, "enabling after the first run");
}

/* A KVM_RUN that returns at once with immediate_exit counts as a run */
static void row_busy_immediate(struct probe *p)
{
	int ret = vcpu_try_run(p->v, true);

	CHECK(ret == -EINTR, "KVM_RUN with immediate_exit: %d (expected: -EINTR)", ret);
	after_run(p, "enabling after a KVM_RUN with immediate_exit");
}

static void row_vcpu_fd(struct probe *p)
{
	for (int c = 0; c < 2; c++) {
		struct kvm_enable_cap ec = { .cap = caps[c], .args = { other_arg(caps[c]) } };

		tried++;
		CHECK(ioctl(p->v->fd, KVM_ENABLE_CAP, &ec) == -1 && errno == EINVAL,
		      "KVM_ENABLE_CAP(%u) on the vCPU fd: %s (expected: EINVAL)", caps[c],
		      strerror(errno));
	}
	probe_run(p, "KVM_ENABLE_CAP on the vCPU fd");
}

/* Each range register, each single-bit change, 0 and ~0: -EINVAL */
static void bad_range_writes(struct probe *p)
{
	for (int i = 0; i < KVM_REG_ARM_FW_HANDLED_RANGES; i++) {
		uint64_t id = KVM_REG_ARM_FW_HANDLED_RANGE(i), val = 0;

		CHECK(!__vcpu__get_reg(p->v, id, &val), "reading range %d", i);
		for (int b = 0; b < 64; b++)
			expect_reg(EINVAL, p->v, KVM_SET_ONE_REG, id, val ^ 1ull << b);
		expect_reg(val ? EINVAL : 0, p->v, KVM_SET_ONE_REG, id, 0);
		expect_reg(EINVAL, p->v, KVM_SET_ONE_REG, id, ~0ull);
		expect_reg(0, p->v, KVM_SET_ONE_REG, id, val);
	}
}

static void row_ranges(struct probe *p)
{
	bad_range_writes(p);
	probe_run(p, "wrong values written to the handled ranges");
	bad_range_writes(p);
	probe_run(p, "wrong values written to the handled ranges after the first run");
}

/* Indices past the last, and the right index with the wrong size */
static void row_range_ids(struct probe *p)
{
	static const uint64_t sizes[] = { KVM_REG_SIZE_U8, KVM_REG_SIZE_U16, KVM_REG_SIZE_U32,
					  KVM_REG_SIZE_U128, KVM_REG_SIZE_U256 };
	uint64_t first = KVM_REG_ARM_FW_HANDLED_RANGE(0);

	for (int i = KVM_REG_ARM_FW_HANDLED_RANGES; i < 0x100; i++) {
		expect_reg(ENOENT, p->v, KVM_GET_ONE_REG, KVM_REG_ARM_FW_HANDLED_RANGE(i), 0);
		expect_reg(ENOENT, p->v, KVM_SET_ONE_REG, KVM_REG_ARM_FW_HANDLED_RANGE(i), 0);
	}
	for (int i = 0; i < 5; i++) {
		uint64_t id = (first & ~KVM_REG_SIZE_MASK) | sizes[i];
		uint8_t buf[32] = {};
		struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)buf };

		for (int set = 0; set < 2; set++) {
			tried++;
			CHECK(ioctl(p->v->fd, set ? KVM_SET_ONE_REG : KVM_GET_ONE_REG, &reg) == -1 &&
			      errno == ENOENT, "KVM_%s_ONE_REG(0x%llx, wrong size): %s "
			      "(expected: ENOENT)", set ? "SET" : "GET", (unsigned long long)id,
			      strerror(errno));
		}
	}
	probe_run(p, "out-of-range register indices");
}

/* Unmapped user buffers: -EFAULT, nothing written */
static void row_efault(struct probe *p)
{
	static const uint64_t addrs[] = { 0, 8, 0xffff000000000000ull };

	for (int i = 0; i < 3; i++) {
		for (int r = 0; r < KVM_REG_ARM_FW_HANDLED_RANGES; r += 5) {
			struct kvm_one_reg reg = { .id = KVM_REG_ARM_FW_HANDLED_RANGE(r),
						   .addr = addrs[i] };

			for (int set = 0; set < 2; set++) {
				tried++;
				CHECK(ioctl(p->v->fd, set ? KVM_SET_ONE_REG : KVM_GET_ONE_REG,
					    &reg) == -1 && errno == EFAULT,
				      "KVM_%s_ONE_REG(range %d, addr 0x%llx): %s (expected: EFAULT)",
				      set ? "SET" : "GET", r, (unsigned long long)addrs[i],
				      strerror(errno));
			}
		}
	}
	probe_run(p, "unmapped KVM_{GET,SET}_ONE_REG buffers");
}

/* On every exit: garbage in every run field KVM must ignore on re-entry */
static void garbage_hook(struct script *s, struct vcpu *v, int idx)
{
	struct kvm_run *run = v->run;

	(void)s;
	run->request_interrupt_window = 0xff;
	memset(run->padding1, 0xff, sizeof(run->padding1));
	run->kvm_valid_regs = ~0ull;
	run->kvm_dirty_regs = ~0ull;
	run->flags = 0xffff;
	run->exit_reason = idx % 2 ? KVM_EXIT_MMIO : 0xdeadbeef;
	memset(&run->s, 0xff, sizeof(run->s));
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
		      (unsigned long long)vcpu__get_reg(v, REG_PC));
		break;
	}
	tried += a32 ? 3 : 4;
	CHECK(vcpu__get_reg(v, REG_X(9)) == (a32 ? 3 : 4),
	      "%s EL0: %llu undefined-instruction exceptions (expected: %d)",
	      a32 ? "AArch32" : "AArch64",
	      (unsigned long long)vcpu__get_reg(v, REG_X(9)), a32 ? 3 : 4);
	CHECK(a32 || !vcpu__get_reg(v, REG_X(12)),
	      "AArch64 EL0: an exception other than UNDEFINED (EC bits 0x%llx)",
	      (unsigned long long)vcpu__get_reg(v, REG_X(12)));
	vm__destroy(&other);
}

static void row_el0(struct probe *p)
{
	el0(false);
	el0(true);
	probe_run(p, "nothing (EL0 guests ran in other VMs)");
}

static const struct {
	const char *id, *name;
	void (*fn)(struct probe *p);
} rows[] = {
	{ "B1", "KVM_ENABLE_CAP flags != 0: EINVAL", row_flags },
	{ "B2", "KVM_ENABLE_CAP args[1..3] != 0: EINVAL", row_args },
	{ "B3", "HYPERCALL_TO_USER unknown conduit bits: EINVAL", row_conduits },
	{ "B4", "PSCI_TO_USER args[0] > 1: EINVAL", row_psci },
	{ "B5", "enabling after the first run: EBUSY (bad args: EINVAL)", row_busy },
	{ "B6", "enabling after a KVM_RUN with immediate_exit: EBUSY", row_busy_immediate },
	{ "B7", "KVM_ENABLE_CAP on the vCPU fd: EINVAL", row_vcpu_fd },
	{ "B8", "HANDLED_RANGE(i) written with another value: EINVAL", row_ranges },
	{ "B9", "HANDLED_RANGE index past the last, wrong size: ENOENT", row_range_ids },
	{ "B10", "HANDLED_RANGE with an unmapped buffer: EFAULT", row_efault },
	{ "B11", "garbage in the run struct on re-entry: ignored", row_garbage },
	{ "B12", "EL0 HVC/SMC (AArch64, AArch32): UNDEFINED, no exit", row_el0 },
};

int badinput_main(int argc, char **argv)
{
	size_t nr = sizeof(rows) / sizeof(rows[0]);
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
