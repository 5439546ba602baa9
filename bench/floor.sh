#!/usr/bin/env bash
# bench/floor.sh: what pry costs per execution. An empty property and a
# one-draw property (bench/harnesses/floor) against a bare
# LLVMFuzzerTestOneInput doing the same read and compare
# (bench/baseline/bare.c), under AFL++ and libFuzzer, built with the same
# flags, measured alternately in the same run (ABAB...), REPS times each.
# Prints a markdown table of execs/s medians (min..max) and the ratio of
# medians. Goal: ratio >= 0.9.
#
#   bash bench/floor.sh            (SECONDS_PER=10 REPS=3 by default)
#
# LF_RUNS=N: libFuzzer runs N executions (-runs=N -seed=1) and the rate is
# N over the CPU seconds (user + sys) it took, not over wall-clock time: on
# a machine shared with other jobs, waiting for a core does not count.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${SECONDS_PER:-10}
REPS=${REPS:-3}
OUT=build/bench/floor
mkdir -p "$OUT"
make -s -f mk/build.mk VARIANT=afl HARNESS=floor >/dev/null
make -s -f mk/build.mk VARIANT=libfuzzer HARNESS=floor >/dev/null
AFL_QUIET=1 afl-clang-fast -O2 -g -fsanitize=fuzzer bench/baseline/bare.c -o "$OUT/bare-afl" 2>/dev/null
clang -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -fno-omit-frame-pointer bench/baseline/bare.c -o "$OUT/bare-libfuzzer"
mkdir -p "$OUT/seeds"
printf '\x01\x02\x03\x04' > "$OUT/seeds/seed"

afl_rate() { # afl_rate BINARY PRY_TEST -> execs/s
    local dir="$OUT/afl-run"
    rm -rf "$dir"
    PRY_TEST=$2 PRY_QUIET=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
        AFL_TRY_AFFINITY=1 AFL_FAST_CAL=1 \
        timeout $((SECS + 30)) afl-fuzz -V "$SECS" -i "$OUT/seeds" -o "$dir" -- "$1" >/dev/null 2>&1 || true
    awk -F: '/^execs_done/ {e=$2} /^run_time/ {t=$2} END {if (t > 0) printf "%.0f\n", e / t; else print 0}' \
        "$dir/default/fuzzer_stats"
}

lf_rate() { # lf_rate BINARY PRY_TEST -> execs/s
    local dir="$OUT/lf-corpus"
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ -n "${LF_RUNS:-}" ]; then
        PRY_TEST=$2 PRY_QUIET=1 /usr/bin/time -f '%U %S' -o "$OUT/lf-time" "$1" "$dir" \
            "$OUT/seeds" -runs="$LF_RUNS" -seed=1 >/dev/null 2>&1 || true
        awk -v n="$LF_RUNS" '{t = $1 + $2} END {printf "%.0f\n", (t > 0 ? n / t : 0)}' "$OUT/lf-time"
        return
    fi
    PRY_TEST=$2 PRY_QUIET=1 "$1" "$dir" "$OUT/seeds" -max_total_time="$SECS" \
        -print_final_stats=1 2>&1 | awk '/stat::average_exec_per_sec/ {print $2}' || true
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
minmax() { sort -n | awk 'NR==1 {lo=$1} {hi=$1} END {printf "%s..%s", lo, hi}'; }

echo "| engine | harness | execs/s median (min..max) | bare execs/s median (min..max) | ratio |"
echo "| --- | --- | ---: | ---: | ---: |"
for engine in ${ENGINES:-afl libfuzzer}; do
    for prop in empty one_draw; do
        pry_runs=() bare_runs=()
        for ((i = 0; i < REPS; i++)); do
            if [ $engine = afl ]; then
                bare_runs+=("$(afl_rate "$OUT/bare-afl" "")")
                pry_runs+=("$(afl_rate build/afl/floor "$prop")")
            else
                bare_runs+=("$(lf_rate "$OUT/bare-libfuzzer" "")")
                pry_runs+=("$(lf_rate build/libfuzzer/floor "$prop")")
            fi
        done
        pm=$(printf '%s\n' "${pry_runs[@]}" | median)
        bm=$(printf '%s\n' "${bare_runs[@]}" | median)
        ratio=$(awk -v a="$pm" -v b="$bm" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
        echo "| $engine | floor/$prop | $pm ($(printf '%s\n' "${pry_runs[@]}" | minmax)) | $bm ($(printf '%s\n' "${bare_runs[@]}" | minmax)) | $ratio |"
    done
done
