#!/usr/bin/env bash
# bench/fdp.sh: the FuzzedDataProvider twins of the deep plants (what a C
# or C++ user writes today without pry), under AFL++ and libFuzzer, for
# bench/deep.sh. For each plant of FDP_PLANTS and each seed: the plant's
# twin (the table below) built against the planted target, run until its
# first crash or LIMIT seconds; a crash counts only if the same twin built
# against the correct target does not crash on it. Prints one line per run
# and appends JSON lines (time and executions to the finding or to the
# limit) to $BENCH_DATA/fdp.jsonl.
#   FDP_PLANTS (every plant of the table)
#   SEEDS (5) FIRST_SEED (1: seeds FIRST_SEED .. FIRST_SEED + SEEDS - 1)
#   LIMIT (300) ENGINES (afl,libfuzzer)
set -euo pipefail
cd "$(dirname "$0")/.."

# plant -> the twin's sources (the first names the binary), the target
# library it links and the other libraries it needs.
TWINS="
plus-anchor         patch_hunks.cc                 patch
offset-reset        patch_hunks.cc                 patch
hpack-list-overhead h2_hpack.cc                    h2     -lnghttp2
hpack-wrap-lookup   h2_hpack.cc                    h2     -lnghttp2
hpack-resize-wrap   h2_hpack.cc                    h2     -lnghttp2
tx-counter-wrap     nic_ops.cc,nic_model_ops.c     nic    -lrt -lpthread
rx-index-wrap       nic_ops.cc,nic_model_ops.c     nic    -lrt -lpthread
flow-dup            nic_flows.cc                   nic    -lrt -lpthread
"
: "${FDP_PLANTS:=$(echo "$TWINS" | awk 'NF { print $1 }' | paste -sd, -)}"
: "${SEEDS:=5}" "${FIRST_SEED:=1}" "${LIMIT:=300}" "${ENGINES:=afl,libfuzzer}"
: "${BENCH_DATA:=build/bench-deep}"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
mkdir -p "$BENCH_DATA/fdp"

twin() { # variant plant ("" = correct) -> path of the twin binary
    local v=$1 pl=$2 dir=build/$1${2:++$2} row srcs t libs cc cxx flags objs=() src
    row=$(echo "$TWINS" | awk -v p="${2:-$3}" '$1 == p')
    [ -n "$row" ] || { echo "fdp.sh: no twin for $2" >&2; exit 1; }
    read -r _ srcs t libs <<<"$row"
    make -s -f mk/build.mk VARIANT="$v" ${pl:+PLANT=$pl} "$dir/targets/lib$t.a" >/dev/null
    case $v in
    afl) cc=afl-clang-fast cxx=afl-clang-fast++ flags="-O2 -g" ;;
    libfuzzer) cc=clang cxx=clang++ flags="-O1 -g $SAN" ;;
    esac
    local inc="-Itargets/$t -Itargets/$t/tests -Ibench/fdp"
    for src in ${srcs//,/ }; do
        case $src in *.c)
            AFL_QUIET=1 $cc -std=c11 $flags -fsanitize=fuzzer-no-link $inc \
                -c "bench/fdp/$src" -o "$dir/${src%.c}.o"
            objs+=("$dir/${src%.c}.o") ;;
        esac
    done
    local main=${srcs%%,*}
    AFL_QUIET=1 $cxx -std=c++17 $flags -fsanitize=fuzzer $inc "bench/fdp/$main" "${objs[@]}" \
        "$dir/targets/lib$t.a" $libs -o "$dir/${main%.cc}_fdp"
    echo "$dir/${main%.cc}_fdp"
}

for pl in ${FDP_PLANTS//,/ }; do
    correct=$(twin libfuzzer "" "$pl")
    for e in ${ENGINES//,/ }; do
        bin=$(twin "$e" "$pl")
        for s in $(seq "$FIRST_SEED" $((FIRST_SEED + SEEDS - 1))); do
            w="$BENCH_DATA/fdp/$pl-$e-$s"
            rm -rf "$w"; mkdir -p "$w/in" "$w/corpus"
            printf '\0' > "$w/in/zero"
            t0=$(date +%s.%N)
            if [ "$e" = afl ]; then
                AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_BENCH_UNTIL_CRASH=1 \
                AFL_FAST_CAL=1 AFL_QUIET=1 timeout $((LIMIT + 60)) afl-fuzz -i "$w/in" \
                    -o "$w/out" -s "$s" -V "$LIMIT" -- "$bin" >"$w/log" 2>&1 || true
                crash=$(ls "$w"/out/default/crashes/id:* 2>/dev/null | head -1 || true)
                execs=$(awk '$1 == "execs_done" { print $3 }' "$w/out/default/fuzzer_stats" \
                        2>/dev/null || true)
            else
                timeout $((LIMIT + 60)) "$bin" "$w/corpus" -seed="$s" -print_final_stats=1 \
                    -max_total_time="$LIMIT" -artifact_prefix="$w/" >"$w/log" 2>&1 || true
                crash=$(ls "$w"/crash-* 2>/dev/null | head -1 || true)
                execs=$(awk '/^stat::number_of_executed_units/ { print $NF }' \
                        "$w/log" | tail -1)
            fi
            t=$(printf %.3f "$(echo "$(date +%s.%N) - $t0" | bc)") # bc writes .9 for 0.9
            found=false
            if [ -n "$crash" ] && "$correct" "$crash" >/dev/null 2>&1; then
                found=true
            fi
            echo "  fdp $pl $e seed $s: $([ $found = true ] && echo "$t s" || echo "not found")," \
                 "${execs:-?} execs"
            echo "{\"plant\": \"$pl\", \"twin\": \"$(basename "${bin%_fdp}").cc\"," \
                 "\"engine\": \"$e\", \"seed\": $s, \"found\": $found," \
                 "\"time_s\": $([ $found = true ] && echo "$t" || echo null)," \
                 "\"execs\": ${execs:-null}, \"limit\": $LIMIT}" >> "$BENCH_DATA/fdp.jsonl"
        done
    done
done
