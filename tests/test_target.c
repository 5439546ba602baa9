/*
 * test_target.c: pry_target (generators/target.c), as the engines see it:
 * through the hook fuzz_entry.c points at the instrumented blocks, here a
 * recorder of the block ids a run reaches.
 *
 * - buckets: exact up to 7, then 8 per power of two, never decreasing, and
 *   128, 144, ..., 240, 256 all distinct (past AFL++'s last hit count);
 * - a passed run reaches one block per label, for its highest value; two
 *   buckets, two blocks; two labels, two blocks (even when their hashes
 *   share a slot);
 * - a run pry_assume rejects reaches none, and leaves nothing to the next;
 * - without the hook (random mode, replay) nothing is reached and nothing
 *   is drawn.
 * tests/test_runner.sh checks the real coverage under libFuzzer and AFL++.
 */
#include "check.h"
#include "pry_internal.h"

static unsigned FIRED[PRY_TARGET_SLOTS + 1], N_FIRED;

static void record_edge(unsigned id)
{
    if (N_FIRED < PRY_TARGET_SLOTS + 1)
        FIRED[N_FIRED++] = id;
}

/* v (u16, little-endian), then "reject?"; v is a target, v / 2 another.
 * Both labels hash to slot 7 of 8 (FNV-1a), so the second one called is
 * probed on to slot 0: the blocks are 7 * 256 + bucket(v) and
 * 0 * 256 + bucket(v / 2). */
PRY_PROPERTY(targeted)
{
    uint16_t v = pry_u16(p, "v");
    pry_target(p, "tx packets through one queue", v);
    pry_target(p, "tx packets through one queue", v / 4); /* lower: ignored */
    pry_target(p, "rx descriptors through one ring", v / 2);
    pry_assume(p, !pry_bool(p, "reject"));
}

/* Nine labels: one more than there are slots. */
PRY_PROPERTY(many_labels)
{
    static const char *const L[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i"};
    for (size_t i = 0; i < 9; i++)
        pry_target(p, L[i], 5);
}

static pry_t P;
static pry_log_t LOG; /* in BSS: zeroed, freed with the process */

/* Run |prop| on v and reject; returns the status, N_FIRED says what the
 * run reached (sorted). */
static pry_run_status run(const char *prop, uint16_t v, int reject)
{
    uint8_t in[3] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)reject};
    N_FIRED = 0;
    pry_source_begin_run(&P, PRY_SRC_BYTES, in, sizeof in);
    pry_run_status st = pry_run_one(&P, pry_property_find(prop));
    for (unsigned i = 1; i < N_FIRED; i++) /* insertion sort */
        for (unsigned j = i; j > 0 && FIRED[j - 1] > FIRED[j]; j--) {
            unsigned t = FIRED[j];
            FIRED[j] = FIRED[j - 1];
            FIRED[j - 1] = t;
        }
    return st;
}

static void test_buckets(void)
{
    for (int64_t v = 0; v < 8; v++)
        CHECK_EQ(pry_target_bucket(v), v);
    CHECK_EQ(pry_target_bucket(-5), 0);
    CHECK_EQ(pry_target_bucket(INT64_MIN), 0);
    for (int64_t v = 144; v <= 256; v += 16)
        CHECK_EQ(pry_target_bucket(v), pry_target_bucket(v - 16) + 1);
    CHECK_EQ(pry_target_bucket(143), pry_target_bucket(128));
    unsigned prev = 0;
    for (int64_t v = 0; v < 300000; v += 7) {
        unsigned b = pry_target_bucket(v);
        CHECK(b >= prev);
        prev = b;
    }
    CHECK_EQ(pry_target_bucket(INT64_MAX), pry_target_bucket((INT64_C(1) << 32) - 1));
    CHECK(pry_target_bucket(INT64_MAX) < PRY_TARGET_BUCKETS);
}

/* The blocks "targeted" reaches for v, sorted. */
static int reached(uint16_t v)
{
    return N_FIRED == 2 && FIRED[0] == pry_target_bucket(v / 2) &&
           FIRED[1] == 7 * PRY_TARGET_BUCKETS + pry_target_bucket(v);
}

static void test_distinct_buckets_distinct_blocks(void)
{
    CHECK_EQ(run("targeted", 128, 0), PRY_RUN_PASS);
    CHECK(reached(128)); /* v, not the lower v / 4 of the same label */
    unsigned at128[2] = {FIRED[0], FIRED[1]};
    run("targeted", 143, 0); /* the same buckets: the same blocks */
    CHECK(reached(143) && FIRED[0] == at128[0] && FIRED[1] == at128[1]);
    run("targeted", 160, 0); /* new buckets for v and for v / 2 */
    CHECK(reached(160) && FIRED[0] != at128[0] && FIRED[1] != at128[1]);
    run("targeted", 65535, 0);
    CHECK(reached(65535));
}

static void test_rejected_run_reaches_nothing(void)
{
    CHECK_EQ(run("targeted", 1000, 1), PRY_RUN_DISCARD);
    CHECK_EQ(N_FIRED, 0);
    run("targeted", 3, 0); /* nothing of the rejected run left over */
    CHECK_EQ(N_FIRED, 2);
    for (unsigned i = 0; i < N_FIRED; i++)
        CHECK(FIRED[i] % PRY_TARGET_BUCKETS <= 3); /* v = 3 and 3 / 2 */
}

static void test_ninth_label_ignored(void)
{
    CHECK_EQ(run("many_labels", 0, 0), PRY_RUN_PASS);
    CHECK_EQ(N_FIRED, PRY_TARGET_SLOTS);
    for (unsigned i = 1; i < N_FIRED; i++)
        CHECK(FIRED[i] / PRY_TARGET_BUCKETS != FIRED[i - 1] / PRY_TARGET_BUCKETS);
}

static void test_no_hook_no_op(void)
{
    P.target_edge = NULL;
    CHECK_EQ(run("targeted", 500, 0), PRY_RUN_PASS);
    CHECK_EQ(N_FIRED, 0);
    /* nothing drawn: random mode's runs are the same with or without */
    pry_source_begin_run(&P, PRY_SRC_RANDOM, NULL, 0);
    size_t before = P.pos;
    pry_target(&P, "x", 7);
    CHECK_EQ(P.pos, before);
    pry_source_end_run(&P);
    pry_arena_reset(&P);
    P.target_edge = record_edge;
}

int main(void)
{
    pry_registry_sort();
    pry_source_init(&P, &LOG);
    P.target_edge = record_edge;
    RUN(test_buckets);
    RUN(test_distinct_buckets_distinct_blocks);
    RUN(test_rejected_run_reaches_nothing);
    RUN(test_ninth_label_ignored);
    RUN(test_no_hook_no_op);
    pry_arena_free(&P);
    return check_summary();
}
