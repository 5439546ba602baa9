/* test_path.c: -pN stripping and the refusals. */
#include "check.h"
#include "patch.h"

static int st(const char *name, long p, const char *want)
{
    char *out = NULL;
    int rc = patch_path_strip(name, p, &out);
    int ok = want ? (rc == PATCH_OK && out && strcmp(out, want) == 0) : 0;
    patch_bytes_free(out);
    return want ? ok : rc;
}

static void test_strip(void)
{
    CHECK(st("a/b/c.txt", 0, "a/b/c.txt"));
    CHECK(st("a/b/c.txt", 1, "b/c.txt"));
    CHECK(st("a/b/c.txt", 2, "c.txt"));
    CHECK(st("a//b", 1, "b"));            /* slash runs are one separator */
    CHECK(st("/usr/src/x", 1, "usr/src/x"));
    CHECK(st("./x", 1, "x"));
    CHECK(st("a/./b", 0, "a/./b"));
    CHECK(st("a/x/../b", 0, "a/x/../b")); /* stays inside */
}

static void test_refusals(void)
{
    CHECK_EQ(st("a/b", 2, NULL), PATCH_ERR_STRIP);
    CHECK_EQ(st("a/b/", 2, NULL), PATCH_ERR_STRIP);
    CHECK_EQ(st("/etc/passwd", 0, NULL), PATCH_ERR_PATH);
    CHECK_EQ(st("../x", 0, NULL), PATCH_ERR_PATH);
    CHECK_EQ(st("a/../../x", 0, NULL), PATCH_ERR_PATH);
    CHECK_EQ(st("a/../../x", 1, NULL), PATCH_ERR_PATH);
    CHECK_EQ(st("d/../x", 1, NULL), PATCH_ERR_PATH);  /* only after stripping */
    CHECK_EQ(st("a/b/..", 1, NULL), PATCH_ERR_PATH);  /* names the root */
    CHECK_EQ(st(".", 0, NULL), PATCH_ERR_PATH);
    CHECK_EQ(st("", 0, NULL), PATCH_ERR_INVAL);
    CHECK_EQ(st("a", -1, NULL), PATCH_ERR_INVAL);
    CHECK_EQ(patch_path_strip("a", 0, NULL), PATCH_ERR_INVAL);
    CHECK_EQ(patch_path_check("x/y"), PATCH_OK);
    CHECK_EQ(patch_path_check("x/../../y"), PATCH_ERR_PATH);
    CHECK_EQ(patch_path_check(NULL), PATCH_ERR_PATH);
}

int main(void)
{
    RUN(test_strip);
    RUN(test_refusals);
    return check_summary();
}
