/*
 * diff.c: two buffers -> one unified file patch.
 *
 * Myers' O(ND) algorithm in its linear-space form: find the middle snake
 * of the edit graph by running the greedy search from both corners, split
 * there and recurse (E. Myers, "An O(ND) Difference Algorithm and Its
 * Variations", Algorithmica 1986, section 4b; the loop structure follows
 * libxdiff's xdl_split without its cost heuristics, so the result is a
 * minimal edit script). Lines are equal when their bytes *and* their
 * trailing newline agree, which is exactly what makes the
 * "\ No newline at end of file" markers come out right.
 *
 * Hunks: `context` lines around each change (3 by default, like diff -u);
 * changes separated by at most 2*context equal lines share a hunk, since
 * their contexts would touch or overlap (GNU diff does the same).
 */
#include "patch_internal.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct dline {
    const char *p;
    size_t len;
    int nl;
    uint64_t hash;
} dline;

typedef struct differ {
    const dline *a, *b;
    char *ca, *cb;  /* changed flags per line */
    long *kf, *kb;  /* furthest x per diagonal, forward and backward */
} differ;

static uint64_t hash_line(const char *p, size_t n, int nl)
{
    const uint64_t prime = (uint64_t)1099511628211u; /* FNV-1a */
    uint64_t h = (uint64_t)14695981039346656037u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint64_t)(unsigned char)p[i]) * prime;
    return (h ^ (uint64_t)(nl != 0)) * prime;
}

static int eq(const differ *d, long i, long j)
{
    const dline *x = &d->a[i], *y = &d->b[j];
    return x->hash == y->hash && x->len == y->len && x->nl == y->nl &&
           (x->len == 0 || memcmp(x->p, y->p, x->len) == 0);
}

/* Middle snake of a[a0..a1) x b[b0..b1) (both non-empty, no common prefix
 * or suffix): *sx, *sy is a point on an optimal path strictly inside. */
static void split(differ *d, long a0, long a1, long b0, long b1, long *sx,
                  long *sy)
{
    long *kf = d->kf, *kb = d->kb;
    long dmin = a0 - b1, dmax = a1 - b0;
    long fmid = a0 - b0, bmid = a1 - b1;
    long fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
    int odd = ((fmid - bmid) & 1) != 0;
    long k, x, y;

    kf[fmid] = a0;
    kb[bmid] = a1;
    for (;;) {
        if (fmin > dmin)
            kf[--fmin - 1] = -1;
        else
            ++fmin;
        if (fmax < dmax)
            kf[++fmax + 1] = -1;
        else
            --fmax;
        for (k = fmax; k >= fmin; k -= 2) {
            x = kf[k - 1] >= kf[k + 1] ? kf[k - 1] + 1 : kf[k + 1];
            y = x - k;
            while (x < a1 && y < b1 && eq(d, x, y))
                x++, y++;
            kf[k] = x;
            if (odd && bmin <= k && k <= bmax && kb[k] <= x) {
                *sx = x;
                *sy = y;
                return;
            }
        }
        if (bmin > dmin)
            kb[--bmin - 1] = LONG_MAX;
        else
            ++bmin;
        if (bmax < dmax)
            kb[++bmax + 1] = LONG_MAX;
        else
            --bmax;
        for (k = bmax; k >= bmin; k -= 2) {
            x = kb[k - 1] < kb[k + 1] ? kb[k - 1] : kb[k + 1] - 1;
            y = x - k;
            while (x > a0 && y > b0 && eq(d, x - 1, y - 1))
                x--, y--;
            kb[k] = x;
            if (!odd && fmin <= k && k <= fmax && x <= kf[k]) {
                *sx = x;
                *sy = y;
                return;
            }
        }
    }
}

