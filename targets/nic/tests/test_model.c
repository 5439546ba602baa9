/*
 * test_model.c: deterministic model-based test. Random operation sequences
 * (deliver, receive, transmit, TX completion, alloc/free, hostile device
 * actions, stalls) from a pinned seed, checked after every step against the
 * reference model in nic_model.h.
 */
#include "check.h"
#include "nic_model.h"

struct prng {
    uint64_t s;
};

static uint32_t prng_next(void *ctx, uint32_t bound)
{
    struct prng *p = ctx;
    /* xorshift64* */
    p->s ^= p->s >> 12;
    p->s ^= p->s << 25;
    p->s ^= p->s >> 27;
    uint64_t r = p->s * 2685821657736338717ull;
    return bound ? (uint32_t)((r >> 32) % bound) : 0;
}

static unsigned run_model(const struct nic_config *cfg, uint64_t seed, uint32_t steps)
{
    struct model m;
    if (m_init(&m, cfg) != 0)
        return 1000;
    struct prng p = {seed};
    struct m_src src = {prng_next, &p};
    for (uint32_t i = 0; i < steps && m.failures == 0; i++)
        m_step(&m, &src);
    unsigned f = m.failures;
    m_destroy(&m);
    return f;
}

static void test_model_small_rings(void)
{
    static const uint32_t sizes[] = {2, 4, 8, 16};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        struct nic_config cfg = {1, 1, sizes[i], sizes[i], sizes[i] + 3};
        CHECK_EQ(run_model(&cfg, 0x5eed0001u + i, 20000), 0);
    }
}

static void test_model_multi_queue(void)
{
    struct nic_config cfg = {3, 2, 8, 16, 3 * 8 + 20};
    CHECK_EQ(run_model(&cfg, 0x5eed0100u, 30000), 0);
    struct nic_config cfg2 = {2, 3, 32, 4, 64};
    CHECK_EQ(run_model(&cfg2, 0x5eed0101u, 30000), 0);
}

static void test_model_exact_pool(void)
{
    /* no spare buffers: every receive must wait for a free */
    struct nic_config cfg = {1, 1, 8, 8, 8};
    CHECK_EQ(run_model(&cfg, 0x5eed0200u, 20000), 0);
}

static void test_model_large_rings(void)
{
    struct nic_config cfg = {2, 2, 128, 64, 512};
    CHECK_EQ(run_model(&cfg, 0x5eed0300u, 40000), 0);
}

int main(void)
{
    RUN(test_model_small_rings);
    RUN(test_model_multi_queue);
    RUN(test_model_exact_pool);
    RUN(test_model_large_rings);
    return check_summary();
}
