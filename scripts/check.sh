#!/bin/bash
# check.sh: every step of `make check` after `make deps`, results in
# build/results/*.tap (scripts/summary.sh adds them up afterwards).
#
# First the kernel tree, kernel, selftests and initramfs everything needs.
# Then two lanes share the two cores:
#   build: the robust/ and demo binaries, the debug kernel, the gates
#          (compilers, make -j$JOBS), then it helps with the QEMU runs;
#   qemu:  the QEMU runs (TCG keeps about one core busy for most of them):
#          robust-debug as soon as the debug kernel is built, boot-max,
#          boot-cortex-a72, robust-max, robust-cortex-a72, the demo on
#          both CPUs, the bench smoke test, the harness self-test
#          (scripts/harness-selftest.sh: planted faults must fail).
# With an empty ccache on this 2-core machine, make check took 38 min 30 s
# with every step one after the other and 29 min 28 s in the two lanes;
# the QEMU runs then take about twice as long as alone, which their
# timeouts allow for (README.md, "Time").
#
# Each step's output goes to build/logs/check/STEP.log; the console gets
# one line when a step starts, its result lines, and one when it ends,
# with the time since the start. A build step that fails is a "not ok" in
# build/results/build.tap and the steps that need it are not run (and say
# so there). Exit 1 if anything failed.
set -u
{ # read whole before running, so editing this file during a run is safe
. "$(dirname "$0")/lib.sh"

[ $# -eq 0 ] || { echo "usage: $0   (env: BUILD, JOBS)" >&2; exit 2; }
MAKE=${MAKE:-make}
LOGS=$BUILD/logs/check
rm -rf "$BUILD/results" "$LOGS"
mkdir -p "$BUILD/results" "$LOGS"
BTAP=$BUILD/results/build.tap
T0=$(date +%s)

ts() { local s=$(( $(date +%s) - T0 )); printf '%2d:%02d' $((s / 60)) $((s % 60)); }
say() { echo "[$(ts)] $*"; }
lane() { printf '%-5s' "$1"; }

# run LANE STEP CMD...: run one step, its output in build/logs/check/STEP.log.
run() {
	local lane=$1 name=$2 t rc r
	shift 2
	t=$(date +%s)
	say "$(lane "$lane") ==> $name"
	"$@" >"$LOGS/$name.log" 2>&1
	rc=$?
	# The step's own result lines: a QEMU run's totals, each gate's result.
	grep -E '^[[:alnum:]_.-]+: [0-9]+ ok, [0-9]+ not ok|^<== gates/|^bench-smoke: (not )?ok|^<-- ' \
		"$LOGS/$name.log" | sed "s/^/[$(ts)] $(lane "$lane")     /"
	if [ $rc = 0 ]; then r=done; else r="FAILED (exit $rc, see ${LOGS#$TOP/}/$name.log)"; fi
	say "$(lane "$lane") <== $name: $r in $(( $(date +%s) - t ))s"
	return $rc
}

# build LANE STEP CMD...: a step that produces what others need; its
# result goes to build.tap and to build/logs/check/STEP.{ok,failed}.
build() {
	local name=$2
	if run "$@"; then
		echo "ok - $name" >>"$BTAP.part"; touch "$LOGS/$name.ok"
	else
		echo "not ok - $name: build failed (${LOGS#$TOP/}/$name.log)" >>"$BTAP.part"
		tail -n 20 "$LOGS/$name.log" | sed 's/^/    /'
		touch "$LOGS/$name.failed"; return 1
	fi
}

finish() {
	touch "$BTAP.part"
	"$TOP/scripts/tap.sh" "$BTAP" <"$BTAP.part"
	rm -f "$BTAP.part"
}

say "check: tree, kernel, selftests, initramfs; then the build and qemu lanes (logs in ${LOGS#$TOP/}/)"
for s in tree kernel selftests initramfs; do
	build main "$s" "$MAKE" -s "$s" || { finish; say "check: stopped, $s failed"; exit 1; }
done

# The QEMU runs, longest first: each one's prerequisites (build steps)
# and the TAP files it leaves in build/results/.
QEMU_STEPS="robust-debug boot-max boot-cortex-a72 robust-max robust-cortex-a72 demo bench-smoke harness"
step_needs() {
	case $1 in
	robust-debug)	echo apps kernel-debug ;;
	robust-*|demo)	echo apps ;;
	esac
}
step_taps() {
	case $1 in
	boot-*)		echo "${1#boot-}" ;;
	robust-debug)	echo debug-max ;;
	demo)		echo demo-max demo-cortex-a72 ;;
	*)		echo "$1" ;;	# bench-smoke, harness
	esac
}

