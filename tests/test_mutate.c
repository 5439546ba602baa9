/*
 * test_mutate.c: the typed mutator's core (generators/mutate.c). Every
 * pass keeps inputs valid choice sequences whose draws decode to the
 * intended values within their bounds, list passes change one list by one
 * element, blobs keep their length prefix right, and the same seed gives
 * the same mutations; the AFL++ adapter sizes its custom stages, and the
 * typed share follows coverage. Inputs
 * are pinned pseudo-random bytes (every byte string is an input); seeds
 * are printed on failure.
 */
#include "check.h"
#include "mutate_internal.h"

/* The AFL++ adapter itself, for its stage sizes (test_afl_stage_rounds):
 * it is not in libpry.a. */
#include "engines/afl_mutator.c"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const pry_gen_t LEAF, NODE;

static void *draw_leaf(pry_t *p, const void *arg)
{
    (void)arg;
    return (void *)(uintptr_t)pry_range_u(p, "leaf", 1, 9);
}

static void *draw_node(pry_t *p, const void *arg)
{
    (void)arg;
    pry_recursive(p, "tree", &LEAF, &NODE, 4);
    pry_recursive(p, "tree", &LEAF, &NODE, 4);
    return NULL;
}

static const pry_gen_t LEAF = {"leaf", draw_leaf, NULL, NULL};
static const pry_gen_t NODE = {"node", draw_node, NULL, NULL};

/* Every kind of structure the passes know: a list of ranges, a signed
 * value, a string, a blob and a recursive tree. It never fails. */
PRY_PROPERTY(shapes)
{
    pry_list_t l = pry_list(p, "xs", 12);
    while (pry_list_more(p, &l))
        (void)pry_range_u(p, "x", 0, 1000);
    (void)pry_range_i(p, "k", -50, 50);
    (void)pry_string(p, "s", 8, "ab");
    (void)pry_blob(p, "b", 32);
    (void)pry_recursive(p, "tree", &LEAF, &NODE, 4);
}

static uint64_t rng_state;

static uint8_t rnd(void)
{
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (uint8_t)(rng_state >> 56);
}

/* A pinned input: mostly "more" bytes and small values, so lists are
 * long enough to work on. */
static size_t make_input(uint64_t seed, uint8_t *buf, size_t n)
{
    rng_state = seed;
    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)(rnd() % 4 == 0 ? rnd() : 1);
    return n;
}

/* The list "xs" of a parsed input: its element count. */
static int count_xs(const pry_parsed_t *ps, uint32_t label_xs)
{
    for (uint32_t i = 0; i < ps->n; i++) {
        if (ps->d[i].kind != PRY_K_LIST || ps->d[i].label != label_xs)
            continue;
        int n = 0;
        for (uint32_t j = i + 1; j < ps->d[i].end; j++)
            if (ps->d[j].kind == PRY_K_MORE && ps->d[j].depth == ps->d[i].depth + 1 &&
                ps->d[j].value == 1)
                n++;
        return n;
    }
    return -1;
}

static uint32_t label_of(const pry_parsed_t *ps, uint8_t kind)
{
    for (uint32_t i = 0; i < ps->n; i++)
        if (ps->d[i].kind == kind && ps->d[i].label != 0)
            return ps->d[i].label;
    return 0;
}

static bool all_in_bounds(const pry_parsed_t *ps)
{
    for (uint32_t i = 0; i < ps->n; i++) {
        const pry_mdraw_t *d = &ps->d[i];
        if (PRY_KIND_IS_GROUP(d->kind) || d->kind == PRY_K_BLOB)
            continue;
        bool ok = (d->flags & PRY_F_SIGNED)
                      ? (int64_t)d->value >= (int64_t)d->lo && (int64_t)d->value <= (int64_t)d->hi
                      : d->value >= d->lo && d->value <= d->hi;
        if (!ok)
            return false;
    }
    return true;
}

#define MAX 4096

/* A mutator under test and a second one that only parses its outputs. */
typedef struct {
    pry_mutator_t *m, *check;
} fixture_t;

static fixture_t fixture(uint64_t seed, pry_byte_mutator_fn bytes)
{
    int index = pry_property_find("shapes");
    CHECK(index >= 0);
    fixture_t fx = {pry_mutator_new(index, seed, bytes), pry_mutator_new(index, seed + 1, NULL)};
    return fx;
}

