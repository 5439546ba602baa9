/* hpack_encode.c: RFC 7541 §6 header block encoding. */
#include <stdlib.h>
#include <string.h>

#include "h2_internal.h"

struct h2_hpack_encoder {
    h2_hpack_table table;
    uint32_t pending_min;   /* smallest maximum set since the last block */
    uint32_t pending_final; /* the last maximum set */
    int pending;            /* size updates owed at the next block (§4.2) */
};

h2_hpack_encoder *h2_hpack_encoder_new(uint32_t max_table_size)
{
    h2_hpack_encoder *e = calloc(1, sizeof *e);
    if (e == NULL)
        return NULL;
    /* Both ends start at the same agreed maximum (as in RFC 7541 Appendix
       C.5), so no size update is sent for it. */
    h2_hpack_table_init(&e->table, max_table_size);
    return e;
}

void h2_hpack_encoder_del(h2_hpack_encoder *e)
{
    if (e == NULL)
        return;
    h2_hpack_table_free(&e->table);
    free(e);
}

void h2_hpack_encoder_set_max_table_size(h2_hpack_encoder *e, uint32_t max_table_size)
{
    if (!e->pending || max_table_size < e->pending_min)
        e->pending_min = max_table_size;
    e->pending_final = max_table_size;
    e->pending = 1;
}

size_t h2_hpack_encoder_table_len(const h2_hpack_encoder *e) { return e->table.len; }
size_t h2_hpack_encoder_table_size(const h2_hpack_encoder *e) { return e->table.size; }

typedef struct {
    uint8_t *out;
    size_t cap;
    size_t len;
} wbuf;

static int put_int(wbuf *w, uint8_t first, unsigned prefix, uint32_t v)
{
    size_t n;
    int rv = h2_hpack_encode_int(w->out + w->len, w->cap - w->len, &n, first, prefix, v);
    if (rv)
        return rv;
    w->len += n;
    return H2_OK;
}

/* §5.2 string literal */
static int put_string(wbuf *w, const uint8_t *s, size_t n, uint8_t nvflags)
{
    size_t hlen = h2_hpack_huffman_encoded_len(s, n), used;
    int huff, rv;
    if (n > UINT32_MAX)
        return H2_ERR_INVALID_ARGUMENT;
    if (nvflags & H2_NV_FLAG_HUFFMAN)
        huff = 1;
    else if (nvflags & H2_NV_FLAG_NO_HUFFMAN)
        huff = 0;
    else
        huff = n > 0 && hlen <= n; /* as RFC 7541 C.6.2 does for "307" */
    rv = put_int(w, huff ? 0x80 : 0x00, 7, (uint32_t)(huff ? hlen : n));
    if (rv)
        return rv;
    if (huff) {
        rv = h2_hpack_huffman_encode(w->out + w->len, w->cap - w->len, &used, s, n);
        if (rv)
            return rv;
        w->len += used;
        return H2_OK;
    }
    if (w->cap - w->len < n)
        return H2_ERR_BUFFER_TOO_SMALL;
    if (n)
        memcpy(w->out + w->len, s, n);
    w->len += n;
    return H2_OK;
}

static int mem_eq(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
    return al == bl && (al == 0 || memcmp(a, b, al) == 0);
}

/* Finds |nv| in the index space: *full = index of an exact match (0 if none),
   *name = index of a name match (0 if none); static table first. */
static void search(const h2_hpack_table *t, const h2_nv *nv, uint32_t *full, uint32_t *name)
{
    size_t i;
    *full = 0;
    *name = 0;
    for (i = 0; i < H2_HPACK_STATIC_TABLE_LEN; i++) {
        const h2_hpack_static_entry *s = &h2_hpack_static_table[i];
        if (mem_eq((const uint8_t *)s->name, s->namelen, nv->name, nv->namelen)) {
            if (*name == 0)
                *name = (uint32_t)i + 1;
            if (mem_eq((const uint8_t *)s->value, s->valuelen, nv->value, nv->valuelen)) {
                *full = (uint32_t)i + 1;
                return;
            }
        }
    }
    for (i = 0; i < t->len; i++) {
        const h2_hpack_entry *e = h2_hpack_table_get(t, i);
        if (mem_eq(e->data, e->namelen, nv->name, nv->namelen)) {
            uint32_t idx = (uint32_t)(i + H2_HPACK_STATIC_TABLE_LEN + 1);
            if (*name == 0)
                *name = idx;
            if (mem_eq(e->data + e->namelen, e->valuelen, nv->value, nv->valuelen)) {
                *full = idx;
                return;
            }
        }
    }
}

int h2_hpack_encode_block(h2_hpack_encoder *e, uint8_t *out, size_t outlen, size_t *written,
                          const h2_nv *nva, size_t n)
{
    wbuf w;
    size_t i;
    int rv;
    if (e == NULL || (out == NULL && outlen > 0) || (nva == NULL && n > 0))
        return H2_ERR_INVALID_ARGUMENT;
    w.out = out;
    w.cap = outlen;
    w.len = 0;
    if (e->pending) {
        /* §4.2: signal the smallest maximum since the last block, then the
           final one if it differs. */
        rv = put_int(&w, 0x20, 5, e->pending_min);
        if (rv)
            return rv;
        h2_hpack_table_set_max(&e->table, e->pending_min);
        if (e->pending_final != e->pending_min) {
            rv = put_int(&w, 0x20, 5, e->pending_final);
            if (rv)
                return rv;
            h2_hpack_table_set_max(&e->table, e->pending_final);
        }
        e->pending = 0;
    }
    for (i = 0; i < n; i++) {
        const h2_nv *nv = &nva[i];
        uint32_t full, name;
        int noindex = (nv->flags & (H2_NV_FLAG_NO_INDEX | H2_NV_FLAG_NEVER_INDEX)) != 0;
        if ((nv->name == NULL && nv->namelen) || (nv->value == NULL && nv->valuelen))
            return H2_ERR_INVALID_ARGUMENT;
        search(&e->table, nv, &full, &name);
        if (full && !noindex) {
            rv = put_int(&w, 0x80, 7, full); /* §6.1 */
            if (rv)
                return rv;
            continue;
        }
        if (noindex)
            rv = put_int(&w, (nv->flags & H2_NV_FLAG_NEVER_INDEX) ? 0x10 : 0x00, 4, name);
        else
            rv = put_int(&w, 0x40, 6, name);
        if (rv)
            return rv;
        if (name == 0 && (rv = put_string(&w, nv->name, nv->namelen, nv->flags)) != 0)
            return rv;
        if ((rv = put_string(&w, nv->value, nv->valuelen, nv->flags)) != 0)
            return rv;
        if (!noindex) {
            rv = h2_hpack_table_add(&e->table, nv->name, nv->namelen, nv->value, nv->valuelen);
            if (rv)
                return rv;
        }
    }
    if (written)
        *written = w.len;
    return H2_OK;
}
