/* test_rings.c: RX/TX ring handling: wrap-around, batch boundaries, tails,
 * DD clearing, ring-full drops, clean-up, configuration checks. */
#include "check.h"
#include "nic_testutil.h"

/* Push 3 laps of packets through RX and TX at ring size n. */
static void wrap_at(uint32_t n)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 1, 1, n, n, n + 64), 0);
    struct nic_buf *bufs[64];
    uint32_t next_rx = 0, sent_seq = 0, bad = 0;
    uint32_t batches[] = {1, n - 1, 7, 3};
    for (uint32_t seq = 0, k = 0; next_rx < 3 * n && k < 100000; k++) {
        uint32_t room = nic_sim_rx_space(f.sim, 0);
        uint32_t burst = batches[k % 4] < room ? batches[k % 4] : room;
        for (uint32_t i = 0; i < burst && seq < 3 * n; i++)
            bad += fix_deliver(&f, 0, seq++, 64) != NIC_SIM_OK;
        uint32_t got = nic_rx_batch(f.dev, 0, bufs, 64);
        for (uint32_t i = 0; i < got; i++)
            bad += fix_seq(bufs[i]) != next_rx++;
        uint32_t s = nic_tx_batch(f.dev, 0, bufs, got);
        for (uint32_t i = s; i < got; i++)
            nic_buf_free(f.dev, bufs[i]);
        sent_seq += s;
        nic_sim_tx_complete(f.sim, 0, n, NULL, NULL);
        CHECK_EQ(nic_census(f.dev, NULL), 0);
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(next_rx, 3 * n);
    nic_sim_tx_complete(f.sim, 0, n, NULL, NULL);
    nic_tx_clean(f.dev, 0);
    struct nic_census c;
    CHECK_EQ(nic_census(f.dev, &c), 0);
    CHECK_EQ(c.free, 64); /* every buffer back: nothing leaked in TX */
    CHECK_EQ(fix_stats(&f).dev_gptc, sent_seq);
    fix_fini(&f);
}

static void test_wrap_every_size(void)
{
    for (uint32_t n = 2; n <= 4096; n *= 2)
        wrap_at(n);
}

static void test_tail_and_dd(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 1, 1, 8, 8, 16), 0);
    CHECK_EQ(atomic_load(&f.regs->rx[0].rdt), 7); /* n - 1 held back */
    for (uint32_t i = 0; i < 3; i++)
        CHECK_EQ(fix_deliver(&f, 0, i, 60), NIC_SIM_OK);
    struct nic_buf *b[8];
    CHECK_EQ(nic_rx_batch(f.dev, 0, b, 8), 3);
    CHECK_EQ(atomic_load(&f.regs->rx[0].rdt), 2); /* last re-armed */
    const union nic_adv_rx_desc *ring = nic_rxq_at(f.dev, 0)->ring;
    for (int i = 0; i < 3; i++)
        CHECK_EQ(ring[i].wb.upper.status_error & NIC_RXD_STAT_DD, 0); /* DD cleared */
    CHECK_EQ(nic_tx_batch(f.dev, 0, b, 3), 3);
    CHECK_EQ(atomic_load(&f.regs->tx[0].tdt), 3); /* one past the last */
    fix_fini(&f);
}

static void test_batch_boundaries(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 1, 1, 16, 16, 32), 0);
    struct nic_buf *b[16];
    for (uint32_t i = 0; i < 10; i++)
        fix_deliver(&f, 0, i, 60);
    CHECK_EQ(nic_rx_batch(f.dev, 0, b, 0), 0);
    CHECK_EQ(nic_rx_batch(f.dev, 0, NULL, 4), 0);
    CHECK_EQ(nic_rx_batch(f.dev, 0, b, 4), 4);
    CHECK_EQ(fix_seq(b[0]), 0);
    CHECK_EQ(nic_rx_batch(f.dev, 0, b, 6), 6); /* exactly what is there */
    CHECK_EQ(fix_seq(b[5]), 9);
    CHECK_EQ(nic_rx_batch(f.dev, 0, b, 16), 0);
    CHECK_EQ(nic_rx_batch(f.dev, 1, b, 16), 0); /* no such queue */
    CHECK_EQ(nic_tx_batch(f.dev, 1, b, 1), 0);
    fix_fini(&f);
}

