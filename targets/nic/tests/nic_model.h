/*
 * nic_model.h: a reference model of driver + simulated NIC, driven by a
 * stream of choices (a seeded PRNG in test_model.c, fuzzer bytes in a
 * libFuzzer harness). After every operation it checks:
 *   - conservation: nic_census finds every buffer in exactly one place,
 *     and the counts equal the model's (app-held, TX in flight, RX rings);
 *   - RX: every delivered packet is received exactly once, in order per
 *     queue, with its length and payload (sequence number + pattern);
 *     descriptors the device wrote badly are dropped and counted;
 *   - TX: every accepted packet is transmitted exactly once, in order,
 *     intact, and its buffer comes back after clean-up;
 *   - return values of every call and the driver's error counters.
 * Header-only (static functions) so that each test program includes it.
 */
#ifndef PRY_NIC_MODEL_H
#define PRY_NIC_MODEL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nic.h"
#include "nic_sim.h"

#define M_MAXQ 3

struct m_src { /* a stream of choices */
    uint32_t (*next)(void *ctx, uint32_t bound); /* in [0, bound) */
    void *ctx;
};

struct m_pkt {
    uint64_t seq;
    uint32_t len;   /* PKT_LEN as written back / buffer length */
    uint32_t known; /* payload bytes whose content is known */
    uint8_t err, eop;
};

struct model {
    struct nic_config cfg;
    uint8_t *arena;
    size_t arena_size;
    struct nic_regs *regs;
    struct nic_dev *dev;
    struct nic_sim *sim;
    struct m_pkt *rxf[M_MAXQ]; /* written back, not yet read: ring order */
    uint32_t rxh[M_MAXQ], rxn[M_MAXQ];
    uint32_t stray[M_MAXQ];
    struct m_pkt *txf[M_MAXQ]; /* queued, not yet transmitted */
    uint32_t txh[M_MAXQ], txn[M_MAXQ];
    uint32_t uncleaned[M_MAXQ], cnc[M_MAXQ];
    struct m_pkt *held; /* app-held buffers: packet info by pool index */
    int32_t *held_pos;  /* pool index -> position in held_idx, or -1 */
    uint32_t *held_idx;
    uint32_t nheld;
    uint64_t next_seq;
    struct nic_stats exp;
    uint64_t exp_mpc;
    struct nic_buf **bufs; /* scratch for batches */
    unsigned failures;
    int quiet;
    uint64_t ops;
};

static inline void m_fail(struct model *m, const char *fmt, ...)
{
    m->failures++;
    if (m->quiet || m->failures > 20)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "model (op %llu): ", (unsigned long long)m->ops);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static inline uint8_t m_byte(uint64_t seq, uint32_t i)
{
    return (uint8_t)(seq * 131u + i * 7u + 1u);
}

static inline void m_fill(uint8_t *p, uint64_t seq, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++)
        p[i] = i < 8 ? (uint8_t)(seq >> (8 * i)) : m_byte(seq, i);
}

static inline int m_payload_ok(const uint8_t *p, const struct m_pkt *e, uint32_t len)
{
    uint32_t k = e->known < len ? e->known : len;
    for (uint32_t i = 0; i < k; i++)
        if (p[i] != (i < 8 ? (uint8_t)(e->seq >> (8 * i)) : m_byte(e->seq, i)))
            return 0;
    return 1;
}

static inline uint32_t m_pool_index(const struct model *m, const void *p)
{
    return (uint32_t)(((uintptr_t)p - (uintptr_t)m->arena) / NIC_BUF_STRIDE);
}

static struct nic_buf *m_buf(const struct model *m, uint32_t idx)
{
    return (struct nic_buf *)(void *)(m->arena + (size_t)idx * NIC_BUF_STRIDE);
}

static inline void m_hold(struct model *m, uint32_t idx, const struct m_pkt *p)
{
    m->held[idx] = *p;
    m->held_pos[idx] = (int32_t)m->nheld;
    m->held_idx[m->nheld++] = idx;
}

static inline void m_unhold(struct model *m, uint32_t idx)
{
    int32_t pos = m->held_pos[idx];
    uint32_t last = m->held_idx[--m->nheld];
    m->held_idx[pos] = last;
    m->held_pos[last] = pos;
    m->held_pos[idx] = -1;
}

