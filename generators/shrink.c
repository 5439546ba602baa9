/*
 * shrink.c: integrated shrinking on the typed choice sequence (the core:
 * the sequence, its order, and running a candidate; the passes are in
 * shrink_passes.c, shrink_values.c and shrink_alternatives.c).
 *
 * Every candidate is a list of values, replayed in a child (exec.c, so
 * crashes, sanitizer aborts and hangs shrink too), and kept only if it
 * fails the same way (same check site, or same crash kind at the same
 * frame: pry_same_failure) and is smaller in a well-founded order,
 * Hypothesis's shortlex order on choices: fewer choices first (a blob
 * counts its length and one per byte), then choice by choice closer to
 * the simplest. So shrinking always terminates, never slips from one bug
 * to another, and the result does not depend on the byte encoding: the
 * same minimum comes out whatever the starting point.
 *
 * The passes follow Hypothesis's shrinker (internal/conjecture/shrinker.py),
 * on the spans the log gives, repeated until a whole round changes
 * nothing or the budget runs out.
 */
#include "record.h"
#include "shrink_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bool pry_choice_is_int(const pry_choice_t *c)
{
    return c->kind != PRY_K_BLOB;
}

bool pry_choice_signed(const pry_choice_t *c)
{
    return (c->flags & PRY_F_SIGNED) != 0;
}

uint64_t pry_choice_minimal(const pry_choice_t *c)
{
    bool sg = pry_choice_signed(c);
    if (sg && (int64_t)c->hi < 0)
        return c->hi;
    if (sg && (int64_t)c->lo < 0)
        return 0;
    return c->lo;
}

/* Floats: simple numbers first, as Hypothesis orders them: integers by
 * magnitude, then fractions by how many binary digits follow the point
 * (0.5 before 0.25 before 0.1), then infinities, then NaN; a negative
 * number just after its positive mirror. A subnormal has over a thousand
 * digits after the point, so it comes after every normal fraction. */
static pry_ckey_t float_key(double d)
{
    pry_ckey_t k = {{0, 0, 0}};
    uint64_t neg = signbit(d) ? 1 : 0;
    double a = fabs(d);
    if (isnan(d)) {
        k.k[0] = 1u << 16 | 1;
        return k;
    }
    if (isinf(d)) {
        k.k[0] = 1u << 16;
        k.k[1] = neg;
        return k;
    }
    if (a == floor(a) && a < 9007199254740992.0) { /* an integer below 2^53 */
        k.k[0] = 0;
        k.k[1] = (uint64_t)a;
        k.k[2] = neg;
        return k;
    }
    int e;
    double m = frexp(a, &e); /* a = m * 2^e, 0.5 <= m < 1 */
    int digits = 0;          /* binary digits after the point */
    double f = a - floor(a);
    while (f != 0 && digits < 1100) {
        f = f * 2 - floor(f * 2);
        digits++;
    }
    (void)m;
    uint64_t bits;
    memcpy(&bits, &a, sizeof bits);
    k.k[0] = 1 + (uint64_t)digits;
    k.k[1] = bits;
    k.k[2] = neg;
    return k;
}

double pry_choice_double(const pry_choice_t *c)
{
    if (c->kind == PRY_K_FLOAT) {
        uint32_t b = (uint32_t)c->value;
        float f;
        memcpy(&f, &b, sizeof f);
        return f;
    }
    double d;
    memcpy(&d, &c->value, sizeof d);
    return d;
}

pry_ckey_t pry_choice_key(const pry_choice_t *c)
{
    pry_ckey_t k = {{0, 0, 0}};
    if (c->kind == PRY_K_BLOB) {
        k.k[0] = c->n_bytes;
        return k;
    }
    if (c->kind == PRY_K_FLOAT || c->kind == PRY_K_DOUBLE)
        return float_key(pry_choice_double(c));
    bool sg = pry_choice_signed(c);
    if (sg && (int64_t)c->hi < 0) {
        k.k[0] = c->hi - c->value;
    } else if (sg && (int64_t)c->lo < 0) {
        int64_t v = (int64_t)c->value;
        k.k[0] = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        k.k[1] = v < 0;
    } else {
        k.k[0] = c->value - c->lo;
    }
    return k;
}

