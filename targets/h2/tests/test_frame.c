/* test_frame.c: RFC 9113 §6 pack/unpack round trips per frame type and every
   per-frame MUST with its exact error code and scope. */
#include "check.h"
#include "h2.h"
#include "h2_test_util.h"

static uint8_t wire[70000];

/* Builds a raw frame (header + |plen| payload octets) in |wire|. */
static size_t raw(uint32_t len, uint8_t type, uint8_t flags, uint32_t sid, const uint8_t *payload,
                  size_t plen)
{
    h2_frame_hd hd;
    hd.length = len;
    hd.type = type;
    hd.flags = flags;
    hd.stream_id = sid;
    h2_frame_pack_frame_hd(wire, &hd);
    if (plen)
        memcpy(wire + 9, payload, plen);
    return 9 + plen;
}

/* Unpacks the frame in |buf|; returns the result, fills |f| and |err|. */
static int unpack(const uint8_t *buf, h2_frame *f, h2_error *err)
{
    h2_frame_hd hd;
    h2_frame_unpack_frame_hd(&hd, buf);
    memset(err, 0, sizeof *err);
    return h2_unpack_frame_payload(f, &hd, buf + 9, err);
}

/* Expects unpacking |buf| to fail with |rv|, |code|, |scope|. */
static int expect_err(const uint8_t *buf, int rv, uint32_t code, h2_scope scope, uint32_t sid)
{
    h2_frame f;
    h2_error e;
    int got = unpack(buf, &f, &e);
    if (got == H2_OK)
        h2_frame_free(&f);
    return got == rv && e.code == code && e.scope == scope && e.stream_id == sid;
}

#define CONN H2_SCOPE_CONNECTION
#define STRM H2_SCOPE_STREAM

static void test_frame_hd(void)
{
    h2_frame_hd hd;
    uint8_t b[9] = {0x00, 0x01, 0x02, 0xfa, 0xff, 0xff, 0xff, 0xff, 0xff};
    h2_frame_unpack_frame_hd(&hd, b);
    CHECK_EQ(hd.length, 0x102);
    CHECK_EQ(hd.type, 0xfa);
    CHECK_EQ(hd.flags, 0xff);
    CHECK_EQ(hd.stream_id, 0x7fffffff); /* §4.1 reserved bit masked */
    CHECK_STREQ(h2_frame_type_name(H2_WINDOW_UPDATE), "WINDOW_UPDATE");
    CHECK(h2_frame_type_name(10) == NULL);
    CHECK_STREQ(h2_error_code_name(H2_ENHANCE_YOUR_CALM), "ENHANCE_YOUR_CALM");
    CHECK_STREQ(h2_error_code_name(H2_HTTP_1_1_REQUIRED), "HTTP_1_1_REQUIRED");
    CHECK(h2_error_code_name(0xe) == NULL);
    CHECK_STREQ(h2_strerror(H2_ERR_FRAME_SIZE), "frame size error");
}

