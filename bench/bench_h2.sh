#!/bin/sh
# bench_h2.sh: build and run bench/bench_h2.c (pry h2 vs nghttp2).
# Usage: bench/bench_h2.sh [reps]   (from the repository root; CC defaults to cc)
set -e
CC=${CC:-cc}
out=${TMPDIR:-/tmp}/bench_h2.$$
$CC -std=c11 -D_GNU_SOURCE -O2 -Itargets/h2 bench/bench_h2.c targets/h2/*.c -lnghttp2 -o "$out"
"$out" "${1:-7}"
rm -f "$out"
