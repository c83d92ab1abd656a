#!/bin/sh
# initramfs.sh OUT.cpio TESTS_FILE [EXTRA_ROOTFS_DIR...]: pack the guest
# userspace: /init (guest/init.c), the KVM selftests in /kvm, each extra
# rootfs directory laid over it, TESTS_FILE as /etc/tests with the rows
# tests/excluded names for $BASE turned into skips, and
# config/splat-patterns as /etc/splat.
set -eu
. "$(dirname "$0")/lib.sh"

usage() {
	echo "usage: $0 OUT.cpio TESTS_FILE [EXTRA_ROOTFS_DIR...]" >&2
	echo "  env: SELFTESTS=0 leaves the selftests out (else build/\$BASE/kernel's);" >&2
	echo "       EXCLUDED (default tests/excluded), BASE; COMPLETE=1: fail unless every" >&2
	echo "       selftest binary has a row in TESTS_FILE (none dropped)" >&2
	exit 2
}
[ $# -ge 2 ] || usage
out=$(realpath -m "$1"); tests=$2; shift 2
[ -r "$tests" ] || usage
for d; do [ -d "$d" ] || usage; done
: "${SELFTESTS:=1}"
: "${EXCLUDED:=$TOP/tests/excluded}"

step initramfs "${out#$TOP/} from ${tests#$TOP/}${*:+ + $*}"
root=${out%.cpio}.root
rm -rf "$root"
mkdir -p "$root/etc" "$root/kvm" "$BUILD/guest"
aarch64-linux-gnu-gcc -static -O2 -Wall -Werror -o "$BUILD/guest/init" "$TOP/guest/init.c"
cp "$BUILD/guest/init" "$root/init"
cp "$TOP/config/splat-patterns" "$root/etc/splat"

if [ "$SELFTESTS" = 1 ]; then
	[ -d "$KOBJ/kselftest/kvm" ] || die "no selftests in ${KOBJ#$TOP/}; run 'make selftests BASE=$BASE'"
	(cd "$KOBJ/kselftest/kvm" && find . -type f -perm -u+x ! -name '*.o') | while read -r f; do
		mkdir -p "$root/kvm/${f%/*}"
		aarch64-linux-gnu-strip -o "$root/kvm/$f" "$KOBJ/kselftest/kvm/$f"
	done
fi
for d; do cp -a "$d/." "$root/"; done

# Every test the base builds must be in the table (run, or a skip with its
# reason): a row's command is its first word after the timeout, VAR=value
# settings and the noskip wrapper.
if [ "${COMPLETE:-0}" = 1 ]; then
	rows=$(awk '!/^[ \t]*(#|$)/ { for (i = 3; i <= NF && ($i ~ /=/ || $i == "noskip"); i++) ; print $i }' "$tests")
	missing=$(cd "$root/kvm" && find . -type f ! -name noskip | sed 's|^\./||' | sort |
		while read -r f; do echo "$rows" | grep -qxF "$f" || echo "$f"; done)
	[ -z "$missing" ] || die "${tests#$TOP/} has no row for:" $missing
fi

# "bases name reason..." in the exclusion list -> "name skip reason..." for /init.
sed 's/#.*//' "$EXCLUDED" 2>/dev/null | awk -v base="$BASE" '
	NR == FNR { if (NF < 3 || index("," $1 ",", "," base ",") == 0) next
		    n = $2; $1 = $2 = ""; why[n] = substr($0, 3); next }
	{ row = $0; sub(/#.*/, "", row); split(row, f) }
	(f[1] in why) { print f[1], "skip", why[f[1]]; next }
	{ print }' - "$tests" >"$root/etc/tests"

(cd "$root" && find . | sort | cpio -o -H newc -R 0:0 --reproducible --quiet) >"$out"
echo "$(grep -c '^[^#]' "$root/etc/tests") rows, $(du -h "$out" | cut -f1) in ${out#$TOP/}"
