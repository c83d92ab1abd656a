#!/bin/sh
# bench/base-kernel.sh: build the unpatched base kernel for the benchmark's
# regression figure (6): a detached git worktree of build/linux at tag
# "base" in build/base/linux, objects in build/base/kernel, the same
# config as scripts/kernel.sh (allnoconfig + config/kvm.config), Image only.
# Cheap when the Image is there; only `make bench` calls it, never make check.
set -eu
. "$(dirname "$0")/../scripts/lib.sh"

usage() { echo "usage: $0   (env: BUILD, JOBS, FORCE=1 rebuilds)" >&2; exit 2; }
[ $# -eq 0 ] || usage
: "${FORCE:=0}"

src=$BUILD/base/linux
obj=$BUILD/base/kernel
image=$obj/arch/arm64/boot/Image
if [ -f "$image" ] && [ "$FORCE" != 1 ]; then
	echo "base-kernel: ${image#$TOP/} is there ($(sed -n 1p "$BUILD/base/IMAGE-SOURCE" 2>/dev/null || echo "built by $0"))"
	exit 0
fi
[ -d "$LINUX/.git" ] || die "no kernel tree in $LINUX; run 'make tree'"
git -C "$LINUX" rev-parse -q --verify base >/dev/null || die "no tag 'base' in $LINUX"

step base-kernel "tag base of build/linux, allnoconfig + config/kvm.config, Image in ${obj#$TOP/}"
want=$(git -C "$LINUX" rev-parse base)
# A worktree at tag base, made again if build/linux was re-extracted since
if [ ! -f "$src/.git" ] || [ "$(git -C "$src" rev-parse -q --verify HEAD 2>/dev/null)" != "$want" ]; then
	rm -rf "$src"
	git -C "$LINUX" worktree prune
	mkdir -p "${src%/*}"
	git -C "$LINUX" worktree add -q --detach "$src" base
fi
[ -z "$(git -C "$src" status --porcelain)" ] || die "$src has local changes"

# Same layout as build/linux + build/kernel (../linux from the objects), so
# ccache can share what the patched build compiled.
: "${CCACHE_BASEDIR:=$TOP}"; export CCACHE_BASEDIR
kmake() {
	make -s -C "$src" O="$obj" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
		CC="ccache aarch64-linux-gnu-gcc" HOSTCC="ccache gcc" -j"$JOBS" "$@"
}
mkdir -p "$obj"
KCONFIG_ALLCONFIG=$TOP/config/kvm.config kmake allnoconfig >/dev/null
kmake Image
{
	echo "built by bench/base-kernel.sh at $(date -u +%FT%TZ) from tag base ($(git -C "$src" rev-parse HEAD))"
	sha256sum "$image"
} >"$BUILD/base/IMAGE-SOURCE"
ls -l "$image"
