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

/* A number in a hunk header: usually small, sometimes a long string of
 * digits (overflow lives there). */
static const char *draw_number(pry_t *p)
{
    if (pry_weighted(p, NULL, 2, (const unsigned[]){7, 1}) == 0)
        return pry_sprintf(p, "%d", (int)pry_range_i(p, NULL, 0, 12));
    char *digits = pry_string(p, NULL, 24, "1234567890");
    return digits[0] ? digits : "1";
}

/* Diff-shaped text from the grammar, with counts that may lie and numbers
 * that may overflow: random mode's way into the parser. */
PRY_PROPERTY(parse_structured)
{
    static const char *const kinds[] = {" ", "-", "+", "\\"};
    char *text = pry_sprintf(p, "--- a\n+++ b\n");
    pry_list_t hunks = pry_list(p, "hunks", 3);
    while (pry_list_more(p, &hunks)) {
        const char *s1 = draw_number(p), *s2 = draw_number(p);
        bool counts = !pry_bool(p, "omit counts");
        const char *c1 = counts ? draw_number(p) : NULL;
        const char *c2 = counts ? draw_number(p) : NULL;
        text = counts ? pry_sprintf(p, "%s@@ -%s,%s +%s,%s @@\n", text, s1, c1, s2, c2)
                      : pry_sprintf(p, "%s@@ -%s +%s @@\n", text, s1, s2);
        pry_list_t body = pry_list(p, NULL, 6);
        while (pry_list_more(p, &body)) {
            size_t k = pry_choice_named(p, NULL, 4, kinds);
            if (k == 3)
                text = pry_sprintf(p, "%s\\ No newline at end of file\n", text);
            else
                text = pry_sprintf(p, "%s%s%s\n", text, kinds[k],
                                   pry_string(p, NULL, 2, "ab"));
        }
    }
    pry_note(p, "text =\n%s", text);
    patch_set *set = NULL;
    long line = 0;
    if (patch_parse(text, strlen(text), &set, &line) != PATCH_OK)
        return;
    pry_bytes_t file = draw_file(p, "file");
    check_accepted(p, set, &file);
    check_stable(p, set);
    patch_set_free(set);
}
