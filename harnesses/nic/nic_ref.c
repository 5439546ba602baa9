/*
 * nic_ref.c: the reference model the model and hostile properties check
 * the driver against (adapted from targets/nic/tests/nic_model.h). Each
 * operation predicts, performs and checks one call on the driver or the
 * simulated NIC; nic_steps.c draws them as the commands of a stateful
 * property (pry.h §13), so a failure prints as the calls made.
 *
 * The model keeps, independently of the driver:
 *   - per RX queue, the descriptors the NIC has written back and the driver
 *     has not read yet, in ring order (a FIFO of packets: sequence number,
 *     length, and whether the device wrote them well);
 *   - per TX queue, the packets queued and not yet transmitted (a FIFO),
 *     how many are in flight (queued, not cleaned) and how many of those
 *     the NIC has completed;
 *   - the buffers the application holds, oldest first, with their packets;
 *   - every counter the driver and the device should show.
 * From these it predicts each call's result, and after every step checks
 * the census (every buffer in exactly one place, in the places the model
 * says), the TX in-flight counts and the counters.
 */
#include "nic_gen.h"

#include <stdlib.h>
#include <string.h>

/* The DMA arena is malloc'd at its exact size under ASan, so that a read
 * past its end (a TX ring is last) is a heap-buffer-overflow, not a quiet
 * read of the next chunk. Without ASan a zeroed tail follows it instead:
 * a read past the end then sees zeros (no DD: the same every run, so a
 * failure replays and shrinks), and a write past the end is caught by
 * checking the tail after every step. */
#if defined(__SANITIZE_ADDRESS__)
#define ARENA_TAIL 0u
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_TAIL 0u
#endif
#endif
#ifndef ARENA_TAIL
#define ARENA_TAIL 4096u
#endif

typedef struct {
    uint64_t seq;
    uint32_t len;   /* PKT_LEN as written back (RX) or buffer length (TX) */
    uint32_t known; /* leading payload bytes whose content is known */
    uint8_t err, eop;
} pkt_t;

typedef struct {
    pkt_t *v;
    uint32_t cap, head, n;
} fifo_t;

struct nic_ref {
    pry_t *p;
    const ng_config_t *cfg;
    struct nic_config c;
    uint8_t *arena;
    size_t arena_size;
    struct nic_regs *regs;
    struct nic_dev *dev;
    struct nic_sim *sim;
    fifo_t rx[NG_MAX_QUEUES];    /* written back, not yet read */
    bool stray[NG_MAX_QUEUES];   /* DD forged on the held-back descriptor */
    fifo_t tx[NG_MAX_QUEUES];    /* queued, not yet transmitted */
    uint32_t inflight[NG_MAX_QUEUES]; /* queued, not yet cleaned */
    uint32_t completed[NG_MAX_QUEUES]; /* of those, done by the NIC */
    uint64_t rx_read[NG_MAX_QUEUES];  /* descriptors the driver has read */
    uint64_t tx_sent[NG_MAX_QUEUES];  /* packets the driver has queued */
    uint32_t *held;              /* buffer indices the app holds, oldest first */
    uint32_t held_head, nheld;
    pkt_t *held_pkt;             /* by buffer index */
    uint8_t *is_held;            /* by buffer index */
    uint64_t next_seq;
    struct nic_stats exp;        /* counters as they should be */
    struct nic_buf **bufs;       /* batch scratch */
    pkt_t *expect;               /* rx_batch scratch */
    uint32_t scratch;            /* entries of bufs and expect */
    uint32_t cur_q;              /* queue of the current completion */
    uint32_t seen;               /* frames seen by the current completion */
    ng_flows_t flows;            /* the flow filters (flow_ref.c) */
};
typedef struct nic_ref ref_t;

/* ---- small helpers ---- */

static pkt_t *fifo_front(fifo_t *f)
{
    return &f->v[f->head];
}

static pkt_t *fifo_back(fifo_t *f)
{
    return &f->v[(f->head + f->n - 1) % f->cap];
}

static void fifo_push(fifo_t *f, const pkt_t *x)
{
    f->v[(f->head + f->n) % f->cap] = *x;
    f->n++;
}

