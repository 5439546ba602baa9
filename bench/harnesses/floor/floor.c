/*
 * floor: the cheapest properties there are, to measure what pry itself
 * costs per execution (bench/floor.sh compares them with a bare
 * LLVMFuzzerTestOneInput, bench/baseline/bare.c, in the same run).
 */
#include "pry.h"

/* Nothing at all: the kit's fixed cost per run. */
PRY_PROPERTY(empty)
{
    (void)p;
}

/* One draw and one check: the smallest real property. The check never
 * fails (a square is 0 or 1 mod 4), so no engine stops early. */
PRY_PROPERTY(one_draw)
{
    uint32_t x = pry_u32(p, "x");
    pry_check(p, (uint32_t)(x * x) != 3u);
}
