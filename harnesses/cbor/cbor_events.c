/*
 * cbor_events.c: the event sequence of a CBOR item, two ways.
 *
 * The events of an item are the headers of its encoding, in order, as the
 * streaming decoder reports them (one cbor_stream_decode call, one
 * callback, one event), defined on a tree by a pre-order walk:
 *
 *   integer                 UINT or NEGINT (width, value)
 *   definite string         BYTES or TEXT (length)
 *   indefinite string       BYTES_START or TEXT_START, then one BYTES or
 *                           TEXT per chunk, then BREAK        (§3.2.3)
 *   definite array of n     ARRAY (n), then the n elements
 *   indefinite array        ARRAY_START, the elements, BREAK  (§3.2.2)
 *   definite map of n       MAP (n), then key, value, key, value, ...
 *   indefinite map          MAP_START, keys and values, BREAK
 *   tag                     TAG (number), then the tagged item (§3.4)
 *   float                   HALF, FLOAT or DOUBLE (the bits of the value
 *                           as libcbor hands it over: a half as a float)
 *   false, true             BOOL (0, 1)
 *   null, undefined         NULL, UNDEF
 *   other simple values     SIMPLE (value): libcbor 0.8's streaming
 *                           decoder has no callback for them (README)
 *
 * stream_walk() produces the same sequence from bytes, with its own
 * stack, and decides by the rules of RFC 8949 (and the documented extra
 * checks of libcbor 0.8's loader) whether the first item is complete and
 * valid. That decision is the oracle stream_agrees compares cbor_load
 * with; the rules, each with its reason:
 *
 *   R1 a header the decoder reports as an error (CBOR_DECODER_ERROR) or
 *      that runs past the input (CBOR_DECODER_NEDATA) ends the walk: not
 *      well-formed or truncated (§3, §5.3);
 *   R2 the input ends before the item closes: truncated (§5.3);
 *   R3 inside an indefinite-length string only definite strings of the
 *      same major type and a break may appear (§3.2.3);
 *   R4 a break closes only an open indefinite-length array, map or string,
 *      and a map only after an even number of items (§3.2.1, §3.2.2);
 *   R5 a text string (or chunk) must be valid UTF-8 (§3.1; §5.3.1 lets a
 *      decoder reject invalid text, and libcbor 0.8's cbor_load does:
 *      the builder counts code points with _cbor_unicode_codepoint_count
 *      and fails the load on invalid UTF-8, until 0.11.0, #286);
 *   R6 libcbor's loader keeps at most CBOR_MAX_STACK_SIZE (2048) open
 *      containers; one more fails the load (changelog 0.7.0, #138). Open
 *      containers are non-empty definite arrays and maps, indefinite
 *      arrays, maps and strings, and tags, as in the builder.
 *
 * Memory errors are not modelled: a definite container that passes R2
 * has at most as many elements as there are input bytes, so on inputs of
 * a few KiB the loader never runs out of memory on a valid item.
 */
#include "cbor_harness.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void push_event(events_t *out, event_kind k, unsigned width,
                       uint64_t value)
{
    if (out->n >= out->cap) {
        out->overflow = true;
        return;
    }
    out->ev[out->n++] = (event_t){k, width, value};
}

static unsigned int_width(const cbor_item_t *it)
{
    return 1u << cbor_int_get_width(it);
}

static uint64_t float_bits(float f)
{
    uint32_t b;
    memcpy(&b, &f, 4);
    return b;
}

