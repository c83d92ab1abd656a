#!/bin/sh
# htmldocs gate: `make SPHINXDIRS=<dirs> htmldocs` (Debian's python3-sphinx)
# at base and at HEAD, from scratch each time (sphinx only reports the files
# it rebuilds): no warning that the base does not already have, compared per
# file and text without line numbers. <dirs>: the Documentation/ subdirectory
# of each touched .rst file (default virt). Raw output: build/logs/gates-BASE/htmldocs/.
set -eu
. "$(dirname "$0")/lib.sh"

need_tree htmldocs
out=$GLOGS/htmldocs
rm -rf "$out"; mkdir -p "$out"
command -v sphinx-build >/dev/null || fail "htmldocs: sphinx-build is not installed (Debian package python3-sphinx)"
rst=$(touched 'Documentation/*.rst')
[ -n "$rst" ] || pass "htmldocs: the series touches no .rst file"
dirs=$(echo "$rst" | cut -d/ -f2 | sort -u | tr '\n' ' ')
dirs=${dirs% }

# The base's warnings depend only on the base, sphinx and this script: kept
# in build/BASE/gates/cache/ under a key of all three, so warm runs build HEAD only.
key=$( { echo "$BASE_REV $dirs"; sphinx-build --version; cat "$0" "$(dirname "$0")/lib.sh"; } 2>&1 |
	sha256sum | cut -c1-16)
cache=$GATES/cache/htmldocs-base-$key.keys
for side in base head; do
	if [ $side = base ]; then rev=$BASE_REV; else rev=$HEAD_REV; fi
	if [ $side = base ] && [ -f "$cache" ]; then
		cp "$cache" "$out/base.keys"; echo "base: warnings from ${cache#$TOP/}"; continue
	fi
	tree_at $side "$rev"
	rm -rf "$GATES/$side/kernel/Documentation/output"
	mkdir -p "$GATES/$side/kernel"
	make -C "$GATES/$side/linux" O="$GATES/$side/kernel" -j"$JOBS" SPHINXDIRS="$dirs" htmldocs \
		>"$out/$side.txt" 2>&1 || { tail -n 20 "$out/$side.txt"; fail "htmldocs: make htmldocs failed at $side"; }
	grep -E '(WARNING|ERROR|SEVERE|CRITICAL):|: (warning|error): ' "$out/$side.txt" | norm | sort >"$out/$side.keys" || true
	[ $side = head ] || { mkdir -p "$GATES/cache"; cp "$out/base.keys" "$cache"; }
done
comm -23 "$out/head.keys" "$out/base.keys" >"$out/new"
nb=$(grep -c . "$out/base.keys" || true)
if [ -s "$out/new" ]; then
	sed 's/^/    /' "$out/new"
	fail "htmldocs: $(grep -c . "$out/new") new warnings with SPHINXDIRS=$dirs ($nb at base; build/logs/gates-$BASE/htmldocs/)"
fi
pass "htmldocs: SPHINXDIRS=$dirs, $(echo "$rst" | wc -l) touched .rst files, no new warning ($nb already at base)"
