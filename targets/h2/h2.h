/*
 * h2.h: HTTP/2 framing layer (RFC 9113) for pry's h2 target.
 *
 * Three layers, each usable on its own:
 *
 *   - frame pack/unpack pairs (frame.c): h2_pack_<type> writes one whole
 *     frame (9-octet header + payload) into a caller buffer;
 *     h2_unpack_<type>_payload decodes one payload whose header was already
 *     read, enforcing every per-frame MUST of RFC 9113 §6 and reporting the
 *     RFC error code and its scope (connection or stream) in an h2_error.
 *   - an incremental parser (parser.c): feed bytes in any chunking, it emits
 *     each complete frame through a callback, accumulates header blocks
 *     across CONTINUATION (bounded) and decodes them with HPACK (hpack.h)
 *     when END_HEADERS arrives.
 *   - the HPACK codec (hpack.h, RFC 7541).
 *
 * Conventions (after nghttp2's frame code): functions return 0 (H2_OK) or a
 * negative h2_result; a contract comment names parameters as |param| and
 * lists every error code the function can return. Storage a function fills
 * is the caller's unless said otherwise; pointers into caller buffers are
 * "borrowed" and live as long as that buffer. No global mutable state; the
 * library never prints and never exits.
 */
#ifndef PRY_TARGETS_H2_H
#define PRY_TARGETS_H2_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- results -------------------------------------------------------------- */

typedef enum {
    H2_OK = 0,
    H2_ERR_INVALID_ARGUMENT = -501, /* caller passed something unusable */
    H2_ERR_BUFFER_TOO_SMALL = -502, /* output buffer too small (pack/encode) */
    H2_ERR_NOMEM = -503,            /* allocation failed */
    H2_ERR_PROTOCOL = -505,         /* RFC 9113 rule broken: see h2_error */
    H2_ERR_FRAME_SIZE = -506,       /* a frame's length is wrong: see h2_error */
    H2_ERR_FLOW_CONTROL = -507,     /* bad window value: see h2_error */
    H2_ERR_COMPRESSION = -508,      /* header block failed to decode */
    H2_ERR_ENHANCE_YOUR_CALM = -509, /* a configured limit was exceeded */
    H2_ERR_BAD_PREFACE = -510,      /* client connection preface mismatch */
    H2_ERR_CALLBACK = -511,         /* a user callback asked to stop */
    H2_ERR_PARSER_DEAD = -512,      /* parser hit a connection error earlier */
    /* HPACK (RFC 7541) decoding failures; the parser maps them all to
       COMPRESSION_ERROR (RFC 9113 §4.3) except the limits. */
    H2_ERR_HPACK_TRUNCATED = -520,      /* block ends inside a representation */
    H2_ERR_HPACK_INT_OVERFLOW = -521,   /* §5.1 integer beyond 2^32-1 */
    H2_ERR_HPACK_INDEX = -522,          /* §2.3.3 index 0 or past the tables */
    H2_ERR_HPACK_HUFFMAN = -523,        /* §5.2 bad padding or EOS in string */
    H2_ERR_HPACK_TABLE_SIZE = -524,     /* §6.3 update above the setting, not at
                                           block start, or missing when required */
    H2_ERR_HPACK_STRING_TOO_LONG = -525, /* string above max_string_length */
    H2_ERR_HPACK_LIST_TOO_LARGE = -526   /* header list above max_header_list_size */
} h2_result;

/* A static English description of |rv| (any int; unknown values get a generic
   text). Never NULL. */
const char *h2_strerror(int rv);

/* ---- RFC 9113 §7 error codes ------------------------------------------------ */

