#!/bin/bash
# bench/qemu-locks.sh: where two vCPUs making calls at once lose time, seen
# from the host: futex calls and context switches of the QEMU process
# (MTTCG, -smp 2) per guest call, for one scenario at a time, with one
# vCPU calling and with two at once. A futex call is QEMU's threads
# waiting for each other (its global lock, mostly); work inside the QEMU
# guest does not make one, so this counts what the host and QEMU add.
#
# Each figure is the difference between two boots that differ only in the
# number of calls (BENCH_LOCK_N1, _N2 per vCPU), so boot and setup cancel.
# Needs perf (tracepoint syscalls:sys_enter_futex) and bench/run.sh's
# build (build/bench/rootfs). Output: build/bench/qemu-locks.txt.
set -eu
. "$(dirname "$0")/../scripts/lib.sh"

usage() {
	echo "usage: $0   (env: BENCH_LOCK_N1 (1000), BENCH_LOCK_N2 (4000)," >&2
	echo "       BENCH_LOCK_SCENARIOS (\"fwd-run mmio inkernel\"), BENCH_OUT, BUILD, KOBJ)" >&2
	exit 2
}
[ $# -eq 0 ] || usage
: "${BENCH_LOCK_N1:=1000}" "${BENCH_LOCK_N2:=4000}"
: "${BENCH_LOCK_SCENARIOS:=fwd-run mmio inkernel}"
: "${BENCH_OUT:=$BUILD/bench}"
OUT=$BENCH_OUT
IMAGE=$KOBJ/arch/arm64/boot/Image
command -v perf >/dev/null || die "perf is not installed"
[ -x "$OUT/rootfs/bench/bench" ] || die "no ${OUT#$TOP/}/rootfs/bench/bench; run bench/run.sh --smoke first"

root=$OUT/locks-rootfs
rm -rf "$root"
mkdir -p "$root/etc" "$OUT/logs"
cp -a "$OUT/rootfs/bench" "$root/"
for s in $BENCH_LOCK_SCENARIOS; do
	for k in 1 2; do
		for n in "$BENCH_LOCK_N1" "$BENCH_LOCK_N2"; do
			echo "locks-$s-$k-$n 600 /bench/bench --label locks --smp-of $s --smp-vcpus $k --smp-n $n -r 1 smp" \
				>"$root/etc/locks-$s-$k-$n.tests"
		done
	done
done
echo "locks 1 /bin/true" >"$root/etc/locks.tests"
SELFTESTS=0 sh "$TOP/scripts/initramfs.sh" "$OUT/locks.cpio" "$root/etc/locks.tests" "$root" >/dev/null

# count SCENARIO VCPUS N: "futex switches" of one boot
count() {
	local log=$OUT/logs/locks-$1-$2-$3.log stat=$OUT/logs/locks-$1-$2-$3.perf
	# One run, judged by scripts/boot.sh (rows, QEMU, /init, kernel splats).
	MEM=1024 QEMU_APPEND="tests=/etc/locks-$1-$2-$3.tests" QEMU_ARGS="-smp 2" RUN_TIMEOUT=600 \
		LOGS=$OUT/logs TAP=$OUT/logs/locks-$1-$2-$3.tap \
		QEMU_WRAPPER="perf stat -x, -o $stat -e syscalls:sys_enter_futex,context-switches --" \
		"$TOP/scripts/boot.sh" max "$OUT/locks.cpio" "locks-$1-$2-$3" >/dev/null 2>&1 ||
		die "the run failed: $(grep -m1 '^not ok' "$OUT/logs/locks-$1-$2-$3.tap" 2>/dev/null), see ${log#$TOP/}"
	awk -F, '$3 == "syscalls:sys_enter_futex" { f = $1 } $3 == "context-switches" { c = $1 }
		END { print f, c }' "$stat"
}

{
	echo "QEMU process (all threads), -smp 2 MTTCG, per guest call: (boot with N2 - boot with N1) / calls"
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), N1=$BENCH_LOCK_N1 N2=$BENCH_LOCK_N2 calls per vCPU, load $(cut -d' ' -f1-3 /proc/loadavg)"
	printf "%-12s %6s %12s %12s\n" scenario vCPUs futex/call cswitch/call
	for s in $BENCH_LOCK_SCENARIOS; do
		for k in 1 2; do
			read -r f1 c1 <<<"$(count "$s" "$k" "$BENCH_LOCK_N1")"
			read -r f2 c2 <<<"$(count "$s" "$k" "$BENCH_LOCK_N2")"
			mult=1
			[ "$s" != inkernel ] || mult=3	# bench makes 3x the in-kernel calls
			calls=$(( k * (BENCH_LOCK_N2 - BENCH_LOCK_N1) * mult ))
			awk -v s="$s" -v k="$k" -v f=$(( f2 - f1 )) -v c=$(( c2 - c1 )) -v n="$calls" \
				'BEGIN { printf "%-12s %6d %12.3f %12.3f\n", s, k, f / n, c / n }'
		done
	done
} | tee "$OUT/qemu-locks.txt"
