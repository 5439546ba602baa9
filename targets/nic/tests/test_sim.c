/* test_sim.c: the simulated 82599: write-back format, TX completion,
 * register validation, and every hostile action rejected and counted. */
#include "check.h"
#include "nic_testutil.h"

static void test_writeback_format(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 1, 1, 8, 8, 16), 0);
    CHECK_EQ(fix_deliver(&f, 0, 42, 100), NIC_SIM_OK);
    const union nic_adv_rx_desc *d = &nic_rxq_at(f.dev, 0)->ring[0];
    CHECK_EQ(d->wb.upper.status_error, NIC_RXD_STAT_DD | NIC_RXD_STAT_EOP);
    CHECK_EQ(d->wb.upper.length, 100);
    CHECK_EQ(atomic_load(&f.regs->rx[0].rdh), 1);
    CHECK_EQ(f.regs->stats.gprc, 1);
    CHECK_EQ(f.regs->stats.gorc, 100);
    CHECK_EQ(nic_sim_deliver(f.sim, 0, 0, "x"), NIC_SIM_EINVAL);
    CHECK_EQ(nic_sim_deliver(f.sim, 0, NIC_BUF_DATA + 1, f.arena), NIC_SIM_EINVAL);
    CHECK_EQ(nic_sim_deliver(f.sim, 1, 60, f.arena), NIC_SIM_EINVAL); /* not enabled */
    CHECK_EQ(nic_sim_deliver(f.sim, NIC_MAX_QUEUES, 60, f.arena), NIC_SIM_EINVAL);
    fix_fini(&f);
}

struct seen {
    uint32_t n, last_len, last_seq;
};

static void on_tx(void *ctx, uint32_t q, const uint8_t *frame, uint32_t len)
{
    struct seen *s = ctx;
    (void)q;
    s->n++;
    s->last_len = len;
    memcpy(&s->last_seq, frame, 4);
}

static void test_tx_complete_writes_dd(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 1, 1, 4, 8, 16), 0);
    struct nic_buf *b[3];
    for (uint32_t i = 0; i < 3; i++) {
        b[i] = nic_buf_alloc(f.dev);
        b[i]->len = 70 + i;
        memcpy(b[i]->data, &i, 4);
    }
    CHECK_EQ(nic_tx_batch(f.dev, 0, b, 3), 3);
    CHECK_EQ(nic_sim_tx_pending(f.sim, 0), 3);
    struct seen s = {0, 0, 0};
    CHECK_EQ(nic_sim_tx_complete(f.sim, 0, 2, on_tx, &s), 2);
    CHECK_EQ(s.n, 2);
    CHECK_EQ(s.last_seq, 1);
    CHECK_EQ(s.last_len, 71);
    const union nic_adv_tx_desc *ring = nic_txq_at(f.dev, 0)->ring;
    CHECK_EQ(ring[0].wb.status & NIC_TXD_STAT_DD, 1);
    CHECK_EQ(ring[2].wb.status & NIC_TXD_STAT_DD, 0);
    CHECK_EQ(atomic_load(&f.regs->tx[0].tdh), 2);
    CHECK_EQ(nic_sim_tx_complete(f.sim, 0, 10, on_tx, &s), 1);
    CHECK_EQ(nic_sim_tx_complete(f.sim, 0, 10, on_tx, &s), 0); /* stall: nothing queued */
    CHECK_EQ(f.regs->stats.gptc, 3);
    CHECK_EQ(nic_tx_clean(f.dev, 0), 3);
    fix_fini(&f);
}

static void test_bad_registers_rejected(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 1, 1, 8, 8, 16), 0);
    atomic_store(&f.regs->rx[0].rdlen, 0x7fffff00u); /* ring beyond the arena */
    CHECK_EQ(fix_deliver(&f, 0, 1, 60), NIC_SIM_EINVAL);
    atomic_store(&f.regs->rx[0].rdlen, 8 * 16);
    atomic_store(&f.regs->rx[0].rdt, 8); /* tail out of range */
    CHECK_EQ(fix_deliver(&f, 0, 1, 60), NIC_SIM_EINVAL);
    atomic_store(&f.regs->tx[0].tdt, 99);
    CHECK_EQ(nic_sim_tx_complete(f.sim, 0, 8, NULL, NULL), 0);
    CHECK(f.regs->stats.sim_bad_ring >= 3);
    CHECK(nic_iova_ptr(f.arena, f.arena_size, f.arena_size, 0) != NULL);
    CHECK(nic_iova_ptr(f.arena, f.arena_size, f.arena_size, 1) == NULL);
    CHECK(nic_iova_ptr(f.arena, f.arena_size, UINT64_MAX, 2) == NULL);
    CHECK(nic_iova_ptr(f.arena, f.arena_size, 1, SIZE_MAX) == NULL);
    fix_fini(&f);
}

/* Each hostile action: the driver drops the descriptor, counts it, re-arms
 * it, and the next good packet arrives intact. */
