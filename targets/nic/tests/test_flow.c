/* test_flow.c: RX flow steering (flow.c, nic_sim_flow_queue): add, update,
 * delete, re-add, probe chains across tombstones, tombstone reuse, a full
 * table, the count, and the device steering by the programmed filters. */
#include "check.h"
#include "nic_testutil.h"

/* The n-th key (n = 0, 1, ...) whose home slot is home: found by walking
 * the ports of one address (deterministic). */
static struct nic_flow_key key_at(uint32_t home, uint32_t n)
{
    struct nic_flow_key k = {0x0a000001u, 0};
    for (uint32_t port = 0;; port++) {
        k.dst_port = (uint16_t)port;
        if (nic_flow_home(&k) == home && n-- == 0)
            return k;
    }
}

static int slot_of(const struct fix *f, const struct nic_flow_key *k)
{
    for (uint32_t i = 0; i < NIC_FLOW_SLOTS; i++) {
        const struct nic_flow_slot *s = &f->dev->flows.slot[i];
        if (s->state == NIC_FLOW_USED && s->key.dst_ip == k->dst_ip &&
            s->key.dst_port == k->dst_port)
            return (int)i;
    }
    return -1;
}

static void test_add_update_delete(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 4, 1, 8, 8, 32), 0);
    struct nic_flow_key a = {0xc0a80001u, 80};
    CHECK_EQ(nic_flow_count(f.dev), 0);
    CHECK_EQ(nic_flow_lookup(f.dev, &a), NIC_ENOENT);
    CHECK_EQ(nic_flow_add(f.dev, &a, 2), NIC_OK);
    CHECK_EQ(nic_flow_lookup(f.dev, &a), 2);
    CHECK_EQ(nic_flow_count(f.dev), 1);
    CHECK_EQ(nic_sim_flow_queue(f.sim, &a), 2);
    CHECK_EQ(nic_flow_add(f.dev, &a, 3), NIC_OK); /* update, not a second filter */
    CHECK_EQ(nic_flow_count(f.dev), 1);
    CHECK_EQ(nic_flow_lookup(f.dev, &a), 3);
    CHECK_EQ(nic_sim_flow_queue(f.sim, &a), 3);
    CHECK_EQ(nic_flow_add(f.dev, &a, 4), NIC_EINVAL); /* 4 RX queues */
    CHECK_EQ(nic_flow_lookup(f.dev, &a), 3);
    CHECK_EQ(nic_flow_del(f.dev, &a), NIC_OK);
    CHECK_EQ(nic_flow_del(f.dev, &a), NIC_ENOENT);
    CHECK_EQ(nic_flow_count(f.dev), 0);
    CHECK_EQ(nic_flow_lookup(f.dev, &a), NIC_ENOENT);
    CHECK_EQ(nic_sim_flow_queue(f.sim, &a), 0); /* the default queue */
    CHECK_EQ(nic_flow_add(f.dev, &a, 1), NIC_OK); /* re-add after delete */
    CHECK_EQ(nic_flow_lookup(f.dev, &a), 1);
    CHECK_EQ(nic_flow_count(f.dev), 1);
    fix_fini(&f);
}

/* A, B, C share a home slot: B and C probe past A. */
static void test_chain_across_tombstone(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 4, 1, 8, 8, 32), 0);
    const uint32_t h = 17;
    struct nic_flow_key a = key_at(h, 0), b = key_at(h, 1), c = key_at(h, 2);
    CHECK_EQ(nic_flow_add(f.dev, &a, 1), NIC_OK);
    CHECK_EQ(nic_flow_add(f.dev, &b, 2), NIC_OK);
    CHECK_EQ(slot_of(&f, &a), (int)h);
    CHECK_EQ(slot_of(&f, &b), (int)h + 1);
    CHECK_EQ(nic_flow_del(f.dev, &a), NIC_OK);
    CHECK_EQ(nic_flow_lookup(f.dev, &b), 2); /* found past the tombstone */
    CHECK_EQ(nic_sim_flow_queue(f.sim, &b), 2);
    /* Re-adding B updates it where it is; the tombstone stays. */
    CHECK_EQ(nic_flow_add(f.dev, &b, 3), NIC_OK);
    CHECK_EQ(nic_flow_count(f.dev), 1);
    CHECK_EQ(slot_of(&f, &b), (int)h + 1);
    CHECK_EQ(f.dev->flows.slot[h].state, NIC_FLOW_DELETED);
    CHECK_EQ(nic_flow_del(f.dev, &b), NIC_OK);
    CHECK_EQ(nic_flow_lookup(f.dev, &b), NIC_ENOENT);
    CHECK_EQ(nic_sim_flow_queue(f.sim, &b), 0); /* no stale filter on the device */
    /* A new key reuses the first tombstone of its chain. */
    CHECK_EQ(nic_flow_add(f.dev, &c, 1), NIC_OK);
    CHECK_EQ(slot_of(&f, &c), (int)h);
    CHECK_EQ(nic_flow_count(f.dev), 1);
    fix_fini(&f);
}

/* The chain wraps from the last slot to the first. */
static void test_chain_wraps(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 2, 1, 8, 8, 16), 0);
    const uint32_t h = NIC_FLOW_SLOTS - 1;
    struct nic_flow_key a = key_at(h, 0), b = key_at(h, 1);
    CHECK_EQ(nic_flow_add(f.dev, &a, 1), NIC_OK);
    CHECK_EQ(nic_flow_add(f.dev, &b, 1), NIC_OK);
    CHECK_EQ(slot_of(&f, &b), 0);
    CHECK_EQ(nic_flow_del(f.dev, &a), NIC_OK);
    CHECK_EQ(nic_flow_lookup(f.dev, &b), 1);
    fix_fini(&f);
}

