#!/bin/sh
# kernel-doc gate: scripts/kernel-doc -none on every .c/.h file the series
# touches, at HEAD and at base: no diagnostic that the base version of the
# file does not already have (compared without line numbers). Files under
# tools/ (the selftests' headers) count like the kernel's own.
# config/gates/kernel-doc-exceptions-BASE: new diagnostics that stay, one a
# line, "DIAGNOSTIC | REASON" (DIAGNOSTIC as this gate prints it, matched
# exactly; REASON mandatory); an exception that matches nothing fails too.
set -eu
. "$(dirname "$0")/lib.sh"

need_tree kernel-doc
out=$GLOGS/kernel-doc
rm -rf "$out"; mkdir -p "$out"
files=$(touched '*.c' '*.h')
[ -n "$files" ] || pass "kernel-doc: the series touches no .c/.h file"

# kdoc REV FILE: kernel-doc's output on FILE as of REV (the base's own script).
kdoc() {
	git -C "$LINUX" show "$1:$2" >"$out/src" 2>/dev/null || return 0
	mkdir -p "$out/tmp/${2%/*}"; cp "$out/src" "$out/tmp/$2"
	(cd "$out/tmp" && perl "$LINUX/scripts/kernel-doc" -none "$2" 2>&1) | norm
}
: >"$out/new"
nf=0
for f in $files; do
	nf=$((nf + 1))
	kdoc "$HEAD_REV" "$f" | sort >"$out/head"
	kdoc "$BASE_REV" "$f" | sort >"$out/base"
	{ echo "== $f"; cat "$out/head"; } >>"$out/kernel-doc.txt"
	# A multiset difference: a diagnostic the base has twice may appear twice.
	comm -23 "$out/head" "$out/base" >>"$out/new"
done
rm -rf "$out/src" "$out/tmp" "$out/head" "$out/base"
exc=$TOP/config/gates/kernel-doc-exceptions-$BASE
exceptions "$exc" diagnostic >"$out/exceptions" || fail "kernel-doc: malformed ${exc#$TOP/}"
grep -vxF -f "$out/exceptions" "$out/new" >"$out/unexcepted" || true
ne=$(( $(grep -c . "$out/new" || true) - $(grep -c . "$out/unexcepted" || true) ))
stale=$(stale_exceptions "$out/exceptions" "$out/new" diagnostic)
[ -z "$stale" ] || { echo "$stale" | sed 's/^/    /'
	fail "kernel-doc: $(echo "$stale" | grep -c .) stale exceptions in ${exc#$TOP/}"; }
n=$(grep -c . "$out/unexcepted" || true)
[ "$n" = 0 ] || { sed 's/^/    /' "$out/unexcepted"; fail "kernel-doc: $n new diagnostics in $nf touched files"; }
msg="kernel-doc: $nf touched .c/.h files, no new diagnostic"
[ "$ne" = 0 ] || msg="$msg but the $ne excepted by ${exc#$TOP/}"
pass "$msg"
