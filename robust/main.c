// SPDX-License-Identifier: GPL-2.0
/*
 * robust: robustness checks of the userspace SMCCC exits (issue #6).
 *
 *   robust stress|complete|random|badinput [options]
 *
 * Exit status: 0 pass, 1 fail, 4 skip (no KVM or the series is missing).
 * Helpers shared by the checks: one VM at a time in the demo's "vm",
 * register access that returns the errno, state snapshots, a PRNG.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "robust.h"

struct vm vm;

static const char *check_name = "robust";
static struct { void *addr; uint64_t size; } slots[4];

static void vreport(const char *what, const char *fmt, va_list ap)
{
	printf("%s: %s", check_name, what);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
}

void check_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%s: FAIL at %s:%d\n", check_name, file, line);
	va_start(ap, fmt);
	vreport("FAIL: ", fmt, ap);
	va_end(ap);
	exit(1);
}

/* demo/vcpu.c reports setup errors through these */
void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("FAIL: ", fmt, ap);
	va_end(ap);
	exit(1);
}

void die_perror(const char *fmt, ...)
{
	char msg[256];
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("%s: FAIL: %s: %s\n", check_name, msg, strerror(err));
	exit(1);
}

static void skip(const char *why)
{
	printf("%s: SKIP: %s\n", check_name, why);
	exit(EXIT_SKIP);
}

void vm_new(void)
{
	int ret;

	if (vm.kvm_fd <= 0) {
		vm.kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
		if (vm.kvm_fd < 0)
			skip("cannot open /dev/kvm");
		ret = ioctl(vm.kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_HYPERCALL_TO_USER);
		if (ret != (int)ALL_CONDUITS)
			skip("KVM_CAP_ARM_HYPERCALL_TO_USER missing (kernel without the series?)");
		if (ioctl(vm.kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PSCI_TO_USER) != 1)
			skip("KVM_CAP_ARM_PSCI_TO_USER missing (kernel without the series?)");
		vm.run_size = ioctl(vm.kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
		if (vm.run_size < (int)sizeof(struct kvm_run))
			die_perror("KVM_GET_VCPU_MMAP_SIZE failed");
	}
	vm.vm_fd = ioctl(vm.kvm_fd, KVM_CREATE_VM, 0);
	if (vm.vm_fd < 0)
		die_perror("KVM_CREATE_VM failed");
}

void vm_free(struct vcpu *vcpus, int nr)
{
	for (int i = 0; i < nr; i++) {
		munmap(vcpus[i].run, vm.run_size);
		close(vcpus[i].fd);
	}
	for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
		if (slots[i].addr)
			munmap(slots[i].addr, slots[i].size);
		slots[i].addr = NULL;
	}
	close(vm.vm_fd);
	vm.vm_fd = -1;
}

uint8_t *vm_add_ram(int slot, uint64_t gpa, uint64_t size)
{
	struct kvm_userspace_memory_region mem;
	void *ram;

	size = (size + 0xffff) & ~0xffffull;
	ram = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (ram == MAP_FAILED)
		die_perror("mmap failed (guest RAM, %llu bytes)", (unsigned long long)size);
	mem = (struct kvm_userspace_memory_region){
		.slot = slot, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uintptr_t)ram,
	};
	if (ioctl(vm.vm_fd, KVM_SET_USER_MEMORY_REGION, &mem))
		die_perror("KVM_SET_USER_MEMORY_REGION failed (slot %d)", slot);
	slots[slot].addr = ram;
	slots[slot].size = size;
	return ram;
}

/* 0 or -errno */
int vm_enable_cap(uint32_t cap, uint32_t flags, uint64_t a0, uint64_t a1,
		  uint64_t a2, uint64_t a3)
{
	struct kvm_enable_cap ec = {
		.cap = cap, .flags = flags, .args = { a0, a1, a2, a3 },
	};

	return ioctl(vm.vm_fd, KVM_ENABLE_CAP, &ec) ? -errno : 0;
}

void vm_setup_caps(uint64_t conduits, bool psci_to_user)
{
	int ret = vm_enable_cap(KVM_CAP_ARM_HYPERCALL_TO_USER, 0, conduits, 0, 0, 0);

	CHECK(!ret, "KVM_ENABLE_CAP(HYPERCALL_TO_USER, 0x%llx): %s",
	      (unsigned long long)conduits, strerror(-ret));
	ret = vm_enable_cap(KVM_CAP_ARM_PSCI_TO_USER, 0, psci_to_user, 0, 0, 0);
	CHECK(!ret, "KVM_ENABLE_CAP(PSCI_TO_USER, %d): %s", psci_to_user, strerror(-ret));
}

/* An AArch32 EL1 vCPU (KVM_ARM_VCPU_EL1_32BIT); demo's vcpu__create is AArch64 */
void vcpu_create_a32(struct vcpu *v, int id)
{
	struct kvm_vcpu_init init;

	if (ioctl(vm.kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_EL1_32BIT) <= 0)
		skip("no AArch32 EL1 (KVM_CAP_ARM_EL1_32BIT)");
	*v = (struct vcpu){ .id = id, .fd = ioctl(vm.vm_fd, KVM_CREATE_VCPU, id) };
	CHECK(v->fd >= 0, "KVM_CREATE_VCPU(%d): %s", id, strerror(errno));
	v->run = mmap(NULL, vm.run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	CHECK(v->run != MAP_FAILED, "mmap of vcpu%d's kvm_run: %s", id, strerror(errno));
	/* the preferred target, with PSCI 0.2 and AArch32 EL1 */
	CHECK(!ioctl(vm.vm_fd, KVM_ARM_PREFERRED_TARGET, &init), "KVM_ARM_PREFERRED_TARGET: %s",
	      strerror(errno));
	memset(init.features, 0, sizeof(init.features));
	init.features[0] = 1u << KVM_ARM_VCPU_PSCI_0_2 | 1u << KVM_ARM_VCPU_EL1_32BIT;
	CHECK(!ioctl(v->fd, KVM_ARM_VCPU_INIT, &init), "KVM_ARM_VCPU_INIT(vcpu%d, EL1_32BIT): %s",
	      id, strerror(errno));
}

/* KVM_GET_ONE_REG or KVM_SET_ONE_REG: 0 or -errno */
int vcpu_try_reg(struct vcpu *v, unsigned long ioctl_nr, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)val };

	return ioctl(v->fd, ioctl_nr, &reg) ? -errno : 0;
}

