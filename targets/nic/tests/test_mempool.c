/* test_mempool.c: the packet-buffer pool (free stack, state tags). */
#include "check.h"
#include "nic_testutil.h"

static void test_alloc_all_then_empty(void)
{
    uint8_t *mem = calloc(16, NIC_BUF_STRIDE);
    struct nic_mempool mp;
    CHECK_EQ(nic_mempool_init(&mp, mem, 4096, 16), NIC_OK);
    struct nic_buf *b[16];
    for (int i = 0; i < 16; i++) {
        b[i] = nic_mempool_get(&mp, NIC_BS_APP);
        CHECK(b[i] != NULL);
        CHECK_EQ(nic_mempool_index(&mp, b[i]), i); /* allocation starts at 0 */
        CHECK_EQ(b[i]->iova, 4096 + (uint64_t)i * NIC_BUF_STRIDE + NIC_BUF_HEADROOM);
    }
    CHECK(nic_mempool_get(&mp, NIC_BS_APP) == NULL);
    CHECK_EQ(nic_mempool_put(&mp, b[3], NIC_BS_APP), NIC_OK);
    CHECK(nic_mempool_get(&mp, NIC_BS_APP) == b[3]); /* LIFO */
    for (int i = 0; i < 16; i++)
        CHECK_EQ(nic_mempool_put(&mp, b[i], NIC_BS_APP), NIC_OK);
    CHECK_EQ(mp.top, 16);
    nic_mempool_fini(&mp);
    free(mem);
}

static void test_double_and_foreign_free(void)
{
    uint8_t *mem = calloc(4, NIC_BUF_STRIDE);
    struct nic_mempool mp;
    CHECK_EQ(nic_mempool_init(&mp, mem, 0, 4), NIC_OK);
    struct nic_buf *b = nic_mempool_get(&mp, NIC_BS_APP);
    CHECK_EQ(nic_mempool_put(&mp, b, NIC_BS_APP), NIC_OK);
    CHECK_EQ(nic_mempool_put(&mp, b, NIC_BS_APP), NIC_EINVAL); /* double free */
    CHECK_EQ(mp.top, 4);
    b = nic_mempool_get(&mp, NIC_BS_RX);
    CHECK_EQ(nic_mempool_put(&mp, b, NIC_BS_APP), NIC_EINVAL); /* wrong owner */
    CHECK_EQ(nic_mempool_put(&mp, (struct nic_buf *)(void *)(mem + 8), NIC_BS_APP), NIC_EINVAL);
    CHECK_EQ(nic_mempool_put(&mp, (struct nic_buf *)(void *)(mem + 4 * NIC_BUF_STRIDE),
                             NIC_BS_APP), NIC_EINVAL); /* one past the end */
    CHECK_EQ(nic_mempool_put(&mp, NULL, NIC_BS_APP), NIC_EINVAL);
    CHECK_EQ(nic_mempool_index(&mp, mem - 1), -1);
    CHECK_EQ(mp.top, 3);
    nic_mempool_fini(&mp);
    free(mem);
}

static void test_dev_free_counts_bad_free(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 1, 1, 8, 8, 10), 0);
    struct nic_buf *b = nic_buf_alloc(f.dev);
    CHECK(b != NULL);
    CHECK_EQ(nic_buf_free(f.dev, b), NIC_OK);
    CHECK_EQ(nic_buf_free(f.dev, b), NIC_EINVAL);
    /* a buffer sitting in the RX ring is not the caller's */
    CHECK_EQ(nic_buf_free(f.dev, (struct nic_buf *)(void *)f.arena), NIC_EINVAL);
    CHECK_EQ(fix_stats(&f).bad_free, 2);
    struct nic_census c;
    CHECK_EQ(nic_census(f.dev, &c), 0);
    CHECK_EQ(c.free, 2);
    CHECK_EQ(c.rx, 8);
    fix_fini(&f);
}

int main(void)
{
    RUN(test_alloc_all_then_empty);
    RUN(test_double_and_foreign_free);
    RUN(test_dev_free_counts_bad_free);
    return check_summary();
}
