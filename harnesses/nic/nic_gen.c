/*
 * nic_gen.c: the configuration and operation generators, and their
 * printers. The reference model that runs the operations is in nic_ref.c.
 */
#include "nic_gen.h"

#include <stdio.h>

/* ---- configuration ---- */

static void *draw_config_value(pry_t *p, const void *arg)
{
    (void)arg;
    ng_config_t *c = pry_alloc(p, sizeof *c);
    c->nic.num_rx_queues = (uint32_t)pry_range_u(p, "rx_queues", 1, NG_MAX_QUEUES);
    c->nic.num_tx_queues = (uint32_t)pry_range_u(p, "tx_queues", 1, NG_MAX_QUEUES);
    /* Powers of two by construction (config.c is about the others). Small
     * rings wrap within a few operations, which is where ring bugs live. */
    c->nic.rx_entries = 1u << pry_range_u(p, "rx_log2", 1, NG_MAX_RING_LOG);
    c->nic.tx_entries = 1u << pry_range_u(p, "tx_log2", 1, NG_MAX_RING_LOG);
    /* No spare buffers is legal and interesting: then a packet can only be
     * taken once the application has given a buffer back. */
    uint32_t spare = (uint32_t)pry_range_u(p, "spare_bufs", 0, NG_MAX_SPARE);
    c->nic.num_bufs = c->nic.num_rx_queues * c->nic.rx_entries + spare;
    c->rx_burst = (uint32_t)pry_range_u(p, "rx_burst", 1, NG_MAX_BURST);
    c->tx_burst = (uint32_t)pry_range_u(p, "tx_burst", 1, NG_MAX_BURST);
    return c;
}

static void print_config(pry_out_t *out, const void *value, const void *arg)
{
    (void)arg;
    const ng_config_t *c = value;
    pry_out_printf(out,
                   "{rx %u queue%s x %u, tx %u queue%s x %u, %u buffers (%u spare), "
                   "bursts rx %u tx %u}",
                   c->nic.num_rx_queues, c->nic.num_rx_queues == 1 ? "" : "s",
                   c->nic.rx_entries, c->nic.num_tx_queues,
                   c->nic.num_tx_queues == 1 ? "" : "s", c->nic.tx_entries,
                   c->nic.num_bufs,
                   c->nic.num_bufs - c->nic.num_rx_queues * c->nic.rx_entries,
                   c->rx_burst, c->tx_burst);
}

const ng_config_t *draw_config(pry_t *p, const char *label)
{
    static const pry_gen_t gen = {"nic_config", draw_config_value, print_config, NULL};
    return pry_draw(p, label, &gen);
}

/* ---- operations ---- */

struct op_arg {
    const ng_config_t *cfg;
    bool hostile;
};

static const char *const op_names[OP_KINDS] = {
    "stall", "deliver", "rx_batch", "tx_batch", "complete",
    "clean", "alloc",   "free",     "hostile", "tx_twice", "free_foreign",
};

static const char *const hostile_names[NIC_HOSTILE_COUNT] = {
    "stray_dd", "oversize", "no_eop", "bad_addr", "rewrite",
};

static void *draw_op_value(pry_t *p, const void *arg)
{
    const struct op_arg *a = arg;
    const struct nic_config *c = &a->cfg->nic;
    /* Traffic first: deliveries and receives keep the rings moving, and
     * enough completions and clean-ups keep buffers coming home. Device
     * misbehaviour and application misuse have weight only in the hostile
     * property. */
    const unsigned weights[OP_KINDS] = {
        [OP_STALL] = 1,    [OP_DELIVER] = 6, [OP_RX_BATCH] = 5,
        [OP_TX_BATCH] = 4, [OP_COMPLETE] = 4, [OP_CLEAN] = 2,
        [OP_ALLOC] = 2,    [OP_FREE] = 2,    [OP_HOSTILE] = a->hostile ? 5 : 0,
        [OP_TX_TWICE] = a->hostile ? 1 : 0,  [OP_FREE_FOREIGN] = a->hostile ? 1 : 0,
    };
    ng_op_t *op = pry_alloc(p, sizeof *op);
    op->kind = (ng_op_kind_t)pry_weighted(p, "kind", OP_KINDS, weights);
    switch (op->kind) {
    case OP_DELIVER:
        op->q = (uint32_t)pry_index(p, "q", c->num_rx_queues);
        /* up to one more than the ring holds: a full ring drops (MPC) */
        op->n = (uint32_t)pry_range_u(p, "n", 1, c->rx_entries + 1);
        op->len = (uint32_t)pry_range_u(p, "len", 1, NIC_BUF_DATA);
        break;
    case OP_RX_BATCH:
        op->q = (uint32_t)pry_index(p, "q", c->num_rx_queues);
        op->n = (uint32_t)pry_range_u(p, "n", 0, a->cfg->rx_burst);
        break;
    case OP_TX_BATCH:
        op->q = (uint32_t)pry_index(p, "q", c->num_tx_queues);
        op->n = (uint32_t)pry_range_u(p, "n", 0, a->cfg->tx_burst);
        break;
    case OP_COMPLETE:
        op->q = (uint32_t)pry_index(p, "q", c->num_tx_queues);
        op->n = (uint32_t)pry_range_u(p, "n", 0, c->tx_entries);
        break;
    case OP_CLEAN:
        op->q = (uint32_t)pry_index(p, "q", c->num_tx_queues);
        break;
    case OP_ALLOC:
        op->n = (uint32_t)pry_range_u(p, "n", 1, 8);
        op->len = (uint32_t)pry_range_u(p, "len", 1, NIC_BUF_DATA);
        break;
    case OP_FREE:
        op->n = (uint32_t)pry_range_u(p, "n", 1, 8);
        break;
    case OP_HOSTILE:
        op->q = (uint32_t)pry_index(p, "q", c->num_rx_queues);
        op->hostile = (enum nic_hostile)pry_choice_named(p, "what", NIC_HOSTILE_COUNT,
                                                         hostile_names);
        switch (op->hostile) {
        case NIC_HOSTILE_OVERSIZE: /* PKT_LEN = 2049 + arg, up to 65535 */
            op->arg = (uint32_t)pry_range_u(p, "excess", 0, 0xffff);
            break;
        case NIC_HOSTILE_NO_EOP:
            op->arg = (uint32_t)pry_range_u(p, "len", 1, NIC_BUF_DATA);
            break;
        case NIC_HOSTILE_BAD_ADDR: /* the address is arena end + arg */
            op->arg = (uint32_t)pry_range_u(p, "past_end", 0, 1u << 20);
            break;
        case NIC_HOSTILE_REWRITE: /* any 16-bit PKT_LEN, good or bad */
            op->arg = (uint32_t)pry_range_u(p, "pkt_len", 0, 0xffff);
            break;
        case NIC_HOSTILE_STRAY_DD:
        case NIC_HOSTILE_COUNT:
        default:
            break;
        }
        break;
    case OP_TX_TWICE:
        op->q = (uint32_t)pry_index(p, "q", c->num_tx_queues);
        break;
    case OP_FREE_FOREIGN:
        op->arg = (uint32_t)pry_index(p, "buf", c->num_bufs);
        break;
    case OP_STALL:
    case OP_KINDS:
    default:
        break;
    }
    return op;
}

