/* test_plants.c: one check per planted bug (docs/targets.md). With
   -DPRY_PLANT_<NAME> the check expects the buggy behaviour, without it the
   correct one, so both builds pass and a plant that stops biting is caught.
   Every case is small and deterministic and stays within valid memory even
   with the plant on. */
#include "check.h"
#include "h2.h"
#include "h2_stream_util.h"
#include "h2_internal.h"

#ifdef PRY_PLANT_PAD_UNDERFLOW
#define EXPECT_PAD_UNDERFLOW_BUG 1
#endif
#ifdef PRY_PLANT_FIXED_LENGTH
#define EXPECT_FIXED_LENGTH_BUG 1
#endif
#ifdef PRY_PLANT_ADVANCE_PAST_END
#define EXPECT_ADVANCE_PAST_END_BUG 1
#endif
#ifdef PRY_PLANT_HPACK_INDEX
#define EXPECT_HPACK_INDEX_BUG 1
#endif
#ifdef PRY_PLANT_HPACK_EVICT_ZERO
#define EXPECT_HPACK_EVICT_ZERO_BUG 1
#endif
#ifdef PRY_PLANT_CONTINUATION_FLOOD
#define EXPECT_CONTINUATION_FLOOD_BUG 1
#endif
#ifdef PRY_PLANT_HPACK_WRAP_LOOKUP
#define EXPECT_HPACK_WRAP_LOOKUP_BUG 1
#endif
#ifdef PRY_PLANT_HPACK_LIST_OVERHEAD
#define EXPECT_HPACK_LIST_OVERHEAD_BUG 1
#endif
#ifdef PRY_PLANT_HPACK_RESIZE_WRAP
#define EXPECT_HPACK_RESIZE_WRAP_BUG 1
#endif

/* pad-underflow: DATA, PADDED, length 3, Pad Length 5 (hyperium/h2 #914) */
static void test_pad_underflow(void)
{
    uint8_t payload[3] = {5, 'a', 'b'};
    h2_frame_hd hd = {3, H2_DATA, H2_FLAG_PADDED, 1};
    h2_data d;
    h2_error e;
    int rv = h2_unpack_data_payload(&d, &hd, payload, &e);
#ifdef EXPECT_PAD_UNDERFLOW_BUG
    /* accepted, and the data length wrapped around past the payload */
    CHECK_EQ(rv, H2_OK);
    CHECK(d.datalen > hd.length);
#else
    CHECK_EQ(rv, H2_ERR_PROTOCOL);
    CHECK(e.code == H2_PROTOCOL_ERROR && e.scope == H2_SCOPE_CONNECTION);
#endif
}

/* fixed-length: RST_STREAM of length 5 (nghttp2 CVE-2018-1000168 shape) */
static void test_fixed_length(void)
{
    uint8_t payload[5] = {0, 0, 0, 8, 0};
    h2_frame_hd hd = {5, H2_RST_STREAM, 0, 1};
    h2_rst_stream r;
    h2_error e;
    int rv = h2_unpack_rst_stream_payload(&r, &hd, payload, &e);
#ifdef EXPECT_FIXED_LENGTH_BUG
    CHECK_EQ(rv, H2_OK);
#else
    CHECK_EQ(rv, H2_ERR_FRAME_SIZE);
    CHECK(e.code == H2_FRAME_SIZE_ERROR && e.scope == H2_SCOPE_CONNECTION);
#endif
}

/* advance-past-end: a chunk ending inside a skipped (unknown-type) payload
   (angstrom #166). The buffer is longer than the chunk, so the plant's
   over-advance reads nothing invalid here; it shows as consumed > len. */
static void test_advance_past_end(void)
{
    uint8_t buf[64];
    h2_frame_hd hd = {10, 0xee, 0, 0};
    h2_parser *p = h2_parser_new(NULL, NULL, NULL);
    size_t consumed = 0;
    int rv;
    memset(buf, 0, sizeof buf);
    h2_frame_pack_frame_hd(buf, &hd);
    rv = h2_parser_feed(p, buf, 12, &consumed); /* header + 3 of 10 octets */
    CHECK_EQ(rv, H2_OK);
#ifdef EXPECT_ADVANCE_PAST_END_BUG
    CHECK_EQ(consumed, 19);
#else
    CHECK_EQ(consumed, 12);
    CHECK(!h2_parser_at_boundary(p));
#endif
    h2_parser_del(p);
}

