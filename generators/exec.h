/*
 * exec.h: fork-isolated runs. The child writes its draw log into memory
 * shared with the parent, so a crash, a sanitizer abort or a hang loses
 * nothing: the parent still reads what was drawn, prints it, and shrinks.
 */
#ifndef PRY_EXEC_H
#define PRY_EXEC_H

#include "pry_internal.h"

#include <signal.h>

typedef struct {
    pry_log_t *log;  /* MAP_SHARED between parent and child */
    pry_t p;         /* the choice source the child runs with */
    double timeout;  /* seconds without progress before a kill; 0 none */
    bool show_stderr;/* copy the child's stderr to ours */
    /* exec_server.c: value runs in one long-lived child (see there) */
    bool persistent;
    struct pry_server *server;
    /* value runs: nonzero, the draws after the last value are random from
     * this seed (pry_source_tail) */
    uint64_t tail_seed;
} pry_exec_t;

typedef struct {
    pry_run_status status;
    int signal;         /* the child's terminating signal, 0 none */
    int exit_code;
    char kind[256];     /* "failed check", "heap-buffer-overflow", "SIGSEGV", ... */
    char site[512];     /* "file:line" of the check, or the top crash frame */
    pry_out_t err;      /* the child's stderr */
} pry_result_t;

typedef void (*pry_child_fn)(pry_exec_t *x, void *arg);

/* Set by the runner's SIGINT/SIGTERM handler: a run in progress is killed
 * and reported as interrupted. */
extern volatile sig_atomic_t pry_interrupted;

/* Map the shared log. 0, or -1 with a message on stderr. */
int pry_exec_open(pry_exec_t *x);
void pry_exec_close(pry_exec_t *x);

/* Run |fn| in a child and fill |r| (free r->err with pry_out_free). The
 * child's log is in x->log afterwards. Returns 0, or -1 when the child
 * could not be started or the run was interrupted. */
int pry_exec(pry_exec_t *x, pry_child_fn fn, void *arg, pry_result_t *r);

/* One run of |prop| on |in| (BYTES) or on recorded values, in a child. */
int pry_exec_bytes(pry_exec_t *x, int prop, const uint8_t *in, size_t len,
                   pry_result_t *r);
int pry_exec_values(pry_exec_t *x, int prop, const pry_value_t *values,
                    size_t n, pry_result_t *r);

/* The outcome of a child that ended with |wstatus| (or was killed after
 * a hang), from its stderr in r->err and its log: fills the rest of |r|. */
void pry_exec_classify(pry_exec_t *x, pry_result_t *r, int wstatus, bool timed_out);
void pry_exec_read_all(int fd, pry_out_t *out);

/* exec_server.c: with x->persistent set, pry_exec_values runs in one
 * long-lived child, restarted only after a run crashes or hangs (AFL++'s
 * persistent mode, for the shrinker's many small runs). Returns 0 or -1
 * like pry_exec, or 1 when the values do not fit the shared request area
 * (the caller forks a child of its own). */
int pry_server_run(pry_exec_t *x, int prop, const pry_value_t *values, size_t n,
                   pry_result_t *r);
/* End the long-lived child, if any. */
void pry_server_stop(pry_exec_t *x);

/* Do two results fail the same way? Same status, same check site, or the
 * same crash kind at the same top frame. */
bool pry_same_failure(const pry_result_t *a, const pry_result_t *b);

/* Describe a result in one line ("failed check at f.c:12"). */
void pry_result_describe(const pry_result_t *r, pry_out_t *out);

#endif
