// SPDX-License-Identifier: GPL-2.0
/*
 * linux-guest-init.c: /init of the Linux guest that demo/linux boots (static).
 *
 * First boot (bootargs "vmmdemo.boot=1"): checks that 4 CPUs are online,
 * takes CPUs 1-3 offline and online again through
 * /sys/devices/system/cpu/cpuN/online 10 times, checking /proc/cpuinfo
 * after each half, then reboots (PSCI SYSTEM_RESET). Second boot
 * ("vmmdemo.boot=2", the VMM changes the token on reset): checks 4 CPUs
 * again and powers off (PSCI SYSTEM_OFF). With "vmmdemo.tee=1", each boot
 * first runs /tee (linux-guest-tee.c, OP-TEE's cases). Every step prints one
 * "init: ..." line on the console; the VMM checks them. A failed check
 * prints "init: FAIL ..." and powers off at once.
 *
 * With "vmmdemo.ffa=UUID|none" (linux --ffa), each boot also checks what
 * Linux's FF-A driver found (ffa_check).
 * Storms and reboot loops (robust/, issue 19), when the VMM asks:
 * "vmmdemo.storm=S" makes every boot but the last take CPUs 1-3 offline
 * all at once (one thread per CPU, released together) and online again,
 * S times, checking /proc/cpuinfo after each half; "vmmdemo.last=N" makes
 * boots 1..N-1 reboot and boot N power off (default 2: as above).
 */
#include <pthread.h>
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NR_CPUS		4
#define CYCLES		10

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;

	printf("init: FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	reboot(RB_POWER_OFF);
	exit(1);
}

/* The value of "key=" on the kernel command line, or NULL */
static const char *cmdline_str(const char *key)
{
	static char buf[1024];
	char *p;
	size_t klen = strlen(key);
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f || !fgets(buf, sizeof(buf), f))
		fail("cannot read /proc/cmdline");
	fclose(f);
	for (p = strtok(buf, " \n"); p; p = strtok(NULL, " \n"))
		if (!strncmp(p, key, klen) && p[klen] == '=')
			return p + klen + 1;
	return NULL;
}

/* The value of "key=" on the kernel command line, or 0 */
static long cmdline_long(const char *key)
{
	const char *v = cmdline_str(key);

	return v ? strtol(v, NULL, 10) : 0;
}

/* "processor : N" lines in /proc/cpuinfo: the CPUs online */
static int cpuinfo_cpus(void)
{
	char line[256];
	int n = 0;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		fail("cannot open /proc/cpuinfo");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "processor", 9))
			n++;
	fclose(f);
	return n;
}

/* Write "0" or "1" to cpuN/online; returns the time the write took */
static long long set_online(int cpu, int on)
{
	char path[64];
	long long t0;
	int fd;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		fail("open %s: %m", path);
	t0 = now_ns();
	if (write(fd, on ? "1" : "0", 1) != 1)
		fail("write %d to %s: %m", on, path);
	t0 = now_ns() - t0;
	close(fd);
	return t0;
}

/* The first line of a small sysfs file, without its newline ("" if none) */
static void read_attr(const char *dir, const char *name, char *buf, size_t size)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	buf[0] = '\0';
	f = fopen(path, "r");
	if (!f)
		fail("open %s: %m", path);
	if (fgets(buf, size, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static bool optee_probed;	/* "optee: initialized driver" in the kernel log */

/* The FF-A driver's lines in the kernel log; none may be at error level */
static void ffa_log_check(void)
{
	static char log[1 << 18];
	int n = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);

	if (n <= 0 || n > (int)sizeof(log) - 1)
		n = sizeof(log) - 1;
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, n);
	if (n < 0)
		fail("klogctl(READ_ALL): %m");
	log[n] = '\0';
	for (char *line = strtok(log, "\n"); line; line = strtok(NULL, "\n")) {
		/* ffa_init: the probe's initcall_debug lines (--append initcall_debug) */
		if (!strstr(line, "FF-A") && !strstr(line, "arm_ffa") &&
		    !strstr(line, "arm-ffa") && !strstr(line, "ffa_init") &&
		    !strstr(line, "optee"))
			continue;
		printf("init: ffa: log: %s\n", line);
		optee_probed |= strstr(line, "optee: initialized driver") != NULL;
		/* "<level>": 0 emerg .. 3 err */
		if (line[0] == '<' && line[1] >= '0' && line[1] <= '3')
			fail("ffa: an FF-A line at error level in the kernel log: %s", line);
	}
}