int pry_ckey_cmp(pry_ckey_t a, pry_ckey_t b)
{
    for (int i = 0; i < 3; i++)
        if (a.k[i] != b.k[i])
            return a.k[i] < b.k[i] ? -1 : 1;
    return 0;
}

/* ---- sequences ---- */

void pry_choices_free(pry_choices_t *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->c[i].bytes);
    free(s->c);
    s->c = NULL;
    s->n = 0;
}

static bool copy_choice(pry_choice_t *dst, const pry_choice_t *src)
{
    *dst = *src;
    dst->bytes = NULL;
    if (src->kind == PRY_K_BLOB) {
        dst->bytes = malloc(src->n_bytes + 1);
        if (dst->bytes == NULL)
            return false;
        if (src->n_bytes > 0)
            memcpy(dst->bytes, src->bytes, src->n_bytes);
    }
    return true;
}

bool pry_choices_splice(pry_choices_t *s, size_t at, size_t n,
                        const pry_choice_t *with, size_t m)
{
    if (at > s->n)
        at = s->n;
    if (at + n > s->n)
        n = s->n - at;
    pry_choice_t *c = malloc((s->n - n + m + 1) * sizeof *c);
    if (c == NULL)
        return false;
    for (size_t i = 0; i < m; i++) {
        if (!copy_choice(&c[at + i], &with[i])) {
            while (i-- > 0)
                free(c[at + i].bytes);
            free(c);
            return false;
        }
    }
    for (size_t i = at; i < at + n; i++)
        free(s->c[i].bytes);
    if (at > 0)
        memcpy(c, s->c, at * sizeof *c);
    if (s->n > at + n)
        memcpy(c + at + m, s->c + at + n, (s->n - at - n) * sizeof *c);
    free(s->c);
    s->c = c;
    s->n = s->n - n + m;
    return true;
}

bool pry_choices_copy(pry_choices_t *dst, const pry_choices_t *src)
{
    dst->c = NULL;
    dst->n = 0;
    return pry_choices_splice(dst, 0, 0, src->c, src->n);
}

/* The choice sequence of the run in |log|: its draws in order (groups are
 * structure; a blob's length is implied by its bytes, as in a record),
 * all of them: the trailing simplest choices count in the order too, or
 * [1, 0] (its final 0 and "more? no" trimmed) would beat [0, 1]. |first| (n_entries + 1, may be NULL) gets each entry's first
 * choice. */
static bool choices_of_log(const pry_log_t *log, pry_choices_t *out,
                           uint32_t *first)
{
    out->c = malloc((log->n_entries + 1) * sizeof *out->c);
    out->n = 0;
    if (out->c == NULL)
        return false;
    for (uint32_t i = 0; i < log->n_entries; i++) {
        const pry_entry_t *e = &log->entries[i];
        if (first != NULL)
            first[i] = (uint32_t)out->n;
        if (PRY_KIND_IS_GROUP(e->kind) || e->kind == PRY_K_LEN)
            continue;
        pry_choice_t *c = &out->c[out->n];
        memset(c, 0, sizeof *c);
        c->kind = e->kind;
        c->flags = e->flags & PRY_F_SIGNED;
        c->lo = e->lo;
        c->hi = e->hi;
        c->value = e->value;
        if (e->kind == PRY_K_BLOB) {
            size_t from, to;
            pry_record_blob_data(log, i, &from, &to);
            c->n_bytes = to - from;
            c->bytes = malloc(c->n_bytes + 1);
            if (c->bytes == NULL) {
                pry_choices_free(out);
                return false;
            }
            memcpy(c->bytes, log->input + from, c->n_bytes);
        }
        out->n++;
    }
    if (first != NULL)
        first[log->n_entries] = (uint32_t)out->n;
    return true;
}

/* How many choices, a blob counted as the choice source draws it: its
 * length and one per byte. (The length counts: a blob of frame bytes and
 * the same frame drawn field by field would otherwise tie, and the tie
 * would go to whichever branch the property lists first, which from a raw
 * frame no pass can reach: shrink_alternatives.c.) */
static size_t weight(const pry_choices_t *s)
{
    size_t w = 0;
    for (size_t i = 0; i < s->n; i++)
        w += s->c[i].kind == PRY_K_BLOB ? 2 + s->c[i].n_bytes : 1;
    return w;
}

