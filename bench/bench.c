// SPDX-License-Identifier: GPL-2.0
/*
 * bench: what a guest SMCCC call forwarded to userspace costs, next to
 * the alternatives, on KVM/arm64 with (or without) the "userspace SMCCC
 * exits" series.
 *
 *   bench [--icount] [--label NAME] [--no-caps|--filter16] [-n N] [-w W] [-r R]
 *         [--smp-n N] [--smp-of S] [--smp-vcpus K] [-g guest.bin] [SCENARIO...]
 *
 * Scenarios (default: all that the kernel and the CPU count allow):
 *   inkernel       HVC #0 SMCCC_VERSION, answered in the kernel
 *   fwd-run        SiP call, 7 arguments / 4 results, answered in the
 *                  run struct: KVM_CAP_SYNC_REGS (s.regs, kvm_dirty_regs;
 *                  series v3), or v2's run->hypercall.smccc.regs[]
 *   fwd-onereg     the same call answered upstream's way (a VMM written
 *                  for upstream's filter exit, which only has the ID):
 *                  7 KVM_GET_ONE_REG (x1-x7) and 4 KVM_SET_ONE_REG (x0-x3)
 *   fwd-run-x0     SiP call without arguments, x0 written in the run struct
 *   fwd-onereg-x0  the same answered with one KVM_SET_ONE_REG (x0)
 *   mmio           a store to unmapped guest memory (KVM_EXIT_MMIO)
 *   smp            fwd-run on 1 vCPU, then on 2 vCPUs at once (throughput);
 *                  inkernel, mmio and a userspace spin loop likewise, as controls
 *
 * What the kernel is configured with (SPEC §1, §3): by default the
 * catch-all for HVC (KVM_CAP_ARM_HYPERCALL_TO_USER); --no-caps nothing;
 * --filter16 nothing but 16 ranges of upstream's SMCCC filter, which
 * forward the bench's SiP IDs (so fwd-* run too) and leave the rest.
 *
 * Each per-call figure is (T(N) - T(0)) / N, with T(k) the CLOCK_MONOTONIC
 * time of one job of k iterations, from the KVM_RUN that starts it to the
 * guest's next job request; T(0) is that fixed path alone. Under QEMU
 * -icount shift=0 a nanosecond is one emulated instruction (--icount
 * labels the unit). Every KVM ioctl the VMM makes is counted, so
 * syscalls per call are measured, and checked against the protocol's
 * count. Repetitions are interleaved across the scenarios.
 *
 * Output: "RESULT key=value..." and "SKIP scenario=... reason=..." lines.
 * Exit status: 0 pass, 1 fail, 4 skip (no /dev/kvm).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "vmm.h"
#include "bench_abi.h"

#define EXIT_SKIP	4
#define MAX_VCPUS	2

/* ---- scenarios ----------------------------------------------------- */

/* How the VMM answers a KVM_EXIT_HYPERCALL */
enum answer {
	ANSWER_NONE,	/* no hypercall exit expected */
	ANSWER_RUN,	/* results in the run struct (sync regs; v2: hypercall.smccc) */
	ANSWER_ONEREG,	/* arguments by KVM_GET_ONE_REG, results by KVM_SET_ONE_REG */
};

struct scenario {
	const char *name;
	int loop;		/* LOOP_* of guest.S */
	enum answer answer;
	bool needs_fwd;		/* the SiP IDs forwarded (catch-all or filter) */
	int syscalls;		/* ioctls per call the protocol needs */
	const char *what;
};

