// SPDX-License-Identifier: GPL-2.0
/*
 * robust stress: vCPUs making forwarded calls as fast as they can while a
 * thread keeps interrupting KVM_RUN with SIGUSR1 (vmm/vcpu.c's kick,
 * whose handler sets immediate_exit). With -m PERIOD the odd-numbered
 * vCPUs also make a call KVM answers itself before every PERIOD-th
 * forwarded one, side by side with the even ones' pure forwarding. guest_stress.S checks every result (it depends on the
 * vCPU, the call's sequence number, its argument and how it was made) and
 * reports its totals; the VMM checks every exit.
 *
 * Exactly once: the guest numbers its calls, each vCPU's exits must come
 * in order with no gap (lost) or repeat (duplicate) and from that vCPU
 * (misrouted). The answer goes back in s.regs.regs with
 * KVM_SYNC_ARM64_REGS in kvm_dirty_regs (SPEC v3 §2). After every KVM_RUN
 * that returns -EINTR the bit must be clear (that KVM_RUN loaded any
 * pending answer) and the VMM scribbles over s.regs.regs without it: a
 * second load would hand the guest garbage. Every 97th exit the VMM kicks
 * itself before re-entering, so some answers are always loaded by a
 * KVM_RUN that returns -EINTR at once. Every 5th exit the VMM answers
 * upstream's way instead (x0-x3 by KVM_SET_ONE_REG, the bit cleared,
 * s.regs scribbled over: it must have no effect), every 5th + 1 it does
 * KVM_SET_MP_STATE(RUNNABLE) with the bit set (which must load nothing and
 * drop nothing). Meanwhile a thread tries to reconfigure the VM (filter,
 * caps: -EBUSY) and reads HANDLED_NR through the vCPU fds.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "robust.h"
#include "robust_abi.h"

#define MAX_VCPUS	8
#define SELF_KICK	97

extern const uint8_t stress_guest[], stress_guest_end[];

static struct sv {
	struct vcpu *v;
	uint64_t next_seq, exits, eintr, eintr_pending, self_kicks, by_set_reg, by_mp_state;
	uint64_t report[8];	/* x0..x7 of STRESS_REPORT */
	bool done;
	char fail[200];
} sv[MAX_VCPUS];

static int nr_vcpus = 4;
static uint64_t nr_calls = 100000, period;
static pthread_barrier_t barrier;
static volatile int stop;

/* The odd vCPUs mix in-kernel calls in, the even ones only forward */
static uint64_t mix_period(int vcpu)
{
	return vcpu % 2 ? period : 0;
}

static uint64_t expected_x1(uint64_t arg, uint64_t seq, uint64_t vcpu, uint64_t kind)
{
	return (arg * STRESS_MUL) ^ seq << 16 ^ vcpu << 8 ^ kind;
}

static bool sv_fail(struct sv *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool sv_fail(struct sv *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->fail, sizeof(s->fail), fmt, ap);
	va_end(ap);
	s->done = true;
	stop = 1;
	return false;
}

/* Garbage for the exit's ignored fields (rnd() is not thread-safe) */
static uint64_t all_ones(void)
{
	return ~0ull;
}

/* One forwarded call: check it is the next one of this vCPU, answer it */
static bool handle_call(struct sv *s, struct vmm_hypercall *hc)
{
	uint64_t seq = hc->regs[2], kind, base;
	bool smc = hc->flags & VMM_HC_SMC;

	if (hc->regs[1] != (uint64_t)s->v->id)
		return sv_fail(s, "misrouted: exit of vcpu%llu (seq %llu) on vcpu%d",
			       (unsigned long long)hc->regs[1], (unsigned long long)seq, s->v->id);
	if (seq != s->next_seq)
		return sv_fail(s, "%s: exit for seq %llu, expected seq %llu",
			       seq < s->next_seq ? "duplicate" : "lost call(s)",
			       (unsigned long long)seq, (unsigned long long)s->next_seq);
	kind = (smc ? 1 : 0) | (hc->imm ? 2 : 0);
	if (kind != (seq & 3) || hc->imm != (kind == 2 ? STRESS_IMM_HVC :
					     kind == 3 ? STRESS_IMM_SMC : 0))
		return sv_fail(s, "seq %llu: flags 0x%x imm 0x%x, not how it was made",
			       (unsigned long long)seq, hc->flags, hc->imm);
	base = (uint64_t)s->v->id << 48 | seq << 8;
	if (s->v->run->kvm_dirty_regs)
		return sv_fail(s, "seq %llu: kvm_dirty_regs 0x%llx at the exit (the KVM_RUN that "
			       "loaded them clears the bit)", (unsigned long long)seq,
			       (unsigned long long)s->v->run->kvm_dirty_regs);
	for (int j = 4; j < VMM_HC_NR_REGS; j++)
		if (hc->regs[j] != base + j)
			return sv_fail(s, "seq %llu: regs[%d] 0x%llx (expected: 0x%llx)",
				       (unsigned long long)seq, j,
				       (unsigned long long)hc->regs[j],
				       (unsigned long long)(base + j));
	s->next_seq++;
	hc->regs[0] = 0;
	hc->regs[1] = expected_x1(hc->regs[3], seq, s->v->id, kind);
	hc->regs[2] = ~seq;
	hc->regs[3] = s->v->id;
	/* to be loaded at the next KVM_RUN; the rest is ignored on re-entry */
	smccc__answer(s->v, hc);
	fill_ignored(s->v, all_ones);
	return true;
}

