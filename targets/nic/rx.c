/*
 * rx.c: batched receive, ixy's ixgbe_rx_batch.
 *
 * Ring ownership (§7.1.9): the device owns [RDH, RDT) and stops when
 * RDH == RDT. Descriptors [rx_index, RDH) are written back and wait for us.
 * So [rx_index, tail) (tail = our last RDT write) is everything we may
 * read; the descriptor at tail is armed but held back, which is what makes
 * RDH == RDT unambiguous. Every descriptor always holds a buffer: a
 * received buffer is only taken once its replacement has been allocated.
 *
 * rx_index and tail are free-running (as virtio's ring indices): the slot
 * is index & mask, and tail - rx_index is the window, right across the
 * wrap-around of the counters because the subtraction is unsigned 32-bit.
 * After a batch the held-back descriptor is read in the next lap, so tail
 * is its index one lap on: last + n.
 */
#include "nic_internal.h"

/* Arm descriptor d with buffer b (read format, §7.1.6.1). */
static inline void rx_arm(union nic_adv_rx_desc *d, const struct nic_buf *b)
{
    d->read.pkt_addr = b->iova;
#ifndef PRY_PLANT_DD_NOT_CLEARED
    /* hdr_addr overlays the write-back status dword: writing it clears DD,
     * so a stale DD from the previous lap can never be mistaken for a new
     * packet (Linux ixgbe_alloc_rx_buffers: "clear the status bits"). */
    d->read.hdr_addr = 0;
#endif
}

uint32_t nic_rx_batch(struct nic_dev *dev, uint32_t qid, struct nic_buf **bufs, uint32_t num)
{
    if (dev == NULL || qid >= dev->cfg.num_rx_queues || (bufs == NULL && num != 0))
        return 0;
    struct nic_rxq *q = nic_rxq_at(dev, qid);
    /* q->n is a power of two: nic_config_check tests rx_entries itself. */
    const uint32_t mask = q->n - 1;
    uint32_t idx = q->rx_index;
#ifdef PRY_PLANT_RX_INDEX_WRAP
    /* 8-bit free-running indices (virtio's are 16-bit) subtracted after
     * promotion to int: once tail has wrapped and rx_index has not, the
     * window is negative, i.e. huge, and only DD stops the loop */
    const uint32_t avail = (uint32_t)((uint8_t)q->tail - (uint8_t)idx);
#else
    const uint32_t avail = q->tail - idx; /* [rx_index, tail) */
#endif
    uint32_t got = 0, used = 0, last = q->tail;

    while (used < avail && got < num) {
        union nic_adv_rx_desc *d = &q->ring[idx & mask];
        /* acquire: nothing else in the descriptor is read before DD */
        const uint32_t status = nic_load_acquire32(&d->wb.upper.status_error);
        if (!(status & NIC_RXD_STAT_DD))
            break;
        struct nic_buf *buf = q->bufs[idx & mask]; /* ours, never the device's address */
        const uint32_t len = d->wb.upper.length;
        if (status & NIC_RXD_ERR_MASK) {
            q->st.rx_errors++;
            rx_arm(d, buf); /* drop: re-arm with the same buffer */
        } else if (!(status & NIC_RXD_STAT_EOP)) {
            /* SRRCTL.BSIZEPACKET >= max frame, so a compliant device never
             * splits a packet; chained descriptors are not supported. */
            q->st.rx_no_eop++;
            rx_arm(d, buf);
#ifdef PRY_PLANT_TRUST_LENGTH
        } else if (len == 0) {
#else
        } else if (len == 0 || len > NIC_BUF_DATA) {
#endif
            /* PKT_LEN is written by the device: never trusted */
            q->st.rx_bad_length++;
            rx_arm(d, buf);
        } else {
            struct nic_buf *fresh = nic_mempool_get(&dev->mp, NIC_BS_RX);
            if (fresh == NULL) {
                /* Leave the packet in the ring; retried next call. */
                q->st.rx_no_buf++;
                break;
            }
            dev->mp.state[nic_mempool_index(&dev->mp, buf)] = NIC_BS_APP;
            buf->len = len;
            bufs[got++] = buf;
            q->bufs[idx & mask] = fresh;
            rx_arm(d, fresh);
            q->st.rx_packets++;
            q->st.rx_bytes += len;
        }
        last = idx;
        idx++;
        used++;
    }

    /* The held-back descriptor at tail is ours: the device must not have
     * written it. It is handed over by the RDT write below, so check it
     * now; a stray DD is counted and cleared by re-arming. */
    union nic_adv_rx_desc *held = &q->ring[q->tail & mask];
    if (nic_load_acquire32(&held->wb.upper.status_error) & NIC_RXD_STAT_DD) {
        q->st.rx_stray_dd++;
        rx_arm(held, q->bufs[q->tail & mask]);
    }

    if (used != 0) {
        /* One tail write per batch, after all descriptor writes (release).
         * RDT = last descriptor re-armed, which becomes the held-back one. */
#ifdef PRY_PLANT_TAIL_OFF_BY_ONE
        last = idx;
#endif
        atomic_store_explicit(&q->regs->rdt, last & mask, memory_order_release);
        q->tail = last + q->n;
        q->rx_index = idx;
    }
    return got;
}
