/*
 * bare.c: the baseline for bench/floor.sh: a fuzz target with no kit,
 * reading one 32-bit value and comparing it, like floor/one_draw.
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
    if (x == 0xdeadbeef)
        abort();
    return 0;
}
