/*
 * group.c: groups gather draws into one printed value and one span, and
 * typed generators (pry_draw, pry_oneof, pry_recursive) are built on them.
 */
#include "pry_internal.h"

#include <string.h>

static uint32_t group_begin_kind(pry_t *p, uint8_t kind, const char *label)
{
    if (!p->record) /* fuzzing: no log, no groups (pry_entry_push's 0) */
        return 0;
    uint32_t g = pry_entry_push(p, kind, label);
    if (g == 0)
        return 0;
    if (p->depth >= PRY_MAX_NESTING) {
        /* Too deep to track: record it flat, close it never. */
        return 0;
    }
    p->log->entries[g - 1].flags |= PRY_F_OPEN;
    p->open[p->depth++] = g - 1;
    return g;
}

uint32_t pry_group_begin(pry_t *p, const char *label)
{
    return group_begin_kind(p, PRY_K_GROUP, label);
}

uint32_t pry_group_begin_kind(pry_t *p, uint8_t kind, const char *label)
{
    return group_begin_kind(p, kind, label);
}

void pry_group_set_max(pry_t *p, uint32_t g, uint64_t max)
{
    if (g != 0)
        p->log->entries[g - 1].hi = max;
}

void pry_group_end(pry_t *p, uint32_t g)
{
    if (g == 0 || p->log == NULL)
        return;
    uint32_t idx = g - 1;
    /* Find it on the stack; closing it closes anything opened after it. */
    unsigned at = p->depth;
    while (at > 0 && p->open[at - 1] != idx)
        at--;
    if (at == 0)
        return; /* already closed */
    while (p->depth >= at) {
        pry_entry_t *e = &p->log->entries[p->open[p->depth - 1]];
        e->end = p->log->n_entries;
        e->len = (uint32_t)(p->pos - e->start);
        e->flags &= (uint8_t)~PRY_F_OPEN;
        p->depth--;
        if (p->depth == 0)
            break;
    }
}

static void set_text(pry_t *p, uint32_t g, const pry_gen_t *gen,
                     const void *value)
{
    if (g == 0 || gen->print == NULL || value == NULL || p->lean)
        return;
    pry_out_t out;
    pry_out_init(&out);
    gen->print(&out, value, gen->arg);
    if (out.buf != NULL)
        p->log->entries[g - 1].text = pry_pool_add(p, out.buf, out.len);
    pry_out_free(&out);
}

void *pry_draw(pry_t *p, const char *label, const pry_gen_t *gen)
{
    uint32_t g = group_begin_kind(p, PRY_K_GROUP, label);
    void *v = gen->draw(p, gen->arg);
    set_text(p, g, gen, v);
    pry_group_end(p, g);
    return v;
}

void *pry_oneof(pry_t *p, const char *label, size_t n,
                const pry_gen_t *const gens[])
{
    uint32_t g = group_begin_kind(p, PRY_K_GROUP, label);
    size_t i = (size_t)pry_draw_int(p, PRY_K_INDEX, NULL, 0, n - 1, false);
    if (p->last_entry != 0 && gens[i]->name != NULL)
        p->log->entries[p->last_entry - 1].text =
            pry_pool_add(p, gens[i]->name, strlen(gens[i]->name));
    void *v = gens[i]->draw(p, gens[i]->arg);
    set_text(p, g, gens[i], v);
    pry_group_end(p, g);
    return v;
}

void *pry_recursive(pry_t *p, const char *label, const pry_gen_t *leaf,
                    const pry_gen_t *node, unsigned max_depth)
{
    uint32_t g = group_begin_kind(p, PRY_K_GROUP, label);
    /* Past the budget only leaves: that is what makes generation stop.
     * The choice is drawn anyway (as 0) so the byte layout of a leaf does
     * not depend on the depth it sits at. */
    bool at_limit = p->rec_depth >= max_depth;
    uint64_t c = pry_draw_int(p, PRY_K_INDEX, NULL, 0, 1, false);
    const pry_gen_t *gen = (c == 1 && !at_limit) ? node : leaf;
    if (p->last_entry != 0 && gen->name != NULL)
        p->log->entries[p->last_entry - 1].text =
            pry_pool_add(p, gen->name, strlen(gen->name));
    p->rec_depth++;
    void *v = gen->draw(p, gen->arg);
    p->rec_depth--;
    set_text(p, g, gen, v);
    pry_group_end(p, g);
    return v;
}