# The TAP files this run must leave: scripts/summary.sh fails on any that
# is missing or truncated, even if this script dies before its own check.
for step in $QEMU_STEPS; do
	for t in $(step_taps "$step"); do echo "$t.tap"; done
done >"$BUILD/results/expected"
printf '%s\n' build.tap gates.tap >>"$BUILD/results/expected"

# qemu_step LANE STEP: one QEMU run (its own TAP file says how it went).
qemu_step() {
	case $2 in
	demo)		run "$1" demo "$MAKE" -s demo-run ;;
	bench-smoke)	run "$1" bench-smoke "$MAKE" -s -C bench BUILD="$BUILD/bench" smoke ;;
	*)		run "$1" "$2" "$MAKE" -s "$2" ;;
	esac
}

# qemu_steps LANE: take QEMU runs from the common list until none is left;
# both lanes do this (the build lane once its builds and gates are done), a
# step is claimed with mkdir, robust-debug goes first as soon as the debug
# kernel is there. A step whose build failed is reported, not run.
qemu_steps() {
	local lane=$1 step waiting deps d
	while :; do
		waiting=0
		for step in $QEMU_STEPS; do
			[ ! -d "$LOGS/$step.claim" ] || continue
			deps=$(step_needs "$step")
			for d in $deps; do
				[ -e "$LOGS/$d.ok" ] || [ -e "$LOGS/$d.failed" ] || { waiting=1; continue 2; }
			done
			mkdir "$LOGS/$step.claim" 2>/dev/null || continue
			for d in $deps; do
				[ ! -e "$LOGS/$d.failed" ] || { not_run "$lane" "$step" "$d"; continue 2; }
			done
			qemu_step "$lane" "$step"
			continue 2
		done
		[ $waiting = 1 ] || return 0
		# A build lane that died without a verdict will not give one.
		if [ -n "${pb:-}" ] && ! kill -0 "$pb" 2>/dev/null; then
			for d in apps kernel-debug; do
				[ -e "$LOGS/$d.ok" ] || [ -e "$LOGS/$d.failed" ] ||
					{ say "$(lane "$lane") the build lane stopped before $d"; touch "$LOGS/$d.failed"; }
			done
		fi
		sleep 2
	done
}

not_run() {
	echo "not ok - $2: not run, $3 failed" >>"$BTAP.part"
	say "$(lane "$1") $2: not run, $3 failed"
}

lane_build() {
	build build apps "$MAKE" -s robust-apps demo-build
	build build kernel-debug "$MAKE" -s kernel-debug
	run build gates "$MAKE" -s gates
	qemu_steps build
}

lane_build &
pb=$!
qemu_steps qemu &
wait
# Every step must have left results: a lane that died, or a step that
# failed before writing its TAP file, is a failure too.
for step in $QEMU_STEPS gates; do
	grep -q "^not ok - $step: not run" "$BTAP.part" 2>/dev/null && continue
	for t in $(step_taps "$step"); do
		[ ! -e "$BUILD/results/$t.tap" ] || continue
		echo "not ok - $step: no results (build/results/$t.tap missing)" >>"$BTAP.part"
		say "check: $step left no results"
	done
done
finish
say "check: all steps done"
failed=$(cat "$BUILD"/results/*.tap 2>/dev/null | grep -c '^not ok' || true)
[ "$failed" = 0 ]
exit
}
