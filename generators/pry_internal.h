/*
 * pry_internal.h: the choice source's insides, shared by the library's
 * modules. Not installed; users include pry.h only.
 */
#ifndef PRY_INTERNAL_H
#define PRY_INTERNAL_H

#include "pry.h"

#include <setjmp.h>
#include <stdio.h>

/* The steps of a run that every run takes and the fuzz entry inlines:
 * pry_begin_run_inline(), pry_run_finish(), pry_arena_end_run(). The fuzz
 * entry's LLVMFuzzerTestOneInput is compiled without ASan and UBSan
 * (fuzz_entry.c says why); fuzz_entry.c defines PRY_FUZZ_ENTRY before it
 * includes this header, so that these steps, inlined there, lose UBSan's
 * checks as well (clang emits those into the inline function's own body,
 * before inlining; ASan's come after inlining, from the caller's
 * attributes). Everywhere else they are checked like the rest of the kit. */
#if !defined(__has_attribute)
#define PRY_RUN_STEP static inline
#elif defined(PRY_FUZZ_ENTRY) && __has_attribute(no_sanitize)
#define PRY_RUN_STEP static inline __attribute__((always_inline, no_sanitize("undefined")))
#else
#define PRY_RUN_STEP static inline __attribute__((always_inline))
#endif

/* ---------------------------------------------------------------------
 * Kinds of recorded entries. Values are part of the record format
 * (docs/record-format.md): append only, never renumber.
 * ------------------------------------------------------------------ */
typedef enum {
    PRY_K_NONE = 0,
    /* primitive draws: an integer choice over [lo, hi] */
    PRY_K_BOOL = 1,
    PRY_K_UINT = 2,   /* pry_u8..u64, pry_range_u, pry_size */
    PRY_K_INT = 3,    /* pry_i8..i64, pry_range_i (value two's complement) */
    PRY_K_INDEX = 4,  /* pry_index, pry_choice */
    PRY_K_NAMED = 5,  /* pry_choice_named: value indexes names */
    PRY_K_WEIGHTED = 6,
    PRY_K_MORE = 7,   /* list continuation: 0 stop, 1 more */
    PRY_K_BYTE = 8,   /* one byte of pry_bytes */
    PRY_K_CHAR = 9,   /* one character of pry_string / pry_lines */
    PRY_K_FLOAT = 10, /* bits of a float in value */
    PRY_K_DOUBLE = 11,
    PRY_K_LEN = 12,   /* the length prefix of a blob */
    PRY_K_BLOB = 13,  /* raw bytes: the span holds them */
    PRY_K_NEWLINE = 14, /* pry_lines: 1 = final newline missing */
    /* groups: structure, no value of their own */
    PRY_K_GROUP = 32, /* pry_group_begin / pry_draw */
    PRY_K_LIST = 33,
    PRY_K_ELEMENT = 34,
    PRY_K_STRING = 35, /* pry_string, pry_bytes: printed as a literal */
    PRY_K_TEXT = 36,   /* pry_lines */
} pry_kind;

#define PRY_KIND_IS_GROUP(k) ((k) >= PRY_K_GROUP)

/* Entry flags. */
#define PRY_F_SIGNED 0x01  /* lo, hi, value are two's complement int64 */
#define PRY_F_ADAPTED 0x02 /* replay clamped or converted the recorded value */
#define PRY_F_OPEN 0x04    /* group not yet closed */
#define PRY_F_BYTES 0x08   /* pry_bytes group (print with length) */
#define PRY_F_STEPS 0x10   /* pry_steps list (print as numbered calls) */

/* One recorded draw or group. Offsets, not pointers: the log may live in
 * memory shared with a parent process that reads it after a crash. */
typedef struct {
    uint8_t kind;
    uint8_t flags;
    uint16_t depth;
    uint32_t label; /* offset in the string pool, 0 = none */
    uint32_t start; /* byte span in the input: [start, start + len) */
    uint32_t len;
    uint32_t end;   /* groups: index one past the last entry inside */
    uint32_t text;  /* printed value (typed groups with a printer), 0 none */
    uint64_t lo, hi, value;
} pry_entry_t;

/* Outcomes of one run. */
typedef enum {
    PRY_RUN_PASS = 0,
    PRY_RUN_FAIL = 1,     /* a check failed */
    PRY_RUN_DISCARD = 2,  /* pry_assume */
    PRY_RUN_OVERRUN = 3,  /* too many draws or too much input: discarded */
    PRY_RUN_CRASH = 4,    /* signal or sanitizer (set by the parent) */
    PRY_RUN_TIMEOUT = 5,  /* set by the parent */
    PRY_RUN_STARTED = 6,  /* running, or died without saying */
} pry_run_status;