static pkt_t fifo_pop(fifo_t *f)
{
    pkt_t x = f->v[f->head];
    f->head = (f->head + 1) % f->cap;
    f->n--;
    return x;
}

static uint8_t pattern(uint64_t seq, uint32_t i)
{
    /* Bytes 0..7: the sequence number (as nic_sim_run's frames); then a
     * pattern that differs between packets, so a buffer mix-up shows. */
    return i < 8 ? (uint8_t)(seq >> (8 * i)) : (uint8_t)(seq * 131u + i * 7u + 1u);
}

static void fill(uint8_t *data, uint64_t seq, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++)
        data[i] = pattern(seq, i);
}

/* The first byte of data that differs from packet e's known payload, or
 * -1. Only len bytes are looked at (the caller checked len first). */
static int64_t payload_diff(const uint8_t *data, const pkt_t *e, uint32_t len)
{
    uint32_t k = e->known < len ? e->known : len;
    for (uint32_t i = 0; i < k; i++)
        if (data[i] != pattern(e->seq, i))
            return i;
    return -1;
}

static int64_t first_nonzero(const uint8_t *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (m[i] != 0)
            return (int64_t)i;
    return -1;
}

static struct nic_buf *buf_at(const ref_t *r, uint32_t idx)
{
    /* The arena starts with the packet buffers (nic.h's layout). */
    return (struct nic_buf *)(void *)(r->arena + (size_t)idx * NIC_BUF_STRIDE);
}

/* Pool index of a buffer the driver handed out; fails unless it is the
 * start of one of our buffers. Compared as integers: any pointer is safe. */
static uint32_t buf_index(ref_t *r, const struct nic_buf *b, const char *what)
{
    uintptr_t a = (uintptr_t)b, base = (uintptr_t)r->arena;
    pry_check(r->p, a >= base && (a - base) % NIC_BUF_STRIDE == 0 &&
                        (a - base) / NIC_BUF_STRIDE < r->c.num_bufs,
              "%s: %p is not a buffer of the pool", what, (const void *)b);
    return (uint32_t)((a - base) / NIC_BUF_STRIDE);
}

static uint32_t rx_ring_bufs(const ref_t *r)
{
    return r->c.num_rx_queues * r->c.rx_entries;
}

static uint32_t tx_inflight_total(const ref_t *r)
{
    uint32_t t = 0;
    for (uint32_t q = 0; q < r->c.num_tx_queues; q++)
        t += r->inflight[q];
    return t;
}

/* Buffers in the mempool, by conservation: every RX descriptor holds one
 * (always), the rest are in flight, with the app, or free. */
static uint32_t free_bufs(const ref_t *r)
{
    return r->c.num_bufs - rx_ring_bufs(r) - r->nheld - tx_inflight_total(r);
}

static void hold(ref_t *r, uint32_t idx, const pkt_t *pk)
{
    pry_check(r->p, !r->is_held[idx], "buffer %u handed to the app twice", idx);
    r->is_held[idx] = 1;
    r->held_pkt[idx] = *pk;
    r->held[(r->held_head + r->nheld) % r->c.num_bufs] = idx;
    r->nheld++;
}

static uint32_t unhold_oldest(ref_t *r)
{
    uint32_t idx = r->held[r->held_head];
    r->held_head = (r->held_head + 1) % r->c.num_bufs;
    r->nheld--;
    r->is_held[idx] = 0;
    return idx;
}

/* ---- set-up ---- */

static void ref_fini(void *arg)
{
    ref_t *r = arg;
    nic_sim_destroy(r->sim);
    nic_dev_destroy(r->dev);
    free(r->arena);
    free(r->regs);
}

