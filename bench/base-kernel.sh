#!/bin/sh
# bench/base-kernel.sh: build the base kernel the benchmark compares the
# series' kernel with (bench/targets' base* columns): a detached git
# worktree of build/$BASE/linux at BENCH_BASE_REV (default: tag "base", the
# distribution's kernel without the series) in build/$BASE/base/linux,
# objects in build/$BASE/base/kernel, the same config as scripts/kernel.sh
# (allnoconfig + config/kvm.config + config/kvm-$BASE.config), Image only.
# Cheap when the Image of that revision is there; only the bench calls it,
# never make check.
#
# BASE=6.1: tag base is Debian's 6.1 without upstream's SMCCC filter, so the
# base-filter16 rows skip there; to compare with upstream's filter on 6.1,
# point BENCH_BASE_REV at the last of the series' cherry-picked upstream
# commits (the ones with a "commit <sha> upstream." line).
set -eu
. "$(dirname "$0")/../scripts/lib.sh"

usage() { echo "usage: $0   (env: BASE, BUILD, JOBS, BENCH_BASE_REV, FORCE=1 rebuilds)" >&2; exit 2; }
[ $# -eq 0 ] || usage
: "${FORCE:=0}" "${BENCH_BASE_REV:=base}"

src=$BASE_BUILD/base/linux
obj=$BASE_BUILD/base/kernel
image=$obj/arch/arm64/boot/Image
info=$BASE_BUILD/base/IMAGE-SOURCE
[ -d "$LINUX/.git" ] || die "no kernel tree in ${LINUX#$TOP/}; run 'make tree BASE=$BASE'"
rev=$(git -C "$LINUX" rev-parse -q --verify "$BENCH_BASE_REV^{commit}") ||
	die "no revision '$BENCH_BASE_REV' in ${LINUX#$TOP/}"
if [ -f "$image" ] && [ "$FORCE" != 1 ] && grep -q "($rev)" "$info" 2>/dev/null; then
	echo "base-kernel: ${image#$TOP/} is there ($(sed -n 1p "$info"))"
	exit 0
fi

step base-kernel "$BENCH_BASE_REV ($rev) of ${LINUX#$TOP/}, allnoconfig + config/kvm.config, Image in ${obj#$TOP/}"
# Same layout as build/$BASE/{linux,kernel} (../linux from the objects), so
# ccache can share what the patched build compiled.
worktree "$src" "$rev"
kconfig "$src" "$obj" config/kvm.config
kmake "$src" "$obj" -s Image
{
	echo "built by bench/base-kernel.sh at $(date -u +%FT%TZ) from $BENCH_BASE_REV ($rev)"
	sha256sum "$image"
} >"$info"
ls -l "$image"
