#!/bin/bash
# boot.sh CPU [INITRAMFS [NAME]]: boot build/kernel's Image with INITRAMFS
# (default build/kvm.cpio) under QEMU TCG with EL2 and a GICv3, on -cpu max
# (VHE) or -cpu cortex-a72 (nVHE). The console goes to build/logs/NAME.log
# (NAME defaults to CPU; the previous run moves to build/logs.old/), each
# test's output to build/logs/NAME/<test>.log, and the results, guest and
# host checks together, to build/results/NAME.tap. Exit 1 on any failure.
set -eu
{ # read whole before running, so editing this file during a run is safe
. "$(dirname "$0")/lib.sh"

usage() {
	echo "usage: $0 max|cortex-a72 [INITRAMFS [NAME]]" >&2
	echo "  env: SHOW=tap|all (console lines printed live), RUN_TIMEOUT (seconds;" >&2
	echo "       default: sum of the test timeouts + 120), QEMU_APPEND (extra kernel args)" >&2
	exit 2
}
[ $# -ge 1 ] && [ $# -le 3 ] || usage
case $1 in
max)		cpu=max,sme=off,pauth-impdef=on ;;	# SME: see NOTES ("SME trap")
cortex-a72)	cpu=cortex-a72 ;;
*)		usage ;;
esac
initrd=$(realpath "${2:-$BUILD/kvm.cpio}")
name=${3:-$1}
image=$KOBJ/arch/arm64/boot/Image
[ -f "$image" ] || die "no kernel image; run 'make kernel'"
[ -f "$initrd" ] || die "no initramfs $initrd; run 'make initramfs'"
: "${SHOW:=tap}"
if [ -z "${RUN_TIMEOUT:-}" ]; then
	tests=$(cpio -i --to-stdout --quiet etc/tests <"$initrd")
	RUN_TIMEOUT=$(( $(echo "$tests" | awk '!/^[ \t]*(#|$)/ && $2 ~ /^[0-9]+$/ { t += $2 } END { print t + 0 }') + 120 ))
fi

logs=$BUILD/logs log=$BUILD/logs/$name.log tap=$BUILD/results/$name.tap
mkdir -p "$logs" "$BUILD/logs.old" "$BUILD/results"
if [ -e "$log" ]; then
	rm -rf "$BUILD/logs.old/$name" "$BUILD/logs.old/$name.log"
	mv "$log" "$BUILD/logs.old/"
	[ ! -d "$logs/$name" ] || mv "$logs/$name" "$BUILD/logs.old/"
fi
rm -rf "$logs/$name" "$tap"
mkdir -p "$logs/$name"

step "boot $name" "QEMU -cpu $cpu, ${initrd#$TOP/}, timeout ${RUN_TIMEOUT}s, console in ${log#$TOP/}"
splat='(Oops|BUG:|WARNING:|Kernel panic|Unable to handle|Internal error|UBSAN:|INFO: trying to register non-static key)'
set +e
timeout -k 10 "$RUN_TIMEOUT" qemu-system-aarch64 \
	-machine virt,virtualization=on,gic-version=3 -cpu "$cpu" -m 2048 -smp 2 \
	-nographic -nic none -no-reboot -kernel "$image" -initrd "$initrd" \
	-append "console=ttyAMA0 panic=-1 loglevel=5 tests=/etc/tests ${QEMU_APPEND:-}" \
	</dev/null 2>&1 | sed -u 's/\r$//' | tee "$log" |
	if [ "$SHOW" = all ]; then cat; else grep --line-buffered -E "^(not )?ok |\] .*$splat"; fi
qemu=${PIPESTATUS[0]}
set -e

# Per-test logs: the "# " lines before each result line.
awk -v dir="$logs/$name" '
	/^# / { buf = buf $0 "\n"; next }
	/^(not )?ok [0-9]+ - / { n = $0; sub(/^(not )?ok [0-9]+ - /, "", n); sub(/[: #].*/, "", n)
		printf "%s%s\n", buf, $0 > (dir "/" n ".log"); close(dir "/" n ".log"); buf = "" }' "$log"

# Results: the guest's lines, then the host's checks on the whole run.
{
	echo "TAP version 13"
	grep -E '^(not )?ok [0-9]+ - ' "$log" | sed -E 's/^(not )?ok [0-9]+ - /\1ok - /'
	plan=$(grep -E '^1\.\.[0-9]+$' "$log" | tail -n1)
	ran=$(grep -cE '^(not )?ok [0-9]+ - ' "$log")
	if [ "$qemu" = 124 ] || [ "$qemu" = 137 ]; then
		echo "not ok - qemu: run timed out after ${RUN_TIMEOUT}s"
	elif [ "$qemu" != 0 ]; then
		echo "not ok - qemu: exit $qemu"
	elif [ -z "$plan" ] || ! grep -qx '# init: done' "$log"; then
		echo "not ok - qemu: guest stopped before the end of its tests (no plan)"
	elif [ "$plan" != "1..$ran" ]; then
		echo "not ok - qemu: plan $plan but $ran results"
	else
		echo "ok - qemu: $ran results, plan complete"
	fi
	# Kernel messages on the console (not the "# " lines relayed by /init).
	found=$(grep -vE '^# ' "$log" | grep -E "$splat" | head -n 5)
	if [ -n "$found" ]; then
		echo "not ok - console: kernel splat"
		echo "$found" | sed 's/^/# /'
	else
		echo "ok - console: no Oops, BUG, WARNING or panic"
	fi
} | awk '/^(not )?ok - / { sub(/ok - /, "ok " ++n " - ") } { print } END { print "1.." n }' >"$tap"

failed=$(grep -c '^not ok' "$tap" || true)
echo "$name: $(grep -c '^ok' "$tap") ok, $failed not ok (${tap#$TOP/})"
[ "$failed" = 0 ]
exit
}
