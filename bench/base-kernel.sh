#!/bin/sh
# bench/base-kernel.sh: build the unpatched base kernel for the benchmark's
# regression figure (6): a detached git worktree of build/$BASE/linux at tag
# "base" in build/$BASE/base/linux, objects in build/$BASE/base/kernel, the
# same config as scripts/kernel.sh (allnoconfig + config/kvm.config), Image
# only. Cheap when the Image is there; only `make bench` calls it, never
# make check.
set -eu
. "$(dirname "$0")/../scripts/lib.sh"

usage() { echo "usage: $0   (env: BASE, BUILD, JOBS, FORCE=1 rebuilds)" >&2; exit 2; }
[ $# -eq 0 ] || usage
: "${FORCE:=0}"

src=$BASE_BUILD/base/linux
obj=$BASE_BUILD/base/kernel
image=$obj/arch/arm64/boot/Image
if [ -f "$image" ] && [ "$FORCE" != 1 ]; then
	echo "base-kernel: ${image#$TOP/} is there ($(sed -n 1p "$BASE_BUILD/base/IMAGE-SOURCE" 2>/dev/null || echo "built by $0"))"
	exit 0
fi
[ -d "$LINUX/.git" ] || die "no kernel tree in ${LINUX#$TOP/}; run 'make tree BASE=$BASE'"
git -C "$LINUX" rev-parse -q --verify base >/dev/null || die "no tag 'base' in $LINUX"

step base-kernel "tag base of ${LINUX#$TOP/}, allnoconfig + config/kvm.config, Image in ${obj#$TOP/}"
# Same layout as build/$BASE/{linux,kernel} (../linux from the objects), so
# ccache can share what the patched build compiled.
worktree "$src" base
kconfig "$src" "$obj" config/kvm.config
kmake "$src" "$obj" -s Image
{
	echo "built by bench/base-kernel.sh at $(date -u +%FT%TZ) from tag base ($(git -C "$src" rev-parse HEAD))"
	sha256sum "$image"
} >"$BASE_BUILD/base/IMAGE-SOURCE"
ls -l "$image"