/* hpack-index: with exactly 16 dynamic entries, index 62+16 is one past the
   end (ocaml-h2 #183 shape); the plant's off-by-one wraps to the newest. */
static void test_hpack_index(void)
{
    h2_hpack_decoder *d = h2_hpack_decoder_new(NULL);
    h2_header_list l;
    uint8_t block[16 * 5];
    int i, rv;
    h2_header_list_init(&l);
    for (i = 0; i < 16; i++) {
        block[5 * i] = 0x40;
        block[5 * i + 1] = 1;
        block[5 * i + 2] = (uint8_t)('a' + i);
        block[5 * i + 3] = 1;
        block[5 * i + 4] = 'v';
    }
    CHECK_EQ(h2_hpack_decode_block(d, block, sizeof block, &l), H2_OK);
    CHECK_EQ(h2_hpack_decoder_table_len(d), 16);
    rv = h2_hpack_decode_block(d, (const uint8_t *)"\xce", 1, &l); /* index 78 */
#ifdef EXPECT_HPACK_INDEX_BUG
    CHECK_EQ(rv, H2_OK);
#else
    CHECK_EQ(rv, H2_ERR_HPACK_INDEX);
#endif
    h2_header_list_free(&l);
    h2_hpack_decoder_del(d);
}

/* hpack-evict-zero: after a size update to 0, an inserted field must not
   stay (RUSTSEC-2023-0085 shape): the table would exceed its maximum. */
static void test_hpack_evict_zero(void)
{
    h2_hpack_decoder *d = h2_hpack_decoder_new(NULL);
    h2_header_list l;
    h2_header_list_init(&l);
    CHECK_EQ(h2_hpack_decode_block(d, (const uint8_t *)"\x20\x40\x01x\x01y", 6, &l), H2_OK);
#ifdef EXPECT_HPACK_EVICT_ZERO_BUG
    CHECK(h2_hpack_decoder_table_size(d) > h2_hpack_decoder_table_max_size(d));
#else
    CHECK_EQ(h2_hpack_decoder_table_len(d), 0);
    CHECK(h2_hpack_decoder_table_size(d) <= h2_hpack_decoder_table_max_size(d));
#endif
    h2_header_list_free(&l);
    h2_hpack_decoder_del(d);
}

/* Adds entry "n<k>": "v" (34 or 35 octets, §4.1). */
static void add_numbered(h2_hpack_table *t, int k)
{
    char name[8];
    int n = snprintf(name, sizeof name, "n%d", k);
    CHECK_EQ(h2_hpack_table_add(t, (const uint8_t *)name, (size_t)n, (const uint8_t *)"v", 1),
             H2_OK);
}

static int entry_is(const h2_hpack_entry *e, int k)
{
    char name[8];
    int n = snprintf(name, sizeof name, "n%d", k);
    return e != NULL && e->namelen == (size_t)n && memcmp(e->data, name, (size_t)n) == 0;
}

/* hpack-wrap-lookup: a table holding two entries after 17 insertions,
   so the live entries straddle the end of the ring (dotnet/aspnetcore
   #12782). */
static void test_hpack_wrap_lookup(void)
{
    h2_hpack_table t;
    h2_hpack_table_init(&t, 72); /* two entries "n16", "n17" of 36 octets */
    for (int k = 1; k <= 17; k++)
        add_numbered(&t, k);
    CHECK_EQ(t.len, 2);
#ifdef EXPECT_HPACK_WRAP_LOOKUP_BUG
    /* index 1 lands in an evicted slot */
    CHECK(!entry_is(h2_hpack_table_get(&t, 1), 16));
#else
    CHECK(entry_is(h2_hpack_table_get(&t, 0), 17));
    CHECK(entry_is(h2_hpack_table_get(&t, 1), 16));
#endif
    h2_hpack_table_free(&t);
}

/* hpack-resize-wrap: 17 insertions into a table of room for two, then
   the maximum raised and 14 more: the 16-slot ring is full with its head
   at slot 1 (the entries wrap around its end), and the 32nd insertion
   grows it (dotnet/aspnetcore #12784). */
