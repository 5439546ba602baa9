/*
 * gen_list.c: lists, continued by a "more?" choice before each element.
 * Deleting an element is deleting its "more?" byte and its span, and a
 * zero "more?" (or the end of the input) ends the list: so the empty list
 * is minimal and truncation shrinks.
 */
#include "pry_internal.h"

/* Random mode: the length a list aims for. Mostly short, sometimes empty,
 * sometimes full: bugs like both ends. Not inlined into pry_list(), whose
 * fuzzing path it would make save and restore six registers. */
__attribute__((noinline)) size_t pry_random_length(pry_t *p, size_t max)
{
    if (max == 0)
        return 0;
    uint64_t r = pry_rng_next(p) % 16;
    if (r == 0)
        return 0;
    if (r == 1)
        return max;
    if (r < 6)
        return (size_t)(pry_rng_next(p) % ((uint64_t)max + 1));
    size_t n = 0; /* geometric, mean about 4 */
    while (n < max && pry_rng_next(p) % 5 != 0)
        n++;
    return n;
}

/* Recording or random mode: the list's group, its length to aim for. */
static __attribute__((noinline)) pry_list_t list_full(pry_t *p, const char *label,
                                                      size_t max)
{
    pry_list_t l = {0};
    l.max = max;
    if (p->record) {
        l.group = pry_group_begin_kind(p, PRY_K_LIST, label);
        pry_group_set_max(p, l.group, max);
    }
    l.open = 1;
    if (p->mode == PRY_SRC_RANDOM)
        l.target = pry_random_length(p, max);
    return l;
}

pry_list_t pry_list(pry_t *p, const char *label, size_t max)
{
    /* fast_end is 0 when recording and in random mode (and for an empty
     * input, where list_full() gives the same list): one test for both. */
    if (p->fast_end == 0)
        return list_full(p, label, max);
    return (pry_list_t){.max = max, .open = 1};
}

/* With recording off (fuzzing) every group is 0, and the calls that
 * would close or open one are skipped. */
void pry_list_end(pry_t *p, pry_list_t *l)
{
    if (!l->open)
        return;
    if (l->element != 0)
        pry_group_end(p, l->element);
    if (l->group != 0)
        pry_group_end(p, l->group);
    l->element = 0;
    l->open = 0;
}

/* Recording: each element is a group, closed before the next "more?". */
static __attribute__((noinline)) bool list_more_recorded(pry_t *p, pry_list_t *l)
{
    if (!l->open)
        return false;
    if (l->element != 0)
        pry_group_end(p, l->element);
    l->element = 0;
    if (l->count >= l->max || !pry_draw_more(p, l->count, l->target)) {
        pry_list_end(p, l);
        return false;
    }
    l->count++;
    l->element = pry_group_begin_kind(p, PRY_K_ELEMENT, NULL);
    return true;
}

/* Recording off: no groups (l->group and l->element stay 0), so ending
 * the list is closing it. */
static __attribute__((noinline)) bool list_more_unrecorded(pry_t *p, pry_list_t *l)
{
    if (p->record)
        return list_more_recorded(p, l);
    if (!l->open)
        return false;
    if (l->count >= l->max || !pry_draw_more(p, l->count, l->target)) {
        l->open = 0;
        return false;
    }
    l->count++;
    return true;
}

bool pry_list_more(pry_t *p, pry_list_t *l)
{
    /* Fuzzing, the "more?" byte inside the input: pry_draw_more() inline,
     * and no frame. Everything else, recording included (fast_end is 0
     * then, as in random mode), goes to list_more_unrecorded(), which
     * hands recording on to list_more_recorded(). */
    uint64_t more;
    if (!l->open || l->count >= l->max || !pry_draw_int_fast(p, 0, 1, false, &more))
        return list_more_unrecorded(p, l);
    if (more == 0) {
        l->open = 0;
        return false;
    }
    l->count++;
    return true;
}

void **pry_array(pry_t *p, const char *label, const pry_gen_t *elem,
                 size_t max, size_t *n)
{
    size_t cap = max < 16 ? max : 16;
    void **items = pry_alloc(p, (cap ? cap : 1) * sizeof *items);
    pry_list_t l = pry_list(p, label, max);
    while (pry_list_more(p, &l)) {
        if (l.count > cap) {
            void **bigger = pry_alloc(p, 2 * cap * sizeof *items);
            for (size_t i = 0; i < cap; i++)
                bigger[i] = items[i];
            items = bigger;
            cap *= 2;
        }
        items[l.count - 1] = pry_draw(p, NULL, elem);
    }
    *n = l.count;
    return items;
}
