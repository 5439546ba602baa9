#!/usr/bin/env bash
# mk/plant-input.sh HARNESS PLANT PROPERTY SEED [asan]
# Finds PLANT with PROPERTY in random mode (seed SEED) on the planted build,
# and writes what tests/test_harnesses.sh and tests/test_shrink.sh check:
#   harnesses/H/plants/PLANT[.asan].cbor    the shrunk counterexample
#   harnesses/H/plants/PLANT.expect         seed, property, size, the typed draws
# Run it again after changing a generator; review the diff of .expect.
set -euo pipefail
cd "$(dirname "$0")/.."
h=$1 plant=$2 prop=$3 seed=$4 variant=${5:-plain}
make -s -f mk/build.mk VARIANT=$variant PLANT=$plant HARNESS=$h >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
set +e
build/$variant+$plant/$h --test "$prop" --seed "$seed" --runs 50000 --budget 60 \
    --save-dir "$tmp" >"$tmp/report" 2>&1
rc=$?
set -e
if [ $rc != 1 ]; then
    echo "$h/$prop does not find $plant with seed $seed (exit $rc)" >&2
    exit 1
fi
rec=$(ls "$tmp/$h/$prop"/*.cbor)
suffix=$([ "$variant" = asan ] && echo .asan.cbor || echo .cbor)
mkdir -p harnesses/$h/plants
cp "$rec" harnesses/$h/plants/$plant$suffix
{
    echo "seed $seed property $prop variant $variant"
    grep -E '^  input: ' "$tmp/report" | sed -E 's/^  input: ([0-9]+) bytes?.*/bytes \1/'
    sed -n '/^  drawn/,/^  [a-z]/p' "$tmp/report" | grep '^    '
} > harnesses/$h/plants/$plant.expect
cat harnesses/$h/plants/$plant.expect
