#!/bin/sh
# fake-make.sh TARGET [BASE=B]: stands in for `make -C TOP` in
# scripts/check.mk (M=...) for the harness self-test: every step succeeds
# at once, except the kernel of the base named by FAIL_KERNEL; each QEMU
# run leaves a whole TAP file, as a real one would.
case "$1" in
kernel)	[ "$2" != "BASE=$FAIL_KERNEL" ] || { echo "planted: kernel $2 fails"; exit 1; } ;;
boot-*)	printf 'ok - a\n' | "$TOP/scripts/tap.sh" "$BUILD/results/selftests-${2#BASE=}-${1#boot-}.tap" ;;
demo-run) for c in max cortex-a72; do printf 'ok - a\n' | "$TOP/scripts/tap.sh" "$BUILD/results/demo-$c.tap"; done ;;
gates)	printf 'ok - a\n' | "$TOP/scripts/tap.sh" "$BUILD/results/gates-${2#BASE=}.tap" ;;
robust-debug) printf 'ok - a\n' | "$TOP/scripts/tap.sh" "$BUILD/results/debug-max.tap" ;;
robust-*|harness|bench-smoke) printf 'ok - a\n' | "$TOP/scripts/tap.sh" "$BUILD/results/$1.tap" ;;
esac
