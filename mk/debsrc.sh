#!/bin/sh
# mk/debsrc.sh: make `apt-get source` work, for harnesses whose library
# comes from a Debian source package (EXT_<name>_SRC := deb:PACKAGE, see
# docs/building.md). Debian 12's images list only binary packages in
# /etc/apt/sources.list.d/debian.sources (deb822 format, "Types: deb");
# this adds the same archives as "Types: deb-src" in a file of its own and
# fetches their Sources indexes once. Idempotent and quiet when done.
# As root it does the work; otherwise it prints the command and exits 2.
set -u

LIST=/etc/apt/sources.list.d/debian.sources
OURS=/etc/apt/sources.list.d/pry-deb-src.sources

# Done already: some Sources index is in apt's lists (our file, or the
# machine's own deb-src lines).
if ls /var/lib/apt/lists/*_Sources* >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "pry: apt-get source needs deb-src lines; run as root: sudo sh mk/debsrc.sh" >&2
    exit 2
fi
if [ -f "$LIST" ]; then
    # deb822: every stanza of the binary list, with its Types line rewritten.
    sed 's/^Types:.*/Types: deb-src/' "$LIST" >"$OURS.tmp" && mv "$OURS.tmp" "$OURS"
elif grep -qs '^deb ' /etc/apt/sources.list; then
    # One-line format (older Debian, Ubuntu images such as OSS-Fuzz's).
    OURS=/etc/apt/sources.list.d/pry-deb-src.list
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list >"$OURS"
else
    echo "pry: no $LIST or /etc/apt/sources.list to derive deb-src lines from; add one and run apt-get update" >&2
    exit 2
fi
echo "pry: added $OURS (deb-src), running apt-get update" >&2
if ! apt-get update -q >/tmp/pry-apt.log 2>&1; then
    echo "pry: apt-get update failed (log: /tmp/pry-apt.log)" >&2
    exit 2
fi
