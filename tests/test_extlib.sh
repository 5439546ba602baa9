#!/usr/bin/env bash
# test_extlib.sh: libraries built from source (mk/extlib.sh, mk/extlib.mk).
#  1. jansson, from Debian's source package through its own CMake build,
#     carries each variant's instrumentation (ASan/UBSan hooks,
#     SanitizerCoverage's counters or guards, AFL++'s cmplog hooks) and is
#     linked statically into the harness; the plain build carries none.
#  2. A stand-in library (tests/extlib/fletcher) with a Makefile and a
#     CMakeLists.txt: the build system is detected (or forced), the
#     variant's flags reach the objects, an unchanged tree is not rebuilt,
#     a changed one is, and so are changed flags.
#  3. EXTLIB=system links Debian's binary libjansson instead (make, ./pry).
#  4. Bad sources fail with one line and exit 2.
# The plain, asan, afl and libfuzzer builds come from `make test`.
set -u
cd "$(dirname "$0")/.."
source tests/lib.sh
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# Under build/.lock, as ./pry builds (wrapper/prylib/build.py): the
# workflow test's ./pry ci may build build/afl-cmplog/ beside this suite.
mkdir -p build
BUILD="flock build/.lock make -s --no-print-directory -f mk/build.mk HARNESS=jansson"

# ---- 1. jansson, per variant ----
$BUILD VARIANT=afl-cmplog >"$T/cmplog.log" 2>&1
for v in asan afl afl-cmplog libfuzzer; do
    a=build/$v/ext/jansson/lib/libjansson.a
    out=$(bash mk/extlib.sh instrumented "$v" "$a" 2>&1)
    expect "jansson built for $v carries the $v instrumentation" test $? = 0
done
out=$(nm -A build/libfuzzer/ext/jansson/lib/libjansson.a 2>&1)
expect "jansson for libfuzzer: -fsanitize=fuzzer-no-link's comparison hooks" grep -q __sanitizer_cov_trace_cmp <<<"$out"
out=$(bash mk/extlib.sh instrumented asan build/plain/ext/jansson/lib/libjansson.a 2>&1)
expect "jansson built plain carries no ASan (the check tells builds apart)" test $? != 0
expect "the check names what is missing" grep -q "lacks the asan instrumentation" <<<"$out"
out=$(grep -E 'CMAKE_C_COMPILER:|CMAKE_C_FLAGS:' build/libfuzzer/ext/jansson/build/CMakeCache.txt)
expect "jansson was configured by CMake with clang and -fsanitize=fuzzer-no-link" \
    grep -q -- '-fsanitize=fuzzer-no-link' <<<"$out"
expect "jansson's build is static (no shared object installed)" \
    test -z "$(find build/asan/ext/jansson/lib -name '*.so*')"
for v in plain asan afl libfuzzer; do
    out=$(nm build/$v/jansson 2>&1)
    expect "build/$v/jansson has jansson linked in (json_loadb defined)" grep -q ' T json_loadb$' <<<"$out"
    out=$(ldd build/$v/jansson 2>&1)
    expect "build/$v/jansson does not load Debian's libjansson.so" bash -c "! grep -q libjansson <<<\"\$0\"" "$out"
done
# libFuzzer's edge counters: jansson's own (one byte each in the
# archive's __sancov_cntrs sections) are among those the binary loads.
lib_edges=$(size -A build/libfuzzer/ext/jansson/lib/libjansson.a | awk '$1 == "__sancov_cntrs" { s += $2 } END { print s + 0 }')
out=$(build/libfuzzer/jansson -runs=0 2>&1)
bin_edges=$(grep -oE 'Loaded 1 modules +\([0-9]+ inline 8-bit counters' <<<"$out" | grep -oE '[0-9]+ inline' | cut -d' ' -f1)
expect "libFuzzer sees jansson's $lib_edges edges (it loads ${bin_edges:-no} counters)" \
    test "$lib_edges" -gt 1000 -a "${bin_edges:-0}" -ge "$lib_edges"