static void fixture_del(fixture_t *fx)
{
    pry_mutator_del(fx->m);
    pry_mutator_del(fx->check);
}

static int count_more(const pry_parsed_t *ps)
{
    int n = 0;
    for (uint32_t i = 0; i < ps->n; i++)
        n += ps->d[i].kind == PRY_K_MORE && ps->d[i].value == 1;
    return n;
}

/* A redraw changes exactly one value, within its bounds, and nothing
 * before it; the property still passes on the result. */
static void test_redraw_keeps_bounds(void)
{
    fixture_t fx = fixture(7, NULL);
    pry_mutator_t *m = fx.m, *check = fx.check;
    uint8_t in[256], out[MAX];
    for (uint64_t seed = 1; seed <= 300; seed++) {
        size_t len = make_input(seed, in, 64 + seed % 64);
        size_t n = pry_mutate_pass(m, PRY_MUT_REDRAW, in, len, NULL, 0, out, MAX);
        if (n == 0)
            continue;
        const pry_parsed_t *a = pry_mutator_parse(check, 0, in, len);
        const pry_parsed_t *b = pry_mutator_parse(check, 1, out, n);
        CHECK(a != NULL && b != NULL);
        if (a == NULL || b == NULL)
            continue;
        CHECK_EQ(b->status, PRY_RUN_PASS);
        CHECK(all_in_bounds(b));
        /* the first entry that differs is a value of the same kind and
         * bounds, with another value */
        uint32_t i = 0;
        while (i < a->n && i < b->n && a->d[i].value == b->d[i].value &&
               a->d[i].kind == b->d[i].kind)
            i++;
        if (i >= a->n || i >= b->n) {
            /* only a character may decode to the same value: the core
             * does not know the string's alphabet, and a byte outside it
             * folds into it */
            size_t at = 0;
            while (at < len && at < n && in[at] == out[at])
                at++;
            bool in_char = false;
            for (uint32_t j = 0; j < a->n; j++)
                in_char |= a->d[j].kind == PRY_K_CHAR && a->d[j].start == at;
            if (!in_char)
                fprintf(stderr, "seed %llu: redraw changed no draw\n", (unsigned long long)seed);
            CHECK(in_char);
            continue;
        }
        CHECK_EQ(a->d[i].kind, b->d[i].kind);
        CHECK(a->d[i].lo == b->d[i].lo && a->d[i].hi == b->d[i].hi);
        CHECK(a->d[i].start == b->d[i].start);
    }
    fixture_del(&fx);
}

/* Deleting or duplicating an element changes one list's length by one
 * and leaves every later draw decodable. */
static void test_list_passes(void)
{
    fixture_t fx = fixture(11, NULL);
    pry_mutator_t *m = fx.m, *check = fx.check;
    uint8_t in[256], out[MAX];
    int deleted = 0, duplicated = 0;
    for (uint64_t seed = 1; seed <= 300; seed++) {
        size_t len = make_input(seed, in, 96);
        pry_mutation op = seed % 2 ? PRY_MUT_LIST_DELETE : PRY_MUT_LIST_DUPLICATE;
        size_t n = pry_mutate_pass(m, op, in, len, NULL, 0, out, MAX);
        if (n == 0)
            continue;
        /* every list in the input: the total element count moves by one */
        const pry_parsed_t *a = pry_mutator_parse(check, 0, in, len);
        const pry_parsed_t *b = pry_mutator_parse(check, 1, out, n);
        int before = count_more(a), after = count_more(b);
        CHECK_EQ(b->status, PRY_RUN_PASS);
        CHECK(all_in_bounds(b));
        if (op == PRY_MUT_LIST_DELETE) {
            /* an element can hold lists of its own (a tree's strings do
             * not here), so at least one "more" is gone */
            CHECK(after < before);
            deleted++;
        } else {
            CHECK(after > before);
            duplicated++;
        }
    }
    CHECK(deleted > 50);
    CHECK(duplicated > 50);
    fixture_del(&fx);
}

