#!/usr/bin/env bash
# test_shrink.sh: shrinking reaches the known minimal counterexample of
# every planted bug. For each harnesses/H/plants/P.expect (written by
# mk/plant-input.sh, reviewed by hand), find P again in random mode with the
# same seed (or, for a deep plant, "record" on the first line: shrink the
# committed P.cbor a fuzzer found) and check the shrunk input's size and
# typed draws are exactly the recorded minimum. The budget is generous (60 s) so a slow machine
# cannot change the result; each shrink takes well under a second here.
set -u
cd "$(dirname "$0")/.."
source tests/lib.sh
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

for spec in harnesses/*/plants/*.expect; do
    [ -f "$spec" ] || continue
    h=$(echo "$spec" | cut -d/ -f2)
    plant=$(basename "$spec" .expect)
    read -r how seed _ prop _ variant < "$spec"
    bytes=$(sed -n 2p "$spec" | cut -d' ' -f2)
    if [ "$how" = record ]; then
        # A deep plant: random mode misses it, so shrink the committed
        # input a fuzzer found instead (harnesses/H/plants/P.cbor).
        out=$(build/$variant+$plant/$h --shrink harnesses/$h/plants/$plant.cbor --test "$prop" \
              --budget 60 -o "$T/$plant.cbor" 2>&1)
        expect "$h: plant $plant: its committed input fails and shrinks" test $? = 1
    else
        out=$(build/$variant+$plant/$h --test "$prop" --seed "$seed" --runs 50000 \
              --budget 60 --save-dir "$T" 2>&1)
        expect "$h: plant $plant: $prop finds it (seed $seed)" test $? = 1
    fi
    expect "$h: plant $plant: shrinks to the minimal $bytes bytes" \
        grep -qE "^  input: $bytes bytes?\b" <<<"$out"
    drawn=$(sed -n '/^  drawn/,/^  [a-z]/p' <<<"$out" | grep '^    ')
    expect "$h: plant $plant: shrinks to the known minimal values" \
        test "$drawn" = "$(tail -n +3 "$spec")"
done
summary