nic_ref_t *ref_new(pry_t *p, const ng_config_t *cfg)
{
    ref_t *r = pry_alloc(p, sizeof *r);
    r->p = p;
    r->cfg = cfg;
    r->c = cfg->nic;
    const struct nic_config *c = &r->c;
    r->arena_size = nic_arena_size(c);
    pry_check(p, r->arena_size != 0, "nic_arena_size refused a valid configuration");
    /* Model state lives in pry's arena; the DMA arena is malloc'd (see
     * ARENA_TAIL), since pry's arena would hide an overflow. */
    for (uint32_t q = 0; q < NG_MAX_QUEUES; q++) {
        r->rx[q].cap = c->rx_entries;
        r->rx[q].v = pry_alloc(p, c->rx_entries * sizeof(pkt_t));
        r->tx[q].cap = c->tx_entries;
        r->tx[q].v = pry_alloc(p, c->tx_entries * sizeof(pkt_t));
    }
    r->held = pry_alloc(p, c->num_bufs * sizeof *r->held);
    r->held_pkt = pry_alloc(p, c->num_bufs * sizeof *r->held_pkt);
    r->is_held = pry_alloc(p, c->num_bufs);
    r->scratch = NG_MAX_BURST;
    if (c->rx_entries > r->scratch)
        r->scratch = c->rx_entries;
    if (c->tx_entries > r->scratch)
        r->scratch = c->tx_entries;
    r->bufs = pry_alloc(p, r->scratch * sizeof *r->bufs);
    r->expect = pry_alloc(p, r->scratch * sizeof *r->expect);

    r->arena = malloc(r->arena_size + ARENA_TAIL);
    r->regs = aligned_alloc(64, sizeof *r->regs);
    pry_defer(p, ref_fini, r); /* nic_*_destroy take NULL */
    pry_check(p, r->arena != NULL && r->regs != NULL, "out of memory");
    memset(r->arena, 0, r->arena_size + ARENA_TAIL);
    nic_regs_init(r->regs);
    int err = 0;
    r->dev = nic_dev_create(c, r->arena, r->arena_size, r->regs, &err);
    pry_check(p, r->dev != NULL, "nic_dev_create: error %d", err);
    r->sim = nic_sim_create(r->arena, r->arena_size, r->regs);
    pry_check(p, r->sim != NULL, "nic_sim_create failed");
    return r;
}

const ng_config_t *ref_config(const nic_ref_t *r)
{
    return r->cfg;
}

uint32_t ref_held(const nic_ref_t *r)
{
    return r->nheld;
}

pry_t *ref_pry(const nic_ref_t *r)
{
    return r->p;
}

struct nic_dev *ref_dev(const nic_ref_t *r)
{
    return r->dev;
}

struct nic_sim *ref_sim(const nic_ref_t *r)
{
    return r->sim;
}

ng_flows_t *ref_flows(nic_ref_t *r)
{
    return &r->flows;
}

void ref_target(const nic_ref_t *r)
{
    uint64_t rx = 0, tx = 0;
    for (uint32_t q = 0; q < NG_MAX_QUEUES; q++) {
        rx = r->rx_read[q] > rx ? r->rx_read[q] : rx;
        tx = r->tx_sent[q] > tx ? r->tx_sent[q] : tx;
    }
    pry_target(r->p, "rx descriptors read on one queue", (int64_t)rx);
    pry_target(r->p, "tx packets queued on one queue", (int64_t)tx);
}

/* ---- the check after every step ---- */

static void check_counter(const ref_t *r, const char *name, uint64_t got, uint64_t want)
{
    pry_check(r->p, got == want, "counter %s is %llu, model %llu", name,
              (unsigned long long)got, (unsigned long long)want);
}

