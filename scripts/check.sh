#!/bin/bash
# check.sh: every step of `make check` after `make deps`, results in
# build/results/*.tap (scripts/summary.sh adds them up afterwards).
#
# Both bases (BASES, the primary first): each gets its tree, kernel,
# selftests and initramfs, its KVM selftests on both CPUs
# (selftests-BASE-CPU.tap) and its gates (gates-BASE.tap). The userspace
# steps (robust/, the debug kernel, the demo, the bench smoke test) run on
# USER_BASE only; the harness self-test on the primary base's kernel.
#
# First the primary base's tree, kernel, selftests and initramfs. Then two
# lanes share the two cores:
#   build: the other bases' tree, kernel, selftests and initramfs, the
#          robust/ and demo binaries, the debug kernel, the gates of each
#          base (compilers, make -j$JOBS), then it helps with the QEMU runs;
#   qemu:  the QEMU runs (TCG keeps about one core busy for most of them),
#          each as soon as what it needs is built, robust-debug first.
# README.md ("Time") has the measured times.
#
# Each step's output goes to build/logs/check/STEP.log; the console gets
# one line when a step starts, its result lines, and one when it ends,
# with the time since the start. A build step that fails is a "not ok" in
# build/results/build.tap and the steps that need it are not run (and say
# so there, once). A QEMU step that leaves no TAP file is reported once,
# by scripts/summary.sh (build/results/expected). Exit 1 if anything failed.
set -u
{ # read whole before running, so editing this file during a run is safe
. "$(dirname "$0")/lib.sh"

[ $# -eq 0 ] || { echo "usage: $0   (env: BASES, USER_BASE, BUILD, JOBS)" >&2; exit 2; }
: "${BASES:=6.12 6.1}" "${USER_BASE:=6.12}" "${DEMO_BASE:=6.12}"
PRIMARY=${BASES%% *}
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
	grep -E '^[[:alnum:]_.-]+: [0-9]+ ok, [0-9]+ not ok|^<== gates|^<-- ' \
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

# build_base LANE BASE: tree, kernel, selftests, initramfs of one base;
# base-BASE.ok or .failed says how it went.
build_base() {
	local s
	for s in tree kernel selftests initramfs; do
		build "$1" "$s-$2" "$MAKE" -s "$s" BASE="$2" || { touch "$LOGS/base-$2.failed"; return 1; }
	done
	touch "$LOGS/base-$2.ok"
}

finish() {
	touch "$BTAP.part"
	"$TOP/scripts/tap.sh" "$BTAP" <"$BTAP.part"
	rm -f "$BTAP.part"
}

say "check: bases $BASES (robust and the debug kernel on $USER_BASE, demo and bench on $DEMO_BASE); $PRIMARY's build first, then the build and qemu lanes (logs in ${LOGS#$TOP/}/)"
build_base main "$PRIMARY" || { finish; say "check: stopped, the $PRIMARY build failed"; exit 1; }

# The QEMU runs, longest first: each one's prerequisites (build steps)
# and the TAP files it leaves in build/results/.
QEMU_STEPS="robust-debug"
for b in $BASES; do QEMU_STEPS="$QEMU_STEPS boot-$b-max boot-$b-cortex-a72"; done
QEMU_STEPS="$QEMU_STEPS robust-max robust-cortex-a72 demo bench-smoke harness"
user=
[ "$USER_BASE" = "$PRIMARY" ] || user=base-$USER_BASE
demobase=
[ "$DEMO_BASE" = "$PRIMARY" ] || demobase=base-$DEMO_BASE
step_needs() {
	case $1 in
	boot-"$PRIMARY"-*) ;;
	boot-*)		local b=${1#boot-}; echo "base-${b%%-*}" ;;
	robust-debug)	echo apps kernel-debug ;;
	robust-*|demo)	echo apps ;;
	bench-smoke)	echo $demobase ;;
	esac
}
step_taps() {
	case $1 in
	boot-*)		echo "selftests-${1#boot-}" ;;
	robust-debug)	echo debug-max ;;
	demo)		echo demo-max demo-cortex-a72 ;;
	*)		echo "$1" ;;	# robust-CPU, bench-smoke, harness, gates-BASE
	esac
}
GATE_STEPS=
for b in $BASES; do GATE_STEPS="$GATE_STEPS gates-$b"; done

