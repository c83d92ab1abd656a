// SPDX-License-Identifier: GPL-2.0
/*
 * vCPUs: create, init/reset, registers, run, and the kick that gets a
 * thread out of KVM_RUN without losing a wakeup.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "vmm.h"

/* Every vCPU ioctl goes through here, so that v->ioctls is complete. */
static int vcpu_ioctl(struct vcpu *v, unsigned long req, void *arg)
{
	v->ioctls++;
	return ioctl(v->fd, req, arg);
}

/* KVM_ARM_VCPU_INIT with the preferred target: also a reset */
static int vcpu_init(struct vcpu *v)
{
	struct kvm_vcpu_init init;

	if (ioctl(v->vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &init))
		return -errno;
	memset(init.features, 0, sizeof(init.features));
	init.features[0] = v->features;
	return vcpu_ioctl(v, KVM_ARM_VCPU_INIT, &init) ? -errno : 0;
}

int __vcpu__create(struct vm *vm, int id, uint32_t features, struct vcpu **out)
{
	struct vcpu *v;
	int ret;

	if (id < 0 || id >= VMM_MAX_VCPUS)
		return -EINVAL;
	v = &vm->vcpus[id];
	*v = (struct vcpu){ .vm = vm, .id = id, .features = features };
	v->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, id);
	if (v->fd < 0)
		return -errno;
	if (id >= vm->nr_vcpus)
		vm->nr_vcpus = id + 1;
	v->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		return -errno;
	}
	ret = vcpu_init(v);
	if (!ret)
		ret = __vcpu__get_reg(v, REG_MPIDR, &v->mpidr);
	v->mpidr &= MPIDR_AFF_MASK;
	if (!ret)
		smccc__init_vcpu(v);
	*out = v;
	return ret;
}

struct vcpu *vcpu__create(struct vm *vm, int id, uint32_t features)
{
	struct vcpu *v = NULL;
	int ret = __vcpu__create(vm, id, features, &v);

	if (ret) {
		errno = -ret;
		die_perror("creating vcpu%d failed (KVM_CREATE_VCPU, mmap, KVM_ARM_VCPU_INIT "
			   "features 0x%x, MPIDR_EL1)", id, features);
	}
	return v;
}

/*
 * Architectural reset. The feature set may not change between calls:
 * a vCPU created powered off stays so until KVM_SET_MP_STATE.
 */
void vcpu__reset(struct vcpu *v)
{
	int ret;

	/* an answer the next KVM_RUN would load is void after a reset */
	smccc__drop(v);
	ret = vcpu_init(v);

	if (ret) {
		errno = -ret;
		die_perror("KVM_ARM_VCPU_INIT failed (vcpu%d)", v->id);
	}
}

/*
 * With sync regs, an answer waiting in kvm_dirty_regs for the next KVM_RUN
 * is applied first: a read sees it, a write is not overwritten by it.
 * Other ways leave kvm_dirty_regs to the program (robust/ fills it).
 */
static bool answer_pending(const struct vcpu *v)
{
	return __builtin_expect(v->regs_how == VMM_REGS_SYNC && v->run->kvm_dirty_regs, 0);
}

int __vcpu__get_reg(struct vcpu *v, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)val };

	if (answer_pending(v))
		smccc__complete(v);
	return vcpu_ioctl(v, KVM_GET_ONE_REG, &reg) ? -errno : 0;
}

int __vcpu__set_reg(struct vcpu *v, uint64_t id, uint64_t val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&val };

	if (answer_pending(v))
		smccc__complete(v);
	return vcpu_ioctl(v, KVM_SET_ONE_REG, &reg) ? -errno : 0;
}

const char *vcpu__reg_name(uint64_t id, char *buf, size_t size)
{
	for (int i = 0; i < 31; i++)
		if (id == REG_X(i)) {
			snprintf(buf, size, "x%d", i);
			return buf;
		}
	snprintf(buf, size, "%s", id == REG_PC ? "pc" : id == REG_SP ? "sp" :
		 id == REG_PSTATE ? "pstate" : id == REG_MPIDR ? "MPIDR_EL1" : "");
	if (!buf[0])
		snprintf(buf, size, "reg 0x%llx", (unsigned long long)id);
	return buf;
}

/* Out of line and cold: vcpu__get_reg()/vcpu__set_reg() (vmm.h) are the ioctl alone */
void vcpu__reg_failed(struct vcpu *v, const char *ioctl, uint64_t id, int ret)
{
	char name[32];

	errno = -ret;
	die_perror("%s failed (vcpu%d %s)", ioctl, v->id,
		   vcpu__reg_name(id, name, sizeof(name)));
}

void vcpu__set_mp_state(struct vcpu *v, uint32_t state)
{
	struct kvm_mp_state mp = { .mp_state = state };

	if (vcpu_ioctl(v, KVM_SET_MP_STATE, &mp))
		die_perror("KVM_SET_MP_STATE failed (vcpu%d state %u)", v->id, state);
}

int __vcpu__run(struct vcpu *v)
{
	int ret = vcpu_ioctl(v, KVM_RUN, NULL) ? -errno : 0;

	v->run->immediate_exit = 0;
	return ret;
}

int vcpu__run(struct vcpu *v)
{
	int ret = __vcpu__run(v);

	if (ret && ret != -EINTR) {
		errno = -ret;
		die_perror("KVM_RUN failed (vcpu%d)", v->id);
	}
	return ret;
}

/* The vCPU whose thread this is; read by the signal handler. */
static __thread struct vcpu *this_vcpu;

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
	v->thread = pthread_self();
	this_vcpu = v;
}

void vcpu__kick(struct vcpu *v)
{
	int err;

	if (!v->thread)
		return;		/* no thread yet: nothing to get out of KVM_RUN */
	err = pthread_kill(v->thread, SIGUSR1);
	if (err && err != ESRCH)
		die("pthread_kill failed (vcpu%d): %s", v->id, strerror(err));
}