typedef enum {
    H2_NO_ERROR = 0x0,
    H2_PROTOCOL_ERROR = 0x1,
    H2_INTERNAL_ERROR = 0x2,
    H2_FLOW_CONTROL_ERROR = 0x3,
    H2_SETTINGS_TIMEOUT = 0x4,
    H2_STREAM_CLOSED = 0x5,
    H2_FRAME_SIZE_ERROR = 0x6,
    H2_REFUSED_STREAM = 0x7,
    H2_CANCEL = 0x8,
    H2_COMPRESSION_ERROR = 0x9,
    H2_CONNECT_ERROR = 0xa,
    H2_ENHANCE_YOUR_CALM = 0xb,
    H2_INADEQUATE_SECURITY = 0xc,
    H2_HTTP_1_1_REQUIRED = 0xd
} h2_error_code;

/* The RFC 9113 §7 name of |code| ("PROTOCOL_ERROR", ...), or NULL for a code
   the RFC does not define (RFC 9113 §7: unknown codes carry no special
   meaning). */
const char *h2_error_code_name(uint32_t code);

typedef enum { H2_SCOPE_CONNECTION = 0, H2_SCOPE_STREAM = 1 } h2_scope;

/* A protocol error as RFC 9113 §5.4 sees it: the code to send, whether it
   ends the connection (GOAWAY) or one stream (RST_STREAM), the stream, and a
   static text naming the rule. */
typedef struct {
    uint32_t code;       /* h2_error_code */
    h2_scope scope;
    uint32_t stream_id;  /* the offending frame's stream */
    const char *detail;  /* static, e.g. "RFC 9113 §6.9: increment of 0" */
} h2_error;

/* ---- frames (RFC 9113 §4, §6) ---------------------------------------------- */

#define H2_FRAME_HEADER_LENGTH 9
#define H2_MAX_PAYLOAD_LENGTH ((1u << 24) - 1)      /* 24-bit length field */
#define H2_DEFAULT_MAX_FRAME_SIZE (1u << 14)       /* §6.5.2 initial value */
#define H2_MAX_STREAM_ID ((1u << 31) - 1)
#define H2_MAX_WINDOW_SIZE ((1u << 31) - 1)
#define H2_DEFAULT_WEIGHT 16                       /* §5.3.5 */

typedef enum {
    H2_DATA = 0x0,
    H2_HEADERS = 0x1,
    H2_PRIORITY = 0x2,
    H2_RST_STREAM = 0x3,
    H2_SETTINGS = 0x4,
    H2_PUSH_PROMISE = 0x5,
    H2_PING = 0x6,
    H2_GOAWAY = 0x7,
    H2_WINDOW_UPDATE = 0x8,
    H2_CONTINUATION = 0x9
} h2_frame_type;

/* The RFC 9113 name of frame |type| ("DATA", ...), or NULL if unknown. */
const char *h2_frame_type_name(uint8_t type);

enum {
    H2_FLAG_NONE = 0,
    H2_FLAG_END_STREAM = 0x1,   /* DATA, HEADERS */
    H2_FLAG_ACK = 0x1,          /* SETTINGS, PING */
    H2_FLAG_END_HEADERS = 0x4,  /* HEADERS, PUSH_PROMISE, CONTINUATION */
    H2_FLAG_PADDED = 0x8,       /* DATA, HEADERS, PUSH_PROMISE */
    H2_FLAG_PRIORITY = 0x20     /* HEADERS */
};

typedef enum {
    H2_SETTINGS_HEADER_TABLE_SIZE = 0x1,
    H2_SETTINGS_ENABLE_PUSH = 0x2,
    H2_SETTINGS_MAX_CONCURRENT_STREAMS = 0x3,
    H2_SETTINGS_INITIAL_WINDOW_SIZE = 0x4,
    H2_SETTINGS_MAX_FRAME_SIZE = 0x5,
    H2_SETTINGS_MAX_HEADER_LIST_SIZE = 0x6
} h2_settings_id;

/* §4.1 frame header. |stream_id| never has the reserved bit (masked on
   unpack, rejected on pack). */
typedef struct {
    uint32_t length;  /* payload length, 24 bits */
    uint8_t type;
    uint8_t flags;    /* raw: unused flags are kept but mean nothing (§4.1) */
    uint32_t stream_id;
} h2_frame_hd;

