/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Demo VMM for KVM/arm64 with KVM_CAP_ARM_HYPERCALL_TO_USER and
 * KVM_CAP_ARM_PSCI_TO_USER: PSCI (vmm/psci.c), a SiP service and a
 * non-SMCCC hypercall answered in userspace. One thread per vCPU.
 */
#ifndef DEMO_H
#define DEMO_H

#include "vmm.h"
#include "psci.h"
#include "guest_abi.h"

#define NR_VCPUS		2

/* smccc_call.kind of this demo's services */
enum { CALL_SIP = VMM_CALL_PROGRAM, CALL_CONSOLE, NR_CALL_KINDS };

/* The guest's verdict from DEMO_SIP_REPORT */
struct report {
	bool seen;
	int vcpu;
	uint64_t line, mode, got, expected;
};

/* sip.c */
void sip__init(bool corrupt_sum);
bool sip__handle(struct vcpu *v, struct vmm_hypercall *hc, struct smccc_call *c);
bool sip__observe(struct vcpu *v, struct vmm_hypercall *hc, struct smccc_call *c);
struct report sip__report(void);

/* console.c */
bool console__handle(struct vcpu *v, struct vmm_hypercall *hc, struct smccc_call *c);

#endif
