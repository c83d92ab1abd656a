// SPDX-License-Identifier: GPL-2.0
/*
 * robust complete: a pending KVM_EXIT_HYPERCALL is completed exactly once,
 * at the first of the next KVM_RUN or a vCPU ioctl that changes the
 * vCPU's registers or run state, and the VMM's own writes are kept
 * (SPEC v2 §2), whatever it does between the exit and the guest's next
 * instruction:
 *
 *  - KVM_RUN with immediate_exit (3 times, the run struct scribbled over
 *    in between), AArch64, A32 and T32;
 *  - a KVM_RUN that a pending signal interrupts before guest entry;
 *  - KVM_RUN from another thread;
 *  - the answer given upstream's way: KVM_GET_ONE_REG sees the arguments,
 *    KVM_SET_ONE_REG x0-x3 writes the results, the run struct untouched;
 *  - KVM_SET_ONE_REG of x0/x5/x20 with garbage left in the run struct:
 *    the answer in the run struct goes to x1-x3, the writes win;
 *  - a restore of every core and firmware register before completion
 *    (the run struct scribbled over first): what was restored wins;
 *  - KVM_SET_MP_STATE and KVM_SET_VCPU_EVENTS: each completes the exit
 *    before it takes effect, and it is not applied again;
 *  - CPU_ON of a vCPU whose PSCI CPU_OFF exit is pending (PSCI_TO_USER):
 *    KVM_SET_MP_STATE(STOPPED), then KVM_SET_ONE_REG pc and x0-x3,
 *    KVM_SET_MP_STATE(RUNNABLE): the new pc and x0 are kept;
 *  - a migration done as documented: complete, save, restore into a new VM;
 *  - run->exit_reason overwritten before re-entry;
 *  - a vCPU reset (KVM_ARM_VCPU_INIT) in between: the exit is dropped.
 *
 * Each case is a scripted guest (script.c) of forwarded calls with a hook
 * on every exit; script_check() then proves the guest got each answer once,
 * at the right call.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "robust.h"

#define NR_CALLS	6

/* What every register must hold once call idx has been completed */
static uint64_t want_after(struct script *s, const struct snap *at_exit, int idx, int i)
{
	const struct scall *c = &s->calls[idx];
	int width = s->a32 ? 8 : VMM_HC_NR_REGS;

	if (i >= width)
		return at_exit->val[i];
	if (i < 4)
		return s->a32 ? (uint32_t)script_answer(idx, i) : script_answer(idx, i);
	return s->a32 ? (uint32_t)c->in[i] : c->in[i];
}

static void check_completed(struct script *s, struct vcpu *v, const struct snap *at_exit,
			    int idx, const char *how)
{
	struct snap now;

	snap_take(v, &now);
	CHECK(now.n == at_exit->n, "%s, call %d: %d registers (expected: %d)", how, idx,
	      now.n, at_exit->n);
	for (int i = 0; i < now.n; i++)
		CHECK(now.val[i] == want_after(s, at_exit, idx, i),
		      "%s, call %d: %s 0x%llx (expected: 0x%llx)", how, idx, snap_name(&now, i),
		      (unsigned long long)now.val[i],
		      (unsigned long long)want_after(s, at_exit, idx, i));
}

/* The answer as an AArch32 caller's register holds it */
static uint64_t answer32(struct script *s, int idx, int j)
{
	return s->a32 ? (uint32_t)script_answer(idx, j) : script_answer(idx, j);
}

static void scribble(struct vcpu *v)
{
	memset(smccc__regs(v), 0xee, VMM_HC_NR_REGS * sizeof(uint64_t));
}

static void run_immediate(struct vcpu *v, const char *how)
{
	int ret = vcpu_try_run(v, true);

	CHECK(ret == -EINTR, "%s: KVM_RUN with immediate_exit: %d (expected: -EINTR)", how, ret);
}

