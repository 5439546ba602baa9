/*
 * shrink_internal.h: the shrinker's state, shared by its core (shrink.c:
 * the choice sequence, the order, running a candidate) and its passes
 * (shrink_passes.c, shrink_values.c). Internal to the runner.
 *
 * The shrinker works on the typed choice sequence, not on bytes: a
 * candidate is a list of values replayed with PRY_SRC_VALUES, so lowering
 * one value never changes how the values after it are read (a byte width
 * that depends on bounds would), and a value keeps its meaning when the
 * draws before it change shape. The canonical bytes of the best candidate
 * come out of the same run (the choice source encodes what it replays).
 */
#ifndef PRY_SHRINK_INTERNAL_H
#define PRY_SHRINK_INTERNAL_H

#include "runner.h"

/* One choice of the sequence: an integer draw (value within [lo, hi]) or
 * a blob (bytes). |bytes| is owned by the sequence. */
typedef struct {
    uint8_t kind;
    uint8_t flags;
    uint64_t lo, hi, value;
    uint8_t *bytes;
    size_t n_bytes;
} pry_choice_t;

typedef struct {
    pry_choice_t *c;
    size_t n;
} pry_choices_t;

/* How far a choice is from the simplest one: compared as a tuple.
 * Integers: (magnitude from the minimal value, 1 if below zero), so
 * 0 < 1 < -1 < 2 < -2 ...; floats: integers first, then fractions with
 * few binary digits, then infinities, then NaN (shrink_values.c). */
typedef struct {
    uint64_t k[3];
} pry_ckey_t;

typedef struct {
    pry_exec_t *x;
    pry_finding_t *fd;
    pry_choices_t best;     /* the current smallest failing sequence */
    pry_entry_t *entries;   /* the log of |best|'s run */
    uint32_t n_entries;
    uint32_t *first_choice; /* per entry (and one past): its first choice */
    uint64_t *label_id;     /* per entry: a hash of its label, 0 none */
    uint8_t *input;         /* |best|'s canonical bytes */
    size_t len;
    double deadline;
    unsigned steps, tries;
    bool out_of_time;
    bool last_same;         /* the last try failed the same way */
    /* shrink_alternatives.c: a redraw that failed the same way but was
     * not smaller, shrunk on its own after the rest (pry_shrink) */
    pry_choices_t detour;
} pry_shrinker_t;

/* ---- shrink.c ---- */
bool pry_choice_is_int(const pry_choice_t *c);
bool pry_choice_signed(const pry_choice_t *c);
pry_ckey_t pry_choice_key(const pry_choice_t *c);
/* A float or double choice's value. */
double pry_choice_double(const pry_choice_t *c);
int pry_ckey_cmp(pry_ckey_t a, pry_ckey_t b);
/* The minimal value within the choice's bounds (closest to zero). */
uint64_t pry_choice_minimal(const pry_choice_t *c);
/* Copies: the caller frees with pry_choices_free. */
bool pry_choices_copy(pry_choices_t *dst, const pry_choices_t *src);
void pry_choices_free(pry_choices_t *s);
/* Replace choices [at, at + n) by |with| (m choices, copied). */
bool pry_choices_splice(pry_choices_t *s, size_t at, size_t n,
                        const pry_choice_t *with, size_t m);
/* Run |cand|; adopt it if it fails the same way and is smaller. The
 * shrinker's best, entries and first_choice may move: re-read them. */
bool pry_shrink_try(pry_shrinker_t *s, const pry_choices_t *cand);
/* Did the last try's run read its |n| values differently: a value of
 * another kind or out of bounds where it was drawn, or more or fewer
 * draws (Hypothesis's test for a one_of that changed the shape)? */
bool pry_shrink_reshaped(const pry_shrinker_t *s, size_t n);
/* The choices the last try's run drew (to keep a redraw). */
bool pry_shrink_last_choices(const pry_shrinker_t *s, pry_choices_t *out);
/* The same, on a copy of the best with choice |i| set to |v|. */
bool pry_shrink_try_value(pry_shrinker_t *s, size_t i, uint64_t v);
/* The choice span [from, to) of entry |e| (a group or a draw). */
void pry_entry_choices(const pry_shrinker_t *s, uint32_t e, size_t *from,
                       size_t *to);

/* ---- shrink_passes.c: structure (deleting, reordering, lifting) ---- */
bool pry_pass_delete_blocks(pry_shrinker_t *s);
bool pry_pass_delete_elements(pry_shrinker_t *s);
bool pry_pass_delete_and_lower(pry_shrinker_t *s);
bool pry_pass_delete_and_reindex(pry_shrinker_t *s);
bool pry_pass_lift(pry_shrinker_t *s);
bool pry_pass_zero_groups(pry_shrinker_t *s);
bool pry_pass_sort_lists(pry_shrinker_t *s);
bool pry_pass_swap_siblings(pry_shrinker_t *s);
bool pry_pass_shorten_blobs(pry_shrinker_t *s);

/* ---- shrink_values.c: values (integers, floats, pairs of them) ---- */
bool pry_pass_minimise(pry_shrinker_t *s);
bool pry_pass_duplicates(pry_shrinker_t *s);
bool pry_pass_lower_pairs(pry_shrinker_t *s);
bool pry_pass_redistribute(pry_shrinker_t *s);

/* ---- shrink_alternatives.c: between the branches of a one_of ---- */
bool pry_pass_alternatives(pry_shrinker_t *s);

#endif
