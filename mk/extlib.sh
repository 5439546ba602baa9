#!/usr/bin/env bash
# mk/extlib.sh: build a library that pry did not write, from its source
# tree and through its own build system, with one variant's compiler and
# flags, the way OSS-Fuzz's build.sh files do (the code under test must be
# built like the harness, or the fuzzer runs blind: no edges, no
# sanitizers). Called by mk/extlib.mk; docs/building.md describes it.
#
#   mk/extlib.sh build NAME SRC PREFIX ARCHIVE...
#       SRC     deb:PACKAGE (Debian source package, via apt-get source) or a
#               folder (relative to the checkout, or absolute)
#       PREFIX  install prefix, build/<variant>/ext/NAME; the build folder
#               is PREFIX/build
#       ARCHIVE static libraries that must be in PREFIX/lib afterwards
#     environment: EXT_VARIANT, EXT_CC, EXT_CFLAGS (the variant's, from
#     mk/build.mk), EXT_BUILD (autotools|autoreconf|cmake|meson|make, or
#     empty to detect), EXT_ARGS (extra configure/cmake/meson/make words)
#   mk/extlib.sh source SRC            print the unpacked source folder
#   mk/extlib.sh instrumented VARIANT ARCHIVE...
#       exit 0 when the archives carry the variant's instrumentation
#
# Nothing is rebuilt while the source tree (names, sizes, mtimes), the
# compiler, the flags and this script are unchanged: PREFIX/.pry-stamp
# holds their hash. Exit 2 with a one-line reason on any failure.
set -u
set -o pipefail

die() {
    echo "pry: $*" >&2
    exit 2
}

JOBS=$(nproc 2>/dev/null || echo 2)

# ---- where the source comes from ----
# A Debian source package is unpacked once under build/src/deb/PACKAGE/
# (patches applied, as Debian builds it) and kept; rm -rf it to refresh.
source_dir() { # source_dir SRC -> prints the folder
    local src=$1
    case "$src" in
    deb:*)
        local pkg=${src#deb:} cache
        [ -n "$pkg" ] || die "'deb:' needs a package name, e.g. deb:jansson"
        cache=build/src/deb/$pkg
        if [ ! -f "$cache/.pry-unpacked" ]; then
            sh mk/debsrc.sh || exit 2
            command -v dpkg-source >/dev/null || die "apt-get source needs dpkg-source: sudo apt-get install -y dpkg-dev"
            rm -rf "$cache" && mkdir -p "$cache" || die "cannot create $cache"
            if ! (cd "$cache" && apt-get source -q "$pkg") >"$cache.log" 2>&1; then
                tail -5 "$cache.log" >&2
                die "apt-get source $pkg failed (log: $cache.log)"
            fi
            # apt-get source leaves the .dsc, the tarballs and one folder.
            local dir
            dir=$(find "$cache" -mindepth 1 -maxdepth 1 -type d | head -1)
            [ -n "$dir" ] || die "apt-get source $pkg unpacked nothing (log: $cache.log)"
            basename "$dir" >"$cache/.pry-unpacked"
        fi
        echo "$cache/$(cat "$cache/.pry-unpacked")"
        ;;
    *)
        [ -d "$src" ] || die "library source '$src' is not a folder (a path, or deb:PACKAGE)"
        echo "${src%/}"
        ;;
    esac
}

# ---- which build system ----
# A generated configure is ready to run; CMake and Meson come next;
# autoreconf (configure.ac alone) last, as it needs autoconf, automake and
# libtool and writes into a copy of the tree.
detect() { # detect DIR
    local d=$1
    if [ -x "$d/configure" ]; then echo autotools
    elif [ -f "$d/CMakeLists.txt" ]; then echo cmake
    elif [ -f "$d/meson.build" ]; then echo meson
    elif [ -f "$d/configure.ac" ] || [ -f "$d/configure.in" ]; then echo autoreconf
    elif [ -f "$d/Makefile" ] || [ -f "$d/makefile" ] || [ -f "$d/GNUmakefile" ]; then echo make
    else die "no build system found in $d (configure, CMakeLists.txt, meson.build, configure.ac or Makefile)"
    fi
}

