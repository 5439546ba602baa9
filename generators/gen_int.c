/*
 * gen_int.c: booleans, fixed-width integers, ranges, sizes and indexes.
 * All are one integer draw (source.c has the encoding).
 */
#include "pry_internal.h"

/* Each generator returns at once from a read inside the input (fuzzing:
 * pry_draw_int_fast) and otherwise tail-calls pry_draw_int_full() through
 * a function of its own return type: the usual draw then sets up no
 * frame and saves no registers. */
static __attribute__((noinline)) uint64_t draw_full(pry_t *p, pry_kind kind,
                                                    const char *label, uint64_t lo,
                                                    uint64_t hi, bool is_signed)
{
    return pry_draw_int_full(p, kind, label, lo, hi, is_signed);
}

static __attribute__((noinline)) bool bool_full(pry_t *p, const char *label)
{
    return pry_draw_int_full(p, PRY_K_BOOL, label, 0, 1, false) != 0;
}

bool pry_bool(pry_t *p, const char *label)
{
    uint64_t v;
    if (pry_draw_int_fast(p, 0, 1, false, &v))
        return v != 0;
    return bool_full(p, label);
}

#define UNSIGNED_GEN(name, type, max)                                          \
    type name(pry_t *p, const char *label)                                     \
    {                                                                          \
        return (type)pry_draw_int(p, PRY_K_UINT, label, 0, max, false);        \
    }
UNSIGNED_GEN(pry_u8, uint8_t, UINT8_MAX)
UNSIGNED_GEN(pry_u16, uint16_t, UINT16_MAX)
UNSIGNED_GEN(pry_u32, uint32_t, UINT32_MAX)
UNSIGNED_GEN(pry_u64, uint64_t, UINT64_MAX)

#define SIGNED_GEN(name, type, min, max)                                       \
    type name(pry_t *p, const char *label)                                     \
    {                                                                          \
        return (type)(int64_t)pry_draw_int(p, PRY_K_INT, label,                \
                                           (uint64_t)(int64_t)(min),           \
                                           (uint64_t)(int64_t)(max), true);    \
    }
SIGNED_GEN(pry_i8, int8_t, INT8_MIN, INT8_MAX)
SIGNED_GEN(pry_i16, int16_t, INT16_MIN, INT16_MAX)
SIGNED_GEN(pry_i32, int32_t, INT32_MIN, INT32_MAX)
SIGNED_GEN(pry_i64, int64_t, INT64_MIN, INT64_MAX)

/* Bounds given high first: swapped, out of line (a rare call; the usual
 * one then needs no swap). */
static __attribute__((noinline)) uint64_t range_u_swapped(pry_t *p, const char *label,
                                                          uint64_t lo, uint64_t hi)
{
    return pry_range_u(p, label, hi, lo);
}

static __attribute__((noinline)) int64_t range_i_swapped(pry_t *p, const char *label,
                                                         int64_t lo, int64_t hi)
{
    return pry_range_i(p, label, hi, lo);
}

uint64_t pry_range_u(pry_t *p, const char *label, uint64_t lo, uint64_t hi)
{
    if (lo > hi)
        return range_u_swapped(p, label, lo, hi);
    uint64_t v;
    if (pry_draw_int_fast(p, lo, hi, false, &v))
        return v;
    return draw_full(p, PRY_K_UINT, label, lo, hi, false);
}

int64_t pry_range_i(pry_t *p, const char *label, int64_t lo, int64_t hi)
{
    if (lo > hi)
        return range_i_swapped(p, label, lo, hi);
    /* From 0 up (the usual range), the width and the values are those of
     * the unsigned range (no bound is negative: nothing straddles zero or
     * reads as signed), so the fast path skips the signed cases. The full
     * path gets is_signed: the record keeps the draw signed. */
    uint64_t v;
    if (lo >= 0 ? pry_draw_int_fast(p, (uint64_t)lo, (uint64_t)hi, false, &v)
                : pry_draw_int_fast(p, (uint64_t)lo, (uint64_t)hi, true, &v))
        return (int64_t)v;
    return (int64_t)draw_full(p, PRY_K_INT, label, (uint64_t)lo, (uint64_t)hi, true);
}

size_t pry_size(pry_t *p, const char *label, size_t max)
{
    uint64_t v;
    if (pry_draw_int_fast(p, 0, max, false, &v))
        return (size_t)v;
    return (size_t)draw_full(p, PRY_K_UINT, label, 0, max, false);
}

static __attribute__((noinline)) size_t index_full(pry_t *p, const char *label, size_t n)
{
    if (n == 0)
        pry_fail_at(p, __FILE__, __LINE__, NULL, "pry_index: n must be >= 1");
    uint64_t v;
    if (pry_draw_int_fast(p, 0, n - 1, false, &v))
        return (size_t)v;
    return (size_t)pry_draw_int_full(p, PRY_K_INDEX, label, 0, n - 1, false);
}

size_t pry_index(pry_t *p, const char *label, size_t n)
{
    /* 1 to 256 alternatives, a read inside the input; n == 0 wraps around
     * and goes to index_full(), which fails the run. */
    uint64_t v;
    if (n - 1 < 256 && pry_draw_int_fast(p, 0, n - 1, false, &v))
        return (size_t)v;
    return index_full(p, label, n);
}
