/*
 * libfuzzer_mutator.c: pry's typed mutator as libFuzzer's custom mutator
 * and custom crossover (compiler-rt/lib/fuzzer/FuzzerInterface.h, clang
 * 14). Linked into the libFuzzer build of a harness only for
 * `./pry fuzz --engine libfuzzer --mutator typed` (VARIANT=libfuzzer-typed):
 * defining LLVMFuzzerCustomMutator replaces libFuzzer's own mutation
 * list, so the bytes build must not have it.
 *
 * Each mutation is either typed (the core's passes) or libFuzzer's own
 * (LLVMFuzzerMutate), as is every input no typed pass applies to; blob
 * bytes get libFuzzer's byte mutations inside the typed passes too (the
 * core's byte mutator). The share of typed mutations starts at three in
 * four and follows which of the two has lately found new coverage per
 * execution (pry_share_typed, mutate_internal.h). New coverage is read
 * here as libFuzzer reads it: after each run, from the inline 8-bit
 * counters, a counter's value in one of libFuzzer's eight buckets
 * (1, 2, 3, 4-7, 8-15, 16-31, 32-127, 128+: FuzzerTracePC.h
 * CounterToFeature) not seen before is a new feature. libFuzzer does not
 * tell a custom mutator which of its outputs it kept.
 */
#include "mutate_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
                                 size_t size2, uint8_t *out, size_t max_out_size,
                                 unsigned int seed);
/* called by fuzz_entry.c, weakly referenced */
void pry_fuzz_after_run(const uint8_t *data, size_t size, size_t skip, const pry_log_t *log,
                        int status);

static pry_mutator_t *typed;
static uint64_t havoc_rng;
static pry_share_t share;
static int pending = -1; /* the source of the input libFuzzer runs next */

/* The counters' section (as fuzz_entry.c), and per counter the buckets
 * seen so far, one bit each. */
extern uint8_t __start___sancov_cntrs[] __attribute__((weak));
extern uint8_t __stop___sancov_cntrs[] __attribute__((weak));
static uint8_t *seen;
static size_t n_counters;

static unsigned bucket(uint8_t c) /* libFuzzer's CounterToFeature */
{
    return c >= 128 ? 7 : c >= 32 ? 6 : c >= 16 ? 5 : c >= 8 ? 4 : c >= 4 ? 3 : c - 1u;
}

/* Marks counter k's bucket; true if no run reached it before. */
static inline bool mark(const uint8_t *c, size_t k)
{
    uint8_t bit = (uint8_t)(1u << bucket(c[k]));
    if (seen[k] & bit)
        return false;
    seen[k] |= bit;
    return true;
}

/* Whether the run that just ended reached a counter bucket no run before
 * it did; marks what it reached. Skips zero words: most counters are 0. */
static bool new_coverage(void)
{
    if (seen == NULL) {
        uint8_t *lo = __start___sancov_cntrs, *hi = __stop___sancov_cntrs;
        if (lo == NULL || hi <= lo || (seen = calloc((size_t)(hi - lo), 1)) == NULL)
            return false;
        n_counters = (size_t)(hi - lo);
    }
    const uint8_t *c = __start___sancov_cntrs;
    bool found = false;
    for (size_t i = 0; i < n_counters;) {
        uint64_t w;
        if (i + 8 <= n_counters && (memcpy(&w, c + i, 8), w == 0)) {
            i += 8;
            continue;
        }
        if (c[i] != 0 && mark(c, i))
            found = true;
        i++;
    }
    return found;
}

/* Called by fuzz_entry.c after every run (its coverage already emptied if
 * pry_assume rejected the input: a rejected run finds nothing). Every run
 * marks what it reached, the seed corpus's included, so a mutation is
 * credited only with what is new. The run's draw log goes to the
 * mutator's cache: libFuzzer's next mutation is usually of this input
 * (a chain of up to -mutate_depth=5 mutations, each run in turn), and a
 * new corpus entry is mutated later. */
void pry_fuzz_after_run(const uint8_t *data, size_t size, size_t skip, const pry_log_t *log,
                        int status)
{
    if (typed != NULL)
        pry_mutator_adopt(typed, data, size, skip, log, status);
    bool found = new_coverage();
    if (pending >= 0)
        pry_share_record(&share, pending, found);
    pending = -1;
}

static pry_mutator_t *mutator(unsigned int seed)
{
    if (typed == NULL) {
        int index = pry_property_from_env();
        if (index == -2)
            abort(); /* PRY_TEST names no property here: said on stderr */
        typed = pry_mutator_new(index, seed, LLVMFuzzerMutate);
        havoc_rng = seed;
        if (typed == NULL)
            abort();
    }
    return typed;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    pry_mutator_t *m = mutator(seed);
    havoc_rng = havoc_rng * 6364136223846793005u + 1442695040888963407u;
    double u = (double)(havoc_rng >> 11) * 0x1.0p-53; /* uniform in [0, 1) */
    if (u < pry_share_typed(&share)) {
        /* the core reads from its parsed copy, so out may be data */
        size_t n = pry_mutate(m, data, size, NULL, 0, data, max_size);
        if (n > 0) {
            pending = PRY_ARM_TYPED;
            return n;
        }
    }
    pending = PRY_ARM_BYTES;
    return LLVMFuzzerMutate(data, size, max_size);
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
                                 size_t size2, uint8_t *out, size_t max_out_size,
                                 unsigned int seed)
{
    pry_mutator_t *m = mutator(seed);
    size_t n = pry_crossover(m, data1, size1, data2, size2, out, max_out_size);
    pending = n > 0 ? PRY_ARM_TYPED : -1;
    return n;
}

/* PRY_MUTATOR_STATS=1: the share reached, on stderr at exit. */
__attribute__((destructor)) static void share_stats(void)
{
    if (getenv("PRY_MUTATOR_STATS") == NULL || typed == NULL)
        return;
    fprintf(stderr, "pry: typed share %.3f (typed %.0f/%.0f, libFuzzer %.0f/%.0f new/tries, "
                    "recent window)\n", pry_share_typed(&share), share.wins[PRY_ARM_TYPED],
            share.tries[PRY_ARM_TYPED], share.wins[PRY_ARM_BYTES], share.tries[PRY_ARM_BYTES]);
}
