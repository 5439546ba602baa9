#!/usr/bin/env bash
# tests/run.sh: every test suite of the kit, each printing "N passed, N
# failed" last; this adds them up and prints the closing line CI reads.
# Run by `make test` after `make all`; the rest of the builds run here,
# as a suite of their own (TEST_BUILD_GOALS, below).
#
# Suites run TEST_JOBS at a time (default: one per core). Most of them
# wait on things that are not the CPU (fuzzers with a --time, children
# that sleep, the linker), so two at a time on two cores takes about half
# the time of one after another. The longest start first, so that they
# do not end the run alone. So suites must not get in each other's way:
# each only reads what `make test` built under build/ (or builds what no
# other suite uses, as test_extlib's build/plain+system-libs/) and works in
# its own temporary folder. test_clusterfuzzlite, which runs beside the
# builds, reads only what `make all` made (build/plain/, the tools) and
# writes nothing the builds read.
#
# Each suite's line is printed when it ends (so the order can differ from
# one run to the next; what each line says does not); a failing suite's
# last 60 lines of output follow its line.
set -u
cd "$(dirname "$0")/.."

jobs_max=${TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
[ "$jobs_max" -ge 1 ] 2>/dev/null || jobs_max=1
logs=$(mktemp -d)

names=()  # suite names, in the order they start
cmds=()   # their commands, one string each (word-split, no quoting needed)

add() { # add NAME COMMAND...
    names+=("$1")
    shift
    cmds+=("$*")
}

# Longest first (their times on two idle cores, for the order only), then
# the rest of tests/test_*.sh, targets/*/tests/*.sh and the unit tests.
add "test_clusterfuzzlite" bash tests/test_clusterfuzzlite.sh
# TEST_BUILD_GOALS (from `make test`): the builds the other suites need
# beyond `make all`, run here as test_clusterfuzzlite's neighbour. That
# suite needs only `make all` (it builds what it runs through
# .clusterfuzzlite/build.sh, in its own folder), and it is the longest:
# started after the builds, it used to leave a core idle through their
# serial stretches (each CMake configure of jansson, some 25 s). Every
# suite after this one starts once the builds have passed; the unit
# tests are listed then, since the builds make them.
build_i=-1 build_state=none
if [ -n "${TEST_BUILD_GOALS:-}" ]; then
    add "builds ($TEST_BUILD_GOALS)" make --no-print-directory -j"$jobs_max" $TEST_BUILD_GOALS
    build_i=$((${#names[@]} - 1))
    build_state=running
fi
add "./pry wrapper" python3 tests/test_pry.py
add "test_shrink" bash tests/test_shrink.sh
add "patch/tests/test_gnu_trees.sh" bash targets/patch/tests/test_gnu_trees.sh
add "test_extlib" bash tests/test_extlib.sh
add "CI files (workflow, Dockerfile)" python3 tests/test_workflow.py
add "test_install" bash tests/test_install.sh
add "runner (selftest harness)" bash tests/test_runner.sh
for t in tests/test_*.sh targets/*/tests/*.sh; do
    case " ${cmds[*]} " in *" $t "*) continue ;; esac
    add "$(basename "$t" .sh)" bash "$t"
    case "$t" in targets/*) names[-1]=${t#targets/} ;; esac
done
add_unit_tests() { # the programs `make unit-tests` built
    local t
    for t in build/tests/kit/*; do
        [ -x "$t" ] && add "kit/$(basename "$t")" "$t"
    done
    for t in build/tests/*/test_*; do
        case "$t" in build/tests/kit/*|build/tests/plants/*) continue ;; esac
        [ -x "$t" ] && add "${t#build/tests/}" "$t"
    done
    for t in build/tests/plants/*; do
        [ -x "$t" ] && add "plant/$(basename "$t")" "$t"
    done
}
[ "$build_state" = none ] && add_unit_tests

total_pass=0
total_fail=0
broken=()
declare -A pid_of_suite=() started=()

# Ctrl-C or kill: end the suites that are running (each cleans up after
# itself on SIGTERM) before leaving.
stop_all() {
    local p
    for p in "${pid_of_suite[@]}"; do kill -TERM "$p" 2>/dev/null; done
    wait
    rm -rf "$logs"
    exit 130
}
trap stop_all INT TERM

start() { # start I: run suite I in the background
    local i=$1
    started[$i]=$SECONDS
    # shellcheck disable=SC2086 # the command is a word list
    ( TIMEFORMAT='%U %S'; time ${cmds[$i]} >"$logs/$i.log" 2>&1 ) 2>"$logs/$i.cpu" &
    pid_of_suite[$i]=$!
}

report() { # report I RC: the suite's line, its tail if it failed
    local i=$1 rc=$2 line p=0 f=0 cpu
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$logs/$i.log" | tail -1)
    if [ -n "$line" ]; then
        p=$(echo "$line" | cut -d' ' -f1)
        f=$(echo "$line" | cut -d' ' -f3)
    fi
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
        f=1 # crashed or exited badly without saying which test failed
    fi
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    # Wall time, and the CPU time of the suite and its children (what
    # decides how well suites share the cores).
    cpu=$(awk '{ printf "%d", $1 + $2 }' "$logs/$i.cpu" 2>/dev/null)
    printf '%-44s %5s passed %3s failed  (%ds, cpu %ss)\n' "${names[$i]}" "$p" "$f" \
        $((SECONDS - ${started[$i]})) "${cpu:-?}"
    if [ "$f" != 0 ]; then
        broken+=("${names[$i]}")
        sed 's/^/    | /' "$logs/$i.log" | tail -60
    fi
    if [ "$i" = "$build_i" ]; then
        if [ "$f" = 0 ]; then
            build_state=passed
            add_unit_tests
        else
            build_state=failed
        fi
    fi
}

reap() { # reap: wait for one suite to end and report it
    local i rc
    wait -n "${pid_of_suite[@]}" 2>/dev/null
    for i in "${!pid_of_suite[@]}"; do
        if ! kill -0 "${pid_of_suite[$i]}" 2>/dev/null; then
            wait "${pid_of_suite[$i]}"
            rc=$?
            unset "pid_of_suite[$i]"
            report "$i" "$rc"
        fi
    done
}

echo "== test suites, $jobs_max at a time =="
i=0
while [ "$i" -lt "${#names[@]}" ]; do
    # Past the builds, a suite waits for them (the list grows when they
    # pass: the unit tests); if they failed, nothing more starts.
    while [ "$build_i" -ge 0 ] && [ "$i" -gt "$build_i" ] && [ "$build_state" = running ]; do
        reap
    done
    [ "$build_state" = failed ] && break
    while [ ${#pid_of_suite[@]} -ge "$jobs_max" ]; do reap; done
    start "$i"
    i=$((i + 1))
done
while [ ${#pid_of_suite[@]} -gt 0 ]; do reap; done
if [ "$build_state" = failed ]; then
    echo "the builds failed (their output is above): $((${#names[@]} - i)) suite(s) not run"
fi
rm -rf "$logs"

echo
if [ ${#broken[@]} -gt 0 ]; then
    echo "failing suites: ${broken[*]}"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
