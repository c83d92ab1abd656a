// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's device tree, written with libfdt's sequential-write API
 * straight into guest memory: cpus (enable-method "psci"), /psci with the
 * chosen conduit, memory, the arch timer, the GICv3, the 8250 UART,
 * /chosen and, if asked, /firmware/optee. Bindings:
 * Documentation/devicetree/bindings/ (arm/psci.yaml, timer/arm,arch_timer.yaml,
 * interrupt-controller/arm,gic-v3.yaml, serial/8250.yaml,
 * arm/firmware/linaro,optee-tz.yaml).
 */
#include <stdio.h>
#include <libfdt.h>

#include "boot.h"

#define FDT_MAX_SIZE	0x200000	/* booting.rst: at most 2 MiB */
#define GIC_PHANDLE	1

/* GIC interrupt specifier cells (arm,gic-v3.yaml) */
#define GIC_SPI			0
#define GIC_PPI			1
#define IRQ_TYPE_LEVEL_HIGH	4

/* Arch timer PPIs as KVM wires them: secure, non-secure, virtual, hyp */
static const uint32_t timer_ppis[] = { 13, 14, 11, 10 };

static void fdt_check(int err, const char *what)
{
	if (err < 0)
		die("libfdt: %s: %s", what, fdt_strerror(err));
}
#define FDT(call)	fdt_check((call), #call)

/* Two cells of address and two of size, as the root node says */
static void fdt_reg(void *fdt, uint64_t base, uint64_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	FDT(fdt_property(fdt, "reg", reg, sizeof(reg)));
}

static void fdt_cpus(void *fdt, const struct fdt_config *cfg)
{
	char name[32];

	FDT(fdt_begin_node(fdt, "cpus"));
	/* One cell: reg is MPIDR_EL1's Aff2..Aff0 (Aff3 is 0 here) */
	FDT(fdt_property_u32(fdt, "#address-cells", 1));
	FDT(fdt_property_u32(fdt, "#size-cells", 0));
	for (int i = 0; i < cfg->nr_cpus; i++) {
		snprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)cfg->mpidr[i]);
		FDT(fdt_begin_node(fdt, name));
		FDT(fdt_property_string(fdt, "device_type", "cpu"));
		FDT(fdt_property_string(fdt, "compatible", "arm,arm-v8"));
		/* CPU_ON brings it up, CPU_OFF takes it down (arm/psci.yaml) */
		FDT(fdt_property_string(fdt, "enable-method", "psci"));
		FDT(fdt_property_u32(fdt, "reg", (uint32_t)cfg->mpidr[i]));
		FDT(fdt_end_node(fdt));
	}
	FDT(fdt_end_node(fdt));
}

