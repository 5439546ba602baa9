/*
 * run.c: one run of one property, and the fuzz-mode input layout.
 */
#include "pry_internal.h"

#include <stdio.h>
#include <stdlib.h>

pry_run_status pry_run_one(pry_t *p, int index)
{
    const pry_property_t *prop = pry_property_at((size_t)index);
    p->escape = &p->run_escape;
    if (p->log != NULL)
        p->log->property = index;
    if (setjmp(p->run_escape) == 0) {
        prop->fn(p);
        if (p->log != NULL)
            p->log->status = PRY_RUN_PASS;
    }
    p->escape = NULL;
    pry_source_end_run(p);
    pry_arena_reset(p);
    pry_run_status st = p->log != NULL ? (pry_run_status)p->log->status
                                       : PRY_RUN_PASS;
    if (p->log != NULL) {
        switch (st) {
        case PRY_RUN_PASS: p->log->n_pass++; break;
        case PRY_RUN_DISCARD: p->log->n_discard++; break;
        case PRY_RUN_OVERRUN: p->log->n_overrun++; break;
        default: break;
        }
        if (p->log->ran_out)
            p->log->n_ranout++;
    }
    return st;
}

int pry_select_property(const uint8_t **data, size_t *len, int fixed)
{
    size_t n = pry_property_count();
    if (fixed >= 0)
        return fixed;
    if (n <= 1 || *len == 0)
        return 0;
    /* Several properties and none chosen: the first byte chooses, so one
     * campaign spreads over all of them (and a crash file says which). */
    int index = (int)((*data)[0] % n);
    (*data)++;
    (*len)--;
    return index;
}

int pry_property_from_env(void)
{
    pry_registry_sort();
    const char *name = getenv("PRY_TEST");
    if (name == NULL || name[0] == '\0')
        return pry_property_count() > 1 ? -1 : 0;
    int index = pry_property_find(name);
    if (index < 0)
        fprintf(stderr, "pry: PRY_TEST=%s: no such property here\n", name);
    return index < 0 ? -2 : index;
}