#define PRY_MAX_INPUT (1u << 20)
#define PRY_MAX_ENTRIES (1u << 16)
#define PRY_POOL_SIZE (1u << 22)
#define PRY_MAX_NESTING 64

/* Everything a run records. Lives in one block that the fork-isolated
 * runners map MAP_SHARED, so a parent reads what a crashed child wrote. */
typedef struct {
    /* run state */
    volatile uint64_t runs_started; /* heartbeat for hang detection */
    volatile uint64_t n_pass, n_discard, n_overrun, n_ranout; /* totals */
    volatile uint64_t failing_run;  /* random mode: which run failed */
    volatile int32_t status;        /* pry_run_status */
    int32_t property;               /* index in the registry */
    /* failure */
    int32_t fail_line;
    uint32_t fail_file;    /* pool offsets */
    uint32_t fail_expr;
    uint32_t fail_message;
    uint32_t notes;        /* pool offset of the notes text, "\n"-separated */
    uint32_t notes_len;
    /* input */
    uint32_t input_len;    /* bytes in input[] */
    uint32_t consumed;     /* bytes the draws used (may exceed input_len) */
    uint32_t ran_out;      /* 1 if a draw read past the end */
    uint32_t adapted;      /* draws adapted during value replay */
    /* log */
    uint32_t n_entries;
    uint32_t pool_used;
    uint32_t log_full;     /* entries or pool overflowed: report truncated */
    uint8_t input[PRY_MAX_INPUT];
    pry_entry_t entries[PRY_MAX_ENTRIES];
    char pool[PRY_POOL_SIZE];
} pry_log_t;

/* How draws get their values. */
typedef enum {
    PRY_SRC_BYTES = 0,  /* decode the input bytes (fuzzers, raw replay) */
    PRY_SRC_RANDOM = 1, /* choose with the PRNG, append the encoding */
    PRY_SRC_VALUES = 2, /* take recorded values, append the encoding */
} pry_source_mode;

/* A recorded value to replay (from a .cbor record). */
typedef struct {
    uint8_t kind;
    uint8_t flags;
    uint64_t lo, hi, value;
    const uint8_t *bytes; /* blobs */
    size_t n_bytes;
} pry_value_t;

/* pry_target: labels are hashed into PRY_TARGET_SLOTS slots of
 * PRY_TARGET_BUCKETS buckets each (pry_target_bucket < 240). */
#define PRY_TARGET_SLOTS 8u
#define PRY_TARGET_BUCKETS 256u

typedef struct pry_arena_chunk pry_arena_chunk_t;
typedef struct pry_deferred pry_deferred_t;

struct pry {
    pry_source_mode mode;
    const uint8_t *in; /* BYTES mode: the input; else log->input */
    size_t in_len;
    size_t pos;        /* next byte to read */
    /* pry_draw_int()'s fast path reads while pos + width <= fast_end:
     * min(in_len, PRY_MAX_DRAWS) in BYTES mode with recording off (set by
     * pry_source_begin_run), 0 otherwise, so one comparison says "bytes
     * mode, not recording, inside the input, under the draw limit"
     * (source_fast.h says why that is the same test). */
    size_t fast_end;
    bool record;       /* keep the log (off in fuzz mode: speed) */
    bool lean;         /* with record: draws and spans only, no printed
                          values or notes (the typed mutator's parse) */
    pry_log_t *log;
    /* nesting of open groups */
    uint32_t open[PRY_MAX_NESTING];
    /* The state pry_source_begin_run() clears at every run (but pos),
     * side by side: a few wide stores clear it all. */
    unsigned depth;
    unsigned rec_depth; /* pry_recursive nesting */
    uint32_t draws;     /* primitive draws this run */
    uint32_t last_entry; /* index + 1 of the last primitive entry, 0 none */
    size_t next_value;  /* value replay: the next of values[] */
    bool has_hint;      /* random mode: the next draw's value is hint */
    bool random_tail;   /* past the last value: random mode (pry_source_tail) */
    /* random mode */
    uint64_t rng[4];
    uint64_t hint;
    uint32_t step_element; /* pry_steps: index + 1 of the running step, 0 none */
    /* value replay */
    const pry_value_t *values;
    size_t n_values;
    /* arena */
    pry_arena_chunk_t *arena;
    pry_deferred_t *deferred; /* pry_defer: run at the arena's reset */
    /* ending a run early: pry_run_one's own jump buffer lives here, not on
     * its stack, where ASan would poison and unpoison 200 bytes of
     * redzones around it on every run */
    jmp_buf *escape;
    jmp_buf run_escape;
    /* pry_target (target.c): where a passed run's buckets go (fuzz_entry.c
     * sets it; NULL, the default, makes pry_target a no-op), and per slot
     * the label's hash (0: free) and the highest bucket + 1 this run */
    void (*target_edge)(unsigned id);
    bool target_seen; /* pry_target was called this run (else nothing to end) */
    uint32_t target_label[PRY_TARGET_SLOTS];
    uint8_t target_best[PRY_TARGET_SLOTS];
};

