/*
 * mutate.c: the typed mutator's core (mutate_internal.h says what it
 * does). An input is parsed by running the property on it in record mode;
 * each mutation pass below picks entries of that log and rewrites their
 * byte spans. Every pass keeps the choice-source contract: the bytes it
 * writes for a value are that value's encoding at the draw's own width
 * (pry_int_encode), and a list element is moved together with the "more?"
 * byte before it, so the list it lands in stays well-formed.
 */
#include "mutate_internal.h"

#include <stdlib.h>
#include <string.h>

#define N_SLOTS 2
#define MAX_TRIES 8 /* passes tried before giving up on an input */
/* Parsed inputs kept, most recently used first out of the way. libFuzzer
 * mutates corpus entries over and over and crosses them with others, and
 * every entry was executed (and its log adopted) when it was added. */
#define CACHE_N 256

/* The elements of one list, string or text (see collect_units). */
typedef struct {
    uint32_t start, end; /* bytes of one element, "more?" byte included */
} unit_t;

#define MAX_UNITS 4096

typedef struct {
    unit_t u[MAX_UNITS];
    uint32_t n;
    uint32_t tail;  /* where another element would go: the final "more?" */
    bool full;      /* no final "more?": the list is at its maximum */
    uint64_t max;   /* its maximum length, 0 if not recorded */
} units_t;

struct pry_mutator {
    int index; /* property, or -1: the first input byte chooses */
    uint64_t rng;
    pry_byte_mutator_fn bytes;
    pry_t p;
    pry_log_t *log;
    pry_parsed_t cache[CACHE_N];
    size_t data_cap[CACHE_N], d_cap[CACHE_N], in_len[CACHE_N];
    uint64_t used[CACHE_N]; /* when last returned; 0: empty */
    uint64_t clock;
    int pinned[N_SLOTS]; /* the entry each slot last returned: not evicted */
    uint8_t *tmp; /* blob bytes handed to the byte mutator */
    size_t tmp_cap;
    units_t units;
    pry_mutation last;
    uint64_t counts[PRY_MUT_COUNT];
};

static const char *const mutation_names[PRY_MUT_COUNT] = {
    "none",      "redraw",  "list-delete", "list-duplicate", "list-move",
    "list-insert", "smaller", "lift",      "crossover",      "blob",
    "list-repeat",
};

const char *pry_mutation_name(pry_mutation m)
{
    return (unsigned)m < PRY_MUT_COUNT ? mutation_names[m] : "?";
}

/* ---- randomness: splitmix64, enough for choosing ---- */