/* The list "xs" in particular: delete takes one element out. */
static void test_list_delete_xs(void)
{
    fixture_t fx = fixture(3, NULL);
    pry_mutator_t *m = fx.m, *check = fx.check;
    /* xs = [1, 2, 3]: "more", then 4 bytes (0..1000 is drawn at width 4
     * to keep the fold unbiased), three times; then "stop" */
    const uint8_t in[] = {1, 1, 0, 0, 0, 1, 2, 0, 0, 0, 1, 3, 0, 0, 0, 0};
    uint8_t out[MAX];
    const pry_parsed_t *a = pry_mutator_parse(check, 0, in, sizeof in);
    uint32_t xs = label_of(a, PRY_K_LIST);
    CHECK_EQ(count_xs(a, xs), 3);
    /* the only sequence with elements is xs */
    size_t n = pry_mutate_pass(m, PRY_MUT_LIST_DELETE, in, sizeof in, NULL, 0, out, MAX);
    CHECK(n > 0);
    const pry_parsed_t *b = pry_mutator_parse(check, 1, out, n);
    CHECK_EQ(count_xs(b, xs), 2);
    n = pry_mutate_pass(m, PRY_MUT_LIST_DUPLICATE, in, sizeof in, NULL, 0, out, MAX);
    b = pry_mutator_parse(check, 1, out, n);
    CHECK_EQ(count_xs(b, xs), 4);
    n = pry_mutate_pass(m, PRY_MUT_LIST_MOVE, in, sizeof in, NULL, 0, out, MAX);
    if (n > 0) { /* same elements, another order */
        b = pry_mutator_parse(check, 1, out, n);
        CHECK_EQ(count_xs(b, xs), 3);
    }
    fixture_del(&fx);
}

/* The value of the draw right after the list "xs" (k), or -1000. */
static int64_t after_xs(const pry_parsed_t *ps, uint32_t xs)
{
    for (uint32_t i = 0; i < ps->n; i++)
        if (ps->d[i].kind == PRY_K_LIST && ps->d[i].label == xs)
            return ps->d[i].end < ps->n ? (int64_t)ps->d[ps->d[i].end].value : -1000;
    return -1000;
}

/* Repeat: xs = [1, 2, 3] gets a run of its elements repeated after
 * itself, never past its maximum of 12; every element is one of 1, 2, 3,
 * and the draw after the list (k, from the bytes 7, 0, ...) reads the
 * same, at the maximum too, where the "stop" byte must go. */
static void test_list_repeat_xs(void)
{
    const uint8_t in[] = {1, 1, 0, 0, 0, 1, 2, 0, 0, 0, 1, 3, 0, 0, 0, 0, 7, 0, 0, 0};
    uint8_t out[MAX];
    int grew = 0, filled = 0;
    for (uint64_t seed = 1; seed <= 60; seed++) {
        fixture_t fx = fixture(seed, NULL);
        const pry_parsed_t *a = pry_mutator_parse(fx.check, 0, in, sizeof in);
        uint32_t xs = label_of(a, PRY_K_LIST);
        int64_t k = after_xs(a, xs);
        CHECK(k != 0 && k != -1000);
        size_t n = pry_mutate_pass(fx.m, PRY_MUT_LIST_REPEAT, in, sizeof in, NULL, 0, out, MAX);
        CHECK(n > sizeof in);
        const pry_parsed_t *b = pry_mutator_parse(fx.check, 1, out, n);
        CHECK_EQ(b->status, PRY_RUN_PASS);
        CHECK(all_in_bounds(b));
        int c = count_xs(b, xs);
        CHECK(c > 3 && c <= 12);
        grew++;
        filled += c == 12;
        for (uint32_t i = 0; i < b->n; i++)
            if (b->d[i].kind == PRY_K_LIST && b->d[i].label == xs)
                for (uint32_t j = i + 1; j < b->d[i].end; j++)
                    if (b->d[j].kind != PRY_K_MORE && !PRY_KIND_IS_GROUP(b->d[j].kind))
                        CHECK(b->d[j].value >= 1 && b->d[j].value <= 3);
        CHECK_EQ(after_xs(b, xs), k);
        fixture_del(&fx);
    }
    CHECK_EQ(grew, 60);
    CHECK(filled > 0);
}

/* Repeat at the maximum: xs = [1, 2, ..., 12] is full (no "stop"
 * byte), so the copies overwrite the elements after the run; the list
 * keeps 12 elements, all of them the input's, and the draw after it (k)
 * reads the same. */
