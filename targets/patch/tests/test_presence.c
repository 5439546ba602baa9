/* test_presence.c: creation and removal verdicts and header timestamps.
 * Every expectation about "the epoch" was read off GNU patch 2.7.6: a
 * patch removing the only line of f, "+++ b/f\tSTAMP", applied with -p1;
 * GNU removes f exactly when it takes STAMP for the epoch. */
#include "check.h"
#include "patch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static patch_set *P(const char *text)
{
    patch_set *s = NULL;
    long line = 0;
    if (patch_parse(text, strlen(text), &s, &line) != PATCH_OK)
        return NULL;
    return s;
}

/* The verdict on the new side of the removal patch with |stamp|. */
static int removes(const char *stamp)
{
    char text[512];
    snprintf(text, sizeof text,
             "--- a/f\t2020-01-01 00:00:00 +0000\n+++ b/f\t%s\n@@ -1 +0,0 @@\n-x\n",
             stamp);
    patch_set *s = P(text);
    int r = -1;
    if (s && s->nfiles == 1)
        r = patch_file_presence(&s->files[0], PATCH_SIDE_NEW) == PATCH_ABSENT;
    patch_set_free(s);
    return r;
}

static const char *const epoch_utc[] = {
    "1970-01-01 00:00:00.000000000 +0000",     /* diff -N in UTC */
    "1969-12-31 19:00:00.000000000 -0500",     /* diff -N in New York */
    "1970-01-01 05:30:00.000000000 +0530",     /* diff -N in Kolkata */
    "Thu Jan  1 00:00:00 1970",                /* ctime (old diff -c) */
    "Thu Jan 01 00:00:00 UTC 1970",            /* date(1) */
    "Thu, 01 Jan 1970 00:00:00 +0000",         /* RFC 5322 */
    "thu jan 1 00:00:00 1970", "Thursday January 1 00:00:00 1970",
    "Mon Jan  1 00:00:00 1970",                /* weekday ignored */
    "Thu Jan  1 1970", "Thu Jan  1 00:00 1970",
    "1970-01-01 12:00:00 +0000",               /* inside the window */
    "1970-01-02 01:59:59 +0000", "1970-01-02 01:59:59.999999999 +0000",
    "1969-12-30 23:00:01 +0000", "1969-12-30 23:00:00.5 +0000",
    "1970-01-01", "1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000000000+00:00",
    "1970-01-01 00:00:00 UTC", "1970-01-01 00:00:00 GMT", "1970-01-01 00:00:00 Z",
    "1970-01-01 00:00:00 EST", "1970-01-01 00:00:00 pst", "1970-01-01 00:00:00 CET",
    "1970-01-01 00:00:00 BST", "1970-01-01 00:00:00 A",
    "1970-01-01 00:00:00", "1970-01-01 00:00", "1970-01-01 00:00:00.000000000",
    "1970-01-01 00:00:00 +05:30", "1970-01-01 00:00:00 +5", "1970-01-01 00:00:00 +530",
    "1970-01-01 00:00:00 +00", "1970-01-01 00:00:00 +2400",
    "1970-01-01 00:00:00 -0500 (EST)", "1970-01-01 00:00:00 +0000 (UTC)",
    "1970-01-01 00:00:00+0000", "1970-01-01  00:00:00   +0000",
    "  1970-01-01 00:00:00 +0000  ", "1970-1-1 0:0:0 +0000", "70-01-01 00:00:00 +0000",
    "1970-01-01 00:00:00,5 +0000", "1970-01-01 00:00:00.5 +0000",
};

static const char *const not_epoch_utc[] = {
    "1970-01-02 02:00:00 +0000",               /* +26 h: outside */
    "1969-12-30 23:00:00 +0000",               /* -25 h: outside */
    "1969-12-30 22:59:59.5 +0000",
    "2024-05-01 10:00:00.000000000 +0000",     /* an ordinary date */
    "Thu Jan 01 00:00:00 1970 +0000",          /* a zone after the year */
    "(revision 0)", "(nonexistent)", "(working copy)",   /* svn */
    "1970-01-01 00:00:00 +0000 junk", "1970-01-01 00:00:00 +0000 +0000",
    "1970-01-01 00:00:00. +0000", "1970-01-01 24:00:00 +0000",
    "1970-01-01 23:60:00 +0000", "1970-02-30 00:00:00 +0000",
    "1970-01-01 00:00:00 -2500", "1970-01-01 00:00:00 +2500",
    "Sat Jan  3 00:00:00 1970", "",
};

