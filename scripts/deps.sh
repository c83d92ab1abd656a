#!/bin/sh
# deps.sh [PACKAGE_LIST...]: install the Debian packages named in the list
# files (default config/packages) that are missing. Needs root for apt-get;
# otherwise prints the exact command and fails. A "pkg:arm64" line installs
# the arm64 build of pkg (dpkg --add-architecture arm64 first).
set -eu
. "$(dirname "$0")/lib.sh"

usage() { echo "usage: $0 [PACKAGE_LIST_FILE...]" >&2; exit 2; }
case "${1:-}" in -*) usage ;; esac
[ $# -gt 0 ] || set -- "$TOP/config/packages"
for f; do [ -r "$f" ] || usage; done

missing=
for p in $(sed 's/#.*//' "$@"); do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -n "$missing" ] || exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "Missing Debian packages:$missing" >&2
	case $missing in *:arm64*) arch="dpkg --add-architecture arm64 && " ;; *) arch= ;; esac
	echo "Run as root: ${arch}apt-get update && DEBIAN_FRONTEND=noninteractive $cmd" >&2
	exit 1
fi
step deps "installing$missing"
export DEBIAN_FRONTEND=noninteractive
# "pkg:arm64" (static arm64 libraries such as libfdt) needs Debian's
# multiarch: add the architecture once, then apt-get update sees it.
case $missing in *:arm64*)
	dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64 ;;
esac
apt-get update -q
$cmd
