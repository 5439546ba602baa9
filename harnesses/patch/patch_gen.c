/*
 * patch_gen.c: generators and helpers shared by the patch properties.
 */
#include "patch_gen.h"

#include <stdlib.h>

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
