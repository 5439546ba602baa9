/*
 * shrink_passes.c: the shrinker's structural passes, on spans of the
 * choice sequence that the log gives (groups, list elements, blobs). Each
 * pass is one function named for what it tries, after Hypothesis's
 * shrinker (internal/conjecture/shrinker.py); each returns whether it made
 * progress. A pass re-reads the shrinker's best after every success: an
 * accepted candidate may change the structure under it.
 */
#include "shrink_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    size_t from, to; /* choices [from, to) */
} span_t;

static bool try_splice(pry_shrinker_t *s, size_t at, size_t n,
                       const pry_choice_t *with, size_t m)
{
    pry_choices_t c;
    if (!pry_choices_copy(&c, &s->best))
        return false;
    bool ok = pry_choices_splice(&c, at, n, with, m) && pry_shrink_try(s, &c);
    pry_choices_free(&c);
    return ok;
}

static bool try_delete(pry_shrinker_t *s, size_t at, size_t n)
{
    if (n == 0 || at >= s->best.n)
        return false;
    return try_splice(s, at, n, NULL, 0);
}

/* The entry index one past the element that starts at "more?" entry |i|:
 * the ELEMENT group beside it (pry_list), or up to the next entry at the
 * same depth or shallower (pry_bytes, pry_string: a "more?" and a draw). */
static uint32_t element_end(const pry_shrinker_t *s, uint32_t i)
{
    uint16_t d = s->entries[i].depth;
    if (i + 1 < s->n_entries && s->entries[i + 1].kind == PRY_K_ELEMENT &&
        s->entries[i + 1].depth == d)
        return s->entries[i + 1].end > i + 1 ? s->entries[i + 1].end : i + 2;
    uint32_t j = i + 1;
    while (j < s->n_entries && s->entries[j].depth > d)
        j++;
    if (j < s->n_entries && j == i + 1 && !PRY_KIND_IS_GROUP(s->entries[j].kind) &&
        s->entries[j].kind != PRY_K_MORE)
        j++; /* the element's one draw, at the same depth */
    return j;
}

static span_t entries_span(const pry_shrinker_t *s, uint32_t from, uint32_t to)
{
    span_t sp = {s->first_choice[from], s->first_choice[to]};
    if (sp.to > s->best.n)
        sp.to = s->best.n;
    if (sp.from > sp.to)
        sp.from = sp.to;
    return sp;
}

/* The elements of the list whose group entry is |g|: each a "more?"
 * choice and what follows it. Returns how many (at most |max|). */
static size_t list_elements(const pry_shrinker_t *s, uint32_t g, span_t *out,
                            size_t max)
{
    const pry_entry_t *l = &s->entries[g];
    uint32_t end = l->end > g ? l->end : g + 1;
    size_t n = 0;
    for (uint32_t j = g + 1; j < end && j < s->n_entries && n < max; j++) {
        const pry_entry_t *e = &s->entries[j];
        if (e->depth != l->depth + 1 || e->kind != PRY_K_MORE || e->value == 0)
            continue;
        out[n++] = entries_span(s, j, element_end(s, j));
    }
    return n;
}

static bool is_list(const pry_entry_t *e)
{
    return e->kind == PRY_K_LIST || e->kind == PRY_K_STRING || e->kind == PRY_K_TEXT;
}

/* Is the list at group |g| full: drawn up to its maximum, so no "more?
 * no" choice ends it? */
static bool list_full(const pry_shrinker_t *s, uint32_t g)
{
    const pry_entry_t *l = &s->entries[g];
    uint32_t end = l->end > g ? l->end : g + 1;
    for (uint32_t j = g + 1; j < end && j < s->n_entries; j++)
        if (s->entries[j].depth == l->depth + 1 && s->entries[j].kind == PRY_K_MORE &&
            s->entries[j].value == 0)
            return false;
    return true;
}

/* Delete the elements el[k .. k + run) of a list. A full list has no
 * "more? no" after its last element: one goes in, or the draw after the
 * list would be read as the list's next "more?". */
static bool delete_run(pry_shrinker_t *s, uint32_t g, const span_t *el, size_t n,
                       size_t k, size_t run)
{
    size_t from = el[k].from, to = el[k + run - 1].to;
    if (!list_full(s, g))
        return try_delete(s, from, to - from);
    pry_choices_t c;
    if (!pry_choices_copy(&c, &s->best))
        return false;
    pry_choice_t stop = {PRY_K_MORE, 0, 0, 1, 0, NULL, 0};
    size_t end = el[n - 1].to - (to - from);
    bool ok = pry_choices_splice(&c, from, to - from, NULL, 0) &&
              pry_choices_splice(&c, end, 0, &stop, 1) && pry_shrink_try(s, &c);
    pry_choices_free(&c);
    return ok;
}

