/*
 * shrink.c: integrated shrinking on the recorded choice sequence.
 *
 * Every candidate is a byte string, run in a fresh child process (so
 * crashes, sanitizer aborts and hangs shrink too), and kept only if it
 * fails the same way (same check site, or same crash kind at the same
 * frame: pry_same_failure) and is smaller in a well-founded order: fewer
 * bytes consumed, then the drawn values closer to their minimal, compared
 * draw by draw. So shrinking always terminates, and never slips from one
 * bug to another.
 *
 * The passes follow Hypothesis's shrinker, on the spans the log gives:
 *   1. delete list elements (a "more?" choice and the element after it),
 *      one to three neighbours at a time,
 *   2. delete whole groups (sub-structures), and chunks of 8..1 bytes,
 *      and an element together with lowering a value that refers to it,
 *   3. zero groups (each becomes its minimal value),
 *   4. minimise each integer by binary search toward its minimal value,
 *   5. shorten blobs from the end, and cut spans out of their middle,
 *   6. lower pairs of integers together,
 *   7. sort the elements of each list,
 * repeated until a whole round changes nothing, or the budget runs out.
 */
#include "runner.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    pry_exec_t *x;
    pry_finding_t *fd;
    uint8_t *best;          /* current smallest failing input */
    size_t len;
    pry_entry_t *entries;   /* the log of |best| */
    uint32_t n_entries;
    uint64_t *key;          /* distance to minimal, per primitive draw */
    size_t n_key;
    double deadline;
    unsigned steps, tries;
    bool out_of_time;
} shrinker_t;

static bool is_int_kind(uint8_t k)
{
    return k >= PRY_K_BOOL && k <= PRY_K_NEWLINE && k != PRY_K_BLOB;
}

/* How far a drawn value is from its minimal value (the value closest to
 * zero within its bounds). */
static uint64_t distance(const pry_entry_t *e)
{
    bool s = (e->flags & PRY_F_SIGNED) != 0;
    if (s && (int64_t)e->hi < 0)
        return e->hi - e->value;
    if (s && (int64_t)e->lo < 0) {
        int64_t v = (int64_t)e->value;
        return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    }
    return e->value - e->lo;
}

static uint64_t *key_of(const pry_log_t *log, size_t *n)
{
    uint64_t *k = malloc((log->n_entries + 1) * sizeof *k);
    size_t m = 0;
    if (k == NULL)
        return NULL;
    for (uint32_t i = 0; i < log->n_entries; i++)
        if (is_int_kind(log->entries[i].kind))
            k[m++] = distance(&log->entries[i]);
    *n = m;
    return k;
}

/* Is the candidate just run (its log in x->log) smaller than the best? */
static bool smaller(shrinker_t *s, size_t len, const uint64_t *key, size_t n)
{
    if (len != s->len)
        return len < s->len;
    for (size_t i = 0; i < n && i < s->n_key; i++)
        if (key[i] != s->key[i])
            return key[i] < s->key[i];
    return n < s->n_key;
}

static void adopt_log(shrinker_t *s)
{
    pry_log_t *log = s->x->log;
    free(s->entries);
    s->n_entries = log->n_entries;
    s->entries = malloc((s->n_entries + 1) * sizeof *s->entries);
    if (s->entries != NULL)
        memcpy(s->entries, log->entries, s->n_entries * sizeof *s->entries);
    else
        s->n_entries = 0;
    free(s->key);
    s->key = key_of(log, &s->n_key);
    if (s->key == NULL)
        s->n_key = 0;
}

/* How far trailing zero bytes may be trimmed from an input whose run is
 * in |log|: zeros read by integer draws read the same as no bytes at all,
 * but a blob takes only the bytes that are there (pry_draw_blob), so its
 * data must stay whole. */
static size_t trim_floor(const pry_log_t *log)
{
    size_t floor = 0;
    for (uint32_t i = 0; i < log->n_entries; i++) {
        const pry_entry_t *e = &log->entries[i];
        if (e->kind == PRY_K_BLOB && (size_t)e->start + e->len > floor)
            floor = (size_t)e->start + e->len;
    }
    return floor;
}

