/*
 * test_stateful.c: stateful properties (generators/stateful.c, pry.h §13).
 * A counter machine checks the mechanics (preconditions without discards,
 * invariants, pry_defer's clean-up, the printed calls and C); the README's bounded
 * queue (tests/harnesses/queue/queue.c, compiled in here) must be found
 * and shrunk to its known minimum by the real runner, on pinned seeds.
 */
#include "check.h"
#include "pry_internal.h"
#include "runner.h"

#include <stdlib.h>
#include <unistd.h>

#include "harnesses/queue/queue.c"

static pry_log_t *LOG;
static pry_t P;

/* ---- a counter machine ---- */

typedef struct {
    int value;        /* the "system" */
    int model;        /* what it should be */
    int limit;        /* add is enabled below it */
    int teardowns;
    int pre_violated; /* a command ran while its precondition was false */
} counter_t;

static bool below_limit(const void *v)
{
    const counter_t *c = v;
    return c->model < c->limit;
}

static void add(pry_t *p, void *v)
{
    counter_t *c = v;
    c->pre_violated += !below_limit(c);
    int k = (int)pry_range_i(p, "k", 0, 5);
    c->value += k;
    c->model += k;
}

static void reset(pry_t *p, void *v)
{
    (void)p;
    counter_t *c = v;
    c->value = c->model = 0;
}

static void read_value(pry_t *p, void *v)
{
    counter_t *c = v;
    pry_step_result(p, "%d", c->value);
    pry_check_eq_int(p, c->value, c->model);
}

static void below_ten(pry_t *p, const void *v)
{
    pry_check(p, ((const counter_t *)v)->value < 10, "value %d", ((const counter_t *)v)->value);
}

static void count_teardown(void *v)
{
    ((counter_t *)v)->teardowns++;
}

static const pry_command_t COUNTER_CMDS[] = {
    {"add", add, below_limit, 0}, {"reset", reset, NULL, 0}, {"read", read_value, NULL, 0}};
static const pry_invariant_t COUNTER_INVS[] = {{"below_ten", below_ten}};
static const pry_machine_t COUNTER = {COUNTER_CMDS, 3, 8, COUNTER_INVS, 1, "&counter"};

/* Only add, which a limit of 0 disables from the start. */
static const pry_machine_t ONLY_ADD = {COUNTER_CMDS, 1, 8, NULL, 0, NULL};

static pry_run_status run_machine(const pry_machine_t *m, counter_t *c, pry_source_mode mode,
                                  const uint8_t *in, size_t len)
{
    jmp_buf escape;
    P.escape = &escape;
    LOG->status = PRY_RUN_STARTED;
    LOG->notes = 0;
    pry_source_begin_run(&P, mode, in, len);
    if (setjmp(escape) == 0) {
        pry_defer(&P, count_teardown, c);
        pry_steps(&P, "steps", m, c);
        LOG->status = PRY_RUN_PASS;
    }
    pry_source_end_run(&P);
    return (pry_run_status)LOG->status;
}

static pry_run_status run_values(const pry_machine_t *m, counter_t *c, const pry_value_t *v,
                                 size_t n)
{
    P.values = v;
    P.n_values = n;
    pry_run_status st = run_machine(m, c, PRY_SRC_VALUES, NULL, 0);
    P.values = NULL;
    P.n_values = 0;
    return st;
}

/* The log as the report prints it, or (|c|) its steps as C. */
static char *printed(bool c)
{
    static char buf[4096];
    pry_out_t out;
    pry_out_init(&out);
    if (c)
        pry_report_steps_c(&out, LOG, 0);
    else
        pry_report_draws(&out, LOG, 0);
    snprintf(buf, sizeof buf, "%s", out.buf ? out.buf : "");
    pry_out_free(&out);
    return buf;
}
#define report() printed(false)
#define report_c() printed(true)

/* A whole file as a C string (malloc'd), or NULL. */
static char *read_text(const char *path)
{
    size_t n = 0;
    uint8_t *data = pry_read_file(path, &n);
    char *text = data != NULL ? malloc(n + 1) : NULL;
    if (text != NULL) {
        memcpy(text, data, n);
        text[n] = '\0';
    }
    free(data);
    return text;
}

#define MORE(v) {.kind = PRY_K_MORE, .lo = 0, .hi = 1, .value = (v)}
#define CMD(v) {.kind = PRY_K_WEIGHTED, .lo = 0, .hi = 2, .value = (v)}
#define K(v) {.kind = PRY_K_INT, .flags = PRY_F_SIGNED, .lo = 0, .hi = 5, .value = (v)}

