/*
 * nic_raw: the checks of harnesses/nic with the configuration and the
 * operations decoded byte by byte from one pry_blob (a 2-byte length, then
 * the bytes), no typed generators.
 *
 *   model, hostile   bytes 0..6: rx queues 1 + b%4, tx queues 1 + b%4,
 *                    rx ring 2^(1 + b%7), tx ring 2^(1 + b%7), spare b%65,
 *                    rx burst 1 + b%64, tx burst 1 + b%64; then 4 bytes per
 *                    operation (kind, queue, n, len/arg; see decode_op), up
 *                    to 64; harnesses/nic/nic_ref.c's model checks them
 *   config           bytes: rx queues b%13, tx queues b%13, rx entries (2
 *                    bytes LE), tx entries (2 bytes LE), buffers (3 bytes
 *                    LE): nic_arena_size is 0 exactly for the invalid ones
 *                    and the layout's size for the valid ones (the first
 *                    checks of harnesses/nic/config.c)
 */
#include "nic_gen.h"


#define RAW_MAX 4095

static uint8_t at(pry_bytes_t in, size_t i)
{
    return i < in.len ? in.data[i] : 0;
}

static ng_config_t decode_config(pry_bytes_t in)
{
    ng_config_t c;
    c.nic.num_rx_queues = 1 + at(in, 0) % NG_MAX_QUEUES;
    c.nic.num_tx_queues = 1 + at(in, 1) % NG_MAX_QUEUES;
    c.nic.rx_entries = 1u << (1 + at(in, 2) % NG_MAX_RING_LOG);
    c.nic.tx_entries = 1u << (1 + at(in, 3) % NG_MAX_RING_LOG);
    c.nic.num_bufs = c.nic.num_rx_queues * c.nic.rx_entries + at(in, 4) % (NG_MAX_SPARE + 1);
    c.rx_burst = 1 + at(in, 5) % NG_MAX_BURST;
    c.tx_burst = 1 + at(in, 6) % NG_MAX_BURST;
    return c;
}

/* One operation from 4 bytes k, a, b, c, in the ranges the commands of
 * harnesses/nic/nic_steps.c draw, applied to the model (nic_ref.c). The
 * kinds are the commands' order; without |hostile| the first 8. */
static void apply_op(nic_ref_t *r, bool hostile, const uint8_t *b4)
{
    const ng_config_t *cfg = ref_config(r);
    const struct nic_config *c = &cfg->nic;
    uint32_t a = b4[1], n = b4[2], l = (uint32_t)b4[3];
    switch (b4[0] % (hostile ? 11 : 8)) {
    case 1:
        ref_deliver(r, a % c->num_rx_queues, 1 + n % (c->rx_entries + 1),
                    1 + (l * 8) % NIC_BUF_DATA);
        break;
    case 2:
        ref_rx_batch(r, a % c->num_rx_queues, n % (cfg->rx_burst + 1));
        break;
    case 3:
        ref_tx_batch(r, a % c->num_tx_queues, n % (cfg->tx_burst + 1));
        break;
    case 4:
        ref_complete(r, a % c->num_tx_queues, n % (c->tx_entries + 1));
        break;
    case 5:
        ref_clean(r, a % c->num_tx_queues);
        break;
    case 6:
        ref_alloc(r, 1 + n % 8, 1 + (l * 8) % NIC_BUF_DATA);
        break;
    case 7:
        ref_free(r, 1 + n % 8);
        break;
    case 8: {
        enum nic_hostile what = (enum nic_hostile)(n % NIC_HOSTILE_COUNT);
        uint32_t arg = what == NIC_HOSTILE_OVERSIZE || what == NIC_HOSTILE_REWRITE
                           ? l * 257 /* 0..65535 */
                       : what == NIC_HOSTILE_NO_EOP   ? 1 + (l * 8) % NIC_BUF_DATA
                       : what == NIC_HOSTILE_BAD_ADDR ? l << 12
                                                      : 0;
        ref_hostile(r, a % c->num_rx_queues, what, arg);
        break;
    }
    case 9:
        if (ref_held(r) > 0)
            ref_tx_twice(r, a % c->num_tx_queues);
        break;
    case 10:
        ref_free_foreign(r, (uint32_t)(a | n << 8) % c->num_bufs);
        break;
    default: /* 0: nobody does anything */
        break;
    }
    ref_check(r);
}

static void run_raw(pry_t *p, bool hostile)
{
    pry_bytes_t in = pry_blob(p, "bytes", RAW_MAX);
    ng_config_t *cfg = pry_alloc(p, sizeof *cfg);
    *cfg = decode_config(in);
    size_t n = in.len > 7 ? (in.len - 7) / 4 : 0;
    if (n > NG_MAX_STEPS)
        n = NG_MAX_STEPS;
    nic_ref_t *r = ref_new(p, cfg);
    ref_check(r);
    for (size_t i = 0; i < n; i++)
        apply_op(r, hostile, in.data + 7 + 4 * i);
    ref_drain(r);
}

PRY_PROPERTY(model)
{
    run_raw(p, false);
}

PRY_PROPERTY(hostile)
{
    run_raw(p, true);
}

static bool ring_ok(uint32_t n)
{
    return n >= 2 && n <= 32768 && (n & (n - 1)) == 0;
}

PRY_PROPERTY(config)
{
    pry_bytes_t in = pry_blob(p, "bytes", RAW_MAX);
    struct nic_config c;
    c.num_rx_queues = at(in, 0) % (NIC_MAX_QUEUES + 5);
    c.num_tx_queues = at(in, 1) % (NIC_MAX_QUEUES + 5);
    c.rx_entries = (uint32_t)at(in, 2) | (uint32_t)at(in, 3) << 8;
    c.tx_entries = (uint32_t)at(in, 4) | (uint32_t)at(in, 5) << 8;
    c.num_bufs = (uint32_t)at(in, 6) | (uint32_t)at(in, 7) << 8 | (uint32_t)at(in, 8) << 16;
    uint64_t need = (uint64_t)c.num_rx_queues * c.rx_entries;
    bool valid = c.num_rx_queues <= NIC_MAX_QUEUES && c.num_tx_queues <= NIC_MAX_QUEUES &&
                 ring_ok(c.rx_entries) && ring_ok(c.tx_entries) && c.num_bufs <= (1u << 20) &&
                 c.num_bufs >= need;
    size_t got = nic_arena_size(&c);
    if (!valid) {
        pry_check(p, got == 0, "nic_arena_size accepted an invalid configuration: %zu bytes",
                  got);
        return;
    }
    size_t off = (size_t)c.num_bufs * NIC_BUF_STRIDE;
    for (uint32_t q = 0; q < c.num_rx_queues; q++)
        off = ((off + 127) & ~(size_t)127) + (size_t)c.rx_entries * sizeof(union nic_adv_rx_desc);
    for (uint32_t q = 0; q < c.num_tx_queues; q++)
        off = ((off + 127) & ~(size_t)127) + (size_t)c.tx_entries * sizeof(union nic_adv_tx_desc);
    pry_check(p, got == off, "nic_arena_size %zu, the layout needs %zu", got, off);
}
