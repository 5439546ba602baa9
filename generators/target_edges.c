/*
 * target_edges.c: one basic block per (slot, bucket) of pry_target, so
 * that a target's buckets are coverage the engines already read. Unlike
 * the rest of the kit, the fuzzing builds compile this file with the
 * variant's instrumentation (mk/build.mk; .clusterfuzzlite/build.sh
 * instruments everything): the blocks get AFL++ edge ids (and so a place
 * in the map afl-fuzz sizes from __afl_final_loc) and libFuzzer inline
 * counters, with no engine-specific code here.
 *
 * Each case runs an empty asm with its own constant: LLVM cannot merge or
 * sink such blocks into one (an asm operand cannot become a phi), nor turn
 * the switch into a lookup table, so every case keeps its own block and
 * its own counter. tests/test_runner.sh checks that distinct buckets give
 * distinct coverage under both engines.
 */
#include "pry_internal.h"

#define E1(n) case (n): __asm__ volatile("" ::"i"(n)); break;
#define E4(n) E1(n) E1((n) + 1) E1((n) + 2) E1((n) + 3)
#define E16(n) E4(n) E4((n) + 4) E4((n) + 8) E4((n) + 12)
#define E64(n) E16(n) E16((n) + 16) E16((n) + 32) E16((n) + 48)
#define E256(n) E64(n) E64((n) + 64) E64((n) + 128) E64((n) + 192)

#define E1024(n) E256(n) E256((n) + 256) E256((n) + 512) E256((n) + 768)

/* PRY_TARGET_SLOTS * PRY_TARGET_BUCKETS cases. */
_Static_assert(PRY_TARGET_SLOTS * PRY_TARGET_BUCKETS == 2048, "E1024 x 2 below");

void pry_target_edge(unsigned id)
{
    switch (id) {
        E1024(0) E1024(1024)
    default:
        break;
    }
}
