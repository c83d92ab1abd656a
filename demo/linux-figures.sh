#!/bin/bash
# linux-figures.sh: issue 12's figures for the Linux guest of demo/linux,
# from one QEMU run with -smp 1 -icount shift=0,sleep=off (the guest clock
# advances 1 ns per emulated instruction; idle time is skipped):
#   - VMM start to the guest's /init, PSCI in userspace vs in the kernel:
#     PAIRS alternating --until-init boots of each, mean and spread, ratio;
#   - per CPU online and offline round trip (linux-guest-init.c's guest clock,
#     mean of 30 in a run), FULL alternating full runs of each: mean of
#     the runs and each run's figure (one run's mean moves by 10-20 %).
# The figures come from the VMM's "RESULT what=... k=v" lines (linux-vmm.c),
# each taken for the row whose result line follows it; a row without the
# lines it must have, or a run boot.sh fails, fails the script.
# QEMU boots $KOBJ's Image (default build/$BASE/kernel: the KVM measured);
# the guest is always the demo's copy of build/$BASE/kernel's Image, so
# KOBJ=<another kernel> compares two host kernels on the same guest.
# Builds demo/ itself. Writes the raw console to build/demo/figures-CPU.log
# and the table to build/demo/figures-CPU.txt.
# linux-figures.sh --parse LOG: the table of a console log kept from a run
# (no build, no run; CPU, PAIRS and KOBJ as in that run).
set -eu -o pipefail
{ # read whole before running, so editing this file during a run is safe
. "$(dirname "$0")/../scripts/lib.sh"

usage() {
	echo "usage: $0 [--parse LOG]" >&2
	echo "  env: PAIRS (boots to /init of each kind, default 10; 0: none), FULL (full runs" >&2
	echo "       of each kind, default 1; 0: none), CPU (max|cortex-a72, default max), KOBJ" >&2
	exit 2
}
parse=
case $# in
0) ;;
2) [ "$1" = --parse ] || usage; parse=$2 ;;
*) usage ;;
esac
: "${PAIRS:=10}" "${FULL:=1}" "${CPU:=max}"

DEMO=$BUILD/demo
IMAGE=$KOBJ/arch/arm64/boot/Image
name=figures-$CPU
log=$DEMO/$name.log tap=$DEMO/$name.tap txt=$DEMO/$name.txt

# run: build, make the rows, one QEMU run judged by scripts/boot.sh (rows,
# QEMU, /init, kernel splats).
run() {
	[ -f "$IMAGE" ] || die "no kernel image ${IMAGE#$TOP/}; run 'make kernel'"
	make -s -C "$TOP/demo" BUILD="$DEMO" TOPBUILD="$BASE_BUILD"

	step linux-figures "$PAIRS pairs of boots to /init, then $FULL pairs of full runs, -cpu $CPU, -icount, ${IMAGE#$TOP/}"
	tests=$DEMO/$name.tests
	run=/demo/linux
	files="/demo/Image /demo/linux-initrd.cpio"
	{
		for i in $(seq "$PAIRS"); do
			echo "init-user-$i    120 $run --until-init $files"
			echo "init-kernel-$i  120 $run --until-init --in-kernel-psci $files"
		done
		for i in $(seq "$FULL"); do
			echo "full-user-$i    300 $run $files"
			echo "full-kernel-$i  300 $run --in-kernel-psci $files"
		done
	} >"$tests"
	SELFTESTS=0 "$TOP/scripts/initramfs.sh" "$DEMO/$name.cpio" "$tests" "$DEMO/rootfs" >/dev/null

	rm -f "$txt"
	LOGS=$DEMO TAP=$tap QEMU_ARGS="-smp 1 -icount shift=0,sleep=off" \
		RUN_TIMEOUT=$(( PAIRS * 2 * 60 + FULL * 2 * 300 )) "$TOP/scripts/boot.sh" "$CPU" "$DEMO/$name.cpio" "$name" ||
		die "the run failed: $(grep -m1 '^not ok' "$tap" 2>/dev/null), see ${log#$TOP/}"
}