/* §5.3 / §6.3 priority fields (deprecated signalling, still parsed). */
typedef struct {
    uint32_t stream_dependency;  /* 31 bits */
    uint16_t weight;             /* 1..256: wire value + 1 */
    uint8_t exclusive;           /* 0 or 1 */
} h2_priority_spec;

/* Padding, for DATA, HEADERS, PUSH_PROMISE: meaningful only if hd.flags has
   H2_FLAG_PADDED; |pad_length| is the Pad Length field (0..255), the number
   of padding octets after the content. Padding octets are written as zero and
   not checked on receipt (§6.1 MAY). */

typedef struct {                  /* §6.1 */
    h2_frame_hd hd;
    uint8_t pad_length;
    const uint8_t *data;          /* borrowed */
    size_t datalen;
} h2_data;

typedef struct {                  /* §6.2 */
    h2_frame_hd hd;
    uint8_t pad_length;
    h2_priority_spec pri_spec;    /* meaningful only with H2_FLAG_PRIORITY */
    const uint8_t *block;         /* field block fragment, borrowed */
    size_t blocklen;
} h2_headers;

typedef struct {                  /* §6.3 */
    h2_frame_hd hd;
    h2_priority_spec pri_spec;
} h2_priority;

typedef struct {                  /* §6.4 */
    h2_frame_hd hd;
    uint32_t error_code;
} h2_rst_stream;

typedef struct {
    uint16_t id;
    uint32_t value;
} h2_settings_entry;

typedef struct {                  /* §6.5 */
    h2_frame_hd hd;
    size_t niv;
    h2_settings_entry *iv;        /* OWNED: malloc'd, freed by h2_settings_free */
} h2_settings;

typedef struct {                  /* §6.6 */
    h2_frame_hd hd;
    uint8_t pad_length;
    uint32_t promised_stream_id;
    const uint8_t *block;         /* borrowed */
    size_t blocklen;
} h2_push_promise;

typedef struct {                  /* §6.7 */
    h2_frame_hd hd;
    uint8_t opaque_data[8];
} h2_ping;

typedef struct {                  /* §6.8 */
    h2_frame_hd hd;
    uint32_t last_stream_id;
    uint32_t error_code;
    const uint8_t *debug_data;    /* borrowed */
    size_t debug_datalen;
} h2_goaway;

typedef struct {                  /* §6.9 */
    h2_frame_hd hd;
    uint32_t window_size_increment;
} h2_window_update;

typedef struct {                  /* §6.10 */
    h2_frame_hd hd;
    const uint8_t *block;         /* borrowed */
    size_t blocklen;
} h2_continuation;

typedef struct {                  /* §5.5: a frame type we do not know */
    h2_frame_hd hd;
    const uint8_t *payload;       /* borrowed */
    size_t payloadlen;
} h2_extension;

typedef union {
    h2_frame_hd hd;
    h2_data data;
    h2_headers headers;
    h2_priority priority;
    h2_rst_stream rst_stream;
    h2_settings settings;
    h2_push_promise push_promise;
    h2_ping ping;
    h2_goaway goaway;
    h2_window_update window_update;
    h2_continuation continuation;
    h2_extension ext;
} h2_frame;

/* Writes |hd| as the 9-octet §4.1 header into |out| (length truncated to 24
   bits, stream id to 31: callers validate first). */
void h2_frame_pack_frame_hd(uint8_t *out, const h2_frame_hd *hd);
/* Reads the 9-octet header at |in| into |hd|, masking the reserved bit. */
void h2_frame_unpack_frame_hd(h2_frame_hd *hd, const uint8_t *in);

/*
 * Initialisers. Each sets hd.type, hd.flags = |flags|, hd.stream_id and
 * hd.length (computed from the fields) and stores the fields; pointers are
 * borrowed. Use H2_FLAG_PADDED / H2_FLAG_PRIORITY in |flags| to enable
 * padding / priority. h2_settings_init copies |iv| into an owned array and
 * may return H2_ERR_NOMEM; the others cannot fail. Every struct may be passed
 * to its _free, which releases owned storage (only SETTINGS owns any) and
 * leaves the struct empty.
 */
