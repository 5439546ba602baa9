/*
 * roundtrip.c: the property that found the 2019 bug. For any two files a
 * and b, applying diff(a, b) to a gives b, and applying it reversed to b
 * gives a; the same holds after the diff is printed and parsed back.
 */
#include "patch_gen.h"

#include <stdlib.h>
#include <string.h>

PRY_PROPERTY(roundtrip)
{
    pry_bytes_t a = draw_file(p, "a");
    pry_bytes_t b = draw_file(p, "b");
    check_diff_roundtrip(p, &a, &b);
}

/* Offset invariance: k unrelated lines in front of both files move every
 * hunk by k lines, and the diff still applies, at an offset, to give the
 * same lines in front of b. (The lines come from another alphabet, so no
 * hunk can match inside them; a must be non-empty, or a pure insertion
 * has no context to find its place.)
 *
 * GNU patch anchors a hunk with less leading than trailing context to the
 * start of the file (diff would have printed more leading context
 * otherwise), and so do we; such a hunk does not move with a prefix, so
 * the property is about the others. And the search for a hunk goes
 * outward from where its header says and takes the nearest match: when a
 * hunk's old lines occur more than once in a (seven empty lines), a match
 * nearer than the prefix's length may lie inside a itself, and applying
 * there is right. So every hunk must match a in exactly one place (found
 * by the long libFuzzer campaign: corpora/patch/offset_invariance/). */
PRY_PROPERTY(offset_invariance)
{
    pry_bytes_t a = draw_file(p, "a");
    pry_bytes_t b = draw_file(p, "b");
    pry_bytes_t prefix = draw_other_lines(p, "prefix");
    pry_assume(p, a.len > 0);

    patch_file *d = diff_or_fail(p, &a, &b);
    bool unique = true;
    for (size_t h = 0; h < d->nhunks; h++)
        unique = unique && matches_once(&d->hunks[h], &a);
    if (anchored_at_start(d) || !unique) {
        patch_file_free(d);
        pry_assume(p, false);
    }

    check_applies_after(p, d, &prefix, &a, &b);
    patch_file_free(d);
}
