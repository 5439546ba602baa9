/*
 * hpack.c: the HPACK codec (RFC 7541). Round trip through our encoder and
 * decoder with table-size changes between blocks, and a differential
 * against libnghttp2's inflater on the same blocks.
 */
#include "h2_gen.h"

#include <nghttp2/nghttp2.h>
#include <stdint.h>
#include <string.h>

#define BLOCK_CAP 65536

/* The decoder with the string limit out of the way (65536 is nghttp2's
   own string bound, NGHTTP2_HD_MAX_NV) and the header list limit
   |list_max| (SIZE_MAX: none). */
static h2_hpack_decoder *new_decoder(pry_t *p, size_t list_max)
{
    h2_hpack_decoder_config dc;
    h2_hpack_decoder_config_default(&dc);
    dc.max_header_list_size = list_max;
    dc.max_string_length = 65536;
    h2_hpack_decoder *d = h2_hpack_decoder_new(&dc);
    pry_check(p, d != NULL, "out of memory");
    return d;
}

static void note_block(pry_t *p, size_t i, const char *what, const uint8_t *b, size_t n)
{
    h2_text t = {.len = 0};
    t.buf[0] = 0;
    h2_text_hex(&t, b, n, 256);
    pry_note(p, "block %zu (%s) = %s", i, what, t.buf);
}

static void note_list(pry_t *p, const char *who, const h2_nv *nva, size_t n)
{
    h2_text t = {.len = 0};
    t.buf[0] = 0;
    h2_nv_format(&t, nva, n);
    pry_note(p, "%s decoded %s", who, t.buf);
}

/* decode(encode(fields)) == fields, block after block, with SETTINGS
 * changes in between (the encoder then signals one or two size updates
 * within the new setting, §4.2); after every block both dynamic tables
 * hold the same entries and neither exceeds its maximum (§4.1, §4.4:
 * RUSTSEC-2023-0085 added an entry larger than a table of maximum 0). */
PRY_PROPERTY(hpack_roundtrip)
{
    h2_hpack_encoder *enc = h2_hpack_encoder_new(H2_HPACK_DEFAULT_TABLE_SIZE);
    pry_check(p, enc != NULL, "out of memory");
    h2_hpack_decoder *dec = new_decoder(p, SIZE_MAX);
    h2_header_list out;
    h2_header_list_init(&out);
    uint8_t *block = pry_alloc(p, BLOCK_CAP);
    size_t enc_max = H2_HPACK_DEFAULT_TABLE_SIZE;

    pry_list_t blocks = pry_list(p, "blocks", 6);
    while (pry_list_more(p, &blocks)) {
        size_t bi = blocks.count;
        if (pry_bool(p, "settings change")) {
            uint32_t setting = h2_draw_table_size(p, "SETTINGS_HEADER_TABLE_SIZE");
            h2_hpack_decoder_set_max_table_size(dec, setting);
            /* the encoder may use less than the peer allows */
            uint32_t e1 = (uint32_t)pry_range_u(p, "encoder size", 0, setting);
            h2_hpack_encoder_set_max_table_size(enc, e1);
            enc_max = e1;
            if (pry_bool(p, "changed again")) {
                uint32_t e2 = (uint32_t)pry_range_u(p, "encoder size", 0, setting);
                h2_hpack_encoder_set_max_table_size(enc, e2);
                enc_max = e2;
            }
            pry_note(p, "before block %zu: setting %u, encoder maximum %zu", bi, setting,
                     enc_max);
        }
        size_t n;
        h2_nv *fields = h2_draw_header_list(p, "fields", 8, &n);
        size_t len = 0;
        int rv = h2_hpack_encode_block(enc, block, BLOCK_CAP, &len, fields, n);
        pry_check(p, rv == H2_OK, "encode: %s", h2_strerror(rv));
        note_block(p, bi, "encoded", block, len);

        rv = h2_hpack_decode_block(dec, block, len, &out);
        pry_check(p, rv == H2_OK, "block %zu: our decoder refused our encoder's block: %s", bi,
                  h2_strerror(rv));
        note_list(p, "we", out.nva, out.len);
        pry_check_eq_uint(p, out.len, n);
        for (size_t i = 0; i < n; i++) {
            pry_check(p, h2_nv_same(&out.nva[i], &fields[i]), "block %zu: field %zu differs",
                      bi, i);
            /* §6.2.3: "never indexed" survives the hop */
            pry_check(p, !(out.nva[i].flags & H2_NV_FLAG_NEVER_INDEX) ==
                             !(fields[i].flags & H2_NV_FLAG_NEVER_INDEX),
                      "block %zu: field %zu: never-indexed flag lost or invented", bi, i);
        }

        /* §4: the tables agree and stay within their maximum */
        size_t dsize = h2_hpack_decoder_table_size(dec);
        size_t dmax = h2_hpack_decoder_table_max_size(dec);
        size_t esize = h2_hpack_encoder_table_size(enc);
        pry_note(p, "after block %zu: encoder table %zu octets / %zu entries (max %zu), "
                 "decoder %zu / %zu (max %zu)", bi, esize, h2_hpack_encoder_table_len(enc),
                 enc_max, dsize, h2_hpack_decoder_table_len(dec), dmax);
        pry_check(p, esize <= enc_max, "encoder table %zu octets, maximum %zu", esize, enc_max);
        pry_check(p, dsize <= dmax, "decoder table %zu octets, maximum %zu", dsize, dmax);
        pry_check_eq_uint(p, dmax, enc_max);
        pry_check_eq_uint(p, dsize, esize);
        pry_check_eq_uint(p, h2_hpack_decoder_table_len(dec), h2_hpack_encoder_table_len(enc));
    }
    h2_header_list_free(&out);
    h2_hpack_decoder_del(dec);
    h2_hpack_encoder_del(enc);
}