void h2_data_init(h2_data *f, uint8_t flags, uint32_t stream_id, uint8_t pad_length,
                  const uint8_t *data, size_t datalen);
void h2_headers_init(h2_headers *f, uint8_t flags, uint32_t stream_id, uint8_t pad_length,
                     const h2_priority_spec *pri_spec, const uint8_t *block, size_t blocklen);
void h2_priority_init(h2_priority *f, uint32_t stream_id, const h2_priority_spec *pri_spec);
void h2_rst_stream_init(h2_rst_stream *f, uint32_t stream_id, uint32_t error_code);
int h2_settings_init(h2_settings *f, uint8_t flags, const h2_settings_entry *iv, size_t niv);
void h2_settings_free(h2_settings *f);
void h2_push_promise_init(h2_push_promise *f, uint8_t flags, uint32_t stream_id, uint8_t pad_length,
                          uint32_t promised_stream_id, const uint8_t *block, size_t blocklen);
void h2_ping_init(h2_ping *f, uint8_t flags, const uint8_t *opaque_data /* 8 octets or NULL */);
void h2_goaway_init(h2_goaway *f, uint32_t last_stream_id, uint32_t error_code,
                    const uint8_t *debug_data, size_t debug_datalen);
void h2_window_update_init(h2_window_update *f, uint32_t stream_id, uint32_t increment);
void h2_continuation_init(h2_continuation *f, uint8_t flags, uint32_t stream_id,
                          const uint8_t *block, size_t blocklen);
/* Releases what |f| owns according to f->hd.type (a SETTINGS array). */
void h2_frame_free(h2_frame *f);

/*
 * h2_pack_<type>(|out|, |outlen|, |written|, |f|): writes the whole frame
 * (header + payload) to |out|. The length written is computed from the fields
 * (|f|->hd.length is ignored) and the type from the function; hd.flags is
 * written as given. On success *|written| is the frame size.
 * A frame that the matching h2_unpack_*_payload would reject is refused, as is
 * a non-zero pad_length without H2_FLAG_PADDED or a non-default pri_spec
 * without H2_FLAG_PRIORITY, so
 * "pack succeeds" implies "unpack succeeds and gives the same fields" (for
 * SETTINGS values only the §6.5.2 checks apply).
 *
 * Returns:
 *   H2_ERR_INVALID_ARGUMENT  a field out of range (payload above 2^24-1,
 *                            stream id above 2^31-1 or 0/non-0 against the
 *                            type's §6 rule, weight outside 1..256, a stream
 *                            depending on itself, increment 0 or above 2^31-1,
 *                            SETTINGS ACK with entries, a §6.5.2 value out of
 *                            range, NULL pointer with non-zero length)
 *   H2_ERR_BUFFER_TOO_SMALL  |outlen| below the frame size
 */
int h2_pack_data(uint8_t *out, size_t outlen, size_t *written, const h2_data *f);
int h2_pack_headers(uint8_t *out, size_t outlen, size_t *written, const h2_headers *f);
int h2_pack_priority(uint8_t *out, size_t outlen, size_t *written, const h2_priority *f);
int h2_pack_rst_stream(uint8_t *out, size_t outlen, size_t *written, const h2_rst_stream *f);
int h2_pack_settings(uint8_t *out, size_t outlen, size_t *written, const h2_settings *f);
int h2_pack_push_promise(uint8_t *out, size_t outlen, size_t *written, const h2_push_promise *f);
int h2_pack_ping(uint8_t *out, size_t outlen, size_t *written, const h2_ping *f);
int h2_pack_goaway(uint8_t *out, size_t outlen, size_t *written, const h2_goaway *f);
int h2_pack_window_update(uint8_t *out, size_t outlen, size_t *written, const h2_window_update *f);
int h2_pack_continuation(uint8_t *out, size_t outlen, size_t *written, const h2_continuation *f);
/* Dispatches on |f|->hd.type; an unknown type packs f->ext. Same errors. */
int h2_pack_frame(uint8_t *out, size_t outlen, size_t *written, const h2_frame *f);

