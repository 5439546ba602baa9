#!/usr/bin/env bash
# test_runner.sh: the plain runner behind every harness binary, driven
# through the selftest harness (tests/harnesses/selftest), whose
# properties have known outcomes. Pinned seeds only.
set -u
cd "$(dirname "$0")/.."
source tests/lib.sh

B=build/plain/selftest
A=build/asan/selftest
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

run() { # run CMD...: sets $out (stdout+stderr) and $rc
    out=$("$@" 2>&1)
    rc=$?
}

# --- selection, usage errors ---
run $B --list
expect "--list names every property" test "$(echo "$out" | wc -l)" = 6
expect "--list prints harness/property" grep -qx "selftest/small_numbers" <<<"$out"
run $B --test nope
expect "unknown property: exit 2" test $rc = 2
expect "unknown property: names the choices" grep -q "no property 'nope'.*small_numbers" <<<"$out"
run $B --frobnicate
expect "unknown option: exit 2" test $rc = 2
run $B --runs abc
expect "bad --runs: exit 2" test $rc = 2
run $B --test
expect "missing value: exit 2" test $rc = 2
PRY_TEST=nope run $B
expect "unknown PRY_TEST: exit 2" test $rc = 2

# --- passing, failing, deterministic ---
run $B --test addition_commutes --seed 5 --save-dir "$T/f"
expect "passing property: exit 0" test $rc = 0
expect "passing property: 1000 runs" grep -q "1000 passed" <<<"$out"
PRY_TEST=addition_commutes run $B --seed 5 --runs 10
expect "PRY_TEST selects the property" grep -q "selftest/addition_commutes: 10 passed" <<<"$out"

run $B --test small_numbers --seed 1 --save-dir "$T/f"
expect "failing property: exit 1" test $rc = 1
expect "explicit example runs first" grep -q "explicit example 1 fails" <<<"$out"
expect "report names the check's site" grep -q "check failed at tests/harnesses/selftest/selftest.c:21" <<<"$out"
expect "report shows the message" grep -q "x = 1000 is not small" <<<"$out"
expect "shrunk to the minimal x = 1000" grep -qx "    x = 1000" <<<"$out"

run $B --test all_distinct --seed 1 --save-dir "$T/f"
first=$(sed 's/[0-9.]* s\b/T s/g; s/[0-9]* tries/N tries/' <<<"$out")
expect "list shrinks to [0, 0]" grep -qx "    xs = \[0, 0\]" <<<"$out"
run $B --test all_distinct --seed 1 --save-dir "$T/f"
second=$(sed 's/[0-9.]* s\b/T s/g; s/[0-9]* tries/N tries/' <<<"$out")
expect "same seed, same report" test "$first" = "$second"