void tree_events(const cbor_item_t *it, events_t *out)
{
    switch (cbor_typeof(it)) {
    case CBOR_TYPE_UINT:
    case CBOR_TYPE_NEGINT:
        push_event(out, cbor_typeof(it) == CBOR_TYPE_UINT ? EV_UINT : EV_NEGINT,
                   int_width(it), cbor_get_int(it));
        break;
    case CBOR_TYPE_BYTESTRING:
        if (cbor_bytestring_is_definite(it)) {
            push_event(out, EV_BYTES, 0, cbor_bytestring_length(it));
        } else {
            push_event(out, EV_BYTES_START, 0, 0);
            for (size_t i = 0; i < cbor_bytestring_chunk_count(it); i++)
                tree_events(cbor_bytestring_chunks_handle(it)[i], out);
            push_event(out, EV_BREAK, 0, 0);
        }
        break;
    case CBOR_TYPE_STRING:
        if (cbor_string_is_definite(it)) {
            push_event(out, EV_TEXT, 0, cbor_string_length(it));
        } else {
            push_event(out, EV_TEXT_START, 0, 0);
            for (size_t i = 0; i < cbor_string_chunk_count(it); i++)
                tree_events(cbor_string_chunks_handle(it)[i], out);
            push_event(out, EV_BREAK, 0, 0);
        }
        break;
    case CBOR_TYPE_ARRAY: {
        bool def = cbor_array_is_definite(it);
        push_event(out, def ? EV_ARRAY : EV_ARRAY_START, 0,
                   def ? cbor_array_size(it) : 0);
        for (size_t i = 0; i < cbor_array_size(it); i++)
            tree_events(cbor_array_handle(it)[i], out);
        if (!def)
            push_event(out, EV_BREAK, 0, 0);
        break;
    }
    case CBOR_TYPE_MAP: {
        bool def = cbor_map_is_definite(it);
        push_event(out, def ? EV_MAP : EV_MAP_START, 0, def ? cbor_map_size(it) : 0);
        for (size_t i = 0; i < cbor_map_size(it); i++) {
            tree_events(cbor_map_handle(it)[i].key, out);
            tree_events(cbor_map_handle(it)[i].value, out);
        }
        if (!def)
            push_event(out, EV_BREAK, 0, 0);
        break;
    }
    case CBOR_TYPE_TAG: {
        push_event(out, EV_TAG, 0, cbor_tag_value(it));
        cbor_item_t *t = cbor_tag_item(it); /* a new reference */
        tree_events(t, out);
        cbor_decref(&t);
        break;
    }
    case CBOR_TYPE_FLOAT_CTRL:
        switch (cbor_float_get_width(it)) {
        case CBOR_FLOAT_0: {
            uint8_t v = cbor_ctrl_value(it);
            if (v == CBOR_CTRL_FALSE || v == CBOR_CTRL_TRUE)
                push_event(out, EV_BOOL, 0, v == CBOR_CTRL_TRUE);
            else if (v == CBOR_CTRL_NULL)
                push_event(out, EV_NULL, 0, 0);
            else if (v == CBOR_CTRL_UNDEF)
                push_event(out, EV_UNDEF, 0, 0);
            else
                push_event(out, EV_SIMPLE, 0, v);
            break;
        }
        case CBOR_FLOAT_16:
            push_event(out, EV_HALF, 0, float_bits(cbor_float_get_float2(it)));
            break;
        case CBOR_FLOAT_32:
            push_event(out, EV_FLOAT, 0, float_bits(cbor_float_get_float4(it)));
            break;
        case CBOR_FLOAT_64: {
            double d = cbor_float_get_float8(it);
            uint64_t b;
            memcpy(&b, &d, 8);
            push_event(out, EV_DOUBLE, 0, b);
            break;
        }
        }
        break;
    }
}

/* ---- the streaming side ---- */

/* One callback per decode call: the callbacks only record the event; the
 * walk interprets it. */
typedef struct {
    event_t last;
    int calls;
    const uint8_t *chunk; /* string callbacks: the bytes */
} cb_ctx_t;

static void rec(void *c, event_kind k, unsigned width, uint64_t v)
{
    cb_ctx_t *ctx = c;
    ctx->last = (event_t){k, width, v};
    ctx->calls++;
}