static void *vcpu_thread(void *arg)
{
	struct sv *s = arg;
	struct kvm_run *run = s->v->run;
	uint64_t *regs = (uint64_t *)run->s.regs.regs.regs;
	struct vmm_hypercall hc;
	bool pending = false;

	vcpu__bind_thread(s->v);
	pthread_barrier_wait(&barrier);
	while (!s->done && !stop) {
		if (vcpu__run(s->v)) {
			s->eintr++;
			s->eintr_pending += pending;
			pending = false;
			if (run->kvm_dirty_regs) {
				sv_fail(s, "KVM_RUN -EINTR left kvm_dirty_regs 0x%llx",
					(unsigned long long)run->kvm_dirty_regs);
				break;
			}
			memset(regs, 0xee, VMM_HC_NR_REGS * sizeof(*regs));	/* loaded: stale now */
			continue;
		}
		pending = false;
		if (!smccc__exit(s->v, &hc)) {
			sv_fail(s, "unexpected exit reason %u", s->v->run->exit_reason);
			break;
		}
		s->exits++;
		if (hc.regs[0] == STRESS_REPORT && !hc.imm) {
			memcpy(s->report, hc.regs, sizeof(s->report));
			s->done = true;
			break;
		}
		if (hc.regs[0] != STRESS_FID) {
			sv_fail(s, "exit for x0 0x%llx imm 0x%x: only STRESS_FID may exit",
				(unsigned long long)hc.regs[0], hc.imm);
			break;
		}
		if (!handle_call(s, &hc))
			break;
		pending = true;
		/*
		 * Every 5th exit: upstream's way instead, x0-x3 by
		 * KVM_SET_ONE_REG (raw: vmm/'s would load the bit first), the
		 * bit cleared, garbage in s.regs that must never reach the
		 * guest. Every 5th + 1: KVM_SET_MP_STATE(RUNNABLE) with the
		 * bit set, which must neither load nor drop it.
		 */
		if ((s->exits % 5 == 1 || s->exits % 5 == 2) && s->exits % SELF_KICK) {
			if (s->exits % 5 == 1) {
				run->kvm_dirty_regs = 0;
				for (int j = 0; j < 4; j++)
					if (reg_set(s->v, REG_X(j), regs[j]))
						sv_fail(s, "KVM_SET_ONE_REG x%d: %m", j);
				memset(regs, 0xee, VMM_HC_NR_REGS * sizeof(*regs));
				s->by_set_reg++;
				pending = false;
			} else {
				vcpu__set_mp_state(s->v, KVM_MP_STATE_RUNNABLE);
				s->by_mp_state++;
			}
		}
		if (s->exits % SELF_KICK == 0) {
			vcpu__kick(s->v);
			s->self_kicks++;
		}
	}
	return NULL;
}

static bool all_done(void)
{
	for (int i = 0; i < nr_vcpus; i++)
		if (!__atomic_load_n(&sv[i].done, __ATOMIC_RELAXED))
			return false;
	return true;
}

static uint64_t kicker(long interval_us)
{
	struct timespec ts = { 0, interval_us * 1000 };
	uint64_t kicks = 0;

	while (!all_done() && !stop) {
		for (int i = 0; i < nr_vcpus; i++) {
			if (!__atomic_load_n(&sv[i].done, __ATOMIC_RELAXED)) {
				vcpu__kick(sv[i].v);
				kicks++;
			}
		}
		nanosleep(&ts, NULL);
	}
	return kicks;
}

