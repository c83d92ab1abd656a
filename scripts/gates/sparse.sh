#!/bin/sh
# sparse gate: `make C=2` (Debian's sparse: every file checked, built or not)
# over the kbuild directories the series touches (scripts/gates/lib.sh:
# build_dirs), at base and at HEAD: no sparse diagnostic that the base does
# not already have. Run with W=1, after the w1 gate, to reuse its objects. Raw output: build/logs/gates/sparse/.
set -eu
. "$(dirname "$0")/lib.sh"

need_tree sparse
command -v sparse >/dev/null || fail "sparse: sparse is not installed (Debian package sparse)"
dirs=$(build_dirs)
[ -n "$dirs" ] || pass "sparse: the series touches no kernel-built directory"
kbuild_new sparse || fail "sparse: a build failed (build/logs/gates/sparse.log)"
new=$(cat "$GLOGS/sparse/new")
nb=$(grep -c . "$GLOGS/sparse/base.keys" || true)
if [ -n "$new" ]; then
	echo "$new" | sed 's/^/    /'
	fail "sparse: $(echo "$new" | wc -l) new diagnostics in $(echo $dirs) ($nb at base)"
fi
pass "sparse: C=2 over $(echo $dirs): no new diagnostic ($nb already at base)"
