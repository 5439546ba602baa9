/*
 * util.c: the byte buffer, line splitting, freeing and error strings.
 */
#include "patch_internal.h"

#include <stdlib.h>
#include <string.h>

const char *patch_strerror(int result)
{
    switch (result) {
    case PATCH_OK: return "success";
    case PATCH_ERR_NOMEM: return "out of memory";
    case PATCH_ERR_SYNTAX: return "malformed patch";
    case PATCH_ERR_RANGE: return "line number or count too large";
    case PATCH_ERR_COUNT: return "hunk body does not match the line counts in its header";
    case PATCH_ERR_BINARY: return "binary patches are not supported";
    case PATCH_ERR_PATH: return "unsafe file name (absolute or climbing out with ..)";
    case PATCH_ERR_STRIP: return "file name has fewer components than -p strips";
    case PATCH_ERR_FAILED: return "some hunks failed to apply";
    case PATCH_ERR_INVAL: return "invalid argument";
    default: return "unknown error";
    }
}

void pbuf_put(pbuf *b, const void *p, size_t n)
{
    if (b->oom)
        return;
    /* +1 keeps room for the NUL pbuf_finish adds. */
    if (n + 1 > b->cap - b->len || b->data == NULL) {
        size_t need = b->len + n + 1;
        size_t cap = b->cap ? b->cap : 256;
        if (need < n) { b->oom = 1; return; }
        while (cap < need) {
            if (cap > ((size_t)-1) / 2) { b->oom = 1; return; }
            cap *= 2;
        }
        char *d = realloc(b->data, cap);
        if (d == NULL) { b->oom = 1; return; }
        b->data = d;
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
}

void pbuf_putc(pbuf *b, char c) { pbuf_put(b, &c, 1); }

void pbuf_puts(pbuf *b, const char *s) { pbuf_put(b, s, strlen(s)); }

void pbuf_putl(pbuf *b, long v)
{
    char tmp[32];
    size_t i = sizeof tmp;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do {
        tmp[--i] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    if (v < 0)
        tmp[--i] = '-';
    pbuf_put(b, tmp + i, sizeof tmp - i);
}

int pbuf_finish(pbuf *b, char **out, size_t *out_len)
{
    pbuf_put(b, "", 0); /* makes sure data exists with room for the NUL */
    if (b->oom) {
        free(b->data);
        b->data = NULL;
        return PATCH_ERR_NOMEM;
    }
    b->data[b->len] = '\0';
    *out = b->data;
    if (out_len)
        *out_len = b->len;
    b->data = NULL;
    return PATCH_OK;
}

int pline_split(const char *text, size_t len, pline **out, size_t *n)
{
    size_t count = 0, i;
    *out = NULL;
    *n = 0;
    for (i = 0; i < len; i++)
        if (text[i] == '\n')
            count++;
    if (len && text[len - 1] != '\n')
        count++;
    if (count == 0)
        return PATCH_OK;
    pline *v = malloc(count * sizeof *v);
    if (v == NULL)
        return PATCH_ERR_NOMEM;
    size_t k = 0, start = 0;
    while (start < len) {
        const char *nlp = memchr(text + start, '\n', len - start);
        size_t end = nlp ? (size_t)(nlp - text) : len;
        v[k].p = text + start;
        v[k].len = end - start;
        v[k].nl = nlp != NULL;
        k++;
        start = nlp ? end + 1 : len;
    }
    *out = v;
    *n = k;
    return PATCH_OK;
}

void patch_bytes_free(char *bytes) { free(bytes); }

void patch_file_clear(patch_file *f)
{
    if (f == NULL)
        return;
    for (size_t h = 0; h < f->nhunks; h++) {
        patch_hunk *hk = &f->hunks[h];
        for (size_t i = 0; i < hk->nlines; i++)
            free(hk->lines[i].text);
        free(hk->lines);
        free(hk->section);
    }
    free(f->hunks);
    free(f->old_name);
    free(f->new_name);
    free(f->old_stamp);
    free(f->new_stamp);
    free(f->git_index);
    memset(f, 0, sizeof *f);
}

void patch_file_free(patch_file *file)
{
    if (file == NULL)
        return;
    patch_file_clear(file);
    free(file);
}

void patch_set_free(patch_set *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->nfiles; i++)
        patch_file_clear(&set->files[i]);
    free(set->files);
    free(set);
}
