// SPDX-License-Identifier: GPL-2.0
/*
 * linux: boot a real arm64 Linux guest (4 vCPUs, in-kernel vGICv3, 8250
 * console) with all of PSCI served in userspace (KVM_CAP_ARM_PSCI_TO_USER)
 * by vmm/psci.c, every forwarded call traced with the decoder.
 *
 *   linux [--psci-conduit hvc|smc] [--trace-only | --in-kernel-psci |
 *          --upstream-uapi]
 *         [--no-kvm-services] [--kernel-log] [--until-init] [--append ARGS]
 *         [--optee smc|hvc [--corrupt-optee]] [--expect-failure] IMAGE INITRD
 *
 * The guest's /init (linux-guest-init.c) checks 4 CPUs, hotplugs CPUs 1-3 ten
 * times, reboots; the VMM resets every vCPU and boots it again in the same
 * VM with "vmmdemo.boot=2"; the second boot powers off. Exit 0 only if all
 * of that happened (and, with PSCI in userspace, every PSCI call was
 * answered here), else 1.
 *
 *   --in-kernel-psci  the control: KVM keeps PSCI (PSCI_TO_USER off)
 *   --upstream-uapi   as a VMM written for upstream's SMCCC filter: PSCI by
 *                     FWD_TO_USER ranges, registers by KVM_GET/SET_ONE_REG,
 *                     none of the series' additions (must work unchanged)
 *   --trace-only      PSCI in KVM, nothing answered here: every call the
 *                     kernel did not keep gets NOT_SUPPORTED, and a table of
 *                     them (with counts) ends the run, after the handled
 *                     ranges printed at start
 *   --no-kvm-services TRNG, PV time and KVM's vendor calls off (firmware
 *                     bitmap registers = 0): the guest's probes of them are
 *                     forwarded, e.g. for --trace-only to show
 *   --kernel-log      without "quiet": the guest kernel's log on the console
 *                     (every character is an MMIO exit: slow)
 *   --until-init      for figures: stop when the first boot reaches /init,
 *                     print the time since the VMM started, exit 0
 *   --append ARGS     more kernel command line
 *   --optee smc|hvc   OP-TEE served here (vmm/optee.c, the demo TA): a
 *                     linaro,optee-tz node with that method in the DT, and
 *                     "vmmdemo.tee=1": each boot's /init runs /tee, whose
 *                     TAP cases must all pass (the driver probed, sessions,
 *                     value and memref commands)
 *                     (with --trace-only: only the node, nothing answered,
 *                     /tee not run: the table shows the driver's probe)
 *   --corrupt-optee   a planted fault: output memrefs not written back
 *   --expect-failure  exit 0 only if a check failed (the verdict's own test)
 *   --smccc-version 1.1|1.2  the SMCCC version KVM answers the guest
 *                     (KVM_REG_ARM_FW_SMCCC_VERSION; default: the kernel's, 1.1)
 *   --ffa             serve an FF-A partition (vmm/ffa.c); the guest's /init
 *                     checks /sys/bus/arm_ffa/devices/ on each boot: the
 *                     partition there with SMCCC 1.2, nothing below (Linux's
 *                     FF-A driver needs 1.2), and no FF-A error in its log
 *   --ffa-optee       --ffa with OP-TEE's UUID and its probe's direct messages
 *                     (vmm/ffa-optee.c): the guest's OP-TEE driver over FF-A
 *                     must probe ("optee: initialized driver", /dev/tee0)
 *   --reboots N       reboot N times (default 1) before the last boot powers off
 *   --storms S        every boot but the last: S storms of CPUs 1-3 offline
 *                     and online all at once (robust/, issue 19); each storm,
 *                     each boot's 4 CPUs and every reboot are counted
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>
#include <linux/psci.h>

#include "vmm.h"
#include "psci.h"
#include "ffa.h"
#include "boot.h"
#include "optee.h"

#define NR_CPUS		4
#define RAM_SIZE	(256ULL << 20)
#define BOOTS		2		/* the first reboots, the second powers off */
#define MAX_BOOTS	64		/* with --reboots */
#define CYCLES		10		/* hotplug cycles linux-guest-init.c makes */

static struct vm vm;
static const char *image, *initrd;
static bool psci_smc, trace_only, in_kernel_psci, kernel_log, until_init, no_kvm_services;
static bool upstream_uapi;
static bool expect_failure;
static const char *append = "";
static uint32_t smccc_version;		/* 0: the kernel's default */
static bool ffa, ffa_optee;

