/*
 * target.c: targeted property-based testing (pry_target, pry.h §10). The
 * property reports a number it wants the search to push upward; under a
 * fuzzer, each new bucket of (label, value) is new coverage, so the engine
 * keeps the inputs that raise it. Elsewhere (random mode, replay,
 * shrinking, the typed mutator's own runs) nothing is recorded and the
 * call returns at once: p->target_edge is set by fuzz_entry.c only.
 *
 * Why buckets and not the value itself: the engines keep an input for a
 * coverage feature they have not seen, so a target must be a finite set
 * of features; log-linear buckets (exact up to 7, then 8 per power of
 * two) make every step of 128 -> 144 -> 160 -> ... -> 256 new, where
 * AFL++'s hit-count classes (the only thing a loop's length changes)
 * stop at 128. 8 rather than 4 per power of two: on nic, AFL++ climbed
 * by single mutations that each added a few dozen packets, and a
 * coarser step leaves more of them unrewarded (bench/RESULTS-deep.md).
 *
 * Why the credit is given when the run ends (pry_target_end_run, in
 * run.c), not at the call: a run that pry_assume rejects (or that
 * overruns) then earns none, whatever the engine does with its map
 * (validity feedback, docs/mutator.md).
 */
#include "pry_internal.h"

/* pry_target's blocks (target_edges.c) are linked into a program only
 * through this reference, so only where pry_target is: every other
 * harness would carry 2,048 blocks it never reaches, which libFuzzer scans
 * and clears after every run and AFL++ counts into its map's size (on
 * bench/harnesses/floor, a tenth of libFuzzer's time per run). The fuzz
 * entry refers to them weakly. pry_target_end_run(), which every run
 * reaches, is in run.c for the same reason. */
static void (*const pry_target_edges_linked)(unsigned) __attribute__((used)) = pry_target_edge;

unsigned pry_target_bucket(int64_t value)
{
    if (value < 8)
        return value < 0 ? 0u : (unsigned)value;
    uint64_t v = (uint64_t)value;
    if (v >= (UINT64_C(1) << 32)) /* beyond 2^32: the top bucket */
        v = (UINT64_C(1) << 32) - 1;
    unsigned e = 63u - (unsigned)__builtin_clzll(v); /* 3 <= e <= 31 */
    return 8u * (e - 2u) + (unsigned)((v >> (e - 3u)) & 7u);
}

/* A label's slot: its FNV-1a hash modulo PRY_TARGET_SLOTS, or the next
 * free one if another label of this run holds that (linear probing), so
 * up to PRY_TARGET_SLOTS labels count apart. The hash, not the order in
 * which labels are first seen by the process: that differs between the
 * engines' forked children, and one input must always give the same
 * coverage. Past PRY_TARGET_SLOTS labels in one run, the rest are
 * ignored. */
static int label_slot(pry_t *p, const char *label)
{
    uint32_t h = 2166136261u;
    for (const char *s = label ? label : ""; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    h |= 1u; /* 0 marks a free slot */
    for (unsigned i = 0; i < PRY_TARGET_SLOTS; i++) {
        unsigned s = (h + i) % PRY_TARGET_SLOTS;
        if (p->target_label[s] == 0)
            p->target_label[s] = h;
        if (p->target_label[s] == h)
            return (int)s;
    }
    return -1;
}

void pry_target(pry_t *p, const char *label, int64_t value)
{
    if (p->target_edge == NULL)
        return;
    p->target_seen = true;
    int slot = label_slot(p, label);
    unsigned b = pry_target_bucket(value) + 1u;
    if (slot >= 0 && b > p->target_best[slot]) /* 0: no value yet */
        p->target_best[slot] = (uint8_t)b;
}
