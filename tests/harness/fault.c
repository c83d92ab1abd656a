// SPDX-License-Identifier: GPL-2.0-only
/*
 * fault.c: the guest side of scripts/harness-selftest.sh, run as a row of a
 * tests table by guest/init.c.
 *   fault ok        exit 0
 *   fault hang      never return (the run must time out)
 *   fault poweroff  power the guest off under init's feet (later rows
 *                   never report)
 */
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "ok"))
		return 0;
	if (!strcmp(mode, "hang")) {
		for (;;)
			pause();
	}
	if (!strcmp(mode, "poweroff")) {
		sync();
		reboot(RB_POWER_OFF);
	}
	fprintf(stderr, "usage: fault ok|hang|poweroff\n");
	return 2;
}
