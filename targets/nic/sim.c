/*
 * sim.c: the software 82599, in-process step functions.
 *
 * The device side reads every descriptor field the driver wrote, but only
 * after an acquire load of the tail that handed it over, and it checks
 * every I/O address against the arena before a DMA. It publishes each
 * write-back with a release store of the status dword (DD last).
 * Ring indices wrap by comparison, not by mask: the card does not require
 * power-of-two rings (RDLEN is any multiple of 128 bytes, §8.2.3.8.3; the
 * simulator also accepts 2 and 4 descriptors, for tests).
 */
#include <stdlib.h>
#include <string.h>

#include "nic_sim_internal.h"

struct nic_sim *nic_sim_create(void *arena, size_t arena_size, struct nic_regs *regs)
{
    if (arena == NULL || regs == NULL)
        return NULL;
    struct nic_sim *sim = calloc(1, sizeof(*sim));
    if (sim == NULL)
        return NULL;
    sim->arena = arena;
    sim->arena_size = arena_size;
    sim->regs = regs;
    return sim;
}

void nic_sim_destroy(struct nic_sim *sim)
{
    free(sim);
}

static uint32_t wrap_inc(uint32_t i, uint32_t n)
{
    return i + 1 == n ? 0 : i + 1;
}

int nic_sim_ring(struct nic_sim *sim, int tx, uint32_t q, struct nic_sim_ring *r)
{
    if (q >= NIC_MAX_QUEUES)
        return NIC_SIM_EINVAL;
    uint32_t ctl, lo, hi, len;
    if (tx) {
        struct nic_txq_regs *t = &sim->regs->tx[q];
        ctl = atomic_load_explicit(&t->txdctl, memory_order_acquire);
        if (!(ctl & NIC_TXDCTL_ENABLE))
            return NIC_SIM_EINVAL;
        lo = atomic_load_explicit(&t->tdbal, memory_order_relaxed);
        hi = atomic_load_explicit(&t->tdbah, memory_order_relaxed);
        len = atomic_load_explicit(&t->tdlen, memory_order_relaxed);
    } else {
        struct nic_rxq_regs *rr = &sim->regs->rx[q];
        ctl = atomic_load_explicit(&rr->rxdctl, memory_order_acquire);
        if (!(ctl & NIC_RXDCTL_ENABLE))
            return NIC_SIM_EINVAL;
        lo = atomic_load_explicit(&rr->rdbal, memory_order_relaxed);
        hi = atomic_load_explicit(&rr->rdbah, memory_order_relaxed);
        len = atomic_load_explicit(&rr->rdlen, memory_order_relaxed);
        uint32_t bs = atomic_load_explicit(&rr->srrctl, memory_order_relaxed) &
                      NIC_SRRCTL_BSIZEPKT_MASK;
        r->bsize = bs ? bs * 1024u : 2048u; /* 0 selects the default, 2 KB */
    }
    uint64_t base = (uint64_t)lo | ((uint64_t)hi << 32);
    void *p = nic_iova_ptr(sim->arena, sim->arena_size, base, len);
    if (len < 32 || len % 16 != 0 || base % 16 != 0 || p == NULL) {
        atomic_fetch_add_explicit(&sim->regs->stats.sim_bad_ring, 1, memory_order_relaxed);
        return NIC_SIM_EINVAL;
    }
    r->desc = p;
    r->n = len / 16;
    return NIC_SIM_OK;
}

/* Read RDH and RDT (acquire: the descriptors up to RDT are the driver's
 * finished writes). Returns the number of descriptors the device owns, or
 * -1 if a register is out of range. */
static int64_t rx_owned(struct nic_sim *sim, uint32_t q, const struct nic_sim_ring *r,
                        uint32_t *head)
{
    struct nic_rxq_regs *rr = &sim->regs->rx[q];
    uint32_t h = atomic_load_explicit(&rr->rdh, memory_order_relaxed);
    uint32_t t = atomic_load_explicit(&rr->rdt, memory_order_acquire);
    if (h >= r->n || t >= r->n) {
        atomic_fetch_add_explicit(&sim->regs->stats.sim_bad_ring, 1, memory_order_relaxed);
        return -1;
    }
    *head = h;
    return t >= h ? (int64_t)(t - h) : (int64_t)(r->n - h + t);
}

/* Write back descriptor d (§7.1.6.2): fields first, status (DD) last with
 * release order. */
static void rx_writeback(union nic_adv_rx_desc *d, uint32_t len, uint32_t status)
{
    d->wb.lower.data = 0;
    d->wb.lower.rss = 0;
    d->wb.upper.length = (uint16_t)len;
    d->wb.upper.vlan = 0;
    nic_store_release32(&d->wb.upper.status_error, status);
}

/* Receive into the descriptor at head: DMA len bytes (clamped to the
 * buffer size) and write back PKT_LEN = wb_len with status. payload may be
 * NULL (leave the buffer as is). Returns NIC_SIM_OK or NIC_SIM_FAULT. */
