/*
 * pry.h: property-based fuzzing for C. The one public header.
 *
 * ======================================================================
 *  1. A property
 * ======================================================================
 *
 * A property is a function that draws typed values from a choice source
 * and checks something about the code under test:
 *
 *     #include "pry.h"
 *
 *     PRY_PROPERTY(decode_inverts_encode)
 *     {
 *         pry_bytes_t s = pry_bytes(p, "s", 64);           // draw ...
 *         size_t n;
 *         uint8_t *back = my_decode(my_encode(s.data, s.len, &n), n, &n);
 *         pry_check_eq_mem(p, back, n, s.data, s.len);     // ... and check
 *     }
 *
 * Inside the body, `p` is the choice source (a `pry_t *`). Every draw takes
 * a label (or NULL); a failing run prints each labelled draw typed:
 *
 *     s = "ab\n" (3 bytes)
 *
 * The same property runs under AFL++ and libFuzzer (the fuzzer's bytes are
 * the choices), in random mode (a seeded PRNG makes the choices), and from a
 * saved counterexample (the recorded values are the choices).
 *
 * ======================================================================
 *  2. The choice-source contract (every generator keeps it)
 * ======================================================================
 *
 * - Every byte string is a valid input. Reads past its end give zeros.
 * - All-zero choices give the minimal value of every generator: 0 (or the
 *   value of the range closest to 0), false, the empty string or list, the
 *   first alternative. So truncating or zeroing input always shrinks.
 * - Integers are read fixed-width little-endian, so AFL++'s cmplog and
 *   libFuzzer's value profile can solve comparisons through them.
 * - Lists and strings continue by a "more?" choice before each element, so
 *   deleting an element is deleting a span of bytes.
 * - Every draw is recorded (kind, bounds, value, byte span, label): that
 *   record is what is printed, shrunk and saved.
 *
 * ======================================================================
 *  3. Memory
 * ======================================================================
 *
 * Everything a generator returns lives in the per-run arena and is freed
 * after the run: never free() it. Use pry_alloc() for your own temporary
 * memory in a property or generator. Strings are NUL-terminated.
 */
#ifndef PRY_H
#define PRY_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PRY_VERSION "0.1.0"

/* The choice source handed to every property and generator. Opaque. */
typedef struct pry pry_t;

/* A byte string in the arena. |data| is NUL-terminated (data[len] == 0) so
 * it can be used as a C string when it holds no NUL bytes. */
typedef struct {
    uint8_t *data;
    size_t len;
} pry_bytes_t;

/* ======================================================================
 *  4. Properties
 * ====================================================================== */

typedef void (*pry_property_fn)(pry_t *p);

/* Define and register a property called |name| (letters, digits, '_').
 * The harness (the folder under harnesses/) supplies the binary; one binary
 * may hold several properties, selected by name at run time. */
