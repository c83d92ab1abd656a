// SPDX-License-Identifier: GPL-2.0
/*
 * robust complete: what the sync-regs bits mean (SPEC v3 §2, api.rst
 * KVM_CAP_SYNC_REGS for arm64), whatever the VMM does between a forwarded
 * call's exit and the guest's next instruction. The answer is written to
 * s.regs.regs with KVM_SYNC_ARM64_REGS in kvm_dirty_regs (script.c): it is
 * loaded by the next KVM_RUN, all of it, once, and the bit cleared; until
 * then KVM_GET_ONE_REG sees the call's arguments. Without the bit nothing
 * written to s.regs has an effect. No other ioctl loads or drops it:
 *
 *  - KVM_RUN with immediate_exit (3 times, s.regs scribbled over without
 *    the bit in between), AArch64, A32 and T32;
 *  - a KVM_RUN that a pending signal interrupts before guest entry;
 *  - KVM_RUN from another thread;
 *  - the answer given upstream's way: the bit cleared, s.regs scribbled
 *    over, KVM_SET_ONE_REG x0-x3 (AArch64 and A32);
 *  - KVM_SET_ONE_REG x0/x20 while the bit is set: the write takes effect
 *    at once, and the next KVM_RUN loads s.regs over it;
 *  - a restore of every register a VMM saves (the bit cleared, s.regs
 *    scribbled): what was restored wins;
 *  - KVM_SET_MP_STATE, KVM_SET_VCPU_EVENTS with the bit set: nothing
 *    loaded by them, the next KVM_RUN loads it;
 *  - CPU_ON of a vCPU whose PSCI CPU_OFF exit is pending (PSCI_TO_USER):
 *    the bit cleared, KVM_SET_MP_STATE(STOPPED), KVM_SET_ONE_REG pc and
 *    x0-x3, KVM_SET_MP_STATE(RUNNABLE): the new pc and x0 are kept;
 *  - a migration: KVM_RUN with immediate_exit, save, restore in a new VM;
 *  - run->exit_reason overwritten before re-entry;
 *  - a vCPU reset (KVM_ARM_VCPU_INIT) with the bit cleared (vmm/'s
 *    vcpu__reset): nothing loaded; with the bit left set: the next KVM_RUN
 *    loads s.regs over the reset state (the bit is userspace's);
 *  - a vCPU that sets no bit (upstream's VMM): upstream's exit, s.regs
 *    never written by KVM, answers by KVM_SET_ONE_REG (AArch64, A32).
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

	CHECK(!(v->run->kvm_dirty_regs & KVM_SYNC_ARM64_REGS),
	      "%s, call %d: KVM_SYNC_ARM64_REGS still in kvm_dirty_regs", how, idx);
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

/* Garbage in s.regs.regs without the bit: must never reach the vCPU */
static void scribble(struct vcpu *v)
{
	v->run->kvm_dirty_regs &= ~KVM_SYNC_ARM64_REGS;
	memset(sync_regs(v), 0xee, sizeof(struct user_pt_regs));
}

/* The VMM changes its mind: the answer in s.regs is not to be loaded */
static void drop(struct vcpu *v)
{
	v->run->kvm_dirty_regs &= ~KVM_SYNC_ARM64_REGS;
}

static void run_immediate(struct vcpu *v, const char *how)
{
	int ret = vcpu_try_run(v, true);

	CHECK(ret == -EINTR, "%s: KVM_RUN with immediate_exit: %d (expected: -EINTR)", how, ret);
	sync_regs_check(v, how);	/* copied out at -EINTR too */
}

/*
 * At the hook, with the answer in s.regs and the bit set (script.c), not
 * loaded yet: x0-x17 still hold the call's arguments
 */
