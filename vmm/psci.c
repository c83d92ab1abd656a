// SPDX-License-Identifier: GPL-2.0
/*
 * PSCI 1.0 in userspace (KVM_CAP_ARM_PSCI_TO_USER): the VMM owns power
 * management, KVM only forwards the calls. Numbers from <linux/psci.h>.
 * The power state of each vCPU is this file's, under psci_lock.
 */
#include <stdio.h>
#include <linux/psci.h>
#include <asm/ptrace.h>

#include "psci.h"

enum power { PWR_OFF, PWR_ON_PENDING, PWR_ON };

static pthread_mutex_t psci_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	enum power power;
	uint64_t entry, context_id;
} cpu[VMM_MAX_VCPUS];

void psci__init(struct vm *vm)
{
	pthread_mutex_lock(&psci_lock);
	for (int i = 0; i < vm->nr_vcpus; i++)
		cpu[i].power = vm->vcpus[i].features & VCPU_POWER_OFF ? PWR_OFF : PWR_ON;
	pthread_mutex_unlock(&psci_lock);
}

void psci__set_on(struct vcpu *v, bool on)
{
	pthread_mutex_lock(&psci_lock);
	cpu[v->id].power = on ? PWR_ON : PWR_OFF;
	pthread_mutex_unlock(&psci_lock);
}

/* Implemented here; also the answer of PSCI_FEATURES. */
static bool psci_implemented(uint32_t fid)
{
	switch (fid) {
	case PSCI_0_2_FN_PSCI_VERSION:
	case PSCI_0_2_FN_CPU_SUSPEND:
	case PSCI_0_2_FN64_CPU_SUSPEND:
	case PSCI_0_2_FN_CPU_OFF:
	case PSCI_0_2_FN_CPU_ON:
	case PSCI_0_2_FN64_CPU_ON:
	case PSCI_0_2_FN_AFFINITY_INFO:
	case PSCI_0_2_FN64_AFFINITY_INFO:
	case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
	case PSCI_0_2_FN_SYSTEM_OFF:
	case PSCI_0_2_FN_SYSTEM_RESET:
	case PSCI_1_0_FN_PSCI_FEATURES:
		return true;
	default:
		return false;
	}
}

static const char *psci_ret_name(int64_t ret)
{
	static const char *const names[] = {
		[0] = "SUCCESS",		[1] = "NOT_SUPPORTED",
		[2] = "INVALID_PARAMS",		[3] = "DENIED",
		[4] = "ALREADY_ON",		[5] = "ON_PENDING",
		[6] = "INTERNAL_FAILURE",	[7] = "NOT_PRESENT",
		[8] = "DISABLED",		[9] = "INVALID_ADDRESS",
	};

	return ret <= 0 && -ret < 10 ? names[-ret] : "?";
}

static struct vcpu *vcpu_by_mpidr(struct vm *vm, uint64_t mpidr)
{
	for (int i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].mpidr == (mpidr & MPIDR_AFF_MASK))
			return &vm->vcpus[i];
	return NULL;
}

static void kick_target(struct vcpu *self, struct smccc_call *c)
{
	(void)self;
	vcpu__kick(c->target);
}

/*
 * Record the request; the target's own thread applies it in
 * psci__vcpu_poll() once the kick gets it out of KVM_RUN.
 */
static int64_t psci_cpu_on(struct vcpu *v, struct smccc_call *c, uint64_t mpidr,
			   uint64_t entry, uint64_t context_id)
{
	struct vcpu *t = vcpu_by_mpidr(v->vm, mpidr);
	int64_t ret = PSCI_RET_SUCCESS;

	if (!t)
		return PSCI_RET_INVALID_PARAMS;
	if (!vm__gpa_to_host(v->vm, entry, 4) || (entry & 3))
		return PSCI_RET_INVALID_ADDRESS;

	pthread_mutex_lock(&psci_lock);
	if (cpu[t->id].power == PWR_ON) {
		ret = PSCI_RET_ALREADY_ON;
	} else if (cpu[t->id].power == PWR_ON_PENDING) {
		ret = PSCI_RET_ON_PENDING;
	} else {
		cpu[t->id].entry = entry;
		cpu[t->id].context_id = context_id;
		cpu[t->id].power = PWR_ON_PENDING;
		c->target = t;
		c->after = kick_target;
	}
	pthread_mutex_unlock(&psci_lock);
	return ret;
}

/* Runs on the target's thread, outside KVM_RUN. */
void psci__vcpu_poll(struct vcpu *v)
{
	pthread_mutex_lock(&psci_lock);
	if (cpu[v->id].power == PWR_ON_PENDING) {
		/* The core comes up as from reset (MMU off, caches off) */
		vcpu__reset(v);
		/* PC = entry point address passed to CPU_ON */
		vcpu__set_reg(v, REG_PC, cpu[v->id].entry);
		/* x0 = context_id passed to CPU_ON */
		vcpu__set_reg(v, REG_X(0), cpu[v->id].context_id);
		/* EL1h with D, A, I and F masked, as PSCI requires at entry */
		vcpu__set_reg(v, REG_PSTATE, PSR_MODE_EL1h | PSR_D_BIT |
			      PSR_A_BIT | PSR_I_BIT | PSR_F_BIT);
		vcpu__set_mp_state(v, KVM_MP_STATE_RUNNABLE);
		cpu[v->id].power = PWR_ON;
	}
	pthread_mutex_unlock(&psci_lock);
}

/*
 * CPU_OFF does not return. Stop the vCPU (KVM_SET_MP_STATE completes the
 * pending exit first, SPEC §2, so nothing of it is left to overwrite what
 * a later CPU_ON sets), and only then tell AFFINITY_INFO that it is off.
 */
