/*
 * test_generators.c: the choice-source contract, generator by generator.
 *
 * - all-zero input (and empty input) gives the minimal value;
 * - bounds always hold, whatever the bytes;
 * - random mode reaches both ends of a range;
 * - the same seed gives the same values;
 * - the integer encoding round-trips;
 * - value replay adapts out-of-bounds values (clamps) and says so;
 * - the arena is released after every run (this file is built with ASan
 *   and LeakSanitizer: 100k runs that allocate must leave nothing).
 * All randomness comes from pinned seeds.
 */
#include "check.h"
#include "pry_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static pry_log_t *LOG;
static pry_t P;

typedef void (*gen_fn)(pry_t *p, void *out);

/* Run |fn| once in |mode| over |in|; returns the run status. */
static pry_run_status run(gen_fn fn, void *out, pry_source_mode mode,
                          const uint8_t *in, size_t len)
{
    jmp_buf escape;
    P.escape = &escape;
    pry_source_begin_run(&P, mode, in, len);
    if (setjmp(escape) == 0) {
        fn(&P, out);
        LOG->status = PRY_RUN_PASS;
    }
    pry_source_end_run(&P);
    return (pry_run_status)LOG->status;
}

static const uint8_t ZEROS[64];

/* ---- generators under test, each writing its value to |out| ---- */

static void g_bool(pry_t *p, void *o) { *(bool *)o = pry_bool(p, "b"); }
static void g_u8(pry_t *p, void *o) { *(uint64_t *)o = pry_u8(p, "x"); }
static void g_u64(pry_t *p, void *o) { *(uint64_t *)o = pry_u64(p, "x"); }
static void g_i32(pry_t *p, void *o) { *(int64_t *)o = pry_i32(p, "x"); }
static void g_range_u(pry_t *p, void *o) { *(uint64_t *)o = pry_range_u(p, "x", 10, 300); }
static void g_range_i(pry_t *p, void *o) { *(int64_t *)o = pry_range_i(p, "x", -7, 1000); }
static void g_range_neg(pry_t *p, void *o) { *(int64_t *)o = pry_range_i(p, "x", -900, -3); }
static void g_double(pry_t *p, void *o) { *(double *)o = pry_double(p, "d"); }
static void g_choice(pry_t *p, void *o) { *(size_t *)o = pry_choice(p, "c", 5); }
static void g_bytes(pry_t *p, void *o) { *(pry_bytes_t *)o = pry_bytes(p, "s", 20); }
static void g_blob(pry_t *p, void *o) { *(pry_bytes_t *)o = pry_blob(p, "s", 20); }
static void g_string(pry_t *p, void *o) { *(char **)o = pry_string(p, "s", 20, "xyz"); }
static void g_lines(pry_t *p, void *o) { *(pry_bytes_t *)o = pry_lines(p, "t", 5, 4, "ab"); }
static const unsigned WEIGHTS[] = {0, 3, 0, 1};
static void g_weighted(pry_t *p, void *o) { *(size_t *)o = pry_weighted(p, "w", 4, WEIGHTS); }
static void g_perm(pry_t *p, void *o) { pry_permutation(p, "perm", (size_t *)o, 6); }
static void g_list(pry_t *p, void *o)
{
    size_t *n = o;
    *n = 0;
    pry_list_t l = pry_list(p, "xs", 7);
    while (pry_list_more(p, &l)) {
        (void)pry_u16(p, NULL);
        (*n)++;
    }
}

