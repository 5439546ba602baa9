/*
 * stateful.c: stateful properties (pry.h §13). A sequence of commands is
 * drawn as a pry list whose elements are [command choice, the command's
 * own draws], so it records, shrinks and fuzzes as any list does; this
 * file runs it on the user's state with preconditions and invariants, and
 * prints it as numbered calls and as C.
 */
#include "pry_internal.h"

#include <inttypes.h>
#include <string.h>

/* Where a run is, for the note a failure gets: after set-up (step 0) or
 * after step |step|, inside command |cmd| or invariant |inv| (-1: none). */
typedef struct {
    size_t step;
    int cmd;
    int inv;
} where_t;

static void check_invariants(pry_t *p, const pry_machine_t *m, const void *state,
                             volatile where_t *at)
{
    for (size_t i = 0; i < m->n_invariants; i++) {
        at->inv = (int)i;
        m->invariants[i].check(p, state);
    }
    at->inv = -1;
}

/* The note that says where a failed check was, so a failing invariant is
 * named (its check site alone may be shared). */
static void note_failure(pry_t *p, const pry_machine_t *m, const where_t *at)
{
    if (at->inv >= 0 && at->step == 0)
        pry_note(p, "invariant %s failed after set-up", m->invariants[at->inv].name);
    else if (at->inv >= 0)
        pry_note(p, "invariant %s failed after step %zu (%s)", m->invariants[at->inv].name,
                 at->step, m->commands[at->cmd].name);
    else if (at->cmd >= 0)
        pry_note(p, "step %zu (%s) failed", at->step, m->commands[at->cmd].name);
}

/* Random-mode weights with the disabled commands at 0; the count enabled. */
static size_t enabled_weights(const pry_machine_t *m, const void *state, unsigned w[])
{
    size_t enabled = 0;
    for (size_t i = 0; i < m->n_commands; i++) {
        const pry_command_t *c = &m->commands[i];
        bool on = c->pre == NULL || c->pre(state);
        w[i] = on ? (c->weight ? c->weight : 1) : 0;
        enabled += on;
    }
    return enabled;
}

void pry_steps(pry_t *p, const char *label, const pry_machine_t *m, void *state)
{
    if (m->n_commands == 0 || m->n_commands > PRY_MAX_COMMANDS)
        pry_fail_at(p, __FILE__, __LINE__, NULL,
                    "pry_steps: a machine has 1..%d commands, this one %zu",
                    PRY_MAX_COMMANDS, m->n_commands);
    /* A failed check longjmps to the run's escape; pass through here on
     * the way, to say where it was. */
    volatile where_t at = {0, -1, -1};
    jmp_buf catch;
    jmp_buf *volatile outer = p->escape;
    if (setjmp(catch) != 0) {
        p->escape = outer;
        p->step_element = 0;
        where_t w = at;
        note_failure(p, m, &w);
        longjmp(*outer, 1);
    }
    p->escape = &catch;
    check_invariants(p, m, state, &at);

    pry_list_t l = pry_list(p, label, m->max_steps);
    if (l.group != 0) {
        /* Marked, so reports print it as calls; the list's text holds the
         * subject for the C form (the list itself prints as its steps). */
        p->log->entries[l.group - 1].flags |= PRY_F_STEPS;
        if (m->subject != NULL)
            p->log->entries[l.group - 1].text =
                pry_pool_add(p, m->subject, strlen(m->subject));
    }
    unsigned w[PRY_MAX_COMMANDS];
    for (;;) {
        /* Nothing enabled: the sequence ends here, without a "more?". */
        if (enabled_weights(m, state, w) == 0) {
            pry_list_end(p, &l);
            break;
        }
        if (!pry_list_more(p, &l))
            break;
        size_t i = pry_weighted(p, NULL, m->n_commands, w);
        const pry_command_t *c = &m->commands[i];
        if (p->last_entry != 0)
            p->log->entries[p->last_entry - 1].text =
                pry_pool_add(p, c->name, strlen(c->name));
        at.step = l.count;
        at.cmd = (int)i;
        p->step_element = l.element;
        c->run(p, state);
        p->step_element = 0;
        check_invariants(p, m, state, &at);
    }
    p->escape = outer;
}

void pry_step_result(pry_t *p, const char *fmt, ...)
{
    if (p->step_element == 0 || !p->record || p->log == NULL)
        return;
    pry_out_t out;
    pry_out_init(&out);
    va_list ap;
    va_start(ap, fmt);
    pry_out_vprintf(&out, fmt, ap);
    va_end(ap);
    if (out.buf != NULL)
        p->log->entries[p->step_element - 1].text = pry_pool_add(p, out.buf, out.len);
    pry_out_free(&out);
}

