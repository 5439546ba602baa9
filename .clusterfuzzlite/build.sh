#!/bin/bash -eu
# .clusterfuzzlite/build.sh: pry's shipped harnesses under the OSS-Fuzz /
# ClusterFuzzLite build contract. One fuzzer per *property*, named
# <harness>_<property>, in $OUT, each with <fuzzer>_seed_corpus.zip,
# <fuzzer>.options and (when the harness has dictionaries) <fuzzer>.dict.
#
# Uses only the contract's variables: $CC $CXX $CFLAGS $CXXFLAGS
# $LIB_FUZZING_ENGINE $OUT $SRC $WORK (and $SANITIZER, for a warning; $AR
# when the image sets it, as the LTO builds do).
# Needs make, zip and (for committed regressions as seeds) python3, which
# the base-builder image has; libcbor and libnghttp2 come from the
# Dockerfile's apt-get.
#
# What is compiled (the same split as mk/build.mk's fuzzing variants):
#   - libpry's core: generators/*.c minus PRY_RUNNER_SRC (mk/common.mk);
#     the runner (main, fork isolation, shrinking, CBOR records) is for
#     pry's own binaries, not for the engines. fuzz_entry.c is linked as an
#     object, not from the archive (AFL++'s driver refers to
#     LLVMFuzzerTestOneInput weakly, which would not pull it out).
#   - each target library targets/<t>/*.c that a harness uses (the target
#     of the harness's name, or <h>_TARGETS from harnesses/<h>/harness.mk);
#   - each library a harness builds from source (<h>_EXTLIBS), by
#     mk/extlib.sh through the library's own build system, with $CC and
#     $CFLAGS (a Debian source package is fetched with apt-get source);
#   - each shipped harness harnesses/<h>/*.c, linked with <h>_LDLIBS and
#     its targets' <t>_LDLIBS.
# No planted bugs: this is the correct build.
#
# How a fuzzer knows its property: fuzz_entry.c reads PRY_TEST in
# LLVMFuzzerInitialize (or on the first input). Each fuzzer gets one more
# object, generated here, whose constructor runs before main() and does
# setenv("PRY_TEST", "<harness>/<property>", 1). Constructors run before
# either engine's main (libFuzzer's or AFL++'s driver), so the selection
# is in place when the engine starts; nothing is read from the user's
# environment, and no input byte is spent on choosing the property.
#
# Properties not built for OSS-Fuzz: <h>_OSS_FUZZ_SKIP in harness.mk (a
# list of property names), and the built-in list below. A skipped property
# is printed with its reason and listed in $WORK/pry-fuzzers.tsv.
#
# Where the repository is: ClusterFuzzLite and OSS-Fuzz copy this script
# to $SRC/build.sh and run it from the WORKDIR, the clone at $SRC/pry. Run
# in place (tests/test_clusterfuzzlite.sh) it is ../ of this file.

# OSS-Fuzz's `compile` runs this with bash -eux; say so here too, so that
# `bash build.sh` (and tests/test_clusterfuzzlite.sh) fail the same way
# when a compile or a link fails, instead of shipping fewer fuzzers.
set -eu

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -f "$here/../generators/pry.h" ]; then
    REPO=$(cd "$here/.." && pwd)
elif [ -f "$PWD/generators/pry.h" ]; then
    REPO=$PWD
elif [ -f "$SRC/pry/generators/pry.h" ]; then
    REPO=$SRC/pry
else
    echo "pry build.sh: cannot find the pry repository (looked in $here/.., $PWD, $SRC/pry)" >&2
    exit 1
fi
cd "$REPO"

# Properties that are not fuzzed here, each with its reason:
#   - harnesses/<h>/expected-failures.tsv ("property<TAB>reason"): they
#     state known bugs of a library we did not write, and fail by design
#     (`make test` checks that they still fail; `./pry ci` skips them too);
#   - <h>_OSS_FUZZ_SKIP in harnesses/<h>/harness.mk (property names), e.g.
#     patch/gnu_agrees, which runs GNU patch as a subprocess on every input.

if [ "${SANITIZER:-}" = memory ]; then
    echo "pry build.sh: warning: libcbor and libnghttp2 come from apt, not built with MSan;" \
         "expect false positives in harnesses that use them" >&2
fi

