#!/usr/bin/env bash
# tests/test_install.sh: `make install` and using the installed kit from
# another project (examples/outoftree, copied out of the tree first), as a
# user would: a clean environment (env -i: PATH and HOME only, no
# PKG_CONFIG_PATH), Debian 12's GNU make 4.3, only what the example's
# README says to type.
#
#   - make install PREFIX=... puts per-variant libraries (libpry.a,
#     libpry-asan.a, libpry-libfuzzer.a, libpry-afl.a, libpry-cov.a, and
#     --mutator typed's libpry-mutator.a, libpry-libfuzzer-typed.a), their
#     pkg-config modules, pry.h, share/pry/pry.mk, the record reader (lib/pry/pryrecord) and
#     the pry command under the prefix; DESTDIR stages it without changing
#     the modules' prefix; the modules carry pry.h's version;
#   - the example builds with its Makefile and PREFIX= alone (make 4.3 does
#     not pass `export`ed variables to $(shell), so PKG_CONFIG_PATH must be
#     given inline): plain, libFuzzer and AFL++ builds;
#   - plain: its properties pass in random mode; with its planted bug
#     (-DEXAMPLE_BUG) random mode fails with a typed counterexample;
#   - AFL++: the build carries the entry point (no weak-symbol segfault)
#     and the installed pry fuzzes it through pry.toml (executions, no
#     finding on the correct build); with --mutator typed, pry builds the
#     mutator variant (a shared object exporting the afl_custom_*
#     functions) and afl-fuzz runs the typed stage (its counts);
#   - libFuzzer: the installed pry finds the planted bug, shrinks it and
#     saves a record; show, repro and shrink read that record with the
#     installed reader; list takes pry.toml's harness and a binary's path;
#     cov reports the example's own files (not pry.h); with --mutator
#     typed libFuzzer finds the bug through pry's custom mutator and
#     crossover; without --mutator and without a mutator build, AFL++
#     falls back to byte mutation and says so;
#   - pry new NAME in an empty folder: NAME.c, NAME.mk (through the
#     installed share/pry/pry.mk) and pry.toml; the property passes, and a
#     bug put into it is found by AFL++ with the typed mutator and shrunk.
#
# Needs the plain build of the kit (make plain) and clang/afl++ for the
# fuzzing variants; make test builds what it needs first.
# Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh
REPO=$PWD

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
has() { printf '%s\n' "$out" | grep -qE -- "$1"; }

if ! command -v pkg-config >/dev/null; then
    out="pkg-config is not installed: sudo apt-get install -y pkg-config (it belongs in mk/deps.sh)"
    expect "pkg-config is installed" false
    summary
fi

P=$tmp/prefix
out=$(make --no-print-directory install PREFIX="$P" 2>&1)
rc=$?
expect "make install PREFIX=\$tmp/prefix exits 0" test "$rc" = 0
[ "$rc" = 0 ] || summary # nothing below can work
for v in pry pry-asan pry-libfuzzer pry-afl pry-cov pry-mutator pry-libfuzzer-typed; do
    expect "installs lib/lib$v.a and lib/pkgconfig/$v.pc" \
        test -f "$P/lib/lib$v.a" -a -f "$P/lib/pkgconfig/$v.pc"
done
expect "installs include/pry.h (the same header)" cmp -s "$P/include/pry.h" generators/pry.h
expect "installs the record reader (lib/pry/pryrecord)" test -x "$P/lib/pry/pryrecord"
out="bin/pry not installed: the Makefile's install target does not install the wrapper"
expect "installs the pry command (bin/pry)" test -x "$P/bin/pry"

# What the user's shell has: PATH (with the prefix's bin, as the README
# says) and HOME. Nothing else, no PKG_CONFIG_PATH.
H=$tmp/home
mkdir -p "$H"
user() { env -i PATH="$P/bin:/usr/local/bin:/usr/bin:/bin" HOME="$H" "$@"; }

out=$(cd "$tmp" && user pry help 2>&1)
expect "installed pry runs from anywhere (pry help exits 0, prints the usage)" has 'usage:'

