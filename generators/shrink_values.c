/*
 * shrink_values.c: the shrinker's value passes: each integer toward its
 * simplest value (across zero too: -3 becomes 2), floats toward simple
 * numbers, equal values together, pairs together, and value moved from
 * one draw to another keeping their sum. After Hypothesis's
 * minimize_individual_choices, minimize_duplicated_choices,
 * lower_integers_together and redistribute_numeric_pairs.
 */
#include "shrink_internal.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool is_float(const pry_choice_t *c)
{
    return c->kind == PRY_K_FLOAT || c->kind == PRY_K_DOUBLE;
}

static bool is_number(const pry_choice_t *c)
{
    return pry_choice_is_int(c) && !is_float(c) && c->kind != PRY_K_MORE;
}

static bool straddles(const pry_choice_t *c)
{
    return pry_choice_signed(c) && (int64_t)c->lo < 0 && (int64_t)c->hi >= 0;
}

/* The value at key (m, neg) within |c|'s bounds, if there is one. */
static bool value_at(const pry_choice_t *c, uint64_t m, bool neg, uint64_t *v)
{
    if (straddles(c)) {
        if (neg) {
            if (m == 0 || m > (uint64_t)INT64_MAX + 1)
                return false;
            int64_t x = (int64_t)(0 - m);
            if (x < (int64_t)c->lo)
                return false;
            *v = (uint64_t)x;
        } else {
            if (m > (uint64_t)(int64_t)c->hi)
                return false;
            *v = m;
        }
        return true;
    }
    if (neg)
        return false;
    if (pry_choice_signed(c) && (int64_t)c->hi < 0) {
        if (m > c->hi - c->lo)
            return false;
        *v = c->hi - m;
        return true;
    }
    if (m > c->hi - c->lo)
        return false;
    *v = c->lo + m;
    return true;
}

/* Set the choices |idx| (n of them) to the value at key (m, neg). */
static bool try_key(pry_shrinker_t *s, const size_t *idx, size_t n, uint64_t m,
                    bool neg)
{
    pry_choices_t c;
    if (!pry_choices_copy(&c, &s->best))
        return false;
    bool ok = true;
    for (size_t k = 0; k < n && ok; k++) {
        uint64_t v;
        ok = idx[k] < c.n && value_at(&c.c[idx[k]], m, neg, &v);
        if (ok)
            c.c[idx[k]].value = v;
    }
    ok = ok && pry_shrink_try(s, &c);
    pry_choices_free(&c);
    return ok;
}

/* Still the same value at |idx| (a success may change the structure)? */
static bool still(const pry_shrinker_t *s, const size_t *idx, size_t n,
                  uint8_t kind, uint64_t value)
{
    for (size_t k = 0; k < n; k++)
        if (idx[k] >= s->best.n || s->best.c[idx[k]].kind != kind ||
            s->best.c[idx[k]].value != value)
            return false;
    return true;
}

/* Binary search the smallest magnitude in (0, hi) with sign |neg| that
 * still fails, the values at |idx| moved together. */
static bool search_magnitude(pry_shrinker_t *s, const size_t *idx, size_t n,
                             uint64_t hi, bool neg)
{
    bool progress = false;
    uint64_t lo = 0; /* lo does not fail (or was not tried), hi fails */
    while (hi - lo > 1 && !s->out_of_time) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (try_key(s, idx, n, mid, neg)) {
            hi = mid;
            progress = true;
        } else {
            lo = mid;
        }
    }
    return progress;
}

/* Minimise integers |idx| (equal, of one kind) together: the simplest
 * value, the positive mirror, then smaller magnitudes, positive first. */
static bool minimise_together(pry_shrinker_t *s, const size_t *idx, size_t n)
{
    /* |c| is read before any try: an accepted one replaces the sequence. */
    const pry_choice_t *c = &s->best.c[idx[0]];
    pry_ckey_t k = pry_choice_key(c);
    bool strad = straddles(c);
    uint8_t kind = c->kind;
    uint64_t m = k.k[0];
    bool neg = k.k[1] != 0;
    if (m == 0)
        return false;
    if (try_key(s, idx, n, 0, false))
        return true;
    bool progress = false;
    if (neg && try_key(s, idx, n, m, false)) {
        progress = true;
        neg = false;
    }
    uint64_t v;
    if (!value_at(&s->best.c[idx[0]], m, neg, &v) || !still(s, idx, n, kind, v))
        return progress;
    progress |= search_magnitude(s, idx, n, m, false);
    /* Every smaller magnitude is simpler, either sign: 2 -> -1 too. */
    if (strad && idx[0] < s->best.n) {
        pry_ckey_t now = pry_choice_key(&s->best.c[idx[0]]);
        if (value_at(&s->best.c[idx[0]], now.k[0], now.k[1] != 0, &v) &&
            still(s, idx, n, kind, v))
            progress |= search_magnitude(s, idx, n, now.k[0], true);
    }
    return progress;
}