/* Delete runs of 1 to 3 adjacent list elements, from the end (later
 * draws depend on earlier ones, so the end is cheaper to change). */
bool pry_pass_delete_elements(pry_shrinker_t *s)
{
    bool progress = false;
    for (size_t run = 1; run <= 3; run++) {
        for (uint32_t g = s->n_entries; g-- > 0 && !s->out_of_time;) {
            if (g >= s->n_entries || !is_list(&s->entries[g]))
                continue;
            span_t el[256];
            size_t n = list_elements(s, g, el, 256);
            for (size_t k = n; k-- > 0 && k + run <= n && !s->out_of_time;) {
                if (delete_run(s, g, el, n, k, run)) {
                    progress = true;
                    break; /* the spans moved: read them again next round */
                }
            }
        }
    }
    return progress;
}

/* Delete blocks of k adjacent choices, k = 8 down to 1, from the end:
 * whatever structure the log does not show (a subtree of a recursive
 * value drawn without groups: ('+', 0, 0) is three choices). Two adjacent choices are how
 * two lists join into one: the first's final "more? no" and the outer
 * "more? yes" in between go, and the elements run on. */
bool pry_pass_delete_blocks(pry_shrinker_t *s)
{
    bool progress = false;
    for (size_t k = 8; k >= 1 && !s->out_of_time; k--) {
        for (size_t at = s->best.n; at-- > 0 && !s->out_of_time;) {
            if (at + k > s->best.n)
                continue;
            if (try_delete(s, at, k))
                progress = true;
        }
    }
    return progress;
}

/* Lower integer choice |j| of |c| one step toward its minimal value. */
static bool lower_one(pry_choices_t *c, size_t j)
{
    pry_choice_t *v = &c->c[j];
    if (!pry_choice_is_int(v) || v->kind == PRY_K_FLOAT || v->kind == PRY_K_DOUBLE)
        return false;
    uint64_t m = pry_choice_minimal(v);
    if (v->value == m)
        return false;
    bool sg = pry_choice_signed(v);
    bool below = sg ? (int64_t)v->value < (int64_t)m : v->value < m;
    v->value = below ? v->value + 1 : v->value - 1;
    return true;
}

static bool countable(const pry_choice_t *c)
{
    return pry_choice_is_int(c) && c->kind != PRY_K_MORE && c->kind != PRY_K_BOOL &&
           c->kind != PRY_K_FLOAT && c->kind != PRY_K_DOUBLE;
}

/* Delete a span and lower one nearby integer by one at the same time: a
 * length drawn before a list (a bind), or an index or count after it,
 * must shrink with it, and neither step fails alone. */
static bool delete_and_lower(pry_shrinker_t *s, span_t sp)
{
    size_t tried = 0;
    for (size_t d = 1; d <= 8 && tried < 6 && !s->out_of_time; d++) {
        for (int side = 0; side < 2; side++) {
            size_t j;
            if (side == 0) {
                if (sp.from < d)
                    continue;
                j = sp.from - d;
            } else {
                j = sp.to - 1 + d;
                if (j >= s->best.n)
                    continue;
            }
            if (!countable(&s->best.c[j]))
                continue;
            pry_choices_t c;
            if (!pry_choices_copy(&c, &s->best))
                return false;
            bool ok = false;
            if (lower_one(&c, j)) {
                tried++;
                ok = pry_choices_splice(&c, sp.from, sp.to - sp.from, NULL, 0) &&
                     pry_shrink_try(s, &c);
            }
            pry_choices_free(&c);
            if (ok)
                return true;
        }
    }
    return false;
}

bool pry_pass_delete_and_lower(pry_shrinker_t *s)
{
    bool progress = false;
    /* List elements first, then single choices (a fixed-length list drawn
     * after its length has no "more?" choices to show its elements). */
    for (uint32_t g = s->n_entries; g-- > 0 && !s->out_of_time;) {
        if (g >= s->n_entries || !is_list(&s->entries[g]))
            continue;
        span_t el[256];
        size_t n = list_elements(s, g, el, 256);
        for (size_t k = n; k-- > 0 && !s->out_of_time;)
            if (delete_and_lower(s, el[k])) {
                progress = true;
                break;
            }
    }
    for (size_t i = s->best.n; i-- > 0 && !s->out_of_time;)
        if (i < s->best.n && countable(&s->best.c[i]) &&
            delete_and_lower(s, (span_t){i, i + 1}))
            progress = true;
    return progress;
}