/* Hypothesis's shortlex order: -1 if a < b. */
static int compare(const pry_choices_t *a, const pry_choices_t *b)
{
    size_t wa = weight(a), wb = weight(b);
    if (wa != wb)
        return wa < wb ? -1 : 1;
    size_t n = a->n < b->n ? a->n : b->n;
    for (size_t i = 0; i < n; i++) {
        int c = pry_ckey_cmp(pry_choice_key(&a->c[i]), pry_choice_key(&b->c[i]));
        if (c != 0)
            return c;
        if (a->c[i].kind == PRY_K_BLOB && b->c[i].kind == PRY_K_BLOB) {
            c = memcmp(a->c[i].bytes, b->c[i].bytes, a->c[i].n_bytes);
            if (c != 0)
                return c < 0 ? -1 : 1;
        }
    }
    return a->n < b->n ? -1 : a->n > b->n;
}

static bool same_sequence(const pry_choices_t *a, const pry_choices_t *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++) {
        const pry_choice_t *x = &a->c[i], *y = &b->c[i];
        if (x->value != y->value || x->kind != y->kind || x->n_bytes != y->n_bytes)
            return false;
        if (x->kind == PRY_K_BLOB && memcmp(x->bytes, y->bytes, x->n_bytes) != 0)
            return false;
    }
    return true;
}

/* How far trailing zero bytes may be trimmed from the canonical bytes of
 * the run in |log|: zeros read by integer draws read the same as no bytes
 * at all, but a blob takes only the bytes that are there (pry_draw_blob),
 * so its data must stay whole. */
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

/* The length of the run's canonical bytes: what the draws consumed,
 * without trailing zeros. */
static size_t canonical_len(const pry_log_t *log)
{
    size_t used = log->input_len < log->consumed ? log->input_len : log->consumed;
    size_t floor = trim_floor(log);
    while (used > floor && log->input[used - 1] == 0)
        used--;
    return used;
}

/* Make the run in x->log the best: its choices, entries and bytes. */
static bool adopt(pry_shrinker_t *s)
{
    const pry_log_t *log = s->x->log;
    uint32_t *first = malloc((log->n_entries + 1) * sizeof *first);
    pry_entry_t *entries = malloc((log->n_entries + 1) * sizeof *entries);
    pry_choices_t c;
    size_t used = log->input_len < log->consumed ? log->input_len : log->consumed;
    uint8_t *input = malloc(used + 1);
    uint64_t *labels = malloc((log->n_entries + 1) * sizeof *labels);
    if (first == NULL || entries == NULL || input == NULL || labels == NULL ||
        !choices_of_log(log, &c, first)) {
        free(first);
        free(entries);
        free(input);
        free(labels);
        return false;
    }
    memcpy(entries, log->entries, log->n_entries * sizeof *entries);
    /* Labels live in the log's pool, which the next run overwrites. */
    for (uint32_t i = 0; i < log->n_entries; i++) {
        const char *l = pry_pool_str(log, entries[i].label);
        labels[i] = l != NULL ? pry_hash64(l, strlen(l)) | 1 : 0;
    }
    memcpy(input, log->input, used);
    used = canonical_len(log);
    pry_choices_free(&s->best);
    free(s->entries);
    free(s->first_choice);
    free(s->input);
    free(s->label_id);
    s->label_id = labels;
    s->best = c;
    s->entries = entries;
    s->n_entries = log->n_entries;
    s->first_choice = first;
    s->input = input;
    s->len = used;
    return true;
}

void pry_entry_choices(const pry_shrinker_t *s, uint32_t e, size_t *from,
                       size_t *to)
{
    const pry_entry_t *en = &s->entries[e];
    uint32_t end = PRY_KIND_IS_GROUP(en->kind) || en->kind == PRY_K_BLOB
                       ? (en->end > e ? en->end : e + 1)
                       : e + 1;
    if (end > s->n_entries)
        end = s->n_entries;
    *from = s->first_choice[e];
    *to = s->first_choice[end];
    if (*to > s->best.n)
        *to = s->best.n;
    if (*from > *to)
        *from = *to;
}