/* ---- floats ---- */

static uint64_t bits_of(const pry_choice_t *c, double d)
{
    if (c->kind == PRY_K_FLOAT) {
        float f = (float)d;
        uint32_t b;
        memcpy(&b, &f, sizeof b);
        return b;
    }
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

static bool try_double(pry_shrinker_t *s, size_t i, double d)
{
    return pry_shrink_try_value(s, i, bits_of(&s->best.c[i], d));
}

/* The integer part of |d| plus 1/2, 1/4, ... (the fewest binary digits
 * first): a fraction that fails for being a fraction becomes 0.5, however
 * small or odd it was. */
static bool simple_fraction(pry_shrinker_t *s, size_t i, double d)
{
    double whole = trunc(d), sign = signbit(d) ? -1.0 : 1.0;
    for (int k = 1; k <= 20 && !s->out_of_time; k++)
        if (try_double(s, i, whole + sign * ldexp(1.0, -k)))
            return true;
    return false;
}

/* Floats toward simple values: 0, the positive mirror, an integer (the
 * nearest, then binary search on the magnitude), then fractions with
 * few binary digits. The order (pry_choice_key) never takes a subnormal
 * unless the failure needs one. */
static bool minimise_float(pry_shrinker_t *s, size_t i)
{
    double d = pry_choice_double(&s->best.c[i]);
    if (try_double(s, i, 0.0))
        return true;
    bool progress = false;
    if (signbit(d) && try_double(s, i, -d)) {
        progress = true;
        d = -d;
    }
    if (!isfinite(d)) {
        static const double finite[] = {1.0, 2.0, 1e300, DBL_MAX};
        for (size_t k = 0; k < sizeof finite / sizeof finite[0]; k++)
            if (try_double(s, i, signbit(d) ? -finite[k] : finite[k]))
                return true;
        return progress;
    }
    if (d != trunc(d)) {
        if (try_double(s, i, trunc(d)) || try_double(s, i, round(d)) ||
            try_double(s, i, d < 0 ? floor(d) : ceil(d))) {
            progress = true;
        } else if (simple_fraction(s, i, d)) {
            progress = true;
        } else {
            for (int k = 1; k <= 20; k++) {
                double scale = ldexp(1.0, k);
                if (try_double(s, i, round(d * scale) / scale)) {
                    progress = true;
                    break;
                }
            }
        }
        if (i >= s->best.n || !is_float(&s->best.c[i]))
            return progress;
        d = pry_choice_double(&s->best.c[i]);
    }
    if (d == trunc(d) && fabs(d) < 9007199254740992.0) {
        /* binary search the magnitude of an integral value */
        double sign = signbit(d) ? -1.0 : 1.0;
        uint64_t lo = 0, hi = (uint64_t)fabs(d);
        while (hi - lo > 1 && !s->out_of_time && i < s->best.n && is_float(&s->best.c[i])) {
            uint64_t mid = lo + (hi - lo) / 2;
            if (try_double(s, i, sign * (double)mid)) {
                hi = mid;
                progress = true;
            } else {
                lo = mid;
            }
        }
    }
    return progress;
}

bool pry_pass_minimise(pry_shrinker_t *s)
{
    bool progress = false;
    for (size_t i = 0; i < s->best.n && !s->out_of_time; i++) {
        const pry_choice_t *c = &s->best.c[i];
        if (is_float(c))
            progress |= minimise_float(s, i);
        else if (pry_choice_is_int(c))
            progress |= minimise_together(s, &i, 1);
    }
    return progress;
}

/* Equal values shrink together (a list that must hold a duplicate: both
 * copies move at once, or neither can). */
bool pry_pass_duplicates(pry_shrinker_t *s)
{
    bool progress = false;
    for (size_t i = 0; i < s->best.n && !s->out_of_time; i++) {
        const pry_choice_t *c = &s->best.c[i];
        pry_ckey_t k = pry_choice_key(c);
        if (!is_number(c) || k.k[0] == 0)
            continue;
        size_t idx[64], n = 0;
        idx[n++] = i;
        for (size_t j = 0; j < i; j++)
            if (s->best.c[j].kind == c->kind && s->best.c[j].value == c->value)
                n = 0; /* an earlier copy: this set was tried from there */
        if (n == 0)
            continue;
        for (size_t j = i + 1; j < s->best.n && n < 64; j++)
            if (s->best.c[j].kind == c->kind && s->best.c[j].value == c->value &&
                s->best.c[j].lo == c->lo && s->best.c[j].hi == c->hi)
                idx[n++] = j;
        if (n >= 2)
            progress |= minimise_together(s, idx, n);
    }
    return progress;
}

/* Move integers |i| and |j| both |r| closer to their simplest values. */
static bool try_pair(pry_shrinker_t *s, size_t i, size_t j, uint64_t r)
{
    pry_ckey_t ki = pry_choice_key(&s->best.c[i]), kj = pry_choice_key(&s->best.c[j]);
    if (r > ki.k[0] || r > kj.k[0])
        return false;
    pry_choices_t c;
    if (!pry_choices_copy(&c, &s->best))
        return false;
    bool ok = value_at(&c.c[i], ki.k[0] - r, ki.k[1] != 0, &c.c[i].value) &&
              value_at(&c.c[j], kj.k[0] - r, kj.k[1] != 0, &c.c[j].value) &&
              pry_shrink_try(s, &c);
    pry_choices_free(&c);
    return ok;
}

typedef bool (*pair_try_fn)(pry_shrinker_t *s, size_t i, size_t j, uint64_t r);

/* Move by |d| at once, else binary search the largest amount that still
 * fails (each success moves the pair and searches the rest). */
static bool search_amount(pry_shrinker_t *s, size_t i, size_t j, uint64_t d,
                          pair_try_fn try_fn)
{
    if (try_fn(s, i, j, d))
        return true;
    bool progress = false;
    uint64_t lo = 0, hi = d; /* moving by hi fails to fail */
    while (hi - lo > 1 && !s->out_of_time && j < s->best.n) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (try_fn(s, i, j, mid)) {
            progress = true;
            hi -= mid;
            lo = 0;
        } else {
            hi = mid;
        }
    }
    return progress;
}

