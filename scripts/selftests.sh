#!/bin/sh
# selftests.sh: build build/$BASE/linux's aarch64 KVM selftests, static,
# against the uapi headers that scripts/kernel.sh generated in
# build/$BASE/kernel/usr/include. Binaries land in build/$BASE/kernel/kselftest/kvm/.
# On both, upstream 6.12's smccc_filter.c as Debian ships it, unchanged
# (tests/upstream/): the series adds cases to the in-tree copy on 6.12.
# On 6.1, the series' tests that only 6.12's library builds, from
# build/6.12/kernel's selftests build, in build/6.1/kernel/kselftest/kvm/612/.
set -eu
{ # read whole before running, so editing this file during a run is safe
. "$(dirname "$0")/lib.sh"

usage() { echo "usage: $0   (env: BASE, BUILD, JOBS, KOBJ)" >&2; exit 2; }
K=${KOBJ#$TOP/}
[ $# -eq 0 ] || usage
[ -f "$KOBJ/usr/include/linux/kvm.h" ] || die "no headers in $K; run 'make kernel BASE=$BASE'"

# upstream_peer: build upstream 6.12's smccc_filter.c as aarch64/smccc_filter_upstream.
upstream_peer() {
	: "${UPSTREAM_TARBALL:=/usr/src/linux-source-6.12.tar.xz}"
	up=$BUILD/upstream-6.12 upsrc=tools/testing/selftests/kvm/aarch64/smccc_filter.c
	upver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || echo none)
	if [ "$(cat "$up/version" 2>/dev/null)" != "$upver" ] || [ ! -f "$up/$upsrc" ]; then
		[ -f "$UPSTREAM_TARBALL" ] || die "no $UPSTREAM_TARBALL; install linux-source-6.12 ('make deps')"
		echo "extracting $upsrc from ${UPSTREAM_TARBALL##*/}"
		rm -rf "$up"; mkdir -p "$up"
		tar -xJf "$UPSTREAM_TARBALL" -C "$up" --strip-components=1 --wildcards "*/$upsrc"
		echo "$upver" >"$up/version"
	fi
	upextra= shim=$TOP/tests/upstream/lib-6.12.h
	[ "$BASE" = 6.1 ] || shim=/dev/null	# 6.12's own library
	grep -q 'smccc_smc' "$LINUX/tools/testing/selftests/kvm/include/aarch64/processor.h" ||
		upextra=-DUPSTREAM_NEED_SMCCC_SMC
	if make -s -C "$LINUX/tools/testing/selftests/kvm" -f Makefile -f "$TOP/tests/upstream/upstream.mk" \
		ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- CC="ccache aarch64-linux-gnu-gcc" \
		OUTPUT="$KOBJ/kselftest/kvm" KHDR_INCLUDES="-isystem $KOBJ/usr/include" \
		USERLDFLAGS=-static EXTRA_CFLAGS="$extra $upextra" \
		UPSTREAM_SRC="$up/$upsrc" UPSTREAM_SHIM="$shim" upstream; then
		echo "upstream smccc_filter.c ($upver, sha256 $(sha256sum "$up/$upsrc" | cut -c1-16))" \
			"built as aarch64/smccc_filter_upstream${upextra:+ ($upextra)}"
	else
		echo "error: upstream's smccc_filter.c ($upver) does not build against the series;" \
			"its row will fail" >&2
	fi
}
# peer_612: on 6.1, the series' tests that are written on 6.12's selftest
# library (rows "612/<test>" of tests/kvm-6.1.tests), from the objects the
# 6.12 selftests build compiled, linked again with -Wl,--wrap=ioctl and
# tests/compat/memory_region2.c (6.12's library needs
# KVM_SET_USER_MEMORY_REGION2, which 6.1 lacks) into $K/kselftest/kvm/612/:
# the same tests, against the same uAPI, on the other base.
peer_612() {
	o612=$BUILD/6.12/kernel/kselftest/kvm h612=$BUILD/6.12/kernel/usr/include
	rm -rf "$KOBJ/kselftest/kvm/612"
	tests=$(awk '!/^[ \t]*(#|$)/ { for (i = 3; i <= NF; i++) if ($i ~ /^612\//) print substr($i, 5) }' \
		"$TOP/tests/kvm-$BASE.tests")
	[ -n "$tests" ] || return 0
	for t in $tests; do
		[ -f "$o612/aarch64/$t.o" ] || {
			echo "error: no ${o612#$TOP/}/aarch64/$t.o ('make selftests BASE=6.12' first); row 612-$t will fail" >&2
			return 0
		}
	done
	mkdir -p "$KOBJ/kselftest/kvm/612"
	aarch64-linux-gnu-gcc -O2 -Wall -Werror -isystem "$h612" -c -o "$KOBJ/kselftest/memory_region2.o" \
		"$TOP/tests/compat/memory_region2.c"
	for t in $tests; do
		aarch64-linux-gnu-gcc -static -pthread -no-pie -Wl,--wrap=ioctl -o "$KOBJ/kselftest/kvm/612/$t" \
			"$o612/aarch64/$t.o" "$o612"/lib/*.o "$o612"/lib/aarch64/*.o \
			"$KOBJ/kselftest/memory_region2.o" -ldl
	done
	echo "6.12's builds of" $tests "linked for 6.1 in $K/kselftest/kvm/612"
}
step selftests "$BASE: tools/testing/selftests/kvm for aarch64, static, in $K/kselftest"
: "${CCACHE_BASEDIR:=$TOP}"; export CCACHE_BASEDIR
# O= is the kernel's build dir: the selftests Makefile then takes its headers
# (-isystem $O/usr/include) and writes into $O/kselftest.
# Debian's 6.1.192 has stable backports of selftest changes that use helpers
# 6.1's tools lack: <linux/bitfield.h> in tools/include (upstream 6.4) and
# TEST_ASSERT_EQ (6.5). Fill them in, in the build dir, only while missing.
extra=
if [ ! -f "$LINUX/tools/include/linux/bitfield.h" ]; then
	mkdir -p "$KOBJ/kselftest/compat/linux"
	cp "$LINUX/include/linux/bitfield.h" "$KOBJ/kselftest/compat/linux/"
	extra="-I$KOBJ/kselftest/compat"
fi
grep -q 'define TEST_ASSERT_EQ' "$LINUX/tools/testing/selftests/kvm/include/test_util.h" ||
	extra="$extra -include $TOP/tests/compat/test_assert_eq.h"
[ -z "$extra" ] || echo "note: selftests built with compat shims:$extra" | sed "s|$TOP/||g"
# The selftests Makefile has no dependencies on headers: rebuild from scratch
# when the uapi or the selftests' own headers changed since the last build.
sum=$(find "$KOBJ/usr/include" "$LINUX/tools/include" "$LINUX/tools/arch/arm64/include" \
	"$LINUX/tools/testing/selftests/kvm/include" -type f | sort | xargs cat |
	cat - "$TOP/tests/compat/"* | sha256sum | cut -c1-16)
if [ "$(cat "$KOBJ/kselftest/headers.sum" 2>/dev/null)" != "$sum" ]; then
	rm -rf "$KOBJ/kselftest/kvm"
	mkdir -p "$KOBJ/kselftest"
	echo "$sum" >"$KOBJ/kselftest/headers.sum"
fi
make -s -C "$LINUX/tools/testing/selftests" TARGETS=kvm ARCH=arm64 \
	CROSS_COMPILE=aarch64-linux-gnu- CC="ccache aarch64-linux-gnu-gcc" \
	O="$KOBJ" USERLDFLAGS=-static EXTRA_CFLAGS="$extra" -j"$JOBS"

# Its row runs smccc_filter through noskip: a skip (kernel without the filter) fails.
aarch64-linux-gnu-gcc -static -O2 -Wall -Werror -o "$KOBJ/kselftest/kvm/noskip" \
	"$TOP/tests/upstream/noskip.c"

# On 6.1: upstream's own test of the SMCCC filter, from Debian's linux-source-6.12,
# extracted here (never committed) and built unchanged against the series'
# tree, with the flags and library objects above (tests/upstream/upstream.mk)
# and tests/upstream/lib-6.12.h for what 6.1's library lacks. A failure
# leaves its row in tests/kvm-6.1.tests to fail; the other tests still run.
# On 6.12 the same file, because the series adds cases to the in-tree one.
rm -f "$KOBJ/kselftest/kvm/aarch64/smccc_filter_upstream"
upstream_peer
[ "$BASE" = 6.12 ] || peer_612
# A series that changes the uapi must be seen by the tests: check the include path.
echo '#include <linux/kvm.h>' | aarch64-linux-gnu-gcc -E -M -x c - \
	-I"$LINUX/tools/include" -I"$LINUX/tools/arch/arm64/include" \
	-I"$LINUX/usr/include" -isystem "$KOBJ/usr/include" |
	grep -q "$KOBJ/usr/include/linux/kvm.h" || die "selftests would not use $K's linux/kvm.h"
echo "$(find "$KOBJ/kselftest/kvm" -type f -perm -u+x | wc -l) test binaries in $K/kselftest/kvm"
exit
}