static const struct scenario scenarios[] = {
	{ "inkernel",      LOOP_INKERNEL, ANSWER_NONE,   false, 0,
	  "HVC #0 SMCCC_VERSION, in the kernel" },
	{ "fwd-run",       LOOP_SIP_7X4,  ANSWER_RUN,    true,  1,
	  "SiP 7 args/4 results, in the run struct (1 KVM_RUN)" },
	{ "fwd-onereg",    LOOP_SIP_7X4,  ANSWER_ONEREG, true,  12,
	  "SiP 7 args/4 results, 7 GET + 4 SET_ONE_REG (1 + 11 ioctls)" },
	{ "fwd-run-x0",    LOOP_SIP_X0,   ANSWER_RUN,    true,  1,
	  "SiP no args/x0 only, x0 in the run struct (1 KVM_RUN)" },
	{ "fwd-onereg-x0", LOOP_SIP_X0,   ANSWER_ONEREG, true,  2,
	  "SiP no args/x0 only, 1 SET_ONE_REG (1 + 1 ioctls)" },
	{ "mmio",          LOOP_MMIO,     ANSWER_NONE,   false, 1,
	  "STR to unmapped IPA, KVM_EXIT_MMIO (1 KVM_RUN)" },
};
#define NR_SCENARIOS	(ARRAY_SIZE(scenarios))

/* Not a guest loop: the vCPU threads spin in userspace, KVM untouched */
#define LOOP_USER_SPIN	0
#define USER_SPIN_PER_CALL	20000	/* spin iterations per "call" */

static const struct scenario user_spin = {
	"user-spin", LOOP_USER_SPIN, ANSWER_NONE, false, 0,
	"userspace loop in the vCPU threads, no KVM (what the host gives)"
};

/* "smp": fwd-run, then the controls inkernel, mmio and user-spin */
static const struct scenario *const smp_set[] = {
	&scenarios[1], &scenarios[0], &scenarios[5], &user_spin,
};

/* ---- VM and vCPUs --------------------------------------------------- */

struct job {
	bool active;
	int loop;
	enum answer answer;
	uint32_t n;
	/* results */
	uint64_t t0, t1, ioctls;
	struct rusage ru;	/* this thread's, over the job (smp: where time goes) */
};

/* Per vCPU, each touched by its own thread between the barriers */
static struct vstate {
	uint64_t mmio_data;	/* the last value the guest stored to DATA */
	const struct job *cur;	/* the job run_to_request() serves */
	bool request;		/* the guest asked for its next job */
	struct job job;
} vs[MAX_VCPUS];

static struct {
	struct vm vm;
	int nr_vcpus;
	pthread_barrier_t go, done;
	bool quit;
	bool fwd;		/* the SiP IDs come to the VMM */
	const char *why_not;	/* else: why not */
	int run_regs;		/* ANSWER_RUN's enum vmm_regs: SYNC, else none */
} b;

/* The kernel can run s (forwarding, registers in the run struct); else why not */
static const char *scenario_not(const struct scenario *s)
{
	if (s->needs_fwd && !b.fwd)
		return b.why_not;
	if (s->answer == ANSWER_RUN && b.run_regs != VMM_REGS_SYNC)
		return "no registers in the run struct (KVM_CAP_SYNC_REGS)";
	return NULL;
}

static struct {
	bool icount, no_caps, filter16;
	const char *label, *guest;
	uint32_t n, warmup, smp_n;
	int reps;
	const char *smp_of;	/* --smp-of: only this scenario in smp */
	int smp_vcpus;		/* --smp-vcpus: only 1 or only 2 vCPUs at once */
} opt = { .guest = "/bench/guest.bin", .n = 2000, .reps = 3 };

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* BENCH_SIP_7X4 (bench_abi.h): a[1..7] in, res[0..3] out; may be the same array */
static void sip_7x4(const uint64_t *a, uint64_t *res)
{
	uint64_t a1 = a[1], a7 = a[7];

	res[1] = a1 + a[2] + a[3] + a[4] + a[5] + a[6] + a7;
	res[0] = SMCCC_RET_SUCCESS;
	res[2] = a1 ^ a7;
	res[3] = ~a1;
}

/* This series' ABI: everything in the run struct, no ioctl (vmm/ commits it). */
static void answer_run(struct vmm_hypercall *hc)
{
	switch (hc->nr) {
	case BENCH_SIP_7X4:
		sip_7x4(hc->regs, hc->regs);
		break;
	case BENCH_SIP_X0:
		hc->regs[0] = SMCCC_RET_SUCCESS;
		break;
	default:
		hc->regs[0] = SMCCC_RET_NOT_SUPPORTED;
	}
}