# --- crashes: caught, shrunk, draws printed ---
run $B --test crashes_on_bangs --seed 1 --save-dir "$T/f"
expect "crash: exit 1" test $rc = 1
expect "crash: reported as CRASHED with the signal" grep -q "SIGSEGV" <<<"$out"
expect "crash: draws before the crash" grep -q "drawn before the crash" <<<"$out"
expect "crash: shrunk to s = \"!!\"" grep -qx '    s = "!!"' <<<"$out"
expect "crash: notes kept" grep -qx "    length 2" <<<"$out"
rec=$(ls "$T"/f/selftest/crashes_on_bangs/*.cbor | head -1)
run $B --repro "$rec"
expect "crash in replay: exit 1" test $rc = 1
expect "crash in replay: draws still printed" grep -qx '    s = "!!"' <<<"$out"
run $A --repro "$rec"
expect "asan replay: names the sanitizer's error" grep -q "CRASHED.*" <<<"$out"
expect "asan replay: finds the frame" grep -q "SEGV in pry_property_crashes_on_bangs tests/harnesses/selftest/selftest.c" <<<"$out"

# --- records: show, repro, shrink ---
rec=$(ls "$T"/f/selftest/all_distinct/*.cbor | head -1)
run $B --show "$rec"
expect "show: typed" grep -qx "    xs = \[0, 0\]" <<<"$out"
expect "show: diagnostic notation" grep -q '"property": "all_distinct"' <<<"$out"
run $B --repro "$rec"
expect "repro of a record: exit 1" test $rc = 1
expect "repro prints a paste-ready PRY_EXAMPLE" grep -q 'PRY_EXAMPLE(all_distinct, "' <<<"$out"
printf '\xd9\xd9\xf7\xa1\x63pry' > "$T/trunc.cbor"
run $B --repro "$T/trunc.cbor"
expect "truncated record: exit 2" test $rc = 2
expect "truncated record: says why" grep -q "not a valid pry record" <<<"$out"
run $B --repro "$T/missing.cbor"
expect "missing file: exit 2" test $rc = 2
run $B --show "$T/trunc.cbor"
expect "show of a bad record: exit 2" test $rc = 2

# raw input, property by the first byte (as under a fuzzer with no PRY_TEST)
printf '\x05\xff\xff\x00\x00' > "$T/raw.bin"   # 5 % 6 = small_numbers, x=65535
run $B --repro "$T/raw.bin"
expect "raw input, first byte selects: fails" test $rc = 1
expect "raw input, first byte selects small_numbers" grep -q "FAILED  selftest/small_numbers" <<<"$out"
printf '\xff\xff\x00\x00' > "$T/raw2.bin"
run $B --shrink "$T/raw2.bin" --test small_numbers -o "$T/shrunk.cbor"
expect "shrink: exit 1 (it fails)" test $rc = 1
expect "shrink: minimal value" grep -qx "    x = 1000" <<<"$out"
expect "shrink: writes the record" test -s "$T/shrunk.cbor"
run $B --repro "$T/shrunk.cbor"
expect "shrunk record replays" grep -qx "    x = 1000" <<<"$out"
# The shrunk bytes stop where x's last two (zero) bytes begin; the record's
# values encode to 4 bytes. Replay prints the bytes the shrink report did.
expect "repro's PRY_EXAMPLE is the record's saved bytes" \
    grep -qF 'PRY_EXAMPLE(small_numbers, "\xe8\x03");' <<<"$out"
expect "repro's input size is the saved one" grep -qx "  input: 2 bytes" <<<"$out"

# PRY_SKIP: the first byte chooses among the properties not skipped
printf '\x04\xff\xff\x00\x00' > "$T/raw4.bin"   # 4 % 5 -> the 5th of 5 left
PRY_SKIP=all_distinct run $B --repro "$T/raw4.bin"
expect "PRY_SKIP: the byte skips all_distinct and picks small_numbers" \
    grep -q "FAILED  selftest/small_numbers" <<<"$out"
PRY_SKIP=all_distinct,small_numbers,nosuch run $B --repro "$T/raw4.bin"
expect "PRY_SKIP of two: 4 % 4 picks the first left" \
    grep -q "PASSED  selftest/addition_commutes" <<<"$out"

# --- health checks ---
run $B --test mostly_discarded --seed 1 --runs 100
expect "too many discards: exit 2" test $rc = 2
expect "too many discards: UNHEALTHY" grep -q "UNHEALTHY" <<<"$out"
# Under --time alone the runs are unbounded, and the health check still
# ends the run (after 10000 discards, not at the time limit).
run timeout 120 $B --test mostly_discarded --seed 1 --time 600 --json "$T/unhealthy.json"
expect "too many discards under --time: exit 2, at once" test $rc = 2
expect "too many discards under --time: UNHEALTHY" grep -q "^UNHEALTHY  selftest/mostly_discarded: 10000 inputs discarded" <<<"$out"
expect "--json status unhealthy" grep -q '"status": "unhealthy", "runs": 10000' "$T/unhealthy.json"
run $B --test addition_commutes --seed 1 --time 1
passed_runs=$(sed -n 's/.*addition_commutes: \([0-9]*\) passed.*/\1/p' <<<"$out")
expect "--time alone is not capped at 1000 runs" test "${passed_runs:-0}" -gt 1000
run $B --test addition_commutes --seed 1 --time 60 --runs 10
expect "--runs with --time: the runs bound" grep -q "addition_commutes: 10 passed" <<<"$out"
# a failure's --json "runs" counts every execution up to it, discards too
run $B --test small_numbers --seed 1 --no-shrink --save-dir "$T/f" --json "$T/fail.json"
expect "failure --json: runs counted" grep -q '"status": "failed", "runs": [0-9]' "$T/fail.json"

# --health: the counters a fuzz build keeps under PRY_HEALTH (health.h)
L=build/libfuzzer/selftest
if [ -x $L ]; then
    PRY_HEALTH="$T/health" PRY_TEST=mostly_discarded run $L -runs=20000 -seed=1
    run $B --health "$T/health" --test mostly_discarded
    expect "--health: too many discards under the fuzzer: exit 2" test $rc = 2
    expect "--health: the UNHEALTHY line" grep -q "^UNHEALTHY  selftest/mostly_discarded: .* under the fuzzer" <<<"$out"
    PRY_HEALTH="$T/health2" PRY_TEST=addition_commutes run $L -runs=20000 -seed=1
    run $B --health "$T/health2"
    expect "--health: a healthy property: exit 0" test $rc = 0
    expect "--health: counts" grep -q "^ok  selftest/addition_commutes: [1-9][0-9]* passed, 0 discarded" <<<"$out"
else
    expect "build/libfuzzer/selftest is built (make fuzz-builds)" false
fi
# Validity feedback (docs/mutator.md): an input pry_assume throws away
# earns the fuzzer no coverage. mostly_discarded keeps only x =
# 1440528649 (the u32 drawn from bytes 09 b9 dc 55); the same code with
# another x is discarded, and the map the engine reads after the run is
# empty.
printf '\x09\xb9\xdc\x55' >"$T/kept.bin"
printf '\x00\x01\x00\x00' >"$T/discarded.bin"
A=build/afl/selftest
if [ -x $A ] && command -v afl-showmap >/dev/null; then
    for f in kept discarded; do
        PRY_TEST=selftest/mostly_discarded AFL_QUIET=1 afl-showmap -q -m none \
            -o "$T/$f.map" -- $A "$T/$f.bin" >/dev/null 2>&1
    done
    # PRY_DISCARD_COVERAGE=1 turns the feedback off: then it has some.
    PRY_DISCARD_COVERAGE=1 PRY_TEST=selftest/mostly_discarded AFL_QUIET=1 afl-showmap -q \
        -m none -o "$T/off.map" -- $A "$T/discarded.bin" >/dev/null 2>&1
    out="kept: $(wc -l <"$T/kept.map") tuples, discarded: $(wc -l <"$T/discarded.map"), feedback off: $(wc -l <"$T/off.map")"
    expect "AFL++: a kept input's run has coverage ($out)" test -s "$T/kept.map"
    expect "AFL++: a discarded input's run has none ($out)" test ! -s "$T/discarded.map"
    expect "AFL++: with the feedback off it has some ($out)" test -s "$T/off.map"
else
    expect "build/afl/selftest and afl-showmap exist (make fuzz-builds, make deps)" false
fi
if [ -x $L ]; then
    for f in kept discarded; do
        mkdir -p "$T/lf-$f"
        cp "$T/$f.bin" "$T/lf-$f/"
        PRY_TEST=selftest/mostly_discarded $L -runs=0 "$T/lf-$f" >"$T/lf-$f.log" 2>&1
    done
    PRY_DISCARD_COVERAGE=1 PRY_TEST=selftest/mostly_discarded $L -runs=0 "$T/lf-discarded" \
        >"$T/lf-off.log" 2>&1
    out=$(grep -h INITED "$T"/lf-*.log)
    expect "libFuzzer: a kept input adds coverage" grep -q 'INITED cov: [1-9]' "$T/lf-kept.log"
    expect "libFuzzer: a discarded input adds none" bash -c "! grep -q 'INITED cov:' '$T/lf-discarded.log'"
    expect "libFuzzer: with the feedback off it adds some" grep -q 'INITED cov: [1-9]' "$T/lf-off.log"
fi

# --- pry_target: a passed run's bucket is coverage, a rejected run's is not ---
# tests/harnesses/targettest: v (u16) is the target, the third byte odd
# rejects. libFuzzer's feature count after loading a corpus (-runs=0):
# v = 160 beside v = 128 is one more feature (a new bucket); a rejected
# v = 1000 beside v = 128 earns what a rejected v = 128 does. (Either
# rejected input still adds one feature with clang 14's libFuzzer, target
# or not: seen here, its source not pinned down; the counters pry clears
# are not it.)
TL=build/libfuzzer/targettest TA=build/afl/targettest
mkdir -p "$T/tg/a" "$T/tg/new" "$T/tg/rej" "$T/tg/rej_same"
printf '\x80\x00\x00' > "$T/tg/v128"
printf '\xa0\x00\x00' > "$T/tg/v160"
printf '\xe8\x03\x01' > "$T/tg/v1000rej"
printf '\x80\x00\x01' > "$T/tg/v128rej"
for d in a new rej rej_same; do cp "$T/tg/v128" "$T/tg/$d/"; done
cp "$T/tg/v160" "$T/tg/new/"; cp "$T/tg/v1000rej" "$T/tg/rej/"; cp "$T/tg/v128rej" "$T/tg/rej_same/"
features() { $TL -runs=0 "$T/tg/$1" 2>&1 | sed -n 's/.*INITED.* ft: \([0-9]*\).*/\1/p'; }
if [ -x $TL ]; then
    fa=$(features a) fnew=$(features new) frej=$(features rej) fsame=$(features rej_same)
    expect "pry_target under libFuzzer: a new bucket is a new feature ($fa -> $fnew)" \
        test "${fnew:-0}" -gt "${fa:-0}"
    expect "pry_target under libFuzzer: a rejected run's bucket earns nothing ($frej = $fsame)" \
        test -n "$frej" -a "$frej" = "$fsame"
else
    expect "$TL is built (make fuzz-builds)" false
fi
tuples() { afl-showmap -q -o "$T/tg/map" -- $TA "$T/tg/$1" >/dev/null 2>&1; cat "$T/tg/map"; }
if [ -x $TA ] && command -v afl-showmap >/dev/null; then
    expect "pry_target under AFL++: 128 and 160 reach different tuples" \
        test "$(tuples v128)" != "$(tuples v160)"
    expect "pry_target under AFL++: as many tuples (one per bucket)" \
        test "$(tuples v128 | wc -l)" = "$(tuples v160 | wc -l)"
    expect "pry_target under AFL++: a rejected run leaves no tuple" test -z "$(tuples v1000rej)"
else
    expect "$TA is built (make fuzz-builds) and afl-showmap found" false
fi

# pry_target's 2,048 blocks are linked only where pry_target is called:
# elsewhere libFuzzer would scan their counters after every run.
defines_edges() { nm --defined-only "$1" 2>/dev/null | grep -q ' pry_target_edge$'; }
lacks_edges() { ! defines_edges "$1"; }
for v in libfuzzer afl; do
    if [ -x build/$v/selftest ] && [ -x build/$v/targettest ]; then
        expect "$v: a harness without pry_target links no target blocks" \
            lacks_edges build/$v/selftest
        expect "$v: a harness with pry_target links them" defines_edges build/$v/targettest
    else
        expect "build/$v/selftest and targettest are built (make fuzz-builds)" false
    fi
done

printf 'not a health file' > "$T/nothealth"
run $B --health "$T/nothealth"
expect "--health of another file: exit 2" test $rc = 2
PRY_SELFTEST_MARKER="$T/marker" run $B --test flaky_once --seed 1 --save-dir "$T/f"
expect "flaky failure: reported as FLAKY" grep -q "FLAKY" <<<"$out"

# --- a runner killed by SIGKILL leaves no child running ---
$B --test addition_commutes --runs 1000000000 --seed 3 --save-dir "$T/k" >/dev/null 2>&1 &
parent=$!
for _ in $(seq 50); do
    [ -n "$(pgrep -P $parent)" ] && break
    sleep 0.1
done
child=$(pgrep -P $parent)
expect "random mode runs in a child process" test -n "$child"
disown $parent 2>/dev/null; kill -9 $parent
wait $parent 2>/dev/null || true
for _ in $(seq 50); do
    kill -0 "$child" 2>/dev/null || break
    sleep 0.1
done
expect "SIGKILL of the runner: its child is gone too" bash -c "! kill -0 $child 2>/dev/null"

summary
