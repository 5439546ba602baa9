/*
 * bench/fdp/nic_model_ops.c: the target's own test model
 * (targets/nic/tests/nic_model.h, C and header-only, so not includable
 * from C++) behind plain functions, for the FuzzedDataProvider twin
 * bench/fdp/nic_ops.cc. Each function is one operation as pry's nic
 * properties have it (harnesses/nic/nic_steps.c: n packets per delivery,
 * n buffers per alloc or free), made of nic_model.h's own operations
 * (its m_op_* functions, or its m_step with the choices given), each
 * followed by nic_model.h's check of every buffer and counter (m_check).
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

/* nic_model.h's m_step doing operation |op| with the choices |a|, |b|
 * (for the operations that have no m_op_* function of their own) */
struct given {
    uint32_t v[3];
    unsigned i;
};

static uint32_t next_given(void *ctx, uint32_t bound)
{
    struct given *g = ctx;
    uint32_t x = g->i < 3 ? g->v[g->i++] : 0;
    return bound ? x % bound : 0;
}

static void step(struct model *m, uint32_t op, uint32_t a, uint32_t b)
{
    struct given g = {{op, a, b}, 0};
    struct m_src src = {next_given, &g};
    m_step(m, &src);
}

enum { STEP_FREE = 11, STEP_ALLOC = 12, STEP_FREE_FOREIGN = 14, STEP_CLEAN = 15 };

void nmo_clean(struct model *m, uint32_t q) /* nic_tx_clean: everything completed */
{
    step(m, STEP_CLEAN, q, 0);
}

void nmo_alloc(struct model *m, uint32_t n, uint32_t len) /* len: 1..200 */
{
    for (uint32_t i = 0; i < n; i++)
        step(m, STEP_ALLOC, len - 1, 0);
}

void nmo_free(struct model *m, uint32_t n) /* the app's oldest-listed buffers */
{
    for (uint32_t i = 0; i < n; i++)
        step(m, STEP_FREE, 0, 0);
}

void nmo_hostile(struct model *m, uint32_t q, uint32_t kind, uint32_t arg)
{
    m->ops++;
    m_op_hostile(m, q, kind, arg);
    m_check(m);
}

void nmo_free_foreign(struct model *m, uint32_t idx) /* refused unless the app's */
{
    step(m, STEP_FREE_FOREIGN, idx, 0);
}

/* The NIC sends everything and the app cleans up; the app receives and
 * frees everything it can; every buffer and counter as the model says. */
void nmo_drain(struct model *m)
{
    for (uint32_t q = 0; q < m->cfg.num_tx_queues; q++) {
        m_op_tx_complete(m, q, m->txn[q]);
        nmo_clean(m, q);
    }
    nmo_free(m, m->nheld);
    for (uint32_t q = 0; q < m->cfg.num_rx_queues; q++) {
        while (m->rxn[q] > 0) {
            uint32_t before = m->rxn[q];
            m_op_rx(m, q, m->cfg.rx_entries);
            nmo_free(m, m->nheld);
            if (m->rxn[q] == before)
                break;
        }
    }
    m_check(m);
}