/* The partition --ffa serves; the guest's /init is told what to expect */
#define FFA_PART_UUID	"714c47e6-1e0e-4ce1-a3ac-8393abae82b7"
static struct ffa_config ffa_cfg = { .vm_id = 0x0001, .part_id = 0x8001 };
static const char *optee_method;	/* --optee: "smc" or "hvc" */
static bool corrupt_optee;
static unsigned int boots = BOOTS, nr_storms;
static long long t_start;
static int insn_fd[VMM_MAX_VCPUS], nr_insn_fd;

/* What the guest and its firmware calls showed; under stats.lock */
static struct {
	pthread_mutex_t lock;
	unsigned int boot;		/* the boot under way, 1-based */
	bool init_seen[MAX_BOOTS + 1], hotplug_done, guest_failed;
	bool tee_passed[BOOTS + 1];	/* /tee's cases all passed (--optee) */
	unsigned int tap_ok, tap_not_ok;
	int cpus[MAX_BOOTS + 1], cycles, storms[MAX_BOOTS + 1];
	long long insn_cycle1;
	char fail_line[160];
	unsigned int resets, mmio_unhandled;
	unsigned int ffa_checked;	/* "init: ffa: checked" lines */
	/* CPU_ON applied on the target's thread: reset, registers, RUNNABLE */
	long long poll_ns;
	unsigned int polls;
} stats = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* The forwarded calls (vmm/'s tally), at the end of the run */
static struct service_tally tally;
static unsigned int psci[FID_PSCI_NR];	/* PSCI calls served here, by function */
static unsigned int psci_unanswered;	/* PSCI calls nobody here answered */

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * Instructions retired on every host CPU since the VMM started, guests
 * and host kernel included, or -1. QEMU counts them exactly under -icount
 * (its PMU has no instruction event otherwise), idle time excluded.
 */
static void insn_open(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_HARDWARE, .size = sizeof(attr),
		.config = PERF_COUNT_HW_INSTRUCTIONS,
	};
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	for (long cpu = 0; cpu < cpus && cpu < VMM_MAX_VCPUS; cpu++) {
		int fd = syscall(__NR_perf_event_open, &attr, -1, cpu, -1, 0);

		if (fd < 0) {
			while (nr_insn_fd)
				close(insn_fd[--nr_insn_fd]);
			return;
		}
		insn_fd[nr_insn_fd++] = fd;
	}
}

static long long insn_read(void)
{
	long long sum = 0;

	for (int i = 0; i < nr_insn_fd; i++) {
		uint64_t n;

		if (read(insn_fd[i], &n, sizeof(n)) != sizeof(n))
			return -1;
		sum += n;
	}
	return nr_insn_fd ? sum : -1;
}

/* " (N instructions)" if they are counted */
static const char *insn_note(char *buf, size_t size)
{
	long long n = insn_read();

	buf[0] = '\0';
	if (n >= 0)
		snprintf(buf, size, ", %lld instructions", n);
	return buf;
}

/*
 * "RESULT what=... k=v ..." lines carry the figures for scripts
 * (linux-figures.sh); the prose lines around them are for people.
 */
#define result(fmt, ...)	printf("RESULT what=" fmt "\n", __VA_ARGS__)

