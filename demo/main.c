// SPDX-License-Identifier: GPL-2.0
/*
 * demo VMM: a guest's firmware calls answered in userspace over the
 * KVM_EXIT_HYPERCALL exit of the "userspace SMCCC exits" series.
 *
 *   vmm [--trace-only] [--corrupt-sip] [--expect-guest-failure] guest.bin
 *
 * Exit status: 0 pass, 1 fail. A kernel without the series is a failure,
 * not a skip: this demo exists to show the series at work.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "demo.h"

struct vm vm;

static bool expect_guest_failure;
static pthread_barrier_t start_barrier;

static struct {
	pthread_mutex_t lock;
	enum stop why;
	char reason[128];
} stop_state = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Counted per exit kind, plus the distinct calls nobody answered */
static struct {
	pthread_mutex_t lock;
	unsigned int exits, kind[4];
	unsigned int nr_missing;
	struct { uint32_t fid; uint16_t imm; bool smc; unsigned int count; } missing[32];
} stats = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void vfail(const char *fmt, va_list ap, const char *err)
{
	char msg[256];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	printf("demo: FAIL: %s%s%s\n", msg, err ? ": " : "", err ? err : "");
	fflush(stdout);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(fmt, ap, NULL);
	va_end(ap);
	exit(1);
}

void die_perror(const char *fmt, ...)
{
	const char *err = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vfail(fmt, ap, err);
	va_end(ap);
	exit(1);
}

/* First caller wins; every other vCPU thread is kicked out of KVM_RUN. */
void vm__stop(enum stop why, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&stop_state.lock);
	if (stop_state.why == STOP_NONE) {
		va_start(ap, fmt);
		vsnprintf(stop_state.reason, sizeof(stop_state.reason), fmt, ap);
		va_end(ap);
		__atomic_store_n(&stop_state.why, why, __ATOMIC_SEQ_CST);
	}
	pthread_mutex_unlock(&stop_state.lock);
	for (int i = 0; i < NR_VCPUS; i++)
		if (!pthread_equal(vm.vcpus[i].thread, pthread_self()))
			vcpu__kick(&vm.vcpus[i]);
}

bool vm__stopping(void)
{
	return __atomic_load_n(&stop_state.why, __ATOMIC_SEQ_CST) != STOP_NONE;
}

bool guest_range_ok(uint64_t addr, uint64_t len)
{
	return addr >= GUEST_RAM_BASE && len <= GUEST_RAM_SIZE &&
	       addr - GUEST_RAM_BASE <= GUEST_RAM_SIZE - len;
}

static void count_exit(const struct demo_hypercall *hc, const uint64_t *in,
		       const struct call *c)
{
	unsigned int i;

	pthread_mutex_lock(&stats.lock);
	stats.exits++;
	stats.kind[c->kind]++;
	if (c->kind == CALL_UNHANDLED) {
		bool smc = hc->flags & KVM_ARM_HYPERCALL_EXIT_SMC;
		uint32_t fid = hc->imm ? 0 : (uint32_t)in[0];

		for (i = 0; i < stats.nr_missing; i++)
			if (stats.missing[i].fid == fid && stats.missing[i].imm == hc->imm &&
			    stats.missing[i].smc == smc)
				break;
		if (i == stats.nr_missing && i < 32) {
			stats.missing[i].fid = fid;
			stats.missing[i].imm = hc->imm;
			stats.missing[i].smc = smc;
			stats.nr_missing++;
		}
		if (i < 32)
			stats.missing[i].count++;
	}
	pthread_mutex_unlock(&stats.lock);
}

/*
 * One KVM_EXIT_HYPERCALL: a non-zero immediate is not SMCCC; SMCCC calls go
 * to PSCI, then our SiP service; whatever nobody takes gets NOT_SUPPORTED
 * and its first arguments in the trace line. The results go back to the
 * guest on the next KVM_RUN.
 */
