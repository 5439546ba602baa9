/*
 * test_plants.c: one check per planted bug (targets/nic/plants.tsv). Built
 * normally, each check verifies the correct behaviour; built with
 * -DPRY_PLANT_<NAME>, the check for that plant verifies the buggy one.
 */
#include "check.h"
#include "nic_model.h"
#include "nic_testutil.h"

#ifdef PRY_PLANT_TRUST_LENGTH
#define EXPECT_TRUST_LENGTH_BUG 1
#endif
#ifdef PRY_PLANT_DD_NOT_CLEARED
#define EXPECT_DD_NOT_CLEARED_BUG 1
#endif
#ifdef PRY_PLANT_TAIL_OFF_BY_ONE
#define EXPECT_TAIL_OFF_BY_ONE_BUG 1
#endif
#ifdef PRY_PLANT_TX_CLEAN_WRAP
#define EXPECT_TX_CLEAN_WRAP_BUG 1
#endif
#ifdef PRY_PLANT_QUEUE_STRIDE
#define EXPECT_QUEUE_STRIDE_BUG 1
#endif
#ifdef PRY_PLANT_POW2_CHECK
#define EXPECT_POW2_CHECK_BUG 1
#endif
#ifdef PRY_PLANT_TX_COUNTER_WRAP
#define EXPECT_TX_COUNTER_WRAP_BUG 1
#endif
#ifdef PRY_PLANT_RX_INDEX_WRAP
#define EXPECT_RX_INDEX_WRAP_BUG 1
#endif
#ifdef PRY_PLANT_FLOW_DUP
#define EXPECT_FLOW_DUP_BUG 1
#endif
/* The deep plants' checks push hundreds of packets through a ring first:
 * on the build of a shallow plant in the same path they would trip over
 * that one, so main runs them on the other builds only. */
#if defined(PRY_PLANT_DD_NOT_CLEARED) || defined(PRY_PLANT_TAIL_OFF_BY_ONE)
#define SHALLOW_RX_PLANT 1
#endif
#if defined(PRY_PLANT_TX_CLEAN_WRAP)
#define SHALLOW_TX_PLANT 1
#endif

/* trust-length: a PKT_LEN larger than the buffer reaches the application. */
static void test_plant_trust_length(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 1, 1, 8, 8, 16), 0);
    CHECK_EQ(nic_sim_hostile(f.sim, 0, NIC_HOSTILE_OVERSIZE, 100), 1);
    struct nic_buf *b[8];
    uint32_t got = nic_rx_batch(f.dev, 0, b, 8);
#ifdef EXPECT_TRUST_LENGTH_BUG
    CHECK_EQ(got, 1);
    CHECK(got == 1 && b[0]->len > NIC_BUF_DATA); /* reading it overruns the buffer */
#else
    CHECK_EQ(got, 0);
    CHECK_EQ(fix_stats(&f).rx_bad_length, 1);
#endif
    fix_fini(&f);
}

/* dd-not-cleared: a re-armed descriptor keeps its old DD, so one lap later
 * the driver "receives" a packet the device never delivered. */
static void test_plant_dd_not_cleared(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 1, 1, 8, 8, 32), 0);
    struct nic_buf *b[8];
    uint32_t seq = 0, got = 0;
    for (uint32_t round = 0; round < 3; round++) {
        uint32_t k = round == 0 ? 3 : (round == 1 ? 4 : 1); /* 8 descriptors: one lap */
        for (uint32_t i = 0; i < k; i++)
            fix_deliver(&f, 0, seq++, 60);
        got = nic_rx_batch(f.dev, 0, b, 8);
        for (uint32_t i = 0; i < got; i++)
            nic_buf_free(f.dev, b[i]);
    }
    got = nic_rx_batch(f.dev, 0, b, 8); /* nothing was delivered */
#ifdef EXPECT_DD_NOT_CLEARED_BUG
    CHECK(got > 0);
#else
    CHECK_EQ(got, 0);
#endif
    fix_fini(&f);
}

/* tail-off-by-one: RDT = next descriptor to read instead of the last one
 * re-armed; once the driver has caught up, RDH == RDT and the device sees
 * an empty ring: every further packet is missed. */
static void test_plant_tail_off_by_one(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 1, 1, 8, 8, 16), 0);
    struct nic_buf *b[8];
    for (uint32_t i = 0; i < 3; i++)
        fix_deliver(&f, 0, i, 60);
    CHECK_EQ(nic_rx_batch(f.dev, 0, b, 8), 3);
    int rc = fix_deliver(&f, 0, 3, 60);