static inline void m_destroy(struct model *m)
{
    nic_sim_destroy(m->sim);
    nic_dev_destroy(m->dev);
    for (int q = 0; q < M_MAXQ; q++) {
        free(m->rxf[q]);
        free(m->txf[q]);
    }
    free(m->held);
    free(m->held_pos);
    free(m->held_idx);
    free(m->bufs);
    free(m->arena);
    free(m->regs);
    memset(m, 0, sizeof(*m));
}

/* Set up a model for cfg; 0 on success. */
static inline int m_init(struct model *m, const struct nic_config *cfg)
{
    memset(m, 0, sizeof(*m));
    m->cfg = *cfg;
    m->arena_size = nic_arena_size(cfg);
    if (m->arena_size == 0 || cfg->num_rx_queues > M_MAXQ || cfg->num_tx_queues > M_MAXQ)
        return -1;
    /* exact size: a read past the arena is a heap overflow under ASan */
    m->arena = malloc(m->arena_size);
    m->regs = aligned_alloc(64, sizeof(struct nic_regs));
    m->held = calloc(cfg->num_bufs, sizeof(*m->held));
    m->held_pos = malloc(cfg->num_bufs * sizeof(*m->held_pos));
    m->held_idx = malloc(cfg->num_bufs * sizeof(*m->held_idx));
    m->bufs = malloc(2 * (size_t)(cfg->num_bufs + 8) * sizeof(*m->bufs));
    for (int q = 0; q < M_MAXQ; q++) {
        m->rxf[q] = malloc(cfg->rx_entries * sizeof(struct m_pkt));
        m->txf[q] = malloc(cfg->tx_entries * sizeof(struct m_pkt));
        if (m->rxf[q] == NULL || m->txf[q] == NULL) {
            m_destroy(m);
            return -1;
        }
    }
    if (!m->arena || !m->regs || !m->held || !m->held_pos || !m->held_idx || !m->bufs) {
        m_destroy(m);
        return -1;
    }
    memset(m->arena, 0, m->arena_size);
    for (uint32_t i = 0; i < cfg->num_bufs; i++)
        m->held_pos[i] = -1;
    nic_regs_init(m->regs);
    int err;
    m->dev = nic_dev_create(cfg, m->arena, m->arena_size, m->regs, &err);
    m->sim = nic_sim_create(m->arena, m->arena_size, m->regs);
    if (m->dev == NULL || m->sim == NULL) {
        m_destroy(m);
        return -1;
    }
    return 0;
}

static inline uint32_t m_clean_batch(const struct model *m)
{
    uint32_t b = m->cfg.tx_entries / 2;
    return b < 32 ? b : 32;
}

/* The driver's batched clean-up, predicted. */
static inline uint32_t m_clean(struct model *m, uint32_t q)
{
    uint32_t b = m_clean_batch(m), freed = 0;
    while (m->uncleaned[q] >= b && m->cnc[q] >= b) {
        m->uncleaned[q] -= b;
        m->cnc[q] -= b;
        freed += b;
    }
    return freed;
}