/* Run |cand| (len bytes); adopt it if it fails the same way and is
 * smaller. */
static bool try_candidate(shrinker_t *s, const uint8_t *cand, size_t len)
{
    if (s->out_of_time)
        return false;
    if (pry_now() > s->deadline || pry_interrupted) {
        s->out_of_time = true;
        return false;
    }
    if (len == s->len && memcmp(cand, s->best, len) == 0)
        return false;
    s->tries++;
    pry_result_t r;
    if (pry_exec_bytes(s->x, s->fd->prop, cand, len, &r) != 0) {
        s->out_of_time = true;
        return false;
    }
    bool same = pry_same_failure(&r, &s->fd->result);
    pry_out_free(&r.err);
    if (!same)
        return false;
    pry_log_t *log = s->x->log;
    /* Bytes after what the draws consumed were never read, and trailing
     * zeros read the same as no bytes at all: drop both. */
    size_t used = log->consumed < len ? log->consumed : len;
    size_t floor = trim_floor(log);
    while (used > floor && cand[used - 1] == 0)
        used--;
    size_t nk;
    uint64_t *k = key_of(log, &nk);
    if (k == NULL)
        return false;
    bool better = smaller(s, used, k, nk);
    free(k);
    if (!better)
        return false;
    memcpy(s->best, cand, used);
    s->len = used;
    s->steps++;
    adopt_log(s);
    return true;
}

/* ---- byte edits on a scratch copy ---- */

static uint8_t *scratch(shrinker_t *s, size_t extra)
{
    uint8_t *c = malloc(s->len + extra + 8);
    if (c != NULL)
        memcpy(c, s->best, s->len);
    return c;
}

static bool try_delete(shrinker_t *s, size_t at, size_t n)
{
    if (at >= s->len || n == 0)
        return false;
    if (at + n > s->len)
        n = s->len - at;
    uint8_t *c = scratch(s, 0);
    if (c == NULL)
        return false;
    memmove(c + at, c + at + n, s->len - at - n);
    bool ok = try_candidate(s, c, s->len - n);
    free(c);
    return ok;
}

static bool try_zero(shrinker_t *s, size_t at, size_t n)
{
    if (at >= s->len)
        return false;
    if (at + n > s->len)
        n = s->len - at;
    bool any = false;
    for (size_t i = 0; i < n; i++)
        any |= s->best[at + i] != 0;
    if (!any)
        return false;
    uint8_t *c = scratch(s, 0);
    if (c == NULL)
        return false;
    memset(c + at, 0, n);
    bool ok = try_candidate(s, c, s->len);
    free(c);
    return ok;
}

/* Replace entry |e|'s bytes by the encoding of |x|. */
static bool try_value(shrinker_t *s, const pry_entry_t *e, uint64_t x)
{
    bool sg = (e->flags & PRY_F_SIGNED) != 0;
    unsigned w = e->len;
    if (w == 0 || w > 8 || e->start > s->len)
        return false;
    uint64_t v = pry_int_encode(x, w, e->lo, e->hi, sg);
    size_t need = e->start + w;
    uint8_t *c = scratch(s, need > s->len ? need - s->len : 0);
    if (c == NULL)
        return false;
    size_t len = s->len;
    if (need > len) {
        memset(c + len, 0, need - len);
        len = need;
    }
    for (unsigned i = 0; i < w; i++)
        c[e->start + i] = (uint8_t)(v >> (8 * i));
    bool ok = try_candidate(s, c, len);
    free(c);
    return ok;
}

/* ---- passes ---- */

/* End of the element that starts with the "more?" entry |i|: the start of
 * the next entry at the same depth or shallower. */