static void on_u8(void *c, uint8_t v) { rec(c, EV_UINT, 1, v); }
static void on_u16(void *c, uint16_t v) { rec(c, EV_UINT, 2, v); }
static void on_u32(void *c, uint32_t v) { rec(c, EV_UINT, 4, v); }
static void on_u64(void *c, uint64_t v) { rec(c, EV_UINT, 8, v); }
static void on_n8(void *c, uint8_t v) { rec(c, EV_NEGINT, 1, v); }
static void on_n16(void *c, uint16_t v) { rec(c, EV_NEGINT, 2, v); }
static void on_n32(void *c, uint32_t v) { rec(c, EV_NEGINT, 4, v); }
static void on_n64(void *c, uint64_t v) { rec(c, EV_NEGINT, 8, v); }
static void on_bytes(void *c, cbor_data d, size_t n)
{
    rec(c, EV_BYTES, 0, n);
    ((cb_ctx_t *)c)->chunk = d;
}
static void on_bytes_start(void *c) { rec(c, EV_BYTES_START, 0, 0); }
static void on_text(void *c, cbor_data d, size_t n)
{
    rec(c, EV_TEXT, 0, n);
    ((cb_ctx_t *)c)->chunk = d;
}
static void on_text_start(void *c) { rec(c, EV_TEXT_START, 0, 0); }
static void on_array(void *c, size_t n) { rec(c, EV_ARRAY, 0, n); }
static void on_array_start(void *c) { rec(c, EV_ARRAY_START, 0, 0); }
static void on_map(void *c, size_t n) { rec(c, EV_MAP, 0, n); }
static void on_map_start(void *c) { rec(c, EV_MAP_START, 0, 0); }
static void on_tag(void *c, uint64_t v) { rec(c, EV_TAG, 0, v); }
static void on_half(void *c, float f) { rec(c, EV_HALF, 0, float_bits(f)); }
static void on_float(void *c, float f) { rec(c, EV_FLOAT, 0, float_bits(f)); }
static void on_double(void *c, double d)
{
    uint64_t b;
    memcpy(&b, &d, 8);
    rec(c, EV_DOUBLE, 0, b);
}
static void on_bool(void *c, bool v) { rec(c, EV_BOOL, 0, v); }
static void on_null(void *c) { rec(c, EV_NULL, 0, 0); }
static void on_undef(void *c) { rec(c, EV_UNDEF, 0, 0); }
static void on_break(void *c) { rec(c, EV_BREAK, 0, 0); }

/* Named by field: libcbor 0.8's header comments on these fields are
 * swapped in places ("Definite byte string" on byte_string_start). */
static const struct cbor_callbacks WALK_CALLBACKS = {
    .uint8 = on_u8, .uint16 = on_u16, .uint32 = on_u32, .uint64 = on_u64,
    .negint8 = on_n8, .negint16 = on_n16, .negint32 = on_n32,
    .negint64 = on_n64,
    .byte_string = on_bytes, .byte_string_start = on_bytes_start,
    .string = on_text, .string_start = on_text_start,
    .array_start = on_array, .indef_array_start = on_array_start,
    .map_start = on_map, .indef_map_start = on_map_start,
    .tag = on_tag,
    .float2 = on_half, .float4 = on_float, .float8 = on_double,
    .boolean = on_bool, .null = on_null, .undefined = on_undef,
    .indef_break = on_break,
};

/* Strict UTF-8 (RFC 3629 §4): no overlongs, no surrogates, nothing above
 * U+10FFFF. */
static bool valid_utf8(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        size_t k;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            k = 1, cp = c & 0x1f, min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            k = 2, cp = c & 0x0f, min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            k = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (n - i - 1 < k)
            return false;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + j] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += k + 1;
    }
    return true;
}

enum { MAX_OPEN = CBOR_MAX_STACK_SIZE };

typedef enum { O_ARRAY, O_ARRAY_INDEF, O_MAP, O_MAP_INDEF, O_TAG,
               O_BYTES_INDEF, O_TEXT_INDEF } open_kind;

typedef struct {
    open_kind kind;
    uint64_t left;  /* definite: items still to come */
    uint64_t count; /* indefinite maps: items so far */
} open_t;

