// SPDX-License-Identifier: GPL-2.0
/*
 * linux-guest-tee.c: /tee in the Linux guest's initramfs (static), run by
 * /init when the command line says vmmdemo.tee=1 (demo/linux --optee).
 * A client of the guest kernel's own OP-TEE driver through <linux/tee.h>,
 * talking to the TA the VMM serves (vmm/optee-ta.c; UUID and commands in
 * vmm/optee-ids.h): checks the driver probed, opens a session, invokes
 * commands with value and memory-reference parameters (TEE_IOC_SHM_ALLOC'd
 * and TEE_IOC_SHM_REGISTER'd buffers), closes it, and checks every result.
 * One TAP line per case, the plan last; exit 0 only if every case passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/tee.h>

#define OPTEE_IDS_NO_STRUCTS
#include "optee-ids.h"

#define PAGE		4096
#define SESSION_LOOPS	20

static const uint8_t ta_uuid[16] = { VMM_TA_UUID_BYTES };
static int tee_fd = -1, nr_case, nr_failed;

static bool check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++nr_case);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	nr_failed += !ok;
	return ok;
}

/* Open a session with uuid; returns the TEE result, the session in *session */
static uint32_t open_session(const uint8_t *uuid, uint32_t *session, uint32_t *origin)
{
	struct tee_ioctl_open_session_arg arg = { .clnt_login = TEE_IOCTL_LOGIN_PUBLIC };
	struct tee_ioctl_buf_data buf = { .buf_ptr = (uintptr_t)&arg, .buf_len = sizeof(arg) };

	memcpy(arg.uuid, uuid, 16);
	if (ioctl(tee_fd, TEE_IOC_OPEN_SESSION, &buf)) {
		*origin = 0;
		return TEEC_ERROR_COMMUNICATION;
	}
	*session = arg.session;
	*origin = arg.ret_origin;
	return arg.ret;
}

static int close_session(uint32_t session)
{
	struct tee_ioctl_close_session_arg arg = { .session = session };

	return ioctl(tee_fd, TEE_IOC_CLOSE_SESSION, &arg);
}

/* An invoke with up to 4 parameters (updated in place); the TEE result */
struct invoke {
	struct tee_ioctl_invoke_arg arg;
	struct tee_ioctl_param p[4];
};

static uint32_t invoke(uint32_t session, uint32_t func, struct tee_ioctl_param *p,
		       uint32_t *origin)
{
	struct invoke inv = { .arg = { .func = func, .session = session, .num_params = 4 } };
	struct tee_ioctl_buf_data buf = { .buf_ptr = (uintptr_t)&inv, .buf_len = sizeof(inv) };

	memcpy(inv.p, p, sizeof(inv.p));
	if (ioctl(tee_fd, TEE_IOC_INVOKE, &buf)) {
		*origin = 0;
		return TEEC_ERROR_COMMUNICATION;
	}
	memcpy(p, inv.p, sizeof(inv.p));
	*origin = inv.arg.ret_origin;
	return inv.arg.ret;
}

static struct tee_ioctl_param value(uint64_t attr, uint64_t a, uint64_t b)
{
	return (struct tee_ioctl_param){ .attr = attr, .a = a, .b = b };
}

/* A memref parameter: shared memory id, offset, size */
static struct tee_ioctl_param memref(uint64_t attr, int id, uint64_t offs, uint64_t size)
{
	return (struct tee_ioctl_param){ .attr = attr, .a = offs, .b = size, .c = id };
}

/* TEE_IOC_SHM_ALLOC'd and mapped; NULL on failure */
static uint8_t *shm_alloc(size_t size, int *id, int *fd)
{
	struct tee_ioctl_shm_alloc_data data = { .size = size };
	void *p;

	*fd = ioctl(tee_fd, TEE_IOC_SHM_ALLOC, &data);
	if (*fd < 0)
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
	*id = data.id;
	return p == MAP_FAILED ? NULL : p;
}

/* printk's "[seconds.micros]" of the log line holding p */
static double log_time(const char *log, const char *p)
{
	double t = -1;

	while (p > log && p[-1] != '\n')
		p--;
	p = strchr(p, '[');
	return p && sscanf(p, "[%lf]", &t) == 1 ? t : -1;
}

/*
 * The driver's probe on the kernel's clock: its first line ("optee:
 * revision") to "initialized driver" (a figure under QEMU's -icount)
 */
static void probe_time(const char *log, const char *done)
{
	const char *first = strstr(log, "optee: revision");
	double t0, t1;

	if (!first || !done)
		return;
	t0 = log_time(log, first);
	t1 = log_time(log, done);
	if (t0 >= 0 && t1 >= t0)
		printf("tee: driver probe %.0f us on the kernel's clock (first line to "
		       "\"initialized driver\")\n", (t1 - t0) * 1e6);
}

