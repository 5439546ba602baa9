/*
 * nic_gen.c: the configuration generator and its printer. The operations
 * are in nic_ref.c, drawn as commands in nic_steps.c.
 */
#include "nic_gen.h"

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
