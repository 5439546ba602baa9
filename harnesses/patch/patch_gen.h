/*
 * patch_gen.h: generators shared by the patch properties.
 */
#ifndef PRY_HARNESS_PATCH_GEN_H
#define PRY_HARNESS_PATCH_GEN_H

#include "patch.h"
#include "pry.h"

/* A text file as patch sees it: up to 8 lines over a 3-letter alphabet
 * (so lines repeat, as in real files, and diffs have context to match),
 * the last line maybe without its newline. */
pry_bytes_t draw_file(pry_t *p, const char *label);

/* Lines that never occur in draw_file's files ("x", "xy", ...). */
pry_bytes_t draw_other_lines(pry_t *p, const char *label);

/* Apply |f| to |in| (forward or reverse); fails the property with the
 * hunk reports when it does not apply. The result is malloc'd: free with
 * patch_bytes_free. */
char *apply_or_fail(pry_t *p, const patch_file *f, const pry_bytes_t *in,
                    int reverse, size_t *out_len);

/* diff(a, b) applied to a gives b, reversed to b gives a, and the same
 * after the diff is printed and parsed back: the 2019 property. */
void check_diff_roundtrip(pry_t *p, const pry_bytes_t *a, const pry_bytes_t *b);

#endif
