/*
 * apply.c: apply one file patch to a buffer, the way GNU patch 2.7 does.
 *
 * For each hunk, in order:
 *   1. the pattern is the hunk's old side (new side with reverse);
 *   2. look for it at the header's line plus the offset the previous hunks
 *      needed, then search outward (forward first, like GNU's locate_hunk),
 *      never before the end of what previous hunks changed (hunks do not
 *      overlap and are applied in order);
 *   3. if not found, retry ignoring 1, then 2 context lines at each end
 *      (fuzz; never more than the hunk's context); a hunk with less
 *      leading than trailing context is anchored to the start of the file,
 *      and vice versa to the end, as in GNU;
 *   4. lines are compared byte for byte including whether a newline ends
 *      them, so "\ No newline at end of file" must agree with the file;
 *   5. context lines are copied from the file, not from the patch (they
 *      differ when fuzz ignored them), '+' lines come from the patch.
 * All indices below are 1-based line numbers like GNU's, and every
 * comparison is bounds-checked against the input.
 */
#include "patch_internal.h"

#include <stdlib.h>
#include <string.h>

/* A hunk line seen from the direction we apply in. */
typedef struct vline {
    char kind;  /* ' ', '-' (remove), '+' (add) */
    const char *p;
    size_t len;
    int nl;
} vline;

typedef struct applier {
    const pline *in;   /* input lines */
    long n;            /* their number */
    long last_frozen;  /* input lines already copied or deleted */
    long in_offset;    /* where hunks matched minus where they said */
    long out_offset;   /* lines added minus removed by applied hunks */
    pbuf out;
    int after_nl;      /* output so far ends with a newline (or is empty) */
} applier;

typedef struct hunk_view {
    vline *lines;
    size_t nlines;
    vline *pat;        /* the lines to find: ' ' and '-' */
    long pat_lines;
    long first;        /* 1-based line the pattern starts at, per header */
    long prefix;       /* leading context lines */
    long suffix;       /* trailing context lines */
    long added, removed;
} hunk_view;

static void put_line(applier *a, const char *p, size_t len, int nl)
{
    /* A line lacking its newline that is no longer last gets one back, as
     * GNU's copy_till does. */
    if (!a->after_nl)
        pbuf_putc(&a->out, '\n');
    pbuf_put(&a->out, p, len);
    if (nl)
        pbuf_putc(&a->out, '\n');
    a->after_nl = nl;
}

/* Copy input lines up to and including `last` (clamped to the input). */
static void copy_till(applier *a, long last)
{
    long stop = last < a->n ? last : a->n;
    while (a->last_frozen < stop) {
        const pline *l = &a->in[a->last_frozen++];
        put_line(a, l->p, l->len, l->nl);
    }
    if (a->last_frozen < last)
        a->last_frozen = last;
}

/* Does the pattern, minus pf leading and sf trailing lines, match the
 * input with pattern line 1 at input line `where`? */
static int match(const applier *a, const hunk_view *v, long where, long pf,
                 long sf)
{
    long from = where + pf, to = where + v->pat_lines - sf - 1;
    if (where <= a->last_frozen || from < 1 || (to >= from && to > a->n))
        return 0;
    for (long k = pf; k < v->pat_lines - sf; k++) {
        const pline *l = &a->in[where + k - 1];
        const vline *p = &v->pat[k];
        if (l->len != p->len || l->nl != p->nl ||
            (p->len && memcmp(l->p, p->p, p->len) != 0))
            return 0;
    }
    return 1;
}

/* GNU patch's locate_hunk: 0 if not found, else the line where pattern
 * line 1 goes. Updates in_offset on success. */
