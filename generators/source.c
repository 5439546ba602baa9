/*
 * source.c: the choice source. Every generator's value comes out of
 * pry_draw_int() (or pry_draw_blob()), which reads the input bytes, or
 * chooses with the PRNG, or takes a recorded value, and records the draw.
 *
 * The integer encoding (docs/choice-source.md): a draw over [lo, hi] reads
 * w little-endian bytes v, where w in {1, 2, 4, 8} is the smallest width
 * that holds the range with at least 8 spare bits (so folding v into the
 * range is unbiased to within 1/256), or exactly when the range is a power
 * of two wide (no bias at all), and that can hold the bounds as written.
 * Then:
 *   lo >= 0 (unsigned)      x = lo + v mod n         (v = x - lo)
 *   lo <= 0 <= hi (signed)  x = v as signed if in range, else lo + v mod n
 *   hi < 0                  x = hi - v mod n         (v = hi - x)
 * with n = hi - lo + 1. Zero bytes give the value closest to zero, and for
 * ranges starting at 0 (and full-width types) x == v, which lets cmplog and
 * value profiling see drawn values in the input. The width, the decoding
 * and the inlined fast path of pry_draw_int() are in source_fast.h.
 */
#include "pry_internal.h"

#include <stdlib.h>
#include <string.h>

void pry_source_init(pry_t *p, pry_log_t *log)
{
    memset(p, 0, sizeof *p);
    p->log = log;
    pry_rng_seed(p, 0);
}

/* A recorded run of input bytes keeps them in the log (the record holds
 * the canonical bytes). Out of line: the fuzzing path never comes here. */
void pry_source_keep_input(pry_t *p, const uint8_t *in, size_t in_len)
{
    pry_log_t *log = p->log;
    size_t n = in_len < PRY_MAX_INPUT ? in_len : PRY_MAX_INPUT;
    if (n > 0 && in != log->input)
        memmove(log->input, in, n);
    log->input_len = (uint32_t)n;
}

void pry_source_begin_run(pry_t *p, pry_source_mode mode, const uint8_t *in,
                          size_t in_len)
{
    pry_begin_run_inline(p, mode, in, in_len);
}

void pry_source_tail(pry_t *p, uint64_t seed)
{
    if (seed == 0 || p->mode != PRY_SRC_VALUES)
        return;
    pry_rng_seed(p, seed);
    p->random_tail = true;
    if (p->n_values == 0)
        p->mode = PRY_SRC_RANDOM;
}

/* The last value is taken: the rest of a random-tail run is random mode
 * (from here on, so a weighted choice or a list sees the mode before it
 * draws). */
static void values_taken(pry_t *p)
{
    if (p->random_tail && p->mode == PRY_SRC_VALUES && p->next_value >= p->n_values)
        p->mode = PRY_SRC_RANDOM;
}

void pry_source_end_run(pry_t *p)
{
    /* Close groups left open (a failure inside a list, a missing
     * pry_list_end), so the log is well-formed for the report. */
    if (p->record && p->log != NULL) {
        while (p->depth > 0)
            pry_group_end(p, p->open[p->depth - 1] + 1);
        p->log->consumed = (uint32_t)(p->pos < UINT32_MAX ? p->pos : UINT32_MAX);
    }
}

/* ---- the string pool and the entry log ---- */

uint32_t pry_pool_add(pry_t *p, const char *s, size_t n)
{
    pry_log_t *log = p->log;
    if (log == NULL || s == NULL)
        return 0;
    if ((size_t)log->pool_used + n + 1 > PRY_POOL_SIZE) {
        log->log_full = 1;
        return 0;
    }
    uint32_t off = log->pool_used;
    memcpy(log->pool + off, s, n);
    log->pool[off + n] = '\0';
    log->pool_used += (uint32_t)(n + 1);
    return off;
}

const char *pry_pool_str(const pry_log_t *log, uint32_t off)
{
    return off == 0 ? NULL : log->pool + off;
}

uint32_t pry_entry_push(pry_t *p, uint8_t kind, const char *label)
{
    pry_log_t *log = p->log;
    if (!p->record || log == NULL)
        return 0;
    if (log->n_entries >= PRY_MAX_ENTRIES) {
        log->log_full = 1;
        return 0;
    }
    uint32_t i = log->n_entries++;
    pry_entry_t *e = &log->entries[i];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->depth = (uint16_t)p->depth;
    e->start = (uint32_t)p->pos;
    e->end = i + 1;
    if (label != NULL)
        e->label = pry_pool_add(p, label, strlen(label));
    return i + 1;
}