/*
 * While the vCPUs run: the VM's configuration ioctls, which must all be
 * refused with -EBUSY (a filter range, either cap), and HANDLED_NR read
 * through a vCPU fd in turn (it must not change), racing the dispatch,
 * the completions and the kicks (config_lock, vcpu->mutex, the filter's
 * RCU walk: lockdep on the debug kernel).
 */
static uint64_t config_ops;
static char config_fail[160];

/* Has every vCPU come back from its first KVM_RUN? */
static bool all_ran(void)
{
	for (int i = 0; i < nr_vcpus; i++)
		if (!__atomic_load_n(&sv[i].exits, __ATOMIC_RELAXED))
			return false;
	return true;
}

static void *config_thread(void *arg)
{
	uint64_t nr0 = (uintptr_t)arg, nr;
	struct timespec ts = { 0, 200 * 1000 };

	/* Until a vCPU ran, the configuration may change: that is not our case */
	while (!all_ran() && !all_done() && !stop)
		nanosleep(&ts, NULL);
	for (int i = 0; !all_done() && !stop; i++) {
		struct vcpu *v = sv[i % nr_vcpus].v;
		int r1 = vm_filter(&vm, 0xc2000100u, 1, 1);
		int r2 = __vm__enable_cap(&vm, KVM_CAP_ARM_HYPERCALL_TO_USER, 0, ALL_CONDUITS,
					  0, 0, 0);
		int r3 = __vm__enable_cap(&vm, KVM_CAP_ARM_PSCI_TO_USER, 0, 1, 0, 0, 0);
		/* raw: vmm/'s would load a pending answer first, from this thread */
		int r4 = reg_get(v, KVM_REG_ARM_FW_HANDLED_NR, &nr);

		if (r1 != -EBUSY || r2 != -EBUSY || r3 != -EBUSY || r4 || nr != nr0) {
			snprintf(config_fail, sizeof(config_fail), "while running: filter %d, "
				 "caps %d %d (expected: -EBUSY), HANDLED_NR %d/%llu (expected: "
				 "0/%llu)", r1, r2, r3, r4, (unsigned long long)nr,
				 (unsigned long long)nr0);
			stop = 1;
			break;
		}
		config_ops += 4;
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static void create(void)
{
	uint8_t *ram;

	vm_new(&vm);
	ram = vm__add_ram(&vm, STRESS_GPA, STRESS_RAM);
	memcpy(ram, stress_guest, stress_guest_end - stress_guest);
	/* PSCI and the other services in KVM: they are the mixed-in calls */
	vm_setup_caps(&vm, ALL_CONDUITS, false);
	for (int i = 0; i < nr_vcpus; i++) {
		struct vcpu *v = sv[i].v = vcpu_new(&vm, i, false);

		/* all of them start at once, at the guest's first instruction */
		vcpu__set_mp_state(v, KVM_MP_STATE_RUNNABLE);
		vcpu__set_reg(v, REG_PC, STRESS_GPA);
		/* x0: calls to make, x1: period of the in-kernel calls (0: none) */
		vcpu__set_reg(v, REG_X(0), nr_calls);
		vcpu__set_reg(v, REG_X(1), mix_period(i));
	}
}

/* The guest's report and the VMM's counts must agree on everything */
static void verdict(struct sv *s)
{
	uint64_t *r = s->report, kernel = mix_period(s->v->id) ? nr_calls / period : 0;

	CHECK(!s->fail[0], "vcpu%d: %s", s->v->id, s->fail);
	CHECK(r[1] == (uint64_t)s->v->id, "vcpu%d: report from vcpu%llu", s->v->id,
	      (unsigned long long)r[1]);
	CHECK(r[2] == nr_calls && s->next_seq == nr_calls && s->exits == nr_calls + 1,
	      "vcpu%d: guest made %llu calls, VMM saw %llu in order, %llu exits (expected: %llu)",
	      s->v->id, (unsigned long long)r[2], (unsigned long long)s->next_seq,
	      (unsigned long long)s->exits, (unsigned long long)nr_calls);
	CHECK(r[3] == nr_calls && !r[4], "vcpu%d: guest: %llu forwarded results right, "
	      "%llu wrong (first wrong: seq %lld)", s->v->id, (unsigned long long)r[3],
	      (unsigned long long)r[4], (long long)r[7] - 1);
	CHECK(r[5] == kernel && !r[6], "vcpu%d: guest: %llu in-kernel results right, %llu wrong "
	      "(expected: %llu right)", s->v->id, (unsigned long long)r[5],
	      (unsigned long long)r[6], (unsigned long long)kernel);
}

int stress_main(int argc, char **argv)
{
	long interval = 50;
	uint64_t kicks, eintr = 0, pending = 0, self = 0, kernel = 0, set_reg = 0, mp = 0, nr0;
	pthread_t config;
	struct timespec t0, t1;
	double secs;
	int opt;

	while ((opt = getopt(argc, argv, "n:m:c:i:")) != -1) {
		switch (opt) {
		case 'n': nr_calls = strtoull(optarg, NULL, 0); break;
		case 'm': period = strtoull(optarg, NULL, 0); break;
		case 'c': nr_vcpus = atoi(optarg); break;
		case 'i': interval = atol(optarg); break;
		default: return 2;
		}
	}
	if (nr_vcpus < 1 || nr_vcpus > MAX_VCPUS)
		return 2;
	note("%d vCPUs x %llu forwarded calls, SIGUSR1 to each every %ld us", nr_vcpus,
	     (unsigned long long)nr_calls, interval);
	if (period)
		note("odd vCPUs: an in-kernel call before every %lluth forwarded one",
		     (unsigned long long)period);

	create();
	nr0 = vcpu__get_reg(sv[0].v, KVM_REG_ARM_FW_HANDLED_NR);
	pthread_barrier_init(&barrier, NULL, nr_vcpus + 1);
	for (int i = 0; i < nr_vcpus; i++)
		if ((errno = pthread_create(&sv[i].v->thread, NULL, vcpu_thread, &sv[i])))
			die_perror("pthread_create failed (vcpu%d)", i);
	pthread_barrier_wait(&barrier);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((errno = pthread_create(&config, NULL, config_thread, (void *)(uintptr_t)nr0)))
		die_perror("pthread_create failed (config)");
	kicks = kicker(interval);
	pthread_join(config, NULL);
	for (int i = 0; i < nr_vcpus; i++)
		pthread_join(sv[i].v->thread, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	for (int i = 0; i < nr_vcpus; i++) {
		struct sv *s = &sv[i];

		note("vcpu%d: %llu exits, %llu in order; guest: %llu/%llu forwarded ok, "
		     "%llu in-kernel ok; KVM_RUN -EINTR %llu (%llu with an answer pending, "
		     "%llu self-kicked)", i, (unsigned long long)s->exits,
		     (unsigned long long)s->next_seq, (unsigned long long)s->report[3],
		     (unsigned long long)s->report[2], (unsigned long long)s->report[5],
		     (unsigned long long)s->eintr, (unsigned long long)s->eintr_pending,
		     (unsigned long long)s->self_kicks);
		eintr += s->eintr;
		kernel += s->report[5];
		pending += s->eintr_pending;
		self += s->self_kicks;
		set_reg += s->by_set_reg;
		mp += s->by_mp_state;
	}
	CHECK(!config_fail[0], "%s", config_fail);
	for (int i = 0; i < nr_vcpus; i++)
		verdict(&sv[i]);
	CHECK(pending >= self && self > 0, "only %llu answers loaded by an interrupted KVM_RUN",
	      (unsigned long long)pending);
	note("PASS: %llu forwarded calls completed exactly once, 0 lost, 0 duplicated, "
	     "0 misrouted; %llu in-kernel calls right; %llu signals sent, %llu KVM_RUN -EINTR "
	     "(%llu with an answer pending); answered by KVM_SET_ONE_REG %llu, "
	     "KVM_SET_MP_STATE with an answer pending %llu; %llu configuration ioctls refused/reads right "
	     "meanwhile; %.1fs, %.0f exits/s",
	     (unsigned long long)(nr_calls * nr_vcpus), (unsigned long long)kernel,
	     (unsigned long long)kicks,
	     (unsigned long long)eintr, (unsigned long long)pending,
	     (unsigned long long)set_reg, (unsigned long long)mp,
	     (unsigned long long)config_ops, secs,
	     nr_calls * nr_vcpus / secs);
	return 0;
}
