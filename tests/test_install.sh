#!/usr/bin/env bash
# tests/test_install.sh: `make install` and using the installed kit from
# another project (examples/outoftree, copied out of the tree first).
#
#   - make install PREFIX=... puts libpry.a, pry.h, pry.pc and the pry
#     command under the prefix; DESTDIR stages it without changing pry.pc's
#     prefix;
#   - pkg-config finds it (PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig) with the
#     header's version;
#   - the example builds with `pkg-config --cflags --libs pry` alone, and
#     its properties pass in random mode (--seed 1 --runs 2000, exit 0);
#   - the example with its planted bug (-DEXAMPLE_BUG) fails (exit 1) with
#     a typed counterexample;
#   - the same property file links against libFuzzer with the installed
#     library and fuzzes briefly.
#
# Needs build/plain/libpry.a (make plain; make test builds it first).
# Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh
REPO=$PWD

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v pkg-config >/dev/null; then
    out="pkg-config is not installed: sudo apt-get install -y pkg-config (it belongs in mk/deps.sh)"
    expect "pkg-config is installed" false
    summary
fi
out="build/plain/libpry.a is missing: run 'make plain' (or make test) first"
expect "build/plain/libpry.a exists" test -f build/plain/libpry.a
[ -f build/plain/libpry.a ] || summary

P=$tmp/prefix
out=$(make --no-print-directory install PREFIX="$P" 2>&1)
rc=$?
expect "make install PREFIX=\$tmp/prefix exits 0" test "$rc" = 0
[ "$rc" = 0 ] || summary # nothing below can work
expect "installs lib/libpry.a" test -f "$P/lib/libpry.a"
expect "installs include/pry.h (the same header)" cmp -s "$P/include/pry.h" generators/pry.h
expect "installs lib/pkgconfig/pry.pc" test -f "$P/lib/pkgconfig/pry.pc"
out="bin/pry not installed: the Makefile's install target does not install the wrapper"
expect "installs the pry command (bin/pry)" test -x "$P/bin/pry"
if [ -x "$P/bin/pry" ]; then
    out=$(cd "$tmp" && "$P/bin/pry" help 2>&1)
    expect "installed pry runs from anywhere (pry help exits 0, prints the usage)" \
        sh -c "cd '$tmp' && '$P/bin/pry' help | grep -q 'usage:'"
fi

export PKG_CONFIG_PATH=$P/lib/pkgconfig
out=$(pkg-config --cflags --libs pry 2>&1)
expect "pkg-config --cflags --libs pry: the prefix's include and lib folders, -lpry" \
    sh -c "printf '%s' \"\$1\" | grep -q -- '-I$P/include' && printf '%s' \"\$1\" | grep -q -- '-L$P/lib' && printf '%s' \"\$1\" | grep -q -- '-lpry'" _ "$out"
hv=$(sed -n 's/^#define PRY_VERSION "\(.*\)"/\1/p' generators/pry.h)
out="pkg-config: $(pkg-config --modversion pry 2>&1), pry.h: $hv"
expect "pry.pc's version is pry.h's PRY_VERSION ($hv)" test "$(pkg-config --modversion pry)" = "$hv"

# DESTDIR: staged files, pry.pc still says the real prefix.
out=$(make --no-print-directory install DESTDIR="$tmp/stage" PREFIX=/opt/pry 2>&1)
expect "make install DESTDIR=... PREFIX=/opt/pry exits 0" test $? = 0
expect "DESTDIR stages under \$DESTDIR\$PREFIX, pry.pc keeps prefix=/opt/pry" \
    sh -c "test -f '$tmp/stage/opt/pry/lib/libpry.a' && grep -qx 'prefix=/opt/pry' '$tmp/stage/opt/pry/lib/pkgconfig/pry.pc'"

# The example, as its own project, nowhere near pry's source tree.
E=$tmp/myproject
cp -R examples/outoftree "$E"
rm -f "$E/rle_props"
out=$(make --no-print-directory -C "$E" PREFIX="$P" 2>&1)
expect "example builds against the installed kit with pkg-config" test -x "$E/rle_props"
out=$(grep -n "$REPO\|generators/\|\.\./" "$E/Makefile" || true)
expect "example's Makefile does not refer to pry's source tree" test -z "$out"
out=$(cd "$E" && ./rle_props --list 2>&1)
expect "example lists its properties (roundtrip, decode_total)" \
    sh -c "printf '%s\n' \"\$1\" | grep -q '/roundtrip$' && printf '%s\n' \"\$1\" | grep -q '/decode_total$'" _ "$out"
out=$(cd "$E" && ./rle_props --seed 1 --runs 2000 2>&1)
expect "example passes in random mode (--seed 1 --runs 2000, exit 0)" test $? = 0
out=$(make --no-print-directory -C "$E" PREFIX="$P" check 2>&1)
expect "example's make check passes" test $? = 0

# The planted bug: runs of 256 or more wrap the 8-bit count.
make --no-print-directory -C "$E" clean >/dev/null 2>&1
out=$(make --no-print-directory -C "$E" PREFIX="$P" EXTRA=-DEXAMPLE_BUG 2>&1)
expect "example builds with -DEXAMPLE_BUG" test -x "$E/rle_props"
out=$(cd "$E" && ./rle_props --seed 1 --runs 2000 2>&1)
rc=$?
expect "planted bug: random mode fails with exit 1 (got $rc)" test "$rc" = 1
expect "planted bug: the counterexample is printed typed (roundtrip, a run of 256+)" \
    sh -c "printf '%s\n' \"\$1\" | grep -q 'roundtrip' && printf '%s\n' \"\$1\" | grep -qE 'run = (2[5-9][0-9]|[3-9][0-9][0-9])'" _ "$out"
out=$(make --no-print-directory -C "$E" PREFIX="$P" EXTRA=-DEXAMPLE_BUG check 2>&1)
expect "planted bug: make check fails" test $? != 0

# libFuzzer, with the installed library (its LLVMFuzzerTestOneInput).
if command -v clang >/dev/null; then
    # shellcheck disable=SC2046 # pkg-config prints flag lists
    out=$(cd "$E" && clang -std=c11 -g -O1 -fsanitize=fuzzer,address $(pkg-config --cflags pry) \
        rle_props.c rle.c $(pkg-config --libs pry) -o rle_fuzz 2>&1)
    expect "example links against libFuzzer with the installed libpry" test -x "$E/rle_fuzz"
    out=$(cd "$E" && PRY_TEST=roundtrip ./rle_fuzz -seed=1 -runs=2000 2>&1)
    expect "example fuzzes under libFuzzer (2000 runs, exit 0)" test $? = 0
fi

summary