static void test_list_repeat_full(void)
{
    uint8_t in[12 * 5 + 4], out[MAX];
    for (int e = 0; e < 12; e++) {
        const uint8_t el[5] = {1, (uint8_t)(e + 1), 0, 0, 0};
        memcpy(in + 5 * e, el, 5);
    }
    const uint8_t tail[4] = {7, 0, 0, 0};
    memcpy(in + 60, tail, 4);
    int changed = 0;
    for (uint64_t seed = 1; seed <= 60; seed++) {
        fixture_t fx = fixture(seed, NULL);
        const pry_parsed_t *a = pry_mutator_parse(fx.check, 0, in, sizeof in);
        uint32_t xs = label_of(a, PRY_K_LIST);
        CHECK_EQ(count_xs(a, xs), 12);
        int64_t k = after_xs(a, xs);
        CHECK(k != 0 && k != -1000);
        size_t n = pry_mutate_pass(fx.m, PRY_MUT_LIST_REPEAT, in, sizeof in, NULL, 0, out, MAX);
        if (n == 0) { /* a run too long to copy even once */
            fixture_del(&fx);
            continue;
        }
        CHECK_EQ(n, a->len); /* the input, with the zeros its later draws read */
        changed += n == a->len && memcmp(out, a->data, n) != 0;
        const pry_parsed_t *b = pry_mutator_parse(fx.check, 1, out, n);
        CHECK_EQ(b->status, PRY_RUN_PASS);
        CHECK(all_in_bounds(b));
        CHECK_EQ(count_xs(b, xs), 12);
        for (uint32_t i = 0; i < b->n; i++)
            if (b->d[i].kind == PRY_K_LIST && b->d[i].label == xs)
                for (uint32_t j = i + 1; j < b->d[i].end; j++)
                    if (b->d[j].kind != PRY_K_MORE && !PRY_KIND_IS_GROUP(b->d[j].kind))
                        CHECK(b->d[j].value >= 1 && b->d[j].value <= 12);
        CHECK_EQ(after_xs(b, xs), k);
        fixture_del(&fx);
    }
    CHECK(changed > 20);
}

/* Linked crossover takes a span of a draw with the same label from the
 * other input: the result is a valid input whose "k" is a's or b's. */
static void test_crossover_same_label(void)
{
    fixture_t fx = fixture(5, NULL);
    pry_mutator_t *m = fx.m, *check = fx.check;
    uint8_t a_in[128], b_in[128], out[MAX];
    int made = 0;
    for (uint64_t seed = 1; seed <= 200; seed++) {
        size_t al = make_input(seed, a_in, 80), bl = make_input(seed + 1000, b_in, 80);
        size_t n = pry_crossover(m, a_in, al, b_in, bl, out, MAX);
        if (n == 0)
            continue;
        made++;
        const pry_parsed_t *o = pry_mutator_parse(check, 0, out, n);
        CHECK_EQ(o->status, PRY_RUN_PASS);
        CHECK(all_in_bounds(o));
    }
    CHECK(made > 100);
    fixture_del(&fx);
}

/* A byte mutator that appends one byte 'z'. */
static size_t append_z(uint8_t *data, size_t size, size_t max)
{
    if (size >= max)
        return size;
    data[size] = 'z';
    return size + 1;
}

/* The blob pass hands the bytes to the engine and rewrites the length. */
static void test_blob_length(void)
{
    fixture_t fx = fixture(9, append_z);
    pry_mutator_t *m = fx.m, *check = fx.check;
    /* xs = [] (1 byte), k = 0 (2), s = "" (1), blob "hi" (length in 2
     * bytes, then the bytes), tree = leaf 1 (choice 1 byte, value 2) */
    const uint8_t in[] = {0, 0, 0, 0, 2, 0, 'h', 'i', 0, 0, 0};
    uint8_t out[MAX];
    size_t n = pry_mutate_pass(m, PRY_MUT_BLOB, in, sizeof in, NULL, 0, out, MAX);
    CHECK(n == sizeof in + 1);
    const pry_parsed_t *b = pry_mutator_parse(check, 0, out, n);
    bool seen = false;
    for (uint32_t i = 0; i < b->n; i++)
        if (b->d[i].kind == PRY_K_BLOB) {
            CHECK_EQ(b->d[i].value, 3);
            CHECK(memcmp(out + b->d[i].start + 2, "hiz", 3) == 0);
            seen = true;
        }
    CHECK(seen);
    fixture_del(&fx);
}

