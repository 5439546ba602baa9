/*
 * runner_replay.c: --replay PATH, every input of a corpus (files or
 * folders of raw bytes or .cbor records) run once, for `./pry cov`.
 *
 * All inputs run in one child, one after the other, so a coverage build
 * (clang -fprofile-instr-generate) writes one profile for the whole
 * corpus, not one per input. The child writes it itself before it exits:
 * pry_exec's children leave with _exit, which skips the profile
 * runtime's atexit hook. When an input crashes or hangs the child, it is
 * marked and the replay starts again from the first input without it
 * (the crashed child's counters were never written), so the profile
 * covers every input that does not crash.
 */
#include "record.h"
#include "runner.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

/* The profile runtime's entry points (compiler-rt InstrProfiling.h), weak:
 * present only in a coverage build, NULL in every other. */
extern int __llvm_profile_write_file(void) __attribute__((weak));
extern void __llvm_profile_reset_counters(void) __attribute__((weak));

/* What happened to one input; shared with the child through mmap. */
enum { ST_TODO, ST_RUNNING, ST_PASS, ST_DISCARD, ST_FAIL, ST_CRASH, ST_SKIP };

typedef struct {
    char *path;
    uint8_t *data; /* raw bytes (NULL for a record) */
    size_t len;
    int prop;
    pry_record_t rec; /* a record's values */
    bool is_record;
} item_t;

typedef struct {
    item_t *items;
    size_t n, cap;
    volatile uint8_t *status; /* MAP_SHARED, one per item */
} replay_t;

static int add_file(const pry_opts_t *o, replay_t *r, const char *path)
{
    size_t n;
    uint8_t *data = pry_read_file(path, &n);
    if (data == NULL)
        return -1;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 256;
        item_t *grown = realloc(r->items, cap * sizeof *grown);
        if (grown == NULL) {
            free(data);
            fprintf(stderr, "pry: out of memory\n");
            return -1;
        }
        r->items = grown;
        r->cap = cap;
    }
    item_t *it = &r->items[r->n];
    memset(it, 0, sizeof *it);
    it->path = strdup(path);
    it->is_record = pry_record_sniff(data, n);
    if (it->is_record) {
        char err[256];
        int ok = pry_record_decode(data, n, &it->rec, err, sizeof err);
        free(data);
        if (ok != 0 || strcmp(it->rec.harness, o->harness) != 0) {
            fprintf(stderr, "pry: skipping %s: %s\n", path,
                    ok != 0 ? err : "a record of another harness");
            pry_record_free(&it->rec);
            free(it->path);
            return 0;
        }
        it->prop = o->n_tests > 0 ? pry_property_find(o->tests[0])
                                  : pry_property_find(it->rec.property);
        if (it->prop < 0) {
            fprintf(stderr, "pry: skipping %s: no property '%s'\n", path, it->rec.property);
            pry_record_free(&it->rec);
            free(it->path);
            return 0;
        }
    } else {
        /* Which property: --test, the only one, or the first byte. */
        const uint8_t *d = data;
        size_t len = n;
        int fixed = o->n_tests > 0 ? pry_property_find(o->tests[0]) : -1;
        it->prop = pry_select_property(&d, &len, fixed);
        it->data = malloc(len + 1);
        if (it->data == NULL) {
            free(data);
            free(it->path);
            return -1;
        }
        memcpy(it->data, d, len);
        it->len = len;
        free(data);
    }
    r->n++;
    return 0;
}

static int add_path(const pry_opts_t *o, replay_t *r, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "pry: %s: no such file or folder\n", path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return add_file(o, r, path);
    DIR *d = opendir(path);
    if (d == NULL) {
        fprintf(stderr, "pry: cannot read folder %s\n", path);
        return -1;
    }
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        if (stat(sub, &st) == 0 && S_ISREG(st.st_mode))
            rc = add_file(o, r, sub);
    }
    closedir(d);
    return rc;
}

static void child_replay(pry_exec_t *x, void *arg)
{
    replay_t *r = arg;
    if (__llvm_profile_reset_counters != NULL)
        __llvm_profile_reset_counters();
    for (size_t i = 0; i < r->n; i++) {
        if (r->status[i] == ST_CRASH)
            continue;
        item_t *it = &r->items[i];
        r->status[i] = ST_RUNNING;
        x->p.values = it->is_record ? it->rec.values : NULL;
        x->p.n_values = it->is_record ? it->rec.n_values : 0;
        pry_source_begin_run(&x->p, it->is_record ? PRY_SRC_VALUES : PRY_SRC_BYTES,
                             it->data, it->len);
        pry_run_status st = pry_run_one(&x->p, it->prop);
        r->status[i] = st == PRY_RUN_PASS ? ST_PASS : st == PRY_RUN_DISCARD ? ST_DISCARD
                                                                            : ST_FAIL;
    }
    if (__llvm_profile_write_file != NULL)
        __llvm_profile_write_file();
}

int pry_cmd_replay(pry_opts_t *o, const char *const *paths, size_t n_paths)
{
    replay_t r;
    memset(&r, 0, sizeof r);
    for (size_t k = 0; k < n_paths; k++)
        if (add_path(o, &r, paths[k]) != 0)
            return 2;
    int rc = 0;
    size_t counts[ST_SKIP + 1] = {0};
    pry_exec_t x;
    if (r.n > 0) {
        r.status = mmap(NULL, r.n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (r.status == MAP_FAILED || pry_exec_open(&x) != 0) {
            fprintf(stderr, "pry: cannot set up the replay\n");
            return 2;
        }
        x.timeout = o->timeout;
        for (;;) {
            pry_result_t res;
            if (pry_exec(&x, child_replay, &r, &res) != 0) {
                rc = 2;
                break;
            }
            bool crashed = res.status == PRY_RUN_CRASH || res.status == PRY_RUN_TIMEOUT;
            pry_out_free(&res.err);
            size_t i;
            for (i = 0; i < r.n && r.status[i] != ST_RUNNING; i++)
                ;
            if (!crashed || i == r.n)
                break;
            /* Input i took the child down: leave it out and start again. */
            r.status[i] = ST_CRASH;
            if (!o->quiet)
                fprintf(stderr, "pry: %s crashes or hangs %s/%s; replaying without it\n",
                        r.items[i].path, o->harness,
                        pry_property_at((size_t)r.items[i].prop)->name);
        }
        for (size_t i = 0; i < r.n; i++)
            counts[r.status[i]]++;
        pry_exec_close(&x);
        munmap((void *)r.status, r.n);
    }
    printf("replayed %zu inputs: %zu passed, %zu discarded, %zu failed, %zu crashed\n",
           r.n, counts[ST_PASS], counts[ST_DISCARD], counts[ST_FAIL], counts[ST_CRASH]);
    for (size_t i = 0; i < r.n; i++) {
        free(r.items[i].path);
        free(r.items[i].data);
        pry_record_free(&r.items[i].rec);
    }
    free(r.items);
    return rc;
}
