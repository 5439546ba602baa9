/* test_nghttp2.c: differential test of our HPACK encoder's output against
   libnghttp2's inflater (nghttp2_hd_inflate_hd2) and our decoder, over a
   pinned-seed pseudo-random loop with table size changes, Huffman on/off and
   all three literal kinds. Also decodes blocks from nghttp2's deflater. */
#include <nghttp2/nghttp2.h>

#include "check.h"
#include "h2_test_util.h"
#include "hpack.h"

#define MAXF 12

typedef struct {
    uint8_t name[MAXF][64];
    uint8_t value[MAXF][200];
    h2_nv nva[MAXF];
    size_t n;
} fields;

static void gen_fields(uint64_t *seed, fields *fs)
{
    static const char *pool[] = {":method", ":path", ":authority", "cookie", "user-agent",
                                 "accept-encoding", "x-custom", "set-cookie", "date", ""};
    size_t i, j;
    fs->n = rng_next(seed) % MAXF;
    for (i = 0; i < fs->n; i++) {
        size_t nl, vl;
        uint64_t kind = rng_next(seed) % 4;
        if (kind < 3) {
            const char *s = pool[rng_next(seed) % 10];
            nl = strlen(s);
            memcpy(fs->name[i], s, nl);
        } else {
            nl = rng_next(seed) % 64;
            for (j = 0; j < nl; j++)
                fs->name[i][j] = (uint8_t)(rng_next(seed) % 256);
        }
        vl = rng_next(seed) % 4 == 0 ? rng_next(seed) % 200 : rng_next(seed) % 20;
        for (j = 0; j < vl; j++)
            fs->value[i][j] = (uint8_t)(rng_next(seed) % 3 ? 'a' + rng_next(seed) % 26
                                                           : rng_next(seed) % 256);
        fs->nva[i].name = fs->name[i];
        fs->nva[i].namelen = nl;
        fs->nva[i].value = fs->value[i];
        fs->nva[i].valuelen = vl;
        fs->nva[i].flags = (uint8_t)(rng_next(seed) % 16);
    }
}

/* Inflates |in| with nghttp2 into |out| (name/value pointers copied into
   |store|). Returns the count or -1. */
static int ng_inflate(nghttp2_hd_inflater *inf, const uint8_t *in, size_t len, uint8_t *store,
                      size_t storecap, h2_nv *out, size_t maxn)
{
    size_t n = 0, used = 0;
    for (;;) {
        nghttp2_nv nv;
        int flags = 0;
        ssize_t rv = nghttp2_hd_inflate_hd2(inf, &nv, &flags, in, len, 1);
        if (rv < 0)
            return -1;
        in += rv;
        len -= (size_t)rv;
        if (flags & NGHTTP2_HD_INFLATE_EMIT) {
            if (n >= maxn || used + nv.namelen + nv.valuelen > storecap)
                return -1;
            memcpy(store + used, nv.name, nv.namelen);
            out[n].name = store + used;
            out[n].namelen = nv.namelen;
            used += nv.namelen;
            memcpy(store + used, nv.value, nv.valuelen);
            out[n].value = store + used;
            out[n].valuelen = nv.valuelen;
            used += nv.valuelen;
            n++;
        }
        if (flags & NGHTTP2_HD_INFLATE_FINAL) {
            nghttp2_hd_inflate_end_headers(inf);
            break;
        }
        if (rv == 0 && len == 0)
            break;
    }
    return (int)n;
}

static int same(const h2_nv *a, const h2_nv *b)
{
    return a->namelen == b->namelen && a->valuelen == b->valuelen &&
           (a->namelen == 0 || memcmp(a->name, b->name, a->namelen) == 0) &&
           (a->valuelen == 0 || memcmp(a->value, b->value, a->valuelen) == 0);
}