static void handle_hypercall(struct vcpu *v)
{
	struct demo_hypercall *hc = run_hypercall(v->run);
	struct call c = { .kind = CALL_UNHANDLED };
	uint64_t in[18];
	bool handled = false, observed = false;

	memcpy(in, hc->regs, sizeof(in));
	if (vm.trace_only)
		observed = sip__observe(v, hc);
	else if (hc->imm)
		handled = console__handle(v, hc, &c);
	else
		handled = psci__handle(v, hc, &c) || sip__handle(v, hc, &c);

	if (!handled) {
		c = (struct call){ .kind = CALL_UNHANDLED, .arg_lo = hc->imm ? 0 : 1,
				   .arg_hi = 3, .nres = 1, .dump = true };
		hc->regs[0] = SMCCC_RET_NOT_SUPPORTED;
		snprintf(c.note, sizeof(c.note), "NOT_SUPPORTED (%s)%s",
			 vm.trace_only ? "trace-only" : "no handler",
			 !observed ? "" : in[1] ? "; guest verdict read: FAILED check" :
			 "; guest verdict read: all checks passed");
	}
	count_exit(hc, in, &c);
	decode__trace(v, hc, in, &c);
	if (c.after)
		c.after(v, &c);
}

/* Only with PSCI in the kernel (--trace-only): SYSTEM_OFF arrives here. */
static void handle_system_event(struct vcpu *v)
{
	uint32_t type = v->run->system_event.type;

	printf("[vcpu%d] SYSTEM_EVENT %s (PSCI in the kernel)\n", v->id,
	       type == KVM_SYSTEM_EVENT_SHUTDOWN ? "SHUTDOWN" :
	       type == KVM_SYSTEM_EVENT_RESET ? "RESET" : "(other type)");
	if (vm.trace_only && type == KVM_SYSTEM_EVENT_SHUTDOWN)
		vm__stop(STOP_SYSTEM_OFF, "SYSTEM_OFF from vcpu%d (in the kernel)", v->id);
	else if (vm.trace_only && type == KVM_SYSTEM_EVENT_RESET)
		vm__stop(STOP_SYSTEM_RESET, "SYSTEM_RESET from vcpu%d (in the kernel)", v->id);
	else
		vm__stop(STOP_ERROR, "unexpected KVM_EXIT_SYSTEM_EVENT type %u on vcpu%d",
			 type, v->id);
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;

	vcpu__bind_thread(v);
	pthread_barrier_wait(&start_barrier);
	while (!vm__stopping()) {
		psci__vcpu_poll(v);
		if (vcpu__run(v))
			continue;	/* kicked: look at the requests again */
		switch (v->run->exit_reason) {
		case KVM_EXIT_HYPERCALL:
			handle_hypercall(v);
			break;
		case KVM_EXIT_SYSTEM_EVENT:
			handle_system_event(v);
			break;
		default:
			vm__stop(STOP_ERROR, "vcpu%d: unexpected exit reason %u at pc 0x%llx",
				 v->id, v->run->exit_reason,
				 (unsigned long long)vcpu__get_reg(v, REG_PC, "pc"));
		}
	}
	return NULL;
}

static void load_guest(const char *path)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		die_perror("open failed (%s)", path);
	n = read(fd, vm.ram, GUEST_RAM_SIZE);
	if (n <= 0)
		die_perror("read failed (%s)", path);
	close(fd);
	printf("demo: loaded %s (%zd bytes) at 0x%x\n", path, n, GUEST_RAM_BASE);
}

static void enable_cap(uint32_t cap, uint64_t arg, const char *name)
{
	struct kvm_enable_cap ec = { .cap = cap, .args[0] = arg };

	if (ioctl(vm.vm_fd, KVM_ENABLE_CAP, &ec))
		die_perror("KVM_ENABLE_CAP failed (%s)", name);
}

