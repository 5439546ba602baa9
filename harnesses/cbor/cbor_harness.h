/*
 * cbor_harness.h: what the libcbor properties share.
 *
 * The properties are about libcbor itself (the Debian package, 0.8 here;
 * the README says which behaviours are version specific). References are
 * to RFC 8949 (CBOR) by section.
 *
 *   cbor_spec.c   a generated data item (spec_t), its generator and its
 *                 printer in diagnostic notation (RFC 8949 §8), and the
 *                 libcbor item built from it
 *   cbor_equal.c  structural equality of two libcbor items, and printing
 *                 a libcbor item in diagnostic notation
 *   cbor_events.c the event sequence a well-formed item produces, both
 *                 from a loaded tree and from cbor_stream_decode
 */
#ifndef PRY_HARNESS_CBOR_H
#define PRY_HARNESS_CBOR_H

#include "pry.h"

#include <cbor.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A growing text buffer (malloc'd; free .s). */
typedef struct {
    char *s;
    size_t len, cap;
} sbuf_t;
void sb_printf(sbuf_t *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- generated items ---- */

typedef enum {
    S_UINT,   /* major type 0 */
    S_NEGINT, /* major type 1: the value is -1 - value */
    S_BYTES,  /* major type 2 */
    S_TEXT,   /* major type 3, valid UTF-8 */
    S_ARRAY,  /* major type 4 */
    S_MAP,    /* major type 5 */
    S_TAG,    /* major type 6 */
    S_HALF,   /* major type 7, additional information 25 */
    S_FLOAT,  /* 26 */
    S_DOUBLE, /* 27 */
    S_SIMPLE  /* 0..19, 20..23 (false, true, null, undefined), 32..255 */
} spec_kind;

typedef struct spec {
    spec_kind kind;
    unsigned width;        /* integers and tag numbers: 1, 2, 4 or 8 bytes */
    uint64_t value;        /* integer, tag number, simple value, half bits */
    float f;               /* S_HALF (the exact value of the bits), S_FLOAT */
    double d;              /* S_DOUBLE */
    bool indef;            /* strings, arrays, maps: indefinite length */
    size_t n;              /* chunks (strings), elements, pairs (maps) */
    pry_bytes_t *chunks;   /* strings: n chunks (definite: exactly 1) */
    size_t codepoints;     /* S_TEXT: code points over all chunks */
    struct spec **kids;    /* arrays n, maps 2n (k0 v0 k1 v1 ...), tags 1 */
} spec_t;

/* Which items a generator may produce. */
typedef struct profile {
    /* Leave out the three classes libcbor 0.8 is known to get wrong (see
     * README: tags 6..20, simple values other than 20..23, subnormal
     * half floats), so that fuzzing keeps looking for new bugs. */
    bool avoid_known_bugs;
    unsigned max_depth;
} profile_t;

extern const profile_t PROFILE_FULL, PROFILE_AVOID_KNOWN;

/* Draw an item tree (pry_recursive under a depth budget). A failure prints
 * `label = [1, h'00', {"a": -2}]`. */
const spec_t *draw_item(pry_t *p, const char *label, const profile_t *prof);

/* Draws of single kinds, for the focused properties. */
const spec_t *draw_half(pry_t *p, const char *label);
const spec_t *draw_simple(pry_t *p, const char *label);
const spec_t *draw_tagged(pry_t *p, const char *label, uint64_t lo,
                          uint64_t hi);

/* Print a spec in diagnostic notation (RFC 8949 §8, with the §8.1
 * encoding indicators _0.._3 and the indefinite-length markers). */
void spec_print(sbuf_t *out, const spec_t *s);

/* The libcbor item for a spec, refcount 1 (NULL if libcbor fails to
 * allocate). The caller cbor_decref()s it. */
cbor_item_t *spec_build(const spec_t *s);

/* The float a half float's bits denote (exact: every half is a float). */
float half_to_float(uint16_t h);

/* Diagnostic notation pieces, shared by both printers. |bits| is the raw
 * pattern of a float of |width| bytes (printed for NaNs, whose payload
 * the value does not show; UINT64_MAX: unknown, not printed). */
void diag_float(sbuf_t *out, double v, unsigned width, uint64_t bits);
void diag_text(sbuf_t *out, const uint8_t *s, size_t n);
void diag_bytes(sbuf_t *out, const uint8_t *s, size_t n);
void diag_simple(sbuf_t *out, uint64_t v);

/* ---- libcbor items ---- */

/* Structural equality under libcbor's documented semantics (see
 * cbor_equal.c for each allowance). On a difference, writes where and
 * what into why (a path from the root, "$[1].key" style). */
bool items_equal(const cbor_item_t *a, const cbor_item_t *b, char *why,
                 size_t why_len);

/* A libcbor item in diagnostic notation, into the run's arena. */
char *item_diag(pry_t *p, const cbor_item_t *it);

/* Bytes as hex, into the run's arena. */
char *hex(pry_t *p, const uint8_t *data, size_t len);

/* cbor_load's error code by name. */
const char *load_error_name(cbor_error_code code);

/* Serialise with cbor_serialize_alloc; *len is the encoded length (0 on
 * failure, and then the result is NULL). Free the result with free(). */
unsigned char *serialize(const cbor_item_t *it, size_t *len);

/* ---- the bounded allocator (cbor_alloc.c) ---- */

/* Requests above this fail (NULL) inside a guarded cbor call. */
#define ALLOC_LIMIT ((size_t)64 << 20)

/* cbor_load under the limit; *largest_request (may be NULL) gets the
 * largest single allocation request it made (0 where not measurable). */
cbor_item_t *guarded_load(const uint8_t *data, size_t len,
                          struct cbor_load_result *r, size_t *largest_request);
bool alloc_meter_available(void);
void alloc_guard_begin(void);
size_t alloc_guard_end(void);

/* ---- events (stream_agrees) ---- */

typedef enum {
    EV_UINT, EV_NEGINT, EV_BYTES, EV_BYTES_START, EV_TEXT, EV_TEXT_START,
    EV_ARRAY, EV_ARRAY_START, EV_MAP, EV_MAP_START, EV_TAG, EV_HALF,
    EV_FLOAT, EV_DOUBLE, EV_BOOL, EV_NULL, EV_UNDEF, EV_SIMPLE, EV_BREAK
} event_kind;

typedef struct {
    event_kind kind;
    unsigned width;  /* integers: 1, 2, 4, 8 */
    uint64_t value;  /* integer, length, tag, float bits, bool */
} event_t;

typedef struct {
    event_t *ev;
    size_t n, cap;
    bool overflow; /* more events than cap */
} events_t;

/* The events a pre-order walk of a loaded tree gives (see cbor_events.c
 * for the definition). */
void tree_events(const cbor_item_t *it, events_t *out);

/* Walk |data| header by header with cbor_stream_decode, checking the
 * structure the way a loader must (RFC 8949 §3, §5.3); the events go to
 * |out|. Returns true when one complete, valid item was found, and sets
 * *used to the bytes it took; otherwise false and *why says why. */
bool stream_walk(const uint8_t *data, size_t len, events_t *out, size_t *used,
                 const char **why);

const char *event_name(event_kind k);
char *event_text(pry_t *p, const event_t *e);

#endif