static void set_tz(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
}

static void test_epoch_stamps(void)
{
    set_tz("UTC0");
    for (size_t i = 0; i < sizeof epoch_utc / sizeof epoch_utc[0]; i++)
        if (removes(epoch_utc[i]) != 1) {
            fprintf(stderr, "  should be the epoch: \"%s\"\n", epoch_utc[i]);
            CHECK(0);
        }
    for (size_t i = 0; i < sizeof not_epoch_utc / sizeof not_epoch_utc[0]; i++)
        if (removes(not_epoch_utc[i]) != 0) {
            fprintf(stderr, "  should not be the epoch: \"%s\"\n", not_epoch_utc[i]);
            CHECK(0);
        }
}

/* Without a zone the time is local: GNU patch under TZ=UTC+5 (five hours
 * west) and TZ=UTC-5. */
static void test_local_time(void)
{
    set_tz("UTC+5");
    CHECK_EQ(removes("1970-01-02 01:30:00"), 0);  /* 06:30 UTC: +30.5 h */
    CHECK_EQ(removes("1969-12-30 23:30:00"), 1);
    CHECK_EQ(removes("Fri Jan  2 01:30:00 1970"), 0);
    CHECK_EQ(removes("1970-01-02 01:30:00 +0000"), 1); /* a zone wins */
    set_tz("UTC-5");
    CHECK_EQ(removes("1970-01-02 01:30:00"), 1);
    CHECK_EQ(removes("1969-12-30 23:30:00"), 0);
    set_tz("UTC0");
}

static void test_stamp_values(void)
{
    long long sec = 1;
    long nsec = 1;
    set_tz("UTC0");
    CHECK_EQ(patch_stamp_parse("2024-05-01 10:00:00.123456789 +0200", &sec, &nsec), PATCH_OK);
    CHECK_EQ(sec, 1714550400LL);
    CHECK_EQ(nsec, 123456789L);
    CHECK_EQ(patch_stamp_parse("Wed May  1 08:00:00 2024", &sec, &nsec), PATCH_OK);
    CHECK_EQ(sec, 1714550400LL);
    CHECK_EQ(nsec, 0L);
    CHECK_EQ(patch_stamp_parse("1969-12-31 23:59:59 +0000", &sec, &nsec), PATCH_OK);
    CHECK_EQ(sec, -1LL);
    CHECK_EQ(patch_stamp_parse("2000-02-29 00:00:00 +0000", &sec, &nsec), PATCH_OK);
    CHECK_EQ(patch_stamp_parse("1900-02-29 00:00:00 +0000", &sec, &nsec), PATCH_ERR_SYNTAX);
    CHECK_EQ(patch_stamp_parse("@0", &sec, &nsec), PATCH_ERR_SYNTAX);
    CHECK_EQ(patch_stamp_parse(NULL, &sec, &nsec), PATCH_ERR_INVAL);
    CHECK_EQ(patch_stamp_parse("1970-01-01", NULL, &nsec), PATCH_ERR_INVAL);
}

static patch_presence side(const char *text, patch_side sd)
{
    patch_set *s = P(text);
    patch_presence v = (patch_presence)-1;
    if (s && s->nfiles == 1)
        v = patch_file_presence(&s->files[0], sd);
    patch_set_free(s);
    return v;
}

