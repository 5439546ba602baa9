/*
 * source_fast.h: the integer encoding of the choice source
 * (docs/choice-source.md), and its fast path, inlined into every
 * generator, through pry_internal.h.
 *
 * Fuzzing decodes input bytes with recording off, millions of times a
 * second, and most draws have constant bounds (booleans, "more?",
 * characters, the fixed-width types): inlined, such a draw is a bounds
 * check, one load and a mask. Every other draw (past the end of the input
 * or the draw limit, recording, random mode, value replay) goes to
 * pry_draw_int_full() in source.c. Both decode through the functions
 * below, the encoding's only copy, so the same bytes give the same values.
 */
#ifndef PRY_SOURCE_FAST_H
#define PRY_SOURCE_FAST_H

/* pry_internal.h includes this file once it has declared everything used
 * here; included first, this line does that. */
#include "pry_internal.h"

/* Inlined even where the bounds are variables (pry_range_u, pry_index,
 * pry_choice_named): clang 14 keeps an out-of-line copy otherwise, and a
 * call through it cost twice the inlined draw. */
#define PRY_INLINE static inline __attribute__((always_inline))

/* The width of a draw over [lo, hi]: the smallest of 1, 2, 4, 8 bytes
 * that holds the range with 8 spare bits (folding is unbiased to within
 * 1/256), or exactly when the range is a power of two wide, and that holds
 * both bounds as signed numbers when the range straddles zero. */
PRY_INLINE bool pry_fits_signed(int64_t x, unsigned w)
{
    if (w >= 8)
        return true;
    int64_t lim = (int64_t)1 << (8 * w - 1);
    return x >= -lim && x < lim;
}

PRY_INLINE unsigned pry_int_width(uint64_t lo, uint64_t hi, bool is_signed)
{
    uint64_t n = hi - lo + 1; /* 0 means all 2^64 values */
    if (n == 0)
        return 8;
    bool pow2 = (n & (n - 1)) == 0;
    bool straddles = is_signed && (int64_t)lo < 0 && (int64_t)hi >= 0;
    if (n <= 2)
        return 1; /* booleans, "more?": the most frequent draws */
    if (!straddles) {
        /* Without a loop, for bounds only known at run time: the bits
         * the width must hold, log2(n) for a power of two, else
         * ceil(log2(n)) + 8. Same widths as the loop below. */
        unsigned bits = pow2 ? (unsigned)__builtin_ctzll(n)
                             : 64u - (unsigned)__builtin_clzll(n - 1) + 8u;
        return bits <= 8 ? 1 : bits <= 16 ? 2 : bits <= 32 ? 4 : 8;
    }
    for (unsigned w = 1; w < 8; w *= 2) {
        uint64_t cap = (uint64_t)1 << (8 * w);
        bool holds = pow2 ? n <= cap : n <= cap / 256;
        if (holds && straddles)
            holds = pry_fits_signed((int64_t)lo, w) && pry_fits_signed((int64_t)hi, w);
        if (holds)
            return w;
    }
    return 8;
}

PRY_INLINE int64_t pry_sign_extend(uint64_t v, unsigned w)
{
    if (w >= 8)
        return (int64_t)v;
    unsigned shift = 64 - 8 * w;
    return (int64_t)(v << shift) >> shift;
}

/* The value of the w-byte little-endian number v over [lo, hi]:
 *   lo >= 0 (unsigned)      x = lo + v mod n
 *   lo <= 0 <= hi (signed)  x = v as signed if in range, else lo + v mod n
 *   hi < 0                  x = hi - v mod n
 * with n = hi - lo + 1. */
PRY_INLINE uint64_t pry_int_decode(uint64_t v, unsigned w, uint64_t lo,
                                      uint64_t hi, bool is_signed)
{
    uint64_t n = hi - lo + 1;
    /* The common cases without a 64-bit division (same values as below). */
    if (!is_signed || (int64_t)lo >= 0) {
        if (n == 0)
            return lo + v;
        if ((n & (n - 1)) == 0)
            return lo + (v & (n - 1));
    }
    if (is_signed && (int64_t)hi < 0)
        return n == 0 ? hi - v : hi - v % n;
    if (is_signed && (int64_t)lo < 0) {
        int64_t s = pry_sign_extend(v, w);
        if (s >= (int64_t)lo && s <= (int64_t)hi)
            return (uint64_t)s;
    }
    return n == 0 ? lo + v : lo + v % n;
}

/* w bytes at b, little-endian, whatever the host's byte order. Each case
 * compiles to one load on a little-endian host. */
PRY_INLINE uint64_t pry_load_le(const uint8_t *b, unsigned w)
{
    switch (w) {
    case 1:
        return b[0];
    case 2:
        return (uint64_t)b[0] | (uint64_t)b[1] << 8;
    case 4:
        return (uint64_t)b[0] | (uint64_t)b[1] << 8 | (uint64_t)b[2] << 16 |
               (uint64_t)b[3] << 24;
    default:
        return (uint64_t)b[0] | (uint64_t)b[1] << 8 | (uint64_t)b[2] << 16 |
               (uint64_t)b[3] << 24 | (uint64_t)b[4] << 32 |
               (uint64_t)b[5] << 40 | (uint64_t)b[6] << 48 |
               (uint64_t)b[7] << 56;
    }
}