/* The kernel's log has the OP-TEE driver's "initialized driver" line */
static void check_probe(void)
{
	static char log[1 << 20];
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof(log) - 1);
	char *line;

	log[n > 0 ? n : 0] = '\0';
	line = strstr(log, "optee: initialized driver");
	check(line != NULL, "kernel log: \"optee: initialized driver\"");
	probe_time(log, line);
	check(!strstr(log, "optee: api uid mismatch") && !strstr(log, "PTA_CMD_GET_DEVICES"),
	      "kernel log: no OP-TEE driver error");
}

static void check_values(uint32_t s)
{
	struct tee_ioctl_param p[4] = { 0 };
	uint64_t a = 0x123456789abcdefULL, b = 0x1000000001ULL;
	uint32_t ret, origin;

	p[0] = value(TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT, a, b);
	p[1] = value(TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT, 0, 0);
	ret = invoke(s, VMM_TA_CMD_ADD, p, &origin);
	check(ret == TEEC_SUCCESS && p[1].a == a + b && p[1].b == a * b,
	      "ADD value params: ret 0x%x, a+b 0x%llx (want 0x%llx), a*b 0x%llx (want 0x%llx)",
	      ret, (unsigned long long)p[1].a, (unsigned long long)(a + b),
	      (unsigned long long)p[1].b, (unsigned long long)(a * b));

	for (int i = 1; i <= 3; i++) {
		memset(p, 0, sizeof(p));
		p[0] = value(TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT, 100 * i, 0);
		ret = invoke(s, VMM_TA_CMD_INCREMENT, p, &origin);
		check(ret == TEEC_SUCCESS && p[0].a == 100ULL * i + 1 && p[0].b == (uint64_t)i,
		      "INCREMENT %d inout value: ret 0x%x, a %llu (want %d), count %llu (want %d)",
		      i, ret, (unsigned long long)p[0].a, 100 * i + 1,
		      (unsigned long long)p[0].b, i);
	}

	memset(p, 0, sizeof(p));
	p[0] = value(TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT, 1, 2);
	ret = invoke(s, VMM_TA_CMD_ADD, p, &origin);
	check(ret == TEEC_ERROR_BAD_PARAMETERS && origin == TEEC_ORIGIN_TRUSTED_APP,
	      "ADD with wrong parameter types: ret 0x%x origin %u (want BAD_PARAMETERS from the TA)",
	      ret, origin);
	memset(p, 0, sizeof(p));
	ret = invoke(s, 0x77, p, &origin);
	check(ret == TEEC_ERROR_NOT_SUPPORTED && origin == TEEC_ORIGIN_TRUSTED_APP,
	      "unknown command 0x77: ret 0x%x origin %u (want NOT_SUPPORTED from the TA)",
	      ret, origin);
}

/* REVERSE: in and out buffers in TEE_IOC_SHM_ALLOC'd memory, across pages */
static void check_reverse(uint32_t s)
{
	const size_t len = 3 * PAGE + 123, room = 4 * PAGE;
	struct tee_ioctl_param p[4] = { 0 };
	int in_id, in_fd, out_id, out_fd;
	uint8_t *in = shm_alloc(len, &in_id, &in_fd);
	uint8_t *out = shm_alloc(room, &out_id, &out_fd);
	uint64_t sum = 0;
	uint32_t ret, origin;
	size_t bad = 0;

	if (!check(in && out, "TEE_IOC_SHM_ALLOC of %zu and %zu bytes: %s", len, room,
		   in && out ? "mapped" : strerror(errno)))
		return;
	for (size_t i = 0; i < len; i++) {
		in[i] = (uint8_t)(i * 7 + 3);
		sum += in[i];
	}
	memset(out, 0xaa, room);
	p[0] = memref(TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT, in_id, 0, len);
	p[1] = memref(TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT, out_id, 0, room);
	p[2] = value(TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT, 0, 0);
	ret = invoke(s, VMM_TA_CMD_REVERSE, p, &origin);
	for (size_t i = 0; i < len; i++)
		bad += out[i] != in[len - 1 - i];
	for (size_t i = len; i < room; i++)
		bad += out[i] != 0xaa;
	check(ret == TEEC_SUCCESS && !bad && p[1].b == len,
	      "REVERSE memrefs (%zu bytes in, %zu room): ret 0x%x, %zu bytes wrong, "
	      "out size %llu", len, room, ret, bad, (unsigned long long)p[1].b);
	check(ret == TEEC_SUCCESS && p[2].a == sum && p[2].b == len,
	      "REVERSE value out: sum %llu (want %llu), size %llu",
	      (unsigned long long)p[2].a, (unsigned long long)sum, (unsigned long long)p[2].b);

	/* An output too small: SHORT_BUFFER and the size it needs, nothing written */
	memset(out, 0x55, room);
	p[1] = memref(TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT, out_id, 0, 100);
	ret = invoke(s, VMM_TA_CMD_REVERSE, p, &origin);
	bad = 0;
	for (size_t i = 0; i < room; i++)
		bad += out[i] != 0x55;
	check(ret == TEEC_ERROR_SHORT_BUFFER && p[1].b == len && !bad,
	      "REVERSE into 100 bytes: ret 0x%x (want SHORT_BUFFER), size %llu (want %zu), "
	      "%zu bytes touched", ret, (unsigned long long)p[1].b, len, bad);

	/* A memref past the end of its shared memory: refused by the kernel or by us */
	p[1] = memref(TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT, out_id, room - 16, 4096);
	ret = invoke(s, VMM_TA_CMD_REVERSE, p, &origin);
	check(ret != TEEC_SUCCESS, "REVERSE into a memref past its buffer's end: refused (0x%x)",
	      ret);
	munmap(in, len);
	munmap(out, room);
	close(in_fd);
	close(out_fd);
}