bool stream_walk(const uint8_t *data, size_t len, events_t *out, size_t *used,
                 const char **why)
{
    static open_t stack[MAX_OPEN];
    size_t depth = 0, pos = 0;
    *used = 0;
    for (;;) {
        if (pos >= len) {
            *why = "R2: the input ends inside the item";
            return false;
        }
        cb_ctx_t ctx = {.calls = 0};
        struct cbor_decoder_result r =
            cbor_stream_decode(data + pos, len - pos, &WALK_CALLBACKS, &ctx);
        if (r.status == CBOR_DECODER_NEDATA) {
            *why = "R1: a header or string runs past the input (NEDATA)";
            return false;
        }
        if (r.status == CBOR_DECODER_ERROR) {
            *why = "R1: the decoder rejects a header (DECODER_ERROR)";
            return false;
        }
        if (ctx.calls != 1 || r.read == 0) {
            *why = "stream decoder: FINISHED without exactly one callback";
            return false;
        }
        pos += r.read;
        event_t e = ctx.last;
        push_event(out, e.kind, e.width, e.value);

        bool completes = false; /* does e complete an item? */
        open_t *top = depth > 0 ? &stack[depth - 1] : NULL;
        if (top != NULL && (top->kind == O_BYTES_INDEF || top->kind == O_TEXT_INDEF)) {
            event_kind want = top->kind == O_BYTES_INDEF ? EV_BYTES : EV_TEXT;
            if (e.kind == EV_BREAK) {
                depth--;
                completes = true;
            } else if (e.kind != want) {
                *why = "R3: not a chunk of the same type inside an indefinite string";
                return false;
            } else if (want == EV_TEXT && !valid_utf8(ctx.chunk, (size_t)e.value)) {
                *why = "R5: a text chunk is not valid UTF-8";
                return false;
            }
            /* a chunk is part of the string, not an item of its own */
        } else {
            open_kind push = O_TAG;
            uint64_t left = 0;
            bool opens = false;
            switch (e.kind) {
            case EV_BREAK:
                if (top == NULL ||
                    (top->kind != O_ARRAY_INDEF && top->kind != O_MAP_INDEF)) {
                    *why = "R4: a break with no open indefinite array or map";
                    return false;
                }
                if (top->kind == O_MAP_INDEF && top->count % 2 != 0) {
                    *why = "R4: a break after a map key";
                    return false;
                }
                depth--;
                completes = true;
                break;
            case EV_TEXT:
                if (!valid_utf8(ctx.chunk, (size_t)e.value)) {
                    *why = "R5: a text string is not valid UTF-8";
                    return false;
                }
                completes = true;
                break;
            case EV_ARRAY:
            case EV_MAP:
                if (e.value == 0) {
                    completes = true;
                } else {
                    opens = true;
                    push = e.kind == EV_ARRAY ? O_ARRAY : O_MAP;
                    left = e.kind == EV_ARRAY ? e.value : 2 * e.value;
                }
                break;
            case EV_ARRAY_START: opens = true, push = O_ARRAY_INDEF; break;
            case EV_MAP_START: opens = true, push = O_MAP_INDEF; break;
            case EV_BYTES_START: opens = true, push = O_BYTES_INDEF; break;
            case EV_TEXT_START: opens = true, push = O_TEXT_INDEF; break;
            case EV_TAG: opens = true, push = O_TAG, left = 1; break;
            default:
                completes = true;
                break;
            }
            if (opens) {
                if (depth >= MAX_OPEN) {
                    *why = "R6: more than CBOR_MAX_STACK_SIZE open containers";
                    return false;
                }
                stack[depth++] = (open_t){push, left, 0};
            }
        }
        /* An item completed: count it in its parent, closing parents that
         * are now full; at the top level, the walk is done. */
        while (completes) {
            if (depth == 0) {
                *used = pos;
                return true;
            }
            open_t *t = &stack[depth - 1];
            completes = false;
            switch (t->kind) {
            case O_ARRAY:
            case O_MAP:
            case O_TAG:
                if (--t->left == 0) {
                    depth--;
                    completes = true;
                }
                break;
            case O_ARRAY_INDEF:
            case O_MAP_INDEF:
                t->count++;
                break;
            case O_BYTES_INDEF:
            case O_TEXT_INDEF:
                *why = "R3: an item that is not a chunk inside an indefinite string";
                return false;
            }
        }
    }
}

const char *event_name(event_kind k)
{
    static const char *const names[] = {
        "UINT", "NEGINT", "BYTES", "BYTES_START", "TEXT", "TEXT_START",
        "ARRAY", "ARRAY_START", "MAP", "MAP_START", "TAG", "HALF", "FLOAT",
        "DOUBLE", "BOOL", "NULL", "UNDEF", "SIMPLE", "BREAK"};
    return (size_t)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

char *event_text(pry_t *p, const event_t *e)
{
    if (e->width != 0)
        return pry_sprintf(p, "%s(%u bytes, %" PRIu64 ")", event_name(e->kind),
                           e->width, e->value);
    return pry_sprintf(p, "%s(%" PRIu64 ")", event_name(e->kind), e->value);
}