void ref_check(const ref_t *r)
{
    pry_t *p = r->p;
    int64_t w = first_nonzero(r->arena + r->arena_size, ARENA_TAIL);
    pry_check(p, w < 0, "byte %lld past the end of the DMA arena was written", (long long)w);
    struct nic_census cs;
    uint32_t errs = nic_census(r->dev, &cs);
    pry_check(p, errs == 0,
              "census: %u inconsistencies (a buffer in two places, or a slot "
              "holding no buffer); free %u rx %u tx %u app %u",
              errs, cs.free, cs.rx, cs.tx, cs.app);
    pry_check(p, cs.total == r->c.num_bufs && cs.rx == rx_ring_bufs(r) &&
                     cs.app == r->nheld && cs.tx == tx_inflight_total(r) &&
                     cs.free == free_bufs(r),
              "census free %u rx %u tx %u app %u (of %u); model free %u rx %u tx %u app %u",
              cs.free, cs.rx, cs.tx, cs.app, cs.total, free_bufs(r), rx_ring_bufs(r),
              tx_inflight_total(r), r->nheld);
    for (uint32_t q = 0; q < r->c.num_tx_queues; q++) {
        uint32_t n = nic_tx_inflight(r->dev, q);
        pry_check(p, n == r->inflight[q], "tx q%u: %u in flight, model %u", q, n,
                  r->inflight[q]);
    }
    struct nic_stats s;
    nic_stats_read(r->dev, &s);
#define COUNTER(f) check_counter(r, #f, s.f, r->exp.f)
    COUNTER(rx_packets);
    COUNTER(rx_bytes);
    COUNTER(rx_bad_length);
    COUNTER(rx_no_eop);
    COUNTER(rx_errors);
    COUNTER(rx_stray_dd);
    COUNTER(rx_no_buf);
    COUNTER(tx_packets);
    COUNTER(tx_bytes);
    COUNTER(tx_cleaned);
    COUNTER(tx_bad_buf);
    COUNTER(bad_free);
    COUNTER(dev_gprc);
    COUNTER(dev_mpc);
    COUNTER(dev_gptc);
#undef COUNTER
}

/* ---- the operations ---- */

void ref_deliver_with(ref_t *r, uint32_t q, uint32_t n, uint32_t len, ng_send_fn *send,
                      void *ctx)
{
    uint8_t frame[NIC_BUF_DATA];
    for (uint32_t i = 0; i < n; i++) {
        pkt_t pk = {r->next_seq++, len, len, 0, 1};
        fill(frame, pk.seq, len);
        /* The NIC owns every descriptor but the ones written back and
         * the one the driver holds back (§7.1.9). */
        uint32_t space = r->c.rx_entries - 1 - r->rx[q].n;
        int want = space > 0 ? NIC_SIM_OK : NIC_SIM_MISSED;
        int rc = send(ctx, frame, len);
        pry_check(r->p, rc == want,
                  "deliver of packet %u (seq %llu) on q%u: %s, but the ring has room "
                  "for %u more",
                  i, (unsigned long long)pk.seq, q,
                  rc == NIC_SIM_MISSED ? "missed" : rc == NIC_SIM_OK ? "taken" : "error",
                  space);
        if (rc == NIC_SIM_OK) {
            fifo_push(&r->rx[q], &pk);
            r->exp.dev_gprc++;
        } else {
            r->exp.dev_mpc++;
        }
    }
}

struct to_queue {
    struct nic_sim *sim;
    uint32_t q;
};

static int send_to_queue(void *ctx, const void *frame, uint32_t len)
{
    const struct to_queue *t = ctx;
    return nic_sim_deliver(t->sim, t->q, len, frame);
}

void ref_deliver(ref_t *r, uint32_t q, uint32_t n, uint32_t len)
{
    struct to_queue t = {r->sim, q};
    ref_deliver_with(r, q, n, len, send_to_queue, &t);
}