/* One line of guest console output: print it, and note the init's steps */
static void console_line(const char *line)
{
	char insn[48];
	unsigned int boot;
	int n, cpus;
	long long t;

	printf("[console] %s\n", line);
	pthread_mutex_lock(&stats.lock);
	boot = stats.boot;
	if (sscanf(line, "init: boot %d, %d CPUs", &n, &cpus) == 2 && boot <= boots &&
	    !stats.init_seen[boot]) {
		stats.init_seen[boot] = true;
		stats.cpus[boot] = cpus;
		if (n != (int)boot)
			snprintf(stats.fail_line, sizeof(stats.fail_line),
				 "boot %u: the guest saw vmmdemo.boot=%d", boot, n);
		t = now_ns() - t_start;
		printf("linux: boot %u reached /init %lld ns after the VMM started%s\n",
		       boot, t, insn_note(insn, sizeof(insn)));
		result("init boot=%u ns=%lld", boot, t);
		if (until_init)
			vm__stop(&vm, VM_SYSTEM_OFF, "--until-init: /init reached");
	} else if (sscanf(line, "init: hotplug cycle %d/", &n) == 1) {
		stats.cycles = n;
		/* Cycles 2..CYCLES whole, between two of these lines */
		if (n == 1) {
			stats.insn_cycle1 = insn_read();
		} else if (n == CYCLES && stats.insn_cycle1 >= 0) {
			printf("linux: hotplug cycles 2-%d: %lld instructions per cycle "
			       "(%d CPUs off, then on)\n", CYCLES,
			       (insn_read() - stats.insn_cycle1) / (CYCLES - 1), NR_CPUS - 1);
		}
	} else if (!strncmp(line, "init: hotplug done", 18)) {
		long long off, on;

		stats.hotplug_done = true;
		/* the guest clock's figures, from linux-guest-init.c */
		if (sscanf(line, "init: hotplug done: %d cycles; per CPU, offline %lld ns, "
			   "online %lld ns", &n, &off, &on) == 3)
			result("hotplug cycles=%d offline_ns=%lld online_ns=%lld", n, off, on);
		printf("linux: hotplug done %lld ns after the VMM started%s\n",
		       now_ns() - t_start, insn_note(insn, sizeof(insn)));
	} else if (!strncmp(line, "init: ffa: checked", 18)) {
		stats.ffa_checked++;
	} else if (!strcmp(line, "init: tee passed") && boot <= BOOTS) {
		stats.tee_passed[boot] = true;
	} else if (!strncmp(line, "ok ", 3)) {
		stats.tap_ok++;
	} else if (!strncmp(line, "not ok ", 7)) {
		stats.tap_not_ok++;
		stats.guest_failed = true;
		snprintf(stats.fail_line, sizeof(stats.fail_line), "guest: %s", line);
	} else if (sscanf(line, "init: storm %d/", &n) == 1 && boot <= boots) {
		if (n != ++stats.storms[boot])
			snprintf(stats.fail_line, sizeof(stats.fail_line),
				 "boot %u: storm %d reported as storm %d", boot, stats.storms[boot], n);
	} else if (!strncmp(line, "init: FAIL", 10)) {
		stats.guest_failed = true;
		snprintf(stats.fail_line, sizeof(stats.fail_line), "%s", line);
	}
	pthread_mutex_unlock(&stats.lock);
}

/*
 * PSCI in userspace (psci.c) unless --trace-only or --in-kernel-psci;
 * OP-TEE (optee.c) with --optee, FF-A (ffa.c) with --ffa; filled by create()
 */
static smccc_service services[3];
static int nr_services;
static const struct optee_ta *const tas[] = { &optee_ta_demo };

/* The guest's device: the UART. Anything else reads as zero, with a line. */
static bool handle_mmio(struct vcpu *v, uint64_t addr, uint8_t *data, uint32_t len,
			bool is_write)
{
	if (uart__mmio(v, addr, data, len, is_write))
		return true;
	printf("[vcpu%d] MMIO %s 0x%llx (%u bytes): no device, %s\n", v->id,
	       is_write ? "write" : "read", (unsigned long long)addr, len,
	       is_write ? "ignored" : "reads 0");
	if (!is_write)
		memset(data, 0, len);
	pthread_mutex_lock(&stats.lock);
	stats.mmio_unhandled++;
	pthread_mutex_unlock(&stats.lock);
	return true;
}

static bool handle_other(struct vcpu *v)
{
	vm__stop(&vm, VM_ERROR, "vcpu%d: unexpected exit reason %u", v->id,
		 v->run->exit_reason);
	return true;
}

/* psci__vcpu_poll(), timed when it started the vCPU (it made ioctls) */
static void psci_poll(struct vcpu *v)
{
	uint64_t ioctls = v->ioctls;
	long long t0 = now_ns();

	psci__vcpu_poll(v);
	if (v->ioctls == ioctls)
		return;
	t0 = now_ns() - t0;
	pthread_mutex_lock(&stats.lock);
	stats.poll_ns += t0;
	stats.polls++;
	pthread_mutex_unlock(&stats.lock);
}

static const struct vcpu_ops user_psci_ops = {
	.hypercall = service__hypercall,
	.mmio = handle_mmio,
	.system_event = vm__system_event,
	.other = handle_other,
	.before_run = psci_poll,
};

static const struct vcpu_ops kernel_psci_ops = {
	.hypercall = service__hypercall,
	.mmio = handle_mmio,
	.system_event = vm__system_event,
	.other = handle_other,
};

