/*
 * hostile.c: the model property with a NIC that misbehaves between the
 * well-behaved traffic: DD forged on the descriptor the driver holds back,
 * PKT_LEN larger than the buffer, a packet without EOP, a descriptor
 * address corrupted to point past the arena (a DMA fault, written back
 * with RXE), and PKT_LEN rewritten after write-back but before the driver
 * read it; and an application that queues one buffer twice in a batch or
 * frees a buffer it does not hold. Then:
 *   - the driver never crashes nor touches memory out of bounds (run the
 *     asan build: the DMA arena is malloc'd at its exact size);
 *   - conservation, order and payloads still hold for the good packets;
 *   - every bad descriptor is dropped, re-armed with the driver's own
 *     buffer, and counted in the statistics under its reason
 *     (rx_bad_length, rx_no_eop, rx_errors, rx_stray_dd), exactly;
 *   - the misused buffer is refused (tx_bad_buf, bad_free) and stays where
 *     it was (nic_census).
 * A rewrite to a length within the buffer is a good packet of that length
 * whose payload is known only up to the shorter of the two lengths.
 */
#include "nic_gen.h"

PRY_PROPERTY(hostile)
{
    nic_ref_t *r = ref_new(p, draw_config(p, "config"));
    pry_steps(p, "steps", &NG_HOSTILE, r);
    ref_target(r); /* steer the fuzzers towards long traffic */
    ref_drain(r);
}
