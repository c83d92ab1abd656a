#!/bin/sh
# kernel.sh: configure (allnoconfig + config/kvm.config) and cross-build the
# arm64 Image and the uapi headers of build/$BASE/linux into
# build/$BASE/kernel, with ccache (scripts/lib.sh: kmake, kconfig).
# FRAGMENTS (repo-relative, merged in order) and KOBJ override both: the
# debug kernel is KOBJ=build/$BASE/kernel-debug FRAGMENTS="config/kvm.config
# config/debug.config" (each fragment's config/NAME-$BASE.config follows).
set -eu
{ # read whole before running, so editing this file during a run is safe
. "$(dirname "$0")/lib.sh"

usage() { echo "usage: $0   (env: BASE, BUILD, JOBS, CCACHE_DIR, KOBJ, FRAGMENTS)" >&2; exit 2; }
[ $# -eq 0 ] || usage
[ -f "$LINUX/Makefile" ] || die "no kernel tree in ${LINUX#$TOP/}; run 'make tree BASE=$BASE'"
: "${FRAGMENTS:=config/kvm.config}"

step kernel "$BASE: allnoconfig + $FRAGMENTS, Image and headers in ${KOBJ#$TOP/}"
# shellcheck disable=SC2086
kconfig "$LINUX" "$KOBJ" $FRAGMENTS
frag=$KOBJ/.fragments
bad=$(sed -n 's/^# \(CONFIG_[A-Z0-9_]*\) is not set$/\1=n/p; /^CONFIG_/p' "$frag" | while read -r line; do
	case $line in
	*=n) grep -q "^${line%=n}=" "$KOBJ/.config" && echo "$line" ;;
	*)   grep -qx "$line" "$KOBJ/.config" || echo "$line" ;;
	esac
done)
[ -z "$bad" ] || die "config fragment options missing from ${KOBJ#$TOP/}/.config:" $bad

kmake "$LINUX" "$KOBJ" -s Image
kmake "$LINUX" "$KOBJ" -s headers
ls -l "$KOBJ/arch/arm64/boot/Image"
exit
}
