/*
 * fuzz_entry.c: the entry point both engines call. libFuzzer links its own
 * main; AFL++ runs it in persistent mode with shared-memory test cases
 * through afl-clang-fast -fsanitize=fuzzer.
 *
 * The property is chosen by the environment variable PRY_TEST (a name, or
 * harness/name). Unset, with several properties, the first input byte
 * chooses (see pry_select_property).
 *
 * Recording is off here: nobody reads the log of a fuzzed run, and a
 * failure is re-run by the plain runner to be reported typed.
 */
#include "health.h"
#include "pry_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static pry_t fuzz_p;
static int fuzz_fixed = -1;
static int fuzz_ready;

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
    } else if (pry_property_count() > 1 && getenv("PRY_QUIET") == NULL) {
        fprintf(stderr, "pry: PRY_TEST not set: spreading over %zu properties, "
                        "chosen by the first input byte\n", pry_property_count());
    }
    pry_log_t *log = calloc(1, sizeof *log);
    if (log == NULL) {
        fprintf(stderr, "pry: out of memory\n");
        exit(2);
    }
    pry_source_init(&fuzz_p, log);
    fuzz_p.record = false;
    /* ./pry counts how every execution ends, to report UNHEALTHY. */
    const char *health = getenv("PRY_HEALTH");
    if (health != NULL && health[0] != '\0' && pry_health_attach(health) != 0)
        fprintf(stderr, "pry: cannot map PRY_HEALTH=%s: no health check\n", health);
    atexit(fuzz_stats);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool first_call = true;
    if (!fuzz_ready)
        LLVMFuzzerInitialize(NULL, NULL);
    /* AFL++'s driver (utils/aflpp_driver) makes one call before fuzzing,
     * with the first 4 bytes of its "##SIG_AFL_PERSISTENT##" signature, so
     * that start-up coverage is not counted. It is not an input: a
     * property failing on it would abort every fork-server child and
     * afl-fuzz would refuse to start. */
    if (first_call) {
        first_call = false;
        if (size == 4 && memcmp(data, "##SI", 4) == 0)
            return 0;
    }
    int index = pry_select_property(&data, &size, fuzz_fixed);
    pry_source_begin_run(&fuzz_p, PRY_SRC_BYTES, data, size);
    pry_run_status st = pry_run_one(&fuzz_p, index);
    pry_health_count(index, (int)st);
    if (st == PRY_RUN_FAIL) {
        /* Say what failed in one line, then abort(): the engines save the
         * input, and `./pry repro` prints it typed. */
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
    return (st == PRY_RUN_DISCARD || st == PRY_RUN_OVERRUN) ? -1 : 0;
}
