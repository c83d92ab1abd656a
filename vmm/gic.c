// SPDX-License-Identifier: GPL-2.0
/*
 * The in-kernel vGICv3 (Documentation/virt/kvm/devices/arm-vgic-v3.rst):
 * the device and its distributor/redistributor addresses before the
 * vCPUs exist, KVM_DEV_ARM_VGIC_CTRL_INIT once they all do. SPIs are
 * driven with KVM_IRQ_LINE.
 */
#include <sys/ioctl.h>

#include "boot.h"

static int gic_fd = -1;

static void gic_set_attr(uint32_t group, uint64_t attr, void *val, const char *what)
{
	struct kvm_device_attr a = {
		.group = group, .attr = attr, .addr = (uintptr_t)val,
	};

	if (ioctl(gic_fd, KVM_SET_DEVICE_ATTR, &a))
		die_perror("KVM_SET_DEVICE_ATTR failed (vGICv3 %s)", what);
}

void gic__create(struct vm *vm)
{
	struct kvm_create_device dev = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint64_t dist = LINUX_GICD_BASE, redist = LINUX_GICR_BASE;

	if (ioctl(vm->vm_fd, KVM_CREATE_DEVICE, &dev))
		die_perror("KVM_CREATE_DEVICE failed (KVM_DEV_TYPE_ARM_VGIC_V3)");
	gic_fd = dev.fd;
	/* The redistributor region's size follows from the number of vCPUs */
	gic_set_attr(KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &dist,
		     "distributor address");
	gic_set_attr(KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist,
		     "redistributor address");
}

void gic__init(struct vm *vm)
{
	(void)vm;
	gic_set_attr(KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL,
		     "KVM_DEV_ARM_VGIC_CTRL_INIT");
}

void gic__set_spi(struct vm *vm, unsigned int spi, bool level)
{
	/* SPIs are INTIDs 32 and up; no vCPU index for them */
	struct kvm_irq_level irq = {
		.irq = KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT | (32 + spi),
		.level = level,
	};

	if (ioctl(vm->vm_fd, KVM_IRQ_LINE, &irq))
		die_perror("KVM_IRQ_LINE failed (SPI %u, level %d)", spi, level);
}
