/*
 * h2_raw: the checks of harnesses/h2 with inputs taken straight from bytes,
 * no typed generators: one pry_blob per property (a 2-byte length, then
 * the bytes). The feed checks are harnesses/h2/feed.c itself (reuse.c).
 *
 *   parse          the bytes fed to a default parser in one piece
 *                  (parse_total's checks, repack on)
 *   chunked        byte 0 gives a chunk length 1..24; the rest fed in one
 *                  piece and in chunks of that length: same event log
 *                  (chunking_invariance's check)
 *   continuation   bytes 0 and 1 give max_header_block (0..255) and
 *                  max_continuations (0..15), the rest is fed (the feed's
 *                  header-block limit check, continuation_bounded's claim)
 *   hpack          the bytes are one HPACK block for our decoder and for
 *                  nghttp2's inflater: both accept or both reject, and the
 *                  same header list (hpack_vs_nghttp2's check)
 *   hpack_evict    byte 0 is the table size (0..255) for encoder and
 *                  decoder; the rest, split at NULs, is name, value, name,
 *                  ... (up to 8 fields): decode(encode(fields)) == fields
 *                  and neither table exceeds its maximum (hpack_roundtrip)
 */
#include "feed.h"

#include <nghttp2/nghttp2.h>
#include <string.h>

#define RAW_MAX 4095

PRY_PROPERTY(parse)
{
    pry_bytes_t in = pry_blob(p, "bytes", RAW_MAX);
    h2_parser_config cfg;
    h2_parser_config_default(&cfg);
    h2_chunks whole = {NULL, 0};
    h2_feed_run(p, &cfg, in.data, in.len, &whole, 1);
}

PRY_PROPERTY(chunked)
{
    pry_bytes_t in = pry_blob(p, "bytes", RAW_MAX);
    if (in.len == 0)
        return;
    size_t step = (size_t)(in.data[0] % 24) + 1;
    const uint8_t *s = in.data + 1;
    size_t n = in.len - 1;
    h2_parser_config cfg;
    h2_parser_config_default(&cfg);
    h2_chunks whole = {NULL, 0};
    const char *once = h2_feed_run(p, &cfg, s, n, &whole, 0);
    h2_chunks ch = {pry_alloc(p, (n / step + 1) * sizeof(size_t)), 0};
    for (size_t off = 0; off + step < n; off += step)
        ch.len[ch.n++] = step;
    const char *split = h2_feed_run(p, &cfg, s, n, &ch, 0);
    pry_check_eq_str(p, split, once);
}

PRY_PROPERTY(continuation)
{
    pry_bytes_t in = pry_blob(p, "bytes", RAW_MAX);
    if (in.len < 2)
        return;
    h2_parser_config cfg;
    h2_parser_config_default(&cfg);
    cfg.max_header_block = in.data[0];
    cfg.max_continuations = in.data[1] % 16;
    h2_chunks whole = {NULL, 0};
    h2_feed_run(p, &cfg, in.data + 2, in.len - 2, &whole, 1);
}

static h2_hpack_decoder *new_decoder(pry_t *p)
{
    h2_hpack_decoder_config dc;
    h2_hpack_decoder_config_default(&dc);
    dc.max_header_list_size = SIZE_MAX;
    dc.max_string_length = 65536;
    h2_hpack_decoder *d = h2_hpack_decoder_new(&dc);
    pry_check(p, d != NULL, "out of memory");
    return d;
}

