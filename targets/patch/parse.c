/*
 * parse.c: unified diff text -> patch_set.
 *
 * Follows what GNU patch 2.7 accepts for unified diffs:
 *   - anything that is not a file header is commentary and skipped;
 *   - a file patch starts at "diff --git" (with its extended header lines)
 *     or at a "--- " line directly followed by a "+++ " line;
 *   - hunk bodies are read by the counts in their "@@" header, so a body
 *     line that starts with "--- " is still a body line;
 *   - an empty line inside a body is a context line whose text is empty
 *     (mailers strip the lone space; GNU patch accepts it too);
 *   - if the "+++" line ends in CRLF, one trailing CR is stripped from each
 *     line of that file patch (GNU: "Stripping trailing CRs from patch").
 * Memory is bounded by the input: nothing is sized from a header number.
 */
#include "patch_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct parser {
    pline *ln;       /* all lines of the input (pointing into it) */
    size_t n;        /* number of lines */
    size_t i;        /* next line to look at */
    int crlf;        /* strip one trailing CR (current file patch) */
    long err_line;   /* 1-based line of the first error */
} parser;

static int fail(parser *ps, size_t idx, int code)
{
    ps->err_line = (long)idx + 1;
    return code;
}

/* The bytes of line idx, with a trailing CR removed in CRLF mode. */
static size_t line_len(const parser *ps, size_t idx)
{
    size_t len = ps->ln[idx].len;
    if (ps->crlf && len && ps->ln[idx].p[len - 1] == '\r')
        len--;
    return len;
}

static int starts(const pline *l, const char *lit)
{
    size_t k = strlen(lit);
    return l->len >= k && memcmp(l->p, lit, k) == 0;
}

static char *dup_mem(const char *p, size_t n)
{
    char *s = malloc(n + 1);
    if (s) {
        if (n)
            memcpy(s, p, n);
        s[n] = '\0';
    }
    return s;
}

/* Parse a C-quoted name starting at p[0] == '"' (git and GNU diff quote
 * names with unusual bytes). On success *out is an owned string and *used
 * the bytes consumed including both quotes. A name containing NUL is
 * refused: file names are C strings. */
static int unquote(const char *p, size_t n, char **out, size_t *used)
{
    char *s = malloc(n + 1);
    size_t k = 0, i = 1;
    if (s == NULL)
        return PATCH_ERR_NOMEM;
    while (i < n && p[i] != '"') {
        unsigned char c = (unsigned char)p[i++];
        if (c == '\\') {
            if (i >= n)
                break;
            c = (unsigned char)p[i++];
            switch (c) {
            case 'a': c = '\a'; break;
            case 'b': c = '\b'; break;
            case 't': c = '\t'; break;
            case 'n': c = '\n'; break;
            case 'v': c = '\v'; break;
            case 'f': c = '\f'; break;
            case 'r': c = '\r'; break;
            case '"': case '\\': break;
            default:
                if (c >= '0' && c <= '3') {
                    unsigned v = (unsigned)(c - '0');
                    for (int d = 0; d < 2; d++) {
                        if (i >= n || p[i] < '0' || p[i] > '7') {
                            free(s);
                            return PATCH_ERR_SYNTAX;
                        }
                        v = v * 8 + (unsigned)(p[i++] - '0');
                    }
                    c = (unsigned char)v;
                } else {
                    free(s);
                    return PATCH_ERR_SYNTAX;
                }
            }
        }
        if (c == '\0') {
            free(s);
            return PATCH_ERR_SYNTAX;
        }
        s[k++] = (char)c;
    }
    if (i >= n || k == 0) { /* no closing quote, or empty name */
        free(s);
        return PATCH_ERR_SYNTAX;
    }
    s[k] = '\0';
    *out = s;
    *used = i + 1;
    return PATCH_OK;
}

