/*
 * feed.c: the h2_parser_feed driver shared by parse_total and
 * chunking_invariance (see feed.h).
 */
#include "feed.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void log_add(h2_feed *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void log_add(h2_feed *c, const char *fmt, ...)
{
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t m = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    if (c->log_len + m + 2 > c->log_cap) {
        size_t ncap = c->log_cap ? c->log_cap : 1024;
        while (c->log_len + m + 2 > ncap)
            ncap *= 2;
        char *nl = pry_alloc(c->p, ncap);
        if (c->log_len)
            memcpy(nl, c->log, c->log_len);
        c->log = nl;
        c->log_cap = ncap;
    }
    memcpy(c->log + c->log_len, line, m);
    c->log_len += m;
    c->log[c->log_len++] = '\n';
    c->log[c->log_len] = 0;
}

/* a + b, saturating: a wrapped-around length must not add up by luck */
static size_t sat_add(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

/* The octets a frame's fields account for, type by type (§6): they must
   add up to the frame's length, whatever the frame says inside. Checked
   before anything reads a payload field. */
static void check_structure(pry_t *p, const h2_feed *c, const h2_frame *f)
{
    const h2_frame_hd *hd = &f->hd;
    size_t pad = 0, want = hd->length, got;
    const char *what = h2_frame_type_name(hd->type);
    if (hd->type == H2_DATA || hd->type == H2_HEADERS || hd->type == H2_PUSH_PROMISE) {
        uint8_t pl = hd->type == H2_DATA      ? f->data.pad_length
                     : hd->type == H2_HEADERS ? f->headers.pad_length
                                              : f->push_promise.pad_length;
        pad = (hd->flags & H2_FLAG_PADDED) ? 1u + pl : 0u;
    }
    switch (hd->type) {
    case H2_DATA: got = sat_add(f->data.datalen, pad); break;
    case H2_HEADERS:
        got = sat_add(sat_add(f->headers.blocklen, pad),
                      (hd->flags & H2_FLAG_PRIORITY) ? 5u : 0u);
        break;
    case H2_PRIORITY: got = 5; break;
    case H2_RST_STREAM: got = 4; break;
    case H2_SETTINGS: got = f->settings.niv > SIZE_MAX / 6 ? SIZE_MAX : f->settings.niv * 6; break;
    case H2_PUSH_PROMISE: got = sat_add(sat_add(4, f->push_promise.blocklen), pad); break;
    case H2_PING: got = 8; break;
    case H2_GOAWAY: got = sat_add(8, f->goaway.debug_datalen); break;
    case H2_WINDOW_UPDATE: got = 4; break;
    case H2_CONTINUATION: got = f->continuation.blocklen; break;
    default:
        what = "extension";
        got = f->ext.payloadlen;
        if (c->ext_payloads)
            pry_check(p, got == 0 || f->ext.payload != NULL,
                      "extension_payloads, but an extension frame came without its payload");
        else
            pry_check(p, f->ext.payload == NULL, "an extension frame's payload is not buffered");
        break;
    }
    pry_check(p, got == want, "%s: the fields account for %zu octets, the frame has %zu", what,
              got, want);
}

/* The input octets of one frame with what RFC 9113 leaves free cleared:
   the reserved bit of stream ids (§4.1, §6.6, §6.8, §6.9) and padding
   octets (§6.1: not checked on receipt). */
static uint8_t *normalise(pry_t *p, const uint8_t *wire, const h2_frame *f)
{
    size_t n = H2_FRAME_HEADER_LENGTH + f->hd.length;
    uint8_t *b = pry_alloc(p, n + 1);
    uint8_t *pl = b + H2_FRAME_HEADER_LENGTH;
    size_t off = (f->hd.flags & H2_FLAG_PADDED) ? 1 : 0;
    memcpy(b, wire, n);
    b[5] &= 0x7f;
    switch (f->hd.type) {
    case H2_DATA:
        if (off)
            memset(pl + f->hd.length - f->data.pad_length, 0, f->data.pad_length);
        break;
    case H2_HEADERS:
        if (off)
            memset(pl + f->hd.length - f->headers.pad_length, 0, f->headers.pad_length);
        break;
    case H2_PUSH_PROMISE:
        pl[off] &= 0x7f;
        if (off)
            memset(pl + f->hd.length - f->push_promise.pad_length, 0,
                   f->push_promise.pad_length);
        break;
    case H2_GOAWAY:
    case H2_WINDOW_UPDATE: pl[0] &= 0x7f; break;
    default: break;
    }
    return b;
}

static int on_frame(void *user, const h2_frame *f, const h2_header_list *headers)
{
    h2_feed *c = user;
    pry_t *p = c->p;
    h2_frame_hd hd;
    c->nframes++;
    /* The callback's frame is the next one in the input. */
    pry_check(p, c->cursor <= c->len && c->len - c->cursor >= H2_FRAME_HEADER_LENGTH,
              "frame %zu emitted, but the input has no frame header at offset %zu",
              c->nframes, c->cursor);
    h2_frame_unpack_frame_hd(&hd, c->in + c->cursor);
    pry_check(p,
              hd.length == f->hd.length && hd.type == f->hd.type && hd.flags == f->hd.flags &&
                  hd.stream_id == f->hd.stream_id,
              "frame %zu: emitted header {length %u, type %u, flags 0x%02x, stream %u} is "
              "not the input's {%u, %u, 0x%02x, %u} at offset %zu",
              c->nframes, f->hd.length, f->hd.type, f->hd.flags, f->hd.stream_id, hd.length,
              hd.type, hd.flags, hd.stream_id, c->cursor);
    pry_check(p, c->len - c->cursor - H2_FRAME_HEADER_LENGTH >= hd.length,
              "frame %zu at offset %zu emitted before its %u payload octets arrived",
              c->nframes, c->cursor, hd.length);
    check_structure(p, c, f);

    h2_text t = {.len = 0};
    t.buf[0] = 0;
    h2_frame_format(&t, f);
    if (headers) {
        h2_text_printf(&t, " headers ");
        h2_nv_format(&t, headers->nva, headers->len);
    }
    pry_note(p, "frame %zu at %zu: %s", c->nframes, c->cursor, t.buf);
    log_add(c, "frame %s", t.buf);

    if (c->repack && (h2_frame_type_name(f->hd.type) != NULL || c->ext_payloads)) {
        size_t n = H2_FRAME_HEADER_LENGTH + hd.length, w = 0;
        uint8_t *out = pry_alloc(p, n + 1);
        int rv = h2_pack_frame(out, n + 1, &w, f);
        pry_check(p, rv == H2_OK, "frame %zu does not re-pack: %s", c->nframes,
                  h2_strerror(rv));
        const uint8_t *in = normalise(p, c->in + c->cursor, f);
        pry_check_eq_mem(p, out, w, in, n);
    }
    c->cursor += H2_FRAME_HEADER_LENGTH + hd.length;
    return 0;
}

static const char *scope_name(h2_scope s)
{
    return s == H2_SCOPE_STREAM ? "stream" : "connection";
}

const char *h2_feed_run(pry_t *p, const h2_parser_config *cfg, const uint8_t *in, size_t len,
                        const h2_chunks *ch, int repack)
{
    h2_feed *c = pry_alloc(p, sizeof *c);
    c->p = p;
    c->in = in;
    c->len = len;
    c->cursor = cfg->expect_preface ? H2_CLIENT_PREFACE_LEN : 0;
    c->repack = repack;
    c->ext_payloads = cfg->extension_payloads;
    h2_parser *ps = h2_parser_new(cfg, on_frame, c);
    pry_check(p, ps != NULL, "h2_parser_new failed");

    size_t off = 0, ci = 0;
    int dead = 0;
    while (!dead && (off < len || ci < ch->n)) {
        size_t want = ci < ch->n ? ch->len[ci++] : len - off;
        if (want > len - off)
            want = len - off;
        /* Its own allocation: a read past the chunk is not a read of
           the next one. */
        uint8_t *buf = want ? malloc(want) : NULL;
        pry_check(p, want == 0 || buf != NULL, "out of memory");
        if (want)
            memcpy(buf, in + off, want);
        size_t pos = 0;
        do {
            size_t used = 0, left = want - pos;
            int rv = h2_parser_feed(ps, buf ? buf + pos : NULL, left, &used);
            pry_check(p, used <= left, "h2_parser_feed consumed %zu of the %zu octets given "
                      "(at offset %zu): %s", used, left, off + pos, h2_strerror(rv));
            if (rv == H2_OK) {
                pry_check(p, used == left, "H2_OK but only %zu of %zu octets consumed", used,
                          left);
                pos = want;
                break;
            }
            const h2_error *e = h2_parser_last_error(ps);
            pry_check(p, rv != H2_ERR_PARSER_DEAD, "parser dead without a connection error");
            pry_check(p, rv != H2_ERR_NOMEM && rv != H2_ERR_INVALID_ARGUMENT &&
                             rv != H2_ERR_CALLBACK,
                      "h2_parser_feed: %s", h2_strerror(rv));
            pry_check(p, used >= 1, "%s reported with nothing consumed", h2_strerror(rv));
            pry_check(p, e->code != H2_NO_ERROR, "%s reported with no error code",
                      h2_strerror(rv));
            size_t at = off + pos + used;
            log_add(c, "error %s: %s (%s) stream %u, %s, ends at %zu", h2_strerror(rv),
                    h2_error_code_name(e->code) ? h2_error_code_name(e->code) : "?",
                    scope_name(e->scope), e->stream_id, e->detail ? e->detail : "", at);
            pry_note(p, "error at %zu: %s: %s", at, h2_strerror(rv),
                     e->detail ? e->detail : "");
            if (e->scope == H2_SCOPE_STREAM) {
                /* The frame at the cursor caused it; the parser goes on
                   after it. */
                h2_frame_hd hd;
                pry_check(p, c->len - c->cursor >= H2_FRAME_HEADER_LENGTH,
                          "stream error with no frame at offset %zu", c->cursor);
                h2_frame_unpack_frame_hd(&hd, c->in + c->cursor);
                pry_check(p, at == c->cursor + H2_FRAME_HEADER_LENGTH + hd.length,
                          "stream error reported ending at %zu, its frame (at %zu) ends at %zu",
                          at, c->cursor, c->cursor + H2_FRAME_HEADER_LENGTH + (size_t)hd.length);
                c->cursor = at;
            } else {
                dead = 1;
            }
            pos += used;
        } while (!dead && pos < want);
        free(buf);
        off += want;
    }
    if (dead) {
        /* §5.4.1: after a connection error nothing more is read */
        static const uint8_t zero[1] = {0};
        size_t used = 7;
        int rv = h2_parser_feed(ps, zero, 1, &used);
        pry_check(p, rv == H2_ERR_PARSER_DEAD && used == 0,
                  "a dead parser returned %s and consumed %zu", h2_strerror(rv), used);
    } else {
        size_t bl = h2_parser_header_block_len(ps);
        pry_check(p, bl <= cfg->max_header_block,
                  "%zu header block octets held, limit %zu", bl, cfg->max_header_block);
        int at_boundary = h2_parser_at_boundary(ps);
        pry_check(p, !at_boundary || c->cursor == len,
                  "at a frame boundary, but the input's next frame starts at %zu of %zu",
                  c->cursor, len);
        log_add(c, "end: boundary %d, block %zu octets", at_boundary, bl);
    }
    h2_parser_del(ps);
    return c->log ? c->log : "";
}
