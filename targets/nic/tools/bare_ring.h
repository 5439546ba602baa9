/*
 * bare_ring.h: nicbench's baseline, the limit of this design on this
 * machine. The same two processes, the same POSIX shared memory, the same
 * 82599 advanced descriptors (§7.1.6, §7.2.3.2.4), the same 2 KB buffers
 * and the same per-packet work (the device copies a frame and its
 * sequence number into the buffer, the forwarder touches byte 12, the
 * device reads the sequence number back on TX), but none of the driver:
 * no mempool states, no statistics, no checks of what the device wrote,
 * no batched clean-up. One RX and one TX single-producer/single-consumer
 * ring with a head and a tail each.
 *
 * nicbench's rate divided by this one's, measured in the same run, is a
 * figure that means something on a shared VM; an absolute Mpps does not.
 *
 * Header-only because it is one tool's second mode (targets' tools are
 * one .c file each, see the top Makefile); only nicbench.c includes it.
 */
#ifndef PRY_NIC_BARE_RING_H
#define PRY_NIC_BARE_RING_H

#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "nic.h"

#define BARE_RING 512u   /* entries per ring, as nicbench's driver rings */
#define BARE_BUFS 4096u  /* buffers, as nicbench's mempool */
#define BARE_BURST 128u  /* device work per ring per loop, as simrun.c */

/* Everything lives in the shared-memory arena; buffer addresses are
 * offsets into it (I/O addresses, as the driver's). Heads and tails each
 * have a cache line, as device registers would not share one. */
struct bare_shared {
    _Alignas(64) _Atomic uint32_t rdh; /* device: next RX descriptor to write */
    _Alignas(64) _Atomic uint32_t rdt; /* forwarder: device may write [rdh, rdt) */
    _Alignas(64) _Atomic uint32_t tdh; /* device: next TX descriptor to send */
    _Alignas(64) _Atomic uint32_t tdt; /* forwarder: [tdh, tdt) are to send */
    _Alignas(64) union nic_adv_rx_desc rx[BARE_RING];
    union nic_adv_tx_desc tx[BARE_RING];
    _Alignas(64) uint8_t bufs[BARE_BUFS][NIC_BUF_DATA];
};

