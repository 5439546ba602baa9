/*
 * check.c: checks, assumptions and notes. A failed check records where and
 * why in the log and ends the run (the runner decides what a failure
 * means: abort() under a fuzzer, a report otherwise).
 */
#include "pry_internal.h"

#include <stdio.h>
#include <string.h>

static void set_site(pry_t *p, const char *file, int line, const char *expr)
{
    pry_log_t *log = p->log;
    if (log == NULL)
        return;
    log->fail_line = line;
    log->fail_file = pry_pool_add(p, file, strlen(file));
    log->fail_expr = expr ? pry_pool_add(p, expr, strlen(expr)) : 0;
}

static void set_message(pry_t *p, pry_out_t *msg)
{
    if (p->log != NULL && msg->buf != NULL)
        p->log->fail_message = pry_pool_add(p, msg->buf, msg->len);
    pry_out_free(msg);
}

_Noreturn void pry_fail_at(pry_t *p, const char *file, int line,
                           const char *expr, const char *fmt, ...)
{
    set_site(p, file, line, expr);
    pry_out_t msg;
    pry_out_init(&msg);
    va_list ap;
    va_start(ap, fmt);
    pry_out_vprintf(&msg, fmt, ap);
    va_end(ap);
    if (msg.buf != NULL && msg.buf[0] == ' ') { /* see pry_check in pry.h */
        memmove(msg.buf, msg.buf + 1, msg.len);
        msg.len--;
    }
    set_message(p, &msg);
    pry_end_run(p, PRY_RUN_FAIL);
}

_Noreturn void pry_discard_at(pry_t *p, const char *file, int line,
                              const char *expr)
{
    (void)file;
    (void)line;
    (void)expr;
    pry_end_run(p, PRY_RUN_DISCARD);
}

/* "left != right" messages: each side's expression and value. */
static _Noreturn void fail_eq(pry_t *p, const char *file, int line,
                              const char *ea, const char *eb, pry_out_t *msg)
{
    pry_out_t expr;
    pry_out_init(&expr);
    pry_out_printf(&expr, "%s == %s", ea, eb);
    set_site(p, file, line, expr.buf);
    pry_out_free(&expr);
    set_message(p, msg);
    pry_end_run(p, PRY_RUN_FAIL);
}

void pry_check_eq_int_at(pry_t *p, const char *file, int line, const char *ea,
                         const char *eb, intmax_t a, intmax_t b)
{
    if (a == b)
        return;
    pry_out_t msg;
    pry_out_init(&msg);
    pry_out_printf(&msg, "%s = %jd\n%s = %jd", ea, a, eb, b);
    fail_eq(p, file, line, ea, eb, &msg);
}

void pry_check_eq_uint_at(pry_t *p, const char *file, int line,
                          const char *ea, const char *eb, uintmax_t a,
                          uintmax_t b)
{
    if (a == b)
        return;
    pry_out_t msg;
    pry_out_init(&msg);
    pry_out_printf(&msg, "%s = %ju (0x%jx)\n%s = %ju (0x%jx)", ea, a, a, eb, b, b);
    fail_eq(p, file, line, ea, eb, &msg);
}

void pry_check_eq_str_at(pry_t *p, const char *file, int line, const char *ea,
                         const char *eb, const char *a, const char *b)
{
    if (a != NULL && b != NULL && strcmp(a, b) == 0)
        return;
    if (a == NULL && b == NULL)
        return;
    pry_out_t msg;
    pry_out_init(&msg);
    pry_out_printf(&msg, "%s = ", ea);
    if (a)
        pry_out_quoted(&msg, a, strlen(a));
    else
        pry_out_printf(&msg, "NULL");
    pry_out_printf(&msg, "\n%s = ", eb);
    if (b)
        pry_out_quoted(&msg, b, strlen(b));
    else
        pry_out_printf(&msg, "NULL");
    fail_eq(p, file, line, ea, eb, &msg);
}

void pry_check_eq_mem_at(pry_t *p, const char *file, int line, const char *ea,
                         const char *eb, const void *a, size_t alen,
                         const void *b, size_t blen)
{
    if (alen == blen && (alen == 0 || memcmp(a, b, alen) == 0))
        return;
    size_t first = 0;
    const unsigned char *ca = a, *cb = b;
    while (first < alen && first < blen && ca[first] == cb[first])
        first++;
    pry_out_t msg;
    pry_out_init(&msg);
    pry_out_printf(&msg, "%s = ", ea);
    pry_out_quoted(&msg, a, alen);
    pry_out_printf(&msg, " (%zu byte%s)\n%s = ", alen, alen == 1 ? "" : "s", eb);
    pry_out_quoted(&msg, b, blen);
    pry_out_printf(&msg, " (%zu byte%s)\nfirst difference at byte %zu", blen, blen == 1 ? "" : "s", first);
    fail_eq(p, file, line, ea, eb, &msg);
}

/* Notes are kept as one "\n"-separated text in the pool; each new note
 * is appended after copying the old ones (rare, small). */
static __attribute__((noinline)) void note_v(pry_t *p, const char *fmt, va_list ap)
{
    pry_log_t *log = p->log;
    pry_out_t note;
    pry_out_init(&note);
    pry_out_vprintf(&note, fmt, ap);
    if (note.buf != NULL) {
        pry_out_t all;
        pry_out_init(&all);
        if (log->notes != 0)
            pry_out_printf(&all, "%s\n", log->pool + log->notes);
        pry_out_write(&all, note.buf, note.len);
        if (all.buf != NULL) {
            log->notes = pry_pool_add(p, all.buf, all.len);
            log->notes_len = (uint32_t)all.len;
        }
        pry_out_free(&all);
    }
    pry_out_free(&note);
}

/* Fuzzing (recording off) keeps no notes: the test comes before anything
 * else, in a frame of its own. */
void pry_note(pry_t *p, const char *fmt, ...)
{
    if (!p->record || p->lean || p->log == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    note_v(p, fmt, ap);
    va_end(ap);
}