static void vcpu_main(struct vcpu *v)
{
	vcpu__loop(v, in_kernel_psci ? &kernel_psci_ops : &user_psci_ops);
	/*
	 * Complete the exit handled last (an MMIO read's data, a hypercall's
	 * results) now: KVM would apply it on the next KVM_RUN, after the reset.
	 */
	smccc__complete(v);
}

/* Load the Image, the initrd and a fresh DTB; vCPU0 at the entry point */
static void boot(unsigned int n)
{
	uint64_t mpidr[NR_CPUS];
	struct linux_boot b;
	struct fdt_config cfg = {
		.nr_cpus = NR_CPUS, .mpidr = mpidr,
		.ram_base = LINUX_RAM_BASE, .ram_size = RAM_SIZE, .psci_smc = psci_smc,
		.optee_method = optee_method,
	};
	char bootargs[640], expect[80] = "", uuid[40];
	size_t size;

	for (int i = 0; i < NR_CPUS; i++)
		mpidr[i] = vm.vcpus[i].mpidr;
	loader__load(&vm, LINUX_RAM_BASE, RAM_SIZE, image, initrd, &b);
	/* --ffa: the partition the guest must find (SMCCC 1.2), or none */
	if (ffa)
		snprintf(expect, sizeof(expect), " vmmdemo.ffa=%s%s",
			 smccc_version == SMCCC_VERSION_1_2 ?
			 ffa__format_uuid(ffa_cfg.uuid, uuid, sizeof(uuid)) : "none",
			 ffa_optee && smccc_version == SMCCC_VERSION_1_2 ?
			 " vmmdemo.ffatee=1" : "");
	/* The token linux-guest-init.c reads to tell the two boots apart */
	snprintf(bootargs, sizeof(bootargs), "console=ttyS0 %spanic=-1 vmmdemo.boot=%u%s%s%s%s",
		 kernel_log ? "" : "quiet ", n, expect,
		 optee_method && !trace_only ? " vmmdemo.tee=1" : "",
		 append[0] ? " " : "", append);
	if (boots != BOOTS || nr_storms)	/* linux-guest-init.c: storms, reboot loop */
		snprintf(bootargs + strlen(bootargs), sizeof(bootargs) - strlen(bootargs),
			 " vmmdemo.last=%u vmmdemo.storm=%u", boots, nr_storms);
	cfg.bootargs = bootargs;
	cfg.initrd = b.initrd;
	cfg.initrd_end = b.initrd_end;
	size = fdt__build(&vm, b.dtb, &cfg);
	loader__set_boot_regs(&vm.vcpus[0], &b);
	printf("linux: boot %u: Image at 0x%llx-0x%llx, initrd 0x%llx-0x%llx, DTB at 0x%llx "
	       "(%zu bytes), bootargs \"%s\"\n", n, (unsigned long long)b.kernel,
	       (unsigned long long)b.kernel_end, (unsigned long long)b.initrd,
	       (unsigned long long)b.initrd_end, (unsigned long long)b.dtb, size, bootargs);
}

/* SYSTEM_RESET: every vCPU back to its reset state, vCPU0 on, the rest off */
static void reset(void)
{
	for (int i = 0; i < NR_CPUS; i++) {
		vcpu__reset(&vm.vcpus[i]);
		if (!in_kernel_psci)
			psci__set_on(&vm.vcpus[i], i == 0);
	}
	uart__reset();
	if (ffa)
		ffa__reset();
	optee__reset();
	vm__resume(&vm);
}