/* Two values that must move together (a == b + 4, offsets into one
 * another): move both toward their simplest by the same amount, binary
 * searching the amount. Nearby pairs only. */
bool pry_pass_lower_pairs(pry_shrinker_t *s)
{
    bool progress = false;
    for (size_t i = 0; i < s->best.n && !s->out_of_time; i++) {
        for (size_t j = i + 1; j < s->best.n && j < i + 8 && !s->out_of_time; j++) {
            if (!is_number(&s->best.c[i]) || !is_number(&s->best.c[j]))
                continue;
            uint64_t di = pry_choice_key(&s->best.c[i]).k[0];
            uint64_t dj = pry_choice_key(&s->best.c[j]).k[0];
            uint64_t d = di < dj ? di : dj;
            if (d > 0)
                progress |= search_amount(s, i, j, d, try_pair);
        }
    }
    return progress;
}

/* Move |r| from integer |i| to integer |j|, keeping their sum: |i| goes
 * |r| toward its simplest value, |j| the other way. */
static bool try_move(pry_shrinker_t *s, size_t i, size_t j, uint64_t r)
{
    pry_choices_t c;
    if (!pry_choices_copy(&c, &s->best))
        return false;
    pry_choice_t *a = &c.c[i], *b = &c.c[j];
    bool ok;
    if (pry_choice_signed(a) && pry_choice_signed(b)) {
        int64_t va = (int64_t)a->value, vb = (int64_t)b->value;
        int64_t m = (int64_t)pry_choice_minimal(a);
        int64_t step = va > m ? -(int64_t)r : (int64_t)r;
        int64_t na = 0, nb = 0;
        ok = !__builtin_add_overflow(va, step, &na) && !__builtin_sub_overflow(vb, step, &nb) &&
             na >= (int64_t)a->lo && na <= (int64_t)a->hi && nb >= (int64_t)b->lo &&
             nb <= (int64_t)b->hi;
        a->value = (uint64_t)na;
        b->value = (uint64_t)nb;
    } else if (!pry_choice_signed(a) && !pry_choice_signed(b)) {
        ok = a->value - a->lo >= r && b->hi - b->value >= r;
        a->value -= r;
        b->value += r;
    } else {
        ok = false;
    }
    ok = ok && pry_shrink_try(s, &c);
    pry_choices_free(&c);
    return ok;
}

/* Move value between two nearby integers keeping their sum, as far as
 * the failure allows: ([-11719, -19771], [-1279]) becomes
 * ([0, -31490], [-1279]) and then ([-1], [-32768]) once the 0 is gone.
 * The two may be of different kinds: a weighted choice of a branch and
 * the value drawn in it (class 3 "near 2^20" with n = 0 becomes class 0
 * "need + spare" with spare = 3, which still fails where class 0 with
 * spare = 0 does not). */
bool pry_pass_redistribute(pry_shrinker_t *s)
{
    bool progress = false;
    for (size_t i = 0; i < s->best.n && !s->out_of_time; i++) {
        for (size_t j = i + 1; j < s->best.n && j < i + 8 && !s->out_of_time; j++) {
            const pry_choice_t *a = &s->best.c[i], *b = &s->best.c[j];
            if (!is_number(a) || !is_number(b))
                continue;
            uint64_t d = pry_choice_key(a).k[0];
            if (d > 0)
                progress |= search_amount(s, i, j, d, try_move);
        }
    }
    return progress;
}