/* INVERT in place: user memory registered with TEE_IOC_SHM_REGISTER, at an offset */
static void check_invert(uint32_t s)
{
	const size_t size = 5 * PAGE, offs = 1000, len = 3 * PAGE + 7;
	struct tee_ioctl_shm_register_data reg = { .length = size };
	struct tee_ioctl_param p[4] = { 0 };
	uint8_t *buf = mmap(NULL, size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	uint32_t ret, origin;
	size_t bad = 0;
	int fd;

	if (buf == MAP_FAILED)
		buf = NULL;
	reg.addr = (uintptr_t)buf;
	fd = buf ? ioctl(tee_fd, TEE_IOC_SHM_REGISTER, &reg) : -1;
	if (!check(fd >= 0, "TEE_IOC_SHM_REGISTER of %zu bytes of user memory: %s", size,
		   fd >= 0 ? "registered" : strerror(errno)))
		return;
	for (size_t i = 0; i < size; i++)
		buf[i] = (uint8_t)(i ^ (i >> 8));
	p[0] = memref(TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT, reg.id, offs, len);
	p[1] = value(TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT, 0, 0);
	ret = invoke(s, VMM_TA_CMD_INVERT, p, &origin);
	for (size_t i = 0; i < size; i++) {
		uint8_t want = (uint8_t)(i ^ (i >> 8));

		if (i >= offs && i < offs + len)
			want ^= 0xff;
		bad += buf[i] != want;
	}
	check(ret == TEEC_SUCCESS && !bad && p[1].a == len,
	      "INVERT inout memref (%zu bytes at offset %zu of registered memory): ret 0x%x, "
	      "%zu bytes wrong, TA saw %llu bytes", len, offs, ret, bad,
	      (unsigned long long)p[1].a);
	close(fd);
	munmap(buf, size);
}

int main(void)
{
	struct tee_ioctl_version_data ver = { 0 };
	uint32_t s = 0, s2, ret, origin;
	uint8_t bad_uuid[16];
	int loops_ok = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	check_probe();
	tee_fd = open("/dev/tee0", O_RDWR);
	if (!check(tee_fd >= 0, "open /dev/tee0: %s", tee_fd >= 0 ? "ok" : strerror(errno)))
		goto out;
	check(!ioctl(tee_fd, TEE_IOC_VERSION, &ver) && ver.impl_id == TEE_IMPL_ID_OPTEE &&
	      (ver.gen_caps & TEE_GEN_CAP_REG_MEM),
	      "TEE_IOC_VERSION: impl_id %u (want OP-TEE, %u), gen_caps 0x%x (want REG_MEM)",
	      ver.impl_id, TEE_IMPL_ID_OPTEE, ver.gen_caps);

	memcpy(bad_uuid, ta_uuid, 16);
	bad_uuid[15] ^= 1;
	ret = open_session(bad_uuid, &s2, &origin);
	check(ret == TEEC_ERROR_ITEM_NOT_FOUND && origin == TEEC_ORIGIN_TEE,
	      "open session with an unknown UUID: ret 0x%x origin %u (want ITEM_NOT_FOUND from "
	      "the TEE)", ret, origin);
	ret = open_session(ta_uuid, &s, &origin);
	if (!check(ret == TEEC_SUCCESS && s, "open session with the VMM's TA: ret 0x%x "
		   "origin %u, session %u", ret, origin, s))
		goto out;
	check_values(s);
	check_reverse(s);
	check_invert(s);
	check(!close_session(s), "close session %u", s);

	/* Sessions are freed: more opens than the VMM has slots for */
	for (int i = 0; i < 4 * SESSION_LOOPS; i++) {
		struct tee_ioctl_param p[4] = { value(TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT, i, 0) };

		if (open_session(ta_uuid, &s2, &origin) != TEEC_SUCCESS)
			break;
		ret = invoke(s2, VMM_TA_CMD_INCREMENT, p, &origin);
		if (close_session(s2) || ret != TEEC_SUCCESS || p[0].a != (uint64_t)i + 1 ||
		    p[0].b != 1)
			break;
		loops_ok++;
	}
	check(loops_ok == 4 * SESSION_LOOPS, "%d of %d open/invoke/close rounds", loops_ok,
	      4 * SESSION_LOOPS);
out:
	printf("1..%d\n", nr_case);
	printf("tee: %d of %d cases passed\n", nr_case - nr_failed, nr_case);
	return nr_failed ? 1 : 0;
}