static void test_data(void)
{
    h2_data d;
    h2_frame f;
    h2_error e;
    size_t n;
    uint8_t p[8];
    h2_data_init(&d, H2_FLAG_END_STREAM | H2_FLAG_PADDED, 3, 4, (const uint8_t *)"hello", 5);
    CHECK_EQ(d.hd.length, 10);
    CHECK_EQ(h2_pack_data(wire, sizeof wire, &n, &d), H2_OK);
    CHECK_EQ(n, 19);
    CHECK_EQ(unpack(wire, &f, &e), H2_OK);
    CHECK_EQ(f.data.pad_length, 4);
    CHECK_MEMEQ(f.data.data, f.data.datalen, "hello", 5);
    CHECK_EQ(f.hd.flags, H2_FLAG_END_STREAM | H2_FLAG_PADDED);
    /* unpadded, empty */
    h2_data_init(&d, 0, 1, 0, NULL, 0);
    CHECK_EQ(h2_pack_data(wire, sizeof wire, &n, &d), H2_OK);
    CHECK_EQ(unpack(wire, &f, &e), H2_OK);
    CHECK_EQ(f.data.datalen, 0);
    /* §6.1 stream 0 */
    raw(1, H2_DATA, 0, 0, (const uint8_t *)"x", 1);
    CHECK(expect_err(wire, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 0));
    /* §6.1 pad length equal to the payload: PROTOCOL_ERROR */
    p[0] = 3;
    raw(3, H2_DATA, H2_FLAG_PADDED, 1, p, 3);
    CHECK(expect_err(wire, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 1));
    p[0] = 2; /* pad length = payload - 1: empty data, fine */
    raw(3, H2_DATA, H2_FLAG_PADDED, 1, p, 3);
    CHECK_EQ(unpack(wire, &f, &e), H2_OK);
    CHECK_EQ(f.data.datalen, 0);
    /* padded with no room for Pad Length */
    raw(0, H2_DATA, H2_FLAG_PADDED, 1, NULL, 0);
    CHECK(expect_err(wire, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, CONN, 1));
    /* pack refuses what unpack would reject */
    h2_data_init(&d, 0, 0, 0, NULL, 0);
    CHECK_EQ(h2_pack_data(wire, sizeof wire, &n, &d), H2_ERR_INVALID_ARGUMENT);
    h2_data_init(&d, 0, 1, 0, (const uint8_t *)"x", 1);
    d.pad_length = 3; /* without PADDED */
    CHECK_EQ(h2_pack_data(wire, sizeof wire, &n, &d), H2_ERR_INVALID_ARGUMENT);
    h2_data_init(&d, 0, 1, 0, (const uint8_t *)"hello", 5);
    CHECK_EQ(h2_pack_data(wire, 13, &n, &d), H2_ERR_BUFFER_TOO_SMALL);
}

static void test_headers(void)
{
    h2_headers h;
    h2_frame f;
    h2_error e;
    size_t n;
    h2_priority_spec ps = {5, 256, 1};
    uint8_t p[16];
    h2_headers_init(&h, H2_FLAG_END_HEADERS | H2_FLAG_PADDED | H2_FLAG_PRIORITY, 7, 2, &ps,
                    (const uint8_t *)"\x82\x86", 2);
    CHECK_EQ(h.hd.length, 10);
    CHECK_EQ(h2_pack_headers(wire, sizeof wire, &n, &h), H2_OK);
    CHECK_EQ(unpack(wire, &f, &e), H2_OK);
    CHECK_EQ(f.headers.pad_length, 2);
    CHECK_EQ(f.headers.pri_spec.stream_dependency, 5);
    CHECK_EQ(f.headers.pri_spec.weight, 256);
    CHECK_EQ(f.headers.pri_spec.exclusive, 1);
    CHECK_MEMEQ(f.headers.block, f.headers.blocklen, "\x82\x86", 2);
    /* without flags */
    h2_headers_init(&h, 0, 9, 0, NULL, (const uint8_t *)"\x82", 1);
    CHECK_EQ(h2_pack_headers(wire, sizeof wire, &n, &h), H2_OK);
    CHECK_EQ(n, 10);
    CHECK_EQ(unpack(wire, &f, &e), H2_OK);
    CHECK_EQ(f.headers.pri_spec.weight, 16);
    /* §6.2 stream 0 */
    raw(1, H2_HEADERS, 0, 0, (const uint8_t *)"\x82", 1);
    CHECK(expect_err(wire, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 0));
    /* PRIORITY flag with fewer than 5 octets */
    raw(4, H2_HEADERS, H2_FLAG_PRIORITY, 1, (const uint8_t *)"\0\0\0\0", 4);
    CHECK(expect_err(wire, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, CONN, 1));
    /* padding exceeding what is left after the priority fields */
    memset(p, 0, sizeof p);
    p[0] = 3;
    raw(8, H2_HEADERS, H2_FLAG_PADDED | H2_FLAG_PRIORITY, 1, p, 8);
    CHECK(expect_err(wire, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 1));
    p[0] = 2;
    raw(8, H2_HEADERS, H2_FLAG_PADDED | H2_FLAG_PRIORITY, 1, p, 8);
    CHECK_EQ(unpack(wire, &f, &e), H2_OK);
    CHECK_EQ(f.headers.blocklen, 0);
    /* §5.3.1 self dependency (escalated to the connection) */
    p[0] = 0; p[1] = 0; p[2] = 0; p[3] = 1; p[4] = 0;
    raw(5, H2_HEADERS, H2_FLAG_PRIORITY, 1, p, 5);
    CHECK(expect_err(wire, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 1));
    ps.stream_dependency = 7;
    h2_headers_init(&h, H2_FLAG_PRIORITY, 7, 0, &ps, NULL, 0);
    CHECK_EQ(h2_pack_headers(wire, sizeof wire, &n, &h), H2_ERR_INVALID_ARGUMENT);
    ps.stream_dependency = 1;
    h2_headers_init(&h, 0, 7, 0, &ps, NULL, 0); /* priority given without the flag */
    CHECK_EQ(h2_pack_headers(wire, sizeof wire, &n, &h), H2_ERR_INVALID_ARGUMENT);
}

