#!/usr/bin/env bash
# test_shrink.sh: shrinking reaches the known minimal counterexample of
# every planted bug, of the Shrinking Challenge and of the shrinker's own
# test properties. For each harnesses/H/plants/P.expect (written by
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
# --- the shrinker's passes, on pinned seeds with known minima ---
# The Shrinking Challenge (bench/harnesses/challenge, bench/challenge.py
# for all seeds): each needs one of the general passes: redistribution
# (bound5), splitting and joining (large_union_list, nestedlists),
# sorting (reverse, distinct, binheap), lifting and deleting subtrees
# (calculator), deleting with a lowered length (lengthlist), duplicates
# and pairs moved together (difference_*, deletion), deleting while
# reindexing (coupling), and smaller magnitudes across zero (distinct).
C=build/plain/challenge
while IFS='|' read -r prop minimum; do
    out=$($C --test "$prop" --seed 1 --runs 100000 --budget 60 --save-dir "$T" 2>&1)
    expect "challenge $prop: shrinks to $minimum" grep -qxF "    value = $minimum" <<<"$out"
done <<'LIST'
bound5|([], [], [], [-1], [-32768])
large_union_list|[[0, 1, -1, 2, -2]]
reverse|[0, 1]
calculator|('/', 0, ('+', 0, 0))
lengthlist|[900]
difference_must_not_be_zero|[10, 10]
difference_must_not_be_small|[10, 6]
difference_must_not_be_one|[10, 9]
binheap|(0, None, (0, (0, None, None), (1, None, None)))
coupling|[1, 0]
deletion|([0, 0], 0)
distinct|[0, 1, -1]
nestedlists|[[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]
LIST

# Floats toward simple values, a leaf lifted out of its lists
# (tests/harnesses/shrinktest).
S=build/plain/shrinktest
while IFS='|' read -r prop minimum; do
    out=$($S --test "$prop" --seed 1 --budget 60 --save-dir "$T" 2>&1)
    expect "shrinktest $prop: shrinks to $minimum" grep -qxF "    $minimum" <<<"$out"
done <<'LIST'
double_above|x = 101
double_fraction|x = 0.5
double_nonzero|x = 1
float_nonzero|x = 1
nested_nul|value = leaf "\x00" (1 byte)
LIST

# Tries run in one long-lived child: a hang and a sanitizer error end
# only that child, are classified as before, and the next try gets a new
# one.
out=$($S --test hangs_on_big --seed 1 --timeout 0.2 --budget 60 --save-dir "$T" 2>&1)
expect "hang: reported as a timeout" grep -q "^  timeout" <<<"$out"
expect "hang: shrinks to x = 100" grep -qx "    x = 100" <<<"$out"
out=$(build/asan/shrinktest --test overflows_on_long --seed 1 --budget 60 --save-dir "$T" 2>&1)
expect "asan: the heap overflow is the failure" \
    grep -q "^  heap-buffer-overflow in pry_property_overflows_on_long tests/harnesses/shrinktest/shrinktest.c" <<<"$out"
expect "asan: shrinks to s = \"aaaa\"" grep -qx '    s = "aaaa"' <<<"$out"
# The sanitizer's symbolizer is started once by the runner and inherited
# by the tries that crash (generators/exec.c, warm_symbolizer), not once a
# crash: each start loaded the debug information anew, about 0.3 s, and this
# shrink ran out of its 60 s budget. Counted through a symbolizer that logs
# its starts: the first crash's own, then the runner's.
mkdir -p "$T/sym"
printf '#!/bin/sh\necho started >>"%s"\nexec llvm-symbolizer "$@"\n' "$T/sym/starts" \
    >"$T/sym/llvm-symbolizer"
chmod +x "$T/sym/llvm-symbolizer"
out=$(ASAN_SYMBOLIZER_PATH=$T/sym/llvm-symbolizer build/asan/shrinktest --test overflows_on_long \
      --seed 1 --budget 60 --save-dir "$T" 2>&1)
expect "asan, symbolizer logged: shrinks to s = \"aaaa\"" grep -qx '    s = "aaaa"' <<<"$out"
expect "asan: the report is symbolized" \
    grep -q "^  heap-buffer-overflow in pry_property_overflows_on_long tests/harnesses/shrinktest/shrinktest.c" <<<"$out"
starts=$(wc -l <"$T/sym/starts" 2>/dev/null || echo 0)
tries=$(grep -oE '[0-9]+ tries' <<<"$out" | cut -d' ' -f1)
out="symbolizer started $starts times for ${tries:-?} tries"
expect "asan: the symbolizer starts at most twice in a whole shrink" test "$starts" -le 2 -a "$starts" -ge 1

# From a fuzzer's kind of starting point: pinned raw inputs (printf
# escapes) whose draws differ in shape from the known minimum, each
# needing one pass: swap_siblings (two files of one generator in the
# wrong order; a hunk's huge line number moved from the first to the
# third of its four numbers), redistribute across kinds (a weighted branch lowered while
# the value drawn in it rises).
while IFS='|' read -r h plant prop start; do
    spec=harnesses/$h/plants/$plant.expect
    printf "$start" > "$T/start.bin"
    out=$(build/plain+$plant/$h --shrink "$T/start.bin" --test "$prop" --budget 60 \
          -o "$T/out.bin" 2>&1)
    drawn=$(sed -n '/^  drawn/,/^  [a-z]/p' <<<"$out" | grep '^    ')
    expect "$h: plant $plant from $start: shrinks to its known minimum" \
        test "$drawn" = "$(tail -n +3 "$spec")"
done <<'LIST'
patch|zero-range|roundtrip|\x01\x00
patch|header-overflow|parse_structured|\x01\x01\x00\x00\x00\x00\x00\x00\x00\x80
nic|pow2-check|config|\x00\x00\x00\x00\x00\x00\x00\x01\x03\x00\x03\x00
LIST

summary
