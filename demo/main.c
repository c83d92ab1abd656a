// SPDX-License-Identifier: GPL-2.0
/*
 * demo VMM: a guest's firmware calls answered in userspace over the
 * KVM_EXIT_HYPERCALL exit of the "userspace SMCCC exits" series, on vmm/.
 *
 *   vmm [--trace-only] [--corrupt-sip] [--expect-guest-failure] guest.bin
 *
 * Exit status: 0 pass, 1 fail. A kernel without the series is a failure,
 * not a skip: this demo exists to show the series at work.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"

static struct vm vm;
static bool trace_only, expect_guest_failure;

/* Counted per exit kind, plus the distinct calls nobody answered */
static struct {
	pthread_mutex_t lock;
	unsigned int exits, kind[NR_CALL_KINDS];
	unsigned int nr_missing;
	struct { uint32_t fid; uint16_t imm; bool smc; unsigned int count; } missing[32];
} stats = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void count_exit(const struct vmm_hypercall *hc, const uint64_t *in,
		       const struct smccc_call *c)
{
	unsigned int i;

	pthread_mutex_lock(&stats.lock);
	stats.exits++;
	stats.kind[c->kind]++;
	if (c->kind == VMM_CALL_NONE) {
		bool smc = hc->flags & VMM_HC_SMC;
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
 * One KVM_EXIT_HYPERCALL: PSCI, then our SiP service, then the non-SMCCC
 * console; whatever nobody takes gets NOT_SUPPORTED. In trace-only mode
 * nobody answers, but the guest's report is read on the way.
 */
static bool handle_hypercall(struct vcpu *v, struct vmm_hypercall *hc)
{
	static const smccc_service full[] = { psci__handle, sip__handle, console__handle };
	static const smccc_service observe[] = { sip__observe };
	struct smccc_call c;
	uint64_t in[VMM_HC_NR_REGS];

	if (trace_only)
		smccc__dispatch(v, hc, observe, ARRAY_SIZE(observe), true, &c, in);
	else
		smccc__dispatch(v, hc, full, ARRAY_SIZE(full), true, &c, in);
	count_exit(hc, in, &c);
	return true;
}

/* Only with PSCI in the kernel (--trace-only): SYSTEM_OFF arrives here. */
static bool handle_system_event(struct vcpu *v, uint32_t type)
{
	printf("[vcpu%d] SYSTEM_EVENT %s (PSCI in the kernel)\n", v->id,
	       type == KVM_SYSTEM_EVENT_SHUTDOWN ? "SHUTDOWN" :
	       type == KVM_SYSTEM_EVENT_RESET ? "RESET" : "(other type)");
	if (trace_only && type == KVM_SYSTEM_EVENT_SHUTDOWN)
		vm__stop(&vm, VM_SYSTEM_OFF, "SYSTEM_OFF from vcpu%d (in the kernel)", v->id);
	else if (trace_only && type == KVM_SYSTEM_EVENT_RESET)
		vm__stop(&vm, VM_SYSTEM_RESET, "SYSTEM_RESET from vcpu%d (in the kernel)", v->id);
	else
		vm__stop(&vm, VM_ERROR, "unexpected KVM_EXIT_SYSTEM_EVENT type %u on vcpu%d",
			 type, v->id);
	return true;
}

/* PSCI's SYSTEM_OFF/SYSTEM_RESET: this demo does not reboot, both end the run */
static void psci_system_event(struct vcpu *v, enum psci_system_event ev)
{
	if (ev == PSCI_EVENT_SYSTEM_OFF)
		vm__stop(&vm, VM_SYSTEM_OFF, "SYSTEM_OFF from vcpu%d", v->id);
	else
		vm__stop(&vm, VM_SYSTEM_RESET, "SYSTEM_RESET from vcpu%d", v->id);
}

static const struct vcpu_ops demo_ops = {
	.hypercall = handle_hypercall,
	.system_event = handle_system_event,
	.before_run = psci__vcpu_poll,
};

static void vcpu_thread(struct vcpu *v)
{
	if (!vcpu__loop(v, &demo_ops))
		vm__stop(&vm, VM_ERROR, "vcpu%d: unexpected exit reason %u at pc 0x%llx",
			 v->id, v->run->exit_reason,
			 (unsigned long long)vcpu__get_reg(v, REG_PC));
}

static void create_vm(const char *payload)
{
	uint32_t both = VMM_CONDUIT_HVC | VMM_CONDUIT_SMC;
	struct smccc_ranges ranges;
	size_t size;

	vm__create(&vm);
	if ((smccc__conduits(&vm) & both) != both)
		die("KVM_CHECK_EXTENSION(KVM_CAP_ARM_HYPERCALL_TO_USER) = %d, "
		    "want HVC|SMC (kernel without the series?)",
		    vm__check_extension(&vm, smccc_cap_hypercall_to_user));
	if (!trace_only && !smccc__has_psci_to_user(&vm))
		die("KVM_CHECK_EXTENSION(KVM_CAP_ARM_PSCI_TO_USER) != 1 "
		    "(kernel without the series?)");

	vm__add_ram(&vm, GUEST_RAM_BASE, GUEST_RAM_SIZE);
	size = vm__load_file(&vm, payload, GUEST_RAM_BASE);
	printf("demo: loaded %s (%zu bytes) at 0x%x\n", payload, size, GUEST_RAM_BASE);

	/* Both before any vCPU runs (SPEC §3, §4) */
	smccc__forward(&vm, both);
	if (!trace_only)
		smccc__psci_to_user(&vm, true);
	printf("demo: KVM_CAP_ARM_HYPERCALL_TO_USER = HVC|SMC, KVM_CAP_ARM_PSCI_TO_USER = %s\n",
	       trace_only ? "off (trace-only: PSCI stays in the kernel)" : "on");

	/* vCPU0 starts at the payload, the others wait for PSCI CPU_ON */
	for (int i = 0; i < NR_VCPUS; i++)
		vcpu__create(&vm, i, VCPU_PSCI_0_2 | (i ? VCPU_POWER_OFF : 0));
	/*
	 * SMCCC 1.2 for the guest (KVM_REG_ARM_FW_SMCCC_VERSION, SPEC §7): the
	 * default 1.1 would not let it pass x4..x17 to demo.sum. VM-wide.
	 */
	smccc__set_version(&vm.vcpus[0], VMM_SMCCC_1_2);
	/* vCPU0's PC: the payload's first instruction */
	vcpu__set_reg(&vm.vcpus[0], REG_PC, GUEST_RAM_BASE);
	/* x0 = 0: no boot argument */
	vcpu__set_reg(&vm.vcpus[0], REG_X(0), 0);
	for (int i = 0; i < NR_VCPUS; i++)
		printf("demo: vcpu%d MPIDR 0x%llx, %s\n", i,
		       (unsigned long long)vm.vcpus[i].mpidr,
		       i ? "powered off (KVM_ARM_VCPU_POWER_OFF)" : "starts at the payload");

	printf("demo: SMCCC_VERSION answered in the kernel: 1.2 (KVM_REG_ARM_FW_SMCCC_VERSION)\n");
	smccc__read_ranges(&vm.vcpus[0], &ranges);
	decode__ranges(&ranges, "demo");
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
	unsigned int want_mode = trace_only ? DEMO_MODE_TRACE : DEMO_MODE_FULL;
	char why[256] = "";
	bool guest_failed = r.seen && r.line != 0;

	if (trace_only && stats.nr_missing) {
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
	if (vm.stop == VM_ERROR)
		snprintf(why, sizeof(why), "%s", vm.stop_reason);
	else if (guest_failed)
		snprintf(why, sizeof(why),
			 "guest check failed on vcpu%d at guest.S:%llu: got 0x%llx, expected 0x%llx",
			 r.vcpu, (unsigned long long)r.line, (unsigned long long)r.got,
			 (unsigned long long)r.expected);
	else if (!r.seen)
		snprintf(why, sizeof(why), "the guest never reported (stopped by %s)",
			 vm.stop_reason);
	else if (r.mode != want_mode)
		snprintf(why, sizeof(why), "the guest ran in mode %llu, expected %u",
			 (unsigned long long)r.mode, want_mode);
	else if (vm.stop != VM_SYSTEM_OFF)
		snprintf(why, sizeof(why), "the run ended by %s, not SYSTEM_OFF",
			 vm.stop_reason);
	else if (trace_only && !stats.kind[VMM_CALL_NONE])
		snprintf(why, sizeof(why), "nothing was forwarded");

	if (expect_guest_failure) {
		if (guest_failed && vm.stop != VM_ERROR) {
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
	if (trace_only)
		printf("demo: PASS (trace-only: %u exits, %u distinct calls answered "
		       "NOT_SUPPORTED, guest saw NOT_SUPPORTED everywhere; %s)\n",
		       stats.exits, stats.nr_missing, vm.stop_reason);
	else
		printf("demo: PASS (%u exits: %u PSCI, %u SiP, %u console, %u NOT_SUPPORTED; "
		       "guest checked every result on %d vCPUs; %s)\n",
		       stats.exits, stats.kind[VMM_CALL_PSCI], stats.kind[CALL_SIP],
		       stats.kind[CALL_CONSOLE], stats.kind[VMM_CALL_NONE], NR_VCPUS,
		       vm.stop_reason);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct psci_ops psci_ops = { .system_event = psci_system_event };
	const char *payload = NULL;
	bool corrupt_sip = false;

	setvbuf(stdout, NULL, _IOLBF, 0);
	vmm__set_name("demo");
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--trace-only"))
			trace_only = true;
		else if (!strcmp(argv[i], "--corrupt-sip"))
			corrupt_sip = true;
		else if (!strcmp(argv[i], "--expect-guest-failure"))
			expect_guest_failure = true;
		else if (argv[i][0] == '-' || payload)
			usage();
		else
			payload = argv[i];
	}
	if (!payload)
		usage();

	sip__init(corrupt_sip);
	create_vm(payload);
	psci__init(&vm, &psci_ops);
	vm__start_vcpus(&vm, vcpu_thread);
	vm__join_vcpus(&vm);
	return verdict();
}