static void test_priority(void)
{
    h2_priority pr;
    h2_frame f;
    h2_error e;
    size_t n;
    h2_priority_spec ps = {0x7fffffff, 1, 0};
    h2_priority_init(&pr, 3, &ps);
    CHECK_EQ(h2_pack_priority(wire, sizeof wire, &n, &pr), H2_OK);
    CHECK_EQ(n, 14);
    CHECK_EQ(unpack(wire, &f, &e), H2_OK);
    CHECK_EQ(f.priority.pri_spec.stream_dependency, 0x7fffffff);
    CHECK_EQ(f.priority.pri_spec.weight, 1);
    CHECK_EQ(f.priority.pri_spec.exclusive, 0);
    /* §6.3 stream 0: connection error */
    raw(5, H2_PRIORITY, 0, 0, (const uint8_t *)"\0\0\0\1\0", 5);
    CHECK(expect_err(wire, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 0));
    /* §6.3 length other than 5: a STREAM error */
    raw(4, H2_PRIORITY, 0, 5, (const uint8_t *)"\0\0\0\1", 4);
    CHECK(expect_err(wire, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, STRM, 5));
    raw(6, H2_PRIORITY, 0, 5, (const uint8_t *)"\0\0\0\1\0\0", 6);
    CHECK(expect_err(wire, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, STRM, 5));
    /* §5.3.1 self dependency: stream error */
    raw(5, H2_PRIORITY, 0, 1, (const uint8_t *)"\x80\0\0\1\0", 5);
    CHECK(expect_err(wire, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, STRM, 1));
    ps.weight = 0;
    h2_priority_init(&pr, 3, &ps);
    CHECK_EQ(h2_pack_priority(wire, sizeof wire, &n, &pr), H2_ERR_INVALID_ARGUMENT);
}

static void test_rst_stream(void)
{
    h2_rst_stream r;
    h2_frame f;
    h2_error e;
    size_t n;
    h2_rst_stream_init(&r, 1, H2_CANCEL);
    CHECK_EQ(h2_pack_rst_stream(wire, sizeof wire, &n, &r), H2_OK);
    CHECK_EQ(n, 13);
    CHECK_EQ(unpack(wire, &f, &e), H2_OK);
    CHECK_EQ(f.rst_stream.error_code, H2_CANCEL);
    raw(4, H2_RST_STREAM, 0, 0, (const uint8_t *)"\0\0\0\1", 4);
    CHECK(expect_err(wire, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 0));
    raw(3, H2_RST_STREAM, 0, 1, (const uint8_t *)"\0\0\0", 3);
    CHECK(expect_err(wire, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, CONN, 1));
    raw(5, H2_RST_STREAM, 0, 1, (const uint8_t *)"\0\0\0\0\0", 5);
    CHECK(expect_err(wire, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, CONN, 1));
    h2_rst_stream_init(&r, 0, 0);
    CHECK_EQ(h2_pack_rst_stream(wire, sizeof wire, &n, &r), H2_ERR_INVALID_ARGUMENT);
}

