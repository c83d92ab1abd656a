#!/bin/bash
# qemu.sh CPU KERNEL INITRD TIMEOUT [QEMU_ARGS...]: the harness's one QEMU
# launcher. Boots KERNEL with INITRD on QEMU's virt machine (TCG, EL2,
# GICv3, no network device) with the named CPU and prints the console
# (CR stripped) on stdout. Exit status: QEMU's; 124 when TIMEOUT seconds
# passed; 127 when QEMU cannot be run.
#   CPU: max (VHE; SME off, see ../shared/NOTES.md "SME trap") | cortex-a72
#        (nVHE, AArch32 EL1)
#   env: APPEND (added to the kernel command line), MEM (MiB, default 2048),
#        QEMU (the binary, default qemu-system-aarch64), QEMU_EXTRA (more
#        QEMU options, for experiments and the harness self-test)
# qemu.sh --cpu CPU: print the -cpu option that CPU stands for.
set -eu

usage() {
	echo "usage: $0 max|cortex-a72 KERNEL INITRD TIMEOUT [QEMU_ARGS...]" >&2
	echo "       $0 --cpu max|cortex-a72" >&2
	echo "  env: APPEND, MEM, QEMU, QEMU_EXTRA" >&2
	exit 2
}

cpu_opt() {
	case $1 in
	max)		echo max,sme=off,pauth-impdef=on ;;
	cortex-a72)	echo cortex-a72 ;;
	*)		usage ;;
	esac
}

[ $# -ge 1 ] || usage
if [ "$1" = --cpu ]; then
	[ $# = 2 ] || usage
	cpu_opt "$2"
	exit 0
fi
[ $# -ge 4 ] || usage
cpu=$(cpu_opt "$1") kernel=$2 initrd=$3 tmo=$4
shift 4
: "${QEMU:=qemu-system-aarch64}" "${MEM:=2048}"
command -v "$QEMU" >/dev/null || { echo "qemu.sh: cannot run $QEMU (not installed? make deps)"; exit 127; }

# QEMU's default NIC needs an option ROM from ipxe-qemu: no NIC at all.
# shellcheck disable=SC2086
timeout -k 10 "$tmo" "$QEMU" \
	-machine virt,virtualization=on,gic-version=3 -cpu "$cpu" -m "$MEM" \
	-nographic -nic none -no-reboot -kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyAMA0 panic=-1 loglevel=5 ${APPEND:-}" \
	"$@" ${QEMU_EXTRA:-} </dev/null 2>&1 | tr -d '\r'
exit "${PIPESTATUS[0]}"
