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

PRY_PROPERTY(multi_hunk)
{
    pry_bytes_t a, b;
    draw_edited(p, &a, &b);
    pry_bytes_t prefix = draw_other_lines(p, "prefix");
    pry_assume(p, a.len > 0);

    patch_file *d = diff_or_fail(p, &a, &b);
    if (prefix.len > 0 && d->nhunks > 0 &&
        (anchored_at_start(d) || !matches_once(&d->hunks[0], &a))) {
        patch_file_free(d);
        pry_assume(p, false);
    }
    check_applies_after(p, d, &prefix, &a, &b);
    patch_file_free(d);
}
