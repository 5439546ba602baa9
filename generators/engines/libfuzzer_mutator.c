/*
 * libfuzzer_mutator.c: pry's typed mutator as libFuzzer's custom mutator
 * and custom crossover (compiler-rt/lib/fuzzer/FuzzerInterface.h, clang
 * 14). Linked into the libFuzzer build of a harness only for
 * `./pry fuzz --engine libfuzzer --mutator typed` (VARIANT=libfuzzer-typed):
 * defining LLVMFuzzerCustomMutator replaces libFuzzer's own mutation
 * list, so the bytes build must not have it.
 *
 * A quarter of the mutations, and every input no typed pass applies to,
 * go to libFuzzer's own mutations through LLVMFuzzerMutate; blob bytes do
 * too (the core's byte mutator).
 */
#include "mutate_internal.h"

#include <stdlib.h>

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
                                 size_t size2, uint8_t *out, size_t max_out_size,
                                 unsigned int seed);

static pry_mutator_t *typed;
static uint64_t havoc_rng;

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
    if ((havoc_rng >> 62) != 0) { /* three in four: typed */
        /* the core reads from its parsed copy, so out may be data */
        size_t n = pry_mutate(m, data, size, NULL, 0, data, max_size);
        if (n > 0)
            return n;
    }
    return LLVMFuzzerMutate(data, size, max_size);
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
                                 size_t size2, uint8_t *out, size_t max_out_size,
                                 unsigned int seed)
{
    pry_mutator_t *m = mutator(seed);
    return pry_crossover(m, data1, size1, data2, size2, out, max_out_size);
}