pc() { PKG_CONFIG_PATH=$P/lib/pkgconfig pkg-config "$@"; }
out=$(pc --cflags --libs pry 2>&1)
expect "pkg-config --cflags --libs pry: the prefix's include and lib folders, -lpry" \
    sh -c "printf '%s' \"\$1\" | grep -q -- '-I$P/include' && printf '%s' \"\$1\" | grep -q -- '-L$P/lib' && printf '%s' \"\$1\" | grep -q -- '-lpry '" _ "$out"
out=$(pc --libs pry-afl pry-libfuzzer 2>&1)
expect "pry-afl and pry-libfuzzer pull the fuzz entry out of the archive (--undefined)" \
    has '--undefined=LLVMFuzzerTestOneInput'
out=$(pc --cflags --libs pry-mutator 2>&1)
expect "pry-mutator: position-independent objects linked -shared, afl_custom_init pulled out of the archive" \
    sh -c "printf '%s' \"\$1\" | grep -q -- '-fPIC' && printf '%s' \"\$1\" | grep -q -- '-shared' && printf '%s' \"\$1\" | grep -q -- '--undefined=afl_custom_init'" _ "$out"
out=$(pc --libs pry-libfuzzer-typed 2>&1)
expect "pry-libfuzzer-typed pulls the custom mutator and crossover out of the archive (--undefined)" \
    sh -c "printf '%s' \"\$1\" | grep -q -- '--undefined=LLVMFuzzerCustomMutator' && printf '%s' \"\$1\" | grep -q -- '--undefined=LLVMFuzzerCustomCrossOver'" _ "$out"
hv=$(sed -n 's/^#define PRY_VERSION "\(.*\)"/\1/p' generators/pry.h)
out="pkg-config: $(pc --modversion pry 2>&1), pry.h: $hv"
expect "pry.pc's version is pry.h's PRY_VERSION ($hv)" test "$(pc --modversion pry)" = "$hv"

# DESTDIR: staged files, the modules still say the real prefix.
out=$(make --no-print-directory install DESTDIR="$tmp/stage" PREFIX=/opt/pry 2>&1)
expect "make install DESTDIR=... PREFIX=/opt/pry exits 0" test $? = 0
expect "DESTDIR stages under \$DESTDIR\$PREFIX, pry-afl.pc keeps prefix=/opt/pry" \
    sh -c "test -f '$tmp/stage/opt/pry/lib/libpry-afl.a' && grep -qx 'prefix=/opt/pry' '$tmp/stage/opt/pry/lib/pkgconfig/pry-afl.pc'"
rm -rf "$tmp/stage"

# The example, as its own project, nowhere near pry's source tree.
E=$tmp/myproject
cp -R examples/outoftree "$E"
rm -rf "$E/rle_props" "$E/build" "$E/pry-out"
out=$(grep -n "$REPO\|generators/\|\.\./" "$E/Makefile" "$E/pry.toml" || true)
expect "example's Makefile and pry.toml do not refer to pry's source tree" test -z "$out"
# Debian 12's make is 4.3, whose $(shell) does not see exported variables:
# the case the example's Makefile is written for. Say which make this is.
echo "note: the example is built with $(user make --version | head -1)"

out=$(cd "$E" && user make --no-print-directory PREFIX="$P" 2>&1)
expect "plain: the example builds against the installed kit (make PREFIX=..., clean env)" test -x "$E/rle_props"
out=$(cd "$E" && ./rle_props --list 2>&1)
expect "plain: the example lists its properties (roundtrip, decode_total)" \
    sh -c "printf '%s\n' \"\$1\" | grep -q '/roundtrip$' && printf '%s\n' \"\$1\" | grep -q '/decode_total$'" _ "$out"
out=$(cd "$E" && user make --no-print-directory PREFIX="$P" check 2>&1)
expect "plain: make check passes (random mode, --seed 1 --runs 2000)" test $? = 0

