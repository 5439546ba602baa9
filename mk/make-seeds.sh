#!/usr/bin/env bash
# mk/make-seeds.sh HARNESS [COUNT] [SEED]
# Committed seeds for every property of HARNESS: COUNT passing inputs of
# random mode (pinned SEED), the largest-first variety of sizes, written to
# corpora/HARNESS/PROPERTY/seeds/<sha256>. AFL++ and libFuzzer start from
# them (./pry fuzz), and ClusterFuzzLite zips them.
set -euo pipefail
cd "$(dirname "$0")/.."
h=$1 count=${2:-8} seed=${3:-1}
make -s -f mk/build.mk VARIANT=plain HARNESS="$h" >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for prop in $(build/plain/$h --list | cut -d/ -f2); do
    build/plain/$h --test "$prop" --seed "$seed" --runs 400 --time 5 \
        --emit-inputs "$tmp" --quiet >/dev/null 2>&1 || true
    [ -d "$tmp/$prop" ] || continue
    out=corpora/$h/$prop/seeds
    mkdir -p "$out"
    # A spread of sizes: sort by size, take evenly spaced ones.
    mapfile -t files < <(find "$tmp/$prop" -type f -size -16k -printf '%s %p\n' | sort -n | cut -d' ' -f2)
    n=${#files[@]}
    [ "$n" -gt 0 ] || continue
    for ((i = 0; i < count && i < n; i++)); do
        f=${files[$(( (n - 1) * i / (count > 1 ? count - 1 : 1) ))]}
        cp "$f" "$out/$(sha256sum "$f" | cut -c1-64)"
    done
    echo "$h/$prop: $(ls "$out" | wc -l) seeds"
done