bool pry_shrink_try(pry_shrinker_t *s, const pry_choices_t *cand)
{
    s->last_same = false;
    if (s->out_of_time)
        return false;
    if (pry_now() > s->deadline || pry_interrupted) {
        s->out_of_time = true;
        return false;
    }
    if (same_sequence(cand, &s->best))
        return false;
    pry_value_t *v = malloc((cand->n + 1) * sizeof *v);
    if (v == NULL)
        return false;
    for (size_t i = 0; i < cand->n; i++) {
        const pry_choice_t *c = &cand->c[i];
        v[i] = (pry_value_t){c->kind, c->flags, c->lo, c->hi, c->value,
                             c->bytes, c->n_bytes};
    }
    s->tries++;
    pry_result_t r;
    int rc = pry_exec_values(s->x, s->fd->prop, v, cand->n, &r);
    free(v);
    if (rc != 0) {
        s->out_of_time = true;
        return false;
    }
    bool same = pry_same_failure(&r, &s->fd->result);
    s->last_same = same;
    pry_out_free(&r.err);
    if (getenv("PRY_SHRINK_DEBUG")) {
        fprintf(stderr, "try %s:", same ? "FAIL" : "pass");
        for (size_t i = 0; i < cand->n; i++)
            fprintf(stderr, " %lld", (long long)cand->c[i].value);
        fprintf(stderr, "\n");
    }
    if (!same)
        return false;
    pry_choices_t got;
    if (!choices_of_log(s->x->log, &got, NULL))
        return false;
    /* Equal sequences: fewer bytes decide. A generator may record the
     * value it used rather than the one it drew (pry_weighted skips to an
     * allowed alternative), so the same choices can come from simpler
     * bytes. */
    int c = compare(&got, &s->best);
    bool better = c < 0 || (c == 0 && canonical_len(s->x->log) < s->len);
    pry_choices_free(&got);
    if (!better || !adopt(s))
        return false;
    s->steps++;
    return true;
}

bool pry_shrink_reshaped(const pry_shrinker_t *s, size_t n)
{
    const pry_log_t *log = s->x->log;
    if (log->adapted > 0)
        return true;
    size_t drawn = 0;
    for (uint32_t i = 0; i < log->n_entries; i++)
        if (!PRY_KIND_IS_GROUP(log->entries[i].kind) && log->entries[i].kind != PRY_K_LEN)
            drawn++;
    return drawn != n;
}

bool pry_shrink_last_choices(const pry_shrinker_t *s, pry_choices_t *out)
{
    return choices_of_log(s->x->log, out, NULL);
}

bool pry_shrink_try_value(pry_shrinker_t *s, size_t i, uint64_t v)
{
    if (i >= s->best.n)
        return false;
    pry_choices_t c;
    if (!pry_choices_copy(&c, &s->best))
        return false;
    c.c[i].value = v;
    bool ok = pry_shrink_try(s, &c);
    pry_choices_free(&c);
    return ok;
}

static void shrinker_free(pry_shrinker_t *s)
{
    pry_choices_free(&s->best);
    pry_choices_free(&s->detour);
    free(s->entries);
    free(s->first_choice);
    free(s->input);
    free(s->label_id);
}

/* The passes of a round, in order (docs/shrinking.md). */
static bool (*const PASSES[])(pry_shrinker_t *) = {
    pry_pass_delete_elements,
    pry_pass_delete_blocks,
    pry_pass_lift,
    pry_pass_zero_groups,
    pry_pass_delete_and_lower,
    pry_pass_delete_and_reindex,
    pry_pass_minimise,
    pry_pass_duplicates,
    pry_pass_shorten_blobs,
    pry_pass_lower_pairs,
    pry_pass_redistribute,
    pry_pass_sort_lists,
    pry_pass_swap_siblings,
};

/* Every pass, round after round, until a round changes nothing or the
 * budget runs out. */
static void run_passes(pry_shrinker_t *s)
{
    for (;;) {
        bool progress = false;
        for (size_t k = 0; k < sizeof PASSES / sizeof PASSES[0]; k++)
            progress |= PASSES[k](s);
        if (!progress || s->out_of_time)
            break;
    }
}

/* Run |c| and make it the best if it fails the same way, smaller or not. */
static bool restart(pry_shrinker_t *s, const pry_choices_t *c)
{
    pry_value_t *v = malloc((c->n + 1) * sizeof *v);
    if (v == NULL)
        return false;
    for (size_t i = 0; i < c->n; i++)
        v[i] = (pry_value_t){c->c[i].kind, c->c[i].flags, c->c[i].lo, c->c[i].hi,
                             c->c[i].value, c->c[i].bytes, c->c[i].n_bytes};
    pry_result_t r;
    int rc = pry_exec_values(s->x, s->fd->prop, v, c->n, &r);
    free(v);
    if (rc != 0)
        return false;
    bool same = pry_same_failure(&r, &s->fd->result);
    pry_out_free(&r.err);
    return same && adopt(s);
}

