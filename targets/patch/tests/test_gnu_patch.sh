#!/bin/bash
# test_gnu_patch.sh: differential test of build/bin/prypatch against GNU
# patch. Generates deterministic cases (pinned seed): a file, an edit of
# it, the `diff -u` between them, and a target that is the original, the
# original shifted (offsets), with a changed context line (fuzz or failure),
# the edited file (-R), a /dev/null create or delete, a file without final
# newline, or a name that climbs out after -p1. Both tools run on copies of
# the same tree; resulting files (*.rej and *.orig excluded: rejects are
# formatted differently, see README) and exit statuses must agree.
#
# usage: tests/test_gnu_patch.sh  (from the repository root; PRYPATCH
# overrides the binary, CASES the number of cases)
set -u
PRYPATCH=${PRYPATCH:-build/bin/prypatch}
CASES=${CASES:-48}
case $PRYPATCH in /*) ;; *) PRYPATCH=$PWD/$PRYPATCH ;; esac
if [ ! -x "$PRYPATCH" ]; then echo "no $PRYPATCH"; echo "0 passed, 1 failed"; exit 1; fi
command -v patch >/dev/null && command -v diff >/dev/null || { echo "need GNU patch and diff"; echo "0 passed, 1 failed"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
RANDOM=2019   # pinned seed: the cases are the same on every run
pass=0; fail=0

words=(alpha beta gamma delta "" "x y" alpha beta "}" "{")
gen_file() { # gen_file N -> N lines on stdout
    local i
    for ((i = 0; i < $1; i++)); do printf '%s\n' "${words[RANDOM % ${#words[@]}]}$((RANDOM % 7))"; done
}
edit_file() { # edit_file IN OUT: a few random line replacements/insertions/deletions
    awk -v seed=$RANDOM 'BEGIN{srand(seed)} {
        r = rand();
        if (r < 0.06) next;
        else if (r < 0.12) print "changed " NR;
        else if (r < 0.17) { print; print "inserted " NR }
        else print }' "$1" > "$2"
}
drop_final_newline() { local f=$1; [ -s "$f" ] && truncate -s -1 "$f"; }

for ((c = 1; c <= CASES; c++)); do
    d=$work/case$c; mkdir -p "$d/src/a" "$d/src/b" "$d/gnu" "$d/pry"
    n=$((5 + RANDOM % 40))
    gen_file $n > "$d/src/a/f"
    edit_file "$d/src/a/f" "$d/src/b/f"
    (( RANDOM % 4 == 0 )) && drop_final_newline "$d/src/a/f"
    (( RANDOM % 4 == 0 )) && drop_final_newline "$d/src/b/f"
    cmp -s "$d/src/a/f" "$d/src/b/f" && echo "forced $c" >> "$d/src/b/f"
    (cd "$d/src" && diff -u a/f b/f > ../p.diff)
    kind=$((c % 8))
    flags=(-p1)
    target=$d/src/a/f
    case $kind in
    0) ;;                                                        # exact
    1) { gen_file $((1 + RANDOM % 5)); cat "$d/src/a/f"; } > "$d/t"; target=$d/t ;;  # +offset
    2) tail -n +$((2 + RANDOM % 3)) "$d/src/a/f" > "$d/t"; target=$d/t ;;           # -offset
    3) awk -v k=$((1 + RANDOM % n)) 'NR==k{print "mutated"; next} {print}' "$d/src/a/f" > "$d/t"
       [ -n "$(tail -c1 "$d/src/a/f")" ] && drop_final_newline "$d/t"; target=$d/t ;; # fuzz or fail
    4) target=$d/src/b/f; flags=(-p1 -R) ;;                      # reverse
    5) { printf -- '--- /dev/null\n+++ b/new/f\n'; diff -u /dev/null "$d/src/b/f" | tail -n +3; } > "$d/p.diff"
       target= ;;                                                # create (with a directory)
    6) { printf -- '--- a/f\n+++ /dev/null\n'; diff -u "$d/src/a/f" /dev/null | tail -n +3; } > "$d/p.diff" ;;  # delete
    7) sed -i '1,2s#\(a\|b\)/f#\1/../f#' "$d/p.diff" ;;          # escape: a/../f -p1 = ../f
    esac
    for t in gnu pry; do
        mkdir -p "$d/$t/w"
        [ -n "$target" ] && cp "$target" "$d/$t/w/f"
    done
    (cd "$d/gnu/w" && patch -f --no-backup-if-mismatch "${flags[@]}" < ../../p.diff > ../out 2>&1); gs=$?
    (cd "$d/pry/w" && "$PRYPATCH" "${flags[@]}" < ../../p.diff > ../out 2>&1); ps=$?
    if [ $gs -eq $ps ] && diff -r -x '*.rej' -x '*.orig' "$d/gnu/w" "$d/pry/w" > /dev/null && [ ! -e "$d/gnu/f" ] && [ ! -e "$d/pry/f" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "case $c (kind $kind): gnu exit $gs, prypatch exit $ps"
        diff -r -x '*.rej' -x '*.orig' "$d/gnu/w" "$d/pry/w" | head -5
        sed 's/^/  gnu: /' "$d/gnu/out" | head -5; sed 's/^/  pry: /' "$d/pry/out" | head -5
    fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
