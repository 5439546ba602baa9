/*
 * model.c: the driver's RX/TX rings against a reference model, with a
 * well-behaved NIC. For any valid configuration and any sequence of
 * deliveries, receives, transmits, completions, clean-ups, allocations,
 * frees and stalls:
 *   - every packet the NIC takes is received exactly once, in order per
 *     queue, with its length and payload; a packet is missed only when the
 *     ring is really full;
 *   - every packet the driver queues is transmitted exactly once, in order,
 *     intact, and its buffer comes back after clean-up;
 *   - every buffer is in exactly one place (free, RX ring, application, TX
 *     in flight), the places the model says (nic_census);
 *   - every call returns what the model predicts, within its bounds, and
 *     every counter matches.
 * The oracle is in nic_ref.c, checked after every step (the machine's
 * invariant) and after a final drain; the commands are in nic_steps.c.
 */
#include "nic_gen.h"

PRY_PROPERTY(model)
{
    nic_ref_t *r = ref_new(p, draw_config(p, "config"));
    pry_steps(p, "steps", &NG_MODEL, r);
    ref_target(r); /* steer the fuzzers towards long traffic */
    ref_drain(r);
}
