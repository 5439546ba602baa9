/* test_parse.c: the unified-diff parser, including every edge case the
 * README lists and the line numbers of errors. */
#include "check.h"
#include "patch.h"

static patch_set *P(const char *s, int *rc, long *line)
{
    patch_set *set = NULL;
    *rc = patch_parse(s, strlen(s), &set, line);
    return set;
}

static void test_simple(void)
{
    int rc; long line;
    patch_set *s = P("commentary\nmore\n--- a/f.c\t2019-01-01 00:00:00 +0000\n"
                     "+++ b/f.c\t2019-01-02\n@@ -1,3 +1,3 @@ int main\n a\n-b\n+B\n c\n"
                     "trailing garbage\n", &rc, &line);
    CHECK_EQ(rc, PATCH_OK);
    CHECK(s && s->nfiles == 1);
    if (!s || s->nfiles != 1) { patch_set_free(s); return; }
    patch_file *f = &s->files[0];
    CHECK_STREQ(f->old_name, "a/f.c");
    CHECK_STREQ(f->new_name, "b/f.c");
    CHECK_STREQ(f->old_stamp, "2019-01-01 00:00:00 +0000");
    CHECK_STREQ(f->new_stamp, "2019-01-02");
    CHECK_EQ(f->line_no, 3);
    CHECK_EQ(f->nhunks, 1);
    patch_hunk *h = &f->hunks[0];
    CHECK_EQ(h->old_start, 1); CHECK_EQ(h->old_count, 3);
    CHECK_EQ(h->new_start, 1); CHECK_EQ(h->new_count, 3);
    CHECK_STREQ(h->section, " int main");
    CHECK_EQ(h->nlines, 4);
    CHECK_EQ(h->lines[1].kind, '-');
    CHECK_STREQ(h->lines[2].text, "B");
    CHECK_EQ(h->line_no, 5);
    patch_set_free(s);
}

static void test_multi_file(void)
{
    int rc; long line;
    patch_set *s = P("diff -u a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-1\n+2\n"
                     "Only in a: z\n--- a/y\n+++ b/y\n@@ -1,2 +1,2 @@\n-1\n+2\n k\n"
                     "@@ -10 +10 @@\n-x\n+y\n", &rc, &line);
    CHECK_EQ(rc, PATCH_OK);
    CHECK(s && s->nfiles == 2);
    if (s && s->nfiles == 2) {
        CHECK_EQ(s->files[1].nhunks, 2);
        CHECK_EQ(s->files[1].hunks[1].old_start, 10);
        CHECK_EQ(s->files[1].hunks[1].old_count, 1); /* omitted count */
    }
    patch_set_free(s);
}

static void test_dev_null(void)
{
    int rc; long line;
    patch_set *s = P("--- /dev/null\n+++ b/new\n@@ -0,0 +1,3 @@\n+a\n+b\n+c\n"
                     "--- a/old\t2020\n+++ /dev/null\n@@ -1 +0,0 @@\n-gone\n", &rc, &line);
    CHECK_EQ(rc, PATCH_OK);
    if (s && s->nfiles == 2) {
        CHECK(s->files[0].old_name == NULL);
        CHECK(s->files[0].flags & PATCH_F_CREATE);
        CHECK_EQ(s->files[0].hunks[0].old_start, 0);
        CHECK_EQ(s->files[0].hunks[0].old_count, 0);
        CHECK(s->files[1].new_name == NULL);
        CHECK(s->files[1].flags & PATCH_F_DELETE);
        CHECK_EQ(s->files[1].hunks[0].new_count, 0);
    } else CHECK(0);
    patch_set_free(s);
    s = P("--- /dev/null\n+++ /dev/null\n", &rc, &line);
    CHECK_EQ(rc, PATCH_ERR_SYNTAX);
    CHECK_EQ(line, 1);
    CHECK(s == NULL);
}