uint32_t ref_rx_batch(ref_t *r, uint32_t q, uint32_t num)
{
    pry_t *p = r->p;
    fifo_t *f = &r->rx[q];
    /* Predict: walk the written-back descriptors in order; badly written
     * ones are dropped and counted, a good one needs a replacement buffer
     * (none left: it stays in the ring, counted once, and the batch ends). */
    uint32_t spare = free_bufs(r), nexp = 0;
    uint64_t bytes = 0;
    while (f->n > 0 && nexp < num) {
        const pkt_t *e = fifo_front(f);
        if (e->err) {
            r->exp.rx_errors++;
        } else if (!e->eop) {
            r->exp.rx_no_eop++;
        } else if (e->len == 0 || e->len > NIC_BUF_DATA) {
            r->exp.rx_bad_length++;
        } else if (spare == 0) {
            r->exp.rx_no_buf++;
            break;
        } else {
            spare--;
            bytes += e->len;
            r->expect[nexp++] = *e;
        }
        fifo_pop(f);
        r->rx_read[q]++;
    }
    if (r->stray[q]) {
        r->exp.rx_stray_dd++;
        r->stray[q] = false;
    }

    uint32_t got = nic_rx_batch(r->dev, q, r->bufs, num);
    pry_check(p, got <= num, "rx_batch(q%u, %u) returned %u packets", q, num, got);
    /* The packets both agree on first, in order: a phantom or duplicate
     * packet shows as the wrong sequence number where it sits. */
    uint32_t both = got < nexp ? got : nexp;
    for (uint32_t i = 0; i < both; i++) {
        const struct nic_buf *b = r->bufs[i];
        const pkt_t *e = &r->expect[i];
        uint32_t idx = buf_index(r, b, "rx_batch");
        pry_check(p, !r->is_held[idx], "rx_batch(q%u): packet %u in buffer %u, which the app "
                  "already holds", q, i, idx);
        /* The length first: only then is reading the payload in bounds. */
        pry_check(p, b->len == e->len, "rx q%u: packet %u (seq %llu) has length %u, model %u",
                  q, i, (unsigned long long)e->seq, b->len, e->len);
        int64_t d = payload_diff(b->data, e, b->len);
        pry_check(p, d < 0, "rx q%u: packet %u (seq %llu, %u B): payload differs at byte %lld",
                  q, i, (unsigned long long)e->seq, b->len, (long long)d);
        hold(r, idx, e);
    }
    if (got > nexp) {
        /* Say how long the first surplus packet is, if it is in one of
         * our buffers (an unchecked device length shows here). */
        uintptr_t a = (uintptr_t)r->bufs[nexp], base = (uintptr_t)r->arena;
        if (a >= base && (a - base) % NIC_BUF_STRIDE == 0 &&
            (a - base) / NIC_BUF_STRIDE < r->c.num_bufs)
            pry_fail(p, "rx_batch(q%u, %u) returned %u packets, model %u; packet %u has "
                     "length %u", q, num, got, nexp, nexp, r->bufs[nexp]->len);
    }
    pry_check(p, got == nexp, "rx_batch(q%u, %u) returned %u packets, model %u", q, num, got,
              nexp);
    r->exp.rx_packets += nexp;
    r->exp.rx_bytes += bytes;
    return got;
}

/* ixy's batched clean-up as nic_tx_batch does it first: whole batches of
 * min(32, n / 2), each once its last descriptor is done. The NIC
 * completes in order, so that is "while a batch's worth is completed". */
static void predict_batched_clean(ref_t *r, uint32_t q)
{
    uint32_t b = r->c.tx_entries / 2 < 32 ? r->c.tx_entries / 2 : 32;
    while (r->completed[q] >= b) {
        r->completed[q] -= b;
        r->inflight[q] -= b;
        r->exp.tx_cleaned += b;
    }
}

uint32_t ref_tx_batch(ref_t *r, uint32_t q, uint32_t n)
{
    uint32_t k = n < r->nheld ? n : r->nheld;
    for (uint32_t i = 0; i < k; i++)
        r->bufs[i] = buf_at(r, r->held[(r->held_head + i) % r->c.num_bufs]);
    predict_batched_clean(r, q);
    /* One slot always stays empty. */
    uint32_t space = r->c.tx_entries - 1 - r->inflight[q];
    uint32_t accept = k < space ? k : space;

    uint32_t sent = nic_tx_batch(r->dev, q, r->bufs, k);
    pry_check(r->p, sent == accept,
              "tx_batch(q%u) of %u buffers queued %u, model %u (%u slots free)", q, k, sent,
              accept, space);
    for (uint32_t i = 0; i < sent; i++) {
        uint32_t idx = unhold_oldest(r);
        const pkt_t *pk = &r->held_pkt[idx];
        fifo_push(&r->tx[q], pk);
        r->inflight[q]++;
        r->tx_sent[q]++;
        r->exp.tx_packets++;
        r->exp.tx_bytes += pk->len;
    }
    return sent;
}