# ---- instrumentation each variant must leave in the objects ----
# The symbols the compiler's passes reference: ASan's and UBSan's report
# hooks, SanitizerCoverage's (libFuzzer: inline 8-bit counters; AFL++'s
# pcguard pass: trace_pc_guard), AFL++'s cmplog hooks, and the profile
# runtime of source-based coverage. plain has none to check.
variant_symbols() { # variant_symbols VARIANT -> one extended regex per line, all must match
    case "$1" in
    asan) printf '%s\n' '__asan_' '__ubsan_handle_' ;;
    libfuzzer) printf '%s\n' '__sanitizer_cov_8bit_counters_init|__sanitizer_cov_trace_pc_guard' '__asan_' ;;
    afl) printf '%s\n' '__sanitizer_cov_trace_pc_guard|__afl_area_ptr' ;;
    afl-cmplog) printf '%s\n' '__cmplog_ins_hook|__cmplog_rtn_hook' ;;
    cov) printf '%s\n' '__llvm_profile_runtime|__profc_|__llvm_prf_' ;;
    *) ;;
    esac
}

instrumented() { # instrumented VARIANT ARCHIVE...
    local variant=$1 syms re
    shift
    syms=$(nm -A "$@" 2>/dev/null) || return 1
    while IFS= read -r re; do
        [ -n "$re" ] || continue
        if ! grep -Eq "$re" <<<"$syms"; then
            echo "pry: $* lacks the $variant instrumentation (no symbol matching $re)" >&2
            return 1
        fi
    done < <(variant_symbols "$variant")
    return 0
}

# ---- the build, one per system; all out of the source tree ----
# Static where the system allows it; the variant's compiler and flags go
# in through each system's own variables, so the library's build keeps its
# own -I/-D flags around them.
cxx_of() {
    case "$1" in
    *afl-clang-fast) echo "$1++" ;;
    *clang) echo "$1++" ;;
    *gcc) echo "${1%gcc}g++" ;;
    *) echo c++ ;;
    esac
}

build_autotools() { # SRCDIR BUILDDIR PREFIX
    (cd "$2" && "$1/configure" --prefix="$3" --libdir="$3/lib" \
        --disable-shared --enable-static CC="$EXT_CC" CXX="$CXX" CFLAGS="$EXT_CFLAGS" \
        CXXFLAGS="$EXT_CFLAGS" $EXT_ARGS) &&
        make -C "$2" -j"$JOBS" && make -C "$2" install
}

build_cmake() {
    cmake -S "$1" -B "$2" -DCMAKE_INSTALL_PREFIX="$3" -DCMAKE_INSTALL_LIBDIR=lib \
        -DBUILD_SHARED_LIBS=OFF -DCMAKE_BUILD_TYPE= \
        -DCMAKE_C_COMPILER="$EXT_CC" -DCMAKE_CXX_COMPILER="$CXX" \
        -DCMAKE_C_FLAGS="$EXT_CFLAGS" -DCMAKE_CXX_FLAGS="$EXT_CFLAGS" $EXT_ARGS &&
        cmake --build "$2" -j "$JOBS" && cmake --install "$2"
}

build_meson() {
    command -v meson >/dev/null || { echo "meson is missing: sudo apt-get install -y meson"; return 1; }
    CC="$EXT_CC" CXX="$CXX" CFLAGS="$EXT_CFLAGS" CXXFLAGS="$EXT_CFLAGS" \
        meson setup "$2" "$1" --prefix="$3" --libdir=lib --default-library=static \
        --buildtype=plain $EXT_ARGS &&
        meson compile -C "$2" && meson install -C "$2"
}

# Plain make has no out-of-tree convention and no common install target:
# the tree is copied into the build folder, built with CC and CFLAGS on
# the command line (so the Makefile cannot drop them), and its archives
# and headers collected: include/ if it has one, else the *.h at the top
# and beside each archive (lz4 builds lib/liblz4.a next to lib/lz4.h).
build_make() {
    cp -a "$1/." "$2/" &&
        make -C "$2" -j"$JOBS" CC="$EXT_CC" CXX="$CXX" CFLAGS="$EXT_CFLAGS" \
            CXXFLAGS="$EXT_CFLAGS" $EXT_ARGS &&
        mkdir -p "$3/lib" "$3/include" &&
        find "$2" -name 'lib*.a' -exec cp {} "$3/lib/" \; &&
        if [ -d "$2/include" ]; then cp -a "$2/include/." "$3/include/"; else
            { echo "$2"; find "$2" -name 'lib*.a' -printf '%h\n'; } | sort -u |
                while IFS= read -r d; do
                    find "$d" -maxdepth 1 -name '*.h' -exec cp {} "$3/include/" \; || exit 1
                done
        fi
}