#define PRY_PROPERTY(name)                                                     \
    static void pry_property_##name(pry_t *p);                                 \
    __attribute__((constructor)) static void pry_register_##name(void)         \
    {                                                                          \
        pry_register(#name, pry_property_##name, __FILE__, __LINE__);          \
    }                                                                          \
    static void pry_property_##name(pry_t *p)

/* Called by PRY_PROPERTY before main(); not usually called directly. */
void pry_register(const char *name, pry_property_fn fn, const char *file,
                  int line);

/* An explicit input for a property, tried first by every random-mode run
 * (and so by `make test`): the paste-ready regression that `./pry repro`
 * prints for a failure. |bytes| is a string literal of choice bytes.
 *
 *     PRY_EXAMPLE(small_numbers, "\xe8\x03");
 */
#define PRY_EXAMPLE(property, bytes)                                           \
    PRY_EXAMPLE_AT_(property, bytes, __LINE__)
#define PRY_EXAMPLE_AT_(property, bytes, line) PRY_EXAMPLE_AT2_(property, bytes, line)
#define PRY_EXAMPLE_AT2_(property, bytes, line)                                \
    __attribute__((constructor)) static void pry_example_##property##_##line(void) \
    {                                                                          \
        pry_register_example(#property, bytes, sizeof(bytes) - 1);             \
    }
void pry_register_example(const char *property, const char *bytes, size_t len);

/* ======================================================================
 *  5. Primitive generators
 * ======================================================================
 *
 * |label| may be NULL (the draw is then printed only as part of an
 * enclosing labelled value). The label string is copied.
 */

bool pry_bool(pry_t *p, const char *label);

uint8_t pry_u8(pry_t *p, const char *label);
uint16_t pry_u16(pry_t *p, const char *label);
uint32_t pry_u32(pry_t *p, const char *label);
uint64_t pry_u64(pry_t *p, const char *label);
int8_t pry_i8(pry_t *p, const char *label);
int16_t pry_i16(pry_t *p, const char *label);
int32_t pry_i32(pry_t *p, const char *label);
int64_t pry_i64(pry_t *p, const char *label);

/* An integer in [lo, hi] (lo <= hi, else the bounds are swapped). The
 * minimal value is the one closest to zero. Random mode gives the bounds,
 * zero and small values extra weight. */
uint64_t pry_range_u(pry_t *p, const char *label, uint64_t lo, uint64_t hi);
int64_t pry_range_i(pry_t *p, const char *label, int64_t lo, int64_t hi);

/* A size in [0, max], and an index in [0, n - 1] (n >= 1). */
size_t pry_size(pry_t *p, const char *label, size_t max);
size_t pry_index(pry_t *p, const char *label, size_t n);

/* Floating point, every bit pattern reachable: NaNs, infinities, signed
 * zeros and subnormals included. Minimal: +0.0. */
float pry_float(pry_t *p, const char *label);
double pry_double(pry_t *p, const char *label);

/* ======================================================================
 *  6. Strings and byte strings
 * ====================================================================== */

/* Any bytes, at most |max_len|, one "more?" choice per byte. */
pry_bytes_t pry_bytes(pry_t *p, const char *label, size_t max_len);

/* Raw bytes taken contiguously from the input after a length: the form
 * fuzzers handle best (dictionary tokens and cmplog values land whole).
 * Use for "arbitrary input to a parser". */
pry_bytes_t pry_blob(pry_t *p, const char *label, size_t max_len);

/* A string over |alphabet| (NULL: printable ASCII, PRY_PRINTABLE), at
 * most |max_len| characters. The minimal character is alphabet[0]. */
#define PRY_PRINTABLE                                                          \
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 "          \
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
char *pry_string(pry_t *p, const char *label, size_t max_len,
                 const char *alphabet);

/* Line-structured text: up to |max_lines| lines of up to |max_line_len|
 * characters over |alphabet| (NULL: PRY_PRINTABLE), each ended by '\n',
 * except that the last line may lack its newline (a drawn choice; the
 * minimal text has it). No lines gives the empty text. */
pry_bytes_t pry_lines(pry_t *p, const char *label, size_t max_lines,
                      size_t max_line_len, const char *alphabet);

/* ======================================================================
 *  7. Choices
 * ====================================================================== */

/* One of |n| alternatives (n >= 1), as an index; the first is minimal. */
size_t pry_choice(pry_t *p, const char *label, size_t n);

/* The same, printed by name: |names| has |n| entries. */
size_t pry_choice_named(pry_t *p, const char *label, size_t n,
                        const char *const names[]);

/* An index chosen with probability proportional to |weights[i]| in random
 * mode (a fuzzer may pick any index with a non-zero weight). The first
 * index with a non-zero weight is minimal. At least one weight is > 0. */
size_t pry_weighted(pry_t *p, const char *label, size_t n,
                    const unsigned weights[]);

/* A uniformly random permutation of 0..n-1 written to |out|; all-zero
 * choices give the identity. */
void pry_permutation(pry_t *p, const char *label, size_t *out, size_t n);

/* ======================================================================
 *  8. Typed generators: values of your own types
 * ====================================================================== */

/* Printing into a growing text buffer (used by printers and reports). */
typedef struct pry_out pry_out_t;
void pry_out_printf(pry_out_t *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append |len| bytes as a C string literal, escaped ("a\n\x01"). */
void pry_out_quoted(pry_out_t *out, const void *data, size_t len);

/* A reusable generator for a type T: |draw| returns a pointer to a T in
 * the arena, |print| prints one (optional: without it the value prints as
 * the structure of its labelled draws, {x = 1, y = 2}). |arg| is passed to
 * both. */
typedef struct pry_gen {
    const char *name;
    void *(*draw)(pry_t *p, const void *arg);
    void (*print)(pry_out_t *out, const void *value, const void *arg);
    const void *arg;
} pry_gen_t;

/* Draw a T under |label|; a failure prints `label = <T printed>`. */
void *pry_draw(pry_t *p, const char *label, const pry_gen_t *gen);

/* Draw from one of |n| generators (the first is minimal). */
void *pry_oneof(pry_t *p, const char *label, size_t n,
                const pry_gen_t *const gens[]);

/* Recursive structures with a size budget, so generation terminates:
 * draws |node| with children, or |leaf|. |node|'s draw function calls
 * pry_recursive again for each child; past |max_depth| levels only |leaf|
 * is drawn. The minimal value is a leaf. See tests/test_recursive.c for an
 * expression tree. */
void *pry_recursive(pry_t *p, const char *label, const pry_gen_t *leaf,
                    const pry_gen_t *node, unsigned max_depth);

/* ======================================================================
 *  9. Lists
 * ======================================================================
 *
 *     int32_t xs[16]; size_t n = 0;
 *     pry_list_t l = pry_list(p, "xs", 16);
 *     while (pry_list_more(p, &l))
 *         xs[n++] = pry_i32(p, NULL);
 *
 * prints `xs = [3, -1, 7]`. Each element is preceded by a "more?" choice;
 * every element's draws form one span, so shrinking deletes whole
 * elements. pry_list_more() closes the list when it returns false; if you
 * leave the loop early (break), call pry_list_end().
 */
typedef struct {
    size_t count;  /* elements drawn so far */
    size_t max;
    size_t target; /* random mode: the length it aims for */
    uint32_t group;
    uint32_t element;
    int open;
} pry_list_t;

pry_list_t pry_list(pry_t *p, const char *label, size_t max);
bool pry_list_more(pry_t *p, pry_list_t *list);
void pry_list_end(pry_t *p, pry_list_t *list);

/* An array of up to |max| values of |elem|, as pointers; *n gets the
 * count. The array and the values live in the arena. */
void **pry_array(pry_t *p, const char *label, const pry_gen_t *elem,
                 size_t max, size_t *n);

/* ======================================================================
 * 10. Checks, assumptions, notes
 * ======================================================================
 *
 * A failed check ends the run at once: in fuzz mode with abort() (what the
 * engines catch), otherwise with a report. Messages are printf formats and
 * must be string literals.
 */

/* The message is optional: " " __VA_ARGS__ glues a leading space to the
 * format (so an absent message is a valid, non-empty format), and
 * pry_fail_at drops that space. */
#define pry_check(p, cond, ...)                                                \
    ((cond) ? (void)0                                                          \
            : pry_fail_at(p, __FILE__, __LINE__, #cond, " " __VA_ARGS__))

#define pry_fail(p, ...) pry_fail_at(p, __FILE__, __LINE__, NULL, " " __VA_ARGS__)

/* Discard this input: not a failure, not a pass. Too many discards make
 * the property unhealthy (an error in random mode). */
#define pry_assume(p, cond)                                                    \
    ((cond) ? (void)0 : pry_discard_at(p, __FILE__, __LINE__, #cond))

/* Equality checks that show both sides when they differ. */
#define pry_check_eq_int(p, a, b)                                              \
    pry_check_eq_int_at(p, __FILE__, __LINE__, #a, #b, (intmax_t)(a),          \
                        (intmax_t)(b))
#define pry_check_eq_uint(p, a, b)                                             \
    pry_check_eq_uint_at(p, __FILE__, __LINE__, #a, #b, (uintmax_t)(a),        \
                         (uintmax_t)(b))
#define pry_check_eq_str(p, a, b)                                              \
    pry_check_eq_str_at(p, __FILE__, __LINE__, #a, #b, (a), (b))
#define pry_check_eq_mem(p, a, alen, b, blen)                                  \
    pry_check_eq_mem_at(p, __FILE__, __LINE__, #a, #b, (a), (alen), (b), (blen))

/* Recorded with the run, printed only if it fails. */
void pry_note(pry_t *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Targeted property-based testing: |value| is a number this run reached
 * that the search should push upward (a queue's traffic, a ring's fill, a
 * table's size), under |label| (NULL is a label too). Called several times
 * with one label, the highest value of the run counts.
 *
 *     pry_steps(p, "steps", &machine, &s);
 *     pry_target(p, "packets through one queue", s.max_packets);
 *
 * Why: a bug that needs state built over many steps (a counter wrapping
 * at 256) is out of reach of random choice and of coverage alike once the
 * code's edges are all covered and its loop counts are past AFL++'s last
 * hit-count class (128). A target gives the fuzzer a gradient: under
 * AFL++ and libFuzzer every new bucket of (label, value) is new coverage
 * (exact up to 7, then 8 buckets per power of two: 128, 144, 160, ...,
 * 240, 256 are each new), so the engine keeps the inputs that raise it and
 * mutates them further. After Hypothesis's hypothesis.target() and
 * Löscher and Sagonas, "Targeted property-based testing" (ISSTA 2017);
 * IJON's IJON_MAX (Aschermann et al., S&P 2020) does this for AFL with a
 * map of its own.
 *
 * - Only a run that passes earns the credit: a run pry_assume rejects
 *   earns none (validity feedback).
 * - Random mode, replay and shrinking ignore targets: the call does
 *   nothing, draws nothing, and the same seed gives the same runs.
 *   (Hypothesis also hill-climbs towards a target in random generation;
 *   pry leaves the climbing to the coverage-guided engines.)
 * - Values below 0 count as 0, values from 2^32 on share the top bucket.
 * - At most 8 labels per run count; more are ignored.
 * Write the number the property naturally has (packets, occupancy,
 * depth), not the trigger of one bug. docs/targeting.md has more. */
void pry_target(pry_t *p, const char *label, int64_t value);

/* The functions behind the macros above. */
_Noreturn void pry_fail_at(pry_t *p, const char *file, int line,
                           const char *expr, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
_Noreturn void pry_discard_at(pry_t *p, const char *file, int line,
                              const char *expr);
void pry_check_eq_int_at(pry_t *p, const char *file, int line, const char *ea,
                         const char *eb, intmax_t a, intmax_t b);
void pry_check_eq_uint_at(pry_t *p, const char *file, int line,
                          const char *ea, const char *eb, uintmax_t a,
                          uintmax_t b);
void pry_check_eq_str_at(pry_t *p, const char *file, int line, const char *ea,
                         const char *eb, const char *a, const char *b);
void pry_check_eq_mem_at(pry_t *p, const char *file, int line, const char *ea,
                         const char *eb, const void *a, size_t alen,
                         const void *b, size_t blen);

/* ======================================================================
 * 11. The arena
 * ====================================================================== */

/* |size| zeroed bytes, aligned for any type, freed after the run. Never
 * returns NULL (an exhausted heap fails the run with a clear message). */
void *pry_alloc(pry_t *p, size_t size);
char *pry_strdup(pry_t *p, const char *s);
char *pry_sprintf(pry_t *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Call fn(arg) when the run ends, passed or failed (newest first): for
 * what a property holds outside the arena (malloc'd memory, a file, a
 * device), which a failed check would otherwise leak, since it ends the
 * run at once. |fn| must not draw nor check. */
void pry_defer(pry_t *p, void (*fn)(void *arg), void *arg);

/* ======================================================================
 * 12. Low-level: groups
 * ======================================================================
 *
 * A group gathers the draws between begin and end into one value in the
 * report (and one span for shrinking). pry_draw() and pry_list() use them;
 * you rarely need them directly.
 */
uint32_t pry_group_begin(pry_t *p, const char *label);
void pry_group_end(pry_t *p, uint32_t group);

/* ======================================================================
 * 13. Stateful properties: commands, a model, invariants
 * ======================================================================
 *
 * For code with state (a queue, a cache, a connection, a driver): pry draws
 * a sequence of commands, runs each on the system under test and on your
 * model of it, and checks that they agree (after Hypothesis's
 * RuleBasedStateMachine, QuickCheck's state machines and
 * proptest-state-machine).
 *
 *     static void put(pry_t *p, void *v)              // a command: draws its
 *     {                                               // arguments, runs them on
 *         state_t *s = v;                             // the system and on the
 *         int x = (int)pry_range_i(p, "x", 0, 9);     // model, checks the result
 *         bq_put(&s->q, x);
 *         s->model[s->n++] = x;
 *     }
 *     static bool not_full(const void *v) { ... }     // its precondition
 *
 *     static const pry_command_t commands[] = {
 *         {"bq_put", put, not_full, 0}, {"bq_size", size, NULL, 0}, ...};
 *     static const pry_machine_t machine = {
 *         .commands = commands, .n_commands = 3, .max_steps = 20, .subject = "&q"};
 *
 *     PRY_PROPERTY(bounded_queue)
 *     {
 *         state_t s = {.q.cap = (unsigned)pry_range_u(p, "capacity", 1, 8)};
 *         pry_steps(p, "steps", &machine, &s);
 *     }
 *
 * (the whole example: tests/harnesses/queue/queue.c, quoted in README.md).
 *
 * The sequence is a pry list: a "more?" choice per step, then the choice
 * of command, then the command's own draws. So it fuzzes, records, shrinks
 * and prints like any other draw: deleting a step is deleting a span, and
 * arguments shrink as the draws they are.
 *
 * Preconditions never discard. The command is drawn among all of them (the
 * first is minimal) with each disabled one's weight set to 0, and a drawn
 * value that names a disabled command moves on to the next enabled one (as
 * pry_weighted does). So every input is a valid sequence, and a step keeps
 * its command when shrinking deletes an earlier step or lowers a setting.
 * The sequence ends early when no command is enabled. Order the commands
 * with that in mind: a cheap observer (a size, a read) listed right after
 * the commands that change state is what a step becomes when shrinking
 * makes them impossible, which often keeps the failure.
 *
 * A failure prints the steps numbered, with the values each command drew,
 * and what pry_step_result() said it returned:
 *
 *     steps:
 *       1. bq_put(x = 0)
 *       2. bq_size() -> 0
 *
 * and, beside the PRY_EXAMPLE line, as C calls in order, |subject| first:
 *
 *     bq_put(&q, 0);
 *     bq_size(&q); // -> 0
 *
 * Name each command after the C function it exercises, drawing that
 * function's arguments in order, and the C form calls your code as is
 * (integers print as literals, strings quoted, named choices as their
 * names: name them after C constants); otherwise it is a readable sketch.
 */

/* A command. |run| draws its arguments with pry's generators (labelled or
 * not), performs the command on the system under test and on the model in
 * |state|, and checks the outcome (the postcondition). |pre| says whether
 * it may run in |state| (NULL: always). |weight| is its relative frequency
 * in random mode (0 counts as 1). */
typedef struct {
    const char *name;
    void (*run)(pry_t *p, void *state);
    bool (*pre)(const void *state);
    unsigned weight;
} pry_command_t;

/* An invariant, checked after set-up and after every step. */
typedef struct {
    const char *name;
    void (*check)(pry_t *p, const void *state);
} pry_invariant_t;

/* The machine: its commands (at most PRY_MAX_COMMANDS), the most steps a
 * sequence has, the invariants, and the C expression the regression
 * passes first to every call (NULL: none). All of it may be static const:
 * pry_steps() does not change it. What |state| holds outside the arena is
 * released with pry_defer() (§11), which runs even after a failed check. */
#define PRY_MAX_COMMANDS 64
typedef struct {
    const pry_command_t *commands;
    size_t n_commands;
    size_t max_steps;
    const pry_invariant_t *invariants;
    size_t n_invariants;
    const char *subject;
} pry_machine_t;

/* Draw and run a sequence of commands of |m| on |state| under |label|.
 * A failed check inside a command or an invariant ends the run as usual,
 * and the notes say at which step, and which invariant. */
void pry_steps(pry_t *p, const char *label, const pry_machine_t *m, void *state);

/* Inside a command's run: what the call returned, printed after the call
 * (`pop() -> 3`). Optional. */
void pry_step_result(pry_t *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif
#endif /* PRY_H */