/* KVM_RUN, with immediate_exit if asked: 0 or -errno */
int vcpu_try_run(struct vcpu *v, bool immediate)
{
	int ret;

	v->run->immediate_exit = immediate;
	ret = ioctl(v->fd, KVM_RUN, 0) ? -errno : 0;
	v->run->immediate_exit = 0;
	return ret;
}

/* The handled ranges; returns how many are in use */
int read_ranges(struct vcpu *v, uint64_t ranges[KVM_REG_ARM_FW_HANDLED_RANGES])
{
	int i, nr = 0;

	for (i = 0; i < KVM_REG_ARM_FW_HANDLED_RANGES; i++) {
		ranges[i] = vcpu__get_reg(v, KVM_REG_ARM_FW_HANDLED_RANGE(i),
					  "KVM_REG_ARM_FW_HANDLED_RANGE");
		if (ranges[i])
			nr = i + 1;
	}
	return nr;
}

bool in_ranges(uint32_t fid, const uint64_t *ranges, int nr)
{
	for (int i = 0; i < nr; i++)
		if (fid >= ranges[i] >> 32 && fid <= (uint32_t)ranges[i])
			return true;
	return false;
}

/* xorshift64*: reproducible from the seed printed by each check */
static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

void rnd_seed(uint64_t seed)
{
	rnd_state = seed ? seed : 1;
}

uint64_t rnd(void)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545f4914f6cdd1dull;
}

/* Snapshot: x0-x30, sp, pc, pstate, EL1 sp/elr/spsr, firmware registers */
static uint64_t snap_id(int i, char *name, size_t size)
{
	static const struct { uint64_t id; const char *name; } more[] = {
		{ REG_CORE(regs.sp), "sp" },
		{ REG_PC, "pc" },
		{ REG_PSTATE, "pstate" },
		{ REG_CORE(sp_el1), "sp_el1" },
		{ REG_CORE(elr_el1), "elr_el1" },
		{ REG_CORE(spsr[KVM_SPSR_EL1]), "spsr_el1" },
		{ KVM_REG_ARM_PSCI_VERSION, "PSCI_VERSION" },
		{ KVM_REG_ARM_STD_BMAP, "STD_BMAP" },
		{ KVM_REG_ARM_VENDOR_HYP_BMAP, "VENDOR_HYP_BMAP" },
	};
	int nmore = sizeof(more) / sizeof(more[0]);

	_Static_assert(NR_SNAP == 31 + 9 + KVM_REG_ARM_FW_HANDLED_RANGES, "NR_SNAP");
	if (i < 31) {
		snprintf(name, size, "x%d", i);
		return REG_X(i);
	}
	if (i < 31 + nmore) {
		snprintf(name, size, "%s", more[i - 31].name);
		return more[i - 31].id;
	}
	snprintf(name, size, "HANDLED_RANGE(%d)", i - 31 - nmore);
	return KVM_REG_ARM_FW_HANDLED_RANGE(i - 31 - nmore);
}

const char *snap_name(int i)
{
	static char name[32];

	snap_id(i, name, sizeof(name));
	return name;
}

void snap_take(struct vcpu *v, struct snap *s)
{
	char name[32];

	for (int i = 0; i < NR_SNAP; i++) {
		uint64_t id = snap_id(i, name, sizeof(name));
		int ret = vcpu_try_reg(v, KVM_GET_ONE_REG, id, &s->val[i]);

		CHECK(!ret, "KVM_GET_ONE_REG(%s): %s", name, strerror(-ret));
	}
}

void snap_restore(struct vcpu *v, const struct snap *s)
{
	char name[32];

	for (int i = 0; i < NR_SNAP; i++) {
		uint64_t val = s->val[i], id = snap_id(i, name, sizeof(name));
		int ret = vcpu_try_reg(v, KVM_SET_ONE_REG, id, &val);

		CHECK(!ret, "KVM_SET_ONE_REG(%s, 0x%llx): %s", name,
		      (unsigned long long)val, strerror(-ret));
	}
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} checks[] = {
	{ "stress", stress_main, "[-n calls/vCPU] [-m in-kernel period] [-c vCPUs] [-i signal µs]" },
	{ "complete", complete_main, "" },
	{ "random", random_main, "[-n A64 calls] [-a A32 calls] [-s seed]" },
	{ "badinput", badinput_main, "" },
};

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; argc > 1 && i < sizeof(checks) / sizeof(checks[0]); i++) {
		if (strcmp(argv[1], checks[i].name))
			continue;
		check_name = checks[i].name;
		return checks[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "usage:\n");
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		fprintf(stderr, "  %s %s %s\n", argv[0], checks[i].name, checks[i].help);
	return 2;
}
