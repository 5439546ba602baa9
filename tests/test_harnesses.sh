#!/usr/bin/env bash
# test_harnesses.sh: the shipped harnesses, deterministically.
#  1. every property passes a random-mode run on the correct build
#     (pinned seed), except those listed in harnesses/<h>/expected-failures.tsv
#     (bugs of a library we do not own), which must still fail;
#  2. every committed regression (corpora/<h>/<p>/regressions/*.cbor)
#     passes on the correct build with sanitizers (or, for an expected
#     failure, still fails);
#  3. every planted bug's known failing input (harnesses/<h>/plants/P.cbor,
#     or P.asan.cbor for bugs only a sanitizer sees) fails on the build with
#     that plant and passes on the correct build.
#  4. no harness source mentions a planted bug: plant builds share the
#     harness objects of the correct build (mk/build.mk's HOBJDIR).
#  5. a target's objects depend on its headers (make -W: what if the
#     header were new), also where a harness has the target's name.
# The builds come from `make test` (targets plain, asan, plant-builds).
set -u
cd "$(dirname "$0")/.."
source tests/lib.sh
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

out=$(grep -rln 'PRY_PLANT_' harnesses tests/harnesses bench/harnesses --include='*.c' --include='*.h' 2>/dev/null)
expect "no harness source uses PRY_PLANT_ (plant builds share its objects)" test -z "$out"

for t in targets/*/; do
    t=$(basename "$t")
    for hdr in targets/$t/*.h; do
        out=$(make -n -s -W "$hdr" -f mk/build.mk VARIANT=plain HARNESS="$t" 2>&1)
        expect "$t: a change to $hdr rebuilds the target's objects" grep -q -- "-c targets/$t/" <<<"$out"
    done
done

for dir in harnesses/*/; do
    h=$(basename "$dir")
    plain=build/plain/$h
    asan=build/asan/$h
    if [ ! -x "$plain" ]; then
        expect "$h: built" false
        continue
    fi
    xfail=$dir/expected-failures.tsv
    for prop in $("$plain" --list | cut -d/ -f2); do
        out=$("$plain" --test "$prop" --seed 1 --runs 2000 --time 8 --save-dir "$T" 2>&1)
        rc=$?
        if [ -f "$xfail" ] && cut -f1 "$xfail" | grep -qx "$prop"; then
            # A known bug of a library we do not own: it must still fail,
            # and an upgrade that fixes it shows up as an unexpected pass.
            expect "$h/$prop fails as expected ($(grep "^$prop	" "$xfail" | cut -f2 | cut -c1-60))" test $rc = 1
        else
            expect "$h/$prop passes 2000 random runs (seed 1)" test $rc = 0
        fi
    done
    for rec in corpora/"$h"/*/regressions/*.cbor; do
        [ -f "$rec" ] || continue
        prop=$(basename "$(dirname "$(dirname "$rec")")")
        out=$("$asan" --repro "$rec" 2>&1)
        rc=$?
        if [ -f "$xfail" ] && cut -f1 "$xfail" | grep -qx "$prop"; then
            expect "regression $rec of an expected failure still fails" test $rc = 1
        else
            expect "regression $rec passes (asan build)" test $rc = 0
        fi
        name=$(basename "$rec" .cbor)
        expect "regression $rec is named by its sha256" \
            test "$name" = "$(sha256sum "$rec" | cut -c1-64)"
    done
    for rec in harnesses/"$h"/plants/*.cbor; do
        [ -f "$rec" ] || continue
        base=$(basename "$rec")
        plant=${base%%.*}
        case "$base" in
        *.asan.cbor) variant=asan ;;
        *) variant=plain ;;
        esac
        out=$(build/$variant+$plant/$h --repro "$rec" 2>&1)
        expect "$h: plant $plant: its input fails the planted build ($variant)" test $? = 1
        out=$(build/$variant/$h --repro "$rec" 2>&1)
        expect "$h: plant $plant: its input passes the correct build ($variant)" test $? = 0
        out=$(grep -qx "$plant" <(cut -f1 targets/*/plants.tsv) && echo known)
        expect "$h: plant $plant is listed in a plants.tsv" test "$out" = known
    done
done
summary
