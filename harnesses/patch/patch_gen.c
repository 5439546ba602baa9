/*
 * patch_gen.c: generators and helpers shared by the patch properties.
 */
#include "patch_gen.h"

#include <stdlib.h>
#include <string.h>

pry_bytes_t draw_file(pry_t *p, const char *label)
{
    return pry_lines(p, label, 8, 3, "abc");
}

pry_bytes_t draw_other_lines(pry_t *p, const char *label)
{
    /* Always newline-terminated: these go in front of a file. */
    pry_list_t l = pry_list(p, label, 6);
    pry_bytes_t out = {pry_alloc(p, 6 * 4 + 1), 0};
    while (pry_list_more(p, &l)) {
        char *s = pry_string(p, NULL, 2, "xy");
        out.data[out.len++] = 'x'; /* never empty, never in "abc" */
        for (char *c = s; *c; c++)
            out.data[out.len++] = (uint8_t)*c;
        out.data[out.len++] = '\n';
    }
    return out;
}

char *apply_or_fail(pry_t *p, const patch_file *f, const pry_bytes_t *in,
                    int reverse, size_t *out_len)
{
    patch_apply_options opts = {reverse, 2};
    patch_hunk_report *reports = pry_alloc(p, (f->nhunks + 1) * sizeof *reports);
    char *out = NULL;
    int r = patch_file_apply(f, (const char *)in->data, in->len, &opts, &out,
                             out_len, reports);
    if (r != PATCH_OK) {
        for (size_t i = 0; i < f->nhunks; i++)
            pry_note(p, "hunk %zu: status %d at line %ld (offset %ld, fuzz %d)",
                     i + 1, (int)reports[i].status, reports[i].line,
                     reports[i].offset, reports[i].fuzz);
        patch_bytes_free(out);
        pry_fail(p, "%s did not apply: %s", reverse ? "reversed diff" : "diff",
                 patch_strerror(r));
    }
    return out;
}

patch_file *diff_or_fail(pry_t *p, const pry_bytes_t *a, const pry_bytes_t *b)
{
    patch_diff_options opts = {3, "a", "b"};
    patch_file *d = NULL;
    int r = patch_diff((const char *)a->data, a->len, (const char *)b->data, b->len,
                       &opts, &d);
    pry_check(p, r == PATCH_OK, "diff: %s", patch_strerror(r));
    return d;
}

void check_applies_after(pry_t *p, const patch_file *d, const pry_bytes_t *prefix,
                         const pry_bytes_t *a, const pry_bytes_t *b)
{
    pry_bytes_t pa = {pry_alloc(p, prefix->len + a->len + 1), prefix->len + a->len};
    memcpy(pa.data, prefix->data, prefix->len);
    memcpy(pa.data + prefix->len, a->data, a->len);
    size_t n;
    char *out = apply_or_fail(p, d, &pa, 0, &n);
    bool same = n == prefix->len + b->len && memcmp(out, prefix->data, prefix->len) == 0 &&
                memcmp(out + prefix->len, b->data, b->len) == 0;
    if (!same) { /* the diff, for the report; printed only then, it is slow */
        char *text = NULL;
        size_t text_len = 0;
        if (patch_file_print(d, &text, &text_len) == PATCH_OK)
            pry_note(p, "%zu hunks, diff(a, b) =\n%s", d->nhunks, text);
        patch_bytes_free(text);
    }
    pry_check(p, n >= prefix->len && memcmp(out, prefix->data, prefix->len) == 0,
              "the prefix changed");
    pry_check_eq_mem(p, out + prefix->len, n - prefix->len, b->data, b->len);
    patch_bytes_free(out);
}

static char *print_or_fail(pry_t *p, const patch_file *d, size_t *len)
{
    char *text = NULL;
    int r = patch_file_print(d, &text, len);
    pry_check(p, r == PATCH_OK, "print: %s", patch_strerror(r));
    return text;
}

/* The diff |d| applied to |from| (reversed: |reverse|) gives |want|. One
 * check for both directions, so a wrong result is one failure whichever
 * way round the files were drawn: a bug that shows forward on (a, b)
 * shows reversed on (b, a), and the shrinker, which keeps a failure's
 * check site (docs/shrinking.md), can then put the simpler file first
 * (a = "", b = "a" rather than a = "a", b = ""). */
static void check_applies(pry_t *p, const patch_file *d, const pry_bytes_t *from,
                          const pry_bytes_t *want, int reverse)
{
    size_t n;
    char *out = apply_or_fail(p, d, from, reverse, &n);
    if (n != want->len || (n > 0 && memcmp(out, want->data, n) != 0))
        pry_note(p, "%s", reverse ? "the diff reversed, applied to b: should give a"
                                  : "the diff applied to a: should give b");
    pry_check_eq_mem(p, out, n, want->data, want->len);
    patch_bytes_free(out);
}

/* The round trip (see roundtrip.c), shared with the bench's raw-bytes twin
 * (bench/harnesses/patch_raw), which must check exactly the same. */
void check_diff_roundtrip(pry_t *p, const pry_bytes_t *a, const pry_bytes_t *b)
{
    patch_file *d = diff_or_fail(p, a, b);
    size_t text_len;
    char *text = print_or_fail(p, d, &text_len);
    pry_note(p, "diff(a, b) =\n%s", text);

    check_applies(p, d, a, b, 0);
    check_applies(p, d, b, a, 1);

    /* Through the text a user would see. */
    patch_set *set = NULL;
    long line = 0;
    int r = patch_parse(text, text_len, &set, &line);
    pry_check(p, r == PATCH_OK, "parse of the printed diff: %s at line %ld",
              patch_strerror(r), line);
    if (set->nfiles == 1) {
        size_t n;
        char *out = apply_or_fail(p, &set->files[0], a, 0, &n);
        pry_check_eq_mem(p, out, n, b->data, b->len);
        patch_bytes_free(out);
    } else {
        pry_check(p, a->len == b->len, "a diff of different files has no file");
    }
    patch_set_free(set);
    patch_bytes_free(text);
    patch_file_free(d);
}

bool matches_once(const patch_hunk *hk, const pry_bytes_t *a)
{
    /* a's lines, as (start, length) without the newline */
    size_t starts[128], lens[128], n = 0;
    for (size_t i = 0; i < a->len && n < 128;) {
        size_t j = i;
        while (j < a->len && a->data[j] != '\n')
            j++;
        starts[n] = i;
        lens[n++] = j - i;
        i = j + 1;
    }
    size_t found = 0;
    for (size_t at = 0; at < n; at++) {
        size_t k = 0, line = at;
        bool ok = true;
        for (size_t h = 0; h < hk->nlines && ok; h++) {
            const patch_line *pl = &hk->lines[h];
            if (pl->kind == '+')
                continue;
            ok = line < n && lens[line] == pl->len &&
                 memcmp(a->data + starts[line], pl->text, pl->len) == 0;
            line++;
            k++;
        }
        if (ok && k > 0)
            found++;
    }
    return found == 1;
}

bool anchored_at_start(const patch_file *d)
{
    for (size_t h = 0; h < d->nhunks; h++) {
        const patch_hunk *hk = &d->hunks[h];
        size_t lead = 0, trail = 0;
        while (lead < hk->nlines && hk->lines[lead].kind == ' ')
            lead++;
        while (trail < hk->nlines && hk->lines[hk->nlines - 1 - trail].kind == ' ')
            trail++;
        if (lead < trail)
            return true;
    }
    return false;
}
