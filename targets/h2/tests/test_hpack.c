/* test_hpack.c: RFC 7541 integers (C.1), Huffman, Appendix C.2-C.6 byte for
   byte, eviction, table size updates, limits, encoder round trips. */
#include "check.h"
#include "h2_test_util.h"
#include "hpack.h"

/* ---- C.1 integers ---- */

static void test_int_c1(void)
{
    uint8_t b[8];
    size_t n, used;
    uint32_t v;
    CHECK_EQ(h2_hpack_encode_int(b, sizeof b, &n, 0, 5, 10), H2_OK); /* C.1.1 */
    CHECK_MEMEQ(b, n, "\x0a", 1);
    CHECK_EQ(h2_hpack_encode_int(b, sizeof b, &n, 0, 5, 1337), H2_OK); /* C.1.2 */
    CHECK_MEMEQ(b, n, "\x1f\x9a\x0a", 3);
    CHECK_EQ(h2_hpack_decode_int(b, n, 5, &v, &used), H2_OK);
    CHECK_EQ(v, 1337);
    CHECK_EQ(used, 3);
    CHECK_EQ(h2_hpack_encode_int(b, sizeof b, &n, 0, 8, 42), H2_OK); /* C.1.3 */
    CHECK_MEMEQ(b, n, "\x2a", 1);
    CHECK_EQ(h2_hpack_decode_int((const uint8_t *)"\x2a", 1, 8, &v, &used), H2_OK);
    CHECK_EQ(v, 42);
}

static void test_int_edges(void)
{
    uint8_t b[8];
    size_t n, used;
    uint32_t v;
    uint32_t vals[] = {0, 1, 30, 31, 32, 127, 128, 16383, 16384, 0x7fffffffu, 0xffffffffu};
    unsigned prefix;
    size_t i;
    for (prefix = 1; prefix <= 8; prefix++)
        for (i = 0; i < sizeof vals / sizeof vals[0]; i++) {
            CHECK_EQ(h2_hpack_encode_int(b, sizeof b, &n, 0, prefix, vals[i]), H2_OK);
            CHECK_EQ(h2_hpack_decode_int(b, n, prefix, &v, &used), H2_OK);
            CHECK_EQ(v, vals[i]);
            CHECK_EQ(used, n);
            /* every truncation is reported as such */
            if (n > 1)
                CHECK_EQ(h2_hpack_decode_int(b, n - 1, prefix, &v, &used), H2_ERR_HPACK_TRUNCATED);
        }
    /* 2^32 overflows */
    CHECK_EQ(h2_hpack_decode_int((const uint8_t *)"\x1f\xe1\xff\xff\xff\x0f", 6, 5, &v, &used),
             H2_ERR_HPACK_INT_OVERFLOW);
    /* too many continuation octets, even of zero value */
    CHECK_EQ(h2_hpack_decode_int((const uint8_t *)"\x1f\x80\x80\x80\x80\x80\x00", 7, 5, &v, &used),
             H2_ERR_HPACK_INT_OVERFLOW);
    CHECK_EQ(h2_hpack_decode_int((const uint8_t *)"\x1f", 1, 5, &v, &used), H2_ERR_HPACK_TRUNCATED);
    CHECK_EQ(h2_hpack_decode_int(NULL, 0, 5, &v, &used), H2_ERR_HPACK_TRUNCATED);
    CHECK_EQ(h2_hpack_decode_int(b, 1, 0, &v, &used), H2_ERR_INVALID_ARGUMENT);
    CHECK_EQ(h2_hpack_encode_int(b, 1, &n, 0, 5, 1337), H2_ERR_BUFFER_TOO_SMALL);
}

/* ---- Huffman ---- */

static void test_huffman_known(void)
{
    uint8_t b[64], d[64];
    size_t n, m;
    const char *s = "www.example.com";
    CHECK_EQ(h2_hpack_huffman_encoded_len((const uint8_t *)s, strlen(s)), 12);
    CHECK_EQ(h2_hpack_huffman_encode(b, sizeof b, &n, (const uint8_t *)s, strlen(s)), H2_OK);
    CHECK_MEMEQ(b, n, "\xf1\xe3\xc2\xe5\xf2\x3a\x6b\xa0\xab\x90\xf4\xff", 12);
    CHECK_EQ(h2_hpack_huffman_decode(d, sizeof d, &m, b, n), H2_OK);
    CHECK_MEMEQ(d, m, s, strlen(s));
    CHECK_EQ(h2_hpack_huffman_decode(d, sizeof d, &m, NULL, 0), H2_OK);
    CHECK_EQ(m, 0);
}

