#!/bin/bash
# check.sh: every step of `make check` after `make deps`, results in
# build/results/*.tap (scripts/summary.sh adds them up afterwards).
#
# Both bases (BASES, the primary first): each gets its tree, kernel,
# selftests and initramfs, its KVM selftests on both CPUs
# (selftests-BASE-CPU.tap) and its gates (gates-BASE.tap). robust/ (and,
# with CHECK_DEBUG=1, the debug kernel) run on USER_BASE, the demo and
# the bench smoke test on DEMO_BASE, the harness self-test on the primary
# base's kernel.
# scripts/check.mk holds the steps and what each needs (a build chain and
# a QEMU chain, make -j2 on the two cores); scripts/step.sh runs each one.
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

[ $# -eq 0 ] || { echo "usage: $0   (env: BASES, USER_BASE, DEMO_BASE, BUILD, JOBS, CHECK_DEBUG)" >&2; exit 2; }
: "${BASES:=6.12 6.1}" "${USER_BASE:=6.12}" "${DEMO_BASE:=6.12}" "${CHECK_DEBUG:=0}"
export BASES USER_BASE DEMO_BASE BUILD CHECK_DEBUG
MAKE=${MAKE:-make}
LOGS=$BUILD/logs/check
rm -rf "$BUILD/results" "$LOGS"
mkdir -p "$BUILD/results" "$LOGS"
CHECK_T0=$(date +%s); export CHECK_T0
CM="$MAKE -s --no-print-directory -f $TOP/scripts/check.mk"

# The TAP files this run must leave: scripts/summary.sh fails on any that
# is missing or truncated, even if this script dies before its own check.
{ $CM expected; echo build.tap; } >"$BUILD/results/expected"

dbg=" (CHECK_DEBUG=1 adds the debug kernel)"; [ "$CHECK_DEBUG" = 1 ] && dbg=" and the debug kernel"
echo "[ 0:00] check: bases $BASES (robust$dbg on $USER_BASE, demo and bench on $DEMO_BASE); ${BASES%% *}'s build first, then the build and qemu chains (scripts/check.mk; logs in ${LOGS#$TOP/}/)"
$CM -j2 -k all
# Steps not run: their TAP files are not expected (build.tap says why).
if [ -f "$LOGS/not-run" ]; then
	for t in $($CM expected STEPS="$(echo $(cat "$LOGS/not-run"))"); do
		sed -i "/^$t\$/d" "$BUILD/results/expected"
	done
fi
touch "$BUILD/results/build.tap.part"
"$TOP/scripts/tap.sh" "$BUILD/results/build.tap" <"$BUILD/results/build.tap.part"
rm -f "$BUILD/results/build.tap.part"
s=$(( $(date +%s) - CHECK_T0 ))
printf '[%2d:%02d] check: all steps done\n' $((s / 60)) $((s % 60))
failed=$(cat "$BUILD"/results/*.tap 2>/dev/null | grep -c '^not ok' || true)
missing=$(while read -r t; do [ -e "$BUILD/results/$t" ] || echo "$t"; done <"$BUILD/results/expected")
[ -z "$missing" ] || echo "check: no results from: $(echo $missing)"
[ "$failed" = 0 ] && [ -z "$missing" ]
exit
}