/* ---- the differential ---- */

/* The differential's max_header_list_size. nghttp2's inflater has no such
   limit, so the harness checks ours against RFC 9113 §6.5.2's size of the
   list (name + value + 32 per field) itself. 768 is above any list our
   encoder's blocks decode to (6 fields of at most 32 + 32 + 64 octets);
   representation blocks (8 at most) pass it only with seven or more big
   fields or lying string lengths, octets with a long run of valid
   representations (about 20 one-octet static references). */
#define VS_LIST_MAX 768

static size_t rfc_list_size(const h2_nv *nva, size_t n)
{
    size_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += nva[i].namelen + nva[i].valuelen + H2_HPACK_ENTRY_OVERHEAD;
    return s;
}

typedef struct {
    h2_nv *nva;
    size_t n;
    int rv; /* 0 or nghttp2's error */
} ng_result;

/* One whole block through nghttp2's inflater (in_final = 1). */
static ng_result ng_inflate(pry_t *p, nghttp2_hd_inflater *inf, const uint8_t *in, size_t len)
{
    ng_result r = {pry_alloc(p, 16 * sizeof(h2_nv)), 0, 0};
    size_t cap = 16;
    for (;;) {
        nghttp2_nv nv;
        int flags = 0;
        ssize_t rv = nghttp2_hd_inflate_hd2(inf, &nv, &flags, in, len, 1);
        if (rv < 0) {
            r.rv = (int)rv;
            return r;
        }
        in += rv;
        len -= (size_t)rv;
        if (flags & NGHTTP2_HD_INFLATE_EMIT) {
            if (r.n == cap) {
                h2_nv *nn = pry_alloc(p, 2 * cap * sizeof *nn);
                memcpy(nn, r.nva, cap * sizeof *nn);
                r.nva = nn;
                cap *= 2;
            }
            uint8_t *s = pry_alloc(p, nv.namelen + nv.valuelen + 1);
            if (nv.namelen)
                memcpy(s, nv.name, nv.namelen);
            if (nv.valuelen)
                memcpy(s + nv.namelen, nv.value, nv.valuelen);
            r.nva[r.n].name = s;
            r.nva[r.n].namelen = nv.namelen;
            r.nva[r.n].value = s + nv.namelen;
            r.nva[r.n].valuelen = nv.valuelen;
            r.nva[r.n].flags = (nv.flags & NGHTTP2_NV_FLAG_NO_INDEX) ? H2_NV_FLAG_NEVER_INDEX : 0;
            r.n++;
        }
        if (flags & NGHTTP2_HD_INFLATE_FINAL) {
            nghttp2_hd_inflate_end_headers(inf);
            return r;
        }
        if (rv == 0 && len == 0) {
            r.rv = -1; /* no progress, no end: should not happen */
            return r;
        }
    }
}

