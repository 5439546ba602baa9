/* hpack_table.c: RFC 7541 Appendix A static table and §4 dynamic table. */
#include <stdlib.h>
#include <string.h>

#include "h2_internal.h"

#define S(n, v) {n, v, (uint8_t)(sizeof(n) - 1), (uint8_t)(sizeof(v) - 1)}

/* RFC 7541 Appendix A; index i+1 is element i. */
const h2_hpack_static_entry h2_hpack_static_table[H2_HPACK_STATIC_TABLE_LEN] = {
    S(":authority", ""),
    S(":method", "GET"),
    S(":method", "POST"),
    S(":path", "/"),
    S(":path", "/index.html"),
    S(":scheme", "http"),
    S(":scheme", "https"),
    S(":status", "200"),
    S(":status", "204"),
    S(":status", "206"),
    S(":status", "304"),
    S(":status", "400"),
    S(":status", "404"),
    S(":status", "500"),
    S("accept-charset", ""),
    S("accept-encoding", "gzip, deflate"),
    S("accept-language", ""),
    S("accept-ranges", ""),
    S("accept", ""),
    S("access-control-allow-origin", ""),
    S("age", ""),
    S("allow", ""),
    S("authorization", ""),
    S("cache-control", ""),
    S("content-disposition", ""),
    S("content-encoding", ""),
    S("content-language", ""),
    S("content-length", ""),
    S("content-location", ""),
    S("content-range", ""),
    S("content-type", ""),
    S("cookie", ""),
    S("date", ""),
    S("etag", ""),
    S("expect", ""),
    S("expires", ""),
    S("from", ""),
    S("host", ""),
    S("if-match", ""),
    S("if-modified-since", ""),
    S("if-none-match", ""),
    S("if-range", ""),
    S("if-unmodified-since", ""),
    S("last-modified", ""),
    S("link", ""),
    S("location", ""),
    S("max-forwards", ""),
    S("proxy-authenticate", ""),
    S("proxy-authorization", ""),
    S("range", ""),
    S("referer", ""),
    S("refresh", ""),
    S("retry-after", ""),
    S("server", ""),
    S("set-cookie", ""),
    S("strict-transport-security", ""),
    S("transfer-encoding", ""),
    S("user-agent", ""),
    S("vary", ""),
    S("via", ""),
    S("www-authenticate", ""),
};

void h2_hpack_table_init(h2_hpack_table *t, size_t max_size)
{
    memset(t, 0, sizeof *t);
    t->max_size = max_size;
}

static size_t entry_size(const h2_hpack_entry *e)
{
    return e->namelen + e->valuelen + H2_HPACK_ENTRY_OVERHEAD; /* §4.1 */
}

/* Removes the oldest entry. */
static void evict_one(h2_hpack_table *t)
{
    size_t slot = (t->head + t->len - 1) & (t->cap - 1);
    h2_hpack_entry *e = t->ring[slot];
    t->size -= entry_size(e);
    free(e);
    t->ring[slot] = NULL;
    t->len--;
}

void h2_hpack_table_free(h2_hpack_table *t)
{
    while (t->len > 0)
        evict_one(t);
    free(t->ring);
    t->ring = NULL;
    t->cap = 0;
    t->size = 0;
}

const h2_hpack_entry *h2_hpack_table_get(const h2_hpack_table *t, size_t i)
{
    if (i >= t->len)
        return NULL;
#ifdef PRY_PLANT_HPACK_WRAP_LOOKUP
    /* wraps by the entry count instead of the slot count: right until
       evictions leave the live entries straddling the end of the ring */
    size_t s = t->head + i;
    return t->ring[s >= t->cap ? s - t->len : s];
#else
    return t->ring[(t->head + i) & (t->cap - 1)];
#endif
}

