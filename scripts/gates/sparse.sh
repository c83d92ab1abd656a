#!/bin/sh
# sparse gate: `make C=2` (Debian's sparse: every file checked, built or not)
# over the kbuild directories the series touches (scripts/gates/lib.sh:
# build_dirs), at base and at HEAD: no sparse diagnostic that the base does
# not already have. Run with W=1, after the w1 gate, to reuse its objects.
# Raw output: build/logs/gates-BASE/sparse/.
set -eu
. "$(dirname "$0")/lib.sh"

need_tree sparse
command -v sparse >/dev/null || fail "sparse: sparse is not installed (Debian package sparse)"
kbuild_gate sparse C=2