static void test_huffman_all_symbols(void)
{
    uint8_t in[256], enc[1024], dec[512];
    size_t n, m, i;
    for (i = 0; i < 256; i++)
        in[i] = (uint8_t)i;
    CHECK_EQ(h2_hpack_huffman_encode(enc, sizeof enc, &n, in, 256), H2_OK);
    CHECK_EQ(n, h2_hpack_huffman_encoded_len(in, 256));
    CHECK_EQ(h2_hpack_huffman_decode(dec, sizeof dec, &m, enc, n), H2_OK);
    CHECK_MEMEQ(dec, m, in, 256);
    /* each symbol on its own, with every padding length */
    for (i = 0; i < 256; i++) {
        CHECK_EQ(h2_hpack_huffman_encode(enc, sizeof enc, &n, in + i, 1), H2_OK);
        CHECK_EQ(h2_hpack_huffman_decode(dec, sizeof dec, &m, enc, n), H2_OK);
        CHECK(m == 1 && dec[0] == i);
    }
    CHECK_EQ(h2_hpack_huffman_encode(enc, 3, &n, in, 256), H2_ERR_BUFFER_TOO_SMALL);
}

static void test_huffman_padding(void)
{
    uint8_t d[16];
    size_t m;
    /* '0' is 00000 (5 bits): padded with 111 is fine */
    CHECK_EQ(h2_hpack_huffman_decode(d, sizeof d, &m, (const uint8_t *)"\x07", 1), H2_OK);
    CHECK(m == 1 && d[0] == '0');
    /* padding not all ones */
    CHECK_EQ(h2_hpack_huffman_decode(d, sizeof d, &m, (const uint8_t *)"\x06", 1), H2_ERR_HPACK_HUFFMAN);
    /* 8 bits of padding (a whole 0xff octet after a full symbol) */
    CHECK_EQ(h2_hpack_huffman_decode(d, sizeof d, &m, (const uint8_t *)"\x07\xff", 2),
             H2_ERR_HPACK_HUFFMAN);
    /* a lone 0xff: 8 bits of padding */
    CHECK_EQ(h2_hpack_huffman_decode(d, sizeof d, &m, (const uint8_t *)"\xff", 1), H2_ERR_HPACK_HUFFMAN);
    /* EOS (30 ones) in the string, padded with two ones */
    CHECK_EQ(h2_hpack_huffman_decode(d, sizeof d, &m, (const uint8_t *)"\xff\xff\xff\xff", 4),
             H2_ERR_HPACK_HUFFMAN);
    /* 'a' (00011) then EOS then padding */
    CHECK_EQ(h2_hpack_huffman_decode(d, sizeof d, &m, (const uint8_t *)"\x1f\xff\xff\xff\xff", 5),
             H2_ERR_HPACK_HUFFMAN);
    /* output buffer */
    CHECK_EQ(h2_hpack_huffman_decode(d, 0, &m, (const uint8_t *)"\x07", 1), H2_ERR_BUFFER_TOO_SMALL);
}

/* ---- Appendix C ---- */

typedef struct {
    const char *hex;
    size_t table_size; /* after the block */
    size_t nfields;
    const char *fields[6][2];
} block_case;

