#!/bin/sh
# codespell gate: codespell (Debian's, its default dictionaries) plus the
# kernel's scripts/spelling.txt (the list checkpatch uses) on every patch of
# patches/BASE/, cover letter included: the commit message and the lines the patch
# adds. Context and removed lines are blanked first (keeping line numbers), so
# misspellings already in the base tree are not the series' to fix.
# Words codespell may not flag: config/gates/codespell-ignore (one a line).
set -eu
. "$(dirname "$0")/lib.sh"

need_tree codespell
out=$GLOGS/codespell
rm -rf "$out"; mkdir -p "$out/added"
command -v codespell >/dev/null || fail "codespell: codespell is not installed (Debian package codespell)"

# scripts/spelling.txt is "mistake||correction"; codespell wants "mistake->correction".
sed -n 's/^\([^#][^|]*\)||\(.*\)$/\1->\2/p' "$LINUX/scripts/spelling.txt" >"$out/spelling.dict"
ign=$TOP/config/gates/codespell-ignore
[ -f "$ign" ] || ign=/dev/null
sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$ign" >"$out/ignore"

np=0
for p in "$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch; do
	[ -e "$p" ] || fail "codespell: no patches in ${PATCHES#$TOP/}/"
	np=$((np + 1))
	# Message and notes: as is; in the diff, only "+" lines (without the "+").
	awk '/^diff --git / { diff = 1 }
	     !diff { print; next }
	     /^\+\+\+ / { print ""; next }
	     /^\+/ { print substr($0, 2); next }
	     { print "" }' "$p" >"$out/added/${p##*/}"
done
cd "$out/added"
set +e
codespell --builtin clear,rare -D - -D "$out/spelling.dict" -I "$out/ignore" -- * >"$out/codespell.txt" 2>&1
rc=$?
set -e
# codespell exits 65 when it found something; anything else is a tool failure.
[ "$rc" = 0 ] || [ "$rc" = 65 ] || { cat "$out/codespell.txt"; fail "codespell: codespell exit $rc"; }
n=$(grep -c ' ==> ' "$out/codespell.txt" || true)
[ "$n" = 0 ] || { sed 's/^/    /' "$out/codespell.txt"; fail "codespell: $n misspellings in $np patches (line numbers are the patch files')"; }
pass "codespell: $np patches (messages and added lines), no misspelling"