# autoreconf writes configure into the tree: it runs on a copy under
# build/src/autoreconf/NAME, once per change of the source.
autoreconf_copy() { # NAME SRCDIR HASH -> prints the copy
    local copy=build/src/autoreconf/$1
    if [ "$(cat "$copy/.pry-stamp" 2>/dev/null)" != "$3" ]; then
        command -v autoreconf >/dev/null || die "$2 needs autoreconf: sudo apt-get install -y autoconf automake libtool"
        rm -rf "$copy" && mkdir -p "$copy" && cp -a "$2/." "$copy/" || die "cannot copy $2 to $copy"
        (cd "$copy" && autoreconf -fi) >"$copy.log" 2>&1 || die "autoreconf in $copy failed (log: $copy.log)"
        echo "$3" >"$copy/.pry-stamp"
    fi
    echo "$copy"
}

tree_hash() { # tree_hash DIR: names, sizes and mtimes of every file
    (cd "$1" && find . -path ./.git -prune -o -type f -printf '%p %s %T@\n' | LC_ALL=C sort) | sha256sum | cut -c1-64
}

build() { # build NAME SRC PREFIX ARCHIVE...
    local name=$1 src=$2 prefix=$3
    shift 3
    local dir system hash
    dir=$(source_dir "$src") || exit 2
    system=${EXT_BUILD:-$(detect "$dir")} || exit 2
    case "$system" in autotools | autoreconf | cmake | meson | make) ;;
    *) die "unknown build system '$system' for $name: autotools, autoreconf, cmake, meson or make" ;; esac
    hash=$( {
        tree_hash "$dir"
        printf '%s\n' "$system" "$EXT_CC" "$EXT_CFLAGS" "$EXT_ARGS" "${AFL_LLVM_CMPLOG:-}" "$*"
        "$EXT_CC" --version 2>/dev/null | head -1
        cat "$0"
    } | sha256sum | cut -c1-64)
    local stamp=$prefix/.pry-stamp a missing=
    for a in "$@"; do [ -f "$prefix/lib/$a" ] || missing=y; done
    if [ -z "$missing" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ]; then
        return 0
    fi

    echo "pry: building $name ($system, $EXT_VARIANT) from $dir into $prefix" >&2
    if [ "$system" = autoreconf ]; then
        dir=$(autoreconf_copy "$name" "$dir" "$(tree_hash "$dir")") || exit 2
        system=autotools
    fi
    # Absolute paths: each system runs from its own folder.
    local top
    top=$(pwd)
    case "$prefix" in /*) ;; *) prefix=$top/$prefix ;; esac
    case "$dir" in /*) ;; *) dir=$top/$dir ;; esac
    rm -rf "$prefix" && mkdir -p "$prefix/build" || die "cannot create $prefix"
    CXX=$(cxx_of "$EXT_CC")
    local log=$prefix/build.log
    if ! "build_$system" "$dir" "$prefix/build" "$prefix" >"$log" 2>&1; then
        tail -15 "$log" | sed 's/^/    | /' >&2
        die "building $name with $system for $EXT_VARIANT failed (log: ${log#"$top"/})"
    fi
    for a in "$@"; do
        [ -f "$prefix/lib/$a" ] || die "$name's build installed no $a in ${prefix#"$top"/}/lib (it has: $(ls "$prefix/lib" 2>/dev/null | tr '\n' ' ')); is it static? set EXT_${name}_ARCHIVES"
    done
    # A build system that drops CC or CFLAGS would give an uninstrumented
    # library that links silently; refuse it here.
    local archives=()
    for a in "$@"; do archives+=("$prefix/lib/$a"); done
    instrumented "$EXT_VARIANT" "${archives[@]}" ||
        die "$name's build ignored the $EXT_VARIANT compiler or flags (see ${log#"$top"/})"
    echo "$hash" >"$stamp"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
build)
    [ $# -ge 4 ] || die "usage: mk/extlib.sh build NAME SRC PREFIX ARCHIVE..."
    : "${EXT_VARIANT:?}" "${EXT_CC:?}" "${EXT_CFLAGS=}" "${EXT_BUILD=}" "${EXT_ARGS=}"
    # The outer make's command line (VARIANT=, HARNESS=, -j) must not
    # reach the library's own makes.
    unset MAKEFLAGS MFLAGS MAKELEVEL
    mkdir -p build/src
    # One fetch or autoreconf at a time (./pry may build two variants at once).
    exec 9>build/src/.lock
    flock 9
    build "$@"
    ;;
source) [ $# = 1 ] || die "usage: mk/extlib.sh source SRC"; source_dir "$1" ;;
instrumented) [ $# -ge 2 ] || die "usage: mk/extlib.sh instrumented VARIANT ARCHIVE..."; instrumented "$@" ;;
*) die "usage: mk/extlib.sh build|source|instrumented ..." ;;
esac