/* A ---/+++ header value: NAME[\tSTAMP]. /dev/null gives *name NULL. */
static int parse_header_name(const char *p, size_t n, char **name,
                             char **stamp)
{
    size_t used;
    int rc;
    *name = NULL;
    *stamp = NULL;
    if (n && p[0] == '"') {
        if ((rc = unquote(p, n, name, &used)) != PATCH_OK)
            return rc;
    } else {
        const char *tab = memchr(p, '\t', n);
        used = tab ? (size_t)(tab - p) : n;
        if (used == 0 || memchr(p, '\0', used))
            return PATCH_ERR_SYNTAX;
        if (!(used == 9 && memcmp(p, "/dev/null", 9) == 0)) {
            if ((*name = dup_mem(p, used)) == NULL)
                return PATCH_ERR_NOMEM;
        }
    }
    if (used < n) {
        if (p[used] != '\t') {
            free(*name);
            *name = NULL;
            return PATCH_ERR_SYNTAX;
        }
        if (memchr(p + used + 1, '\0', n - used - 1)) {
            free(*name);
            *name = NULL;
            return PATCH_ERR_SYNTAX;
        }
        if ((*stamp = dup_mem(p + used + 1, n - used - 1)) == NULL) {
            free(*name);
            *name = NULL;
            return PATCH_ERR_NOMEM;
        }
    }
    return PATCH_OK;
}

/* A decimal number from a hunk header, range-checked so later arithmetic
 * (start + count, offsets) cannot overflow a long. */
static int parse_num(const char **pp, const char *end, long *out)
{
    const char *p = *pp;
    unsigned long acc = 0;
    if (p == end || *p < '0' || *p > '9')
        return PATCH_ERR_SYNTAX;
    while (p < end && *p >= '0' && *p <= '9') {
        unsigned long d = (unsigned long)(*p - '0');
#ifdef PRY_PLANT_HEADER_OVERFLOW
        /* (no range check: the accumulation wraps) */
#else
        if (acc > ((unsigned long)PATCH_NUM_MAX - d) / 10)
            return PATCH_ERR_RANGE;
#endif
        acc = acc * 10 + d;
        p++;
    }
    *out = (long)acc;
    *pp = p;
    return PATCH_OK;
}

/* "-S[,C]" or "+S[,C]"; an omitted count is 1 (GNU diff writes it so). */
static int parse_range(const char **pp, const char *end, char sign,
                       long *start, long *count)
{
    const char *p = *pp;
    int rc;
    if (p == end || *p != sign)
        return PATCH_ERR_SYNTAX;
    p++;
    if ((rc = parse_num(&p, end, start)) != PATCH_OK)
        return rc;
    *count = 1;
    if (p < end && *p == ',') {
        p++;
        if ((rc = parse_num(&p, end, count)) != PATCH_OK)
            return rc;
    }
    /* Line 0 only exists as "the line before line 1" of an empty range. */
    if (*start == 0 && *count != 0)
        return PATCH_ERR_SYNTAX;
    *pp = p;
    return PATCH_OK;
}

static int parse_hunk_header(const char *p, size_t n, patch_hunk *h)
{
    const char *end = p + n;
    int rc;
    if (n < 4 || memcmp(p, "@@ ", 3) != 0)
        return PATCH_ERR_SYNTAX;
    p += 3;
    if ((rc = parse_range(&p, end, '-', &h->old_start, &h->old_count)))
        return rc;
    if (p == end || *p++ != ' ')
        return PATCH_ERR_SYNTAX;
    if ((rc = parse_range(&p, end, '+', &h->new_start, &h->new_count)))
        return rc;
    if ((size_t)(end - p) < 3 || memcmp(p, " @@", 3) != 0)
        return PATCH_ERR_SYNTAX;
    p += 3;
    if (memchr(p, '\0', (size_t)(end - p)))
        return PATCH_ERR_SYNTAX;
    if (p < end && (h->section = dup_mem(p, (size_t)(end - p))) == NULL)
        return PATCH_ERR_NOMEM;
    return PATCH_OK;
}