# table LOG: the figures of a console log. The VMM's RESULT lines (k=v)
# before a row's result line are that row's.
table() {
	awk -v pairs="$PAIRS" -v full="$FULL" -v cpu="$CPU" -v image="${IMAGE#$TOP/}" '
		function kv(key,   i, f) { for (i = 3; i <= NF; i++) { split($i, f, "="); if (f[1] == key) return f[2] }
					    return "" }
		function add(what, k, v) { sum[what, k] += v; list[what, k] = list[what, k] sprintf(" %.2f", v / 1e6) }
		function mean(what, k) { return sum[what, k] / runs[k] }
		function need(v, what) { if (v !~ /^[0-9]+$/) { printf "%s: no %s in the log\n", row, what; bad = 1 }
					 return v }
		/^# RESULT what=init / { t = kv("ns") }
		/^# RESULT what=hotplug / { off = kv("offline_ns"); on = kv("online_ns") }
		/^# RESULT what=calls / { cm = kv("mean_ns"); nc = kv("n") }
		/^# RESULT what=cpu_on / { pm = kv("mean_ns") }
		/^ok [0-9]+ - (init|full)-/ { row = $4; k = row ~ /-user/ ? "user" : "kernel" }
		/^ok [0-9]+ - init-/ { need(t, "RESULT what=init"); n[k]++; s[k] += t; q[k] += t * t
				      if (!(k in lo) || t < lo[k]) lo[k] = t; if (t > hi[k]) hi[k] = t }
		/^ok [0-9]+ - full-/ { runs[k]++; add("on", k, need(on, "RESULT what=hotplug online_ns"))
				      add("off", k, need(off, "RESULT what=hotplug offline_ns"))
				      if (k == "user") { add("call", k, need(cm, "RESULT what=calls")); ncalls = nc
							 add("poll", k, need(pm, "RESULT what=cpu_on")) } }
		/^(not )?ok / { t = on = off = cm = nc = pm = "" }
		END {
			if (n["user"] != pairs || n["kernel"] != pairs) {
				printf "%d and %d boots to /init in the log, %d of each expected\n", n["user"], n["kernel"], pairs; bad = 1 }
			if (runs["user"] != full || runs["kernel"] != full) {
				printf "%d and %d full runs in the log, %d of each expected\n", runs["user"], runs["kernel"], full; bad = 1 }
			if (bad) exit 1
			printf "Linux guest, 4 vCPUs, -cpu %s, QEMU -smp 1 -icount shift=0,sleep=off (1 ns = 1 instruction), %s\n", cpu, image
			printf "%-32s %14s %14s %8s\n", "", "PSCI in user", "PSCI in kernel", "ratio"
			if (pairs > 0) {
				for (k in n) { m[k] = s[k] / n[k]; v = q[k] / n[k] - m[k] * m[k]; sd[k] = v > 0 ? sqrt(v) : 0 }
				printf "%-32s %14.0f %14.0f %8.3f\n", "VMM start to /init, mean (ns)", m["user"], m["kernel"], m["user"] / m["kernel"]
				printf "%-32s %14.0f %14.0f\n", "  std dev", sd["user"], sd["kernel"]
				printf "%-32s %6.0fM-%.0fM %6.0fM-%.0fM   (%d boots each)\n", "  range", lo["user"] / 1e6, hi["user"] / 1e6, lo["kernel"] / 1e6, hi["kernel"] / 1e6, n["user"]
			}
			if (full == 0) exit
			printf "%-32s %14.0f %14.0f %8.3f\n", "CPU online round trip (ns)", mean("on", "user"), mean("on", "kernel"), sum["on", "user"] / sum["on", "kernel"]
			printf "%-32s %14.0f %14.0f %8.3f\n", "CPU offline round trip (ns)", mean("off", "user"), mean("off", "kernel"), sum["off", "user"] / sum["off", "kernel"]
			printf "  online, per run (M):  user%s, kernel%s\n", list["on", "user"], list["on", "kernel"]
			printf "  offline, per run (M): user%s, kernel%s\n", list["off", "user"], list["off", "kernel"]
			printf "PSCI in userspace, %d full run(s): %s calls per run, %.0f ns in the VMM per call (trace line included),\n", full, ncalls, mean("call", "user")
			printf "  %.0f ns on the target thread per CPU_ON (vCPU reset, PC/x0/PSTATE, RUNNABLE)\n", mean("poll", "user")
		}' "$1"
}

if [ -z "$parse" ]; then
	run
else
	log=$parse
fi
out=$(table "$log") || die "the figures are not all in ${log#$TOP/}:" "$out"
[ -n "$parse" ] || echo "$out" >"$txt"
echo "$out"
exit
}
