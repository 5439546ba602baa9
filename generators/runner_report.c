/*
 * runner_report.c: the failure report, saved findings, and the --json
 * summary the ./pry wrapper reads.
 */
#include "runner.h"
#include "record.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void indent_lines(FILE *f, const char *text, int indent)
{
    const char *s = text;
    while (*s) {
        size_t n = strcspn(s, "\n");
        fprintf(f, "%*s%.*s\n", indent, "", (int)n, s);
        s += n;
        if (*s == '\n')
            s++;
    }
}

void pry_print_report(FILE *f, const pry_opts_t *o, pry_exec_t *x,
                      const pry_finding_t *fd, const char *replay_hint)
{
    pry_log_t *log = x->log;
    const pry_property_t *prop = pry_property_at((size_t)fd->prop);
    const pry_result_t *r = &fd->result;
    const char *what = r->status == PRY_RUN_FAIL    ? "FAILED"
                       : r->status == PRY_RUN_TIMEOUT ? "HUNG"
                       : r->status == PRY_RUN_PASS    ? "PASSED"
                                                      : "CRASHED";
    fprintf(f, "\n%s  %s/%s", what, o->harness, prop->name);
    if (fd->from_random)
        fprintf(f, "   (random mode: seed %" PRIu64 ", run %" PRIu64 ")",
                fd->seed, fd->run);
    fprintf(f, "\n");
    if (fd->flaky)
        fprintf(f, "  FLAKY: the failure did not happen again when re-run; "
                   "below is the re-run\n");
    if (r->status == PRY_RUN_FAIL) {
        const char *expr = pry_pool_str(log, log->fail_expr);
        const char *msg = pry_pool_str(log, log->fail_message);
        fprintf(f, "  check failed at %s\n", r->site);
        if (expr != NULL)
            fprintf(f, "    %s\n", expr);
        if (msg != NULL && msg[0])
            indent_lines(f, msg, 4);
    } else if (r->status == PRY_RUN_CRASH || r->status == PRY_RUN_TIMEOUT) {
        fprintf(f, "  %s%s%s\n", r->kind, r->site[0] ? " in " : "", r->site);
    }
    fprintf(f, "  drawn%s:\n", r->status == PRY_RUN_CRASH ? " before the crash" : "");
    pry_out_t draws;
    pry_out_init(&draws);
    pry_report_draws(&draws, log, 4);
    if (draws.len == 0)
        fprintf(f, "    (nothing)\n");
    else
        fputs(draws.buf, f);
    pry_out_free(&draws);
    if (log->notes != 0) {
        fprintf(f, "  notes:\n");
        indent_lines(f, pry_pool_str(log, log->notes), 4);
    }
    if (log->adapted)
        fprintf(f, "  (%u recorded value%s adapted to the current generators)\n",
                log->adapted, log->adapted == 1 ? "" : "s");
    fprintf(f, "  input: %zu byte%s", fd->len, fd->len == 1 ? "" : "s");
    if (fd->shrink_tries > 0)
        fprintf(f, " (shrunk from %zu in %.2f s: %u steps, %u tries)",
                fd->original_len, fd->shrink_seconds, fd->shrink_steps,
                fd->shrink_tries);
    fprintf(f, "\n");
    if (fd->saved_record[0])
        fprintf(f, "  saved: %s\n", fd->saved_record);
    if (fd->saved_raw[0])
        fprintf(f, "  raw:   %s\n", fd->saved_raw);
    if (replay_hint != NULL)
        fprintf(f, "  replay: %s\n", replay_hint);
}

void pry_save_finding(const pry_opts_t *o, pry_exec_t *x, pry_finding_t *fd)
{
    const pry_property_t *prop = pry_property_at((size_t)fd->prop);
    char dir[900];
    snprintf(dir, sizeof dir, "%s/%s/%s", o->save_dir, o->harness, prop->name);
    if (pry_mkdirs(dir) != 0) {
        fprintf(stderr, "pry: cannot create %s\n", dir);
        return;
    }
    uint64_t h = pry_hash64(fd->input, fd->len);
    snprintf(fd->saved_raw, sizeof fd->saved_raw, "%s/%016" PRIx64 ".bin", dir, h);
    if (pry_write_file(fd->saved_raw, fd->input, fd->len) != 0)
        fd->saved_raw[0] = 0;
    snprintf(fd->saved_record, sizeof fd->saved_record, "%s/%016" PRIx64 ".cbor",
             dir, h);
    if (pry_save_record_to(o, x, fd, fd->saved_record) != 0)
        fd->saved_record[0] = 0;
}

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s != NULL && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c < 0x20 || c >= 0x7f)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

void pry_write_json(const pry_opts_t *o, pry_exec_t *x, const pry_finding_t *fd,
                    const char *status, uint64_t runs, double seconds)
{
    if (o->json == NULL)
        return;
    FILE *f = fopen(o->json, "w");
    if (f == NULL) {
        fprintf(stderr, "pry: cannot write %s\n", o->json);
        return;
    }
    fprintf(f, "{\"harness\": ");
    json_str(f, o->harness);
    fprintf(f, ", \"status\": ");
    json_str(f, status);
    fprintf(f, ", \"runs\": %" PRIu64 ", \"seconds\": %.3f", runs, seconds);
    if (fd != NULL) {
        pry_log_t *log = x->log;
        const pry_result_t *r = &fd->result;
        fprintf(f, ", \"property\": ");
        json_str(f, pry_property_at((size_t)fd->prop)->name);
        fprintf(f, ", \"kind\": ");
        json_str(f, r->kind);
        fprintf(f, ", \"site\": ");
        json_str(f, r->site);
        fprintf(f, ", \"message\": ");
        const char *msg = r->status == PRY_RUN_FAIL
                              ? pry_pool_str(log, log->fail_message) : r->kind;
        json_str(f, msg ? msg : "");
        fprintf(f, ", \"expr\": ");
        json_str(f, r->status == PRY_RUN_FAIL ? pry_pool_str(log, log->fail_expr) : "");
        pry_out_t draws;
        pry_out_init(&draws);
        pry_report_draws(&draws, log, 0);
        fprintf(f, ", \"drawn\": ");
        json_str(f, draws.buf ? draws.buf : "");
        pry_out_free(&draws);
        fprintf(f, ", \"input_bytes\": %zu, \"original_bytes\": %zu", fd->len,
                fd->original_len);
        fprintf(f, ", \"shrink_seconds\": %.3f, \"shrink_steps\": %u",
                fd->shrink_seconds, fd->shrink_steps);
        fprintf(f, ", \"flaky\": %s", fd->flaky ? "true" : "false");
        if (fd->from_random)
            fprintf(f, ", \"seed\": %" PRIu64 ", \"run\": %" PRIu64, fd->seed, fd->run);
        fprintf(f, ", \"raw\": ");
        json_str(f, fd->saved_raw);
        fprintf(f, ", \"cbor\": ");
        json_str(f, fd->saved_record);
    }
    fprintf(f, "}\n");
    fclose(f);
}