static void on_transmit(void *ctx, uint32_t q, const uint8_t *frame, uint32_t len)
{
    ref_t *r = ctx;
    pry_t *p = r->p;
    r->seen++;
    pry_check(p, q == r->cur_q, "completion of q%u transmitted a frame on q%u", r->cur_q, q);
    pry_check(p, r->tx[q].n > 0, "tx q%u: the NIC sent a frame (%u B) nobody queued", q, len);
    pkt_t e = fifo_pop(&r->tx[q]);
    pry_check(p, len == e.len, "tx q%u: seq %llu sent with length %u, model %u", q,
              (unsigned long long)e.seq, len, e.len);
    int64_t d = payload_diff(frame, &e, len);
    pry_check(p, d < 0, "tx q%u: seq %llu (%u B): payload differs at byte %lld", q,
              (unsigned long long)e.seq, len, (long long)d);
}

uint32_t ref_complete(ref_t *r, uint32_t q, uint32_t max)
{
    uint32_t want = r->tx[q].n < max ? r->tx[q].n : max;
    r->cur_q = q;
    r->seen = 0;
    uint32_t done = nic_sim_tx_complete(r->sim, q, max, on_transmit, r);
    pry_check(r->p, done == want && r->seen == done,
              "complete(q%u, %u): %u descriptors done (%u frames), model %u", q, max, done,
              r->seen, want);
    r->completed[q] += done;
    r->exp.dev_gptc += done;
    return done;
}

uint32_t ref_clean(ref_t *r, uint32_t q)
{
    uint32_t freed = nic_tx_clean(r->dev, q);
    pry_check(r->p, freed == r->completed[q], "clean(q%u) freed %u buffers, model %u", q,
              freed, r->completed[q]);
    r->inflight[q] -= r->completed[q];
    r->exp.tx_cleaned += r->completed[q];
    r->completed[q] = 0;
    return freed;
}

void ref_alloc(ref_t *r, uint32_t n, uint32_t len)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t spare = free_bufs(r);
        struct nic_buf *b = nic_buf_alloc(r->dev);
        pry_check(r->p, (b != NULL) == (spare > 0), "alloc gave %s with %u buffers free",
                  b != NULL ? "a buffer" : "nothing", spare);
        if (b == NULL)
            return;
        uint32_t idx = buf_index(r, b, "alloc");
        pkt_t pk = {r->next_seq++, len, len, 0, 1};
        fill(b->data, pk.seq, len);
        b->len = len;
        hold(r, idx, &pk);
    }
}

void ref_free(ref_t *r, uint32_t n)
{
    for (uint32_t i = 0; i < n && r->nheld > 0; i++) {
        uint32_t idx = unhold_oldest(r);
        int rc = nic_buf_free(r->dev, buf_at(r, idx));
        pry_check(r->p, rc == NIC_OK, "free of buffer %u, which the app holds: error %d", idx,
                  rc);
    }
}

void ref_hostile(ref_t *r, uint32_t q, enum nic_hostile kind, uint32_t arg)
{
    uint32_t space = r->c.rx_entries - 1 - r->rx[q].n;
    pkt_t pk = {0, 0, 0, 0, 1}; /* what the device writes back, if it does */
    int want = space > 0;
    switch (kind) {
    case NIC_HOSTILE_STRAY_DD:
        want = 1;
        break;
    case NIC_HOSTILE_OVERSIZE: {
        uint32_t l = NIC_BUF_DATA + 1 + arg;
        pk.len = l > 0xffff ? 0xffff : l;
        break;
    }
    case NIC_HOSTILE_NO_EOP:
        pk.len = arg == 0 ? 1 : (arg > NIC_BUF_DATA ? NIC_BUF_DATA : arg);
        pk.eop = 0;
        break;
    case NIC_HOSTILE_BAD_ADDR:
        pk.err = 1;
        break;
    case NIC_HOSTILE_REWRITE:
        /* Only while the last write-back is unread (its DD still set). */
        want = r->rx[q].n > 0;
        break;
    case NIC_HOSTILE_COUNT:
    default:
        return;
    }
    int rc = nic_sim_hostile(r->sim, q, kind, arg);
    pry_check(r->p, rc == want, "hostile action on q%u: carried out %d, model %d", q, rc,
              want);
    if (!want)
        return;
    switch (kind) {
    case NIC_HOSTILE_STRAY_DD:
        r->stray[q] = true;
        break;
    case NIC_HOSTILE_REWRITE: {
        pkt_t *e = fifo_back(&r->rx[q]);
        e->len = arg > 0xffff ? 0xffff : arg;
        if (e->known > e->len)
            e->known = e->len;
        break;
    }
    case NIC_HOSTILE_OVERSIZE:
    case NIC_HOSTILE_NO_EOP:
        r->exp.dev_gprc++; /* the device thinks it received a frame */
        fifo_push(&r->rx[q], &pk);
        break;
    case NIC_HOSTILE_BAD_ADDR: /* a DMA fault: not a good packet */
    case NIC_HOSTILE_COUNT:
    default:
        fifo_push(&r->rx[q], &pk);
        break;
    }
}