static void fdt_psci(void *fdt, bool smc)
{
	/* "arm,psci-0.2" and later: the standard function IDs, no cpu_on etc. */
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";

	FDT(fdt_begin_node(fdt, "psci"));
	FDT(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	FDT(fdt_property_string(fdt, "method", smc ? "smc" : "hvc"));
	FDT(fdt_end_node(fdt));
}

/* /firmware/optee: OP-TEE's SMC ABI on that conduit, no interrupt (no async notif) */
static void fdt_optee(void *fdt, const char *method)
{
	FDT(fdt_begin_node(fdt, "firmware"));
	FDT(fdt_begin_node(fdt, "optee"));
	FDT(fdt_property_string(fdt, "compatible", "linaro,optee-tz"));
	FDT(fdt_property_string(fdt, "method", method));
	FDT(fdt_end_node(fdt));
	FDT(fdt_end_node(fdt));
}

static void fdt_timer(void *fdt)
{
	fdt32_t irqs[3 * ARRAY_SIZE(timer_ppis)];

	for (size_t i = 0; i < ARRAY_SIZE(timer_ppis); i++) {
		irqs[3 * i] = cpu_to_fdt32(GIC_PPI);
		irqs[3 * i + 1] = cpu_to_fdt32(timer_ppis[i]);
		irqs[3 * i + 2] = cpu_to_fdt32(IRQ_TYPE_LEVEL_HIGH);
	}
	FDT(fdt_begin_node(fdt, "timer"));
	FDT(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
	FDT(fdt_property(fdt, "interrupts", irqs, sizeof(irqs)));
	FDT(fdt_end_node(fdt));
}

static void fdt_gic(void *fdt, int nr_cpus)
{
	fdt64_t reg[4] = {
		cpu_to_fdt64(LINUX_GICD_BASE), cpu_to_fdt64(LINUX_GICD_SIZE),
		cpu_to_fdt64(LINUX_GICR_BASE), cpu_to_fdt64(LINUX_GICR_SIZE * nr_cpus),
	};
	char name[32];

	snprintf(name, sizeof(name), "intc@%llx", LINUX_GICD_BASE);
	FDT(fdt_begin_node(fdt, name));
	FDT(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
	FDT(fdt_property_u32(fdt, "#interrupt-cells", 3));
	FDT(fdt_property(fdt, "interrupt-controller", NULL, 0));
	/* One redistributor region, contiguous frames for every vCPU */
	FDT(fdt_property_u32(fdt, "#redistributor-regions", 1));
	FDT(fdt_property(fdt, "reg", reg, sizeof(reg)));
	FDT(fdt_property_u32(fdt, "phandle", GIC_PHANDLE));
	FDT(fdt_end_node(fdt));
}

static void fdt_uart(void *fdt)
{
	fdt32_t irq[3] = { cpu_to_fdt32(GIC_SPI), cpu_to_fdt32(LINUX_UART_SPI),
			   cpu_to_fdt32(IRQ_TYPE_LEVEL_HIGH) };
	char name[32];

	snprintf(name, sizeof(name), "uart@%llx", LINUX_UART_BASE);
	FDT(fdt_begin_node(fdt, name));
	FDT(fdt_property_string(fdt, "compatible", "ns16550a"));
	fdt_reg(fdt, LINUX_UART_BASE, LINUX_UART_SIZE);
	FDT(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
	/* The usual 1.8432 MHz crystal: 115200 baud is divisor 1 */
	FDT(fdt_property_u32(fdt, "clock-frequency", 1843200));
	FDT(fdt_end_node(fdt));
}

static void fdt_chosen(void *fdt, const struct fdt_config *cfg)
{
	char path[40];

	FDT(fdt_begin_node(fdt, "chosen"));
	FDT(fdt_property_string(fdt, "bootargs", cfg->bootargs));
	snprintf(path, sizeof(path), "/uart@%llx", LINUX_UART_BASE);
	FDT(fdt_property_string(fdt, "stdout-path", path));
	if (cfg->initrd_end) {
		FDT(fdt_property_u64(fdt, "linux,initrd-start", cfg->initrd));
		FDT(fdt_property_u64(fdt, "linux,initrd-end", cfg->initrd_end));
	}
	FDT(fdt_end_node(fdt));
}

size_t fdt__build(struct vm *vm, uint64_t gpa, const struct fdt_config *cfg)
{
	void *fdt = vm__gpa_to_host(vm, gpa, FDT_MAX_SIZE);
	char name[32];

	if (!fdt)
		die("no 2 MiB of guest RAM for the DTB at 0x%llx", (unsigned long long)gpa);
	FDT(fdt_create(fdt, FDT_MAX_SIZE));
	FDT(fdt_finish_reservemap(fdt));
	FDT(fdt_begin_node(fdt, ""));
	FDT(fdt_property_string(fdt, "compatible", "linux,dummy-virt"));
	FDT(fdt_property_u32(fdt, "#address-cells", 2));
	FDT(fdt_property_u32(fdt, "#size-cells", 2));
	FDT(fdt_property_u32(fdt, "interrupt-parent", GIC_PHANDLE));

	fdt_chosen(fdt, cfg);
	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)cfg->ram_base);
	FDT(fdt_begin_node(fdt, name));
	FDT(fdt_property_string(fdt, "device_type", "memory"));
	fdt_reg(fdt, cfg->ram_base, cfg->ram_size);
	FDT(fdt_end_node(fdt));
	fdt_cpus(fdt, cfg);
	fdt_psci(fdt, cfg->psci_smc);
	if (cfg->optee_method)
		fdt_optee(fdt, cfg->optee_method);
	fdt_timer(fdt);
	fdt_gic(fdt, cfg->nr_cpus);
	fdt_uart(fdt);

	FDT(fdt_end_node(fdt));
	FDT(fdt_finish(fdt));
	return fdt_totalsize(fdt);
}
