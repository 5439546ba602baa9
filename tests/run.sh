#!/usr/bin/env bash
# tests/run.sh: every test suite of the kit, one after another, each
# printing "N passed, N failed" last; this adds them up and prints the
# closing line CI reads. Run by `make test` after the builds.
set -u
cd "$(dirname "$0")/.."

total_pass=0
total_fail=0
broken=()

suite() { # suite NAME COMMAND...
    local name=$1
    shift
    local log
    log=$(mktemp)
    local start=$SECONDS
    "$@" >"$log" 2>&1
    local rc=$?
    local line
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
    local p=0 f=0
    if [ -n "$line" ]; then
        p=$(echo "$line" | cut -d' ' -f1)
        f=$(echo "$line" | cut -d' ' -f3)
    fi
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
        f=1 # crashed or exited badly without saying which test failed
    fi
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    printf '%-44s %5s passed %3s failed  (%ds)\n' "$name" "$p" "$f" $((SECONDS - start))
    if [ "$f" != 0 ]; then
        broken+=("$name")
        sed 's/^/    | /' "$log" | tail -60
    fi
    rm -f "$log"
}

echo "== unit tests (kit) =="
for t in build/tests/kit/*; do
    [ -x "$t" ] && suite "kit/$(basename "$t")" "$t"
done
echo "== unit tests (targets, plain and ASan+UBSan) =="
for t in build/tests/*/test_*; do
    case "$t" in build/tests/kit/*|build/tests/plants/*) continue ;; esac
    [ -x "$t" ] && suite "${t#build/tests/}" "$t"
done
echo "== planted bugs, one build each =="
for t in build/tests/plants/*; do
    [ -x "$t" ] && suite "plant/$(basename "$t")" "$t"
done
echo "== runner, harnesses, tools =="
suite "runner (selftest harness)" bash tests/test_runner.sh
for t in tests/test_*.sh; do
    case "$t" in tests/test_runner.sh) continue ;; esac
    suite "$(basename "$t" .sh)" bash "$t"
done
for t in targets/*/tests/*.sh; do
    [ -f "$t" ] && suite "${t#targets/}" bash "$t"
done
if [ -f tests/test_pry.py ]; then
    suite "./pry wrapper" python3 tests/test_pry.py
fi
if [ -f tests/test_workflow.py ]; then
    suite "CI files (workflow, Dockerfile)" python3 tests/test_workflow.py
fi

echo
if [ ${#broken[@]} -gt 0 ]; then
    echo "failing suites: ${broken[*]}"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
