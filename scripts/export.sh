#!/bin/sh
# export.sh [--to DIR]: write build/$BASE/linux's commits after "base" back
# as the series: DIR/NNNN-subject.patch (git format-patch, stable names and
# bytes) and DIR/0000-cover-letter.patch, whose subject and text are kept
# while its shortlog and diffstat are refreshed. DIR defaults to
# patches/$BASE/, where stale patch files are removed and the result
# recorded so `make tree` keeps the tree.
set -eu
. "$(dirname "$0")/lib.sh"

usage() { echo "usage: $0 [--to DIR]   (env: BASE, BUILD)" >&2; exit 2; }
out=$PATCHES_DIR
case $# in
0) ;;
2) [ "$1" = --to ] || usage; out=$2 ;;
*) usage ;;
esac
git() { command git -C "$LINUX" "$@"; }
git rev-parse -q --verify base >/dev/null || die "no ${LINUX#$TOP/} with a base tag; run 'make tree BASE=$BASE'"
n=$(git rev-list --count base..HEAD)
[ "$n" -gt 0 ] || die "${LINUX#$TOP/} has no commits after base: nothing to export"
[ -z "$(git status --porcelain)" ] || echo "warning: ${LINUX#$TOP/} has uncommitted changes; they are not exported" >&2

cover=$PATCHES_DIR/0000-cover-letter.patch
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# The subject prefix of the existing cover letter ("PATCH v2", "RFC PATCH") is kept.
prefix=$(sed -n 's/^Subject: \[\(.*\) 0*0\/[0-9]*\].*/\1/p' "$cover" 2>/dev/null | head -n1)
# So are the hash lengths of its "index" lines (default 12), for byte-stable output.
abbrev=$(cat $(series) /dev/null |
	sed -n 's/^index \([0-9a-f]*\)\.\..*/\1/p' | head -n1 | awk '{ print length }')
# --notes: a commit's git note, its history since the previous version,
# goes below the patch's "---", where git am drops it and tree.sh finds it.
# It is written there as the kernel's patches write it, unindented and
# without git's "Notes:" header, which checkpatch takes for a diff.
git format-patch -q --cover-letter --numbered --zero-commit --no-signature --notes \
	--abbrev="${abbrev:-12}" --subject-prefix="${prefix:-PATCH}" -o "$tmp" base..HEAD >/dev/null
for p in "$tmp"/[0-9][0-9][0-9][0-9]-*.patch; do
	awk 'cut == 0 && /^---$/ { cut = 1; print; next }
	     cut == 1 { cut = /^$/ ? 2 : 4; if (cut == 4) print; next }
	     cut == 2 { cut = /^Notes:$/ ? 3 : 4; if (cut == 4) { print ""; print }; next }
	     cut == 3 && /^    / { print substr($0, 5); next }
	     cut == 3 { cut = 4 } { print }' "$p" >"$p.tmp" && mv "$p.tmp" "$p"
done

# Cover letter: the author's part (headers, subject, text) runs up to the
# shortlog, whose first line is "Author Name (N):".
new=$tmp/0000-cover-letter.patch
if [ -f "$cover" ]; then
	{
		num=$(sed -n 's@^Subject: \[.* \(0*0/[0-9]*\)\].*@\1@p' "$new" | head -n1)
		awk '/^[^ ].* \([0-9]+\):$/ { exit } { print }' "$cover" |
			sed -E "s@^(Subject: \\[[^]]* )0*0/[0-9]+\\]@\\1$num]@"
		awk 'p || /^[^ ].* \([0-9]+\):$/ { p = 1; print }' "$new"
	} >"$tmp/cover" && mv "$tmp/cover" "$new"
fi

if [ "$out" = "$PATCHES_DIR" ]; then
	mkdir -p "$out"
	rm -f "$out"/[0-9][0-9][0-9][0-9]-*.patch
fi
cp "$tmp"/*.patch "$out/"
ls "$tmp" | sed "s|^|${out#$TOP/}/|"
if [ "$out" = "$PATCHES_DIR" ]; then
	# Tell tree.sh that build/$BASE/linux is what the series now produces.
	sum=$(cat $(series) /dev/null | sha256sum | cut -c1-16)
	ver=$(cat "$LINUX/.git/harness-base")
	printf '%s %s\n%s\n' "$ver" "$sum" "$(git rev-parse HEAD)" >"$LINUX/.git/harness-series"
fi