static void test_zero_is_minimal(void)
{
    for (int empty = 0; empty < 2; empty++) {
        const uint8_t *in = empty ? NULL : ZEROS;
        size_t len = empty ? 0 : sizeof ZEROS;
        bool b = true;
        uint64_t u = 1;
        int64_t i = 1;
        double d = 1;
        size_t c = 9;
        pry_bytes_t s = {0};
        char *str = NULL;
        size_t perm[6];
        run(g_bool, &b, PRY_SRC_BYTES, in, len);
        CHECK(b == false);
        run(g_u8, &u, PRY_SRC_BYTES, in, len);
        CHECK_EQ(u, 0);
        run(g_u64, &u, PRY_SRC_BYTES, in, len);
        CHECK_EQ(u, 0);
        run(g_i32, &i, PRY_SRC_BYTES, in, len);
        CHECK_EQ(i, 0);
        run(g_range_u, &u, PRY_SRC_BYTES, in, len);
        CHECK_EQ(u, 10); /* the lower bound */
        run(g_range_i, &i, PRY_SRC_BYTES, in, len);
        CHECK_EQ(i, 0); /* zero, inside the range */
        run(g_range_neg, &i, PRY_SRC_BYTES, in, len);
        CHECK_EQ(i, -3); /* the bound closest to zero */
        run(g_double, &d, PRY_SRC_BYTES, in, len);
        CHECK(d == 0.0 && !signbit(d));
        run(g_choice, &c, PRY_SRC_BYTES, in, len);
        CHECK_EQ(c, 0);
        run(g_weighted, &c, PRY_SRC_BYTES, in, len);
        CHECK_EQ(c, 1); /* the first alternative with a weight */
        run(g_bytes, &s, PRY_SRC_BYTES, in, len);
        CHECK_EQ(s.len, 0);
        run(g_blob, &s, PRY_SRC_BYTES, in, len);
        CHECK_EQ(s.len, 0);
        run(g_string, &str, PRY_SRC_BYTES, in, len);
        CHECK_STREQ(str, "");
        run(g_lines, &s, PRY_SRC_BYTES, in, len);
        CHECK_EQ(s.len, 0);
        run(g_list, &c, PRY_SRC_BYTES, in, len);
        CHECK_EQ(c, 0);
        run(g_perm, perm, PRY_SRC_BYTES, in, len);
        for (size_t k = 0; k < 6; k++)
            CHECK_EQ(perm[k], k); /* the identity */
        pry_arena_reset(&P);
    }
}

/* Random bytes never break a bound. */
static void test_bounds_hold(void)
{
    uint8_t in[64];
    pry_t rng;
    pry_rng_seed(&rng, 12345);
    for (int iter = 0; iter < 20000; iter++) {
        for (size_t k = 0; k < sizeof in; k++)
            in[k] = (uint8_t)pry_rng_next(&rng);
        size_t len = (size_t)(pry_rng_next(&rng) % sizeof in);
        uint64_t u;
        int64_t i;
        size_t c;
        pry_bytes_t s;
        char *str;
        size_t perm[6];
        run(g_range_u, &u, PRY_SRC_BYTES, in, len);
        CHECK(u >= 10 && u <= 300);
        run(g_range_i, &i, PRY_SRC_BYTES, in, len);
        CHECK(i >= -7 && i <= 1000);
        run(g_range_neg, &i, PRY_SRC_BYTES, in, len);
        CHECK(i >= -900 && i <= -3);
        run(g_choice, &c, PRY_SRC_BYTES, in, len);
        CHECK(c < 5);
        run(g_weighted, &c, PRY_SRC_BYTES, in, len);
        CHECK(c == 1 || c == 3);
        run(g_bytes, &s, PRY_SRC_BYTES, in, len);
        CHECK(s.len <= 20 && s.data[s.len] == 0);
        run(g_blob, &s, PRY_SRC_BYTES, in, len);
        CHECK(s.len <= 20);
        run(g_string, &str, PRY_SRC_BYTES, in, len);
        CHECK(strlen(str) <= 20 && strspn(str, "xyz") == strlen(str));
        run(g_lines, &s, PRY_SRC_BYTES, in, len);
        CHECK(s.len <= 5 * 5);
        run(g_list, &c, PRY_SRC_BYTES, in, len);
        CHECK(c <= 7);
        run(g_perm, perm, PRY_SRC_BYTES, in, len);
        unsigned seen = 0;
        for (size_t k = 0; k < 6; k++)
            seen |= 1u << perm[k];
        CHECK_EQ(seen, 0x3f);
        pry_arena_reset(&P);
    }
}