/* Delete element k of a list and lower by one every integer in the other
 * elements that is above k: values that index the list keep pointing at
 * the same elements (coupling: [0, 0, 3, 2] -> [0, 2, 1] -> [1, 0]). */
bool pry_pass_delete_and_reindex(pry_shrinker_t *s)
{
    bool progress = false;
    for (uint32_t g = 0; g < s->n_entries && !s->out_of_time; g++) {
        if (!is_list(&s->entries[g]))
            continue;
        span_t el[256];
        size_t n = list_elements(s, g, el, 256);
        for (size_t k = 0; k < n && !s->out_of_time; k++) {
            pry_choices_t c;
            if (!pry_choices_copy(&c, &s->best))
                return progress;
            bool any = false;
            for (size_t e = 0; e < n; e++) {
                if (e == k)
                    continue;
                for (size_t j = el[e].from; j < el[e].to; j++) {
                    pry_choice_t *v = &c.c[j];
                    if (countable(v) && !pry_choice_signed(v) && v->value > k &&
                        v->value - 1 >= v->lo) {
                        v->value--;
                        any = true;
                    } else if (countable(v) && pry_choice_signed(v) &&
                               (int64_t)v->value > (int64_t)k &&
                               (int64_t)v->value - 1 >= (int64_t)v->lo) {
                        v->value--;
                        any = true;
                    }
                }
            }
            bool ok = any &&
                      pry_choices_splice(&c, el[k].from, el[k].to - el[k].from, NULL, 0) &&
                      pry_shrink_try(s, &c);
            pry_choices_free(&c);
            if (ok) {
                progress = true;
                n = list_elements(s, g, el, 256);
                k = (size_t)-1;
                if (g >= s->n_entries || !is_list(&s->entries[g]))
                    break;
            }
        }
    }
    return progress;
}

/* Replace a group by one of its descendants drawn by the same generator
 * (same kind of group, same label): a recursive value lifts a subtree,
 * ["\x00"] becomes "\x00". Nearest descendants first, a few per group. */
bool pry_pass_lift(pry_shrinker_t *s)
{
    bool progress = false;
    for (uint32_t g = 0; g < s->n_entries && !s->out_of_time; g++) {
        const pry_entry_t *e = &s->entries[g];
        if (e->kind != PRY_K_GROUP)
            continue;
        uint32_t end = e->end > g ? e->end : g + 1;
        int tried = 0;
        for (uint32_t d = g + 1; d < end && d < s->n_entries && tried < 8 &&
                                 !s->out_of_time; d++) {
            const pry_entry_t *de = &s->entries[d];
            if (de->kind != e->kind || s->label_id[d] != s->label_id[g])
                continue;
            tried++;
            span_t outer = entries_span(s, g, end);
            span_t inner = entries_span(s, d, de->end > d ? de->end : d + 1);
            if (inner.to - inner.from >= outer.to - outer.from)
                continue;
            pry_choice_t *with = s->best.c + inner.from;
            if (try_splice(s, outer.from, outer.to - outer.from, with,
                           inner.to - inner.from)) {
                progress = true;
                break;
            }
        }
    }
    return progress;
}

/* Set every choice of a group (or a blob) to its simplest value. */
bool pry_pass_zero_groups(pry_shrinker_t *s)
{
    bool progress = false;
    for (uint32_t g = 0; g < s->n_entries && !s->out_of_time; g++) {
        const pry_entry_t *e = &s->entries[g];
        if (!PRY_KIND_IS_GROUP(e->kind) && e->kind != PRY_K_BLOB)
            continue;
        span_t sp = entries_span(s, g, e->end > g ? e->end : g + 1);
        if (sp.to <= sp.from)
            continue;
        pry_choices_t c;
        if (!pry_choices_copy(&c, &s->best))
            return progress;
        bool any = false;
        for (size_t j = sp.from; j < sp.to; j++) {
            pry_choice_t *v = &c.c[j];
            if (v->kind == PRY_K_BLOB) {
                any |= v->n_bytes > 0;
                v->n_bytes = 0;
            } else if (v->value != pry_choice_minimal(v)) {
                v->value = pry_choice_minimal(v);
                any = true;
            }
        }
        if (any && pry_shrink_try(s, &c))
            progress = true;
        pry_choices_free(&c);
    }
    return progress;
}