void h2_hpack_table_set_max(h2_hpack_table *t, size_t max_size)
{
    /* §4.3: evict from the end until the size is within the new maximum */
    t->max_size = max_size;
    while (t->size > t->max_size && t->len > 0)
        evict_one(t);
}

int h2_hpack_table_add(h2_hpack_table *t, const uint8_t *name, size_t namelen,
                       const uint8_t *value, size_t valuelen)
{
    h2_hpack_entry *e;
    size_t esize = namelen + valuelen + H2_HPACK_ENTRY_OVERHEAD;
    if (namelen > SIZE_MAX / 4 || valuelen > SIZE_MAX / 4)
        return H2_ERR_NOMEM;
    /* §4.4: an entry larger than the maximum empties the table and is not
       added. */
#ifdef PRY_PLANT_HPACK_EVICT_ZERO
    if (esize > t->max_size && t->max_size != 0) {
#else
    if (esize > t->max_size) {
#endif
        while (t->len > 0)
            evict_one(t);
        return H2_OK;
    }
    /* §4.4: evict before adding, until the new entry fits */
    while (t->size + esize > t->max_size && t->len > 0)
        evict_one(t);
    if (t->len == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 16, i;
        h2_hpack_entry **nring = calloc(ncap, sizeof *nring);
        if (nring == NULL)
            return H2_ERR_NOMEM;
#ifdef PRY_PLANT_HPACK_RESIZE_WRAP
        /* copies slot i to slot i and keeps head: right while the entries
           start at slot 0, but once evictions have moved head the new
           empty slots land in the middle of the live entries */
        for (i = 0; i < t->len; i++)
            nring[i] = t->ring[i];
        free(t->ring);
        t->ring = nring;
        t->cap = ncap;
#else
        /* Unwrap: the oldest entry may sit anywhere once evictions have
           moved head, so entry i is read from head + i, not from slot i. */
        for (i = 0; i < t->len; i++)
            nring[i] = t->ring[(t->head + i) & (t->cap - 1)];
        free(t->ring);
        t->ring = nring;
        t->cap = ncap;
        t->head = 0;
#endif
    }
    e = malloc(sizeof *e + namelen + valuelen);
    if (e == NULL)
        return H2_ERR_NOMEM;
    e->namelen = namelen;
    e->valuelen = valuelen;
    if (namelen)
        memcpy(e->data, name, namelen);
    if (valuelen)
        memcpy(e->data + namelen, value, valuelen);
    t->head = (t->head + t->cap - 1) & (t->cap - 1);
    t->ring[t->head] = e;
    t->len++;
    t->size += esize;
    return H2_OK;
}

int h2_hpack_lookup(const h2_hpack_table *t, uint32_t index, const uint8_t **name,
                    size_t *namelen, const uint8_t **value, size_t *valuelen)
{
    const h2_hpack_entry *e;
    size_t di;
    /* §2.3.3: index 0 is an error; 1..61 static; then dynamic, newest first */
    if (index == 0)
        return H2_ERR_HPACK_INDEX;
    if (index <= H2_HPACK_STATIC_TABLE_LEN) {
        const h2_hpack_static_entry *s = &h2_hpack_static_table[index - 1];
        *name = (const uint8_t *)s->name;
        *namelen = s->namelen;
        *value = (const uint8_t *)s->value;
        *valuelen = s->valuelen;
        return H2_OK;
    }
    di = (size_t)index - H2_HPACK_STATIC_TABLE_LEN - 1;
#ifdef PRY_PLANT_HPACK_INDEX
    if (di > t->len) /* off by one: index len+62 slips through */
        return H2_ERR_HPACK_INDEX;
    e = t->ring[(t->head + di) & (t->cap - 1)];
#else
    if (di >= t->len)
        return H2_ERR_HPACK_INDEX;
    e = h2_hpack_table_get(t, di);
#endif
    *name = e->data;
    *namelen = e->namelen;
    *value = e->data + e->namelen;
    *valuelen = e->valuelen;
    return H2_OK;
}