/*
 * h2_unpack_<type>_payload(|f|, |hd|, |payload|, |err|): decodes the payload
 * of a frame whose header |hd| was read already; |payload| holds hd->length
 * octets (may be NULL when 0). Copies *|hd| into f->hd. Pointers in |f| are
 * borrowed from |payload|, except SETTINGS entries, which are allocated
 * (release with h2_settings_free; on error nothing is left allocated).
 * The frame type in |hd| is not checked (the function decides the format).
 * Checks only what the frame itself shows; connection state (max frame size,
 * header-block sequencing) is the parser's. On a protocol error fills |err|
 * (if not NULL) with the RFC code, scope and stream and returns:
 *
 *   H2_ERR_PROTOCOL      PROTOCOL_ERROR (stream 0 / non-0 against §6, pad
 *                        length not less than the remaining payload §6.1,
 *                        self-dependency §5.3.1, increment 0 §6.9,
 *                        ENABLE_PUSH or MAX_FRAME_SIZE out of range §6.5.2,
 *                        promised stream 0 §6.6)
 *   H2_ERR_FRAME_SIZE    FRAME_SIZE_ERROR (fixed lengths, too short for the
 *                        mandatory fields §4.2)
 *   H2_ERR_FLOW_CONTROL  FLOW_CONTROL_ERROR (INITIAL_WINDOW_SIZE > 2^31-1)
 *   H2_ERR_NOMEM         SETTINGS only
 *   H2_ERR_INVALID_ARGUMENT  NULL |f|/|hd|, or NULL |payload| with length
 */
int h2_unpack_data_payload(h2_data *f, const h2_frame_hd *hd, const uint8_t *payload, h2_error *err);
int h2_unpack_headers_payload(h2_headers *f, const h2_frame_hd *hd, const uint8_t *payload, h2_error *err);
int h2_unpack_priority_payload(h2_priority *f, const h2_frame_hd *hd, const uint8_t *payload, h2_error *err);
int h2_unpack_rst_stream_payload(h2_rst_stream *f, const h2_frame_hd *hd, const uint8_t *payload, h2_error *err);
int h2_unpack_settings_payload(h2_settings *f, const h2_frame_hd *hd, const uint8_t *payload, h2_error *err);
int h2_unpack_push_promise_payload(h2_push_promise *f, const h2_frame_hd *hd, const uint8_t *payload, h2_error *err);
int h2_unpack_ping_payload(h2_ping *f, const h2_frame_hd *hd, const uint8_t *payload, h2_error *err);
int h2_unpack_goaway_payload(h2_goaway *f, const h2_frame_hd *hd, const uint8_t *payload, h2_error *err);
int h2_unpack_window_update_payload(h2_window_update *f, const h2_frame_hd *hd, const uint8_t *payload, h2_error *err);
int h2_unpack_continuation_payload(h2_continuation *f, const h2_frame_hd *hd, const uint8_t *payload, h2_error *err);
/* Dispatches on hd->type; unknown types fill f->ext and succeed (§5.5).
   Same errors. */
int h2_unpack_frame_payload(h2_frame *f, const h2_frame_hd *hd, const uint8_t *payload, h2_error *err);

/* ---- decoded header lists ----------------------------------------------- */

enum {
    H2_NV_FLAG_NONE = 0,
    H2_NV_FLAG_NO_INDEX = 0x1,     /* encode as literal without indexing (§6.2.2) */
    H2_NV_FLAG_NEVER_INDEX = 0x2,  /* encode/decoded as never indexed (§6.2.3) */
    H2_NV_FLAG_NO_HUFFMAN = 0x4,   /* encoder: never Huffman-code this field */
    H2_NV_FLAG_HUFFMAN = 0x8       /* encoder: always Huffman-code this field */
};

