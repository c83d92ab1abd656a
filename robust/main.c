// SPDX-License-Identifier: GPL-2.0
/*
 * robust: robustness checks of the userspace SMCCC exits (issues #6, #13,
 * #16), series v3.
 *
 *   robust stress|complete|random|badinput [options]
 *
 * Exit status: 0 pass, 1 fail, 4 skip (no KVM or the series is missing).
 * Helpers shared by the checks (on vmm/): one VM at a time in "vm", state
 * snapshots, a PRNG.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "robust.h"

struct vm vm;

static const char *check_name = "robust";

static void vreport(const char *what, const char *fmt, va_list ap)
{
	printf("%s: %s", check_name, what);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
}

void check_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%s: FAIL at %s:%d\n", check_name, file, line);
	va_start(ap, fmt);
	vreport("FAIL: ", fmt, ap);
	va_end(ap);
	exit(1);
}

static void skip(const char *why)
{
	printf("%s: SKIP: %s\n", check_name, why);
	exit(EXIT_SKIP);
}

void vm_new(struct vm *vm)
{
	if (__vm__create(vm))
		skip("cannot open /dev/kvm");
	if (smccc__conduits(vm) != (VMM_CONDUIT_HVC | VMM_CONDUIT_SMC))
		skip("KVM_CAP_ARM_HYPERCALL_TO_USER missing (kernel without the series?)");
	if (!smccc__has_psci_to_user(vm))
		skip("KVM_CAP_ARM_PSCI_TO_USER missing (kernel without the series?)");
	if (!smccc__has_filter(vm))
		skip("KVM_ARM_VM_SMCCC_FILTER missing (kernel without upstream's filter?)");
	if ((vm__check_extension(vm, KVM_CAP_SYNC_REGS) & SYNC_SETS) != SYNC_SETS)
		skip("KVM_CAP_SYNC_REGS without KVM_SYNC_ARM64_REGS/_HYPERCALL (kernel without the series v3?)");
}

int reg_get(struct vcpu *v, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)val };

	return ioctl(v->fd, KVM_GET_ONE_REG, &r) ? -errno : 0;
}

int reg_set(struct vcpu *v, uint64_t id, uint64_t val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)&val };

	return ioctl(v->fd, KVM_SET_ONE_REG, &r) ? -errno : 0;
}

uint64_t reg(struct vcpu *v, uint64_t id)
{
	uint64_t val = 0;
	int ret = reg_get(v, id, &val);

	CHECK(!ret, "KVM_GET_ONE_REG(0x%llx): %s", (unsigned long long)id, strerror(-ret));
	return val;
}

void sync_regs_check(struct vcpu *v, const char *after)
{
	const struct user_pt_regs *sr = sync_regs(v);

	for (int i = 0; i < 34; i++) {
		uint64_t id = i < 31 ? REG_X(i) : i == 31 ? REG_SP : i == 32 ? REG_PC : REG_PSTATE;
		uint64_t got = i < 31 ? sr->regs[i] : i == 31 ? sr->sp : i == 32 ? sr->pc : sr->pstate;
		char name[32];

		CHECK(got == reg(v, id), "%s: s.regs.regs %s 0x%llx, KVM_GET_ONE_REG 0x%llx",
		      after, vcpu__reg_name(id, name, sizeof(name)), (unsigned long long)got,
		      (unsigned long long)reg(v, id));
	}
}

void fill_ignored(struct vcpu *v, uint64_t (*garbage)(void))
{
	struct kvm_run *run = v->run;

	run->hypercall.nr = garbage();
	for (int i = 0; i < 6; i++)
		run->hypercall.args[i] = garbage();
	run->hypercall.ret = garbage();
	run->hypercall.flags = garbage();
	run->s.regs.hypercall.imm = garbage();
	run->s.regs.hypercall.flags = garbage();
}

bool hypercall_reserved_ok(struct vcpu *v)
{
	for (int i = 0; i < 6; i++)
		if (v->run->hypercall.args[i])
			return false;
	return !v->run->hypercall.ret;
}

int vm_filter(struct vm *vm, uint32_t base, uint32_t nr, uint8_t action)
{
	return __smccc__filter(vm, base, nr, action);
}

void vm_setup_caps(struct vm *vm, uint64_t conduits, bool psci_to_user)
{
	int ret = __vm__enable_cap(vm, KVM_CAP_ARM_HYPERCALL_TO_USER, 0, conduits, 0, 0, 0);

	CHECK(!ret, "KVM_ENABLE_CAP(HYPERCALL_TO_USER, 0x%llx): %s",
	      (unsigned long long)conduits, strerror(-ret));
	ret = __vm__enable_cap(vm, KVM_CAP_ARM_PSCI_TO_USER, 0, psci_to_user, 0, 0, 0);
	CHECK(!ret, "KVM_ENABLE_CAP(PSCI_TO_USER, %d): %s", psci_to_user, strerror(-ret));
}

struct vcpu *vcpu_new(struct vm *vm, int id, bool a32)
{
	if (a32 && vm__check_extension(vm, KVM_CAP_ARM_EL1_32BIT) <= 0)
		skip("no AArch32 EL1 (KVM_CAP_ARM_EL1_32BIT)");
	return vcpu__create(vm, id, VCPU_PSCI_0_2 | (a32 ? VCPU_AARCH32 : 0) |
			    (id ? VCPU_POWER_OFF : 0));
}

/* KVM_RUN, with immediate_exit if asked: 0 or -errno */
int vcpu_try_run(struct vcpu *v, bool immediate)
{
	v->run->immediate_exit = immediate;
	return __vcpu__run(v);
}

