/* test_parser.c: the incremental parser: chunking invariance at every split
   point, header-block sequencing (§6.10), limits (CVE-2024-28182), frame
   size (§4.2), the client preface (§3.4), unknown frames (§5.5) and their
   payloads, stream errors that let parsing go on, what an ended input
   leaves pending. (The role rules are in test_role.c.) */
#include <stdio.h>

#include "check.h"
#include "h2.h"
#include "h2_stream_util.h"

static void log_free(h2_log *l)
{
    free(l->buf);
    memset(l, 0, sizeof *l);
}

static void test_whole_stream(void)
{
    h2_log in = {0}, ev = {0};
    CHECK(feed_split(NULL, in.buf, 0, NULL, 0, &ev));
    log_free(&ev);
    build_all_types(&in);
    CHECK(feed_split(NULL, in.buf, in.len, NULL, 0, &ev));
    CHECK_EQ(ev.frames, 15);
    CHECK_EQ(ev.header_blocks, 2);
    CHECK(ev.len > 0 && ev.buf[ev.len - 1] == 'B');
    CHECK(memmem(ev.buf, ev.len, "custom-key:custom-value\n", 24) != NULL);
    CHECK(memmem(ev.buf, ev.len, ":status:200\n", 12) != NULL);
    CHECK(memmem(ev.buf, ev.len, "ERR", 3) == NULL);
    log_free(&in);
    log_free(&ev);
}

static void test_every_split_point(void)
{
    h2_log in = {0}, ref = {0};
    size_t i, j, bad = 0;
    build_all_types(&in);
    feed_split(NULL, in.buf, in.len, NULL, 0, &ref);
    for (i = 0; i <= in.len; i++) {
        h2_log ev = {0};
        size_t cut = i;
        CHECK(feed_split(NULL, in.buf, in.len, &cut, 1, &ev));
        if (ev.len != ref.len || memcmp(ev.buf, ref.buf, ref.len) != 0)
            bad++;
        log_free(&ev);
    }
    CHECK_EQ(bad, 0);
    /* two cuts, stepping by 7 */
    for (i = 0; i <= in.len; i += 7)
        for (j = i; j <= in.len; j += 13) {
            h2_log ev = {0};
            size_t cuts[2] = {i, j};
            CHECK(feed_split(NULL, in.buf, in.len, cuts, 2, &ev));
            if (ev.len != ref.len || memcmp(ev.buf, ref.buf, ref.len) != 0)
                bad++;
            log_free(&ev);
        }
    CHECK_EQ(bad, 0);
    /* one byte at a time */
    {
        h2_log ev = {0};
        size_t *cuts = malloc(in.len * sizeof *cuts);
        for (i = 0; i < in.len; i++)
            cuts[i] = i;
        CHECK(feed_split(NULL, in.buf, in.len, cuts, in.len, &ev));
        CHECK_MEMEQ(ev.buf, ev.len, ref.buf, ref.len);
        free(cuts);
        log_free(&ev);
    }
    log_free(&in);
    log_free(&ref);
}

/* Feeds |in| whole; returns the result and the error. */
static int feed_all(const h2_parser_config *cfg, const uint8_t *in, size_t len, h2_error *err,
                    size_t *consumed, size_t *frames)
{
    h2_log ev = {0};
    h2_parser *p = h2_parser_new(cfg, log_frame, &ev);
    size_t c = 0;
    int rv = h2_parser_feed(p, in, len, &c);
    *err = *h2_parser_last_error(p);
    if (consumed)
        *consumed = c;
    if (frames)
        *frames = ev.frames;
    h2_parser_del(p);
    log_free(&ev);
    return rv;
}

static size_t add_raw(h2_log *out, uint32_t len, uint8_t type, uint8_t flags, uint32_t sid,
                      const void *payload, size_t plen)
{
    uint8_t hd[9];
    h2_frame_hd h = {len, type, flags, sid};
    h2_frame_pack_frame_hd(hd, &h);
    log_put(out, hd, 9);
    log_put(out, payload, plen);
    return 9 + plen;
}

