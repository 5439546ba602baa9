/*
 * runner_main.c: main() of every plain harness binary.
 *
 *   HARNESS [--test NAME]... [--runs N] [--seed N] [--time S]   random mode
 *           [--emit-inputs DIR]      (keep passing inputs: seeds)
 *           --time is wall-clock; --runs bounds the valid runs (default
 *           1000 when neither is given, unbounded under --time alone)
 *   HARNESS --repro FILE [--test NAME]     replay raw bytes or a .cbor record
 *   HARNESS --shrink FILE [--test NAME] [-o OUT] [--budget S]
 *   HARNESS --show FILE                    print a saved record
 *   HARNESS --list                         the properties, one per line
 *   HARNESS --replay PATH... [--test NAME] run every input of files/folders
 *                                          once, in one child (./pry cov)
 *   HARNESS --health FILE [--test NAME]    the verdict on a campaign's
 *                                          counters (PRY_HEALTH, health.h)
 *
 * Exit status: 0 passed, 1 a property failed, 2 usage or environment
 * error (one line on stderr says which).
 */
#include "runner.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *f, const char *argv0)
{
    fprintf(f,
            "usage: %s [--test NAME]... [--runs N] [--seed N] [--time S]\n"
            "       %s --repro FILE [--test NAME] [--json FILE]\n"
            "       %s --shrink FILE [--test NAME] [-o OUT] [--budget S]\n"
            "       %s --show FILE\n"
            "       %s --list\n"
            "       %s --replay FILE|DIR [--replay ...] [--test NAME]\n"
            "       %s --health FILE [--test NAME]\n"
            "--time is wall-clock seconds per property; --runs counts valid runs\n"
            "(default 1000 without --time, unbounded with --time alone)\n"
            "options: --timeout S (per run, default 10), --save-dir DIR\n"
            "         (default pry-out/failures), --no-shrink, --quiet,\n"
            "         --emit-inputs DIR (random mode: keep passing inputs, DIR/PROPERTY/)\n"
            "environment: PRY_TEST selects the property when --test is not given\n",
            argv0, argv0, argv0, argv0, argv0, argv0, argv0);
}

static void on_signal(int sig)
{
    (void)sig;
    pry_interrupted = 1;
}

/* The harness is the folder the properties live in (harnesses/NAME/). */
static const char *harness_name(const char *argv0)
{
    static char name[256];
    const pry_property_t *p0 = pry_property_at(0);
    const char *f = p0 ? strstr(p0->file, "harnesses/") : NULL;
    if (f != NULL) {
        f += strlen("harnesses/");
        size_t n = strcspn(f, "/");
        snprintf(name, sizeof name, "%.*s", (int)n, f);
        return name;
    }
    const char *slash = strrchr(argv0, '/');
    snprintf(name, sizeof name, "%s", slash ? slash + 1 : argv0);
    return name;
}

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno != 0 || end == s || *end != '\0' || s[0] == '-')
        return false;
    *out = v;
    return true;
}

static bool parse_secs(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !(v >= 0))
        return false;
    *out = v;
    return true;
}

