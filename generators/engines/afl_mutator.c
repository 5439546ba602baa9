/*
 * afl_mutator.c: pry's typed mutator as an AFL++ custom mutator library
 * (AFL++ 4.04c, include/afl-fuzz.h: afl_custom_init, afl_custom_fuzz,
 * afl_custom_describe, afl_custom_deinit). Built per harness as a shared
 * object with the harness's own properties in it (VARIANT=mutator), so it
 * can run the property on a queue entry to read its draw log; afl-fuzz
 * loads it through AFL_CUSTOM_MUTATOR_LIBRARY.
 *
 * AFL++ runs this custom stage and then its own havoc stage on every queue
 * entry (unless AFL_CUSTOM_MUTATOR_ONLY is set): that is the share of the
 * mutations left to the engine, and where blob bytes get AFL++'s byte
 * mutations (this library passes no byte mutator to the core).
 */
#include "mutate_internal.h"

#include <stdio.h>
#include <stdlib.h>

void *afl_custom_init(void *afl, unsigned int seed);
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
                       uint8_t *add_buf, size_t add_buf_size, size_t max_size);
const char *afl_custom_describe(void *data, size_t max_description_len);
void afl_custom_deinit(void *data);

typedef struct {
    pry_mutator_t *m;
    uint8_t *out;
    size_t cap;
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
        fprintf(stderr, "\n");
    }
    pry_mutator_del(t->m);
    free(t->out);
    free(t);
}