# Unchanged source and flags: once up to date, make relinks nothing.
$BUILD VARIANT=asan >"$T/asan.log" 2>&1
before=$(stat -c %Y build/asan/ext/jansson/lib/libjansson.a build/asan/jansson)
out=$($BUILD VARIANT=asan 2>&1)
expect "a second make rebuilds nothing" test "$(stat -c %Y build/asan/ext/jansson/lib/libjansson.a build/asan/jansson)" = "$before"
expect "and says nothing" test -z "$out"

# ---- 2. the stand-in: detection, flags, rebuilds ----
SRC=$T/fletcher
cp -a tests/extlib/fletcher "$SRC"
SAN="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all"
build_fletcher() { # build_fletcher SYSTEM PREFIX
    EXT_VARIANT=asan EXT_CC=clang EXT_CFLAGS="$SAN" EXT_BUILD=$1 EXT_ARGS= \
        bash mk/extlib.sh build fletcher "$SRC" "$2" libfletcher.a
}
for sys in cmake make; do
    P=$T/out-$sys
    out=$(build_fletcher $sys "$P" 2>&1)
    expect "fletcher ($sys): builds" test $? = 0
    out=$(bash mk/extlib.sh instrumented asan "$P/lib/libfletcher.a" 2>&1)
    expect "fletcher ($sys): the variant's flags reach the objects" test $? = 0
    expect "fletcher ($sys): the header is installed" test -f "$P/include/fletcher.h"
    expect "fletcher ($sys): the source tree is left alone" test -z "$(cd "$SRC" && ls | grep -v -E '^(fletcher\.[ch]|Makefile|CMakeLists\.txt)$')"
    m1=$(stat -c %Y "$P/lib/libfletcher.a")
    sleep 1.1 # mtimes: one second apart at least
    out=$(build_fletcher $sys "$P" 2>&1)
    expect "fletcher ($sys): an unchanged tree is not rebuilt" test "$(stat -c %Y "$P/lib/libfletcher.a")" = "$m1"
    echo "/* changed */" >>"$SRC/fletcher.c"
    out=$(build_fletcher $sys "$P" 2>&1)
    expect "fletcher ($sys): a changed source is rebuilt" test "$(stat -c %Y "$P/lib/libfletcher.a")" != "$m1"
    expect "fletcher ($sys): and says so" grep -q "pry: building fletcher ($sys, asan)" <<<"$out"
done
# lz4's layout: a top-level Makefile that builds lib/, the header beside
# the archive there.
L=$T/fletcher-lib
mkdir -p "$L/lib" && cp tests/extlib/fletcher/fletcher.[ch] tests/extlib/fletcher/Makefile "$L/lib/"
printf 'all:\n\t$(MAKE) -C lib\n' >"$L/Makefile"
out=$(EXT_VARIANT=plain EXT_CC=cc EXT_CFLAGS="-O2 -g" EXT_BUILD=make EXT_ARGS= \
    bash mk/extlib.sh build fletcher "$L" "$T/out-lib" libfletcher.a 2>&1)
expect "make, archive in lib/: builds" test $? = 0
expect "make, archive in lib/: the header beside it is installed" test -f "$T/out-lib/include/fletcher.h"
rm "$SRC/CMakeLists.txt"
P=$T/out-detect
out=$(EXT_VARIANT=plain EXT_CC=cc EXT_CFLAGS="-O2 -g" EXT_BUILD= EXT_ARGS= \
    bash mk/extlib.sh build fletcher "$SRC" "$P" libfletcher.a 2>&1)
expect "fletcher without CMakeLists.txt: plain make is detected" grep -q "pry: building fletcher (make, plain)" <<<"$out"
# Flags that the build drops are caught, not linked silently.
cat >"$SRC/Makefile" <<'EOF'
libfletcher.a: fletcher.c
	cc -O2 -c fletcher.c -o fletcher.o && ar rcs $@ fletcher.o
