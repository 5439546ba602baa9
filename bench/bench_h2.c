/*
 * bench_h2.c: pry's h2 target against nghttp2, in the same run.
 *
 * Build and run from the repository root (or use bench/bench_h2.sh):
 *
 *   cc -std=c11 -D_GNU_SOURCE -O2 -Itargets/h2 bench/bench_h2.c targets/h2/[a-z]*.c \
 *      -lnghttp2 -o /tmp/bench_h2 && /tmp/bench_h2 [reps]
 *
 * Workloads (deterministic, built once):
 *   1. frames: a client connection of ~100k frames of mixed types (HEADERS with
 *      and without CONTINUATION, DATA with and without padding, PRIORITY,
 *      RST_STREAM, SETTINGS, PING, WINDOW_UPDATE, GOAWAY at the end, an
 *      extension frame) that nghttp2 accepts in full. Ours: h2_parser_feed
 *      over the whole buffer (frame parsing + HPACK). nghttp2: a server
 *      session fed with nghttp2_session_mem_recv, callbacks counting frames
 *      only, nothing sent. Reported per frame.
 *   2. hpack: header blocks from RFC 7541 C.3-C.6 (each sequence in a fresh
 *      context) and ~2000 generated request/response blocks from our encoder
 *      (one context, Huffman on, table size changes). Ours:
 *      h2_hpack_decode_block; nghttp2: nghttp2_hd_inflate_hd2. Per header.
 * Timings include creating and deleting the parser/session. Each timing is
 * the median of |reps| (default 7) repetitions. Output is a
 * markdown table; ratio = pry / nghttp2 (below 1 means pry is faster).
 */
#include <nghttp2/nghttp2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hpack.h"

typedef struct {
    uint8_t *buf;
    size_t len, cap;
} buf_t;

static void put(buf_t *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        while (b->len + n > b->cap)
            b->cap = b->cap ? b->cap * 2 : 1 << 16;
        b->buf = realloc(b->buf, b->cap);
        if (b->buf == NULL)
            abort();
    }
    memcpy(b->buf + b->len, p, n);
    b->len += n;
}

static size_t nframes;
static size_t nframes_ng; /* what nghttp2 reports: no CONTINUATION, no extensions */

static void put_frame(buf_t *b, const h2_frame *f)
{
    uint8_t tmp[20000];
    size_t n;
    if (h2_pack_frame(tmp, sizeof tmp, &n, f) != H2_OK)
        abort();
    put(b, tmp, n);
    nframes++;
    if (f->hd.type < H2_CONTINUATION)
        nframes_ng++;
}