# AFL++ and libFuzzer builds of the correct example.
if command -v afl-clang-fast >/dev/null && command -v clang >/dev/null; then
    out=$(cd "$E" && user make --no-print-directory PREFIX="$P" fuzz-builds 2>&1)
    expect "libFuzzer and AFL++ builds (make fuzz-builds, clean env)" \
        test -x "$E/build/libfuzzer/rle_props" -a -x "$E/build/afl/rle_props" -a -x "$E/build/afl-cmplog/rle_props"
    out=$(nm "$E/build/afl/rle_props" 2>&1)
    expect "AFL++ build: the entry point is linked in strongly (not a weak NULL)" \
        has '^[0-9a-f]+ T LLVMFuzzerTestOneInput$'
    expect "AFL++ build: the example's code is instrumented (__afl_area_ptr)" has '__afl_area_ptr'
    out=$(cd "$E" && printf 'abc' | PRY_TEST=roundtrip ./build/afl/rle_props 2>&1)
    expect "AFL++ build runs an input outside afl-fuzz (exit 0, no segfault)" test $? = 0

    out=$(cd "$E" && user pry list 2>&1)
    expect "installed pry list reads pry.toml (rle_props/roundtrip, rle_props/decode_total)" \
        sh -c "printf '%s\n' \"\$1\" | grep -qx 'rle_props/roundtrip' && printf '%s\n' \"\$1\" | grep -qx 'rle_props/decode_total'" _ "$out"
    out=$(cd "$tmp" && user pry list "$E/rle_props" 2>&1)
    expect "installed pry list takes a harness binary's path" has '^rle_props/roundtrip$'
    # Out of pry's checkout nothing says which libraries are under test:
    # doctor says it did not check, rather than "ok".
    out=$(cd "$E" && user pry doctor rle_props 2>&1)
    expect "installed pry doctor: instrumentation of the code under test not checked, not 'ok'" \
        sh -c "printf '%s\n' \"\$1\" | grep -q '^?  *rle_props: code under test instrumented: not checked' && ! printf '%s\n' \"\$1\" | grep -q '^ok  *rle_props:'" _ "$out"
    out=$(cd "$E" && user pry fuzz rle_props/roundtrip --engine afl --time 5 --seed 1 \
        --json "$tmp/afl.json" 2>&1)
    rc=$?
    expect "installed pry fuzzes the example with AFL++ (exit 0, no finding on the correct build)" \
        test "$rc" = 0
    expect "AFL++ campaign ran executions" \
        python3 -c "import json,sys; sys.exit(0 if json.load(open('$tmp/afl.json'))['execs'] > 0 else 1)"

    # --mutator typed: pry builds the mutator variant through pry.toml (a
    # shared object) and afl-fuzz loads it. PRY_MUTATOR_STATS=1 makes the
    # library count its mutations at exit, in afl-fuzz's log: the typed
    # stage ran, not only AFL++'s own havoc.
    out=$(cd "$E" && user PRY_MUTATOR_STATS=1 pry fuzz rle_props/roundtrip --engine afl \
        --mutator typed --time 3 --seed 1 --json "$tmp/afl-typed.json" 2>&1)
    rc=$?
    expect "installed pry fuzz --engine afl --mutator typed: exit 0 on the correct build (got $rc)" \
        test "$rc" = 0
    out=$(file "$E/build/mutator/rle_props" 2>&1; nm -D --defined-only "$E/build/mutator/rle_props" 2>&1)
    expect "the mutator build is a shared object exporting the afl_custom_* functions afl-fuzz 4.04c looks up" \
        sh -c "printf '%s\n' \"\$1\" | grep -q 'shared object' && for f in init queue_get fuzz_count fuzz describe deinit; do printf '%s\n' \"\$1\" | grep -q \" T afl_custom_\$f\$\" || exit 1; done" _ "$out"
    out=$(grep -a '^pry: typed mutations:' "$E/pry-out/rle_props/roundtrip/afl/afl-main.log" 2>&1)
    expect "AFL++ ran the typed mutator (custom stages and typed mutations counted: ${out#pry: typed mutations: })" \
        python3 -c "import re,sys; s=sys.argv[1]; m=re.search(r'; (\d+) custom stages', s); sys.exit(0 if m and int(m.group(1)) > 0 and sum(map(int, re.findall(r' [a-z-]+ (\d+)', s.split(';')[0]))) > 0 else 1)" "$out"
    # A project whose build has no mutator variant (a Makefile from before
    # it): the error says what to add.
    cp -R "$E" "$tmp/older" && rm -rf "$tmp/older/build/mutator"
    sed -i 's/^build = .*/build = "true"/' "$tmp/older/pry.toml"
    out=$(cd "$tmp/older" && user pry fuzz rle_props/roundtrip --engine afl --mutator typed --time 1 2>&1)
    expect "no mutator build in the project: the error names the compiler and module (clang, pry-mutator, a shared object)" \
        has 'build/mutator/rle_props does not exist.*with clang and `pkg-config --cflags --libs pry-mutator` into a shared object'
    # Without --mutator, AFL++'s default typed mutator falls back to AFL++'s
    # byte mutation there, and says so: the campaign still runs.
    out=$(cd "$tmp/older" && user pry fuzz rle_props/roundtrip --engine afl --time 1 --seed 1 2>&1)
    rc=$?
    expect "no mutator build and no --mutator: byte mutation, said so, exit 0 (got $rc)" \
        sh -c "test $rc = 0 && printf '%s\n' \"\$1\" | grep -q '^pry: no typed mutator for rle_props:' && printf '%s\n' \"\$1\" | grep -q 'fuzzing rle_props/roundtrip with afl for'" _ "$out"
    rm -rf "$tmp/older"

    # The planted bug, found by libFuzzer through the installed pry.
    out=$(cd "$E" && user make --no-print-directory clean && user make --no-print-directory \
        PREFIX="$P" EXTRA=-DEXAMPLE_BUG rle_props build/asan/rle_props build/libfuzzer/rle_props \
        build/libfuzzer-typed/rle_props 2>&1)
    expect "the example builds with -DEXAMPLE_BUG (plain, asan, libfuzzer, libfuzzer-typed)" \
        test -x "$E/build/libfuzzer/rle_props" -a -x "$E/build/asan/rle_props" -a -x "$E/build/libfuzzer-typed/rle_props"
    out=$(cd "$E" && ./rle_props --seed 1 --runs 2000 2>&1)
    rc=$?
    expect "planted bug: random mode fails with exit 1 (got $rc)" test "$rc" = 1
    expect "planted bug: the counterexample is printed typed (roundtrip, a run of 256+)" \
        sh -c "printf '%s\n' \"\$1\" | grep -q 'roundtrip' && printf '%s\n' \"\$1\" | grep -qE 'run = (2[5-9][0-9]|[3-9][0-9][0-9])'" _ "$out"
    out=$(cd "$E" && user pry fuzz rle_props/roundtrip --engine libfuzzer --seed 1 2>&1)
    rc=$?
    expect "installed pry fuzz with libFuzzer finds the planted bug (exit 1)" test "$rc" = 1
    expect "the finding is reported typed and shrunk (input = [{byte = ..., run = 256+}])" \
        has 'run = (25[6-9]|2[6-9][0-9]|[3-9][0-9][0-9])'
    expect "the report names the installed command (replay: pry repro ..., not ./pry)" \
        has '^  replay: pry repro pry-out/'
    rec=$(ls "$E"/pry-out/rle_props/roundtrip/findings/*.cbor 2>/dev/null | head -1)
    raw=$(ls "$E"/pry-out/rle_props/roundtrip/findings/*.bin 2>/dev/null | head -1)
    expect "the finding is saved as a record (.cbor) and raw bytes (.bin)" test -n "$rec" -a -n "$raw"
    if [ -n "$rec" ]; then
        out=$(cd "$E" && user pry show "$rec" 2>&1)
        expect "installed pry show reads the record with the installed reader" \
            has '^rle_props/roundtrip: failed'
        out=$(cd "$E" && user pry repro "$rec" 2>&1)
        rc=$?
        expect "installed pry repro replays the record: FAILED, exit 1 (got $rc)" \
            sh -c "test $rc = 1 && printf '%s' \"\$1\" | grep -q 'FAILED  rle_props/roundtrip'" _ "$out"
        out=$(cd "$E" && user pry shrink "$raw" rle_props/roundtrip -o "$tmp/shrunk.cbor" 2>&1)
        expect "installed pry shrink writes a record" test -s "$tmp/shrunk.cbor"
    fi
    out=$(cd "$E" && user pry cov rle_props/roundtrip 2>&1)
    expect "installed pry cov: line coverage of rle.c from the campaign's corpus, not of pry.h" \
        sh -c "printf '%s\n' \"\$1\" | grep -qE '^rle\.c +[0-9.]+%' && ! printf '%s\n' \"\$1\" | grep -q 'pry\.h'" _ "$out"
    expect "installed pry cov: the property file (it includes pry.h) is not counted as code under test" \
        sh -c "! printf '%s\n' \"\$1\" | grep -q '^rle_props\.c '" _ "$out"

    # --mutator typed under libFuzzer: the planted bug again, found through
    # the custom mutator and crossover (libFuzzer's log says it found them
    # and names them in the mutation sequences of its new inputs).
    rm -rf "$E/pry-out"
    out=$(cd "$E" && user pry fuzz rle_props/roundtrip --engine libfuzzer --mutator typed --seed 1 \
        --time 60 2>&1)
    rc=$?
    expect "installed pry fuzz --engine libfuzzer --mutator typed finds the planted bug (exit 1, got $rc)" \
        sh -c "test $rc = 1 && printf '%s\n' \"\$1\" | grep -qE 'run = (25[6-9]|2[6-9][0-9]|[3-9][0-9][0-9])'" _ "$out"
    out=$(cat "$E/pry-out/rle_props/roundtrip/libfuzzer/libfuzzer.log" 2>&1)
    expect "libFuzzer ran pry's custom mutator and crossover (found LLVMFuzzerCustomMutator; MS: Custom, CustomCrossOver)" \
        sh -c "printf '%s\n' \"\$1\" | grep -q '^INFO: found LLVMFuzzerCustomMutator' && printf '%s\n' \"\$1\" | grep -q 'MS: .*Custom-' && printf '%s\n' \"\$1\" | grep -q 'MS: .*CustomCrossOver-'" _ "$out"

    # pry new out of a checkout: NAME.c, NAME.mk (with the installed
    # pry.mk) and pry.toml, and pry fuzz runs at once; a bug put into the
    # template's decoder is found under AFL++'s default, the typed mutator,
    # and shrunk.
    N=$tmp/newproject
    mkdir -p "$N"
    out=$(cd "$N" && user pry new kv 2>&1)
    expect "installed pry new kv: kv.c, kv.mk, pry.toml and a seed" \
        test -f "$N/kv.c" -a -f "$N/kv.mk" -a -f "$N/pry.toml" -a -f "$N/corpora/kv/seeds/short-string"
    out=$(cd "$N" && user pry new kv 2>&1)
    rc=$?
    expect "pry new kv again: exit 2, it exists (got $rc)" \
        sh -c "test $rc = 2 && printf '%s' \"\$1\" | grep -q 'already exists'" _ "$out"
    out=$(cd "$N" && user pry list 2>&1)
    expect "pry list reads the new pry.toml entry (kv/roundtrip)" has '^kv/roundtrip$'
    out=$(cd "$N" && user pry fuzz kv --engine random --time 1 --seed 1 2>&1)
    rc=$?
    expect "the new property passes in random mode (exit 0, got $rc)" test "$rc" = 0
    sed -i 's/k < in\[i\]; k++/k < (in[i] > 5 ? in[i] - 1 : in[i]); k++/' "$N/kv.c"
    out=$(cd "$N" && user pry fuzz kv --seed 1 2>&1)
    rc=$?
    expect "a bug put in: AFL++ with the typed mutator finds it (exit 1, got $rc)" \
        sh -c "test $rc = 1 && printf '%s\n' \"\$1\" | grep -q 'with afl (typed mutator)'" _ "$out"
    expect "shrunk to the shortest failing string: 6 bytes" has '^ +s = ".*" \(6 bytes\)$'
fi

summary