static void hostile_then_good(enum nic_hostile kind, uint32_t arg, int expect_rc)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 1, 1, 8, 8, 16), 0);
    if (kind == NIC_HOSTILE_REWRITE)
        CHECK_EQ(fix_deliver(&f, 0, 7, 60), NIC_SIM_OK);
    CHECK_EQ(nic_sim_hostile(f.sim, 0, kind, arg), expect_rc);
    CHECK_EQ(fix_deliver(&f, 0, 1, 60), NIC_SIM_OK);
    struct nic_buf *b[8];
    CHECK_EQ(nic_rx_batch(f.dev, 0, b, 8), 1);
    CHECK_EQ(fix_seq(b[0]), 1);
    CHECK_EQ(b[0]->len, 60);
    struct nic_stats s = fix_stats(&f);
    CHECK_EQ(s.rx_bad_length + s.rx_no_eop + s.rx_errors + s.rx_stray_dd, 1);
    CHECK_EQ(nic_census(f.dev, NULL), 0);
    /* the re-armed descriptors work on the next lap */
    for (uint32_t lap = 0; lap < 3; lap++) {
        for (uint32_t i = 0; i < 7; i++)
            CHECK_EQ(fix_deliver(&f, 0, 10 + i, 60), NIC_SIM_OK);
        nic_buf_free(f.dev, b[0]);
        CHECK_EQ(nic_rx_batch(f.dev, 0, b, 1), 1);
        for (uint32_t i = 1; i < 7; i++) {
            nic_buf_free(f.dev, b[0]);
            CHECK_EQ(nic_rx_batch(f.dev, 0, b, 1), 1);
            CHECK_EQ(fix_seq(b[0]), 10 + i);
        }
    }
    s = fix_stats(&f);
    CHECK_EQ(s.rx_bad_length + s.rx_no_eop + s.rx_errors + s.rx_stray_dd, 1);
    CHECK_EQ(f.regs->stats.sim_rx_dma_faults, kind == NIC_HOSTILE_BAD_ADDR);
    fix_fini(&f);
}

static void test_hostile_stray_dd(void)
{
    hostile_then_good(NIC_HOSTILE_STRAY_DD, 0, 1);
}
static void test_hostile_oversize(void)
{
    hostile_then_good(NIC_HOSTILE_OVERSIZE, 0, 1);
    hostile_then_good(NIC_HOSTILE_OVERSIZE, 100000, 1);
}
static void test_hostile_no_eop(void)
{
    hostile_then_good(NIC_HOSTILE_NO_EOP, 60, 1);
}
static void test_hostile_bad_addr(void)
{
    hostile_then_good(NIC_HOSTILE_BAD_ADDR, 0, 1);
    hostile_then_good(NIC_HOSTILE_BAD_ADDR, 0xffffffffu, 1);
}
static void test_hostile_rewrite(void)
{
    hostile_then_good(NIC_HOSTILE_REWRITE, 40000, 1); /* PKT_LEN now too big */
}

static void test_hostile_counts_by_kind(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 1, 1, 8, 8, 16), 0);
    CHECK_EQ(nic_sim_hostile(f.sim, 0, NIC_HOSTILE_REWRITE, 1), 0); /* nothing written yet */
    CHECK_EQ(nic_sim_hostile(f.sim, 0, NIC_HOSTILE_OVERSIZE, 0), 1);
    CHECK_EQ(nic_sim_hostile(f.sim, 0, NIC_HOSTILE_NO_EOP, 10), 1);
    CHECK_EQ(nic_sim_hostile(f.sim, 0, NIC_HOSTILE_BAD_ADDR, 0), 1);
    CHECK_EQ(nic_sim_hostile(f.sim, 0, NIC_HOSTILE_STRAY_DD, 0), 1);
    CHECK_EQ(nic_sim_hostile(f.sim, 0, NIC_HOSTILE_COUNT, 0), NIC_SIM_EINVAL);
    CHECK_EQ(nic_sim_hostile(f.sim, 5, NIC_HOSTILE_STRAY_DD, 0), NIC_SIM_EINVAL);
    struct nic_buf *b[8];
    CHECK_EQ(nic_rx_batch(f.dev, 0, b, 8), 0);
    struct nic_stats s = fix_stats(&f);
    CHECK_EQ(s.rx_bad_length, 1);
    CHECK_EQ(s.rx_no_eop, 1);
    CHECK_EQ(s.rx_errors, 1);
    CHECK_EQ(s.rx_stray_dd, 1);
    /* ring full: receive-type hostile actions do not apply */
    for (uint32_t i = 0; i < 7; i++)
        fix_deliver(&f, 0, i, 60);
    CHECK_EQ(nic_sim_hostile(f.sim, 0, NIC_HOSTILE_OVERSIZE, 0), 0);
    CHECK_EQ(nic_census(f.dev, NULL), 0);
    fix_fini(&f);
}

int main(void)
{
    RUN(test_writeback_format);
    RUN(test_tx_complete_writes_dd);
    RUN(test_bad_registers_rejected);
    RUN(test_hostile_stray_dd);
    RUN(test_hostile_oversize);
    RUN(test_hostile_no_eop);
    RUN(test_hostile_bad_addr);
    RUN(test_hostile_rewrite);
    RUN(test_hostile_counts_by_kind);
    return check_summary();
}