static void create(void)
{
	static struct smccc_ranges ranges;
	int conduits;

	if (upstream_uapi)
		smccc__upstream_only();
	vm__create(&vm);
	conduits = smccc__conduits(&vm);
	if (!upstream_uapi && (conduits & (VMM_CONDUIT_HVC | VMM_CONDUIT_SMC)) !=
	    (VMM_CONDUIT_HVC | VMM_CONDUIT_SMC))
		die("the kernel forwards conduits 0x%x, want HVC|SMC (kernel without the "
		    "series?)", conduits);
	if (!in_kernel_psci && !smccc__has_psci_to_user(&vm))
		die("no KVM_CAP_ARM_PSCI_TO_USER (kernel without the series?)");
	vm__add_ram(&vm, LINUX_RAM_BASE, RAM_SIZE);
	gic__create(&vm);
	for (int i = 0; i < NR_CPUS; i++)
		/* vCPU0 boots the kernel; the others wait for CPU_ON */
		vcpu__create(&vm, i, VCPU_PSCI_0_2 | (i ? VCPU_POWER_OFF : 0));
	gic__init(&vm);
	uart__init(&vm, console_line);
	if (smccc_version) {
		/* VM-wide, through any vCPU, before the first KVM_RUN */
		smccc__set_version(&vm.vcpus[0], smccc_version);
		printf("linux: SMCCC %s for the guest (KVM_REG_ARM_FW_SMCCC_VERSION)\n",
		       smccc_version == SMCCC_VERSION_1_2 ? "1.2" : "1.1");
	}
	if (ffa) {
		ffa__init(&vm, &ffa_cfg);
		printf("linux: FF-A 1.1 served here (vmm/ffa.c): guest ID 0x%04x, partition "
		       "0x%04x %s%s\n", ffa_cfg.vm_id, ffa_cfg.part_id,
		       ffa_optee ? ffa_optee_uuid : FFA_PART_UUID,
		       ffa_optee ? " (OP-TEE's, vmm/ffa-optee.c)" : "");
	}

	/* Both before any vCPU runs */
	if (!upstream_uapi)
		smccc__forward(&vm, VMM_CONDUIT_HVC | VMM_CONDUIT_SMC);
	if (!in_kernel_psci) {
		smccc__psci_to_user(&vm, true);
		psci__init(&vm);
	}
	services[nr_services++] = psci__handle;
	if (optee_method) {
		optee__init(&vm, tas, ARRAY_SIZE(tas), corrupt_optee ? OPTEE_PLANT_NO_WRITEBACK : 0);
		services[nr_services++] = optee__handle;
	}
	if (ffa)
		services[nr_services++] = ffa__handle;
	service__init(services, trace_only ? 0 : nr_services);
	printf("linux: %d vCPUs, %llu MiB at 0x%llx, vGICv3, 8250 at 0x%llx; PSCI over %s %s\n",
	       NR_CPUS, RAM_SIZE >> 20, LINUX_RAM_BASE, LINUX_UART_BASE,
	       psci_smc ? "SMC" : "HVC",
	       in_kernel_psci ? "in the kernel (PSCI_TO_USER off)" :
	       upstream_uapi ? "in userspace, upstream's uAPI only (FWD_TO_USER filter "
			       "ranges, KVM_GET/SET_ONE_REG)" :
	       "in userspace (KVM_CAP_ARM_PSCI_TO_USER)");
	if (optee_method)
		printf("linux: OP-TEE %s over %s (linaro,optee-tz in the DT)%s\n",
		       trace_only ? "not served (--trace-only)" : "served here", optee_method,
		       corrupt_optee ? "; --corrupt-optee: output memrefs not written back" : "");
	if (no_kvm_services) {
		/*
		 * Clear the firmware bitmap registers (per VM, through any vCPU,
		 * before the first KVM_RUN): KVM then implements none of these
		 * services for this VM, and the guest's probes of them come here
		 * (Documentation/virt/kvm/arm/hypercalls.rst).
		 */
		/* TRNG off */
		vcpu__set_reg(&vm.vcpus[0], KVM_REG_ARM_STD_BMAP, 0);
		/* PV time off */
		vcpu__set_reg(&vm.vcpus[0], KVM_REG_ARM_STD_HYP_BMAP, 0);
		/* KVM's vendor hypervisor calls (features, PTP) off */
		vcpu__set_reg(&vm.vcpus[0], KVM_REG_ARM_VENDOR_HYP_BMAP, 0);
		printf("linux: TRNG, PV time and the KVM vendor calls off "
		       "(firmware bitmap registers = 0)\n");
	}
	if (upstream_uapi)
		return;
	smccc__read_ranges(&vm.vcpus[0], &ranges);
	decode__ranges(&ranges, "linux");
}

static void usage(void)
{
	fprintf(stderr,
		"usage: linux [--psci-conduit hvc|smc] [--trace-only | --in-kernel-psci | --upstream-uapi] "
		"[--no-kvm-services] [--kernel-log] [--until-init] [--append ARGS] "
		"[--expect-failure] [--smccc-version 1.1|1.2] [--ffa | --ffa-optee]\n"
		"       [--optee smc|hvc [--corrupt-optee]] [--reboots N] [--storms S] IMAGE INITRD\n");
	exit(1);
}

