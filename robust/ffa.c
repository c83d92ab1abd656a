// SPDX-License-Identifier: GPL-2.0
/*
 * robust/ffa: vmm/ffa.c under hostile input (issue 18, part 3).
 *
 *   ffa [--plant-bug] ffa-guest.bin
 *
 * One vCPU runs ffa_guest.c: bad FF-A calls (buffers unaligned, outside
 * RAM, overlapping, huge counts, double maps; partition info without
 * buffers or with RX still the guest's; bad IDs in direct messages;
 * unknown functions), each checked by the guest against the spec's status
 * code and printed here as a TAP line; then random calls, then the good
 * sequence again (the service still serves). Exit 0 if every case passed
 * and the guest got to the end, 1 if not, 4 (skip) without the series.
 *
 *   --plant-bug  the partition's UUID in the service is not the one the
 *                guest expects: the descriptor and UUID cases must fail
 *                (passes only if they do: the checks' own test)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmm.h"
#include "ffa.h"
#include "ffa_abi.h"

#define EXIT_SKIP	4

static struct vm vm;
static bool quiet, plant_bug;

/* The guest's reports; only vCPU0 runs */
static struct {
	unsigned int cases, failed, last;
	bool out_of_order, done;
	unsigned int done_cases, done_failed;
} rep;
static unsigned int quiet_calls;

/* A NUL-terminated name in guest RAM, at most size - 1 characters */
static void guest_string(uint64_t gpa, char *buf, size_t size)
{
	size_t n = 0;

	for (; n + 1 < size; n++) {
		const char *p = vm__gpa_to_host(&vm, gpa + n, 1);

		if (!p || !*p)
			break;
		buf[n] = *p;
	}
	buf[n] = '\0';
}

static bool report(struct vcpu *v, struct vmm_hypercall *hc, struct smccc_call *c)
{
	uint64_t *r = hc->regs;
	char name[120];

	(void)v;
	if (hc->imm)
		return false;
	switch (hypercall__fid(hc)) {
	case FFA_GUEST_CHECK:
		guest_string(r[5], name, sizeof(name));
		rep.cases++;
		rep.failed += !r[2];
		rep.out_of_order |= r[1] != rep.last + 1;
		rep.last = r[1];
		if (r[2])
			printf("ok %llu - %s\n", (unsigned long long)r[1], name);
		else
			printf("not ok %llu - %s: got 0x%llx, expected 0x%llx\n",
			       (unsigned long long)r[1], name, (unsigned long long)r[3],
			       (unsigned long long)r[4]);
		break;
	case FFA_GUEST_DONE:
		rep.done = true;
		rep.done_cases = r[1];
		rep.done_failed = r[2];
		break;
	case FFA_GUEST_QUIET:
		quiet = r[1];
		if (quiet)
			printf("ffa: random calls, answered without a trace line each\n");
		else
			printf("ffa: %u calls answered quietly\n", quiet_calls);
		break;
	default:
		return false;
	}
	r[0] = SMCCC_RET_SUCCESS;
	c->kind = VMM_CALL_PROGRAM;
	c->name = "robust-ffa";
	c->arg_hi = -1;
	c->nres = 0;
	return true;
}

static const smccc_service services[] = { ffa__handle, report };

/* The random phase: the same services, no trace line (thousands of calls) */
static bool hypercall(struct vcpu *v, struct vmm_hypercall *hc)
{
	struct smccc_call c = { 0 };

	if (!quiet)
		return service__hypercall(v, hc);
	quiet_calls++;
	if (!ffa__handle(v, hc, &c) && !report(v, hc, &c))
		hc->regs[0] = SMCCC_RET_NOT_SUPPORTED;
	return true;
}

static const struct vcpu_ops ops = {
	.hypercall = hypercall,
	.system_event = vm__system_event,
};

static void vcpu_main(struct vcpu *v)
{
	if (!vcpu__loop(v, &ops))
		vm__stop(&vm, VM_ERROR, "vcpu%d: unexpected exit reason %u at pc 0x%llx",
			 v->id, v->run->exit_reason,
			 (unsigned long long)vcpu__get_reg(v, REG_PC));
}

