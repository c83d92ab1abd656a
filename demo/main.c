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

/*
 * PSCI, then our SiP service, then the non-SMCCC console; whatever nobody
 * takes gets NOT_SUPPORTED. In trace-only mode nobody answers, but the
 * guest's report is read on the way.
 */
static const smccc_service full[] = { psci__handle, sip__handle, console__handle };
static const smccc_service observe[] = { sip__observe };

/*
 * Trace-only: PSCI stays in the kernel and its SYSTEM_OFF comes as a
 * system event. Otherwise PSCI is ours and a system event is an error
 * (no handler: the loop stops on it).
 */
static const struct vcpu_ops trace_ops = {
	.hypercall = service__hypercall,
	.system_event = vm__system_event,
};

static const struct vcpu_ops demo_ops = {
	.hypercall = service__hypercall,
	.before_run = psci__vcpu_poll,
};

static void vcpu_thread(struct vcpu *v)
{
	if (!vcpu__loop(v, trace_only ? &trace_ops : &demo_ops))
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
	smccc__set_version(&vm.vcpus[0], SMCCC_VERSION_1_2);
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
	static struct service_tally t;
	struct report r = sip__report();
	unsigned int want_mode = trace_only ? DEMO_MODE_TRACE : DEMO_MODE_FULL;
	char why[256] = "";
	bool guest_failed = r.seen && r.line != 0;
	unsigned int nr_missing = 0;

	service__tally(&t);
	for (unsigned int i = 0; i < t.nr_calls; i++) {
		char id[16] = "", name[64] = "non-SMCCC";

		if (t.calls[i].answered)
			continue;
		if (!nr_missing++ && trace_only)
			printf("demo: calls this guest made that nothing implements "
			       "(each answered NOT_SUPPORTED):\n");
		if (!trace_only)
			continue;
		if (!t.calls[i].imm) {
			snprintf(id, sizeof(id), "0x%08x", t.calls[i].fid);
			decode__fid(t.calls[i].fid, name, sizeof(name));
		}
		printf("demo:   %s#%-3u %-10s %-24s %u call%s\n",
		       t.calls[i].smc ? "SMC" : "HVC", t.calls[i].imm, id, name,
		       t.calls[i].count, t.calls[i].count > 1 ? "s" : "");
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
	else if (trace_only && !t.kind[VMM_CALL_NONE])
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
		       t.exits, nr_missing, vm.stop_reason);
	else
		printf("demo: PASS (%u exits: %u PSCI, %u SiP, %u console, %u NOT_SUPPORTED; "
		       "guest checked every result on %d vCPUs; %s)\n",
		       t.exits, t.kind[VMM_CALL_PSCI], t.kind[CALL_SIP],
		       t.kind[CALL_CONSOLE], t.kind[VMM_CALL_NONE], NR_VCPUS,
		       vm.stop_reason);
	return 0;
}

int main(int argc, char **argv)
{
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
	psci__init(&vm);
	if (trace_only)
		service__init(observe, ARRAY_SIZE(observe));
	else
		service__init(full, ARRAY_SIZE(full));
	vm__start_vcpus(&vm, vcpu_thread);
	vm__join_vcpus(&vm);
	return verdict();
}
