/*
 * nic_steps.c: the reference model's operations (nic_ref.c) as the
 * commands of a stateful property (pry.h §13). Each command draws the
 * arguments of the nic_ref.c function it is named after, in its order, and
 * calls it; so a failure prints as those calls, and its C form
 * (`ref_deliver(r, 0, 7, 1);`) runs as is on a nic_ref_t *r.
 */
#include "nic_gen.h"

/* Traffic first: deliveries and receives keep the rings moving, and
 * enough completions and clean-ups keep buffers coming home. */
enum { W_CHECK = 1, W_DELIVER = 6, W_RX = 5, W_TX = 4, W_COMPLETE = 4, W_SMALL = 2 };

void ng_cmd_check(pry_t *p, void *v)
{
    (void)p;
    ref_check(v); /* nobody does anything; the checks still run */
}

static void deliver(pry_t *p, void *v)
{
    const ng_config_t *cfg = ref_config(v);
    uint32_t q = (uint32_t)pry_index(p, "q", cfg->nic.num_rx_queues);
    /* up to one more than the ring holds: a full ring drops (MPC) */
    uint32_t n = (uint32_t)pry_range_u(p, "n", 1, cfg->nic.rx_entries + 1);
    uint32_t len = (uint32_t)pry_range_u(p, "len", 1, NIC_BUF_DATA);
    ref_deliver(v, q, n, len);
}

void ng_cmd_rx_batch(pry_t *p, void *v)
{
    const ng_config_t *cfg = ref_config(v);
    uint32_t q = (uint32_t)pry_index(p, "q", cfg->nic.num_rx_queues);
    uint32_t n = (uint32_t)pry_range_u(p, "n", 0, cfg->rx_burst);
    pry_step_result(p, "%u", ref_rx_batch(v, q, n));
}

static void tx_batch(pry_t *p, void *v)
{
    const ng_config_t *cfg = ref_config(v);
    uint32_t q = (uint32_t)pry_index(p, "q", cfg->nic.num_tx_queues);
    uint32_t n = (uint32_t)pry_range_u(p, "n", 0, cfg->tx_burst);
    pry_step_result(p, "%u", ref_tx_batch(v, q, n));
}

static void complete(pry_t *p, void *v)
{
    const ng_config_t *cfg = ref_config(v);
    uint32_t q = (uint32_t)pry_index(p, "q", cfg->nic.num_tx_queues);
    uint32_t n = (uint32_t)pry_range_u(p, "max", 0, cfg->nic.tx_entries);
    pry_step_result(p, "%u", ref_complete(v, q, n));
}

static void clean(pry_t *p, void *v)
{
    uint32_t q = (uint32_t)pry_index(p, "q", ref_config(v)->nic.num_tx_queues);
    pry_step_result(p, "%u", ref_clean(v, q));
}

/* The app allocates and frees a batch at a time, up to its batch limit,
 * as ixy's apps do (ixy-pktgen allocates BATCH_SIZE buffers per round and
 * transmits them; ixy-fwd frees what it received but could not send). */
static void alloc(pry_t *p, void *v)
{
    uint32_t n = (uint32_t)pry_range_u(p, "n", 1, ref_config(v)->tx_burst);
    ref_alloc(v, n, (uint32_t)pry_range_u(p, "len", 1, NIC_BUF_DATA));
}

void ng_cmd_free(pry_t *p, void *v)
{
    ref_free(v, (uint32_t)pry_range_u(p, "n", 1, ref_config(v)->rx_burst));
}

/* Device misbehaviour, by nic_sim_hostile's enum (named so the C form
 * compiles), with its argument in the range that matters for each. */
static void hostile(pry_t *p, void *v)
{
    static const char *const names[NIC_HOSTILE_COUNT] = {
        "NIC_HOSTILE_STRAY_DD", "NIC_HOSTILE_OVERSIZE", "NIC_HOSTILE_NO_EOP",
        "NIC_HOSTILE_BAD_ADDR", "NIC_HOSTILE_REWRITE",
    };
    uint32_t q = (uint32_t)pry_index(p, "q", ref_config(v)->nic.num_rx_queues);
    enum nic_hostile what =
        (enum nic_hostile)pry_choice_named(p, "what", NIC_HOSTILE_COUNT, names);
    uint32_t arg = 0;
    switch (what) {
    case NIC_HOSTILE_OVERSIZE: /* PKT_LEN = 2049 + excess, up to 65535 */
        arg = (uint32_t)pry_range_u(p, "excess", 0, 0xffff);
        break;
    case NIC_HOSTILE_NO_EOP:
        arg = (uint32_t)pry_range_u(p, "len", 1, NIC_BUF_DATA);
        break;
    case NIC_HOSTILE_BAD_ADDR: /* the address is arena end + past_end */
        arg = (uint32_t)pry_range_u(p, "past_end", 0, 1u << 20);
        break;
    case NIC_HOSTILE_REWRITE: /* any 16-bit PKT_LEN, good or bad */
        arg = (uint32_t)pry_range_u(p, "pkt_len", 0, 0xffff);
        break;
    case NIC_HOSTILE_STRAY_DD:
    case NIC_HOSTILE_COUNT:
    default:
        arg = (uint32_t)pry_range_u(p, "unused", 0, 0); /* the C call has 4 arguments */
        break;
    }
    ref_hostile(v, q, what, arg);
}

static bool holds_a_buffer(const void *v)
{
    return ref_held(v) > 0;
}

/* The app queues its oldest buffer twice in one batch. */
static void tx_twice(pry_t *p, void *v)
{
    ref_tx_twice(v, (uint32_t)pry_index(p, "q", ref_config(v)->nic.num_tx_queues));
}

/* The app frees a buffer it does not hold (skipped if it does). */
static void free_foreign(pry_t *p, void *v)
{
    ref_free_foreign(v, (uint32_t)pry_index(p, "buf", ref_config(v)->nic.num_bufs));
}

/* The model's commands first: NG_MODEL is their prefix. */
static const pry_command_t COMMANDS[] = {
    {"ref_check", ng_cmd_check, NULL, W_CHECK},
    {"ref_deliver", deliver, NULL, W_DELIVER},
    {"ref_rx_batch", ng_cmd_rx_batch, NULL, W_RX},
    {"ref_tx_batch", tx_batch, NULL, W_TX},
    {"ref_complete", complete, NULL, W_COMPLETE},
    {"ref_clean", clean, NULL, W_SMALL},
    {"ref_alloc", alloc, NULL, W_SMALL},
    {"ref_free", ng_cmd_free, NULL, W_SMALL},
    {"ref_hostile", hostile, NULL, 5},
    {"ref_tx_twice", tx_twice, holds_a_buffer, 1},
    {"ref_free_foreign", free_foreign, NULL, 1},
};

static void agrees_with_model(pry_t *p, const void *v)
{
    (void)p;
    ref_check(v);
}

static const pry_invariant_t INVARIANTS[] = {{"agrees_with_model", agrees_with_model}};

const pry_machine_t NG_MODEL = {COMMANDS, 8, NG_MAX_STEPS, INVARIANTS, 1, "r"};
const pry_machine_t NG_HOSTILE = {COMMANDS, sizeof COMMANDS / sizeof COMMANDS[0],
                                  NG_MAX_STEPS, INVARIANTS, 1, "r"};
