/*
 * fuzz_entry.c: the entry point both engines call. libFuzzer links its own
 * main; AFL++ runs it in persistent mode with shared-memory test cases
 * through afl-clang-fast -fsanitize=fuzzer.
 *
 * The property is chosen by the environment variable PRY_TEST (a name, or
 * harness/name). Unset, with several properties, the first input byte
 * chooses (see pry_select_property).
 *
 * Recording is off here except in the typed libFuzzer build, whose
 * mutator reads the log of the run it mutates next: a failure is re-run
 * by the plain runner to be reported typed.
 */
/* The run's inlined steps without UBSan, like the entry point (see
 * pry_internal.h, and LLVMFuzzerTestOneInput below). */
#define PRY_FUZZ_ENTRY 1
#include "health.h"
#include "pry_internal.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* AFL++'s coverage map (afl-compiler-rt.o.c, 4.04c), and libFuzzer's
 * inline 8-bit counters (-fsanitize-coverage=inline-8bit-counters: the
 * linker's bounds of the __sancov_cntrs section). Weak: each build has
 * one or the other. This file is compiled without coverage, so these are
 * the linker's symbols, not the per-module references the compiler emits. */
#ifndef __AFL_COMPILER
extern uint8_t *__afl_area_ptr __attribute__((weak));
extern uint32_t __afl_map_size __attribute__((weak));
extern uint32_t __afl_final_loc __attribute__((weak));
#endif
extern uint8_t __start___sancov_cntrs[] __attribute__((weak));
extern uint8_t __stop___sancov_cntrs[] __attribute__((weak));

/* Defined by the typed libFuzzer build (engines/libfuzzer_mutator.c),
 * which learns from each run's coverage and keeps its draw log (the
 * input as given, |skip| leading bytes of it choosing the property);
 * absent elsewhere. */
void pry_fuzz_after_run(const uint8_t *data, size_t size, size_t skip, const pry_log_t *log,
                        int status) __attribute__((weak));
/* pry_target's blocks: linked only into harnesses that call pry_target
 * (target.c), NULL elsewhere. */
void pry_target_edge(unsigned id) __attribute__((weak));

static pry_t fuzz_p;
static int fuzz_keep_discard_coverage;
static int fuzz_fixed = -1;
static pry_property_fn fuzz_fixed_fn; /* its function, when fuzz_fixed >= 0 */
static int fuzz_ready;
static bool fuzz_health; /* PRY_HEALTH mapped: count every run's end */
/* after_run for passed runs too: health counting, or the typed build */
static bool fuzz_after_every_run;

static void fuzz_stats(void)
{
    pry_log_t *log = fuzz_p.log;
    if (log == NULL || getenv("PRY_QUIET") != NULL)
        return;
    fprintf(stderr,
            "pry: stats: %llu passed, %llu discarded, %llu overrun, "
            "%llu ran out of input\n",
            (unsigned long long)log->n_pass, (unsigned long long)log->n_discard,
            (unsigned long long)log->n_overrun, (unsigned long long)log->n_ranout);
}

/* Validity feedback: a run pry_assume rejected (or an overrun) earns no
 * coverage credit. Both engines read the coverage after the run returns,
 * so it is emptied here: AFL++'s map the way its persistent loop resets it
 * between runs (every byte 0 but the first, which it sets to 1), and
 * libFuzzer's counters to all zeros, which leaves it no new feature. (The
 * -1 return is libFuzzer's documented way to reject an input, but with
 * Debian 12's clang 14.0.6 a target returning -1 for inputs starting with
 * 'x' still had them kept in its corpus: seen by experiment, see
 * docs/mutator.md.) PRY_DISCARD_COVERAGE=1
 * keeps the credit, to measure what this does. */
static __attribute__((noinline)) void discard_coverage(void)
{
    if (fuzz_keep_discard_coverage)
        return;
#ifndef __AFL_COMPILER
    if (&__afl_area_ptr != NULL && __afl_area_ptr != NULL && &__afl_map_size != NULL &&
        __afl_map_size != 0) {
        /* Only the bytes the instrumentation can write: pcguard and LTO
         * edge ids stop at __afl_final_loc. Under afl-fuzz that is the
         * map size already (1284 and 1284 for harnesses/patch,
         * AFL_DEBUG=1); run outside afl-fuzz (a crash file replayed,
         * callgrind in bench/bench.py gen) the map is AFL++'s 2 MB
         * default, and clearing all of it cost 98 % of a discarded run.
         * Classic instrumentation leaves __afl_final_loc at 0 and writes
         * anywhere: the whole map, then. */
        size_t n = __afl_map_size;
        if (&__afl_final_loc != NULL && __afl_final_loc != 0 &&
            (size_t)__afl_final_loc + 1 < n)
            n = (size_t)__afl_final_loc + 1;
        memset(__afl_area_ptr, 0, n);
        __afl_area_ptr[0] = 1;
    }
#else
    /* Compiled by afl-clang-fast itself (an OSS-Fuzz/ClusterFuzzLite build
     * compiles everything with $CC): its pass declares __afl_area_ptr in
     * every module, and a declaration of ours would be renamed apart
     * (__afl_area_ptr.16, defined nowhere: the link fails). There,
     * discarded runs keep their AFL++ coverage credit. pry's own afl
     * builds compile this file with plain clang (mk/build.mk). */
#endif
    uint8_t *lo = __start___sancov_cntrs, *hi = __stop___sancov_cntrs;
    if (lo != NULL && hi > lo)
        memset(lo, 0, (size_t)(hi - lo));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (fuzz_ready)
        return 0;
    fuzz_ready = 1;
    pry_registry_sort();
    if (pry_property_count() == 0) {
        fprintf(stderr, "pry: this harness has no properties\n");
        exit(2);
    }
    const char *name = getenv("PRY_TEST");
    if (name != NULL && name[0] != '\0') {
        fuzz_fixed = pry_property_find(name);
        if (fuzz_fixed < 0) {
            fprintf(stderr, "pry: PRY_TEST=%s: no such property here; this "
                            "harness has:", name);
            for (size_t i = 0; i < pry_property_count(); i++)
                fprintf(stderr, " %s", pry_property_at(i)->name);
            fprintf(stderr, "\n");
            exit(2);
        }
    } else if (pry_property_count() == 1) {
        fuzz_fixed = 0; /* what the selection would give, every run */
    } else if (getenv("PRY_QUIET") == NULL) {
        fprintf(stderr, "pry: PRY_TEST not set: spreading over %zu properties, "
                        "chosen by the first input byte\n", pry_property_count());
    }
    if (fuzz_fixed >= 0)
        fuzz_fixed_fn = pry_property_at((size_t)fuzz_fixed)->fn;
    pry_log_t *log = calloc(1, sizeof *log);
    if (log == NULL) {
        fprintf(stderr, "pry: out of memory\n");
        exit(2);
    }
    fuzz_keep_discard_coverage = getenv("PRY_DISCARD_COVERAGE") != NULL;
    pry_source_init(&fuzz_p, log);
    /* The typed libFuzzer build mutates what it just ran: it records the
     * draws, as its mutator's own parsing run would (lean: spans and
     * values, nothing printed). */
    fuzz_p.record = pry_fuzz_after_run != NULL;
    fuzz_p.lean = true;
    /* pry_target's buckets become coverage here, and only here: a passed
     * run reaches one instrumented block per label (target_edges.c).
     * PRY_IGNORE_TARGETS=1 leaves them out, to measure what they do. */
    if (pry_target_edge != NULL && getenv("PRY_IGNORE_TARGETS") == NULL)
        fuzz_p.target_edge = pry_target_edge;
    /* ./pry counts how every execution ends, to report UNHEALTHY. */
    const char *health = getenv("PRY_HEALTH");
    if (health != NULL && health[0] != '\0') {
        fuzz_health = pry_health_attach(health) == 0;
        if (!fuzz_health)
            fprintf(stderr, "pry: cannot map PRY_HEALTH=%s: no health check\n", health);
    }
    fuzz_after_every_run = fuzz_health || pry_fuzz_after_run != NULL;
    atexit(fuzz_stats);
    return 0;
}

/* The first call sets up (if the engine did not call
 * LLVMFuzzerInitialize) and says whether it is AFL++'s driver's probe:
 * utils/aflpp_driver makes one call before fuzzing, with the first 4
 * bytes of its "##SIG_AFL_PERSISTENT##" signature, so that start-up
 * coverage is not counted. It is not an input: a property failing on it
 * would abort every fork-server child and afl-fuzz would refuse to
 * start. Out of line, like the failure report below, so that the path
 * every run takes saves and restores few registers. */
static bool fuzz_started;
static __attribute__((noinline, cold)) int first_call(const uint8_t *data, size_t size)
{
    fuzz_started = true;
    if (!fuzz_ready)
        LLVMFuzzerInitialize(NULL, NULL);
    if (size == 4 && memcmp(data, "##SI", 4) == 0)
        return 0;
    return LLVMFuzzerTestOneInput(data, size);
}

/* Say what failed in one line, then abort(): the engines save the input,
 * and `./pry repro` prints it typed. */
static __attribute__((noinline, cold, noreturn)) void report_failure(int index)
{
    pry_log_t *log = fuzz_p.log;
    const char *msg = pry_pool_str(log, log->fail_message);
    const char *expr = pry_pool_str(log, log->fail_expr);
    fprintf(stderr, "pry: property %s failed at %s:%d%s%s%s%s\n",
            pry_property_at((size_t)index)->name,
            pry_pool_str(log, log->fail_file), log->fail_line,
            expr ? ": " : "", expr ? expr : "",
            msg && msg[0] ? ": " : "", msg && msg[0] ? msg : "");
    abort();
}

/* What a run that failed, was discarded or is counted leads to; and the
 * typed libFuzzer build's look at every run (|given|: the input as the
 * engine gave it, |skip| leading bytes of it choosing the property). */
static __attribute__((noinline)) int after_run(int index, pry_run_status st,
                                               const uint8_t *given, size_t given_size,
                                               size_t skip)
{
    if (fuzz_health)
        pry_health_count(index, (int)st);
    if (st == PRY_RUN_FAIL)
        report_failure(index);
    int rv = 0;
    if (st == PRY_RUN_DISCARD || st == PRY_RUN_OVERRUN) {
        discard_coverage();
        rv = -1;
    }
    if (pry_fuzz_after_run != NULL)
        pry_fuzz_after_run(given, given_size, skip, fuzz_p.log, (int)st);
    return rv;
}

/* The typed libFuzzer build's runs, which record (its mutator reads the
 * log of every run). */
static __attribute__((noinline)) int run_recorded(const uint8_t *data, size_t size)
{
    const uint8_t *d = data;
    size_t n = size;
    int index = pry_select_property(&d, &n, fuzz_fixed);
    pry_run_status st = pry_run_bytes(&fuzz_p, index, d, n);
    if (st == PRY_RUN_PASS && !fuzz_after_every_run)
        return 0;
    return after_run(index, st, data, size, size - n);
}

/* No PRY_TEST and several properties: the first byte chooses (and is
 * not the property's: *data and *size move past it). Returns the chosen
 * property's function and sets *index and fuzz_skip. */
static size_t fuzz_skip; /* leading bytes that chose the property */
static __attribute__((noinline)) pry_property_fn select_property(const uint8_t **data,
                                                                 size_t *size, int *index)
{
    size_t given = *size;
    *index = pry_select_property(data, size, -1);
    fuzz_skip = given - *size;
    return pry_property_at((size_t)*index)->fn;
}

/* Not instrumented by ASan or UBSan, this function alone: the accesses it
 * makes are the kit's to its own state (the static source, its log) and
 * were a check apiece on every run (under ASan a shadow test per field of
 * the log it resets, and a call to __asan_memset for the source's
 * fields). The asan build, which `make test` runs, still checks these
 * steps (pry_run_bytes and pry_run_one take them too), and every function
 * this one calls is instrumented as before: the property and the code
 * under test, the draws, the arena, which the ASan build still poisons at
 * every reset (PRY_ARENA_ASAN depends on the file's flags, not on this
 * attribute). */
#if defined(__has_attribute)
#if __has_attribute(no_sanitize)
__attribute__((no_sanitize("address", "undefined")))
#endif
#endif
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (__builtin_expect(!fuzz_started, 0))
        return first_call(data, size);
    if (fuzz_p.record)
        return run_recorded(data, size);
    /* PRY_TEST (or a harness of one property) chose the property, or the
     * first byte chooses. */
    int index = fuzz_fixed;
    pry_property_fn fn = fuzz_fixed_fn;
    if (index < 0)
        fn = select_property(&data, &size, &index);
    /* pry_run_bytes(), here in this frame: fuzz_p is static (its address
     * a constant), its log is never NULL, it does not record (tested
     * above), and nothing needs a register across the run. */
    pry_t *p = &fuzz_p;
    pry_log_t *log = p->log;
    if (log == NULL || p->record)
        __builtin_unreachable();
    log->property = index;
    pry_begin_run_inline(p, PRY_SRC_BYTES, data, size);
    p->escape = &p->run_escape;
    if (setjmp(p->run_escape) == 0) {
        fn(p);
        p->log->status = PRY_RUN_PASS;
    }
    log = p->log; /* read again: kept, it would need a register */
    if (log == NULL || p->record)
        __builtin_unreachable();
    pry_run_status st = pry_run_finish(p, log);
    if (__builtin_expect(st == PRY_RUN_PASS, 1) && !fuzz_after_every_run)
        return 0;
    /* The run's property, and its input as the engine gave it: read back
     * (pry_begin_run_inline() set p->in and p->in_len, and a run of input
     * bytes never changes them), so that they need no register kept
     * across the run. */
    return after_run(log->property, st, p->in - fuzz_skip, p->in_len + fuzz_skip, fuzz_skip);
}
