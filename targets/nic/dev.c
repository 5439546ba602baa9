/*
 * dev.c: device creation (queue initialisation as in ixy's init_rx/init_tx,
 * datasheet §4.6.7 and §4.6.8), buffer hand-out, statistics and census.
 */
#include <stdlib.h>
#include <string.h>

#include "nic_internal.h"

static void program_rx_queue(struct nic_dev *dev, uint32_t q, size_t ring_off)
{
    struct nic_rxq *rq = nic_rxq_at(dev, q);
    struct nic_rxq_regs *r = &dev->regs->rx[q];
    const uint32_t n = dev->cfg.rx_entries;

    rq->ring = (union nic_adv_rx_desc *)(void *)(dev->arena + ring_off);
    rq->regs = r;
    rq->n = n;
    rq->rx_index = 0;
    /* RDT = n - 1: descriptor n - 1 is armed but held back, so that
     * head == tail always means "device owns nothing" (§7.1.9). */
    rq->tail = n - 1;
    memset(&rq->st, 0, sizeof(rq->st));
    memset(rq->ring, 0, (size_t)n * sizeof(union nic_adv_rx_desc));
    for (uint32_t i = 0; i < n; i++) {
        /* nic_config_check guarantees num_bufs >= all RX entries. */
        struct nic_buf *b = nic_mempool_get(&dev->mp, NIC_BS_RX);
        rq->bufs[i] = b;
        rq->ring[i].read.pkt_addr = b->iova;
        rq->ring[i].read.hdr_addr = 0;
    }
    uint64_t iova = (uint64_t)ring_off;
    atomic_store_explicit(&r->rxdctl, 0, memory_order_relaxed);
    atomic_store_explicit(&r->rdbal, (uint32_t)iova, memory_order_relaxed);
    atomic_store_explicit(&r->rdbah, (uint32_t)(iova >> 32), memory_order_relaxed);
    atomic_store_explicit(&r->rdlen, n * (uint32_t)sizeof(union nic_adv_rx_desc),
                          memory_order_relaxed);
    atomic_store_explicit(&r->srrctl, NIC_BUF_DATA / 1024, memory_order_relaxed);
    atomic_store_explicit(&r->rdh, 0, memory_order_relaxed);
    /* release: the descriptors above are visible before the device sees RDT */
    atomic_store_explicit(&r->rdt, n - 1, memory_order_release);
    atomic_store_explicit(&r->rxdctl, NIC_RXDCTL_ENABLE, memory_order_release);
}

static void program_tx_queue(struct nic_dev *dev, uint32_t q, size_t ring_off)
{
    struct nic_txq *tq = nic_txq_at(dev, q);
    struct nic_txq_regs *r = &dev->regs->tx[q];
    const uint32_t n = dev->cfg.tx_entries;

    tq->ring = (union nic_adv_tx_desc *)(void *)(dev->arena + ring_off);
    tq->regs = r;
    tq->n = n;
    tq->tx_index = 0;
    tq->clean_index = 0;
    tq->clean_batch = n / 2 < NIC_TX_CLEAN_BATCH ? n / 2 : NIC_TX_CLEAN_BATCH;
    memset(&tq->st, 0, sizeof(tq->st));
    memset(tq->ring, 0, (size_t)n * sizeof(union nic_adv_tx_desc));
    uint64_t iova = (uint64_t)ring_off;
    atomic_store_explicit(&r->txdctl, 0, memory_order_relaxed);
    atomic_store_explicit(&r->tdbal, (uint32_t)iova, memory_order_relaxed);
    atomic_store_explicit(&r->tdbah, (uint32_t)(iova >> 32), memory_order_relaxed);
    atomic_store_explicit(&r->tdlen, n * (uint32_t)sizeof(union nic_adv_tx_desc),
                          memory_order_relaxed);
    atomic_store_explicit(&r->tdh, 0, memory_order_relaxed);
    atomic_store_explicit(&r->tdt, 0, memory_order_release);
    atomic_store_explicit(&r->txdctl, NIC_TXDCTL_ENABLE, memory_order_release);
}