static size_t element_end(const shrinker_t *s, uint32_t i)
{
    uint16_t d = s->entries[i].depth;
    /* pry_list wraps each element in an ELEMENT group beside its "more?" */
    if (i + 1 < s->n_entries && s->entries[i + 1].kind == PRY_K_ELEMENT &&
        s->entries[i + 1].depth == d)
        return (size_t)s->entries[i + 1].start + s->entries[i + 1].len;
    for (uint32_t j = i + 1; j < s->n_entries; j++)
        if (s->entries[j].depth <= d)
            return s->entries[j].start;
    return s->len;
}

/* The spans of the elements of the list whose first "more?" entry is
 * |first| (siblings at the same depth), into |spans|; returns how many. */
typedef struct {
    size_t start, len;
} span_t;

static size_t list_elements(const shrinker_t *s, uint32_t first, span_t *spans,
                            size_t max)
{
    uint16_t d = s->entries[first].depth;
    size_t n = 0;
    for (uint32_t j = first; j < s->n_entries && n < max; j++) {
        const pry_entry_t *e = &s->entries[j];
        if (e->depth < d)
            break;
        if (e->depth == d && e->kind == PRY_K_MORE) {
            if (e->value == 0)
                break;
            size_t end = element_end(s, j);
            spans[n++] = (span_t){e->start, end - e->start};
        }
    }
    return n;
}

/* Delete runs of 1 to 3 adjacent elements: one at a time is not enough
 * when the failure needs the list's shape kept (a/a/../../a shrinks to
 * a/../a only by dropping two neighbours at once). */
static bool pass_delete_elements(shrinker_t *s)
{
    bool progress = false;
    for (size_t run = 1; run <= 3 && !s->out_of_time; run++) {
        for (uint32_t i = s->n_entries; i-- > 0 && !s->out_of_time;) {
            if (i >= s->n_entries)
                continue;
            const pry_entry_t *e = &s->entries[i];
            if (e->kind != PRY_K_MORE || e->value == 0)
                continue;
            /* Only at the first element of a run that fits. */
            span_t spans[3];
            if (list_elements(s, i, spans, run) < run)
                continue;
            size_t from = spans[0].start;
            size_t to = spans[run - 1].start + spans[run - 1].len;
            if (to > from && try_delete(s, from, to - from))
                progress = true;
        }
    }
    return progress;
}

/* Delete an element and lower one of the next few integers by one at
 * the same time: a count or level that refers to the list (strip 2 of
 * "a/a/..") must shrink with it, and neither step fails alone. */
static bool pass_delete_and_lower(shrinker_t *s)
{
    bool progress = false;
    for (uint32_t i = s->n_entries; i-- > 0 && !s->out_of_time;) {
        if (i >= s->n_entries)
            continue;
        const pry_entry_t *e = &s->entries[i];
        if (e->kind != PRY_K_MORE || e->value == 0)
            continue;
        size_t from = e->start, to = element_end(s, i);
        int tried = 0;
        for (uint32_t j = i + 1; j < s->n_entries && tried < 4 && !s->out_of_time; j++) {
            pry_entry_t v = s->entries[j];
            if (v.start < to || !is_int_kind(v.kind) || v.kind == PRY_K_MORE ||
                v.kind == PRY_K_LEN || distance(&v) == 0 || v.len > 8 ||
                v.start + v.len > s->len)
                continue;
            tried++;
            uint8_t *c = scratch(s, 0);
            if (c == NULL)
                return progress;
            bool sg = (v.flags & PRY_F_SIGNED) != 0;
            uint64_t lower = (sg && (int64_t)v.value < 0) ? v.value + 1 : v.value - 1;
            uint64_t enc = pry_int_encode(lower, v.len, v.lo, v.hi, sg);
            for (unsigned k = 0; k < v.len; k++)
                c[v.start + k] = (uint8_t)(enc >> (8 * k));
            memmove(c + from, c + to, s->len - to);
            bool ok = try_candidate(s, c, s->len - (to - from));
            free(c);
            if (ok) {
                progress = true;
                break;
            }
        }
    }
    return progress;
}