/* pry_draw_int() (below) is the one integer draw every generator goes
 * through. Returns the value as uint64 (two's complement when
 * |is_signed|). The fast path does what
 * pry_draw_int_full() does for a read inside the input with recording off
 * (count the draw, read, advance, decode, no entry), and nothing else.
 *
 * Its one test, pos + w <= fast_end, is the full path's conditions:
 * fast_end is 0 unless the run decodes input bytes with recording off,
 * and then min(in_len, PRY_MAX_DRAWS). In bytes mode every draw moves pos
 * on by at least one byte (an integer by its width, a blob by its length
 * draw and then its bytes), so draws <= pos, and pos + w <= fast_end
 * keeps draws under the limit. (An input longer than PRY_MAX_DRAWS bytes
 * sends its draws past that offset to the full path, which decodes the
 * same bytes the same way.) Nor does it clear has_hint and last_entry as
 * the full path does: in bytes mode with recording off they are never
 * set (hints are random mode's, entries recording's), and
 * pry_source_begin_run() clears them. */
PRY_INLINE uint64_t pry_take_le(pry_t *p, unsigned w)
{
    uint64_t v = pry_load_le(p->in + p->pos, w);
    p->pos += w;
    p->draws++;
    return v;
}

/* The fast path alone: true and *out the value when the draw is a read
 * inside the input with recording off (pry_draw_int()'s fast path), false
 * and nothing done otherwise. For generators that return at once on it
 * and call their out-of-line rest otherwise, as a tail call: then the
 * usual draw saves no registers and sets up no frame.
 *
 * Ranges at most 256 wide that decode as unsigned (lo >= 0) come first:
 * with bounds only known at run time (pry_range_u, pry_index,
 * pry_choice_named, ...) they need neither the width's bit counting nor
 * the general decoding. One byte masked when the range is a power of two
 * wide, else two bytes modulo the width: the widths and the values
 * pry_int_width() and pry_int_decode() give (n = hi - lo + 1 <= 256:
 * log2(n) <= 8 bits for a power of two, else ceil(log2(n)) + 8 <= 16).
 * With constant bounds the compiler keeps only the branch that applies. */
PRY_INLINE bool pry_draw_int_fast(pry_t *p, uint64_t lo, uint64_t hi,
                                  bool is_signed, uint64_t *out)
{
    if (!is_signed || (int64_t)lo >= 0) {
        uint64_t m = hi - lo;
        if (m < 256) {
            size_t pos = p->pos;
            if ((m & (m + 1)) == 0) {
                if (pos + 1 > p->fast_end)
                    return false;
                *out = lo + (p->in[pos] & m);
                p->pos = pos + 1;
            } else {
                if (pos + 2 > p->fast_end)
                    return false;
                *out = lo + (uint32_t)pry_load_le(p->in + pos, 2) % (uint32_t)(m + 1);
                p->pos = pos + 2;
            }
            p->draws++;
            return true;
        }
    }
    unsigned w = pry_int_width(lo, hi, is_signed);
    if (p->pos + w > p->fast_end)
        return false;
    *out = pry_int_decode(pry_take_le(p, w), w, lo, hi, is_signed);
    return true;
}

PRY_INLINE uint64_t pry_draw_int(pry_t *p, pry_kind kind, const char *label,
                                    uint64_t lo, uint64_t hi, bool is_signed)
{
    uint64_t v;
    if (pry_draw_int_fast(p, lo, hi, is_signed, &v))
        return v;
    return pry_draw_int_full(p, kind, label, lo, hi, is_signed);
}

/* The "more?" draw of element number |count| of a list (or string)
 * aiming at |target| elements in random mode. */
PRY_INLINE bool pry_draw_more(pry_t *p, size_t count, size_t target)
{
    if (p->mode == PRY_SRC_RANDOM)
        pry_hint_more(p, count < target);
    return pry_draw_int(p, PRY_K_MORE, NULL, 0, 1, false) != 0;
}

/* pry_source_begin_run(), inline: fuzzing calls it once per execution,
 * from pry_run_bytes() (run.c), in the same frame as the run. Resets the
 * per-run state of the source and of the log. */
PRY_RUN_STEP void pry_begin_run_inline(pry_t *p, pry_source_mode mode,
                                       const uint8_t *in, size_t in_len)
{
    pry_log_t *log = p->log;
    p->mode = mode;
    p->pos = 0;
    p->depth = 0;
    p->rec_depth = 0;
    p->draws = 0;
    p->has_hint = false;
    p->last_entry = 0;
    p->next_value = 0;
    p->random_tail = false;
    if (mode == PRY_SRC_BYTES) {
        p->in = in;
        p->in_len = in_len;
    } else {
        p->in = log->input;
        p->in_len = 0;
    }
    p->fast_end = mode == PRY_SRC_BYTES && !p->record
                      ? (in_len < PRY_MAX_DRAWS ? in_len : PRY_MAX_DRAWS)
                      : 0;
    if (log != NULL) {
        log->runs_started++;
        log->status = PRY_RUN_STARTED;
        log->fail_line = 0;
        log->fail_file = log->fail_expr = log->fail_message = 0;
        log->notes = log->notes_len = 0;
        log->consumed = 0;
        log->ran_out = 0;
        log->adapted = 0;
        log->n_entries = 0;
        log->pool_used = 1; /* offset 0 means "none" */
        log->pool[0] = '\0';
        log->log_full = 0;
        if (mode == PRY_SRC_BYTES && p->record) {
            pry_source_keep_input(p, in, in_len);
        } else if (mode != PRY_SRC_BYTES) {
            log->input_len = 0;
        }
    }
}

#endif /* PRY_SOURCE_FAST_H */