/*
 * Upstream's protocol (6.4+ SMCCC filter): its exit only carries the
 * function ID (run->hypercall.nr), so the VMM reads the arguments and
 * writes the results with ONE_REG ioctls, sync regs off (VMM_REGS_NONE):
 * on the series' v3 kernel exactly upstream's exit (SPEC §0, opt-in only);
 * on v2 the first KVM_SET_ONE_REG completes the exit (copies regs[],
 * untouched, back) before it takes effect.
 */
static void answer_onereg(struct vcpu *v, struct vmm_hypercall *hc)
{
	uint64_t a[8], res[4];
	int i;

	switch (hc->nr) {
	case BENCH_SIP_7X4:
		for (i = 1; i <= 7; i++)
			a[i] = vcpu__get_reg(v, REG_X(i));
		sip_7x4(a, res);
		for (i = 0; i < 4; i++)
			vcpu__set_reg(v, REG_X(i), res[i]);
		break;
	case BENCH_SIP_X0:
		vcpu__set_reg(v, REG_X(0), SMCCC_RET_SUCCESS);
		break;
	default:
		vcpu__set_reg(v, REG_X(0), SMCCC_RET_NOT_SUPPORTED);
	}
}

__attribute__((noreturn))
static void guest_failed(struct vcpu *v, uint64_t line)
{
	/* An MMIO write exit leaves the registers as they were: read them. */
	die("guest check failed on vcpu%d at guest.S:%llu: got 0x%llx, expected 0x%llx",
	    v->id, (unsigned long long)line, (unsigned long long)vcpu__get_reg(v, REG_X(3)),
	    (unsigned long long)vcpu__get_reg(v, REG_X(4)));
}

static bool handle_hypercall(struct vcpu *v, struct vmm_hypercall *hc)
{
	const struct job *j = vs[v->id].cur;

	if (!j || j->answer == ANSWER_NONE)
		die("vcpu%d: unexpected KVM_EXIT_HYPERCALL, x0 = 0x%llx", v->id,
		    (unsigned long long)hc->regs[0]);
	if (j->answer == ANSWER_RUN)
		answer_run(hc);	/* smccc__answer() hands it to the next KVM_RUN */
	else
		answer_onereg(v, hc);
	return true;
}

static bool handle_mmio(struct vcpu *v, uint64_t addr, uint8_t *data, uint32_t len,
			bool is_write)
{
	uint64_t off = addr - BENCH_MMIO_BASE, val;

	if (len != 8)
		die("vcpu%d: MMIO of %u bytes at 0x%llx", v->id, len, (unsigned long long)addr);
	memcpy(&val, data, sizeof(val));
	if (off == BENCH_MMIO_DATA && is_write) {
		vs[v->id].mmio_data = val;
		return true;
	}
	if (off == BENCH_MMIO_CMD && !is_write) {
		vs[v->id].request = true;
		return true;
	}
	if (off == BENCH_MMIO_FAIL && is_write)
		guest_failed(v, val);
	die("vcpu%d: unexpected MMIO %s at 0x%llx", v->id, is_write ? "write" : "read",
	    (unsigned long long)addr);
}

static bool no_request(struct vcpu *v)
{
	return !vs[v->id].request;
}

static const struct vcpu_ops bench_ops = {
	.hypercall = handle_hypercall,
	.mmio = handle_mmio,
	.keep_running = no_request,
};

/*
 * Run the vCPU until the guest asks for a job (MMIO read of CMD); the
 * job in *j, if any, is handed out as the answer to the pending request.
 */
static void run_to_request(struct vcpu *v, const struct job *j)
{
	uint64_t cmd;

	if (j) {
		cmd = (uint64_t)j->loop << 32 | j->n;
		memcpy(v->run->mmio.data, &cmd, sizeof(cmd));
	}
	vs[v->id].cur = j;
	vs[v->id].request = false;
	/*
	 * Registers in the run struct only for the scenarios that answer
	 * there: upstream's way, MMIO and in-kernel calls run without sync
	 * regs, as an unmodified VMM would
	 */
	smccc__set_regs(v, j && j->answer == ANSWER_RUN ? b.run_regs : VMM_REGS_NONE);
	if (!vcpu__loop(v, &bench_ops))
		die("vcpu%d: unexpected exit reason %u", v->id, v->run->exit_reason);
}