/* A redraw of another branch that failed the same way but was larger
 * than the start (a fuzzer's short blob against a few random frames):
 * shrink it on its own too and keep the smaller of the two minima. It
 * costs a second shrink only where the alternatives pass found such a
 * branch and could not take it. */
static void take_detour(pry_shrinker_t *s)
{
    pry_choices_t first;
    if (!pry_choices_copy(&first, &s->best))
        return;
    if (restart(s, &s->detour)) {
        run_passes(s);
        if (compare(&first, &s->best) < 0 && !restart(s, &first))
            fprintf(stderr, "pry: shrink: the first minimum did not fail again\n");
    }
    pry_choices_free(&first);
}

void pry_shrink(pry_exec_t *x, pry_finding_t *fd, double budget, bool verbose)
{
    pry_shrinker_t s;
    memset(&s, 0, sizeof s);
    s.x = x;
    s.fd = fd;
    double start = pry_now();
    s.deadline = start + (budget > 0 ? budget : 10);
    /* The starting point, run from its bytes (a fuzzer's finding has no
     * values yet): its log gives the choice sequence. */
    pry_result_t r;
    double t0 = pry_now();
    if (pry_exec_bytes(x, fd->prop, fd->input, fd->len, &r) != 0)
        return;
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
    if (!same || !adopt(&s)) {
        if (verbose && !same)
            fprintf(stderr, "pry: shrink: the failure did not repeat; not shrinking\n");
        x->timeout = saved_timeout;
        shrinker_free(&s);
        return;
    }
    /* The canonical bytes of the start: trailing zeros and unread bytes
     * dropped, as every later candidate's are. */
    bool start_canonical = s.len < fd->len;
    /* Hundreds of small runs: one long-lived child for all of them,
     * restarted after a crash or a hang (exec_server.c). PRY_SHRINK_FORK=1
     * forks a child per try instead: the baseline bench/challenge.py
     * measures the long-lived child against. */
    const char *fork_each = getenv("PRY_SHRINK_FORK");
    x->persistent = fork_each == NULL || strcmp(fork_each, "1") != 0;
    /* Once, on the starting point, as Hypothesis's initial coarse
     * reduction: the other branches of each one_of, redrawn. */
    pry_pass_alternatives(&s);
    run_passes(&s);
    /* A branch the alternatives pass reached only above the start. */
    if (s.detour.n > 0 && !s.out_of_time)
        take_detour(&s);
    x->persistent = false;
    pry_server_stop(x);
    x->timeout = saved_timeout;
    bool changed = s.steps > 0 || start_canonical;
    /* Check the result once more from its bytes, with the full timeout: a
     * shrinker bug must never turn a finding into a passing input in the
     * report. */
    if (changed) {
        pry_result_t check;
        if (pry_exec_bytes(x, fd->prop, s.input, s.len, &check) == 0) {
            if (!pry_same_failure(&check, &fd->result)) {
                fprintf(stderr, "pry: shrink: the shrunk input does not fail "
                                "the same way (a pry bug); keeping the original\n");
                changed = false;
                s.steps = 0;
            }
            pry_out_free(&check.err);
        }
    }
    fd->shrink_steps = s.steps;
    fd->shrink_tries = s.tries ? s.tries : 1;
    fd->shrink_seconds = pry_now() - start;
    size_t from = fd->len;
    if (changed) {
        /* Shortlex on choices may take more bytes than the start (a wider
         * draw): make room. */
        uint8_t *in = s.len > fd->len ? realloc(fd->input, s.len) : fd->input;
        if (in != NULL) {
            fd->input = in;
            memcpy(fd->input, s.input, s.len);
            fd->len = s.len;
        }
    }
    if (verbose)
        fprintf(stderr, "pry: shrunk %zu -> %zu bytes in %.2f s (%u steps, %u tries%s)\n",
                from, fd->len, fd->shrink_seconds, s.steps, s.tries,
                s.out_of_time ? ", budget reached" : "");
    shrinker_free(&s);
}
