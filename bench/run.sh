#!/bin/bash
# bench/run.sh [--smoke]: measure what a guest SMCCC call forwarded to
# userspace costs (issues #7, #16) on BASE (DEMO_BASE under make). Builds
# bench/ (VMM + guest payload), packs an initramfs with them
# (scripts/initramfs.sh, no selftests) and boots QEMU, each run judged by
# scripts/boot.sh; the rows of each run are bench/RUN.tests:
#   icount      the series' kernel (build/$BASE/kernel), -smp 1 -icount
#               shift=0,sleep=off: per-call instruction counts with the
#               catch-all on, with nothing configured, with 16 filter ranges;
#   base        the base kernel (build/$BASE/base/kernel, bench/base-kernel.sh
#               builds it if missing), the same -icount run: nothing
#               configured and 16 filter ranges;
#   wall        the series' kernel, -smp 2 without icount (MTTCG): 1 vs 2
#               vCPUs at once, wall-clock per-call figures (never claims);
#   smp-icount  the series' kernel, -smp 2 -icount (one host thread, vCPUs
#               round robin): the same 1 vs 2 vCPUs, deterministic;
#   wall-base   (not in the default set) the smp controls on the base kernel.
# report.awk compares and judges what bench/targets says; prints the table,
# writes build/bench/results.json, results.raw (the VMM's RESULT lines,
# one results-RUN.raw per QEMU run), table.txt and targets.md (the
# before/after table of bench/README.md).
#
# --smoke: the icount and smp rows with tiny counts, series' kernel only,
# one QEMU run (-smp 2); writes build/results/bench-smoke.tap (scripts/
# boot.sh's verdict on the run, then whether every figure bench/targets
# needs from the series' kernel was reported). No thresholds.
set -eu
. "$(dirname "$0")/../scripts/lib.sh"

usage() {
	echo "usage: $0 [--smoke]" >&2
	echo "  env: BENCH_N (icount calls per measurement, 20000), BENCH_REPS (5)," >&2
	echo "       BENCH_SMP_N (calls per vCPU, 3000), BENCH_WALL_REPS (5)," >&2
	echo "       BENCH_WALL_N (wall per-call figures, 500), BENCH_BASE=0 (skip the base kernel)," >&2
	echo "       BENCH_RUNS (QEMU runs to redo, default \"icount base wall smp-icount\"; the table" >&2
	echo "       also uses the latest results of the others; \"wall-base\" adds the base" >&2
	echo "       kernel's smp controls), BENCH_OUT (output dir," >&2
	echo "       default build/bench), BUILD (harness build dir)" >&2
	exit 2
}
smoke=0
case $# in
0) ;;
1) [ "$1" = --smoke ] || usage; smoke=1 ;;
*) usage ;;
esac
: "${BENCH_N:=20000}" "${BENCH_REPS:=5}" "${BENCH_SMP_N:=3000}" "${BENCH_WALL_REPS:=5}"
: "${BENCH_WALL_N:=500}" "${BENCH_BASE:=1}" "${BENCH_RUNS:=icount base wall smp-icount}"

: "${BENCH_OUT:=$BUILD/bench}"
OUT=$BENCH_OUT
ETC=$OUT/rootfs/etc
CPIO=$OUT/bench.cpio
IMAGE=$KOBJ/arch/arm64/boot/Image
BASE_IMAGE=$BASE_BUILD/base/kernel/arch/arm64/boot/Image
CPU=$("$TOP/scripts/qemu.sh" --cpu max)	# what scripts/qemu.sh runs for "max"
FAILED=
T_ALL=$(date +%s)

phase() { PH=$1; PH_T0=$(date +%s); echo "==> $PH: $2"; }
phase_end() { echo "<== $PH: ${1:-done} in $(( $(date +%s) - PH_T0 ))s"; }

