/* test_role.c: the parser's role rules (h2_parser_config.role, RFC 9113
   §8.4, §6.5.2, §6.6, §5.1.1) on known inputs, each also fed to a real
   nghttp2 session of the same role as the differential reference: both must
   accept the input, or both must end the connection with the same error
   code. nghttp2 tracks stream states, so its client session has opened
   stream 1 (a request) first, and its server runs without HTTP messaging
   checks (header semantics are not the framing layer's). Then the other
   way round: both directions of a real nghttp2 client-server exchange, push
   included, pass the rules of the end that reads them. */
#include <nghttp2/nghttp2.h>

#include "check.h"
#include "h2.h"
#include "h2_test_util.h"

enum { NONE = -1 }; /* no connection error expected */

typedef struct {
    const char *name;
    h2_role role;    /* H2_ROLE_SERVER: the input follows the client preface */
    int no_push;     /* client: we announced SETTINGS_ENABLE_PUSH 0 */
    const char *hex; /* frames after the preface */
    int want;        /* RFC 9113 §7 code of the connection error, or NONE */
} role_case;

/* Frames used below (9-octet header, then payload). HPACK block 82 is
   ":method: GET" (static index 2). */
#define SETTINGS_EMPTY "000000 04 00 00000000 "
#define SETTINGS_ACK "000000 04 01 00000000 "
#define SETTINGS_PUSH(v) "000006 04 00 00000000 0002 0000000" v " "
#define HEADERS(sid) "000001 01 05 0000000" sid " 82 "
#define PUSH_PROMISE(sid, promised) "000005 05 04 0000000" sid " 0000000" promised " 82 "
#define PRIORITY(sid) "000005 02 00 0000000" sid " 00000000 0f "

static const role_case cases[] = {
    /* we are the server: the input comes from a client */
    {"server: requests on odd streams", H2_ROLE_SERVER, 0,
     SETTINGS_EMPTY HEADERS("1") HEADERS("3"), NONE},
    {"server: SETTINGS_ENABLE_PUSH 1 from a client is fine", H2_ROLE_SERVER, 0,
     SETTINGS_PUSH("1") HEADERS("1"), NONE},
    {"server: PRIORITY may name an even stream", H2_ROLE_SERVER, 0,
     SETTINGS_EMPTY PRIORITY("2"), NONE},
    {"server: PUSH_PROMISE (§8.4)", H2_ROLE_SERVER, 0,
     SETTINGS_EMPTY HEADERS("1") PUSH_PROMISE("1", "2"), H2_PROTOCOL_ERROR},
    {"server: HEADERS on an even stream (§5.1.1)", H2_ROLE_SERVER, 0,
     SETTINGS_EMPTY HEADERS("2"), H2_PROTOCOL_ERROR},
    /* we are the client (stream 1 is our request): input from a server */
    {"client: a response and a push", H2_ROLE_CLIENT, 0,
     SETTINGS_EMPTY PUSH_PROMISE("1", "2") PUSH_PROMISE("1", "4") HEADERS("1") HEADERS("2")
         HEADERS("4"),
     NONE},
    {"client: SETTINGS_ENABLE_PUSH 0 from a server is fine", H2_ROLE_CLIENT, 0,
     SETTINGS_PUSH("0") HEADERS("1"), NONE},
    {"client: SETTINGS_ENABLE_PUSH 1 (§6.5.2)", H2_ROLE_CLIENT, 0, SETTINGS_PUSH("1"),
     H2_PROTOCOL_ERROR},
    {"client: PUSH_PROMISE on an even stream (§6.6)", H2_ROLE_CLIENT, 0,
     SETTINGS_EMPTY PUSH_PROMISE("2", "4"), H2_PROTOCOL_ERROR},
    {"client: PUSH_PROMISE promising an odd stream (§6.6, §5.1.1)", H2_ROLE_CLIENT, 0,
     SETTINGS_EMPTY PUSH_PROMISE("1", "3"), H2_PROTOCOL_ERROR},
    {"client: promised stream ids must increase (§5.1.1)", H2_ROLE_CLIENT, 0,
     SETTINGS_EMPTY PUSH_PROMISE("1", "4") PUSH_PROMISE("1", "2"), H2_PROTOCOL_ERROR},
    {"client: HEADERS on an even stream never promised (§8.4)", H2_ROLE_CLIENT, 0,
     SETTINGS_EMPTY PUSH_PROMISE("1", "2") HEADERS("4"), H2_PROTOCOL_ERROR},
    {"client: PUSH_PROMISE after we disabled push (§6.6)", H2_ROLE_CLIENT, 1,
     SETTINGS_EMPTY SETTINGS_ACK PUSH_PROMISE("1", "2"), H2_PROTOCOL_ERROR},
};