static void compare(differ *d, long a0, long a1, long b0, long b1)
{
    for (;;) {
        while (a0 < a1 && b0 < b1 && eq(d, a0, b0))
            a0++, b0++;
        while (a0 < a1 && b0 < b1 && eq(d, a1 - 1, b1 - 1))
            a1--, b1--;
        if (a0 == a1) {
            if (b1 > b0)
                memset(d->cb + b0, 1, (size_t)(b1 - b0));
            return;
        }
        if (b0 == b1) {
            memset(d->ca + a0, 1, (size_t)(a1 - a0));
            return;
        }
        long sx, sy;
        split(d, a0, a1, b0, b1, &sx, &sy);
        /* Recurse on the smaller half, loop on the other: bounded stack. */
        if ((sx - a0) + (sy - b0) < (a1 - sx) + (b1 - sy)) {
            compare(d, a0, sx, b0, sy);
            a0 = sx;
            b0 = sy;
        } else {
            compare(d, sx, a1, sy, b1);
            a1 = sx;
            b1 = sy;
        }
    }
}

static int to_dlines(const char *t, size_t n, dline **out, long *count)
{
    pline *pl;
    size_t k;
    int rc = pline_split(t, n, &pl, &k);
    if (rc != PATCH_OK)
        return rc;
    dline *v = malloc((k ? k : 1) * sizeof *v);
    if (v == NULL) {
        free(pl);
        return PATCH_ERR_NOMEM;
    }
    for (size_t i = 0; i < k; i++) {
        v[i].p = pl[i].p;
        v[i].len = pl[i].len;
        v[i].nl = pl[i].nl;
        v[i].hash = hash_line(pl[i].p, pl[i].len, pl[i].nl);
    }
    free(pl);
    *out = v;
    *count = (long)k;
    return PATCH_OK;
}

static int hunk_add(patch_hunk *h, char kind, const dline *l)
{
    patch_line *pl = &h->lines[h->nlines];
    pl->text = malloc(l->len + 1);
    if (pl->text == NULL)
        return PATCH_ERR_NOMEM;
    if (l->len)
        memcpy(pl->text, l->p, l->len);
    pl->text[l->len] = '\0';
    pl->len = l->len;
    pl->kind = kind;
    h->nlines++;
    return PATCH_OK;
}

/* Make the hunk covering a[i0..i1) / b[j0..j1) (already including its
 * context), taking change marks from d. */
static int make_hunk(const differ *d, long na, long nb, long i0, long i1,
                     long j0, long j1, patch_hunk *h)
{
    long i = i0, j = j0;
    memset(h, 0, sizeof *h);
    h->lines = malloc((size_t)((i1 - i0) + (j1 - j0) + 1) * sizeof *h->lines);
    if (h->lines == NULL)
        return PATCH_ERR_NOMEM;
    while (i < i1 || j < j1) {
        int rc;
        if (i < i1 && d->ca[i])
            rc = hunk_add(h, '-', &d->a[i++]);
        else if (j < j1 && d->cb[j])
            rc = hunk_add(h, '+', &d->b[j++]);
        else
            rc = (j++, hunk_add(h, ' ', &d->a[i++]));
        if (rc != PATCH_OK)
            return rc;
    }
    h->old_count = i1 - i0;
    h->new_count = j1 - j0;
    /* "-S,0" names the line before an empty range. */
    h->old_start = h->old_count ? i0 + 1 : i0;
    h->new_start = h->new_count ? j0 + 1 : j0;
    h->old_nonl = i1 == na && na > 0 && i1 > i0 && !d->a[na - 1].nl;
    h->new_nonl = j1 == nb && nb > 0 && j1 > j0 && !d->b[nb - 1].nl;
    return PATCH_OK;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s);
    char *c = malloc(n + 1);
    if (c)
        memcpy(c, s, n + 1);
    return c;
}

