/*
 * hpack.h: HPACK header compression (RFC 7541) for pry's h2 target.
 *
 * Integers (§5.1), string literals with the Appendix B Huffman code (§5.2),
 * the static table (Appendix A) and the dynamic table with eviction (§4),
 * a decoder with limits against decompression bombs and an encoder.
 * Results are h2_result values (h2.h). Decoder and encoder are opaque,
 * caller-owned objects (_new/_del); nothing global is mutable.
 */
#ifndef PRY_TARGETS_H2_HPACK_H
#define PRY_TARGETS_H2_HPACK_H

#include "h2.h"

#ifdef __cplusplus
extern "C" {
#endif

#define H2_HPACK_STATIC_TABLE_LEN 61
#define H2_HPACK_ENTRY_OVERHEAD 32   /* §4.1 */
#define H2_HPACK_DEFAULT_TABLE_SIZE 4096

/* ---- §5.1 integers ---- */

/* Encodes |value| with an N-bit prefix, |prefix_bits| in 1..8; the high bits
   of the first octet are taken from |first| (bits below the prefix must be
   zero). Writes at most |outlen| octets to |out|, *|written| the count.
   Returns H2_ERR_INVALID_ARGUMENT (prefix out of range) or
   H2_ERR_BUFFER_TOO_SMALL. */
int h2_hpack_encode_int(uint8_t *out, size_t outlen, size_t *written, uint8_t first,
                        unsigned prefix_bits, uint32_t value);

/* Decodes an N-bit-prefix integer from |in| (|len| octets). On success
   *|value| is the value and *|consumed| the octets used. Returns
   H2_ERR_INVALID_ARGUMENT (prefix out of range), H2_ERR_HPACK_TRUNCATED (input
   ends inside the integer), or H2_ERR_HPACK_INT_OVERFLOW (value above
   2^32-1, or more continuation octets than such a value needs). */
int h2_hpack_decode_int(const uint8_t *in, size_t len, unsigned prefix_bits, uint32_t *value,
                        size_t *consumed);

/* ---- §5.2 Huffman (Appendix B) ---- */

/* Octets the Huffman coding of |in| takes (padded to a whole octet). */
size_t h2_hpack_huffman_encoded_len(const uint8_t *in, size_t len);

/* Huffman-codes |in| into |out| (pads with the EOS prefix, §5.2).
   Returns H2_ERR_BUFFER_TOO_SMALL if |outlen| is below
   h2_hpack_huffman_encoded_len. */
int h2_hpack_huffman_encode(uint8_t *out, size_t outlen, size_t *written, const uint8_t *in,
                            size_t len);

/* Decodes Huffman-coded |in| into |out| (|outlen| capacity; the result is at
   most 8*len/5 octets). Returns H2_ERR_HPACK_HUFFMAN (padding longer than 7
   bits or not all ones, or the EOS symbol inside the string, §5.2) or
   H2_ERR_BUFFER_TOO_SMALL. */
int h2_hpack_huffman_decode(uint8_t *out, size_t outlen, size_t *written, const uint8_t *in,
                            size_t len);

/* ---- decoder ---- */

typedef struct h2_hpack_decoder h2_hpack_decoder;

typedef struct {
    uint32_t max_table_size;       /* our SETTINGS_HEADER_TABLE_SIZE, default 4096 */
    size_t max_header_list_size;   /* sum of name+value+32 per field, default 65536 */
    size_t max_string_length;      /* one name or value, decoded, default 16384 */
} h2_hpack_decoder_config;

void h2_hpack_decoder_config_default(h2_hpack_decoder_config *cfg);

/* Allocates a decoder (caller releases with h2_hpack_decoder_del); |cfg|
   NULL means defaults. Returns NULL on allocation failure. */
h2_hpack_decoder *h2_hpack_decoder_new(const h2_hpack_decoder_config *cfg);
void h2_hpack_decoder_del(h2_hpack_decoder *d);

/* Changes the limit a table size update may ask for (our acknowledged
   SETTINGS_HEADER_TABLE_SIZE). If |max_table_size| is below the table's
   current maximum, the table shrinks to it now and the next header block
   MUST start with a size update (§4.2), else it fails with
   H2_ERR_HPACK_TABLE_SIZE. */
void h2_hpack_decoder_set_max_table_size(h2_hpack_decoder *d, uint32_t max_table_size);

/* Decodes one complete header block |in| (|len| octets) into |out| (cleared
   first), updating the dynamic table. Names and values are not checked for
   HTTP validity (that is a layer above). After a failure the decoder's state
   is undefined for HTTP/2 purposes (the connection must end, RFC 9113 §4.3)
   but stays memory-safe and reusable.
   Returns H2_ERR_HPACK_TRUNCATED, H2_ERR_HPACK_INT_OVERFLOW,
   H2_ERR_HPACK_INDEX, H2_ERR_HPACK_HUFFMAN, H2_ERR_HPACK_TABLE_SIZE,
   H2_ERR_HPACK_STRING_TOO_LONG, H2_ERR_HPACK_LIST_TOO_LARGE, H2_ERR_NOMEM,
   H2_ERR_INVALID_ARGUMENT (NULL |d|/|out|, or NULL |in| with length). */
int h2_hpack_decode_block(h2_hpack_decoder *d, const uint8_t *in, size_t len,
                          h2_header_list *out);

/* Dynamic table inspection (for tests and harnesses). */
size_t h2_hpack_decoder_table_len(const h2_hpack_decoder *d);      /* entries */
size_t h2_hpack_decoder_table_size(const h2_hpack_decoder *d);     /* §4.1 size */
size_t h2_hpack_decoder_table_max_size(const h2_hpack_decoder *d); /* current max */

/* ---- encoder ---- */

typedef struct h2_hpack_encoder h2_hpack_encoder;

/* Allocates an encoder whose dynamic table starts at |max_table_size|
   (4096 in HTTP/2; the peer's decoder must start at the same value, as in
   RFC 7541 Appendix C.5, so no update is sent for it). NULL on
   allocation failure. Release with h2_hpack_encoder_del. */
h2_hpack_encoder *h2_hpack_encoder_new(uint32_t max_table_size);
void h2_hpack_encoder_del(h2_hpack_encoder *e);

/* Changes the table's maximum size; the next block starts with the §4.2
   size update(s): the smallest value set since the last block, then the
   final one if larger. */
void h2_hpack_encoder_set_max_table_size(h2_hpack_encoder *e, uint32_t max_table_size);

/* Encodes |n| fields |nva| as one header block into |out| (|outlen|
   capacity), *|written| the size. Per field: an exact table match (static
   first) is sent indexed (§6.1); otherwise a literal (§6.2) with the name
   indexed if any table has it (static first), "with incremental indexing"
   unless the field's flags ask H2_NV_FLAG_NO_INDEX or H2_NV_FLAG_NEVER_INDEX
   (which also disable the exact match). Strings are Huffman-coded when that
   is not longer (as in RFC 7541 C.6.2), unless H2_NV_FLAG_NO_HUFFMAN / H2_NV_FLAG_HUFFMAN force it.
   Returns H2_ERR_BUFFER_TOO_SMALL, H2_ERR_NOMEM, H2_ERR_INVALID_ARGUMENT
   (NULL pointers with lengths). After an error the dynamic table may hold
   some of the fields already: the block must not be sent and the encoder
   must be discarded (the peer's table would disagree). */
int h2_hpack_encode_block(h2_hpack_encoder *e, uint8_t *out, size_t outlen, size_t *written,
                          const h2_nv *nva, size_t n);

size_t h2_hpack_encoder_table_len(const h2_hpack_encoder *e);
size_t h2_hpack_encoder_table_size(const h2_hpack_encoder *e);

#ifdef __cplusplus
}
#endif

#endif
