/*
 * parse.c: the parser is total (any bytes give a patch or an error, never
 * a crash), what it accepts is well-formed (every hunk's body agrees with
 * its header), and parse -> print -> parse is stable.
 */
#include "patch_gen.h"

#include <stdio.h>
#include <string.h>

/* What every accepted patch must satisfy, and what applying it to a file
 * must not do (crash, or anything but apply or fail). */
static void check_accepted(pry_t *p, const patch_set *set, const pry_bytes_t *file)
{
    for (size_t i = 0; i < set->nfiles; i++) {
        const patch_file *f = &set->files[i];
        for (size_t h = 0; h < f->nhunks; h++) {
            const patch_hunk *hk = &f->hunks[h];
            long old_lines = 0, new_lines = 0;
            for (size_t k = 0; k < hk->nlines; k++) {
                char kind = hk->lines[k].kind;
                old_lines += kind != '+';
                new_lines += kind != '-';
            }
            /* The hunk grammar: the body has exactly the lines the
             * header counts (GNU patch: "malformed patch"). */
            pry_check(p, old_lines == hk->old_count && new_lines == hk->new_count,
                      "file %zu hunk %zu: header says -%ld +%ld lines, body has "
                      "-%ld +%ld", i + 1, h + 1, hk->old_count, hk->new_count,
                      old_lines, new_lines);
        }
        for (int reverse = 0; reverse < 2; reverse++) {
            patch_apply_options opts = {reverse, 2};
            patch_hunk_report *rep = pry_alloc(p, (f->nhunks + 1) * sizeof *rep);
            char *out = NULL;
            size_t n = 0;
            int r = patch_file_apply(f, (const char *)file->data, file->len, &opts,
                                     &out, &n, rep);
            pry_check(p, r == PATCH_OK || r == PATCH_ERR_FAILED,
                      "apply returned %s", patch_strerror(r));
            patch_bytes_free(out);
        }
    }
}

static void check_stable(pry_t *p, const patch_set *set)
{
    char *once = NULL, *twice = NULL;
    size_t n1 = 0, n2 = 0;
    int r = patch_set_print(set, &once, &n1);
    pry_check(p, r == PATCH_OK, "print: %s", patch_strerror(r));
    pry_note(p, "printed =\n%s", once);
    patch_set *again = NULL;
    long line = 0;
    r = patch_parse(once, n1, &again, &line);
    pry_check(p, r == PATCH_OK, "the printed patch does not parse: %s at line %ld",
              patch_strerror(r), line);
    r = patch_set_print(again, &twice, &n2);
    pry_check(p, r == PATCH_OK, "print: %s", patch_strerror(r));
    pry_check_eq_mem(p, twice, n2, once, n1);
    patch_bytes_free(once);
    patch_bytes_free(twice);
    patch_set_free(again);
}

/* Arbitrary bytes: the fuzzers' view (pry_blob keeps dictionary tokens
 * such as "@@ -" whole). */
PRY_PROPERTY(parse_total)
{
    pry_bytes_t text = pry_blob(p, "text", 4096);
    patch_set *set = NULL;
    long line = 0;
    if (patch_parse((const char *)text.data, text.len, &set, &line) != PATCH_OK)
        return;
    pry_bytes_t file = draw_file(p, "file");
    check_accepted(p, set, &file);
    check_stable(p, set);
    patch_set_free(set);
}

/* ---- diff text from the hunk grammar, as typed values ---- */

/* One hunk: "@@ -S[,C] +S[,C] @@" and a body. Numbers are usually small
 * and sometimes any 64-bit value (the overflow plant lives there); a
 * count may be omitted, and the body may disagree with the counts. */
typedef struct {
    uint64_t n[4]; /* old start, old count, new start, new count */
    bool omit_counts;
    size_t nlines;
    char **lines; /* " a", "-", "\\ No newline at end of file", ... */
} hunk_t;

static uint64_t draw_number(pry_t *p, const char *label)
{
    static const unsigned weights[] = {7, 1};
    uint32_t g = pry_group_begin(p, label);
    uint64_t v = pry_weighted(p, NULL, 2, weights) == 0
                     ? pry_range_u(p, NULL, 0, 12)
                     : pry_u64(p, NULL);
    pry_group_end(p, g);
    return v;
}

static void *draw_hunk(pry_t *p, const void *arg)
{
    (void)arg;
    static const char *const kinds[] = {" ", "-", "+", "\\"};
    hunk_t *h = pry_alloc(p, sizeof *h);
    h->n[0] = draw_number(p, "old start");
    h->n[1] = draw_number(p, "old count");
    h->n[2] = draw_number(p, "new start");
    h->n[3] = draw_number(p, "new count");
    h->omit_counts = pry_bool(p, "omit counts");
    h->lines = pry_alloc(p, 6 * sizeof *h->lines);
    pry_list_t body = pry_list(p, "body", 6);
    while (pry_list_more(p, &body)) {
        size_t k = pry_choice_named(p, "kind", 4, kinds);
        h->lines[h->nlines++] =
            k == 3 ? "\\ No newline at end of file"
                   : pry_sprintf(p, "%s%s", kinds[k], pry_string(p, "text", 2, "ab"));
    }
    return h;
}

/* The hunk's header line, without its newline, into |buf|. */
static void hunk_header(char *buf, size_t size, const hunk_t *h)
{
    if (h->omit_counts)
        snprintf(buf, size, "@@ -%llu +%llu @@", (unsigned long long)h->n[0],
                 (unsigned long long)h->n[2]);
    else
        snprintf(buf, size, "@@ -%llu,%llu +%llu,%llu @@",
                 (unsigned long long)h->n[0], (unsigned long long)h->n[1],
                 (unsigned long long)h->n[2], (unsigned long long)h->n[3]);
}

static void print_hunk(pry_out_t *out, const void *v, const void *arg)
{
    (void)arg;
    const hunk_t *h = v;
    char header[128];
    hunk_header(header, sizeof header, h);
    pry_out_printf(out, "%s [", header);
    for (size_t i = 0; i < h->nlines; i++) {
        pry_out_printf(out, i ? ", " : "");
        pry_out_quoted(out, h->lines[i], strlen(h->lines[i]));
    }
    pry_out_printf(out, "]");
}

static const pry_gen_t HUNK = {"hunk", draw_hunk, print_hunk, NULL};

/* Diff-shaped text from the grammar, with counts that may lie and numbers
 * that may overflow: random mode's way into the parser. */
PRY_PROPERTY(parse_structured)
{
    size_t n;
    void **hunks = pry_array(p, "hunks", &HUNK, 3, &n);
    char *diff = pry_sprintf(p, "--- a\n+++ b\n");
    for (size_t i = 0; i < n; i++) {
        const hunk_t *h = hunks[i];
        char header[128];
        hunk_header(header, sizeof header, h);
        diff = pry_sprintf(p, "%s%s\n", diff, header);
        for (size_t k = 0; k < h->nlines; k++)
            diff = pry_sprintf(p, "%s%s\n", diff, h->lines[k]);
    }
    pry_note(p, "text =\n%s", diff);
    patch_set *set = NULL;
    long line = 0;
    if (patch_parse(diff, strlen(diff), &set, &line) != PATCH_OK)
        return;
    pry_bytes_t file = draw_file(p, "file");
    check_accepted(p, set, &file);
    check_stable(p, set);
    patch_set_free(set);
}
