#!/bin/bash
# optee-figures.sh: issue 18's figures, from one QEMU run with -smp 1
# -icount shift=0,sleep=off (the QEMU guest's clock advances 1 ns per
# emulated instruction, nested KVM included): optee-hostile --figures runs
# N calls of each kind in a row from a payload guest, timed by the VMM
# between marker calls with no trace line, REPS times: a TA invoke round
# trip (ADD, values only; REVERSE, 100 bytes from a tmem into registered
# memory), a fast OP-TEE call, an HVC KVM answers, an MMIO write exit.
# Needs build/$BASE/kernel; builds demo/ itself. Writes the raw console to
# build/demo/optee-figures.log and the table to build/demo/optee-figures.txt.
set -eu
. "$(dirname "$0")/../scripts/lib.sh"

usage() {
	echo "usage: $0" >&2
	echo "  env: N (calls of each kind, default 1000), REPS (default 3), CPU (max|cortex-a72, default max)" >&2
	exit 2
}
[ $# = 0 ] || usage
: "${N:=1000}" "${REPS:=3}" "${CPU:=max}"

DEMO=$BUILD/demo
make -s -C "$TOP/demo" BUILD="$DEMO" TOPBUILD="$BASE_BUILD"

step optee-figures "$REPS runs of $N calls of each kind, -cpu $CPU, -icount"
tests=$DEMO/optee-figures.tests
for i in $(seq "$REPS"); do
	echo "optee-figures-$i 600 /demo/optee-hostile --figures $N /demo/guest-tee.bin"
done >"$tests"
SELFTESTS=0 "$TOP/scripts/initramfs.sh" "$DEMO/optee-figures.cpio" "$tests" "$DEMO/rootfs" >/dev/null

log=$DEMO/optee-figures.log
LOGS=$DEMO TAP=$DEMO/optee-figures.tap QEMU_ARGS="-smp 1 -icount shift=0,sleep=off" \
	"$TOP/scripts/boot.sh" "$CPU" "$DEMO/optee-figures.cpio" optee-figures ||
	die "the run failed: $(grep -m1 '^not ok' "$DEMO/optee-figures.tap" 2>/dev/null), see ${log#$TOP/}"

# RESULT what=<kind> n=N ns_per_call=X, REPS of each: mean, min, max, /MMIO
awk -v cpu="$CPU" -v n="$N" '
	function kv(key,   i, f) { for (i = 3; i <= NF; i++) { split($i, f, "="); if (f[1] == key) return f[2] }
				    return "" }
	/^# RESULT what=/ { split($3, w, "="); k = w[2]; v = kv("ns_per_call")
			    if (!(k in c)) order[++nk] = k
			    c[k]++; s[k] += v; if (!(k in lo) || v < lo[k]) lo[k] = v; if (v > hi[k]) hi[k] = v }
	END {
		printf "-cpu %s, QEMU -smp 1 -icount shift=0,sleep=off: instructions per call (%d calls, %d runs)\n", cpu, n, c[order[1]]
		printf "%-22s %10s %10s %10s %7s\n", "", "mean", "min", "max", "/MMIO"
		mmio = s["mmio_exit"] / c["mmio_exit"]
		for (i = 1; i <= nk; i++) { k = order[i]; m = s[k] / c[k]
			printf "%-22s %10.0f %10d %10d %7.2f\n", k, m, lo[k], hi[k], m / mmio }
	}' "$log" | tee "$DEMO/optee-figures.txt"
