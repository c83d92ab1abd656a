#!/bin/sh
# summary.sh [RESULTS_DIR]: every result of every build/results/*.tap (one
# file per step: a QEMU run, the demo, a quality gate...), named STEP/test,
# then the totals as the very last line: "N passed, N failed, N skipped".
# Also written to build/summary.txt. Exit 1 on any failure or no result.
set -eu
. "$(dirname "$0")/lib.sh"

usage() { echo "usage: $0 [RESULTS_DIR]   (default: build/results)" >&2; exit 2; }
[ $# -le 1 ] || usage
dir=${1:-$BUILD/results}
[ -d "$dir" ] || usage

{
# Every TAP file the run was to leave (results/expected, written by
# check.sh) must be there, and every TAP file must be whole.
if [ -f "$dir/expected" ]; then
	while read -r t; do
		[ -e "$dir/$t" ] || echo "not ok  ${t%.tap}/results: missing (${dir#$TOP/}/$t)"
	done <"$dir/expected"
fi
for f in "$dir"/*.tap; do
	[ -e "$f" ] || continue
	step=${f##*/}; step=${step%.tap}
	why=$("$TOP/scripts/tap.sh" --check "$f") ||
		echo "not ok  $step/results: $why (${f#$TOP/})"
	# "ok 3 - name: why # SKIP reason" -> "ok      step/name: why # SKIP reason"
	sed -nE "s@^(not ok|ok) [0-9]+ - @\1 $step/@p" "$f" |
		awk '{ if (sub(/^not ok /, "")) print "not ok  " $0; else { sub(/^ok /, ""); print "ok      " $0 } }'
done
} >"$BUILD/summary.txt"

res=$BUILD/summary.txt
skipped=$(grep -c '^ok .*# [Ss][Kk][Ii][Pp]' "$res" || true)
passed=$(( $(grep -c '^ok ' "$res" || true) - skipped ))
failed=$(grep -c '^not ok ' "$res" || true)
failures=$(grep '^not ok ' "$res" || true)
[ -z "$failures" ] || printf 'failures:\n%s\n' "$failures" >>"$res"
echo "$passed passed, $failed failed, $skipped skipped" >>"$res"
echo "== summary of ${dir#$TOP/}/*.tap"
cat "$res"
[ "$failed" -eq 0 ] && [ $((passed + skipped)) -gt 0 ]