static uint64_t rng(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

static h2_nv nv(const char *n, const char *v)
{
    h2_nv x;
    x.name = (const uint8_t *)n;
    x.namelen = strlen(n);
    x.value = (const uint8_t *)v;
    x.valuelen = strlen(v);
    x.flags = 0;
    return x;
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- workload 1: a client connection ---- */

static void build_connection(buf_t *b, size_t target)
{
    uint64_t seed = 42;
    h2_hpack_encoder *enc = h2_hpack_encoder_new(4096);
    h2_frame f;
    uint8_t block[4096], body[1024];
    uint32_t sid = 1;
    h2_settings_entry iv[2] = {{H2_SETTINGS_ENABLE_PUSH, 0}, {H2_SETTINGS_MAX_CONCURRENT_STREAMS, 100}};
    static const char *paths[] = {"/", "/index.html", "/style.css", "/app.js", "/img/logo.png",
                                  "/api/v1/items?page=2", "/favicon.ico"};
    static const char *agents[] = {"curl/8.4.0", "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101",
                                   "pry-bench/1"};
    memset(body, 'x', sizeof body);
    put(b, H2_CLIENT_PREFACE, H2_CLIENT_PREFACE_LEN);
    h2_settings_init(&f.settings, 0, iv, 2);
    put_frame(b, &f);
    h2_frame_free(&f);
    while (nframes < target) {
        h2_nv nva[8];
        size_t n = 0, blen;
        uint64_t r = rng(&seed);
        int post = r % 3 == 0;
        char cookie[64];
        snprintf(cookie, sizeof cookie, "session=%08llx", (unsigned long long)(rng(&seed) % 5));
        nva[n++] = nv(":method", post ? "POST" : "GET");
        nva[n++] = nv(":scheme", "https");
        nva[n++] = nv(":path", paths[rng(&seed) % 7]);
        nva[n++] = nv(":authority", "www.example.com");
        nva[n++] = nv("user-agent", agents[rng(&seed) % 3]);
        nva[n++] = nv("accept-encoding", "gzip, deflate");
        nva[n++] = nv("cookie", cookie);
        if (h2_hpack_encode_block(enc, block, sizeof block, &blen, nva, n) != H2_OK)
            abort();
        if (r % 5 == 0 && blen > 8) {
            /* HEADERS + CONTINUATION */
            h2_headers_init(&f.headers, post ? 0 : H2_FLAG_END_STREAM, sid, 0, NULL, block, 4);
            put_frame(b, &f);
            h2_continuation_init(&f.continuation, H2_FLAG_END_HEADERS, sid, block + 4, blen - 4);
            put_frame(b, &f);
        } else {
            h2_headers_init(&f.headers, (uint8_t)(H2_FLAG_END_HEADERS | (post ? 0 : H2_FLAG_END_STREAM)),
                            sid, 0, NULL, block, blen);
            put_frame(b, &f);
        }
        if (post) {
            int k, nd = 1 + (int)(rng(&seed) % 3);
            h2_window_update_init(&f.window_update, sid, 1000);
            put_frame(b, &f);
            for (k = 0; k < nd; k++) {
                size_t dl = 16 + rng(&seed) % 200;
                int last = k == nd - 1;
                if (rng(&seed) % 4 == 0)
                    h2_data_init(&f.data, (uint8_t)(H2_FLAG_PADDED | (last ? H2_FLAG_END_STREAM : 0)), sid,
                                 (uint8_t)(rng(&seed) % 32), body, dl);
                else
                    h2_data_init(&f.data, last ? H2_FLAG_END_STREAM : 0, sid, 0, body, dl);
                put_frame(b, &f);
            }
        } else if (r % 7 == 0) {
            /* a stream still open for a reset: HEADERS without END_STREAM */
            sid += 2;
            if (h2_hpack_encode_block(enc, block, sizeof block, &blen, nva, n) != H2_OK)
                abort();
            h2_headers_init(&f.headers, H2_FLAG_END_HEADERS, sid, 0, NULL, block, blen);
            put_frame(b, &f);
            h2_rst_stream_init(&f.rst_stream, sid, H2_CANCEL);
            put_frame(b, &f);
        }
        switch (rng(&seed) % 8) {
        case 0: {
            h2_priority_spec ps = {0, (uint16_t)(1 + rng(&seed) % 256), 0};
            h2_priority_init(&f.priority, sid, &ps);
            put_frame(b, &f);
            break;
        }
        case 1:
            h2_ping_init(&f.ping, 0, (const uint8_t *)"benchmrk");
            put_frame(b, &f);
            break;
        case 2:
            h2_window_update_init(&f.window_update, 0, 1);
            put_frame(b, &f);
            break;
        case 3:
            h2_settings_init(&f.settings, 0, iv, 1);
            put_frame(b, &f);
            h2_frame_free(&f);
            break;
        case 4:
            memset(&f, 0, sizeof f);
            f.ext.hd.type = 0xfa;
            f.ext.payload = body;
            f.ext.payloadlen = 8;
            put_frame(b, &f);
            break;
        default:
            break;
        }
        sid += 2;
    }
    h2_goaway_init(&f.goaway, 0, H2_NO_ERROR, NULL, 0);
    put_frame(b, &f);
    h2_hpack_encoder_del(enc);
}

static int count_frame(void *ud, const h2_frame *f, const h2_header_list *hl)
{
    (void)f;
    (void)hl;
    ++*(size_t *)ud;
    return 0;
}

static size_t ng_frames, ng_bad;
static int ng_on_frame(nghttp2_session *s, const nghttp2_frame *f, void *ud)
{
    (void)s;
    (void)f;
    (void)ud;
    ng_frames++;
    return 0;
}
static int ng_on_invalid(nghttp2_session *s, const nghttp2_frame *f, int err, void *ud)
{
    (void)s;
    (void)f;
    (void)err;
    (void)ud;
    ng_bad++;
    return 0;
}
static int ng_on_chunk(nghttp2_session *s, uint8_t fl, int32_t sid, const uint8_t *d, size_t l, void *ud)
{
    (void)s;
    (void)fl;
    (void)sid;
    (void)d;
    (void)ud;
    /* keep the windows open, as a real server would */
    nghttp2_session_consume(s, sid, l);
    return 0;
}

static double run_ours(const buf_t *b, size_t *frames)
{
    h2_parser_config cfg;
    h2_parser *p;
    size_t c;
    double t0, t1;
    h2_parser_config_default(&cfg);
    cfg.expect_preface = 1;
    *frames = 0;
    t0 = now_ns();
    p = h2_parser_new(&cfg, count_frame, frames);
    if (h2_parser_feed(p, b->buf, b->len, &c) != H2_OK || c != b->len)
        fprintf(stderr, "pry parser failed: %s\n", h2_parser_last_error(p)->detail);
    h2_parser_del(p);
    t1 = now_ns();
    return t1 - t0;
}

static double run_nghttp2(const buf_t *b)
{
    nghttp2_session_callbacks *cbs;
    nghttp2_session *s;
    nghttp2_option *opt;
    double t0, t1;
    ssize_t rv;
    nghttp2_session_callbacks_new(&cbs);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, ng_on_frame);
    nghttp2_session_callbacks_set_on_invalid_frame_recv_callback(cbs, ng_on_invalid);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, ng_on_chunk);
    nghttp2_option_new(&opt);
    nghttp2_option_set_max_outbound_ack(opt, 1u << 30); /* we never send */
    nghttp2_option_set_no_auto_window_update(opt, 0);
    ng_frames = ng_bad = 0;
    t0 = now_ns();
    nghttp2_session_server_new2(&s, cbs, NULL, opt);
    nghttp2_session_set_local_window_size(s, NGHTTP2_FLAG_NONE, 0, (1 << 30));
    rv = nghttp2_session_mem_recv(s, b->buf, b->len);
    nghttp2_session_del(s);
    t1 = now_ns();
    if (rv != (ssize_t)b->len)
        fprintf(stderr, "nghttp2 mem_recv: %zd (%s)\n", rv, rv < 0 ? nghttp2_strerror((int)rv) : "short");
    nghttp2_option_del(opt);
    nghttp2_session_callbacks_del(cbs);
    return t1 - t0;
}

