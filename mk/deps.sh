#!/bin/sh
# mk/deps.sh: make sure the Debian packages pry needs are installed.
# As root it installs what is missing with apt-get; otherwise it prints the
# exact command to run and exits 2. Quiet when everything is there.
set -u

# cmake and dpkg-dev: libraries built from source (mk/extlib.sh; apt-get
# source needs dpkg-source); libjansson-dev: the jansson harness's
# EXTLIB=system build, against Debian's binary package; git: the GNU patch
# differential suite diffs trees with git diff.
PACKAGES="make gcc clang git libclang-rt-14-dev llvm afl++ libcbor-dev libnghttp2-dev patch python3 python3-yaml pkg-config gnuplot-nox zip unzip cmake dpkg-dev libjansson-dev"

missing=""
for pkg in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done
if [ -z "$missing" ]; then
    # deb-src lines for the harnesses built from Debian source packages.
    exec sh "$(dirname "$0")/debsrc.sh"
fi

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
exec sh "$(dirname "$0")/debsrc.sh"