static int add_line(patch_hunk *h, size_t *cap, char kind, const char *p,
                    size_t n)
{
    if (h->nlines == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        patch_line *v = realloc(h->lines, nc * sizeof *v);
        if (v == NULL)
            return PATCH_ERR_NOMEM;
        h->lines = v;
        *cap = nc;
    }
    char *t = dup_mem(p, n);
    if (t == NULL)
        return PATCH_ERR_NOMEM;
    h->lines[h->nlines].kind = kind;
    h->lines[h->nlines].len = n;
    h->lines[h->nlines].text = t;
    h->nlines++;
    return PATCH_OK;
}

/* Read the hunk whose "@@" line is ps->i. Its body is exactly as long as
 * the header's counts say; a line that would exceed a count, or a missing
 * line, is PATCH_ERR_COUNT (the CVE-2018-6951/6952 class in GNU patch came
 * from trusting malformed hunks). */
static int parse_hunk(parser *ps, patch_hunk *h)
{
    size_t cap = 0, hdr = ps->i;
    long old_seen = 0, new_seen = 0;
    int rc = parse_hunk_header(ps->ln[hdr].p, line_len(ps, hdr), h);
    if (rc != PATCH_OK)
        return fail(ps, hdr, rc);
    h->line_no = (long)hdr + 1;
    ps->i++;
    while (old_seen < h->old_count || new_seen < h->new_count) {
        if (ps->i >= ps->n)
            return fail(ps, ps->i, PATCH_ERR_COUNT); /* truncated */
        size_t idx = ps->i;
        const char *p = ps->ln[idx].p;
        size_t len = line_len(ps, idx);
        char kind = len ? p[0] : ' ';
        int is_old = kind == ' ' || kind == '-';
        int is_new = kind == ' ' || kind == '+';
        if (!is_old && !is_new)
            return fail(ps, idx, kind == '\\' ? PATCH_ERR_SYNTAX
                                              : PATCH_ERR_COUNT);
        /* After "\ No newline" closes a side, that side has ended. */
        if ((is_old && h->old_nonl) || (is_new && h->new_nonl))
            return fail(ps, idx, PATCH_ERR_SYNTAX);
#ifdef PRY_PLANT_HUNK_COUNT
        int fits = 1;
#else
        int fits = (!is_old || old_seen < h->old_count) &&
                   (!is_new || new_seen < h->new_count);
#endif
        if (!fits)
            return fail(ps, idx, PATCH_ERR_COUNT);
        if ((rc = add_line(h, &cap, kind, len ? p + 1 : p, len ? len - 1 : 0)))
            return fail(ps, idx, rc);
        old_seen += is_old;
        new_seen += is_new;
        ps->i++;
        /* "\ No newline at end of file" (any text after the backslash,
         * since diff localises it) marks the line just read. */
        if (ps->i < ps->n && ps->ln[ps->i].len && ps->ln[ps->i].p[0] == '\\') {
            if (is_old)
                h->old_nonl = 1;
            if (is_new)
                h->new_nonl = 1;
            ps->i++;
        }
    }
    return PATCH_OK;
}

static int parse_octal(const char *p, size_t n, unsigned *out)
{
    unsigned v = 0;
    if (n == 0 || n > 7)
        return PATCH_ERR_SYNTAX;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '7')
            return PATCH_ERR_SYNTAX;
        v = v * 8 + (unsigned)(p[i] - '0');
    }
    *out = v;
    return PATCH_OK;
}

/* Split the two names of "diff --git A B". Quoted names are unambiguous;
 * unquoted names may contain spaces, so (like git) prefer the split where
 * both halves name the same path after their first '/'. */