static void test_presence_rules(void)
{
    const char *E = "1970-01-01 00:00:00.000000000 +0000";
    const char *T = "2024-05-01 10:00:00.000000000 +0000";
    char t[512];
    set_tz("UTC0");
    /* diff -N: the epoch on the missing side. */
    snprintf(t, sizeof t, "--- a/f\t%s\n+++ b/f\t%s\n@@ -0,0 +1 @@\n+x\n", E, T);
    CHECK_EQ(side(t, PATCH_SIDE_OLD), PATCH_ABSENT);
    CHECK_EQ(side(t, PATCH_SIDE_NEW), PATCH_PRESENT);
    /* A real timestamp on an empty side: an empty file that exists. */
    snprintf(t, sizeof t, "--- a/f\t%s\n+++ b/f\t%s\n@@ -0,0 +1 @@\n+x\n", T, T);
    CHECK_EQ(side(t, PATCH_SIDE_OLD), PATCH_PRESENT_EMPTY);
    snprintf(t, sizeof t, "--- a/f\n+++ b/f\n@@ -1 +0,0 @@\n-x\n");
    CHECK_EQ(side(t, PATCH_SIDE_NEW), PATCH_PRESENT_EMPTY);
    /* The epoch only counts with a range at line 0. */
    snprintf(t, sizeof t, "--- a/f\t%s\n+++ b/f\t%s\n@@ -1 +1 @@\n-x\n+y\n", E, E);
    CHECK_EQ(side(t, PATCH_SIDE_OLD), PATCH_PRESENT);
    CHECK_EQ(side(t, PATCH_SIDE_NEW), PATCH_PRESENT);
    /* /dev/null is time 0, but also only with a range at 0 (GNU then
     * cannot find b/f: "--- /dev/null" alone creates nothing). */
    CHECK_EQ(side("--- /dev/null\n+++ b/f\n@@ -0,0 +1 @@\n+x\n", PATCH_SIDE_OLD), PATCH_ABSENT);
    CHECK_EQ(side("--- a/f\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n", PATCH_SIDE_NEW), PATCH_ABSENT);
    /* Only the first hunk is read. */
    snprintf(t, sizeof t, "--- a/f\t%s\n+++ b/f\t%s\n@@ -1 +1 @@\n-x\n+y\n@@ -0,0 +3 @@\n+z\n", E, E);
    CHECK_EQ(side(t, PATCH_SIDE_OLD), PATCH_PRESENT);
    /* git: mode lines, then the index hashes. */
    CHECK_EQ(side("diff --git a/e b/e\nnew file mode 100644\nindex 0000000..e69de29\n",
                  PATCH_SIDE_OLD), PATCH_ABSENT);
    CHECK_EQ(side("diff --git a/e b/e\nnew file mode 100644\nindex 0000000..e69de29\n",
                  PATCH_SIDE_NEW), PATCH_PRESENT_EMPTY);
    CHECK_EQ(side("diff --git a/e b/e\ndeleted file mode 100644\nindex e69de29..0000000\n",
                  PATCH_SIDE_NEW), PATCH_ABSENT);
    CHECK_EQ(side("diff --git a/e b/e\ndeleted file mode 100644\nindex e69de29..0000000\n",
                  PATCH_SIDE_OLD), PATCH_PRESENT_EMPTY);
    CHECK_EQ(side("diff --git a/f b/f\nnew file mode 100755\nindex 0000000..257cc56\n"
                  "--- /dev/null\n+++ b/f\n@@ -0,0 +1 @@\n+foo\n", PATCH_SIDE_OLD), PATCH_ABSENT);
    CHECK_EQ(side("diff --git a/f b/f\nindex 257cc56..3bd1f0e 100644\n"
                  "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-foo\n+bar\n", PATCH_SIDE_OLD), PATCH_PRESENT);
    CHECK_EQ(patch_file_presence(NULL, PATCH_SIDE_OLD), PATCH_PRESENT);
    /* patch_diff: a NULL name is /dev/null. */
    patch_diff_options o = {3, NULL, "b/f"};
    patch_file *d = NULL;
    CHECK_EQ(patch_diff("", 0, "x\n", 2, &o, &d), PATCH_OK);
    if (d) {
        CHECK_EQ(patch_file_presence(d, PATCH_SIDE_OLD), PATCH_ABSENT);
        CHECK_EQ(patch_file_presence(d, PATCH_SIDE_NEW), PATCH_PRESENT);
    }
    patch_file_free(d);
}

int main(void)
{
    RUN(test_epoch_stamps);
    RUN(test_local_time);
    RUN(test_stamp_values);
    RUN(test_presence_rules);
    return check_summary();
}