PRY_PROPERTY(hpack)
{
    pry_bytes_t in = pry_blob(p, "bytes", RAW_MAX);
    h2_hpack_decoder *dec = new_decoder(p);
    h2_header_list ours = {0};
    int rv = h2_hpack_decode_block(dec, in.data, in.len, &ours);

    nghttp2_hd_inflater *inf = NULL;
    pry_check(p, nghttp2_hd_inflate_new(&inf) == 0, "nghttp2_hd_inflate_new failed");
    const uint8_t *s = in.data;
    size_t len = in.len, n = 0;
    int ng_ok = 1, same = 1;
    for (;;) {
        nghttp2_nv nv;
        int flags = 0;
        ssize_t r = nghttp2_hd_inflate_hd2(inf, &nv, &flags, s, len, 1);
        if (r < 0) {
            ng_ok = 0;
            break;
        }
        s += r;
        len -= (size_t)r;
        if (flags & NGHTTP2_HD_INFLATE_EMIT) {
            if (rv == H2_OK) {
                same = same && n < ours.len && ours.nva[n].namelen == nv.namelen &&
                       ours.nva[n].valuelen == nv.valuelen &&
                       (nv.namelen == 0 || memcmp(ours.nva[n].name, nv.name, nv.namelen) == 0) &&
                       (nv.valuelen == 0 || memcmp(ours.nva[n].value, nv.value, nv.valuelen) == 0);
            }
            n++;
        }
        if (flags & NGHTTP2_HD_INFLATE_FINAL) {
            nghttp2_hd_inflate_end_headers(inf);
            break;
        }
        if (r == 0 && len == 0) {
            ng_ok = 0;
            break;
        }
    }
    nghttp2_hd_inflate_del(inf);
    int ok = rv == H2_OK;
    size_t our_n = ours.len;
    h2_header_list_free(&ours);
    h2_hpack_decoder_del(dec);
    pry_check(p, ok == ng_ok, "our decoder %s (%s), nghttp2 %s", ok ? "accepts" : "rejects",
              h2_strerror(rv), ng_ok ? "accepts" : "rejects");
    if (ok)
        pry_check(p, same && n == our_n, "different header lists: %zu fields vs nghttp2's %zu",
                  our_n, n);
}

PRY_PROPERTY(hpack_evict)
{
    pry_bytes_t in = pry_blob(p, "bytes", RAW_MAX);
    if (in.len == 0)
        return;
    uint32_t max = in.data[0];
    h2_nv fields[8];
    size_t nf = 0;
    const uint8_t *s = in.data + 1, *end = in.data + in.len;
    while (s < end && nf < 8) {
        const uint8_t *z = memchr(s, 0, (size_t)(end - s));
        const uint8_t *ne = z ? z : end;
        fields[nf].name = s;
        fields[nf].namelen = (size_t)(ne - s);
        s = z ? z + 1 : end;
        z = s < end ? memchr(s, 0, (size_t)(end - s)) : NULL;
        const uint8_t *ve = z ? z : end;
        fields[nf].value = s;
        fields[nf].valuelen = (size_t)(ve - s);
        fields[nf].flags = 0;
        s = z ? z + 1 : end;
        nf++;
    }
    h2_hpack_encoder *enc = h2_hpack_encoder_new(H2_HPACK_DEFAULT_TABLE_SIZE);
    pry_check(p, enc != NULL, "out of memory");
    h2_hpack_decoder *dec = new_decoder(p);
    h2_hpack_encoder_set_max_table_size(enc, max);
    h2_hpack_decoder_set_max_table_size(dec, max);
    uint8_t *block = pry_alloc(p, 65536);
    size_t blen = 0;
    int rv = h2_hpack_encode_block(enc, block, 65536, &blen, fields, nf);
    pry_check(p, rv == H2_OK, "encode: %s", h2_strerror(rv));
    h2_header_list out = {0};
    rv = h2_hpack_decode_block(dec, block, blen, &out);
    size_t enc_size = h2_hpack_encoder_table_size(enc), dec_size = h2_hpack_decoder_table_size(dec);
    int same = rv == H2_OK && out.len == nf;
    for (size_t i = 0; same && i < nf; i++)
        same = h2_nv_same(&out.nva[i], &fields[i]);
    h2_header_list_free(&out);
    h2_hpack_decoder_del(dec);
    h2_hpack_encoder_del(enc);
    pry_check(p, rv == H2_OK, "decode of our own block: %s", h2_strerror(rv));
    pry_check(p, same, "decoded list differs from the encoded one");
    pry_check(p, enc_size <= max, "encoder table %zu octets, maximum %u", enc_size, max);
    pry_check(p, dec_size <= max, "decoder table %zu octets, maximum %u", dec_size, max);
}
