/*
 * report.c: turns the draw log into typed text. The same code prints a
 * failing run, a replayed counterexample and a saved record (`show`).
 */
#include "pry_internal.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

const char *pry_kind_name(unsigned kind)
{
    switch (kind) {
    case PRY_K_BOOL: return "bool";
    case PRY_K_UINT: return "uint";
    case PRY_K_INT: return "int";
    case PRY_K_INDEX: return "index";
    case PRY_K_NAMED: return "named";
    case PRY_K_WEIGHTED: return "weighted";
    case PRY_K_MORE: return "more";
    case PRY_K_BYTE: return "byte";
    case PRY_K_CHAR: return "char";
    case PRY_K_FLOAT: return "float";
    case PRY_K_DOUBLE: return "double";
    case PRY_K_LEN: return "len";
    case PRY_K_BLOB: return "blob";
    case PRY_K_NEWLINE: return "newline";
    case PRY_K_GROUP: return "group";
    case PRY_K_LIST: return "list";
    case PRY_K_ELEMENT: return "element";
    case PRY_K_STRING: return "string";
    case PRY_K_TEXT: return "text";
    default: return "unknown";
    }
}

static void print_double(pry_out_t *out, double d, uint64_t bits, int digits)
{
    if (isnan(d))
        pry_out_printf(out, "%snan (0x%" PRIx64 ")", signbit(d) ? "-" : "", bits);
    else if (isinf(d))
        pry_out_printf(out, "%sinf", d < 0 ? "-" : "");
    else if (d == 0)
        pry_out_printf(out, "%s0.0", signbit(d) ? "-" : "");
    else
        pry_out_printf(out, "%.*g", digits, d);
}

static void print_primitive(pry_out_t *out, const pry_log_t *log,
                            const pry_entry_t *e)
{
    const char *text = pry_pool_str(log, e->text);
    switch (e->kind) {
    case PRY_K_BOOL:
        pry_out_printf(out, "%s", e->value ? "true" : "false");
        break;
    case PRY_K_INT:
        pry_out_printf(out, "%" PRId64, (int64_t)e->value);
        break;
    case PRY_K_UINT:
    case PRY_K_LEN:
        pry_out_printf(out, "%" PRIu64, e->value);
        if (e->value >= 65536)
            pry_out_printf(out, " (0x%" PRIx64 ")", e->value);
        break;
    case PRY_K_NAMED:
    case PRY_K_INDEX:
    case PRY_K_WEIGHTED:
        if (text != NULL)
            pry_out_printf(out, "%s", text);
        else
            pry_out_printf(out, "%" PRIu64, e->value);
        break;
    case PRY_K_MORE:
        pry_out_printf(out, "%s", e->value ? "more" : "end");
        break;
    case PRY_K_BYTE:
    case PRY_K_CHAR: {
        uint8_t c = (uint8_t)e->value;
        if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\')
            pry_out_printf(out, "'%c'", c);
        else
            pry_out_printf(out, "0x%02x", c);
        break;
    }
    case PRY_K_FLOAT: {
        uint32_t b = (uint32_t)e->value;
        float f;
        memcpy(&f, &b, sizeof f);
        print_double(out, (double)f, b, 9);
        break;
    }
    case PRY_K_DOUBLE: {
        double d;
        memcpy(&d, &e->value, sizeof d);
        print_double(out, d, e->value, 17);
        break;
    }
    case PRY_K_NEWLINE:
        pry_out_printf(out, "%s", e->value ? "no final newline" : "final newline");
        break;
    default:
        pry_out_printf(out, "%" PRIu64, e->value);
    }
}

/* One past the last entry inside |e|. A group left open by a crash holds
 * everything after it. */
static uint32_t entry_end(const pry_log_t *log, const pry_entry_t *e)
{
    uint32_t i = (uint32_t)(e - log->entries);
    if (e->flags & PRY_F_OPEN)
        return log->n_entries;
    if (!PRY_KIND_IS_GROUP(e->kind) && e->kind != PRY_K_BLOB)
        return i + 1;
    return e->end > i && e->end <= log->n_entries ? e->end : i + 1;
}

/* The next direct child of group |g| after entry |j| (or the first when
 * j == g), or the group's end when there is none. */
static uint32_t next_child(const pry_log_t *log, uint32_t g, uint32_t j)
{
    uint32_t end = entry_end(log, &log->entries[g]);
    if (j == g)
        return g + 1 < end ? g + 1 : end;
    uint32_t next = entry_end(log, &log->entries[j]);
    if (next <= j)
        next = j + 1;
    return next < end ? next : end;
}

static void print_string(pry_out_t *out, const pry_log_t *log, uint32_t g)
{
    const pry_entry_t *e = &log->entries[g];
    pry_out_t s;
    pry_out_init(&s);
    for (uint32_t j = next_child(log, g, g); j < entry_end(log, e);
         j = next_child(log, g, j)) {
        const pry_entry_t *c = &log->entries[j];
        if (c->kind == PRY_K_BYTE || c->kind == PRY_K_CHAR)
            pry_out_putc(&s, (char)(uint8_t)c->value);
    }
    pry_out_quoted(out, s.buf ? s.buf : "", s.len);
    if (e->flags & PRY_F_BYTES)
        pry_out_printf(out, " (%zu byte%s)", s.len, s.len == 1 ? "" : "s");
    pry_out_free(&s);
}

static void collect_string(pry_out_t *s, const pry_log_t *log, uint32_t g)
{
    const pry_entry_t *e = &log->entries[g];
    for (uint32_t j = next_child(log, g, g); j < entry_end(log, e);
         j = next_child(log, g, j)) {
        const pry_entry_t *c = &log->entries[j];
        if (c->kind == PRY_K_BYTE || c->kind == PRY_K_CHAR)
            pry_out_putc(s, (char)(uint8_t)c->value);
    }
}

