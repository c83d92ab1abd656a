#!/bin/bash
# selftest.sh: show that every gate can fail. Copies build/BASE/linux (base +
# series) to build/gates-selftest/BASE/linux, adds two commits that each plant
# one defect per gate on top of the series, runs every gate there and
# checks that each one reports "not ok" for its own defect:
#
#   commit 1 "mutation: break the build"
#     bisect      hypercalls.c calls a function no header declares (the
#                 next commit removes the call, so only this prefix fails)
#     codespell   "recieve" in the commit message
#     checkpatch  a line with trailing whitespace
#   commit 2 "mutation: one defect per gate"
#     kernel-doc  a kernel-doc comment that names a parameter that is not there
#     w1          a global function without a prototype (-Wmissing-prototypes)
#     sparse      0 used as a NULL pointer
#     uapi        a struct with u32 instead of __u32 in include/uapi/linux/kvm.h
#     htmldocs    a section title whose underline is too short in api.rst
#
# Not part of `make check` (a second bisect, W=1 and sparse run: 5-6 min
# with a warm ccache, 11 beside a make check); run it after changing a gate,
# on either base:
#   make tree BASE=6.12 && BASE=6.12 scripts/gates/selftest.sh
# Exit 0 when every gate failed as planted; its table is the output.
set -u
. "$(dirname "$0")/lib.sh"

git -C "$LINUX" rev-parse -q --verify base >/dev/null 2>&1 ||
	{ echo "no ${LINUX#$TOP/} with a base tag; run 'make tree BASE=$BASE'" >&2; exit 2; }
BASE_REV=$(git -C "$LINUX" rev-parse base)
M=$BUILD/gates-selftest
step gates-selftest "one planted defect per gate, in ${M#$TOP/}"
rm -rf "$M"
mkdir -p "$M"
mkdir -p "$M/$BASE"
git clone -q --no-local "$LINUX" "$M/$BASE/linux" || exit 1
git -C "$M/$BASE/linux" tag -f base "$BASE_REV" >/dev/null
mg() { git -C "$M/$BASE/linux" -c user.name="Gate Self-Test" -c user.email=gates@example.org "$@"; }

hc=arch/arm64/kvm/hypercalls.c
# Commit 1: a prefix that does not build, a misspelling, trailing whitespace.
cat >>"$M/$BASE/linux/$hc" <<'EOF'

int kvm_gates_selftest_broken(void)
{
	return kvm_gates_selftest_undeclared(); 
}
EOF
mg commit -q -a -s -m "mutation: break the build" \
	-m "The next commit will recieve the fix."

# Commit 2: fixes the build; plants the other defects.
python3 - "$M/$BASE/linux" <<'EOF' || exit 1
import sys
root = sys.argv[1]
def edit(path, old, new):
    p = root + "/" + path
    s = open(p).read()
    assert old in s, (path, old)
    open(p, "w").write(s.replace(old, new, 1))
edit("arch/arm64/kvm/hypercalls.c",
     "\treturn kvm_gates_selftest_undeclared(); \n",
     "\tint *p = 0;\n\n\treturn p != NULL;\n")
edit("arch/arm64/kvm/hypercalls.c",
     "\nint kvm_gates_selftest_broken(void)\n",
     "\n/**\n * kvm_gates_selftest_broken - A function no header declares\n"
     " * @vcpu: a parameter it does not have\n */\nint kvm_gates_selftest_broken(void)\n")
# (anchors both bases have: the end of kvm.h, an early api.rst section)
edit("include/uapi/linux/kvm.h", "\n#endif /* __LINUX_KVM_H */",
     "\nstruct kvm_gates_selftest {\n\tu32 leak;\n};\n\n#endif /* __LINUX_KVM_H */")
edit("Documentation/virt/kvm/api.rst",
     "4.1 KVM_GET_API_VERSION\n----------------------\n",
     "4.1 KVM_GET_API_VERSION\n---------\n")
EOF
mg commit -q -a -s -m "mutation: one defect per gate" \
	-m "Plants a defect for kernel-doc, W=1, sparse, uapi and htmldocs."

# The gates, on the mutated series (exported as patch files for checkpatch
# and codespell), with their own build/ (ccache shared).
mkdir -p "$M/patches"
BUILD=$M sh "$TOP/scripts/export.sh" --to "$M/patches" >/dev/null || exit 1
echo "mutated series: $(ls "$M"/patches/[0-9]*-*.patch | grep -vc cover-letter) patches in ${M#$TOP/}/patches; running the gates (output in ${M#$TOP/}/gates.out)"
GATES_NOSKIP=1 BUILD=$M PATCHES=$M/patches bash "$TOP/scripts/gates/gates.sh" >"$M/gates.out" 2>&1
tap=$M/results/gates-$BASE.tap

# Each gate must say "not ok", and name the planted defect in its log.
expect() {	# GATE PATTERN (in build/gates-selftest/logs/gates/GATE.log)
	line=$(grep -E "^(not )?ok [0-9]+ - $1:" "$tap" | head -n1)
	if [ -z "$line" ]; then
		r="MISSING"; bad=1
	elif [ "${line#not ok}" = "$line" ]; then
		r="passed: NOT CAUGHT"; bad=1
	elif ! grep -qE -- "$2" "$M/logs/gates-$BASE/$1.log" "$M/logs/gates-$BASE/$1"/* 2>/dev/null; then
		r="failed, but not on the planted defect"; bad=1
	else
		r="failed as planted"
	fi
	printf '  %-11s %-22s %s\n' "$1" "$r" "$(echo "$line" | sed -E 's/^not ok [0-9]+ - //' | cut -c1-90)"
}
bad=0
echo "gate        result                 its result line"
expect checkpatch 'trailing whitespace'
expect codespell  'recieve'
expect kernel-doc "vcpu.*kvm_gates_selftest_broken|kvm_gates_selftest_broken.*vcpu"
expect bisect     'kvm_gates_selftest_undeclared'
expect uapi       'leak|u32'
expect w1         'missing-prototypes|no previous prototype'
expect sparse     'plain integer as NULL pointer'
expect htmldocs   'underline too short|Title underline'
echo "(gate output: ${M#$TOP/}/gates.out, logs: ${M#$TOP/}/logs/gates-$BASE/)"
[ "$bad" = 0 ] || { echo "gates-selftest: a gate missed its planted defect"; exit 1; }
echo "gates-selftest: all 8 gates failed on their planted defect"
