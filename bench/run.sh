#!/usr/bin/env bash
# bench/run.sh: every benchmark of issue 9, one command. `make bench` runs
# it after building everything; `make bench-quick` sets BENCH_QUICK=1
# (fewer seeds, shorter limits, under 3 minutes) and writes
# bench/RESULTS-quick.md so the full results are kept.
#
# Writes bench/RESULTS.md (or RESULTS-quick.md) and bench/plots/*.png
# (quick: bench/plots/quick/*.png); raw data under build/bench/.
#
# Every parameter can be overridden from the environment:
#   FLOOR_SECS FLOOR_REPS        bench/floor.sh (10 s x 3)
#   EXECS_SECS EXECS_REPS        execs/s per property (10 s x 3)
#   EXECS_HARNESSES              patch,h2,nic,cbor
#   GEN_INPUTS                   callgrind inputs per property (500)
#   TTB_SEEDS TTB_LIMIT          time to bug (5 seeds, 60 s per run)
#   TTB_PARALLEL                 single-core campaigns run at once (2)
#   TTB_ENGINES TTB_RAW_ENGINES  afl,afl-j2,libfuzzer,random / afl,libfuzzer,random
#   DEMO_SECS                    the coverage demo campaign (60)
#   DEMO_CROSSCHECK              also ./pry fuzz one bug per target, against bench.py (1)
#   REF_PATCH_REPS REF_H2_REPS NIC_SECS   the reference benchmarks (5, 7, 2)
#   EXTLIB_SECS                  bench/extlib.sh's campaign, after it is running (10)
#   EXTLIB_COV_SECS EXTLIB_COV_TARGET   bench/extlib_cov.sh: each campaign (60), the property
#                                (jansson/load_total)
#   BENCH_ONLY                   a subset of: floor execs gen ttb shrink challenge refs demo extlib
#                                extlib-cov plots
#                                (the others' data is reused from build/bench/)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
if [ "${BENCH_QUICK:-}" = 1 ]; then
    B=build/bench-quick
    : "${FLOOR_SECS:=2}" "${FLOOR_REPS:=1}" "${EXECS_SECS:=1}" "${EXECS_REPS:=1}"
    : "${EXECS_HARNESSES:=patch,h2}" "${GEN_INPUTS:=50}" "${TTB_SEEDS:=1}" "${TTB_LIMIT:=3}"
    : "${TTB_ENGINES:=afl,libfuzzer,random}" "${TTB_RAW_ENGINES:=afl,random}"
    : "${DEMO_SECS:=8}" "${DEMO_CROSSCHECK:=0}" "${REF_PATCH_REPS:=1}" "${REF_H2_REPS:=1}"
    : "${NIC_SECS:=0.5}" "${EXTLIB_COV_SECS:=10}"
    RESULTS=bench/RESULTS-quick.md
    PLOTS=bench/plots/quick
else
    B=build/bench
    RESULTS=bench/RESULTS.md
    PLOTS=bench/plots
fi
export BENCH_DATA=$B
mkdir -p "$B/md" "$B/logs" "$B/durations"
: "${FLOOR_SECS:=10}" "${FLOOR_REPS:=3}" "${EXECS_SECS:=10}" "${EXECS_REPS:=3}"
: "${EXECS_HARNESSES:=patch,h2,nic,cbor}" "${GEN_INPUTS:=500}" "${TTB_SEEDS:=5}"
: "${TTB_LIMIT:=60}" "${TTB_PARALLEL:=2}" "${TTB_ENGINES:=afl,afl-j2,libfuzzer,random}"
: "${TTB_RAW_ENGINES:=afl,libfuzzer,random}" "${DEMO_SECS:=60}" "${REF_PATCH_REPS:=5}"
: "${REF_H2_REPS:=7}" "${NIC_SECS:=2}" "${DEMO_CROSSCHECK:=1}"
ONLY=${BENCH_ONLY:-floor execs gen ttb shrink challenge refs demo extlib extlib-cov plots}
want() { case " $ONLY " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
say() { printf '%s bench: %s\n' "$(date +%T)" "$*" >&2; }
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
mkdir -p "$PLOTS"

# the raw-bytes harnesses: mk/build.mk does not read bench/harnesses/*/harness.mk
for h in patch_raw h2_raw nic_raw; do
    make -s --no-print-directory -f mk/build.mk VARIANT=plain HARNESS=$h ${h}_TARGETS=${h%_raw} -j2
done

T0=$(date +%s)
# build/bench/notes.md holds hand-written remarks on one run: a new measurement voids them
case " $ONLY " in *" floor "*|*" execs "*|*" gen "*|*" ttb "*|*" shrink "*|*" refs "*) rm -f "$B/notes.md" ;; esac
if want floor; then
    S0=$(date +%s)
    say "kit floor (${FLOOR_SECS} s x ${FLOOR_REPS})"
    SECONDS_PER=$FLOOR_SECS REPS=$FLOOR_REPS bash bench/floor.sh > "$B/md/floor.md" 2> "$B/logs/floor.log"
    echo $(( $(date +%s) - S0 )) > "$B/durations/floor"
