/*
 * gen_float.c: floats and doubles as their bit patterns, so every value
 * (NaN payloads, infinities, signed zeros, subnormals) is reachable and the
 * zero pattern, +0.0, is minimal. Random mode gives the special values and
 * "ordinary" numbers extra weight: uniform bits are almost always huge or
 * tiny, and bugs hide at the edges.
 */
#include "pry_internal.h"

#include <float.h>
#include <math.h>
#include <string.h>

static uint64_t random_double_bits(pry_t *p)
{
    static const double special[] = {
        0.0, -0.0, 1.0, -1.0, 0.5, INFINITY, -INFINITY, NAN,
        DBL_MIN, -DBL_MIN, DBL_MAX, -DBL_MAX, DBL_EPSILON,
        DBL_TRUE_MIN, -DBL_TRUE_MIN, 1e-310 /* subnormal */, 9007199254740993.0,
    };
    uint64_t r = pry_rng_next(p) % 4;
    double d;
    if (r == 0) {
        d = special[pry_rng_next(p) % (sizeof special / sizeof special[0])];
    } else if (r == 1) {
        uint64_t bits = pry_rng_next(p);
        return bits;
    } else {
        /* an ordinary number: a small integer, or a fraction of one */
        int64_t i = (int64_t)(pry_rng_next(p) % 2001) - 1000;
        d = (r == 2) ? (double)i : (double)i / (double)(1 + pry_rng_next(p) % 64);
    }
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return bits;
}

double pry_double(pry_t *p, const char *label)
{
    if (p->mode == PRY_SRC_RANDOM) {
        p->has_hint = true;
        p->hint = random_double_bits(p);
    }
    uint64_t bits = pry_draw_int(p, PRY_K_DOUBLE, label, 0, UINT64_MAX, false);
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

float pry_float(pry_t *p, const char *label)
{
    if (p->mode == PRY_SRC_RANDOM) {
        uint64_t dbits = random_double_bits(p);
        double d;
        memcpy(&d, &dbits, sizeof d);
        float f = (float)d;
        uint32_t fbits;
        memcpy(&fbits, &f, sizeof fbits);
        if (pry_rng_next(p) % 8 == 0) /* float subnormals and raw bits too */
            fbits = (uint32_t)pry_rng_next(p) & (pry_rng_next(p) % 2 ? 0x807fffffu : 0xffffffffu);
        p->has_hint = true;
        p->hint = fbits;
    }
    uint32_t bits =
        (uint32_t)pry_draw_int(p, PRY_K_FLOAT, label, 0, UINT32_MAX, false);
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}
