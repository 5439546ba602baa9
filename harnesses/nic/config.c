/*
 * config.c: configurations, valid and not. The statement (nic.h): up to
 * NIC_MAX_QUEUES queues per direction, each ring a power of two in
 * 2..32768, at least enough buffers to fill every RX ring and at most 2^20.
 *   - an invalid configuration is refused with NIC_EINVAL, by
 *     nic_arena_size (0) and by nic_dev_create (NULL), which writes
 *     neither the arena nor the register window: it is never laid out;
 *   - a valid one has the layout nic.h describes ([buffers][RX rings][TX
 *     rings], rings 128-byte aligned), is refused with NIC_ESMALL in an
 *     arena a byte short (again untouched), and in an arena of its size is
 *     created with every queue programmed (§4.6.7, §4.6.8), every buffer
 *     accounted for, and the queues it does not have left disabled.
 * The oracle computes validity and the layout from the statement, not
 * from the code under test.
 */
#include "nic_gen.h"

#include <stdlib.h>
#include <string.h>

#define GUARD 0xa5
#define MAX_CREATE (4u << 20) /* arena bytes worth laying out in one run */

static void print_u32(pry_out_t *out, const void *value, const void *arg)
{
    (void)arg;
    pry_out_printf(out, "%u", *(const uint32_t *)value);
}

/* Ring sizes near the edges of the rule: powers of two, anything small
 * (24 is the classic), one off a power of two, and too large. */
static void *draw_entries_value(pry_t *p, const void *arg)
{
    (void)arg;
    static const unsigned w[] = {4, 3, 2, 1};
    uint32_t *v = pry_alloc(p, sizeof *v);
    switch (pry_weighted(p, "class", 4, w)) {
    case 0:
        *v = 1u << pry_range_u(p, "log2", 1, 15);
        break;
    case 1:
        *v = (uint32_t)pry_range_u(p, "n", 0, 64);
        break;
    case 2: {
        uint32_t b = 1u << pry_range_u(p, "log2", 1, 16);
        *v = pry_bool(p, "plus") ? b + 1 : b - 1;
        break;
    }
    default:
        *v = (uint32_t)pry_range_u(p, "n", 32769, UINT32_MAX);
        break;
    }
    return v;
}

static uint32_t draw_entries(pry_t *p, const char *label)
{
    static const pry_gen_t gen = {"ring_entries", draw_entries_value, print_u32, NULL};
    return *(const uint32_t *)pry_draw(p, label, &gen);
}

struct bufs_arg {
    uint64_t need; /* buffers the RX rings hold */
};

static void *draw_bufs_value(pry_t *p, const void *arg)
{
    const struct bufs_arg *a = arg;
    static const unsigned w[] = {4, 2, 1, 1};
    uint32_t *v = pry_alloc(p, sizeof *v);
    uint64_t need = a->need > UINT32_MAX ? UINT32_MAX : a->need;
    switch (pry_weighted(p, "class", 4, w)) {
    case 0: { /* enough, and a few spare */
        uint64_t n = need + pry_range_u(p, "spare", 0, 16);
        *v = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
        break;
    }
    case 1: /* too few */
        *v = need == 0 ? 0 : (uint32_t)(need - pry_range_u(p, "short", 1, need));
        break;
    case 2:
        *v = (uint32_t)pry_range_u(p, "n", 0, 100);
        break;
    default: /* around the 2^20 limit */
        *v = (uint32_t)((1u << 20) - 4 + pry_range_u(p, "n", 0, 8));
        break;
    }
    return v;
}

