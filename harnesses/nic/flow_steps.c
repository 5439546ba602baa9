/*
 * flow_steps.c: the commands of the `flows` property (NG_FLOWS): flow
 * filters added and deleted, frames delivered by flow, and the app's
 * receives and frees so that buffers come home. Each command is named
 * after the flow_ref.c / nic_ref.c function it calls and draws that
 * function's arguments in order, so a failure's C form
 * (`ref_flow_add(r, 167772161, 80, 1);`) runs as is.
 *
 * A key is a destination address and port drawn over their whole ranges,
 * as a user's `ethtool -N` rules are: 48 bits, so a run repeats a key
 * only when the fuzzer makes it (cmplog sees the model's and the
 * driver's key comparisons; the typed mutator copies a step).
 */
#include "nic_gen.h"

/* Filters often, traffic enough to see where it lands, receives and
 * frees enough that a delivery is not always missed. */
enum { W_CHECK = 1, W_ADD = 5, W_DEL = 4, W_DELIVER = 4, W_RX = 3, W_FREE = 2 };

static uint32_t draw_ip(pry_t *p)
{
    return (uint32_t)pry_range_u(p, "dst_ip", 0, UINT32_MAX);
}

static uint32_t draw_port(pry_t *p)
{
    return (uint32_t)pry_range_u(p, "dst_port", 0, UINT16_MAX);
}

static void flow_add(pry_t *p, void *v)
{
    uint32_t ip = draw_ip(p), port = draw_port(p);
    uint32_t q = (uint32_t)pry_index(p, "q", ref_config(v)->nic.num_rx_queues);
    pry_step_result(p, "%d", ref_flow_add(v, ip, port, q));
}

static void flow_del(pry_t *p, void *v)
{
    uint32_t ip = draw_ip(p), port = draw_port(p);
    pry_step_result(p, "%d", ref_flow_del(v, ip, port));
}

static void flow_deliver(pry_t *p, void *v)
{
    const ng_config_t *cfg = ref_config(v);
    uint32_t ip = draw_ip(p), port = draw_port(p);
    /* up to one more than a ring holds: a full ring drops (MPC) */
    uint32_t n = (uint32_t)pry_range_u(p, "n", 1, cfg->nic.rx_entries + 1);
    uint32_t len = (uint32_t)pry_range_u(p, "len", 1, NIC_BUF_DATA);
    ref_flow_deliver(v, ip, port, n, len);
}

static const pry_command_t COMMANDS[] = {
    {"ref_check", ng_cmd_check, NULL, W_CHECK},
    {"ref_flow_add", flow_add, NULL, W_ADD},
    {"ref_flow_del", flow_del, NULL, W_DEL},
    {"ref_flow_deliver", flow_deliver, NULL, W_DELIVER},
    {"ref_rx_batch", ng_cmd_rx_batch, NULL, W_RX},
    {"ref_free", ng_cmd_free, NULL, W_FREE},
};

static void agrees_with_model(pry_t *p, const void *v)
{
    (void)p;
    ref_check(v);
    ref_flow_check(v);
}

static const pry_invariant_t INVARIANTS[] = {{"agrees_with_model", agrees_with_model}};

const pry_machine_t NG_FLOWS = {COMMANDS, sizeof COMMANDS / sizeof COMMANDS[0], NG_MAX_STEPS,
                                INVARIANTS, 1, "r"};
