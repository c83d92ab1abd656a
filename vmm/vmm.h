/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmm/: one small VMM library for KVM/arm64, in the kvmtool mould. VM and
 * vCPU lifecycle, memory slots, the exit loop with one bool handler per
 * exit kind, register helpers, die/die_perror. The series' uAPI (caps,
 * the hypercall exit, completion, the handled ranges) lives in smccc.h/.c
 * only; services (psci.c, and the programs' own) keep their own state.
 *
 * Naming: public functions are area__verb. Plain helpers die on error
 * (die_perror naming the ioctl and its target); the __ variants return 0
 * or -errno and leave the decision to the caller.
 */
#ifndef VMM_H
#define VMM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#define VMM_MAX_VCPUS		8
#define VMM_MAX_SLOTS		8

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

/* Core and system register IDs for KVM_{GET,SET}_ONE_REG */
#define REG_CORE(r)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 KVM_REG_ARM_CORE_REG(r))
#define REG_X(n)	REG_CORE(regs.regs[n])
#define REG_SP		REG_CORE(regs.sp)
#define REG_PC		REG_CORE(regs.pc)
#define REG_PSTATE	REG_CORE(regs.pstate)
#define REG_MPIDR	ARM64_SYS_REG(3, 0, 0, 0, 5)
/* MPIDR_EL1 affinity fields Aff3..Aff0 */
#define MPIDR_AFF_MASK	0xff00ffffffULL

/* vcpu__create() features: KVM_ARM_VCPU_INIT's features[0] bits */
#define VCPU_PSCI_0_2		(1u << KVM_ARM_VCPU_PSCI_0_2)
#define VCPU_POWER_OFF		(1u << KVM_ARM_VCPU_POWER_OFF)
#define VCPU_AARCH32		(1u << KVM_ARM_VCPU_EL1_32BIT)

struct vm;

struct vcpu {
	struct vm *vm;
	int id;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	uint64_t mpidr;		/* MPIDR_EL1 & MPIDR_AFF_MASK, read at creation */
	uint32_t features;	/* VCPU_*, kept for vcpu__reset() */
	uint64_t ioctls;	/* KVM ioctls made on this vCPU through the library */
	int regs_how;		/* enum vmm_regs: how a forwarded call's registers travel */
};

struct vm_slot {
	uint64_t gpa, size;
	uint8_t *host;
};

/* Why the VM stops; see vm__stop() */
enum vm_stop { VM_RUNNING, VM_SYSTEM_OFF, VM_SYSTEM_RESET, VM_ERROR };

struct vm {
	int kvm_fd, vm_fd;
	int run_size;
	int nr_vcpus;
	struct vcpu vcpus[VMM_MAX_VCPUS];
	int nr_slots;
	struct vm_slot slots[VMM_MAX_SLOTS];
	/* vm__stop(): first caller wins */
	pthread_mutex_t stop_lock;
	enum vm_stop stop;
	char stop_reason[128];
};

/* util.c: messages are "<name>: FAIL: ..." on stdout, then exit(1) */
void vmm__set_name(const char *name);
const char *vmm__name(void);
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void die_perror(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* vm.c: the VM */
int __vm__create(struct vm *vm);	/* -errno: /dev/kvm or KVM_CREATE_VM failed */
void vm__create(struct vm *vm);
void vm__destroy(struct vm *vm);	/* vCPUs, slots, fds; threads must be gone */
int vm__check_extension(struct vm *vm, long cap);	/* on the VM fd */
int __vm__enable_cap(struct vm *vm, uint32_t cap, uint32_t flags, uint64_t a0,
		     uint64_t a1, uint64_t a2, uint64_t a3);
void vm__enable_cap(struct vm *vm, uint32_t cap, uint64_t a0, const char *what);

/* vm.c: memory, anonymous mmap + KVM_SET_USER_MEMORY_REGION, next free slot */
void *vm__add_ram(struct vm *vm, uint64_t gpa, uint64_t size);
/* host address of [gpa, gpa + len) if one slot holds it all, else NULL */
void *vm__gpa_to_host(struct vm *vm, uint64_t gpa, uint64_t len);
/* read a file into guest memory at gpa; returns its size */
size_t vm__load_file(struct vm *vm, const char *path, uint64_t gpa);

/* vm.c: stopping every vCPU thread (first caller wins, the others are kicked) */
void vm__stop(struct vm *vm, enum vm_stop why, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool vm__stopping(struct vm *vm);
/* back to VM_RUNNING, e.g. after a system reset; no vCPU thread may run */
void vm__resume(struct vm *vm);
/*
 * A vcpu_ops.system_event: SHUTDOWN and RESET stop the VM (VM_SYSTEM_OFF,
 * VM_SYSTEM_RESET), any other type is an error (VM_ERROR)
 */
bool vm__system_event(struct vcpu *v, uint32_t type);

/* vm.c: one thread per vCPU: fn(v) runs after vcpu__bind_thread(v) */
void vm__start_vcpus(struct vm *vm, void (*fn)(struct vcpu *v));
void vm__join_vcpus(struct vm *vm);

/* vcpu.c: create (KVM_CREATE_VCPU, mmap run, KVM_ARM_VCPU_INIT with the
 * preferred target and features, MPIDR) as vm->vcpus[id] */
int __vcpu__create(struct vm *vm, int id, uint32_t features, struct vcpu **out);
struct vcpu *vcpu__create(struct vm *vm, int id, uint32_t features);
/* KVM_ARM_VCPU_INIT again, same features: architectural reset */
void vcpu__reset(struct vcpu *v);

int __vcpu__get_reg(struct vcpu *v, uint64_t id, uint64_t *val);
int __vcpu__set_reg(struct vcpu *v, uint64_t id, uint64_t val);
/* dies naming the ioctl and the register: the cold half of the two below */
void vcpu__reg_failed(struct vcpu *v, const char *ioctl, uint64_t id, int ret)
	__attribute__((noreturn, cold));

/* Inline: a VMM answering with ONE_REG makes many of these per exit */
static inline uint64_t vcpu__get_reg(struct vcpu *v, uint64_t id)
{
	uint64_t val;
	int ret = __vcpu__get_reg(v, id, &val);

	if (__builtin_expect(ret, 0))
		vcpu__reg_failed(v, "KVM_GET_ONE_REG", id, ret);
	return val;
}

static inline void vcpu__set_reg(struct vcpu *v, uint64_t id, uint64_t val)
{
	int ret = __vcpu__set_reg(v, id, val);

	if (__builtin_expect(ret, 0))
		vcpu__reg_failed(v, "KVM_SET_ONE_REG", id, ret);
}
/* "x3", "pc", "MPIDR_EL1" or "reg 0x6030..." for messages */
const char *vcpu__reg_name(uint64_t id, char *buf, size_t size);
void vcpu__set_mp_state(struct vcpu *v, uint32_t state);

/* KVM_RUN (immediate_exit cleared after): 0, or -errno (-EINTR: kicked) */
int __vcpu__run(struct vcpu *v);
/* 0 after an exit to handle, -EINTR when kicked; dies on anything else */
int vcpu__run(struct vcpu *v);

/*
 * Kicks: SIGUSR1 without SA_RESTART; its handler sets immediate_exit, so a
 * request recorded before vcpu__kick() is seen by the next loop iteration
 * whether the signal lands inside KVM_RUN or just before it.
 */
void vcpu__bind_thread(struct vcpu *v);
void vcpu__kick(struct vcpu *v);

/* exit.h: the exit loop, one handler per exit kind, each true = handled */
struct vmm_hypercall;
struct vcpu_ops {
	bool (*hypercall)(struct vcpu *v, struct vmm_hypercall *hc);
	bool (*mmio)(struct vcpu *v, uint64_t addr, uint8_t *data, uint32_t len,
		     bool is_write);
	bool (*system_event)(struct vcpu *v, uint32_t type);
	/* any other exit reason */
	bool (*other)(struct vcpu *v);
	/* before each KVM_RUN, on the vCPU's thread (e.g. psci__vcpu_poll) */
	void (*before_run)(struct vcpu *v);
	/* checked before each KVM_RUN; NULL: until vm__stopping() */
	bool (*keep_running)(struct vcpu *v);
};

#include "smccc.h"
#include "service.h"

/*
 * exit.h: vcpu__handle_exit(v, ops) dispatches the exit in v->run (false
 * if no handler took it); vcpu__loop(v, ops) runs and dispatches until
 * keep_running says no (true) or an exit is not handled (false).
 */
#include "exit.h"

#endif