static void snap_at_exit(struct script *s, struct vcpu *v, int idx, struct snap *at_exit)
{
	CHECK(s->upstream || v->run->kvm_dirty_regs == KVM_SYNC_ARM64_REGS,
	      "call %d: kvm_dirty_regs 0x%llx after the answer", idx,
	      (unsigned long long)v->run->kvm_dirty_regs);
	snap_take(v, at_exit);
	for (int j = 0; j < (s->a32 ? 8 : VMM_HC_NR_REGS); j++) {
		uint64_t want = s->a32 ? (uint32_t)s->calls[idx].in[j] : s->calls[idx].in[j];

		CHECK(at_exit->val[SNAP_X(j)] == want, "call %d: x%d 0x%llx before KVM_RUN "
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
 * Upstream's way after all: the bit cleared, s.regs scribbled over, the
 * results written with KVM_SET_ONE_REG. The guest must get exactly those.
 */
static void hook_upstream_way(struct script *s, struct vcpu *v, int idx)
{
	struct snap at_exit;

	snap_at_exit(s, v, idx, &at_exit);
	scribble(v);
	for (int j = 0; j < 4; j++)
		CHECK(!reg_set(v, REG_X(j), answer32(s, idx, j)), "KVM_SET_ONE_REG x%d", j);
	check_completed(s, v, &at_exit, idx, "after KVM_SET_ONE_REG x0-x3 (upstream's way)");
	run_immediate(v, "upstream's way");
	check_completed(s, v, &at_exit, idx, "after KVM_SET_ONE_REG x0-x3 and KVM_RUN");
}

/*
 * KVM_SET_ONE_REG while the bit is set: the write takes effect at once
 * (a read sees it), nothing is loaded by it, and the next KVM_RUN loads
 * all of s.regs.regs over it: x0 gets the answer, x20 its value at the
 * exit again.
 */
static void hook_set_one_reg(struct script *s, struct vcpu *v, int idx)
{
	struct snap at_exit;

	snap_at_exit(s, v, idx, &at_exit);
	CHECK(!reg_set(v, REG_X(0), 0xdead00000000dead) && !reg_set(v, REG_X(20), 0x2020),
	      "KVM_SET_ONE_REG x0, x20");
	CHECK(reg(v, REG_X(0)) == 0xdead00000000dead && reg(v, REG_X(20)) == 0x2020 &&
	      reg(v, REG_X(1)) == at_exit.val[SNAP_X(1)],
	      "KVM_SET_ONE_REG x0, x20 with the bit set: x0 0x%llx x1 0x%llx x20 0x%llx "
	      "(expected: the writes, x1 the argument)", (unsigned long long)reg(v, REG_X(0)),
	      (unsigned long long)reg(v, REG_X(1)), (unsigned long long)reg(v, REG_X(20)));
	CHECK(v->run->kvm_dirty_regs & KVM_SYNC_ARM64_REGS, "KVM_SET_ONE_REG cleared the bit");
	run_immediate(v, "KVM_SET_ONE_REG with the bit set");
	check_completed(s, v, &at_exit, idx, "after KVM_SET_ONE_REG x0, x20 with the bit set, "
			"and KVM_RUN (s.regs loaded over them)");
	scribble(v);
}

/*
 * A VMM restoring a saved state, with the answer in it, instead of loading
 * s.regs: the bit cleared, garbage in s.regs; every register is what was
 * restored, before and after the next KVM_RUN.
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
	snap_restore(v, &saved, false);
	check_completed(s, v, &at_exit, idx, "after a restore");
	run_immediate(v, "save/restore");
	check_completed(s, v, &at_exit, idx, "after a restore and KVM_RUN");
}

/* Still pending after an ioctl that is not KVM_RUN: the arguments, the bit */
static void check_pending(struct vcpu *v, const struct snap *at_exit, int idx, const char *how)
{
	struct snap now;

	CHECK(v->run->kvm_dirty_regs & KVM_SYNC_ARM64_REGS,
	      "%s, call %d: KVM_SYNC_ARM64_REGS no longer in kvm_dirty_regs", how, idx);
	snap_take(v, &now);
	snap_same(at_exit, &now, how);
}

static void hook_mp_state(struct script *s, struct vcpu *v, int idx)
{
	struct snap at_exit;

	snap_at_exit(s, v, idx, &at_exit);
	vcpu__set_mp_state(v, KVM_MP_STATE_RUNNABLE);
	check_pending(v, &at_exit, idx, "KVM_SET_MP_STATE with the bit set");
	run_immediate(v, "KVM_SET_MP_STATE");
	check_completed(s, v, &at_exit, idx, "after KVM_SET_MP_STATE and KVM_RUN");
	scribble(v);
}

static void hook_vcpu_events(struct script *s, struct vcpu *v, int idx)
{
	struct kvm_vcpu_events ev;
	struct snap at_exit;

	snap_at_exit(s, v, idx, &at_exit);
	CHECK(!ioctl(v->fd, KVM_GET_VCPU_EVENTS, &ev), "KVM_GET_VCPU_EVENTS: %m");
	CHECK(!ioctl(v->fd, KVM_SET_VCPU_EVENTS, &ev), "KVM_SET_VCPU_EVENTS: %m");
	check_pending(v, &at_exit, idx, "KVM_SET_VCPU_EVENTS with the bit set");
	run_immediate(v, "KVM_SET_VCPU_EVENTS");
	check_completed(s, v, &at_exit, idx, "after KVM_SET_VCPU_EVENTS and KVM_RUN");
	scribble(v);
}

/*
 * The calls are PSCI CPU_OFF, forwarded by PSCI_TO_USER. CPU_OFF does not
 * return: the VMM drops the answer (clears the bit), parks the vCPU, then
 * restarts it the way api.rst says a CPU_ON is done: the entry point in pc
 * (AArch64: a branch back to the call's return address, so that the script
 * goes on), the context ID in x0 (here: the results x0-x3), then RUNNABLE.
 * s.regs holds garbage: loading it anyway would show.
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
	drop(v);
	vcpu__set_mp_state(v, KVM_MP_STATE_STOPPED);
	scribble(v);
	CHECK(!reg_set(v, REG_PC, pc), "KVM_SET_ONE_REG pc");
	for (int j = 0; j < 4; j++)
		CHECK(!reg_set(v, REG_X(j), answer32(s, idx, j)), "KVM_SET_ONE_REG x%d", j);
	vcpu__set_mp_state(v, KVM_MP_STATE_RUNNABLE);
	CHECK(!ioctl(v->fd, KVM_GET_MP_STATE, &mp) && mp.mp_state == KVM_MP_STATE_RUNNABLE,
	      "CPU_ON: mp_state %u", mp.mp_state);
	/* x4-x17: CPU_OFF's arguments, as the call left them */
	check_completed(s, v, &at_exit, idx, "after CPU_ON (SET_ONE_REG pc, x0-x3, MP_STATE)");
	run_immediate(v, "CPU_ON");
	check_completed(s, v, &at_exit, idx, "after CPU_ON and KVM_RUN");
}

/* Migration: load the answer (KVM_RUN), save everything, restore into a new VM */
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
	snap_restore(v, &saved, true);
	check_completed(s, v, &at_exit, idx, "on the destination");
}

static void hook_exit_reason(struct script *s, struct vcpu *v, int idx)
{
	(void)s;
	v->run->exit_reason = idx % 2 ? KVM_EXIT_MMIO : KVM_EXIT_UNKNOWN;
}

/*
 * A reset the VMM's way (vmm/'s vcpu__reset: the bit cleared, then
 * KVM_ARM_VCPU_INIT): nothing loaded; the VMM then restores the state at
 * the exit with the answer in it
 */
static void hook_reset(struct script *s, struct vcpu *v, int idx)
{
	struct snap at_exit;

	snap_at_exit(s, v, idx, &at_exit);
	vcpu__reset(v);
	for (int j = 0; j < VMM_HC_NR_REGS; j++)
		CHECK(!reg(v, REG_X(j)), "x%d not 0 after the reset", j);
	run_immediate(v, "after a reset");
	for (int j = 0; j < VMM_HC_NR_REGS; j++)
		CHECK(!reg(v, REG_X(j)),
		      "x%d not 0 after reset + KVM_RUN: the dropped answer was loaded", j);
	for (int j = 0; j < 4; j++)
		at_exit.val[SNAP_X(j)] = answer32(s, idx, j);
	snap_restore(v, &at_exit, false);
	scribble(v);
}

/*
 * KVM_ARM_VCPU_INIT with the bit left set: the reset happens (x0-x17 0),
 * and the next KVM_RUN loads s.regs.regs over it, the answer and the
 * state at the exit (pc, pstate) with it: the bit is userspace's, no
 * ioctl but KVM_RUN touches it. The EL1 registers stay reset.
 */
static void hook_reset_dirty(struct script *s, struct vcpu *v, int idx)
{
	struct kvm_vcpu_init init = {};
	struct snap at_exit;

	snap_at_exit(s, v, idx, &at_exit);
	CHECK(!ioctl(vm.vm_fd, KVM_ARM_PREFERRED_TARGET, &init), "KVM_ARM_PREFERRED_TARGET: %m");
	init.features[0] = v->features;
	CHECK(!ioctl(v->fd, KVM_ARM_VCPU_INIT, &init), "KVM_ARM_VCPU_INIT: %m");
	for (int j = 0; j < VMM_HC_NR_REGS; j++)
		CHECK(!reg(v, REG_X(j)), "x%d not 0 after the reset", j);
	CHECK(v->run->kvm_dirty_regs & KVM_SYNC_ARM64_REGS, "KVM_ARM_VCPU_INIT cleared the bit");
	for (int i = SNAP_PC + 2; i < SNAP_PC + 5; i++)	/* sp_el1, elr_el1, spsr_el1 */
		at_exit.val[i] = reg(v, at_exit.id[i]);
	run_immediate(v, "KVM_ARM_VCPU_INIT with the bit set");
	check_completed(s, v, &at_exit, idx, "after KVM_ARM_VCPU_INIT with the bit set and KVM_RUN");
	scribble(v);
}

/* How a case's VM and guest are set up */
#define A32		(1u << 0)	/* AArch32 EL1 */
#define T32		(1u << 1)	/* with A32: Thumb code */
#define PSCI		(1u << 2)	/* PSCI_TO_USER, the calls are CPU_OFF */
#define UPSTREAM	(1u << 3)	/* no sync-regs bit (script.c: s->upstream) */

static const struct {
	const char *name;
	script_hook hook;
	unsigned int how;
} cases[] = {
	{ "KVM_RUN with immediate_exit loads s.regs once, 3 times", hook_immediate, 0 },
	{ "KVM_RUN with immediate_exit, AArch32 A32", hook_immediate, A32 },
	{ "KVM_RUN with immediate_exit, AArch32 T32", hook_immediate, A32 | T32 },
	{ "KVM_RUN interrupted by a pending signal loads s.regs", hook_signal, 0 },
	{ "KVM_RUN from another thread loads s.regs", hook_thread, 0 },
	{ "upstream's way instead: bit cleared, KVM_SET_ONE_REG x0-x3", hook_upstream_way, 0 },
	{ "upstream's way instead, AArch32 A32", hook_upstream_way, A32 },
	{ "KVM_SET_ONE_REG with the bit set: at once, then s.regs loaded over it",
	  hook_set_one_reg, 0 },
	{ "restore of all registers, bit cleared: the restored values win", hook_save_restore, 0 },
	{ "KVM_SET_MP_STATE with the bit set loads nothing", hook_mp_state, 0 },
	{ "KVM_SET_VCPU_EVENTS with the bit set loads nothing", hook_vcpu_events, 0 },
	{ "CPU_ON of a vCPU with its CPU_OFF exit pending: pc and x0 kept", hook_cpu_on, PSCI },
	{ "CPU_ON of a vCPU with its CPU_OFF exit pending, AArch32 T32", hook_cpu_on,
	  PSCI | A32 | T32 },
	{ "migration: KVM_RUN, save, restore in a new VM", hook_migrate, 0 },
	{ "run->exit_reason overwritten before re-entry", hook_exit_reason, 0 },
	{ "vCPU reset, bit cleared: nothing loaded", hook_reset, 0 },
	{ "vCPU reset, bit left set: the next KVM_RUN loads s.regs", hook_reset_dirty, 0 },
	{ "no sync-regs bit: upstream's exit, s.regs never written", NULL, UPSTREAM },
	{ "no sync-regs bit, AArch32 A32", NULL, UPSTREAM | A32 },
};

static void run_case(int n)
{
	static const uint32_t a64[] = { A64_HVC(0), A64_SMC(0), A64_HVC(7), A64_SMC(0x8000) };
	static const uint32_t a32[] = { A32_HVC(0), A32_SMC(A32_COND_AL, 0), A32_HVC(0xbeef) };
	static const uint32_t t32[] = { T32_HVC(0), T32_SMC(0), T32_HVC(0xbeef) };
	struct scall calls[NR_CALLS] = {};
	unsigned int how = cases[n].how;
	struct script s = { .a32 = how & A32, .thumb = how & T32, .nr = NR_CALLS,
			    .calls = calls, .hook = cases[n].hook, .upstream = how & UPSTREAM };
	struct vcpu *v;

	vm_new(&vm);
	vm_setup_caps(&vm, ALL_CONDUITS, how & PSCI);
	v = vcpu_new(&vm, 0, s.a32);
	if (s.upstream)		/* kvm_valid_regs 0: what a VMM of upstream's gets */
		smccc__set_regs(v, VMM_REGS_ONEREG);
	for (int i = 0; i < NR_CALLS; i++) {
		calls[i].insn = !s.a32 ? a64[i % 4] : s.thumb ? t32[i % 3] : a32[i % 3];
		calls[i].cond = A32_COND_AL;
		calls[i].in[0] = how & PSCI ? FID_PSCI_CPU_OFF : s.a32 ? FID_SIP32 : FID_SIP;
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
	note("PASS: %zu sync-regs cases", ARRAY_SIZE(cases));
	return 0;
}