/* ---- workload 2: header blocks ---- */

typedef struct {
    buf_t data;
    size_t *off, *len;
    int *fresh; /* start a new decoding context before this block */
    size_t n, cap, headers;
} blocks_t;

static void add_block(blocks_t *bl, const uint8_t *p, size_t n, int fresh, size_t nh)
{
    if (bl->n == bl->cap) {
        bl->cap = bl->cap ? bl->cap * 2 : 256;
        bl->off = realloc(bl->off, bl->cap * sizeof *bl->off);
        bl->len = realloc(bl->len, bl->cap * sizeof *bl->len);
        bl->fresh = realloc(bl->fresh, bl->cap * sizeof *bl->fresh);
    }
    bl->off[bl->n] = bl->data.len;
    bl->len[bl->n] = n;
    bl->fresh[bl->n] = fresh;
    bl->n++;
    bl->headers += nh;
    put(&bl->data, p, n);
}

static size_t unhex(uint8_t *out, const char *hex)
{
    size_t n = 0;
    int hi = -1;
    for (; *hex; hex++) {
        int v;
        if (*hex == ' ')
            continue;
        v = *hex <= '9' ? *hex - '0' : *hex - 'a' + 10;
        if (hi < 0) {
            hi = v;
        } else {
            out[n++] = (uint8_t)(hi * 16 + v);
            hi = -1;
        }
    }
    return n;
}