static void print_text(pry_out_t *out, const pry_log_t *log, uint32_t g)
{
    const pry_entry_t *e = &log->entries[g];
    pry_out_t s;
    pry_out_init(&s);
    size_t lines = 0;
    bool missing = false;
    for (uint32_t j = next_child(log, g, g); j < entry_end(log, e);
         j = next_child(log, g, j)) {
        const pry_entry_t *c = &log->entries[j];
        if (c->kind == PRY_K_STRING) {
            collect_string(&s, log, j);
            pry_out_putc(&s, '\n');
            lines++;
        } else if (c->kind == PRY_K_NEWLINE && c->value) {
            missing = true;
        }
    }
    if (missing && s.len > 0)
        s.len--;
    pry_out_quoted(out, s.buf ? s.buf : "", s.len);
    pry_out_printf(out, " (%zu line%s%s)", lines, lines == 1 ? "" : "s",
                   missing ? ", no final newline" : "");
    pry_out_free(&s);
}

static void print_blob(pry_out_t *out, const pry_log_t *log, uint32_t i)
{
    const pry_entry_t *e = &log->entries[i];
    size_t prefix = 0;
    if (i + 1 < entry_end(log, e) &&
        log->entries[i + 1].kind == PRY_K_LEN)
        prefix = log->entries[i + 1].len;
    size_t from = (size_t)e->start + prefix;
    size_t to = (size_t)e->start + e->len;
    if (to > log->input_len)
        to = log->input_len;
    if (from > to)
        from = to;
    pry_out_quoted(out, log->input + from, to - from);
    pry_out_printf(out, " (%zu byte%s)", to - from, to - from == 1 ? "" : "s");
}

void pry_report_value(pry_out_t *out, const pry_log_t *log, uint32_t i)
{
    const pry_entry_t *e = &log->entries[i];
    const char *text = pry_pool_str(log, e->text);
    if (e->kind == PRY_K_LIST && (e->flags & PRY_F_STEPS)) {
        pry_out_putc(out, '\n'); /* a nested sequence: its calls, below */
        pry_report_steps(out, log, i, 6);
        return;
    }
    if (e->kind == PRY_K_BLOB) {
        print_blob(out, log, i);
    } else if (!PRY_KIND_IS_GROUP(e->kind)) {
        print_primitive(out, log, e);
    } else if (text != NULL) {
        pry_out_printf(out, "%s", text);
    } else if (e->kind == PRY_K_STRING) {
        print_string(out, log, i);
    } else if (e->kind == PRY_K_TEXT) {
        print_text(out, log, i);
    } else if (e->kind == PRY_K_LIST) {
        pry_out_putc(out, '[');
        int n = 0;
        for (uint32_t j = next_child(log, i, i); j < entry_end(log, e);
             j = next_child(log, i, j)) {
            if (log->entries[j].kind == PRY_K_MORE)
                continue;
            pry_out_printf(out, n++ ? ", " : "");
            pry_report_value(out, log, j);
        }
        pry_out_putc(out, ']');
    } else {
        /* A plain group or element: one value prints as itself; several
         * print as a structure of their labels. Choices that only pick a
         * branch (oneof, recursive) print as the branch's name. */
        uint32_t kids[64];
        int n = 0;
        const char *branch = NULL;
        for (uint32_t j = next_child(log, i, i); j < entry_end(log, e);
             j = next_child(log, i, j)) {
            const pry_entry_t *c = &log->entries[j];
            if (c->kind == PRY_K_MORE)
                continue;
            if (c->kind == PRY_K_INDEX && c->label == 0 && c->text != 0 &&
                branch == NULL && n == 0) {
                branch = pry_pool_str(log, c->text);
                continue;
            }
            if (n < 64)
                kids[n++] = j;
        }
        if (branch != NULL)
            pry_out_printf(out, "%s", branch);
        if (n == 1 && log->entries[kids[0]].label == 0) {
            pry_out_printf(out, branch ? " " : "");
            pry_report_value(out, log, kids[0]);
            return;
        }
        if (n == 0 && branch != NULL)
            return;
        pry_out_printf(out, branch ? " {" : "{");
        for (int k = 0; k < n; k++) {
            const pry_entry_t *c = &log->entries[kids[k]];
            pry_out_printf(out, k ? ", " : "");
            if (c->label != 0)
                pry_out_printf(out, "%s = ", pry_pool_str(log, c->label));
            pry_report_value(out, log, kids[k]);
        }
        pry_out_putc(out, '}');
    }
    if (e->flags & PRY_F_ADAPTED)
        pry_out_printf(out, " (adapted)");
}

void pry_report_draws(pry_out_t *out, const pry_log_t *log, int indent)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < log->n_entries;) {
        const pry_entry_t *e = &log->entries[i];
        uint32_t next = entry_end(log, e);
        n++;
        if (e->depth == 0 && e->kind == PRY_K_LIST && (e->flags & PRY_F_STEPS)) {
            pry_report_steps(out, log, i, indent);
        } else if (e->depth == 0) {
            const char *label = pry_pool_str(log, e->label);
            if (label != NULL)
                pry_out_printf(out, "%*s%s = ", indent, "", label);
            else
                pry_out_printf(out, "%*s#%u = ", indent, "", n);
            pry_report_value(out, log, i);
            if (e->flags & PRY_F_OPEN)
                pry_out_printf(out, " ... (unfinished)");
            pry_out_putc(out, '\n');
        }
        i = next;
    }
    if (log->log_full)
        pry_out_printf(out, "%*s(the log filled up: later draws not shown)\n",
                       indent, "");
}
