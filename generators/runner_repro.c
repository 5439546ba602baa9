/*
 * runner_repro.c: replay a saved input, shrink one, show a record.
 *
 * A file is either raw bytes (what a fuzzer saved) or a .cbor record
 * (record.c). Raw bytes replay byte for byte; a record replays value by
 * value, so it survives changes to the byte encoding.
 */
#include "runner.h"
#include "record.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Which property a raw input is for: --test / PRY_TEST, the only one, or
 * (several, none named) the first byte, as under the fuzzers. */
static int raw_property(const pry_opts_t *o, const uint8_t **data, size_t *len)
{
    int fixed = o->n_tests > 0 ? pry_property_find(o->tests[0]) : -1;
    return pry_select_property(data, len, fixed);
}

/* Load |file| as a finding: its property, its input bytes (for a record:
 * the bytes that its values encode to today). 0, or 2 on error. */
static int load_finding(pry_opts_t *o, pry_exec_t *x, const char *file,
                        pry_finding_t *fd, pry_record_t *rec, bool *is_record)
{
    size_t n;
    uint8_t *data = pry_read_file(file, &n);
    if (data == NULL)
        return 2;
    memset(fd, 0, sizeof fd[0]);
    *is_record = pry_record_sniff(data, n);
    if (*is_record) {
        char err[256];
        if (pry_record_decode(data, n, rec, err, sizeof err) != 0) {
            fprintf(stderr, "pry: %s: not a valid pry record: %s\n", file, err);
            free(data);
            return 2;
        }
        free(data);
        if (strcmp(rec->harness, o->harness) != 0) {
            fprintf(stderr, "pry: %s is a record for harness '%s', not '%s'\n",
                    file, rec->harness, o->harness);
            return 2;
        }
        int prop = o->n_tests > 0 ? pry_property_find(o->tests[0])
                                  : pry_property_find(rec->property);
        if (prop < 0) {
            fprintf(stderr, "pry: %s: harness %s has no property '%s'\n", file,
                    o->harness, rec->property);
            return 2;
        }
        fd->prop = prop;
        /* Replay by value once to get today's bytes. */
        pry_result_t r;
        if (pry_exec_values(x, prop, rec->values, rec->n_values, &r) != 0)
            return 2;
        pry_out_free(&r.err);
        fd->len = x->log->input_len;
        fd->input = malloc(fd->len + 1);
        if (fd->input == NULL)
            return 2;
        memcpy(fd->input, x->log->input, fd->len);
        return 0;
    }
    const uint8_t *d = data;
    fd->prop = raw_property(o, &d, &n);
    fd->len = n;
    fd->input = malloc(n + 1);
    if (fd->input == NULL) {
        free(data);
        return 2;
    }
    memcpy(fd->input, d, n);
    free(data);
    return 0;
}

/* A failing record is reported with the bytes it was saved with, as the
 * report that saved it printed them (input size, PRY_EXAMPLE line), when
 * those bytes still fail the same way; else with the bytes its values
 * encode to today. (They differ in form only: a shrunk input may stop
 * where every later draw reads zeros, the values' encoding writes them.)
 * On return x->log is the log of the run fd describes. */
static void prefer_saved_bytes(pry_exec_t *x, pry_finding_t *fd, const pry_record_t *rec)
{
    pry_result_t r;
    if (pry_exec_bytes(x, fd->prop, rec->input, rec->input_len, &r) != 0)
        return;
    if (pry_same_failure(&r, &fd->result)) {
        uint8_t *copy = malloc(rec->input_len + 1);
        if (copy != NULL) {
            memcpy(copy, rec->input, rec->input_len);
            free(fd->input);
            fd->input = copy;
            fd->len = fd->original_len = rec->input_len;
            pry_out_free(&fd->result.err);
            fd->result = r;
            return;
        }
    }
    pry_out_free(&r.err);
    /* Back to the log of the replay by value. */
    pry_result_t again;
    if (pry_exec_values(x, fd->prop, rec->values, rec->n_values, &again) == 0)
        pry_out_free(&again.err);
}

