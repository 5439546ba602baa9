/* rle.c: run-length encoding. See rle.h. */
#include "rle.h"

size_t rle_encode(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint8_t b = in[i];
        size_t run = 1;
#ifdef EXAMPLE_BUG
        /* The planted bug: a run of 256 or more wraps the 8-bit count. */
        while (i + run < n && in[i + run] == b)
            run++;
#else
        while (i + run < n && in[i + run] == b && run < 255)
            run++;
#endif
        out[o++] = (uint8_t)run;
        out[o++] = b;
        i += run;
    }
    return o;
}

size_t rle_decode(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    if (n % 2 != 0)
        return (size_t)-1;
    size_t o = 0;
    for (size_t i = 0; i < n; i += 2) {
        size_t run = in[i];
        if (run == 0 || run > cap - o)
            return (size_t)-1;
        for (size_t k = 0; k < run; k++)
            out[o++] = in[i + 1];
    }
    return o;
}