static void test_full_table(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 2, 1, 8, 8, 16), 0);
    struct nic_flow_key k = {0x0a000002u, 0};
    for (uint32_t i = 0; i < NIC_FLOW_SLOTS; i++) {
        k.dst_port = (uint16_t)(1000 + i);
        CHECK_EQ(nic_flow_add(f.dev, &k, i & 1), NIC_OK);
    }
    CHECK_EQ(nic_flow_count(f.dev), NIC_FLOW_SLOTS);
    k.dst_port = 999;
    CHECK_EQ(nic_flow_add(f.dev, &k, 0), NIC_ENOSPC);
    CHECK_EQ(nic_flow_lookup(f.dev, &k), NIC_ENOENT); /* walks the whole table */
    k.dst_port = 1005;
    CHECK_EQ(nic_flow_add(f.dev, &k, 0), NIC_OK); /* an update still fits */
    CHECK_EQ(nic_flow_del(f.dev, &k), NIC_OK);
    k.dst_port = 999; /* a table of used slots and one tombstone has room */
    CHECK_EQ(nic_flow_add(f.dev, &k, 1), NIC_OK);
    CHECK_EQ(nic_flow_lookup(f.dev, &k), 1);
    CHECK_EQ(nic_flow_count(f.dev), NIC_FLOW_SLOTS);
    for (uint32_t i = 0; i < NIC_FLOW_SLOTS; i++) {
        k.dst_port = (uint16_t)(1000 + i);
        CHECK_EQ(nic_flow_del(f.dev, &k), i == 5 ? NIC_ENOENT : NIC_OK);
    }
    k.dst_port = 999;
    CHECK_EQ(nic_flow_del(f.dev, &k), NIC_OK);
    CHECK_EQ(nic_flow_count(f.dev), 0);
    /* All tombstones: a lookup stops after one lap, an add reuses one. */
    CHECK_EQ(nic_flow_lookup(f.dev, &k), NIC_ENOENT);
    CHECK_EQ(nic_flow_add(f.dev, &k, 1), NIC_OK);
    CHECK_EQ(nic_flow_count(f.dev), 1);
    fix_fini(&f);
}

/* Frames of a flow land on its filter's queue, others on queue 0. */
static void test_device_steering(void)
{
    struct fix f;
    CHECK_EQ(fix_init(&f, 3, 1, 8, 8, 32), 0);
    struct nic_flow_key a = {0xc0a80001u, 443}, other = {0xc0a80001u, 444};
    CHECK_EQ(nic_flow_add(f.dev, &a, 2), NIC_OK);
    uint8_t frame[64] = {7};
    uint32_t q = 99;
    CHECK_EQ(nic_sim_deliver_flow(f.sim, &a, 60, frame, &q), NIC_SIM_OK);
    CHECK_EQ(q, 2);
    CHECK_EQ(nic_sim_deliver_flow(f.sim, &other, 60, frame, &q), NIC_SIM_OK);
    CHECK_EQ(q, 0);
    struct nic_buf *b[4];
    CHECK_EQ(nic_rx_batch(f.dev, 2, b, 4), 1);
    CHECK_EQ(b[0]->len, 60);
    CHECK_EQ(b[0]->data[0], 7);
    nic_buf_free(f.dev, b[0]);
    CHECK_EQ(nic_rx_batch(f.dev, 0, b, 4), 1);
    nic_buf_free(f.dev, b[0]);
    CHECK_EQ(nic_rx_batch(f.dev, 1, b, 4), 0);
    /* Two valid filters for one key: the lowest index wins. */
    struct nic_fdir_regs *lo = &f.regs->fdir[3], *hi = &f.regs->fdir[9];
    atomic_store(&lo->ipda, other.dst_ip);
    atomic_store(&lo->port, other.dst_port);
    atomic_store(&hi->ipda, other.dst_ip);
    atomic_store(&hi->port, other.dst_port);
    atomic_store(&hi->cmd, NIC_FDIRCMD_VALID | 2u);
    atomic_store(&lo->cmd, NIC_FDIRCMD_VALID | 1u);
    CHECK_EQ(nic_sim_flow_queue(f.sim, &other), 1);
    atomic_store(&lo->cmd, 1u); /* not valid: ignored */
    CHECK_EQ(nic_sim_flow_queue(f.sim, &other), 2);
    CHECK_EQ(nic_sim_deliver_flow(f.sim, NULL, 60, frame, NULL), NIC_SIM_EINVAL);
    fix_fini(&f);
}

/* Keys fuzzers and random mode favour (small, all-ones) spread out. */
static void test_hash_spreads(void)
{
    uint32_t seen[NIC_FLOW_SLOTS] = {0}, most = 0;
    for (uint32_t i = 0; i < 17; i++) {
        struct nic_flow_key ks[4] = {{i, 0}, {0, (uint16_t)i}, {0xffffffffu - i, 0xffff},
                                     {i, 0xffff}};
        for (int j = 0; j < 4; j++) {
            uint32_t h = nic_flow_home(&ks[j]);
            CHECK(h < NIC_FLOW_SLOTS);
            if (++seen[h] > most)
                most = seen[h];
        }
    }
    CHECK(most <= 4); /* 68 keys, 64 slots */
}

int main(void)
{
    RUN(test_add_update_delete);
    RUN(test_chain_across_tombstone);
    RUN(test_chain_wraps);
    RUN(test_full_table);
    RUN(test_device_steering);
    RUN(test_hash_spreads);
    return check_summary();
}
