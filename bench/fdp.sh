#!/usr/bin/env bash
# bench/fdp.sh: the FuzzedDataProvider twins of the deep plants (what a C
# or C++ user writes today without pry), under AFL++ and libFuzzer, for
# bench/deep.sh. For each plant of FDP_PLANTS and each seed: the twin
# built against the planted target, run until its first crash or LIMIT
# seconds; a crash counts only if the twin built against the correct
# target does not crash on it. Prints one line per run and appends JSON
# lines to $BENCH_DATA/fdp.jsonl.
#   FDP_PLANTS (hpack-wrap-lookup: twin bench/fdp/h2_hpack.cc)
#   SEEDS (5) LIMIT (300) ENGINES (afl,libfuzzer)
set -euo pipefail
cd "$(dirname "$0")/.."
: "${FDP_PLANTS:=hpack-wrap-lookup}" "${SEEDS:=5}" "${LIMIT:=300}"
: "${ENGINES:=afl,libfuzzer}" "${BENCH_DATA:=build/bench-deep}"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
mkdir -p "$BENCH_DATA/fdp"
twin() { # variant plant -> path of the twin binary
    local v=$1 pl=$2 dir=build/$1${2:++$2}
    make -s -f mk/build.mk VARIANT="$v" ${pl:+PLANT=$pl} HARNESS=h2 >/dev/null
    case $v in
    afl) AFL_QUIET=1 afl-clang-fast++ -std=c++17 -O2 -g -fsanitize=fuzzer -Itargets/h2 \
             bench/fdp/h2_hpack.cc "$dir/targets/libh2.a" -lnghttp2 -o "$dir/h2_fdp" ;;
    libfuzzer) clang++ -std=c++17 -O1 -g -fsanitize=fuzzer $SAN -Itargets/h2 \
             bench/fdp/h2_hpack.cc "$dir/targets/libh2.a" -lnghttp2 -o "$dir/h2_fdp" ;;
    esac
    echo "$dir/h2_fdp"
}
correct=$(twin libfuzzer "")
for pl in ${FDP_PLANTS//,/ }; do
    for e in ${ENGINES//,/ }; do
        bin=$(twin "$e" "$pl")
        for s in $(seq 1 "$SEEDS"); do
            w="$BENCH_DATA/fdp/$pl-$e-$s"
            rm -rf "$w"; mkdir -p "$w/in" "$w/corpus"
            printf '\0' > "$w/in/zero"
            t0=$(date +%s.%N)
            if [ "$e" = afl ]; then
                AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_BENCH_UNTIL_CRASH=1 \
                AFL_FAST_CAL=1 AFL_QUIET=1 timeout $((LIMIT + 60)) afl-fuzz -i "$w/in" \
                    -o "$w/out" -s "$s" -V "$LIMIT" -- "$bin" >"$w/log" 2>&1 || true
                crash=$(ls "$w"/out/default/crashes/id:* 2>/dev/null | head -1 || true)
            else
                timeout $((LIMIT + 60)) "$bin" "$w/corpus" -seed="$s" \
                    -max_total_time="$LIMIT" -artifact_prefix="$w/" >"$w/log" 2>&1 || true
                crash=$(ls "$w"/crash-* 2>/dev/null | head -1 || true)
            fi
            t=$(echo "$(date +%s.%N) - $t0" | bc)
            found=false
            if [ -n "$crash" ] && "$correct" "$crash" >/dev/null 2>&1; then
                found=true
            fi
            echo "  fdp $pl $e seed $s: $([ $found = true ] && echo "$t s" || echo "not found")"
            echo "{\"plant\": \"$pl\", \"engine\": \"$e\", \"seed\": $s, \"found\": $found," \
                 "\"time_s\": $([ $found = true ] && echo "$t" || echo null), \"limit\": $LIMIT}" \
                >> "$BENCH_DATA/fdp.jsonl"
        done
    done
done
