/*
 * targettest: one property whose only coverage that depends on the input
 * is pry_target's, for tests/test_runner.sh to read through the engines
 * (libFuzzer's feature count, afl-showmap's tuples). Not a shipped
 * harness. Input: v (u16, little-endian), then "reject?" (a byte, odd:
 * pry_assume rejects the run).
 */
#include "pry.h"

PRY_PROPERTY(targeted)
{
    uint16_t v = pry_u16(p, "v");
    pry_target(p, "v", v);
    pry_assume(p, !pry_bool(p, "reject"));
}
