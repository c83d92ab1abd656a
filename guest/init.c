// SPDX-License-Identifier: GPL-2.0-only
/*
 * init.c: PID 1 of the test initramfs.
 *
 * Mounts /dev, /proc and /sys, runs every row of a tests table (path from
 * the kernel command line "tests=", default /etc/tests) and prints TAP 13:
 *
 *	name  timeout_seconds  [VAR=value...] command [args...]
 *	name  skip             reason...
 *
 * Relative commands run from /kvm, where the selftests are. Each test runs
 * in its own process group with its output relayed as "# " lines; the exit
 * code maps to the result (0 ok, 4/77 skip, 124 timeout, signal, other).
 * New kernel log records that show a splat fail the test they follow.
 * The patterns that make a splat are read from /etc/splat (one list for the
 * whole harness: config/splat-patterns).
 * Row 1 is "boot": the kernel log up to /init must be clean. Then the plan,
 * "# init: done", and power off.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TESTDIR		"/kvm"
#define MAX_ARGS	64
#define KSFT_SKIP	4
#define SKIP_EXIT	77
#define TIMEOUT_EXIT	124

#define SPLAT_LIST	"/etc/splat"
#define MAX_SPLATS	32

/* The kernel messages that fail a test: config/splat-patterns, as /etc/splat. */
static char *splats[MAX_SPLATS];
static int nr_splats;

static int kmsg = -1;
static int tests_run;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Print new kernel log records as diagnostics if any is a splat; return its kind. */
static const char *check_kmsg(void)
{
	static char found[32];
	char rec[1024];
	const char *kind = NULL;
	ssize_t n;

	while (kmsg >= 0) {
		char *msg, *end;

		errno = 0;
		n = read(kmsg, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* records were overwritten: go on with the next */
		if (n <= 0)
			break;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		end = strchr(msg, '\n');
		if (end)
			*end = '\0';
		for (int i = 0; i < nr_splats; i++) {
			if (!strstr(msg, splats[i]))
				continue;
			if (!kind) {
				snprintf(found, sizeof(found), "%.*s", (int)strcspn(splats[i], ":"),
					 splats[i]);
				kind = found;
			}
		}
		if (kind)
			printf("# kernel: %s\n", msg);
	}
	errno = 0;
	return kind;
}

/* Read the splat list; 0 if it has no pattern. */
static int load_splats(void)
{
	char line[128];
	FILE *f = fopen(SPLAT_LIST, "r");

	if (!f)
		return 0;
	while (nr_splats < MAX_SPLATS && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] && line[0] != '#')
			splats[nr_splats++] = strdup(line);
	}
	fclose(f);
	return nr_splats;
}

static void result(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - %s", ok ? "" : "not ", ++tests_run, name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Print one line of the test's output as a diagnostic; remember the last. */
static void relay(char *line, size_t len, char *last, size_t lastsz)
{
	line[len] = '\0';
	printf("# %s\n", line);
	if (len)
		snprintf(last, lastsz, "%.*s", (int)lastsz - 1, line);
}

/*
 * Run argv in its own process group with output relayed until it exits or
 * the deadline passes; return its wait status (exit 124 on timeout).
 */
static int run(char **argv, char **env, int timeout, char *last, size_t lastsz)
{
	double deadline = now() + timeout;
	char buf[4096], line[1024];
	size_t len = 0;
	int status = 0, fds[2], open_pipe = 1, exited = 0;
	pid_t pid;

	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		setpgid(0, 0);
		dup2(null, 0);
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		execve(argv[0], argv, env);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	close(fds[1]);
	last[0] = '\0';

	while (!exited || open_pipe) {
		int left = (int)((deadline - now()) * 1000);
		struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
		ssize_t n;

		if (!exited && waitpid(pid, &status, WNOHANG) == pid)
			exited = 1;
		if (left <= 0) {
			kill(-pid, SIGKILL);
			if (!exited)
				waitpid(pid, &status, 0);
			status = TIMEOUT_EXIT << 8;
			break;
		}
		if (!open_pipe) {
			usleep(10000);
			continue;
		}
		if (poll(&pfd, 1, left < 100 ? left : 100) <= 0) {
			if (exited)
				break;	/* a leftover holds the pipe open: the test is over */
			continue;
		}
		n = read(fds[0], buf, sizeof(buf));
		if (n <= 0)
			open_pipe = 0;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n')
				line[len++] = buf[i];
			if (buf[i] == '\n' || len == sizeof(line) - 1) {
				relay(line, len, last, lastsz);
				len = 0;
			}
		}
	}
	if (len)
		relay(line, len, last, lastsz);
	kill(-pid, SIGKILL);	/* leftovers of the test's process group */
	close(fds[0]);
	return status;
}