static uint64_t next(pry_mutator_t *m)
{
    uint64_t z = (m->rng += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static uint64_t below(pry_mutator_t *m, uint64_t n) /* n == 0: any */
{
    return n == 0 ? next(m) : next(m) % n;
}

static uint64_t fnv1a(const void *s, size_t n, uint64_t h)
{
    const uint8_t *b = s;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3u;
    return h;
}

/* ---- life cycle ---- */

pry_mutator_t *pry_mutator_new(int index, uint64_t seed, pry_byte_mutator_fn bytes)
{
    pry_mutator_t *m = calloc(1, sizeof *m);
    if (m == NULL)
        return NULL;
    m->log = calloc(1, sizeof *m->log);
    if (m->log == NULL) {
        free(m);
        return NULL;
    }
    m->index = index;
    m->rng = seed;
    m->bytes = bytes;
    m->pinned[0] = m->pinned[1] = -1;
    pry_source_init(&m->p, m->log);
    m->p.record = true;
    m->p.lean = true; /* spans and values are all a pass needs */
    return m;
}

void pry_mutator_del(pry_mutator_t *m)
{
    if (m == NULL)
        return;
    for (int i = 0; i < CACHE_N; i++) {
        free(m->cache[i].data);
        free(m->cache[i].d);
    }
    pry_arena_free(&m->p);
    free(m->tmp);
    free(m->log);
    free(m);
}

pry_mutation pry_mutator_last(const pry_mutator_t *m)
{
    return m->last;
}

uint64_t pry_mutator_count(const pry_mutator_t *m, pry_mutation which)
{
    return (unsigned)which < PRY_MUT_COUNT ? m->counts[which] : 0;
}

/* ---- parsing: one recording run ---- */

static bool reserve(void **buf, size_t *cap, size_t want, size_t elem)
{
    if (want <= *cap)
        return true;
    size_t n = *cap ? *cap : 64;
    while (n < want)
        n *= 2;
    void *nb = realloc(*buf, n * elem);
    if (nb == NULL)
        return false;
    *buf = nb;
    *cap = n;
    return true;
}

/* The cached entry holding exactly |data|, or -1. */
static int cache_find(const pry_mutator_t *m, uint64_t h, const uint8_t *data, size_t len)
{
    for (int i = 0; i < CACHE_N; i++) {
        const pry_parsed_t *e = &m->cache[i];
        if (m->used[i] != 0 && e->hash == h && m->in_len[i] == len &&
            memcmp(e->data, data, len) == 0)
            return i;
    }
    return -1;
}

/* An entry to overwrite: an empty one, or the least recently used one
 * that no slot holds. */
static int cache_victim(const pry_mutator_t *m)
{
    int best = -1;
    for (int i = 0; i < CACHE_N; i++) {
        if (i == m->pinned[0] || i == m->pinned[1])
            continue;
        if (m->used[i] == 0)
            return i;
        if (best < 0 || m->used[i] < m->used[best])
            best = i;
    }
    return best;
}

/* Entry |c| from the log of a recording run on |data| (|skip| leading
 * bytes chose the property). false when out of memory (then empty). */
static bool cache_fill(pry_mutator_t *m, int c, uint64_t h, const uint8_t *data, size_t len,
                       uint32_t skip, const pry_log_t *log, int status)
{
    pry_parsed_t *ps = &m->cache[c];
    size_t in_len = len - skip;
    m->used[c] = 0;
    /* Draws past the end read zeros: make those zeros real bytes, so
     * every span lies inside the data a pass rewrites. */
    size_t ext = (size_t)skip + (log->consumed > in_len ? log->consumed : in_len);
    if (!reserve((void **)&ps->data, &m->data_cap[c], ext + 1, 1) ||
        !reserve((void **)&ps->d, &m->d_cap[c], (size_t)log->n_entries + 1, sizeof *ps->d))
        return false;
    memcpy(ps->data, data, len);
    memset(ps->data + len, 0, ext - len);
    ps->len = ext;
    ps->n = log->n_entries;
    ps->status = status;
    for (uint32_t i = 0; i < ps->n; i++) {
        const pry_entry_t *e = &log->entries[i];
        pry_mdraw_t *d = &ps->d[i];
        const char *label = pry_pool_str(log, e->label);
        d->kind = e->kind;
        d->flags = e->flags;
        d->depth = e->depth;
        d->label = label ? (uint32_t)fnv1a(label, strlen(label), 0xcbf29ce484222325u) | 1u : 0;
        d->start = e->start + skip;
        d->len = e->len;
        if (d->start > ext)
            d->start = (uint32_t)ext;
        if (d->len > ext - d->start)
            d->len = (uint32_t)(ext - d->start);
        d->end = e->end > i && e->end <= ps->n ? e->end : i + 1;
        d->lo = e->lo;
        d->hi = e->hi;
        d->value = e->value;
    }
    ps->hash = h;
    m->in_len[c] = len;
    m->used[c] = ++m->clock;
    return true;
}

static uint64_t input_hash(const uint8_t *data, size_t len)
{
    return fnv1a(data, len, 0xcbf29ce484222325u ^ len);
}

const pry_parsed_t *pry_mutator_parse(pry_mutator_t *m, int slot, const uint8_t *data,
                                      size_t len)
{
    uint64_t h = input_hash(data, len);
    int c = cache_find(m, h, data, len);
    if (c < 0) {
        const uint8_t *in = data;
        size_t in_len = len;
        int index = pry_select_property(&in, &in_len, m->index);
        int status = (int)pry_run_bytes(&m->p, index, in, in_len);
        c = cache_victim(m);
        if (c < 0 || !cache_fill(m, c, h, data, len, (uint32_t)(len - in_len), m->log, status))
            return NULL;
    }
    m->used[c] = ++m->clock;
    m->pinned[slot] = c;
    return &m->cache[c];
}

void pry_mutator_adopt(pry_mutator_t *m, const uint8_t *data, size_t len, size_t skip,
                       const pry_log_t *log, int status)
{
    uint64_t h = input_hash(data, len);
    if (skip > len || cache_find(m, h, data, len) >= 0)
        return;
    int c = cache_victim(m);
    if (c >= 0)
        (void)cache_fill(m, c, h, data, len, (uint32_t)skip, log, status);
}

/* ---- output: pieces of spans, cut at max ---- */

typedef struct {
    uint8_t *out;
    size_t max, n;
} writer_t;

static void put(writer_t *w, const uint8_t *src, size_t n)
{
    if (n > w->max - w->n)
        n = w->max - w->n;
    if (n == 0)
        return;
    memmove(w->out + w->n, src, n);
    w->n += n;
}

/* out = a[0, at) + ins + a[cut, len): |ins| replaces a[at, cut). The
 * pieces may alias |out| only through |a| == the parsed copy, never out. */
static size_t replace_span(const pry_parsed_t *a, size_t at, size_t cut, const uint8_t *ins,
                           size_t ins_len, uint8_t *out, size_t max)
{
    writer_t w = {out, max, 0};
    put(&w, a->data, at);
    put(&w, ins, ins_len);
    put(&w, a->data + cut, a->len - cut);
    return w.n;
}

/* |v| as |w| little-endian bytes: how every integer draw reads its value. */
static void le_bytes(uint8_t enc[8], uint64_t v, unsigned w)
{
    for (unsigned k = 0; k < w && k < 8; k++)
        enc[k] = (uint8_t)(v >> (8 * k));
}

/* ---- picking entries ---- */

/* Draws a redraw may change. A "more?" is one: 0 -> 1 grows a list by an
 * element read from what follows (the only way to grow an empty list
 * without another input), 1 -> 0 cuts it there. */
static bool is_value(uint8_t kind)
{
    return kind != PRY_K_NONE && kind != PRY_K_LEN && kind != PRY_K_BLOB &&
           !PRY_KIND_IS_GROUP(kind);
}

static bool is_sequence(uint8_t kind)
{
    return kind == PRY_K_LIST || kind == PRY_K_STRING || kind == PRY_K_TEXT;
}

typedef bool (*pick_fn)(const pry_parsed_t *ps, uint32_t i, const void *arg);

/* A uniformly chosen entry satisfying |ok| (reservoir sampling), or -1. */
static long pick(pry_mutator_t *m, const pry_parsed_t *ps, pick_fn ok, const void *arg)
{
    long chosen = -1;
    uint64_t seen = 0;
    for (uint32_t i = 0; i < ps->n; i++) {
        if (!ok(ps, i, arg))
            continue;
        if (below(m, ++seen) == 0)
            chosen = (long)i;
    }
    return chosen;
}

static bool pick_value(const pry_parsed_t *ps, uint32_t i, const void *arg)
{
    (void)arg;
    const pry_mdraw_t *d = &ps->d[i];
    return is_value(d->kind) && d->len > 0 && d->lo != d->hi;
}

/* Same kind and label as |arg|; for values, the same bounds too. */
static bool pick_alike(const pry_parsed_t *ps, uint32_t i, const void *arg)
{
    const pry_mdraw_t *want = arg, *d = &ps->d[i];
    if (d->kind != want->kind || d->label != want->label)
        return false;
    if (is_value(d->kind))
        return d->lo == want->lo && d->hi == want->hi && d->len == want->len;
    return d->kind != PRY_K_MORE && d->kind != PRY_K_LEN;
}

/* ---- pass: redraw a value within its bounds ---- */

static bool in_bounds(const pry_mdraw_t *d, uint64_t x)
{
    if (d->flags & PRY_F_SIGNED)
        return (int64_t)x >= (int64_t)d->lo && (int64_t)x <= (int64_t)d->hi;
    return x >= d->lo && x <= d->hi;
}

/* The new value: the bounds, a neighbour, a small value, the value of a
 * draw of the same label elsewhere (this input or the other), or any. */
static uint64_t new_value(pry_mutator_t *m, const pry_mdraw_t *d, const pry_parsed_t *a,
                          const pry_parsed_t *b)
{
    uint64_t span = d->hi - d->lo + 1; /* 0: all 2^64 values */
    for (int tries = 0; tries < 4; tries++) {
        uint64_t x;
        switch (below(m, 8)) {
        case 0: x = d->lo; break;
        case 1: x = d->hi; break;
        case 2: x = d->value + 1 + below(m, 16); break;
        case 3: x = d->value - 1 - below(m, 16); break;
        case 4: { /* small magnitude: near zero, or near lo if 0 is out */
            uint64_t base = in_bounds(d, 0) ? 0 : d->lo;
            x = (d->flags & PRY_F_SIGNED) && below(m, 2) ? base - below(m, 17)
                                                         : base + below(m, 17);
            break;
        }
        case 5: { /* what a draw of the same label took, here or there */
            const pry_parsed_t *src = b != NULL && below(m, 2) ? b : a;
            long j = pick(m, src, pick_alike, d);
            x = j >= 0 ? src->d[j].value : d->lo + below(m, span);
            break;
        }
        default: x = d->lo + below(m, span); break;
        }
        if (in_bounds(d, x) && x != d->value)
            return x;
    }
    /* any other value of the range (span >= 2: pick_value) */
    if (span == 0)
        return d->value + 1 + below(m, UINT64_MAX);
    return d->lo + (d->value - d->lo + 1 + below(m, span - 1)) % span;
}

static size_t mut_redraw(pry_mutator_t *m, const pry_parsed_t *a, const pry_parsed_t *b,
                         uint8_t *out, size_t max)
{
    long i = pick(m, a, pick_value, NULL);
    if (i < 0)
        return 0;
    const pry_mdraw_t *d = &a->d[i];
    uint64_t x = new_value(m, d, a, b);
    unsigned w = d->len;
    uint8_t enc[8];
    uint64_t v = d->kind == PRY_K_CHAR ? x /* the character is its byte */
                                       : pry_int_encode(x, w, d->lo, d->hi,
                                                        (d->flags & PRY_F_SIGNED) != 0);
    if (w > sizeof enc)
        return 0;
    le_bytes(enc, v, w);
    return replace_span(a, d->start, d->start + w, enc, w, out, max);
}

/* ---- lists: elements with their "more?" byte ---- */

/* The elements of sequence group |g|: each "more? = 1" child with the
 * entry that follows it (an element group, a byte, a character, a line). */
static void collect_units(const pry_parsed_t *ps, uint32_t g, units_t *us)
{
    const pry_mdraw_t *G = &ps->d[g];
    us->n = 0;
    us->full = true;
    us->tail = G->start + G->len;
    us->max = G->hi;
    uint32_t i = g + 1;
    while (i < G->end) {
        const pry_mdraw_t *e = &ps->d[i];
        if (e->depth != G->depth + 1 || e->kind != PRY_K_MORE) {
            i = e->end > i ? e->end : i + 1;
            continue;
        }
        if (e->value == 0) {
            us->tail = e->start;
            us->full = false;
            break;
        }
        uint32_t item = i + 1;
        if (item >= G->end)
            break;
        if (us->n < MAX_UNITS) {
            const pry_mdraw_t *it = &ps->d[item];
            us->u[us->n].start = e->start;
            us->u[us->n].end = it->start + it->len;
            us->n++;
        }
        i = ps->d[item].end > item ? ps->d[item].end : item + 1;
    }
}

static bool pick_sequence(const pry_parsed_t *ps, uint32_t i, const void *arg)
{
    const uint8_t *need_elements = arg;
    const pry_mdraw_t *d = &ps->d[i];
    if (!is_sequence(d->kind))
        return false;
    /* a non-empty one, or any (insertions go into empty lists too) */
    return !*need_elements || (i + 1 < d->end && ps->d[i + 1].kind == PRY_K_MORE &&
                               ps->d[i + 1].value == 1);
}

/* |a| with |ul| bytes of one element inserted at |at| into the list
 * |us|, which has room for it. An element that brings the list to its
 * maximum also removes the final "more?" byte: at the maximum no "more?"
 * is drawn, and that byte would be read by the draw after the list. */
static size_t grow_list(const pry_parsed_t *a, const units_t *us, uint32_t at,
                        const uint8_t *ub, size_t ul, uint8_t *out, size_t max)
{
    writer_t w = {out, max, 0};
    bool fills = us->max != 0 && us->n + 1 >= us->max;
    put(&w, a->data, at);
    put(&w, ub, ul);
    put(&w, a->data + at, us->tail - at);
    uint32_t rest = us->tail + (fills ? 1u : 0u);
    put(&w, a->data + rest, a->len - rest);
    return w.n;
}

/* A list of |a| with at least one element, its elements in m->units;
 * NULL if there is none. */
static units_t *pick_elements(pry_mutator_t *m, const pry_parsed_t *a)
{
    const uint8_t need = 1;
    long g = pick(m, a, pick_sequence, &need);
    if (g < 0)
        return NULL;
    collect_units(a, (uint32_t)g, &m->units);
    return m->units.n > 0 ? &m->units : NULL;
}

static size_t mut_list(pry_mutator_t *m, pry_mutation op, const pry_parsed_t *a, uint8_t *out,
                       size_t max)
{
    units_t *us = pick_elements(m, a);
    if (us == NULL)
        return 0;
    const unit_t u = us->u[below(m, us->n)];
    const uint8_t *ub = a->data + u.start;
    size_t ul = u.end - u.start;
    writer_t w = {out, max, 0};
    switch (op) {
    case PRY_MUT_LIST_DELETE:
        if (us->full) {
            /* at its maximum, the list had no "stop": it gets one, or it
             * would go on reading the draws after it as an element */
            static const uint8_t stop = 0;
            put(&w, a->data, u.start);
            put(&w, a->data + u.end, us->tail - u.end);
            put(&w, &stop, 1);
            put(&w, a->data + us->tail, a->len - us->tail);
            return w.n;
        }
        return replace_span(a, u.start, u.end, NULL, 0, out, max);
    case PRY_MUT_LIST_DUPLICATE:
        if (us->full)
            return 0; /* at its maximum: a copy would spill into later draws */
        return grow_list(a, us, u.end, ub, ul, out, max);
    case PRY_MUT_LIST_MOVE: {
        if (us->n < 2)
            return 0;
        /* to before another element, or to the end */
        uint32_t k = (uint32_t)below(m, us->n + 1);
        uint32_t to = k < us->n ? us->u[k].start : us->tail;
        if (to == u.start || to == u.end)
            return 0;
        if (to < u.start) {
            put(&w, a->data, to);
            put(&w, ub, ul);
            put(&w, a->data + to, u.start - to);
        } else {
            put(&w, a->data, u.start);
            put(&w, a->data + u.end, to - u.end);
            put(&w, ub, ul);
        }
        put(&w, a->data + (to < u.start ? u.end : to), a->len - (to < u.start ? u.end : to));
        return w.n;
    }
    default:
        return 0;
    }
}

/* A run of consecutive elements repeated 1..8 times right after itself:
 * a list doubles in a step where duplication adds one element. Long
 * sequences of steps (a ring driven through hundreds of packets, a
 * table through many insertions) are what a property's random mode
 * reaches and byte mutation does not: each "more?" byte must stay odd,
 * and havoc cuts and inserts bytes without regard to element bounds.
 * Near its maximum the copies overwrite the elements that follow the run
 * instead: a stateful property's steps fill their list long before the
 * state is deep (queue entries grow, shorter ones earn nothing new), and
 * a repeat that needed room it did not have was no repeat at all. */
static size_t mut_list_repeat(pry_mutator_t *m, const pry_parsed_t *a, uint8_t *out, size_t max)
{
    units_t *us = pick_elements(m, a);
    if (us == NULL || us->n >= MAX_UNITS)
        return 0;
    uint32_t i = (uint32_t)below(m, us->n);
    uint32_t j = i + 1 + (uint32_t)below(m, us->n - i); /* the run [i, j) */
    uint64_t times = 1 + below(m, 8), run = j - i, drop = 0;
    if (us->max != 0) { /* no more elements than the list's maximum */
        uint64_t room = us->max > us->n ? us->max - us->n : 0, after = us->n - j;
        if (times * run > room + after)
            times = (room + after) / run;
        if (times == 0)
            return 0;
        if (times * run > room) /* overwrite: the elements after the run go */
            drop = times * run - room;
    }
    uint64_t count = us->n - drop + times * run;
    bool fills = us->max != 0 && count >= us->max;
    uint32_t from = us->u[i].start, to = us->u[j - 1].end;
    uint32_t resume = drop ? us->u[j + drop - 1].end : to;
    writer_t w = {out, max, 0};
    put(&w, a->data, to);
    for (uint64_t t = 0; t < times; t++)
        put(&w, a->data + from, to - from);
    put(&w, a->data + resume, us->tail - resume);
    /* at the maximum no "more?" is drawn: the stop byte would be read by
     * the draw after the list (as grow_list); a list that was already at
     * its maximum has none */
    uint32_t rest = us->tail + (fills && !us->full ? 1u : 0u);
    put(&w, a->data + rest, a->len - rest);
    return w.n;
}

/* Insert an element of a list of the same kind and label in |b|. */
static size_t mut_list_insert(pry_mutator_t *m, const pry_parsed_t *a, const pry_parsed_t *b,
                              uint8_t *out, size_t max)
{
    const uint8_t any = 0, need = 1;
    long ga = pick(m, a, pick_sequence, &any);
    if (ga < 0)
        return 0;
    const pry_mdraw_t *G = &a->d[ga];
    pry_mdraw_t want = *G;
    long gb = pick(m, b, pick_alike, &want);
    if (gb < 0 || !pick_sequence(b, (uint32_t)gb, &need))
        return 0;
    units_t *us = &m->units;
    collect_units(b, (uint32_t)gb, us);
    if (us->n == 0)
        return 0;
    unit_t from = us->u[below(m, us->n)];
    collect_units(a, (uint32_t)ga, us);
    if (us->full)
        return 0;
    uint32_t k = (uint32_t)below(m, us->n + 1);
    uint32_t at = k < us->n ? us->u[k].start : us->tail;
    return grow_list(a, us, at, b->data + from.start, from.end - from.start, out, max);
}

/* ---- subtrees: a smaller group of the same label, or a nested one ---- */

static bool pick_labelled_group(const pry_parsed_t *ps, uint32_t i, const void *arg)
{
    (void)arg;
    const pry_mdraw_t *d = &ps->d[i];
    return PRY_KIND_IS_GROUP(d->kind) && d->kind != PRY_K_ELEMENT && d->len > 0;
}

static size_t mut_smaller(pry_mutator_t *m, const pry_parsed_t *a, const pry_parsed_t *b,
                          uint8_t *out, size_t max)
{
    long g = pick(m, a, pick_labelled_group, NULL);
    if (g < 0)
        return 0;
    const pry_mdraw_t *G = &a->d[g];
    /* the shortest of a few same-label groups, from either input */
    const pry_parsed_t *best_in = NULL;
    const pry_mdraw_t *best = NULL;
    for (int t = 0; t < 4; t++) {
        const pry_parsed_t *src = b != NULL && below(m, 2) ? b : a;
        long j = pick(m, src, pick_alike, G);
        if (j >= 0 && src->d[j].len < G->len && (best == NULL || src->d[j].len < best->len)) {
            best = &src->d[j];
            best_in = src;
        }
    }
    if (best == NULL)
        return 0;
    return replace_span(a, G->start, G->start + G->len, best_in->data + best->start, best->len,
                        out, max);
}

static size_t mut_lift(pry_mutator_t *m, const pry_parsed_t *a, uint8_t *out, size_t max)
{
    long g = pick(m, a, pick_labelled_group, NULL);
    if (g < 0)
        return 0;
    const pry_mdraw_t *G = &a->d[g];
    /* a group of the same kind and label inside it (recursion) */
    long chosen = -1;
    uint64_t seen = 0;
    for (uint32_t j = (uint32_t)g + 1; j < G->end; j++) {
        const pry_mdraw_t *d = &a->d[j];
        if (d->kind == G->kind && d->label == G->label && d->len < G->len &&
            below(m, ++seen) == 0)
            chosen = (long)j;
    }
    if (chosen < 0)
        return 0;
    const pry_mdraw_t *D = &a->d[chosen];
    return replace_span(a, G->start, G->start + G->len, a->data + D->start, D->len, out, max);
}

/* ---- linked crossover: the same label's span from the other input ---- */

static bool pick_crossable(const pry_parsed_t *ps, uint32_t i, const void *arg)
{
    (void)arg;
    const pry_mdraw_t *d = &ps->d[i];
    return d->label != 0 && d->kind != PRY_K_MORE && d->kind != PRY_K_LEN &&
           d->kind != PRY_K_ELEMENT;
}

static size_t mut_crossover(pry_mutator_t *m, const pry_parsed_t *a, const pry_parsed_t *b,
                            uint8_t *out, size_t max)
{
    for (int t = 0; t < 4; t++) {
        long i = pick(m, a, pick_crossable, NULL);
        if (i < 0)
            return 0;
        const pry_mdraw_t *d = &a->d[i];
        long j = pick(m, b, pick_alike, d);
        if (j < 0)
            continue;
        const pry_mdraw_t *e = &b->d[j];
        if (e->len == d->len && memcmp(a->data + d->start, b->data + e->start, d->len) == 0)
            continue; /* the same bytes: nothing would change */
        return replace_span(a, d->start, d->start + d->len, b->data + e->start, e->len, out,
                            max);
    }
    return 0;
}

/* ---- blobs: the engine's byte mutation, then the length fixed ---- */

static bool pick_blob(const pry_parsed_t *ps, uint32_t i, const void *arg)
{
    (void)arg;
    return ps->d[i].kind == PRY_K_BLOB && i + 1 < ps->n && ps->d[i + 1].kind == PRY_K_LEN;
}

static size_t mut_blob(pry_mutator_t *m, const pry_parsed_t *a, uint8_t *out, size_t max)
{
    if (m->bytes == NULL)
        return 0;
    long i = pick(m, a, pick_blob, NULL);
    if (i < 0)
        return 0;
    const pry_mdraw_t *B = &a->d[i], *L = &a->d[i + 1];
    unsigned w = L->len;
    if (w == 0 || w > 8 || B->len < w)
        return 0;
    size_t size = B->len - w;
    /* room: the blob's maximum, and what is left of |max| */
    size_t rest = a->len - B->len;
    if (rest + w >= max)
        return 0;
    size_t cap = max - rest - w;
    if (cap > B->hi)
        cap = (size_t)B->hi;
    if (cap < size)
        cap = size;
    if (!reserve((void **)&m->tmp, &m->tmp_cap, cap + 1, 1))
        return 0;
    memcpy(m->tmp, a->data + B->start + w, size);
    size_t n = m->bytes(m->tmp, size, cap);
    if (n > cap)
        n = cap;
    uint64_t v = pry_int_encode(n, w, L->lo, L->hi, false);
    uint8_t enc[8];
    le_bytes(enc, v, w);
    writer_t wr = {out, max, 0};
    put(&wr, a->data, B->start);
    put(&wr, enc, w);
    put(&wr, m->tmp, n);
    put(&wr, a->data + B->start + B->len, a->len - B->start - B->len);
    return wr.n;
}

/* ---- choosing a pass ---- */

typedef struct {
    pry_mutation op;
    unsigned weight;
} weighted_op;

/* Redrawing values is the workhorse; structure and crossover next. */
static const weighted_op ops[] = {
    {PRY_MUT_REDRAW, 34},       {PRY_MUT_LIST_DELETE, 8}, {PRY_MUT_LIST_DUPLICATE, 10},
    {PRY_MUT_LIST_MOVE, 5},     {PRY_MUT_LIST_INSERT, 9}, {PRY_MUT_SMALLER, 5},
    {PRY_MUT_LIFT, 4},          {PRY_MUT_CROSSOVER, 15},  {PRY_MUT_BLOB, 10},
    {PRY_MUT_LIST_REPEAT, 6},
};

static size_t run_pass(pry_mutator_t *m, pry_mutation op, const pry_parsed_t *a,
                       const pry_parsed_t *b, uint8_t *out, size_t max)
{
    switch (op) {
    case PRY_MUT_REDRAW: return mut_redraw(m, a, b, out, max);
    case PRY_MUT_LIST_DELETE:
    case PRY_MUT_LIST_DUPLICATE:
    case PRY_MUT_LIST_MOVE: return mut_list(m, op, a, out, max);
    case PRY_MUT_LIST_INSERT: return b ? mut_list_insert(m, a, b, out, max) : 0;
    case PRY_MUT_SMALLER: return mut_smaller(m, a, b, out, max);
    case PRY_MUT_LIFT: return mut_lift(m, a, out, max);
    case PRY_MUT_CROSSOVER: return b ? mut_crossover(m, a, b, out, max) : 0;
    case PRY_MUT_BLOB: return mut_blob(m, a, out, max);
    case PRY_MUT_LIST_REPEAT: return mut_list_repeat(m, a, out, max);
    default: return 0;
    }
}

static pry_mutation choose_op(pry_mutator_t *m)
{
    unsigned total = 0;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        total += ops[i].weight;
    uint64_t r = below(m, total);
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (r < ops[i].weight)
            return ops[i].op;
        r -= ops[i].weight;
    }
    return PRY_MUT_REDRAW;
}

/* The other input, parsed only for the passes that use it (a recording
 * run costs as much as an execution); NULL if absent or the same bytes. */
static const pry_parsed_t *parse_other(pry_mutator_t *m, const pry_parsed_t *a,
                                       const uint8_t *other, size_t other_len)
{
    if (other == NULL || other_len == 0)
        return NULL;
    const pry_parsed_t *b = pry_mutator_parse(m, 1, other, other_len);
    return b != NULL && b->hash != a->hash ? b : NULL;
}

static bool needs_other(pry_mutation op)
{
    return op == PRY_MUT_LIST_INSERT || op == PRY_MUT_CROSSOVER;
}

size_t pry_mutate(pry_mutator_t *m, const uint8_t *in, size_t len, const uint8_t *other,
                  size_t other_len, uint8_t *out, size_t max)
{
    m->last = PRY_MUT_NONE;
    if (max == 0)
        return 0;
    const pry_parsed_t *a = pry_mutator_parse(m, 0, in, len), *b = NULL;
    if (a == NULL)
        return 0;
    for (int t = 0; t < MAX_TRIES; t++) {
        pry_mutation op = choose_op(m);
        if (needs_other(op) && b == NULL && (b = parse_other(m, a, other, other_len)) == NULL)
            continue;
        size_t n = run_pass(m, op, a, b, out, max);
        if (n > 0) {
            m->last = op;
            m->counts[op]++;
            return n;
        }
    }
    return 0;
}

size_t pry_mutate_pass(pry_mutator_t *m, pry_mutation op, const uint8_t *in, size_t len,
                       const uint8_t *other, size_t other_len, uint8_t *out, size_t max)
{
    m->last = PRY_MUT_NONE;
    const pry_parsed_t *a = max > 0 ? pry_mutator_parse(m, 0, in, len) : NULL, *b = NULL;
    if (a == NULL || (needs_other(op) && (b = parse_other(m, a, other, other_len)) == NULL))
        return 0;
    size_t n = run_pass(m, op, a, b, out, max);
    if (n > 0) {
        m->last = op;
        m->counts[op]++;
    }
    return n;
}

size_t pry_crossover(pry_mutator_t *m, const uint8_t *a_in, size_t a_len, const uint8_t *b_in,
                     size_t b_len, uint8_t *out, size_t max)
{
    m->last = PRY_MUT_NONE;
    if (max == 0)
        return 0;
    const pry_parsed_t *a = pry_mutator_parse(m, 0, a_in, a_len);
    const pry_parsed_t *b = a != NULL ? parse_other(m, a, b_in, b_len) : NULL;
    if (b == NULL)
        return 0;
    pry_mutation op = below(m, 3) == 0 ? PRY_MUT_LIST_INSERT : PRY_MUT_CROSSOVER;
    size_t n = run_pass(m, op, a, b, out, max);
    if (n == 0 && op == PRY_MUT_LIST_INSERT) {
        op = PRY_MUT_CROSSOVER;
        n = run_pass(m, op, a, b, out, max);
    }
    if (n > 0) {
        m->last = op;
        m->counts[op]++;
    }
    return n;
}

/* ---- the share of typed mutations (mutate_internal.h) ---- */

/* The prior: this many tries, at the rate that gives the starting share
 * of three typed mutations in four (the share measured best before it
 * adapted, on the h2 plants). With a typical early rate of 1 new feature
 * in 20 tries it gives way after a few hundred executions. */
#define PRIOR_TRIES 64.0
#define PRIOR_RATE 0.05

double pry_share_typed(const pry_share_t *s)
{
    static const double prior_share[PRY_ARMS] = {0.75, 0.25};
    double rate[PRY_ARMS];
    for (int a = 0; a < PRY_ARMS; a++) {
        /* a source that gets 3x the tries at the same rate starts with 3x
         * the wins: the prior is per source, in proportion to its share */
        double pw = PRIOR_TRIES * PRIOR_RATE * prior_share[a] * 2.0;
        double pt = PRIOR_TRIES;
        rate[a] = (s->wins[a] + pw) / (s->tries[a] + pt);
    }
    double share = rate[PRY_ARM_TYPED] / (rate[PRY_ARM_TYPED] + rate[PRY_ARM_BYTES]);
    if (share < PRY_SHARE_MIN)
        share = PRY_SHARE_MIN;
    if (share > 1.0 - PRY_SHARE_MIN)
        share = 1.0 - PRY_SHARE_MIN;
    return share;
}

void pry_share_record(pry_share_t *s, int arm, bool found)
{
    if (arm < 0 || arm >= PRY_ARMS)
        return;
    s->tries[arm] += 1.0;
    if (found)
        s->wins[arm] += 1.0;
    if (s->tries[arm] > PRY_SHARE_WINDOW) {
        s->tries[arm] /= 2.0;
        s->wins[arm] /= 2.0;
    }
}