static void test_rx_ring_full_counts_missed(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 1, 1, 8, 8, 16), 0);
    for (uint32_t i = 0; i < 7; i++)
        CHECK_EQ(fix_deliver(&f, 0, i, 60), NIC_SIM_OK);
    CHECK_EQ(fix_deliver(&f, 0, 7, 60), NIC_SIM_MISSED);
    CHECK_EQ(fix_deliver(&f, 0, 8, 60), NIC_SIM_MISSED);
    CHECK_EQ(fix_stats(&f).dev_mpc, 2);
    struct nic_buf *b[8];
    CHECK_EQ(nic_rx_batch(f.dev, 0, b, 1), 1);
    CHECK_EQ(fix_deliver(&f, 0, 9, 60), NIC_SIM_OK);
    CHECK_EQ(nic_rx_batch(f.dev, 0, b + 1, 8), 7);
    CHECK_EQ(fix_seq(b[7]), 9);
    fix_fini(&f);
}

static void test_rx_no_buffer_leaves_packet(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 1, 1, 4, 4, 5), 0); /* one spare buffer */
    struct nic_buf *b[4];
    for (uint32_t i = 0; i < 3; i++)
        fix_deliver(&f, 0, i, 60);
    CHECK_EQ(nic_rx_batch(f.dev, 0, b, 4), 1);
    CHECK_EQ(fix_stats(&f).rx_no_buf, 1);
    nic_buf_free(f.dev, b[0]);
    CHECK_EQ(nic_rx_batch(f.dev, 0, b, 4), 1);
    CHECK_EQ(fix_seq(b[0]), 1); /* nothing lost, in order */
    CHECK_EQ(nic_census(f.dev, NULL), 0);
    fix_fini(&f);
}

static void test_tx_full_and_clean_batches(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 1, 1, 2, 128, 256), 0);
    struct nic_buf *b[128];
    for (int i = 0; i < 128; i++) {
        b[i] = nic_buf_alloc(f.dev);
        b[i]->len = 60;
    }
    CHECK_EQ(nic_tx_batch(f.dev, 0, b, 128), 127); /* one slot stays empty */
    CHECK_EQ(nic_tx_inflight(f.dev, 0), 127);
    CHECK_EQ(nic_sim_tx_complete(f.sim, 0, 31, NULL, NULL), 31);
    CHECK_EQ(nic_tx_batch(f.dev, 0, b + 127, 0), 0); /* 31 < batch: nothing freed */
    CHECK_EQ(nic_tx_inflight(f.dev, 0), 127);
    CHECK_EQ(nic_sim_tx_complete(f.sim, 0, 1, NULL, NULL), 1);
    CHECK_EQ(nic_tx_batch(f.dev, 0, b + 127, 1), 1); /* one batch of 32 freed */
    CHECK_EQ(nic_tx_inflight(f.dev, 0), 96);
    CHECK_EQ(nic_sim_tx_complete(f.sim, 0, 1000, NULL, NULL), 96);
    CHECK_EQ(nic_tx_clean(f.dev, 0), 96); /* remainder, one by one */
    CHECK_EQ(nic_tx_inflight(f.dev, 0), 0);
    struct nic_census c;
    CHECK_EQ(nic_census(f.dev, &c), 0);
    CHECK_EQ(c.free, 254);
    fix_fini(&f);
}