/* Before completion x0-x17 still hold the call's arguments */
static void snap_at_exit(struct script *s, struct vcpu *v, int idx, struct snap *at_exit)
{
	snap_take(v, at_exit);
	for (int j = 0; j < (s->a32 ? 8 : VMM_HC_NR_REGS); j++) {
		uint64_t want = s->a32 ? (uint32_t)s->calls[idx].in[j] : s->calls[idx].in[j];

		CHECK(at_exit->val[SNAP_X(j)] == want, "call %d: x%d 0x%llx before completion "
		      "(expected: the argument 0x%llx)", idx, j,
		      (unsigned long long)at_exit->val[SNAP_X(j)], (unsigned long long)want);
	}
}

static void hook_immediate(struct script *s, struct vcpu *v, int idx)
{
	struct snap at_exit;

	snap_at_exit(s, v, idx, &at_exit);
	for (int i = 0; i < 3; i++) {
		run_immediate(v, "immediate_exit");
		check_completed(s, v, &at_exit, idx, "after KVM_RUN with immediate_exit");
		scribble(v);
	}
}

static void hook_signal(struct script *s, struct vcpu *v, int idx)
{
	struct { struct kvm_signal_mask m; uint8_t set[8]; } none = { { 8 }, { 0 } };
	struct timespec zero = { 0, 0 };
	struct snap at_exit;
	sigset_t usr2;
	int ret;

	snap_at_exit(s, v, idx, &at_exit);
	/* SIGUSR2 pending and blocked here, unblocked while in KVM_RUN */
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &usr2, NULL);
	CHECK(!ioctl(v->fd, KVM_SET_SIGNAL_MASK, &none), "KVM_SET_SIGNAL_MASK failed");
	pthread_kill(pthread_self(), SIGUSR2);
	ret = vcpu_try_run(v, false);
	CHECK(ret == -EINTR && v->run->exit_reason == KVM_EXIT_INTR,
	      "KVM_RUN with a signal pending: %d, exit reason %u (expected: -EINTR, KVM_EXIT_INTR)",
	      ret, v->run->exit_reason);
	CHECK(sigtimedwait(&usr2, NULL, &zero) == SIGUSR2, "SIGUSR2 was not pending any more");
	CHECK(!ioctl(v->fd, KVM_SET_SIGNAL_MASK, NULL), "KVM_SET_SIGNAL_MASK(NULL) failed");
	check_completed(s, v, &at_exit, idx, "after a KVM_RUN interrupted by a signal");
	scribble(v);
}

static void *run_immediate_thread(void *arg)
{
	run_immediate(arg, "KVM_RUN from another thread");
	return NULL;
}

static void hook_thread(struct script *s, struct vcpu *v, int idx)
{
	struct snap at_exit;
	pthread_t t;

	snap_at_exit(s, v, idx, &at_exit);
	pthread_create(&t, NULL, run_immediate_thread, v);
	pthread_join(t, NULL);
	check_completed(s, v, &at_exit, idx, "after KVM_RUN from another thread");
	scribble(v);
}

/*
 * Upstream's way: read the arguments with KVM_GET_ONE_REG, write the
 * results with KVM_SET_ONE_REG, leave the run struct as KVM filled it
 * (regs[] = the arguments). The guest must get exactly those results.
 */
static void hook_upstream_way(struct script *s, struct vcpu *v, int idx)
{
	uint64_t *regs = smccc__regs(v);
	struct snap at_exit;

	snap_at_exit(s, v, idx, &at_exit);
	for (int j = 0; j < VMM_HC_NR_REGS; j++)	/* undo answer(): as KVM left it */
		regs[j] = j < (s->a32 ? 8 : VMM_HC_NR_REGS) ?
			  (s->a32 ? (uint32_t)s->calls[idx].in[j] : s->calls[idx].in[j]) : 0;
	for (int j = 0; j < 4; j++)
		vcpu__set_reg(v, REG_X(j), answer32(s, idx, j));
	check_completed(s, v, &at_exit, idx, "after KVM_SET_ONE_REG x0-x3 (upstream's way)");
	run_immediate(v, "upstream's way");
	check_completed(s, v, &at_exit, idx, "after KVM_SET_ONE_REG x0-x3 and KVM_RUN");
}