# ---- what mk/common.mk says (one source of truth for the file lists) ----
mkquery() { # mkquery GOAL: pry-print-NAME (a variable's value) or pry-origin-NAME
    make --no-print-directory -s -f mk/common.mk -f - "$1" <<'EOF'
pry-print-%:
	@printf '%s\n' '$($*)'
pry-origin-%:
	@printf '%s\n' '$(origin $*)'
EOF
}
mkvar() { mkquery "pry-print-$1"; } # the value of a variable after mk/common.mk
STD_FLAGS=$(mkvar STD_FLAGS)
CORE_SRC=$(mkvar PRY_CORE_SRC)
HARNESSES=$(mkvar SHIPPED_HARNESSES)
# Not part of the contract: tests/test_clusterfuzzlite.sh rebuilds one
# harness with a planted bug, and need not rebuild them all.
HARNESSES=${PRY_CFL_HARNESSES:-$HARNESSES}
ALL_TARGETS=$(mkvar TARGETS)

BUILD_DEFS=(-DPRY_BUILD_VARIANT='"oss-fuzz"' -DPRY_BUILD_PLANTS='""')
B=$WORK/pry-build
rm -rf "$B"
mkdir -p "$B/core" "$B/targets" "$B/h" "$B/select" "$B/seeds" "$OUT"
MANIFEST=$WORK/pry-fuzzers.tsv
: >"$MANIFEST"

cc_obj() { # cc_obj SRC OBJ EXTRA-FLAGS...
    local src=$1 obj=$2
    shift 2
    # shellcheck disable=SC2086 # $CFLAGS and $STD_FLAGS are word lists
    $CC $CFLAGS $STD_FLAGS "${BUILD_DEFS[@]}" "$@" -c "$src" -o "$obj"
}

# ---- libpry core ----
core_objs=()
for src in $CORE_SRC; do
    [ "$(basename "$src")" = fuzz_entry.c ] && continue
    obj=$B/core/$(basename "${src%.c}").o
    cc_obj "$src" "$obj" -Igenerators
    core_objs+=("$obj")
done
ENTRY_OBJ=$B/core/fuzz_entry.o
cc_obj generators/fuzz_entry.c "$ENTRY_OBJ" -Igenerators
LIBPRY=$B/libpry_core.a
rm -f "$LIBPRY"
${AR:-ar} rcs "$LIBPRY" "${core_objs[@]}"