typedef struct {
    const uint8_t *name;
    size_t namelen;
    const uint8_t *value;
    size_t valuelen;
    uint8_t flags;  /* H2_NV_FLAG_* */
} h2_nv;

/* A decoded header list. Caller-owned struct; the strings live in storage it
   owns (one arena), valid until the next decode into it, _clear or _free. */
typedef struct {
    h2_nv *nva;
    size_t len;
    size_t cap;
    uint8_t *arena;      /* internal */
    size_t arena_len;    /* internal */
    size_t arena_cap;    /* internal */
} h2_header_list;

void h2_header_list_init(h2_header_list *l);
void h2_header_list_clear(h2_header_list *l);  /* len = 0, keeps storage */
void h2_header_list_free(h2_header_list *l);   /* releases storage, re-inits */

/* ---- incremental parser ----------------------------------------------------- */

typedef struct h2_parser h2_parser;

/* Called once per complete frame, in wire order (unknown types included, with
   hd.type unknown and f->ext filled; unless extension_payloads is set their
   payload is not buffered: ext.payload is NULL and payloadlen the length). |f| and its borrowed pointers are valid
   only during the call. |headers| is NULL except on the frame that completed a
   header block (HEADERS or PUSH_PROMISE with END_HEADERS, or the last
   CONTINUATION): then it is the decoded list, valid during the call.
   Return 0 to go on, non-zero to make h2_parser_feed return H2_ERR_CALLBACK. */
typedef int (*h2_on_frame_cb)(void *user_data, const h2_frame *f, const h2_header_list *headers);

/* Which end of the connection the parser's input arrives at. RFC 9113 sets
   rules that depend on it (see h2_parser_config.role); H2_ROLE_ANY applies
   none of them. */
typedef enum {
    H2_ROLE_ANY = 0,     /* no role rules (default) */
    H2_ROLE_CLIENT = 1,  /* we are the client: the input comes from a server */
    H2_ROLE_SERVER = 2   /* we are the server: the input comes from a client */
} h2_role;

typedef struct {
    uint32_t max_frame_size;        /* our SETTINGS_MAX_FRAME_SIZE, default 2^14 */
    size_t max_header_block;        /* bytes accumulated over HEADERS/PUSH_PROMISE +
                                       CONTINUATION (CVE-2024-28182), default 65536 */
    size_t max_continuations;       /* CONTINUATION frames per block, default 64 */
    uint32_t header_table_size;     /* our SETTINGS_HEADER_TABLE_SIZE, default 4096 */
    size_t max_header_list_size;    /* §6.5.2 sum of name+value+32, default 65536 */
    size_t max_string_length;       /* one decoded name or value, default 16384 */
    int expect_preface;             /* 1: a client connection preface first (§3.4) */
    int enable_push;                /* our SETTINGS_ENABLE_PUSH; 0 makes PUSH_PROMISE a
                                       connection PROTOCOL_ERROR (§6.6). default 1 */
    h2_role role;                   /* default H2_ROLE_ANY. Each rule below is a
                                       connection PROTOCOL_ERROR:
                                       SERVER: any PUSH_PROMISE (§8.4); HEADERS on
                                         an even stream (§5.1.1: clients open odd
                                         streams; the even ones are the server's).
                                       CLIENT: SETTINGS_ENABLE_PUSH 1 (§6.5.2);
                                         PUSH_PROMISE on an even stream (§6.6: sent
                                         on a client-initiated stream) or promising
                                         an odd stream, or one not above the last
                                         promised (§6.6, §5.1.1); HEADERS on an even
                                         stream above the last promised (§5.1, §8.4:
                                         a server opens streams only by promising
                                         them). Stream states (§5.1) are not
                                         tracked beyond that. */
    int extension_payloads;         /* 1: buffer frames of unknown type and pass
                                       their payload in ext.payload (bounded by
                                       max_frame_size). default 0 */
} h2_parser_config;

/* Fills |cfg| with the defaults above. */
void h2_parser_config_default(h2_parser_config *cfg);

