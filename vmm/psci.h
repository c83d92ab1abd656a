/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PSCI 1.0 in userspace (KVM_CAP_ARM_PSCI_TO_USER), as a service any VMM
 * on vmm/ can use: VERSION, FEATURES, CPU_SUSPEND, CPU_OFF, CPU_ON,
 * AFFINITY_INFO, MIGRATE_INFO_TYPE, SYSTEM_OFF, SYSTEM_RESET. Power
 * states are psci.c's own; CPU_ON is applied on the target's own thread
 * by psci__vcpu_poll() (a vcpu_ops.before_run hook).
 */
#ifndef VMM_PSCI_H
#define VMM_PSCI_H

#include "vmm.h"

/*
 * After the vCPUs exist: a vCPU created with VCPU_POWER_OFF starts off.
 * SYSTEM_OFF and SYSTEM_RESET, after the call's trace line, are
 * vm__stop(VM_SYSTEM_OFF / VM_SYSTEM_RESET): the program decides what next.
 */
void psci__init(struct vm *vm);
/* An smccc_service */
bool psci__handle(struct vcpu *v, struct vmm_hypercall *hc, struct smccc_call *c);
/* On v's thread, outside KVM_RUN: apply a pending CPU_ON */
void psci__vcpu_poll(struct vcpu *v);
/* After a system reset: v on (entry set by the caller) or off */
void psci__set_on(struct vcpu *v, bool on);

#endif