static void test_continuation_sequencing(void)
{
    h2_log s = {0};
    h2_error e;
    size_t frames, c;
    /* CONTINUATION without an open block */
    add_raw(&s, 1, H2_CONTINUATION, H2_FLAG_END_HEADERS, 1, "\x82", 1);
    CHECK_EQ(feed_all(NULL, s.buf, s.len, &e, &c, &frames), H2_ERR_PROTOCOL);
    CHECK(e.code == H2_PROTOCOL_ERROR && e.scope == H2_SCOPE_CONNECTION && e.stream_id == 1);
    CHECK_EQ(frames, 0);
    log_free(&s);
    /* after a block ended */
    add_raw(&s, 1, H2_HEADERS, H2_FLAG_END_HEADERS, 1, "\x82", 1);
    add_raw(&s, 1, H2_CONTINUATION, H2_FLAG_END_HEADERS, 1, "\x82", 1);
    CHECK_EQ(feed_all(NULL, s.buf, s.len, &e, &c, &frames), H2_ERR_PROTOCOL);
    CHECK_EQ(frames, 1);
    CHECK_EQ(c, s.len - 1); /* detected at the frame header */
    log_free(&s);
    /* another frame type interleaved */
    add_raw(&s, 1, H2_HEADERS, 0, 1, "\x82", 1);
    add_raw(&s, 8, H2_PING, 0, 0, "12345678", 8);
    CHECK_EQ(feed_all(NULL, s.buf, s.len, &e, &c, &frames), H2_ERR_PROTOCOL);
    CHECK(e.code == H2_PROTOCOL_ERROR && e.scope == H2_SCOPE_CONNECTION);
    CHECK_EQ(c, s.len - 8); /* detected at the frame header */
    log_free(&s);
    /* CONTINUATION on another stream */
    add_raw(&s, 1, H2_HEADERS, 0, 1, "\x82", 1);
    add_raw(&s, 1, H2_CONTINUATION, H2_FLAG_END_HEADERS, 3, "\x84", 1);
    CHECK_EQ(feed_all(NULL, s.buf, s.len, &e, &c, &frames), H2_ERR_PROTOCOL);
    CHECK_EQ(e.stream_id, 3);
    log_free(&s);
    /* an extension frame interleaved (§5.5) */
    add_raw(&s, 1, H2_HEADERS, 0, 1, "\x82", 1);
    add_raw(&s, 0, 0xbb, 0, 0, NULL, 0);
    CHECK_EQ(feed_all(NULL, s.buf, s.len, &e, &c, &frames), H2_ERR_PROTOCOL);
    log_free(&s);
    /* the good case */
    add_raw(&s, 1, H2_HEADERS, 0, 1, "\x82", 1);
    add_raw(&s, 0, H2_CONTINUATION, 0, 1, NULL, 0);
    add_raw(&s, 1, H2_CONTINUATION, H2_FLAG_END_HEADERS, 1, "\x84", 1);
    CHECK_EQ(feed_all(NULL, s.buf, s.len, &e, &c, &frames), H2_OK);
    CHECK_EQ(frames, 3);
    log_free(&s);
}

static void test_header_block_limits(void)
{
    h2_log s = {0};
    h2_error e;
    h2_parser_config cfg;
    size_t i, frames, c;
    uint8_t frag[100];
    memset(frag, 0x82, sizeof frag);
    h2_parser_config_default(&cfg);
    cfg.max_header_block = 250;
    /* 100 + 100 fits; the third fragment crosses 250 */
    add_raw(&s, 100, H2_HEADERS, 0, 1, frag, 100);
    add_raw(&s, 100, H2_CONTINUATION, 0, 1, frag, 100);
    add_raw(&s, 100, H2_CONTINUATION, 0, 1, frag, 100);
    CHECK_EQ(feed_all(&cfg, s.buf, s.len, &e, &c, &frames), H2_ERR_ENHANCE_YOUR_CALM);
    CHECK(e.code == H2_ENHANCE_YOUR_CALM && e.scope == H2_SCOPE_CONNECTION);
    CHECK_EQ(frames, 2);
    log_free(&s);
    /* a single HEADERS above the limit */
    cfg.max_header_block = 50;
    add_raw(&s, 100, H2_HEADERS, H2_FLAG_END_HEADERS, 1, frag, 100);
    CHECK_EQ(feed_all(&cfg, s.buf, s.len, &e, &c, &frames), H2_ERR_ENHANCE_YOUR_CALM);
    log_free(&s);
    /* too many (empty) CONTINUATION frames */
    h2_parser_config_default(&cfg);
    cfg.max_continuations = 10;
    add_raw(&s, 1, H2_HEADERS, 0, 1, "\x82", 1);
    for (i = 0; i < 10; i++)
        add_raw(&s, 0, H2_CONTINUATION, 0, 1, NULL, 0);
    CHECK_EQ(feed_all(&cfg, s.buf, s.len, &e, &c, &frames), H2_OK);
    add_raw(&s, 0, H2_CONTINUATION, 0, 1, NULL, 0);
    CHECK_EQ(feed_all(&cfg, s.buf, s.len, &e, &c, &frames), H2_ERR_ENHANCE_YOUR_CALM);
    log_free(&s);
    /* HPACK failure: COMPRESSION_ERROR on the connection */
    add_raw(&s, 1, H2_HEADERS, H2_FLAG_END_HEADERS, 1, "\xbe", 1);
    CHECK_EQ(feed_all(NULL, s.buf, s.len, &e, &c, &frames), H2_ERR_COMPRESSION);
    CHECK(e.code == H2_COMPRESSION_ERROR && e.scope == H2_SCOPE_CONNECTION);
    log_free(&s);
    /* header list above its limit */
    h2_parser_config_default(&cfg);
    cfg.max_header_list_size = 100;
    add_raw(&s, 4, H2_HEADERS, H2_FLAG_END_HEADERS, 1, "\x82\x82\x82\x82", 4);
    CHECK_EQ(feed_all(&cfg, s.buf, s.len, &e, &c, &frames), H2_ERR_ENHANCE_YOUR_CALM);
    log_free(&s);
}