static void run_test(char *name, int timeout, char **argv, char **env)
{
	char last[128], why[160];
	const char *splat, *reason;
	double t0 = now();
	int status, ok, skip = 0;

	if (access(argv[0], X_OK) != 0) {
		result(0, name, ": missing binary %s", argv[0]);
		return;
	}
	status = run(argv, env, timeout, last, sizeof(last));
	printf("# %s: %.1fs\n", name, now() - t0);
	if (status < 0) {
		ok = 0;
		snprintf(why, sizeof(why), "fork: %s", strerror(errno));
	} else if (WIFSIGNALED(status)) {
		ok = 0;
		snprintf(why, sizeof(why), "terminated on SIG%s", sigabbrev_np(WTERMSIG(status)));
	} else if (WEXITSTATUS(status) == TIMEOUT_EXIT) {
		ok = 0;
		snprintf(why, sizeof(why), "timeout after %ds", timeout);
	} else if (WEXITSTATUS(status) == KSFT_SKIP || WEXITSTATUS(status) == SKIP_EXIT) {
		ok = skip = 1;
		reason = strstr(last, "SKIP");
		reason = reason ? reason + 4 + strspn(reason + 4, " -:") : last;
		snprintf(why, sizeof(why), "%s", *reason ? reason : "skipped");
	} else {
		ok = WEXITSTATUS(status) == 0;
		snprintf(why, sizeof(why), "exit %d", WEXITSTATUS(status));
	}
	splat = check_kmsg();
	if (splat)
		result(0, name, ": kernel %s%s%s", splat, ok ? "" : ", ", ok ? "" : why);
	else if (skip)
		result(1, name, " # SKIP %s", why);
	else
		result(ok, name, ok ? "" : ": %s", why);
}

/* The value of "key=" on the kernel command line, or def. */
static const char *cmdline(const char *key, const char *def)
{
	static char buf[4096];
	size_t klen = strlen(key);
	FILE *f = fopen("/proc/cmdline", "r");
	char *tok, *save;

	if (!f)
		return def;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	for (tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
		if (!strncmp(tok, key, klen) && tok[klen] == '=')
			return tok + klen + 1;
	return def;
}

static void run_table(const char *path)
{
	char line[1024];
	FILE *f = fopen(path, "r");

	if (!f) {
		result(0, path, ": cannot open tests file: %s", strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *argv[MAX_ARGS + 1], *env[MAX_ARGS + 2], *name, *tmo, *tok, *save, *end;
		int argc = 0, envc = 0;
		long timeout;

		line[strcspn(line, "#\n")] = '\0';
		name = strtok_r(line, " \t", &save);
		tmo = strtok_r(NULL, " \t", &save);
		if (!name)
			continue;
		if (tmo && !strcmp(tmo, "skip")) {
			tok = strtok_r(NULL, "", &save);
			result(1, name, " # SKIP %s", tok ? tok + strspn(tok, " \t") : "excluded");
			continue;
		}
		env[envc++] = "PATH=/bin:/sbin:/usr/bin";
		while ((tok = strtok_r(NULL, " \t", &save)) && argc < MAX_ARGS) {
			if (!argc && strchr(tok, '=') && envc < MAX_ARGS)
				env[envc++] = tok;
			else
				argv[argc++] = tok;
		}
		argv[argc] = NULL;
		env[envc] = NULL;
		timeout = tmo ? strtol(tmo, &end, 10) : 0;
		if (!tmo || *end || timeout <= 0 || !argc) {
			result(0, name, ": bad row in %s", path);
			continue;
		}
		run_test(name, timeout, argv, env);
	}
	fclose(f);
}

int main(void)
{
	const char *splat, *tests;
	int have_splats;

	mkdir("/dev", 0755);
	mkdir("/proc", 0555);
	mkdir("/sys", 0555);
	mkdir("/tmp", 01777);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);

	tests = cmdline("tests", "/etc/tests");
	printf("TAP version 13\n# init: tests from %s\n", tests);
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	have_splats = load_splats();
	splat = check_kmsg();
	if (!have_splats)
		result(0, "boot", ": no kernel-splat patterns in %s", SPLAT_LIST);
	else if (splat)
		result(0, "boot", ": kernel %s", splat);
	else
		result(1, "boot", "");

	if (chdir(TESTDIR) != 0)
		chdir("/");
	run_table(tests);

	printf("1..%d\n# init: done\n", tests_run);
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
