#!/bin/bash
# test_gnu_trees.sh: differential test of build/bin/prypatch against GNU
# patch on whole trees, the classic `diff -ruN old new | patch -p1`
# workflow and its git twin. From a pinned seed it makes an old tree
# (files in nested folders, some empty, some without a final newline) and
# a new one in which files are modified, created (in new folders too),
# deleted (emptying folders), moved, and lose or gain their final newline. The
# diff between them comes from `diff -ruN` (under one of several time
# zones, so the missing side's epoch is written in local time) or from
# `git diff --cached` (new file mode / deleted file mode, renames on or
# off). Each diff is applied by both tools to copies of the same tree:
#   clean   the old tree, no options (what a user types)
#   -R      the new tree, reversed
#   -E      the old tree with --remove-empty-files
#   -f      the old tree disturbed: a file the patch creates already
#           exists, an empty one it fills is missing, one it deletes is
#           missing or was changed (half with -f, half without: then GNU
#           skips the files that look reversed, not being able to ask)
#   dry     --dry-run on the old tree (nothing may change)
# Exit statuses must be equal, and so must the trees: the same paths
# (folders included, *.orig backups left out) with the same bytes (*.rej
# compared by name only: rejects are formatted differently, see README).
#
# usage: targets/patch/tests/test_gnu_trees.sh  (from the repository root;
# PRYPATCH overrides the binary, CASES the number of trees per generator)
set -u
PRYPATCH=${PRYPATCH:-build/bin/prypatch}
CASES=${CASES:-40}
case $PRYPATCH in /*) ;; *) PRYPATCH=$PWD/$PRYPATCH ;; esac
fail_setup() { echo "$1"; echo "0 passed, 1 failed"; exit 1; }
[ -x "$PRYPATCH" ] || fail_setup "no $PRYPATCH"
for tool in patch diff git; do
    command -v $tool >/dev/null || fail_setup "need $tool (mk/deps.sh installs it)"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
RANDOM=1972   # pinned seed: the same trees on every run
pass=0; fail=0
# git must not read the user's configuration.
export GIT_CONFIG_NOSYSTEM=1 HOME=$work

names=(README main.c src/util.c src/util.h "doc/user guide.txt" lib/deep/k.h lib/deep/er/x t)
words=(alpha beta gamma delta "" "x y" "}" "{" return int)

gen_lines() { # gen_lines N: N random lines
    local i
    for ((i = 0; i < $1; i++)); do printf '%s\n' "${words[RANDOM % ${#words[@]}]}$((RANDOM % 9))"; done
}
toggle_newline() { # toggle_newline FILE: drop the final newline or add one
    local f=$1
    [ -s "$f" ] || return 0
    if [ -z "$(tail -c1 "$f")" ]; then truncate -s -1 "$f"; else echo >> "$f"; fi
}
edit() { # edit FILE: replace, insert and delete a few lines in place
    local f=$1 line n=0 out=()
    while IFS= read -r line || [ -n "$line" ]; do
        n=$((n + 1))
        case $((RANDOM % 12)) in
        0) ;;                                          # deleted
        1) out+=("changed $n") ;;
        2) out+=("$line" "inserted $n") ;;
        *) out+=("$line") ;;
        esac
    done < "$f"
    (( RANDOM % 3 == 0 )) && out+=("appended")
    if (( ${#out[@]} )); then printf '%s\n' "${out[@]}" > "$f"; else : > "$f"; fi
}
make_file() { # make_file PATH: new content, sometimes empty or unterminated
    mkdir -p "$(dirname "$1")"
    case $((RANDOM % 8)) in
    0) : > "$1" ;;
    *) gen_lines $((1 + RANDOM % 25)) > "$1"; (( RANDOM % 4 == 0 )) && toggle_newline "$1" ;;
    esac
}

make_trees() { # make_trees DIR: DIR/a (old) and DIR/b (new)
    local d=$1 f
    mkdir -p "$d/a" "$d/b"
    for f in "${names[@]}"; do (( RANDOM % 2 )) && make_file "$d/a/$f"; done
    [ -n "$(ls -A "$d/a")" ] || make_file "$d/a/README"
    cp -a "$d/a/." "$d/b/"
    for f in "${names[@]}"; do
        if [ -f "$d/b/$f" ]; then
            case $((RANDOM % 6)) in
            0) rm "$d/b/$f"; rmdir -p "$(dirname "$d/b/$f")" 2>/dev/null ;;   # deleted
            1|2) edit "$d/b/$f" ;;
            3) toggle_newline "$d/b/$f" ;;
            4) edit "$d/b/$f"; toggle_newline "$d/b/$f" ;;
            esac
        elif (( RANDOM % 3 == 0 )); then
            make_file "$d/b/$f"                                             # created
        fi
    done
    # A move (git --find-renames writes it as a rename), sometimes edited.
    local from to try
    (( RANDOM % 2 )) && for ((try = 0; try < 8; try++)); do
        from=${names[RANDOM % ${#names[@]}]} to=${names[RANDOM % ${#names[@]}]}
        if [ -s "$d/b/$from" ] && [ ! -e "$d/a/$to" ] && [ ! -e "$d/b/$to" ]; then
            mkdir -p "$(dirname "$d/b/$to")"
            mv "$d/b/$from" "$d/b/$to"
            rmdir -p "$(dirname "$d/b/$from")" 2>/dev/null
            (( RANDOM % 2 )) && echo "moved" >> "$d/b/$to"
            break
        fi
    done
    mkdir -p "$d/b"
}

export GIT_DIR=$work/repo.git GIT_INDEX_FILE=$work/index
git init -q --bare "$GIT_DIR"
git_tree() { # git_tree DIR: the id of a git tree object holding DIR
    rm -f "$GIT_INDEX_FILE"
    GIT_WORK_TREE=$1 git add -A && git write-tree
}

tzs=(UTC0 EST5EDT IST-5:30 NZST-12 HST10)
make_diff() { # make_diff DIR KIND: DIR/p.diff from DIR/a and DIR/b
    local d=$1
    if [ "$2" = diff ]; then
        (cd "$d" && TZ=${tzs[RANDOM % ${#tzs[@]}]} diff -ruN a b > p.diff)
    else
        local renames=--no-renames
        (( RANDOM % 2 )) && renames=--find-renames
        # One repository for all cases: each tree is staged and written as
        # a git tree object, and the two trees are diffed.
        local ta tb
        ta=$(git_tree "$d/a") && tb=$(git_tree "$d/b") &&
            git -c core.quotepath=false diff $renames "$ta" "$tb" > "$d/p.diff"
    fi
}

# tree DIR: every path below DIR with its type, then a checksum of each
# file except rejects (listed, not compared) and backups (left out).
tree() {
    (cd "$1" && find . -mindepth 1 ! -name '*.orig' -printf '%y %p\n' | LC_ALL=C sort &&
        find . -type f ! -name '*.orig' ! -name '*.rej' -exec md5sum {} + | LC_ALL=C sort -k2)
}

# GNU patch 2.7.6 reads the names of "diff --git a/x y b/x y" with
# parse_name (pch.c), which stops at the first blank, so the line gives no
# names; git quotes names only for unusual bytes, not for blanks. When a
# file patch has ---/+++ lines GNU takes the names from those; when it has
# none (a new or deleted empty file, a pure rename) GNU cannot find the
# file or "Cannot rename file without two valid file names". prypatch
# splits such a line as git does: where both halves agree, or by the
# "rename from/to" lines (README). GNU is therefore given these header
# lines C-quoted, which means the same thing; quoted_for_gnu counts the
# diffs where that was needed.
quoted_for_gnu=0
gnu_diff() { # gnu_diff DIR: DIR/gnu.diff, DIR/p.diff as GNU can read it
    awk 'function flush() {
             if (hdr != "" && !dashes && hdr !~ /^diff --git "/) {
                 if (from != "" && to != "") { a = "a/" from; b = "b/" to }   # rename, copy
                 else { n = (length(hdr) - 12) / 2; a = substr(hdr, 12, n); b = substr(hdr, 13 + n) }
                 if (index(a, " ") || index(b, " ")) { hdr = "diff --git \"" a "\" \"" b "\""; q = 1 }
             }
             if (hdr != "") printf "%s", hdr "\n" rest
             hdr = rest = from = to = ""; dashes = 0 }
         /^diff --git / { flush(); hdr = $0; next }
         hdr != "" && /^--- / { dashes = 1 }
         hdr != "" && /^(rename|copy) from / { from = substr($0, index($0, " from ") + 6) }
         hdr != "" && /^(rename|copy) to / { to = substr($0, index($0, " to ") + 4) }
         hdr != "" { rest = rest $0 "\n"; next }
         { print }
         END { flush(); exit !q }' "$1/p.diff" > "$1/gnu.diff" && quoted_for_gnu=$((quoted_for_gnu + 1))
}

run_case() { # run_case DIR LABEL TREE FLAGS...: both tools on copies of TREE
    local d=$1 label=$2 src=$3
    shift 3
    rm -rf "$d/gnu" "$d/pry"
    mkdir -p "$d/gnu" "$d/pry"
    cp -a "$src/." "$d/gnu/"
    cp -a "$src/." "$d/pry/"
    (cd "$d/gnu" && patch "$@" < ../gnu.diff > ../gnu.out 2>&1); local gs=$?
    (cd "$d/pry" && "$PRYPATCH" "$@" < ../p.diff > ../pry.out 2>&1); local ps=$?
    if [ $gs -eq $ps ] && [ "$(tree "$d/gnu")" = "$(tree "$d/pry")" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "$label [$*]: gnu exit $gs, prypatch exit $ps"
        diff <(tree "$d/gnu") <(tree "$d/pry") | head -6
        sed 's/^/  gnu: /' "$d/gnu.out" | head -8
        sed 's/^/  pry: /' "$d/pry.out" | head -8
    fi
}

# disturb DIR: a copy of the old tree (DIR/t) where a created file already
# exists, an empty file the patch fills is missing, a deleted one is
# missing, or a deleted one has changed.
disturb() {
    local d=$1 f
    rm -rf "$d/t"
    cp -a "$d/a" "$d/t"
    for f in "${names[@]}"; do
        if [ ! -e "$d/a/$f" ] && [ -e "$d/b/$f" ] && (( RANDOM % 2 )); then
            make_file "$d/t/$f"
        elif [ -f "$d/a/$f" ] && [ ! -s "$d/a/$f" ] && [ -s "$d/b/$f" ] && (( RANDOM % 2 )); then
            rm "$d/t/$f"         # "@@ -0,0" with a real timestamp: GNU creates it
        elif [ -e "$d/a/$f" ] && [ ! -e "$d/b/$f" ]; then
            case $((RANDOM % 3)) in
            0) rm "$d/t/$f" ;;
            1) echo "local change" >> "$d/t/$f" ;;
            esac
        fi
    done
}

for kind in diff git; do
    for ((c = 1; c <= CASES; c++)); do
        d=$work/$kind$c
        make_trees "$d"
        make_diff "$d" $kind
        [ -s "$d/p.diff" ] || continue   # identical trees: GNU calls it garbage
        gnu_diff "$d"
        run_case "$d" "$kind $c clean" "$d/a" -p1
        case $((c % 4)) in
        0) run_case "$d" "$kind $c reverse" "$d/b" -p1 -R ;;
        1) run_case "$d" "$kind $c remove-empty" "$d/a" -p1 -E ;;
        2) disturb "$d"   # with -f, or without: then GNU skips what looks reversed
           if ((c % 8 == 2)); then run_case "$d" "$kind $c disturbed" "$d/t" -p1 -f
           else run_case "$d" "$kind $c disturbed" "$d/t" -p1; fi ;;
        3) run_case "$d" "$kind $c dry-run" "$d/a" -p1 --dry-run ;;
        esac
        rm -rf "$d"
    done
done
echo "$quoted_for_gnu git diffs had a blank in a name that only diff --git gave: quoted for GNU"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