static bool pass_delete_groups(shrinker_t *s)
{
    bool progress = false;
    for (uint32_t i = s->n_entries; i-- > 0;) {
        if (i >= s->n_entries)
            continue;
        const pry_entry_t *e = &s->entries[i];
        if (!PRY_KIND_IS_GROUP(e->kind) || e->len == 0)
            continue;
        if (try_delete(s, e->start, e->len))
            progress = true;
    }
    /* Then blind chunks, large to small, from the end (later draws
     * depend on earlier ones, so the end is cheaper to change). */
    for (size_t k = 8; k >= 1; k /= 2) {
        for (size_t at = s->len; at-- > 0 && !s->out_of_time;) {
            if (at < s->len && try_delete(s, at, k))
                progress = true;
        }
    }
    return progress;
}

static bool pass_zero_groups(shrinker_t *s)
{
    bool progress = false;
    for (uint32_t i = 0; i < s->n_entries; i++) {
        const pry_entry_t *e = &s->entries[i];
        if (!PRY_KIND_IS_GROUP(e->kind) && e->kind != PRY_K_BLOB)
            continue;
        if (try_zero(s, e->start, e->len))
            progress = true;
    }
    return progress;
}

/* The minimal value of an entry: the value closest to zero. */
static uint64_t minimal(const pry_entry_t *e)
{
    bool sg = (e->flags & PRY_F_SIGNED) != 0;
    if (sg && (int64_t)e->hi < 0)
        return e->hi;
    if (sg && (int64_t)e->lo < 0)
        return 0;
    return e->lo;
}

/* Binary search the smallest distance that still fails; values are
 * (minimal + d) on the value's own side of zero. */
static bool minimise_entry(shrinker_t *s, uint32_t i)
{
    pry_entry_t e = s->entries[i];
    bool sg = (e.flags & PRY_F_SIGNED) != 0;
    uint64_t d = distance(&e);
    if (d == 0)
        return false;
    bool negative = sg && (int64_t)e.lo < 0 && (int64_t)e.hi >= 0 &&
                    (int64_t)e.value < 0;
    uint64_t base = minimal(&e);
    bool neg_range = sg && (int64_t)e.hi < 0;
#define AT(dist)                                                               \
    (neg_range ? base - (dist) : negative ? base - (dist) : base + (dist))
    /* A negative value: first try its positive mirror (more readable). */
    if (negative && d <= (uint64_t)INT64_MAX && (int64_t)d <= (int64_t)e.hi &&
        try_value(s, &e, d))
        return true;
    if (try_value(s, &e, AT(0)))
        return true;
    uint64_t lo = 0, hi = d; /* lo passes (does not fail), hi fails */
    bool progress = false;
    while (hi - lo > 1 && !s->out_of_time) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (try_value(s, &e, AT(mid))) {
            hi = mid;
            progress = true;
            if (i >= s->n_entries)
                break;
            e = s->entries[i];
        } else {
            lo = mid;
        }
    }
#undef AT
    return progress;
}

static bool pass_minimise(shrinker_t *s)
{
    bool progress = false;
    for (uint32_t i = 0; i < s->n_entries && !s->out_of_time; i++) {
        if (!is_int_kind(s->entries[i].kind) || s->entries[i].kind == PRY_K_LEN)
            continue;
        if (minimise_entry(s, i))
            progress = true;
    }
    return progress;
}