/* Allocates a parser (owned by the caller, release with h2_parser_del).
   |cfg| NULL means defaults. Returns NULL on allocation failure or a config
   out of range (max_frame_size outside [2^14, 2^24-1]). */
h2_parser *h2_parser_new(const h2_parser_config *cfg, h2_on_frame_cb cb, void *user_data);
void h2_parser_del(h2_parser *p);

/*
 * Feeds |len| bytes at |in|. Bytes may be split anywhere: the frames emitted
 * and the errors reported do not depend on the split. Sets *|consumed| (may
 * be NULL) to the bytes used, never more than |len|; with a live parser and
 * |len| > 0 it is at least 1 whenever the result is not H2_OK.
 *
 * Returns:
 *   H2_OK                  all |len| bytes consumed (a frame may be partial)
 *   H2_ERR_PROTOCOL, H2_ERR_FRAME_SIZE, H2_ERR_FLOW_CONTROL, H2_ERR_COMPRESSION,
 *   H2_ERR_ENHANCE_YOUR_CALM, H2_ERR_BAD_PREFACE
 *                          a protocol error in the frame ending at *consumed;
 *                          h2_parser_last_error says code/scope/stream. After a
 *                          stream-scope error the parser goes on (feed the
 *                          rest); after a connection-scope one it is dead.
 *   H2_ERR_CALLBACK        the callback returned non-zero for the frame ending
 *                          at *consumed; feeding may go on.
 *   H2_ERR_NOMEM           allocation failed (parser dead)
 *   H2_ERR_PARSER_DEAD     an earlier connection error; nothing consumed
 *   H2_ERR_INVALID_ARGUMENT NULL |p|, or NULL |in| with |len| > 0
 */
int h2_parser_feed(h2_parser *p, const uint8_t *in, size_t len, size_t *consumed);

/* The last protocol error (code H2_NO_ERROR if none). */
const h2_error *h2_parser_last_error(const h2_parser *p);
/* 1 if the input so far ends on a frame boundary with no header block open. */
int h2_parser_at_boundary(const h2_parser *p);
/* Header-block bytes currently accumulated (never above max_header_block). */
size_t h2_parser_header_block_len(const h2_parser *p);

/* What an input that ends here leaves unfinished (for a caller whose input
   has ended: a capture cut short). */
typedef enum {
    H2_PENDING_NONE = 0,      /* on a frame boundary, no field block open (or
                                 the parser is dead) */
    H2_PENDING_PREFACE,       /* inside the client preface: |have| of |need| 24 */
    H2_PENDING_SETTINGS,      /* right after the 24 preface octets: the SETTINGS
                                 frame that completes the client connection
                                 preface (§3.4) has not begun */
    H2_PENDING_FRAME_HEADER,  /* inside a frame header: |have| of |need| 9 */
    H2_PENDING_PAYLOAD,       /* inside the payload of frame |hd|: |have| of
                                 |need| = hd.length octets */
    H2_PENDING_FIELD_BLOCK    /* between frames, but the field block that frame
                                 |hd| (HEADERS or PUSH_PROMISE) began still
                                 awaits CONTINUATION with END_HEADERS (§4.3):
                                 |have| octets of it gathered, |need| 0 */
} h2_pending_kind;

typedef struct {
    h2_pending_kind kind;
    size_t have;
    size_t need;
    h2_frame_hd hd;  /* the frame concerned (PAYLOAD, FIELD_BLOCK); else zero */
} h2_pending;

/* Fills *|out| with what is unfinished. For a live parser,
   h2_parser_at_boundary(p) is out->kind == H2_PENDING_NONE or
   H2_PENDING_SETTINGS (a frame boundary, but the preface is incomplete). */
void h2_parser_pending(const h2_parser *p, h2_pending *out);

/* RFC 9113 §3.4: the 24-octet client connection preface. */
#define H2_CLIENT_PREFACE "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
#define H2_CLIENT_PREFACE_LEN 24

#ifdef __cplusplus
}
#endif

#endif