static void build_blocks(blocks_t *bl)
{
    /* RFC 7541 C.3, C.4 (table 4096) and C.5, C.6 (table 256: the generated
       contexts below use 4096, so C.5/C.6 run with a leading size update). */
    static const char *rfc[4][3] = {
        {"8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
         "8286 84be 5808 6e6f 2d63 6163 6865",
         "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65"},
        {"8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", "8286 84be 5886 a8eb 1064 9cbf",
         "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"},
        {"3fe1 01 4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032"
         "303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
         "4803 3330 37c1 c0bf",
         "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0"
         "5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851"
         "5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31"},
        {"3fe1 01 4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6"
         "2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
         "4883 640e ffc1 c0bf",
         "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab"
         "77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f"
         "9587 3160 65c0 03ed 4ee5 b106 3d50 07"},
    };
    static const size_t rfc_nh[4][3] = {{4, 5, 5}, {4, 5, 5}, {4, 4, 6}, {4, 4, 6}};
    uint8_t tmp[4096];
    uint64_t seed = 7;
    h2_hpack_encoder *enc;
    int rep, s, k;
    for (rep = 0; rep < 50; rep++)
        for (s = 0; s < 4; s++)
            for (k = 0; k < 3; k++)
                add_block(bl, tmp, unhex(tmp, rfc[s][k]), k == 0, rfc_nh[s][k]);
    enc = h2_hpack_encoder_new(4096);
    for (k = 0; k < 2000; k++) {
        h2_nv nva[12];
        char vals[12][48];
        size_t n = 0, i, len;
        int resp = k % 2;
        if (k % 250 == 249)
            h2_hpack_encoder_set_max_table_size(enc, (uint32_t)(1024 + rng(&seed) % 3073));
        if (resp) {
            static const char *st[] = {"200", "204", "304", "404", "302"};
            nva[n++] = nv(":status", st[rng(&seed) % 5]);
            nva[n++] = nv("content-type", "text/html; charset=utf-8");
            nva[n++] = nv("cache-control", rng(&seed) % 2 ? "private" : "max-age=3600");
            snprintf(vals[0], 48, "Mon, 21 Oct 2013 20:%02d:%02d GMT", (int)(rng(&seed) % 60), (int)(rng(&seed) % 60));
            nva[n++] = nv("date", vals[0]);
            snprintf(vals[1], 48, "\"%016llx\"", (unsigned long long)rng(&seed));
            nva[n++] = nv("etag", vals[1]);
            snprintf(vals[2], 48, "%llu", (unsigned long long)(rng(&seed) % 100000));
            nva[n++] = nv("content-length", vals[2]);
            nva[n++] = nv("server", "pry");
        } else {
            nva[n++] = nv(":method", rng(&seed) % 4 ? "GET" : "POST");
            nva[n++] = nv(":scheme", "https");
            snprintf(vals[0], 48, "/item/%llu?q=%llx", (unsigned long long)(rng(&seed) % 1000),
                     (unsigned long long)(rng(&seed) % 65536));
            nva[n++] = nv(":path", vals[0]);
            nva[n++] = nv(":authority", "www.example.com");
            nva[n++] = nv("user-agent", "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0");
            nva[n++] = nv("accept", "text/html,application/xhtml+xml");
            nva[n++] = nv("accept-language", "en-US,en;q=0.5");
            snprintf(vals[1], 48, "sid=%llx; theme=dark", (unsigned long long)(rng(&seed) % 16));
            nva[n++] = nv("cookie", vals[1]);
            if (rng(&seed) % 3 == 0) {
                snprintf(vals[2], 48, "%llx", (unsigned long long)rng(&seed));
                nva[n++] = nv("x-request-id", vals[2]);
            }
        }
        for (i = 0; i < n; i++)
            if (rng(&seed) % 16 == 0)
                nva[i].flags = H2_NV_FLAG_NO_INDEX;
        if (h2_hpack_encode_block(enc, tmp, sizeof tmp, &len, nva, n) != H2_OK)
            abort();
        add_block(bl, tmp, len, k == 0, n);
    }
    h2_hpack_encoder_del(enc);
}