static int build_hunks(const differ *d, long na, long nb, long ctx,
                       patch_file *f)
{
    long i = 0, j = 0;
    size_t cap = 0;
    while (i < na || j < nb) {
        /* Skip equal lines to the next change. */
        while (i < na && j < nb && !d->ca[i] && !d->cb[j])
            i++, j++;
        if (i >= na && j >= nb)
            break;
        long lead = i < ctx ? i : ctx;
        long i0 = i - lead, j0 = j - lead;
        /* Extend over changes and short equal gaps. */
        long ie = i, je = j;
        for (;;) {
            while ((ie < na && d->ca[ie]) || (je < nb && d->cb[je])) {
                if (ie < na && d->ca[ie])
                    ie++;
                else
                    je++;
            }
            long gap = 0;
            while (ie + gap < na && je + gap < nb && !d->ca[ie + gap] &&
                   !d->cb[je + gap])
                gap++;
            int more = (ie + gap < na) || (je + gap < nb);
            if (more && gap <= 2 * ctx) {
                ie += gap;
                je += gap;
                continue;
            }
            long trail = gap < ctx ? gap : ctx;
            i = ie + trail; /* hunk end; the rest of the gap is skipped */
            j = je + trail;
            break;
        }
        if (f->nhunks == cap) {
            size_t nc = cap ? cap * 2 : 4;
            patch_hunk *v = realloc(f->hunks, nc * sizeof *v);
            if (v == NULL)
                return PATCH_ERR_NOMEM;
            f->hunks = v;
            cap = nc;
        }
        int rc = make_hunk(d, na, nb, i0, i, j0, j, &f->hunks[f->nhunks]);
        f->nhunks++; /* counted even on failure so it gets freed */
        if (rc != PATCH_OK)
            return rc;
    }
    return PATCH_OK;
}

int patch_diff(const char *a, size_t a_len, const char *b, size_t b_len,
               const patch_diff_options *opts, patch_file **out)
{
    const char *on = opts ? opts->old_name : "a";
    const char *nn = opts ? opts->new_name : "b";
    long ctx = (opts && opts->context >= 0) ? opts->context : 3;
    differ d;
    dline *la = NULL, *lb = NULL;
    long na = 0, nb = 0;
    int rc;

    if (out == NULL || (a == NULL && a_len) || (b == NULL && b_len))
        return PATCH_ERR_INVAL;
    *out = NULL;
    if ((on == NULL && a_len) || (nn == NULL && b_len) ||
        (on == NULL && nn == NULL) || ctx > PATCH_NUM_MAX)
        return PATCH_ERR_INVAL;
    patch_file *f = calloc(1, sizeof *f);
    if (f == NULL)
        return PATCH_ERR_NOMEM;
    f->similarity = -1;
    if ((on && (f->old_name = dup_str(on)) == NULL) ||
        (nn && (f->new_name = dup_str(nn)) == NULL)) {
        patch_file_free(f);
        return PATCH_ERR_NOMEM;
    }
    f->flags = (on ? 0u : (unsigned)PATCH_F_CREATE) |
               (nn ? 0u : (unsigned)PATCH_F_DELETE);
    memset(&d, 0, sizeof d);
    rc = to_dlines(a, a_len, &la, &na);
    if (rc == PATCH_OK)
        rc = to_dlines(b, b_len, &lb, &nb);
    if (rc == PATCH_OK && (na > PATCH_NUM_MAX || nb > PATCH_NUM_MAX))
        rc = PATCH_ERR_RANGE; /* the header could not say it */
    if (rc == PATCH_OK) {
        size_t diag = (size_t)(na + nb + 3);
        d.a = la;
        d.b = lb;
        d.ca = calloc((size_t)na + 1, 1);
        d.cb = calloc((size_t)nb + 1, 1);
        long *kf = malloc(diag * sizeof *kf);
        long *kb = malloc(diag * sizeof *kb);
        if (d.ca && d.cb && kf && kb) {
            /* Diagonals k = x - y range over [-nb, na]; room for +-1. */
            d.kf = kf + nb + 1;
            d.kb = kb + nb + 1;
            compare(&d, 0, na, 0, nb);
            rc = build_hunks(&d, na, nb, ctx, f);
        } else {
            rc = PATCH_ERR_NOMEM;
        }
        free(kf);
        free(kb);
    }
    free(d.ca);
    free(d.cb);
    free(la);
    free(lb);
    if (rc != PATCH_OK) {
        patch_file_free(f);
        return rc;
    }
    *out = f;
    return PATCH_OK;
}
