/* test_apply.c: applying hunks the way GNU patch does: exact, offsets in
 * both directions, fuzz 1 and 2, overlap refusal, reverse, missing final
 * newlines on either side, create and delete. */
#include "check.h"
#include "patch.h"

#include <stdlib.h>

/* Apply the single-file patch `diff` to `in`; returns the apply result,
 * *out is a malloc'd NUL-terminated copy (caller frees). */
static int ap(const char *diff, const char *in, int reverse, char **out,
              patch_hunk_report *rep, size_t nrep)
{
    patch_set *s = NULL;
    char *res = NULL;
    size_t len = 0;
    *out = NULL;
    int rc = patch_parse(diff, strlen(diff), &s, NULL);
    if (rc != PATCH_OK) return 100 + rc;
    if (s->nfiles != 1 || s->files[0].nhunks > nrep) { patch_set_free(s); return 99; }
    patch_apply_options o = {reverse, 2};
    rc = patch_file_apply(&s->files[0], in, strlen(in), &o, &res, &len, rep);
    if (res) {
        *out = malloc(len + 1);
        memcpy(*out, res, len);
        (*out)[len] = '\0';
    }
    patch_bytes_free(res);
    patch_set_free(s);
    return rc;
}

static const char *LINES10 = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
static const char *D5 = "--- a\n+++ b\n@@ -3,5 +3,5 @@\n 3\n 4\n-5\n+five\n 6\n 7\n";

static void test_exact(void)
{
    char *o; patch_hunk_report r[1];
    CHECK_EQ(ap(D5, LINES10, 0, &o, r, 1), PATCH_OK);
    CHECK_STREQ(o, "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n");
    CHECK_EQ(r[0].status, PATCH_HUNK_APPLIED);
    CHECK_EQ(r[0].line, 3);
    CHECK_EQ(r[0].offset, 0);
    free(o);
}

static void test_offsets(void)
{
    char *o; patch_hunk_report r[2];
    CHECK_EQ(ap(D5, "x\ny\n1\n2\n3\n4\n5\n6\n7\n8\n", 0, &o, r, 1), PATCH_OK);
    CHECK_STREQ(o, "x\ny\n1\n2\n3\n4\nfive\n6\n7\n8\n");
    CHECK_EQ(r[0].status, PATCH_HUNK_OFFSET);
    CHECK_EQ(r[0].offset, 2);
    CHECK_EQ(r[0].line, 5);
    free(o);
    CHECK_EQ(ap(D5, "3\n4\n5\n6\n7\n8\n", 0, &o, r, 1), PATCH_OK);
    CHECK_STREQ(o, "3\n4\nfive\n6\n7\n8\n");
    CHECK_EQ(r[0].offset, -2);
    CHECK_EQ(r[0].line, 1);
    free(o);
    /* nearest wins; forward first on ties (GNU's search order) */
    const char *d = "--- a\n+++ b\n@@ -3 +3 @@\n-x\n+X\n";
    CHECK_EQ(ap(d, "a\nx\nb\nx\nc\n", 0, &o, r, 1), PATCH_OK);
    CHECK_STREQ(o, "a\nx\nb\nX\nc\n");
    CHECK_EQ(r[0].offset, 1);
    free(o);
    /* the offset carries to the next hunk */
    const char *d2 = "--- a\n+++ b\n@@ -1 +1 @@\n-a\n+A\n@@ -3 +3 @@\n-c\n+C\n";
    CHECK_EQ(ap(d2, "z\na\nb\nc\n", 0, &o, r, 2), PATCH_OK);
    CHECK_STREQ(o, "z\nA\nb\nC\n");
    free(o);
}

static void test_fuzz(void)
{
    char *o; patch_hunk_report r[1];
    /* first and last context lines differ: fuzz 1 */
    CHECK_EQ(ap(D5, "1\n2\nTHREE\n4\n5\n6\nSEVEN\n8\n", 0, &o, r, 1), PATCH_OK);
    CHECK_STREQ(o, "1\n2\nTHREE\n4\nfive\n6\nSEVEN\n8\n");
    CHECK_EQ(r[0].status, PATCH_HUNK_FUZZ);
    CHECK_EQ(r[0].fuzz, 1);
    free(o);
    /* two context lines at one end differ: fuzz 2 */
    const char *d = "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n";
    CHECK_EQ(ap(d, "1\nX\nY\n4\n5\n6\n7\n8\n9\n", 0, &o, r, 1), PATCH_OK);
    CHECK_STREQ(o, "1\nX\nY\n4\nfive\n6\n7\n8\n9\n");
    CHECK_EQ(r[0].fuzz, 2);
    free(o);
    /* three is too many */
    CHECK_EQ(ap(d, "1\nW\nX\nY\n5\n6\n7\n8\n9\n", 0, &o, r, 1), PATCH_ERR_FAILED);
    CHECK_STREQ(o, "1\nW\nX\nY\n5\n6\n7\n8\n9\n");
    CHECK_EQ(r[0].status, PATCH_HUNK_FAILED);
    CHECK_EQ(r[0].line, 2);
    free(o);
}

static void test_no_overlap(void)
{
    char *o; patch_hunk_report r[2];
    /* the second hunk's only match lies before the first hunk's change */
    const char *d = "--- a\n+++ b\n@@ -3 +3 @@\n-c\n+C\n@@ -5 +5 @@\n-a\n+A\n";
    CHECK_EQ(ap(d, "a\nb\nc\nd\ne\n", 0, &o, r, 2), PATCH_ERR_FAILED);
    CHECK_STREQ(o, "a\nb\nC\nd\ne\n");
    CHECK_EQ(r[0].status, PATCH_HUNK_APPLIED);
    CHECK_EQ(r[1].status, PATCH_HUNK_FAILED);
    free(o);
}

