#!/bin/bash
# gates.sh [GATE...]: the kernel-quality gates on BASE's series in
# build/BASE/linux (base..HEAD), default all, in this order:
#   checkpatch  scripts/checkpatch.pl --strict on every patch (exceptions:
#               config/gates/checkpatch-exceptions)
#   codespell   codespell + scripts/spelling.txt on what the patches add
#   kernel-doc  scripts/kernel-doc -none on the touched .c/.h: nothing new
#   bisect      every prefix of the series builds (Image, headers; the
#               selftests once tools/ is touched)
#   uapi        headers_install; the touched uapi headers compile alone and
#               pass headers_check.pl; no kernel-only types; no header breaks
#   w1          make W=1 over the touched directories: no new warning
#   sparse      make C=2 over the touched directories: no new warning
#   htmldocs    make SPHINXDIRS=virt htmldocs: no new warning
# Each gate prints "==> gates-BASE/NAME", its own lines, one result line and
# its time; its full output is in build/logs/gates-BASE/NAME.log (tool
# outputs in build/logs/gates-BASE/NAME/). Results: build/results/gates-BASE.tap
# (read by scripts/summary.sh). An empty series passes every gate.
# config/gates/skip-BASE lists gates not run on BASE, "GATE reason...",
# each reported as a skip with its reason (GATES_NOSKIP=1 runs them).
# Exit 1 if a gate failed.
# Needs `make tree` (build/BASE/linux at the series); builds in build/BASE/gates/.
set -u
. "$(dirname "$0")/lib.sh"

all="checkpatch codespell kernel-doc bisect uapi w1 sparse htmldocs"
usage() {
	echo "usage: $0 [GATE...]   gates: $all" >&2
	echo "  env: BASE, BUILD, JOBS, GATE_DIRS (kbuild dirs for sparse and W=1)" >&2
	exit 2
}
for g; do case " $all " in *" $g "*) ;; *) usage ;; esac; done
[ $# -gt 0 ] || set -- $all

mkdir -p "$BUILD/results" "$GLOGS"
tap=$BUILD/results/gates-$BASE.tap
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
t0=$(date +%s)
n=0 failed=0
for g; do
	log=$GLOGS/$g.log
	why=
	[ -n "${GATES_NOSKIP:-}" ] ||
		why=$(sed -n "s/^$g[[:space:]]\{1,\}//p" "$TOP/config/gates/skip-$BASE" 2>/dev/null | head -n1)
	if [ -n "$why" ]; then
		n=$((n + 1))
		echo "ok - $g # SKIP $why" >>"$tmp"
		echo "<== gates-$BASE/$g: skipped: $why"
		continue
	fi
	echo "==> gates-$BASE/$g"
	t=$(date +%s)
	bash "$TOP/scripts/gates/$g.sh" 2>&1 | tee "$log" | grep --line-buffered -vE '^(not )?ok - '
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^(not )?ok - ' "$log" | tail -n1)
	[ -n "$line" ] || line="not ok - $g: exit $rc without a result line"
	case $line in ok*) [ "$rc" = 0 ] || line="not ok - ${line#ok - } (but exit $rc)" ;; esac
	n=$((n + 1))
	case $line in not*) failed=$((failed + 1)) ;; esac
	echo "$line" >>"$tmp"
	echo "<== gates-$BASE/$g: $(echo "$line" | sed -E "s/^(not )?ok - $g: //") [${line%% -*}] in $(( $(date +%s) - t ))s"
done
"$TOP/scripts/tap.sh" "$tap" <"$tmp"
echo "gates-$BASE: $((n - failed)) ok, $failed not ok in $(( $(date +%s) - t0 ))s (${tap#$TOP/}, logs in ${GLOGS#$TOP/}/)"
[ "$failed" = 0 ]