_Noreturn void pry_end_run(pry_t *p, pry_run_status status)
{
    if (p->log != NULL)
        p->log->status = (int32_t)status;
    longjmp(*p->escape, 1);
}

/* ---- the integer mapping ---- */

uint64_t pry_int_encode(uint64_t x, unsigned w, uint64_t lo, uint64_t hi,
                        bool is_signed)
{
    uint64_t mask = w >= 8 ? UINT64_MAX : ((uint64_t)1 << (8 * w)) - 1;
    (void)hi;
    if (is_signed && (int64_t)hi < 0)
        return (hi - x) & mask;
    if (is_signed && (int64_t)lo < 0)
        return x & mask; /* in range and fits: the width guarantees it */
    return (x - lo) & mask;
}

/* ---- reading and writing bytes ---- */

static uint64_t read_le(pry_t *p, unsigned w)
{
    uint64_t v = 0;
    if (p->pos + w <= p->in_len) {
        v = pry_load_le(p->in + p->pos, w);
    } else {
        for (unsigned i = 0; i < w; i++) {
            size_t at = p->pos + i;
            if (at < p->in_len)
                v |= (uint64_t)p->in[at] << (8 * i);
        }
        if (p->log != NULL)
            p->log->ran_out = 1;
    }
    p->pos += w;
    return v;
}

static void append_bytes(pry_t *p, const void *data, size_t n)
{
    pry_log_t *log = p->log;
    if (p->in_len + n > PRY_MAX_INPUT)
        pry_end_run(p, PRY_RUN_OVERRUN);
    memcpy(log->input + p->in_len, data, n);
    p->in_len += n;
    log->input_len = (uint32_t)p->in_len;
}

