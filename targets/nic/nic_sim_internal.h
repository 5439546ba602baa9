/* nic_sim_internal.h: simulator-private structures (sim.c, simrun.c). */
#ifndef PRY_NIC_SIM_INTERNAL_H
#define PRY_NIC_SIM_INTERNAL_H

#include "nic_internal.h"
#include "nic_sim.h"

struct nic_sim {
    uint8_t *arena;
    size_t arena_size;
    struct nic_regs *regs;
    uint32_t last_wb[NIC_MAX_QUEUES]; /* last RX descriptor written back */
    uint8_t has_last_wb[NIC_MAX_QUEUES];
};

/* A ring as the device sees it, from the base/length registers. */
struct nic_sim_ring {
    void *desc;
    uint32_t n;
    uint32_t bsize; /* RX only: SRRCTL buffer size in bytes */
};

/* Validate and locate RX (tx = 0) or TX (tx = 1) ring q. */
int nic_sim_ring(struct nic_sim *sim, int tx, uint32_t q, struct nic_sim_ring *r);
uint32_t nic_sim_tx_process(struct nic_sim *sim, uint32_t q, uint32_t max,
                            nic_sim_tx_fn *fn, void *ctx);

#endif
