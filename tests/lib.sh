# tests/lib.sh: assertions for the shell tests. Each `expect` is one test;
# `summary` prints the closing line "N passed, N failed" and sets the exit.
passed=0
failed=0
expect() { # expect DESCRIPTION COMMAND...
    local what=$1
    shift
    if "$@" >/dev/null 2>&1; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $what" >&2
        [ -n "${out:-}" ] && printf '%s\n' "$out" | head -40 | sed 's/^/    | /' >&2
    fi
}
summary() {
    echo "$passed passed, $failed failed"
    [ "$failed" = 0 ]
    exit $?
}