struct nic_dev *nic_dev_create(const struct nic_config *cfg, void *arena,
                               size_t arena_size, struct nic_regs *regs, int *err)
{
    int dummy;
    if (err == NULL)
        err = &dummy;
    struct nic_layout l;
    if (arena == NULL || regs == NULL || ((uintptr_t)arena & 15) != 0 ||
        nic_layout_compute(cfg, &l) != NIC_OK) {
        *err = NIC_EINVAL;
        return NULL;
    }
    if (arena_size < l.size) {
        *err = NIC_ESMALL;
        return NULL;
    }
    struct nic_dev *dev = calloc(1, sizeof(*dev));
    if (dev == NULL) {
        *err = NIC_ENOMEM;
        return NULL;
    }
    dev->cfg = *cfg;
    dev->arena = arena;
    dev->arena_size = arena_size;
    dev->regs = regs;
    dev->rxq_stride = sizeof(struct nic_rxq) + (size_t)cfg->rx_entries * sizeof(struct nic_buf *);
    dev->txq_stride = sizeof(struct nic_txq) + (size_t)cfg->tx_entries * sizeof(struct nic_buf *);
    dev->rxq_mem = calloc(cfg->num_rx_queues ? cfg->num_rx_queues : 1, dev->rxq_stride);
    dev->txq_mem = calloc(cfg->num_tx_queues ? cfg->num_tx_queues : 1, dev->txq_stride);
    dev->mark = malloc(cfg->num_bufs ? cfg->num_bufs : 1);
    if (dev->rxq_mem == NULL || dev->txq_mem == NULL || dev->mark == NULL ||
        nic_mempool_init(&dev->mp, dev->arena + l.buf_off, (uint64_t)l.buf_off,
                         cfg->num_bufs) != NIC_OK) {
        nic_dev_destroy(dev);
        *err = NIC_ENOMEM;
        return NULL;
    }
    for (uint32_t q = 0; q < cfg->num_rx_queues; q++)
        program_rx_queue(dev, q, l.rx_off[q]);
    for (uint32_t q = 0; q < cfg->num_tx_queues; q++)
        program_tx_queue(dev, q, l.tx_off[q]);
    *err = NIC_OK;
    return dev;
}

void nic_dev_destroy(struct nic_dev *dev)
{
    if (dev == NULL)
        return;
    if (dev->regs != NULL) {
        for (uint32_t q = 0; q < dev->cfg.num_rx_queues; q++)
            atomic_store_explicit(&dev->regs->rx[q].rxdctl, 0, memory_order_release);
        for (uint32_t q = 0; q < dev->cfg.num_tx_queues; q++)
            atomic_store_explicit(&dev->regs->tx[q].txdctl, 0, memory_order_release);
    }
    nic_mempool_fini(&dev->mp);
    free(dev->rxq_mem);
    free(dev->txq_mem);
    free(dev->mark);
    free(dev);
}

struct nic_buf *nic_buf_alloc(struct nic_dev *dev)
{
    return nic_mempool_get(&dev->mp, NIC_BS_APP);
}

int nic_buf_free(struct nic_dev *dev, struct nic_buf *buf)
{
    if (nic_mempool_put(&dev->mp, buf, NIC_BS_APP) != NIC_OK) {
        dev->bad_free++;
        return NIC_EINVAL;
    }
    return NIC_OK;
}

static void add_qstats(struct nic_stats *o, const struct nic_qstats *s)
{
    o->rx_packets += s->rx_packets;
    o->rx_bytes += s->rx_bytes;
    o->rx_bad_length += s->rx_bad_length;
    o->rx_no_eop += s->rx_no_eop;
    o->rx_errors += s->rx_errors;
    o->rx_stray_dd += s->rx_stray_dd;
    o->rx_no_buf += s->rx_no_buf;
    o->tx_packets += s->tx_packets;
    o->tx_bytes += s->tx_bytes;
    o->tx_cleaned += s->tx_cleaned;
    o->tx_bad_buf += s->tx_bad_buf;
}