static void test_encoder_vs_nghttp2(void)
{
    uint64_t seed = 0x0123456789abcdefULL;
    h2_hpack_encoder *e = h2_hpack_encoder_new(4096);
    h2_hpack_decoder *d = h2_hpack_decoder_new(NULL);
    nghttp2_hd_inflater *inf = NULL;
    h2_header_list l;
    static uint8_t store[1 << 16];
    int iter, mism = 0, ngfail = 0, ourfail = 0, sizemism = 0;
    CHECK_EQ(nghttp2_hd_inflate_new(&inf), 0);
    h2_header_list_init(&l);
    for (iter = 0; iter < 5000; iter++) {
        fields fs;
        h2_nv ng[MAXF];
        uint8_t out[8192];
        size_t n, i;
        int k;
        if (rng_next(&seed) % 8 == 0) {
            uint64_t r = rng_next(&seed) % 4;
            uint32_t sz = r == 0 ? 0 : r == 1 ? 4096 : (uint32_t)(rng_next(&seed) % 4097);
            h2_hpack_encoder_set_max_table_size(e, sz);
            if (rng_next(&seed) % 2)
                h2_hpack_encoder_set_max_table_size(e, (uint32_t)(rng_next(&seed) % 4097));
        }
        gen_fields(&seed, &fs);
        CHECK_EQ(h2_hpack_encode_block(e, out, sizeof out, &n, fs.nva, fs.n), H2_OK);
        k = ng_inflate(inf, out, n, store, sizeof store, ng, MAXF);
        if (k != (int)fs.n) {
            ngfail++;
            continue;
        }
        for (i = 0; i < fs.n; i++)
            if (!same(&ng[i], &fs.nva[i]))
                mism++;
        if (h2_hpack_decode_block(d, out, n, &l) != H2_OK || l.len != fs.n) {
            ourfail++;
            continue;
        }
        for (i = 0; i < fs.n; i++)
            if (!same(&l.nva[i], &fs.nva[i]))
                mism++;
        if (nghttp2_hd_inflate_get_dynamic_table_size(inf) != h2_hpack_decoder_table_size(d) ||
            nghttp2_hd_inflate_get_num_table_entries(inf) != 61 + h2_hpack_decoder_table_len(d))
            sizemism++;
    }
    CHECK_EQ(ngfail, 0);
    CHECK_EQ(ourfail, 0);
    CHECK_EQ(mism, 0);
    CHECK_EQ(sizemism, 0);
    h2_header_list_free(&l);
    nghttp2_hd_inflate_del(inf);
    h2_hpack_decoder_del(d);
    h2_hpack_encoder_del(e);
}

/* The other direction: nghttp2's deflater output through our decoder. */
static void test_nghttp2_deflater_vs_decoder(void)
{
    uint64_t seed = 0xfeedfacecafebeefULL;
    nghttp2_hd_deflater *def = NULL;
    h2_hpack_decoder *d = h2_hpack_decoder_new(NULL);
    h2_header_list l;
    int iter, bad = 0;
    CHECK_EQ(nghttp2_hd_deflate_new(&def, 4096), 0);
    h2_header_list_init(&l);
    for (iter = 0; iter < 3000; iter++) {
        fields fs;
        nghttp2_nv nva[MAXF];
        uint8_t out[8192];
        ssize_t n;
        size_t i;
        gen_fields(&seed, &fs);
        if (rng_next(&seed) % 16 == 0)
            nghttp2_hd_deflate_change_table_size(def, (size_t)(rng_next(&seed) % 4097));
        for (i = 0; i < fs.n; i++) {
            nva[i].name = fs.name[i];
            nva[i].namelen = fs.nva[i].namelen;
            nva[i].value = fs.value[i];
            nva[i].valuelen = fs.nva[i].valuelen;
            nva[i].flags = (fs.nva[i].flags & H2_NV_FLAG_NEVER_INDEX) ? NGHTTP2_NV_FLAG_NO_INDEX
                                                                       : NGHTTP2_NV_FLAG_NONE;
        }
        n = nghttp2_hd_deflate_hd(def, out, sizeof out, nva, fs.n);
        CHECK(n >= 0);
        if (n < 0)
            break;
        if (h2_hpack_decode_block(d, out, (size_t)n, &l) != H2_OK || l.len != fs.n) {
            bad++;
            continue;
        }
        for (i = 0; i < fs.n; i++)
            if (!same(&l.nva[i], &fs.nva[i]))
                bad++;
    }
    CHECK_EQ(bad, 0);
    h2_header_list_free(&l);
    nghttp2_hd_deflate_del(def);
    h2_hpack_decoder_del(d);
}

int main(void)
{
    RUN(test_encoder_vs_nghttp2);
    RUN(test_nghttp2_deflater_vs_decoder);
    return check_summary();
}
