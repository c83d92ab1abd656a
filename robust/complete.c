// SPDX-License-Identifier: GPL-2.0
/*
 * robust complete: a pending KVM_EXIT_HYPERCALL is applied exactly once,
 * to the registers of the call that made it, whatever the VMM does between
 * the exit and the next KVM_RUN that enters the guest:
 *
 *  - KVM_RUN with immediate_exit (3 times, the run struct scribbled over
 *    in between), AArch64 and AArch32;
 *  - a KVM_RUN that a pending signal interrupts before guest entry;
 *  - KVM_RUN from another thread;
 *  - a save/restore of every core and firmware register before the
 *    exit is completed (documented: the copy overwrites x0-x17), and a
 *    register written before completion outside x0-x17 (kept);
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
	int width = s->a32 ? 8 : NR_REGS;

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
	for (int i = 0; i < NR_SNAP; i++)
		CHECK(now.val[i] == want_after(s, at_exit, idx, i),
		      "%s, call %d: %s 0x%llx (expected: 0x%llx)", how, idx, snap_name(i),
		      (unsigned long long)now.val[i],
		      (unsigned long long)want_after(s, at_exit, idx, i));
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
	for (int j = 0; j < (s->a32 ? 8 : NR_REGS); j++) {
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
 * A VMM that saves and restores all registers before completing: the copy
 * wins for x0-x17 (documented), whatever it wrote; other registers keep
 * what it wrote.
 */
static void hook_save_restore(struct script *s, struct vcpu *v, int idx)
{
	struct snap at_exit, saved;

	snap_at_exit(s, v, idx, &at_exit);
	saved = at_exit;
	snap_restore(v, &saved);
	vcpu__set_reg(v, REG_X(5), 0x5555);
	vcpu__set_reg(v, REG_X(20), 0x2020);
	at_exit.val[SNAP_X(20)] = 0x2020;
	run_immediate(v, "save/restore");
	check_completed(s, v, &at_exit, idx, "after save/restore before completion");
	scribble(v);
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
	for (int j = 0; j < NR_REGS; j++)
		CHECK(!vcpu__get_reg(v, REG_X(j)), "x%d not 0 after the reset", j);
	run_immediate(v, "after a reset");
	for (int j = 0; j < NR_REGS; j++)
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
	bool a32, thumb;
} cases[] = {
	{ "KVM_RUN with immediate_exit, 3 times", hook_immediate, false, false },
	{ "KVM_RUN with immediate_exit, AArch32 A32", hook_immediate, true, false },
	{ "KVM_RUN with immediate_exit, AArch32 T32", hook_immediate, true, true },
	{ "KVM_RUN interrupted by a pending signal", hook_signal, false, false },
	{ "KVM_RUN from another thread", hook_thread, false, false },
	{ "save/restore of all registers before completion", hook_save_restore, false, false },
	{ "migration: complete, save, restore in a new VM", hook_migrate, false, false },
	{ "run->exit_reason overwritten before re-entry", hook_exit_reason, false, false },
	{ "vCPU reset drops the pending exit", hook_reset, false, false },
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
	vm_setup_caps(&vm, ALL_CONDUITS, false);
	v = vcpu_new(&vm, 0, s.a32);
	for (int i = 0; i < NR_CALLS; i++) {
		calls[i].insn = !s.a32 ? a64[i % 4] : s.thumb ? t32[i % 3] : a32[i % 3];
		calls[i].cond = A32_COND_AL;
		calls[i].in[0] = s.a32 ? FID_SIP32 : FID_SIP;
		for (int j = 1; j < NR_REGS; j++)
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
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(i);
	note("PASS: %zu completion cases", sizeof(cases) / sizeof(cases[0]));
	return 0;
}
