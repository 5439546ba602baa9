/*
 * gen_choice.c: choices among alternatives, and permutations.
 */
#include "pry_internal.h"

#include <string.h>

size_t pry_choice(pry_t *p, const char *label, size_t n)
{
    return pry_index(p, label, n);
}

/* The draw, recorded with its name (recording), or from the end of the
 * input, replay, random mode; and more than 256 names, or none. */
static __attribute__((noinline)) size_t choice_named_full(pry_t *p, const char *label,
                                                          size_t n,
                                                          const char *const names[])
{
    if (n == 0)
        pry_fail_at(p, __FILE__, __LINE__, NULL, "pry_choice_named: n must be >= 1");
    uint64_t v;
    if (pry_draw_int_fast(p, 0, n - 1, false, &v))
        return (size_t)v;
    size_t i = (size_t)pry_draw_int_full(p, PRY_K_NAMED, label, 0, n - 1, false);
    if (p->last_entry != 0 && names[i] != NULL)
        p->log->entries[p->last_entry - 1].text =
            pry_pool_add(p, names[i], strlen(names[i]));
    return i;
}

size_t pry_choice_named(pry_t *p, const char *label, size_t n,
                        const char *const names[])
{
    /* Fuzzing, 1 to 256 names, a read inside the input: no entry to name
     * (gen_int.c). n == 0 wraps around and goes to choice_named_full(). */
    uint64_t i;
    if (n - 1 < 256 && pry_draw_int_fast(p, 0, n - 1, false, &i))
        return (size_t)i;
    return choice_named_full(p, label, n, names);
}

/* The checks of the weights, before a draw (or, on the fast path below,
 * once the drawn alternative turned out to weigh 0). */
static void weights_check(pry_t *p, size_t n, const unsigned weights[], uint64_t *total)
{
    uint64_t t = 0;
    for (size_t i = 0; i < n; i++)
        t += weights[i];
    if (n == 0 || t == 0)
        pry_fail_at(p, __FILE__, __LINE__, NULL,
                    "pry_weighted: no alternative has a weight");
    *total = t;
}

/* A zero weight means "never": move to the next allowed one, so zero
 * bytes give the first allowed alternative. */
static size_t next_allowed(size_t i, size_t n, const unsigned weights[])
{
    while (weights[i] == 0)
        i = (i + 1) % n;
    return i;
}

static __attribute__((noinline)) size_t weighted_full(pry_t *p, const char *label, size_t n,
                                                      const unsigned weights[])
{
    uint64_t total;
    weights_check(p, n, weights, &total);
    if (p->mode == PRY_SRC_RANDOM) {
        uint64_t r = pry_rng_next(p) % total;
        size_t i = 0;
        while (r >= weights[i]) {
            r -= weights[i];
            i++;
        }
        p->has_hint = true;
        p->hint = i;
    }
    size_t i = next_allowed((size_t)pry_draw_int(p, PRY_K_WEIGHTED, label, 0, n - 1, false),
                            n, weights);
    if (p->last_entry != 0)
        p->log->entries[p->last_entry - 1].value = i;
    return i;
}

/* The fast path drew alternative i, which weighs 0. */
static __attribute__((noinline)) size_t weighted_zero(pry_t *p, size_t n,
                                                      const unsigned weights[], size_t i)
{
    uint64_t total;
    weights_check(p, n, weights, &total);
    return next_allowed(i, n, weights);
}

size_t pry_weighted(pry_t *p, const char *label, size_t n,
                    const unsigned weights[])
{
    /* Fuzzing, 1 to 256 alternatives, a read inside the input (fast_end
     * is 0 in random mode and when recording: no hint, no entry): an
     * alternative that weighs more than 0 is the answer as it stands,
     * and the weights' checks could only pass (their sum is at least its
     * weight). */
    uint64_t i;
    if (n - 1 < 256 && pry_draw_int_fast(p, 0, n - 1, false, &i)) {
        if (weights[i] != 0)
            return (size_t)i;
        return weighted_zero(p, n, weights, (size_t)i);
    }
    return weighted_full(p, label, n, weights);
}

void pry_permutation(pry_t *p, const char *label, size_t *out, size_t n)
{
    /* Fisher-Yates from the front: step i swaps out[i] with out[i + k],
     * k drawn in [0, n - 1 - i]. All-zero draws swap nothing. */
    uint32_t g = pry_group_begin_kind(p, PRY_K_LIST, label);
    for (size_t i = 0; i < n; i++)
        out[i] = i;
    for (size_t i = 0; i + 1 < n; i++) {
        size_t k = (size_t)pry_draw_int(p, PRY_K_INDEX, NULL, 0, n - 1 - i, false);
        size_t t = out[i];
        out[i] = out[i + k];
        out[i + k] = t;
    }
    /* The permutation itself, for the report. */
    if (g != 0) {
        pry_out_t o;
        pry_out_init(&o);
        pry_out_putc(&o, '[');
        for (size_t i = 0; i < n; i++)
            pry_out_printf(&o, i ? ", %zu" : "%zu", out[i]);
        pry_out_putc(&o, ']');
        if (o.buf != NULL)
            p->log->entries[g - 1].text = pry_pool_add(p, o.buf, o.len);
        pry_out_free(&o);
    }
    pry_group_end(p, g);
}
