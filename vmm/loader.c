// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 Linux loader: the Image at a 2 MiB aligned base plus text_offset,
 * the initrd below the DTB, the DTB in the last 2 MiB of RAM
 * (Documentation/arm64/booting.rst, sections 2-4).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <asm/ptrace.h>

#include "boot.h"

#define SZ_2M		0x200000ULL
#define ARM64_MAGIC	0x644d5241	/* "ARM\x64", little endian */

/* booting.rst, "Call the kernel image": the first 64 bytes of an Image */
struct arm64_image_header {
	uint32_t code0, code1;
	uint64_t text_offset;	/* load offset from a 2 MiB aligned base */
	uint64_t image_size;	/* bytes the kernel uses from there, BSS included */
	uint64_t flags;
	uint64_t res2, res3, res4;
	uint32_t magic;
	uint32_t res5;
};

static size_t file_size(int fd, const char *path)
{
	struct stat st;

	if (fstat(fd, &st))
		die_perror("fstat failed (%s)", path);
	return st.st_size;
}

/* Read all of fd into guest memory [gpa, gpa + len) */
static void read_to_guest(struct vm *vm, int fd, const char *path, uint64_t gpa,
			  size_t len)
{
	uint8_t *p = vm__gpa_to_host(vm, gpa, len);
	size_t done = 0;

	if (!p)
		die("%s does not fit in guest RAM at 0x%llx (%zu bytes)", path,
		    (unsigned long long)gpa, len);
	while (done < len) {
		ssize_t n = pread(fd, p + done, len - done, done);

		if (n <= 0)
			die_perror("read failed (%s)", n ? path : "short file");
		done += n;
	}
}

void loader__load(struct vm *vm, uint64_t ram_base, uint64_t ram_size,
		  const char *image, const char *initrd, struct linux_boot *out)
{
	struct arm64_image_header h;
	uint64_t ram_end = ram_base + ram_size;
	size_t size;
	int fd;

	memset(out, 0, sizeof(*out));
	fd = open(image, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die_perror("open failed (%s)", image);
	size = file_size(fd, image);
	if (pread(fd, &h, sizeof(h), 0) != sizeof(h) || h.magic != ARM64_MAGIC)
		die("%s is no arm64 Image (no \"ARM\\x64\" magic at offset 56)", image);
	/* image_size 0: a kernel older than 3.17, whose text_offset is 0x80000 */
	if (!h.image_size)
		h.text_offset = 0x80000, h.image_size = size;
	out->kernel = (ram_base & ~(SZ_2M - 1)) + h.text_offset;
	out->kernel_end = out->kernel + h.image_size;
	/* The DTB gets the last 2 MiB; it must not share them with anything */
	out->dtb = (ram_end & ~(SZ_2M - 1)) - SZ_2M;
	if (out->kernel < ram_base || out->kernel_end > out->dtb || size > h.image_size)
		die("%s (%zu bytes, image_size 0x%llx) does not fit in RAM", image, size,
		    (unsigned long long)h.image_size);
	read_to_guest(vm, fd, image, out->kernel, size);
	close(fd);

	if (!initrd)
		return;
	fd = open(initrd, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die_perror("open failed (%s)", initrd);
	size = file_size(fd, initrd);
	/* Page aligned, right below the DTB, above the kernel's image_size */
	out->initrd = (out->dtb - size) & ~0xfffULL;
	out->initrd_end = out->initrd + size;
	if (size > out->dtb || out->initrd < out->kernel_end)
		die("%s (%zu bytes) does not fit between the kernel and the DTB", initrd,
		    size);
	read_to_guest(vm, fd, initrd, out->initrd, size);
	close(fd);
}

void loader__set_boot_regs(struct vcpu *v, const struct linux_boot *b)
{
	/* PC = the Image's first instruction (MMU off, as after reset) */
	vcpu__set_reg(v, REG_PC, b->kernel);
	/* x0 = physical address of the DTB */
	vcpu__set_reg(v, REG_X(0), b->dtb);
	/* x1..x3 = 0, reserved for future use */
	vcpu__set_reg(v, REG_X(1), 0);
	vcpu__set_reg(v, REG_X(2), 0);
	vcpu__set_reg(v, REG_X(3), 0);
	/* EL1h with D, A, I and F masked */
	vcpu__set_reg(v, REG_PSTATE, PSR_MODE_EL1h | PSR_D_BIT | PSR_A_BIT |
		      PSR_I_BIT | PSR_F_BIT);
}
