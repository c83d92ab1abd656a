#!/bin/sh
# uapi gate: `make headers_install` of base and of HEAD (arm64, the harness
# config), then on the installed headers:
#   1. every uapi header the series touches compiles on its own, twice
#      included (include guard), as the kernel's CONFIG_UAPI_HEADER_TEST does:
#      aarch64-linux-gnu-gcc -std=c90 -Wall -fsyntax-only, no diagnostic;
#   2. usr/include/headers_check.pl (includes exist, no "extern" prototypes,
#      asm/types.h use) is silent on them;
#   3. no kernel-only identifier survives the unifdef in them (u8..u64,
#      s8..s64, bool, BIT(), BIT_ULL(), GENMASK*(), __KERNEL__, CONFIG_*) on
#      a line the base's installed header does not already have;
#   4. every installed header (but asm-generic/ and the kernel's own
#      no-header-test list) still compiles the same way, unless it already
#      fails at base;
#   5. the size of struct kvm_run (the mmap'ed ABI the series extends) is
#      the base's.
set -eu
. "$(dirname "$0")/lib.sh"

need_tree uapi
out=$GLOGS/uapi
rm -rf "$out"; mkdir -p "$out"
cc=aarch64-linux-gnu-gcc
hdrs=$(touched 'include/uapi/*.h' 'arch/arm64/include/uapi/*.h' |
	sed -E 's@^include/uapi/@@; s@^arch/arm64/include/uapi/@@')

for side in base head; do
	if [ $side = base ]; then rev=$BASE_REV; else rev=$HEAD_REV; fi
	tree_at $side "$rev"
	configure $side
	rm -rf "$out/$side"
	kmake_at $side -s headers_install INSTALL_HDR_PATH="$out/$side" >"$out/$side.install.log" 2>&1 ||
		{ cat "$out/$side.install.log"; fail "uapi: make headers_install failed at $side"; }
done
inc=$out/head/include
dummy=$GATES/head/linux/usr/dummy-include
flags="-std=c90 -Wall -Werror=implicit-function-declaration -fsyntax-only"
# hdrtest DIR HEADER: the kernel's header compile test; prints diagnostics.
hdrtest() { $cc $flags -I "$1" -I "$dummy" -x c /dev/null -include "$1/$2" -include "$1/$2" 2>&1 | sed "s@$1/@@g"; }

problems=0
report() { echo "$1:"; sed 's/^/    /' "$2"; problems=$((problems + 1)); }
pat='\<([us](8|16|32|64)|bool)\>|\<(BIT|BIT_ULL|GENMASK|GENMASK_ULL)[[:space:]]*\(|__KERNEL__|\<CONFIG_[A-Z0-9_]+'
for h in $hdrs; do
	[ -f "$inc/$h" ] || { echo "$h: not installed by headers_install"; problems=$((problems + 1)); continue; }
	hdrtest "$inc" "$h" >"$out/t"
	[ ! -s "$out/t" ] || report "$h: does not compile alone" "$out/t"
	perl "$GATES/head/linux/usr/include/headers_check.pl" "$inc" arm64 "$inc/$h" >"$out/t" 2>&1 || true
	sed -i "s@$inc/@@g" "$out/t"
	[ ! -s "$out/t" ] || report "$h: headers_check.pl" "$out/t"
	grep -E "$pat" "$inc/$h" | sort -u >"$out/kh" || true
	grep -E "$pat" "$out/base/include/$h" 2>/dev/null | sort -u >"$out/kb" || true
	comm -23 "$out/kh" "$out/kb" >"$out/t"
	[ ! -s "$out/t" ] || report "$h: kernel-only identifiers after unifdef" "$out/t"
done

# 4. All installed headers, as CONFIG_UAPI_HEADER_TEST would (2 jobs).
skip=$(sed -n 's/^no-header-test += //p' "$GATES/head/linux/usr/include/Makefile" |
	sed -n '/^asm\//p; /^linux\//p; /^[a-z0-9_-]*\//p' | tr '\n' ' ')
(cd "$inc" && find . -name '*.h' ! -path './asm-generic/*' | sed 's@^\./@@' | sort) >"$out/all"
for s in $skip; do grep -vxF "$s" "$out/all" >"$out/t" || true; mv "$out/t" "$out/all"; done
export cc flags dummy
xargs -P "$JOBS" -n 16 sh -c 'for h; do
	o=$($cc $flags -I "'"$inc"'" -I "$dummy" -x c /dev/null -include "'"$inc"'/$h" -include "'"$inc"'/$h" 2>&1) ||
		echo "$h"; [ -z "$o" ] || echo "$h"; done' sh <"$out/all" | sort -u >"$out/failing"
: >"$out/t"
while read -r h; do
	[ -f "$out/base/include/$h" ] && [ -n "$(hdrtest "$out/base/include" "$h")" ] && continue
	echo "$h"; hdrtest "$inc" "$h" | head -n 5
done <"$out/failing" >"$out/t"
[ ! -s "$out/t" ] || report "installed headers that stopped compiling alone" "$out/t"
nall=$(wc -l <"$out/all")

# 5. sizeof(struct kvm_run), read from the generated assembly.
size() {
	echo '#include <linux/kvm.h>
int kvm_run_size = sizeof(struct kvm_run);' | $cc -O2 -S -o - -x c -I "$1" - 2>/dev/null |
		sed -n '/^kvm_run_size:/,/\.word/s/^[[:space:]]*\.word[[:space:]]*//p'
}
sb=$(size "$out/base/include"); sh_=$(size "$inc")
[ -n "$sh_" ] && [ "$sb" = "$sh_" ] || { echo "sizeof(struct kvm_run): base ${sb:-?}, HEAD ${sh_:-?}"; problems=$((problems + 1)); }
rm -f "$out/t" "$out/kh" "$out/kb"

[ -n "$hdrs" ] || hdrs="(none touched)"
[ "$problems" = 0 ] || fail "uapi: $problems problems in $(echo $hdrs) (build/logs/gates-$BASE/uapi.log)"
pass "uapi: $(echo $hdrs) compile alone, headers_check.pl clean, no kernel-only types; all $nall installed headers compile; sizeof(struct kvm_run) = $sb as at base"