static void user_spin_loop(struct vcpu *v, uint32_t n)
{
	uint64_t x = vs[v->id].mmio_data;

	for (uint64_t i = 0; i < (uint64_t)n * USER_SPIN_PER_CALL; i++)
		x = x * 6364136223846793005ULL + i;
	vs[v->id].mmio_data = x;	/* keep the loop */
}

static uint64_t tv_us(const struct timeval *tv)
{
	return tv->tv_sec * 1000000ULL + tv->tv_usec;
}

/* a -= b for the fields measure_smp() reports */
static void rusage_sub(struct rusage *a, const struct rusage *b)
{
	uint64_t u = tv_us(&a->ru_utime) - tv_us(&b->ru_utime);
	uint64_t k = tv_us(&a->ru_stime) - tv_us(&b->ru_stime);

	a->ru_utime = (struct timeval){ u / 1000000, u % 1000000 };
	a->ru_stime = (struct timeval){ k / 1000000, k % 1000000 };
	a->ru_nvcsw -= b->ru_nvcsw;
	a->ru_nivcsw -= b->ru_nivcsw;
}

static void vcpu_thread(struct vcpu *v)
{
	long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	/* One host CPU per vCPU thread when there are enough */
	if (ncpus >= b.nr_vcpus) {
		CPU_ZERO(&set);
		CPU_SET(v->id, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			die_perror("sched_setaffinity failed (vcpu%d)", v->id);
	}
	/* From reset to the guest's first job request */
	run_to_request(v, NULL);
	for (;;) {
		struct job *j = &vs[v->id].job;

		pthread_barrier_wait(&b.go);
		if (b.quit)
			break;
		if (j->active) {
			uint64_t c0 = v->ioctls;
			struct rusage ru0;

			getrusage(RUSAGE_THREAD, &ru0);
			j->t0 = now_ns();
			if (j->loop == LOOP_USER_SPIN)
				user_spin_loop(v, j->n);
			else
				run_to_request(v, j);
			j->t1 = now_ns();
			getrusage(RUSAGE_THREAD, &j->ru);
			j->ioctls = v->ioctls - c0;
			rusage_sub(&j->ru, &ru0);
		}
		pthread_barrier_wait(&b.done);
	}
}

/* Run one job of n iterations on vCPUs 0..nr-1 at once; wall time in ns. */
static uint64_t dispatch(int nr, const struct scenario *s, uint32_t n)
{
	uint64_t t0 = UINT64_MAX, t1 = 0;
	int i;

	for (i = 0; i < b.nr_vcpus; i++)
		vs[i].job = (struct job){ .active = i < nr, .loop = s->loop,
						.answer = s->answer, .n = n };
	pthread_barrier_wait(&b.go);
	pthread_barrier_wait(&b.done);
	for (i = 0; i < nr; i++) {
		if (vs[i].job.t0 < t0)
			t0 = vs[i].job.t0;
		if (vs[i].job.t1 > t1)
			t1 = vs[i].job.t1;
	}
	return t1 - t0;
}

/*
 * --filter16: 16 ranges of upstream's SMCCC filter and nothing else, as a
 * VMM that claims a few services would install them: 0x10 fast calls each
 * at 0x00, 0x10, 0x20, 0x30 of SiP and OEM, SMC32 and SMC64. The range
 * holding BENCH_SIP_* forwards, the others alternate DENY and FWD_TO_USER.
 */
static void install_filter16(void)
{
	static const uint32_t owners[] = { 0x82000000, 0xc2000000, 0x83000000, 0xc3000000 };

	for (size_t o = 0; o < ARRAY_SIZE(owners); o++)
		for (uint32_t f = 0; f < 0x40; f += 0x10) {
			uint32_t base = owners[o] + f;
			bool ours = BENCH_SIP_7X4 >= base && BENCH_SIP_7X4 < base + 0x10;

			smccc__filter(&b.vm, base, 0x10, ours || (f & 0x10) ?
				      VMM_FILTER_FWD_TO_USER : VMM_FILTER_DENY);
		}
}

static void create_vm(int nr_vcpus)
{
	int ret = __vm__create(&b.vm);

	if (ret) {
		printf("bench: SKIP: cannot open /dev/kvm: %s\n", strerror(-ret));
		exit(EXIT_SKIP);
	}
	vm__add_ram(&b.vm, GUEST_RAM_BASE, GUEST_RAM_SIZE);
	vm__load_file(&b.vm, opt.guest, GUEST_RAM_BASE);

	/* What the kernel forwards, before any vCPU runs (SPEC §1, §3) */
	ret = vm__check_extension(&b.vm, smccc_cap_hypercall_to_user);
	if (opt.filter16) {
		if (!smccc__has_filter(&b.vm)) {
			b.why_not = "no SMCCC filter (KVM_ARM_VM_SMCCC_FILTER)";
		} else {
			install_filter16();
			b.fwd = true;
		}
	} else if (opt.no_caps) {
		b.why_not = "nothing forwarded (--no-caps)";
	} else if (!(smccc__conduits(&b.vm) & VMM_CONDUIT_HVC)) {
		b.why_not = "KVM_CAP_ARM_HYPERCALL_TO_USER missing";
	} else {
		smccc__forward(&b.vm, VMM_CONDUIT_HVC);
		b.fwd = true;
	}
	printf("bench: KVM_CAP_ARM_HYPERCALL_TO_USER: CHECK_EXTENSION %d, %s; SMCCC filter: %s\n",
	       ret, !opt.filter16 && b.fwd ? "catch-all on for HVC" : "off",
	       opt.filter16 && b.fwd ? "16 ranges" : "none");

	b.nr_vcpus = nr_vcpus;
	for (int i = 0; i < nr_vcpus; i++) {
		/* No PSCI needed: every vCPU starts running the payload */
		struct vcpu *v = vcpu__create(&b.vm, i, 0);

		/* Entry point: the payload's first instruction */
		vcpu__set_reg(v, REG_PC, GUEST_RAM_BASE);
		/* what vcpu__create() found: sync regs, v2's exit or neither */
		b.run_regs = v->regs_how;
	}
	pthread_barrier_init(&b.go, NULL, nr_vcpus + 1);
	pthread_barrier_init(&b.done, NULL, nr_vcpus + 1);
	vm__start_vcpus(&b.vm, vcpu_thread);
}

static void destroy_vm(void)
{
	b.quit = true;
	pthread_barrier_wait(&b.go);
	vm__join_vcpus(&b.vm);
}

/* One per-call figure: (T(n) - T(0)) / n, and ioctls likewise. */
static void measure(const struct scenario *s, int rep, const char *mode, const char *unit)
{
	struct job *j = &vs[0].job;
	uint64_t fixed, total, fixed_ioctls, total_ioctls;
	double per_call, syscalls;

	fixed = dispatch(1, s, 0);
	fixed_ioctls = j->ioctls;
	total = dispatch(1, s, opt.n);
	total_ioctls = j->ioctls;
	per_call = ((double)total - (double)fixed) / opt.n;
	syscalls = ((double)total_ioctls - (double)fixed_ioctls) / opt.n;
	printf("RESULT kernel=%s mode=%s scenario=%s rep=%d n=%u total_ns=%llu fixed_ns=%llu "
	       "per_call=%.1f unit=%s syscalls_per_call=%.3f syscalls_expected=%d\n",
	       opt.label, mode, s->name, rep, opt.n, (unsigned long long)total,
	       (unsigned long long)fixed, per_call, unit, syscalls, s->syscalls);
	if (total_ioctls - fixed_ioctls != (uint64_t)s->syscalls * opt.n)
		die("%s: %llu ioctls for %u calls, expected %d per call", s->name,
		    (unsigned long long)(total_ioctls - fixed_ioctls), opt.n, s->syscalls);
}

/*
 * Throughput of one scenario on 1 vCPU, then on 2 at once, same VM: the
 * figure for fwd-run, the controls (inkernel: no exit at all, mmio: the
 * plainest exit) for what the host and QEMU allow.
 */
static void measure_smp(const struct scenario *s, int rep, const char *mode)
{
	double thr[MAX_VCPUS + 1];

	/* In-kernel calls are cheaper: more of them for a similar time */
	uint32_t n = s->loop == LOOP_INKERNEL ? opt.smp_n * 3 : opt.smp_n;

	for (int nr = 1; nr <= MAX_VCPUS; nr++) {
		uint64_t ns, user = 0, sys = 0, vcsw = 0, ivcsw = 0;
		double calls = (double)nr * n;

		if (opt.smp_vcpus && nr != opt.smp_vcpus)
			continue;
		ns = dispatch(nr, s, n);

		/*
		 * Where the threads' time went (the QEMU guest's kernel, tick
		 * based): sys = its kernel, KVM's exit and entry paths; user =
		 * the VMM and the nested guest; context switches: blocking
		 * (locks, sleeps) and preemption.
		 */
		for (int i = 0; i < nr; i++) {
			user += tv_us(&vs[i].job.ru.ru_utime);
			sys += tv_us(&vs[i].job.ru.ru_stime);
			vcsw += vs[i].job.ru.ru_nvcsw;
			ivcsw += vs[i].job.ru.ru_nivcsw;
		}
		thr[nr] = calls * 1e9 / ns;
		printf("RESULT kernel=%s mode=%s scenario=smp of=%s vcpus=%d rep=%d n=%u "
		       "wall_ns=%llu calls_per_s=%.1f user_ns_per_call=%.0f sys_ns_per_call=%.0f "
		       "vcsw_per_call=%.4f ivcsw_per_call=%.4f\n", opt.label, mode, s->name, nr,
		       rep, n, (unsigned long long)ns, thr[nr], user * 1e3 / calls,
		       sys * 1e3 / calls, vcsw / calls, ivcsw / calls);
	}
	if (!opt.smp_vcpus)
		printf("RESULT kernel=%s mode=%s scenario=smp-ratio of=%s rep=%d ratio=%.3f\n",
		       opt.label, mode, s->name, rep, thr[2] / thr[1]);
}

static bool smp_wanted(const struct scenario *s)
{
	if (scenario_not(s))
		return false;
	return !opt.smp_of || !strcmp(opt.smp_of, s->name);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: bench [--icount] [--label NAME] [--no-caps|--filter16] [-n N] [-w W] [-r R]\n"
		"             [--smp-n N] [--smp-of S] [--smp-vcpus K] [-g guest.bin] [SCENARIO...]\n"
		"  --icount    QEMU runs with -icount shift=0: label ns as instructions\n"
		"  --label     kernel name in the RESULT lines (default: uname -r)\n"
		"  --no-caps   forward nothing (default: KVM_CAP_ARM_HYPERCALL_TO_USER for HVC)\n"
		"  --filter16  forward nothing but 16 SMCCC filter ranges (the SiP calls among them)\n"
		"  -n N        calls per measurement (default 2000); -w warm-up (N/10)\n"
		"  -r R        interleaved repetitions (default 3)\n"
		"  --smp-n N   calls per vCPU in the smp scenario (default N)\n"
		"  --smp-of S  smp: only scenario S (fwd-run, inkernel, mmio, user-spin)\n"
		"  --smp-vcpus K  smp: only K vCPUs at once (1 or 2), no ratio\n"
		"  scenarios:  inkernel fwd-run fwd-onereg fwd-run-x0 fwd-onereg-x0 mmio smp\n");
	exit(1);
}

