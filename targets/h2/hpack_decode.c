/* hpack_decode.c: RFC 7541 §6 header block decoding. */
#include <stdlib.h>
#include <string.h>

#include "h2_internal.h"

/* What one field adds to the header list size checked against
   max_header_list_size: name + value + 32 (RFC 9113 §6.5.2, the §4.1
   entry size). The 32 octets are what bounds the number of fields under a
   fixed budget: without them empty or tiny fields cost (almost) nothing. */
#ifdef PRY_PLANT_HPACK_LIST_OVERHEAD
#define LIST_FIELD_OVERHEAD 0 /* name + value only (sozu #1272, okhttp #9733) */
#else
#define LIST_FIELD_OVERHEAD H2_HPACK_ENTRY_OVERHEAD
#endif

struct h2_hpack_decoder {
    h2_hpack_table table;
    uint32_t settings_max;      /* §4.2: an update may not exceed this */
    int need_update;            /* §4.2: the next block must start with an update */
    size_t max_header_list_size;
    size_t max_string_length;
};

void h2_hpack_decoder_config_default(h2_hpack_decoder_config *cfg)
{
    cfg->max_table_size = H2_HPACK_DEFAULT_TABLE_SIZE;
    cfg->max_header_list_size = 65536;
    cfg->max_string_length = 16384;
}

h2_hpack_decoder *h2_hpack_decoder_new(const h2_hpack_decoder_config *cfg)
{
    h2_hpack_decoder_config def;
    h2_hpack_decoder *d;
    if (cfg == NULL) {
        h2_hpack_decoder_config_default(&def);
        cfg = &def;
    }
    d = calloc(1, sizeof *d);
    if (d == NULL)
        return NULL;
    h2_hpack_table_init(&d->table, cfg->max_table_size);
    d->settings_max = cfg->max_table_size;
    d->max_header_list_size = cfg->max_header_list_size;
    d->max_string_length = cfg->max_string_length;
    return d;
}

void h2_hpack_decoder_del(h2_hpack_decoder *d)
{
    if (d == NULL)
        return;
    h2_hpack_table_free(&d->table);
    free(d);
}

void h2_hpack_decoder_set_max_table_size(h2_hpack_decoder *d, uint32_t max_table_size)
{
    d->settings_max = max_table_size;
    if (max_table_size < d->table.max_size) {
        h2_hpack_table_set_max(&d->table, max_table_size);
        d->need_update = 1;
    }
}

size_t h2_hpack_decoder_table_len(const h2_hpack_decoder *d) { return d->table.len; }
size_t h2_hpack_decoder_table_size(const h2_hpack_decoder *d) { return d->table.size; }
size_t h2_hpack_decoder_table_max_size(const h2_hpack_decoder *d) { return d->table.max_size; }

/* §5.2 string literal at in[*pos]: appends the decoded octets to the list's
   arena, returns its offset and length. */
static int read_string(h2_hpack_decoder *d, const uint8_t *in, size_t len, size_t *pos,
                       h2_header_list *out, size_t *off, size_t *slen)
{
    uint32_t n;
    size_t used, cap;
    int huff, rv;
    if (*pos >= len)
        return H2_ERR_HPACK_TRUNCATED;
    huff = (in[*pos] & 0x80) != 0;
    rv = h2_hpack_decode_int(in + *pos, len - *pos, 7, &n, &used);
    if (rv)
        return rv;
    *pos += used;
    if (n > len - *pos)
        return H2_ERR_HPACK_TRUNCATED;
    if (!huff) {
        if (n > d->max_string_length)
            return H2_ERR_HPACK_STRING_TOO_LONG;
        rv = h2_header_list_reserve(out, n);
        if (rv)
            return rv;
        *off = out->arena_len;
        if (n)
            memcpy(out->arena + out->arena_len, in + *pos, n);
        out->arena_len += n;
        *slen = n;
        *pos += n;
        return H2_OK;
    }
    /* Huffman: at most 8 output octets per 5 input octets (shortest code is
       5 bits); never more than the string limit. */
    cap = (size_t)n / 5 * 8 + 8;
    if (cap - 1 > d->max_string_length) /* no "+ 1": the limit may be SIZE_MAX */
        cap = d->max_string_length + 1;
    rv = h2_header_list_reserve(out, cap);
    if (rv)
        return rv;
    *off = out->arena_len;
    rv = h2_hpack_huffman_decode(out->arena + out->arena_len, cap, slen, in + *pos, n);
    if (rv == H2_ERR_BUFFER_TOO_SMALL || (rv == H2_OK && *slen > d->max_string_length))
        return H2_ERR_HPACK_STRING_TOO_LONG;
    if (rv)
        return rv;
    out->arena_len += *slen;
    *pos += n;
    return H2_OK;
}

