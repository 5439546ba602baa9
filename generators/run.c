/*
 * run.c: one run of one property, and the fuzz-mode input layout.
 */
#include "pry_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pry_run_status pry_run_one(pry_t *p, int index)
{
    pry_property_fn fn = pry_property_at((size_t)index)->fn;
    pry_log_t *log = p->log;
    p->escape = &p->run_escape;
    if (log != NULL)
        log->property = index;
    if (setjmp(p->run_escape) == 0) {
        fn(p);
        if (log != NULL)
            log->status = PRY_RUN_PASS;
    }
    return pry_run_finish(p, log);
}

/* pry_source_begin_run(PRY_SRC_BYTES) inline, then what pry_run_one()
 * does, in one frame (the fuzz entry has its own copy of this, in its
 * own frame). p->log must not be NULL. */
pry_run_status pry_run_bytes(pry_t *p, int index, const uint8_t *in, size_t len)
{
    pry_property_fn fn = pry_property_at((size_t)index)->fn;
    pry_log_t *log = p->log;
    if (log == NULL)
        __builtin_unreachable();
    log->property = index;
    pry_begin_run_inline(p, PRY_SRC_BYTES, in, len);
    p->escape = &p->run_escape;
    if (setjmp(p->run_escape) == 0) {
        fn(p);
        log->status = PRY_RUN_PASS;
    }
    return pry_run_finish(p, log);
}

/* pry_target's end of a run (target.c says why the credit comes here):
 * a passed run's highest bucket per label goes to p->target_edge. Here,
 * not in target.c, so that a harness that never calls pry_target does not
 * link target.c and with it pry_target's instrumented blocks. */
void pry_target_end_run(pry_t *p, pry_run_status status)
{
    /* Most properties never call pry_target: then no slot was touched,
     * and every run would pay for a look at all of them. */
    if (p->target_edge == NULL || !p->target_seen)
        return;
    p->target_seen = false;
    for (unsigned s = 0; s < PRY_TARGET_SLOTS; s++)
        if (p->target_best[s] != 0 && status == PRY_RUN_PASS)
            p->target_edge(s * PRY_TARGET_BUCKETS + p->target_best[s] - 1u);
    memset(p->target_best, 0, sizeof p->target_best);
    memset(p->target_label, 0, sizeof p->target_label);
}

/* PRY_SKIP=a,b: properties the first byte never chooses (./pry sets it
 * to a harness's expected failures when the whole harness is fuzzed). The
 * byte still counts as a selector whenever the harness has several
 * properties, so a file's layout never depends on the skip list. */
static bool skipped(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *s = list; s != NULL && *s; s = strchr(s, ',') ? strchr(s, ',') + 1 : NULL)
        if (strncmp(s, name, n) == 0 && (s[n] == ',' || s[n] == '\0'))
            return true;
    return false;
}

static size_t active_properties(const int **out)
{
    static int *active;
    static size_t n_active;
    static bool ready;
    if (!ready) {
        ready = true;
        size_t n = pry_property_count();
        const char *skip = getenv("PRY_SKIP");
        active = malloc((n ? n : 1) * sizeof *active);
        for (size_t i = 0; active != NULL && i < n; i++)
            if (skip == NULL || !skipped(skip, pry_property_at(i)->name))
                active[n_active++] = (int)i;
        if (active != NULL && n_active == 0) /* nothing left: skip nothing */
            for (size_t i = 0; i < n; i++)
                active[n_active++] = (int)i;
    }
    *out = active;
    return active != NULL ? n_active : 0;
}

int pry_select_property(const uint8_t **data, size_t *len, int fixed)
{
    if (fixed >= 0) /* PRY_TEST: every run, first */
        return fixed;
    size_t n = pry_property_count();
    if (n <= 1)
        return 0;
    /* Several properties and none chosen: the first byte chooses, so one
     * campaign spreads over all of them (and a crash file says which). */
    const int *active;
    size_t n_active = active_properties(&active);
    if (*len == 0)
        return n_active > 0 ? active[0] : 0;
    int index = n_active > 0 ? active[(*data)[0] % n_active] : (int)((*data)[0] % n);
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