static void test_settings(void)
{
    h2_settings s;
    h2_frame f;
    h2_error e;
    size_t n;
    h2_settings_entry iv[] = {{H2_SETTINGS_HEADER_TABLE_SIZE, 0},
                              {H2_SETTINGS_ENABLE_PUSH, 1},
                              {H2_SETTINGS_MAX_FRAME_SIZE, 16777215},
                              {H2_SETTINGS_INITIAL_WINDOW_SIZE, 0x7fffffff},
                              {0xabcd, 0xffffffff}};
    CHECK_EQ(h2_settings_init(&s, 0, iv, 5), H2_OK);
    CHECK_EQ(h2_pack_settings(wire, sizeof wire, &n, &s), H2_OK);
    CHECK_EQ(n, 39);
    CHECK_EQ(unpack(wire, &f, &e), H2_OK);
    CHECK_EQ(f.settings.niv, 5);
    for (n = 0; n < 5 && n < f.settings.niv; n++)
        CHECK(f.settings.iv[n].id == iv[n].id && f.settings.iv[n].value == iv[n].value);
    h2_frame_free(&f);
    h2_settings_free(&s);
    /* ACK */
    CHECK_EQ(h2_settings_init(&s, H2_FLAG_ACK, NULL, 0), H2_OK);
    CHECK_EQ(h2_pack_settings(wire, sizeof wire, &n, &s), H2_OK);
    CHECK_EQ(unpack(wire, &f, &e), H2_OK);
    CHECK_EQ(f.settings.niv, 0);
    CHECK_EQ(h2_settings_init(&s, H2_FLAG_ACK, iv, 1), H2_OK);
    CHECK_EQ(h2_pack_settings(wire, sizeof wire, &n, &s), H2_ERR_INVALID_ARGUMENT);
    h2_settings_free(&s);
    /* §6.5 rules */
    raw(0, H2_SETTINGS, 0, 1, NULL, 0);
    CHECK(expect_err(wire, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 1));
    raw(6, H2_SETTINGS, H2_FLAG_ACK, 0, (const uint8_t *)"\0\1\0\0\0\0", 6);
    CHECK(expect_err(wire, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, CONN, 0));
    raw(5, H2_SETTINGS, 0, 0, (const uint8_t *)"\0\1\0\0\0", 5);
    CHECK(expect_err(wire, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, CONN, 0));
    /* §6.5.2 values */
    raw(6, H2_SETTINGS, 0, 0, (const uint8_t *)"\0\2\0\0\0\2", 6);
    CHECK(expect_err(wire, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 0));
    raw(6, H2_SETTINGS, 0, 0, (const uint8_t *)"\0\4\x80\0\0\0", 6);
    CHECK(expect_err(wire, H2_ERR_FLOW_CONTROL, H2_FLOW_CONTROL_ERROR, CONN, 0));
    raw(6, H2_SETTINGS, 0, 0, (const uint8_t *)"\0\5\0\0\x3f\xff", 6);
    CHECK(expect_err(wire, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 0));
    raw(6, H2_SETTINGS, 0, 0, (const uint8_t *)"\0\5\1\0\0\0", 6);
    CHECK(expect_err(wire, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 0));
    raw(6, H2_SETTINGS, 0, 0, (const uint8_t *)"\0\5\0\0\x40\0", 6);
    CHECK_EQ(unpack(wire, &f, &e), H2_OK);
    h2_frame_free(&f);
    /* unknown settings are ignored */
    raw(6, H2_SETTINGS, 0, 0, (const uint8_t *)"\xff\xff\xff\xff\xff\xff", 6);
    CHECK_EQ(unpack(wire, &f, &e), H2_OK);
    h2_frame_free(&f);
}

static void test_push_promise(void)
{
    h2_push_promise pp;
    h2_frame f;
    h2_error e;
    size_t n;
    uint8_t p[8] = {0};
    h2_push_promise_init(&pp, H2_FLAG_END_HEADERS | H2_FLAG_PADDED, 1, 3, 2,
                         (const uint8_t *)"\x82", 1);
    CHECK_EQ(h2_pack_push_promise(wire, sizeof wire, &n, &pp), H2_OK);
    CHECK_EQ(n, 9 + 1 + 4 + 1 + 3);
    CHECK_EQ(unpack(wire, &f, &e), H2_OK);
    CHECK_EQ(f.push_promise.promised_stream_id, 2);
    CHECK_EQ(f.push_promise.pad_length, 3);
    CHECK_MEMEQ(f.push_promise.block, f.push_promise.blocklen, "\x82", 1);
    raw(4, H2_PUSH_PROMISE, 0, 0, (const uint8_t *)"\0\0\0\2", 4);
    CHECK(expect_err(wire, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 0));
    raw(3, H2_PUSH_PROMISE, 0, 1, (const uint8_t *)"\0\0\2", 3);
    CHECK(expect_err(wire, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, CONN, 1));
    p[0] = 1; /* pad 1 with 4 octets of promised id and nothing left */
    raw(5, H2_PUSH_PROMISE, H2_FLAG_PADDED, 1, p, 5);
    CHECK(expect_err(wire, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 1));
    raw(4, H2_PUSH_PROMISE, 0, 1, (const uint8_t *)"\x80\0\0\0", 4);
    CHECK(expect_err(wire, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 1));
    h2_push_promise_init(&pp, 0, 1, 0, 0, NULL, 0);
    CHECK_EQ(h2_pack_push_promise(wire, sizeof wire, &n, &pp), H2_ERR_INVALID_ARGUMENT);
}

