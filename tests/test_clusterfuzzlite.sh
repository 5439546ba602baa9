#!/usr/bin/env bash
# tests/test_clusterfuzzlite.sh: .clusterfuzzlite/ under the OSS-Fuzz /
# ClusterFuzzLite build contract, simulated without Docker.
#
#   1. libFuzzer + ASan, the way the `compile` step sets the environment:
#      every shipped property has a fuzzer (or an explicit, reasoned skip),
#      names are legal, seed zips / dicts / options are well-formed, the
#      fuzzers need nothing from the build image at run time, and each one
#      runs briefly on its seeds and exits 0 (the correct build).
#   2. AFL++ (CC=afl-clang-fast, the AFL driver through -fsanitize=fuzzer):
#      with build.sh copied to $SRC/build.sh and run from the clone, as the
#      Dockerfile lays it out, for the nic harness's properties, with a
#      planted bug switched on; binaries are AFL-instrumented and run on a
#      seed; afl-showmap sees coverage; and the fuzzer of the property whose
#      known failing input is committed fails on that input, and says which
#      property failed (the per-property selection works without PRY_TEST
#      in the environment), while the correct build of step 1 passes it.
#
# Needs the plain build (build/plain/<harness> --list says which properties
# exist): run after `make all`, as `make test` does. Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh
REPO=$PWD

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

missing=""
for tool in clang clang++ zip unzip python3 make ar ldd; do
    command -v "$tool" >/dev/null || missing="$missing $tool"
done
if [ -n "$missing" ]; then
    out="missing tools:$missing (run make deps)"
    expect "tools for the OSS-Fuzz simulation are installed" false
    summary
fi

SANFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address,fuzzer-no-link"

# ---------------------------------------------------------------- static
out=$(grep -v '^[[:space:]]*#' .clusterfuzzlite/build.sh | grep -nE '(^|[[:space:]"])(clang|clang\+\+|gcc|g\+\+|cc|afl-clang-fast)[[:space:]]|-fsanitize' || true)
expect "build.sh calls no compiler and sets no sanitizer of its own (\$CC/\$CXX/\$CFLAGS only)" test -z "$out"
out=$(cat .clusterfuzzlite/project.yaml)
expect "project.yaml says language: c" grep -qx 'language: c' .clusterfuzzlite/project.yaml
df=.clusterfuzzlite/Dockerfile
out=$(cat $df)
expect "Dockerfile: FROM the base-builder image" grep -qx 'FROM gcr.io/oss-fuzz-base/base-builder' $df
expect "Dockerfile: clone at \$SRC/pry, WORKDIR there, build.sh at \$SRC/" \
    sh -c "grep -qx 'COPY . \$SRC/pry' $df && grep -qx 'WORKDIR \$SRC/pry' $df && grep -qx 'COPY .clusterfuzzlite/build.sh \$SRC/' $df"
# Every extra library the harnesses link (-lX in <h>_LDLIBS/<t>_LDLIBS)
# is installed by the Dockerfile as libX-dev.
ldlibs=$(make --no-print-directory -s -f mk/common.mk -f - pry-ldlibs <<'EOF'
pry-ldlibs:
	@echo $(foreach v,$(filter %_LDLIBS,$(.VARIABLES)),$($(v)))
EOF
)
bad=""
for a in $ldlibs; do
    case "$a" in -lm|-lrt|-lpthread|-ldl) continue ;; -l*) ;; *) continue ;; esac
    grep -q "apt-get install.*lib${a#-l}-dev" $df || bad="$bad $a"
done
out="libraries linked but not installed by $df:$bad"
expect "Dockerfile installs every library in *_LDLIBS ($ldlibs)" test -z "$bad"

# The properties that exist: asked of the plain builds, not of the sources.
expected=$tmp/expected
: >"$expected"
for h in $(make --no-print-directory -s -f mk/common.mk -f - pry-h <<'EOF'
pry-h:
	@echo $(SHIPPED_HARNESSES)
EOF
); do
    if [ ! -x "build/plain/$h" ]; then
        out="build/plain/$h is missing: run 'make plain' first"
        expect "plain build of harness $h exists (to list its properties)" false
        continue
    fi
    PRY_QUIET=1 "build/plain/$h" --list 2>/dev/null >>"$expected"