int main(int argc, char **argv)
{
    pry_registry_sort();
    pry_opts_t o;
    memset(&o, 0, sizeof o);
    o.argv0 = argv[0];
    o.runs = 1000;
    o.timeout = 10;
    o.save_dir = "pry-out/failures";
    o.shrink = true;
    o.shrink_budget = 10;
    const char *repro = NULL, *shrink = NULL, *show = NULL, *health = NULL;
    const char *replay[64];
    size_t n_replay = 0;
    bool list = false, runs_given = false;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED_VALUE()                                                           \
    do {                                                                       \
        if (v == NULL) {                                                       \
            fprintf(stderr, "pry: %s needs a value\n", a);                     \
            return 2;                                                          \
        }                                                                      \
        i++;                                                                   \
    } while (0)
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout, argv[0]);
            return 0;
        } else if (strcmp(a, "--list") == 0) {
            list = true;
        } else if (strcmp(a, "--test") == 0) {
            NEED_VALUE();
            if (o.n_tests == sizeof o.tests / sizeof o.tests[0]) {
                fprintf(stderr, "pry: too many --test options\n");
                return 2;
            }
            o.tests[o.n_tests++] = v;
        } else if (strcmp(a, "--runs") == 0) {
            NEED_VALUE();
            if (!parse_u64(v, &o.runs) || o.runs == 0) {
                fprintf(stderr, "pry: --runs wants a positive number, not '%s'\n", v);
                return 2;
            }
            runs_given = true;
        } else if (strcmp(a, "--seed") == 0) {
            NEED_VALUE();
            if (!parse_u64(v, &o.seed)) {
                fprintf(stderr, "pry: --seed wants a number, not '%s'\n", v);
                return 2;
            }
            o.seed_given = true;
        } else if (strcmp(a, "--time") == 0 || strcmp(a, "--timeout") == 0 ||
                   strcmp(a, "--budget") == 0) {
            NEED_VALUE();
            double d;
            if (!parse_secs(v, &d)) {
                fprintf(stderr, "pry: %s wants seconds, not '%s'\n", a, v);
                return 2;
            }
            if (a[2] == 'b')
                o.shrink_budget = d;
            else if (a[6] == 'o')
                o.timeout = d;
            else
                o.time_limit = d;
        } else if (strcmp(a, "--save-dir") == 0) {
            NEED_VALUE();
            o.save_dir = v;
        } else if (strcmp(a, "--emit-inputs") == 0) {
            NEED_VALUE();
            o.emit_dir = v;
        } else if (strcmp(a, "--json") == 0) {
            NEED_VALUE();
            o.json = v;
        } else if (strcmp(a, "-o") == 0) {
            NEED_VALUE();
            o.out = v;
        } else if (strcmp(a, "--repro") == 0) {
            NEED_VALUE();
            repro = v;
        } else if (strcmp(a, "--shrink") == 0) {
            NEED_VALUE();
            shrink = v;
        } else if (strcmp(a, "--show") == 0) {
            NEED_VALUE();
            show = v;
        } else if (strcmp(a, "--replay") == 0) {
            NEED_VALUE();
            if (n_replay == sizeof replay / sizeof replay[0]) {
                fprintf(stderr, "pry: too many --replay options\n");
                return 2;
            }
            replay[n_replay++] = v;
        } else if (strcmp(a, "--health") == 0) {
            NEED_VALUE();
            health = v;
        } else if (strcmp(a, "--no-shrink") == 0) {
            o.shrink = false;
        } else if (strcmp(a, "--quiet") == 0) {
            o.quiet = true;
        } else {
            fprintf(stderr, "pry: unknown option '%s' (try --help)\n", a);
            return 2;
        }
#undef NEED_VALUE
    }
    /* --time alone means "for this long": no bound on the runs. */
    if (!runs_given && o.time_limit > 0)
        o.runs = UINT64_MAX;
    o.harness = harness_name(argv[0]);
    if (pry_property_count() == 0) {
        fprintf(stderr, "pry: %s has no properties\n", o.harness);
        return 2;
    }
    const char *env_test = getenv("PRY_TEST");
    if (o.n_tests == 0 && env_test != NULL && env_test[0] != '\0')
        o.tests[o.n_tests++] = env_test;
    for (size_t k = 0; k < o.n_tests; k++) {
        if (pry_property_find(o.tests[k]) < 0) {
            fprintf(stderr, "pry: no property '%s' in harness %s; it has:",
                    o.tests[k], o.harness);
            for (size_t i = 0; i < pry_property_count(); i++)
                fprintf(stderr, " %s", pry_property_at(i)->name);
            fprintf(stderr, "\n");
            return 2;
        }
    }
    if (list) {
        for (size_t i = 0; i < pry_property_count(); i++)
            printf("%s/%s\n", o.harness, pry_property_at(i)->name);
        return 0;
    }
    if (!o.seed_given) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        o.seed = ((uint64_t)ts.tv_sec * 1000003u) ^ (uint64_t)ts.tv_nsec;
        o.seed %= 1000000000u; /* short enough to type back in */
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    if (show != NULL)
        return pry_cmd_show(&o, show);
    if (health != NULL)
        return pry_cmd_health(&o, health);
    if (repro != NULL)
        return pry_cmd_repro(&o, repro);
    if (shrink != NULL)
        return pry_cmd_shrink(&o, shrink);
    if (n_replay > 0)
        return pry_cmd_replay(&o, replay, n_replay);
    return pry_cmd_random(&o);
}