static void run_encode_cases(const block_case *cases, size_t ncases, uint32_t table, uint8_t flags)
{
    h2_hpack_encoder *e = h2_hpack_encoder_new(table);
    h2_hpack_decoder_config cfg;
    h2_hpack_decoder *d;
    h2_header_list l;
    size_t c, i;
    h2_hpack_decoder_config_default(&cfg);
    cfg.max_table_size = table;
    d = h2_hpack_decoder_new(&cfg);
    h2_header_list_init(&l);
    for (c = 0; c < ncases; c++) {
        uint8_t want[256], got[256];
        size_t wn = unhex(want, sizeof want, cases[c].hex), gn = 0;
        h2_nv nva[6];
        for (i = 0; i < cases[c].nfields; i++)
            nva[i] = mknv(cases[c].fields[i][0], cases[c].fields[i][1], flags);
        CHECK_EQ(h2_hpack_encode_block(e, got, sizeof got, &gn, nva, cases[c].nfields), H2_OK);
        CHECK_MEMEQ(got, gn, want, wn);
        CHECK_EQ(h2_hpack_encoder_table_size(e), cases[c].table_size);
        CHECK_EQ(h2_hpack_decode_block(d, want, wn, &l), H2_OK);
        CHECK_EQ(l.len, cases[c].nfields);
        for (i = 0; i < l.len && i < cases[c].nfields; i++)
            CHECK(nv_eq(&l.nva[i], cases[c].fields[i][0], cases[c].fields[i][1]));
        CHECK_EQ(h2_hpack_decoder_table_size(d), cases[c].table_size);
    }
    h2_header_list_free(&l);
    h2_hpack_decoder_del(d);
    h2_hpack_encoder_del(e);
}

