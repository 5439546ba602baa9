/*
 * flows.c: RX flow steering against a reference model. For any valid
 * configuration and any sequence of filter adds (new keys and updates),
 * deletes, deliveries by flow, receives and frees:
 *   - every add, delete and lookup returns what a plain list of the
 *     filters says, and the rule count (nic_flow_count) is its length;
 *   - the device steers every frame by the filters programmed: a frame of
 *     a key with a filter reaches that filter's queue, any other queue 0,
 *     and a deleted filter steers nothing;
 *   - and everything `model` states of the rings, for the frames so
 *     steered (each is received once, in order, intact, on its queue).
 * The oracle is flow_ref.c beside nic_ref.c, checked after every step; the
 * commands are in flow_steps.c.
 */
#include "nic_gen.h"

PRY_PROPERTY(flows)
{
    nic_ref_t *r = ref_new(p, draw_config(p, "config"));
    pry_steps(p, "steps", &NG_FLOWS, r);
    ref_drain(r);
}