/* Random mode hits both ends of a range and is reproducible. */
static void test_random_mode(void)
{
    bool lo = false, hi = false, zero = false;
    for (int k = 0; k < 2000; k++) {
        int64_t i;
        pry_rng_seed(&P, (uint64_t)k);
        run(g_range_i, &i, PRY_SRC_RANDOM, NULL, 0);
        CHECK(i >= -7 && i <= 1000);
        lo |= i == -7;
        hi |= i == 1000;
        zero |= i == 0;
    }
    CHECK(lo && hi && zero);
    /* Same seed, same values, same bytes. */
    for (int k = 0; k < 200; k++) {
        pry_bytes_t a, b;
        pry_rng_seed(&P, 99 + (uint64_t)k);
        run(g_lines, &a, PRY_SRC_RANDOM, NULL, 0);
        char first[256];
        size_t n1 = a.len < sizeof first ? a.len : sizeof first;
        memcpy(first, a.data, n1);
        uint8_t bytes1[512];
        size_t len1 = LOG->input_len < sizeof bytes1 ? LOG->input_len : sizeof bytes1;
        memcpy(bytes1, LOG->input, len1);
        pry_rng_seed(&P, 99 + (uint64_t)k);
        run(g_lines, &b, PRY_SRC_RANDOM, NULL, 0);
        CHECK_MEMEQ(first, n1, b.data, b.len);
        CHECK_MEMEQ(bytes1, len1, LOG->input, LOG->input_len);
        /* ...and the bytes replay to the same value. */
        uint8_t copy[512];
        memcpy(copy, bytes1, len1);
        pry_bytes_t c;
        run(g_lines, &c, PRY_SRC_BYTES, copy, len1);
        CHECK_MEMEQ(first, n1, c.data, c.len);
        pry_arena_reset(&P);
    }
}

/* Every value of a range encodes to bytes that decode back to it. */
static void test_int_encoding(void)
{
    static const struct {
        int64_t lo, hi;
        bool s;
    } ranges[] = {
        {0, 1, false}, {0, 255, false}, {1, 256, false}, {10, 300, false},
        {-1, 0, true}, {-7, 1000, true}, {-900, -3, true}, {-128, 127, true},
        {-1, 4294967294LL, true}, {5, 1LL << 40, false}, {INT64_MIN, INT64_MAX, true},
    };
    pry_t rng;
    pry_rng_seed(&rng, 7);
    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
        uint64_t lo = (uint64_t)ranges[r].lo, hi = (uint64_t)ranges[r].hi;
        bool s = ranges[r].s;
        unsigned w = pry_int_width(lo, hi, s);
        for (int k = 0; k < 3000; k++) {
            uint64_t n = hi - lo + 1;
            uint64_t x = k < 3 ? (k == 0 ? lo : k == 1 ? hi : lo + n / 2)
                               : lo + (n ? pry_rng_next(&rng) % n : pry_rng_next(&rng));
            uint64_t v = pry_int_encode(x, w, lo, hi, s);
            CHECK_EQ(pry_int_decode(v, w, lo, hi, s), x);
        }
    }
    /* Full-width types are the identity: what cmplog needs. */
    CHECK_EQ(pry_int_width(0, UINT32_MAX, false), 4);
    CHECK_EQ(pry_int_decode(0xdeadbeef, 4, 0, UINT32_MAX, false), 0xdeadbeef);
    CHECK_EQ(pry_int_width(0, 255, false), 1);
}

/* Values replay into changed generators: clamped, and flagged. */
static void g_range_narrow(pry_t *p, void *o) { *(uint64_t *)o = pry_range_u(p, "x", 10, 50); }
static void test_value_replay_adapts(void)
{
    pry_value_t v = {.kind = PRY_K_UINT, .lo = 10, .hi = 300, .value = 250};
    P.values = &v;
    P.n_values = 1;
    uint64_t u = 0;
    run(g_range_u, &u, PRY_SRC_VALUES, NULL, 0);
    CHECK_EQ(u, 250);
    CHECK_EQ(LOG->adapted, 0);
    run(g_range_narrow, &u, PRY_SRC_VALUES, NULL, 0);
    CHECK_EQ(u, 50); /* clamped to the new bound */
    CHECK_EQ(LOG->adapted, 1);
    CHECK(LOG->entries[0].flags & PRY_F_ADAPTED);
    /* The replay wrote today's encoding: it decodes to the same value. */
    uint8_t copy[16];
    memcpy(copy, LOG->input, LOG->input_len);
    size_t n = LOG->input_len;
    run(g_range_narrow, &u, PRY_SRC_BYTES, copy, n);
    CHECK_EQ(u, 50);
    P.values = NULL;
    P.n_values = 0;
}

