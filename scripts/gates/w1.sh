#!/bin/sh
# w1 gate: `make W=1` (extra compiler warnings and kernel-doc on the .c files)
# over the kbuild directories the series touches (scripts/gates/lib.sh:
# build_dirs), at base and at HEAD: no compiler or kernel-doc warning that
# the base does not already have. Raw output: build/logs/gates-BASE/w1/.
set -eu
. "$(dirname "$0")/lib.sh"

need_tree w1
kbuild_gate w1 W=1