static void test_zero_ranges(void)
{
    int rc; long line;
    patch_set *s = P("--- a\n+++ b\n@@ -3,0 +4 @@\n+new\n@@ -7 +8,0 @@\n-old\n", &rc, &line);
    CHECK_EQ(rc, PATCH_OK);
    if (s) {
        patch_hunk *h = s->files[0].hunks;
        CHECK_EQ(h[0].old_start, 3); CHECK_EQ(h[0].old_count, 0);
        CHECK_EQ(h[0].new_start, 4); CHECK_EQ(h[0].new_count, 1);
        CHECK_EQ(h[1].new_count, 0);
    }
    patch_set_free(s);
    /* start 0 with a non-zero count is not a line */
    s = P("--- a\n+++ b\n@@ -0,1 +1 @@\n-x\n+y\n", &rc, &line);
    CHECK_EQ(rc, PATCH_ERR_SYNTAX);
    CHECK_EQ(line, 3);
}

static void test_no_newline_markers(void)
{
    int rc; long line;
    /* old side */
    patch_set *s = P("--- a\n+++ b\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+x\n", &rc, &line);
    CHECK_EQ(rc, PATCH_OK);
    if (s) { CHECK(s->files[0].hunks[0].old_nonl); CHECK(!s->files[0].hunks[0].new_nonl); }
    patch_set_free(s);
    /* new side */
    s = P("--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n\\ No newline at end of file\n", &rc, &line);
    CHECK_EQ(rc, PATCH_OK);
    if (s) { CHECK(!s->files[0].hunks[0].old_nonl); CHECK(s->files[0].hunks[0].new_nonl); }
    patch_set_free(s);
    /* both (context line) */
    s = P("--- a\n+++ b\n@@ -1,2 +1,2 @@\n-x\n+y\n z\n\\ Kein Zeilenumbruch\n", &rc, &line);
    CHECK_EQ(rc, PATCH_OK);
    if (s) { CHECK(s->files[0].hunks[0].old_nonl); CHECK(s->files[0].hunks[0].new_nonl); }
    patch_set_free(s);
    /* a line after the side was closed */
    s = P("--- a\n+++ b\n@@ -1,2 +1,1 @@\n-x\n\\ No newline at end of file\n-y\n+z\n", &rc, &line);
    CHECK_EQ(rc, PATCH_ERR_SYNTAX);
    CHECK_EQ(line, 6);
    /* marker with nothing before it */
    s = P("--- a\n+++ b\n@@ -1 +1 @@\n\\ No newline at end of file\n-x\n+y\n", &rc, &line);
    CHECK_EQ(rc, PATCH_ERR_SYNTAX);
    CHECK_EQ(line, 4);
}

static void test_counts(void)
{
    int rc; long line;
    patch_set *s = P("--- a\n+++ b\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n", &rc, &line);
    CHECK_EQ(rc, PATCH_ERR_COUNT); /* truncated */
    CHECK_EQ(line, 7);
    CHECK(s == NULL);
    s = P("--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\nxyz\n+c\n", &rc, &line);
    CHECK_EQ(rc, PATCH_ERR_COUNT); /* short body, garbage */
    CHECK_EQ(line, 6);
    s = P("--- a\n+++ b\n@@ -1 +1 @@\n-a\n-b\n+c\n", &rc, &line);
    CHECK_EQ(rc, PATCH_ERR_COUNT); /* too many old lines */
    CHECK_EQ(line, 5);
    /* empty line = empty context line */
    s = P("--- a\n+++ b\n@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n", &rc, &line);
    CHECK_EQ(rc, PATCH_OK);
    if (s) { CHECK_EQ(s->files[0].hunks[0].lines[1].kind, ' '); CHECK_EQ(s->files[0].hunks[0].lines[1].len, 0); }
    patch_set_free(s);
}

