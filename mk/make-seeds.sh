#!/usr/bin/env bash
# mk/make-seeds.sh HARNESS [COUNT] [SEED]
# Committed seeds for every property of HARNESS: COUNT passing inputs of
# random mode (pinned SEED), the largest-first variety of sizes, written to
# corpora/HARNESS/PROPERTY/seeds/<sha256>. AFL++ and libFuzzer start from
# them (./pry fuzz), and ClusterFuzzLite zips them.
#
# A seed must also pass every planted build of the harness's target
# (targets/HARNESS/plants.tsv): a plant a seed already fails would be
# "found" by replaying the seed, so `make bench` would time the seed and
# not the fuzzer, and the demo would show no fuzzing at all.
set -euo pipefail
cd "$(dirname "$0")/.."
h=$1 count=${2:-8} seed=${3:-1}
make -s -f mk/build.mk VARIANT=plain HARNESS="$h" >/dev/null
plants=()
if [ -f "targets/$h/plants.tsv" ]; then
    mapfile -t plants < <(grep -v '^#' "targets/$h/plants.tsv" | cut -f1 | grep .)
fi
for p in "${plants[@]}"; do
    make -s -f mk/build.mk VARIANT=plain PLANT="$p" HARNESS="$h" >/dev/null
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Whether input $2 of property $1 passes on every planted build.
passes_plants() {
    local p
    for p in "${plants[@]}"; do
        build/plain+$p/$h --replay "$2" --test "$1" 2>&1 | tail -1 |
            grep -q ' 1 passed,' || return 1
    done
}

for prop in $(build/plain/$h --list | cut -d/ -f2); do
    build/plain/$h --test "$prop" --seed "$seed" --runs 400 --time 5 \
        --emit-inputs "$tmp" --quiet >/dev/null 2>&1 || true
    [ -d "$tmp/$prop" ] || continue
    out=corpora/$h/$prop/seeds
    # A spread of sizes: sort by size, keep those every plant passes,
    # take evenly spaced ones.
    files=()
    while read -r f; do
        passes_plants "$prop" "$f" && files+=("$f")
    done < <(find "$tmp/$prop" -type f -size -16k -printf '%s %p\n' | sort -n | cut -d' ' -f2)
    n=${#files[@]}
    [ "$n" -gt 0 ] || continue
    mkdir -p "$out"
    for ((i = 0; i < count && i < n; i++)); do
        f=${files[$(( (n - 1) * i / (count > 1 ? count - 1 : 1) ))]}
        cp "$f" "$out/$(sha256sum "$f" | cut -c1-64)"
    done
    echo "$h/$prop: $(ls "$out" | wc -l) seeds ($n of the random runs' inputs pass every plant)"
done
