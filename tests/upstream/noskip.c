// SPDX-License-Identifier: GPL-2.0-only
/*
 * noskip CMD [ARGS...]: run CMD and turn its kselftest skip (exit 4) into
 * a failure. Upstream's smccc_filter.c skips when the kernel lacks the
 * SMCCC filter, which on the series' kernel is a failure of the series.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define KSFT_SKIP	4

int main(int argc, char **argv)
{
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: %s CMD [ARGS...]\n", argv[0]);
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (!pid) {
		execv(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid) {
		perror("waitpid");
		return 1;
	}
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "noskip: %s killed by signal %d\n", argv[1], WTERMSIG(status));
		return 1;
	}
	if (WEXITSTATUS(status) == KSFT_SKIP) {
		fprintf(stderr, "noskip: %s skipped: it must run on this kernel\n", argv[1]);
		return 1;
	}
	return WEXITSTATUS(status);
}