static void test_overflow(void)
{
    int rc; long line;
    patch_set *s = P("--- a\n+++ b\n@@ -99999999999999999999999,1 +1 @@\n-a\n+b\n", &rc, &line);
    CHECK_EQ(rc, PATCH_ERR_RANGE);
    CHECK_EQ(line, 3);
    CHECK(s == NULL);
    s = P("--- a\n+++ b\n@@ -1,1 +1,1073741824 @@\n-a\n+b\n", &rc, &line);
    CHECK_EQ(rc, PATCH_ERR_RANGE);
    s = P("--- a\n+++ b\n@@ -1,1 +1,1073741823 @@\n-a\n+b\n", &rc, &line);
    CHECK_EQ(rc, PATCH_ERR_COUNT); /* in range, but the body ends */
    CHECK_EQ(line, 6);
}

static void test_bad_headers(void)
{
    int rc; long line;
    const char *bad[] = {
        "--- a\n+++ b\n@@ -1 +1\n-a\n+b\n",
        "--- a\n+++ b\n@@ -x +1 @@\n",
        "--- a\n+++ b\n@@ 1 +1 @@\n",
        "--- a\n+++ b\n@@ -1, +1 @@\n",
        "--- a\n+++ b\n@@ -1 -1 @@\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        patch_set *s = P(bad[i], &rc, &line);
        CHECK_EQ(rc, PATCH_ERR_SYNTAX);
        CHECK_EQ(line, 3);
        CHECK(s == NULL);
    }
}

static void test_git(void)
{
    int rc; long line;
    patch_set *s = P("From: someone\nSubject: x\n\n---\n"
                     "diff --git a/old.txt b/new.txt\nsimilarity index 90%\n"
                     "rename from old.txt\nrename to new.txt\nindex 1234567..89abcde 100644\n"
                     "--- a/old.txt\n+++ b/new.txt\n@@ -1 +1 @@\n-x\n+y\n"
                     "diff --git a/e b/e\nnew file mode 100755\nindex 0000000..e69de29\n"
                     "diff --git \"a/sp\\303\\251cial\" \"b/sp\\303\\251cial\"\ndeleted file mode 100644\n"
                     "--- \"a/sp\\303\\251cial\"\n+++ /dev/null\n@@ -1 +0,0 @@\n-z\n"
                     "diff --git a/m b/m\nold mode 100644\nnew mode 100755\n", &rc, &line);
    CHECK_EQ(rc, PATCH_OK);
    CHECK(s && s->nfiles == 4);
    if (s && s->nfiles == 4) {
        patch_file *f = s->files;
        CHECK(f[0].flags & PATCH_F_GIT);
        CHECK(f[0].flags & PATCH_F_RENAME);
        CHECK_EQ(f[0].similarity, 90);
        CHECK_STREQ(f[0].old_name, "a/old.txt");
        CHECK_STREQ(f[0].new_name, "b/new.txt");
        CHECK_STREQ(f[0].git_index, "1234567..89abcde 100644");
        CHECK(f[1].flags & PATCH_F_CREATE);
        CHECK_EQ(f[1].new_mode, 0100755);
        CHECK_EQ(f[1].nhunks, 0);
        CHECK_STREQ(f[2].old_name, "a/sp\303\251cial");
        CHECK(f[2].flags & PATCH_F_DELETE);
        CHECK_EQ(f[2].old_mode, 0100644);
        CHECK_EQ(f[3].old_mode, 0100644);
        CHECK_EQ(f[3].new_mode, 0100755);
    }
    patch_set_free(s);
    /* unquoted names with spaces split where both halves agree */
    s = P("diff --git a/x y b/x y\nnew file mode 100644\n", &rc, &line);
    CHECK_EQ(rc, PATCH_OK);
    if (s) { CHECK_STREQ(s->files[0].old_name, "a/x y"); CHECK_STREQ(s->files[0].new_name, "b/x y"); }
    patch_set_free(s);
    /* ... and for a rename or copy, where "rename from/to" say (git apply) */
    s = P("diff --git a/doc/user guide b/x\nsimilarity index 100%\n"
          "rename from doc/user guide\nrename to x\n"
          "diff --git a/p q b/p q r\ncopy from p q\ncopy to p q r\n", &rc, &line);
    CHECK_EQ(rc, PATCH_OK);
    if (s && s->nfiles == 2) {
        CHECK_STREQ(s->files[0].old_name, "a/doc/user guide");
        CHECK_STREQ(s->files[0].new_name, "b/x");
        CHECK_STREQ(s->files[1].old_name, "a/p q");
        CHECK_STREQ(s->files[1].new_name, "b/p q r");
        CHECK(s->files[1].flags & PATCH_F_COPY);
    } else CHECK(0);
    patch_set_free(s);
    /* bad quoting */
    s = P("diff --git \"a/x b/x\n", &rc, &line);
    CHECK_EQ(rc, PATCH_ERR_SYNTAX); CHECK_EQ(line, 1);
    s = P("--- \"a\\000b\"\n+++ b\n", &rc, &line);
    CHECK_EQ(rc, PATCH_ERR_SYNTAX); CHECK_EQ(line, 1);
}

