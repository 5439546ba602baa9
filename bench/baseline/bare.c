/*
 * bare.c: the baseline for bench/floor.sh: a fuzz target with no kit,
 * reading one 32-bit value and comparing it, like floor/one_draw. The
 * comparison can never succeed (a square is 0 or 1 mod 4, never 3), so no
 * engine stops early by solving it, yet the compiler keeps it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t x = 0;
    memcpy(&x, data, size < 4 ? size : 4);
    if ((uint32_t)(x * x) == 3u)
        abort();
    return 0;
}