static bool pass_shorten_blobs(shrinker_t *s)
{
    bool progress = false;
    for (uint32_t i = 0; i < s->n_entries && !s->out_of_time; i++) {
        const pry_entry_t *b = &s->entries[i];
        if (b->kind != PRY_K_BLOB || i + 1 >= s->n_entries ||
            s->entries[i + 1].kind != PRY_K_LEN || b->value == 0)
            continue;
        pry_entry_t len_e = s->entries[i + 1];
        size_t data_end = (size_t)b->start + b->len;
        /* Drop k bytes from the end of the blob and lower its length by k:
         * binary search the largest k that still fails. */
        uint64_t lo = 0, hi = b->value + 1;
        while (hi - lo > 1 && !s->out_of_time) {
            uint64_t k = lo + (hi - lo) / 2;
            uint64_t n = s->entries[i].value;
            if (k > n)
                break;
            uint8_t *c = scratch(s, 0);
            if (c == NULL)
                return progress;
            uint64_t v = pry_int_encode(n - k, len_e.len, len_e.lo, len_e.hi, false);
            for (unsigned j = 0; j < len_e.len; j++)
                c[len_e.start + j] = (uint8_t)(v >> (8 * j));
            size_t end = data_end <= s->len ? data_end : s->len;
            size_t cut = (size_t)k <= end ? (size_t)k : end;
            memmove(c + end - cut, c + end, s->len - end);
            bool ok = try_candidate(s, c, s->len - cut);
            free(c);
            if (ok) {
                progress = true;
                lo = 0;
                hi = (i < s->n_entries ? s->entries[i].value : 0) + 1;
                if (i >= s->n_entries || s->entries[i].kind != PRY_K_BLOB)
                    break;
                b = &s->entries[i];
                data_end = (size_t)b->start + b->len;
                len_e = s->entries[i + 1];
            } else {
                hi = k;
            }
        }
    }
    return progress;
}

/* Cut |k| bytes at |at| (relative to the blob's data) out of blob entry
 * |i| and lower its length by |k|. */
static bool try_blob_cut(shrinker_t *s, uint32_t i, size_t at, size_t k)
{
    const pry_entry_t *b = &s->entries[i];
    pry_entry_t len_e = s->entries[i + 1];
    size_t data = (size_t)len_e.start + len_e.len;
    size_t n = (size_t)b->value;
    if (k == 0 || at + k > n || data + n > s->len)
        return false;
    uint8_t *c = scratch(s, 0);
    if (c == NULL)
        return false;
    uint64_t v = pry_int_encode(n - k, len_e.len, len_e.lo, len_e.hi, false);
    for (unsigned j = 0; j < len_e.len; j++)
        c[len_e.start + j] = (uint8_t)(v >> (8 * j));
    memmove(c + data + at, c + data + at + k, s->len - (data + at + k));
    bool ok = try_candidate(s, c, s->len - k);
    free(c);
    return ok;
}

/* Blobs hold whatever a fuzzer put there: a seed's whole first frame in
 * front of the one that matters. Cut spans anywhere in the blob, halves
 * first, then smaller, lowering the length to match. */
static bool pass_cut_blobs(shrinker_t *s)
{
    bool progress = false;
    for (uint32_t i = 0; i + 1 < s->n_entries && !s->out_of_time; i++) {
        if (s->entries[i].kind != PRY_K_BLOB || s->entries[i + 1].kind != PRY_K_LEN)
            continue;
        /* A leading record of unknown length (a whole frame from a seed):
         * try every prefix, longest first; bounded, one try per byte. */
        size_t n = (size_t)s->entries[i].value;
        for (size_t k = n > 1 ? n - 1 : 0; k >= 1 && n <= 1024 && !s->out_of_time; k--) {
            if (try_blob_cut(s, i, 0, k)) {
                progress = true;
                break;
            }
        }
        for (size_t k = (size_t)s->entries[i].value / 2; k >= 1 && !s->out_of_time; k /= 2) {
            for (size_t at = 0; i + 1 < s->n_entries && s->entries[i].kind == PRY_K_BLOB &&
                                at + k <= (size_t)s->entries[i].value && !s->out_of_time;) {
                if (try_blob_cut(s, i, at, k))
                    progress = true; /* the same place now holds new bytes */
                else
                    at += k;
            }
        }
    }
    return progress;
}

/* The value |r| closer to the minimal than entry |e|'s (r <= distance). */
static uint64_t toward_min(const pry_entry_t *e, uint64_t r)
{
    bool sg = (e->flags & PRY_F_SIGNED) != 0;
    if (sg && (int64_t)e->hi < 0)
        return e->value + r;
    if (sg && (int64_t)e->lo < 0 && (int64_t)e->value < 0)
        return e->value + r;
    return e->value - r;
}