/* Every call that came to the VMM: the kernel did not keep it */
static void print_calls(void)
{
	char name[64];

	printf("linux: calls the kernel did not keep (%u exits, %u distinct):\n",
	       tally.exits, tally.nr_calls);
	if (!tally.nr_calls)
		printf("linux:   none: the kernel kept every call this guest made\n");
	for (unsigned int i = 0; i < tally.nr_calls; i++) {
		if (tally.calls[i].imm)
			snprintf(name, sizeof(name), "non-SMCCC");
		else
			decode__fid(tally.calls[i].fid, name, sizeof(name));
		printf("linux:   %s#%-3u 0x%08x %-32s %5u  %s\n",
		       tally.calls[i].smc ? "SMC" : "HVC", tally.calls[i].imm,
		       tally.calls[i].fid, name, tally.calls[i].count,
		       tally.calls[i].answered ? "answered here" : "NOT_SUPPORTED");
	}
}

/* The tally, and the PSCI calls in it by function */
static void read_tally(void)
{
	service__tally(&tally);
	memset(psci, 0, sizeof(psci));
	psci_unanswered = 0;
	for (unsigned int i = 0; i < tally.nr_calls; i++) {
		if (tally.calls[i].imm || !smccc_is_psci(tally.calls[i].fid))
			continue;
		if (tally.calls[i].answered)
			psci[smccc_psci_fn(tally.calls[i].fid)] += tally.calls[i].count;
		else
			psci_unanswered += tally.calls[i].count;
	}
}

/* What forwarding cost the VMM (under -icount: instructions) */
static void print_costs(void)
{
	read_tally();
	if (tally.exits) {
		printf("linux: time in the VMM per forwarded call: mean %lld ns, min %lld ns "
		       "(%u calls, trace line included)\n", tally.ns / tally.exits,
		       tally.min_ns, tally.exits);
		result("calls n=%u mean_ns=%lld min_ns=%lld", tally.exits,
		       tally.ns / tally.exits, tally.min_ns);
	}
	if (stats.polls) {
		printf("linux: CPU_ON on the target's thread: mean %lld ns (%u)\n",
		       stats.poll_ns / stats.polls, stats.polls);
		result("cpu_on n=%u mean_ns=%lld", stats.polls, stats.poll_ns / stats.polls);
	}
}

/*
 * --ffa: the guest checked its FF-A devices on both boots, and the driver's
 * calls match: with SMCCC 1.2 it mapped its buffers and read the partition
 * list on each boot (so ffa__reset let the second boot map again), below
 * 1.2 it never called.
 */
static void ffa_verdict(char *why, size_t size)
{
	struct ffa_stats f = ffa__stats();

	printf("linux: FF-A calls: %u (%u FFA_ERROR), VERSION %u, RXTX_MAP ok %u, "
	       "PARTITION_INFO_GET ok %u, RX_RELEASE ok %u, DIRECT_REQ ok %u; /init checked "
	       "%u boots\n", f.calls, f.errors, f.version, f.rxtx_map_ok,
	       f.partition_info_ok, f.rx_release_ok, f.direct_req_ok, stats.ffa_checked);
	if (stats.ffa_checked != BOOTS)
		snprintf(why, size, "/init checked FF-A on %u boots of %d", stats.ffa_checked,
			 BOOTS);
	else if (smccc_version == SMCCC_VERSION_1_2 &&
		 (f.rxtx_map_ok != BOOTS || f.partition_info_ok < BOOTS ||
		  f.rx_release_ok != f.partition_info_ok))
		snprintf(why, size, "FF-A with SMCCC 1.2: RXTX_MAP ok %u, PARTITION_INFO_GET "
			 "ok %u, RX_RELEASE ok %u, expected %d, >= %d, as many", f.rxtx_map_ok,
			 f.partition_info_ok, f.rx_release_ok, BOOTS, BOOTS);
	else if (smccc_version != SMCCC_VERSION_1_2 && f.calls)
		snprintf(why, size, "%u FF-A calls below SMCCC 1.2", f.calls);
	/* OP-TEE's probe: API version, OS revision, capabilities */
	else if (ffa_optee && smccc_version == SMCCC_VERSION_1_2 && f.direct_req_ok < 3 * BOOTS)
		snprintf(why, size, "%u direct requests answered, expected >= %d (OP-TEE's "
			 "probe on each boot)", f.direct_req_ok, 3 * BOOTS);
}

/* The first boot whose /init did not report every CPU and its storms, or 0 */
static unsigned int lost_boot(void)
{
	for (unsigned int n = 1; n <= boots; n++)
		if (!stats.init_seen[n] || stats.cpus[n] != NR_CPUS ||
		    stats.storms[n] != (int)(n < boots ? nr_storms : 0))
			return n;
	return 0;
}