/*
 * KVM_SET_ONE_REG before completion: the exit is completed first (regs[1..3]
 * hold the answer), then the write takes effect, once: x0 and x5 are
 * written with the right values while the run struct holds garbage there,
 * x20 (outside x0-x17) with a new value.
 */
static void hook_set_one_reg(struct script *s, struct vcpu *v, int idx)
{
	uint64_t *regs = smccc__regs(v);
	struct snap at_exit;

	snap_at_exit(s, v, idx, &at_exit);
	regs[0] = 0xdead00000000dead;
	regs[5] = 0xdead00000005dead;
	vcpu__set_reg(v, REG_X(0), script_answer(idx, 0));
	vcpu__set_reg(v, REG_X(5), s->calls[idx].in[5]);
	vcpu__set_reg(v, REG_X(20), 0x2020);
	at_exit.val[SNAP_X(20)] = 0x2020;
	check_completed(s, v, &at_exit, idx, "after KVM_SET_ONE_REG x0, x5, x20");
	run_immediate(v, "KVM_SET_ONE_REG");
	check_completed(s, v, &at_exit, idx, "after KVM_SET_ONE_REG x0, x5, x20 and KVM_RUN");
	scribble(v);
}

/*
 * A VMM restoring a saved state, with the answer in it, before completion
 * and with garbage in the run struct: the completion comes before the
 * first write, so every register is what was restored.
 */
static void hook_save_restore(struct script *s, struct vcpu *v, int idx)
{
	struct snap at_exit, saved;

	snap_at_exit(s, v, idx, &at_exit);
	saved = at_exit;
	for (int j = 0; j < 4; j++)
		saved.val[SNAP_X(j)] = answer32(s, idx, j);
	saved.val[SNAP_X(20)] = 0x2020;
	at_exit.val[SNAP_X(20)] = 0x2020;
	scribble(v);
	snap_restore(v, &saved);
	check_completed(s, v, &at_exit, idx, "after a restore before completion");
	run_immediate(v, "save/restore");
	check_completed(s, v, &at_exit, idx, "after a restore before completion and KVM_RUN");
}

static void hook_mp_state(struct script *s, struct vcpu *v, int idx)
{
	struct snap at_exit;

	snap_at_exit(s, v, idx, &at_exit);
	vcpu__set_mp_state(v, KVM_MP_STATE_RUNNABLE);
	check_completed(s, v, &at_exit, idx, "after KVM_SET_MP_STATE");
	scribble(v);
	run_immediate(v, "KVM_SET_MP_STATE");
	check_completed(s, v, &at_exit, idx, "after KVM_SET_MP_STATE and KVM_RUN");
}

static void hook_vcpu_events(struct script *s, struct vcpu *v, int idx)
{
	struct kvm_vcpu_events ev;
	struct snap at_exit;

	snap_at_exit(s, v, idx, &at_exit);
	CHECK(!ioctl(v->fd, KVM_GET_VCPU_EVENTS, &ev), "KVM_GET_VCPU_EVENTS: %m");
	CHECK(!ioctl(v->fd, KVM_SET_VCPU_EVENTS, &ev), "KVM_SET_VCPU_EVENTS: %m");
	check_completed(s, v, &at_exit, idx, "after KVM_SET_VCPU_EVENTS");
	scribble(v);
	run_immediate(v, "KVM_SET_VCPU_EVENTS");
	check_completed(s, v, &at_exit, idx, "after KVM_SET_VCPU_EVENTS and KVM_RUN");
}

