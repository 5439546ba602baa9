#!/usr/bin/env bash
# bench/deep.sh: `make bench-deep`, the typed mutator against the engines'
# byte mutation (issue 15). Writes bench/RESULTS-deep.md; raw data under
# build/bench-deep/.
#
#  1. Time to bug of every planted bug under AFL++ (bytes), AFL++ typed
#     (--mutator typed: the custom mutator library), libFuzzer (bytes),
#     libFuzzer typed and random mode, DEEP_SEEDS seeds each: the deep
#     plants (those whose plants.tsv description says "deep:") with a limit
#     of DEEP_LIMIT s, the others with SHALLOW_LIMIT s. The deep plants'
#     raw-bytes twins where they exist, and their FuzzedDataProvider twins
#     (bench/fdp/, run by bench/fdp.sh) under AFL++ and libFuzzer.
#  2. Coverage after COV_SECS s of AFL++ bytes and typed on the correct
#     build, one property per target: branch coverage of the target's own
#     code as `./pry cov` measures it (the queue replayed by the cov build),
#     and AFL++'s own edge count (bench/coverage.py).
#
# Overridable from the environment (defaults: the issue's full run, about
# 2 x 5 x 5 x 300 s + ... of CPU; hours on 2 cores):
#   DEEP_SEEDS (5) DEEP_LIMIT (300) SHALLOW_LIMIT (60) PARALLEL (2)
#   DEEP_ENGINES (afl,afl-typed,libfuzzer,libfuzzer-typed,random)
#   DEEP_ONLY    a subset of: deep shallow cov
#   COV_SECS (600) COV_SEEDS (1) COV_TARGETS (h2/hpack_vs_nghttp2,nic/model,patch/gnu_agrees)
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_DATA=${BENCH_DATA:-build/bench-deep}
: "${DEEP_SEEDS:=5}" "${DEEP_LIMIT:=300}" "${SHALLOW_LIMIT:=60}" "${PARALLEL:=2}"
: "${DEEP_ENGINES:=afl,afl-typed,libfuzzer,libfuzzer-typed,random}"
: "${DEEP_ONLY:=deep shallow cov}"
: "${COV_SECS:=600}" "${COV_SEEDS:=1}"
: "${COV_TARGETS:=h2/hpack_vs_nghttp2,nic/model,patch/gnu_agrees}"
RESULTS=${RESULTS:-bench/RESULTS-deep.md}

deep=$(grep -h 'deep:' targets/*/plants.tsv | cut -f1 | paste -sd, -)
shallow=$(grep -hv 'deep:' targets/*/plants.tsv | grep -v '^#' | cut -f1 | paste -sd, -)
raw_engines=afl,libfuzzer,random
first=1
run_ttb() { # plants limit raw-engines
    local append=
    [ $first = 1 ] || append=--append
    first=0
    python3 bench/bench.py ttb --plants "$1" --seeds "$DEEP_SEEDS" --limit "$2" \
        --parallel "$PARALLEL" --engines "$DEEP_ENGINES" --raw-engines "$3" $append
}
case " $DEEP_ONLY " in *" deep "*)
    run_ttb "$deep" "$DEEP_LIMIT" "$raw_engines"
    rm -f "$BENCH_DATA/fdp.jsonl"
    SEEDS=$DEEP_SEEDS LIMIT=$DEEP_LIMIT bash bench/fdp.sh ;;
esac
case " $DEEP_ONLY " in *" shallow "*) run_ttb "$shallow" "$SHALLOW_LIMIT" "" ;; esac
case " $DEEP_ONLY " in *" cov "*)
    python3 bench/coverage.py --secs "$COV_SECS" --seeds "$COV_SEEDS" --targets "$COV_TARGETS" ;;
esac

{
    echo "# The typed mutator against byte mutation (bench/deep.sh)"
    echo
    echo "    DEEP_SEEDS=$DEEP_SEEDS DEEP_LIMIT=$DEEP_LIMIT SHALLOW_LIMIT=$SHALLOW_LIMIT COV_SECS=$COV_SECS bash bench/deep.sh"
    echo
    echo "Deep plants: $deep. Every run starts from a fresh folder with the"
    echo "committed seeds (bench/bench.py). 'typed' is \`./pry fuzz --mutator typed\`."
    echo "A finding counts only if the correct build passes it."
    echo
    echo "## Time to bug"
    echo
    python3 bench/bench.py tables ttb
    echo
    echo "## The FuzzedDataProvider twins (bench/fdp/, bench/fdp.sh)"
    echo
    python3 - "$BENCH_DATA/fdp.jsonl" <<'PY'
import json, statistics, sys
try:
    rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
except OSError:
    rows = []
def med(rs, key, fmt):  # over all runs; a miss counts as more than the limit
    v = statistics.median_low([r[key] if r["found"] else float("inf") for r in rs])
    return fmt(v) if v != float("inf") else "not found"
print("| bug | twin | engine | found | median s | median execs |")
print("| --- | --- | --- | ---: | ---: | ---: |")
for key in sorted({(r["plant"], r["engine"]) for r in rows}):
    rs = [r for r in rows if (r["plant"], r["engine"]) == key]
    ok = [r for r in rs if r["found"]]
    print(f"| `{key[0]}` | {rs[0].get('twin', '-')} | {key[1]} | {len(ok)}/{len(rs)} "
          f"(limit {rs[0]['limit']} s) | {med(rs, 'time_s', lambda v: f'{v:.1f}')} | "
          f"{med(rs, 'execs', lambda v: f'{v:.0f}')} |")
PY
    echo
    echo "## Coverage after ${COV_SECS} s (correct build; branches of the target's own code by \`./pry cov\`'s measure, and AFL++ edges)"
    echo
    cat "$BENCH_DATA/coverage.md" 2>/dev/null || echo "(not run)"
} > "$RESULTS"
echo "bench-deep: wrote $RESULTS"