int pry_cmd_repro(pry_opts_t *o, const char *file)
{
    pry_exec_t x;
    if (pry_exec_open(&x) != 0)
        return 2;
    x.timeout = o->timeout;
    pry_finding_t fd;
    pry_record_t rec;
    memset(&rec, 0, sizeof rec);
    bool is_record;
    int rc = load_finding(o, &x, file, &fd, &rec, &is_record);
    if (rc != 0) {
        pry_record_free(&rec);
        pry_exec_close(&x);
        return rc;
    }
    x.show_stderr = true;
    if (is_record)
        rc = pry_exec_values(&x, fd.prop, rec.values, rec.n_values, &fd.result);
    else
        rc = pry_exec_bytes(&x, fd.prop, fd.input, fd.len, &fd.result);
    x.show_stderr = false;
    if (rc != 0) {
        pry_record_free(&rec);
        pry_exec_close(&x);
        return 2;
    }
    fd.original_len = fd.len;
    const char *name = pry_property_at((size_t)fd.prop)->name;
    int status;
    if (fd.result.status == PRY_RUN_PASS || fd.result.status == PRY_RUN_DISCARD) {
        printf("PASSED  %s/%s on %s%s\n", o->harness, name, file,
               fd.result.status == PRY_RUN_DISCARD ? " (discarded by pry_assume)" : "");
        if (!o->quiet) {
            pry_out_t draws;
            pry_out_init(&draws);
            pry_report_draws(&draws, x.log, 4);
            if (draws.len)
                printf("  drawn:\n%s", draws.buf);
            pry_out_free(&draws);
        }
        if (x.log->adapted)
            printf("  (%u recorded value%s adapted to the current generators)\n",
                   x.log->adapted, x.log->adapted == 1 ? "" : "s");
        pry_write_json(o, &x, NULL, "passed", 1, 0);
        status = 0;
    } else {
        if (is_record)
            prefer_saved_bytes(&x, &fd, &rec);
        pry_print_report(stdout, o, &x, &fd, NULL);
        if (!o->quiet)
            pry_print_regression(stdout, o, &x, &fd);
        pry_write_json(o, &x, &fd, fd.result.status == PRY_RUN_FAIL ? "failed" : "crashed", 1, 0);
        status = 1;
    }
    pry_out_free(&fd.result.err);
    free(fd.input);
    pry_record_free(&rec);
    pry_exec_close(&x);
    return status;
}

int pry_cmd_shrink(pry_opts_t *o, const char *file)
{
    pry_exec_t x;
    if (pry_exec_open(&x) != 0)
        return 2;
    x.timeout = o->timeout;
    pry_finding_t fd;
    pry_record_t rec;
    memset(&rec, 0, sizeof rec);
    bool is_record;
    int rc = load_finding(o, &x, file, &fd, &rec, &is_record);
    pry_record_free(&rec);
    if (rc != 0) {
        pry_exec_close(&x);
        return rc;
    }
    if (pry_exec_bytes(&x, fd.prop, fd.input, fd.len, &fd.result) != 0) {
        pry_exec_close(&x);
        return 2;
    }
    if (fd.result.status == PRY_RUN_PASS || fd.result.status == PRY_RUN_DISCARD) {
        fprintf(stderr, "pry: %s passes %s/%s: nothing to shrink\n", file,
                o->harness, pry_property_at((size_t)fd.prop)->name);
        pry_out_free(&fd.result.err);
        free(fd.input);
        pry_exec_close(&x);
        return 0;
    }
    fd.original_len = fd.len;
    pry_shrink(&x, &fd, o->shrink_budget, !o->quiet);
    /* Final run for the report (and the record's typed values). */
    pry_out_free(&fd.result.err);
    x.show_stderr = !o->quiet;
    rc = pry_exec_bytes(&x, fd.prop, fd.input, fd.len, &fd.result);
    x.show_stderr = false;
    if (rc == 0) {
        if (o->out != NULL) {
            if (pry_save_record_to(o, &x, &fd, o->out) == 0)
                snprintf(fd.saved_record, sizeof fd.saved_record, "%s", o->out);
        } else {
            pry_save_finding(o, &x, &fd);
        }
        pry_print_report(stdout, o, &x, &fd, NULL);
        if (!o->quiet)
            pry_print_regression(stdout, o, &x, &fd);
        pry_write_json(o, &x, &fd, fd.result.status == PRY_RUN_FAIL ? "failed" : "crashed", 1, 0);
    }
    pry_out_free(&fd.result.err);
    free(fd.input);
    pry_exec_close(&x);
    return rc == 0 ? 1 : 2;
}