static bool is_pow2(uint32_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

static bool ring_ok(uint32_t n)
{
    return n >= 2 && n <= 32768 && is_pow2(n);
}

static size_t align128(size_t x)
{
    return (x + 127) & ~(size_t)127;
}

/* nic.h's layout, from the statement: [buffers][RX rings][TX rings]. */
static size_t layout(const struct nic_config *c, size_t rx_off[], size_t tx_off[])
{
    size_t off = (size_t)c->num_bufs * NIC_BUF_STRIDE;
    for (uint32_t q = 0; q < c->num_rx_queues; q++) {
        off = align128(off);
        rx_off[q] = off;
        off += (size_t)c->rx_entries * sizeof(union nic_adv_rx_desc);
    }
    for (uint32_t q = 0; q < c->num_tx_queues; q++) {
        off = align128(off);
        tx_off[q] = off;
        off += (size_t)c->tx_entries * sizeof(union nic_adv_tx_desc);
    }
    return off;
}

static bool all_guard(const uint8_t *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (m[i] != GUARD)
            return false;
    return true;
}

/* nic_dev_create must refuse cfg with |want| and write nothing. */
static void check_refused(pry_t *p, const struct nic_config *c, size_t arena_size, int want,
                          const char *why)
{
    uint8_t *arena = malloc(arena_size ? arena_size : 1);
    struct nic_regs *regs = aligned_alloc(64, sizeof *regs);
    pry_check(p, arena != NULL && regs != NULL, "out of memory");
    memset(arena, GUARD, arena_size);
    memset(regs, GUARD, sizeof *regs);
    int err = 0;
    struct nic_dev *dev = nic_dev_create(c, arena, arena_size, regs, &err);
    bool untouched = all_guard(arena, arena_size) && all_guard((uint8_t *)regs, sizeof *regs);
    nic_dev_destroy(dev);
    free(arena);
    free(regs);
    pry_check(p, dev == NULL && err == want,
              "%s: nic_dev_create gave %s with error %d, should refuse with %d", why,
              dev ? "a device" : "NULL", err, want);
    pry_check(p, untouched, "%s: refused, but the arena or registers were written", why);
}

static void check_created(pry_t *p, const struct nic_config *c, size_t size,
                          const size_t rx_off[], const size_t tx_off[])
{
    uint8_t *arena = malloc(size ? size : 1);
    struct nic_regs *regs = aligned_alloc(64, sizeof *regs);
    pry_check(p, arena != NULL && regs != NULL, "out of memory");
    memset(arena, GUARD, size);
    nic_regs_init(regs);
    int err = -100;
    struct nic_dev *dev = nic_dev_create(c, arena, size, regs, &err);
    pry_check(p, dev != NULL && err == NIC_OK, "valid configuration refused: error %d", err);

    struct nic_census cs;
    uint32_t errs = nic_census(dev, &cs);
    uint32_t ring_bufs = c->num_rx_queues * c->rx_entries;
    pry_check(p, errs == 0 && cs.total == c->num_bufs && cs.rx == ring_bufs &&
                     cs.free == c->num_bufs - ring_bufs && cs.tx == 0 && cs.app == 0,
              "fresh device: census errors %u, free %u rx %u tx %u app %u of %u", errs, cs.free,
              cs.rx, cs.tx, cs.app, cs.total);
    for (uint32_t q = 0; q < NIC_MAX_QUEUES; q++) {
        const struct nic_rxq_regs *r = &regs->rx[q];
        uint64_t base = (uint64_t)atomic_load(&r->rdbal) | (uint64_t)atomic_load(&r->rdbah) << 32;
        bool on = (atomic_load(&r->rxdctl) & NIC_RXDCTL_ENABLE) != 0;
        if (q >= c->num_rx_queues) {
            pry_check(p, !on, "rx queue %u enabled, but only %u configured", q, c->num_rx_queues);
            continue;
        }
        pry_check(p, on && base == rx_off[q] &&
                         atomic_load(&r->rdlen) == c->rx_entries * sizeof(union nic_adv_rx_desc) &&
                         atomic_load(&r->rdh) == 0 && atomic_load(&r->rdt) == c->rx_entries - 1,
                  "rx queue %u: enabled %d base %llu (want %zu) len %u head %u tail %u", q, on,
                  (unsigned long long)base, rx_off[q], atomic_load(&r->rdlen),
                  atomic_load(&r->rdh), atomic_load(&r->rdt));
        /* every descriptor armed with a distinct buffer of the pool */
        const union nic_adv_rx_desc *ring = (const void *)(arena + rx_off[q]);
        for (uint32_t i = 0; i < c->rx_entries; i++) {
            uint64_t a = ring[i].read.pkt_addr;
            pry_check(p, a % NIC_BUF_STRIDE == NIC_BUF_HEADROOM &&
                             a / NIC_BUF_STRIDE < c->num_bufs && ring[i].read.hdr_addr == 0,
                      "rx queue %u descriptor %u: address %llu, header %llu", q, i,
                      (unsigned long long)a, (unsigned long long)ring[i].read.hdr_addr);
        }
    }
    for (uint32_t q = 0; q < NIC_MAX_QUEUES; q++) {
        const struct nic_txq_regs *t = &regs->tx[q];
        uint64_t base = (uint64_t)atomic_load(&t->tdbal) | (uint64_t)atomic_load(&t->tdbah) << 32;
        bool on = (atomic_load(&t->txdctl) & NIC_TXDCTL_ENABLE) != 0;
        if (q >= c->num_tx_queues) {
            pry_check(p, !on, "tx queue %u enabled, but only %u configured", q, c->num_tx_queues);
            continue;
        }
        pry_check(p, on && base == tx_off[q] &&
                         atomic_load(&t->tdlen) == c->tx_entries * sizeof(union nic_adv_tx_desc) &&
                         atomic_load(&t->tdh) == 0 && atomic_load(&t->tdt) == 0,
                  "tx queue %u: enabled %d base %llu (want %zu) len %u head %u tail %u", q, on,
                  (unsigned long long)base, tx_off[q], atomic_load(&t->tdlen),
                  atomic_load(&t->tdh), atomic_load(&t->tdt));
        pry_check(p, nic_tx_inflight(dev, q) == 0, "tx queue %u: packets in flight at start", q);
    }
    nic_dev_destroy(dev);
    for (uint32_t q = 0; q < c->num_rx_queues; q++)
        pry_check(p, !(atomic_load(&regs->rx[q].rxdctl) & NIC_RXDCTL_ENABLE),
                  "rx queue %u still enabled after nic_dev_destroy", q);
    free(arena);
    free(regs);
}

PRY_PROPERTY(config)
{
    struct nic_config c;
    c.num_rx_queues = (uint32_t)pry_range_u(p, "rx_queues", 0, NIC_MAX_QUEUES + 4);
    c.num_tx_queues = (uint32_t)pry_range_u(p, "tx_queues", 0, NIC_MAX_QUEUES + 4);
    c.rx_entries = draw_entries(p, "rx_entries");
    c.tx_entries = draw_entries(p, "tx_entries");
    const struct bufs_arg ba = {(uint64_t)c.num_rx_queues * c.rx_entries};
    const pry_gen_t bufs_gen = {"num_bufs", draw_bufs_value, print_u32, &ba};
    c.num_bufs = *(const uint32_t *)pry_draw(p, "num_bufs", &bufs_gen);

    bool valid = c.num_rx_queues <= NIC_MAX_QUEUES && c.num_tx_queues <= NIC_MAX_QUEUES &&
                 ring_ok(c.rx_entries) && ring_ok(c.tx_entries) && c.num_bufs <= (1u << 20) &&
                 c.num_bufs >= ba.need;
    pry_note(p, "the configuration is %s", valid ? "valid" : "invalid");
    size_t rx_off[NIC_MAX_QUEUES + 4], tx_off[NIC_MAX_QUEUES + 4];
    size_t want = layout(&c, rx_off, tx_off);
    size_t got = nic_arena_size(&c);

    if (!valid) {
        pry_check(p, got == 0, "nic_arena_size accepted an invalid configuration: %zu bytes",
                  got);
        /* An arena the size the layout would have, if not too large: an
         * accepted configuration would be laid out in it, and seen. */
        check_refused(p, &c, want < (64u << 10) ? want : (64u << 10), NIC_EINVAL,
                      "invalid configuration");
        return;
    }
    pry_check(p, got == want, "nic_arena_size %zu, the layout needs %zu", got, want);
    if (want > MAX_CREATE)
        return; /* valid, but too large to lay out on every run */
    if (want > 0) /* no queues and no buffers need no arena */
        check_refused(p, &c, want - 1, NIC_ESMALL, "arena one byte short");
    check_created(p, &c, want, rx_off, tx_off);
}