/* Lifting a nested tree into its parent gives a smaller tree. */
static void test_lift_shrinks_tree(void)
{
    int index = pry_property_find("shapes");
    pry_mutator_t *m = pry_mutator_new(index, 13, NULL);
    uint8_t in[256], out[MAX];
    int lifted = 0;
    for (uint64_t seed = 1; seed <= 200 && lifted < 20; seed++) {
        size_t len = make_input(seed, in, 128);
        size_t n = pry_mutate_pass(m, PRY_MUT_LIFT, in, len, NULL, 0, out, MAX);
        if (n > 0) {
            CHECK(n < len + 64); /* never longer than the zero-extended input */
            lifted++;
        }
    }
    CHECK(lifted > 0);
    pry_mutator_del(m);
}

/* Same seed, same mutations; another seed, others. */
static void test_deterministic(void)
{
    int index = pry_property_find("shapes");
    uint8_t in[128], o1[MAX], o2[MAX], other[128];
    size_t len = make_input(42, in, 100), ol = make_input(43, other, 100);
    pry_mutator_t *m1 = pry_mutator_new(index, 99, NULL), *m2 = pry_mutator_new(index, 99, NULL);
    pry_mutator_t *m3 = pry_mutator_new(index, 100, NULL);
    int differ = 0;
    for (int i = 0; i < 200; i++) {
        size_t n1 = pry_mutate(m1, in, len, other, ol, o1, MAX);
        size_t n2 = pry_mutate(m2, in, len, other, ol, o2, MAX);
        CHECK(n1 == n2 && memcmp(o1, o2, n1) == 0);
        size_t n3 = pry_mutate(m3, in, len, other, ol, o2, MAX);
        differ += n1 != n3 || memcmp(o1, o2, n1) != 0;
    }
    CHECK(differ > 100);
    pry_mutator_del(m1);
    pry_mutator_del(m2);
    pry_mutator_del(m3);
}

/* The output never exceeds |max|. */
static void test_max_respected(void)
{
    int index = pry_property_find("shapes");
    pry_mutator_t *m = pry_mutator_new(index, 17, append_z);
    uint8_t in[128], other[128], out[MAX];
    for (uint64_t seed = 1; seed <= 300; seed++) {
        size_t len = make_input(seed, in, 100), ol = make_input(seed + 7, other, 100);
        memset(out, 0xee, sizeof out);
        size_t n = pry_mutate(m, in, len, other, ol, out, 90);
        CHECK(n <= 90);
        CHECK(out[90] == 0xee);
    }
    pry_mutator_del(m);
}

/* AFL++ 4.04c calls queue_get when fuzz_one takes an entry and
 * fuzz_count at every custom stage: the entry's first, then one per splice
 * cycle after its havoc stage (up to 15). The typed stage runs
 * TYPED_ROUNDS times on the first and not on the splice cycles, for every
 * entry; afl_custom_fuzz still mutates after that. */
static void test_afl_stage_rounds(void)
{
    setenv("PRY_TEST", "shapes", 1);
    void *t = afl_custom_init(NULL, 7);
    unsetenv("PRY_TEST");
    CHECK(t != NULL);
    if (t == NULL)
        return;
    uint8_t in[128];
    size_t len = make_input(5, in, 100);
    for (int entry = 0; entry < 3; entry++) {
        CHECK_EQ(afl_custom_queue_get(t, (const unsigned char *)"queue/id:000000"), 1);
        CHECK_EQ(afl_custom_fuzz_count(t, in, len), TYPED_ROUNDS);
        for (int cycle = 0; cycle < 15; cycle++)
            CHECK_EQ(afl_custom_fuzz_count(t, in, len), 0);
    }
    /* an entry taken but skipped (no custom stage) leaves the next one's
     * first stage its full count */
    CHECK_EQ(afl_custom_queue_get(t, (const unsigned char *)"queue/id:000001"), 1);
    CHECK_EQ(afl_custom_queue_get(t, (const unsigned char *)"queue/id:000002"), 1);
    CHECK_EQ(afl_custom_fuzz_count(t, in, len), TYPED_ROUNDS);
    uint8_t *out = NULL;
    size_t n = afl_custom_fuzz(t, in, len, &out, NULL, 0, MAX);
    CHECK(out != NULL && n > 0 && n <= MAX);
    afl_custom_deinit(t);
}

static bool same_parse(const pry_parsed_t *a, const pry_parsed_t *b)
{
    return a->n == b->n && a->len == b->len && a->status == b->status &&
           memcmp(a->data, b->data, a->len) == 0 && memcmp(a->d, b->d, a->n * sizeof *a->d) == 0;
}