static void create(const char *payload)
{
	uint32_t both = VMM_CONDUIT_HVC | VMM_CONDUIT_SMC;
	uint32_t uuid[4] = { FFA_GUEST_UUID_W0, FFA_GUEST_UUID_W1, FFA_GUEST_UUID_W2,
			     FFA_GUEST_UUID_W3 };
	struct ffa_config cfg = { .vm_id = FFA_GUEST_VM_ID, .part_id = FFA_GUEST_PART_ID };
	char buf[40];
	size_t size;
	int ret;

	if (__vm__create(&vm)) {
		printf("ffa: SKIP: cannot open /dev/kvm\n");
		exit(EXIT_SKIP);
	}
	if ((smccc__conduits(&vm) & both) != both) {
		printf("ffa: SKIP: the kernel does not forward HVC and SMC (no series)\n");
		exit(EXIT_SKIP);
	}
	vm__add_ram(&vm, FFA_GUEST_RAM_BASE, FFA_GUEST_RAM_SIZE);
	size = vm__load_file(&vm, payload, FFA_GUEST_RAM_BASE);
	smccc__forward(&vm, both);
	vcpu__create(&vm, 0, VCPU_PSCI_0_2);
	/* FF-A is an SMCCC 1.2 ABI; the payload does not ask, so best effort */
	ret = __smccc__set_version(&vm.vcpus[0], SMCCC_VERSION_1_2);
	vcpu__set_reg(&vm.vcpus[0], REG_PC, FFA_GUEST_RAM_BASE);

	memcpy(cfg.uuid, uuid, sizeof(cfg.uuid));	/* w1..w4: the bytes in order */
	if (plant_bug)
		cfg.uuid[15] ^= 0x80;
	ffa__init(&vm, &cfg);
	service__init(services, ARRAY_SIZE(services));
	printf("ffa: %s (%zu bytes) at 0x%x, %u MiB RAM; SMCCC 1.2 %s; partition 0x%04x %s%s, "
	       "guest ID 0x%04x\n", payload, size, FFA_GUEST_RAM_BASE,
	       FFA_GUEST_RAM_SIZE >> 20, ret ? "not settable (older kernel)" : "set",
	       cfg.part_id, ffa__format_uuid(cfg.uuid, buf, sizeof(buf)),
	       plant_bug ? " (--plant-bug: not the guest's)" : "", cfg.vm_id);
}

int main(int argc, char **argv)
{
	const char *payload = NULL;
	struct ffa_stats f;
	struct timespec t0, t1;
	char why[160] = "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	vmm__set_name("ffa");
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--plant-bug"))
			plant_bug = true;
		else if (argv[i][0] == '-' || payload)
			payload = NULL, i = argc;
		else
			payload = argv[i];
	}
	if (!payload) {
		fprintf(stderr, "usage: ffa [--plant-bug] ffa-guest.bin\n");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	create(payload);
	vm__start_vcpus(&vm, vcpu_main);
	vm__join_vcpus(&vm);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	f = ffa__stats();
	printf("ffa: %u FF-A calls (%u FFA_ERROR), %u cases (%u failed), %.2f s; %s\n",
	       f.calls, f.errors, rep.cases, rep.failed,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, vm.stop_reason);

	if (vm.stop == VM_ERROR)
		snprintf(why, sizeof(why), "%s", vm.stop_reason);
	else if (!rep.done)
		snprintf(why, sizeof(why), "the guest never got to the end");
	else if (rep.done_cases != rep.cases || rep.out_of_order)
		snprintf(why, sizeof(why), "the guest made %u cases, %u reported here%s",
			 rep.done_cases, rep.cases, rep.out_of_order ? ", out of order" : "");
	else if (f.calls < FFA_GUEST_RANDOM_CALLS)
		snprintf(why, sizeof(why), "%u FF-A calls, fewer than the random ones alone",
			 f.calls);
	else if (vm.stop != VM_SYSTEM_OFF)
		snprintf(why, sizeof(why), "the run ended by %s, not SYSTEM_OFF", vm.stop_reason);
	if (plant_bug) {
		if (!why[0] && rep.failed) {
			printf("ffa: PASS (--plant-bug: %u cases caught the wrong UUID)\n",
			       rep.failed);
			return 0;
		}
		printf("ffa: FAIL: --plant-bug, but %s\n", why[0] ? why : "every case passed");
		return 1;
	}
	if (!why[0] && rep.failed)
		snprintf(why, sizeof(why), "%u of %u cases failed", rep.failed, rep.cases);
	if (why[0]) {
		printf("ffa: FAIL: %s\n", why);
		return 1;
	}
	printf("ffa: PASS (%u cases, every answer the spec's; the service kept serving)\n",
	       rep.cases);
	return 0;
}