fi
if want execs; then
    S0=$(date +%s)
    say "execs/s per property (${EXECS_SECS} s x ${EXECS_REPS}, $EXECS_HARNESSES)"
    $PY bench/bench.py execs --harnesses "$EXECS_HARNESSES" --secs "$EXECS_SECS" \
        --reps "$EXECS_REPS" 2> "$B/logs/execs.log"
    echo $(( $(date +%s) - S0 )) > "$B/durations/execs"
fi
if want gen; then
    S0=$(date +%s)
    say "generation share (callgrind, $GEN_INPUTS inputs per property)"
    $PY bench/bench.py gen --harnesses "$EXECS_HARNESSES" --inputs "$GEN_INPUTS" 2> "$B/logs/gen.log"
    echo $(( $(date +%s) - S0 )) > "$B/durations/gen"
fi
$PY bench/bench.py tables execs > "$B/md/execs.md"
if want ttb; then
    S0=$(date +%s)
    say "time to bug ($TTB_SEEDS seeds, ${TTB_LIMIT} s limit, $TTB_ENGINES; raw: $TTB_RAW_ENGINES)"
    $PY bench/bench.py ttb --seeds "$TTB_SEEDS" --limit "$TTB_LIMIT" --parallel "$TTB_PARALLEL" \
        --engines "$TTB_ENGINES" --raw-engines "$TTB_RAW_ENGINES" > /dev/null 2> "$B/logs/ttb.log"
    echo $(( $(date +%s) - S0 )) > "$B/durations/ttb"
fi
$PY bench/bench.py tables ttb > "$B/md/ttb.md"
if want shrink; then
    S0=$(date +%s)
    say "shrinking: pry vs afl-tmin"
    $PY bench/bench.py shrink > /dev/null 2> "$B/logs/shrink.log"
    echo $(( $(date +%s) - S0 )) > "$B/durations/shrink"
fi
$PY bench/bench.py tables shrink > "$B/md/shrink.md"
if want challenge; then
    S0=$(date +%s)
    say "the Shrinking Challenge (5 seeds per challenge)"
    make -s --no-print-directory -f mk/build.mk VARIANT=plain HARNESS=challenge
    $PY bench/challenge.py --seeds 5 > "$B/md/challenge.md" 2> "$B/logs/challenge.log" || true
    echo $(( $(date +%s) - S0 )) > "$B/durations/challenge"
fi
bash bench/loc.sh > "$B/md/loc.md" 2> "$B/logs/loc.log" || echo "(bench/loc.sh failed)" > "$B/md/loc.md"

if want refs; then
    S0=$(date +%s)
    say "targets against their references"
    REPS=$REF_PATCH_REPS bash bench/bench_patch.sh > "$B/md/ref_patch.md" 2> "$B/logs/ref_patch.log" || echo "(bench_patch.sh failed, see $B/logs/ref_patch.log)" > "$B/md/ref_patch.md"
    sh bench/bench_h2.sh "$REF_H2_REPS" > "$B/logs/ref_h2.out" 2> "$B/logs/ref_h2.log" || echo "(bench_h2.sh failed)" >> "$B/logs/ref_h2.out"
    sh bench/nic/run.sh "$NIC_SECS" > "$B/logs/nic.out" 2> "$B/logs/nic.log" || echo "(nic/run.sh failed)" >> "$B/logs/nic.out"
    echo $(( $(date +%s) - S0 )) > "$B/durations/refs"
fi
if [ -f "$B/logs/nic.out" ]; then
    # bench/nic/run.sh prints the table itself; the plot takes
    # "| batch | baseline | driver | ratio | ..." rows as batch ratio.
    grep '^|' "$B/logs/nic.out" > "$B/md/nic.md"
    awk -F'|' '$2 ~ /^ *[0-9]+ *$/ {print $2, $5}' "$B/logs/nic.out" > "$B/nic.dat"
fi