/* xorshift64*: reproducible from the seed printed by each check */
static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

void rnd_seed(uint64_t seed)
{
	rnd_state = seed ? seed : 1;
}

uint64_t rnd(void)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545f4914f6cdd1dull;
}

/*
 * Snapshot: x0-x30, sp, pc, pstate, EL1 sp/elr/spsr, upstream's firmware
 * registers, then ours: SMCCC_VERSION, HANDLED_NR and the ranges (read
 * with KVM_GET_ONE_REG: readable by any VMM, never listed).
 */
static const struct { uint64_t id; const char *name; } snap_fixed[] = {
	{ REG_CORE(regs.sp), "sp" },
	{ REG_PC, "pc" },
	{ REG_PSTATE, "pstate" },
	{ REG_CORE(sp_el1), "sp_el1" },
	{ REG_CORE(elr_el1), "elr_el1" },
	{ REG_CORE(spsr[KVM_SPSR_EL1]), "spsr_el1" },
	{ KVM_REG_ARM_PSCI_VERSION, "PSCI_VERSION" },
	{ KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1, "WORKAROUND_1" },
	{ KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2, "WORKAROUND_2" },
	{ KVM_REG_ARM_STD_BMAP, "STD_BMAP" },
	{ KVM_REG_ARM_STD_HYP_BMAP, "STD_HYP_BMAP" },
	{ KVM_REG_ARM_VENDOR_HYP_BMAP, "VENDOR_HYP_BMAP" },
	{ KVM_REG_ARM_FW_SMCCC_VERSION, "SMCCC_VERSION" },
	{ KVM_REG_ARM_FW_HANDLED_NR, "HANDLED_NR" },
};

const char *snap_name(const struct snap *s, int i)
{
	static char name[32];
	uint64_t id = s->id[i];

	if (i < 31)
		snprintf(name, sizeof(name), "x%d", i);
	else if (i < NR_SNAP_FIXED)
		snprintf(name, sizeof(name), "%s", snap_fixed[i - 31].name);
	else
		snprintf(name, sizeof(name), "HANDLED_RANGE(%d)",
			 (int)(id - KVM_REG_ARM_FW_HANDLED_RANGE(0)));
	return name;
}

void snap_take(struct vcpu *v, struct snap *s)
{
	_Static_assert(NR_SNAP_FIXED == 31 + ARRAY_SIZE(snap_fixed),
		       "NR_SNAP_FIXED");
	_Static_assert(SNAP_HANDLED_NR == 31 + 13 && SNAP_SMCCC_VERSION == 31 + 12, "SNAP_*");
	s->n = NR_SNAP_FIXED;
	for (int i = 0; i < NR_SNAP_FIXED; i++)
		s->id[i] = i < 31 ? REG_X(i) : snap_fixed[i - 31].id;
	for (int i = 0; i < s->n; i++) {
		int ret = reg_get(v, s->id[i], &s->val[i]);

		CHECK(!ret, "KVM_GET_ONE_REG(%s): %s", snap_name(s, i), strerror(-ret));
		if (i == SNAP_HANDLED_NR) {
			uint64_t nr = s->val[i] < KVM_REG_ARM_FW_HANDLED_RANGE_MAX ?
				      s->val[i] : KVM_REG_ARM_FW_HANDLED_RANGE_MAX;

			for (uint64_t r = 0; r < nr; r++)
				s->id[s->n++] = KVM_REG_ARM_FW_HANDLED_RANGE(r);
		}
	}
}

/*
 * What a VMM restores: every register KVM_GET_REG_LIST can list, so not
 * the handled ranges (derived, read-only); SMCCC_VERSION only into a VM
 * that never ran (fresh: a migration's destination), as KVM refuses it
 * after the first run whatever the value.
 */
void snap_restore(struct vcpu *v, const struct snap *s, bool fresh)
{
	for (int i = 0; i < SNAP_HANDLED_NR; i++) {
		int ret;

		if (i == SNAP_SMCCC_VERSION && !fresh)
			continue;
		ret = reg_set(v, s->id[i], s->val[i]);

		CHECK(!ret, "KVM_SET_ONE_REG(%s, 0x%llx): %s", snap_name(s, i),
		      (unsigned long long)s->val[i], strerror(-ret));
	}
}

void snap_same(const struct snap *a, const struct snap *b, const char *after)
{
	for (int i = 0; i < a->n && i < b->n; i++)
		CHECK(a->val[i] == b->val[i], "after %s: %s changed from 0x%llx to 0x%llx",
		      after, snap_name(a, i), (unsigned long long)a->val[i],
		      (unsigned long long)b->val[i]);
	CHECK(a->n == b->n, "after %s: %d registers in the snapshot, were %d", after, b->n, a->n);
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} checks[] = {
	{ "stress", stress_main, "[-n calls/vCPU] [-m in-kernel period] [-c vCPUs] [-i signal µs]" },
	{ "complete", complete_main, "" },
	{ "random", random_main, "[-n A64 calls] [-a A32 calls] [-s seed]" },
	{ "badinput", badinput_main, "" },
	{ "fastpath", fastpath_main, "" },
};

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; argc > 1 && i < ARRAY_SIZE(checks); i++) {
		if (strcmp(argv[1], checks[i].name))
			continue;
		check_name = checks[i].name;
		vmm__set_name(check_name);
		return checks[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "usage:\n");
	for (size_t i = 0; i < ARRAY_SIZE(checks); i++)
		fprintf(stderr, "  %s %s %s\n", argv[0], checks[i].name, checks[i].help);
	return 2;
}
