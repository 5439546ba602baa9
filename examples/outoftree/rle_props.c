/* rle_props.c: the properties of rle.c, written with pry. */
#include "pry.h"
#include "rle.h"

/* Inputs with long runs: a list of (byte, run length) pieces, so runs
 * past the 255 limit of a count come up often. */
static pry_bytes_t draw_runs(pry_t *p, const char *label)
{
    static uint8_t buf[4 * 1024];
    size_t n = 0;
    pry_list_t l = pry_list(p, label, 8);
    while (pry_list_more(p, &l)) {
        uint8_t b = pry_u8(p, "byte");
        size_t run = pry_size(p, "run", 512);
        for (size_t k = 0; k < run && n < sizeof buf; k++)
            buf[n++] = b;
    }
    return (pry_bytes_t){buf, n};
}

/* decode(encode(x)) == x */
PRY_PROPERTY(roundtrip)
{
    pry_bytes_t in = draw_runs(p, "input");
    uint8_t *enc = pry_alloc(p, rle_bound(in.len) + 1);
    size_t m = rle_encode(in.data, in.len, enc);
    pry_check(p, m <= rle_bound(in.len), "encoded %zu bytes into %zu", in.len, m);
    uint8_t *dec = pry_alloc(p, in.len + 1);
    size_t d = rle_decode(enc, m, dec, in.len);
    pry_check(p, d != (size_t)-1, "decode rejects what encode wrote");
    pry_check_eq_mem(p, dec, d, in.data, in.len);
}

/* Decoding arbitrary bytes never writes past the output buffer and
 * accepts only well-formed input. */
PRY_PROPERTY(decode_total)
{
    pry_bytes_t in = pry_blob(p, "encoded", 64);
    size_t cap = pry_size(p, "cap", 300);
    uint8_t *out = pry_alloc(p, cap + 1);
    size_t d = rle_decode(in.data, in.len, out, cap);
    pry_check(p, d == (size_t)-1 || d <= cap, "decoded %zu bytes into %zu", d, cap);
}
