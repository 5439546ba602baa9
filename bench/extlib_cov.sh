#!/usr/bin/env bash
# bench/extlib_cov.sh: what building the library under test from source
# buys a campaign (issue 13, goal: at least 5x the edges). The same AFL++
# campaign on one jansson property, twice, with the same seed and length:
#
#   binary  linked against Debian's binary libjansson (EXTLIB=system:
#           no instrumentation in the library, the README's old -ljansson path)
#   built   jansson built by pry from its Debian source package (the default)
#
# Each runs as a user's `./pry fuzz` would, in a private project root
# (PRY_ROOT, pry-out/ empty, everything else symlinked to this checkout,
# build/ included) so neither resumes an earlier corpus. Then `./pry cov`
# replays each campaign's corpus through the `cov` variant, which is always
# built from source: what the blind campaign actually reached in jansson's
# own files, measured the same way as the instrumented one's.
#
#   bash bench/extlib_cov.sh [SECONDS] [TARGET]   (60, jansson/load_total)
#
# Markdown on stdout (bench/run.sh puts it in RESULTS.md); raw data (the
# fuzzer_stats, --json, cov summaries, logs) under $BENCH_DATA/extlib-cov/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECS=${1:-60}
TARGET=${2:-jansson/load_total}
H=${TARGET%%/*}
SLOT=${TARGET#*/}
[ "$SLOT" != "$TARGET" ] || SLOT=all
OUT=${BENCH_DATA:-build/bench}/extlib-cov
rm -rf "$OUT"
mkdir -p "$OUT"

# afl_stat FILE KEY: one field of AFL++'s fuzzer_stats ("key : value" lines)
afl_stat() { sed -n "s/^$2 *: *//p" "$1" | head -1; }
# cov FILE KIND FIELD: lines/branches covered/count/percent from ./pry cov's
# summary.json (llvm-cov export's totals)
cov() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]][sys.argv[3]])' "$@"; }
covcell() { printf '%s/%s (%.1f%%)' "$(cov "$1" "$2" covered)" "$(cov "$1" "$2" count)" "$(cov "$1" "$2" percent)"; }

# campaign NAME EXTLIB: a fresh root, the campaign, its corpus replayed by ./pry cov
campaign() {
    local d=$OUT/$1-root
    mkdir -p "$d"
    for e in "$ROOT"/* "$ROOT"/.[!.]*; do
        case $(basename "$e") in pry-out|.git) ;; *) ln -s "$e" "$d/$(basename "$e")" ;; esac
    done
    cut -d' ' -f1-3 /proc/loadavg > "$OUT/$1.load"
    EXTLIB=$2 PRY_ROOT=$ROOT/$d timeout $((SECS + 900)) ./pry fuzz "$TARGET" --engine afl \
        --seed 1 --time "$SECS" --json "$OUT/$1.json" > "$OUT/$1.fuzz.log" 2>&1 ||
        { echo "bench/extlib_cov.sh: the $1 campaign failed (log below)" >&2; cat "$OUT/$1.fuzz.log" >&2; exit 1; }
    cp "$d/pry-out/$H/$SLOT/afl/afl/main/fuzzer_stats" "$OUT/$1.fuzzer_stats"
    # cov is built from source whatever the campaign linked: no EXTLIB here
    env -u EXTLIB PRY_ROOT=$ROOT/$d ./pry cov "$TARGET" > "$OUT/$1.cov.log" 2>&1 ||
        { echo "bench/extlib_cov.sh: ./pry cov after the $1 campaign failed (log below)" >&2; cat "$OUT/$1.cov.log" >&2; exit 1; }
    cp "$d/pry-out/$H/cov/$SLOT/summary.json" "$OUT/$1.cov.json"
    rm -rf "$d"
}

S0=$(date +%s)
campaign binary system
campaign built source
WALL=$(( $(date +%s) - S0 ))

row() {  # row NAME LABEL
    local s=$OUT/$1.fuzzer_stats
    echo "| $2 | $(afl_stat "$s" edges_found) | $(afl_stat "$s" bitmap_cvg) | $(afl_stat "$s" corpus_count) |" \
         "$(afl_stat "$s" execs_done) | $(afl_stat "$s" execs_per_sec) | $(covcell "$OUT/$1.cov.json" lines) |" \
         "$(covcell "$OUT/$1.cov.json" branches) | $(cat "$OUT/$1.load") |"
}
ratio() {  # ratio VALUE_BUILT VALUE_BINARY
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'
}
eb=$(afl_stat "$OUT/binary.fuzzer_stats" edges_found) es=$(afl_stat "$OUT/built.fuzzer_stats" edges_found)
cb=$(afl_stat "$OUT/binary.fuzzer_stats" corpus_count) cs=$(afl_stat "$OUT/built.fuzzer_stats" corpus_count)
lb=$(cov "$OUT/binary.cov.json" lines covered) lbuilt=$(cov "$OUT/built.cov.json" lines covered)
bb=$(cov "$OUT/binary.cov.json" branches covered) bs=$(cov "$OUT/built.cov.json" branches covered)
er=$(ratio "$es" "$eb")
goal=$(awk -v a="$es" -v b="$eb" 'BEGIN { print (b > 0 && a >= 5 * b) ? "**met**" : "**not met**" }')

cat <<EOF
    bash bench/extlib_cov.sh $SECS $TARGET

The same AFL++ campaign (\`./pry fuzz $TARGET --engine afl --seed 1 --time $SECS\`,
fresh \`pry-out/\`, cmplog on) twice: with \`EXTLIB=system\` (the harness linked
against Debian's binary libjansson, uninstrumented) and with jansson built by
pry from its Debian source package. Edges, corpus and execs are AFL++'s
\`fuzzer_stats\` at the end; lines and branches are \`./pry cov $TARGET\` on each
campaign's corpus (replayed through the \`cov\` build, which is always built
from source), jansson's own files only; committed seeds (corpora/), if any, count in both.
Load average (1, 5, 15 min) at each campaign's start; $WALL s wall in all.

| jansson linked | edges | share of its own map | corpus | execs | execs/s | lines of jansson | branches of jansson | load |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
$(row binary "Debian's binary package")
$(row built "built by pry")
| **built / binary** | **$er** | | $(ratio "$cs" "$cb") | | | $(ratio "$lbuilt" "$lb") | $(ratio "$bs" "$bb") | |

Goal *at least 5x the edges*: $goal ($es against $eb). The blind campaign's
edges are the harness's and libpry's own; its lines in jansson are what its
corpus happens to reach without guidance.
EOF