void format_op(char *buf, size_t size, const ng_op_t *op)
{
    switch (op->kind) {
    case OP_DELIVER:
        snprintf(buf, size, "deliver(q%u, %u x %u B)", op->q, op->n, op->len);
        break;
    case OP_RX_BATCH:
    case OP_TX_BATCH:
    case OP_COMPLETE:
        snprintf(buf, size, "%s(q%u, %u)", op_names[op->kind], op->q, op->n);
        break;
    case OP_CLEAN:
        snprintf(buf, size, "clean(q%u)", op->q);
        break;
    case OP_ALLOC:
        snprintf(buf, size, "alloc(%u x %u B)", op->n, op->len);
        break;
    case OP_FREE:
        snprintf(buf, size, "free(%u)", op->n);
        break;
    case OP_HOSTILE:
        switch (op->hostile) {
        case NIC_HOSTILE_STRAY_DD:
            snprintf(buf, size, "stray_dd(q%u)", op->q);
            break;
        case NIC_HOSTILE_OVERSIZE: {
            uint32_t l = NIC_BUF_DATA + 1 + op->arg;
            snprintf(buf, size, "oversize(q%u, PKT_LEN %u)", op->q, l > 0xffff ? 0xffff : l);
            break;
        }
        case NIC_HOSTILE_NO_EOP:
            snprintf(buf, size, "no_eop(q%u, %u B)", op->q, op->arg);
            break;
        case NIC_HOSTILE_BAD_ADDR:
            snprintf(buf, size, "bad_addr(q%u, arena end + %u)", op->q, op->arg);
            break;
        case NIC_HOSTILE_REWRITE:
            snprintf(buf, size, "rewrite(q%u, PKT_LEN := %u)", op->q, op->arg);
            break;
        case NIC_HOSTILE_COUNT:
        default:
            snprintf(buf, size, "hostile(q%u, %d)", op->q, (int)op->hostile);
            break;
        }
        break;
    case OP_TX_TWICE:
        snprintf(buf, size, "tx_twice(q%u)", op->q);
        break;
    case OP_FREE_FOREIGN:
        snprintf(buf, size, "free_foreign(buf %u)", op->arg);
        break;
    case OP_STALL:
    case OP_KINDS:
    default:
        snprintf(buf, size, "stall");
        break;
    }
}

static void print_op(pry_out_t *out, const void *value, const void *arg)
{
    (void)arg;
    char buf[96];
    format_op(buf, sizeof buf, value);
    pry_out_printf(out, "%s", buf);
}

ng_ops_t draw_ops(pry_t *p, const char *label, const ng_config_t *cfg, bool hostile)
{
    const struct op_arg a = {cfg, hostile};
    const pry_gen_t gen = {"nic_op", draw_op_value, print_op, &a};
    ng_op_t *v = pry_alloc(p, NG_MAX_OPS * sizeof *v);
    size_t n = 0;
    pry_list_t l = pry_list(p, label, NG_MAX_OPS);
    while (pry_list_more(p, &l))
        v[n++] = *(const ng_op_t *)pry_draw(p, NULL, &gen);
    return (ng_ops_t){v, n};
}