#ifdef EXPECT_TAIL_OFF_BY_ONE_BUG
    CHECK_EQ(atomic_load(&f.regs->rx[0].rdt), 3);
    CHECK_EQ(rc, NIC_SIM_MISSED);
#else
    CHECK_EQ(atomic_load(&f.regs->rx[0].rdt), 2);
    CHECK_EQ(rc, NIC_SIM_OK);
#endif
    fix_fini(&f);
}

/* tx-clean-wrap: the last index of a clean-up batch is not wrapped, so the
 * DD read goes past the ring (ASan: heap-buffer-overflow on the arena in
 * the model test). Checked on the index helper: no out-of-bounds read. */
static void test_plant_tx_clean_wrap(void)
{
    uint32_t to = nic_tx_cleanup_to(48, 32, 64);
#ifdef EXPECT_TX_CLEAN_WRAP_BUG
    CHECK_EQ(to, 79);
#else
    CHECK_EQ(to, 15);
    CHECK_EQ(nic_tx_cleanup_to(0, 32, 64), 31);
#endif
}

/* queue-stride: queue i's state found at i * sizeof(struct) instead of
 * i * (sizeof(struct) + ring slots): queue 1 overlays queue 0's slots. */
static void test_plant_queue_stride(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 2, 1, 16, 16, 64), 0);
    uint32_t errors = nic_census(f.dev, NULL);
#ifdef EXPECT_QUEUE_STRIDE_BUG
    CHECK(errors > 0); /* buffers lost and overwritten by queue 1's fields */
#else
    CHECK_EQ(errors, 0);
#endif
    fix_fini(&f);
}

/* pow2-check: the TX ring size is "checked" on rx_entries, so a TX ring of
 * 24 descriptors is accepted and wrapped with "& 23". */
static void test_plant_pow2_check(void)
{
    struct nic_config cfg = {1, 1, 8, 24, 32};
#ifdef EXPECT_POW2_CHECK_BUG
    CHECK(nic_arena_size(&cfg) > 0);
    /* and the model sees the TX ring misbehave */
    struct model m;
    CHECK_EQ(m_init(&m, &cfg), 0);
    /* 12 packets for a 24-entry ring: but index 7 + 1 = 8, and 8 & 23 == 0
     * == clean_index, so the driver finds the ring "full" after 7 */
    struct nic_buf *b[20];
    uint32_t n = 0;
    for (; n < 12; n++) {
        b[n] = nic_buf_alloc(m.dev);
        if (b[n] == NULL)
            break;
        b[n]->len = 60;
    }
    CHECK_EQ(n, 12);
    CHECK_EQ(nic_tx_batch(m.dev, 0, b, n), 7);
    m_destroy(&m);
#else
    CHECK_EQ(nic_arena_size(&cfg), 0);
    int err = 0;
    uint8_t arena[64];
    struct nic_regs *regs = aligned_alloc(64, sizeof(*regs));
    CHECK(nic_dev_create(&cfg, arena, sizeof(arena), regs, &err) == NULL);
    CHECK_EQ(err, NIC_EINVAL);
    free(regs);
#endif
}

#ifndef SHALLOW_TX_PLANT
/* Queue k fresh 60-byte packets on TX queue 0 and let the device send
 * them all; returns how many were queued and sent. */
static uint32_t tx_round(struct fix *f, uint32_t k)
{
    struct nic_buf *b[64];
    for (uint32_t i = 0; i < k; i++) {
        b[i] = nic_buf_alloc(f->dev);
        b[i]->len = 60;
    }
    uint32_t sent = nic_tx_batch(f->dev, 0, b, k);
    return sent == nic_sim_tx_complete(f->sim, 0, 64, NULL, NULL) ? sent : 0;
}

/* tx-counter-wrap: in flight = posted - completed on 8-bit counters,
 * promoted to int. 240 packets go through a 64-entry TX ring (batch 32),
 * then 40 more cross the 256 mark; once the device has sent them, the
 * batched clean-up of the next tx_batch should free one batch. */
static void test_plant_tx_counter_wrap(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 1, 1, 8, 64, 64), 0);
    for (uint32_t posted = 0; posted < 240; posted += 40) {
        CHECK_EQ(tx_round(&f, 40), 40);
        CHECK_EQ(nic_tx_clean(f.dev, 0), 40);
    }
    CHECK_EQ(tx_round(&f, 40), 40); /* posted 280 has wrapped, completed 240 not */
    CHECK_EQ(nic_tx_batch(f.dev, 0, NULL, 0), 0); /* cleans whole batches first */
