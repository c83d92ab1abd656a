#!/bin/bash
# boot.sh CPU [INITRAMFS [NAME]]: boot build/$BASE/kernel's Image (KOBJ)
# with INITRAMFS (default build/$BASE/kvm.cpio) under QEMU TCG with EL2 and
# a GICv3, on -cpu max (VHE) or -cpu cortex-a72 (nVHE). The console goes to
# build/logs/NAME.log (NAME defaults to CPU; the previous run moves to
# build/logs.old/), each test's output to build/logs/NAME/<test>.log, and
# the results, guest and host checks together, to build/results/NAME.tap.
# Exit 1 on any failure. The harness's one judge of a QEMU run: the bench,
# the demo's figures and qemu-locks boot through it too (LOGS, TAP,
# QEMU_ARGS, QEMU_WRAPPER).
set -eu
{ # read whole before running, so editing this file during a run is safe
. "$(dirname "$0")/lib.sh"

usage() {
	echo "usage: $0 max|cortex-a72 [INITRAMFS [NAME]]" >&2
	echo "  env: SHOW=tap|all (console lines printed live), RUN_TIMEOUT (seconds;" >&2
	echo "       default: sum of the test timeouts + 120), QEMU_APPEND (extra kernel args;" >&2
	echo "       tests=/etc/X picks the table), QEMU_ARGS (default -smp 2), MEM (MiB)," >&2
	echo "       QEMU_WRAPPER (a command QEMU runs under, e.g. perf stat), LOGS (default" >&2
	echo "       build/logs), TAP (default build/results/NAME.tap), BASE, KOBJ" >&2
	exit 2
}
[ $# -ge 1 ] && [ $# -le 3 ] || usage
case $1 in max|cortex-a72) ;; *) usage ;; esac
initrd=$(realpath "${2:-$BASE_BUILD/kvm.cpio}")
name=${3:-$1}
image=$KOBJ/arch/arm64/boot/Image
[ -f "$image" ] || die "no kernel image ${image#$TOP/}; run 'make kernel BASE=$BASE'"
[ -f "$initrd" ] || die "no initramfs $initrd; run 'make initramfs BASE=$BASE'"
: "${SHOW:=tap}" "${QEMU_ARGS:=-smp 2}" "${LOGS:=$BUILD/logs}" "${TAP:=$BUILD/results/$name.tap}"
# The tests table the guest runs (tests= on the command line, else /etc/tests).
table=$(echo " ${QEMU_APPEND:-} " | sed -n 's@.* tests=/\([^ ]*\) .*@\1@p')
tests=$(cpio -i --to-stdout --quiet "${table:-etc/tests}" <"$initrd")
[ -n "$tests" ] || die "no tests table ${table:-etc/tests} in $initrd"
if [ -z "${RUN_TIMEOUT:-}" ]; then
	RUN_TIMEOUT=$(( $(echo "$tests" | awk '!/^[ \t]*(#|$)/ && $2 ~ /^[0-9]+$/ { t += $2 } END { print t + 0 }') + 120 ))
fi

logs=$LOGS log=$LOGS/$name.log tap=$TAP old=$LOGS.old
mkdir -p "$logs" "$old" "$(dirname "$tap")"
if [ -e "$log" ]; then
	rm -rf "$old/$name" "$old/$name.log"
	mv "$log" "$old/"
	[ ! -d "$logs/$name" ] || mv "$logs/$name" "$old/"
fi
rm -rf "$logs/$name" "$tap"
mkdir -p "$logs/$name"

step "boot $name" "QEMU -cpu $1 $QEMU_ARGS, ${image#$TOP/}, ${initrd#$TOP/}, timeout ${RUN_TIMEOUT}s, console in ${log#$TOP/}"
# The kernel-splat list (config/splat-patterns, fixed strings) as one ERE.
splat=$(sed '/^#/d; /^$/d; s/[][\.*^$(){}?+|]/\\&/g' "$TOP/config/splat-patterns" | paste -sd'|')
[ -n "$splat" ] || die "no patterns in config/splat-patterns"
set +e
# shellcheck disable=SC2086
APPEND="${QEMU_APPEND:-} tests=/etc/tests" ${QEMU_WRAPPER:-} "$TOP/scripts/qemu.sh" "$1" "$image" "$initrd" "$RUN_TIMEOUT" $QEMU_ARGS |
	tee "$log" |
	if [ "$SHOW" = all ]; then cat; else grep --line-buffered -E "^(not )?ok |\] .*($splat)"; fi
qemu=${PIPESTATUS[0]}
set -e

# Per-test logs: the "# " lines before each result line.
awk -v dir="$logs/$name" '
	/^# / { buf = buf $0 "\n"; next }
	/^(not )?ok [0-9]+ - / { n = $0; sub(/^(not )?ok [0-9]+ - /, "", n); sub(/[: #].*/, "", n)
		printf "%s%s\n", buf, $0 > (dir "/" n ".log"); close(dir "/" n ".log"); buf = "" }' "$log"

# Results: the guest's lines, then the host's checks on the whole run.
# Every way a run can go wrong is a "not ok" line naming it.
results() {
	local plan ran last names
	grep -E '^(not )?ok [0-9]+ - ' "$log" || true
	plan=$(grep -E '^1\.\.[0-9]+$' "$log" | tail -n1 || true)
	ran=$(grep -cE '^(not )?ok [0-9]+ - ' "$log" || true)
	last=$(grep -v '^[[:space:]]*$' "$log" | tail -n1 | cut -c1-160 || true)
	# Each row of the table (and "boot") must have reported.
	names=$(sed -nE 's/^(not )?ok [0-9]+ - //p' "$log" | sed -E 's/[: #].*//')
	for row in boot $(echo "$tests" | awk '!/^[ \t]*(#|$)/ { print $1 }'); do
		echo "$names" | grep -qxF "$row" || echo "not ok - $row: never reported"
	done
	if [ "$qemu" = 127 ]; then
		echo "not ok - qemu: did not start: $(head -n1 "$log")"
	elif [ "$qemu" = 124 ] || [ "$qemu" = 137 ]; then
		echo "not ok - qemu: run timed out after ${RUN_TIMEOUT}s (last console line: $last)"
	elif [ "$qemu" != 0 ]; then
		echo "not ok - qemu: exit $qemu: $(head -n1 "$log" | cut -c1-160)"
	elif ! grep -qx 'TAP version 13' "$log"; then
		echo "not ok - qemu: the guest's /init never started (last console line: $last)"
	elif [ -z "$plan" ] || ! grep -qx '# init: done' "$log"; then
		echo "not ok - qemu: guest stopped before the end of its tests (last console line: $last)"
	elif [ "$plan" != "1..$ran" ]; then
		echo "not ok - qemu: plan $plan but $ran results"
	else
		echo "ok - qemu: $ran results, plan complete"
	fi
	# Kernel messages on the console (not the "# " lines relayed by /init).
	found=$(grep -vE '^# ' "$log" | grep -E "$splat" | head -n 5 || true)
	if [ -n "$found" ]; then
		echo "not ok - console: kernel splat"
		echo "$found" | sed 's/^/# /'
	else
		echo "ok - console: no kernel splat (config/splat-patterns)"
	fi
}
results | "$TOP/scripts/tap.sh" "$tap"

failed=$(grep -c '^not ok' "$tap" || true)
echo "$name: $(grep -c '^ok' "$tap") ok, $failed not ok (${tap#$TOP/})"
[ "$failed" = 0 ]
exit
}
