#!/usr/bin/env bash
# test_headers.sh: every header compiles on its own (STYLE: no header relies
# on what its includer included first), as C11 and, for the public ones,
# as C++ too.
set -u
cd "$(dirname "$0")/.."
source tests/lib.sh
for h in generators/*.h targets/*/*.h harnesses/*/*.h; do
    [ -f "$h" ] || continue
    inc="-Igenerators -I$(dirname "$h")"
    case "$h" in harnesses/*) inc="$inc -Itargets/$(basename "$(dirname "$h")")" ;; esac
    # Headers of libraries built from source (mk/extlib.mk), as the harnesses see them.
    for d in build/plain/ext/*/include; do [ -d "$d" ] && inc="$inc -isystem $d"; done
    out=$(printf '#include "%s"\n' "$h" | cc -std=c11 -D_GNU_SOURCE -Wall -Wextra $inc -I. -fsyntax-only -x c - 2>&1)
    expect "$h compiles on its own" test -z "$out"
done
out=$(printf '#include "pry.h"\nint main() { return 0; }\n' | clang++ -std=c++17 -Igenerators -fsyntax-only -x c++ - 2>&1)
expect "pry.h compiles as C++" test -z "$out"
summary