static void append_le(pry_t *p, uint64_t v, unsigned w)
{
    uint8_t b[8];
    for (unsigned i = 0; i < w; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    append_bytes(p, b, w);
}

/* ---- random values ---- */

static uint64_t rng_below(pry_t *p, uint64_t n) /* n == 0: any */
{
    if (n == 0)
        return pry_rng_next(p);
    /* Lemire's rejection keeps it unbiased. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t r;
    do
        r = pry_rng_next(p);
    while (r >= limit);
    return r % n;
}

/* A value in [lo, hi] with extra weight on the bounds, zero and small
 * values, where bugs live. */
static uint64_t random_in_range(pry_t *p, uint64_t lo, uint64_t hi,
                                bool is_signed)
{
    uint64_t n = hi - lo + 1;
    uint64_t r = rng_below(p, 32);
    if (r == 0)
        return lo;
    if (r == 1)
        return hi;
    if (r <= 3) { /* near zero, or near lo if zero is out of range */
        bool zero_in = is_signed ? ((int64_t)lo <= 0 && (int64_t)hi >= 0)
                                 : lo == 0;
        uint64_t base = zero_in ? 0 : lo;
        uint64_t off = rng_below(p, 17);
        uint64_t x = (r == 3 && zero_in && is_signed) ? base - off : base + off;
        bool in = is_signed ? ((int64_t)x >= (int64_t)lo && (int64_t)x <= (int64_t)hi)
                            : (x >= lo && x <= hi);
        if (in)
            return x;
    }
    if (r == 4) { /* near hi */
        uint64_t off = rng_below(p, 17);
        if (n == 0 || off < n)
            return hi - off;
    }
    if (r == 5 && n != 0 && n > 256) /* small magnitude: a few bits */
        return lo + rng_below(p, (uint64_t)1 << rng_below(p, 9));
    return lo + rng_below(p, n);
}

static uint64_t random_value(pry_t *p, pry_kind kind, uint64_t lo, uint64_t hi,
                             bool is_signed)
{
    switch (kind) {
    case PRY_K_BOOL:
    case PRY_K_MORE:
    case PRY_K_INDEX:
    case PRY_K_NAMED:
    case PRY_K_WEIGHTED:
    case PRY_K_CHAR:
    case PRY_K_NEWLINE:
        return lo + rng_below(p, hi - lo + 1);
    case PRY_K_BYTE: {
        static const uint8_t interesting[] = {0, 0xff, '\n', 0x7f, 0x80, ' '};
        if (rng_below(p, 4) == 0)
            return interesting[rng_below(p, sizeof interesting)];
        return rng_below(p, 256);
    }
    default:
        return random_in_range(p, lo, hi, is_signed);
    }
}

/* ---- value replay ---- */

static uint64_t clamp(uint64_t x, uint64_t lo, uint64_t hi, bool is_signed)
{
    if (is_signed) {
        if ((int64_t)x < (int64_t)lo)
            return lo;
        if ((int64_t)x > (int64_t)hi)
            return hi;
        return x;
    }
    return x < lo ? lo : x > hi ? hi : x;
}

/* The recorded value for this draw, adapted to the current generator:
 * same kind and in bounds is taken as is; otherwise clamped and flagged. */
static uint64_t replay_value(pry_t *p, pry_kind kind, uint64_t lo, uint64_t hi,
                             bool is_signed, bool *adapted)
{
    while (p->next_value < p->n_values &&
           p->values[p->next_value].kind == PRY_K_BLOB) {
        /* A blob where an integer is wanted: skip it, the shapes differ. */
        p->next_value++;
        *adapted = true;
    }
    if (p->next_value >= p->n_values) /* ran out: minimal, like zeros */
        return pry_int_decode(0, pry_int_width(lo, hi, is_signed), lo, hi,
                              is_signed);
    const pry_value_t *v = &p->values[p->next_value++];
    uint64_t x = v->value;
    if (v->kind != kind)
        *adapted = true;
    bool was_signed = (v->flags & PRY_F_SIGNED) != 0;
    if (was_signed != is_signed) {
        /* A signed value into an unsigned range or back: saturate. */
        if (was_signed && (int64_t)x < 0)
            x = lo;
        else if (!was_signed && is_signed && x > (uint64_t)INT64_MAX)
            x = hi;
    }
    uint64_t c = clamp(x, lo, hi, is_signed);
    if (c != x)
        *adapted = true;
    return c;
}

/* ---- the one integer draw ---- */

/* pry_draw_int_full()'s fuzzing case with input bytes left: fewer than
 * w (at most once a run), or as many when the input is longer than
 * PRY_MAX_DRAWS bytes. read_le() reads them (zeros past the end). */
static __attribute__((noinline)) uint64_t draw_across_end(pry_t *p, unsigned w, uint64_t lo,
                                                          uint64_t hi, bool is_signed)
{
    p->draws++;
    uint64_t v = read_le(p, w);
    p->has_hint = false;
    p->last_entry = 0;
    return pry_int_decode(v, w, lo, hi, is_signed);
}

/* Every case but the ones below. */
static __attribute__((noinline)) uint64_t draw_int_any(pry_t *p, pry_kind kind,
                                                       const char *label, uint64_t lo,
                                                       uint64_t hi, bool is_signed);

uint64_t pry_draw_int_full(pry_t *p, pry_kind kind, const char *label,
                           uint64_t lo, uint64_t hi, bool is_signed)
{
    /* Fuzzing (input bytes, recording off) at the end of the input, past
     * it (short inputs: many draws of many runs) or across it: what the
     * general case below does, without its frame. Bytes past the end
     * read as zeros. */
    if (p->mode == PRY_SRC_BYTES && !p->record && p->draws < PRY_MAX_DRAWS) {
        unsigned w = pry_int_width(lo, hi, is_signed);
        if (p->pos < p->in_len)
            return draw_across_end(p, w, lo, hi, is_signed);
        p->draws++;
        p->pos += w;
        if (p->log != NULL)
            p->log->ran_out = 1;
        p->has_hint = false;
        p->last_entry = 0;
        return pry_int_decode(0, w, lo, hi, is_signed);
    }
    return draw_int_any(p, kind, label, lo, hi, is_signed);
}

static uint64_t draw_int_any(pry_t *p, pry_kind kind, const char *label, uint64_t lo,
                             uint64_t hi, bool is_signed)
{
    if (++p->draws > PRY_MAX_DRAWS)
        pry_end_run(p, PRY_RUN_OVERRUN);
    unsigned w = pry_int_width(lo, hi, is_signed);
    uint32_t e = p->record ? pry_entry_push(p, (uint8_t)kind, label) : 0;
    uint64_t x;
    bool adapted = false;
    if (p->mode == PRY_SRC_BYTES) {
        x = pry_int_decode(read_le(p, w), w, lo, hi, is_signed);
    } else {
        if (p->mode == PRY_SRC_RANDOM)
            x = p->has_hint ? p->hint : random_value(p, kind, lo, hi, is_signed);
        else
            x = replay_value(p, kind, lo, hi, is_signed, &adapted);
        append_le(p, pry_int_encode(x, w, lo, hi, is_signed), w);
        values_taken(p);
        p->pos += w;
    }
    p->has_hint = false;
    p->last_entry = e;
    if (p->record) /* kept live: a crash never reaches the end of the run */
        p->log->consumed = (uint32_t)p->pos;
    if (e != 0) {
        pry_entry_t *en = &p->log->entries[e - 1];
        en->lo = lo;
        en->hi = hi;
        en->value = x;
        en->len = w;
        if (is_signed)
            en->flags |= PRY_F_SIGNED;
        if (adapted) {
            en->flags |= PRY_F_ADAPTED;
            p->log->adapted++;
        }
    }
    return x;
}

void pry_hint_more(pry_t *p, int more)
{
    p->has_hint = true;
    p->hint = more ? 1 : 0;
}

pry_bytes_t pry_draw_blob(pry_t *p, const char *label, size_t max_len)
{
    if (max_len > PRY_MAX_INPUT)
        max_len = PRY_MAX_INPUT;
    uint32_t g = pry_entry_push(p, PRY_K_BLOB, label);
    size_t start = p->pos;
    pry_bytes_t out;
    size_t n;
    if (p->mode == PRY_SRC_BYTES) {
        n = (size_t)pry_draw_int(p, PRY_K_LEN, NULL, 0, max_len, false);
        /* The length never runs past the input: a truncated input gives
         * a shorter blob, not zeros. */
        size_t avail = p->pos < p->in_len ? p->in_len - p->pos : 0;
        if (n > avail)
            n = avail;
        out.data = pry_alloc(p, n + 1);
        if (n > 0)
            memcpy(out.data, p->in + p->pos, n);
    } else {
        const uint8_t *src = NULL;
        if (p->mode == PRY_SRC_RANDOM) {
            /* Short blobs usually, long ones sometimes. */
            uint64_t r = rng_below(p, 8);
            size_t cap = r == 0 ? max_len : (max_len < 64 ? max_len : 64);
            n = (size_t)rng_below(p, (uint64_t)cap + 1);
        } else {
            n = 0;
            if (p->next_value < p->n_values &&
                p->values[p->next_value].kind == PRY_K_LEN)
                p->next_value++; /* the length is implied by the bytes */
            if (p->next_value < p->n_values &&
                p->values[p->next_value].kind == PRY_K_BLOB) {
                src = p->values[p->next_value].bytes;
                n = p->values[p->next_value].n_bytes;
                p->next_value++;
                if (n > max_len) {
                    n = max_len;
                    if (p->log != NULL)
                        p->log->adapted++;
                }
            }
        }
        p->has_hint = true;
        p->hint = n;
        bool saved = p->mode == PRY_SRC_VALUES;
        /* Encode the length through the ordinary integer path. */
        p->mode = PRY_SRC_RANDOM;
        pry_draw_int(p, PRY_K_LEN, NULL, 0, max_len, false);
        p->mode = saved ? PRY_SRC_VALUES : PRY_SRC_RANDOM;
        values_taken(p);
        out.data = pry_alloc(p, n + 1);
        if (src != NULL) {
            memcpy(out.data, src, n);
        } else {
            for (size_t i = 0; i < n; i++)
                out.data[i] = (uint8_t)random_value(p, PRY_K_BYTE, 0, 255, false);
        }
        append_bytes(p, out.data, n);
    }
    p->pos += n;
    out.len = n;
    if (p->record)
        p->log->consumed = (uint32_t)p->pos;
    if (g != 0) {
        pry_entry_t *en = &p->log->entries[g - 1];
        en->start = (uint32_t)start;
        en->len = (uint32_t)(p->pos - start);
        en->end = p->log->n_entries;
        en->value = n;
        en->hi = max_len;
        /* The entry for the length sits inside the blob's span. */
        for (uint32_t i = g; i < en->end; i++)
            p->log->entries[i].depth = (uint16_t)(en->depth + 1);
    }
    return out;
}

/* ---- the PRNG: xoshiro256**, seeded through splitmix64 ---- */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

void pry_rng_seed(pry_t *p, uint64_t seed)
{
    uint64_t s = seed;
    for (int i = 0; i < 4; i++)
        p->rng[i] = splitmix64(&s);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t pry_rng_next(pry_t *p)
{
    uint64_t *s = p->rng;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}