/* Exit status: every step happened */
static int verdict(void)
{
	unsigned int *p = psci, n;
	char why[256] = "";

	read_tally();
	print_calls();
	if (!in_kernel_psci)
		printf("linux: PSCI served in userspace: VERSION %u, FEATURES %u, "
		       "MIGRATE_INFO_TYPE %u, CPU_ON %u, CPU_OFF %u, AFFINITY_INFO %u, "
		       "CPU_SUSPEND %u, SYSTEM_RESET %u, SYSTEM_OFF %u\n",
		       p[0x0], p[0xa], p[0x6], p[0x3], p[0x2], p[0x4], p[0x1], p[0x9], p[0x8]);
	print_costs();
	if (optee_method && !trace_only) {
		struct optee_stats o;

		optee__stats(&o);
		printf("linux: OP-TEE: %u calls, %u messages: %u sessions opened, %u invokes, "
		       "%u closed, %u buffers registered, %u unregistered, %u error answers; "
		       "guest TAP: %u ok, %u not ok\n", o.calls, o.msgs, o.opened, o.invoked,
		       o.closed, o.registered, o.unregistered, o.refused, stats.tap_ok,
		       stats.tap_not_ok);
	}

	if (vm.stop == VM_ERROR)
		snprintf(why, sizeof(why), "%s", vm.stop_reason);
	else if (stats.guest_failed || stats.fail_line[0])
		snprintf(why, sizeof(why), "%s", stats.fail_line);
	else if (!stats.init_seen[1] || stats.cpus[1] != NR_CPUS)
		snprintf(why, sizeof(why), "boot 1: /init did not report %d CPUs", NR_CPUS);
	else if (!stats.hotplug_done || stats.cycles != CYCLES)
		snprintf(why, sizeof(why), "%d hotplug cycles of %d", stats.cycles, CYCLES);
	else if (stats.resets != boots - 1)
		snprintf(why, sizeof(why), "%u resets, expected %u", stats.resets, boots - 1);
	else if ((n = lost_boot()))
		snprintf(why, sizeof(why), "boot %u: /init reported %d CPUs and %d storms, "
			 "expected %d and %u", n, stats.cpus[n], stats.storms[n], NR_CPUS,
			 n < boots ? nr_storms : 0);
	else if (vm.stop != VM_SYSTEM_OFF)
		snprintf(why, sizeof(why), "the run ended by %s, not SYSTEM_OFF", vm.stop_reason);
	else if (!in_kernel_psci &&
		 /* each boot brings 3 CPUs up; each cycle takes them down and up */
		 (p[0x3] < (boots + CYCLES + (boots - 1) * nr_storms) * (NR_CPUS - 1) ||
		  p[0x2] < (CYCLES + (boots - 1) * nr_storms) * (NR_CPUS - 1) ||
		  p[0x9] != boots - 1 || p[0x8] != 1))
		snprintf(why, sizeof(why), "PSCI in userspace missed steps: CPU_ON %u, "
			 "CPU_OFF %u, SYSTEM_RESET %u, SYSTEM_OFF %u", p[0x3], p[0x2], p[0x9],
			 p[0x8]);
	else if (!trace_only && psci_unanswered)
		snprintf(why, sizeof(why), "%u PSCI calls got NOT_SUPPORTED (no handler)",
			 psci_unanswered);
	else if (optee_method && !trace_only &&
		 (!stats.tee_passed[1] || !stats.tee_passed[2] || !stats.tap_ok))
		snprintf(why, sizeof(why), "--optee: /tee did not pass on both boots");
	else if (stats.mmio_unhandled)
		snprintf(why, sizeof(why), "%u MMIO accesses to no device", stats.mmio_unhandled);
	else if (ffa)
		ffa_verdict(why, sizeof(why));

	if (why[0]) {
		printf("linux: FAIL: %s\n", why);
		return 1;
	}
	printf("linux: PASS (PSCI %s over %s: %d CPUs, %d hotplug cycles, SYSTEM_RESET, "
	       "second boot with %d CPUs, SYSTEM_OFF%s%s%s; %lld ns from VMM start)\n",
	       in_kernel_psci ? "in the kernel" : "in userspace", psci_smc ? "SMC" : "HVC",
	       stats.cpus[1], stats.cycles, stats.cpus[2],
	       optee_method ? "; OP-TEE over " : "", optee_method ? optee_method : "",
	       optee_method ? (trace_only ? ": node only" : ": /tee passed on both boots") : "",
	       now_ns() - t_start);
	if (boots != BOOTS || nr_storms)
		printf("linux: PASS: %u boots with %d CPUs each, %u reboots, %u storms per boot "
		       "but the last (%u in all, CPUs 1-%d off and on at once), CPU_ON %u, "
		       "CPU_OFF %u\n", boots, NR_CPUS, stats.resets, nr_storms,
		       (boots - 1) * nr_storms, NR_CPUS - 1, p[0x3], p[0x2]);
	return 0;
}