/*
 * vmmdemo.ffa=UUID: the driver probed and found the VMM's partition: one
 * device under /sys/bus/arm_ffa/devices/ with that UUID, plus the one the
 * driver adds for its own endpoint (null UUID), nothing else. "none": no
 * device at all, the driver did not probe (SMCCC below 1.2). Either way,
 * no FF-A line at error level in the kernel log.
 */
static void ffa_check(const char *want)
{
	static const char *const bus = "/sys/bus/arm_ffa/devices";
	bool none = !strcmp(want, "none");
	int n = 0, found = 0;
	struct dirent *e;
	DIR *d = opendir(bus);

	if (!d)
		fail("opendir %s: %m", bus);
	while ((e = readdir(d))) {
		char dir[300], id[32], uuid[64];

		if (e->d_name[0] == '.')
			continue;
		n++;
		snprintf(dir, sizeof(dir), "%s/%s", bus, e->d_name);
		read_attr(dir, "partition_id", id, sizeof(id));
		read_attr(dir, "uuid", uuid, sizeof(uuid));
		printf("init: ffa: %s: partition_id %s, uuid %s\n", e->d_name, id, uuid);
		found += !strcmp(uuid, want);
	}
	closedir(d);
	ffa_log_check();
	if (none && n)
		fail("ffa: %d devices under %s, expected none (no FF-A below SMCCC 1.2)",
		     n, bus);
	if (!none && (found != 1 || n != 2))
		fail("ffa: partition %s found %d times among %d devices under %s, "
		     "expected once among 2 (it and the driver's own endpoint)", want, found,
		     n, bus);
	/* vmmdemo.ffatee=1: the partition is OP-TEE, its driver probed over FF-A */
	if (cmdline_str("vmmdemo.ffatee")) {
		struct stat st;

		if (stat("/dev/tee0", &st) || stat("/dev/teepriv0", &st))
			fail("ffa: no /dev/tee0 or /dev/teepriv0: OP-TEE over FF-A did not probe");
		if (!optee_probed)
			fail("ffa: no \"optee: initialized driver\" in the kernel log");
		printf("init: ffa: OP-TEE over FF-A: driver initialized, /dev/tee0 and "
		       "/dev/teepriv0 present\n");
	}
	printf("init: ffa: checked: %s\n", none ? "no FF-A device, as expected" :
	       "the VMM's partition found by Linux's FF-A driver");
}

static void expect_cpus(int want, const char *when)
{
	int n = cpuinfo_cpus();

	if (n != want)
		fail("%s: /proc/cpuinfo lists %d CPUs, expected %d", when, n, want);
}

static void hotplug(void)
{
	long long t_off = 0, t_on = 0;
	char when[64];

	for (int c = 1; c <= CYCLES; c++) {
		for (int cpu = 1; cpu < NR_CPUS; cpu++)
			t_off += set_online(cpu, 0);
		snprintf(when, sizeof(when), "cycle %d, CPUs 1-%d offline", c, NR_CPUS - 1);
		expect_cpus(1, when);
		for (int cpu = 1; cpu < NR_CPUS; cpu++)
			t_on += set_online(cpu, 1);
		snprintf(when, sizeof(when), "cycle %d, CPUs 1-%d online", c, NR_CPUS - 1);
		expect_cpus(NR_CPUS, when);
		printf("init: hotplug cycle %d/%d: /proc/cpuinfo 1 CPU, then %d\n", c, CYCLES,
		       NR_CPUS);
	}
	printf("init: hotplug done: %d cycles; per CPU, offline %lld ns, online %lld ns "
	       "(guest clock, mean of %d)\n", CYCLES, t_off / (CYCLES * (NR_CPUS - 1)),
	       t_on / (CYCLES * (NR_CPUS - 1)), CYCLES * (NR_CPUS - 1));
}

