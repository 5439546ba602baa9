/*
 * arena.c: configuration checks, arena layout, I/O address translation and
 * the register power-on state.
 */
#include <string.h>

#include "nic_internal.h"

static int is_pow2(uint32_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

int nic_config_check(const struct nic_config *cfg)
{
    if (cfg == NULL || cfg->num_rx_queues > NIC_MAX_QUEUES ||
        cfg->num_tx_queues > NIC_MAX_QUEUES)
        return NIC_EINVAL;
    /* Every index wraps with "& (n - 1)": both ring sizes must be powers
     * of two, each checked on its own variable. */
    if (cfg->rx_entries < 2 || cfg->rx_entries > 32768 || !is_pow2(cfg->rx_entries))
        return NIC_EINVAL;
    if (cfg->tx_entries < 2 || cfg->tx_entries > 32768)
        return NIC_EINVAL;
#ifdef PRY_PLANT_POW2_CHECK
    if (!is_pow2(cfg->rx_entries)) /* checks the wrong ring */
#else
    if (!is_pow2(cfg->tx_entries))
#endif
        return NIC_EINVAL;
    if (cfg->num_bufs > (1u << 20) ||
        (uint64_t)cfg->num_bufs < (uint64_t)cfg->num_rx_queues * cfg->rx_entries)
        return NIC_EINVAL;
    return NIC_OK;
}

static size_t align_up(size_t x, size_t a)
{
    return (x + a - 1) & ~(a - 1);
}

int nic_layout_compute(const struct nic_config *cfg, struct nic_layout *out)
{
    if (nic_config_check(cfg) != NIC_OK || out == NULL)
        return NIC_EINVAL;
    memset(out, 0, sizeof(*out));
    size_t off = 0;
    out->buf_off = off;
    off += (size_t)cfg->num_bufs * NIC_BUF_STRIDE;
    for (uint32_t q = 0; q < cfg->num_rx_queues; q++) {
        off = align_up(off, 128);
        out->rx_off[q] = off;
        off += (size_t)cfg->rx_entries * sizeof(union nic_adv_rx_desc);
    }
    for (uint32_t q = 0; q < cfg->num_tx_queues; q++) {
        off = align_up(off, 128);
        out->tx_off[q] = off;
        off += (size_t)cfg->tx_entries * sizeof(union nic_adv_tx_desc);
    }
    out->size = off;
    return NIC_OK;
}

size_t nic_arena_size(const struct nic_config *cfg)
{
    struct nic_layout l;
    if (nic_layout_compute(cfg, &l) != NIC_OK)
        return 0;
    return l.size;
}

void *nic_iova_ptr(void *arena, size_t arena_size, uint64_t iova, size_t len)
{
    /* Written so that no sum can overflow: iova <= size and len <= size - iova. */
    if (arena == NULL || iova > arena_size || len > arena_size - iova)
        return NULL;
    return (uint8_t *)arena + iova;
}

void nic_regs_init(struct nic_regs *regs)
{
    /* Plain memset first (padding), then every atomic through the atomic API
     * so that a freshly mapped object starts in a defined state. */
    memset(regs, 0, sizeof(*regs));
    atomic_init(&regs->ctrl, 0);
    atomic_init(&regs->simctl, 0);
    atomic_init(&regs->stats.gprc, 0);
    atomic_init(&regs->stats.gorc, 0);
    atomic_init(&regs->stats.mpc, 0);
    atomic_init(&regs->stats.sim_rx_dma_faults, 0);
    atomic_init(&regs->stats.gptc, 0);
    atomic_init(&regs->stats.gotc, 0);
    atomic_init(&regs->stats.sim_tx_dma_faults, 0);
    atomic_init(&regs->stats.sim_bad_ring, 0);
    for (int q = 0; q < NIC_MAX_QUEUES; q++) {
        struct nic_rxq_regs *r = &regs->rx[q];
        struct nic_txq_regs *t = &regs->tx[q];
        atomic_init(&r->rdbal, 0);
        atomic_init(&r->rdbah, 0);
        atomic_init(&r->rdlen, 0);
        atomic_init(&r->srrctl, 0);
        atomic_init(&r->rxdctl, 0);
        atomic_init(&r->rdh, 0);
        atomic_init(&r->rdt, 0);
        atomic_init(&t->tdbal, 0);
        atomic_init(&t->tdbah, 0);
        atomic_init(&t->tdlen, 0);
        atomic_init(&t->txdctl, 0);
        atomic_init(&t->tdh, 0);
        atomic_init(&t->tdt, 0);
    }
    for (uint32_t i = 0; i < NIC_FLOW_SLOTS; i++) {
        atomic_init(&regs->fdir[i].ipda, 0);
        atomic_init(&regs->fdir[i].port, 0);
        atomic_init(&regs->fdir[i].cmd, 0);
    }
}