/* Limits that end a run as an overrun (discarded, not failed). */
#define PRY_MAX_DRAWS 200000u

/* ---- source.c ---- */
void pry_source_init(pry_t *p, pry_log_t *log);
void pry_source_begin_run(pry_t *p, pry_source_mode mode, const uint8_t *in,
                          size_t in_len);
void pry_source_end_run(pry_t *p);
/* pry_source_begin_run()'s copy of a recorded run's input into the log. */
void pry_source_keep_input(pry_t *p, const uint8_t *in, size_t in_len);
/* Value replay whose draws after the last value are chosen as random mode
 * would, from |seed| (the shrinker's redraws: shrink_alternatives.c). Call
 * after pry_source_begin_run(PRY_SRC_VALUES); seed 0 keeps the minimal
 * tail. */
void pry_source_tail(pry_t *p, uint64_t seed);
/* The integer draw, every case: pry_draw_int() (source_fast.h, below)
 * calls it for all but in-bounds reads with recording off. */
uint64_t pry_draw_int_full(pry_t *p, pry_kind kind, const char *label,
                           uint64_t lo, uint64_t hi, bool is_signed);
/* Raw bytes for a blob: returns a pointer to |n| bytes (copied into the
 * arena) after drawing its length. */
pry_bytes_t pry_draw_blob(pry_t *p, const char *label, size_t max_len);
/* Random-mode hint: the value the next MORE draw should take. */
void pry_hint_more(pry_t *p, int more);
uint32_t pry_pool_add(pry_t *p, const char *s, size_t n);
/* group.c: a group of a given kind (PRY_K_LIST, PRY_K_STRING, ...). */
uint32_t pry_group_begin_kind(pry_t *p, uint8_t kind, const char *label);
uint32_t pry_entry_push(pry_t *p, uint8_t kind, const char *label);
/* A list's or string's maximum length, kept in its group entry's |hi|
 * (not part of the record): the typed mutator grows a list only to it. */
void pry_group_set_max(pry_t *p, uint32_t g, uint64_t max);
_Noreturn void pry_end_run(pry_t *p, pry_run_status status);
uint64_t pry_rng_next(pry_t *p);
void pry_rng_seed(pry_t *p, uint64_t seed);
/* Integer mapping (exposed for tests and the shrinker); pry_int_width()
 * and pry_int_decode() are in source_fast.h. */
uint64_t pry_int_encode(uint64_t x, unsigned width, uint64_t lo, uint64_t hi,
                        bool is_signed);
/* pry_draw_int(), pry_draw_more(), the width and the decoding, inline. */
#include "source_fast.h"

/* ---- target.c, target_edges.c (and run.c) ---- */
/* The bucket of a target value: exact up to 7, then 8 per power of two;
 * below 0 is 0, from 2^32 on the top one. */
unsigned pry_target_bucket(int64_t value);
/* At the end of every run: a passed run's highest bucket per label goes
 * to p->target_edge; then the run's observations are forgotten (run.c). */
void pry_target_end_run(pry_t *p, pry_run_status status);
/* The instrumented blocks, one per slot * PRY_TARGET_BUCKETS + bucket:
 * linked only with pry_target (target.c), so refer to them weakly. */
void pry_target_edge(unsigned id);

/* ---- gen_list.c ---- */
/* Random mode: the length a list or string aims for. */
size_t pry_random_length(pry_t *p, size_t max);

/* ---- arena.c ---- */
/* One chunk of the per-run arena; p->arena is the newest. */
struct pry_arena_chunk {
    pry_arena_chunk_t *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
};
/* Whether pry_arena_reset() has anything to do beyond running deferred
 * clean-ups: a run that allocated nothing (its only chunk empty) leaves
 * the arena as the reset would. */
PRY_RUN_STEP bool pry_arena_used(const pry_t *p)
{
    return p->arena != NULL && (p->arena->used != 0 || p->arena->next != NULL);
}
/* pry_alloc() without the zeroing, for the kit's buffers that it fills
 * itself before anyone reads them. */
void *pry_alloc_raw(pry_t *p, size_t size);
void pry_arena_reset(pry_t *p);
/* The arena's first chunk, kept across runs (arena.c). */
#define PRY_ARENA_FIRST (64u * 1024u)
/* Under AddressSanitizer the arena poisons what it does not hand out
 * (arena.c). */
#if defined(__SANITIZE_ADDRESS__)
#define PRY_ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PRY_ARENA_ASAN 1
#endif
#endif
/* The end of a run: pry_arena_reset() when there is something to do. The
 * usual case, the first chunk alone and nothing deferred, is handed out
 * again from its start here, inline (under AddressSanitizer the reset
 * poisons it, in arena.c). */