static void test_binary(void)
{
    int rc; long line;
    patch_set *s = P("diff --git a/b.png b/b.png\nindex 1..2 100644\nGIT binary patch\nliteral 5\nabc\n", &rc, &line);
    CHECK_EQ(rc, PATCH_ERR_BINARY); CHECK_EQ(line, 3); CHECK(s == NULL);
    s = P("diff -u a b\nBinary files a/x and b/x differ\n", &rc, &line);
    CHECK_EQ(rc, PATCH_ERR_BINARY); CHECK_EQ(line, 2);
}

static void test_crlf(void)
{
    int rc; long line;
    patch_set *s = P("--- a\r\n+++ b\r\n@@ -1,2 +1,2 @@\r\n x\r\n-y\r\n+Y\r\n\\ No newline at end of file\r\n", &rc, &line);
    CHECK_EQ(rc, PATCH_OK);
    if (s) {
        CHECK(s->files[0].flags & PATCH_F_CRLF);
        CHECK_STREQ(s->files[0].new_name, "b");
        CHECK_STREQ(s->files[0].hunks[0].lines[0].text, "x");
        CHECK(s->files[0].hunks[0].new_nonl);
    }
    patch_set_free(s);
    /* LF headers: CRs in the body are content */
    s = P("--- a\n+++ b\n@@ -1 +1 @@\n-x\r\n+y\r\n", &rc, &line);
    CHECK_EQ(rc, PATCH_OK);
    if (s) { CHECK(!(s->files[0].flags & PATCH_F_CRLF)); CHECK_EQ(s->files[0].hunks[0].lines[0].len, 2); }
    patch_set_free(s);
}

static void test_nul_and_empty(void)
{
    int rc; long line = -1;
    patch_set *s = NULL;
    rc = patch_parse("", 0, &s, &line);
    CHECK_EQ(rc, PATCH_OK);
    CHECK(s && s->nfiles == 0);
    CHECK_EQ(line, 0);
    patch_set_free(s);
    const char t[] = "--- a\n+++ b\n@@ -1 +1 @@\n-x\0y\n+z\n";
    rc = patch_parse(t, sizeof t - 1, &s, &line);
    CHECK_EQ(rc, PATCH_OK);
    if (s) CHECK_MEMEQ(s->files[0].hunks[0].lines[0].text, s->files[0].hunks[0].lines[0].len, "x\0y", 3);
    patch_set_free(s);
    CHECK_EQ(patch_parse(NULL, 1, &s, &line), PATCH_ERR_INVAL);
    CHECK(patch_strerror(PATCH_ERR_COUNT) != NULL);
    CHECK(strcmp(patch_strerror(12345), "unknown error") == 0);
}

int main(void)
{
    RUN(test_simple);
    RUN(test_multi_file);
    RUN(test_dev_null);
    RUN(test_zero_ranges);
    RUN(test_no_newline_markers);
    RUN(test_counts);
    RUN(test_overflow);
    RUN(test_bad_headers);
    RUN(test_git);
    RUN(test_binary);
    RUN(test_crlf);
    RUN(test_nul_and_empty);
    return check_summary();
}
