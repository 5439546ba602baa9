#!/usr/bin/env bash
# bench/extlib.sh: time from `./pry new NAME --lib deb:jansson` to a
# running AFL++ campaign, everything built on the way (issue 13, goal:
# under 2 minutes on 2 cores for a library of jansson's size).
#
# It runs as a new user would, in a fresh copy of the project (no build/,
# no pry-out/, no cached jansson source; harnesses/jansson removed, so the
# scaffold declares the library itself and jansson's CMake build runs with
# its defaults: library, tests and examples). The clock stops at the first
# progress line with executions in it. A second scaffold of the same
# library then shows the cached case (libraries already built).
#
#   bash bench/extlib.sh [CAMPAIGN_SECONDS]   markdown on stdout (bench/run.sh
#                                             puts it in RESULTS.md under its heading)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECS=${1:-20}
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
tar --exclude=./build --exclude=./pry-out --exclude=./.git -cf - . | tar -xf - -C "$D"
rm -rf "$D/harnesses/jansson" "$D/corpora/jansson"

now() { date +%s.%N; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a - b }'; }
# CPU seconds of a process and its reaped children (/proc/PID/stat fields
# 14-17: utime stime cutime cstime, in clock ticks): at the first
# executions the builds are done and reaped, and afl-fuzz, still running,
# is not counted, so this is the CPU the way to the campaign cost.
tree_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15 + $16 + $17) / hz }' "/proc/$1/stat"; }

# to_campaign NAME: scaffold, fuzz; prints "<s to first execs> <CPU s to then> <total s>"
to_campaign() {
    local t0 line first= cpu=? pid
    t0=$(now)
    (cd "$D" && ./pry new "$1" --lib deb:jansson >/dev/null)
    exec 3< <(cd "$D" && exec ./pry fuzz "$1" --engine afl --seed 1 --time "$SECS" 2>&1)
    pid=$!
    while IFS= read -r line <&3; do
        echo "$line" >>"$D/$1.log"
        if [ -z "$first" ] && grep -qE 'execs [1-9]' <<<"$line"; then
            first=$(now)
            cpu=$(tree_cpu "$pid" 2>/dev/null || echo ?)
        fi
    done
    exec 3<&-
    [ -n "$first" ] || { echo "bench/extlib.sh: $1 never ran (log below)" >&2; cat "$D/$1.log" >&2; exit 1; }
    echo "$(minus "$first" "$t0") $cpu $(minus "$(now)" "$t0")"
}

load=$(cut -d' ' -f1 /proc/loadavg)
read -r fresh fresh_cpu _ < <(to_campaign json_fresh)
load2=$(cut -d' ' -f1 /proc/loadavg)
read -r cached cached_cpu _ < <(to_campaign json_again)
variants=$(cd "$D" && ls -d build/*/ext/jansson 2>/dev/null | cut -d/ -f2 | paste -sd, - | sed 's/,/, /g')
edges=$(grep -oE 'cov [0-9]+ edges' "$D/json_fresh.log" | tail -1)

cat <<EOF
    bash bench/extlib.sh $SECS

From \`./pry new json_fresh --lib deb:jansson\` to the first progress line with
executions of \`./pry fuzz json_fresh --engine afl\`, in a fresh copy of the
project: \`apt-get source jansson\`, jansson's own CMake build (library, tests
and examples: the scaffold's defaults) in every variant the campaign needs
($variants), libpry and the harness. Load average at the start and at the
first executions: $load, $load2 (the machine's 2 cores are shared with other
jobs, so the wall time depends on them; the CPU time of pry's own processes
up to that moment does not).

| case | seconds to a running campaign | CPU seconds spent on the way | goal |
| --- | ---: | ---: | --- |
| fresh (nothing built, source not fetched) | $fresh | $fresh_cpu | < 120 s |
| a second harness on the same library (cached builds) | $cached | $cached_cpu | |

On two idle cores the fresh case takes between half its CPU time (the builds
run with -j2) and all of it (configure steps are serial).
The scaffolded property does not call jansson yet, so the campaign's edges
($edges) are the harness's own; \`harnesses/jansson\` is the one with properties.
EOF
