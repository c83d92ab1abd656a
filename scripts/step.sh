#!/bin/bash
# step.sh LANE NAME NEEDS CMD...: one step of `make check` (scripts/check.mk
# runs every step through it). NEEDS: the steps NAME needs, comma-separated
# ("-" for none); if one of them did not succeed, NAME is not run and says
# so. Otherwise CMD runs with its output in build/logs/check/NAME.log; the
# console gets a line at the start, the step's own result lines (a QEMU
# run's totals, each gate's result) and a line at the end with the time.
# Records: NAME.ok or NAME.failed in build/logs/check; a build step's
# result, and a QEMU run or gate not run, as a line of
# build/results/build.tap (a QEMU run's verdict is its own TAP file). Exits 0: the verdicts are
# in those files, and make goes on with the steps that do not need NAME.
set -u
. "$(dirname "$0")/lib.sh"
[ $# -ge 4 ] || { echo "usage: $0 build|qemu NAME NEEDS CMD..." >&2; exit 2; }
lane=$1 name=$2 needs=$3
shift 3
LOGS=$BUILD/logs/check
BTAP=$BUILD/results/build.tap.part
: "${CHECK_T0:=$(date +%s)}"

ts() { local s=$(( $(date +%s) - CHECK_T0 )); printf '%2d:%02d' $((s / 60)) $((s % 60)); }
say() { printf '[%s] %-5s %s\n' "$(ts)" "$lane" "$*"; }

for d in ${needs//,/ }; do
	[ "$d" = - ] || [ -e "$LOGS/$d.ok" ] && continue
	# once per failure: a build step's own failure is already a "not ok"
	if [ "$lane" = build ]; then echo "# $name: not run, $d failed" >>"$BTAP"
	else echo "not ok - $name: not run, $d failed" >>"$BTAP"; echo "$name" >>"$LOGS/not-run"; fi
	say "$name: not run, $d failed"
	touch "$LOGS/$name.failed"
	exit 0
done

t=$(date +%s)
say "==> $name"
# The step runs as it would alone, not as part of this make's job server.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "$@" >"$LOGS/$name.log" 2>&1
rc=$?
grep -E '^[[:alnum:]_.-]+: [0-9]+ ok, [0-9]+ not ok|^<== gates|^<-- ' "$LOGS/$name.log" |
	sed "s/^/[$(ts)] $(printf '%-5s' "$lane")     /"
if [ $rc = 0 ]; then
	r=done; touch "$LOGS/$name.ok"
	[ "$lane" != build ] || echo "ok - $name" >>"$BTAP"
else
	r="FAILED (exit $rc, see ${LOGS#$TOP/}/$name.log)"; touch "$LOGS/$name.failed"
	if [ "$lane" = build ]; then
		echo "not ok - $name: build failed (${LOGS#$TOP/}/$name.log)" >>"$BTAP"
		tail -n 20 "$LOGS/$name.log" | sed 's/^/    /'
	fi
fi
say "<== $name: $r in $(( $(date +%s) - t ))s"
exit 0