static void cpu_off_after(struct vcpu *self, struct smccc_call *c)
{
	(void)c;
	vcpu__set_mp_state(self, KVM_MP_STATE_STOPPED);
	psci__set_on(self, false);
}

/*
 * ON if any vCPU matching target_affinity at lowest_affinity_level and
 * above is on (ARM DEN 0022D, AFFINITY_INFO).
 */
static int64_t psci_affinity_info(struct vm *vm, uint64_t target, uint64_t level)
{
	static const uint64_t level_mask[] = {
		0xff00ffffffULL, 0xff00ffff00ULL, 0xff00ff0000ULL, 0xff00000000ULL,
	};
	int64_t ret = PSCI_RET_INVALID_PARAMS;

	if (level > 3)
		return PSCI_RET_INVALID_PARAMS;
	pthread_mutex_lock(&psci_lock);
	for (int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *t = &vm->vcpus[i];

		if ((t->mpidr & level_mask[level]) != (target & level_mask[level]))
			continue;
		if (cpu[i].power == PWR_ON) {
			ret = PSCI_0_2_AFFINITY_LEVEL_ON;
			break;
		}
		if (cpu[i].power == PWR_ON_PENDING)
			ret = PSCI_0_2_AFFINITY_LEVEL_ON_PENDING;
		else if (ret == PSCI_RET_INVALID_PARAMS)
			ret = PSCI_0_2_AFFINITY_LEVEL_OFF;
	}
	pthread_mutex_unlock(&psci_lock);
	return ret;
}

/* SYSTEM_OFF and SYSTEM_RESET stop the VM; the program decides what next */
static void system_off_after(struct vcpu *self, struct smccc_call *c)
{
	(void)c;
	vm__stop(self->vm, VM_SYSTEM_OFF, "SYSTEM_OFF from vcpu%d (PSCI in userspace)",
		 self->id);
}

static void system_reset_after(struct vcpu *self, struct smccc_call *c)
{
	(void)c;
	vm__stop(self->vm, VM_SYSTEM_RESET, "SYSTEM_RESET from vcpu%d (PSCI in userspace)",
		 self->id);
}

bool psci__handle(struct vcpu *v, struct vmm_hypercall *hc, struct smccc_call *c)
{
	static const char *const affinity_state[] = { "ON", "OFF", "ON_PENDING" };
	uint32_t fid = hypercall__fid(hc);
	bool smc64 = fid & SMCCC_SMC64;
	/* SMC32 calls pass 32-bit arguments (SMCCC DEN0028, "SMC32/HVC32") */
	uint64_t a1 = smc64 ? hc->regs[1] : (uint32_t)hc->regs[1];
	uint64_t a2 = smc64 ? hc->regs[2] : (uint32_t)hc->regs[2];
	uint64_t a3 = smc64 ? hc->regs[3] : (uint32_t)hc->regs[3];
	const char *note = NULL;
	int64_t ret;

	if (hc->imm)
		return false;
	switch (fid) {
	case PSCI_0_2_FN_PSCI_VERSION:
		ret = PSCI_VERSION(1, 0);
		note = "PSCI 1.0";
		break;
	case PSCI_1_0_FN_PSCI_FEATURES:
		/*
		 * SMCCC_VERSION is KVM's (it keeps the Arm Architecture
		 * calls), but PSCI_FEATURES is where a caller learns that it
		 * exists (SMCCC DEN0028, "SMCCC_VERSION"); Linux then asks for
		 * SMCCC 1.1 and its workaround and TRNG discovery.
		 */
		ret = psci_implemented(a1) || a1 == FID_SMCCC_VERSION ?
		      PSCI_RET_SUCCESS : PSCI_RET_NOT_SUPPORTED;
		c->arg_hi = 1;
		break;
	case PSCI_0_2_FN_CPU_SUSPEND:
	case PSCI_0_2_FN64_CPU_SUSPEND:
		/*
		 * Power-down treated as standby, and returning at once is a
		 * wakeup, as KVM does (ARM DEN 0022A, section 5.4.2 clause 3).
		 */
		ret = PSCI_RET_SUCCESS;
		c->arg_hi = 3;
		break;
	case PSCI_0_2_FN_CPU_OFF:
		/* Does not return: no result, the vCPU stops after the trace line */
		c->after = cpu_off_after;
		snprintf(c->note, sizeof(c->note), "(vcpu%d powers off)", v->id);
		goto out_noret;
	case PSCI_0_2_FN_CPU_ON:
	case PSCI_0_2_FN64_CPU_ON:
		ret = psci_cpu_on(v, c, a1, a2, a3);
		c->arg_hi = 3;
		break;
	case PSCI_0_2_FN_AFFINITY_INFO:
	case PSCI_0_2_FN64_AFFINITY_INFO:
		ret = psci_affinity_info(v->vm, a1, a2);
		c->arg_hi = 2;
		if (ret >= 0)
			note = affinity_state[ret];
		break;
	case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
		/* No Trusted OS, nothing to migrate */
		ret = PSCI_0_2_TOS_MP;
		note = "TOS_MP";
		break;
	case PSCI_0_2_FN_SYSTEM_OFF:
		c->after = system_off_after;
		snprintf(c->note, sizeof(c->note), "(VM powers off)");
		goto out_noret;
	case PSCI_0_2_FN_SYSTEM_RESET:
		c->after = system_reset_after;
		snprintf(c->note, sizeof(c->note), "(VM resets)");
		goto out_noret;
	default:
		return false;
	}
	hc->regs[0] = ret;
	c->nres = 1;
	snprintf(c->note, sizeof(c->note), "%s", note ? note : psci_ret_name(ret));
out_noret:
	c->kind = VMM_CALL_PSCI;
	c->arg_lo = 1;
	return true;
}