/*
 * The calls are PSCI CPU_OFF, forwarded by PSCI_TO_USER. The VMM parks the
 * vCPU, then restarts it the way api.rst says a CPU_ON is done: the entry
 * point in pc (AArch64: a branch back to the call's return address, so
 * that the script goes on), the context ID in x0 (here: the results
 * x0-x3), then RUNNABLE. The run struct holds garbage: a late copy would
 * show.
 */
static void hook_cpu_on(struct script *s, struct vcpu *v, int idx)
{
	struct kvm_mp_state mp;
	struct snap at_exit;
	uint64_t pc;

	snap_at_exit(s, v, idx, &at_exit);
	pc = at_exit.val[SNAP_PC];
	if (!s->a32) {
		/* AArch64: a new entry point, a "b" back to where the call returns */
		uint64_t entry = s->code + 0x800;

		CHECK((uint64_t)s->nr * 19 * 4 + 8 <= 0x800, "CPU_ON: script too long");
		*(uint32_t *)(s->mem + 0x800) = 0x14000000u | ((pc - entry) >> 2 & 0x3ffffff);
		pc = at_exit.val[SNAP_PC] = entry;
	}
	vcpu__set_mp_state(v, KVM_MP_STATE_STOPPED);
	scribble(v);
	vcpu__set_reg(v, REG_PC, pc);
	for (int j = 0; j < 4; j++)
		vcpu__set_reg(v, REG_X(j), answer32(s, idx, j));
	vcpu__set_mp_state(v, KVM_MP_STATE_RUNNABLE);
	CHECK(!ioctl(v->fd, KVM_GET_MP_STATE, &mp) && mp.mp_state == KVM_MP_STATE_RUNNABLE,
	      "CPU_ON: mp_state %u", mp.mp_state);
	/* x4-x17: CPU_OFF's arguments, left by the copy before STOPPED */
	check_completed(s, v, &at_exit, idx, "after CPU_ON (SET_ONE_REG pc, x0-x3, MP_STATE)");
	run_immediate(v, "CPU_ON");
	check_completed(s, v, &at_exit, idx, "after CPU_ON and KVM_RUN");
}

/* Documented migration: complete, save everything, restore into a new VM */
static void hook_migrate(struct script *s, struct vcpu *v, int idx)
{
	struct snap at_exit, saved;
	uint8_t *mem = malloc(s->size);

	CHECK(mem, "out of memory");
	snap_at_exit(s, v, idx, &at_exit);
	run_immediate(v, "migration");
	snap_take(v, &saved);
	memcpy(mem, s->mem, s->size);
	vm__destroy(&vm);

	vm_new(&vm);
	vm_setup_caps(&vm, ALL_CONDUITS, false);
	vcpu_new(&vm, 0, false);	/* vm.vcpus[0] again: v */
	s->mem = vm__add_ram(&vm, SCRIPT_GPA, s->size);
	memcpy(s->mem, mem, s->size);
	free(mem);
	snap_restore(v, &saved);
	check_completed(s, v, &at_exit, idx, "on the destination");
}

static void hook_exit_reason(struct script *s, struct vcpu *v, int idx)
{
	(void)s;
	v->run->exit_reason = idx % 2 ? KVM_EXIT_MMIO : KVM_EXIT_UNKNOWN;
}

/* A reset drops the exit; the VMM then answers by KVM_SET_ONE_REG */
static void hook_reset(struct script *s, struct vcpu *v, int idx)
{
	struct snap at_exit;

	snap_at_exit(s, v, idx, &at_exit);
	vcpu__reset(v);
	for (int j = 0; j < VMM_HC_NR_REGS; j++)
		CHECK(!vcpu__get_reg(v, REG_X(j)), "x%d not 0 after the reset", j);
	run_immediate(v, "after a reset");
	for (int j = 0; j < VMM_HC_NR_REGS; j++)
		CHECK(!vcpu__get_reg(v, REG_X(j)),
		      "x%d not 0 after reset + KVM_RUN: the dropped exit was applied", j);
	at_exit.val[SNAP_X(0)] = script_answer(idx, 0);
	at_exit.val[SNAP_X(1)] = script_answer(idx, 1);
	at_exit.val[SNAP_X(2)] = script_answer(idx, 2);
	at_exit.val[SNAP_X(3)] = script_answer(idx, 3);
	snap_restore(v, &at_exit);
	scribble(v);
}

