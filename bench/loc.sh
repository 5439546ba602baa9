#!/usr/bin/env bash
# bench/loc.sh: lines of the nic model harness (properties model and
# hostile: generators, commands, reference model) before and after its
# port onto pry_steps (pry.h §13), as a markdown table. "Before" is the
# tree at BEFORE (the last commit with the hand-rolled operation loop),
# read with git; without that history the column says so. Code lines are
# non-blank lines once gcc has stripped the comments.
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=${BEFORE:-16cfe46}
FILES="model.c hostile.c nic_gen.h nic_gen.c nic_steps.c nic_ref.c"

count() { # count FILE-CONTENT-ON-STDIN -> "lines code"
    local t
    t=$(mktemp --suffix=.c)
    cat > "$t"
    printf '%s %s' "$(wc -l < "$t")" \
        "$(gcc -fpreprocessed -dD -E -P "$t" 2>/dev/null | grep -cv '^[[:space:]]*$' || true)"
    rm -f "$t"
}

have_before=no
git cat-file -e "$BEFORE^{commit}" 2>/dev/null && have_before=yes
echo "| file | lines before | code before | lines now | code now |"
echo "| --- | ---: | ---: | ---: | ---: |"
tb=0 cb=0 tn=0 cn=0
for f in $FILES; do
    b="-"; bc="-"; n="-"; nc="-"
    if [ $have_before = yes ] && git cat-file -e "$BEFORE:harnesses/nic/$f" 2>/dev/null; then
        read -r b bc <<<"$(git show "$BEFORE:harnesses/nic/$f" | count)"
        tb=$((tb + b)) cb=$((cb + bc))
    fi
    if [ -f harnesses/nic/$f ]; then
        read -r n nc <<<"$(count < harnesses/nic/$f)"
        tn=$((tn + n)) cn=$((cn + nc))
    fi
    echo "| \`$f\` | $b | $bc | $n | $nc |"
done
if [ $have_before = yes ]; then
    echo "| **total** | **$tb** | **$cb** | **$tn** | **$cn** |"
else
    echo "| **total** | (no history: commit $BEFORE absent) | | **$tn** | **$cn** |"
fi