static void test_frame_size(void)
{
    h2_log s = {0};
    h2_error e;
    h2_parser_config cfg;
    size_t frames, c;
    uint8_t *big = calloc(1, 20000);
    add_raw(&s, 16385, H2_DATA, 0, 1, big, 16385);
    CHECK_EQ(feed_all(NULL, s.buf, s.len, &e, &c, &frames), H2_ERR_FRAME_SIZE);
    CHECK(e.code == H2_FRAME_SIZE_ERROR && e.scope == H2_SCOPE_CONNECTION && e.stream_id == 1);
    CHECK_EQ(c, 9); /* the payload is not read */
    h2_parser_config_default(&cfg);
    cfg.max_frame_size = 20000;
    CHECK_EQ(feed_all(&cfg, s.buf, s.len, &e, &c, &frames), H2_OK);
    CHECK_EQ(frames, 1);
    cfg.max_frame_size = 100; /* below 2^14: refused */
    CHECK(h2_parser_new(&cfg, NULL, NULL) == NULL);
    log_free(&s);
    free(big);
}

static void test_stream_errors_continue(void)
{
    h2_log s = {0}, ev = {0};
    h2_parser *p;
    size_t c, first;
    int rv;
    first = add_raw(&s, 4, H2_PRIORITY, 0, 3, "\0\0\0\1", 4);
    add_raw(&s, 4, H2_WINDOW_UPDATE, 0, 5, "\0\0\0\0", 4);
    add_raw(&s, 8, H2_PING, 0, 0, "12345678", 8);
    p = h2_parser_new(NULL, log_frame, &ev);
    rv = h2_parser_feed(p, s.buf, s.len, &c);
    CHECK_EQ(rv, H2_ERR_FRAME_SIZE);
    CHECK_EQ(c, first);
    CHECK(h2_parser_last_error(p)->scope == H2_SCOPE_STREAM);
    CHECK(h2_parser_at_boundary(p));
    rv = h2_parser_feed(p, s.buf + first, s.len - first, &c);
    CHECK_EQ(rv, H2_ERR_PROTOCOL);
    CHECK_EQ(h2_parser_last_error(p)->stream_id, 5);
    CHECK(h2_parser_last_error(p)->scope == H2_SCOPE_STREAM);
    rv = h2_parser_feed(p, s.buf + first + c, s.len - first - c, &c);
    CHECK_EQ(rv, H2_OK);
    CHECK_EQ(ev.frames, 1);
    h2_parser_del(p);
    log_free(&s);
    log_free(&ev);
}

static void test_connection_error_is_final(void)
{
    h2_log s = {0};
    h2_parser *p = h2_parser_new(NULL, NULL, NULL);
    size_t c;
    add_raw(&s, 8, H2_PING, 0, 1, "12345678", 8);
    CHECK_EQ(h2_parser_feed(p, s.buf, s.len, &c), H2_ERR_PROTOCOL);
    CHECK_EQ(h2_parser_feed(p, s.buf, s.len, &c), H2_ERR_PARSER_DEAD);
    CHECK_EQ(c, 0);
    CHECK_EQ(h2_parser_feed(NULL, s.buf, 1, &c), H2_ERR_INVALID_ARGUMENT);
    h2_parser_del(p);
    log_free(&s);
}

