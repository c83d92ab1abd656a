# scripts/gates/lib.sh: shared by the quality gates (scripts/gates/*.sh).
#
# Per base (BASE): two private git worktrees of build/BASE/linux, each with
# its own O= dir laid out like build/BASE/{linux,kernel}, so that ccache
# (CCACHE_BASEDIR = repo) sees the same relative paths and shares objects
# with `make kernel`:
#   build/BASE/gates/base/{linux,kernel}   the pristine base (tag "base")
#   build/BASE/gates/head/{linux,kernel}   the series: each prefix (bisect), then HEAD
# Logs: build/logs/gates-BASE/<gate>/..., results: build/results/gates-BASE.tap.
# An empty series (no patch in patches/BASE/) passes every gate.
#

. "$(dirname "$0")/../lib.sh"
GATES=$BASE_BUILD/gates
GLOGS=$BUILD/logs/gates-$BASE
# The series as files, for checkpatch and codespell (selftest.sh points it
# at the mutated series).
: "${PATCHES:=$PATCHES_DIR}"
# Debian's tools (python3-ply, python3-git, sphinx) over any python3 earlier in PATH.
PATH=/usr/bin:/bin:$PATH; export PATH

# fail/pass MESSAGE: the gate's result line (last line of its output) and exit.
pass() { echo "ok - $*"; exit 0; }
fail() { echo "not ok - $*"; exit 1; }

# need_tree GATE: build/BASE/linux with its base tag; sets BASE_REV and
# HEAD_REV. An empty series passes the gate here (nothing to check).
need_tree() {
	[ -f "$LINUX/Makefile" ] && git -C "$LINUX" rev-parse -q --verify base >/dev/null 2>&1 ||
		fail "$1: no kernel tree with a base tag in ${LINUX#$TOP/}; run 'make tree BASE=$BASE'"
	BASE_REV=$(git -C "$LINUX" rev-parse base)
	HEAD_REV=$(git -C "$LINUX" rev-parse HEAD)
	if [ "$BASE_REV" = "$HEAD_REV" ]; then
		[ -z "$(series)" ] || fail "$1: ${LINUX#$TOP/} has no commits after base but patches/$BASE/ has patches"
		pass "$1: empty series on $BASE (patches/$BASE/ holds no patch), nothing to check"
	fi
}

# tree_at NAME REV: the worktree build/BASE/gates/NAME/linux checked out at
# REV (scripts/lib.sh: worktree). Prints nothing.
tree_at() { worktree "$GATES/$1/linux" "$2"; }

# kmake_at NAME ARGS...: make in build/BASE/gates/NAME/linux, O=.../NAME/kernel.
kmake_at() { _n=$1; shift; kmake "$GATES/$_n/linux" "$GATES/$_n/kernel" "$@"; }

# configure NAME: the harness's config (allnoconfig + config/kvm.config).
configure() { kconfig "$GATES/$1/linux" "$GATES/$1/kernel" config/kvm.config; }

# touched [PATHSPEC...]: files the series changes (base..HEAD), existing at HEAD.
touched() { git -C "$LINUX" diff --name-only --diff-filter=d "$BASE_REV" "$HEAD_REV" -- "$@"; }

# build_dirs: the kbuild directories the C gates (sparse, W=1) compile: each
# directory holding a touched .c/.S file, and arch/arm64/kvm/ (the users of
# the touched KVM and arm64 headers) when a header is touched; a directory
# below another listed one is built by it. GATE_DIRS overrides.
build_dirs() {
	if [ -n "${GATE_DIRS:-}" ]; then echo "$GATE_DIRS"; return; fi
	{
		touched | grep -E '\.[cS]$' | grep -vE '^(tools|Documentation|scripts|samples|usr)/' |
			sed 's|/[^/]*$|/|'
		touched | grep -qE '^(include|arch/arm64/include)/.*\.h$' && echo arch/arm64/kvm/
	} | sort -u | awk '{ for (i = 1; i <= n; i++) if (index($0, d[i]) == 1) next; d[++n] = $0; print }'
}

# norm: compiler/sparse/sphinx diagnostics -> "path: severity: text", one a
# diagnostic, without build-dir prefixes, line and column numbers, so base
# and series can be compared as sets.
norm() {
	sed -E -e "s@$GATES/(base|head)/linux/@@g; s@$GATES/(base|head)/kernel/@@g" \
		-e 's@^(\.\./)+linux/@@; s@^\./@@' \
		-e 's@^([^: ]+):[0-9]+(:[0-9]+)?: @\1: @' \
		-e 's@\(line [0-9]+\)@@g'
}