/* All-zero choices: the empty sequence (the minimal value of a list). */
static void test_zero_is_no_steps(void)
{
    counter_t c = {.limit = 100};
    CHECK_EQ(run_machine(&COUNTER, &c, PRY_SRC_BYTES, NULL, 0), PRY_RUN_PASS);
    CHECK_STREQ(report(), "steps:\n  (no steps)\n");
    CHECK_EQ(c.teardowns, 0);
    pry_arena_reset(&P); /* the end of the run: deferred clean-ups run */
    CHECK_EQ(c.teardowns, 1);
}

/* Steps print numbered, with labelled arguments and results; as C, with
 * the subject first and the result as a comment. */
static void test_prints_calls_and_c(void)
{
    const pry_value_t v[] = {MORE(1), CMD(0), K(3), MORE(1), CMD(2), MORE(1), CMD(1),
                             MORE(1), CMD(2), MORE(0)};
    counter_t c = {.limit = 100};
    CHECK_EQ(run_values(&COUNTER, &c, v, sizeof v / sizeof v[0]), PRY_RUN_PASS);
    CHECK_STREQ(report(), "steps:\n"
                          "  1. add(k = 3)\n"
                          "  2. read() -> 3\n"
                          "  3. reset()\n"
                          "  4. read() -> 0\n");
    CHECK_STREQ(report_c(), "add(&counter, 3);\n"
                            "read(&counter); // -> 3\n"
                            "reset(&counter);\n"
                            "read(&counter); // -> 0\n");
    CHECK_EQ(LOG->adapted, 0);
    pry_arena_reset(&P);
}

/* A drawn command whose precondition is false becomes the next enabled
 * one (no discard), and the record says which ran. */
static void test_disabled_command_moves_on(void)
{
    const pry_value_t v[] = {MORE(1), CMD(0), K(2), MORE(1), CMD(0), MORE(1), CMD(2), MORE(0)};
    counter_t c = {.limit = 1};
    CHECK_EQ(run_values(&COUNTER, &c, v, sizeof v / sizeof v[0]), PRY_RUN_PASS);
    CHECK_EQ(c.pre_violated, 0);
    CHECK_STREQ(report(), "steps:\n"
                          "  1. add(k = 2)\n"
                          "  2. reset()\n"
                          "  3. read() -> 0\n");
    uint32_t cmds = 0;
    for (uint32_t i = 0; i < LOG->n_entries; i++)
        if (LOG->entries[i].kind == PRY_K_WEIGHTED && cmds++ == 1)
            CHECK_EQ(LOG->entries[i].value, 1); /* recorded as reset */
    CHECK_EQ(cmds, 3);
    pry_arena_reset(&P);
}

/* With no command enabled the sequence ends without a "more?" choice. */
static void test_nothing_enabled_ends(void)
{
    counter_t c = {.limit = 0};
    uint8_t ones[64];
    memset(ones, 1, sizeof ones);
    CHECK_EQ(run_machine(&ONLY_ADD, &c, PRY_SRC_BYTES, ones, sizeof ones), PRY_RUN_PASS);
    CHECK_EQ(LOG->n_entries, 1); /* the list alone */
    CHECK_EQ(LOG->consumed, 0);
    c = (counter_t){.limit = 4};
    CHECK_EQ(run_machine(&ONLY_ADD, &c, PRY_SRC_BYTES, ones, sizeof ones), PRY_RUN_PASS);
    CHECK(c.model >= 4 && c.model < 4 + 5); /* adds until the limit */
    CHECK_EQ(c.pre_violated, 0);
    pry_arena_reset(&P);
}

/* A failing invariant is named in the notes, with the step after which
 * it failed, and the deferred clean-up still runs. */
static void test_invariant_failure(void)
{
    const pry_value_t v[] = {MORE(1), CMD(0), K(5), MORE(1), CMD(0), K(5), MORE(1), CMD(2)};
    counter_t c = {.limit = 100};
    CHECK_EQ(run_values(&COUNTER, &c, v, sizeof v / sizeof v[0]), PRY_RUN_FAIL);
    CHECK_STREQ(pry_pool_str(LOG, LOG->notes), "invariant below_ten failed after step 2 (add)");
    CHECK_STREQ(report(), "steps:\n  1. add(k = 5)\n  2. add(k = 5)\n");
    pry_arena_reset(&P);
    CHECK_EQ(c.teardowns, 1);
}

/* Random mode: preconditions always hold, every run passes, sequences of
 * every length up to the maximum occur, and without recording (fuzz
 * mode) nothing is written. */