static void test_tx_rejects_bad_buffers(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 1, 1, 4, 8, 16), 0);
    struct nic_buf *a = nic_buf_alloc(f.dev);
    a->len = 60;
    struct nic_buf *list[3] = {a, a, NULL};
    CHECK_EQ(nic_tx_batch(f.dev, 0, list, 2), 1); /* duplicate refused */
    struct nic_buf *c = nic_buf_alloc(f.dev);
    c->len = NIC_BUF_DATA + 1;
    CHECK_EQ(nic_tx_batch(f.dev, 0, &c, 1), 0);
    c->len = 0;
    CHECK_EQ(nic_tx_batch(f.dev, 0, &c, 1), 0);
    list[0] = (struct nic_buf *)(void *)(f.arena + 5);
    CHECK_EQ(nic_tx_batch(f.dev, 0, list, 1), 0);
    CHECK_EQ(fix_stats(&f).tx_bad_buf, 4);
    CHECK_EQ(nic_census(f.dev, NULL), 0);
    fix_fini(&f);
}

static void test_config_checks(void)
{
    struct nic_config ok = {2, 2, 64, 64, 128};
    CHECK(nic_arena_size(&ok) > 0);
    struct nic_config c = ok;
    c.rx_entries = 48;
    CHECK_EQ(nic_arena_size(&c), 0);
    c = ok;
    c.tx_entries = 48;
    CHECK_EQ(nic_arena_size(&c), 0);
    c = ok;
    c.tx_entries = 1;
    CHECK_EQ(nic_arena_size(&c), 0);
    c = ok;
    c.rx_entries = 65536;
    CHECK_EQ(nic_arena_size(&c), 0);
    c = ok;
    c.num_bufs = 127; /* cannot fill both RX rings */
    CHECK_EQ(nic_arena_size(&c), 0);
    c = ok;
    c.num_rx_queues = NIC_MAX_QUEUES + 1;
    CHECK_EQ(nic_arena_size(&c), 0);
    CHECK_EQ(nic_arena_size(NULL), 0);

    size_t sz = nic_arena_size(&ok);
    uint8_t *arena = aligned_alloc(64, sz + 64);
    struct nic_regs *regs = aligned_alloc(64, sizeof(*regs));
    nic_regs_init(regs);
    int err = 0;
    CHECK(nic_dev_create(&ok, arena, sz - 1, regs, &err) == NULL);
    CHECK_EQ(err, NIC_ESMALL);
    CHECK(nic_dev_create(&ok, arena + 4, sz, regs, &err) == NULL);
    CHECK_EQ(err, NIC_EINVAL);
    c = ok;
    c.tx_entries = 48;
    CHECK(nic_dev_create(&c, arena, sz, regs, &err) == NULL);
    CHECK_EQ(err, NIC_EINVAL);
    struct nic_dev *d = nic_dev_create(&ok, arena, sz, regs, &err);
    CHECK(d != NULL);
    CHECK_EQ(err, NIC_OK);
    nic_dev_destroy(d);
    CHECK_EQ(atomic_load(&regs->rx[1].rxdctl), 0); /* disabled on destroy */
    nic_dev_destroy(NULL);
    free(arena);
    free(regs);
}

static void test_queues_are_independent(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 3, 3, 8, 8, 40), 0);
    struct nic_buf *b[8];
    for (uint32_t q = 0; q < 3; q++)
        for (uint32_t i = 0; i < 5; i++)
            fix_deliver(&f, q, 100 * q + i, 60);
    for (uint32_t q = 3; q-- > 0;) {
        CHECK_EQ(nic_rx_batch(f.dev, q, b, 8), 5);
        CHECK_EQ(fix_seq(b[0]), 100 * q);
        CHECK_EQ(fix_seq(b[4]), 100 * q + 4);
        CHECK_EQ(nic_tx_batch(f.dev, q, b, 5), 5);
    }
    CHECK_EQ(nic_sim_tx_pending(f.sim, 1), 5);
    CHECK_EQ(nic_census(f.dev, NULL), 0);
    fix_fini(&f);
}

int main(void)
{
    RUN(test_wrap_every_size);
    RUN(test_tail_and_dd);
    RUN(test_batch_boundaries);
    RUN(test_rx_ring_full_counts_missed);
    RUN(test_rx_no_buffer_leaves_packet);
    RUN(test_tx_full_and_clean_batches);
    RUN(test_tx_rejects_bad_buffers);
    RUN(test_config_checks);
    RUN(test_queues_are_independent);
    return check_summary();
}
