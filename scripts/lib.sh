# scripts/lib.sh: shared by every step script (sourced, not run).
# Env overrides: BASE (6.12 or 6.1, default 6.12), BUILD (default:
# <repo>/build), BASE_BUILD (default: $BUILD/$BASE), KOBJ, FORCE=1, JOBS
# (default: nproc).
#
# Per base: build/$BASE/linux (git tree: Debian's linux-source-$BASE, tag
# "base", + patches/$BASE/), build/$BASE/kernel (objects, headers,
# selftests: O=), build/$BASE/kernel-debug; results stay in build/results.

# TOP from this file's own path: bash gives it; for sh (dash), walk up from
# the script's directory to the one holding scripts/lib.sh.
if [ -n "${BASH_SOURCE:-}" ]; then
	TOP=$(cd "$(dirname "$BASH_SOURCE")/.." && pwd)
else
	TOP=$(cd "$(dirname "$0")" && pwd)
	while [ ! -f "$TOP/scripts/lib.sh" ] && [ "$TOP" != / ]; do TOP=$(dirname "$TOP"); done
fi
: "${BUILD:=$TOP/build}"
: "${JOBS:=$(nproc)}"
: "${BASE:=6.12}"; export BASE
case $BASE in 6.12|6.1) ;; *) echo "error: BASE=$BASE: 6.12 or 6.1" >&2; exit 2 ;; esac
# this base's build dir (the bisect gate points it at its own trees)
: "${BASE_BUILD:=$BUILD/$BASE}"
LINUX=$BASE_BUILD/linux		# git work tree: base + series
PATCHES_DIR=$TOP/patches/$BASE	# the series: 0000-cover-letter.patch, NNNN-*.patch
TARBALL=/usr/src/linux-source-$BASE.tar.xz
PACKAGE=linux-source-$BASE
# kernel objects, headers, selftests (O=); the debug kernel overrides it
: "${KOBJ:=$BASE_BUILD/kernel}"
export LC_ALL=C

die() { echo "error: $*" >&2; exit 1; }

# step NAME WHAT...: announce a long step; its end (or failure) prints the time.
step() {
	STEP=$1; shift
	STEP_T0=$(date +%s)
	echo "==> $STEP: $*"
	trap 'rc=$?; [ $rc -eq 0 ] && r=done || r="FAILED (exit $rc)";
	      echo "<== $STEP: $r in $(( $(date +%s) - STEP_T0 ))s"' EXIT
}

# series: the patch files of this base's series, in order (may be none).
series() { ls "$PATCHES_DIR"/[0-9][0-9][0-9][0-9]-*.patch 2>/dev/null | grep -v /0000-cover-letter.patch$ || true; }

# kmake SRC OBJ ARGS...: the one way the harness runs the kernel's make:
# arm64 cross build of SRC into OBJ with ccache. Paths below the repo are
# hashed relative (CCACHE_BASEDIR), so trees laid out as .../linux and
# .../kernel side by side share the cache, across clones too.
kmake() {
	_src=$1 _obj=$2; shift 2
	CCACHE_BASEDIR=${CCACHE_BASEDIR:-$TOP} make -C "$_src" O="$_obj" ARCH=arm64 \
		CROSS_COMPILE=aarch64-linux-gnu- CC="ccache aarch64-linux-gnu-gcc" \
		HOSTCC="ccache gcc" -j"$JOBS" "$@"
}

# kconfig SRC OBJ FRAGMENT...: allnoconfig with the fragments (repo-relative
# paths, merged in order), then each fragment's per-base lines
# (config/NAME.config -> config/NAME-$BASE.config, where there is one), in
# OBJ; the .config keeps its timestamp when nothing changed, so make has
# nothing to redo.
kconfig() {
	_src=$1 _obj=$2; shift 2
	mkdir -p "$_obj"
	for _f do
		_b=${_f%.config}-$BASE.config
		[ ! -f "$TOP/$_b" ] || set -- "$@" "$_b"
	done
	(cd "$TOP" && cat "$@") >"$_obj/.fragments"
	[ ! -f "$_obj/.config" ] || cp -p "$_obj/.config" "$_obj/.config.prev"
	KCONFIG_ALLCONFIG=$_obj/.fragments kmake "$_src" "$_obj" -s allnoconfig >/dev/null
	if [ -f "$_obj/.config.prev" ] && cmp -s "$_obj/.config.prev" "$_obj/.config"; then
		touch -r "$_obj/.config.prev" "$_obj/.config"
	fi
	rm -f "$_obj/.config.prev"
}

# worktree DIR REV: DIR a detached, clean git worktree of $LINUX at REV
# (made again when $LINUX was re-extracted; files unchanged since the last
# checkout keep their mtime, so make stays incremental).
worktree() {
	if ! git -C "$1" rev-parse -q --verify HEAD >/dev/null 2>&1 ||
	   [ "$(git -C "$1" rev-parse --git-common-dir 2>/dev/null)" != "$(git -C "$LINUX" rev-parse --absolute-git-dir)" ]; then
		rm -rf "$1"
		git -C "$LINUX" worktree prune
		mkdir -p "$(dirname "$1")"
		git -C "$LINUX" worktree add -q --detach "$1" "$2"
	fi
	git -C "$1" checkout -q -f --detach "$2"
	git -C "$1" clean -q -fdx
}
