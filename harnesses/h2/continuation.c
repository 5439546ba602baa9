/*
 * continuation.c: header block accumulation is bounded (RFC 9113 §10.5,
 * CVE-2024-28182). A HEADERS or PUSH_PROMISE frame without END_HEADERS,
 * then CONTINUATION frames: the parser holds at most max_header_block
 * octets and takes at most max_continuations CONTINUATION frames, and the
 * frame that would go past either limit is refused with ENHANCE_YOUR_CALM
 * (a connection error) before anything beyond the limit is buffered.
 *
 * The limits are drawn small (0..64 octets, 0..8 frames) so that a few
 * drawn frames cross them: the defaults (65536, 64) would need megabytes.
 */
#include "h2_gen.h"

#include <string.h>

typedef struct {
    int frames;
} counter;

static int count_frame(void *user, const h2_frame *f, const h2_header_list *headers)
{
    (void)f;
    (void)headers;
    ((counter *)user)->frames++;
    return 0;
}

/* Feeds one whole frame; returns the result. */
static int feed_frame(pry_t *p, h2_parser *ps, const h2_frame *f)
{
    pry_bytes_t wire = h2_pack_or_fail(p, f);
    size_t used = 0;
    int rv = h2_parser_feed(ps, wire.data, wire.len, &used);
    pry_check(p, used <= wire.len, "consumed %zu of %zu", used, wire.len);
    pry_check(p, rv != H2_OK || used == wire.len, "H2_OK with %zu of %zu consumed", used,
              wire.len);
    return rv;
}

static void check_calm(pry_t *p, h2_parser *ps, int rv, const char *why)
{
    const h2_error *e = h2_parser_last_error(ps);
    pry_check(p, rv == H2_ERR_ENHANCE_YOUR_CALM, "%s, but the frame gave %s", why,
              h2_strerror(rv));
    pry_check(p, e->code == H2_ENHANCE_YOUR_CALM && e->scope == H2_SCOPE_CONNECTION,
              "ENHANCE_YOUR_CALM reported as code 0x%x, %s scope", e->code,
              e->scope == H2_SCOPE_STREAM ? "stream" : "connection");
}

PRY_PROPERTY(continuation_bounded)
{
    h2_parser_config cfg;
    h2_parser_config_default(&cfg);
    cfg.max_header_block = (size_t)pry_range_u(p, "max_header_block", 0, 64);
    cfg.max_continuations = (size_t)pry_range_u(p, "max_continuations", 0, 8);
    uint32_t sid = (uint32_t)pry_range_u(p, "stream", 1, 9);
    int push = pry_bool(p, "PUSH_PROMISE");
    pry_bytes_t first = pry_bytes(p, "first fragment", 32);
    pry_bytes_t frags[12];
    size_t n = 0;
    pry_list_t l = pry_list(p, "continuations", 12);
    while (pry_list_more(p, &l))
        frags[n++] = pry_bytes(p, NULL, 24);
    int end = pry_bool(p, "last has END_HEADERS");

    counter cnt = {0};
    h2_parser *ps = h2_parser_new(&cfg, count_frame, &cnt);
    pry_check(p, ps != NULL);

    h2_frame f;
    h2_text t = {.len = 0};
    if (push)
        h2_push_promise_init(&f.push_promise, 0, sid, 0, sid + 1, first.data, first.len);
    else
        h2_headers_init(&f.headers, 0, sid, 0, NULL, first.data, first.len);
    t.buf[0] = 0;
    h2_frame_format(&t, &f);
    pry_note(p, "frame 0: %s", t.buf);
    int rv = feed_frame(p, ps, &f);
    size_t held = 0, limit = cfg.max_header_block;
    if (first.len > limit) {
        check_calm(p, ps, rv, "the first fragment is above max_header_block");
        pry_check(p, h2_parser_header_block_len(ps) <= limit);
        h2_parser_del(ps);
        return;
    }
    pry_check(p, rv == H2_OK, "the opening frame gave %s", h2_strerror(rv));
    held = first.len;
    pry_check_eq_uint(p, h2_parser_header_block_len(ps), held);

    for (size_t i = 0; i < n; i++) {
        int last = i + 1 == n && end;
        h2_continuation_init(&f.continuation, last ? H2_FLAG_END_HEADERS : 0, sid,
                             frags[i].data, frags[i].len);
        t.len = 0;
        t.buf[0] = 0;
        h2_frame_format(&t, &f);
        pry_note(p, "frame %zu: %s (%zu octets held before)", i + 1, t.buf, held);
        rv = feed_frame(p, ps, &f);
        /* whatever happened, nothing beyond the limit is held */
        size_t now = h2_parser_header_block_len(ps);
        pry_check(p, now <= limit, "%zu header block octets held after CONTINUATION %zu, "
                  "max_header_block %zu", now, i + 1, limit);
        if (i + 1 > cfg.max_continuations) {
            check_calm(p, ps, rv, "CONTINUATION frames above max_continuations");
            break;
        }
        if (frags[i].len > limit - held) {
            check_calm(p, ps, rv, "the block goes above max_header_block");
            break;
        }
        held += frags[i].len;
        if (last) {
            /* the block is decoded: arbitrary octets may well not be
               HPACK, which is a COMPRESSION_ERROR, not a limit */
            pry_check(p, rv == H2_OK || rv == H2_ERR_COMPRESSION,
                      "a complete block within the limits gave %s", h2_strerror(rv));
            pry_check_eq_uint(p, now, 0);
            break;
        }
        pry_check(p, rv == H2_OK, "CONTINUATION within the limits gave %s", h2_strerror(rv));
        pry_check_eq_uint(p, now, held);
    }
    h2_parser_del(ps);
}