/* Copies a table string into the arena. */
static int copy_string(h2_header_list *out, const uint8_t *s, size_t n, size_t *off)
{
    int rv = h2_header_list_reserve(out, n);
    if (rv)
        return rv;
    *off = out->arena_len;
    if (n)
        memcpy(out->arena + out->arena_len, s, n);
    out->arena_len += n;
    return H2_OK;
}

int h2_hpack_decode_block(h2_hpack_decoder *d, const uint8_t *in, size_t len,
                          h2_header_list *out)
{
    size_t pos = 0, list_size = 0;
    int seen_field = 0;
    if (d == NULL || out == NULL || (in == NULL && len > 0))
        return H2_ERR_INVALID_ARGUMENT;
    h2_header_list_clear(out);
    while (pos < len) {
        uint8_t b = in[pos];
        uint32_t idx;
        size_t used, noff, nlen, voff, vlen;
        const uint8_t *tn, *tv;
        size_t tnl, tvl;
        unsigned prefix;
        uint8_t flags = H2_NV_FLAG_NONE;
        int rv, indexing = 0;

        if ((b & 0xe0) == 0x20) {
            /* §6.3 dynamic table size update: only at the start of a block
               (§4.2), and within the limit set by the protocol. */
            rv = h2_hpack_decode_int(in + pos, len - pos, 5, &idx, &used);
            if (rv)
                return rv;
            if (seen_field || idx > d->settings_max)
                return H2_ERR_HPACK_TABLE_SIZE;
            pos += used;
            h2_hpack_table_set_max(&d->table, idx);
            d->need_update = 0;
            continue;
        }
        if (d->need_update) /* §4.2: the update was required first */
            return H2_ERR_HPACK_TABLE_SIZE;
        seen_field = 1;

        if (b & 0x80) {
            /* §6.1 indexed header field */
            rv = h2_hpack_decode_int(in + pos, len - pos, 7, &idx, &used);
            if (rv)
                return rv;
            pos += used;
            rv = h2_hpack_lookup(&d->table, idx, &tn, &tnl, &tv, &tvl);
            if (rv)
                return rv;
            list_size += tnl + tvl + LIST_FIELD_OVERHEAD;
            if (list_size > d->max_header_list_size)
                return H2_ERR_HPACK_LIST_TOO_LARGE;
            if ((rv = copy_string(out, tn, tnl, &noff)) != 0 ||
                (rv = copy_string(out, tv, tvl, &voff)) != 0 ||
                (rv = h2_header_list_push(out, noff, tnl, voff, tvl, flags)) != 0)
                return rv;
            continue;
        }
        if (b & 0x40) {
            prefix = 6; /* §6.2.1 with incremental indexing */
            indexing = 1;
        } else {
            prefix = 4; /* §6.2.2 without indexing, §6.2.3 never indexed */
            flags = (b & 0x10) ? H2_NV_FLAG_NEVER_INDEX : H2_NV_FLAG_NO_INDEX;
        }
        rv = h2_hpack_decode_int(in + pos, len - pos, prefix, &idx, &used);
        if (rv)
            return rv;
        pos += used;
        if (idx) {
            rv = h2_hpack_lookup(&d->table, idx, &tn, &tnl, &tv, &tvl);
            if (rv)
                return rv;
            if (tnl > d->max_string_length)
                return H2_ERR_HPACK_STRING_TOO_LONG;
            rv = copy_string(out, tn, tnl, &noff);
            if (rv)
                return rv;
            nlen = tnl;
        } else {
            rv = read_string(d, in, len, &pos, out, &noff, &nlen);
            if (rv)
                return rv;
        }
        rv = read_string(d, in, len, &pos, out, &voff, &vlen);
        if (rv)
            return rv;
        list_size += nlen + vlen + LIST_FIELD_OVERHEAD;
        if (list_size > d->max_header_list_size)
            return H2_ERR_HPACK_LIST_TOO_LARGE;
        rv = h2_header_list_push(out, noff, nlen, voff, vlen, flags);
        if (rv)
            return rv;
        if (indexing) {
            /* §4.4 (the strings are in the arena, safe from eviction) */
            rv = h2_hpack_table_add(&d->table, out->arena + noff, nlen, out->arena + voff, vlen);
            if (rv)
                return rv;
        }
    }
    if (d->need_update)
        return H2_ERR_HPACK_TABLE_SIZE;
    return H2_OK;
}