/* ---- reordering: the canonical order is sorted ---- */

static const pry_choices_t *sort_seq;

static int cmp_spans(const void *a, const void *b)
{
    const span_t *x = a, *y = b;
    size_t nx = x->to - x->from, ny = y->to - y->from;
    if (nx != ny)
        return nx < ny ? -1 : 1;
    for (size_t i = 0; i < nx; i++) {
        int c = pry_ckey_cmp(pry_choice_key(&sort_seq->c[x->from + i]),
                             pry_choice_key(&sort_seq->c[y->from + i]));
        if (c != 0)
            return c;
    }
    return 0;
}

/* Move integer choice |c| one step up (|up|) or down within its bounds. */
static bool nudge(pry_choice_t *c, bool up)
{
    if (pry_choice_signed(c)) {
        int64_t v = (int64_t)c->value;
        if (up ? v >= (int64_t)c->hi : v <= (int64_t)c->lo)
            return false;
    } else if (up ? c->value >= c->hi : c->value <= c->lo) {
        return false;
    }
    c->value = up ? c->value + 1 : c->value - 1;
    return true;
}

/* The reordered choices |with| (m of them, for [from, to)) with one of the
 * integers drawn after them moved by one: a value read against the
 * order, like a path's strip count against its components ([a, .., a]
 * with -p1 becomes [a, a, ..] with -p2). After delete_and_lower, which
 * does the same for a deletion. */
static bool try_sorted_nudged(pry_shrinker_t *s, size_t from, size_t to,
                              const pry_choice_t *with, size_t m)
{
    pry_choices_t c;
    if (!pry_choices_copy(&c, &s->best))
        return false;
    bool ok = false;
    if (pry_choices_splice(&c, from, to - from, with, m)) {
        for (size_t j = from + m; j < c.n && j < from + m + 8 && !ok && !s->out_of_time;
             j++) {
            if (!countable(&c.c[j]))
                continue;
            uint64_t was = c.c[j].value;
            for (int up = 0; up < 2 && !ok; up++) {
                if (nudge(&c.c[j], up != 0))
                    ok = pry_shrink_try(s, &c);
                c.c[j].value = was;
            }
        }
    }
    pry_choices_free(&c);
    return ok;
}

/* Put |n| adjacent spans (together [spans[0].from, spans[n-1].to)) in
 * sorted order, smallest first; else so and one later integer moved by
 * one. */
static bool try_sorted(pry_shrinker_t *s, const span_t *spans, size_t n)
{
    if (n < 2)
        return false;
    span_t sorted[256];
    memcpy(sorted, spans, n * sizeof *spans);
    sort_seq = &s->best;
    qsort(sorted, n, sizeof *sorted, cmp_spans);
    if (memcmp(sorted, spans, n * sizeof *spans) == 0)
        return false;
    size_t from = spans[0].from, to = spans[n - 1].to;
    pry_choice_t *with = malloc((to - from + 1) * sizeof *with);
    if (with == NULL)
        return false;
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        for (size_t j = sorted[k].from; j < sorted[k].to; j++)
            with[m++] = s->best.c[j];
    bool ok = try_splice(s, from, to - from, with, m) ||
              try_sorted_nudged(s, from, to, with, m);
    free(with);
    return ok;
}

/* Sort the elements of every list, and runs of sibling groups drawn by
 * the same generator (the lists of a tuple of lists): [-1, 0] becomes
 * [0, -1] and then [0, 1]; ([-1], [], []) becomes ([], [], [-1]). */