/* The app's oldest buffer twice in one batch: the first is queued (if
 * there is room), the second is no longer the app's and stops the batch,
 * counted in tx_bad_buf (unless the ring was full by then: the driver
 * checks for room first). */
void ref_tx_twice(ref_t *r, uint32_t q)
{
    if (r->nheld == 0)
        return;
    uint32_t idx = r->held[r->held_head];
    r->bufs[0] = r->bufs[1] = buf_at(r, idx);
    predict_batched_clean(r, q);
    uint32_t space = r->c.tx_entries - 1 - r->inflight[q];
    uint32_t accept = space > 0 ? 1 : 0;
    if (space >= 2)
        r->exp.tx_bad_buf++;
    uint32_t sent = nic_tx_batch(r->dev, q, r->bufs, 2);
    pry_check(r->p, sent == accept,
              "tx_batch(q%u) of buffer %u twice queued %u, model %u (%u slots free)", q, idx,
              sent, accept, space);
    if (sent > 0) {
        unhold_oldest(r);
        fifo_push(&r->tx[q], &r->held_pkt[idx]);
        r->inflight[q]++;
        r->exp.tx_packets++;
        r->exp.tx_bytes += r->held_pkt[idx].len;
    }
}

/* A free of a buffer the app does not hold (free, in a ring, in flight):
 * refused, counted, nothing moved. Skipped if the app does hold it. */
void ref_free_foreign(ref_t *r, uint32_t idx)
{
    if (r->is_held[idx])
        return;
    int rc = nic_buf_free(r->dev, buf_at(r, idx));
    pry_check(r->p, rc == NIC_EINVAL, "free of buffer %u, which the app does not hold: %d",
              idx, rc);
    r->exp.bad_free++;
}

/* After the operations: the NIC sends everything queued, the driver cleans
 * up, the app receives what is left and frees everything. Then every
 * buffer must be back: the RX rings' and the free pool's. */
void ref_drain(ref_t *r)
{
    pry_note(r->p, "drain: complete and clean every TX queue, receive and free everything");
    for (uint32_t q = 0; q < r->c.num_tx_queues; q++) {
        ref_complete(r, q, r->c.tx_entries);
        ref_clean(r, q);
        ref_check(r);
    }
    ref_free(r, r->nheld);
    for (uint32_t q = 0; q < r->c.num_rx_queues; q++) {
        /* Without spare buffers nothing good can be received: the packets
         * stay in the ring (rx_no_buf), which the model predicts. */
        while (r->rx[q].n > 0) {
            uint32_t before = r->rx[q].n;
            ref_rx_batch(r, q, r->c.rx_entries);
            ref_free(r, r->nheld);
            ref_check(r);
            if (r->rx[q].n == before)
                break;
        }
    }
    ref_check(r);
    struct nic_census cs;
    nic_census(r->dev, &cs);
    pry_check(r->p, cs.free == r->c.num_bufs - rx_ring_bufs(r) && cs.app == 0 && cs.tx == 0,
              "after the drain: %u of %u buffers free (%u app, %u tx), should be %u", cs.free,
              cs.total, cs.app, cs.tx, r->c.num_bufs - rx_ring_bufs(r));
}
