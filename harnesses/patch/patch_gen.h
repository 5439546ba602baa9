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

/* A file |a| of up to 8 blocks (kept lines, then removed lines) and |b|,
 * the same blocks with the added lines instead: diffs of several hunks
 * (edit_gen.c). */
void draw_edited(pry_t *p, pry_bytes_t *a, pry_bytes_t *b);

/* Apply |f| to |in| (forward or reverse); fails the property with the
 * hunk reports when it does not apply. The result is malloc'd: free with
 * patch_bytes_free. */
char *apply_or_fail(pry_t *p, const patch_file *f, const pry_bytes_t *in,
                    int reverse, size_t *out_len);

/* diff(a, b) with 3 lines of context, names "a" and "b"; fails the
 * property if the differ does. Free with patch_file_free. */
patch_file *diff_or_fail(pry_t *p, const pry_bytes_t *a, const pry_bytes_t *b);

/* |d| applied to prefix + a gives prefix + b (the diff is noted when not). */
void check_applies_after(pry_t *p, const patch_file *d, const pry_bytes_t *prefix,
                         const pry_bytes_t *a, const pry_bytes_t *b);

/* diff(a, b) applied to a gives b, reversed to b gives a, and the same
 * after the diff is printed and parsed back: the 2019 property. */
void check_diff_roundtrip(pry_t *p, const pry_bytes_t *a, const pry_bytes_t *b);

/* Does the hunk's old side (context and removed lines) occur exactly once
 * in |a|? */
bool matches_once(const patch_hunk *hk, const pry_bytes_t *a);

/* Has a hunk less leading than trailing context (GNU anchors it to the
 * start of the file, so it does not move with lines put in front)? */
bool anchored_at_start(const patch_file *d);

#endif