static int rx_one(struct nic_sim *sim, uint32_t q, const struct nic_sim_ring *r, uint32_t head,
                  uint32_t len, const void *payload, uint32_t wb_len, uint32_t status)
{
    union nic_adv_rx_desc *d = (union nic_adv_rx_desc *)r->desc + head;
    const uint64_t addr = d->read.pkt_addr; /* after the acquire of RDT */
    uint32_t dma = len < r->bsize ? len : r->bsize;
    uint8_t *dst = nic_iova_ptr(sim->arena, sim->arena_size, addr, r->bsize);
    int rc = NIC_SIM_OK;
    if (dst == NULL) {
        /* The card would see a PCIe completion abort; report it in the
         * write-back as an RX data error and drop the frame. */
        atomic_fetch_add_explicit(&sim->regs->stats.sim_rx_dma_faults, 1, memory_order_relaxed);
        rx_writeback(d, 0, NIC_RXD_STAT_DD | NIC_RXD_STAT_EOP | NIC_RXD_ERR_RXE);
        rc = NIC_SIM_FAULT;
    } else {
        if (payload != NULL)
            memcpy(dst, payload, dma);
        rx_writeback(d, wb_len, status);
        atomic_fetch_add_explicit(&sim->regs->stats.gprc, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&sim->regs->stats.gorc, dma, memory_order_relaxed);
    }
    sim->last_wb[q] = head;
    sim->has_last_wb[q] = 1;
    atomic_store_explicit(&sim->regs->rx[q].rdh, wrap_inc(head, r->n), memory_order_release);
    return rc;
}

int nic_sim_deliver(struct nic_sim *sim, uint32_t q, uint32_t len, const void *payload)
{
    struct nic_sim_ring r;
    uint32_t head;
    if (sim == NULL || payload == NULL || nic_sim_ring(sim, 0, q, &r) != NIC_SIM_OK)
        return NIC_SIM_EINVAL;
    if (len == 0 || len > r.bsize || len > 0xffff)
        return NIC_SIM_EINVAL;
    int64_t owned = rx_owned(sim, q, &r, &head);
    if (owned < 0)
        return NIC_SIM_EINVAL;
    if (owned == 0) {
        atomic_fetch_add_explicit(&sim->regs->stats.mpc, 1, memory_order_relaxed);
        return NIC_SIM_MISSED;
    }
    return rx_one(sim, q, &r, head, len, payload, len, NIC_RXD_STAT_DD | NIC_RXD_STAT_EOP);
}

uint32_t nic_sim_flow_queue(const struct nic_sim *sim, const struct nic_flow_key *key)
{
    if (sim == NULL || key == NULL)
        return 0;
    for (uint32_t i = 0; i < NIC_FLOW_SLOTS; i++) {
        struct nic_fdir_regs *f = &sim->regs->fdir[i];
        /* acquire: the key the driver wrote before FDIRCMD */
        uint32_t cmd = atomic_load_explicit(&f->cmd, memory_order_acquire);
        if (!(cmd & NIC_FDIRCMD_VALID))
            continue;
        if (atomic_load_explicit(&f->ipda, memory_order_relaxed) == key->dst_ip &&
            atomic_load_explicit(&f->port, memory_order_relaxed) == key->dst_port)
            return cmd & NIC_FDIRCMD_QUEUE_MASK;
    }
    return 0;
}

int nic_sim_deliver_flow(struct nic_sim *sim, const struct nic_flow_key *key, uint32_t len,
                         const void *payload, uint32_t *q)
{
    if (sim == NULL || key == NULL)
        return NIC_SIM_EINVAL;
    uint32_t to = nic_sim_flow_queue(sim, key);
    if (q != NULL)
        *q = to;
    return nic_sim_deliver(sim, to, len, payload);
}

uint32_t nic_sim_rx_space(const struct nic_sim *sim, uint32_t q)
{
    struct nic_sim_ring r;
    uint32_t head;
    struct nic_sim *s = (struct nic_sim *)(uintptr_t)sim;
    if (sim == NULL || nic_sim_ring(s, 0, q, &r) != NIC_SIM_OK)
        return 0;
    int64_t owned = rx_owned(s, q, &r, &head);
    return owned < 0 ? 0 : (uint32_t)owned;
}

uint32_t nic_sim_tx_pending(const struct nic_sim *sim, uint32_t q)
{
    struct nic_sim_ring r;
    struct nic_sim *s = (struct nic_sim *)(uintptr_t)sim;
    if (sim == NULL || nic_sim_ring(s, 1, q, &r) != NIC_SIM_OK)
        return 0;
    uint32_t h = atomic_load_explicit(&s->regs->tx[q].tdh, memory_order_relaxed);
    uint32_t t = atomic_load_explicit(&s->regs->tx[q].tdt, memory_order_acquire);
    if (h >= r.n || t >= r.n)
        return 0;
    return t >= h ? t - h : r.n - h + t;
}

