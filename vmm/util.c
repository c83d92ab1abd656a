// SPDX-License-Identifier: GPL-2.0
/*
 * die/die_perror: one failure line, "<program>: FAIL: <what>[: <errno>]",
 * on stdout (where the harness's TAP rows look), then exit(1).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmm.h"

static const char *program = "vmm";

void vmm__set_name(const char *name)
{
	program = name;
}

const char *vmm__name(void)
{
	return program;
}

static void vfail(const char *fmt, va_list ap, const char *err)
{
	char msg[256];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	printf("%s: FAIL: %s%s%s\n", program, msg, err ? ": " : "", err ? err : "");
	fflush(stdout);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(fmt, ap, NULL);
	va_end(ap);
	exit(1);
}

void die_perror(const char *fmt, ...)
{
	const char *err = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vfail(fmt, ap, err);
	va_end(ap);
	exit(1);
}