/* The report prints typed values under their labels. */
typedef struct {
    int x, y;
} point_t;
static void *draw_point(pry_t *p, const void *arg)
{
    (void)arg;
    point_t *pt = pry_alloc(p, sizeof *pt);
    pt->x = (int)pry_range_i(p, "x", -5, 5);
    pt->y = (int)pry_range_i(p, "y", -5, 5);
    return pt;
}
static void print_point(pry_out_t *out, const void *v, const void *arg)
{
    (void)arg;
    const point_t *pt = v;
    pry_out_printf(out, "(%d, %d)", pt->x, pt->y);
}
static const pry_gen_t POINT = {"point", draw_point, print_point, NULL};
static const pry_gen_t POINT_RAW = {"point", draw_point, NULL, NULL};
static void g_report(pry_t *p, void *o)
{
    (void)o;
    pry_u8(p, "n");
    pry_string(p, "name", 8, "ab");
    pry_draw(p, "origin", &POINT);
    pry_draw(p, "raw", &POINT_RAW);
    pry_list_t l = pry_list(p, "xs", 4);
    while (pry_list_more(p, &l))
        pry_bool(p, NULL);
    pry_double(p, "d");
}
static void test_report_text(void)
{
    /* n=7, name="ba", origin=(1,-2), raw={x = 3, y = 0}, xs=[true, false],
     * d=-0.0 */
    static const uint8_t in[] = {
        7,                     /* n */
        1, 'b', 1, 'a', 0,     /* name */
        1, 0, 0xfe, 0xff,      /* origin: x=1, y=-2 (two bytes each: a
                                  range keeps 8 spare bits) */
        3, 0, 0, 0,            /* raw */
        1, 1, 1, 0, 0,         /* xs */
        0, 0, 0, 0, 0, 0, 0, 0x80, /* -0.0 */
    };
    run(g_report, NULL, PRY_SRC_BYTES, in, sizeof in);
    pry_out_t out;
    pry_out_init(&out);
    pry_report_draws(&out, LOG, 0);
    CHECK_STREQ(out.buf, "n = 7\n"
                         "name = \"ba\"\n"
                         "origin = (1, -2)\n"
                         "raw = {x = 3, y = 0}\n"
                         "xs = [true, false]\n"
                         "d = -0.0\n");
    pry_out_free(&out);
    pry_arena_reset(&P);
}

/* 100k runs that allocate: LeakSanitizer sees nothing left, and the arena
 * keeps to its first chunk. */
static void g_alloc(pry_t *p, void *o)
{
    (void)o;
    size_t n = pry_size(p, "n", 4096);
    if (n % 64 == 0) /* now and then, more than the first chunk holds */
        n = 300000;
    char *big = pry_alloc(p, n);
    big[n ? n - 1 : 0] = 1;
    pry_bytes(p, "s", 8);
    pry_sprintf(p, "%zu", n);
}
static void test_arena_released(void)
{
    pry_t rng;
    pry_rng_seed(&rng, 3);
    for (int k = 0; k < 100000; k++) {
        uint8_t in[8];
        for (size_t j = 0; j < sizeof in; j++)
            in[j] = (uint8_t)pry_rng_next(&rng);
        run(g_alloc, NULL, PRY_SRC_BYTES, in, sizeof in);
        pry_arena_reset(&P);
    }
    CHECK(pry_arena_chunk_count(&P) <= 1);
}

/* The fuzzing fast path (recording off: pry_draw_int()'s in-bounds
 * reads, the string loop of gen_string.c) gives the same values, reads the
 * same bytes and counts the same draws as the recording path, for inputs
 * that end anywhere, and up to the draw limit. */
