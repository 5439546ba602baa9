/*
 * selftest: properties with known outcomes, for the kit's own tests
 * (tests/test_runner.sh). Not a shipped harness.
 */
#include "pry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

PRY_PROPERTY(addition_commutes)
{
    int32_t a = pry_i32(p, "a"), b = pry_i32(p, "b");
    pry_check_eq_int(p, (int64_t)a + b, (int64_t)b + a);
}

/* Fails for any x >= 1000: the shrunk counterexample is x = 1000. */
PRY_PROPERTY(small_numbers)
{
    uint32_t x = pry_u32(p, "x");
    pry_check(p, x < 1000, "x = %u is not small", x);
}

/* Fails when a list holds two equal elements; minimal: [0, 0]. */
PRY_PROPERTY(all_distinct)
{
    int32_t xs[8];
    size_t n = 0;
    pry_list_t l = pry_list(p, "xs", 8);
    while (pry_list_more(p, &l))
        xs[n++] = (int32_t)pry_range_i(p, NULL, -50, 50);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            pry_check(p, xs[i] != xs[j], "xs[%zu] == xs[%zu]", i, j);
}

/* Crashes (NULL dereference) on strings containing "!!". */
PRY_PROPERTY(crashes_on_bangs)
{
    char *s = pry_string(p, "s", 16, "ab!");
    volatile int *volatile nowhere = NULL;
    pry_note(p, "length %zu", strlen(s));
    if (strstr(s, "!!") != NULL)
        *nowhere = 1;
}

/* Discards almost everything: unhealthy, under every engine. The kept
 * value is the one whose product lands on 12345 (only x = 1440528649, one
 * in 2^32), not a plain x == 12345: AFL++'s cmplog and libFuzzer's
 * comparison tracing would solve that at once, and their mutations of the
 * solved input are often kept, so whether a campaign came out unhealthy
 * depended on how soon they solved it. */
PRY_PROPERTY(mostly_discarded)
{
    uint32_t x = pry_u32(p, "x");
    pry_assume(p, (uint32_t)(x * 2654435761u) == 12345);
}

/* Fails the first time only (a marker file remembers): flaky. */
PRY_PROPERTY(flaky_once)
{
    const char *marker = getenv("PRY_SELFTEST_MARKER");
    pry_u8(p, "x");
    if (marker == NULL)
        return;
    FILE *f = fopen(marker, "r");
    if (f != NULL) {
        fclose(f);
        return;
    }
    f = fopen(marker, "w");
    if (f != NULL)
        fclose(f);
    pry_fail(p, "fails only the first time");
}

/* An explicit example runs before any random input: 10000 fails. */
PRY_EXAMPLE(small_numbers, "\x10\x27");