/* Set entries |i| and |j| both |r| closer to their minimal values. */
static bool try_pair(shrinker_t *s, uint32_t i, uint32_t j, uint64_t r)
{
    pry_entry_t a = s->entries[i], b = s->entries[j];
    if (a.start + a.len > s->len || b.start + b.len > s->len)
        return false;
    uint8_t *c = scratch(s, 0);
    if (c == NULL)
        return false;
    uint64_t va = pry_int_encode(toward_min(&a, r), a.len, a.lo, a.hi,
                                 (a.flags & PRY_F_SIGNED) != 0);
    uint64_t vb = pry_int_encode(toward_min(&b, r), b.len, b.lo, b.hi,
                                 (b.flags & PRY_F_SIGNED) != 0);
    for (unsigned k = 0; k < a.len; k++)
        c[a.start + k] = (uint8_t)(va >> (8 * k));
    for (unsigned k = 0; k < b.len; k++)
        c[b.start + k] = (uint8_t)(vb >> (8 * k));
    bool ok = try_candidate(s, c, s->len);
    free(c);
    return ok;
}

static bool pass_lower_pairs(shrinker_t *s)
{
    /* Two values that must move together (a == b checks, offsets into one
     * another): move both toward their minimal by the same amount, binary
     * searching the amount. Bounded to nearby pairs. */
    bool progress = false;
    for (uint32_t i = 0; i < s->n_entries && !s->out_of_time; i++) {
        for (uint32_t j = i + 1; j < s->n_entries && j < i + 16 && !s->out_of_time; j++) {
            const pry_entry_t *a = &s->entries[i], *b = &s->entries[j];
            if (!is_int_kind(a->kind) || !is_int_kind(b->kind) ||
                a->kind == PRY_K_MORE || b->kind == PRY_K_MORE ||
                a->kind == PRY_K_LEN || b->kind == PRY_K_LEN)
                continue;
            uint64_t da = distance(a), db = distance(b);
            uint64_t d = da < db ? da : db;
            if (d == 0)
                continue;
            if (try_pair(s, i, j, d)) {
                progress = true;
                continue;
            }
            uint64_t lo = 0, hi = d; /* moving by hi fails to fail */
            while (hi - lo > 1 && !s->out_of_time) {
                uint64_t mid = lo + (hi - lo) / 2;
                if (j < s->n_entries && try_pair(s, i, j, mid)) {
                    progress = true;
                    hi -= mid;
                    lo = 0;
                } else {
                    hi = mid;
                }
            }
        }
    }
    return progress;
}

/* qsort has no context argument: the buffer being sorted. */
static const uint8_t *sort_base;

