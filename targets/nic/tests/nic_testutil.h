/* nic_testutil.h: a driver + in-process simulator fixture for unit tests. */
#ifndef PRY_NIC_TESTUTIL_H
#define PRY_NIC_TESTUTIL_H

#include <stdlib.h>
#include <string.h>

#include "nic_internal.h"
#include "nic_sim.h"

struct fix {
    struct nic_config cfg;
    uint8_t *arena;
    size_t arena_size;
    struct nic_regs *regs;
    struct nic_dev *dev;
    struct nic_sim *sim;
};

static inline int fix_init(struct fix *f, uint32_t nrx, uint32_t ntx, uint32_t rx, uint32_t tx,
                    uint32_t bufs)
{
    memset(f, 0, sizeof(*f));
    struct nic_config c = {nrx, ntx, rx, tx, bufs};
    f->cfg = c;
    f->arena_size = nic_arena_size(&c);
    if (f->arena_size == 0)
        return -1;
    f->arena = calloc(1, f->arena_size);
    f->regs = aligned_alloc(64, sizeof(struct nic_regs));
    if (f->arena == NULL || f->regs == NULL)
        return -1;
    nic_regs_init(f->regs);
    f->dev = nic_dev_create(&c, f->arena, f->arena_size, f->regs, NULL);
    f->sim = nic_sim_create(f->arena, f->arena_size, f->regs);
    return f->dev && f->sim ? 0 : -1;
}

static inline void fix_fini(struct fix *f)
{
    nic_sim_destroy(f->sim);
    nic_dev_destroy(f->dev);
    free(f->arena);
    free(f->regs);
    memset(f, 0, sizeof(*f));
}

/* Deliver a frame whose first 4 bytes are seq. */
static inline int fix_deliver(struct fix *f, uint32_t q, uint32_t seq, uint32_t len)
{
    uint8_t frame[NIC_BUF_DATA];
    memset(frame, (int)(seq & 0xff), sizeof(frame));
    memcpy(frame, &seq, sizeof(seq));
    return nic_sim_deliver(f->sim, q, len, frame);
}

static inline uint32_t fix_seq(const struct nic_buf *b)
{
    uint32_t s;
    memcpy(&s, b->data, sizeof(s));
    return s;
}

static inline struct nic_stats fix_stats(struct fix *f)
{
    struct nic_stats s;
    nic_stats_read(f->dev, &s);
    return s;
}

#endif
