/* h2_test_util.h: helpers shared by the h2 target's unit tests. */
#ifndef PRY_TARGETS_H2_TEST_UTIL_H
#define PRY_TARGETS_H2_TEST_UTIL_H

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hpack.h"

/* Decodes hex digits from |hex| (spaces ignored) into |out|; returns the
   length. */
static inline size_t unhex(uint8_t *out, size_t cap, const char *hex)
{
    size_t n = 0;
    int hi = -1;
    for (; *hex; hex++) {
        int v;
        if (isspace((unsigned char)*hex))
            continue;
        v = isdigit((unsigned char)*hex) ? *hex - '0' : (tolower((unsigned char)*hex) - 'a' + 10);
        if (hi < 0) {
            hi = v;
        } else {
            if (n < cap)
                out[n] = (uint8_t)(hi * 16 + v);
            n++;
            hi = -1;
        }
    }
    return n;
}

static inline h2_nv mknv(const char *name, const char *value, uint8_t flags)
{
    h2_nv nv;
    nv.name = (const uint8_t *)name;
    nv.namelen = strlen(name);
    nv.value = (const uint8_t *)value;
    nv.valuelen = strlen(value);
    nv.flags = flags;
    return nv;
}

static inline int nv_eq(const h2_nv *a, const char *name, const char *value)
{
    return a->namelen == strlen(name) && memcmp(a->name, name, a->namelen) == 0 &&
           a->valuelen == strlen(value) && memcmp(a->value, value, a->valuelen) == 0;
}

/* xorshift64*: the tests' pinned-seed generator */
static inline uint64_t rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

#endif