static void test_preface(void)
{
    h2_log s = {0}, t = {0};
    h2_parser_config cfg;
    h2_error e;
    size_t frames, c, i;
    h2_parser_config_default(&cfg);
    cfg.expect_preface = 1;
    log_put(&s, H2_CLIENT_PREFACE, H2_CLIENT_PREFACE_LEN);
    add_raw(&s, 0, H2_SETTINGS, 0, 0, NULL, 0);
    CHECK_EQ(feed_all(&cfg, s.buf, s.len, &e, &c, &frames), H2_OK);
    CHECK_EQ(frames, 1);
    /* byte by byte */
    for (i = 0; i < s.len; i++) {
        h2_log ev = {0};
        size_t cuts[1] = {i};
        feed_split(&cfg, s.buf, s.len, cuts, 1, &ev);
        CHECK(ev.frames == 1 && memmem(ev.buf, ev.len, "ERR", 3) == NULL);
        log_free(&ev);
    }
    /* a broken preface */
    s.buf[3] = 'X';
    CHECK_EQ(feed_all(&cfg, s.buf, s.len, &e, &c, &frames), H2_ERR_BAD_PREFACE);
    CHECK(e.code == H2_PROTOCOL_ERROR && e.scope == H2_SCOPE_CONNECTION);
    CHECK_EQ(c, 4);
    /* preface followed by something other than SETTINGS */
    log_put(&t, H2_CLIENT_PREFACE, H2_CLIENT_PREFACE_LEN);
    add_raw(&t, 8, H2_PING, 0, 0, "12345678", 8);
    CHECK_EQ(feed_all(&cfg, t.buf, t.len, &e, &c, &frames), H2_ERR_PROTOCOL);
    log_free(&s);
    log_free(&t);
}

static void test_unknown_and_push(void)
{
    h2_log s = {0};
    h2_error e;
    h2_parser_config cfg;
    size_t frames, c;
    add_raw(&s, 3, 0x10, 0xff, 7, "abc", 3);
    add_raw(&s, 0, 0xff, 0, 0, NULL, 0);
    CHECK_EQ(feed_all(NULL, s.buf, s.len, &e, &c, &frames), H2_OK);
    CHECK_EQ(frames, 2);
    log_free(&s);
    h2_parser_config_default(&cfg);
    cfg.enable_push = 0;
    add_raw(&s, 5, H2_PUSH_PROMISE, H2_FLAG_END_HEADERS, 1, "\0\0\0\2\x82", 5);
    CHECK_EQ(feed_all(NULL, s.buf, s.len, &e, &c, &frames), H2_OK);
    CHECK_EQ(feed_all(&cfg, s.buf, s.len, &e, &c, &frames), H2_ERR_PROTOCOL);
    log_free(&s);
}

static int stop_cb(void *ud, const h2_frame *f, const h2_header_list *hl)
{
    (void)f;
    (void)hl;
    ++*(int *)ud;
    return 1;
}

static void test_callback_stop(void)
{
    h2_log s = {0};
    int calls = 0;
    h2_parser *p = h2_parser_new(NULL, stop_cb, &calls);
    size_t c, first;
    first = add_raw(&s, 8, H2_PING, 0, 0, "12345678", 8);
    add_raw(&s, 8, H2_PING, 0, 0, "12345678", 8);
    CHECK_EQ(h2_parser_feed(p, s.buf, s.len, &c), H2_ERR_CALLBACK);
    CHECK_EQ(c, first);
    CHECK_EQ(h2_parser_feed(p, s.buf + c, s.len - c, &c), H2_ERR_CALLBACK);
    CHECK_EQ(calls, 2);
    h2_parser_del(p);
    log_free(&s);
}

/* Truncated input: nothing is emitted for the partial frame, nothing read
   beyond the input. */
static void test_truncations(void)
{
    h2_log in = {0};
    size_t i;
    build_all_types(&in);
    for (i = 0; i < in.len; i++) {
        h2_log ev = {0};
        uint8_t *copy = malloc(i ? i : 1);
        memcpy(copy, in.buf, i);
        CHECK(feed_split(NULL, copy, i, NULL, 0, &ev));
        free(copy);
        log_free(&ev);
    }
    log_free(&in);
}

/* h2_on_frame_cb keeping the last extension frame's payload. */
static int keep_ext(void *ud, const h2_frame *f, const h2_header_list *hl)
{
    h2_log *l = ud;
    (void)hl;
    l->frames++;
    if (h2_frame_type_name(f->hd.type) == NULL) {
        l->len = 0;
        if (f->ext.payloadlen && f->ext.payload == NULL)
            log_put(l, "NULL", 4);
        else
            log_put(l, f->ext.payload, f->ext.payloadlen);
    }
    return 0;
}

/* extension_payloads: an unknown frame's payload is delivered whole, at
   every split point (it goes through the buffered path when split); without
   it the payload is skipped (NULL). */