static void test_random_runs_respect_preconditions(void)
{
    size_t longest = 0;
    for (uint64_t seed = 0; seed < 2000; seed++) {
        counter_t c = {.limit = 5}; /* so the value stays below 10 */
        pry_rng_seed(&P, seed);
        CHECK_EQ(run_machine(&COUNTER, &c, PRY_SRC_RANDOM, NULL, 0), PRY_RUN_PASS);
        CHECK_EQ(c.pre_violated, 0);
        size_t steps = 0;
        for (uint32_t i = 0; i < LOG->n_entries; i++)
            steps += LOG->entries[i].kind == PRY_K_ELEMENT;
        longest = steps > longest ? steps : longest;
        pry_arena_reset(&P);
        CHECK_EQ(c.teardowns, 1);
    }
    CHECK_EQ(longest, 8);
    P.record = false;
    uint8_t junk[256];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (uint8_t)(i * 37u + 11u);
    counter_t c = {.limit = 6};
    pry_run_status st = run_machine(&COUNTER, &c, PRY_SRC_BYTES, junk, sizeof junk);
    CHECK(st == PRY_RUN_PASS || st == PRY_RUN_FAIL);
    CHECK_EQ(c.pre_violated, 0);
    P.record = true;
    pry_arena_reset(&P);
}

/* The README's queue: found by random mode and shrunk to QuickCheck's
 * known minimum (capacity 1, a put, a size) from every pinned seed. The
 * runner forks; its summary (--json) has the typed draws. */
static void test_queue_bug_found_and_shrunk(void)
{
    char dir[] = "/tmp/pry-test-stateful-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        CHECK(false); /* no temporary folder */
        return;
    }
    char json[sizeof dir + 16];
    snprintf(json, sizeof json, "%s/out.json", dir);
    for (uint64_t seed = 1; seed <= 5; seed++) {
        pry_opts_t o;
        memset(&o, 0, sizeof o);
        o.argv0 = "test_stateful";
        o.harness = "queue";
        o.tests[o.n_tests++] = "bounded_queue";
        o.runs = 1000;
        o.seed = seed;
        o.seed_given = true;
        o.timeout = 10;
        o.save_dir = dir;
        o.json = json;
        o.shrink = true;
        o.shrink_budget = 60;
        o.quiet = true;
        CHECK_EQ(pry_cmd_random(&o), 1);
        char *text = read_text(json);
        CHECK(text != NULL);
        if (text == NULL)
            continue;
        CHECK(strstr(text, "\"drawn\": \"capacity = 1\\nsteps:\\n  1. bq_put(x = 0)\\n"
                           "  2. bq_size() -> 0\\n\"") != NULL);
        CHECK(strstr(text, "\"input_bytes\": 7,") != NULL);
        if (strstr(text, "bq_size() -> 0\\n\"") == NULL)
            fprintf(stderr, "seed %llu: %s\n", (unsigned long long)seed, text);
        free(text);
    }
    char cmd[sizeof dir + 16];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK_EQ(system(cmd), 0);
}

/* README.md's stateful example is this queue property, verbatim (tests
 * run from the repository's root). */
static void test_readme_quotes_the_queue(void)
{
    char *readme = read_text("README.md");
    char *queue = read_text("tests/harnesses/queue/queue.c");
    CHECK(readme != NULL && queue != NULL);
    if (readme != NULL && queue != NULL) {
        char *sec = strstr(readme, "\n## Stateful properties\n");
        char *code = sec != NULL ? strstr(sec, "```c\n") : NULL;
        char *end = code != NULL ? strstr(code + 5, "\n```") : NULL;
        CHECK(end != NULL);
        if (end != NULL) {
            end[1] = '\0'; /* the block, with its last newline */
            CHECK(strstr(queue, code + 5) != NULL);
            CHECK(strstr(code + 5, "PRY_PROPERTY(bounded_queue)") != NULL);
        }
    }
    free(readme);
    free(queue);
}

int main(void)
{
    pry_registry_sort();
    LOG = calloc(1, sizeof *LOG);
    if (LOG == NULL)
        return 2;
    pry_source_init(&P, LOG);
    P.record = true;
    RUN(test_zero_is_no_steps);
    RUN(test_prints_calls_and_c);
    RUN(test_disabled_command_moves_on);
    RUN(test_nothing_enabled_ends);
    RUN(test_invariant_failure);
    RUN(test_random_runs_respect_preconditions);
    RUN(test_queue_bug_found_and_shrunk);
    RUN(test_readme_quotes_the_queue);
    pry_arena_free(&P);
    free(LOG);
    return check_summary();
}