static long locate(applier *a, const hunk_view *v, long fuzz)
{
#ifdef PRY_PLANT_PLUS_ANCHOR
    /* the guess from the new side's line: a later hunk's "+" start already
       counts the lines earlier hunks added, so they are counted twice */
    long first_guess = v->first + a->in_offset + a->out_offset;
#else
    long first_guess = v->first + a->in_offset;
#endif
    long context = v->prefix > v->suffix ? v->prefix : v->suffix;
    long pf = fuzz + v->prefix - context;
    long sf = fuzz + v->suffix - context;
    long max_where = a->n - (v->pat_lines - sf) + 1;
    long min_where = a->last_frozen + 1;
    long max_pos = max_where - first_guess;
    long max_neg = first_guess - min_where;
    long offset;

    if (v->pat_lines == 0) /* an empty range matches where it says */
        return first_guess >= min_where ? first_guess : 0;
    if (first_guess <= max_neg) /* never try lines <= 0 */
        max_neg = first_guess - 1;
    if (pf < 0 && v->first <= 1) {
        /* Less context before than after: the hunk is at the start of the
         * file and can only match there. */
        offset = 1 - first_guess;
        if (a->last_frozen <= v->prefix && offset <= max_pos &&
            match(a, v, first_guess + offset, 0, sf)) {
            a->in_offset += offset;
            return first_guess + offset;
        }
        return 0;
    }
    if (pf < 0)
        pf = 0;
    if (sf < 0) {
        /* Less context after than before: only at the end of the file. */
        offset = first_guess - (a->n - v->pat_lines + 1);
        if (offset <= max_neg && match(a, v, first_guess - offset, pf, 0)) {
            a->in_offset -= offset;
            return first_guess - offset;
        }
        return 0;
    }
    long max_off = max_pos > max_neg ? max_pos : max_neg;
    /* Start where a candidate can first be in range: a header line far
     * beyond the end (or before min_where) must not cost a loop over
     * every offset in between, only over the lines that exist. */
    offset = max_pos < 0 ? -max_pos : max_neg < 0 ? -max_neg : 0;
    for (; offset <= max_off; offset++) {
        if (offset <= max_pos && match(a, v, first_guess + offset, pf, sf)) {
            a->in_offset += offset;
            return first_guess + offset;
        }
        if (offset > 0 && offset <= max_neg &&
            match(a, v, first_guess - offset, pf, sf)) {
            a->in_offset -= offset;
            return first_guess - offset;
        }
    }
    return 0;
}

/* Build the view of hunk h in the direction we apply. */
static int view_build(const patch_hunk *h, int reverse, hunk_view *v)
{
    size_t last_old = (size_t)-1, last_new = (size_t)-1;
    int old_nonl = reverse ? h->new_nonl : h->old_nonl;
#ifdef PRY_PLANT_NO_NEWLINE
    int new_nonl = reverse ? h->new_nonl : h->old_nonl; /* the other side's */
#else
    int new_nonl = reverse ? h->old_nonl : h->new_nonl;
#endif
    long start = reverse ? h->new_start : h->old_start;

    memset(v, 0, sizeof *v);
    /* The parser (and the differ) guarantee the body has exactly the
     * header's number of lines on each side, so the pattern is sized from
     * the header. */
    v->pat_lines = reverse ? h->new_count : h->old_count;
    v->nlines = h->nlines;
    v->lines = malloc((h->nlines ? h->nlines : 1) * sizeof *v->lines);
    v->pat = malloc((v->pat_lines > 0 ? (size_t)v->pat_lines : 1) *
                    sizeof *v->pat);
    if (v->lines == NULL || v->pat == NULL)
        return PATCH_ERR_NOMEM;
    for (size_t i = 0; i < h->nlines; i++) {
        char k = h->lines[i].kind;
        if (reverse && k != ' ')
            k = k == '-' ? '+' : '-';
        v->lines[i].kind = k;
        v->lines[i].p = h->lines[i].text;
        v->lines[i].len = h->lines[i].len;
        if (k != '+')
            last_old = i;
        if (k != '-')
            last_new = i;
    }
    size_t k = 0;
    for (size_t i = 0; i < h->nlines; i++) {
        vline *l = &v->lines[i];
        if (l->kind == '+') {
            l->nl = !(i == last_new && new_nonl);
            v->added++;
        } else {
            l->nl = !(i == last_old && old_nonl);
            v->pat[k++] = *l;
            v->removed += l->kind == '-';
        }
    }
    /* An empty range "-S,0" names the line *before* the change, so the
     * (empty) pattern starts at S + 1. */
#ifdef PRY_PLANT_ZERO_RANGE
    v->first = start;
#else
    v->first = v->pat_lines == 0 ? start + 1 : start;
#endif
    while ((size_t)v->prefix < v->nlines && v->lines[v->prefix].kind == ' ')
        v->prefix++;
    while ((size_t)v->suffix < v->nlines &&
           v->lines[v->nlines - 1 - (size_t)v->suffix].kind == ' ')
        v->suffix++;
    return PATCH_OK;
}