static void test_c2_literals(void)
{
    h2_hpack_encoder *e = h2_hpack_encoder_new(4096);
    h2_hpack_decoder *d = h2_hpack_decoder_new(NULL);
    h2_header_list l;
    uint8_t want[64], got[64];
    size_t wn, gn;
    h2_nv nv;
    h2_header_list_init(&l);

    /* C.2.1 literal with indexing */
    nv = mknv("custom-key", "custom-header", H2_NV_FLAG_NO_HUFFMAN);
    wn = unhex(want, sizeof want, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572");
    CHECK_EQ(h2_hpack_encode_block(e, got, sizeof got, &gn, &nv, 1), H2_OK);
    CHECK_MEMEQ(got, gn, want, wn);
    CHECK_EQ(h2_hpack_decode_block(d, want, wn, &l), H2_OK);
    CHECK(l.len == 1 && nv_eq(&l.nva[0], "custom-key", "custom-header"));
    CHECK_EQ(h2_hpack_decoder_table_size(d), 55);
    CHECK_EQ(h2_hpack_decoder_table_len(d), 1);

    /* C.2.2 literal without indexing (fresh contexts as in the RFC) */
    h2_hpack_encoder_del(e);
    h2_hpack_decoder_del(d);
    e = h2_hpack_encoder_new(4096);
    d = h2_hpack_decoder_new(NULL);
    nv = mknv(":path", "/sample/path", H2_NV_FLAG_NO_HUFFMAN | H2_NV_FLAG_NO_INDEX);
    wn = unhex(want, sizeof want, "040c 2f73 616d 706c 652f 7061 7468");
    CHECK_EQ(h2_hpack_encode_block(e, got, sizeof got, &gn, &nv, 1), H2_OK);
    CHECK_MEMEQ(got, gn, want, wn);
    CHECK_EQ(h2_hpack_decode_block(d, want, wn, &l), H2_OK);
    CHECK(l.len == 1 && nv_eq(&l.nva[0], ":path", "/sample/path"));
    CHECK(l.len == 1 && l.nva[0].flags == H2_NV_FLAG_NO_INDEX);
    CHECK_EQ(h2_hpack_decoder_table_len(d), 0);

    /* C.2.3 never indexed */
    nv = mknv("password", "secret", H2_NV_FLAG_NO_HUFFMAN | H2_NV_FLAG_NEVER_INDEX);
    wn = unhex(want, sizeof want, "1008 7061 7373 776f 7264 0673 6563 7265 74");
    CHECK_EQ(h2_hpack_encode_block(e, got, sizeof got, &gn, &nv, 1), H2_OK);
    CHECK_MEMEQ(got, gn, want, wn);
    CHECK_EQ(h2_hpack_decode_block(d, want, wn, &l), H2_OK);
    CHECK(l.len == 1 && nv_eq(&l.nva[0], "password", "secret"));
    CHECK(l.len == 1 && l.nva[0].flags == H2_NV_FLAG_NEVER_INDEX);
    CHECK_EQ(h2_hpack_decoder_table_len(d), 0);

    /* C.2.4 indexed */
    nv = mknv(":method", "GET", 0);
    CHECK_EQ(h2_hpack_encode_block(e, got, sizeof got, &gn, &nv, 1), H2_OK);
    CHECK_MEMEQ(got, gn, "\x82", 1);
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\x82", 1, &l), H2_OK);
    CHECK(l.len == 1 && nv_eq(&l.nva[0], ":method", "GET"));
    CHECK_EQ(h2_hpack_decoder_table_len(d), 0);

    h2_header_list_free(&l);
    h2_hpack_decoder_del(d);
    h2_hpack_encoder_del(e);
}

#define REQ1 {":method", "GET"}, {":scheme", "http"}, {":path", "/"}, {":authority", "www.example.com"}
static const block_case c3[] = {
    {"8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", 57, 4, {REQ1}},
    {"8286 84be 5808 6e6f 2d63 6163 6865", 110, 5, {REQ1, {"cache-control", "no-cache"}}},
    {"8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65", 164, 5,
     {{":method", "GET"}, {":scheme", "https"}, {":path", "/index.html"},
      {":authority", "www.example.com"}, {"custom-key", "custom-value"}}},
};
static const block_case c4[] = {
    {"8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", 57, 4, {REQ1}},
    {"8286 84be 5886 a8eb 1064 9cbf", 110, 5, {REQ1, {"cache-control", "no-cache"}}},
    {"8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf", 164, 5,
     {{":method", "GET"}, {":scheme", "https"}, {":path", "/index.html"},
      {":authority", "www.example.com"}, {"custom-key", "custom-value"}}},
};

#define DATE1 {"date", "Mon, 21 Oct 2013 20:13:21 GMT"}
#define LOC {"location", "https://www.example.com"}
#define RESP3 {":status", "200"}, {"cache-control", "private"}, \
    {"date", "Mon, 21 Oct 2013 20:13:22 GMT"}, LOC, {"content-encoding", "gzip"}, \
    {"set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"}
static const block_case c5[] = {
    {"4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032"
     "303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
     222, 4, {{":status", "302"}, {"cache-control", "private"}, DATE1, LOC}},
    {"4803 3330 37c1 c0bf", 222, 4, {{":status", "307"}, {"cache-control", "private"}, DATE1, LOC}},
    {"88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0"
     "5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851"
     "5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31",
     215, 6, {RESP3}},
};
static const block_case c6[] = {
    {"4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6"
     "2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
     222, 4, {{":status", "302"}, {"cache-control", "private"}, DATE1, LOC}},
    {"4883 640e ffc1 c0bf", 222, 4, {{":status", "307"}, {"cache-control", "private"}, DATE1, LOC}},
    {"88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab"
     "77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f"
     "9587 3160 65c0 03ed 4ee5 b106 3d50 07",
     215, 6, {RESP3}},
};

static void test_c3_requests_plain(void) { run_encode_cases(c3, 3, 4096, H2_NV_FLAG_NO_HUFFMAN); }
static void test_c4_requests_huffman(void) { run_encode_cases(c4, 3, 4096, 0); }
static void test_c5_responses_plain(void) { run_encode_cases(c5, 3, 256, H2_NV_FLAG_NO_HUFFMAN); }
static void test_c6_responses_huffman(void) { run_encode_cases(c6, 3, 256, 0); }

/* C.5: the dynamic table contents after the third response */
static void test_c5_table_contents(void)
{
    h2_hpack_decoder_config cfg;
    h2_hpack_decoder *d;
    h2_header_list l;
    uint8_t b[256];
    size_t i, n;
    h2_hpack_decoder_config_default(&cfg);
    cfg.max_table_size = 256;
    d = h2_hpack_decoder_new(&cfg);
    h2_header_list_init(&l);
    for (i = 0; i < 3; i++) {
        n = unhex(b, sizeof b, c5[i].hex);
        CHECK_EQ(h2_hpack_decode_block(d, b, n, &l), H2_OK);
    }
    CHECK_EQ(h2_hpack_decoder_table_len(d), 3);
    /* [62] set-cookie, [63] content-encoding gzip, [64] date ...22 GMT */
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\xbe\xbf\xc0", 3, &l), H2_OK);
    CHECK(l.len == 3 && nv_eq(&l.nva[0], "set-cookie",
                              "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"));
    CHECK(l.len == 3 && nv_eq(&l.nva[1], "content-encoding", "gzip"));
    CHECK(l.len == 3 && nv_eq(&l.nva[2], "date", "Mon, 21 Oct 2013 20:13:22 GMT"));
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\xc1", 1, &l), H2_ERR_HPACK_INDEX);
    h2_header_list_free(&l);
    h2_hpack_decoder_del(d);
}

/* ---- indices, eviction, size updates ---- */

static void test_index_errors(void)
{
    h2_hpack_decoder *d = h2_hpack_decoder_new(NULL);
    h2_header_list l;
    h2_header_list_init(&l);
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\x80", 1, &l), H2_ERR_HPACK_INDEX);
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\xbd", 1, &l), H2_OK); /* 61 */
    CHECK(l.len == 1 && nv_eq(&l.nva[0], "www-authenticate", ""));
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\xbe", 1, &l), H2_ERR_HPACK_INDEX);
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\x7e\x01x", 3, &l), H2_ERR_HPACK_INDEX);
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\x40\x01x\x01y", 5, &l), H2_OK);
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\xbe\xbf", 2, &l), H2_ERR_HPACK_INDEX);
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\xbe", 1, &l), H2_OK);
    CHECK(l.len == 1 && nv_eq(&l.nva[0], "x", "y"));
    /* truncated representations */
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\x40\x05xy", 4, &l), H2_ERR_HPACK_TRUNCATED);
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\x40\x01x", 3, &l), H2_ERR_HPACK_TRUNCATED);
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\xff", 1, &l), H2_ERR_HPACK_TRUNCATED);
    h2_header_list_free(&l);
    h2_hpack_decoder_del(d);
}

static void test_eviction(void)
{
    /* Table of 100: entries of 32+1+17 = 50 each; the third evicts the first. */
    h2_hpack_decoder_config cfg;
    h2_hpack_decoder *d;
    h2_hpack_encoder *e = h2_hpack_encoder_new(100);
    h2_header_list l;
    uint8_t b[256];
    size_t n;
    h2_nv nva[3];
    h2_hpack_decoder_config_default(&cfg);
    cfg.max_table_size = 100;
    d = h2_hpack_decoder_new(&cfg);
    h2_header_list_init(&l);
    nva[0] = mknv("a", "aaaaaaaaaaaaaaaaa", 0);
    nva[1] = mknv("b", "bbbbbbbbbbbbbbbbb", 0);
    nva[2] = mknv("c", "ccccccccccccccccc", 0);
    CHECK_EQ(h2_hpack_encode_block(e, b, sizeof b, &n, nva, 3), H2_OK);
    CHECK_EQ(h2_hpack_decode_block(d, b, n, &l), H2_OK);
    CHECK_EQ(h2_hpack_decoder_table_len(d), 2);
    CHECK_EQ(h2_hpack_decoder_table_size(d), 100);
    CHECK_EQ(h2_hpack_encoder_table_len(e), 2);
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\xbe\xbf", 2, &l), H2_OK);
    CHECK(l.len == 2 && nv_eq(&l.nva[0], "c", "ccccccccccccccccc"));
    CHECK(l.len == 2 && nv_eq(&l.nva[1], "b", "bbbbbbbbbbbbbbbbb"));
    /* an entry larger than the table empties it (§4.4) */
    b[0] = 0x40;
    b[1] = 0x01;
    b[2] = 'z';
    b[3] = 80;
    memset(b + 4, 'z', 80);
    CHECK_EQ(h2_hpack_decode_block(d, b, 84, &l), H2_OK);
    CHECK_EQ(h2_hpack_decoder_table_len(d), 0);
    CHECK_EQ(h2_hpack_decoder_table_size(d), 0);
    h2_header_list_free(&l);
    h2_hpack_decoder_del(d);
    h2_hpack_encoder_del(e);
}

static void test_size_updates(void)
{
    h2_hpack_decoder *d = h2_hpack_decoder_new(NULL);
    h2_header_list l;
    h2_header_list_init(&l);
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\x40\x01x\x01y", 5, &l), H2_OK);
    CHECK_EQ(h2_hpack_decoder_table_len(d), 1);
    /* size update to 0 then back to 4096 at block start: fine, evicts */
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\x20\x3f\xe1\x1f\x82", 5, &l), H2_OK);
    CHECK_EQ(h2_hpack_decoder_table_len(d), 0);
    CHECK_EQ(h2_hpack_decoder_table_max_size(d), 4096);
    /* above the setting */
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\x3f\xe2\x1f", 3, &l), H2_ERR_HPACK_TABLE_SIZE);
    /* after a field: not at the start of the block */
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\x82\x20", 2, &l), H2_ERR_HPACK_TABLE_SIZE);
    /* lowering the setting requires an update at the next block */
    h2_hpack_decoder_set_max_table_size(d, 100);
    CHECK_EQ(h2_hpack_decoder_table_max_size(d), 100);
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\x82", 1, &l), H2_ERR_HPACK_TABLE_SIZE);
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\x3f\x45\x82", 3, &l), H2_OK); /* 100 */
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\x3f\x46", 2, &l), H2_ERR_HPACK_TABLE_SIZE);
    h2_header_list_free(&l);
    h2_hpack_decoder_del(d);
}

static void test_encoder_size_updates(void)
{
    h2_hpack_encoder *e = h2_hpack_encoder_new(4096);
    h2_hpack_decoder *d = h2_hpack_decoder_new(NULL);
    h2_header_list l;
    uint8_t b[64];
    size_t n;
    h2_nv nv = mknv("x-a", "1", 0);
    h2_header_list_init(&l);
    CHECK_EQ(h2_hpack_encode_block(e, b, sizeof b, &n, &nv, 1), H2_OK);
    CHECK_EQ(h2_hpack_decode_block(d, b, n, &l), H2_OK);
    h2_hpack_encoder_set_max_table_size(e, 0);
    h2_hpack_encoder_set_max_table_size(e, 2000);
    CHECK_EQ(h2_hpack_encode_block(e, b, sizeof b, &n, &nv, 1), H2_OK);
    CHECK(n >= 4 && b[0] == 0x20 && b[1] == 0x3f); /* 0, then 2000 */
    CHECK_EQ(h2_hpack_decode_block(d, b, n, &l), H2_OK);
    CHECK(l.len == 1 && nv_eq(&l.nva[0], "x-a", "1"));
    CHECK_EQ(h2_hpack_decoder_table_max_size(d), 2000);
    CHECK_EQ(h2_hpack_decoder_table_len(d), 1);
    CHECK_EQ(h2_hpack_encoder_table_len(e), 1);
    h2_header_list_free(&l);
    h2_hpack_decoder_del(d);
    h2_hpack_encoder_del(e);
}

static void test_table_size_zero(void)
{
    /* RUSTSEC-2023-0085 shape: with a maximum of 0 nothing is ever stored */
    h2_hpack_decoder *d = h2_hpack_decoder_new(NULL);
    h2_header_list l;
    h2_header_list_init(&l);
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\x20\x40\x01x\x01y", 6, &l), H2_OK);
    CHECK_EQ(h2_hpack_decoder_table_len(d), 0);
    CHECK_EQ(h2_hpack_decoder_table_size(d), 0);
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\xbe", 1, &l), H2_ERR_HPACK_INDEX);
    h2_header_list_free(&l);
    h2_hpack_decoder_del(d);
}

/* ---- limits ---- */

static void test_limits(void)
{
    h2_hpack_decoder_config cfg;
    h2_hpack_decoder *d;
    h2_header_list l;
    uint8_t b[4096];
    size_t n = 0, i;
    h2_hpack_decoder_config_default(&cfg);
    cfg.max_string_length = 8;
    cfg.max_header_list_size = 200;
    d = h2_hpack_decoder_new(&cfg);
    h2_header_list_init(&l);
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\x00\x01x\x08yyyyyyyy", 12, &l), H2_OK);
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\x00\x01x\x09yyyyyyyyy", 13, &l),
             H2_ERR_HPACK_STRING_TOO_LONG);
    /* Huffman: 9 '0' digits take 6 octets but decode to 9 */
    CHECK_EQ(h2_hpack_huffman_encode(b + 3, sizeof b - 3, &n, (const uint8_t *)"000000000", 9), H2_OK);
    b[0] = 0x00;
    b[1] = 0x01;
    b[2] = 'x';
    memmove(b + 4, b + 3, n);
    b[3] = (uint8_t)(0x80 | n);
    CHECK_EQ(h2_hpack_decode_block(d, b, 4 + n, &l), H2_ERR_HPACK_STRING_TOO_LONG);
    /* decompression bomb: one indexed entry repeated */
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\x40\x01x\x08yyyyyyyy", 12, &l), H2_OK);
    for (i = 0; i < 1000; i++)
        b[i] = 0xbe;
    CHECK_EQ(h2_hpack_decode_block(d, b, 4, &l), H2_OK); /* 4 * 41 = 164 */
    CHECK_EQ(h2_hpack_decode_block(d, b, 5, &l), H2_ERR_HPACK_LIST_TOO_LARGE);
    CHECK_EQ(h2_hpack_decode_block(d, b, 1000, &l), H2_ERR_HPACK_LIST_TOO_LARGE);
    h2_header_list_free(&l);
    h2_hpack_decoder_del(d);
}

