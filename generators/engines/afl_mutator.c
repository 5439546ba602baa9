/*
 * afl_mutator.c: pry's typed mutator as an AFL++ custom mutator library
 * (AFL++ 4.04c, include/afl-fuzz.h: afl_custom_init, afl_custom_queue_get,
 * afl_custom_fuzz_count, afl_custom_fuzz, afl_custom_describe,
 * afl_custom_deinit). Built per harness as a shared
 * object with the harness's own properties in it (VARIANT=mutator), so it
 * can run the property on a queue entry to read its draw log; afl-fuzz
 * loads it through AFL_CUSTOM_MUTATOR_LIBRARY.
 *
 * AFL++ runs this custom stage and then its own havoc stage on every queue
 * entry (unless AFL_CUSTOM_MUTATOR_ONLY is set): that is the share of the
 * mutations left to the engine, and where blob bytes get AFL++'s byte
 * mutations (this library passes no byte mutator to the core).
 *
 * How many custom executions an entry gets is set here, not left to
 * AFL++. Without afl_custom_fuzz_count, 4.04c's fuzz_one_original
 * (src/afl-fuzz-one.c) gives the custom stage as many executions as its
 * havoc stage (HAVOC_CYCLES * perf_score / 100, doubled on finds), and
 * every one of the up to SPLICE_CYCLES (15) splice cycles that follow
 * jumps back to the custom stage with that count again, where its own
 * splice havoc gets SPLICE_HAVOC (32, include/config.h) per cycle. So the
 * typed stage took about 85 % of an entry's executions and AFL++'s havoc
 * and splicing the rest: measured, 32,767 of 42,876 executions (76 %,
 * calibration, trimming and cmplog included) in 20 s on patch/multi_hunk.
 * AFL++'s own mutations, which the patch plants need (bench/RESULTS-deep.md),
 * got under a quarter of the executions. Now an entry's first custom stage
 * gets HAVOC_CYCLES executions, what AFL++'s havoc gets at the default perf
 * score, and the splice cycles none: they mutate byte-spliced inputs, and
 * the typed stage has its own linked crossover. Measured the same way:
 * 4,096 typed of 50,622 executions.
 */
#include "mutate_internal.h"

#include <stdio.h>
#include <stdlib.h>

void *afl_custom_init(void *afl, unsigned int seed);
unsigned char afl_custom_queue_get(void *data, const unsigned char *filename);
unsigned int afl_custom_fuzz_count(void *data, const unsigned char *buf, size_t buf_size);
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
                       uint8_t *add_buf, size_t add_buf_size, size_t max_size);
const char *afl_custom_describe(void *data, size_t max_description_len);
void afl_custom_deinit(void *data);

/* AFL++ 4.04c's HAVOC_CYCLES (include/config.h): the typed stage's
 * executions on an entry's first custom stage. */
#define TYPED_ROUNDS 256u

typedef struct {
    pry_mutator_t *m;
    uint8_t *out;
    size_t cap;
    bool fresh; /* a queue entry was taken: its first custom stage is next */
    uint64_t stages, splices; /* custom stages run, and splice cycles skipped */
} afl_typed_t;

void *afl_custom_init(void *afl, unsigned int seed)
{
    (void)afl;
    int index = pry_property_from_env();
    if (index == -2)
        return NULL; /* PRY_TEST names no property here: said on stderr */
    afl_typed_t *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->m = pry_mutator_new(index, seed, NULL);
    if (t->m == NULL) {
        free(t);
        return NULL;
    }
    return t;
}

/* Called when fuzz_one takes a queue entry (before its skip checks): 1
 * keeps it. The next custom stage is that entry's first. */
unsigned char afl_custom_queue_get(void *data, const unsigned char *filename)
{
    (void)filename;
    afl_typed_t *t = data;
    t->fresh = true;
    return 1;
}

/* The executions of this custom stage: TYPED_ROUNDS on an entry's first,
 * none on the splice cycles after its havoc stage (see the top). */
unsigned int afl_custom_fuzz_count(void *data, const unsigned char *buf, size_t buf_size)
{
    (void)buf;
    (void)buf_size;
    afl_typed_t *t = data;
    bool first = t->fresh;
    t->fresh = false;
    if (first)
        t->stages++;
    else
        t->splices++;
    return first ? TYPED_ROUNDS : 0;
}

size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
                       uint8_t *add_buf, size_t add_buf_size, size_t max_size)
{
    afl_typed_t *t = data;
    *out_buf = buf; /* never NULL: AFL++ treats that as fatal */
    if (t->cap < max_size) {
        uint8_t *n = realloc(t->out, max_size);
        if (n == NULL)
            return 0;
        t->out = n;
        t->cap = max_size;
    }
    size_t n = pry_mutate(t->m, buf, buf_size, add_buf, add_buf_size, t->out, max_size);
    if (n == 0)
        return 0; /* nothing typed applies: AFL++ skips this round */
    *out_buf = t->out;
    return n;
}

const char *afl_custom_describe(void *data, size_t max_description_len)
{
    (void)max_description_len;
    const afl_typed_t *t = data;
    return pry_mutation_name(pry_mutator_last(t->m));
}

void afl_custom_deinit(void *data)
{
    afl_typed_t *t = data;
    if (t == NULL)
        return;
    if (getenv("PRY_MUTATOR_STATS") != NULL) {
        fprintf(stderr, "pry: typed mutations:");
        for (int i = 1; i < PRY_MUT_COUNT; i++)
            fprintf(stderr, " %s %llu", pry_mutation_name((pry_mutation)i),
                    (unsigned long long)pry_mutator_count(t->m, (pry_mutation)i));
        fprintf(stderr, "; %llu custom stages, %llu splice cycles without one\n",
                (unsigned long long)t->stages, (unsigned long long)t->splices);
    }
    pry_mutator_del(t->m);
    free(t->out);
    free(t);
}