static void create_vm(const char *payload)
{
	struct kvm_userspace_memory_region mem;
	uint64_t conduits = KVM_ARM_HYPERCALL_HVC | KVM_ARM_HYPERCALL_SMC;
	int ret;

	vm.kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm.kvm_fd < 0)
		die_perror("open failed (/dev/kvm)");
	vm.vm_fd = ioctl(vm.kvm_fd, KVM_CREATE_VM, 0);
	if (vm.vm_fd < 0)
		die_perror("KVM_CREATE_VM failed");

	ret = ioctl(vm.vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_HYPERCALL_TO_USER);
	if (ret <= 0 || (ret & conduits) != conduits)
		die("KVM_CHECK_EXTENSION(KVM_CAP_ARM_HYPERCALL_TO_USER) = %d, "
		    "want HVC|SMC (kernel without the series?)", ret);
	if (!vm.trace_only &&
	    ioctl(vm.vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PSCI_TO_USER) != 1)
		die("KVM_CHECK_EXTENSION(KVM_CAP_ARM_PSCI_TO_USER) != 1 "
		    "(kernel without the series?)");

	vm.ram = mmap(NULL, GUEST_RAM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm.ram == MAP_FAILED)
		die_perror("mmap failed (guest RAM)");
	mem = (struct kvm_userspace_memory_region){
		.slot = 0, .guest_phys_addr = GUEST_RAM_BASE,
		.memory_size = GUEST_RAM_SIZE, .userspace_addr = (uintptr_t)vm.ram,
	};
	if (ioctl(vm.vm_fd, KVM_SET_USER_MEMORY_REGION, &mem))
		die_perror("KVM_SET_USER_MEMORY_REGION failed (slot 0)");
	load_guest(payload);

	/* Both before any vCPU runs (SPEC §1) */
	enable_cap(KVM_CAP_ARM_HYPERCALL_TO_USER, conduits,
		   "KVM_CAP_ARM_HYPERCALL_TO_USER, HVC|SMC");
	if (!vm.trace_only)
		enable_cap(KVM_CAP_ARM_PSCI_TO_USER, 1, "KVM_CAP_ARM_PSCI_TO_USER");
	printf("demo: KVM_CAP_ARM_HYPERCALL_TO_USER = HVC|SMC, KVM_CAP_ARM_PSCI_TO_USER = %s\n",
	       vm.trace_only ? "off (trace-only: PSCI stays in the kernel)" : "on");

	vm.run_size = ioctl(vm.kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vm.run_size < (int)sizeof(struct kvm_run))
		die_perror("KVM_GET_VCPU_MMAP_SIZE failed");
	for (int i = 0; i < NR_VCPUS; i++)
		vcpu__create(&vm.vcpus[i], i);
	/* vCPU0 starts at the payload's first instruction */
	vcpu__set_reg(&vm.vcpus[0], REG_PC, GUEST_RAM_BASE, "pc");
	/* x0 = 0: no boot argument */
	vcpu__set_reg(&vm.vcpus[0], REG_X(0), 0, "x0");
	for (int i = 0; i < NR_VCPUS; i++)
		printf("demo: vcpu%d MPIDR 0x%llx, %s\n", i,
		       (unsigned long long)vm.vcpus[i].mpidr,
		       i ? "powered off (KVM_ARM_VCPU_POWER_OFF)" : "starts at the payload");
}

static void usage(void)
{
	fprintf(stderr,
		"usage: vmm [--trace-only] [--corrupt-sip] [--expect-guest-failure] guest.bin\n"
		"  --trace-only            answer nothing: every forwarded call gets\n"
		"                          NOT_SUPPORTED and is logged (PSCI stays in KVM)\n"
		"  --corrupt-sip           flip a bit in demo.sum's result\n"
		"  --expect-guest-failure  pass only if the guest reports a failed check\n");
	exit(1);
}

