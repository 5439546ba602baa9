#!/bin/sh
# mk/deps.sh: make sure the Debian packages pry needs are installed.
# As root it installs what is missing with apt-get; otherwise it prints the
# exact command to run and exits 2. Quiet when everything is there.
set -u

PACKAGES="make gcc clang git libclang-rt-14-dev llvm afl++ libcbor-dev libnghttp2-dev patch python3 python3-yaml pkg-config gnuplot-nox zip unzip"

missing=""
for pkg in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "pry: missing packages:$missing" >&2
    echo "pry: install them with: sudo apt-get install -y$missing" >&2
    exit 2
fi
echo "pry: installing missing packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q $missing >/tmp/pry-apt.log 2>&1; then
    apt-get update -q >/tmp/pry-apt.log 2>&1
    if ! apt-get install -y -q $missing >>/tmp/pry-apt.log 2>&1; then
        echo "pry: apt-get install failed (log: /tmp/pry-apt.log)" >&2
        exit 2
    fi
fi
