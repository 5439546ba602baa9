/* test_print.c: printing, and parse -> print -> parse stability. */
#include "check.h"
#include "patch.h"

/* Structural equality of two sets (what "stable" means). */
static int str_eq(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static int sets_equal(const patch_set *x, const patch_set *y)
{
    if (x->nfiles != y->nfiles) return 0;
    for (size_t i = 0; i < x->nfiles; i++) {
        const patch_file *f = &x->files[i], *g = &y->files[i];
        if (!str_eq(f->old_name, g->old_name) || !str_eq(f->new_name, g->new_name) ||
            !str_eq(f->old_stamp, g->old_stamp) || !str_eq(f->new_stamp, g->new_stamp) ||
            !str_eq(f->git_index, g->git_index) || f->flags != g->flags ||
            f->old_mode != g->old_mode || f->new_mode != g->new_mode ||
            f->similarity != g->similarity || f->nhunks != g->nhunks)
            return 0;
        for (size_t h = 0; h < f->nhunks; h++) {
            const patch_hunk *a = &f->hunks[h], *b = &g->hunks[h];
            if (a->old_start != b->old_start || a->old_count != b->old_count ||
                a->new_start != b->new_start || a->new_count != b->new_count ||
                a->old_nonl != b->old_nonl || a->new_nonl != b->new_nonl ||
                !str_eq(a->section, b->section) || a->nlines != b->nlines)
                return 0;
            for (size_t l = 0; l < a->nlines; l++)
                if (a->lines[l].kind != b->lines[l].kind || a->lines[l].len != b->lines[l].len ||
                    memcmp(a->lines[l].text, b->lines[l].text, a->lines[l].len) != 0)
                    return 0;
        }
    }
    return 1;
}

static int stable(const char *text, size_t len, int *printed_same)
{
    patch_set *s1 = NULL, *s2 = NULL;
    char *out = NULL, *out2 = NULL;
    size_t olen = 0, olen2 = 0;
    int ok = 0;
    if (patch_parse(text, len, &s1, NULL) != PATCH_OK) return 0;
    if (patch_set_print(s1, &out, &olen) == PATCH_OK &&
        patch_parse(out, olen, &s2, NULL) == PATCH_OK && sets_equal(s1, s2) &&
        patch_set_print(s2, &out2, &olen2) == PATCH_OK)
        ok = 1;
    if (printed_same)
        *printed_same = ok && olen == len && memcmp(out, text, len) == 0;
    if (ok) ok = olen == olen2 && memcmp(out, out2, olen) == 0;
    patch_set_free(s1); patch_set_free(s2);
    patch_bytes_free(out); patch_bytes_free(out2);
    return ok;
}

#define S(t) stable((t), sizeof(t) - 1, NULL)

static void test_canonical_text_reprints_identically(void)
{
    const char *t = "--- a/f\t2019-01-01\n+++ b/f\t2019-01-02\n@@ -1,3 +1,3 @@ fn\n a\n-b\n+c\n d\n"
                    "@@ -9,0 +10 @@\n+x\n@@ -20 +20,0 @@\n-y\n";
    int same = 0;
    CHECK(stable(t, strlen(t), &same));
    CHECK(same);
    const char *g = "diff --git a/x b/y\nsimilarity index 50%\nrename from x\nrename to y\n"
                    "index 1..2 100644\n--- a/x\n+++ b/y\n@@ -1 +1 @@\n-p\n\\ No newline at end of file\n+q\n";
    CHECK(stable(g, strlen(g), &same));
    CHECK(same);
}

static void test_stability_cases(void)
{
    CHECK(S("--- a\n+++ b\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+y\n\\ No newline at end of file\n"));
    CHECK(S("--- a\n+++ b\n@@ -1,2 +1,2 @@\n-x\n+y\n z\n\\ No newline at end of file\n"));
    CHECK(S("--- /dev/null\n+++ b\n@@ -0,0 +1 @@\n+y\n"));
    CHECK(S("--- a\n+++ /dev/null\n@@ -1 +0,0 @@\n-y\n"));
    CHECK(S("--- a\r\n+++ b\r\n@@ -1 +1 @@\r\n-x\r\r\n+y\r\n"));
    CHECK(S("--- \"a\\tb\"\n+++ \"c\\\"d\\001\"\n"));
    CHECK(S("--- a b\t\n+++ c\n@@ -1 +1 @@\n-\n+\n"));
    CHECK(S("diff --git \"a/x y\" \"b/x y\"\nnew file mode 100644\n"));
    CHECK(S("diff --git a/e b/e\nnew file mode 100644\nindex 0000000..e69de29\n"));
    CHECK(S("diff --git a/e b/e\n--- /dev/null\n+++ b/e\n"));
    CHECK(S("diff --git a/m b/m\nold mode 100644\nnew mode 100755\n"));
    CHECK(S("junk\n--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\nmore junk\n"));
    CHECK(S("--- \"/dev/null\"\n+++ b\n"));
    CHECK(S("--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n\n-b\n+c\n"));
}

static void test_print_diff_output(void)
{
    patch_file *f = NULL;
    char *out = NULL;
    size_t len = 0;
    CHECK_EQ(patch_diff("a\nb\n", 4, "a\nc", 3, NULL, &f), PATCH_OK);
    CHECK_EQ(patch_file_print(f, &out, &len), PATCH_OK);
    CHECK_STREQ(out, "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n\\ No newline at end of file\n");
    CHECK_EQ(len, strlen(out));
    patch_bytes_free(out);
    patch_file_free(f);
    CHECK_EQ(patch_file_print(NULL, &out, &len), PATCH_ERR_INVAL);
}

int main(void)
{
    RUN(test_canonical_text_reprints_identically);
    RUN(test_stability_cases);
    RUN(test_print_diff_output);
    return check_summary();
}