void nic_stats_read(const struct nic_dev *dev, struct nic_stats *out)
{
    memset(out, 0, sizeof(*out));
    for (uint32_t q = 0; q < dev->cfg.num_rx_queues; q++)
        add_qstats(out, &nic_rxq_at(dev, q)->st);
    for (uint32_t q = 0; q < dev->cfg.num_tx_queues; q++)
        add_qstats(out, &nic_txq_at(dev, q)->st);
    out->bad_free = dev->bad_free;
    const struct nic_stat_regs *s = &dev->regs->stats;
    out->dev_gprc = atomic_load_explicit(&s->gprc, memory_order_relaxed);
    out->dev_gorc = atomic_load_explicit(&s->gorc, memory_order_relaxed);
    out->dev_mpc = atomic_load_explicit(&s->mpc, memory_order_relaxed);
    out->dev_gptc = atomic_load_explicit(&s->gptc, memory_order_relaxed);
    out->dev_gotc = atomic_load_explicit(&s->gotc, memory_order_relaxed);
}

uint32_t nic_tx_inflight(const struct nic_dev *dev, uint32_t q)
{
    if (q >= dev->cfg.num_tx_queues)
        return 0;
    const struct nic_txq *tq = nic_txq_at(dev, q);
    return (tq->tx_index - tq->clean_index) & (dev->cfg.tx_entries - 1);
}

/* Mark buffer p as seen in location `where`; returns 1 on inconsistency. */
static uint32_t census_mark(struct nic_dev *dev, const void *p, uint8_t where)
{
    int64_t idx = nic_mempool_index(&dev->mp, p);
    if (idx < 0)
        return 1; /* not a buffer of this pool */
    if (dev->mark[idx] != 0)
        return 1; /* in two places */
    dev->mark[idx] = (uint8_t)(where + 1);
    return dev->mp.state[idx] != where;
}

uint32_t nic_census(struct nic_dev *dev, struct nic_census *out)
{
    struct nic_census c;
    memset(&c, 0, sizeof(c));
    const struct nic_config *cfg = &dev->cfg;
    c.total = cfg->num_bufs;
    memset(dev->mark, 0, cfg->num_bufs ? cfg->num_bufs : 1);
    /* Loop bounds come from cfg, not from queue state, so that corrupted
     * queue state cannot make the census itself misbehave. */
    for (uint32_t i = 0; i < dev->mp.top && i < cfg->num_bufs; i++) {
        uint32_t idx = dev->mp.stack[i];
        if (idx >= cfg->num_bufs) {
            c.errors++;
            continue;
        }
        c.errors += census_mark(dev, dev->mp.base + (size_t)idx * NIC_BUF_STRIDE, NIC_BS_FREE);
        c.free++;
    }
    for (uint32_t q = 0; q < cfg->num_rx_queues; q++) {
        const struct nic_rxq *rq = nic_rxq_at(dev, q);
        for (uint32_t i = 0; i < cfg->rx_entries; i++) {
            c.errors += census_mark(dev, rq->bufs[i], NIC_BS_RX);
            c.rx++;
        }
    }
    for (uint32_t q = 0; q < cfg->num_tx_queues; q++) {
        const struct nic_txq *tq = nic_txq_at(dev, q);
        const uint32_t mask = cfg->tx_entries - 1;
        uint32_t i = tq->clean_index & mask, end = tq->tx_index & mask;
        for (uint32_t k = 0; i != end && k < cfg->tx_entries; k++, i = (i + 1) & mask) {
            c.errors += census_mark(dev, tq->bufs[i], NIC_BS_TX);
            c.tx++;
        }
    }
    for (uint32_t i = 0; i < cfg->num_bufs; i++) {
        if (dev->mark[i] != 0)
            continue;
        if (dev->mp.state[i] == NIC_BS_APP)
            c.app++;
        else
            c.errors++; /* tagged as in a ring or free, but found nowhere */
    }
    if (out != NULL)
        *out = c;
    return c.errors;
}