/* ---- ours ---- */

static int ours(const role_case *c, const uint8_t *in, size_t len)
{
    h2_parser_config cfg;
    h2_parser *p;
    int rv, got = NONE;
    size_t off = 0, used;
    h2_parser_config_default(&cfg);
    cfg.role = c->role;
    cfg.expect_preface = c->role == H2_ROLE_SERVER;
    cfg.enable_push = !c->no_push;
    p = h2_parser_new(&cfg, NULL, NULL);
    if (p == NULL)
        return -2;
    while (off < len) {
        rv = h2_parser_feed(p, in + off, len - off, &used);
        off += used;
        if (rv == H2_OK)
            break;
        if (h2_parser_last_error(p)->scope == H2_SCOPE_CONNECTION) {
            got = (int)h2_parser_last_error(p)->code;
            break;
        }
    }
    h2_parser_del(p);
    return got;
}

/* ---- nghttp2 ---- */

typedef struct {
    int goaway; /* error code of the GOAWAY nghttp2 sent, or NONE */
} ng_state;

static ssize_t ng_send(nghttp2_session *s, const uint8_t *data, size_t len, int flags,
                             void *ud)
{
    (void)s;
    (void)data;
    (void)flags;
    (void)ud;
    return (ssize_t)len;
}

static int ng_on_send(nghttp2_session *s, const nghttp2_frame *f, void *ud)
{
    ng_state *st = ud;
    (void)s;
    if (f->hd.type == NGHTTP2_GOAWAY && st->goaway == NONE)
        st->goaway = (int)f->goaway.error_code;
    return 0;
}

static int theirs(const role_case *c, const uint8_t *in, size_t len)
{
    nghttp2_session_callbacks *cbs;
    nghttp2_option *opt;
    nghttp2_session *s;
    ng_state st = {NONE};
    ssize_t rv;
    if (nghttp2_session_callbacks_new(&cbs) != 0 || nghttp2_option_new(&opt) != 0)
        return -2;
    nghttp2_session_callbacks_set_send_callback(cbs, ng_send);
    nghttp2_session_callbacks_set_on_frame_send_callback(cbs, ng_on_send);
    nghttp2_option_set_no_http_messaging(opt, 1);
    if (c->role == H2_ROLE_SERVER) {
        CHECK_EQ(nghttp2_session_server_new2(&s, cbs, &st, opt), 0);
    } else {
        static const uint8_t m[] = ":method", g[] = "GET";
        nghttp2_nv nv = {(uint8_t *)m, (uint8_t *)g, 7, 3, NGHTTP2_NV_FLAG_NONE};
        nghttp2_settings_entry push = {NGHTTP2_SETTINGS_ENABLE_PUSH, 0};
        CHECK_EQ(nghttp2_session_client_new2(&s, cbs, &st, opt), 0);
        CHECK_EQ(nghttp2_submit_settings(s, NGHTTP2_FLAG_NONE, &push, c->no_push ? 1 : 0), 0);
        CHECK_EQ(nghttp2_submit_request(s, NULL, &nv, 1, NULL, NULL), 1); /* stream 1 */
        CHECK_EQ(nghttp2_session_send(s), 0);
    }
    rv = nghttp2_session_mem_recv(s, in, len);
    CHECK(rv >= 0);
    CHECK_EQ(nghttp2_session_send(s), 0); /* the GOAWAY, if any */
    nghttp2_session_del(s);
    nghttp2_option_del(opt);
    nghttp2_session_callbacks_del(cbs);
    return st.goaway == NGHTTP2_NO_ERROR ? NONE : st.goaway;
}