done
sort -o "$expected" "$expected"

# ------------------------------------------------------- libFuzzer + ASan
build_cfl() { # build_cfl OUT WORK LOG CC CXX FLAGS [script [cwd]]
    local o=$1 w=$2 log=$3 cc=$4 cxx=$5 flags=$6 script=${7:-$REPO/.clusterfuzzlite/build.sh} cwd=${8:-$REPO}
    mkdir -p "$o" "$w"
    (cd "$cwd" && env CC="$cc" CXX="$cxx" CFLAGS="$flags" CXXFLAGS="$flags" \
        LIB_FUZZING_ENGINE=-fsanitize=fuzzer SANITIZER=address FUZZING_ENGINE=libfuzzer \
        SRC="$(dirname "$REPO")" OUT="$o" WORK="$w" bash "$script") >"$log" 2>&1
}
O=$tmp/out W=$tmp/work
build_cfl "$O" "$W" "$tmp/build.log" clang clang++ "$SANFLAGS"
rc=$?
out=$(tail -30 "$tmp/build.log")
expect "build.sh (libFuzzer, ASan) exits 0" test "$rc" = 0

manifest=$W/pry-fuzzers.tsv
cut -f2 "$manifest" 2>/dev/null | sort >"$tmp/covered"
out=$(diff "$expected" "$tmp/covered")
expect "every property of every shipped harness is built or skipped with a reason ($(wc -l <"$expected") properties)" \
    sh -c "[ -s '$expected' ] && diff -q '$expected' '$tmp/covered'"
out=$(awk -F'\t' '$3 == "skipped" && $4 == ""' "$manifest")
expect "every skipped property says why" test -z "$out"

# Expected failures (known bugs of libraries we do not own) are not fuzzed.
bad=""
for x in harnesses/*/expected-failures.tsv; do
    [ -f "$x" ] || continue
    h=$(basename "$(dirname "$x")")
    for p in $(grep -v '^[[:space:]]*#' "$x" | cut -f1); do
        awk -F'\t' -v k="$h/$p" '$2 == k && $3 == "built"' "$manifest" | grep -q . && bad="$bad $h/$p"
    done
done
out="built although listed in expected-failures.tsv:$bad"
expect "properties in harnesses/*/expected-failures.tsv are not built" test -z "$bad"

fuzzers=$(awk -F'\t' '$3 == "built" { print $1 }' "$manifest")
n_fuzzers=$(echo "$fuzzers" | grep -c .)
expect "at least one fuzzer built" test "$n_fuzzers" -gt 0
out=$(echo "$fuzzers" | grep -vE '^[A-Za-z0-9_-]+$' || true)
expect "fuzzer names use only letters, digits, _ and -" test -z "$out"

# Every options file parses, has [libfuzzer] and an integer max_len, and
# names an existing dict: checked in one python3 for all of them (a
# python3 apiece was a third of a second each where python3 is a shim).
# Prints the fuzzers whose file does not.
# shellcheck disable=SC2086 # $fuzzers is a word list
bad_options=$(python3 - "$O" $fuzzers <<'EOF'
import configparser, os, sys
out = sys.argv[1]
for f in sys.argv[2:]:
    try:
        c = configparser.ConfigParser()
        c.read_string(open(os.path.join(out, f + ".options")).read())
        s = c["libfuzzer"]
        assert int(s["max_len"]) > 0
        if "dict" in s:
            assert "/" not in s["dict"] and os.path.isfile(os.path.join(out, s["dict"]))
    except Exception:
        print(f)
EOF
)