#ifdef EXPECT_TX_COUNTER_WRAP_BUG
    CHECK_EQ(nic_tx_inflight(f.dev, 0), 40); /* the clean-up stopped */
#else
    CHECK_EQ(nic_tx_inflight(f.dev, 0), 8);
    CHECK_EQ(fix_stats(&f).tx_cleaned, 272);
#endif
    fix_fini(&f);
}
#endif

#ifndef SHALLOW_RX_PLANT
/* rx-index-wrap: the window tail - rx_index taken on 8-bit copies. After
 * 245 descriptors through a 16-entry ring the window [245, 260) straddles
 * 256; the device fills the ring, forges DD on the held-back descriptor,
 * and a batch asks for more than the ring holds. */
static void test_plant_rx_index_wrap(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 1, 1, 16, 8, 32), 0);
    struct nic_buf *b[32];
    uint32_t seq = 0;
    for (uint32_t round = 0; round < 17; round++) { /* 16 x 15 + 5 = 245 */
        const uint32_t k = round < 16 ? 15 : 5;
        for (uint32_t i = 0; i < k; i++)
            CHECK_EQ(fix_deliver(&f, 0, seq++, 60), NIC_SIM_OK);
        uint32_t got = nic_rx_batch(f.dev, 0, b, 32);
        CHECK_EQ(got, k);
        for (uint32_t i = 0; i < got; i++)
            nic_buf_free(f.dev, b[i]);
    }
    for (uint32_t i = 0; i < 15; i++) /* the ring is full: the device stalls */
        CHECK_EQ(fix_deliver(&f, 0, seq++, 60), NIC_SIM_OK);
    CHECK_EQ(fix_deliver(&f, 0, seq++, 60), NIC_SIM_MISSED);
    CHECK_EQ(nic_sim_hostile(f.sim, 0, NIC_HOSTILE_STRAY_DD, 0), 1);
    uint32_t got = nic_rx_batch(f.dev, 0, b, 32);
#ifdef EXPECT_RX_INDEX_WRAP_BUG
    CHECK_EQ(got, 16); /* the forged descriptor is received as a packet */
#else
    CHECK_EQ(got, 15);
    CHECK_EQ(fix_stats(&f).rx_stray_dd, 1);
#endif
    fix_fini(&f);
}
#endif

/* flow-dup: an insert reuses the first tombstone of its probe chain
 * without looking further for the key. A and B share a home slot (B sits
 * one past A); delete A, add B again: B is in two slots, the count is one
 * too many, and after B is deleted the device still steers B by the
 * stale copy. */
static void test_plant_flow_dup(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 2, 1, 8, 8, 16), 0);
    struct nic_flow_key a = {0x0a000001u, 0}, b = {0x0a000001u, 1};
    while (nic_flow_home(&b) != nic_flow_home(&a))
        b.dst_port++;
    CHECK_EQ(nic_flow_add(f.dev, &a, 0), NIC_OK);
    CHECK_EQ(nic_flow_add(f.dev, &b, 1), NIC_OK);
    CHECK_EQ(nic_flow_del(f.dev, &a), NIC_OK);
    CHECK_EQ(nic_flow_add(f.dev, &b, 1), NIC_OK);
    CHECK_EQ(nic_flow_del(f.dev, &b), NIC_OK);
#ifdef EXPECT_FLOW_DUP_BUG
    CHECK_EQ(nic_flow_count(f.dev), 1);
    CHECK_EQ(nic_sim_flow_queue(f.sim, &b), 1); /* the stale filter */
#else
    CHECK_EQ(nic_flow_count(f.dev), 0);
    CHECK_EQ(nic_sim_flow_queue(f.sim, &b), 0);
#endif
    fix_fini(&f);
}

int main(void)
{
    RUN(test_plant_trust_length);
    RUN(test_plant_dd_not_cleared);
    RUN(test_plant_tail_off_by_one);
    RUN(test_plant_tx_clean_wrap);
    RUN(test_plant_queue_stride);
    RUN(test_plant_pow2_check);
#ifndef SHALLOW_TX_PLANT
    RUN(test_plant_tx_counter_wrap);
#endif
#ifndef SHALLOW_RX_PLANT
    RUN(test_plant_rx_index_wrap);
#endif
    RUN(test_plant_flow_dup);
    return check_summary();
}
