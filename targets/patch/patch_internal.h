/*
 * patch_internal.h: helpers shared by the library's files (not installed).
 */
#ifndef PRY_PATCH_INTERNAL_H
#define PRY_PATCH_INTERNAL_H

#include "patch.h"

#include <stddef.h>
#include <string.h>

/* A growable byte buffer. data is owned; free with free() or hand it out
 * (patch_bytes_free is free()). A failed append sets oom and leaves the
 * buffer as it was, so callers check once at the end. */
typedef struct pbuf {
    char *data;
    size_t len, cap;
    int oom;
} pbuf;

void pbuf_put(pbuf *b, const void *p, size_t n);
void pbuf_putc(pbuf *b, char c);
void pbuf_puts(pbuf *b, const char *s);
void pbuf_putl(pbuf *b, long v);
/* Finish: NUL-terminate and hand the data out; PATCH_OK or PATCH_ERR_NOMEM
 * (then the buffer is freed). */
int pbuf_finish(pbuf *b, char **out, size_t *out_len);

/* A line of a text being patched or diffed: points into the caller's
 * buffer (not owned). nl says whether a '\n' followed it. */
typedef struct pline {
    const char *p;
    size_t len;
    int nl;
} pline;

/* Split text into lines. *out is malloc'd (free() it), may be NULL when
 * *n == 0. */
int pline_split(const char *text, size_t len, pline **out, size_t *n);

static inline int pline_eq(const pline *a, const pline *b)
{
    return a->len == b->len && a->nl == b->nl &&
           (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

/* Deep-free the contents of a file patch (not the struct itself). */
void patch_file_clear(patch_file *f);

/* Write a file name as it goes on a ---/+++ or diff --git line: C-quoted
 * (like git and GNU diff) when it holds bytes that would not survive. */
void patch_name_put(pbuf *b, const char *prefix, const char *name);

#endif