for f in $fuzzers; do
    hp=$(awk -F'\t' -v f="$f" '$1 == f { print $2 }' "$manifest")
    h=${hp%%/*}
    p=${hp#*/}
    expect "$f: named <harness>_<property>" test "$f" = "${h}_${p}"
    expect "$f: executable in \$OUT" test -x "$O/$f"

    zipf=$O/${f}_seed_corpus.zip
    out=$(unzip -tq "$zipf" 2>&1)
    expect "$f: seed corpus zip is valid" unzip -tq "$zipf"
    c=$tmp/corpus/$f
    mkdir -p "$c"
    (cd "$c" && unzip -qo "$zipf")
    expect "$f: seed corpus is not empty" sh -c "[ -n \"\$(ls -A '$c')\" ]"
    # Every committed seed made it in.
    for s in corpora/"$h"/"$p"/seeds/* corpora/"$h"/seeds/*; do
        [ -s "$s" ] || continue
        expect "$f: seed $s is in the zip" sh -c "for z in '$c'/*; do cmp -s \"\$z\" '$s' && exit 0; done; exit 1"
    done
    for r in corpora/"$h"/"$p"/regressions/*.cbor; do
        [ -f "$r" ] || continue
        expect "$f: regression $(basename "$r") is in the zip (raw input)" \
            test -f "$c/regression-$(basename "$r" .cbor | cut -c1-16)"
    done

    opts=$O/$f.options
    out=$(cat "$opts" 2>&1)
    expect "$f: options file parses, has [libfuzzer] and an integer max_len, and names an existing dict" \
        sh -c 'test -f "$1" && ! printf "%s\n" "$2" | grep -qx "$3"' _ "$opts" "$bad_options" "$f"
    if compgen -G "corpora/$h/*.dict" >/dev/null || compgen -G "corpora/$h/$p/*.dict" >/dev/null; then
        expect "$f: has a dictionary (corpora/$h has one)" test -s "$O/$f.dict"
        expect "$f: options use the dictionary" grep -qx "dict = $f.dict" "$opts"
    fi

    # Fuzz briefly on a copy of the seeds, with the dictionary if any (so
    # libFuzzer parses it too), the options' max_len: exits 0. 300 runs
    # past the seeds: the fuzzer runs and mutates; finding bugs is the
    # other suites' job.
    maxlen=$(sed -n 's/^max_len = //p' "$opts")
    dictarg=()
    [ -f "$O/$f.dict" ] && dictarg=(-dict="$O/$f.dict")
    out=$(cd "$tmp" && "$O/$f" -seed=1 -runs=300 -max_total_time=2 -max_len="$maxlen" \
        "${dictarg[@]}" "$c" 2>&1)
    rc=$?
    expect "$f: fuzzes 300 runs (or 2 s) and exits 0" test "$rc" = 0
    expect "$f: libFuzzer parsed the dictionary" sh -c "[ ${#dictarg[@]} = 0 ] || printf '%s' \"\$1\" | grep -q 'Dictionary: [1-9]'" _ "$out"
    expect "$f: its property is selected (no spreading over several)" \
        sh -c "! printf '%s' \"\$1\" | grep -q 'PRY_TEST not set'" _ "$out"
done

# Selection is built in: an unrelated PRY_TEST in the environment does not
# change what a fuzzer runs.
f1=$(echo "$fuzzers" | head -1)
out=$(cd "$tmp" && PRY_TEST=no_such_property "$O/$f1" -runs=10 2>&1)
expect "$f1: ignores PRY_TEST from the environment" test $? = 0

# The runner image has none of the -dev packages: every library a fuzzer
# needs beyond the C/C++ runtime is static or bundled in $OUT/lib.
bad=""
for f in $fuzzers; do
    while read -r lib _ path _; do
        case "$lib" in
            linux-vdso*|/lib*/ld-linux*|libc.so*|libm.so*|libpthread.so*|librt.so*|libdl.so*|libstdc++.so*|libgcc_s.so*) ;;
            *) case "$path" in "$O"/lib/*) ;; *) bad="$bad $f:$lib=>$path" ;; esac ;;
        esac
    done < <(ldd "$O/$f" | sed 's/^[[:space:]]*//')
done
out="needs libraries outside \$OUT:$bad"
expect "fuzzers need no library from the build image at run time" test -z "$bad"

# A fuzzer that does not link fails the build (OSS-Fuzz runs build.sh with
# bash -e; so does the script itself), rather than shipping fewer fuzzers.
# (cbor: the smallest harness, no target library to compile first.)
(export PRY_CFL_HARNESSES=cbor
 build_cfl "$tmp/fout" "$tmp/fwork" "$tmp/fail.log" clang clang++ "$SANFLAGS -lpry_no_such_library")
rc=$?
out=$(tail -5 "$tmp/fail.log")
expect "build.sh exits non-zero when a fuzzer fails to link (exit $rc)" test "$rc" != 0

# ------------------------------------------------- AFL++, with a planted bug
if ! command -v afl-clang-fast >/dev/null; then
    out="afl-clang-fast not found (run make deps: afl++)"
    expect "AFL++ is installed" false
    summary
