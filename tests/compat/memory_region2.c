// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_SET_USER_MEMORY_REGION2 (upstream 6.8) for a kernel that has only
 * KVM_SET_USER_MEMORY_REGION. 6.12's KVM selftest library adds every
 * memslot with the former and skips everything on a kernel without
 * KVM_CAP_USER_MEMORY2. scripts/selftests.sh links 6.12's objects of the
 * series' own tests with -Wl,--wrap=ioctl and this file, to run them
 * against the 6.1 kernel: what they test (the series' uAPI) is unchanged;
 * a memslot without guest_memfd, which both ioctls can set, goes through
 * the older one (6.1's arm64 KVM answers an unknown VM ioctl with EINVAL,
 * not ENOTTY, so it is not tried first), and KVM_CAP_USER_MEMORY2 reads
 * as KVM_CAP_USER_MEMORY.
 */
#include <errno.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

int __real_ioctl(int fd, unsigned long request, ...);

int __wrap_ioctl(int fd, unsigned long request, ...)
{
	struct kvm_userspace_memory_region2 *r2;
	struct kvm_userspace_memory_region r;
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);

	switch (request) {
	case KVM_CHECK_EXTENSION:
		if ((long)arg == KVM_CAP_USER_MEMORY2)
			arg = (void *)KVM_CAP_USER_MEMORY;
		return __real_ioctl(fd, request, arg);
	case KVM_SET_USER_MEMORY_REGION2:
		r2 = arg;
		if (r2->flags & KVM_MEM_GUEST_MEMFD) {
			errno = EINVAL;
			return -1;
		}
		r = (struct kvm_userspace_memory_region) {
			.slot = r2->slot,
			.flags = r2->flags,
			.guest_phys_addr = r2->guest_phys_addr,
			.memory_size = r2->memory_size,
			.userspace_addr = r2->userspace_addr,
		};
		return __real_ioctl(fd, KVM_SET_USER_MEMORY_REGION, &r);
	default:
		return __real_ioctl(fd, request, arg);
	}
}