static inline void m_check(struct model *m)
{
    struct nic_census c;
    uint32_t errs = nic_census(m->dev, &c);
    if (errs != 0)
        m_fail(m, "census: %u inconsistencies", errs);
    uint32_t tx = 0;
    for (uint32_t q = 0; q < m->cfg.num_tx_queues; q++) {
        tx += m->uncleaned[q];
        if (nic_tx_inflight(m->dev, q) != m->uncleaned[q])
            m_fail(m, "tx queue %u: %u in flight, model %u", q, nic_tx_inflight(m->dev, q),
                   m->uncleaned[q]);
    }
    if (c.app != m->nheld || c.tx != tx || c.rx != m->cfg.num_rx_queues * m->cfg.rx_entries ||
        c.free + c.rx + c.tx + c.app != c.total)
        m_fail(m, "census free %u rx %u tx %u app %u; model app %u tx %u", c.free, c.rx, c.tx,
               c.app, m->nheld, tx);
    struct nic_stats s;
    nic_stats_read(m->dev, &s);
#define M_STAT(f)                                                                            \
    if (s.f != m->exp.f)                                                                     \
        m_fail(m, #f " %llu, model %llu", (unsigned long long)s.f, (unsigned long long)m->exp.f)
    M_STAT(rx_packets);
    M_STAT(rx_bad_length);
    M_STAT(rx_no_eop);
    M_STAT(rx_errors);
    M_STAT(rx_stray_dd);
    M_STAT(rx_no_buf);
    M_STAT(tx_packets);
    M_STAT(tx_bad_buf);
    M_STAT(bad_free);
#undef M_STAT
    if (s.dev_mpc != m->exp_mpc)
        m_fail(m, "MPC %llu, model %llu", (unsigned long long)s.dev_mpc,
               (unsigned long long)m->exp_mpc);
}

static inline void m_push_rx(struct model *m, uint32_t q, const struct m_pkt *p)
{
    m->rxf[q][(m->rxh[q] + m->rxn[q]) % m->cfg.rx_entries] = *p;
    m->rxn[q]++;
}

static inline uint32_t m_rx_space(const struct model *m, uint32_t q)
{
    return m->cfg.rx_entries - 1 - m->rxn[q];
}

static inline void m_op_deliver(struct model *m, uint32_t q, uint32_t len)
{
    uint8_t frame[NIC_BUF_DATA];
    struct m_pkt p = {m->next_seq++, len, len, 0, 1};
    m_fill(frame, p.seq, len);
    int want = m_rx_space(m, q) > 0 ? NIC_SIM_OK : NIC_SIM_MISSED;
    int rc = nic_sim_deliver(m->sim, q, len, frame);
    if (rc != want)
        m_fail(m, "deliver q%u: rc %d, model %d (ring space %u)", q, rc, want, m_rx_space(m, q));
    if (rc == NIC_SIM_OK && want == NIC_SIM_OK)
        m_push_rx(m, q, &p);
    if (want == NIC_SIM_MISSED)
        m->exp_mpc++;
}

static inline void m_op_rx(struct model *m, uint32_t q, uint32_t num)
{
    struct nic_census c;
    nic_census(m->dev, &c);
    uint32_t free_bufs = c.free;
    struct m_pkt expect[1024];
    uint32_t nexp = 0;
    if (num > 1024)
        num = 1024;
    while (m->rxn[q] > 0 && nexp < num) {
        struct m_pkt *e = &m->rxf[q][m->rxh[q]];
        if (e->err)
            m->exp.rx_errors++;
        else if (!e->eop)
            m->exp.rx_no_eop++;
        else if (e->len == 0 || e->len > NIC_BUF_DATA)
            m->exp.rx_bad_length++;
        else if (free_bufs == 0) {
            m->exp.rx_no_buf++;
            break;
        } else {
            free_bufs--;
            expect[nexp++] = *e;
        }
        m->rxh[q] = (m->rxh[q] + 1) % m->cfg.rx_entries;
        m->rxn[q]--;
    }
    m->exp.rx_stray_dd += m->stray[q];
    m->stray[q] = 0;
    uint32_t got = nic_rx_batch(m->dev, q, m->bufs, num);
    if (got != nexp)
        m_fail(m, "rx_batch q%u num %u: got %u, model %u", q, num, got, nexp);
    for (uint32_t i = 0; i < got && i < nexp; i++) {
        struct nic_buf *b = m->bufs[i];
        uint32_t idx = m_pool_index(m, b);
        if (idx >= m->cfg.num_bufs || m->held_pos[idx] >= 0) {
            m_fail(m, "rx_batch q%u: packet %u in a bad or already-held buffer", q, i);
            continue;
        }
        if (b->len != expect[i].len)
            m_fail(m, "rx q%u: seq %llu len %u, model %u", q,
                   (unsigned long long)expect[i].seq, b->len, expect[i].len);
        else if (!m_payload_ok(b->data, &expect[i], b->len))
            m_fail(m, "rx q%u: seq %llu payload differs", q, (unsigned long long)expect[i].seq);
        struct m_pkt h = expect[i];
        m_hold(m, idx, &h);
    }
    m->exp.rx_packets += nexp;
}

/* Transmit a batch chosen from held buffers; with small probability the
 * list holds a duplicate or a buffer that is not the caller's. */
static inline void m_op_tx(struct model *m, struct m_src *src, uint32_t q, uint32_t k)
{
    uint32_t n = 0;
    if (k > 2 * (m->cfg.num_bufs + 8))
        k = 2 * (m->cfg.num_bufs + 8);
    for (uint32_t i = 0; i < k && m->nheld > 0; i++) {
        uint32_t r = src->next(src->ctx, 32);
        if (r == 0 && n > 0) {
            struct nic_buf *dup = m->bufs[src->next(src->ctx, n)];
            m->bufs[n++] = dup; /* duplicate */
        }
        else if (r == 1)
            m->bufs[n++] = m_buf(m, src->next(src->ctx, m->cfg.num_bufs)); /* maybe not ours */
        else
            m->bufs[n++] = m_buf(m, m->held_idx[src->next(src->ctx, m->nheld)]);
    }
    /* predict */
    m_clean(m, q);
    uint32_t space = m->cfg.tx_entries - 1 - m->uncleaned[q];
    uint32_t accept = 0;
    uint8_t *taken = calloc(m->cfg.num_bufs, 1);
    for (uint32_t i = 0; i < n; i++) {
        if (accept == space)
            break;
        uint32_t idx = m_pool_index(m, m->bufs[i]);
        if (m->held_pos[idx] < 0 || taken[idx]) {
            m->exp.tx_bad_buf++;
            break;
        }
        taken[idx] = 1;
        accept++;
    }
    free(taken);
    uint32_t sent = nic_tx_batch(m->dev, q, m->bufs, n);
    if (sent != accept)
        m_fail(m, "tx_batch q%u n %u: sent %u, model %u", q, n, sent, accept);
    for (uint32_t i = 0; i < sent && i < accept; i++) {
        uint32_t idx = m_pool_index(m, m->bufs[i]);
        m->txf[q][(m->txh[q] + m->txn[q]) % m->cfg.tx_entries] = m->held[idx];
        m->txn[q]++;
        m->uncleaned[q]++;
        m_unhold(m, idx);
    }
    m->exp.tx_packets += accept;
}

struct m_txctx {
    struct model *m;
    uint32_t seen;
};

static inline void m_on_tx(void *ctx, uint32_t q, const uint8_t *frame, uint32_t len)
{
    struct m_txctx *t = ctx;
    struct model *m = t->m;
    t->seen++;
    if (q >= M_MAXQ || m->txn[q] == 0) {
        m_fail(m, "tx q%u: frame transmitted that was never queued", q);
        return;
    }
    struct m_pkt *e = &m->txf[q][m->txh[q]];
    if (len != e->len)
        m_fail(m, "tx q%u: seq %llu len %u, model %u", q, (unsigned long long)e->seq, len, e->len);
    else if (!m_payload_ok(frame, e, len))
        m_fail(m, "tx q%u: seq %llu payload differs", q, (unsigned long long)e->seq);
    m->txh[q] = (m->txh[q] + 1) % m->cfg.tx_entries;
    m->txn[q]--;
}

static inline void m_op_tx_complete(struct model *m, uint32_t q, uint32_t max)
{
    uint32_t want = m->txn[q] < max ? m->txn[q] : max;
    struct m_txctx t = {m, 0};
    uint32_t done = nic_sim_tx_complete(m->sim, q, max, m_on_tx, &t);
    if (done != want || t.seen != done)
        m_fail(m, "tx_complete q%u max %u: %u done (%u seen), model %u", q, max, done, t.seen,
               want);
    m->cnc[q] += done;
}

static inline void m_op_hostile(struct model *m, uint32_t q, uint32_t kind, uint32_t arg)
{
    int want = 1;
    uint32_t space = m_rx_space(m, q);
    struct m_pkt p = {0, 0, 0, 0, 1};
    switch (kind) {
    case NIC_HOSTILE_STRAY_DD:
        m->stray[q] = 1;
        break;
    case NIC_HOSTILE_OVERSIZE: {
        uint32_t l = NIC_BUF_DATA + 1 + arg;
        p.len = l > 0xffff ? 0xffff : l;
        want = space > 0;
        break;
    }
    case NIC_HOSTILE_NO_EOP:
        p.len = arg == 0 ? 1 : (arg > NIC_BUF_DATA ? NIC_BUF_DATA : arg);
        p.eop = 0;
        want = space > 0;
        break;
    case NIC_HOSTILE_BAD_ADDR:
        p.err = 1;
        want = space > 0;
        break;
    case NIC_HOSTILE_REWRITE:
        want = m->rxn[q] > 0;
        break;
    default:
        return;
    }
    int rc = nic_sim_hostile(m->sim, q, (enum nic_hostile)kind, arg);
    if (rc != want) {
        m_fail(m, "hostile %u q%u: rc %d, model %d", kind, q, rc, want);
        return;
    }
    if (!want || kind == NIC_HOSTILE_STRAY_DD)
        return;
    if (kind == NIC_HOSTILE_REWRITE) {
        struct m_pkt *e = &m->rxf[q][(m->rxh[q] + m->rxn[q] - 1) % m->cfg.rx_entries];
        e->len = arg > 0xffff ? 0xffff : arg;
        if (e->known > e->len)
            e->known = e->len;
        return;
    }
    m_push_rx(m, q, &p);
}

/* One operation chosen by src. */
static inline void m_step(struct model *m, struct m_src *src)
{
    m->ops++;
    uint32_t nrx = m->cfg.num_rx_queues, ntx = m->cfg.num_tx_queues;
    uint32_t op = src->next(src->ctx, 17);
    switch (op) {
    case 0: case 1: case 2: case 3: /* deliver */
        if (nrx) {
            uint32_t q = src->next(src->ctx, nrx);
            uint32_t len = src->next(src->ctx, 8) == 0 ? 1 + src->next(src->ctx, NIC_BUF_DATA)
                                                       : 8 + src->next(src->ctx, 120);
            m_op_deliver(m, q, len);
        }
        break;
    case 4: case 5: case 6: /* receive */
        if (nrx)
            m_op_rx(m, src->next(src->ctx, nrx), 1 + src->next(src->ctx, 2 * m->cfg.rx_entries));
        break;
    case 7: case 8: /* transmit */
        if (ntx)
            m_op_tx(m, src, src->next(src->ctx, ntx), src->next(src->ctx, 2 * m->cfg.tx_entries + 1));
        break;
    case 9: case 10: /* device completes TX */
        if (ntx)
            m_op_tx_complete(m, src->next(src->ctx, ntx), src->next(src->ctx, 2 * m->cfg.tx_entries + 1));
        break;
    case 11: /* app frees a packet */
        if (m->nheld > 0) {
            uint32_t idx = m->held_idx[src->next(src->ctx, m->nheld)];
            if (nic_buf_free(m->dev, m_buf(m, idx)) != NIC_OK)
                m_fail(m, "free of a held buffer failed");
            m_unhold(m, idx);
        }
        break;
    case 12: { /* app allocates and writes a packet */
        struct nic_census c;
        nic_census(m->dev, &c);
        struct nic_buf *b = nic_buf_alloc(m->dev);
        if ((b != NULL) != (c.free > 0)) {
            m_fail(m, "alloc: %p with %u free", (void *)b, c.free);
        } else if (b != NULL) {
            struct m_pkt p = {m->next_seq++, 1 + src->next(src->ctx, 200), 0, 0, 1};
            p.known = p.len;
            m_fill(b->data, p.seq, p.len);
            b->len = p.len;
            m_hold(m, m_pool_index(m, b), &p);
        }
        break;
    }
    case 13: /* hostile device */
        if (nrx)
            m_op_hostile(m, src->next(src->ctx, nrx), src->next(src->ctx, NIC_HOSTILE_COUNT),
                         src->next(src->ctx, 4) == 0 ? src->next(src->ctx, 70000)
                                                     : src->next(src->ctx, 300));
        break;
    case 14: { /* free of a buffer the app does not hold: refused */
        uint32_t idx = src->next(src->ctx, m->cfg.num_bufs);
        if (m->held_pos[idx] < 0) {
            if (nic_buf_free(m->dev, m_buf(m, idx)) != NIC_EINVAL)
                m_fail(m, "free of buffer %u (not the app's) accepted", idx);
            m->exp.bad_free++;
        }
        break;
    }
    case 15: /* full TX clean-up */
        if (ntx) {
            uint32_t q = src->next(src->ctx, ntx);
            uint32_t want = m->cnc[q];
            uint32_t freed = nic_tx_clean(m->dev, q);
            if (freed != want)
                m_fail(m, "tx_clean q%u: freed %u, model %u", q, freed, want);
            m->uncleaned[q] -= want;
            m->cnc[q] = 0;
        }
        break;
    default: /* stall */
        break;
    }
    m_check(m);
}

#endif
