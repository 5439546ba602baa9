/*
 * shrink_alternatives.c: moving between the branches of a one_of. After
 * Hypothesis's reduce_each_alternative and try_lower_node_as_alternative
 * (internal/conjecture/shrinker.py): a choice that picks an alternative
 * (a weighted choice, a named choice, an index) is set to each other
 * alternative, and what was drawn after it is kept, dropped (the rest
 * minimal), or redrawn at random, a few hundred times from pinned seeds:
 * where a blob follows the choice, and only there (blob_after).
 *
 * The other passes never change what a value means, so they cannot turn
 * one branch's draws into another's: a fuzzer's finding of h2's
 * parse_total is a blob of frame bytes, and the same frame drawn as a raw
 * frame (typed fields, fewer choices) is a different branch whose draws
 * no pass can write from a blob's bytes. Redrawing can: random mode finds
 * such a frame in a few hundred runs, so a few hundred redraws of the
 * branch find one too, and the other passes shrink it from there.
 *
 * Hypothesis only lowers the choice (toward earlier alternatives); here
 * every alternative is tried, lower ones first, because pry's order counts
 * choices first: a later alternative with fewer choices is smaller. Like
 * Hypothesis, it runs once, on the starting point (the redraws are
 * compared with it, so any failing one of fewer choices is kept), not in
 * every round: redraws are expensive and a shrunk sequence rarely has a
 * redraw below it. A failing redraw that is larger than the start is not
 * lost: pry_shrink shrinks it on its own afterwards and keeps the smaller
 * of the two minima.
 */
#include "shrink_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Redraws per alternative, and for the whole pass. A redraw depends only
 * on the choices before it and its seed, so every starting point with the
 * same prefix tries the same redraws: h2's parse_total, from any blob,
 * meets a failing raw frame at redraw 9 (fixed-length) and 115
 * (pad-underflow) of its shape choice. One smaller than the starting
 * point is kept; the first larger one is shrunk on its own after the rest
 * (pry_shrink's detour), so a short blob gets there too. */
#define REDRAWS 300
#define REDRAW_BUDGET 600

/* A choice that picks one of a few alternatives. */
static bool picks_alternative(const pry_choice_t *c)
{
    return (c->kind == PRY_K_WEIGHTED || c->kind == PRY_K_NAMED ||
            c->kind == PRY_K_INDEX) &&
           c->hi >= c->lo && c->hi - c->lo < 16;
}

/* Choice |i| set to |v| and everything after it dropped: with |seed| 0
 * the draws that follow are minimal, else random from |seed|. */
static bool try_branch(pry_shrinker_t *s, size_t i, uint64_t v, uint64_t seed)
{
    pry_choices_t c;
    if (!pry_choices_copy(&c, &s->best))
        return false;
    c.c[i].value = v;
    bool ok = pry_choices_splice(&c, i + 1, c.n - i - 1, NULL, 0);
    s->x->tail_seed = seed;
    ok = ok && pry_shrink_try(s, &c);
    s->x->tail_seed = 0;
    pry_choices_free(&c);
    return ok;
}

/* The pass is for bytes: the other passes reshape typed draws (delete,
 * lift, lower), but never write a blob's bytes as draws. Where no blob
 * follows, a move only sends the greedy passes to another local minimum
 * (the Shrinking Challenge's binheap, seed 1, ends one above its minimum
 * after a redraw; nic's tx-clean-wrap 89 bytes instead of 40 after a
 * step kind changed with the rest kept). */
static bool blob_after(const pry_shrinker_t *s, size_t i)
{
    for (size_t j = i + 1; j < s->best.n; j++)
        if (s->best.c[j].kind == PRY_K_BLOB)
            return true;
    return false;
}

/* A seed for redraw |k| of alternative |v| at choice |i|: the same start
 * always tries the same redraws. */
static uint64_t redraw_seed(size_t i, uint64_t v, unsigned k)
{
    uint64_t x = ((uint64_t)i << 40) ^ (v << 20) ^ k;
    x = (x ^ (x >> 31)) * 0x9e3779b97f4a7c15u;
    return x | 1;
}

bool pry_pass_alternatives(pry_shrinker_t *s)
{
    bool progress = false;
    unsigned budget = REDRAW_BUDGET;
    for (size_t i = 0; i < s->best.n && !s->out_of_time; i++) {
        if (!picks_alternative(&s->best.c[i]) || !blob_after(s, i))
            continue;
        uint64_t now = s->best.c[i].value, lo = s->best.c[i].lo, hi = s->best.c[i].hi;
        for (uint64_t v = lo; v <= hi && !s->out_of_time; v++) {
            if (v == now)
                continue;
            if (pry_shrink_try_value(s, i, v)) {
                progress = true;
                break;
            }
            /* The rest read the same way: lowering values will do. */
            if (!pry_shrink_reshaped(s, s->best.n))
                continue;
            if (try_branch(s, i, v, 0)) {
                progress = true;
                break;
            }
            bool moved = false;
            for (unsigned k = 0; k < REDRAWS && budget > 0 && !s->out_of_time; k++) {
                budget--;
                bool ok = try_branch(s, i, v, redraw_seed(i, v, k));
                /* Failing but larger than the start: keep the first such
                 * for a shrink of its own (pry_shrink's detour). */
                if (!ok && s->last_same && s->detour.n == 0)
                    (void)pry_shrink_last_choices(s, &s->detour);
                if (ok) {
                    pry_choices_free(&s->detour);
                    if (getenv("PRY_SHRINK_DEBUG"))
                        fprintf(stderr, "alternatives: choice %zu = %llu, redraw %u\n", i,
                                (unsigned long long)v, k);
                    moved = true;
                    break;
                }
            }
            if (moved) {
                progress = true;
                break; /* choice i holds v now: on to the next choice */
            }
        }
    }
    return progress;
}