static double run_hpack_ours(const blocks_t *bl, size_t *headers)
{
    h2_hpack_decoder *d = NULL;
    h2_header_list l;
    size_t i;
    double t0, t1;
    *headers = 0;
    h2_header_list_init(&l);
    t0 = now_ns();
    for (i = 0; i < bl->n; i++) {
        if (bl->fresh[i]) {
            h2_hpack_decoder_del(d);
            d = h2_hpack_decoder_new(NULL);
        }
        if (h2_hpack_decode_block(d, bl->data.buf + bl->off[i], bl->len[i], &l) != H2_OK)
            fprintf(stderr, "pry: block %zu failed\n", i);
        *headers += l.len;
    }
    t1 = now_ns();
    h2_hpack_decoder_del(d);
    h2_header_list_free(&l);
    return t1 - t0;
}

static double run_hpack_nghttp2(const blocks_t *bl, size_t *headers)
{
    nghttp2_hd_inflater *inf = NULL;
    size_t i;
    double t0, t1;
    *headers = 0;
    t0 = now_ns();
    for (i = 0; i < bl->n; i++) {
        const uint8_t *in = bl->data.buf + bl->off[i];
        size_t left = bl->len[i];
        if (bl->fresh[i]) {
            if (inf)
                nghttp2_hd_inflate_del(inf);
            nghttp2_hd_inflate_new(&inf);
        }
        for (;;) {
            nghttp2_nv nvv;
            int fl = 0;
            ssize_t rv = nghttp2_hd_inflate_hd2(inf, &nvv, &fl, in, left, 1);
            if (rv < 0) {
                fprintf(stderr, "nghttp2: block %zu failed\n", i);
                break;
            }
            in += rv;
            left -= (size_t)rv;
            if (fl & NGHTTP2_HD_INFLATE_EMIT)
                ++*headers;
            if (fl & NGHTTP2_HD_INFLATE_FINAL) {
                nghttp2_hd_inflate_end_headers(inf);
                break;
            }
            if (rv == 0 && left == 0)
                break;
        }
    }
    t1 = now_ns();
    nghttp2_hd_inflate_del(inf);
    return t1 - t0;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 7, r;
    buf_t conn = {0};
    blocks_t bl;
    double *a, *b, *c, *d;
    size_t ours_frames = 0, h_ours = 0, h_ng = 0;
    if (reps < 1)
        reps = 1;
    memset(&bl, 0, sizeof bl);
    build_connection(&conn, 100000);
    build_blocks(&bl);
    a = calloc((size_t)reps, sizeof *a);
    b = calloc((size_t)reps, sizeof *b);
    c = calloc((size_t)reps, sizeof *c);
    d = calloc((size_t)reps, sizeof *d);
    for (r = 0; r < reps; r++) {
        a[r] = run_ours(&conn, &ours_frames) / (double)nframes;
        b[r] = run_nghttp2(&conn) / (double)nframes;
        c[r] = run_hpack_ours(&bl, &h_ours) / (double)bl.headers;
        d[r] = run_hpack_nghttp2(&bl, &h_ng) / (double)bl.headers;
    }
    if (ours_frames != nframes || ng_frames != nframes_ng || ng_bad != 0 || h_ours != bl.headers ||
        h_ng != bl.headers)
        fprintf(stderr, "warning: counts differ: frames %zu/%zu (nghttp2 recv %zu, invalid %zu), headers %zu/%zu/%zu\n",
                ours_frames, nframes, ng_frames, ng_bad, h_ours, h_ng, bl.headers);
    {
        double ma = median(a, reps), mb = median(b, reps), mc = median(c, reps), md = median(d, reps);
        printf("workload: %zu frames (%zu bytes); %zu header blocks, %zu headers; median of %d runs\n\n",
               nframes, conn.len, bl.n, bl.headers, reps);
        printf("| benchmark | pry h2 | nghttp2 %s | ratio (pry / nghttp2) |\n", NGHTTP2_VERSION);
        printf("| --- | ---: | ---: | ---: |\n");
        printf("| frame parsing, incl. HPACK (ns/frame) | %.1f | %.1f | %.2f |\n", ma, mb, ma / mb);
        printf("| HPACK decoding (ns/header) | %.1f | %.1f | %.2f |\n", mc, md, mc / md);
    }
    free(a);
    free(b);
    free(c);
    free(d);
    free(conn.buf);
    free(bl.data.buf);
    free(bl.off);
    free(bl.len);
    free(bl.fresh);
    return 0;
}