/* vmmdemo.tee=1 (demo/linux --optee): /tee's TAP cases, each boot */
static void run_tee(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl("/tee", "tee", (char *)NULL);
		printf("init: exec /tee: %m\n");
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		fail("cannot run /tee: %m");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail("/tee: OP-TEE cases failed (status 0x%x)", status);
	printf("init: tee passed\n");
}

/* One storm: every CPU but 0 goes offline at once, then online at once */
static pthread_barrier_t storm_go;
static int storm_on;

static void *storm_cpu(void *arg)
{
	pthread_barrier_wait(&storm_go);
	set_online((int)(long)arg, storm_on);
	return NULL;
}

static void storm_half(int on)
{
	pthread_t t[NR_CPUS];

	storm_on = on;
	pthread_barrier_init(&storm_go, NULL, NR_CPUS - 1);
	for (long cpu = 1; cpu < NR_CPUS; cpu++)
		if (pthread_create(&t[cpu], NULL, storm_cpu, (void *)cpu))
			fail("pthread_create: %m");
	for (int cpu = 1; cpu < NR_CPUS; cpu++)
		pthread_join(t[cpu], NULL);
	pthread_barrier_destroy(&storm_go);
}

static void storms(long n)
{
	char when[64];

	for (long s = 1; s <= n; s++) {
		storm_half(0);
		snprintf(when, sizeof(when), "storm %ld, CPUs 1-%d offline at once", s, NR_CPUS - 1);
		expect_cpus(1, when);
		storm_half(1);
		snprintf(when, sizeof(when), "storm %ld, CPUs 1-%d online at once", s, NR_CPUS - 1);
		expect_cpus(NR_CPUS, when);
		printf("init: storm %ld/%ld: /proc/cpuinfo 1 CPU, then %d\n", s, n, NR_CPUS);
	}
}

int main(void)
{
	static const struct { const char *dir, *fs; mode_t mode; } mounts[] = {
		{ "/dev", "devtmpfs", 0755 }, { "/proc", "proc", 0555 },
		{ "/sys", "sysfs", 0555 },
	};
	long boot;
	int fd;

	for (size_t i = 0; i < sizeof(mounts) / sizeof(mounts[0]); i++) {
		mkdir(mounts[i].dir, mounts[i].mode);
		mount(mounts[i].fs, mounts[i].dir, mounts[i].fs, 0, NULL);
	}
	/* The initramfs has no /dev/console node: the kernel gave us no stdio */
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	boot = cmdline_long("vmmdemo.boot");
	printf("init: boot %ld, %d CPUs in /proc/cpuinfo\n", boot, cpuinfo_cpus());
	expect_cpus(NR_CPUS, "at start");
	if (cmdline_str("vmmdemo.ffa"))
		ffa_check(cmdline_str("vmmdemo.ffa"));
	if (cmdline_long("vmmdemo.tee") == 1)
		run_tee();
	if (boot < (cmdline_long("vmmdemo.last") ?: 2)) {
		if (boot == 1)
			hotplug();
		storms(cmdline_long("vmmdemo.storm"));
		printf("init: rebooting\n");
		sync();
		reboot(RB_AUTOBOOT);
		fail("reboot(RB_AUTOBOOT) returned: %m");
	}
	printf("init: powering off\n");
	sync();
	reboot(RB_POWER_OFF);
	fail("reboot(RB_POWER_OFF) returned: %m");
}