/* The log of an engine's run, adopted, is what parsing would have made;
 * and an input a slot holds stays valid while the other slot parses more
 * inputs than the cache keeps. */
static void test_adopt_matches_parse(void)
{
    int index = pry_property_find("shapes");
    pry_mutator_t *fresh = pry_mutator_new(index, 1, NULL), *adopter = pry_mutator_new(index, 1, NULL);
    pry_log_t *log = calloc(1, sizeof *log);
    CHECK(fresh != NULL && adopter != NULL && log != NULL);
    if (fresh == NULL || adopter == NULL || log == NULL)
        return;
    pry_t p;
    pry_source_init(&p, log);
    p.record = true; /* as fuzz_entry.c records in the typed libFuzzer build */
    p.lean = true;
    uint8_t buf[160];
    for (uint64_t seed = 1; seed <= 20; seed++) {
        size_t len = make_input(seed, buf, 40 + seed * 6);
        pry_source_begin_run(&p, PRY_SRC_BYTES, buf, len);
        int st = (int)pry_run_one(&p, index);
        pry_mutator_adopt(adopter, buf, len, 0, log, st);
        const pry_parsed_t *a = pry_mutator_parse(fresh, 0, buf, len);
        const pry_parsed_t *b = pry_mutator_parse(adopter, 0, buf, len);
        CHECK(a != NULL && b != NULL && same_parse(a, b));
    }
    size_t len = make_input(99, buf, 100);
    const pry_parsed_t *held = pry_mutator_parse(fresh, 0, buf, len);
    uint8_t other[100];
    for (uint64_t seed = 1000; seed < 1400; seed++)
        (void)pry_mutator_parse(fresh, 1, other, make_input(seed, other, sizeof other));
    CHECK(held->len >= len && memcmp(held->data, buf, len) == 0);
    CHECK(pry_mutator_parse(fresh, 0, buf, len) == held);
    pry_arena_free(&p);
    free(log);
    pry_mutator_del(fresh);
    pry_mutator_del(adopter);
}

/* The typed share starts at three in four, moves towards the source
 * that finds new coverage per try, stays within its bounds, and forgets
 * the distant past (halving past the window). */
static void test_share_follows_coverage(void)
{
    pry_share_t s = {{0, 0}, {0, 0}};
    CHECK(fabs(pry_share_typed(&s) - 0.75) < 1e-9);
    /* equal rates: an even share */
    for (int i = 0; i < 1000; i++) {
        pry_share_record(&s, PRY_ARM_TYPED, i % 50 == 0);
        pry_share_record(&s, PRY_ARM_BYTES, i % 50 == 0);
    }
    CHECK(fabs(pry_share_typed(&s) - 0.5) < 0.05);
    /* bytes find, typed does not: typed falls to its floor */
    for (int i = 0; i < 4000; i++) {
        pry_share_record(&s, PRY_ARM_TYPED, false);
        pry_share_record(&s, PRY_ARM_BYTES, i % 10 == 0);
    }
    CHECK(fabs(pry_share_typed(&s) - PRY_SHARE_MIN) < 1e-9);
    CHECK(s.tries[PRY_ARM_TYPED] <= PRY_SHARE_WINDOW);
    /* then typed finds and bytes stop: it comes back, up to its ceiling */
    for (int i = 0; i < 4000; i++) {
        pry_share_record(&s, PRY_ARM_TYPED, i % 10 == 0);
        pry_share_record(&s, PRY_ARM_BYTES, false);
    }
    CHECK(fabs(pry_share_typed(&s) - (1.0 - PRY_SHARE_MIN)) < 1e-9);
    pry_share_record(&s, 7, true); /* no such source: ignored */
    CHECK(s.tries[PRY_ARM_TYPED] <= PRY_SHARE_WINDOW && s.tries[PRY_ARM_BYTES] <= PRY_SHARE_WINDOW);
}

int main(void)
{
    pry_registry_sort();
    RUN(test_redraw_keeps_bounds);
    RUN(test_list_passes);
    RUN(test_list_delete_xs);
    RUN(test_list_repeat_xs);
    RUN(test_list_repeat_full);
    RUN(test_crossover_same_label);
    RUN(test_blob_length);
    RUN(test_lift_shrinks_tree);
    RUN(test_deterministic);
    RUN(test_max_respected);
    RUN(test_afl_stage_rounds);
    RUN(test_share_follows_coverage);
    RUN(test_adopt_matches_parse);
    return check_summary();
}