bool pry_pass_sort_lists(pry_shrinker_t *s)
{
    bool progress = false;
    for (uint32_t g = 0; g < s->n_entries && !s->out_of_time; g++) {
        const pry_entry_t *e = &s->entries[g];
        if (!PRY_KIND_IS_GROUP(e->kind))
            continue;
        span_t sp[256];
        size_t n = 0;
        if (is_list(e)) {
            n = list_elements(s, g, sp, 256);
            for (size_t k = 1; k < n; k++)
                if (sp[k].from != sp[k - 1].to)
                    n = 0; /* not adjacent: leave it */
        } else {
            /* sibling groups of one kind and label, adjacent */
            uint32_t end = e->end > g ? e->end : g + 1;
            uint32_t first = 0;
            for (uint32_t c = g + 1; c < end && c < s->n_entries && n < 256;) {
                const pry_entry_t *ce = &s->entries[c];
                uint32_t ce_end = ce->end > c ? ce->end : c + 1;
                if (ce->depth != e->depth + 1 || !PRY_KIND_IS_GROUP(ce->kind) ||
                    (n > 0 && (ce->kind != s->entries[first].kind ||
                               s->label_id[c] != s->label_id[first]))) {
                    if (n >= 2)
                        break;
                    n = 0;
                    if (ce->depth == e->depth + 1 && PRY_KIND_IS_GROUP(ce->kind)) {
                        first = c;
                        sp[n++] = entries_span(s, c, ce_end);
                    }
                    c = PRY_KIND_IS_GROUP(ce->kind) ? ce_end : c + 1;
                    continue;
                }
                if (n == 0)
                    first = c;
                sp[n++] = entries_span(s, c, ce_end);
                c = ce_end;
            }
        }
        if (n >= 2 && try_sorted(s, sp, n))
            progress = true;
    }
    return progress;
}

/* ---- blobs ---- */

static bool try_blob(pry_shrinker_t *s, size_t i, size_t at, size_t k)
{
    const pry_choice_t *b = &s->best.c[i];
    if (k == 0 || at + k > b->n_bytes)
        return false;
    pry_choice_t nb = *b;
    nb.n_bytes = b->n_bytes - k;
    nb.bytes = malloc(b->n_bytes + 1);
    if (nb.bytes == NULL)
        return false;
    memcpy(nb.bytes, b->bytes, at);
    memcpy(nb.bytes + at, b->bytes + at + k, b->n_bytes - at - k);
    bool ok = try_splice(s, i, 1, &nb, 1);
    free(nb.bytes);
    return ok;
}

/* Set byte |at| of blob choice |i| to |v|. */
static bool try_blob_byte(pry_shrinker_t *s, size_t i, size_t at, uint8_t v)
{
    pry_choice_t nb = s->best.c[i];
    nb.bytes = malloc(nb.n_bytes + 1);
    if (nb.bytes == NULL)
        return false;
    memcpy(nb.bytes, s->best.c[i].bytes, nb.n_bytes);
    nb.bytes[at] = v;
    bool ok = try_splice(s, i, 1, &nb, 1);
    free(nb.bytes);
    return ok;
}

/* Each byte of a short blob toward 0 (binary search): what is left of a
 * fuzzer's bytes after cutting becomes the simplest bytes that still
 * fail. */
static bool minimise_blob_bytes(pry_shrinker_t *s, size_t i)
{
    bool progress = false;
    for (size_t at = 0; !s->out_of_time; at++) {
        if (i >= s->best.n || s->best.c[i].kind != PRY_K_BLOB ||
            at >= s->best.c[i].n_bytes || s->best.c[i].n_bytes > 64)
            break;
        unsigned hi = s->best.c[i].bytes[at], lo = 0; /* hi fails */
        if (hi == 0)
            continue;
        if (try_blob_byte(s, i, at, 0)) {
            progress = true;
            continue;
        }
        while (hi - lo > 1 && !s->out_of_time) {
            unsigned mid = lo + (hi - lo) / 2;
            if (try_blob_byte(s, i, at, (uint8_t)mid)) {
                hi = mid;
                progress = true;
            } else {
                lo = mid;
            }
            if (i >= s->best.n || s->best.c[i].kind != PRY_K_BLOB ||
                at >= s->best.c[i].n_bytes)
                return progress;
        }
    }
    return progress;
}

/* Blobs hold whatever a fuzzer put there: a seed's whole first frame in
 * front of the one that matters. Shorten from the end (binary search),
 * then cut a leading record of any length (longest first, up to 1 KiB),
 * then cut spans anywhere, halves first, then lower each byte of what is
 * left (up to 64 bytes). */
