/*
 * out.c: a growing text buffer for printers and reports. An allocation
 * failure truncates the text (and sets |failed|) rather than failing the
 * caller: a report is best effort, a lost report line is not a crash.
 */
#include "pry_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pry_out_init(pry_out_t *out)
{
    out->buf = NULL;
    out->len = out->cap = 0;
    out->failed = false;
}

void pry_out_free(pry_out_t *out)
{
    free(out->buf);
    pry_out_init(out);
}

static bool reserve(pry_out_t *out, size_t extra)
{
    if (out->failed)
        return false;
    if (out->len + extra + 1 <= out->cap)
        return true;
    size_t cap = out->cap ? out->cap : 256;
    while (cap < out->len + extra + 1)
        cap *= 2;
    char *b = realloc(out->buf, cap);
    if (b == NULL) {
        out->failed = true;
        return false;
    }
    out->buf = b;
    out->cap = cap;
    return true;
}

void pry_out_write(pry_out_t *out, const char *s, size_t n)
{
    if (!reserve(out, n))
        return;
    memcpy(out->buf + out->len, s, n);
    out->len += n;
    out->buf[out->len] = '\0';
}

void pry_out_putc(pry_out_t *out, char c)
{
    pry_out_write(out, &c, 1);
}

void pry_out_vprintf(pry_out_t *out, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n <= 0 || !reserve(out, (size_t)n))
        return;
    vsnprintf(out->buf + out->len, (size_t)n + 1, fmt, ap);
    out->len += (size_t)n;
}

void pry_out_printf(pry_out_t *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pry_out_vprintf(out, fmt, ap);
    va_end(ap);
}

void pry_out_quoted(pry_out_t *out, const void *data, size_t len)
{
    const unsigned char *s = data;
    pry_out_putc(out, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        switch (c) {
        case '\n': pry_out_write(out, "\\n", 2); break;
        case '\r': pry_out_write(out, "\\r", 2); break;
        case '\t': pry_out_write(out, "\\t", 2); break;
        case '\\': pry_out_write(out, "\\\\", 2); break;
        case '"': pry_out_write(out, "\\\"", 2); break;
        default:
            if (c >= 0x20 && c < 0x7f) {
                pry_out_putc(out, (char)c);
            } else {
                /* \xNN, and break the literal if a hex digit follows so
                 * the C reading of the escape stays two digits. */
                pry_out_printf(out, "\\x%02x", c);
                if (i + 1 < len && ((s[i + 1] >= '0' && s[i + 1] <= '9') ||
                                    (s[i + 1] >= 'a' && s[i + 1] <= 'f') ||
                                    (s[i + 1] >= 'A' && s[i + 1] <= 'F')))
                    pry_out_write(out, "\"\"", 2);
            }
        }
    }
    pry_out_putc(out, '"');
}
