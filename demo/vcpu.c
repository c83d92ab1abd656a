// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU plumbing: create, init/reset, registers, run, and the kick that
 * gets a thread out of KVM_RUN without losing a wakeup.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "demo.h"

/* The vCPU whose thread this is; read by the signal handler. */
static __thread struct vcpu *this_vcpu;

/*
 * A kick is SIGUSR1 (installed without SA_RESTART). If it lands while the
 * thread is in KVM_RUN, KVM_RUN returns -EINTR. If it lands just before,
 * immediate_exit makes the next KVM_RUN return -EINTR at once, so a request
 * recorded before the kick is always seen by the loop in main.c.
 */
static void kick_handler(int sig)
{
	(void)sig;
	if (this_vcpu)
		*(volatile __u8 *)&this_vcpu->run->immediate_exit = 1;
}

static void install_kick_handler(void)
{
	struct sigaction sa = { .sa_handler = kick_handler };	/* no SA_RESTART */

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL))
		die_perror("sigaction failed (SIGUSR1)");
}

void vcpu__bind_thread(struct vcpu *v)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, install_kick_handler);
	this_vcpu = v;
}

void vcpu__kick(struct vcpu *v)
{
	int err = pthread_kill(v->thread, SIGUSR1);

	if (err && err != ESRCH)
		die("pthread_kill failed (vcpu%d): %s", v->id, strerror(err));
}

void vcpu__create(struct vcpu *v, int id)
{
	v->id = id;
	v->fd = ioctl(vm.vm_fd, KVM_CREATE_VCPU, id);
	if (v->fd < 0)
		die_perror("KVM_CREATE_VCPU failed (vcpu%d)", id);
	v->run = mmap(NULL, vm.run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED)
		die_perror("mmap failed (vcpu%d kvm_run)", id);
	vcpu__init(v);
	v->mpidr = vcpu__get_reg(v, REG_MPIDR, "MPIDR_EL1") & 0xff00ffffffULL;
	v->power = id == 0 ? PWR_ON : PWR_OFF;
}

/*
 * KVM_ARM_VCPU_INIT also resets the vCPU to its architectural reset state,
 * so psci.c calls it again on CPU_ON. Secondaries keep POWER_OFF: the
 * feature set may not change between calls, and KVM_SET_MP_STATE starts
 * them.
 */
void vcpu__init(struct vcpu *v)
{
	struct kvm_vcpu_init init;

	if (ioctl(vm.vm_fd, KVM_ARM_PREFERRED_TARGET, &init))
		die_perror("KVM_ARM_PREFERRED_TARGET failed (vcpu%d)", v->id);
	memset(init.features, 0, sizeof(init.features));
	init.features[0] = 1u << KVM_ARM_VCPU_PSCI_0_2;
	if (v->id != 0)
		init.features[0] |= 1u << KVM_ARM_VCPU_POWER_OFF;
	if (ioctl(v->fd, KVM_ARM_VCPU_INIT, &init))
		die_perror("KVM_ARM_VCPU_INIT failed (vcpu%d)", v->id);
}

void vcpu__set_reg(struct vcpu *v, uint64_t id, uint64_t val, const char *what)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&val };

	if (ioctl(v->fd, KVM_SET_ONE_REG, &reg))
		die_perror("KVM_SET_ONE_REG failed (vcpu%d %s)", v->id, what);
}

uint64_t vcpu__get_reg(struct vcpu *v, uint64_t id, const char *what)
{
	uint64_t val;
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&val };

	if (ioctl(v->fd, KVM_GET_ONE_REG, &reg))
		die_perror("KVM_GET_ONE_REG failed (vcpu%d %s)", v->id, what);
	return val;
}

void vcpu__set_mp_state(struct vcpu *v, uint32_t state)
{
	struct kvm_mp_state mp = { .mp_state = state };

	if (ioctl(v->fd, KVM_SET_MP_STATE, &mp))
		die_perror("KVM_SET_MP_STATE failed (vcpu%d state %u)", v->id, state);
}

/* 0 after an exit to handle, -1 when kicked (EINTR). */
int vcpu__run(struct vcpu *v)
{
	int ret = ioctl(v->fd, KVM_RUN, 0);

	v->run->immediate_exit = 0;
	if (ret < 0 && errno != EINTR)
		die_perror("KVM_RUN failed (vcpu%d)", v->id);
	return ret < 0 ? -1 : 0;
}

/*
 * Complete a pending hypercall exit without running the guest: KVM writes
 * run->arm_hypercall.regs back to x0..x17 and returns -EINTR (SPEC §2, as
 * for MMIO). Needed before anything else may change the vCPU's registers.
 */
void vcpu__complete_exit(struct vcpu *v)
{
	int ret;

	v->run->immediate_exit = 1;
	ret = ioctl(v->fd, KVM_RUN, 0);
	v->run->immediate_exit = 0;
	if (ret == 0)
		die("KVM_RUN with immediate_exit ran the guest (vcpu%d)", v->id);
	if (errno != EINTR)
		die_perror("KVM_RUN failed (vcpu%d, completing the exit)", v->id);
}
