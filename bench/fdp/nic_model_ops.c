/*
 * bench/fdp/nic_model_ops.c: the target's own test model
 * (targets/nic/tests/nic_model.h, C and header-only, so not includable
 * from C++) behind plain functions, for the FuzzedDataProvider twin
 * bench/fdp/nic_ops.cc. Each function is one operation as pry's nic
 * properties have it (harnesses/nic/nic_steps.c: n packets per delivery,
 * n buffers per alloc or free), made of nic_model.h's own operations,
 * then nic_model.h's check of every buffer and counter (m_check).
 */
#include "nic_model.h"
#include "nic_model_ops.h"

struct model *nmo_new(const struct nic_config *cfg)
{
    struct model *m = malloc(sizeof *m);
    if (m != NULL && m_init(m, cfg) != 0) {
        free(m);
        m = NULL;
    }
    return m;
}

void nmo_del(struct model *m)
{
    m_destroy(m);
    free(m);
}

unsigned nmo_failures(const struct model *m) { return m->failures; }

void nmo_deliver(struct model *m, uint32_t q, uint32_t n, uint32_t len)
{
    m->ops++;
    for (uint32_t i = 0; i < n; i++)
        m_op_deliver(m, q, len);
    m_check(m);
}

void nmo_rx(struct model *m, uint32_t q, uint32_t n)
{
    m->ops++;
    m_op_rx(m, q, n);
    m_check(m);
}

/* n buffers the app holds, picked by |next| (nic_model.h's m_op_tx: now
 * and then a duplicate or a buffer that is not the app's) */
void nmo_tx(struct model *m, uint32_t (*next)(void *, uint32_t), void *ctx, uint32_t q,
            uint32_t n)
{
    m->ops++;
    struct m_src src = {next, ctx};
    m_op_tx(m, &src, q, n);
    m_check(m);
}

void nmo_complete(struct model *m, uint32_t q, uint32_t max)
{
    m->ops++;
    m_op_tx_complete(m, q, max);
    m_check(m);
}

static void clean(struct model *m, uint32_t q)
{
    uint32_t want = m->cnc[q];
    uint32_t freed = nic_tx_clean(m->dev, q);
    if (freed != want)
        m_fail(m, "tx_clean q%u: freed %u, model %u", q, freed, want);
    m->uncleaned[q] -= want;
    m->cnc[q] = 0;
}

void nmo_clean(struct model *m, uint32_t q) /* m_step's full clean-up */
{
    m->ops++;
    clean(m, q);
    m_check(m);
}

void nmo_alloc(struct model *m, uint32_t n, uint32_t len) /* m_step's alloc, n times */
{
    m->ops++;
    for (uint32_t i = 0; i < n; i++) {
        struct nic_census c;
        nic_census(m->dev, &c);
        struct nic_buf *b = nic_buf_alloc(m->dev);
        if ((b != NULL) != (c.free > 0)) {
            m_fail(m, "alloc: %p with %u free", (void *)b, c.free);
        } else if (b != NULL) {
            struct m_pkt p = {m->next_seq++, len, len, 0, 1};
            m_fill(b->data, p.seq, p.len);
            b->len = p.len;
            m_hold(m, m_pool_index(m, b), &p);
        }
    }
    m_check(m);
}

static void free_held(struct model *m, uint32_t n)
{
    for (uint32_t i = 0; i < n && m->nheld > 0; i++) {
        uint32_t idx = m->held_idx[0];
        if (nic_buf_free(m->dev, m_buf(m, idx)) != NIC_OK)
            m_fail(m, "free of a held buffer failed");
        m_unhold(m, idx);
    }
}

void nmo_free(struct model *m, uint32_t n)
{
    m->ops++;
    free_held(m, n);
    m_check(m);
}

void nmo_hostile(struct model *m, uint32_t q, uint32_t kind, uint32_t arg)
{
    m->ops++;
    m_op_hostile(m, q, kind, arg);
    m_check(m);
}

void nmo_free_foreign(struct model *m, uint32_t idx) /* m_step's bad free */
{
    m->ops++;
    if (m->held_pos[idx] < 0) {
        if (nic_buf_free(m->dev, m_buf(m, idx)) != NIC_EINVAL)
            m_fail(m, "free of buffer %u (not the app's) accepted", idx);
        m->exp.bad_free++;
    }
    m_check(m);
}

/* The NIC sends everything and the app cleans up; the app receives and
 * frees everything it can; every buffer and counter as the model says. */
void nmo_drain(struct model *m)
{
    for (uint32_t q = 0; q < m->cfg.num_tx_queues; q++) {
        m_op_tx_complete(m, q, m->txn[q]);
        clean(m, q);
    }
    free_held(m, m->nheld);
    for (uint32_t q = 0; q < m->cfg.num_rx_queues; q++) {
        while (m->rxn[q] > 0) {
            uint32_t before = m->rxn[q];
            m_op_rx(m, q, m->cfg.rx_entries);
            free_held(m, m->nheld);
            if (m->rxn[q] == before)
                break;
        }
    }
    m_check(m);
}