static int parse_git_names(const char *p, size_t n, char **a, char **b)
{
    size_t used;
    int rc;
    *a = *b = NULL;
    if (n && p[0] == '"') {
        if ((rc = unquote(p, n, a, &used)) != PATCH_OK)
            return rc;
    } else {
        used = 0;
        if ((n & 1) == 1 && p[n / 2] == ' ') {
            const char *s1 = memchr(p, '/', n / 2);
            const char *s2 = memchr(p + n / 2 + 1, '/', n / 2);
            if (s1 && s2 && (size_t)(s1 - p) < n / 2 &&
                n / 2 - (size_t)(s1 - p) == n - (size_t)(s2 - p) &&
                memcmp(s1, s2, n / 2 - (size_t)(s1 - p)) == 0)
                used = n / 2;
        }
        if (used == 0) {
            const char *sp = memchr(p, ' ', n);
            if (sp == NULL)
                return PATCH_ERR_SYNTAX;
            used = (size_t)(sp - p);
        }
        if (used == 0 || memchr(p, '\0', used))
            return PATCH_ERR_SYNTAX;
        if ((*a = dup_mem(p, used)) == NULL)
            return PATCH_ERR_NOMEM;
    }
    if (used >= n || p[used] != ' ' || used + 1 >= n) {
        free(*a);
        *a = NULL;
        return PATCH_ERR_SYNTAX;
    }
    p += used + 1;
    n -= used + 1;
    if (p[0] == '"') {
        rc = unquote(p, n, b, &used);
        if (rc == PATCH_OK && used != n) {
            free(*b);
            *b = NULL;
            rc = PATCH_ERR_SYNTAX;
        }
    } else if (memchr(p, '\0', n)) {
        rc = PATCH_ERR_SYNTAX;
    } else {
        rc = (*b = dup_mem(p, n)) ? PATCH_OK : PATCH_ERR_NOMEM;
    }
    if (rc != PATCH_OK) {
        free(*a);
        *a = NULL;
    }
    return rc;
}

#define LIT(s) (s), (sizeof(s) - 1)

static int is_binary_line(const char *p, size_t n)
{
    if (n >= 16 && memcmp(p, "GIT binary patch", 16) == 0)
        return 1;
    return n >= 20 && memcmp(p, "Binary files ", 13) == 0 &&
           memcmp(p + n - 7, " differ", 7) == 0;
}

/* git writes "diff --git a/x b/y" without quoting blanks, so when the two
 * names differ (a rename or copy) the split is ambiguous; git apply then
 * takes the names from the "rename from/to" or "copy from/to" lines
 * (apply.c, gitdiff_renamesrc and friends). Split at the blank where the
 * left part is or ends in "/FROM" and the right part "/TO"; without one,
 * the names stay as parse_git_names split them. */
static int resplit_git_names(const char *p, size_t n, const char *from,
                             size_t fn, const char *to, size_t tn,
                             patch_file *f)
{
    for (size_t k = fn; k < n; k++) {
        size_t rn = n - k - 1;
        if (p[k] != ' ' || rn < tn || memcmp(p + k - fn, from, fn) != 0 ||
            memcmp(p + n - tn, to, tn) != 0 ||
            (k > fn && p[k - fn - 1] != '/') || (rn > tn && p[n - tn - 1] != '/'))
            continue;
        char *a = dup_mem(p, k), *b = dup_mem(p + k + 1, rn);
        if (a == NULL || b == NULL) {
            free(a);
            free(b);
            return PATCH_ERR_NOMEM;
        }
        free(f->old_name);
        free(f->new_name);
        f->old_name = a;
        f->new_name = b;
        break;
    }
    return PATCH_OK;
}

/* The git extended header lines after "diff --git". Stops at the first
 * line that is not one (left for the caller). */
