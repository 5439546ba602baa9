/* test_plants.c: one check per planted bug (plants.tsv). Compiled plain it
 * checks the correct behaviour; compiled with -DPRY_PLANT_<NAME> it checks
 * the bug's behaviour instead, so both builds pass and a plant that stops
 * having an effect is noticed. None of the checks triggers the plant's
 * memory error itself, so the planted builds run cleanly. */
#include "check.h"
#include "patch.h"

#ifdef PRY_PLANT_NO_NEWLINE
#define EXPECT_NO_NEWLINE_BUG 1
#endif
#ifdef PRY_PLANT_ZERO_RANGE
#define EXPECT_ZERO_RANGE_BUG 1
#endif
#ifdef PRY_PLANT_HUNK_COUNT
#define EXPECT_HUNK_COUNT_BUG 1
#endif
#ifdef PRY_PLANT_STRIP_ESCAPE
#define EXPECT_STRIP_ESCAPE_BUG 1
#endif
#ifdef PRY_PLANT_HEADER_OVERFLOW
#define EXPECT_HEADER_OVERFLOW_BUG 1
#endif
#ifdef PRY_PLANT_PLUS_ANCHOR
#define EXPECT_PLUS_ANCHOR_BUG 1
#endif
#ifdef PRY_PLANT_OFFSET_RESET
#define EXPECT_OFFSET_RESET_BUG 1
#endif

/* diff(a, b) applied to prefix + a gives prefix + b ? */
static int prefixed_apply_ok(const char *prefix, const char *a, const char *b, int ctx)
{
    patch_diff_options o = {ctx, "a", "b"};
    patch_file *f = NULL;
    char *out = NULL, t[128], want[128];
    size_t len = 0;
    snprintf(t, sizeof t, "%s%s", prefix, a);
    snprintf(want, sizeof want, "%s%s", prefix, b);
    int ok = patch_diff(a, strlen(a), b, strlen(b), &o, &f) == PATCH_OK &&
             patch_file_apply(f, t, strlen(t), NULL, &out, &len, NULL) == PATCH_OK &&
             len == strlen(want) && memcmp(out, want, len) == 0;
    patch_bytes_free(out);
    patch_file_free(f);
    return ok;
}

/* apply(a, diff(a, b)) == b ? */
static int diff_apply_ok(const char *a, const char *b, int ctx)
{
    return prefixed_apply_ok("", a, b, ctx);
}

static void test_no_newline(void)
{
    /* the 2019 Crowbar case: last line loses / gains its newline */
    int ok1 = diff_apply_ok("a\nb", "a\nc\n", 3);
    int ok2 = diff_apply_ok("a\n", "a\nb", 3);
#ifdef EXPECT_NO_NEWLINE_BUG
    CHECK(!ok1);
    CHECK(!ok2);
#else
    CHECK(ok1);
    CHECK(ok2);
#endif
}

static void test_zero_range(void)
{
    /* diff -U0 of an insertion after line 3 is "@@ -3,0 +4 @@" */
    int ok = diff_apply_ok("1\n2\n3\n4\n5\n", "1\n2\n3\nnew\n4\n5\n", 0);
#ifdef EXPECT_ZERO_RANGE_BUG
    CHECK(!ok);
#else
    CHECK(ok);
#endif
}

static void test_hunk_count(void)
{
    /* the header says one old line, the body has two */
    const char *t = "--- a\n+++ b\n@@ -1 +1 @@\n-a\n-b\n+c\n";
    patch_set *s = NULL;
    long line = 0;
    int rc = patch_parse(t, strlen(t), &s, &line);
#ifdef EXPECT_HUNK_COUNT_BUG
    CHECK_EQ(rc, PATCH_OK); /* accepted: applying it overflows the pattern */
#else
    CHECK_EQ(rc, PATCH_ERR_COUNT);
    CHECK_EQ(line, 5);
#endif
    patch_set_free(s);
}

static void test_strip_escape(void)
{
    char *out = NULL;
    int rc = patch_path_strip("d/../etc/passwd", 1, &out);
#ifdef EXPECT_STRIP_ESCAPE_BUG
    CHECK_EQ(rc, PATCH_OK);
    CHECK_STREQ(out, "../etc/passwd");
#else
    CHECK_EQ(rc, PATCH_ERR_PATH);
    CHECK(out == NULL);
#endif
    patch_bytes_free(out);
}

static void test_header_overflow(void)
{
    /* 2^64 + 1 wraps to 1 without the range check */
    const char *t = "--- a\n+++ b\n@@ -18446744073709551617 +1 @@\n-a\n+b\n";
    patch_set *s = NULL;
    long line = 0;
    int rc = patch_parse(t, strlen(t), &s, &line);
#ifdef EXPECT_HEADER_OVERFLOW_BUG
    CHECK_EQ(rc, PATCH_OK);
    CHECK(s && s->files[0].hunks[0].old_start == 1);
#else
    CHECK_EQ(rc, PATCH_ERR_RANGE);
    CHECK_EQ(line, 3);
#endif
    patch_set_free(s);
}

/* Two hunks: "new" after line 4, then "z" in the middle of a run of ten
 * "w" lines (lines 10-19), where the second hunk's old lines (six "w")
 * also match one line either side of their place. */
static const char TWO_A[] = "1\n2\n3\n4\n5\n6\n7\n8\n9\n"
                            "w\nw\nw\nw\nw\nw\nw\nw\nw\nw\n";
static const char TWO_B[] = "1\n2\n3\n4\nnew\n5\n6\n7\n8\n9\n"
                            "w\nw\nw\nw\nw\nz\nw\nw\nw\nw\nw\n";

/* plus-anchor: the second hunk (@@ -12,6 +13,7 @@) is tried at line 13,
 * where six "w" match too, so "z" lands one line late (bun #38879). */
static void test_plus_anchor(void)
{
    int ok = diff_apply_ok(TWO_A, TWO_B, 3);
#ifdef EXPECT_PLUS_ANCHOR_BUG
    CHECK(!ok);
#else
    CHECK(ok);
#endif
}

/* offset-reset: with a line in front, the first hunk needs offset 1; the
 * second, tried at its header's line 12 without it, matches the "w" run
 * there and lands one line early (jsdiff #84). */
static void test_offset_reset(void)
{
    int ok = prefixed_apply_ok("p\n", TWO_A, TWO_B, 3);
    (void)ok; /* unchecked under plus-anchor */
#ifdef EXPECT_OFFSET_RESET_BUG
    CHECK(!ok);
#elif !defined(EXPECT_PLUS_ANCHOR_BUG) /* that one misplaces it too */
    CHECK(ok);
#endif
}

int main(void)
{
    RUN(test_no_newline);
    RUN(test_zero_range);
    RUN(test_hunk_count);
    RUN(test_strip_escape);
    RUN(test_header_overflow);
    RUN(test_plus_anchor);
    RUN(test_offset_reset);
    return check_summary();
}