/* Our decoder and nghttp2's inflater, given the same SETTINGS and the
 * same blocks, agree: both accept or both reject, the same header lists
 * (never-indexed flags included) and the same dynamic table (size, entry
 * count, maximum) after every block. The blocks are our encoder's output
 * (the normal case), blocks drawn from the representation grammar with
 * indices around the tables' ends and lying lengths (the corner cases),
 * or any octets. After a block both reject, HPACK state is undefined
 * (RFC 9113 §4.3 ends the connection), so the sequence stops there. Our
 * decoder has a header list limit (VS_LIST_MAX) and nghttp2's has none:
 * we reject a block for it exactly when the list, counted as RFC 9113
 * §6.5.2 counts it, is over the limit. */
PRY_PROPERTY(hpack_vs_nghttp2)
{
    static const char *const sources[] = {"our encoder", "representations", "octets"};
    static const unsigned source_w[] = {3, 3, 1};
    static const h2_named_weights source = {3, source_w, sources};
    nghttp2_hd_inflater *inf = NULL;
    pry_check(p, nghttp2_hd_inflate_new(&inf) == 0, "nghttp2_hd_inflate_new failed");
    h2_hpack_decoder *dec = new_decoder(p, VS_LIST_MAX);
    h2_hpack_encoder *enc = h2_hpack_encoder_new(H2_HPACK_DEFAULT_TABLE_SIZE);
    pry_check(p, enc != NULL, "out of memory");
    h2_header_list out;
    h2_header_list_init(&out);
    uint8_t *buf = pry_alloc(p, BLOCK_CAP);
    uint32_t setting = H2_HPACK_DEFAULT_TABLE_SIZE;
    /* a lowered setting not yet answered by a size update (both sides then
       require one at the start of the next block, §4.2) */
    int pending_lower = 0;

    pry_list_t blocks = pry_list(p, "blocks", 6);
    while (pry_list_more(p, &blocks)) {
        size_t bi = blocks.count;
        if (pry_bool(p, "settings change")) {
            uint32_t s = h2_draw_table_size(p, "SETTINGS_HEADER_TABLE_SIZE");
            size_t cur = h2_hpack_decoder_table_max_size(dec);
            h2_hpack_decoder_set_max_table_size(dec, s);
            pry_check(p, nghttp2_hd_inflate_change_table_size(inf, s) == 0);
            if (s < cur) {
                pending_lower = 1;
            } else if (!pending_lower) {
                /* nghttp2 wants a size update after any change, even a
                   raise; RFC 7541 §4.2 only after a lowering, and we
                   follow the RFC. Give nghttp2 the update it wants (to
                   the maximum in force), which changes nothing. */
                uint8_t upd[8];
                size_t ul = h2_put_hpack_int(upd, 0x20, 5, (uint32_t)cur);
                ng_result r = ng_inflate(p, inf, upd, ul);
                pry_check(p, r.rv == 0 && r.n == 0, "nghttp2 refused a size update to %zu "
                          "under a setting of %u", cur, s);
            }
            setting = s;
            h2_hpack_encoder_set_max_table_size(enc, (uint32_t)pry_range_u(p, "encoder size",
                                                                            0, s));
            pry_note(p, "before block %zu: setting %u (was maximum %zu)", bi, s, cur);
        }
        size_t len = 0;
        size_t src = h2_weighted_named(p, "source", &source);
        if (src == 0) {
            size_t n;
            h2_nv *fields = h2_draw_header_list(p, "fields", 6, &n);
            int rv = h2_hpack_encode_block(enc, buf, BLOCK_CAP, &len, fields, n);
            pry_check(p, rv == H2_OK, "encode: %s", h2_strerror(rv));
        } else {
            pry_bytes_t b = src == 1 ? h2_draw_hpack_block(p, "representations",
                                                           h2_hpack_decoder_table_len(dec),
                                                           setting)
                                     : pry_blob(p, "octets", 256);
            memcpy(buf, b.data, b.len);
            len = b.len;
        }
        note_block(p, bi, sources[src], buf, len);

        int ours = h2_hpack_decode_block(dec, buf, len, &out);
        ng_result ng = ng_inflate(p, inf, buf, len);
        pry_note(p, "block %zu: we say %s, nghttp2 says %s", bi, h2_strerror(ours),
                 ng.rv ? nghttp2_strerror(ng.rv) : "ok");
        if (ours == H2_OK)
            note_list(p, "we", out.nva, out.len);
        if (ng.rv == 0)
            note_list(p, "nghttp2", ng.nva, ng.n);
        if (ours == H2_ERR_HPACK_LIST_TOO_LARGE) {
            /* our limit: right if the list nghttp2 decodes is over it, or
               nghttp2 rejects the block too */
            pry_check(p, ng.rv != 0 || rfc_list_size(ng.nva, ng.n) > VS_LIST_MAX,
                      "block %zu: we say its header list is over %d octets, nghttp2's "
                      "list is %zu", bi, VS_LIST_MAX, rfc_list_size(ng.nva, ng.n));
            pry_list_end(p, &blocks);
            break;
        }
        pry_check(p, (ours == H2_OK) == (ng.rv == 0), "block %zu: we %s it, nghttp2 %s it",
                  bi, ours == H2_OK ? "accept" : "reject", ng.rv == 0 ? "accepts" : "rejects");
        if (ours != H2_OK) {
            pry_list_end(p, &blocks);
            break;
        }
        pending_lower = 0;
        pry_check_eq_uint(p, out.len, ng.n);
        for (size_t i = 0; i < ng.n; i++) {
            pry_check(p, h2_nv_same(&out.nva[i], &ng.nva[i]), "block %zu: field %zu differs",
                      bi, i);
            pry_check(p, !(out.nva[i].flags & H2_NV_FLAG_NEVER_INDEX) == !ng.nva[i].flags,
                      "block %zu: field %zu: never-indexed flags differ", bi, i);
        }
        /* RFC 9113 §6.5.2 (sozu #1272 counted name + value only) */
        pry_check(p, rfc_list_size(out.nva, out.len) <= VS_LIST_MAX,
                  "block %zu: we accepted a header list of %zu octets (%zu fields), over "
                  "max_header_list_size %d", bi, rfc_list_size(out.nva, out.len), out.len,
                  VS_LIST_MAX);
        size_t ng_size = nghttp2_hd_inflate_get_dynamic_table_size(inf);
        size_t ng_max = nghttp2_hd_inflate_get_max_dynamic_table_size(inf);
        size_t ng_len = nghttp2_hd_inflate_get_num_table_entries(inf) - H2_HPACK_STATIC_TABLE_LEN;
        pry_note(p, "after block %zu: our table %zu octets / %zu entries (max %zu), nghttp2's "
                 "%zu / %zu (max %zu)", bi, h2_hpack_decoder_table_size(dec),
                 h2_hpack_decoder_table_len(dec), h2_hpack_decoder_table_max_size(dec), ng_size,
                 ng_len, ng_max);
        pry_check_eq_uint(p, h2_hpack_decoder_table_max_size(dec), ng_max);
        pry_check_eq_uint(p, h2_hpack_decoder_table_size(dec), ng_size);
        pry_check_eq_uint(p, h2_hpack_decoder_table_len(dec), ng_len);
    }
    h2_header_list_free(&out);
    h2_hpack_encoder_del(enc);
    h2_hpack_decoder_del(dec);
    nghttp2_hd_inflate_del(inf);
}