# boot NAME IMAGE TESTS_IN_GUEST TIMEOUT QEMU_ARGS...: one QEMU run, judged
# by scripts/boot.sh (every row reported, QEMU's exit, /init, the plan, no
# kernel splat): console in logs/NAME.log, its TAP in logs/NAME.tap; its
# RESULT/SKIP lines go to results-NAME.raw. 1 if anything failed.
boot() {
	local name=$1 img=$2 tests=$3 tmo=$4 log=$OUT/logs/$1.log raw=$OUT/results-$1.raw rc bad
	shift 4
	phase "$name" "QEMU -cpu $CPU $*, ${img#$TOP/}, $tests, console in ${log#$TOP/}"
	set +e
	KOBJ=${img%/arch/arm64/boot/Image} MEM=1024 QEMU_APPEND="tests=$tests" QEMU_ARGS="$*" \
		RUN_TIMEOUT=$tmo LOGS=$OUT/logs TAP=$OUT/logs/$name.tap SHOW=all \
		"$TOP/scripts/boot.sh" max "$CPIO" "$name" |
		grep --line-buffered -E '^(# RESULT|# SKIP|# bench: (FAIL|SKIP)|(not )?ok [0-9]+ - )' |
		sed -u 's/^/    /'
	rc=${PIPESTATUS[0]}
	set -e
	{
		echo "RUN $name $(date -u '+%Y-%m-%d %H:%M UTC') load $(cut -d' ' -f1-3 /proc/loadavg)"
		sed -n 's/^# \(RESULT .*\)$/\1/p; s/^# \(SKIP .*\)$/\1/p' "$log"
	} >"$raw"
	bad=$(grep '^not ok' "$OUT/logs/$name.tap" 2>/dev/null | sed 's/^not ok [0-9]* - //' | paste -sd';' || true)
	[ "$rc" = 0 ] || bad=${bad:-"scripts/boot.sh exit $rc"}
	if [ -n "$bad" ]; then
		phase_end "FAILED: $bad"
		FAILED="${FAILED:+$FAILED; }$name: $bad"
		return 1
	fi
	phase_end
}

[ -f "$IMAGE" ] || die "no kernel image ${IMAGE#$TOP/}; run 'make tree kernel'"
mkdir -p "$OUT/logs" "$ETC"

phase build "bench VMM and guest payload into ${OUT#$TOP/}/rootfs"
khdr=
[ -f "$KOBJ/usr/include/linux/kvm.h" ] && khdr=$KOBJ/usr/include
make -s --no-print-directory -C "$TOP/bench" TOPBUILD="$BUILD" BUILD="$OUT" ${khdr:+KHDR=$khdr} bins
phase_end

# tests NAME N REPS: bench/NAME.tests with its counts put in, as
# $ETC/NAME.tests (the rows of guest/init.c: name timeout command [args])
tests() {
	sed -e "s/@N@/$2/g; s/@REPS@/$3/g; s/@SMP_N@/$BENCH_SMP_N/g" \
	    -e "s/@WALL_N@/$BENCH_WALL_N/g; s/@WALL_REPS@/$BENCH_WALL_REPS/g" \
		"$TOP/bench/$1.tests" >"$ETC/$1.tests"
}
if [ "$smoke" = 1 ]; then
	# The icount rows and the smp row, tiny counts, in one -smp 2 run
	BENCH_SMP_N=20
	tests icount 20 1
	tests smp-icount 20 1
	cat "$ETC/icount.tests" "$ETC/smp-icount.tests" >"$ETC/bench-smoke.tests"
	first=$ETC/bench-smoke.tests
else
	tests icount "$BENCH_N" "$BENCH_REPS"
	tests icount-base "$BENCH_N" "$BENCH_REPS"
	for t in smp-icount wall wall-base; do tests $t - -; done
	first=$ETC/icount.tests
fi
SELFTESTS=0 sh "$TOP/scripts/initramfs.sh" "$CPIO" "$first" "$OUT/rootfs"

