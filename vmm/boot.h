/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What booting an arm64 Linux guest takes, on top of vmm.h: the guest
 * physical memory map, the Image/initrd loader, the device tree (libfdt),
 * the in-kernel vGICv3 and an 8250 UART on MMIO as console. One file per
 * part (loader.c, fdt.c, gic.c, uart.c), each with its own static state.
 */
#ifndef VMM_BOOT_H
#define VMM_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmm.h"

/*
 * Guest physical memory map: devices below 2 GiB (QEMU virt's addresses
 * for the GIC and the UART), RAM from 2 GiB.
 */
#define LINUX_GICD_BASE		0x08000000ULL
#define LINUX_GICD_SIZE		0x10000ULL		/* GICv3 distributor: 64 KiB */
#define LINUX_GICR_BASE		0x080a0000ULL
#define LINUX_GICR_SIZE		0x20000ULL		/* per vCPU: RD + SGI frames */
#define LINUX_UART_BASE		0x09000000ULL
#define LINUX_UART_SIZE		0x1000ULL
#define LINUX_UART_SPI		1			/* INTID 32 + 1 */
#define LINUX_RAM_BASE		0x80000000ULL

/* loader.c: where things went */
struct linux_boot {
	uint64_t kernel, kernel_end;	/* Image, and image_size from its header */
	uint64_t initrd, initrd_end;	/* 0 if none */
	uint64_t dtb;			/* x0 at entry */
};

/*
 * Load an arm64 Image at RAM base + text_offset (Documentation/arm64/
 * booting.rst, "Call the kernel image"), the initrd near the top of RAM and
 * leave 2 MiB under the top for the DTB. Dies if anything does not fit.
 */
void loader__load(struct vm *vm, uint64_t ram_base, uint64_t ram_size,
		  const char *image, const char *initrd, struct linux_boot *out);
/* vCPU registers for the boot protocol: PC = Image, x0 = DTB, x1..x3 = 0 */
void loader__set_boot_regs(struct vcpu *v, const struct linux_boot *b);

/* fdt.c */
struct fdt_config {
	int nr_cpus;
	const uint64_t *mpidr;		/* per vCPU, MPIDR_EL1 affinity */
	uint64_t ram_base, ram_size;
	bool psci_smc;			/* PSCI conduit: SMC, else HVC */
	const char *optee_method;	/* "smc"/"hvc": a linaro,optee-tz node; NULL: none */
	const char *bootargs;
	uint64_t initrd, initrd_end;	/* 0, 0: none */
};
/* Build the DTB into guest memory at gpa (at most 2 MiB); returns its size */
size_t fdt__build(struct vm *vm, uint64_t gpa, const struct fdt_config *cfg);

/* gic.c: vGICv3 in the kernel */
void gic__create(struct vm *vm);	/* before the vCPUs: device, addresses */
void gic__init(struct vm *vm);		/* after the vCPUs: KVM_DEV_ARM_VGIC_CTRL_INIT */
void gic__set_spi(struct vm *vm, unsigned int spi, bool level);

/* uart.c: 8250 (16550A) on MMIO; complete lines of output go to line_fn */
void uart__init(struct vm *vm, void (*line_fn)(const char *line));
bool uart__mmio(struct vcpu *v, uint64_t addr, uint8_t *data, uint32_t len,
		bool is_write);
void uart__reset(void);		/* power-on state, IRQ line low */
void uart__flush(void);		/* print a partial line */

#endif
