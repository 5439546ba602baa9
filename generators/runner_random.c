/*
 * runner_random.c: random mode, QuickCheck-style. A child process runs the
 * property over and over with inputs chosen by a seeded PRNG (run i of
 * seed s always draws the same values); the parent watches it, so a
 * crash or a hang is caught with its input, then re-run, shrunk, reported
 * and saved.
 */
#include "health.h"
#include "record.h"
#include "runner.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int prop;
    uint64_t seed;
    uint64_t runs;     /* valid runs wanted; UINT64_MAX: until the time limit */
    double time_limit; /* wall-clock seconds, 0 none */
    const char *emit_dir;
} loop_t;

/* --emit-inputs: keep a passing run's canonical input bytes, named by a
 * hash of their content (mk/make-seeds.sh renames them by SHA-256), as
 * seeds that start a fuzzer with well-formed typed inputs. */
static void emit_input(const char *dir, const pry_log_t *log)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%016llx", dir,
             (unsigned long long)pry_hash64(log->input, log->input_len));
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return;
    fwrite(log->input, 1, log->input_len, f);
    fclose(f);
}

static uint64_t run_seed(uint64_t seed, uint64_t run)
{
    uint64_t z = seed ^ (run * 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static void child_loop(pry_exec_t *x, void *arg)
{
    loop_t *l = arg;
    pry_log_t *log = x->log;
    double start = pry_now();
    for (uint64_t run = 0;; run++) {
        uint64_t valid = log->n_pass;
        if (valid >= l->runs)
            break;
        if (pry_health_bad(valid, log->n_discard + log->n_overrun, l->runs))
            break; /* unhealthy: no point in going on */
        if (l->time_limit > 0 && (run & 63) == 0 && pry_now() - start > l->time_limit)
            break;
        log->failing_run = run;
        pry_rng_seed(&x->p, run_seed(l->seed, run));
        pry_source_begin_run(&x->p, PRY_SRC_RANDOM, NULL, 0);
        pry_run_status st = pry_run_one(&x->p, l->prop);
        if (st == PRY_RUN_FAIL)
            return; /* the parent reads the log */
        if (st == PRY_RUN_PASS && l->emit_dir != NULL)
            emit_input(l->emit_dir, log);
    }
    log->status = PRY_RUN_PASS;
}

/* Re-run, shrink, report and save a failure found by any means. Returns
 * the exit status (1). */
int pry_handle_finding(pry_opts_t *o, pry_exec_t *x, pry_finding_t *fd);
int pry_handle_finding(pry_opts_t *o, pry_exec_t *x, pry_finding_t *fd)
{
    /* Flaky? Re-run the same bytes in a fresh process. */
    pry_result_t again;
    if (pry_exec_bytes(x, fd->prop, fd->input, fd->len, &again) != 0)
        return 2;
    if (!pry_same_failure(&again, &fd->result)) {
        if (again.status == PRY_RUN_PASS || again.status == PRY_RUN_DISCARD)
            fd->flaky = true;
        /* Whatever it does now is what we report and shrink. */
        if (again.status != PRY_RUN_PASS && again.status != PRY_RUN_DISCARD) {
            pry_out_free(&fd->result.err);
            fd->result = again;
        } else {
            pry_out_free(&again.err);
        }
    } else {
        pry_out_free(&again.err);
    }
    fd->original_len = fd->len;
    if (o->shrink && !fd->flaky)
        pry_shrink(x, fd, o->shrink_budget, !o->quiet);
    /* The final run: its stderr (a sanitizer's report) is shown, and its
     * log is what the report prints. */
    pry_result_t final;
    x->show_stderr = true;
    if (pry_exec_bytes(x, fd->prop, fd->input, fd->len, &final) != 0) {
        x->show_stderr = false;
        return 2;
    }
    x->show_stderr = false;
    if (!fd->flaky) {
        pry_out_free(&fd->result.err);
        fd->result = final;
    } else {
        pry_out_free(&final.err);
    }
    pry_save_finding(o, x, fd);
    char hint[4096];
    snprintf(hint, sizeof hint, "%s --repro %s --test %s", o->argv0,
             fd->saved_record[0] ? fd->saved_record
             : fd->saved_raw[0] ? fd->saved_raw : "FILE",
             pry_property_at((size_t)fd->prop)->name);
    pry_print_report(stdout, o, x, fd, hint);
    if (!fd->flaky && !o->quiet)
        pry_print_regression(stdout, o, x, fd);
    fflush(stdout);
    return 1;
}

/* The property's explicit examples (PRY_EXAMPLE) run before any random
 * input. Returns 1 when one fails (reported), 0 when all pass, 2 error. */
static int run_examples(pry_opts_t *o, pry_exec_t *x, int prop)
{
    const pry_property_t *pp = pry_property_at((size_t)prop);
    for (size_t i = 0; i < pry_example_count(); i++) {
        const pry_example_t *ex = pry_example_at(i);
        if (strcmp(ex->property, pp->name) != 0)
            continue;
        pry_result_t r;
        if (pry_exec_bytes(x, prop, ex->data, ex->len, &r) != 0)
            return 2;
        if (r.status == PRY_RUN_PASS || r.status == PRY_RUN_DISCARD) {
            pry_out_free(&r.err);
            continue;
        }
        pry_finding_t fd;
        memset(&fd, 0, sizeof fd);
        fd.prop = prop;
        fd.result = r;
        fd.len = ex->len;
        fd.input = malloc(ex->len + 1);
        if (fd.input == NULL)
            return 2;
        memcpy(fd.input, ex->data, ex->len);
        if (!o->quiet)
            fprintf(stdout, "%s/%s: explicit example %zu fails\n", o->harness,
                    pp->name, i + 1);
        int rc = pry_handle_finding(o, x, &fd);
        pry_write_json(o, x, &fd, fd.result.status == PRY_RUN_FAIL ? "failed" : "crashed",
                       0, 0);
        pry_out_free(&fd.result.err);
        free(fd.input);
        return rc;
    }
    return 0;
}

/* The UNHEALTHY line, the same for random mode and the fuzzers' counters
 * (--health). */
static void print_unhealthy(const pry_opts_t *o, const char *name, uint64_t pass,
                            uint64_t discard, uint64_t overrun, const char *by)
{
    fprintf(stdout,
            "UNHEALTHY  %s/%s: %" PRIu64 " inputs discarded (%" PRIu64
            " by pry_assume, %" PRIu64 " too large) for %" PRIu64
            " valid ones%s; draw valid inputs directly instead of filtering\n",
            o->harness, name, discard + overrun, discard, overrun, pass, by);
}

static int random_one(pry_opts_t *o, pry_exec_t *x, int prop, bool *unhealthy)
{
    const pry_property_t *pp = pry_property_at((size_t)prop);
    int ex = run_examples(o, x, prop);
    if (ex != 0)
        return ex;
    loop_t l = {prop, o->seed, o->runs, o->time_limit, NULL};
    char emit[1024];
    if (o->emit_dir != NULL) {
        snprintf(emit, sizeof emit, "%s/%s", o->emit_dir, pp->name);
        if (pry_mkdirs(emit) == 0)
            l.emit_dir = emit;
    }
    x->log->n_pass = x->log->n_discard = x->log->n_overrun = x->log->n_ranout = 0;
    x->log->failing_run = 0;
    double start = pry_now();
    pry_result_t r;
    if (pry_exec(x, child_loop, &l, &r) != 0) {
        fprintf(stdout, "%s/%s: interrupted after %" PRIu64 " runs\n", o->harness,
                pp->name, x->log->n_pass);
        return -1;
    }
    double secs = pry_now() - start;
    pry_log_t *log = x->log;
    if (r.status == PRY_RUN_PASS) {
        pry_out_free(&r.err);
        uint64_t bad = log->n_discard + log->n_overrun;
        uint64_t execs = log->n_pass + bad; /* --json "runs": every execution */
        if (log->n_pass < o->runs && pry_health_bad(log->n_pass, bad, o->runs)) {
            print_unhealthy(o, pp->name, log->n_pass, log->n_discard, log->n_overrun, "");
            *unhealthy = true;
            pry_write_json(o, x, NULL, "unhealthy", execs, secs);
            return 0;
        }
        if (!o->quiet)
            fprintf(stdout,
                    "ok  %s/%s: %" PRIu64 " passed, %" PRIu64 " discarded in "
                    "%.2f s (seed %" PRIu64 ")\n",
                    o->harness, pp->name, log->n_pass, log->n_discard, secs,
                    o->seed);
        pry_write_json(o, x, NULL, "passed", execs, secs);
        return 0;
    }
    pry_finding_t fd;
    memset(&fd, 0, sizeof fd);
    fd.prop = prop;
    fd.result = r;
    fd.from_random = true;
    fd.seed = o->seed;
    fd.run = log->failing_run;
    fd.len = log->input_len;
    fd.input = malloc(fd.len ? fd.len : 1);
    if (fd.input == NULL) {
        pry_out_free(&r.err);
        return 2;
    }
    memcpy(fd.input, log->input, fd.len);
    int rc = pry_handle_finding(o, x, &fd);
    pry_write_json(o, x, &fd, fd.result.status == PRY_RUN_FAIL ? "failed" : "crashed",
                   fd.run + 1, secs);
    pry_out_free(&fd.result.err);
    free(fd.input);
    return rc;
}

int pry_cmd_random(pry_opts_t *o)
{
    pry_exec_t x;
    if (pry_exec_open(&x) != 0)
        return 2;
    x.timeout = o->timeout;
    int worst = 0;
    bool unhealthy = false;
    for (size_t i = 0; i < pry_property_count(); i++) {
        bool chosen = o->n_tests == 0;
        for (size_t k = 0; k < o->n_tests; k++)
            if (pry_property_find(o->tests[k]) == (int)i)
                chosen = true;
        if (!chosen)
            continue;
        int rc = random_one(o, &x, (int)i, &unhealthy);
        if (rc < 0)
            break; /* interrupted */
        if (rc > worst)
            worst = rc;
    }
    pry_exec_close(&x);
    if (worst == 0 && unhealthy)
        return 2;
    return worst;
}

/* --health FILE: the verdict on the counters a fuzzing campaign's
 * processes kept (health.h), for every property in the file or those named
 * with --test. Exit 2 when one is unhealthy, else 0. */
int pry_cmd_health(pry_opts_t *o, const char *file)
{
    size_t n;
    uint8_t *data = pry_read_file(file, &n);
    if (data == NULL)
        return 2;
    pry_health_header_t h;
    if (n < sizeof h || (memcpy(&h, data, sizeof h), memcmp(h.magic, PRY_HEALTH_MAGIC, 8) != 0) ||
        h.n > (n - sizeof h) / sizeof(pry_health_slot_t)) {
        fprintf(stderr, "pry: %s is not a pry health file\n", file);
        free(data);
        return 2;
    }
    int rc = 0;
    for (uint64_t i = 0; i < h.n; i++) {
        pry_health_slot_t s;
        memcpy(&s, data + sizeof h + i * sizeof s, sizeof s);
        s.name[PRY_HEALTH_NAME - 1] = '\0';
        bool chosen = o->n_tests == 0;
        for (size_t k = 0; k < o->n_tests; k++)
            if (strcmp(o->tests[k], s.name) == 0)
                chosen = true;
        if (!chosen || pry_property_find(s.name) < 0)
            continue;
        if (pry_health_bad(s.pass, s.discard + s.overrun, UINT64_MAX)) {
            print_unhealthy(o, s.name, s.pass, s.discard, s.overrun, " under the fuzzer");
            rc = 2;
        } else if (!o->quiet && s.pass + s.discard + s.overrun > 0) {
            fprintf(stdout, "ok  %s/%s: %" PRIu64 " passed, %" PRIu64 " discarded, %" PRIu64
                    " too large under the fuzzer\n", o->harness, s.name, s.pass, s.discard,
                    s.overrun);
        }
    }
    free(data);
    return rc;
}