EOF
out=$(EXT_VARIANT=asan EXT_CC=clang EXT_CFLAGS="$SAN" EXT_BUILD= EXT_ARGS= \
    bash mk/extlib.sh build fletcher "$SRC" "$T/out-ignored" libfletcher.a 2>&1)
expect "a build that ignores CC and CFLAGS fails (exit 2)" test $? = 2
expect "and says that it ignored them" grep -q "ignored the asan compiler or flags" <<<"$out"

# ---- 3. EXTLIB=system: Debian's binary package ----
out=$($BUILD VARIANT=plain EXTLIB=system 2>&1)
expect "EXTLIB=system builds build/plain+system-libs/jansson" test -x build/plain+system-libs/jansson
out=$(ldd build/plain+system-libs/jansson 2>&1)
expect "EXTLIB=system loads Debian's libjansson.so.4" grep -q 'libjansson.so.4 =>' <<<"$out"
out=$(build/plain+system-libs/jansson --test dumps_loads --seed 1 --runs 200 2>&1)
expect "EXTLIB=system: the properties run" test $? = 0
# The wrapper passes EXTLIB on to make and runs that build, not the
# from-source one beside it. The system-linked binary is swapped for a
# stand-in (newer than its sources, so make keeps it) whose --list names
# a property no real build has: only that binary can print it. Nothing
# else under build/ is touched, so other suites can run beside this one.
sys_bin=build/plain+system-libs/jansson
mv "$sys_bin" "$T/system-jansson"
printf '#!/bin/sh\necho jansson/only_in_the_system_linked_build\n' >"$sys_bin"
chmod +x "$sys_bin"
from_source=$(stat -c %Y build/plain/jansson)
out=$(EXTLIB=system ./pry list jansson 2>&1)
expect "EXTLIB=system ./pry list: runs the system-linked build" grep -qx jansson/only_in_the_system_linked_build <<<"$out"
expect "EXTLIB=system ./pry list: did not rebuild from source" test "$(stat -c %Y build/plain/jansson)" = "$from_source"
mv "$T/system-jansson" "$sys_bin"
out=$(EXTLIB=system ./pry list jansson 2>&1)
expect "EXTLIB=system ./pry list: lists the system-linked build's properties" grep -q dumps_loads <<<"$out"
# ... and says it is blind: doctor names EXTLIB=system as the thing to fix.
out=$(EXTLIB=system ./pry doctor jansson 2>&1)
expect "EXTLIB=system ./pry doctor jansson: exit 2" test $? = 2
expect "EXTLIB=system ./pry doctor jansson: says the library is not instrumented" \
    grep -q 'FIX: *EXTLIB=system: jansson links the system.s binary package' <<<"$out"
out=$(EXTLIB=bogus ./pry list jansson 2>&1)
expect "EXTLIB=bogus: exit 2" test $? = 2
expect "EXTLIB=bogus: one line naming the choices" \
    test "$(wc -l <<<"$out")" = 1 -a -n "$(grep 'source .* or system' <<<"$out")"

# ---- 4. bad sources ----
out=$(EXT_VARIANT=plain EXT_CC=cc EXT_CFLAGS= bash mk/extlib.sh build x "$T/none" "$T/p" libx.a 2>&1)
expect "a missing folder: exit 2" test $? = 2
expect "a missing folder: one line saying so" test "$(wc -l <<<"$out")" = 1 -a -n "$(grep 'is not a folder' <<<"$out")"
mkdir -p "$T/empty"
out=$(EXT_VARIANT=plain EXT_CC=cc EXT_CFLAGS= bash mk/extlib.sh build x "$T/empty" "$T/p" libx.a 2>&1)
expect "a folder with no build system: exit 2 and says so" grep -q "no build system found" <<<"$out"
out=$(EXT_VARIANT=plain EXT_CC=cc EXT_CFLAGS= EXT_BUILD=scons bash mk/extlib.sh build fletcher "$SRC" "$T/p" libfletcher.a 2>&1)
expect "an unknown build system: exit 2 and lists the known ones" grep -q "autotools, autoreconf, cmake, meson or make" <<<"$out"
summary