/* 0 if the run is a pass, with the summary line printed */
static int verdict(void)
{
	struct report r = sip__report();
	unsigned int want_mode = vm.trace_only ? DEMO_MODE_TRACE : DEMO_MODE_FULL;
	char why[256] = "";
	bool guest_failed = r.seen && r.line != 0;

	if (vm.trace_only && stats.nr_missing) {
		printf("demo: calls this guest made that nothing implements "
		       "(each answered NOT_SUPPORTED):\n");
		for (unsigned int i = 0; i < stats.nr_missing; i++) {
			char id[16] = "", name[64] = "non-SMCCC";

			if (!stats.missing[i].imm) {
				snprintf(id, sizeof(id), "0x%08x", stats.missing[i].fid);
				decode__fid(stats.missing[i].fid, name, sizeof(name));
			}
			printf("demo:   %s#%-3u %-10s %-24s %u call%s\n",
			       stats.missing[i].smc ? "SMC" : "HVC", stats.missing[i].imm,
			       id, name, stats.missing[i].count,
			       stats.missing[i].count > 1 ? "s" : "");
		}
	}
	if (stop_state.why == STOP_ERROR)
		snprintf(why, sizeof(why), "%s", stop_state.reason);
	else if (guest_failed)
		snprintf(why, sizeof(why),
			 "guest check failed on vcpu%d at guest.S:%llu: got 0x%llx, expected 0x%llx",
			 r.vcpu, (unsigned long long)r.line, (unsigned long long)r.got,
			 (unsigned long long)r.expected);
	else if (!r.seen)
		snprintf(why, sizeof(why), "the guest never reported (stopped by %s)",
			 stop_state.reason);
	else if (r.mode != want_mode)
		snprintf(why, sizeof(why), "the guest ran in mode %llu, expected %u",
			 (unsigned long long)r.mode, want_mode);
	else if (stop_state.why != STOP_SYSTEM_OFF)
		snprintf(why, sizeof(why), "the run ended by %s, not SYSTEM_OFF",
			 stop_state.reason);
	else if (vm.trace_only && !stats.kind[CALL_UNHANDLED])
		snprintf(why, sizeof(why), "nothing was forwarded");

	if (expect_guest_failure) {
		if (guest_failed && stop_state.why != STOP_ERROR) {
			printf("demo: PASS (the guest caught the wrong result: %s)\n", why);
			return 0;
		}
		printf("demo: FAIL: expected the guest to report a failed check%s%s\n",
		       why[0] ? "; instead: " : "", why);
		return 1;
	}
	if (why[0]) {
		printf("demo: FAIL: %s\n", why);
		return 1;
	}
	if (vm.trace_only)
		printf("demo: PASS (trace-only: %u exits, %u distinct calls answered "
		       "NOT_SUPPORTED, guest saw NOT_SUPPORTED everywhere; %s)\n",
		       stats.exits, stats.nr_missing, stop_state.reason);
	else
		printf("demo: PASS (%u exits: %u PSCI, %u SiP, %u console, %u NOT_SUPPORTED; "
		       "guest checked every result on %d vCPUs; %s)\n",
		       stats.exits, stats.kind[CALL_PSCI], stats.kind[CALL_SIP],
		       stats.kind[CALL_CONSOLE], stats.kind[CALL_UNHANDLED], NR_VCPUS,
		       stop_state.reason);
	return 0;
}

int main(int argc, char **argv)
{
	const char *payload = NULL;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--trace-only"))
			vm.trace_only = true;
		else if (!strcmp(argv[i], "--corrupt-sip"))
			vm.corrupt_sip = true;
		else if (!strcmp(argv[i], "--expect-guest-failure"))
			expect_guest_failure = true;
		else if (argv[i][0] == '-' || payload)
			usage();
		else
			payload = argv[i];
	}
	if (!payload)
		usage();

	create_vm(payload);
	decode__ranges(&vm.vcpus[0]);

	pthread_barrier_init(&start_barrier, NULL, NR_VCPUS + 1);
	for (int i = 0; i < NR_VCPUS; i++)
		if ((errno = pthread_create(&vm.vcpus[i].thread, NULL, vcpu_thread,
					    &vm.vcpus[i])))
			die_perror("pthread_create failed (vcpu%d)", i);
	pthread_barrier_wait(&start_barrier);
	for (int i = 0; i < NR_VCPUS; i++)
		pthread_join(vm.vcpus[i].thread, NULL);

	return verdict();
}