static void test_role_rules_against_nghttp2(void)
{
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const role_case *c = &cases[i];
        uint8_t in[512];
        size_t len = 0;
        int a, b;
        if (c->role == H2_ROLE_SERVER) {
            memcpy(in, H2_CLIENT_PREFACE, H2_CLIENT_PREFACE_LEN);
            len = H2_CLIENT_PREFACE_LEN;
        }
        len += unhex(in + len, sizeof in - len, c->hex);
        a = ours(c, in, len);
        b = theirs(c, in, len);
        if (a != c->want || b != c->want)
            fprintf(stderr, "%s: ours %d, nghttp2 %d, want %d\n", c->name, a, b, c->want);
        CHECK_EQ(a, c->want);
        CHECK_EQ(b, c->want);
    }
}

/* H2_ROLE_ANY keeps every case that only a role rule rejects. */
static void test_any_role_applies_no_rule(void)
{
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        role_case c = cases[i];
        uint8_t in[512];
        size_t len = unhex(in, sizeof in, c.hex);
        if (c.no_push)
            continue; /* that one is SETTINGS_ENABLE_PUSH's rule, not a role's */
        c.role = H2_ROLE_ANY;
        CHECK_EQ(ours(&c, in, len), NONE);
    }
}

/* ---- real traffic: an nghttp2 client and server talk, with a push ---- */

typedef struct {
    uint8_t buf[16384];
    size_t len;
} capture;

typedef struct {
    nghttp2_session *s;
    size_t frames_recv; /* nghttp2's on_frame_recv calls */
    int server;
} peer;

#define NV(n, v) {(uint8_t *)(n), (uint8_t *)(v), sizeof(n) - 1, sizeof(v) - 1, NGHTTP2_NV_FLAG_NONE}

static ssize_t body_read(nghttp2_session *s, int32_t sid, uint8_t *buf, size_t len,
                         uint32_t *flags, nghttp2_data_source *src, void *ud)
{
    static const char body[] = "hello, h2";
    (void)s;
    (void)sid;
    (void)src;
    (void)ud;
    if (len < sizeof body - 1)
        return NGHTTP2_ERR_CALLBACK_FAILURE;
    memcpy(buf, body, sizeof body - 1);
    *flags |= NGHTTP2_DATA_FLAG_EOF;
    return (ssize_t)(sizeof body - 1);
}

/* The server answers each complete request; the one for "/" also pushes
   "/style.css" (RFC 9113 §8.4) before its response. */
static int peer_on_recv(nghttp2_session *s, const nghttp2_frame *f, void *ud)
{
    peer *pe = ud;
    nghttp2_data_provider body = {{0}, body_read};
    nghttp2_nv status[] = {NV(":status", "200")};
    nghttp2_nv push[] = {NV(":method", "GET"), NV(":scheme", "https"),
                         NV(":path", "/style.css"), NV(":authority", "example.org")};
    pe->frames_recv++;
    if (!pe->server || !(f->hd.flags & NGHTTP2_FLAG_END_STREAM) ||
        (f->hd.type != NGHTTP2_HEADERS && f->hd.type != NGHTTP2_DATA))
        return 0;
    if (f->hd.stream_id == 1) {
        int32_t promised = nghttp2_submit_push_promise(s, NGHTTP2_FLAG_NONE, 1, push, 4, NULL);
        CHECK_EQ(promised, 2);
        CHECK_EQ(nghttp2_submit_response(s, promised, status, 1, &body), 0);
    }
    CHECK_EQ(nghttp2_submit_response(s, f->hd.stream_id, status, 1, &body), 0);
    return 0;
}

/* Everything |from| has to send, into |cap| and |to|. Returns the octets. */
static size_t pump(peer *from, peer *to, capture *cap)
{
    const uint8_t *data;
    ssize_t n;
    size_t total = 0;
    while ((n = nghttp2_session_mem_send(from->s, &data)) > 0) {
        CHECK((size_t)n <= sizeof cap->buf - cap->len);
        if ((size_t)n > sizeof cap->buf - cap->len)
            return 0;
        memcpy(cap->buf + cap->len, data, (size_t)n);
        cap->len += (size_t)n;
        CHECK_EQ(nghttp2_session_mem_recv(to->s, data, (size_t)n), n);
        total += (size_t)n;
    }
    CHECK(n == 0);
    return total;
}

typedef struct {
    size_t frames, blocks;
} counts;

static int count_frame(void *ud, const h2_frame *f, const h2_header_list *hl)
{
    counts *c = ud;
    (void)f;
    c->frames++;
    c->blocks += hl != NULL;
    return 0;
}