PRY_RUN_STEP void pry_arena_end_run(pry_t *p)
{
#ifndef PRY_ARENA_ASAN
    pry_arena_chunk_t *c = p->arena;
    if (c != NULL && p->deferred == NULL && c->next == NULL && c->size <= PRY_ARENA_FIRST) {
        c->used = 0;
        return;
    }
#endif
    if (p->deferred != NULL || pry_arena_used(p))
        pry_arena_reset(p);
}
void pry_arena_free(pry_t *p);
size_t pry_arena_chunk_count(const pry_t *p);

/* ---- out.c ---- */
struct pry_out {
    char *buf;
    size_t len, cap;
    bool failed; /* allocation failed: output truncated */
};
void pry_out_init(pry_out_t *out);
void pry_out_free(pry_out_t *out);
void pry_out_putc(pry_out_t *out, char c);
void pry_out_write(pry_out_t *out, const char *s, size_t n);
void pry_out_vprintf(pry_out_t *out, const char *fmt, va_list ap);

/* ---- registry.c ---- */
typedef struct {
    const char *name;
    pry_property_fn fn;
    const char *file;
    int line;
} pry_property_t;
size_t pry_property_count(void);
const pry_property_t *pry_property_at(size_t i);
/* Index of the property called |name|, or -1. */
int pry_property_find(const char *name);
/* Sorted by name so indexes are stable across builds. */
void pry_registry_sort(void);
/* The build this binary is (variant, planted bugs). */
const char *pry_build_variant(void);
const char *pry_build_plants(void);
typedef struct {
    const char *property;
    const uint8_t *data;
    size_t len;
} pry_example_t;
size_t pry_example_count(void);
const pry_example_t *pry_example_at(size_t i);

/* ---- run.c ---- */
/* Run property |index| once on the current source set-up; returns the
 * status recorded in the log (PASS, FAIL, DISCARD, OVERRUN). */
pry_run_status pry_run_one(pry_t *p, int index);
/* pry_source_begin_run(p, PRY_SRC_BYTES, in, len), then pry_run_one(),
 * in one frame: the typed mutator's parsing run (the fuzz entry has its
 * own copy). p->log must not be NULL. */
pry_run_status pry_run_bytes(pry_t *p, int index, const uint8_t *in, size_t len);
/* What every run does after the property returned or escaped (after the
 * setjmp of pry_run_one(), pry_run_bytes() or the fuzz entry, each in its
 * own frame; this part needs none): the groups to close (recording
 * only), the arena (only when the run allocated or deferred),
 * pry_target's slots (only when the run called it), the log's counters.
 * Returns the run's status. */
PRY_RUN_STEP pry_run_status pry_run_finish(pry_t *p, pry_log_t *log)
{
    p->escape = NULL;
    if (p->record)
        pry_source_end_run(p);
    pry_arena_end_run(p);
    pry_run_status st = log != NULL ? (pry_run_status)log->status : PRY_RUN_PASS;
    if (p->target_seen)
        pry_target_end_run(p, st);
    if (log != NULL) {
        if (__builtin_expect(st == PRY_RUN_PASS, 1))
            log->n_pass++;
        else if (st == PRY_RUN_DISCARD)
            log->n_discard++;
        else if (st == PRY_RUN_OVERRUN)
            log->n_overrun++;
        if (log->ran_out)
            log->n_ranout++;
    }
    return st;
}
/* Fuzz-mode input layout: property selected by PRY_TEST, or by the first
 * byte when unset. Returns the index and advances data and len. */
int pry_select_property(const uint8_t **data, size_t *len, int fixed);
/* The property PRY_TEST names (sorting the registry first): its index;
 * -1 when unset with several properties (the first byte chooses); -2,
 * said on stderr, when it names none here. */
int pry_property_from_env(void);

/* ---- report.c ---- */
/* The typed value of entry |i| (and its children) as text. */
void pry_report_value(pry_out_t *out, const pry_log_t *log, uint32_t i);
/* All labelled top-level draws, one per line, indented by |indent|. */
void pry_report_draws(pry_out_t *out, const pry_log_t *log, int indent);
const char *pry_kind_name(unsigned kind);
const char *pry_pool_str(const pry_log_t *log, uint32_t off);

/* ---- stateful.c ---- */
/* A pry_steps list (entry |g|) as numbered calls under its label. */
void pry_report_steps(pry_out_t *out, const pry_log_t *log, uint32_t g, int indent);
/* The log's pry_steps list as C statements, one per line (nothing if the
 * run has none). */
void pry_report_steps_c(pry_out_t *out, const pry_log_t *log, int indent);

#endif /* PRY_INTERNAL_H */