bool pry_pass_shorten_blobs(pry_shrinker_t *s)
{
    bool progress = false;
    for (size_t i = 0; i < s->best.n && !s->out_of_time; i++) {
        if (s->best.c[i].kind != PRY_K_BLOB || s->best.c[i].n_bytes == 0)
            continue;
        size_t lo = 0, hi = s->best.c[i].n_bytes + 1; /* cutting hi fails to fail */
        while (hi - lo > 1 && !s->out_of_time) {
            size_t k = lo + (hi - lo) / 2;
            size_t n = s->best.c[i].n_bytes;
            if (i < s->best.n && s->best.c[i].kind == PRY_K_BLOB && k <= n &&
                try_blob(s, i, n - k, k)) {
                progress = true;
                lo = 0;
                hi = (i < s->best.n && s->best.c[i].kind == PRY_K_BLOB)
                         ? s->best.c[i].n_bytes + 1 : 0;
                if (hi == 0)
                    break;
            } else {
                hi = k;
            }
        }
        if (i >= s->best.n || s->best.c[i].kind != PRY_K_BLOB)
            continue;
        size_t n = s->best.c[i].n_bytes;
        for (size_t k = n > 1 ? n - 1 : 0; k >= 1 && n <= 1024 && !s->out_of_time; k--)
            if (try_blob(s, i, 0, k)) {
                progress = true;
                break;
            }
        for (size_t k = s->best.c[i].n_bytes / 2; k >= 1 && !s->out_of_time; k /= 2) {
            for (size_t at = 0; i < s->best.n && s->best.c[i].kind == PRY_K_BLOB &&
                                at + k <= s->best.c[i].n_bytes && !s->out_of_time;) {
                if (try_blob(s, i, at, k))
                    progress = true; /* the same place now holds new bytes */
                else
                    at += k;
            }
        }
        progress |= minimise_blob_bytes(s, i);
    }
    return progress;
}

/* ---- swapping: the simpler value first, whatever its label ---- */

/* Is span |b| of the best smaller than span |a| in the shortlex order
 * (compared from their first choice: the one a swap puts first)? */
static bool span_less(const pry_shrinker_t *s, span_t b, span_t a)
{
    size_t nb = b.to - b.from, na = a.to - a.from;
    for (size_t i = 0; i < nb && i < na; i++) {
        const pry_choice_t *x = &s->best.c[b.from + i], *y = &s->best.c[a.from + i];
        int c = pry_ckey_cmp(pry_choice_key(x), pry_choice_key(y));
        if (c == 0 && x->kind == PRY_K_BLOB && y->kind == PRY_K_BLOB)
            c = memcmp(x->bytes, y->bytes, x->n_bytes);
        if (c != 0)
            return c < 0;
    }
    return false;
}

/* Swap group span |a| with the later span |b| (choices between them stay). */
static bool try_swap(pry_shrinker_t *s, span_t a, span_t b)
{
    pry_choice_t *with = malloc((b.to - a.from + 1) * sizeof *with);
    if (with == NULL)
        return false;
    size_t m = 0;
    for (size_t j = b.from; j < b.to; j++)
        with[m++] = s->best.c[j];
    for (size_t j = a.to; j < b.from; j++)
        with[m++] = s->best.c[j];
    for (size_t j = a.from; j < a.to; j++)
        with[m++] = s->best.c[j];
    bool ok = try_splice(s, a.from, m, with, m);
    free(with);
    return ok;
}

/* Swap two sibling groups of the same kind, labels aside, when the later
 * is the simpler: values drawn by one generator under different names (a
 * file "a" and a file "b", a hunk's four line numbers) where the failure
 * needs one of them odd but not which. sort_lists orders runs of one
 * label; this reaches the other draws, at the top level too
 * (a = "\n", b = "" becomes a = "", b = "\n"; a hunk's -H,0 +0,0 becomes
 * -0,0 +H,0). Up to 8 later siblings each. */
bool pry_pass_swap_siblings(pry_shrinker_t *s)
{
    bool progress = false;
    for (uint32_t g = 0; g < s->n_entries && !s->out_of_time; g++) {
        const pry_entry_t *e = &s->entries[g];
        if (!PRY_KIND_IS_GROUP(e->kind) || e->kind == PRY_K_ELEMENT)
            continue;
        uint32_t h = e->end > g ? e->end : g + 1;
        for (int k = 0; k < 8 && h < s->n_entries && !s->out_of_time; k++) {
            const pry_entry_t *f = &s->entries[h];
            if (f->depth < e->depth)
                break; /* past the parent's end */
            uint32_t h_end = PRY_KIND_IS_GROUP(f->kind) && f->end > h ? f->end : h + 1;
            if (f->depth == e->depth && f->kind == e->kind) {
                span_t a = entries_span(s, g, e->end > g ? e->end : g + 1);
                span_t b = entries_span(s, h, h_end);
                if (a.to <= b.from && span_less(s, b, a) && try_swap(s, a, b)) {
                    progress = true;
                    break; /* the spans moved */
                }
            }
            h = h_end;
        }
    }
    return progress;
}
