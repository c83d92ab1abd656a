#!/bin/sh
# tree.sh: make build/$BASE/linux a git tree of Debian's linux-source-$BASE
# (commit tagged "base") with every patches/$BASE/NNNN-*.patch applied by
# `git am`, in order (none: the stock kernel). Warns when the installed
# package is not the version patches/$BASE/base-version pins.
# Cheap when nothing changed; refuses to drop unexported work unless FORCE=1.
set -eu
{ # read whole before running, so editing this file during a run is safe
. "$(dirname "$0")/lib.sh"

usage() { echo "usage: $0   (env: BASE, BUILD, FORCE=1)" >&2; exit 2; }
[ $# -eq 0 ] || usage
: "${FORCE:=0}"
T=${LINUX#$TOP/}

pin=$PATCHES_DIR/base-version
tested=$(sed -n 1p "$pin" 2>/dev/null || echo none)
installed=$(dpkg-query -W -f='${Version}' "$PACKAGE" 2>/dev/null || echo none)
[ "$installed" != none ] && [ -f "$TARBALL" ] || die "$PACKAGE is not installed (make deps)"
[ "$installed" = "$tested" ] || echo "warning: series last tested on $PACKAGE" \
	"$tested (${pin#$TOP/}), installed: $installed" >&2

want="$installed $(cat $(series) /dev/null | sha256sum | cut -c1-16)"
git() { command git -C "$LINUX" "$@"; }
stamp=$LINUX/.git/harness-series	# "<version> <hash of series>" then HEAD it produced

# Is the tree, as the user left it, what patches/ says?
if [ -f "$stamp" ]; then
	head=$(git rev-parse HEAD)
	if [ "$(sed -n 1p "$stamp")" = "$want" ] && [ "$(sed -n 2p "$stamp")" = "$head" ] &&
	   [ -z "$(git status --porcelain)" ]; then
		echo "tree: $T is up to date ($(git rev-list --count base..HEAD) patches on base)"
		exit 0
	fi
	if [ "$FORCE" != 1 ]; then
		[ -z "$(git status --porcelain)" ] || die "$T has uncommitted changes;" \
			"commit them and run 'make export BASE=$BASE', or rerun with FORCE=1 to drop them"
		if [ "$(sed -n 2p "$stamp")" != "$head" ] && [ "$head" != "$(git rev-parse base)" ]; then
			tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
			sh "$TOP/scripts/export.sh" --to "$tmp" >/dev/null
			n=$(ls "$tmp" | grep -vc cover-letter) m=$(series | wc -l)
			[ "$n" -eq "$m" ] || die "$T has $n commits after base," \
				"patches/$BASE/ has $m patches; run 'make export BASE=$BASE' first, or FORCE=1"
			for p in $(series); do cmp -s "$p" "$tmp/${p##*/}" || die "$T's" \
				"commits differ from patches/$BASE/ (${p##*/}); run 'make export BASE=$BASE' first, or FORCE=1"; done
			echo "tree: $T already holds the series"
			printf '%s\n%s\n' "$want" "$head" >"$stamp"
			exit 0
		fi
	fi
fi

step tree "$PACKAGE $installed + $(series | wc -l) patches into $T"
if [ "$(cat "$LINUX/.git/harness-base" 2>/dev/null)" != "$installed" ]; then
	echo "extracting $TARBALL"
	rm -rf "$LINUX"; mkdir -p "$LINUX"
	tar -xJf "$TARBALL" -C "$LINUX" --strip-components=1
	# Debian's .gitignore ends with a stanza ignoring everything at the top level.
	sed -i '/^# Debian packaging: ignore everything/,$d' "$LINUX/.gitignore"
	sed -i '${/^#$/d}' "$LINUX/.gitignore"
	git init -q -b master
	git add -A -f	# all of the tarball, even what its .gitignore files match
	# Fixed identity and dates: the base commit has the same hash on every machine.
	GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
		git -c user.name="Debian $PACKAGE" -c user.email=linux-source@debian.invalid \
		commit -q -m "Linux $installed (Debian $PACKAGE)"
	git tag -f base >/dev/null
	echo "$installed" >"$LINUX/.git/harness-base"
else
	[ -d "$LINUX/.git/rebase-apply" ] && git am --abort
	# Files the old series touched get their mtimes back below if their
	# content comes out the same, so the kernel build redoes only real changes.
	prev=$(git rev-parse HEAD)
	if [ -z "$(git status --porcelain)" ]; then
		git diff --name-only base "$prev" | while read -r f; do
			[ ! -f "$LINUX/$f" ] || echo "$(stat -c %.9Y "$LINUX/$f") $f"
		done >"$LINUX/.git/harness-mtimes"
	fi
	git checkout -q -f -B master base
	git clean -q -fdx
fi

printf '%s\nFAILED\n' "$want" >"$stamp"
git config user.email >/dev/null || export GIT_COMMITTER_NAME="Harness Bot" \
	GIT_COMMITTER_EMAIL=harness@example.com
for p in $(series); do
	echo "applying ${p#$TOP/}"
	git am -q "$p" || { git am --abort; die "patch does not apply: ${p#$TOP/}"; }
	# The history between its "---" and the diffstat (export.sh) becomes
	# the commit's note again, so that an export from this tree keeps it.
	awk 'cut == 1 && /^ / || cut && /^$/ { exit }
	     cut { cut = 2; print } /^---$/ { cut = 1 }' "$p" >"$LINUX/.git/harness-note"
	# (a note is a commit of its own: it needs an author on a fresh machine too)
	[ ! -s "$LINUX/.git/harness-note" ] || git -c user.name="Harness Bot" \
		-c user.email=harness@example.com notes add -f -F "$LINUX/.git/harness-note" HEAD
	rm -f "$LINUX/.git/harness-note"
done
printf '%s\n%s\n' "$want" "$(git rev-parse HEAD)" >"$stamp"
if [ -s "$LINUX/.git/harness-mtimes" ]; then
	changed=$(git diff --name-only "$prev" HEAD)
	while read -r t f; do
		[ ! -f "$LINUX/$f" ] || echo "$changed" | grep -qxF "$f" || touch -d "@$t" "$LINUX/$f"
	done <"$LINUX/.git/harness-mtimes"
fi
rm -f "$LINUX/.git/harness-mtimes"
exit
}