static void test_hpack_resize_wrap(void)
{
    h2_hpack_table t;
    h2_hpack_table_init(&t, 72); /* two entries "n16", "n17" of 36 octets */
    for (int k = 1; k <= 17; k++)
        add_numbered(&t, k);
    h2_hpack_table_set_max(&t, 4096);
    for (int k = 18; k <= 31; k++)
        add_numbered(&t, k);
    CHECK_EQ(t.len, 16);
    CHECK_EQ(t.cap, 16);
    CHECK_EQ(t.head, 1);
    add_numbered(&t, 32); /* the ring grows */
    CHECK_EQ(t.len, 17);
    CHECK_EQ(t.cap, 32);
    /* entry i is read straight from slot head + i (not through
       h2_hpack_table_get, which hpack-wrap-lookup plants a bug in) */
#define RESIZE_ENTRY(i) t.ring[(t.head + (size_t)(i)) & (t.cap - 1)]
#ifdef EXPECT_HPACK_RESIZE_WRAP_BUG
    /* the oldest entry, n16, now sits behind empty slots */
    CHECK(entry_is(RESIZE_ENTRY(0), 32));
    CHECK(RESIZE_ENTRY(16) == NULL);
    /* free what is there: evicting would reach an empty slot */
    for (size_t s = 0; s < t.cap; s++)
        free(t.ring[s]);
    free(t.ring);
#else
    for (int k = 32; k >= 16; k--)
        CHECK(entry_is(RESIZE_ENTRY(32 - k), k));
    h2_hpack_table_free(&t);
#endif
#undef RESIZE_ENTRY
}

/* hpack-list-overhead: 20 x ":method: GET" (static index 2) is a header
   list of 20 * (7 + 3 + 32) = 840 octets (RFC 9113 §6.5.2), over a limit of
   768; counted as name + value only (sozu #1272) it is 200. */
static void test_hpack_list_overhead(void)
{
    h2_hpack_decoder_config cfg;
    h2_hpack_decoder *d;
    h2_header_list l;
    uint8_t block[20];
    int rv;
    h2_hpack_decoder_config_default(&cfg);
    cfg.max_header_list_size = 768;
    d = h2_hpack_decoder_new(&cfg);
    h2_header_list_init(&l);
    memset(block, 0x82, sizeof block);
    rv = h2_hpack_decode_block(d, block, sizeof block, &l);
#ifdef EXPECT_HPACK_LIST_OVERHEAD_BUG
    CHECK_EQ(rv, H2_OK);
    CHECK_EQ(l.len, 20);
#else
    CHECK_EQ(rv, H2_ERR_HPACK_LIST_TOO_LARGE);
#endif
    /* 18 fields (756 octets) are within the limit either way */
    CHECK_EQ(h2_hpack_decode_block(d, block, 18, &l), H2_OK);
    h2_header_list_free(&l);
    h2_hpack_decoder_del(d);
}

/* continuation-flood: HEADERS + CONTINUATIONs beyond max_header_block
   (CVE-2024-28182). */
static void test_continuation_flood(void)
{
    h2_parser_config cfg;
    h2_parser *p;
    h2_log s = {0};
    h2_frame f;
    uint8_t frag[100];
    size_t consumed;
    int rv, i;
    memset(frag, 0x82, sizeof frag);
    h2_headers_init(&f.headers, 0, 1, 0, NULL, frag, 100);
    put_frame(&s, &f);
    for (i = 0; i < 2; i++) {
        h2_continuation_init(&f.continuation, 0, 1, frag, 100);
        put_frame(&s, &f);
    }
    h2_parser_config_default(&cfg);
    cfg.max_header_block = 250;
    p = h2_parser_new(&cfg, NULL, NULL);
    rv = h2_parser_feed(p, s.buf, s.len, &consumed);
#ifdef EXPECT_CONTINUATION_FLOOD_BUG
    CHECK_EQ(rv, H2_OK);
    CHECK(h2_parser_header_block_len(p) > cfg.max_header_block);
#else
    CHECK_EQ(rv, H2_ERR_ENHANCE_YOUR_CALM);
    CHECK(h2_parser_header_block_len(p) <= cfg.max_header_block);
#endif
    h2_parser_del(p);
    free(s.buf);
}

int main(void)
{
    RUN(test_pad_underflow);
    RUN(test_fixed_length);
    RUN(test_advance_past_end);
    RUN(test_hpack_index);
    RUN(test_hpack_evict_zero);
    RUN(test_continuation_flood);
    RUN(test_hpack_wrap_lookup);
    RUN(test_hpack_list_overhead);
    RUN(test_hpack_resize_wrap);
    return check_summary();
}
