/* plant N CMD...: set kvm_plant=N (planted-bug switch), then exec CMD */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	FILE *f = fopen("/sys/module/kernel/parameters/kvm_plant", "w");

	if (argc < 3 || !f || fprintf(f, "%s\n", argv[1]) < 0 || fclose(f)) {
		perror("plant");
		return 1;
	}
	execv(argv[2], argv + 2);
	perror("exec");
	return 1;
}