static void test_ping(void)
{
    h2_ping pg;
    h2_frame f;
    h2_error e;
    size_t n;
    h2_ping_init(&pg, H2_FLAG_ACK, (const uint8_t *)"12345678");
    CHECK_EQ(h2_pack_ping(wire, sizeof wire, &n, &pg), H2_OK);
    CHECK_EQ(n, 17);
    CHECK_EQ(unpack(wire, &f, &e), H2_OK);
    CHECK_MEMEQ(f.ping.opaque_data, 8, "12345678", 8);
    CHECK_EQ(f.hd.flags, H2_FLAG_ACK);
    raw(8, H2_PING, 0, 1, (const uint8_t *)"12345678", 8);
    CHECK(expect_err(wire, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 1));
    raw(7, H2_PING, 0, 0, (const uint8_t *)"1234567", 7);
    CHECK(expect_err(wire, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, CONN, 0));
    raw(9, H2_PING, 0, 0, (const uint8_t *)"123456789", 9);
    CHECK(expect_err(wire, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, CONN, 0));
}

static void test_goaway(void)
{
    h2_goaway g;
    h2_frame f;
    h2_error e;
    size_t n;
    h2_goaway_init(&g, 0x7fffffff, H2_ENHANCE_YOUR_CALM, (const uint8_t *)"bye", 3);
    CHECK_EQ(h2_pack_goaway(wire, sizeof wire, &n, &g), H2_OK);
    CHECK_EQ(n, 20);
    CHECK_EQ(unpack(wire, &f, &e), H2_OK);
    CHECK_EQ(f.goaway.last_stream_id, 0x7fffffff);
    CHECK_EQ(f.goaway.error_code, H2_ENHANCE_YOUR_CALM);
    CHECK_MEMEQ(f.goaway.debug_data, f.goaway.debug_datalen, "bye", 3);
    raw(8, H2_GOAWAY, 0, 3, (const uint8_t *)"\0\0\0\0\0\0\0\0", 8);
    CHECK(expect_err(wire, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 3));
    raw(7, H2_GOAWAY, 0, 0, (const uint8_t *)"\0\0\0\0\0\0\0", 7);
    CHECK(expect_err(wire, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, CONN, 0));
    /* reserved bit of last-stream-id masked */
    raw(8, H2_GOAWAY, 0, 0, (const uint8_t *)"\x80\0\0\5\0\0\0\0", 8);
    CHECK_EQ(unpack(wire, &f, &e), H2_OK);
    CHECK_EQ(f.goaway.last_stream_id, 5);
}

static void test_window_update(void)
{
    h2_window_update w;
    h2_frame f;
    h2_error e;
    size_t n;
    h2_window_update_init(&w, 0, 0x7fffffff);
    CHECK_EQ(h2_pack_window_update(wire, sizeof wire, &n, &w), H2_OK);
    CHECK_EQ(unpack(wire, &f, &e), H2_OK);
    CHECK_EQ(f.window_update.window_size_increment, 0x7fffffff);
    /* §6.9 increment 0: stream error on a stream, connection error on 0 */
    raw(4, H2_WINDOW_UPDATE, 0, 3, (const uint8_t *)"\0\0\0\0", 4);
    CHECK(expect_err(wire, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, STRM, 3));
    raw(4, H2_WINDOW_UPDATE, 0, 0, (const uint8_t *)"\x80\0\0\0", 4);
    CHECK(expect_err(wire, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 0));
    /* §6.9 length other than 4: connection FRAME_SIZE_ERROR */
    raw(3, H2_WINDOW_UPDATE, 0, 3, (const uint8_t *)"\0\0\1", 3);
    CHECK(expect_err(wire, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, CONN, 3));
    raw(5, H2_WINDOW_UPDATE, 0, 0, (const uint8_t *)"\0\0\0\1\0", 5);
    CHECK(expect_err(wire, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, CONN, 0));
    h2_window_update_init(&w, 1, 0);
    CHECK_EQ(h2_pack_window_update(wire, sizeof wire, &n, &w), H2_ERR_INVALID_ARGUMENT);
    h2_window_update_init(&w, 1, 0x80000000u);
    CHECK_EQ(h2_pack_window_update(wire, sizeof wire, &n, &w), H2_ERR_INVALID_ARGUMENT);
}

