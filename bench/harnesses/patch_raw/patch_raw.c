/*
 * patch_raw: the checks of harnesses/patch with the inputs taken straight
 * from bytes, no typed generators: one pry_blob (a 2-byte length, then
 * the bytes as they are) per property. The baseline that shows what the
 * typed generators buy (bench/RESULTS.md, "time to bug").
 *
 *   roundtrip   a and b are the blob split at its first NUL (no NUL: b is
 *               empty); diff, apply forward and reversed, print, parse and
 *               apply again: the checks of harnesses/patch/roundtrip.c
 *   parse       the blob up to its first NUL is the diff text, the rest the
 *               file to apply it to: the checks of parse_total /
 *               parse_structured (hunk bodies agree with their headers,
 *               apply applies or fails, parse -> print -> parse is stable)
 *   no_escape   first byte % 4 is the -p level, the rest (up to a NUL) the
 *               name: the check of harnesses/patch/paths.c
 */
#include "patch_gen.h"

#include <string.h>

#define RAW_MAX 4095 /* a power-of-two range: the length is exactly 2 bytes */

static void split_at_nul(pry_bytes_t in, pry_bytes_t *x, pry_bytes_t *y)
{
    const uint8_t *z = in.len ? memchr(in.data, 0, in.len) : NULL;
    size_t k = z ? (size_t)(z - in.data) : in.len;
    x->data = in.data;
    x->len = k;
    y->data = in.data + (z ? k + 1 : k);
    y->len = z ? in.len - k - 1 : 0;
}

PRY_PROPERTY(roundtrip)
{
    pry_bytes_t a, b;
    split_at_nul(pry_blob(p, "bytes", RAW_MAX), &a, &b);
    check_diff_roundtrip(p, &a, &b);
}

PRY_PROPERTY(parse)
{
    pry_bytes_t text, file;
    split_at_nul(pry_blob(p, "bytes", RAW_MAX), &text, &file);
    patch_set *set = NULL;
    long line = 0;
    if (patch_parse((const char *)text.data, text.len, &set, &line) != PATCH_OK)
        return;
    for (size_t i = 0; i < set->nfiles; i++) {
        const patch_file *f = &set->files[i];
        for (size_t h = 0; h < f->nhunks; h++) {
            const patch_hunk *hk = &f->hunks[h];
            long old_lines = 0, new_lines = 0;
            for (size_t k = 0; k < hk->nlines; k++) {
                old_lines += hk->lines[k].kind != '+';
                new_lines += hk->lines[k].kind != '-';
            }
            pry_check(p, old_lines == hk->old_count && new_lines == hk->new_count,
                      "hunk header says -%ld +%ld lines, body has -%ld +%ld", hk->old_count,
                      hk->new_count, old_lines, new_lines);
        }
        for (int reverse = 0; reverse < 2; reverse++) {
            patch_apply_options opts = {reverse, 2};
            patch_hunk_report *rep = pry_alloc(p, (f->nhunks + 1) * sizeof *rep);
            char *out = NULL;
            size_t n = 0;
            int r = patch_file_apply(f, (const char *)file.data, file.len, &opts, &out, &n, rep);
            pry_check(p, r == PATCH_OK || r == PATCH_ERR_FAILED, "apply returned %s",
                      patch_strerror(r));
            patch_bytes_free(out);
        }
    }
    char *once = NULL, *twice = NULL;
    size_t n1 = 0, n2 = 0;
    int r = patch_set_print(set, &once, &n1);
    pry_check(p, r == PATCH_OK, "print: %s", patch_strerror(r));
    patch_set *again = NULL;
    r = patch_parse(once, n1, &again, &line);
    pry_check(p, r == PATCH_OK, "the printed patch does not parse: %s", patch_strerror(r));
    r = patch_set_print(again, &twice, &n2);
    pry_check(p, r == PATCH_OK, "print: %s", patch_strerror(r));
    pry_check_eq_mem(p, twice, n2, once, n1);
    patch_bytes_free(once);
    patch_bytes_free(twice);
    patch_set_free(again);
    patch_set_free(set);
}

PRY_PROPERTY(no_escape)
{
    pry_bytes_t in = pry_blob(p, "bytes", RAW_MAX);
    long strip = in.len ? (long)(in.data[0] % 4) : 0;
    size_t k = 0;
    while (1 + k < in.len && in.data[1 + k] != 0)
        k++;
    char *name = pry_alloc(p, k + 1);
    if (k)
        memcpy(name, in.data + 1, k);
    name[k] = 0;
    char *out = NULL;
    if (patch_path_strip(name, strip, &out) != PATCH_OK)
        return;
    char *path = pry_strdup(p, out);
    patch_bytes_free(out);
    pry_check(p, path[0] != '/', "\"%s\" -p%ld gives the absolute path \"%s\"", name, strip,
              path);
    long depth = 0;
    for (char *c = strtok(path, "/"); c != NULL; c = strtok(NULL, "/")) {
        if (strcmp(c, "..") == 0)
            depth--;
        else if (strcmp(c, ".") != 0)
            depth++;
        pry_check(p, depth >= 0, "\"%s\" -p%ld climbs out of the working directory", name,
                  strip);
    }
}