int main(int argc, char **argv)
{
	insn_open();
	t_start = now_ns();
	setvbuf(stdout, NULL, _IOLBF, 0);
	vmm__set_name("linux");
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--psci-conduit") && i + 1 < argc) {
			i++;
			if (strcmp(argv[i], "hvc") && strcmp(argv[i], "smc"))
				usage();
			psci_smc = !strcmp(argv[i], "smc");
		} else if (!strcmp(argv[i], "--trace-only")) {
			trace_only = in_kernel_psci = true;
		} else if (!strcmp(argv[i], "--in-kernel-psci")) {
			in_kernel_psci = true;
		} else if (!strcmp(argv[i], "--upstream-uapi")) {
			upstream_uapi = true;
		} else if (!strcmp(argv[i], "--kernel-log")) {
			kernel_log = true;
		} else if (!strcmp(argv[i], "--expect-failure")) {
			expect_failure = true;
		} else if (!strcmp(argv[i], "--no-kvm-services")) {
			no_kvm_services = true;
		} else if (!strcmp(argv[i], "--until-init")) {
			until_init = true;
		} else if (!strcmp(argv[i], "--smccc-version") && i + 1 < argc) {
			i++;
			if (!strcmp(argv[i], "1.1"))
				smccc_version = SMCCC_VERSION_1_1;
			else if (!strcmp(argv[i], "1.2"))
				smccc_version = SMCCC_VERSION_1_2;
			else
				usage();
		} else if (!strcmp(argv[i], "--ffa")) {
			ffa = true;
		} else if (!strcmp(argv[i], "--ffa-optee")) {
			ffa = ffa_optee = true;
		} else if (!strcmp(argv[i], "--optee") && i + 1 < argc) {
			optee_method = argv[++i];
			if (strcmp(optee_method, "hvc") && strcmp(optee_method, "smc"))
				usage();
		} else if (!strcmp(argv[i], "--corrupt-optee")) {
			corrupt_optee = true;
		} else if (!strcmp(argv[i], "--append") && i + 1 < argc) {
			append = argv[++i];
		} else if (!strcmp(argv[i], "--reboots") && i + 1 < argc) {
			boots = strtoul(argv[++i], NULL, 0) + 1;
			if (boots < 2 || boots > MAX_BOOTS)
				usage();
		} else if (!strcmp(argv[i], "--storms") && i + 1 < argc) {
			nr_storms = strtoul(argv[++i], NULL, 0);
		} else if (argv[i][0] == '-' || (image && initrd)) {
			usage();
		} else if (!image) {
			image = argv[i];
		} else {
			initrd = argv[i];
		}
	}
	if (!image || !initrd)
		usage();
	if (ffa__parse_uuid(ffa_optee ? ffa_optee_uuid : FFA_PART_UUID, ffa_cfg.uuid))
		die("bad FF-A partition UUID");
	if (ffa_optee)
		ffa_cfg.direct = ffa_optee__direct;

	create();
	if (until_init) {
		stats.boot = 1;
		boot(1);
		vm__start_vcpus(&vm, vcpu_main);
		vm__join_vcpus(&vm);
		printf("linux: %s\n", vm.stop_reason);
		print_costs();
		return vm.stop == VM_SYSTEM_OFF && stats.init_seen[1] ? 0 : 1;
	}
	for (unsigned int n = 1;; n++) {
		stats.boot = n;
		boot(n);
		vm__start_vcpus(&vm, vcpu_main);
		vm__join_vcpus(&vm);
		uart__flush();
		printf("linux: boot %u ended: %s\n", n, vm.stop_reason);
		if (vm.stop != VM_SYSTEM_RESET || n == boots)
			break;
		stats.resets++;
		reset();
	}
	if (!expect_failure)
		return verdict();
	if (!verdict()) {
		printf("linux: FAIL: --expect-failure, but every check passed\n");
		return 1;
	}
	printf("linux: PASS (--expect-failure: the run failed a check, as it should)\n");
	return 0;
}