static void test_continuation(void)
{
    h2_continuation c;
    h2_frame f;
    h2_error e;
    size_t n;
    h2_continuation_init(&c, H2_FLAG_END_HEADERS, 1, (const uint8_t *)"\x82\x84", 2);
    CHECK_EQ(h2_pack_continuation(wire, sizeof wire, &n, &c), H2_OK);
    CHECK_EQ(unpack(wire, &f, &e), H2_OK);
    CHECK_MEMEQ(f.continuation.block, f.continuation.blocklen, "\x82\x84", 2);
    raw(1, H2_CONTINUATION, 0, 0, (const uint8_t *)"\x82", 1);
    CHECK(expect_err(wire, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 0));
}

static void test_unknown_type(void)
{
    h2_frame f;
    h2_error e;
    size_t n;
    raw(3, 0xfe, 0xff, 0, (const uint8_t *)"abc", 3);
    CHECK_EQ(unpack(wire, &f, &e), H2_OK);
    CHECK_EQ(f.ext.payloadlen, 3);
    CHECK_EQ(h2_pack_frame(wire + 100, sizeof wire - 100, &n, &f), H2_OK);
    CHECK_MEMEQ(wire + 100, n, wire, 12);
}

/* pack -> unpack -> pack is the identity for every type, via h2_frame */
static void test_round_trip_all(void)
{
    h2_frame fr[10];
    h2_priority_spec ps = {3, 200, 1};
    h2_settings_entry iv[2] = {{H2_SETTINGS_MAX_CONCURRENT_STREAMS, 100}, {H2_SETTINGS_ENABLE_PUSH, 0}};
    size_t i;
    h2_data_init(&fr[0].data, H2_FLAG_PADDED, 1, 255, (const uint8_t *)"d", 1);
    h2_headers_init(&fr[1].headers, H2_FLAG_PRIORITY, 1, 0, &ps, (const uint8_t *)"\x82", 1);
    h2_priority_init(&fr[2].priority, 5, &ps);
    h2_rst_stream_init(&fr[3].rst_stream, 1, 0xdeadbeef);
    h2_settings_init(&fr[4].settings, 0, iv, 2);
    h2_push_promise_init(&fr[5].push_promise, 0, 1, 0, 4, NULL, 0);
    h2_ping_init(&fr[6].ping, 0, NULL);
    h2_goaway_init(&fr[7].goaway, 1, 0, NULL, 0);
    h2_window_update_init(&fr[8].window_update, 9, 1);
    h2_continuation_init(&fr[9].continuation, H2_FLAG_END_HEADERS, 1, NULL, 0);
    for (i = 0; i < 10; i++) {
        uint8_t a[512], b[512];
        size_t na, nb;
        h2_frame g;
        h2_error e;
        CHECK_EQ(fr[i].hd.type, i);
        CHECK_EQ(h2_pack_frame(a, sizeof a, &na, &fr[i]), H2_OK);
        CHECK_EQ(na, 9 + fr[i].hd.length);
        CHECK_EQ(unpack(a, &g, &e), H2_OK);
        CHECK_EQ(h2_pack_frame(b, sizeof b, &nb, &g), H2_OK);
        CHECK_MEMEQ(a, na, b, nb);
        h2_frame_free(&g);
        h2_frame_free(&fr[i]);
    }
}

int main(void)
{
    RUN(test_frame_hd);
    RUN(test_data);
    RUN(test_headers);
    RUN(test_priority);
    RUN(test_rst_stream);
    RUN(test_settings);
    RUN(test_push_promise);
    RUN(test_ping);
    RUN(test_goaway);
    RUN(test_window_update);
    RUN(test_continuation);
    RUN(test_unknown_type);
    RUN(test_round_trip_all);
    return check_summary();
}