static uint32_t number(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end || v > UINT32_MAX)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	bool want[NR_SCENARIOS] = { false }, want_smp = false, any = false, warm = false;
	const char *mode, *unit;
	struct utsname uts;
	long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	int i, r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	vmm__set_name("bench");
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		size_t k;

		if (!strcmp(a, "--icount"))
			opt.icount = true;
		else if (!strcmp(a, "--no-caps"))
			opt.no_caps = true;
		else if (!strcmp(a, "--filter16"))
			opt.filter16 = true;
		else if (!strcmp(a, "--label") && i + 1 < argc)
			opt.label = argv[++i];
		else if (!strcmp(a, "-g") && i + 1 < argc)
			opt.guest = argv[++i];
		else if (!strcmp(a, "-n") && i + 1 < argc)
			opt.n = number(argv[++i]);
		else if (!strcmp(a, "-w") && i + 1 < argc)
			opt.warmup = number(argv[++i]);
		else if (!strcmp(a, "-r") && i + 1 < argc)
			opt.reps = number(argv[++i]);
		else if (!strcmp(a, "--smp-n") && i + 1 < argc)
			opt.smp_n = number(argv[++i]);
		else if (!strcmp(a, "--smp-of") && i + 1 < argc)
			opt.smp_of = argv[++i];
		else if (!strcmp(a, "--smp-vcpus") && i + 1 < argc)
			opt.smp_vcpus = number(argv[++i]);
		else if (!strcmp(a, "smp"))
			want_smp = any = true;
		else {
			for (k = 0; k < NR_SCENARIOS; k++)
				if (!strcmp(a, scenarios[k].name))
					break;
			if (k == NR_SCENARIOS)
				usage();
			want[k] = any = true;
		}
	}
	if (!opt.n || !opt.reps)
		usage();
	if (!any) {
		for (size_t k = 0; k < NR_SCENARIOS; k++)
			want[k] = true;
		want_smp = ncpus >= 2;
	}
	if (!opt.warmup)
		opt.warmup = opt.n / 10 ? opt.n / 10 : 1;
	if (!opt.smp_n)
		opt.smp_n = opt.n;
	uname(&uts);
	if (!opt.label)
		opt.label = uts.release;
	mode = opt.icount ? "icount" : "wall";
	unit = opt.icount ? "instructions" : "ns";
	printf("bench: kernel %s %s, %ld CPUs, mode %s (%s per call), n=%u warm-up=%u reps=%d\n",
	       uts.release, uts.version, ncpus, mode, unit, opt.n, opt.warmup, opt.reps);

	if (want_smp && ncpus < 2) {
		printf("SKIP scenario=smp reason=needs 2 CPUs, %ld online\n", ncpus);
		want_smp = false;
	}
	create_vm(want_smp ? 2 : 1);
	for (size_t k = 0; k < NR_SCENARIOS; k++) {
		if (want[k] && scenario_not(&scenarios[k])) {
			printf("SKIP scenario=%s reason=%s\n", scenarios[k].name,
			       scenario_not(&scenarios[k]));
			want[k] = false;
		}
		if (want[k])
			printf("bench: %-14s %s\n", scenarios[k].name, scenarios[k].what);
	}
	/* Without forwarding the controls still run (e.g. on the base kernel) */
	if (want_smp && scenario_not(&scenarios[1]))
		printf("SKIP scenario=smp of=fwd-run reason=%s (controls only)\n",
		       scenario_not(&scenarios[1]));
	if (want_smp)
		printf("bench: %-14s fwd-run, inkernel, mmio, user-spin: 1 vCPU, then 2 at once (%u calls each)\n",
		       "smp", opt.smp_n);

	/* Warm-up: every path taken once before anything is timed */
	for (size_t k = 0; k < NR_SCENARIOS; k++)
		if (want[k]) {
			dispatch(1, &scenarios[k], opt.warmup);
			warm = true;
		}
	if (want_smp) {
		for (size_t k = 0; k < ARRAY_SIZE(smp_set); k++)
			if (smp_wanted(smp_set[k]))
				dispatch(2, smp_set[k], opt.warmup);
		warm = true;
	}
	if (!warm)
		printf("bench: nothing to measure\n");

	for (r = 1; r <= opt.reps && warm; r++) {
		for (size_t k = 0; k < NR_SCENARIOS; k++)
			if (want[k])
				measure(&scenarios[k], r, mode, unit);
		if (want_smp)
			for (size_t k = 0; k < ARRAY_SIZE(smp_set); k++)
				if (smp_wanted(smp_set[k]))
					measure_smp(smp_set[k], r, mode);
	}
	destroy_vm();
	printf("bench: PASS (every guest check passed, ioctl counts as expected)\n");
	return 0;
}