static void mix(uint64_t *h, uint64_t v)
{
    *h = (*h ^ v) * 0x100000001b3u; /* FNV-1a over whole values */
}
static void mix_bytes(uint64_t *h, const void *d, size_t n)
{
    mix(h, n);
    for (size_t i = 0; i < n; i++)
        mix(h, ((const uint8_t *)d)[i]);
}
static void g_everything(pry_t *p, void *o)
{
    static const char *const NAMES[] = {"a", "b", "c"};
    uint64_t *h = o;
    *h = 0xcbf29ce484222325u;
    mix(h, pry_bool(p, NULL));
    mix(h, pry_u8(p, NULL));
    mix(h, (uint64_t)pry_i16(p, NULL));
    mix(h, pry_u32(p, NULL));
    mix(h, pry_u64(p, NULL));
    mix(h, (uint64_t)pry_range_i(p, NULL, -7, 1000));
    mix(h, (uint64_t)pry_range_i(p, NULL, -900, -3));
    mix(h, (uint64_t)pry_range_i(p, NULL, INT64_MIN, 5));
    mix(h, pry_range_u(p, NULL, 10, 300));
    mix(h, pry_range_u(p, NULL, 0, (uint64_t)1 << 40));
    mix(h, pry_choice(p, NULL, 5));
    mix(h, pry_choice_named(p, NULL, 3, NAMES));
    mix(h, pry_weighted(p, NULL, 4, WEIGHTS));
    /* ranges at most 256 wide (source_fast.h's short path): a power of
     * two wide or not, one value, 256, bounds given high first, runtime
     * counts */
    static const unsigned W3[] = {2, 0, 5};
    mix(h, pry_weighted(p, NULL, 3, W3));
    mix(h, pry_range_u(p, NULL, 5, 260));
    mix(h, pry_range_u(p, NULL, 0, 254));
    mix(h, pry_range_u(p, NULL, 7, 7));
    mix(h, pry_range_u(p, NULL, 300, 40));
    mix(h, (uint64_t)pry_range_i(p, NULL, 0, 3));
    mix(h, (uint64_t)pry_range_i(p, NULL, 100, 40));
    mix(h, (uint64_t)pry_range_i(p, NULL, -3, -1));
    mix(h, pry_index(p, NULL, 256));
    mix(h, pry_index(p, NULL, 257));
    mix(h, pry_size(p, NULL, 200));
    double d = pry_double(p, NULL);
    mix_bytes(h, &d, sizeof d);
    pry_bytes_t b = pry_bytes(p, NULL, 6);
    mix_bytes(h, b.data, b.len);
    char *s = pry_string(p, NULL, 5, "xyz");
    mix_bytes(h, s, strlen(s));
    s = pry_string(p, NULL, 5, NULL); /* the printable alphabet: memchr */
    mix_bytes(h, s, strlen(s));
    b = pry_lines(p, NULL, 4, 3, "ab");
    mix_bytes(h, b.data, b.len);
    size_t n;
    g_list(p, &n);
    mix(h, n);
    b = pry_blob(p, NULL, 9);
    mix_bytes(h, b.data, b.len);
    mix_bytes(h, pry_sprintf(p, "%zu-%s", n, s), strlen(s) + 2 + (n > 9));
}
static void g_many_strings(pry_t *p, void *o)
{
    uint64_t *h = o;
    *h = 0;
    for (;;) /* ends in an overrun, or when the input does */
        mix_bytes(h, pry_string(p, NULL, 3, "ab"), 0), mix(h, p->pos);
}
static void compare_paths(gen_fn fn, const uint8_t *in, size_t len)
{
    uint64_t h_rec = 0, h_fast = 0;
    P.record = true;
    pry_run_status st_rec = run(fn, &h_rec, PRY_SRC_BYTES, in, len);
    size_t pos_rec = P.pos;
    uint32_t draws_rec = P.draws;
    pry_arena_reset(&P);
    P.record = false;
    pry_run_status st_fast = run(fn, &h_fast, PRY_SRC_BYTES, in, len);
    CHECK_EQ(st_fast, st_rec);
    CHECK_EQ(h_fast, h_rec);
    CHECK_EQ(P.pos, pos_rec);
    CHECK_EQ(P.draws, draws_rec);
    pry_arena_reset(&P);
    P.record = true;
}
static void test_fast_path_agrees(void)
{
    pry_t rng;
    pry_rng_seed(&rng, 11);
    uint8_t in[160];
    for (int k = 0; k < 3000; k++) {
        for (size_t j = 0; j < sizeof in; j++) /* odd bytes often: long lists */
            in[j] = (uint8_t)(pry_rng_next(&rng) | (k % 3 == 0));
        compare_paths(g_everything, in, (size_t)k % sizeof in);
    }
    /* Up to the draw limit: every byte 1 is "more" and a character. */
    size_t big = 2 * PRY_MAX_DRAWS + 64;
    uint8_t *ones = malloc(big);
    CHECK(ones != NULL);
    if (ones != NULL) {
        memset(ones, 1, big);
        compare_paths(g_many_strings, ones, big);
        CHECK_EQ(LOG->status, PRY_RUN_OVERRUN);
        compare_paths(g_many_strings, ones, 1001); /* the input ends first */
        free(ones);
    }
}

int main(void)
{
    LOG = calloc(1, sizeof *LOG);
    if (LOG == NULL)
        return 2;
    pry_source_init(&P, LOG);
    P.record = true;
    RUN(test_zero_is_minimal);
    RUN(test_bounds_hold);
    RUN(test_random_mode);
    RUN(test_int_encoding);
    RUN(test_value_replay_adapts);
    RUN(test_report_text);
    RUN(test_arena_released);
    RUN(test_fast_path_agrees);
    pry_arena_free(&P);
    free(LOG);
    return check_summary();
}
