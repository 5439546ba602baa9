/* hpack_int.c: RFC 7541 §5.1 prefixed integers. */
#include "h2_internal.h"

int h2_hpack_encode_int(uint8_t *out, size_t outlen, size_t *written, uint8_t first,
                        unsigned prefix_bits, uint32_t value)
{
    uint32_t max_prefix;
    size_t n = 0;
    if (prefix_bits < 1 || prefix_bits > 8 || (out == NULL && outlen > 0))
        return H2_ERR_INVALID_ARGUMENT;
    max_prefix = (1u << prefix_bits) - 1;
    if (outlen < 1)
        return H2_ERR_BUFFER_TOO_SMALL;
    /* §5.1: a value below 2^N-1 fits in the prefix */
    if (value < max_prefix) {
        out[0] = (uint8_t)((first & ~max_prefix) | value);
        if (written)
            *written = 1;
        return H2_OK;
    }
    out[n++] = (uint8_t)(first | max_prefix);
    value -= max_prefix;
    while (value >= 128) {
        if (n >= outlen)
            return H2_ERR_BUFFER_TOO_SMALL;
        out[n++] = (uint8_t)(0x80u | (value & 0x7fu));
        value >>= 7;
    }
    if (n >= outlen)
        return H2_ERR_BUFFER_TOO_SMALL;
    out[n++] = (uint8_t)value;
    if (written)
        *written = n;
    return H2_OK;
}

int h2_hpack_decode_int(const uint8_t *in, size_t len, unsigned prefix_bits, uint32_t *value,
                        size_t *consumed)
{
    uint32_t max_prefix;
    uint64_t v;
    unsigned shift = 0;
    size_t i = 1;
    if (prefix_bits < 1 || prefix_bits > 8 || value == NULL || (in == NULL && len > 0))
        return H2_ERR_INVALID_ARGUMENT;
    if (len < 1)
        return H2_ERR_HPACK_TRUNCATED;
    max_prefix = (1u << prefix_bits) - 1;
    v = in[0] & max_prefix;
    if (v == max_prefix) {
        for (;;) {
            uint8_t b;
            if (i >= len)
                return H2_ERR_HPACK_TRUNCATED;
            /* §5.1 / §7.1.4: bound the integer; 2^32-1 needs at most five
               continuation octets (shift 0..28). */
            if (shift > 28)
                return H2_ERR_HPACK_INT_OVERFLOW;
            b = in[i++];
            v += (uint64_t)(b & 0x7fu) << shift;
            if (v > UINT32_MAX)
                return H2_ERR_HPACK_INT_OVERFLOW;
            shift += 7;
            if (!(b & 0x80u))
                break;
        }
    }
    *value = (uint32_t)v;
    if (consumed)
        *consumed = i;
    return H2_OK;
}
