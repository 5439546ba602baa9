/* huffman.c: RFC 7541 §5.2 Huffman string coding with the Appendix B code. */
#include "h2_internal.h"

size_t h2_hpack_huffman_encoded_len(const uint8_t *in, size_t len)
{
    uint64_t bits = 0;
    size_t i;
    for (i = 0; i < len; i++)
        bits += h2_huff_codes[in[i]].len;
    return (size_t)((bits + 7) / 8);
}

int h2_hpack_huffman_encode(uint8_t *out, size_t outlen, size_t *written, const uint8_t *in,
                            size_t len)
{
    uint64_t acc = 0;
    unsigned nbits = 0;
    size_t n = 0, i;
    if ((in == NULL && len > 0) || (out == NULL && outlen > 0))
        return H2_ERR_INVALID_ARGUMENT;
    if (h2_hpack_huffman_encoded_len(in, len) > outlen)
        return H2_ERR_BUFFER_TOO_SMALL;
    for (i = 0; i < len; i++) {
        const h2_huff_sym *s = &h2_huff_codes[in[i]];
        acc = (acc << s->len) | s->code;
        nbits += s->len;
        while (nbits >= 8) {
            nbits -= 8;
            out[n++] = (uint8_t)(acc >> nbits);
        }
        acc &= (1u << nbits) - 1u;
    }
    /* §5.2: pad with the most significant bits of EOS (all ones) */
    if (nbits > 0)
        out[n++] = (uint8_t)((acc << (8 - nbits)) | ((1u << (8 - nbits)) - 1u));
    if (written)
        *written = n;
    return H2_OK;
}

int h2_hpack_huffman_decode(uint8_t *out, size_t outlen, size_t *written, const uint8_t *in,
                            size_t len)
{
    uint64_t acc = 0; /* the low |nbits| bits are unread input */
    unsigned nbits = 0;
    size_t pos = 0, n = 0;
    if ((in == NULL && len > 0) || (out == NULL && outlen > 0))
        return H2_ERR_INVALID_ARGUMENT;
    for (;;) {
        uint32_t w;
        unsigned l;
        uint16_t sym;
        while (nbits <= 56 && pos < len) {
            acc = (acc << 8) | in[pos++];
            nbits += 8;
        }
        if (nbits == 0)
            break;
        /* Left-aligned 32-bit window; past the end, fill with ones. */
        if (nbits >= 32)
            w = (uint32_t)(acc >> (nbits - 32));
        else
            w = (uint32_t)(acc << (32 - nbits)) | (uint32_t)((1ull << (32 - nbits)) - 1u);
        for (l = 5; l < 30; l++)
            if (w < h2_huff_limit[l])
                break;
        if (l > nbits) {
            /* §5.2: the rest is padding: at most 7 bits, all ones (a prefix
               of EOS). */
            if (nbits > 7 || (acc & ((1u << nbits) - 1u)) != (1u << nbits) - 1u)
                return H2_ERR_HPACK_HUFFMAN;
            break;
        }
        sym = h2_huff_sorted[h2_huff_offset[l] + ((w >> (32 - l)) - h2_huff_first[l])];
        /* §5.2: EOS in the string is a decoding error */
        if (sym == 256)
            return H2_ERR_HPACK_HUFFMAN;
        if (n >= outlen)
            return H2_ERR_BUFFER_TOO_SMALL;
        out[n++] = (uint8_t)sym;
        nbits -= l;
        acc &= (nbits ? (~0ull >> (64 - nbits)) : 0ull);
    }
    if (written)
        *written = n;
    return H2_OK;
}