static void test_reverse(void)
{
    char *o; patch_hunk_report r[1];
    CHECK_EQ(ap(D5, "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n", 1, &o, r, 1), PATCH_OK);
    CHECK_STREQ(o, LINES10);
    free(o);
    /* reversing against the unpatched file fails */
    CHECK_EQ(ap(D5, LINES10, 1, &o, r, 1), PATCH_ERR_FAILED);
    free(o);
}

static void test_no_newline(void)
{
    char *o; patch_hunk_report r[1];
    const char *d1 = "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n";
    CHECK_EQ(ap(d1, "a\nb", 0, &o, r, 1), PATCH_OK);
    CHECK_STREQ(o, "a\nc\n");
    free(o);
    CHECK_EQ(ap(d1, "a\nb\n", 0, &o, r, 1), PATCH_ERR_FAILED); /* GNU too */
    free(o);
    CHECK_EQ(ap(d1, "a\nc\n", 1, &o, r, 1), PATCH_OK);
    CHECK_STREQ(o, "a\nb");
    free(o);
    const char *d2 = "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n\\ No newline at end of file\n";
    CHECK_EQ(ap(d2, "a\nb\n", 0, &o, r, 1), PATCH_OK);
    CHECK_STREQ(o, "a\nc");
    free(o);
    const char *d3 = "--- a\n+++ b\n@@ -1,2 +1,2 @@\n-a\n+A\n b\n\\ No newline at end of file\n";
    CHECK_EQ(ap(d3, "a\nb", 0, &o, r, 1), PATCH_OK);
    CHECK_STREQ(o, "A\nb");
    free(o);
    /* insertion after a last line without newline gives it one back */
    const char *d4 = "--- a\n+++ b\n@@ -1,0 +2 @@\n+z\n";
    CHECK_EQ(ap(d4, "a", 0, &o, r, 1), PATCH_OK);
    CHECK_STREQ(o, "a\nz\n");
    free(o);
}

static void test_zero_range(void)
{
    char *o; patch_hunk_report r[1];
    CHECK_EQ(ap("--- a\n+++ b\n@@ -3,0 +4 @@\n+new\n", "1\n2\n3\n4\n5\n", 0, &o, r, 1), PATCH_OK);
    CHECK_STREQ(o, "1\n2\n3\nnew\n4\n5\n");
    free(o);
    CHECK_EQ(ap("--- a\n+++ b\n@@ -0,0 +1 @@\n+new\n", "1\n", 0, &o, r, 1), PATCH_OK);
    CHECK_STREQ(o, "new\n1\n");
    free(o);
    CHECK_EQ(ap("--- a\n+++ b\n@@ -2 +1,0 @@\n-2\n", "1\n2\n3\n", 0, &o, r, 1), PATCH_OK);
    CHECK_STREQ(o, "1\n3\n");
    free(o);
}

static void test_create_delete(void)
{
    char *o; patch_hunk_report r[1];
    const char *c = "--- /dev/null\n+++ b/n\n@@ -0,0 +1,2 @@\n+x\n+y\n";
    CHECK_EQ(ap(c, "", 0, &o, r, 1), PATCH_OK);
    CHECK_STREQ(o, "x\ny\n");
    free(o);
    CHECK_EQ(ap(c, "x\ny\n", 1, &o, r, 1), PATCH_OK);
    CHECK_STREQ(o, "");
    free(o);
    const char *d = "--- a/n\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-x\n-y\n";
    CHECK_EQ(ap(d, "x\ny\n", 0, &o, r, 1), PATCH_OK);
    CHECK_STREQ(o, "");
    free(o);
}

static void test_crlf_file(void)
{
    char *o; patch_hunk_report r[1];
    /* a CRLF patch has its CRs stripped and then does not fit a CRLF file
     * (GNU patch: "different line endings") */
    const char *d = "--- a\r\n+++ b\r\n@@ -1,2 +1,2 @@\r\n a\r\n-b\r\n+c\r\n";
    CHECK_EQ(ap(d, "a\r\nb\r\n", 0, &o, r, 1), PATCH_ERR_FAILED);
    free(o);
    CHECK_EQ(ap(d, "a\nb\n", 0, &o, r, 1), PATCH_OK);
    CHECK_STREQ(o, "a\nc\n");
    free(o);
    /* CRs inside an LF patch are content */
    CHECK_EQ(ap("--- a\n+++ b\n@@ -1 +1 @@\n-b\r\n+c\r\n", "b\r\n", 0, &o, r, 1), PATCH_OK);
    CHECK_STREQ(o, "c\r\n");
    free(o);
}

static void test_args(void)
{
    patch_file f;
    char *o = NULL;
    memset(&f, 0, sizeof f);
    CHECK_EQ(patch_file_apply(NULL, "", 0, NULL, &o, NULL, NULL), PATCH_ERR_INVAL);
    CHECK_EQ(patch_file_apply(&f, NULL, 3, NULL, &o, NULL, NULL), PATCH_ERR_INVAL);
    CHECK_EQ(patch_file_apply(&f, "abc", 3, NULL, &o, NULL, NULL), PATCH_OK);
    CHECK_STREQ(o, "abc");
    patch_bytes_free(o);
}

int main(void)
{
    RUN(test_exact);
    RUN(test_offsets);
    RUN(test_fuzz);
    RUN(test_no_overlap);
    RUN(test_reverse);
    RUN(test_no_newline);
    RUN(test_zero_range);
    RUN(test_create_delete);
    RUN(test_crlf_file);
    RUN(test_args);
    return check_summary();
}
