# scripts/lib.sh: shared by every step script (sourced, not run).
# Env overrides: BUILD (default: <repo>/build), FORCE=1, JOBS (default: nproc).

TOP=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD:=$TOP/build}"
: "${JOBS:=$(nproc)}"
LINUX=$BUILD/linux		# git work tree: base + series
# kernel objects, headers, selftests (O=); the debug kernel overrides it
: "${KOBJ:=$BUILD/kernel}"
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