static void apply_at(applier *a, const hunk_view *v, long where)
{
    long k = 0; /* pattern lines passed */
    for (size_t i = 0; i < v->nlines; i++) {
        const vline *l = &v->lines[i];
        if (l->kind == ' ') {
            k++; /* copied from the file by the next copy_till */
        } else if (l->kind == '-') {
            copy_till(a, where - 1 + k);
            a->last_frozen++;
            k++;
        } else {
            copy_till(a, where - 1 + k);
            put_line(a, l->p, l->len, l->nl);
        }
    }
}

int patch_file_apply(const patch_file *file, const char *in, size_t in_len,
                     const patch_apply_options *opts, char **out,
                     size_t *out_len, patch_hunk_report *reports)
{
    applier a;
    pline *lines = NULL;
    size_t n = 0;
    int reverse = opts ? opts->reverse : 0;
    long maxfuzz = (opts && opts->max_fuzz >= 0) ? opts->max_fuzz : 2;
    int failed = 0, rc;

    if (file == NULL || out == NULL || (in == NULL && in_len))
        return PATCH_ERR_INVAL;
    *out = NULL;
    if (out_len)
        *out_len = 0;
    if ((rc = pline_split(in, in_len, &lines, &n)) != PATCH_OK)
        return rc;
    memset(&a, 0, sizeof a);
    a.in = lines;
    a.n = (long)n;
    a.after_nl = 1;

    for (size_t hi = 0; hi < file->nhunks; hi++) {
        hunk_view v;
        patch_hunk_report r = {PATCH_HUNK_FAILED, 0, 0, 0};
#ifdef PRY_PLANT_OFFSET_RESET
        a.in_offset = 0; /* each hunk from its header's line alone */
#endif
        rc = view_build(&file->hunks[hi], reverse, &v);
        if (rc != PATCH_OK) {
            free(v.lines);
            free(v.pat);
            free(lines);
            free(a.out.data);
            return rc;
        }
        long context = v.prefix > v.suffix ? v.prefix : v.suffix;
        long mymaxfuzz = maxfuzz < context ? maxfuzz : context;
        long fuzz = 0, where;
        do {
            where = locate(&a, &v, fuzz);
        } while (where == 0 && ++fuzz <= mymaxfuzz);
        if (where == 0) {
            failed = 1;
            r.line = v.first + a.out_offset;
        } else {
            r.line = where + a.out_offset;
            r.offset = a.in_offset;
            r.fuzz = (int)fuzz;
            r.status = fuzz ? PATCH_HUNK_FUZZ
                       : a.in_offset ? PATCH_HUNK_OFFSET : PATCH_HUNK_APPLIED;
            apply_at(&a, &v, where);
            a.out_offset += v.added - v.removed;
        }
        if (reports)
            reports[hi] = r;
        free(v.lines);
        free(v.pat);
    }
    copy_till(&a, a.n);
    free(lines);
    if ((rc = pbuf_finish(&a.out, out, out_len)) != PATCH_OK)
        return rc;
    return failed ? PATCH_ERR_FAILED : PATCH_OK;
}
