/*
 * runner.h: the plain runner behind every harness binary's main(): random
 * mode, replay, shrink and show. Internal to libpry.
 */
#ifndef PRY_RUNNER_H
#define PRY_RUNNER_H

#include "exec.h"

typedef struct {
    const char *argv0;
    const char *harness;   /* from the properties' source folder */
    const char *tests[64]; /* --test NAME (repeatable) */
    size_t n_tests;
    uint64_t runs;         /* valid runs per property; UINT64_MAX: no bound */
    uint64_t seed;
    bool seed_given;
    double time_limit;     /* wall-clock seconds per property, 0 none */
    double timeout;        /* seconds per run */
    const char *save_dir;
    const char *emit_dir;  /* random mode: write every passing input here */
    const char *json;      /* write a summary object here */
    const char *out;       /* -o for shrink */
    double shrink_budget;  /* seconds */
    bool shrink;
    bool quiet;
} pry_opts_t;

/* The failure being reported, shrunk and saved. */
typedef struct {
    int prop;
    pry_result_t result;
    uint8_t *input; /* malloc'd */
    size_t len;
    size_t original_len;
    uint64_t seed, run;
    bool from_random;
    bool flaky;
    /* shrinking statistics */
    unsigned shrink_steps, shrink_tries;
    double shrink_seconds;
    char saved_raw[1024], saved_record[1024];
} pry_finding_t;

int pry_cmd_random(pry_opts_t *o);
int pry_cmd_repro(pry_opts_t *o, const char *file);
int pry_cmd_shrink(pry_opts_t *o, const char *file);
int pry_cmd_show(pry_opts_t *o, const char *file);
/* --replay: every input of |paths| (files or folders) once; 0 or 2. */
int pry_cmd_replay(pry_opts_t *o, const char *const *paths, size_t n_paths);
int pry_cmd_health(pry_opts_t *o, const char *file);

/* The typed report of the run whose log is in x->log. */
void pry_print_report(FILE *f, const pry_opts_t *o, pry_exec_t *x,
                      const pry_finding_t *fd, const char *replay_hint);
/* Save the finding's raw input (and record) under o->save_dir. */
void pry_save_finding(const pry_opts_t *o, pry_exec_t *x, pry_finding_t *fd);
/* Write the --json summary. */
void pry_write_json(const pry_opts_t *o, pry_exec_t *x, const pry_finding_t *fd,
                    const char *status, uint64_t runs, double seconds);

/* Read a whole file (malloc'd). NULL with a message on error. */
uint8_t *pry_read_file(const char *path, size_t *len);
int pry_write_file(const char *path, const void *data, size_t len);
int pry_mkdirs(const char *path);
double pry_now(void);
uint64_t pry_hash64(const void *data, size_t len);

/* The shrinker (shrink.c): shrinks fd->input in place while it fails the
 * same way as fd->result. */
void pry_shrink(pry_exec_t *x, pry_finding_t *fd, double budget, bool verbose);

#endif
