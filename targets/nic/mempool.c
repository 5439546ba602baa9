/*
 * mempool.c: packet-buffer pool, ixy's memory_allocate_mempool. Fixed-size
 * buffers (NIC_BUF_STRIDE bytes) in the DMA arena; free buffers on a stack
 * of indices (LIFO: the most recently freed buffer is still in cache).
 * The stack and the per-buffer state tags are host memory the device
 * cannot reach, so a device cannot forge a free.
 */
#include <stdlib.h>
#include <string.h>

#include "nic_internal.h"

_Static_assert(offsetof(struct nic_buf, data) == NIC_BUF_HEADROOM, "buffer header size");
_Static_assert(sizeof(struct nic_buf) == NIC_BUF_STRIDE, "buffer stride");

int nic_mempool_init(struct nic_mempool *mp, void *mem, uint64_t iova, uint32_t num)
{
    memset(mp, 0, sizeof(*mp));
    mp->stack = malloc(((size_t)num + 1) * sizeof(uint32_t));
    mp->state = malloc((size_t)num + 1);
    if (mp->stack == NULL || mp->state == NULL) {
        nic_mempool_fini(mp);
        return NIC_ENOMEM;
    }
    mp->base = mem;
    mp->iova = iova;
    mp->num = num;
    for (uint32_t i = 0; i < num; i++) {
        struct nic_buf *b = (struct nic_buf *)(void *)(mp->base + (size_t)i * NIC_BUF_STRIDE);
        b->iova = iova + (uint64_t)i * NIC_BUF_STRIDE + NIC_BUF_HEADROOM;
        b->idx = i;
        b->len = 0;
        /* Push in reverse so that allocation starts at buffer 0. */
        mp->stack[i] = num - 1 - i;
        mp->state[i] = NIC_BS_FREE;
    }
    mp->top = num;
    return NIC_OK;
}

void nic_mempool_fini(struct nic_mempool *mp)
{
    free(mp->stack);
    free(mp->state);
    mp->stack = NULL;
    mp->state = NULL;
    mp->num = mp->top = 0;
}

int64_t nic_mempool_index(const struct nic_mempool *mp, const void *p)
{
    uintptr_t a = (uintptr_t)p, base = (uintptr_t)mp->base;
    if (a < base)
        return -1;
    uintptr_t off = a - base;
    uintptr_t idx = off / NIC_BUF_STRIDE;
    if (idx >= mp->num || idx * NIC_BUF_STRIDE != off)
        return -1;
    return (int64_t)idx;
}

struct nic_buf *nic_mempool_get(struct nic_mempool *mp, uint8_t state)
{
    if (mp->top == 0)
        return NULL;
    uint32_t idx = mp->stack[--mp->top];
    mp->state[idx] = state;
    return (struct nic_buf *)(void *)(mp->base + (size_t)idx * NIC_BUF_STRIDE);
}

int nic_mempool_put(struct nic_mempool *mp, struct nic_buf *buf, uint8_t from)
{
    int64_t idx = nic_mempool_index(mp, buf);
    /* A buffer is pushed only from the state its owner says it is in:
     * never twice (the stack has room for exactly num entries). */
    if (idx < 0 || mp->state[idx] != from || mp->top >= mp->num)
        return NIC_EINVAL;
    mp->state[idx] = NIC_BS_FREE;
    mp->stack[mp->top++] = (uint32_t)idx;
    return NIC_OK;
}
