/*
 * nic_internal.h: driver-private structures shared by the library's .c
 * files and by the unit tests. Not part of the API.
 */
#ifndef PRY_NIC_INTERNAL_H
#define PRY_NIC_INTERNAL_H

#include "nic.h"

/* Arena layout: [packet buffers][RX rings][TX rings]. Rings are 128-byte
 * aligned (RDBAL/TDBAL low 7 bits are zero, §8.2.3.8.1). The TX rings come
 * last so that reading past the last ring leaves the arena. */
struct nic_layout {
    size_t buf_off;
    size_t rx_off[NIC_MAX_QUEUES];
    size_t tx_off[NIC_MAX_QUEUES];
    size_t size;
};
/* 0 if cfg is valid (and *out filled), NIC_EINVAL otherwise. */
int nic_layout_compute(const struct nic_config *cfg, struct nic_layout *out);

/* ---- mempool (mempool.c): fixed-size buffers, a free stack ---- */

/* Buffer states, host private (the device cannot forge them). */
enum { NIC_BS_FREE = 0, NIC_BS_APP = 1, NIC_BS_RX = 2, NIC_BS_TX = 3 };

struct nic_mempool {
    uint8_t *base;   /* first buffer (in the arena) */
    uint64_t iova;   /* I/O address of base */
    uint32_t num;    /* buffers */
    uint32_t top;    /* free entries: stack[0..top) */
    uint32_t *stack; /* free stack of buffer indices */
    uint8_t *state;  /* NIC_BS_* per buffer */
};

int nic_mempool_init(struct nic_mempool *mp, void *mem, uint64_t iova, uint32_t num);
void nic_mempool_fini(struct nic_mempool *mp);
/* Pop a free buffer and tag it with state (APP or RX); NULL if empty. */
struct nic_buf *nic_mempool_get(struct nic_mempool *mp, uint8_t state);
/* Push buf back if its state is `from`; NIC_EINVAL (nothing changed) if buf
 * is not a buffer of mp or is in another state (double free, foreign). */
int nic_mempool_put(struct nic_mempool *mp, struct nic_buf *buf, uint8_t from);
/* Index of buf in mp, or -1 if p is not the start of one of mp's buffers.
 * Compares addresses as integers, so any pointer value is safe to test. */
int64_t nic_mempool_index(const struct nic_mempool *mp, const void *p);

/* ---- queues and device ---- */

struct nic_qstats {
    uint64_t rx_packets, rx_bytes, rx_bad_length, rx_no_eop, rx_errors;
    uint64_t rx_stray_dd, rx_no_buf;
    uint64_t tx_packets, tx_bytes, tx_cleaned, tx_bad_buf;
};

struct nic_rxq {
    union nic_adv_rx_desc *ring; /* n descriptors in the arena */
    struct nic_rxq_regs *regs;
    uint32_t n;        /* power of two (nic_config_check) */
    uint32_t rx_index; /* next descriptor to read (free-running: slot & (n - 1)) */
    uint32_t tail;     /* the held-back descriptor, last written to RDT (free-running) */
    uint32_t pad;
    struct nic_qstats st;
    struct nic_buf *bufs[]; /* bufs[i]: the buffer descriptor i points to */
};

struct nic_txq {
    union nic_adv_tx_desc *ring;
    struct nic_txq_regs *regs;
    uint32_t n;           /* power of two (nic_config_check) */
    uint32_t tx_index;    /* next descriptor to fill; == TDT */
    uint32_t clean_index; /* oldest descriptor not yet cleaned */
    uint32_t clean_batch; /* min(NIC_TX_CLEAN_BATCH, n / 2) */
    struct nic_qstats st;
    struct nic_buf *bufs[]; /* bufs[i] valid for i in [clean_index, tx_index) */
};

#define NIC_TX_CLEAN_BATCH 32u /* as ixy's TX_CLEAN_BATCH */

/* ---- flow steering (flow.c): the software copy of the filters ----
 * Open addressing with linear probing; a deleted filter leaves a
 * tombstone so that keys further along its probe chain stay findable. */
enum { NIC_FLOW_EMPTY = 0, NIC_FLOW_USED = 1, NIC_FLOW_DELETED = 2 };

struct nic_flow_slot {
    struct nic_flow_key key;
    uint8_t state; /* NIC_FLOW_* */
    uint8_t queue;
};

struct nic_flow_table {
    struct nic_flow_slot slot[NIC_FLOW_SLOTS];
    uint32_t used; /* NIC_FLOW_USED slots */
};

/* The home slot of key: a mixing hash, so that nearby keys (ports 0..16,
 * addresses one apart) spread over the table. */
uint32_t nic_flow_home(const struct nic_flow_key *key);

struct nic_dev {
    struct nic_config cfg;
    uint8_t *arena;
    size_t arena_size;
    struct nic_regs *regs;
    struct nic_mempool mp;
    /* Per-queue state: one block per direction, queue i at i * stride,
     * stride = sizeof(struct) + entries * sizeof(void *) (ixy issue #30). */
    unsigned char *rxq_mem, *txq_mem;
    size_t rxq_stride, txq_stride;
    uint8_t *mark; /* census scratch, cfg.num_bufs bytes */
    uint64_t bad_free;
    struct nic_flow_table flows;
};

static inline struct nic_rxq *nic_rxq_at(const struct nic_dev *dev, uint32_t q)
{
#ifdef PRY_PLANT_QUEUE_STRIDE
    /* struct with a flexible array member indexed as an array of structs */
    return (struct nic_rxq *)(void *)dev->rxq_mem + q;
#else
    return (struct nic_rxq *)(void *)(dev->rxq_mem + (size_t)q * dev->rxq_stride);
#endif
}

static inline struct nic_txq *nic_txq_at(const struct nic_dev *dev, uint32_t q)
{
    return (struct nic_txq *)(void *)(dev->txq_mem + (size_t)q * dev->txq_stride);
}

/* 0 if cfg is acceptable, NIC_EINVAL otherwise. */
int nic_config_check(const struct nic_config *cfg);

/* Index of the last descriptor of a TX clean-up batch starting at
 * clean_index, wrapped into [0, n). */
uint32_t nic_tx_cleanup_to(uint32_t clean_index, uint32_t batch, uint32_t n);

/* Descriptor status words are shared with the device. They are accessed
 * with the compiler's __atomic builtins, which implement exactly the C11
 * memory_order_acquire / memory_order_release semantics, on the plain
 * uint32_t field of the descriptor union (the layout is fixed by the card). */
static inline uint32_t nic_load_acquire32(const uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
static inline void nic_store_release32(uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

#endif
