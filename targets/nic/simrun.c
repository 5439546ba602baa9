/*
 * simrun.c: the simulator as a free-running device (shared-memory mode).
 * It acts as a traffic generator on every enabled RX queue (filling the
 * ring as fast as RDT allows: no misses are generated, the link waits) and
 * as the wire on every enabled TX queue, checking that the frames it sees
 * carry non-decreasing per-queue sequence numbers (a loopback check).
 */
#include <sched.h>
#include <string.h>

#include "nic_sim_internal.h"

#define RUN_BURST 128u

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* Generate up to max frames on RX queue q; returns the number written. */
static uint32_t rx_generate(struct nic_sim *sim, uint32_t q, const struct nic_sim_ring *rp,
                            uint32_t max, uint32_t len, const uint8_t *tmpl, uint64_t *seq)
{
    const struct nic_sim_ring r = *rp;
    struct nic_rxq_regs *rr = &sim->regs->rx[q];
    uint32_t head = atomic_load_explicit(&rr->rdh, memory_order_relaxed);
    const uint32_t tail = atomic_load_explicit(&rr->rdt, memory_order_acquire);
    if (head >= r.n || tail >= r.n)
        return 0;
    if (len > r.bsize)
        len = r.bsize;
    union nic_adv_rx_desc *ring = r.desc;
    uint32_t done = 0;
    uint64_t faults = 0, s = *seq;
    while (done < max && head != tail) {
        union nic_adv_rx_desc *d = &ring[head];
        uint8_t *dst = nic_iova_ptr(sim->arena, sim->arena_size, d->read.pkt_addr, r.bsize);
        d->wb.lower.data = 0;
        d->wb.lower.rss = 0;
        d->wb.upper.vlan = 0;
        if (dst == NULL) {
            faults++;
            d->wb.upper.length = 0;
            nic_store_release32(&d->wb.upper.status_error,
                                NIC_RXD_STAT_DD | NIC_RXD_STAT_EOP | NIC_RXD_ERR_RXE);
        } else {
            memcpy(dst, tmpl, len);
            memcpy(dst, &s, sizeof(s)); /* little-endian sequence number */
            s++;
            d->wb.upper.length = (uint16_t)len;
            nic_store_release32(&d->wb.upper.status_error, NIC_RXD_STAT_DD | NIC_RXD_STAT_EOP);
        }
        head = head + 1 == r.n ? 0 : head + 1;
        done++;
    }
    if (done != 0) {
        atomic_store_explicit(&rr->rdh, head, memory_order_release);
        atomic_fetch_add_explicit(&sim->regs->stats.gprc, done - faults, memory_order_relaxed);
        atomic_fetch_add_explicit(&sim->regs->stats.gorc, (done - faults) * len,
                                  memory_order_relaxed);
        if (faults)
            atomic_fetch_add_explicit(&sim->regs->stats.sim_rx_dma_faults, faults,
                                      memory_order_relaxed);
    }
    *seq = s;
    return done;
}

/* Transmit up to max frames of TX queue q (ring validated by the caller). */
static uint32_t tx_drain(struct nic_sim *sim, uint32_t q, const struct nic_sim_ring *r,
                         uint32_t max, uint64_t *expect, uint64_t *seq_errors)
{
    struct nic_txq_regs *t = &sim->regs->tx[q];
    uint32_t head = atomic_load_explicit(&t->tdh, memory_order_relaxed);
    const uint32_t tail = atomic_load_explicit(&t->tdt, memory_order_acquire);
    if (head >= r->n || tail >= r->n || head == tail)
        return 0;
    union nic_adv_tx_desc *ring = r->desc;
    uint32_t done = 0;
    uint64_t octets = 0, faults = 0, e = *expect;
    while (done < max && head != tail) {
        union nic_adv_tx_desc *d = &ring[head];
        const uint32_t ctl = d->read.cmd_type_len;
        const uint32_t len = ctl & NIC_TXD_DTALEN_MASK;
        const uint8_t *src = nic_iova_ptr(sim->arena, sim->arena_size, d->read.buffer_addr, len);
        if (src == NULL || len < 8) {
            faults++;
        } else {
            uint64_t s;
            memcpy(&s, src, sizeof(s));
            if (s < e) /* duplicate or reordered; gaps are drops */
                (*seq_errors)++;
            e = s + 1;
            octets += len;
        }
        if (ctl & NIC_TXD_DCMD_RS)
            nic_store_release32(&d->wb.status, NIC_TXD_STAT_DD);
        head = head + 1 == r->n ? 0 : head + 1;
        done++;
    }
    atomic_store_explicit(&t->tdh, head, memory_order_release);
    atomic_fetch_add_explicit(&sim->regs->stats.gptc, done - faults, memory_order_relaxed);
    atomic_fetch_add_explicit(&sim->regs->stats.gotc, octets, memory_order_relaxed);
    if (faults)
        atomic_fetch_add_explicit(&sim->regs->stats.sim_tx_dma_faults, faults,
                                  memory_order_relaxed);
    *expect = e;
    return done;
}

int nic_sim_run(struct nic_sim *sim, uint32_t len, struct nic_sim_run_stats *out)
{
    uint8_t tmpl[NIC_BUF_DATA];
    uint64_t seq[NIC_MAX_QUEUES], expect[NIC_MAX_QUEUES];
    struct nic_sim_ring rx[NIC_MAX_QUEUES], tx[NIC_MAX_QUEUES];
    uint32_t nrx = 0, ntx = 0, rxq[NIC_MAX_QUEUES], txq[NIC_MAX_QUEUES];
    struct nic_sim_run_stats st;
    memset(&st, 0, sizeof(st));
    memset(seq, 0, sizeof(seq));
    memset(expect, 0, sizeof(expect));
    for (size_t i = 0; i < sizeof(tmpl); i++)
        tmpl[i] = (uint8_t)i;
    if (len < 8)
        len = 8;
    if (len > NIC_BUF_DATA)
        len = NIC_BUF_DATA;
    uint32_t idle = 0;
    for (uint64_t loop = 0;; loop++) {
        if (atomic_load_explicit(&sim->regs->simctl, memory_order_relaxed) & NIC_SIMCTL_STOP)
            break;
        if ((loop & 1023) == 0) {
            /* Re-read the queue configuration now and then (the driver may
             * enable or disable queues); in between work from the copy. */
            nrx = ntx = 0;
            for (uint32_t q = 0; q < NIC_MAX_QUEUES; q++) {
                if (nic_sim_ring(sim, 0, q, &rx[nrx]) == NIC_SIM_OK)
                    rxq[nrx++] = q;
                if (nic_sim_ring(sim, 1, q, &tx[ntx]) == NIC_SIM_OK)
                    txq[ntx++] = q;
            }
        }
        uint32_t work = 0;
        for (uint32_t i = 0; i < nrx; i++) {
            uint32_t n = rx_generate(sim, rxq[i], &rx[i], RUN_BURST, len, tmpl, &seq[rxq[i]]);
            st.rx_frames += n;
            work += n;
        }
        for (uint32_t i = 0; i < ntx; i++) {
            uint32_t n = tx_drain(sim, txq[i], &tx[i], RUN_BURST, &expect[txq[i]],
                                  &st.tx_seq_errors);
            st.tx_frames += n;
            work += n;
        }
        if (work == 0) {
            st.idle_loops++;
            /* Spin briefly, then give the CPU away: the driver may share it. */
            if (++idle < 64)
                cpu_relax();
            else
                sched_yield();
        } else {
            idle = 0;
        }
    }
    if (out != NULL)
        *out = st;
    return NIC_SIM_OK;
}