static void test_extension_payloads(void)
{
    h2_log s = {0};
    h2_parser_config cfg;
    size_t i;
    h2_parser_config_default(&cfg);
    add_raw(&s, 5, 0x21, 0, 3, "hello", 5);
    for (cfg.extension_payloads = 0; cfg.extension_payloads <= 1; cfg.extension_payloads++)
        for (i = 0; i <= s.len; i++) {
            h2_log ev = {0};
            size_t c1 = 0, c2 = 0;
            h2_parser *p = h2_parser_new(&cfg, keep_ext, &ev);
            CHECK_EQ(h2_parser_feed(p, s.buf, i, &c1), H2_OK);
            CHECK_EQ(h2_parser_feed(p, s.buf + i, s.len - i, &c2), H2_OK);
            CHECK_EQ(c1 + c2, s.len);
            CHECK_EQ(ev.frames, 1);
            if (cfg.extension_payloads)
                CHECK_MEMEQ(ev.buf, ev.len, "hello", 5);
            else
                CHECK_MEMEQ(ev.buf, ev.len, "NULL", 4);
            h2_parser_del(p);
            log_free(&ev);
        }
    log_free(&s);
}

/* h2_parser_pending after every prefix of: preface, SETTINGS, HEADERS
   without END_HEADERS, CONTINUATION with it, an unknown frame. */
static void test_pending(void)
{
    h2_log s = {0};
    h2_parser_config cfg;
    size_t i;
    h2_parser_config_default(&cfg);
    cfg.expect_preface = 1;
    log_put(&s, H2_CLIENT_PREFACE, H2_CLIENT_PREFACE_LEN);  /* 0..24 */
    add_raw(&s, 0, H2_SETTINGS, 0, 0, NULL, 0);              /* 24..33 */
    add_raw(&s, 1, H2_HEADERS, 0, 1, "\x82", 1);            /* 33..43 */
    add_raw(&s, 1, H2_CONTINUATION, H2_FLAG_END_HEADERS, 1, "\x84", 1); /* 43..53 */
    add_raw(&s, 3, 0x20, 0, 0, "xyz", 3);                    /* 53..65 */
    for (cfg.extension_payloads = 0; cfg.extension_payloads <= 1; cfg.extension_payloads++)
        for (i = 0; i <= s.len; i++) {
            h2_pending pd;
            h2_parser *p = h2_parser_new(&cfg, NULL, NULL);
            h2_pending_kind kind = H2_PENDING_NONE;
            size_t have = 0, need = 0;
            uint8_t type = 0;
            CHECK_EQ(h2_parser_feed(p, s.buf, i, NULL), H2_OK);
            h2_parser_pending(p, &pd);
            if (i < 24) {
                kind = H2_PENDING_PREFACE, have = i, need = 24;
            } else if ((i > 24 && i < 33) || (i > 33 && i < 42) || (i > 43 && i < 52) ||
                       (i > 53 && i < 62)) {
                kind = H2_PENDING_FRAME_HEADER, need = 9;
                have = i < 33 ? i - 24 : i < 42 ? i - 33 : i < 52 ? i - 43 : i - 53;
            } else if (i == 42 || i == 52 || (i >= 62 && i < 65)) {
                kind = H2_PENDING_PAYLOAD;
                type = i == 42 ? H2_HEADERS : i == 52 ? H2_CONTINUATION : 0x20;
                need = i < 62 ? 1 : 3;
                have = i < 62 ? 0 : i - 62;
            } else if (i == 43) {
                kind = H2_PENDING_FIELD_BLOCK, type = H2_HEADERS, have = 1;
            } else if (i == 24) {
                kind = H2_PENDING_SETTINGS;
            }
            CHECK_EQ(pd.kind, kind);
            CHECK_EQ(pd.have, have);
            CHECK_EQ(pd.need, need);
            CHECK_EQ(pd.hd.type, type);
            CHECK_EQ(h2_parser_at_boundary(p),
                     kind == H2_PENDING_NONE || kind == H2_PENDING_SETTINGS);
            if (pd.kind != kind || pd.have != have)
                fprintf(stderr, "  at prefix %zu\n", i);
            h2_parser_del(p);
        }
    log_free(&s);
}

int main(void)
{
    RUN(test_whole_stream);
    RUN(test_every_split_point);
    RUN(test_continuation_sequencing);
    RUN(test_header_block_limits);
    RUN(test_frame_size);
    RUN(test_stream_errors_continue);
    RUN(test_connection_error_is_final);
    RUN(test_preface);
    RUN(test_unknown_and_push);
    RUN(test_callback_stop);
    RUN(test_truncations);
    RUN(test_extension_payloads);
    RUN(test_pending);
    return check_summary();
}
