#!/bin/sh
# checkpatch gate: build/BASE/linux's scripts/checkpatch.pl --strict on every
# patches/BASE/NNNN-*.patch (not the cover letter), default 100 columns. Every
# ERROR, WARNING and CHECK fails unless config/gates/checkpatch-exceptions-BASE
# lists it (patch file + message, exactly); an exception that matches nothing
# fails too, so the list stays exact.
set -eu
. "$(dirname "$0")/lib.sh"

need_tree checkpatch
exc=$TOP/config/gates/checkpatch-exceptions-$BASE
out=$GLOGS/checkpatch
rm -rf "$out"; mkdir -p "$out"
# spdxcheck.py (run by checkpatch for new files) needs python3-ply and
# python3-git; without them checkpatch prints a traceback and checks less.
python3 -c 'import ply, git' 2>/dev/null || fail "checkpatch: python3 lacks ply or git (python3-ply, python3-git)"

patches=$(ls "$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch | grep -v '/0000-cover-letter\.patch$') ||
	fail "checkpatch: no patches in ${PATCHES#$TOP/}/"
: >"$out/findings"
np=0 bad=0
for p in $patches; do
	np=$((np + 1)); f=${p##*/}
	# From the kernel tree: checkpatch finds its spelling list, const_structs
	# and spdxcheck there, and checks commit references against its git.
	(cd "$LINUX" && perl scripts/checkpatch.pl --strict -q --show-types "$p") \
		>"$out/$f.txt" 2>"$out/$f.err" || true
	# Anything on stderr (a traceback, a perl error) means a broken check.
	if [ -s "$out/$f.err" ]; then
		echo "$f: checkpatch wrote to stderr:"; sed 's/^/    /' "$out/$f.err"; bad=1
	fi
	# Findings: "WARNING:TYPE: message" -> "file | WARNING: message | TYPE"
	sed -nE 's/^(ERROR|WARNING|CHECK):([A-Z0-9_]+): (.*)$/\1: \3\t\2/p' "$out/$f.txt" |
		while IFS='	' read -r msg type; do printf '%s | %s | %s\n' "$f" "$msg" "$type"; done >>"$out/findings"
done

# Exceptions: "file | message | reason" -> "file | message".
exceptions "$exc" file message >"$out/exceptions" || fail "checkpatch: malformed ${exc#$TOP/}"

errors=$(grep -c ' | ERROR: ' "$out/findings" || true)
warnings=$(grep -c ' | WARNING: ' "$out/findings" || true)
checks=$(grep -c ' | CHECK: ' "$out/findings" || true)
excepted=0 unexpected=0
while IFS= read -r line; do
	key=${line% | *}
	if grep -qxF "$key" "$out/exceptions"; then
		echo "excepted: $line"; excepted=$((excepted + 1))
	else
		echo "FINDING:  $line"; unexpected=$((unexpected + 1))
		# Show checkpatch's context for it.
		text=${key#* | }; grep -A4 -F ": ${text#*: }" "$out/${key%% | *}.txt" | sed 's/^/    /' | head -n 6
	fi
done <"$out/findings"
# A finding's key: "file | message", its line without " | TYPE".
sed 's/\(.*\) | .*/\1/' "$out/findings" >"$out/keys"
stale_exceptions "$out/exceptions" "$out/keys" finding >"$out/stale"
cat "$out/stale"
stale=$(grep -c . "$out/stale" || true)

sum="$np patches, $errors errors, $warnings warnings, $checks checks; $excepted excepted by ${exc#$TOP/}"
[ "$unexpected" = 0 ] && [ "$stale" = 0 ] && [ "$bad" = 0 ] ||
	fail "checkpatch: $sum; $unexpected not excepted, $stale stale exceptions (build/logs/gates-$BASE/checkpatch/)"
pass "checkpatch: $sum"
