#!/bin/sh
# tap.sh OUT.tap: the harness's one TAP writer. Reads result lines on
# stdin, "ok - name[: why][ # SKIP reason]" or "not ok - name: why" (a
# number after ok is dropped and renumbered), and "# " diagnostics; writes
# OUT.tap as TAP 13: header, the lines numbered in order, the plan last.
# Other input lines become diagnostics. Written whole, then renamed, so a
# reader never sees half a file.
#
# tap.sh --check FILE: is FILE a whole TAP file? (header first, a plan
# 1..N last, N results). Prints why not, exit 1.
set -eu

usage() { echo "usage: $0 OUT.tap < results  |  $0 --check FILE" >&2; exit 2; }
[ $# -ge 1 ] || usage

if [ "$1" = --check ]; then
	[ $# = 2 ] || usage
	f=$2
	[ -e "$f" ] || { echo "missing"; exit 1; }
	[ "$(head -n1 "$f")" = "TAP version 13" ] || { echo "no TAP header"; exit 1; }
	plan=$(tail -n1 "$f")
	n=$(grep -cE '^(not )?ok [0-9]+ - ' "$f" || true)
	case $plan in
	1..*)	[ "$plan" = "1..$n" ] || { echo "plan $plan but $n results"; exit 1; } ;;
	*)	echo "truncated: no plan at the end ($n results)"; exit 1 ;;
	esac
	[ "$n" -gt 0 ] || { echo "no results"; exit 1; }
	exit 0
fi

[ $# = 1 ] || usage
out=$1
mkdir -p "$(dirname "$out")"
tmp=$out.tmp.$$
awk '
	/^(not )?ok( [0-9]+)? - / {
		not = sub(/^not ok/, ""); if (!not) sub(/^ok/, "")
		sub(/^ [0-9]+/, ""); sub(/^ - /, "")
		printf "%sok %d - %s\n", not ? "not " : "", ++n, $0; next
	}
	/^#/ { print; next }
	/./ { print "# " $0 }
	END { print "1.." n }' | { echo "TAP version 13"; cat; } >"$tmp"
mv "$tmp" "$out"
