#!/bin/bash
# check.sh: every step of `make check` after `make deps`, results in
# build/results/*.tap (scripts/summary.sh adds them up afterwards).
#
# First the kernel tree, kernel, selftests and initramfs everything needs.
# Then two lanes share the two cores:
#   build: the robust/ and demo binaries, the debug kernel, the gates
#          (compilers, make -j$JOBS);
#   qemu:  the QEMU runs (TCG uses about one core for most of them):
#          boot-max, boot-cortex-a72, robust-max, robust-cortex-a72, the
#          demo on both CPUs, the bench smoke test, then robust-debug once
#          the debug kernel is built.
# Run one after the other, the same steps took about a third longer; the
# timeouts of the QEMU runs leave room for a busy host (README, "Time").
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

# run LANE STEP CMD...: run one step, its output in build/logs/check/STEP.log.
run() {
	local lane=$1 name=$2 t rc r
	shift 2
	t=$(date +%s)
	say "$lane  ==> $name"
	"$@" >"$LOGS/$name.log" 2>&1
	rc=$?
	# The step's own result lines: a QEMU run's totals, each gate's result.
	grep -E '^[[:alnum:]_.-]+: [0-9]+ ok, [0-9]+ not ok|^<== gates/|^bench-smoke: (not )?ok' \
		"$LOGS/$name.log" | sed "s/^/[$(ts)] $lane      /"
	if [ $rc = 0 ]; then r=done; else r="FAILED (exit $rc, see ${LOGS#$TOP/}/$name.log)"; fi
	say "$lane  <== $name: $r in $(( $(date +%s) - t ))s"
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

# needs LANE STEP WHAT: wait for build step STEP; 1 (and a "not ok" for
# WHAT) if it failed.
needs() {
	while [ ! -e "$LOGS/$2.ok" ] && [ ! -e "$LOGS/$2.failed" ]; do sleep 2; done
	[ -e "$LOGS/$2.ok" ] && return 0
	echo "not ok - $3: not run, $2 failed" >>"$BTAP.part"
	say "$1  $3: not run, $2 failed"
	return 1
}

finish() {
	{ echo "TAP version 13"; cat "$BTAP.part" 2>/dev/null; echo "1..$(grep -c . "$BTAP.part" 2>/dev/null || echo 0)"; } >"$BTAP"
	rm -f "$BTAP.part"
}

say "check: tree, kernel, selftests, initramfs; then the build and qemu lanes (logs in ${LOGS#$TOP/}/)"
for s in tree kernel selftests initramfs; do
	build main "$s" "$MAKE" -s "$s" || { finish; say "check: stopped, $s failed"; exit 1; }
done

lane_build() {
	build build apps "$MAKE" -s robust-apps demo-build
	build build kernel-debug "$MAKE" -s kernel-debug
	run build gates "$MAKE" -s gates
}

lane_qemu() {
	local cpu
	for cpu in max cortex-a72; do run qemu "boot-$cpu" "$MAKE" -s "boot-$cpu"; done
	if needs qemu apps "robust, demo"; then
		for cpu in max cortex-a72; do run qemu "robust-$cpu" "$MAKE" -s "robust-$cpu"; done
		run qemu demo "$MAKE" -s demo-run
	fi
	run qemu bench-smoke "$MAKE" -s -C bench BUILD="$BUILD/bench" smoke
	needs qemu kernel-debug robust-debug && run qemu robust-debug "$MAKE" -s robust-debug
}

lane_build &
pb=$!
lane_qemu &
pq=$!
wait $pb $pq
finish
say "check: all steps done"
failed=$(cat "$BUILD"/results/*.tap 2>/dev/null | grep -c '^not ok' || true)
[ "$failed" = 0 ]
exit
}