if want demo; then
    S0=$(date +%s)
    say "coverage demo campaign (./pry fuzz patch --plant no-newline --time $DEMO_SECS)"
    # A private project root (PRY_ROOT) whose pry-out/ starts empty, so the
    # campaign does not resume from an earlier corpus; everything else is
    # the repository itself (symlinks), build/ included.
    D=$B/demo-root
    rm -rf "$D"
    mkdir -p "$D"
    for e in "$ROOT"/* "$ROOT"/.[!.]*; do
        case $(basename "$e") in pry-out|.git) ;; *) ln -s "$e" "$D/$(basename "$e")" ;; esac
    done
    PRY_ROOT=$ROOT/$D timeout $((DEMO_SECS + 120)) ./pry fuzz patch --plant no-newline \
        --engine afl --seed 1 --time "$DEMO_SECS" --json "$B/demo.json" > "$B/logs/demo.log" 2>&1 || true
    PRY_ROOT=$ROOT/$D ./pry plot "$D/pry-out/patch/all/afl+no-newline" >> "$B/logs/demo.log" 2>&1 || true
    cp "$D/pry-out/patch/all/afl+no-newline/progress.csv" "$B/demo-progress.csv" 2>/dev/null || true
    # the same through the wrapper, until the first finding: a cross-check
    # of bench.py's direct engine driving (seed 1, AFL++, one bug per target)
    rm -f "$B"/cross-*.json
    [ "$DEMO_CROSSCHECK" = 1 ] && for tb in patch/roundtrip:zero-range h2/parse_total:fixed-length nic/model:queue-stride; do
        t=${tb%%:*} pl=${tb##*:}
        rm -rf "$D/pry-out"
        PRY_ROOT=$ROOT/$D timeout 200 ./pry fuzz "$t" --plant "$pl" --engine afl --seed 1 \
            --json "$B/cross-$pl.json" >> "$B/logs/demo.log" 2>&1 || true
    done
    rm -rf "$D"
    echo $(( $(date +%s) - S0 )) > "$B/durations/demo"
fi

if want extlib; then
    S0=$(date +%s)
    say "time to a campaign on a library built from source (bench/extlib.sh)"
    bash bench/extlib.sh "${EXTLIB_SECS:-10}" > "$B/md/extlib.md" 2> "$B/logs/extlib.log" ||
        echo "(bench/extlib.sh failed, see $B/logs/extlib.log)" > "$B/md/extlib.md"
    echo $(( $(date +%s) - S0 )) > "$B/durations/extlib"
fi
if want extlib-cov; then
    S0=$(date +%s)
    say "edges and coverage: jansson linked from Debian's package vs built by pry (bench/extlib_cov.sh)"
    bash bench/extlib_cov.sh "${EXTLIB_COV_SECS:-60}" "${EXTLIB_COV_TARGET:-jansson/load_total}" \
        > "$B/md/extlib_cov.md" 2> "$B/logs/extlib_cov.log" ||
        echo "(bench/extlib_cov.sh failed, see $B/logs/extlib_cov.log)" > "$B/md/extlib_cov.md"
    echo $(( $(date +%s) - S0 )) > "$B/durations/extlib-cov"
fi

if want plots; then
    S0=$(date +%s)
    say "plots"
    $PY bench/bench.py plotdata
    gnuplot -e "outdir='$PLOTS'; datadir='$B/plots'" bench/ttb.gp 2> "$B/logs/plots.log" || say "ttb plot failed"
    [ -s "$B/nic.dat" ] && { gnuplot -e "outdir='$PLOTS'; dat='$B/nic.dat'" bench/nic.gp 2>> "$B/logs/plots.log" || say "nic plot failed"; }
    [ -s "$B/demo-progress.csv" ] && { gnuplot -e "outdir='$PLOTS'; csv='$B/demo-progress.csv'" bench/coverage.gp 2>> "$B/logs/plots.log" || say "coverage plot failed"; }
    echo $(( $(date +%s) - S0 )) > "$B/durations/plots"
fi

say "writing $RESULTS"
$PY bench/results.py --out "$RESULTS" --plots "$PLOTS" \
    --params "FLOOR_SECS=$FLOOR_SECS FLOOR_REPS=$FLOOR_REPS EXECS_SECS=$EXECS_SECS EXECS_REPS=$EXECS_REPS EXECS_HARNESSES=$EXECS_HARNESSES GEN_INPUTS=$GEN_INPUTS TTB_SEEDS=$TTB_SEEDS TTB_LIMIT=$TTB_LIMIT TTB_PARALLEL=$TTB_PARALLEL TTB_ENGINES=$TTB_ENGINES TTB_RAW_ENGINES=$TTB_RAW_ENGINES DEMO_SECS=$DEMO_SECS REF_PATCH_REPS=$REF_PATCH_REPS REF_H2_REPS=$REF_H2_REPS NIC_SECS=$NIC_SECS" \
    --quick "${BENCH_QUICK:-0}" --seconds $(( $(date +%s) - T0 ))
say "done in $(( $(date +%s) - T0 )) s: $RESULTS"