fi
# A committed known failing input of a planted bug (harnesses/<h>/plants/
# P.cbor, the plain-build one) whose failure is a failed check (so the
# property's own message comes out, not a sanitizer's): the nic harness's
# first. nic: a target library compiled by afl-clang-fast, and the fewest
# fuzzers of such a harness to link (4). One build serves the engine's
# checks and the plant's (the seeds pass with the plant on): the libFuzzer
# build above covered every harness, correct.
make -s --no-print-directory build/bin/pryrecord >/dev/null 2>&1
plant_rec='' ph='' pp=''
for f in harnesses/nic/plants/*.cbor harnesses/*/plants/*.cbor; do
    case "$f" in *.asan.cbor) continue ;; esac
    [ -f "$f" ] || continue
    mapfile -t head < <(build/bin/pryrecord "$f")
    if [ "${head[3]:-}" = "failed check" ]; then
        build/bin/pryrecord --input "$f" > "$tmp/plant.in"
        plant_rec=$f ph=${head[0]} pp=${head[1]}
        break
    fi
done
if [ -z "$plant_rec" ]; then
    out="no harnesses/*/plants/*.cbor"
    expect "a planted bug's known failing input is committed" false
    summary
fi
plant=$(basename "$plant_rec" .cbor)
def=PRY_PLANT_$(echo "$plant" | tr 'a-z-' 'A-Z_')
# As in the image: the script at $SRC/build.sh, run from the clone.
mkdir -p "$tmp/src"
cp .clusterfuzzlite/build.sh "$tmp/src/build.sh"
AO=$tmp/aout AW=$tmp/awork
(export AFL_QUIET=1 PRY_CFL_HARNESSES=$ph
 build_cfl "$AO" "$AW" "$tmp/afl.log" afl-clang-fast afl-clang-fast++ \
    "$SANFLAGS -D$def" "$tmp/src/build.sh" "$REPO")
rc=$?
out=$(tail -30 "$tmp/afl.log")
expect "build.sh (AFL++, afl-clang-fast, copied to \$SRC/build.sh, planted bug $plant) exits 0" test "$rc" = 0
afl_fuzzers=$(awk -F'\t' '$3 == "built" { print $1 }' "$AW/pry-fuzzers.tsv" 2>/dev/null)
out="AFL++: $afl_fuzzers"
expect "AFL++ build makes the same $ph fuzzers" \
    test "$afl_fuzzers" = "$(echo "$fuzzers" | grep "^${ph}_")"
for f in $afl_fuzzers; do
    expect "$f (AFL++): instrumented (shared-memory map, persistent-mode signature)" \
        sh -c "grep -qa __AFL_SHM_ID '$AO/$f' && grep -qa '##SIG_AFL_PERSISTENT##' '$AO/$f'"
    seed=$(ls "$tmp/corpus/$f"/* | head -1)
    out=$(cd "$tmp" && "$AO/$f" "$seed" 2>&1)
    expect "$f (AFL++): runs a seed and exits 0" test $? = 0
done
f=$(echo "$afl_fuzzers" | head -1)
seed=$(ls "$tmp/corpus/$f"/* | head -1)
out=$(cd "$tmp" && AFL_QUIET=1 afl-showmap -q -m none -t 5000 -o "$tmp/map" -- "$AO/$f" "$seed" 2>&1)
expect "$f (AFL++): afl-showmap sees coverage" test -s "$tmp/map"

# The plant's known failing input, as raw bytes, on its property's fuzzer:
# it fails and names the property (the selection is built in); the
# correct libFuzzer build of step 1 passes it.
out=$(cd "$tmp" && "$AO/${ph}_${pp}" "$tmp/plant.in" 2>&1)
rc=$?
expect "planted $plant: ${ph}_${pp} fails on the committed input (exit $rc)" test "$rc" != 0
expect "planted $plant: the failure names property $pp" \
    sh -c "printf '%s' \"\$1\" | grep -q 'pry: property $pp failed'" _ "$out"
out=$(cd "$tmp" && "$O/${ph}_${pp}" "$tmp/plant.in" 2>&1)
expect "correct build: ${ph}_${pp} passes the same input" test $? = 0

summary