# The TAP files this run must leave: scripts/summary.sh fails on any that
# is missing or truncated, even if this script dies before its own check.
for step in $QEMU_STEPS $GATE_STEPS; do
	for t in $(step_taps "$step"); do echo "$t.tap"; done
done >"$BUILD/results/expected"
echo build.tap >>"$BUILD/results/expected"

# qemu_step LANE STEP: one QEMU run (its own TAP file says how it went).
qemu_step() {
	local b
	case $2 in
	boot-*)		b=${2#boot-}; run "$1" "$2" "$MAKE" -s "boot-${b#*-}" BASE="${b%%-*}" ;;
	demo)		run "$1" demo "$MAKE" -s demo-run ;;
	bench-smoke)	run "$1" bench-smoke env BASE="$DEMO_BASE" "$MAKE" -s -C bench BUILD="$BUILD/bench" smoke ;;
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
			for d in $BUILD_MARKS; do
				[ -e "$LOGS/$d.ok" ] || [ -e "$LOGS/$d.failed" ] ||
					{ say "$(lane "$lane") the build lane stopped before $d"; touch "$LOGS/$d.failed"; }
			done
		fi
		sleep 2
	done
}

# not_run LANE STEP WHY: STEP is not run (WHY failed): one line in build.tap,
# and its TAP files are no longer expected (so they are not reported twice).
not_run() {
	echo "not ok - $2: not run, $3 failed" >>"$BTAP.part"
	say "$(lane "$1") $2: not run, $3 failed"
	echo "$2" >>"$LOGS/not-run"
}

BUILD_MARKS="apps kernel-debug"
for b in $BASES; do [ "$b" = "$PRIMARY" ] || BUILD_MARKS="$BUILD_MARKS base-$b"; done
# robust/ and demo binaries, the debug kernel: on USER_BASE's build
lane_userspace() {
	local d
	if [ -e "$LOGS/base-$USER_BASE.failed" ]; then
		for d in apps kernel-debug; do
			echo "not ok - $d: not run, the $USER_BASE build failed" >>"$BTAP.part"; touch "$LOGS/$d.failed"
		done
	else
		build build apps "$MAKE" -s robust-apps demo-build USER_BASE="$USER_BASE"
		build build kernel-debug "$MAKE" -s kernel-debug USER_BASE="$USER_BASE"
	fi
}

lane_build() {
	local b
	# on the primary base: first, so that robust-debug (the longest run) starts early
	[ "$USER_BASE" != "$PRIMARY" ] || lane_userspace
	for b in $BASES; do [ "$b" = "$PRIMARY" ] || build_base build "$b"; done
	[ "$USER_BASE" = "$PRIMARY" ] || lane_userspace
	for b in $BASES; do
		if [ -e "$LOGS/base-$b.failed" ]; then not_run build "gates-$b" "base-$b"
		else run build "gates-$b" "$MAKE" -s gates BASE="$b"; fi
	done
	qemu_steps build
}

lane_build &
pb=$!
qemu_steps qemu &
wait
# Steps not run: their TAP files are not expected (build.tap says why).
if [ -f "$LOGS/not-run" ]; then
	for step in $(cat "$LOGS/not-run"); do
		for t in $(step_taps "$step"); do sed -i "/^$t\.tap\$/d" "$BUILD/results/expected"; done
	done
fi
finish
say "check: all steps done"
failed=$(cat "$BUILD"/results/*.tap 2>/dev/null | grep -c '^not ok' || true)
missing=$(while read -r t; do [ -e "$BUILD/results/$t" ] || echo "$t"; done <"$BUILD/results/expected")
[ -z "$missing" ] || say "check: no results from: $(echo $missing)"
[ "$failed" = 0 ] && [ -z "$missing" ]
exit
}