static int parse_git_header(parser *ps, patch_file *f)
{
    size_t idx = ps->i;
    int rc;
    f->flags |= PATCH_F_GIT;
    f->similarity = -1;
    size_t gl = ps->ln[idx].len - 11;
    if (gl && ps->ln[idx].p[11 + gl - 1] == '\r')
        gl--;
    rc = parse_git_names(ps->ln[idx].p + 11, gl, &f->old_name, &f->new_name);
    if (rc != PATCH_OK)
        return fail(ps, idx, rc);
    const char *from = NULL, *to = NULL; /* rename/copy from/to values */
    size_t from_n = 0, to_n = 0;
    for (ps->i++; ps->i < ps->n; ps->i++) {
        const char *p = ps->ln[ps->i].p;
        size_t n = ps->ln[ps->i].len;
        /* Value after a keyword; no keyword matched yields NULL. */
        struct { const char *kw; size_t kl; } kws[] = {
            {LIT("old mode ")}, {LIT("new mode ")},
            {LIT("deleted file mode ")}, {LIT("new file mode ")},
            {LIT("rename from ")}, {LIT("rename to ")},
            {LIT("copy from ")}, {LIT("copy to ")},
            {LIT("similarity index ")}, {LIT("dissimilarity index ")},
            {LIT("index ")},
        };
        size_t k, nk = sizeof kws / sizeof kws[0];
        if (is_binary_line(p, n))
            return fail(ps, ps->i, PATCH_ERR_BINARY);
        for (k = 0; k < nk; k++)
            if (n >= kws[k].kl && memcmp(p, kws[k].kw, kws[k].kl) == 0)
                break;
        if (k == nk)
            break;
        const char *v = p + kws[k].kl;
        size_t vn = n - kws[k].kl;
        if (k != 10 && vn && v[vn - 1] == '\r') /* git on Windows */
            vn--;
        rc = PATCH_OK;
        switch (k) {
        case 0: rc = parse_octal(v, vn, &f->old_mode); break;
        case 1: rc = parse_octal(v, vn, &f->new_mode); break;
        case 2:
            rc = parse_octal(v, vn, &f->old_mode);
            f->flags |= PATCH_F_DELETE;
            break;
        case 3:
            rc = parse_octal(v, vn, &f->new_mode);
            f->flags |= PATCH_F_CREATE;
            break;
        case 4: case 6:
            from = v;
            from_n = vn;
            f->flags |= k == 4 ? PATCH_F_RENAME : PATCH_F_COPY;
            break;
        case 5: case 7:
            to = v;
            to_n = vn;
            f->flags |= k == 5 ? PATCH_F_RENAME : PATCH_F_COPY;
            break;
        case 8: {
            int pct = 0;
            size_t j;
            for (j = 0; j < vn && v[j] >= '0' && v[j] <= '9' && pct <= 100; j++)
                pct = pct * 10 + (v[j] - '0');
            if (j == 0 || j + 1 != vn || v[j] != '%' || pct > 100)
                rc = PATCH_ERR_SYNTAX;
            else
                f->similarity = pct;
            break;
        }
        case 9: break;
        case 10: /* a repeated "index" line replaces the first */
            free(f->git_index);
            f->git_index = NULL;
            if (memchr(v, '\0', vn))
                rc = PATCH_ERR_SYNTAX;
            else if ((f->git_index = dup_mem(v, vn)) == NULL)
                rc = PATCH_ERR_NOMEM;
            break;
        }
        if (rc != PATCH_OK)
            return fail(ps, ps->i, rc);
    }
    if (from && to && ps->ln[idx].p[11] != '"' &&
        (rc = resplit_git_names(ps->ln[idx].p + 11, gl, from, from_n, to,
                                to_n, f)) != PATCH_OK)
        return fail(ps, idx, rc);
    return PATCH_OK;
}

/* "--- " at ps->i and "+++ " at ps->i + 1 (checked by the caller). */
static int parse_names(parser *ps, patch_file *f)
{
    char *on, *os, *nn, *ns;
    size_t a = ps->i, b = ps->i + 1;
    int rc;
    /* GNU patch decides CRLF mode from the "+++" line. */
    ps->crlf = ps->ln[b].len && ps->ln[b].p[ps->ln[b].len - 1] == '\r';
    if (ps->crlf)
        f->flags |= PATCH_F_CRLF;
    rc = parse_header_name(ps->ln[a].p + 4, line_len(ps, a) - 4, &on, &os);
    if (rc != PATCH_OK)
        return fail(ps, a, rc);
    rc = parse_header_name(ps->ln[b].p + 4, line_len(ps, b) - 4, &nn, &ns);
    if (rc != PATCH_OK) {
        free(on);
        free(os);
        return fail(ps, b, rc);
    }
    if (on == NULL && nn == NULL) {
        free(os);
        free(ns);
        return fail(ps, a, PATCH_ERR_SYNTAX); /* /dev/null on both sides */
    }
    f->old_stamp = os;
    f->new_stamp = ns;
    if (on == NULL)
        f->flags |= PATCH_F_CREATE;
    if (nn == NULL)
        f->flags |= PATCH_F_DELETE;
    if (f->flags & PATCH_F_GIT) {
        /* git names come from the "diff --git" line; ---/+++ refine them
         * but /dev/null only sets the create/delete flag. */
        if (on) { free(f->old_name); f->old_name = on; }
        if (nn) { free(f->new_name); f->new_name = nn; }
    } else {
        f->old_name = on;
        f->new_name = nn;
    }
    ps->i += 2;
    return PATCH_OK;
}

