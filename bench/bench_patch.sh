#!/bin/bash
# bench_patch.sh: apply one large diff (~100k lines, 1000 hunks, made
# deterministically) with prypatch and with GNU patch, REPS times each,
# and print the median wall time of each and their ratio as markdown.
#
# usage: bench/bench_patch.sh   (PRYPATCH=path/to/prypatch, REPS=5)
set -eu
PRYPATCH=${PRYPATCH:-build/bin/prypatch}
REPS=${REPS:-5}
case $PRYPATCH in /*) ;; *) PRYPATCH=$PWD/$PRYPATCH ;; esac
[ -x "$PRYPATCH" ] || { echo "bench_patch: no $PRYPATCH (build it first)" >&2; exit 2; }
command -v patch >/dev/null || { echo "bench_patch: GNU patch not found" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir a b
# 100000 lines; in every block of 100, lines 20..64 are rewritten (and
# every 500th line gains a neighbour), so diff -u makes 1000 hunks of about
# 100 lines each. awk without rand(): identical on every run.
awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "line %d of the benchmark file, %d\n", i, (i * 7919) % 10007 }' > a/big.txt
awk '{ if (NR % 100 >= 20 && NR % 100 < 65) print "changed " $0; else print; if (NR % 500 == 40) print "added after " NR }' a/big.txt > b/big.txt
diff -u a/big.txt b/big.txt > big.diff || true
hunks=$(grep -c '^@@ ' big.diff)
lines=$(wc -l < big.diff)

now() { date +%s%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
run() { # run TOOL -> REPS times in ms, one a line
    local i t0 t1
    for ((i = 0; i < REPS; i++)); do
        rm -rf w; mkdir w; cp a/big.txt w/big.txt
        t0=$(now)
        if [ "$1" = gnu ]; then (cd w && patch -s -p1 --no-backup-if-mismatch < ../big.diff); else (cd w && "$PRYPATCH" -s -p1 < ../big.diff); fi
        t1=$(now)
        cmp -s w/big.txt b/big.txt || { echo "bench_patch: $1 produced a wrong result" >&2; exit 1; }
        echo $(( (t1 - t0) / 1000000 ))
    done
}
pry=$(run pry | median)
gnu=$(run gnu | median)
ratio=$(awk -v p="$pry" -v g="$gnu" 'BEGIN { if (g > 0) printf "%.2f", p / g; else print "n/a" }')
echo "| tool | median ms ($REPS runs) | diff: $lines lines, $hunks hunks |"
echo "| --- | ---: | --- |"
echo "| prypatch | $pry | |"
echo "| GNU patch $(patch --version | head -1 | awk '{print $NF}') | $gnu | |"
echo "| ratio prypatch/GNU | $ratio | |"