uint32_t nic_sim_tx_process(struct nic_sim *sim, uint32_t q, uint32_t max,
                            nic_sim_tx_fn *fn, void *ctx)
{
    struct nic_sim_ring r;
    if (sim == NULL || nic_sim_ring(sim, 1, q, &r) != NIC_SIM_OK)
        return 0;
    struct nic_txq_regs *t = &sim->regs->tx[q];
    uint32_t head = atomic_load_explicit(&t->tdh, memory_order_relaxed);
    const uint32_t tail = atomic_load_explicit(&t->tdt, memory_order_acquire);
    if (head >= r.n || tail >= r.n) {
        atomic_fetch_add_explicit(&sim->regs->stats.sim_bad_ring, 1, memory_order_relaxed);
        return 0;
    }
    union nic_adv_tx_desc *ring = r.desc;
    uint32_t done = 0;
    uint64_t pkts = 0, octets = 0, faults = 0;
    while (done < max && head != tail) {
        union nic_adv_tx_desc *d = &ring[head];
        const uint64_t addr = d->read.buffer_addr;
        const uint32_t ctl = d->read.cmd_type_len;
        const uint32_t len = ctl & NIC_TXD_DTALEN_MASK;
        const uint8_t *src = len ? nic_iova_ptr(sim->arena, sim->arena_size, addr, len) : NULL;
        if (src == NULL) {
            faults++;
        } else {
            if (fn != NULL)
                fn(ctx, q, src, len);
            pkts++;
            octets += len;
        }
        if (ctl & NIC_TXD_DCMD_RS) {
            d->wb.nxtseq_seed = 0;
            nic_store_release32(&d->wb.status, NIC_TXD_STAT_DD);
        }
        head = wrap_inc(head, r.n);
        done++;
    }
    if (done != 0) {
        atomic_store_explicit(&t->tdh, head, memory_order_release);
        atomic_fetch_add_explicit(&sim->regs->stats.gptc, pkts, memory_order_relaxed);
        atomic_fetch_add_explicit(&sim->regs->stats.gotc, octets, memory_order_relaxed);
        if (faults)
            atomic_fetch_add_explicit(&sim->regs->stats.sim_tx_dma_faults, faults,
                                      memory_order_relaxed);
    }
    return done;
}

uint32_t nic_sim_tx_complete(struct nic_sim *sim, uint32_t q, uint32_t max,
                             nic_sim_tx_fn *fn, void *ctx)
{
    return nic_sim_tx_process(sim, q, max, fn, ctx);
}

int nic_sim_hostile(struct nic_sim *sim, uint32_t q, enum nic_hostile kind, uint32_t arg)
{
    struct nic_sim_ring r;
    uint32_t head;
    if (sim == NULL || nic_sim_ring(sim, 0, q, &r) != NIC_SIM_OK)
        return NIC_SIM_EINVAL;
    int64_t owned = rx_owned(sim, q, &r, &head);
    if (owned < 0)
        return NIC_SIM_EINVAL;
    union nic_adv_rx_desc *ring = r.desc;
    switch (kind) {
    case NIC_HOSTILE_STRAY_DD: {
        /* RDT names the first descriptor the device does NOT own. */
        uint32_t t = atomic_load_explicit(&sim->regs->rx[q].rdt, memory_order_relaxed);
        rx_writeback(&ring[t], 60, NIC_RXD_STAT_DD | NIC_RXD_STAT_EOP);
        if (sim->last_wb[q] == t) /* not a real write-back: REWRITE leaves it */
            sim->has_last_wb[q] = 0;
        return 1;
    }
    case NIC_HOSTILE_OVERSIZE: {
        if (owned == 0)
            return 0;
        uint64_t l = (uint64_t)r.bsize + 1 + arg;
        rx_one(sim, q, &r, head, r.bsize, NULL, l > 0xffff ? 0xffff : (uint32_t)l,
               NIC_RXD_STAT_DD | NIC_RXD_STAT_EOP);
        return 1;
    }
    case NIC_HOSTILE_NO_EOP: {
        if (owned == 0)
            return 0;
        uint32_t l = arg == 0 ? 1 : (arg > r.bsize ? r.bsize : arg);
        rx_one(sim, q, &r, head, l, NULL, l, NIC_RXD_STAT_DD);
        return 1;
    }
    case NIC_HOSTILE_BAD_ADDR: {
        if (owned == 0)
            return 0;
        ring[head].read.pkt_addr = (uint64_t)sim->arena_size + arg;
        rx_one(sim, q, &r, head, 64, NULL, 64, NIC_RXD_STAT_DD | NIC_RXD_STAT_EOP);
        return 1;
    }
    case NIC_HOSTILE_REWRITE: {
        if (!sim->has_last_wb[q] || sim->last_wb[q] >= r.n)
            return 0;
        union nic_adv_rx_desc *d = &ring[sim->last_wb[q]];
        if (!(nic_load_acquire32(&d->wb.upper.status_error) & NIC_RXD_STAT_DD))
            return 0; /* already consumed and re-armed by the driver */
        d->wb.upper.length = (uint16_t)(arg > 0xffff ? 0xffff : arg);
        return 1;
    }
    case NIC_HOSTILE_COUNT:
    default:
        return NIC_SIM_EINVAL;
    }
}
