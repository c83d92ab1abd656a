#!/bin/bash
# harness-selftest.sh: plant one fault per way a run can go wrong and check
# that the harness fails on it with a line that names it (the gates have
# their own: scripts/gates/selftest.sh). Needs build/$BASE/kernel's Image.
#   qemu-start   QEMU does not start (an unknown -device)
#   panic        the kernel panics before /init (rdinit= points nowhere)
#   hang         the guest hangs (a row that never returns; short timeout)
#   unreported   rows never report (a row powers the guest off)
#   tap-missing  a TAP file the run was to leave is missing (summary.sh)
#   tap-truncated a TAP file without its plan (summary.sh)
#   sched-build-failed  a build step of check.sh fails (6.1's kernel, all
#                steps stand-ins: tests/harness/fake-make.sh); and
#   sched-not-run what needs it is reported not run once, the rest runs
#   plant-check  every planted fault (robust/robust.faults, and each base's
#                tests/planted/kvm-BASE.faults when build/BASE/linux is there)
#                still applies to today's sources (scripts/plant.py; no build)
# and one clean case: summary.sh passes a whole run (no false failure).
# Writes build/results/harness.tap: "ok" for each fault the harness caught
# with the expected line, "not ok" for one that passed or went unnamed.
set -u
{ # read whole before running
. "$(dirname "$0")/lib.sh"

[ $# -eq 0 ] || { echo "usage: $0   (env: BUILD)" >&2; exit 2; }
KOBJ=$KOBJ	# the real kernel, whatever BUILD the runs below use
export KOBJ
image=$KOBJ/arch/arm64/boot/Image
[ -f "$image" ] || die "no kernel image; run 'make kernel'"
ST=$BUILD/harness-selftest
rm -rf "$ST"; mkdir -p "$ST/rootfs/bin" "$BUILD/results"
step harness-selftest "one planted fault per failure mode, in ${ST#$TOP/}"

aarch64-linux-gnu-gcc -static -O2 -Wall -Werror -o "$ST/rootfs/bin/fault" "$TOP/tests/harness/fault.c" ||
	die "cannot build tests/harness/fault.c"
cat >"$ST/ok.tests" <<-'T'
	first     60  /bin/fault ok
T
cat >"$ST/hang.tests" <<-'T'
	hang     600  /bin/fault hang
T
cat >"$ST/unreported.tests" <<-'T'
	first     60  /bin/fault ok
	stop      60  /bin/fault poweroff
	never     60  /bin/fault ok
T
for t in ok hang unreported; do
	SELFTESTS=0 "$TOP/scripts/initramfs.sh" "$ST/$t.cpio" "$ST/$t.tests" "$ST/rootfs" >/dev/null ||
		die "initramfs $t"
done

res=$ST/results.part
: >"$res"
# expect NAME WANT CMD...: CMD must fail and its TAP/summary must hold WANT.
expect() {
	local name=$1 want=$2 out=$ST/$1.out t=$(date +%s) rc line
	shift 2
	echo "--> $name: $*"
	( "$@" ) >"$out" 2>&1
	rc=$?
	line=$(grep -hE -- "$want" "$out" "$ST/b/results/$name.tap" 2>/dev/null | head -n1)
	if [ $rc = 0 ]; then
		echo "not ok - $name: the harness passed it (exit 0; ${out#$TOP/})" >>"$res"
	elif [ -z "$line" ]; then
		echo "not ok - $name: failed (exit $rc) without a line matching '$want' (${out#$TOP/})" >>"$res"
	else
		echo "ok - $name: caught: $line" >>"$res"
	fi
	echo "<-- $name: exit $rc in $(( $(date +%s) - t ))s: ${line:-no matching line}"
}
boot() { BUILD=$ST/b RUN_TIMEOUT=${RT:-120} "$TOP/scripts/boot.sh" max "$ST/$1.cpio" "$2"; }

QEMU_EXTRA="-device no-such-device" expect qemu-start '^not ok [0-9]+ - qemu: exit 1: .*no-such-device' boot ok qemu-start
QEMU_APPEND="rdinit=/no/such/init" expect panic "^not ok [0-9]+ - qemu: the guest's /init never started" boot ok panic
grep -q '^not ok [0-9]* - console: kernel splat' "$ST/b/results/panic.tap" 2>/dev/null ||
	echo "not ok - panic: no 'console: kernel splat' line for the panic" >>"$res"
RT=30 expect hang '^not ok [0-9]+ - qemu: run timed out after 30s' boot hang hang
expect unreported '^not ok [0-9]+ - never: never reported' boot unreported unreported

# summary.sh over a results dir with a missing and a truncated TAP file.
mkdir -p "$ST/sum/missing/results" "$ST/sum/truncated/results"
printf 'ok - a\nok - b\n' | "$TOP/scripts/tap.sh" "$ST/sum/missing/results/good.tap"
cp "$ST/sum/missing/results/good.tap" "$ST/sum/truncated/results/"
printf 'good.tap\ngone.tap\n' >"$ST/sum/missing/results/expected"
printf 'ok - a\nok - b\n' | "$TOP/scripts/tap.sh" "$ST/sum/truncated/results/cut.tap"
sed -i '$d' "$ST/sum/truncated/results/cut.tap"
BUILD=$ST/sum/missing expect tap-missing '^not ok  gone/results: missing' "$TOP/scripts/summary.sh"
BUILD=$ST/sum/truncated expect tap-truncated '^not ok  cut/results: truncated' "$TOP/scripts/summary.sh"

# check.sh's scheduling (scripts/check.mk), every step a stand-in
# (tests/harness/fake-make.sh): 6.1's kernel fails; what needs it is
# reported not run, once each, and its TAP files are not reported missing.
export TOP
BUILD=$ST/sched FAIL_KERNEL=6.1 M=$TOP/tests/harness/fake-make.sh BASES="6.12 6.1" USER_BASE=6.12 \
	expect sched-build-failed 'kernel-6.1: FAILED' \
	"$TOP/scripts/check.sh"
bt=$ST/sched/results/build.tap
n=$(grep -cE '^not ok [0-9]+ - (kernel-6.1: build failed|boot-6.1-(max|cortex-a72): not run, initramfs-6.1 failed)' "$bt" 2>/dev/null || true)
if [ "$n" != 3 ] || [ "$(grep -c '^not ok' "$bt")" != 3 ] || [ ! -e "$ST/sched/results/selftests-6.12-max.tap" ] ||
   BUILD=$ST/sched "$TOP/scripts/summary.sh" 2>&1 | grep -q 'results: missing'; then
	echo "not ok - sched-not-run: build.tap or the summary is not what the failure implies (${ST#$TOP/}/sched/results)" >>"$res"
else
	echo "ok - sched-not-run: one failure, 6.1's two runs not run (once each), 6.12's ran, nothing reported missing" >>"$res"
fi

# The planted faults still apply (scripts/plant.py check, no build).
pc=$ST/plant-check.out
{ (cd "$TOP" && python3 scripts/plant.py check . robust/robust.faults) &&
  (for t in "$TOP"/tests/planted/kvm-*.faults; do
	b=${t##*/kvm-}; b=${b%.faults}
	if [ -d "$BUILD/$b/linux" ]; then BUILD=$BUILD PLANT_BASE=$b python3 "$TOP/tests/planted/plant.py" check || exit 1
	else echo "kvm-$b.faults: not checked, no ${BUILD#$TOP/}/$b/linux"; fi
  done); } >"$pc" 2>&1
if [ $? = 0 ]; then
	echo "ok - plant-check: $(grep -E '^(robust|kvm)' "$pc" | sed 's/ apply to [^ ,;]*//' | paste -sd'|' - | sed 's/|/; /g')" >>"$res"
else
	echo "not ok - plant-check: $({ grep -m1 '^fault ' "$pc" || tail -n1 "$pc"; }) (${pc#$TOP/})" >>"$res"
fi

# ... and a whole run must pass: no false failure.
mkdir -p "$ST/sum/clean/results"
for t in max demo-max demo-cortex-a72; do
	printf 'ok - a\nok - b # SKIP why\n' | "$TOP/scripts/tap.sh" "$ST/sum/clean/results/$t.tap"
	echo "$t.tap"
done >"$ST/sum/clean/results/expected"
if BUILD=$ST/sum/clean "$TOP/scripts/summary.sh" >"$ST/clean.out" 2>&1; then
	echo "ok - clean: summary.sh passes a whole run ($(tail -n1 "$ST/clean.out"))" >>"$res"
else
	echo "not ok - clean: summary.sh fails a whole run (${ST#$TOP/}/clean.out)" >>"$res"
fi

"$TOP/scripts/tap.sh" "$BUILD/results/harness.tap" <"$res"
cat "$BUILD/results/harness.tap"
failed=$(grep -c '^not ok' "$BUILD/results/harness.tap" || true)
echo "harness: $(grep -c '^ok' "$BUILD/results/harness.tap") ok, $failed not ok (${BUILD#$TOP/}/results/harness.tap)"
[ "$failed" = 0 ]
exit
}