static inline uint32_t bare_load_acquire32(uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void bare_store_release32(uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static inline uint64_t bare_iova(const struct bare_shared *s, uint32_t buf)
{
    return (uint64_t)((const uint8_t *)s->bufs[buf] - (const uint8_t *)s);
}

/* ---- the device side (child process): what simrun.c does per frame ---- */

/* Runs until (*simctl & NIC_SIMCTL_STOP), the register nicbench's parent
 * sets to stop the simulator too. */
static inline void bare_device_run(struct bare_shared *s, uint32_t len, _Atomic uint32_t *simctl)
{
    uint8_t tmpl[NIC_BUF_DATA];
    for (size_t i = 0; i < sizeof(tmpl); i++)
        tmpl[i] = (uint8_t)i;
    uint64_t seq = 0, expect = 0;
    uint32_t idle = 0;
    const uint32_t mask = BARE_RING - 1;
    while (!(atomic_load_explicit(simctl, memory_order_relaxed) & NIC_SIMCTL_STOP)) {
        uint32_t work = 0;
        uint32_t head = atomic_load_explicit(&s->rdh, memory_order_relaxed);
        uint32_t tail = atomic_load_explicit(&s->rdt, memory_order_acquire);
        for (uint32_t n = 0; n < BARE_BURST && head != tail; n++, work++) {
            union nic_adv_rx_desc *d = &s->rx[head];
            uint8_t *dst = (uint8_t *)s + d->read.pkt_addr;
            memcpy(dst, tmpl, len);
            memcpy(dst, &seq, sizeof(seq));
            seq++;
            d->wb.lower.data = 0;
            d->wb.lower.rss = 0;
            d->wb.upper.vlan = 0;
            d->wb.upper.length = (uint16_t)len;
            bare_store_release32(&d->wb.upper.status_error, NIC_RXD_STAT_DD | NIC_RXD_STAT_EOP);
            head = (head + 1) & mask;
        }
        atomic_store_explicit(&s->rdh, head, memory_order_release);

        head = atomic_load_explicit(&s->tdh, memory_order_relaxed);
        tail = atomic_load_explicit(&s->tdt, memory_order_acquire);
        for (uint32_t n = 0; n < BARE_BURST && head != tail; n++, work++) {
            union nic_adv_tx_desc *d = &s->tx[head];
            uint64_t v;
            memcpy(&v, (const uint8_t *)s + d->read.buffer_addr, sizeof(v));
            expect = v + 1; /* read it, as the simulated wire does */
            bare_store_release32(&d->wb.status, NIC_TXD_STAT_DD);
            head = (head + 1) & mask;
        }
        atomic_store_explicit(&s->tdh, head, memory_order_release);

        if (work != 0) {
            idle = 0;
        } else if (++idle >= 64) { /* give the CPU away, as simrun.c */
            idle = 0;
            sched_yield();
        }
    }
    (void)expect;
}

/* ---- the forwarder side (parent process): RX -> TX with no driver ---- */

struct bare_fwd {
    struct bare_shared *s;
    uint32_t rx_next, rx_tail;   /* [rx_next, rx_tail) may hold packets */
    uint32_t tx_next, tx_clean;  /* [tx_clean, tx_next) in flight */
    uint32_t rx_buf[BARE_RING], tx_buf[BARE_RING];
    uint32_t free_top, free_stack[BARE_BUFS];
};

/* Arm every RX descriptor but one (RDH == RDT means empty, §7.1.9). */
static inline void bare_fwd_init(struct bare_fwd *f, struct bare_shared *s)
{
    memset(f, 0, sizeof(*f));
    f->s = s;
    for (uint32_t b = 0; b < BARE_BUFS; b++)
        f->free_stack[f->free_top++] = BARE_BUFS - 1 - b;
    for (uint32_t i = 0; i < BARE_RING; i++) {
        f->rx_buf[i] = f->free_stack[--f->free_top];
        s->rx[i].read.pkt_addr = bare_iova(s, f->rx_buf[i]);
        s->rx[i].read.hdr_addr = 0;
    }
    f->rx_tail = BARE_RING - 1;
    atomic_store_explicit(&s->rdt, f->rx_tail, memory_order_release);
}

/* One poll: receive up to batch packets, forward them; returns the number
 * received, *sent the number forwarded (the rest were dropped: TX full). */
static inline uint32_t bare_fwd_poll(struct bare_fwd *f, uint32_t batch, uint32_t *sent)
{
    struct bare_shared *s = f->s;
    const uint32_t mask = BARE_RING - 1;
    uint32_t got[1024], lens[1024], n = 0;
    while (n < batch && f->rx_next != f->rx_tail && f->free_top != 0) {
        union nic_adv_rx_desc *d = &s->rx[f->rx_next];
        if (!(bare_load_acquire32(&d->wb.upper.status_error) & NIC_RXD_STAT_DD))
            break;
        lens[n] = d->wb.upper.length;
        got[n++] = f->rx_buf[f->rx_next];
        uint32_t fresh = f->free_stack[--f->free_top];
        f->rx_buf[f->rx_next] = fresh;
        d->read.pkt_addr = bare_iova(s, fresh);
        d->read.hdr_addr = 0; /* clears DD */
        f->rx_next = (f->rx_next + 1) & mask;
    }
    if (n != 0) {
        /* Hand back everything before rx_next; the one before it is held. */
        f->rx_tail = (f->rx_next - 1) & mask;
        atomic_store_explicit(&s->rdt, f->rx_tail, memory_order_release);
    }
    while (f->tx_clean != f->tx_next &&
           (bare_load_acquire32(&s->tx[f->tx_clean].wb.status) & NIC_TXD_STAT_DD)) {
        f->free_stack[f->free_top++] = f->tx_buf[f->tx_clean];
        f->tx_clean = (f->tx_clean + 1) & mask;
    }
    uint32_t k = 0;
    for (; k < n; k++) {
        s->bufs[got[k]][12]++; /* touch every packet, as nicbench does */
        const uint32_t next = (f->tx_next + 1) & mask;
        if (next == f->tx_clean)
            break;
        union nic_adv_tx_desc *d = &s->tx[f->tx_next];
        f->tx_buf[f->tx_next] = got[k];
        d->read.buffer_addr = bare_iova(s, got[k]);
        d->read.cmd_type_len = NIC_TXD_DCMD_EOP | NIC_TXD_DCMD_RS | NIC_TXD_DCMD_IFCS |
                               NIC_TXD_DCMD_DEXT | NIC_TXD_DTYP_DATA | lens[k];
        d->read.olinfo_status = lens[k] << NIC_TXD_PAYLEN_SHIFT;
        f->tx_next = next;
    }
    for (uint32_t j = k; j < n; j++) /* TX ring full: drop */
        f->free_stack[f->free_top++] = got[j];
    if (k != 0)
        atomic_store_explicit(&s->tdt, f->tx_next, memory_order_release);
    *sent = k;
    return n;
}

#endif
