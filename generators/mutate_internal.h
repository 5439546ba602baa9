/*
 * mutate_internal.h: the typed mutator's core, shared by the AFL++ custom
 * mutator (engines/afl_mutator.c), libFuzzer's custom mutator and
 * crossover (engines/libfuzzer_mutator.c) and tests/test_mutate.c.
 *
 * An input is a choice sequence. The core runs the property on it once in
 * record mode, in this process (pry_run_one with recording on), and keeps
 * the draw log: every draw's kind, bounds, value, label and byte span, and
 * every group's span (lists, their elements, strings, typed values). A
 * mutation then works at that grain and writes bytes the property decodes
 * into the intended values (docs/choice-source.md):
 *   - redraw one value within its bounds: a bound, a neighbour, a small
 *     value, a value another draw of the same label took, or any value;
 *   - delete, duplicate or move a list element, or insert one taken from
 *     another input's list of the same label;
 *   - replace a group by a shorter group of the same label (from this or
 *     another input), or lift a nested group of the same label into it;
 *   - exchange the spans of two draws with the same label and kind, one
 *     from each input (linked crossover, as Zeugma does);
 *   - hand a blob's bytes to the engine's byte mutator and fix its length.
 * Each pass is one small function over spans, named for what it does.
 *
 * Not installed. Nothing here is thread-safe: one mutator per thread.
 */
#ifndef PRY_MUTATE_INTERNAL_H
#define PRY_MUTATE_INTERNAL_H

#include "pry_internal.h"

/* One entry of a parsed input: a draw or a group (pry_entry_t, with the
 * label hashed so entries of two inputs compare without their pools). */
typedef struct {
    uint8_t kind;
    uint8_t flags;
    uint16_t depth;
    uint32_t label;  /* FNV-1a of the label text, 0 when unlabelled */
    uint32_t start;  /* byte span [start, start + len) */
    uint32_t len;
    uint32_t end;    /* groups: one past the last entry inside */
    uint64_t lo, hi, value;
} pry_mdraw_t;

/* A parsed input: its bytes (extended with the zeros the run read past
 * the end, so every span lies inside) and its draws. Owned by the
 * mutator's cache; valid until the next parse. */
typedef struct {
    uint64_t hash;    /* of the input as given */
    uint8_t *data;
    size_t len;
    pry_mdraw_t *d;
    uint32_t n;
    int status;       /* pry_run_status of the recording run */
} pry_parsed_t;

/* The engine's own byte mutation, for blob bytes: mutate |size| bytes at
 * |data| in place (room for |max|), return the new size. libFuzzer's
 * LLVMFuzzerMutate has exactly this shape. */
typedef size_t (*pry_byte_mutator_fn)(uint8_t *data, size_t size, size_t max);

typedef struct pry_mutator pry_mutator_t;

/* Which mutation the last call made (for statistics and tests). */
typedef enum {
    PRY_MUT_NONE = 0,
    PRY_MUT_REDRAW,
    PRY_MUT_LIST_DELETE,
    PRY_MUT_LIST_DUPLICATE,
    PRY_MUT_LIST_MOVE,
    PRY_MUT_LIST_INSERT,  /* an element of the other input */
    PRY_MUT_SMALLER,      /* a shorter group of the same label */
    PRY_MUT_LIFT,         /* a nested group of the same label */
    PRY_MUT_CROSSOVER,    /* the span of the other input's draw, same label */
    PRY_MUT_BLOB,
    PRY_MUT_LIST_REPEAT,  /* a run of elements repeated after itself */
    PRY_MUT_COUNT
} pry_mutation;

const char *pry_mutation_name(pry_mutation m);

/* A mutator for property |index| of this binary's registry, its random
 * choices seeded by |seed|. |bytes| (may be NULL) mutates blob bytes; with
 * NULL, blobs are left to the engine's own havoc. Returns NULL when out of
 * memory. Free with pry_mutator_del. */
pry_mutator_t *pry_mutator_new(int index, uint64_t seed, pry_byte_mutator_fn bytes);
void pry_mutator_del(pry_mutator_t *m);

/* The draw log of |data|: the property run on it in record mode, or the
 * cached log of the same bytes (the last CACHE_N parsed or adopted). The result belongs to the mutator and
 * stays valid until |slot| is parsed again (slot 0: the input being
 * mutated, slot 1: the other input). NULL when out of memory. */
const pry_parsed_t *pry_mutator_parse(pry_mutator_t *m, int slot, const uint8_t *data,
                                      size_t len);

/* The log of a run the engine just made on |data| (|skip| leading bytes
 * chose the property), recorded as pry_mutator_parse records (record and
 * lean on), taken into the cache so that mutating |data| next needs no
 * recording run of its own. libFuzzer mutates what it just ran, up to
 * five times in a row, and every corpus entry is run when it is added. */
void pry_mutator_adopt(pry_mutator_t *m, const uint8_t *data, size_t len, size_t skip,
                       const pry_log_t *log, int status);

/* One typed mutation of |in| (with |other|, another corpus entry, or
 * NULL, for insertions and crossover) into |out| (room for |max| bytes).
 * Returns the new size; 0 when no typed mutation applies (the caller then
 * leaves it to the engine). Deterministic for a given seed and call
 * sequence. */
size_t pry_mutate(pry_mutator_t *m, const uint8_t *in, size_t len, const uint8_t *other,
                  size_t other_len, uint8_t *out, size_t max);

/* One given pass (for tests): 0 if it does not apply to |in|. */
size_t pry_mutate_pass(pry_mutator_t *m, pry_mutation op, const uint8_t *in, size_t len,
                       const uint8_t *other, size_t other_len, uint8_t *out, size_t max);

/* Linked crossover only: spans of |b| replace draws of |a| with the same
 * label and kind. Returns the size written to |out|, 0 if none applies. */
size_t pry_crossover(pry_mutator_t *m, const uint8_t *a, size_t a_len, const uint8_t *b,
                     size_t b_len, uint8_t *out, size_t max);

/* What the last pry_mutate or pry_crossover did, and how often each
 * mutation has been made so far. */
pry_mutation pry_mutator_last(const pry_mutator_t *m);
uint64_t pry_mutator_count(const pry_mutator_t *m, pry_mutation which);

/* ---- sharing the mutations between pry's passes and the engine's ----
 *
 * Which source mutates next, typed passes or the engine's own byte
 * mutations, is learned from which of the two has lately found new
 * coverage per try (an adaptive share, as MOpt schedules AFL's operators:
 * Lyu et al., USENIX Security 2019). The patch plants need byte-level
 * copies of repeated lines, the h2 plants typed list edits
 * (bench/RESULTS-deep.md): no fixed share suits both. */
enum { PRY_ARM_TYPED, PRY_ARM_BYTES, PRY_ARMS };

typedef struct {
    double tries[PRY_ARMS], wins[PRY_ARMS];
} pry_share_t;

/* The probability that the next mutation is typed: each source's rate of
 * new coverage per try (with a prior of PRY_SHARE_PRIOR tries at the
 * starting share), normalised, kept within [PRY_SHARE_MIN, 1 -
 * PRY_SHARE_MIN] so neither source starves and can come back. */
#define PRY_SHARE_MIN 0.125
double pry_share_typed(const pry_share_t *s);

/* One try of |arm|, which found new coverage or not. Counts are halved
 * past PRY_SHARE_WINDOW tries of an arm, so the share follows the rates
 * of the campaign's recent past, not its start. */
#define PRY_SHARE_WINDOW 2048.0
void pry_share_record(pry_share_t *s, int arm, bool found);

#endif /* PRY_MUTATE_INTERNAL_H */