/* ---- printing a recorded sequence ---- */

/* One past the last entry inside entry |i| (groups and blobs span more). */
static uint32_t span_end(const pry_log_t *log, uint32_t i)
{
    const pry_entry_t *e = &log->entries[i];
    if (!PRY_KIND_IS_GROUP(e->kind) && e->kind != PRY_K_BLOB)
        return i + 1;
    return e->end > i && e->end <= log->n_entries ? e->end : i + 1;
}

/* A drawn value as a C expression: integers as literals, strings quoted,
 * a named choice or a typed value as its printed text. */
static void print_c_value(pry_out_t *out, const pry_log_t *log, uint32_t i)
{
    const pry_entry_t *e = &log->entries[i];
    switch (e->kind) {
    case PRY_K_INT:
        if ((int64_t)e->value == INT64_MIN)
            pry_out_printf(out, "INT64_MIN");
        else
            pry_out_printf(out, "%" PRId64, (int64_t)e->value);
        return;
    case PRY_K_UINT:
    case PRY_K_INDEX:
    case PRY_K_WEIGHTED:
        if (e->text == 0) {
            pry_out_printf(out, "%" PRIu64 "%s", e->value, e->value > INT32_MAX ? "u" : "");
            return;
        }
        break;
    default:
        break;
    }
    pry_report_value(out, log, i);
}

/* The steps of list |g|: calls one per line, numbered (|c| false) or as C
 * statements (|c| true), each line after |indent| spaces. */
static unsigned print_steps(pry_out_t *out, const pry_log_t *log, uint32_t g, int indent,
                            const char *subject, bool c)
{
    unsigned n = 0;
    for (uint32_t el = g + 1; el < span_end(log, g); el = span_end(log, el)) {
        const pry_entry_t *e = &log->entries[el];
        if (e->kind != PRY_K_ELEMENT)
            continue;
        uint32_t end = span_end(log, el), j = el + 1;
        const char *name = j < end ? pry_pool_str(log, log->entries[j].text) : NULL;
        pry_out_printf(out, "%*s", indent, "");
        n++;
        if (!c)
            pry_out_printf(out, "%u. ", n);
        pry_out_printf(out, "%s(", name != NULL ? name : "?");
        int args = 0;
        if (c && subject != NULL)
            pry_out_printf(out, "%s", subject), args++;
        for (j = j + 1; j < end; j = span_end(log, j)) {
            const char *arg = pry_pool_str(log, log->entries[j].label);
            pry_out_printf(out, args++ ? ", " : "");
            if (c) {
                print_c_value(out, log, j);
                continue;
            }
            if (arg != NULL) /* as Hypothesis prints a rule: push(x = 3) */
                pry_out_printf(out, "%s = ", arg);
            pry_report_value(out, log, j);
        }
        pry_out_printf(out, c ? ");" : ")");
        const char *result = pry_pool_str(log, e->text);
        if (result != NULL)
            pry_out_printf(out, c ? " // -> %s" : " -> %s", result);
        pry_out_putc(out, '\n');
    }
    return n;
}

void pry_report_steps(pry_out_t *out, const pry_log_t *log, uint32_t g, int indent)
{
    const char *label = pry_pool_str(log, log->entries[g].label);
    pry_out_printf(out, "%*s%s:\n", indent, "", label != NULL ? label : "steps");
    if (print_steps(out, log, g, indent + 2, NULL, false) == 0)
        pry_out_printf(out, "%*s(no steps)\n", indent + 2, "");
}

void pry_report_steps_c(pry_out_t *out, const pry_log_t *log, int indent)
{
    for (uint32_t i = 0; i < log->n_entries; i = span_end(log, i)) {
        const pry_entry_t *e = &log->entries[i];
        if (e->kind != PRY_K_LIST || !(e->flags & PRY_F_STEPS))
            continue;
        /* The other top-level draws (the set-up's) as comments first. */
        for (uint32_t k = 0; k < log->n_entries; k = span_end(log, k)) {
            const pry_entry_t *s = &log->entries[k];
            if (k == i || s->depth != 0 || s->label == 0)
                continue;
            pry_out_printf(out, "%*s// %s = ", indent, "", pry_pool_str(log, s->label));
            pry_report_value(out, log, k);
            pry_out_putc(out, '\n');
        }
        print_steps(out, log, i, indent, pry_pool_str(log, e->text), true);
        return;
    }
}