static const struct {
	const char *name;
	script_hook hook;
	bool a32, thumb, psci;
} cases[] = {
	{ "KVM_RUN with immediate_exit, 3 times", hook_immediate, false, false, false },
	{ "KVM_RUN with immediate_exit, AArch32 A32", hook_immediate, true, false, false },
	{ "KVM_RUN with immediate_exit, AArch32 T32", hook_immediate, true, true, false },
	{ "KVM_RUN interrupted by a pending signal", hook_signal, false, false, false },
	{ "KVM_RUN from another thread", hook_thread, false, false, false },
	{ "answered upstream's way: KVM_SET_ONE_REG x0-x3", hook_upstream_way, false, false, false },
	{ "answered upstream's way, AArch32 A32", hook_upstream_way, true, false, false },
	{ "KVM_SET_ONE_REG before completion: completes first, the write wins",
	  hook_set_one_reg, false, false, false },
	{ "restore of all registers before completion: the restored values win",
	  hook_save_restore, false, false, false },
	{ "KVM_SET_MP_STATE completes the exit first", hook_mp_state, false, false, false },
	{ "KVM_SET_VCPU_EVENTS completes the exit first", hook_vcpu_events, false, false, false },
	{ "CPU_ON of a vCPU with its CPU_OFF exit pending: pc and x0 kept",
	  hook_cpu_on, false, false, true },
	{ "CPU_ON of a vCPU with its CPU_OFF exit pending, AArch32 T32",
	  hook_cpu_on, true, true, true },
	{ "migration: complete, save, restore in a new VM", hook_migrate, false, false, false },
	{ "run->exit_reason overwritten before re-entry", hook_exit_reason, false, false, false },
	{ "vCPU reset drops the pending exit", hook_reset, false, false, false },
};

static void run_case(int n)
{
	static const uint32_t a64[] = { A64_HVC(0), A64_SMC(0), A64_HVC(7), A64_SMC(0x8000) };
	static const uint32_t a32[] = { A32_HVC(0), A32_SMC(A32_COND_AL, 0), A32_HVC(0xbeef) };
	static const uint32_t t32[] = { T32_HVC(0), T32_SMC(0), T32_HVC(0xbeef) };
	struct scall calls[NR_CALLS] = {};
	struct script s = { .a32 = cases[n].a32, .thumb = cases[n].thumb, .nr = NR_CALLS,
			    .calls = calls, .hook = cases[n].hook };
	struct vcpu *v;

	vm_new(&vm);
	vm_setup_caps(&vm, ALL_CONDUITS, cases[n].psci);
	v = vcpu_new(&vm, 0, s.a32);
	for (int i = 0; i < NR_CALLS; i++) {
		calls[i].insn = !s.a32 ? a64[i % 4] : s.thumb ? t32[i % 3] : a32[i % 3];
		calls[i].cond = A32_COND_AL;
		calls[i].in[0] = cases[n].psci ? FID_PSCI_CPU_OFF : s.a32 ? FID_SIP32 : FID_SIP;
		for (int j = 1; j < VMM_HC_NR_REGS; j++)
			calls[i].in[j] = s.a32 ? (uint32_t)rnd() : rnd();
		calls[i].fwd = true;
	}
	script_load(&s, v);
	script_run(&s, v);
	script_check(&s);
	note("ok %d - %s: %d calls, each applied once", n + 1, cases[n].name, NR_CALLS);
	vm__destroy(&vm);
}

int complete_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	rnd_seed(0xc0313);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(i);
	note("PASS: %zu completion cases", ARRAY_SIZE(cases));
	return 0;
}
