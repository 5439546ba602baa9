/*
 * tx.c: batched transmit and batched clean-up, ixy's ixgbe_tx_batch.
 *
 * [clean_index, tx_index) is in flight (written by us, TDT = tx_index).
 * One slot stays empty so tx_index == clean_index means "nothing in
 * flight". Clean-up frees clean_batch descriptors at a time once the DD of
 * the last one is set: the device writes back in order (§7.2.3.5.1), so
 * DD on the last implies all earlier ones are done.
 */
#include "nic_internal.h"

uint32_t nic_tx_cleanup_to(uint32_t clean_index, uint32_t batch, uint32_t n)
{
    uint32_t to = clean_index + batch - 1;
#ifdef PRY_PLANT_TX_CLEAN_WRAP
    (void)n; /* no wrap-around: `to` can run past the ring */
#else
    if (to >= n) /* wrap around (ixy: cleanup_to -= num_entries) */
        to -= n;
#endif
    return to;
}

/* Batched clean-up (ixy): whole batches only, one DD read per batch. */
static uint32_t tx_clean_batches(struct nic_dev *dev, struct nic_txq *q)
{
    /* q->n is a power of two: nic_config_check tests tx_entries itself. */
    const uint32_t mask = q->n - 1;
    const uint32_t batch = q->clean_batch; /* 1 <= batch <= n / 2 < n */
    uint32_t clean = q->clean_index;
    uint32_t freed = 0;

    for (;;) {
        /* In flight: posted minus completed, from the queue's free-running
         * counters (as gve computes it); 64 bits, so they never wrap here. */
#ifdef PRY_PLANT_TX_COUNTER_WRAP
        /* 8-bit free-running counters (virtio's indices are 16-bit, gve's
         * 32), subtracted after promotion to int: once `posted` has wrapped
         * and `done` has not, the difference is negative and the batched
         * clean-up stops (gve #59: TX queue stuck after the u32 wrap) */
        const int cleanable = (uint8_t)q->st.tx_packets - (uint8_t)(q->st.tx_cleaned + freed);
        if (cleanable < (int)batch)
            break;
#else
        const uint64_t cleanable = q->st.tx_packets - (q->st.tx_cleaned + freed);
        if (cleanable < batch)
            break;
#endif
        const uint32_t to = nic_tx_cleanup_to(clean, batch, q->n);
        /* acquire: the device is done with every buffer up to `to` */
        if (!(nic_load_acquire32(&q->ring[to].wb.status) & NIC_TXD_STAT_DD))
            break;
        for (uint32_t k = 0; k < batch; k++) {
            const uint32_t i = (clean + k) & mask;
            /* TX -> FREE; a buffer in two slots would be refused here */
            (void)nic_mempool_put(&dev->mp, q->bufs[i], NIC_BS_TX);
            q->bufs[i] = NULL;
        }
        freed += batch;
        clean = (to + 1) & mask;
    }
    q->clean_index = clean;
    q->st.tx_cleaned += freed;
    return freed;
}

uint32_t nic_tx_clean(struct nic_dev *dev, uint32_t qid)
{
    if (dev == NULL || qid >= dev->cfg.num_tx_queues)
        return 0;
    struct nic_txq *q = nic_txq_at(dev, qid);
    uint32_t freed = tx_clean_batches(dev, q);
    /* Then the remainder one descriptor at a time (every descriptor has RS
     * set, so each gets its own DD). This leaves clean_index anywhere in
     * the ring, not only at multiples of the batch size: from here on the
     * batched clean-up's `to` must wrap. */
    const uint32_t mask = q->n - 1; /* power of two: nic_config_check */
    uint32_t clean = q->clean_index;
    while (clean != q->tx_index &&
           (nic_load_acquire32(&q->ring[clean].wb.status) & NIC_TXD_STAT_DD)) {
        (void)nic_mempool_put(&dev->mp, q->bufs[clean], NIC_BS_TX);
        q->bufs[clean] = NULL;
        clean = (clean + 1) & mask;
        freed++;
        q->st.tx_cleaned++;
    }
    q->clean_index = clean;
    return freed;
}

uint32_t nic_tx_batch(struct nic_dev *dev, uint32_t qid, struct nic_buf **bufs, uint32_t num)
{
    if (dev == NULL || qid >= dev->cfg.num_tx_queues || (bufs == NULL && num != 0))
        return 0;
    struct nic_txq *q = nic_txq_at(dev, qid);
    tx_clean_batches(dev, q);
    /* q->n is a power of two: nic_config_check tests tx_entries itself. */
    const uint32_t mask = q->n - 1;
    uint32_t cur = q->tx_index, sent = 0;

    while (sent < num) {
        const uint32_t next = (cur + 1) & mask;
        if (next == q->clean_index)
            break; /* ring full */
        struct nic_buf *b = bufs[sent];
        const int64_t bi = nic_mempool_index(&dev->mp, b);
        if (bi < 0 || dev->mp.state[bi] != NIC_BS_APP || b->len == 0 ||
            b->len > NIC_BUF_DATA) {
            q->st.tx_bad_buf++;
            break;
        }
        dev->mp.state[bi] = NIC_BS_TX;
        q->bufs[cur] = b;
        union nic_adv_tx_desc *d = &q->ring[cur];
        d->read.buffer_addr = b->iova;
        d->read.cmd_type_len = NIC_TXD_DCMD_EOP | NIC_TXD_DCMD_RS | NIC_TXD_DCMD_IFCS |
                               NIC_TXD_DCMD_DEXT | NIC_TXD_DTYP_DATA | b->len;
        /* olinfo_status overlays the write-back status: DD = 0 again */
        d->read.olinfo_status = b->len << NIC_TXD_PAYLEN_SHIFT;
        q->st.tx_packets++;
        q->st.tx_bytes += b->len;
        cur = next;
        sent++;
    }
    if (sent != 0) {
        q->tx_index = cur;
        /* One tail write per batch, after the descriptors (release). */
        atomic_store_explicit(&q->regs->tdt, cur, memory_order_release);
    }
    return sent;
}
