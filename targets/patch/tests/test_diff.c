/* test_diff.c: the Myers differ. The property is the 2019 Crowbar one,
 * apply(a, diff(a, b)) == b, plus apply_reverse(b, diff(a, b)) == a, also
 * through print -> parse, on a fixed table and on a few thousand pairs
 * from a pinned pseudo-random generator. */
#include "check.h"
#include "patch.h"

#include <stdint.h>
#include <stdlib.h>

static int roundtrip(const char *a, size_t al, const char *b, size_t bl, int ctx)
{
    patch_diff_options opt = {ctx, "a/f", "b/f"};
    patch_file *f = NULL;
    char *out = NULL, *text = NULL;
    size_t ol = 0, tl = 0;
    patch_set *s = NULL;
    int ok = 1;
    if (patch_diff(a, al, b, bl, &opt, &f) != PATCH_OK) return 0;
    patch_apply_options fw = {0, 0}, rv = {1, 0};
    /* fuzz 0: a correct diff applies exactly */
    if (patch_file_apply(f, a, al, &fw, &out, &ol, NULL) != PATCH_OK ||
        ol != bl || memcmp(out, b, bl) != 0) ok = 0;
    patch_bytes_free(out); out = NULL;
    if (patch_file_apply(f, b, bl, &rv, &out, &ol, NULL) != PATCH_OK ||
        ol != al || memcmp(out, a, al) != 0) ok = 0;
    patch_bytes_free(out); out = NULL;
    /* the same through text */
    if (patch_file_print(f, &text, &tl) != PATCH_OK ||
        patch_parse(text, tl, &s, NULL) != PATCH_OK || s->nfiles != 1) {
        ok = 0;
    } else if (patch_file_apply(&s->files[0], a, al, NULL, &out, &ol, NULL) != PATCH_OK ||
               ol != bl || memcmp(out, b, bl) != 0) {
        ok = 0;
    }
    if (s && s->nfiles == 1 && f->nhunks != s->files[0].nhunks) ok = 0;
    if ((al == bl && memcmp(a, b, al) == 0) != (f->nhunks == 0)) ok = 0;
    patch_bytes_free(out);
    patch_bytes_free(text);
    patch_set_free(s);
    patch_file_free(f);
    return ok;
}

#define RT(a, b) roundtrip((a), sizeof(a) - 1, (b), sizeof(b) - 1, 3)

static void test_table(void)
{
    CHECK(RT("", ""));
    CHECK(RT("", "a\n"));
    CHECK(RT("a\n", ""));
    CHECK(RT("", "a"));
    CHECK(RT("a", ""));
    CHECK(RT("a", "a\n"));          /* the 2019 case: only the newline */
    CHECK(RT("a\n", "a"));
    CHECK(RT("a\nb", "a\nc"));
    CHECK(RT("a\nb\n", "a\nb\nc"));
    CHECK(RT("x\r\ny\r\n", "x\ny\r\n"));
    CHECK(RT("n\0ul\n", "n\0ul\nx\n"));
    CHECK(RT("\n\n\n", "\n\n"));
    CHECK(RT("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n",
             "1\n2\nX\n4\n5\n6\n7\n8\n9\n10\n11\n12\nY\n14\n15"));
    CHECK(RT("a\nb\nc\na\nb\nb\na\n", "c\nb\na\nb\na\nc\n")); /* Myers' paper */
}

static void test_hunk_shape(void)
{
    patch_file *f = NULL;
    const char *a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n";
    const char *b = "1\n2\nX\n4\n5\n6\n7\n8\n9\nY\n11\n12\n13\n14\n15\n16\n17\nZ\n19\n20\n";
    CHECK_EQ(patch_diff(a, strlen(a), b, strlen(b), NULL, &f), PATCH_OK);
    /* 3 and 10 are 6 lines apart (<= 2*3): one hunk; 18 is 7 away: two */
    CHECK_EQ(f->nhunks, 2);
    CHECK_EQ(f->hunks[0].old_start, 1);
    CHECK_EQ(f->hunks[0].old_count, 13);
    CHECK_EQ(f->hunks[1].old_start, 15);
    CHECK_EQ(f->hunks[1].old_count, 6);
    patch_file_free(f);
    /* context 0: a pure insertion has an empty old range */
    patch_diff_options o0 = {0, "a", "b"};
    CHECK_EQ(patch_diff("1\n2\n3\n", 6, "1\n2\n3\nx\n", 8, &o0, &f), PATCH_OK);
    CHECK_EQ(f->nhunks, 1);
    CHECK_EQ(f->hunks[0].old_start, 3);
    CHECK_EQ(f->hunks[0].old_count, 0);
    CHECK_EQ(f->hunks[0].new_start, 4);
    patch_file_free(f);
    /* /dev/null sides */
    patch_diff_options on = {3, NULL, "b"};
    CHECK_EQ(patch_diff("", 0, "x\n", 2, &on, &f), PATCH_OK);
    CHECK(f->flags & PATCH_F_CREATE);
    CHECK_EQ(f->hunks[0].old_start, 0);
    patch_file_free(f);
    CHECK_EQ(patch_diff("y\n", 2, "x\n", 2, &on, &f), PATCH_ERR_INVAL);
}

static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13; *s ^= *s >> 7; *s ^= *s << 17;
    return *s;
}

/* Text from a tiny alphabet of lines so that matches are frequent. */
static size_t gen(uint64_t *s, char *buf, size_t cap)
{
    static const char *toks[] = {"a", "b", "c", "", "\r", "d\r", "a a", "\0z"};
    size_t n = 0, lines = rng(s) % 12;
    for (size_t i = 0; i < lines && n + 8 < cap; i++) {
        size_t t = rng(s) % 8;
        size_t tl = t == 7 ? 2 : strlen(toks[t]);
        memcpy(buf + n, toks[t], tl);
        n += tl;
        buf[n++] = '\n';
    }
    if (n && rng(s) % 3 == 0) n--;             /* drop the final newline */
    else if (rng(s) % 5 == 0 && n + 1 < cap) buf[n++] = 'q'; /* or add a tail */
    return n;
}

static void test_random_pairs(void)
{
    uint64_t seed = 0x5eed2019u;
    char a[256], b[256];
    int bad = 0;
    for (int i = 0; i < 4000; i++) {
        size_t al = gen(&seed, a, sizeof a);
        size_t bl;
        if (rng(&seed) % 2) { /* b is an edit of a */
            memcpy(b, a, al);
            bl = al;
            size_t at = al ? rng(&seed) % al : 0;
            char ins[64];
            size_t il = gen(&seed, ins, sizeof ins);
            if (bl + il < sizeof b) {
                memmove(b + at + il, b + at, bl - at);
                memcpy(b + at, ins, il);
                bl += il;
            }
        } else {
            bl = gen(&seed, b, sizeof b);
        }
        int ctx = (int)(rng(&seed) % 4);
        if (!roundtrip(a, al, b, bl, ctx)) {
            if (bad++ < 3) fprintf(stderr, "pair %d fails (ctx %d)\n", i, ctx);
        }
    }
    CHECK_EQ(bad, 0);
}

int main(void)
{
    RUN(test_table);
    RUN(test_hunk_shape);
    RUN(test_random_pairs);
    return check_summary();
}
