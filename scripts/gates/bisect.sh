#!/bin/sh
# bisect gate: every prefix of the series (each commit of base..HEAD in
# build/BASE/linux) builds, incrementally, in build/BASE/gates/head/{linux,kernel}:
#   - the kernel exactly as `make kernel` builds it (scripts/kernel.sh: the
#     harness config, Image, uapi headers), when the commit changes anything
#     outside Documentation/ and tools/ (and always for the first commit);
#   - the aarch64 KVM selftests as `make selftests` does (scripts/selftests.sh,
#     its compat shims included) from the first commit that touches tools/ on.
# A compiler warning in a kernel file the commit changes (or, for the first
# commit, anywhere) fails the prefix too, as it would for the 0-day robot.
# Logs: build/logs/gates-BASE/bisect/NN-<commit>.log.
set -eu
. "$(dirname "$0")/lib.sh"

need_tree bisect
out=$GLOGS/bisect
rm -rf "$out"; mkdir -p "$out"
commits=$(git -C "$LINUX" rev-list --reverse "$BASE_REV..$HEAD_REV")
total=$(echo "$commits" | wc -l)
i=0 tools=0 bad=
for c in $commits; do
	i=$((i + 1))
	subj=$(git -C "$LINUX" log -1 --format=%s "$c")
	log=$out/$(printf %02d "$i")-$(git -C "$LINUX" rev-parse --short=12 "$c").log
	files=$(git -C "$LINUX" diff-tree --no-commit-id --name-only -r "$c")
	echo "$files" | grep -q '^tools/' && tools=1
	kernel=0
	[ "$i" = 1 ] && kernel=1
	echo "$files" | grep -qvE '^(Documentation|tools)/' && kernel=1
	what=
	[ "$kernel" = 1 ] && what="kernel"
	[ "$tools" = 1 ] && what="${what:+$what + }selftests"
	t=$(date +%s)
	tree_at head "$c"
	rc=0
	(
		echo "## $i/$total $c $subj"
		echo "## changes: $(echo "$files" | tr '\n' ' ')"
		unset KOBJ FRAGMENTS
		if [ "$kernel" = 1 ]; then BASE_BUILD=$GATES/head sh "$TOP/scripts/kernel.sh" || exit 1; fi
		if [ "$tools" = 1 ]; then BASE_BUILD=$GATES/head sh "$TOP/scripts/selftests.sh" || exit 2; fi
		exit 0
	) >"$log" 2>&1 || rc=$?
	status=ok
	case $rc in
	0) ;;
	1) status="kernel build FAILED" ;;
	*) status="selftests build FAILED" ;;
	esac
	if [ "$rc" = 0 ] && [ "$kernel" = 1 ]; then
		# Kernel compiler warnings (the selftests' own are not gated).
		sed -n '/^==> kernel:/,/^<== kernel:/p' "$log" | grep -E ': warning: ' | norm | sort -u >"$out/warnings"
		if [ "$i" != 1 ]; then
			echo "$files" | sed 's/[.[\*^$]/\\&/g; s/^/^/; s/$/: /' >"$out/pattern"
			grep -f "$out/pattern" "$out/warnings" >"$out/w" || true
			mv "$out/w" "$out/warnings"
		fi
		[ ! -s "$out/warnings" ] || status="$(grep -c . "$out/warnings") compiler warnings"
		rm -f "$out/pattern"
	fi
	printf '%2d/%d %s %-24s %4ss  %s\n' "$i" "$total" "$(git -C "$LINUX" rev-parse --short=12 "$c")" \
		"${what:-nothing to build}" "$(( $(date +%s) - t ))" "$status"
	if [ "$status" != ok ]; then
		echo "    $subj"
		if [ -s "$out/warnings" ]; then sed 's/^/    /' "$out/warnings"; else tail -n 15 "$log" | sed 's/^/    /'; fi
		bad="${bad:+$bad, }$i/$total $(git -C "$LINUX" rev-parse --short=12 "$c")"
	fi
	rm -f "$out/warnings"
done
[ -z "$bad" ] || fail "bisect: $(echo "$bad" | tr ',' '\n' | wc -l) of $total prefixes fail: $bad (build/logs/gates-$BASE/bisect/)"
pass "bisect: all $total prefixes build (kernel Image + headers; selftests from the first tools/ change)"
