#!/bin/sh
# kernel.sh: configure (allnoconfig + config/kvm.config) and cross-build the
# arm64 Image and the uapi headers into build/kernel, with ccache.
# FRAGMENTS (repo-relative, merged in order) and KOBJ override both: the
# debug kernel is KOBJ=build/kernel-debug FRAGMENTS="config/kvm.config
# config/debug.config".
set -eu
{ # read whole before running, so editing this file during a run is safe
. "$(dirname "$0")/lib.sh"

usage() { echo "usage: $0   (env: BUILD, JOBS, CCACHE_DIR, KOBJ, FRAGMENTS)" >&2; exit 2; }
[ $# -eq 0 ] || usage
[ -f "$LINUX/Makefile" ] || die "no kernel tree in $LINUX; run 'make tree'"

# Paths below the repo are hashed relative, so clones share one cache.
: "${CCACHE_BASEDIR:=$TOP}"; export CCACHE_BASEDIR
: "${FRAGMENTS:=config/kvm.config}"
frag=$KOBJ/.fragments
kmake() {
	make -s -C "$LINUX" O="$KOBJ" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
		CC="ccache aarch64-linux-gnu-gcc" HOSTCC="ccache gcc" -j"$JOBS" "$@"
}

step kernel "allnoconfig + $FRAGMENTS, Image and headers in ${KOBJ#$TOP/}"
mkdir -p "$KOBJ"
(cd "$TOP" && cat $FRAGMENTS) >"$frag"
old=$KOBJ/.config.prev
[ -f "$KOBJ/.config" ] && cp -p "$KOBJ/.config" "$old"
KCONFIG_ALLCONFIG=$frag kmake allnoconfig >/dev/null
# Keep the old timestamp if nothing changed, so make has nothing to redo.
if [ -f "$old" ] && cmp -s "$old" "$KOBJ/.config"; then touch -r "$old" "$KOBJ/.config"; fi
rm -f "$old"

bad=$(sed -n 's/^# \(CONFIG_[A-Z0-9_]*\) is not set$/\1=n/p; /^CONFIG_/p' "$frag" | while read -r line; do
	case $line in
	*=n) grep -q "^${line%=n}=" "$KOBJ/.config" && echo "$line" ;;
	*)   grep -qx "$line" "$KOBJ/.config" || echo "$line" ;;
	esac
done)
[ -z "$bad" ] || die "config fragment options missing from ${KOBJ#$TOP/}/.config:" $bad

kmake Image
kmake headers
ls -l "$KOBJ/arch/arm64/boot/Image"
exit
}
