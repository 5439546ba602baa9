/*
 * h2_gen.h: generators and helpers shared by the h2 properties.
 *
 * Frames are drawn as typed values (one generator per frame type, one
 * printer for all), so a failure prints
 *     frame = HEADERS{stream 3, flags END_HEADERS, pad 4, block h'8286'}
 * rather than a dump of choice bytes.
 */
#ifndef PRY_HARNESS_H2_GEN_H
#define PRY_HARNESS_H2_GEN_H

#include "hpack.h"
#include "pry.h"

/* ---- text: frames and header lists as one line ---- */

/* A bounded text buffer (frames hold at most a few dozen payload octets;
   longer ones are cut with "..."). */
typedef struct {
    char buf[2048];
    size_t len;
} h2_text;

void h2_text_printf(h2_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* h'0102..' of at most |max| octets of |data| (then "..." and the length). */
void h2_text_hex(h2_text *t, const uint8_t *data, size_t len, size_t max);
/* TYPE{stream N, flags A|B, fields...}: never reads past a field's stated
   length, and at most 48 octets of any payload. */
void h2_frame_format(h2_text *t, const h2_frame *f);
/* [name: value, ...] */
void h2_nv_format(h2_text *t, const h2_nv *nva, size_t n);

/* A weighted choice printed by name (`source = representations`):
   pry_weighted's distribution in random mode, the first name minimal. */
typedef struct {
    size_t n;
    const unsigned *weights;
    const char *const *names;
} h2_named_weights;
size_t h2_weighted_named(pry_t *p, const char *label, const h2_named_weights *w);

/* ---- frames ---- */

/* One generator per frame type (index = type 0..9) and one for extension
   frames (index 10: types 10..255). Each draws a frame that the RFC allows
   and h2_pack_frame must accept; SETTINGS entries live in the arena (never
   h2_settings_free a drawn frame). |arg| is NULL or a const uint32_t *
   forcing the stream id (for frames that have one other than 0). */
#define H2_GEN_EXTENSION 10
extern const pry_gen_t H2_FRAME_GENS[11];
/* Any frame: pry_oneof over H2_FRAME_GENS. */
h2_frame *h2_draw_frame(pry_t *p, const char *label);

/* Packs |f| into the arena; fails the property if h2_pack_frame refuses
   a frame the generators promise is valid. */
pry_bytes_t h2_pack_or_fail(pry_t *p, const h2_frame *f);

/* NULL if |a| and |b| have the same header and fields (borrowed payloads
   compared by content), else a static-ish description of the first
   difference (arena). */
const char *h2_frame_diff(pry_t *p, const h2_frame *a, const h2_frame *b);

/* A "valid-ish" frame stream: a list of up to |max| drawn frames, with a
   header block, once opened, usually continued by CONTINUATION frames of
   its stream; HEADERS/PUSH_PROMISE blocks are sometimes a real HPACK block
   (literals without indexing, so any decoder state accepts them). */
pry_bytes_t h2_draw_frame_stream(pry_t *p, const char *label, size_t max);

/* Raw frames for the parser: header fields drawn loosely (any type, any
   flags, stream ids around 0, a length that is usually the payload's but
   may lie) and a payload of arbitrary octets. Every byte string is still
   reachable through the blob shape of parse_total; this shape is how
   random mode gets past the frame header into the per-frame rules. */
pry_bytes_t h2_draw_raw_frames(pry_t *p, const char *label, size_t max);

/* Chunk lengths for feeding a parser: a list of up to |max| lengths in
   0..|max_len| (0 feeds nothing, which must be a no-op); whatever is left
   after the list goes in one last chunk. All-zero choices: one chunk. */
typedef struct {
    size_t *len;
    size_t n;
} h2_chunks;
h2_chunks h2_draw_chunks(pry_t *p, const char *label, size_t max, size_t max_len);

/* ---- header lists (HPACK) ---- */

/* A header list of up to |max| fields: names from the static table, a few
   common ones and a tiny alphabet (so names repeat and the dynamic table
   is hit), values likewise, sometimes arbitrary octets; per field an
   indexing mode (incremental, without, never) and a Huffman mode (auto,
   forced, off) in |flags|. *n gets the count. */
h2_nv *h2_draw_header_list(pry_t *p, const char *label, size_t max, size_t *n);

/* A new SETTINGS_HEADER_TABLE_SIZE: 0, small, 4096 or up to 8192. */
uint32_t h2_draw_table_size(pry_t *p, const char *label);

/* HPACK integer (RFC 7541 §5.1) with |first| in the high bits; our own,
   so the differential does not lean on the target's encoder. Appends to
   |out| (room for 6 octets needed). */
size_t h2_put_hpack_int(uint8_t *out, uint8_t first, unsigned prefix, uint32_t v);

/* An "arbitrary but shaped" header block: a list of representations
   (indexed, the three literals, size updates) with indices drawn around
   the end of the static table and of a dynamic table of |table_len|
   entries, size updates around |settings_max|, string lengths that may
   lie, Huffman strings valid or not. */
pry_bytes_t h2_draw_hpack_block(pry_t *p, const char *label, size_t table_len,
                                uint32_t settings_max);

/* Field equality, ignoring the encoder-only flags. */
int h2_nv_same(const h2_nv *a, const h2_nv *b);

#endif
