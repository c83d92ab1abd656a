#!/bin/sh
# w1 gate: `make W=1` (extra compiler warnings and kernel-doc on the .c files)
# over the kbuild directories the series touches (scripts/gates/lib.sh:
# build_dirs), at base and at HEAD: no compiler or kernel-doc warning that
# the base does not already have. Raw output: build/logs/gates/w1/.
set -eu
. "$(dirname "$0")/lib.sh"

need_tree w1
dirs=$(build_dirs)
[ -n "$dirs" ] || pass "w1: the series touches no kernel-built directory"
kbuild_new w1 || fail "w1: a build failed (build/logs/gates/w1.log)"
new=$(cat "$GLOGS/w1/new")
nb=$(grep -c . "$GLOGS/w1/base.keys" || true)
if [ -n "$new" ]; then
	echo "$new" | sed 's/^/    /'
	fail "w1: $(echo "$new" | wc -l) new diagnostics in $(echo $dirs) ($nb at base)"
fi
pass "w1: W=1 over $(echo $dirs): no new diagnostic ($nb already at base)"