/* Feeds a capture to our parser in |role|, expecting the client preface
   first if |preface|; returns the result. */
static int parse_capture(const capture *cap, h2_role role, int preface, counts *c)
{
    h2_parser_config cfg;
    h2_parser *p;
    int rv;
    h2_parser_config_default(&cfg);
    cfg.role = role;
    cfg.expect_preface = preface;
    p = h2_parser_new(&cfg, count_frame, c);
    rv = h2_parser_feed(p, cap->buf, cap->len, NULL);
    if (rv == H2_OK && !h2_parser_at_boundary(p))
        rv = H2_ERR_PROTOCOL;
    h2_parser_del(p);
    return rv;
}

/* Both directions of a real exchange (requests, a push, responses with
   bodies, PING) pass the role rules, and our parser sees as many frames as
   the nghttp2 peer that received them. */
static void test_nghttp2_traffic_passes(void)
{
    nghttp2_session_callbacks *cbs;
    peer client = {NULL, 0, 0}, server = {NULL, 0, 1};
    capture *c2s = calloc(1, sizeof *c2s), *s2c = calloc(1, sizeof *s2c);
    nghttp2_nv get[] = {NV(":method", "GET"), NV(":scheme", "https"), NV(":path", "/"),
                        NV(":authority", "example.org")};
    nghttp2_nv post[] = {NV(":method", "POST"), NV(":scheme", "https"), NV(":path", "/form"),
                         NV(":authority", "example.org"), NV("content-type", "text/plain")};
    nghttp2_data_provider body = {{0}, body_read};
    counts cs = {0, 0}, sc = {0, 0};
    int round;
    CHECK_EQ(nghttp2_session_callbacks_new(&cbs), 0);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, peer_on_recv);
    CHECK_EQ(nghttp2_session_client_new(&client.s, cbs, &client), 0);
    CHECK_EQ(nghttp2_session_server_new(&server.s, cbs, &server), 0);
    CHECK_EQ(nghttp2_submit_settings(client.s, NGHTTP2_FLAG_NONE, NULL, 0), 0);
    CHECK_EQ(nghttp2_submit_settings(server.s, NGHTTP2_FLAG_NONE, NULL, 0), 0);
    CHECK_EQ(nghttp2_submit_request(client.s, NULL, get, 4, NULL, NULL), 1);
    CHECK_EQ(nghttp2_submit_request(client.s, NULL, post, 5, &body, NULL), 3);
    CHECK_EQ(nghttp2_submit_ping(client.s, NGHTTP2_FLAG_NONE, NULL), 0);
    for (round = 0; round < 20; round++)
        if (pump(&client, &server, c2s) + pump(&server, &client, s2c) == 0)
            break;
    CHECK(round < 20);
    CHECK_EQ(parse_capture(c2s, H2_ROLE_SERVER, 1, &cs), H2_OK);
    CHECK_EQ(cs.frames, server.frames_recv);
    CHECK_EQ(cs.blocks, 2); /* the two requests */
    CHECK_EQ(parse_capture(s2c, H2_ROLE_CLIENT, 0, &sc), H2_OK);
    CHECK_EQ(sc.frames, client.frames_recv);
    CHECK_EQ(sc.blocks, 4); /* PUSH_PROMISE and three responses */
    CHECK(sc.frames >= 10 && cs.frames >= 6);
    /* read by a server, the server's side breaks §8.4 at its PUSH_PROMISE */
    CHECK_EQ(parse_capture(s2c, H2_ROLE_SERVER, 0, &sc), H2_ERR_PROTOCOL);
    /* and read with no role, both sides pass */
    CHECK_EQ(parse_capture(s2c, H2_ROLE_ANY, 0, &sc), H2_OK);
    CHECK_EQ(parse_capture(c2s, H2_ROLE_ANY, 1, &cs), H2_OK);
    nghttp2_session_del(client.s);
    nghttp2_session_del(server.s);
    nghttp2_session_callbacks_del(cbs);
    free(c2s);
    free(s2c);
}

int main(void)
{
    RUN(test_role_rules_against_nghttp2);
    RUN(test_any_role_applies_no_rule);
    RUN(test_nghttp2_traffic_passes);
    return check_summary();
}
