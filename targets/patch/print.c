/*
 * print.c: patch_set -> unified diff text, in the form parse.c reads back
 * to the same structure (names quoted when needed, CRLF files printed with
 * CRLF, "\ No newline at end of file" after each side's last line).
 */
#include "patch_internal.h"

#include <stdlib.h>
#include <string.h>

/* Quote when the plain form would not parse back to the same bytes: a
 * leading quote, TAB (ends a name), control bytes, a trailing CR, or a
 * space on the "diff --git" line where it makes the split ambiguous. */
static int needs_quote(const char *s, int space_matters)
{
    if (s[0] == '"' || strcmp(s, "/dev/null") == 0)
        return 1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f || (space_matters && *p == ' '))
            return 1;
    return 0;
}

static void put_name(pbuf *b, const char *name, int space_matters)
{
    if (!needs_quote(name, space_matters)) {
        pbuf_puts(b, name);
        return;
    }
    pbuf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        unsigned char c = *p;
        const char *esc = NULL;
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\t': esc = "\\t"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        default: break;
        }
        if (esc) {
            pbuf_puts(b, esc);
        } else if (c < 0x20 || c == 0x7f) {
            char o[4] = {'\\', (char)('0' + (c >> 6)),
                         (char)('0' + ((c >> 3) & 7)), (char)('0' + (c & 7))};
            pbuf_put(b, o, 4);
        } else {
            pbuf_putc(b, (char)c);
        }
    }
    pbuf_putc(b, '"');
}

void patch_name_put(pbuf *b, const char *prefix, const char *name)
{
    pbuf_puts(b, prefix);
    if (name == NULL)
        pbuf_puts(b, "/dev/null");
    else
        put_name(b, name, 0);
}

static void put_octal(pbuf *b, unsigned v)
{
    char tmp[16];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + (v & 7));
        v >>= 3;
    } while (v);
    pbuf_put(b, tmp + i, sizeof tmp - i);
}

/* The path after the first component ("a/x/y" -> "x/y"), as git writes it
 * on "rename from" lines. */
static const char *drop_first(const char *s)
{
    const char *sl = strchr(s, '/');
    return sl && sl[1] ? sl + 1 : s;
}

static void put_range(pbuf *b, char sign, long start, long count)
{
    pbuf_putc(b, sign);
    pbuf_putl(b, start);
    if (count != 1) {
        pbuf_putc(b, ',');
        pbuf_putl(b, count);
    }
}

static void print_hunk(pbuf *b, const patch_hunk *h, const char *eol)
{
    size_t last_old = (size_t)-1, last_new = (size_t)-1;
    for (size_t i = 0; i < h->nlines; i++) {
        if (h->lines[i].kind != '+')
            last_old = i;
        if (h->lines[i].kind != '-')
            last_new = i;
    }
    pbuf_puts(b, "@@ ");
    put_range(b, '-', h->old_start, h->old_count);
    pbuf_putc(b, ' ');
    put_range(b, '+', h->new_start, h->new_count);
    pbuf_puts(b, " @@");
    if (h->section)
        pbuf_puts(b, h->section);
    pbuf_puts(b, eol);
    for (size_t i = 0; i < h->nlines; i++) {
        pbuf_putc(b, h->lines[i].kind);
        pbuf_put(b, h->lines[i].text, h->lines[i].len);
        pbuf_puts(b, eol);
        if ((h->old_nonl && i == last_old) || (h->new_nonl && i == last_new)) {
            pbuf_puts(b, "\\ No newline at end of file");
            pbuf_puts(b, eol);
        }
    }
}

static void print_file(pbuf *b, const patch_file *f)
{
    const char *eol = (f->flags & PATCH_F_CRLF) ? "\r\n" : "\n";
    int git = (f->flags & PATCH_F_GIT) != 0;
    int create = (f->flags & PATCH_F_CREATE) != 0;
    int del = (f->flags & PATCH_F_DELETE) != 0;
    if (git) {
        const char *on = f->old_name ? f->old_name : f->new_name;
        const char *nn = f->new_name ? f->new_name : f->old_name;
        pbuf_puts(b, "diff --git ");
        put_name(b, on ? on : "a", 1);
        pbuf_putc(b, ' ');
        put_name(b, nn ? nn : "b", 1);
        pbuf_putc(b, '\n');
        if (create && f->new_mode) {
            pbuf_puts(b, "new file mode ");
            put_octal(b, f->new_mode);
            pbuf_putc(b, '\n');
        } else if (del && f->old_mode) {
            pbuf_puts(b, "deleted file mode ");
            put_octal(b, f->old_mode);
            pbuf_putc(b, '\n');
        }
        if (!create && !del) {
            if (f->old_mode) {
                pbuf_puts(b, "old mode ");
                put_octal(b, f->old_mode);
                pbuf_putc(b, '\n');
            }
            if (f->new_mode) {
                pbuf_puts(b, "new mode ");
                put_octal(b, f->new_mode);
                pbuf_putc(b, '\n');
            }
        }
        if (f->similarity >= 0) {
            pbuf_puts(b, "similarity index ");
            pbuf_putl(b, f->similarity);
            pbuf_puts(b, "%\n");
        }
        const char *kind = (f->flags & PATCH_F_RENAME) ? "rename"
                           : (f->flags & PATCH_F_COPY) ? "copy" : NULL;
        if (kind && on && nn) {
            pbuf_puts(b, kind);
            pbuf_puts(b, " from ");
            put_name(b, drop_first(on), 0);
            pbuf_putc(b, '\n');
            pbuf_puts(b, kind);
            pbuf_puts(b, " to ");
            put_name(b, drop_first(nn), 0);
            pbuf_putc(b, '\n');
        }
        if (f->git_index) {
            pbuf_puts(b, "index ");
            pbuf_puts(b, f->git_index);
            pbuf_putc(b, '\n');
        }
        /* git leaves out ---/+++ when there are no hunks, but then a
         * plain "---/+++" file patch printed next would be read as part of
         * this one: always print them (GNU patch and git accept both). */
    }
    patch_name_put(b, "--- ", create ? NULL : f->old_name);
    if (f->old_stamp) {
        pbuf_putc(b, '\t');
        pbuf_puts(b, f->old_stamp);
    }
    pbuf_puts(b, eol);
    patch_name_put(b, "+++ ", del ? NULL : f->new_name);
    if (f->new_stamp) {
        pbuf_putc(b, '\t');
        pbuf_puts(b, f->new_stamp);
    }
    pbuf_puts(b, eol);
    for (size_t h = 0; h < f->nhunks; h++)
        print_hunk(b, &f->hunks[h], eol);
}

int patch_file_print(const patch_file *file, char **out, size_t *out_len)
{
    pbuf b = {0};
    if (file == NULL || out == NULL)
        return PATCH_ERR_INVAL;
    print_file(&b, file);
    return pbuf_finish(&b, out, out_len);
}

int patch_set_print(const patch_set *set, char **out, size_t *out_len)
{
    pbuf b = {0};
    if (set == NULL || out == NULL)
        return PATCH_ERR_INVAL;
    for (size_t i = 0; i < set->nfiles; i++)
        print_file(&b, &set->files[i]);
    return pbuf_finish(&b, out, out_len);
}
