// SPDX-License-Identifier: GPL-2.0
/*
 * The VM: /dev/kvm and the VM fd, memory slots, stopping, vCPU threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vmm.h"

/* Slots are multiples of the largest arm64 page size */
#define SLOT_ALIGN	0x10000ULL

int __vm__create(struct vm *vm)
{
	int err;

	memset(vm, 0, sizeof(*vm));
	pthread_mutex_init(&vm->stop_lock, NULL);
	vm->vm_fd = -1;
	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		return -errno;
	vm->run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vm->run_size < (int)sizeof(struct kvm_run))
		goto err;
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		goto err;
	return 0;
err:
	err = errno ? -errno : -EINVAL;
	close(vm->kvm_fd);
	vm->kvm_fd = -1;
	return err;
}

void vm__create(struct vm *vm)
{
	int ret = __vm__create(vm);

	if (ret) {
		errno = -ret;
		die_perror("creating the VM failed (/dev/kvm, KVM_GET_VCPU_MMAP_SIZE, KVM_CREATE_VM)");
	}
}

void vm__destroy(struct vm *vm)
{
	for (int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		if (v->run)
			munmap(v->run, vm->run_size);
		if (v->fd > 0)
			close(v->fd);
	}
	for (int i = 0; i < vm->nr_slots; i++)
		munmap(vm->slots[i].host, vm->slots[i].size);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	pthread_mutex_destroy(&vm->stop_lock);
	memset(vm, 0, sizeof(*vm));
	vm->kvm_fd = vm->vm_fd = -1;
}

int vm__check_extension(struct vm *vm, long cap)
{
	return ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, cap);
}

int __vm__enable_cap(struct vm *vm, uint32_t cap, uint32_t flags, uint64_t a0,
		     uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct kvm_enable_cap ec = {
		.cap = cap, .flags = flags, .args = { a0, a1, a2, a3 },
	};

	return ioctl(vm->vm_fd, KVM_ENABLE_CAP, &ec) ? -errno : 0;
}

void vm__enable_cap(struct vm *vm, uint32_t cap, uint64_t a0, const char *what)
{
	int ret = __vm__enable_cap(vm, cap, 0, a0, 0, 0, 0);

	if (ret) {
		errno = -ret;
		die_perror("KVM_ENABLE_CAP failed (%s)", what);
	}
}

void *vm__add_ram(struct vm *vm, uint64_t gpa, uint64_t size)
{
	struct kvm_userspace_memory_region mem;
	int slot = vm->nr_slots;
	void *host;

	if (slot == VMM_MAX_SLOTS)
		die("no free memory slot for 0x%llx", (unsigned long long)gpa);
	size = (size + SLOT_ALIGN - 1) & ~(SLOT_ALIGN - 1);
	host = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (host == MAP_FAILED)
		die_perror("mmap failed (guest RAM, %llu bytes)", (unsigned long long)size);
	mem = (struct kvm_userspace_memory_region){
		.slot = slot, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uintptr_t)host,
	};
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &mem))
		die_perror("KVM_SET_USER_MEMORY_REGION failed (slot %d at 0x%llx)", slot,
			   (unsigned long long)gpa);
	vm->slots[slot] = (struct vm_slot){ .gpa = gpa, .size = size, .host = host };
	vm->nr_slots++;
	return host;
}

void *vm__gpa_to_host(struct vm *vm, uint64_t gpa, uint64_t len)
{
	for (int i = 0; i < vm->nr_slots; i++) {
		struct vm_slot *s = &vm->slots[i];

		if (gpa >= s->gpa && len <= s->size && gpa - s->gpa <= s->size - len)
			return s->host + (gpa - s->gpa);
	}
	return NULL;
}

size_t vm__load_file(struct vm *vm, const char *path, uint64_t gpa)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	uint8_t *dst = NULL;
	size_t room = 0;
	ssize_t n;

	for (int i = 0; i < vm->nr_slots; i++)
		if (gpa >= vm->slots[i].gpa && gpa - vm->slots[i].gpa < vm->slots[i].size) {
			dst = vm->slots[i].host + (gpa - vm->slots[i].gpa);
			room = vm->slots[i].size - (gpa - vm->slots[i].gpa);
		}
	if (!dst)
		die("no guest memory at 0x%llx for %s", (unsigned long long)gpa, path);
	if (fd < 0)
		die_perror("open failed (%s)", path);
	n = read(fd, dst, room);
	if (n <= 0)
		die_perror("read failed (%s)", path);
	close(fd);
	return n;
}

/* First caller wins; every other vCPU thread is kicked out of KVM_RUN. */
void vm__stop(struct vm *vm, enum vm_stop why, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&vm->stop_lock);
	if (vm->stop == VM_RUNNING) {
		va_start(ap, fmt);
		vsnprintf(vm->stop_reason, sizeof(vm->stop_reason), fmt, ap);
		va_end(ap);
		__atomic_store_n(&vm->stop, why, __ATOMIC_SEQ_CST);
	}
	pthread_mutex_unlock(&vm->stop_lock);
	for (int i = 0; i < vm->nr_vcpus; i++)
		if (!pthread_equal(vm->vcpus[i].thread, pthread_self()))
			vcpu__kick(&vm->vcpus[i]);
}

bool vm__stopping(struct vm *vm)
{
	return __atomic_load_n(&vm->stop, __ATOMIC_SEQ_CST) != VM_RUNNING;
}

void vm__resume(struct vm *vm)
{
	pthread_mutex_lock(&vm->stop_lock);
	vm->stop_reason[0] = '\0';
	__atomic_store_n(&vm->stop, VM_RUNNING, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&vm->stop_lock);
}

/* PSCI in the kernel: its SYSTEM_OFF and SYSTEM_RESET come as system events */
bool vm__system_event(struct vcpu *v, uint32_t type)
{
	if (type == KVM_SYSTEM_EVENT_SHUTDOWN)
		vm__stop(v->vm, VM_SYSTEM_OFF, "SYSTEM_OFF from vcpu%d (KVM_EXIT_SYSTEM_EVENT)",
			 v->id);
	else if (type == KVM_SYSTEM_EVENT_RESET)
		vm__stop(v->vm, VM_SYSTEM_RESET,
			 "SYSTEM_RESET from vcpu%d (KVM_EXIT_SYSTEM_EVENT)", v->id);
	else
		vm__stop(v->vm, VM_ERROR, "vcpu%d: KVM_EXIT_SYSTEM_EVENT type %u", v->id, type);
	return true;
}

static pthread_barrier_t start_barrier;
static void (*thread_fn)(struct vcpu *v);

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;

	vcpu__bind_thread(v);
	pthread_barrier_wait(&start_barrier);
	thread_fn(v);
	return NULL;
}

/* Returns once every thread is bound, so that a kick cannot get lost */
void vm__start_vcpus(struct vm *vm, void (*fn)(struct vcpu *v))
{
	thread_fn = fn;
	pthread_barrier_init(&start_barrier, NULL, vm->nr_vcpus + 1);
	for (int i = 0; i < vm->nr_vcpus; i++)
		if ((errno = pthread_create(&vm->vcpus[i].thread, NULL, vcpu_thread,
					    &vm->vcpus[i])))
			die_perror("pthread_create failed (vcpu%d)", i);
	pthread_barrier_wait(&start_barrier);
	pthread_barrier_destroy(&start_barrier);
}

void vm__join_vcpus(struct vm *vm)
{
	for (int i = 0; i < vm->nr_vcpus; i++)
		pthread_join(vm->vcpus[i].thread, NULL);
}
