#!/bin/bash
# linux-figures.sh: issue 12's figures for the Linux guest of demo/linux,
# from one QEMU run with -smp 1 -icount shift=0,sleep=off (the guest clock
# advances 1 ns per emulated instruction; idle time is skipped):
#   - VMM start to the guest's /init, PSCI in userspace vs in the kernel:
#     PAIRS alternating --until-init boots of each, mean and spread, ratio;
#   - per CPU online and offline round trip (linux-guest-init.c's guest clock,
#     mean of 30), one full run of each.
# Needs build/$BASE/kernel (make kernel); builds demo/ itself. Writes the raw
# console to build/demo/figures.log and the table to build/demo/figures.txt.
set -eu
. "$(dirname "$0")/../scripts/lib.sh"

usage() {
	echo "usage: $0" >&2
	echo "  env: PAIRS (boots of each kind, default 10), CPU (max|cortex-a72, default max)" >&2
	exit 2
}
[ $# = 0 ] || usage
: "${PAIRS:=10}" "${CPU:=max}"

DEMO=$BUILD/demo
IMAGE=$KOBJ/arch/arm64/boot/Image
[ -f "$IMAGE" ] || die "no kernel image; run 'make kernel'"
make -s -C "$TOP/demo" BUILD="$DEMO" TOPBUILD="$BASE_BUILD"

step linux-figures "$PAIRS pairs of boots to /init, then one full run each, -cpu $CPU, -icount"
tests=$DEMO/figures.tests
run=/demo/linux
files="/demo/Image /demo/linux-initrd.cpio"
{
	for i in $(seq "$PAIRS"); do
		echo "init-user-$i    120 $run --until-init $files"
		echo "init-kernel-$i  120 $run --until-init --in-kernel-psci $files"
	done
	echo "full-user       300 $run $files"
	echo "full-kernel     300 $run --in-kernel-psci $files"
} >"$tests"
SELFTESTS=0 "$TOP/scripts/initramfs.sh" "$DEMO/figures.cpio" "$tests" "$DEMO/rootfs" >/dev/null

# One run, judged by scripts/boot.sh (rows, QEMU, /init, kernel splats).
log=$DEMO/figures.log
LOGS=$DEMO TAP=$DEMO/figures.tap QEMU_ARGS="-smp 1 -icount shift=0,sleep=off" \
	RUN_TIMEOUT=$(( PAIRS * 2 * 60 + 600 )) "$TOP/scripts/boot.sh" "$CPU" "$DEMO/figures.cpio" figures ||
	die "the run failed: $(grep -m1 '^not ok' "$DEMO/figures.tap" 2>/dev/null), see ${log#$TOP/}"

# The VMM's RESULT lines (k=v), then the row's result line
awk -v pairs="$PAIRS" -v cpu="$CPU" '
	function kv(key,   i, f) { for (i = 3; i <= NF; i++) { split($i, f, "="); if (f[1] == key) return f[2] }
				    return "" }
	/^# RESULT what=init / { t = kv("ns") }
	/^# RESULT what=hotplug / { off = kv("offline_ns"); on = kv("online_ns") }
	/^# RESULT what=calls / { cm = kv("mean_ns"); nc = kv("n") }
	/^# RESULT what=cpu_on / { pm = kv("mean_ns") }
	/^ok [0-9]+ - init-/ { k = $4 ~ /user/ ? "user" : "kernel"; n[k]++; s[k] += t; q[k] += t * t
			      if (!(k in lo) || t < lo[k]) lo[k] = t; if (t > hi[k]) hi[k] = t }
	/^ok [0-9]+ - full-/ { k = $4 ~ /user/ ? "user" : "kernel"; won[k] = on; woff[k] = off
			      if (k == "user") { call = cm; poll = pm; ncalls = nc } }
	/^(not )?ok / { cm = pm = 0 }
	END {
		printf "Linux guest, 4 vCPUs, -cpu %s, QEMU -smp 1 -icount shift=0,sleep=off (1 ns = 1 instruction)\n", cpu
		printf "%-32s %14s %14s %8s\n", "", "PSCI in user", "PSCI in kernel", "ratio"
		for (k in n) { m[k] = s[k] / n[k]; sd[k] = sqrt(q[k] / n[k] - m[k] * m[k]) }
		printf "%-32s %14.0f %14.0f %8.3f\n", "VMM start to /init, mean (ns)", m["user"], m["kernel"], m["user"] / m["kernel"]
		printf "%-32s %14.0f %14.0f\n", "  std dev", sd["user"], sd["kernel"]
		printf "%-32s %6.0fM-%.0fM %6.0fM-%.0fM   (%d boots each)\n", "  range", lo["user"] / 1e6, hi["user"] / 1e6, lo["kernel"] / 1e6, hi["kernel"] / 1e6, n["user"]
		printf "%-32s %14d %14d %8.3f\n", "CPU online round trip (ns)", won["user"], won["kernel"], won["user"] / won["kernel"]
		printf "%-32s %14d %14d %8.3f\n", "CPU offline round trip (ns)", woff["user"], woff["kernel"], woff["user"] / woff["kernel"]
		printf "PSCI in userspace, full run: %s calls, %s ns in the VMM per call (trace line included),\n", ncalls, call
		printf "  %s ns on the target thread per CPU_ON (vCPU reset, PC/x0/PSTATE, RUNNABLE)\n", poll
	}' "$log" | tee "$DEMO/figures.txt"