# ---- target libraries, built when a harness first needs one ----
target_lib() { # target_lib T: build $B/targets/libT.a once
    local t=$1 objs=() src obj
    [ -f "$B/targets/lib$t.a" ] && return 0
    mkdir -p "$B/targets/$t"
    for src in targets/"$t"/*.c; do
        [ -f "$src" ] || continue
        obj=$B/targets/$t/$(basename "${src%.c}").o
        cc_obj "$src" "$obj" -Igenerators -I"targets/$t"
        objs+=("$obj")
    done
    ${AR:-ar} rcs "$B/targets/lib$t.a" "${objs[@]}"
}

# Seed corpus for one fuzzer: corpora/<h>/<p>/seeds/, corpora/<h>/seeds/,
# and the raw choice bytes of committed regressions (their "input" field).
# The records are read with libcbor by the kit's own reader: a host tool
# built once with plain $CC (no fuzzing flags), generators/tools/pryrecord.c.
PRYRECORD=
pryrecord_tool() {
    if [ -z "$PRYRECORD" ]; then
        local srcs
        srcs=$(mkvar PRY_CORE_SRC)
        mkdir -p "$WORK/pryrecord-build"
        # shellcheck disable=SC2086
        $CC -O1 -std=c11 -D_GNU_SOURCE -Igenerators generators/tools/pryrecord.c \
            $srcs generators/record.c generators/runner_util.c -lcbor -lm \
            -o "$WORK/pryrecord-build/pryrecord" || return 1
        PRYRECORD=$WORK/pryrecord-build/pryrecord
    fi
}
regression_inputs() { # regression_inputs DIR DEST: write DEST/regression-*
    local dir=$1 dest=$2 rec
    compgen -G "$dir/*.cbor" >/dev/null || return 0
    if ! pryrecord_tool; then
        echo "pry build.sh: cannot build the record reader: regressions in $dir not added" >&2
        return 0
    fi
    for rec in "$dir"/*.cbor; do
        "$PRYRECORD" --input "$rec" > "$dest/regression-$(basename "$rec" .cbor | cut -c1-16)" ||
            echo "pry build.sh: $rec: unreadable record, skipped" >&2
    done
}

seed_zip() { # seed_zip H P FUZZER: $OUT/FUZZER_seed_corpus.zip; echoes largest seed size
    local h=$1 p=$2 f=$3 d=$B/seeds/$3 s n=0 max=0 size
    mkdir -p "$d"
    for s in corpora/"$h"/"$p"/seeds/* corpora/"$h"/seeds/*; do
        [ -f "$s" ] && [ -s "$s" ] || continue
        case "$s" in corpora/$h/$p/*) cp "$s" "$d/prop-$(basename "$s")" ;;
                     *) cp "$s" "$d/seed-$(basename "$s")" ;; esac
    done
    regression_inputs "corpora/$h/$p/regressions" "$d"
    for s in "$d"/*; do
        [ -f "$s" ] || continue
        n=$((n + 1))
        size=$(wc -c <"$s")
        [ "$size" -gt "$max" ] && max=$size
    done
    if [ "$n" = 0 ]; then
        # All-zero choices are every generator's minimal value.
        printf '\0' >"$d/minimal"
        max=1
    fi
    rm -f "$OUT/${f}_seed_corpus.zip"
    (cd "$d" && zip -q -X -j "$OUT/${f}_seed_corpus.zip" ./*)
    echo "$max"
}

# The fuzzers run in a different image (base-runner) that has none of the
# -dev packages' libraries. So each -lX beyond libc's is linked statically
# when libX.a exists, otherwise linked shared and its .so copied into
# $OUT/lib, found through an $ORIGIN rpath.
link_libs() { # link_libs -lA -lB ...: echo the link arguments
    local a lib path
    for a in "$@"; do
        lib=${a#-l}
        case "$a" in
            -lm|-lrt|-lpthread|-ldl|-lc) echo "$a" ;;
            -l*) path=$($CC -print-file-name="lib$lib.a")
                 if [ -f "$path" ]; then echo "$path"; else echo "$a"; fi ;;
            *) echo "$a" ;;
        esac
    done
}
bundle_shared() { # bundle_shared FUZZER -lA ...: copy the shared libs it uses into $OUT/lib
    local f=$1 a lib so
    shift
    for a in "$@"; do
        case "$a" in -lm|-lrt|-lpthread|-ldl|-lc|-l) continue ;; -l*) ;; *) continue ;; esac
        lib=${a#-l}
        so=$(ldd "$f" 2>/dev/null | awk -v n="lib$lib.so" 'index($1, n) == 1 && $3 ~ /^\// { print $3; exit }')
        case "$so" in ""|"$OUT"/lib/*) continue ;; esac # static, or already bundled
        mkdir -p "$OUT/lib"
        cp -L "$so" "$OUT/lib/$(basename "$so")"
    done
}

# ---- harnesses ----
n_built=0
for h in $HARNESSES; do
    hdir=harnesses/$h
    props=$(sed -n 's/^[[:space:]]*PRY_PROPERTY([[:space:]]*\([A-Za-z0-9_]*\)[[:space:]]*).*/\1/p' \
            "$hdir"/*.c 2>/dev/null | sort -u)
    if [ -z "$props" ]; then
        echo "pry build.sh: $hdir: no properties, no fuzzers"
        continue
    fi
    if [ "$(mkquery "pry-origin-${h}_TARGETS")" = undefined ]; then
        # As mk/build.mk: the target of the harness's name, if there is one.
        uses=$(printf '%s\n' $ALL_TARGETS | grep -x "$h" || true)
    else
        uses=$(mkvar "${h}_TARGETS")
    fi
    incs=(-Igenerators -I"$hdir")
    libs=()
    ldlibs=$(mkvar "${h}_LDLIBS")
    for t in $uses; do
        target_lib "$t"
        incs+=(-I"targets/$t")
        libs+=("$B/targets/lib$t.a")
        ldlibs="$ldlibs $(mkvar "${t}_LDLIBS")"
    done
    # Libraries built from source (<h>_EXTLIBS, mk/extlib.mk): through their
    # own build systems with the contract's $CC and $CFLAGS, as OSS-Fuzz
    # projects' build.sh files build their libraries (mk/extlib.sh).
    for n in $(mkvar "${h}_EXTLIBS"); do
        archives=$(mkvar "EXT_${n}_ARCHIVES")
        EXT_VARIANT=oss-fuzz EXT_CC=$CC EXT_CFLAGS=$CFLAGS EXT_BUILD=$(mkvar "EXT_${n}_BUILD") \
            EXT_ARGS=$(mkvar "EXT_${n}_ARGS") bash mk/extlib.sh build "$n" \
            "$(mkvar "EXT_${n}_SRC")" "$B/ext/$n" ${archives:-lib$n.a}
        incs+=(-isystem "$B/ext/$n/include")
        for a in ${archives:-lib$n.a}; do libs+=("$B/ext/$n/lib/$a"); done
        ldlibs="$ldlibs $(mkvar "EXT_${n}_LDLIBS")"
    done
    hobjs=()
    mkdir -p "$B/h/$h"
    for src in "$hdir"/*.c; do
        obj=$B/h/$h/$(basename "${src%.c}").o
        cc_obj "$src" "$obj" "${incs[@]}"
        hobjs+=("$obj")
    done
    # "property<TAB>reason" lines for this harness.
    skips=$( { grep -v '^[[:space:]]*#' "$hdir/expected-failures.tsv" 2>/dev/null |
                 awk -F'\t' 'NF >= 1 && $1 != "" { print $1 "\tfails by design: " $2 " (expected-failures.tsv)" }'
               for q in $(mkvar "${h}_OSS_FUZZ_SKIP"); do
                   printf '%s\t%s\n' "$q" "${h}_OSS_FUZZ_SKIP in $hdir/harness.mk"
               done; } )
    dicts=$(ls corpora/"$h"/*.dict 2>/dev/null || true)

    for p in $props; do
        reason=$(printf '%s\n' "$skips" | awk -F'\t' -v k="$p" '$1 == k { print $2; exit }')
        if [ -n "$reason" ]; then
            echo "pry build.sh: $h/$p: skipped ($reason)"
            printf '%s\t%s/%s\tskipped\t%s\n' "-" "$h" "$p" "$reason" >>"$MANIFEST"
            continue
        fi
        f=$(printf '%s_%s' "$h" "$p" | tr -c 'A-Za-z0-9_\n-' '_')
        sel=$B/select/$f.c
        cat >"$sel" <<EOF
/* Generated by .clusterfuzzlite/build.sh: this fuzzer runs $h/$p. */
#include <stdlib.h>
__attribute__((constructor)) static void pry_select_property_for_engine(void)
{
    setenv("PRY_TEST", "$h/$p", 1);
}
EOF
        cc_obj "$sel" "${sel%.c}.o"
        # shellcheck disable=SC2086,SC2046,SC2016 # flag lists; $ORIGIN is for ld.so
        $CXX $CXXFLAGS "${sel%.c}.o" "${hobjs[@]}" "$ENTRY_OBJ" "${libs[@]}" "$LIBPRY" \
            $LIB_FUZZING_ENGINE $(link_libs $ldlibs) -lm -Wl,-rpath,'$ORIGIN/lib' -o "$OUT/$f"
        # shellcheck disable=SC2086
        bundle_shared "$OUT/$f" $ldlibs

        maxseed=$(seed_zip "$h" "$p" "$f")
        pdicts="$dicts $(ls corpora/"$h"/"$p"/*.dict 2>/dev/null || true)"
        {
            echo "[libfuzzer]"
            if [ -n "$(echo $pdicts)" ]; then
                # shellcheck disable=SC2086
                cat $pdicts >"$OUT/$f.dict"
                echo "dict = $f.dict"
            else
                rm -f "$OUT/$f.dict"
            fi
            echo "max_len = $((maxseed > 4096 ? maxseed : 4096))"
        } >"$OUT/$f.options"
        printf '%s\t%s/%s\tbuilt\t\n' "$f" "$h" "$p" >>"$MANIFEST"
        echo "pry build.sh: $OUT/$f ($h/$p)"
        n_built=$((n_built + 1))
    done
done

if [ "$n_built" = 0 ]; then
    echo "pry build.sh: no fuzzers built" >&2
    exit 1
fi
echo "pry build.sh: $n_built fuzzers in $OUT"
