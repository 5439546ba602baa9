/* h2_stream_util.h: builds a multi-frame stream covering every frame type and
   records parser events, for the parser and plant tests. */
#ifndef PRY_TARGETS_H2_STREAM_UTIL_H
#define PRY_TARGETS_H2_STREAM_UTIL_H

#include "h2_test_util.h"

typedef struct {
    uint8_t *buf;
    size_t len, cap;
    size_t frames;
    size_t header_blocks;
} h2_log;

static inline void log_put(h2_log *l, const void *p, size_t n)
{
    if (l->len + n > l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 4096;
        while (nc < l->len + n)
            nc *= 2;
        l->buf = realloc(l->buf, nc);
        l->cap = nc;
    }
    if (n)
        memcpy(l->buf + l->len, p, n);
    l->len += n;
}

/* h2_on_frame_cb that appends each frame (repacked) and its headers. */
static inline int log_frame(void *ud, const h2_frame *f, const h2_header_list *hl)
{
    h2_log *l = ud;
    uint8_t tmp[70000];
    size_t n = 0, i;
    l->frames++;
    if (h2_frame_type_name(f->hd.type) != NULL) {
        if (h2_pack_frame(tmp, sizeof tmp, &n, f) != H2_OK)
            log_put(l, "PACKFAIL", 8);
        else
            log_put(l, tmp, n);
    } else {
        log_put(l, &f->hd, sizeof f->hd);
    }
    if (hl) {
        l->header_blocks++;
        for (i = 0; i < hl->len; i++) {
            log_put(l, hl->nva[i].name, hl->nva[i].namelen);
            log_put(l, ":", 1);
            log_put(l, hl->nva[i].value, hl->nva[i].valuelen);
            log_put(l, "\n", 1);
        }
    }
    return 0;
}

/* Appends a packed frame to |out|. */
static inline void put_frame(h2_log *out, const h2_frame *f)
{
    uint8_t tmp[70000];
    size_t n;
    if (h2_pack_frame(tmp, sizeof tmp, &n, f) == H2_OK)
        log_put(out, tmp, n);
    else
        log_put(out, "BADFRAME", 8);
}

/* A stream of every frame type, one header block split over HEADERS and two
   CONTINUATIONs, padded frames and an extension frame. */
static inline void build_all_types(h2_log *out)
{
    h2_frame f;
    h2_hpack_encoder *e = h2_hpack_encoder_new(4096);
    uint8_t block[512], ext[4] = {1, 2, 3, 4};
    size_t blen;
    h2_nv nva[5];
    h2_settings_entry iv[3] = {{H2_SETTINGS_HEADER_TABLE_SIZE, 4096},
                               {H2_SETTINGS_ENABLE_PUSH, 1},
                               {H2_SETTINGS_MAX_FRAME_SIZE, 16384}};
    h2_priority_spec ps = {0, 32, 1};
    nva[0] = mknv(":method", "GET", 0);
    nva[1] = mknv(":scheme", "https", 0);
    nva[2] = mknv(":path", "/index.html", 0);
    nva[3] = mknv(":authority", "www.example.com", 0);
    nva[4] = mknv("custom-key", "custom-value", 0);
    h2_hpack_encode_block(e, block, sizeof block, &blen, nva, 5);

    h2_settings_init(&f.settings, 0, iv, 3);
    put_frame(out, &f);
    h2_frame_free(&f);
    h2_settings_init(&f.settings, H2_FLAG_ACK, NULL, 0);
    put_frame(out, &f);
    h2_headers_init(&f.headers, H2_FLAG_PRIORITY | H2_FLAG_PADDED, 1, 3, &ps, block, 5);
    put_frame(out, &f);
    h2_continuation_init(&f.continuation, 0, 1, block + 5, 6);
    put_frame(out, &f);
    h2_continuation_init(&f.continuation, H2_FLAG_END_HEADERS, 1, block + 11, blen - 11);
    put_frame(out, &f);
    h2_data_init(&f.data, H2_FLAG_PADDED, 1, 7, (const uint8_t *)"hello world", 11);
    put_frame(out, &f);
    h2_data_init(&f.data, H2_FLAG_END_STREAM, 1, 0, (const uint8_t *)"!", 1);
    put_frame(out, &f);
    h2_priority_init(&f.priority, 3, &ps);
    put_frame(out, &f);
    h2_rst_stream_init(&f.rst_stream, 3, H2_CANCEL);
    put_frame(out, &f);
    memset(&f, 0, sizeof f);
    f.ext.hd.type = 0xa; /* ALTSVC-like extension: ignored */
    f.ext.hd.stream_id = 0;
    f.ext.payload = ext;
    f.ext.payloadlen = 4;
    put_frame(out, &f);
    nva[0] = mknv(":status", "200", 0);
    h2_hpack_encode_block(e, block, sizeof block, &blen, nva, 1);
    h2_push_promise_init(&f.push_promise, H2_FLAG_END_HEADERS | H2_FLAG_PADDED, 1, 2, 2, block, blen);
    put_frame(out, &f);
    h2_ping_init(&f.ping, 0, (const uint8_t *)"pingpong");
    put_frame(out, &f);
    h2_window_update_init(&f.window_update, 0, 65535);
    put_frame(out, &f);
    h2_window_update_init(&f.window_update, 1, 1);
    put_frame(out, &f);
    h2_goaway_init(&f.goaway, 3, H2_NO_ERROR, (const uint8_t *)"done", 4);
    put_frame(out, &f);
    h2_hpack_encoder_del(e);
}

/* Feeds |in| split at the offsets |cuts| (ascending, ncuts of them) and logs
   events; each error and its absolute offset go into the log too. Goes on
   after stream errors, stops at connection errors. Returns 0 if some feed
   claimed to consume more than it was given. */
static inline int feed_split(const h2_parser_config *cfg, const uint8_t *in, size_t len,
                             const size_t *cuts, size_t ncuts, h2_log *log)
{
    h2_parser *p = h2_parser_new(cfg, log_frame, log);
    size_t s = 0, k;
    int bounds_ok = 1;
    for (k = 0; k <= ncuts; k++) {
        size_t e = k < ncuts ? cuts[k] : len, pos = s;
        while (pos < e) {
            size_t c = 0;
            int rv = h2_parser_feed(p, in + pos, e - pos, &c);
            char msg[80];
            int m;
            if (c > e - pos) {
                bounds_ok = 0;
                c = e - pos;
            }
            pos += c;
            if (rv == H2_OK)
                break;
            m = snprintf(msg, sizeof msg, "ERR %d %u %d %u @%zu\n", rv, h2_parser_last_error(p)->code,
                         (int)h2_parser_last_error(p)->scope, h2_parser_last_error(p)->stream_id, pos);
            log_put(log, msg, (size_t)m);
            if (c == 0 || h2_parser_last_error(p)->scope == H2_SCOPE_CONNECTION ||
                rv == H2_ERR_NOMEM || rv == H2_ERR_PARSER_DEAD)
                goto done;
        }
        s = e;
    }
done:
    log_put(log, h2_parser_at_boundary(p) ? "B" : "b", 1);
    h2_parser_del(p);
    return bounds_ok;
}

#endif