static int is_minus_plus(const parser *ps, size_t i)
{
    return i + 1 < ps->n && starts(&ps->ln[i], "--- ") &&
           starts(&ps->ln[i + 1], "+++ ");
}

static int parse_file(parser *ps, patch_file *f)
{
    size_t hcap = 0;
    int rc;
    f->line_no = (long)ps->i + 1;
    f->similarity = -1;
    ps->crlf = 0;
    if (starts(&ps->ln[ps->i], "diff --git ")) {
        if ((rc = parse_git_header(ps, f)) != PATCH_OK)
            return rc;
        if (!is_minus_plus(ps, ps->i)) { /* rename / mode change / empty */
            if ((f->flags & PATCH_F_CREATE) && (f->flags & PATCH_F_DELETE))
                return fail(ps, ps->i - 1, PATCH_ERR_SYNTAX);
            return PATCH_OK;
        }
    }
    if ((rc = parse_names(ps, f)) != PATCH_OK)
        return rc;
    if ((f->flags & PATCH_F_CREATE) && (f->flags & PATCH_F_DELETE))
        return fail(ps, ps->i - 1, PATCH_ERR_SYNTAX);
    while (ps->i < ps->n && starts(&ps->ln[ps->i], "@@ ")) {
        if (f->nhunks == hcap) {
            size_t nc = hcap ? hcap * 2 : 4;
            patch_hunk *v = realloc(f->hunks, nc * sizeof *v);
            if (v == NULL)
                return fail(ps, ps->i, PATCH_ERR_NOMEM);
            f->hunks = v;
            hcap = nc;
        }
        patch_hunk *h = &f->hunks[f->nhunks++];
        memset(h, 0, sizeof *h);
        if ((rc = parse_hunk(ps, h)) != PATCH_OK)
            return rc;
    }
    return PATCH_OK;
}

int patch_parse(const char *text, size_t len, patch_set **out, long *err_line)
{
    parser ps;
    size_t fcap = 0;
    int rc;
    if (err_line)
        *err_line = 0;
    if (out == NULL || (text == NULL && len))
        return PATCH_ERR_INVAL;
    *out = NULL;
    memset(&ps, 0, sizeof ps);
    if ((rc = pline_split(text, len, &ps.ln, &ps.n)) != PATCH_OK)
        return rc;
    patch_set *set = calloc(1, sizeof *set);
    if (set == NULL) {
        free(ps.ln);
        return PATCH_ERR_NOMEM;
    }
    while (ps.i < ps.n) {
        const pline *l = &ps.ln[ps.i];
        if (is_binary_line(l->p, l->len)) {
            rc = fail(&ps, ps.i, PATCH_ERR_BINARY);
            break;
        }
        if (!starts(l, "diff --git ") && !is_minus_plus(&ps, ps.i)) {
            ps.i++; /* commentary */
            continue;
        }
        if (set->nfiles == fcap) {
            size_t nc = fcap ? fcap * 2 : 4;
            patch_file *v = realloc(set->files, nc * sizeof *v);
            if (v == NULL) {
                rc = fail(&ps, ps.i, PATCH_ERR_NOMEM);
                break;
            }
            set->files = v;
            fcap = nc;
        }
        patch_file *f = &set->files[set->nfiles++];
        memset(f, 0, sizeof *f);
        if ((rc = parse_file(&ps, f)) != PATCH_OK)
            break;
    }
    free(ps.ln);
    if (rc != PATCH_OK) {
        if (err_line)
            *err_line = ps.err_line;
        patch_set_free(set);
        return rc;
    }
    *out = set;
    return PATCH_OK;
}
