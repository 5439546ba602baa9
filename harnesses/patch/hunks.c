/*
 * hunks.c: a diff of several hunks, applied to the file with unrelated
 * lines put in front. The first hunk is found at an offset (the prefix's
 * length), and each later hunk is tried first at its header's line plus
 * that offset, which is exactly where it is (GNU patch's manual: "it takes
 * the line number mentioned for the hunk, plus or minus any offset used in
 * applying the previous hunk"). So diff(a, b) applied to prefix + a gives
 * prefix + b, whatever the lines of a are.
 *
 * Only the first hunk is searched for, so only its old lines must occur
 * once in a (as in offset_invariance, and it must not be anchored at the
 * start of the file). The later hunks' lines may repeat, and that is the
 * point: a hunk tried at the wrong line still lands in the right place
 * unless its lines also occur nearer to that wrong line, so an applier
 * that loses track of the offset is caught only on files that repeat
 * themselves near a hunk, which a coverage-guided fuzzer builds step by
 * step and random choice rarely draws (edit_gen.c).
 */
#include "patch_gen.h"

#include <string.h>

PRY_PROPERTY(multi_hunk)
{
    pry_bytes_t a, b;
    draw_edited(p, &a, &b);
    pry_bytes_t prefix = draw_other_lines(p, "prefix");
    pry_assume(p, a.len > 0);

    patch_diff_options opts = {3, "a", "b"};
    patch_file *d = NULL;
    int r = patch_diff((const char *)a.data, a.len, (const char *)b.data, b.len,
                       &opts, &d);
    pry_check(p, r == PATCH_OK, "diff: %s", patch_strerror(r));
    if (prefix.len > 0 && d->nhunks > 0 &&
        (anchored_at_start(d) || !matches_once(&d->hunks[0], &a))) {
        patch_file_free(d);
        pry_assume(p, false);
    }

    pry_bytes_t pa = {pry_alloc(p, prefix.len + a.len + 1), prefix.len + a.len};
    memcpy(pa.data, prefix.data, prefix.len);
    memcpy(pa.data + prefix.len, a.data, a.len);
    size_t n;
    char *out = apply_or_fail(p, d, &pa, 0, &n);
    bool same = n == prefix.len + b.len && memcmp(out, prefix.data, prefix.len) == 0 &&
                memcmp(out + prefix.len, b.data, b.len) == 0;
    if (!same) { /* the diff, for the report; printed only then, it is slow */
        char *text = NULL;
        size_t text_len = 0;
        if (patch_file_print(d, &text, &text_len) == PATCH_OK)
            pry_note(p, "%zu hunks, diff(a, b) =\n%s", d->nhunks, text);
        patch_bytes_free(text);
    }
    patch_file_free(d);
    pry_check(p, n >= prefix.len && memcmp(out, prefix.data, prefix.len) == 0,
              "the prefix changed");
    pry_check_eq_mem(p, out + prefix.len, n - prefix.len, b.data, b.len);
    patch_bytes_free(out);
}