static int cmp_span(const void *a, const void *b)
{
    const span_t *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(sort_base + x->start, sort_base + y->start, n);
    if (c != 0)
        return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

static bool pass_sort_lists(shrinker_t *s)
{
    bool progress = false;
    for (uint32_t i = 0; i < s->n_entries && !s->out_of_time; i++) {
        const pry_entry_t *l = &s->entries[i];
        if (l->kind != PRY_K_LIST && l->kind != PRY_K_STRING)
            continue;
        /* The element spans: from each "more" to the next sibling. */
        span_t spans[256];
        size_t n = 0;
        for (uint32_t j = i + 1; j < l->end && j < s->n_entries && n < 256; j++) {
            const pry_entry_t *e = &s->entries[j];
            if (e->depth == l->depth + 1 && e->kind == PRY_K_MORE && e->value) {
                size_t end = element_end(s, j);
                spans[n++] = (span_t){e->start, end - e->start};
            }
        }
        if (n < 2)
            continue;
        size_t from = spans[0].start;
        size_t to = spans[n - 1].start + spans[n - 1].len;
        if (to > s->len)
            continue;
        sort_base = s->best;
        span_t sorted[256];
        memcpy(sorted, spans, n * sizeof spans[0]);
        qsort(sorted, n, sizeof sorted[0], cmp_span);
        if (memcmp(sorted, spans, n * sizeof spans[0]) == 0)
            continue;
        uint8_t *c = scratch(s, 0);
        if (c == NULL)
            return progress;
        size_t at = from;
        for (size_t k = 0; k < n; k++) {
            memcpy(c + at, s->best + sorted[k].start, sorted[k].len);
            at += sorted[k].len;
        }
        (void)to;
        if (try_candidate(s, c, s->len))
            progress = true;
        free(c);
    }
    return progress;
}

void pry_shrink(pry_exec_t *x, pry_finding_t *fd, double budget, bool verbose)
{
    shrinker_t s;
    memset(&s, 0, sizeof s);
    s.x = x;
    s.fd = fd;
    double start = pry_now();
    s.deadline = start + (budget > 0 ? budget : 10);
    s.best = malloc(fd->len + 1);
    if (s.best == NULL)
        return;
    memcpy(s.best, fd->input, fd->len);
    s.len = fd->len;
    /* The log of the starting point (and its failure, as the reference). */
    pry_result_t r;
    double t0 = pry_now();
    if (pry_exec_bytes(x, fd->prop, s.best, s.len, &r) != 0) {
        free(s.best);
        return;
    }
    /* A candidate that runs much longer than the original is not the same
     * failure, and waiting for the full timeout on each would spend the
     * budget on a few tries: give each try 20 times the original's time
     * (at least 0.2 s). Hangs keep the full timeout: that is their kind. */
    double saved_timeout = x->timeout;
    if (fd->result.status != PRY_RUN_TIMEOUT) {
        double t = 20 * (pry_now() - t0) + 0.2;
        if (x->timeout <= 0 || t < x->timeout)
            x->timeout = t;
    }
    bool same = pry_same_failure(&r, &fd->result);
    pry_out_free(&r.err);
    if (!same) {
        if (verbose)
            fprintf(stderr, "pry: shrink: the failure did not repeat; not shrinking\n");
        x->timeout = saved_timeout;
        free(s.best);
        return;
    }
    if (x->log->consumed < s.len)
        s.len = x->log->consumed;
    size_t floor = trim_floor(x->log);
    while (s.len > floor && s.best[s.len - 1] == 0)
        s.len--;
    adopt_log(&s);
    for (int round = 0; !s.out_of_time; round++) {
        bool progress = false;
        progress |= pass_delete_elements(&s);
        progress |= pass_delete_groups(&s);
        progress |= pass_delete_and_lower(&s);
        progress |= pass_zero_groups(&s);
        progress |= pass_minimise(&s);
        progress |= pass_shorten_blobs(&s);
        progress |= pass_cut_blobs(&s);
        progress |= pass_lower_pairs(&s);
        progress |= pass_sort_lists(&s);
        if (!progress)
            break;
    }
    x->timeout = saved_timeout;
    /* Check the result once more with the full timeout: a shrinker bug must
     * never turn a finding into a passing input in the report. */
    if (s.steps > 0) {
        pry_result_t check;
        if (pry_exec_bytes(x, fd->prop, s.best, s.len, &check) == 0) {
            if (!pry_same_failure(&check, &fd->result)) {
                fprintf(stderr, "pry: shrink: the shrunk input does not fail "
                                "the same way (a pry bug); keeping the original\n");
                memcpy(s.best, fd->input, fd->len);
                s.len = fd->len;
                s.steps = 0;
            }
            pry_out_free(&check.err);
        }
    }
    fd->shrink_steps = s.steps;
    fd->shrink_tries = s.tries ? s.tries : 1;
    fd->shrink_seconds = pry_now() - start;
    if (verbose)
        fprintf(stderr, "pry: shrunk %zu -> %zu bytes in %.2f s (%u steps, %u tries%s)\n",
                fd->len, s.len, fd->shrink_seconds, s.steps, s.tries,
                s.out_of_time ? ", budget reached" : "");
    memcpy(fd->input, s.best, s.len);
    fd->len = s.len;
    free(s.best);
    free(s.entries);
    free(s.key);
}