# kbuild_new GATE: the kbuild diagnostics of the build_dirs at base and at
# HEAD, and those HEAD has and base has not in $GLOGS/GATE/new.
#   w1:     `make W=1 DIRS` with the dirs' objects removed first, so every
#           file is compiled again (ccache replays cached warnings);
#   sparse: `make W=1 C=2 CHECK=sparse DIRS` after `make W=1 DIRS` (a no-op
#           right after the w1 gate): C=2 runs sparse on every file, built or
#           not, so the output holds sparse's diagnostics only, and no file
#           is compiled twice. sparse ignores the W=1 compiler flags (same
#           output as plain C=2 on this tree).
# Compared per file and text without line numbers: a .c file's diagnostics
# as multisets, a header's as sets (a header warns once per file that
# includes it, and the series may add includers).
# Raw outputs: $GLOGS/GATE/{base,head}.txt; exit 1 if a build fails.
kbuild_new() {
	_g=$1
	_out=$GLOGS/$_g
	rm -rf "$_out"; mkdir -p "$_out"
	: >"$_out/new"
	_dirs=$(build_dirs)
	[ -n "$_dirs" ] || return 0
	for _s in base head; do
		if [ $_s = base ]; then _r=$BASE_REV; else _r=$HEAD_REV; fi
		tree_at $_s "$_r"
		configure $_s
		if [ "$_g" = w1 ]; then
			for _d in $_dirs; do
				[ ! -d "$GATES/$_s/kernel/$_d" ] ||
					find "$GATES/$_s/kernel/$_d" -name '*.o' -delete
			done
			set -- W=1
		else
			kmake_at $_s -s -k W=1 $_dirs >"$_out/$_s.build.txt" 2>&1 || {
				echo "make W=1 $(echo $_dirs) failed at $_s:"; grep -E 'error|Error' "$_out/$_s.build.txt" | head -n 20
				return 1; }
			set -- W=1 C=2 CHECK=sparse
		fi
		if ! kmake_at $_s -s -k "$@" $_dirs >"$_out/$_s.txt" 2>&1; then
			echo "make $* $(echo $_dirs) failed at $_s:"; grep -E 'error|Error' "$_out/$_s.txt" | head -n 20
			return 1
		fi
		grep -E ': (warning|error): ' "$_out/$_s.txt" | norm >"$_out/$_s.norm" || true
		{ grep -vE '^[^:]+\.h: ' "$_out/$_s.norm" | sort; grep -E '^[^:]+\.h: ' "$_out/$_s.norm" | sort -u; } |
			sort >"$_out/$_s.keys"
	done
	comm -23 "$_out/head.keys" "$_out/base.keys" >"$_out/new"
}

# kbuild_gate GATE HOW: the w1 and sparse gates' verdict: kbuild_new GATE,
# then fail with the new diagnostics or pass, HOW ("W=1", "C=2") naming
# the build in the result line.
kbuild_gate() {
	_kd=$(build_dirs)
	[ -n "$_kd" ] || pass "$1: the series touches no kernel-built directory"
	kbuild_new "$1" || fail "$1: a build failed (build/logs/gates-$BASE/$1.log)"
	_kn=$(cat "$GLOGS/$1/new")
	_kb=$(grep -c . "$GLOGS/$1/base.keys" || true)
	if [ -n "$_kn" ]; then
		echo "$_kn" | sed 's/^/    /'
		fail "$1: $(echo "$_kn" | wc -l) new diagnostics in $(echo $_kd) ($_kb at base)"
	fi
	pass "$1: $2 over $(echo $_kd): no new diagnostic ($_kb already at base)"
}

# exceptions FILE FIELD...: the keys of an exceptions file (config/gates/*-
# exceptions-BASE), one a line. Each line of FILE is "KEY1 | ... | KEYn |
# reason", one KEY a FIELD named (e.g. "file message"), fields split at a
# "|" with blanks around it; it gives "KEY1 | ... | KEYn", each KEY without
# surrounding blanks. Comments (#) and blank lines are skipped; no FILE, no
# keys. A line with an empty KEY or no reason: "FILE:LINE: malformed
# exception (need FIELD | ... | reason): LINE" on stderr, every such line,
# and exit 1.
exceptions() {
	[ -f "$1" ] || return 0
	_ef=$1; shift
	awk -F '[ \t]+[|]([ \t]+|$)' -v file="${_ef#$TOP/}" -v need="$*" '
		BEGIN { n = split(need, name, " "); need = ""
			for (i = 1; i <= n; i++) need = need name[i] " | "; need = need "reason" }
		/^[ \t]*(#|$)/ { next }
		{	key = ""; ok = NF > n
			for (i = 1; i <= n + 1 && ok; i++) {
				f = $i; sub(/^[ \t]+/, "", f); sub(/[ \t]+$/, "", f)
				if (f == "") ok = 0
				else if (i <= n) key = key (i > 1 ? " | " : "") f
			}
			if (!ok) { print file ":" NR ": malformed exception (need " need "): " $0 > "/dev/stderr"; bad = 1; next }
			print key }
		END { exit bad }' "$_ef"
}

# stale_exceptions KEYS FOUND WHAT: the exceptions never used: each line of
# KEYS (exceptions' output) that no line of FOUND (the gate's findings,
# as the same keys) equals, as "STALE exception (matches no WHAT): KEY".
stale_exceptions() {
	grep -vxF -f "$2" "$1" | sed "s/^/STALE exception (matches no $3): /"
}