date=$(date -u '+%Y-%m-%d %H:%M UTC')
qemu=$(qemu-system-aarch64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')
method="QEMU $qemu TCG on $(nproc) x86_64 cores, -cpu $CPU -smp 1 -icount shift=0,sleep=off;\
 guest CLOCK_MONOTONIC ns = emulated instructions (nested KVM included); per call =\
 (T(N) - T(0)) / N with N=$BENCH_N after a warm-up, median of $BENCH_REPS interleaved reps;\
 guest kernel Linux $BASE (Debian linux-source-$BASE) allnoconfig + config/kvm.config, VHE"
wall_method="-smp 2 multi-threaded TCG, no icount; median of $BENCH_WALL_REPS interleaved reps\
 (1 vCPU, 2 vCPUs, ...), $BENCH_SMP_N calls per vCPU (inkernel: 3x), vCPU threads pinned to\
 guest CPUs; the host's 2 cores are shared with other work: see the load in the run lines"

if [ "$smoke" = 1 ]; then
	tap=$BUILD/results/bench-smoke.tap
	mkdir -p "${tap%/*}"
	why= booted=1
	boot smoke "$IMAGE" /etc/tests 300 -smp 2 || booted=0	# its TAP says why
	raw=$OUT/results-smoke.raw
	if [ "$booted" = 0 ]; then
		:	# the run's own "not ok" lines say it once
	elif grep -q '^SKIP ' "$raw"; then
		why="skipped a scenario: $(grep -m1 '^SKIP ' "$raw" | cut -d' ' -f2-)"
	else
		# every series' figure that bench/targets compares, and the smp ratio
		for f in $(awk '$1 == "target" { print $3; print $4 }' "$TOP/bench/targets" |
			   grep '^patched' | sort -u) patched:smp-ratio; do
			grep -q "^RESULT kernel=${f%%:*} .* scenario=${f#*:} " "$raw" ||
				why="${why:+$why, }no result for $f"
		done
	fi
	awk -v date="$date (smoke: figures meaningless)" -v method="smoke, -smp 2, no icount" \
		-v wall_method="smoke" -f "$TOP/bench/report.awk" "$TOP/bench/targets" "$raw" | sed 's/^/    /'
	# boot.sh's verdict on the run (rows, QEMU, console), then the scenarios'
	{
		grep -E '^(not )?ok [0-9]+ - ' "$OUT/logs/smoke.tap" 2>/dev/null ||
			echo "not ok - qemu: no results from scripts/boot.sh (${OUT#$TOP/}/logs/smoke.log)"
		if [ "$booted" = 0 ]; then :
		elif [ -z "$why" ]; then echo "ok - scenarios: every figure bench/targets needs from the series reported"
		else echo "not ok - scenarios: $why"; fi
	} | "$TOP/scripts/tap.sh" "$tap"
	echo "bench-smoke: $(grep -c '^ok' "$tap") ok, $(grep -c '^not ok' "$tap" || true) not ok (${tap#$TOP/}, $(( $(date +%s) - T_ALL ))s)"
	! grep -q '^not ok' "$tap"
	exit
fi

runs=" $BENCH_RUNS "
case $runs in *" icount "*)
	boot icount-patched "$IMAGE" /etc/tests 3600 -smp 1 -icount shift=0,sleep=off || true ;;
esac
case $runs in *" base "*)
	if [ "$BENCH_BASE" != 0 ]; then
		sh "$TOP/bench/base-kernel.sh"
		boot icount-base "$BASE_IMAGE" /etc/icount-base.tests 1800 \
			-smp 1 -icount shift=0,sleep=off || true
	fi ;;
esac
case $runs in *" wall "*)
	boot wall-patched "$IMAGE" /etc/wall.tests 3600 -smp 2 || true ;;
esac
case $runs in *" wall-base "*)
	# not in the default set: the base kernel's controls, for (5)
	sh "$TOP/bench/base-kernel.sh"
	boot wall-base "$BASE_IMAGE" /etc/wall-base.tests 1800 -smp 2 || true ;;
esac
case $runs in *" smp-icount "*)
	boot smp-icount "$IMAGE" /etc/smp-icount.tests 3600 -smp 2 -icount shift=0,sleep=off || true ;;
esac
if [ "$BENCH_BASE" != 0 ] && [ -f "$OUT/results-icount-base.raw" ]; then
	base_src=$(sed -n 1p "$BASE_BUILD/base/IMAGE-SOURCE" 2>/dev/null || true)
	method="$method; base kernel: build/$BASE/linux without the series, same config${base_src:+ ($base_src)}"
fi

# The latest run of each kind, whether from this invocation or an earlier one
raws=
for r in icount-patched icount-base wall-patched smp-icount wall-base; do
	if [ -f "$OUT/results-$r.raw" ]; then raws="$raws $OUT/results-$r.raw"; fi
done
[ "$BENCH_BASE" != 0 ] || raws=$(echo "$raws" | sed 's| [^ ]*/results-icount-base.raw||')
# shellcheck disable=SC2086
cat $raws /dev/null >"$OUT/results.raw"
phase report "table, ${OUT#$TOP/}/results.json"
awk -v date="$date" -v method="$method" -v wall_method="$wall_method" \
	-v json="$OUT/results.json" -v md="$OUT/targets.md" -f "$TOP/bench/report.awk" "$TOP/bench/targets" "$OUT/results.raw" | tee "$OUT/table.txt"
phase_end
echo "bench: $(( $(date +%s) - T_ALL ))s in all${FAILED:+; FAILED: $FAILED}"
[ -z "$FAILED" ]