/* ---- round trips with table-size changes (pinned seed) ---- */

static void test_round_trip_random(void)
{
    uint64_t seed = 0x5eed0001u;
    h2_hpack_encoder *e = h2_hpack_encoder_new(4096);
    h2_hpack_decoder *d = h2_hpack_decoder_new(NULL);
    h2_header_list l;
    static const char *names[] = {"x-a", "x-b", ":path", "cookie", "user-agent", "x-long-name-here"};
    int iter;
    h2_header_list_init(&l);
    for (iter = 0; iter < 2000; iter++) {
        char strs[8][2][40];
        h2_nv nva[8];
        uint8_t out[2048];
        size_t n, i, k = rng_next(&seed) % 8;
        int ok = 1;
        if (rng_next(&seed) % 10 == 0)
            h2_hpack_encoder_set_max_table_size(e, (uint32_t)(rng_next(&seed) % 4097));
        for (i = 0; i < k; i++) {
            size_t vl = rng_next(&seed) % 39, j;
            strcpy(strs[i][0], names[rng_next(&seed) % 6]);
            for (j = 0; j < vl; j++)
                strs[i][1][j] = (char)(rng_next(&seed) % 4 ? 'a' + rng_next(&seed) % 3 : rng_next(&seed) % 256);
            strs[i][1][vl] = 0;
            nva[i].name = (const uint8_t *)strs[i][0];
            nva[i].namelen = strlen(strs[i][0]);
            nva[i].value = (const uint8_t *)strs[i][1];
            nva[i].valuelen = vl;
            nva[i].flags = (uint8_t)(rng_next(&seed) % 16);
        }
        CHECK_EQ(h2_hpack_encode_block(e, out, sizeof out, &n, nva, k), H2_OK);
        CHECK_EQ(h2_hpack_decode_block(d, out, n, &l), H2_OK);
        CHECK_EQ(l.len, k);
        for (i = 0; i < k && i < l.len; i++)
            ok &= l.nva[i].namelen == nva[i].namelen && l.nva[i].valuelen == nva[i].valuelen &&
                  memcmp(l.nva[i].name, nva[i].name, nva[i].namelen) == 0 &&
                  (nva[i].valuelen == 0 || memcmp(l.nva[i].value, nva[i].value, nva[i].valuelen) == 0);
        CHECK(ok);
        CHECK_EQ(h2_hpack_decoder_table_size(d), h2_hpack_encoder_table_size(e));
        CHECK(h2_hpack_decoder_table_size(d) <= h2_hpack_decoder_table_max_size(d));
    }
    h2_header_list_free(&l);
    h2_hpack_decoder_del(d);
    h2_hpack_encoder_del(e);
}

int main(void)
{
    RUN(test_int_c1);
    RUN(test_int_edges);
    RUN(test_huffman_known);
    RUN(test_huffman_all_symbols);
    RUN(test_huffman_padding);
    RUN(test_c2_literals);
    RUN(test_c3_requests_plain);
    RUN(test_c4_requests_huffman);
    RUN(test_c5_responses_plain);
    RUN(test_c6_responses_huffman);
    RUN(test_c5_table_contents);
    RUN(test_index_errors);
    RUN(test_eviction);
    RUN(test_size_updates);
    RUN(test_encoder_size_updates);
    RUN(test_table_size_zero);
    RUN(test_limits);
    RUN(test_round_trip_random);
    return check_summary();
}
