/*
 * h2_gen.c: generators and helpers shared by the h2 properties.
 */
#include "h2_gen.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- text ---- */

void h2_text_printf(h2_text *t, const char *fmt, ...)
{
    va_list ap;
    size_t room = sizeof t->buf - t->len;
    if (room <= 1)
        return;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, room, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    t->len += (size_t)n < room ? (size_t)n : room - 1;
}

void h2_text_hex(h2_text *t, const uint8_t *data, size_t len, size_t max)
{
    size_t n = len < max ? len : max;
    h2_text_printf(t, "h'");
    for (size_t i = 0; i < n; i++)
        h2_text_printf(t, "%02x", data[i]);
    h2_text_printf(t, "'");
    if (n < len)
        h2_text_printf(t, "...(%zu octets)", len);
}

static void format_flags(h2_text *t, uint8_t type, uint8_t flags)
{
    /* Only the flags the type defines get names (§4.1: others mean
       nothing, but are kept and printed as hex). */
    static const struct {
        uint8_t bit;
        const char *name;
        uint16_t types; /* bit mask of frame types that define it */
    } names[] = {
        {H2_FLAG_END_STREAM, "END_STREAM", (1u << H2_DATA) | (1u << H2_HEADERS)},
        {H2_FLAG_ACK, "ACK", (1u << H2_SETTINGS) | (1u << H2_PING)},
        {H2_FLAG_END_HEADERS, "END_HEADERS",
         (1u << H2_HEADERS) | (1u << H2_PUSH_PROMISE) | (1u << H2_CONTINUATION)},
        {H2_FLAG_PADDED, "PADDED",
         (1u << H2_DATA) | (1u << H2_HEADERS) | (1u << H2_PUSH_PROMISE)},
        {H2_FLAG_PRIORITY, "PRIORITY", 1u << H2_HEADERS},
    };
    uint8_t rest = flags;
    int first = 1;
    h2_text_printf(t, "flags ");
    if (type <= H2_CONTINUATION) {
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            if ((names[i].types & (1u << type)) && (flags & names[i].bit)) {
                h2_text_printf(t, "%s%s", first ? "" : "|", names[i].name);
                rest = (uint8_t)(rest & ~names[i].bit);
                first = 0;
            }
        }
    }
    if (rest || first)
        h2_text_printf(t, "%s0x%02x", first ? "" : "|", rest);
}

static void format_error_code(h2_text *t, uint32_t code)
{
    const char *name = h2_error_code_name(code);
    if (name)
        h2_text_printf(t, "%s", name);
    else
        h2_text_printf(t, "0x%x", code);
}

static void format_pri(h2_text *t, const h2_priority_spec *ps)
{
    h2_text_printf(t, "dep %u%s, weight %u", ps->stream_dependency,
                   ps->exclusive ? " exclusive" : "", ps->weight);
}

#define HEXMAX 48

void h2_frame_format(h2_text *t, const h2_frame *f)
{
    const h2_frame_hd *hd = &f->hd;
    const char *name = h2_frame_type_name(hd->type);
    if (name)
        h2_text_printf(t, "%s{", name);
    else
        h2_text_printf(t, "type 0x%02x{", hd->type);
    if (hd->type != H2_SETTINGS && hd->type != H2_PING && hd->type != H2_GOAWAY)
        h2_text_printf(t, "stream %u, ", hd->stream_id);
    else if (hd->stream_id)
        h2_text_printf(t, "stream %u (!), ", hd->stream_id);
    format_flags(t, hd->type, hd->flags);
    switch (hd->type) {
    case H2_DATA:
        if (hd->flags & H2_FLAG_PADDED)
            h2_text_printf(t, ", pad %u", f->data.pad_length);
        h2_text_printf(t, ", data ");
        h2_text_hex(t, f->data.data, f->data.datalen, HEXMAX);
        break;
    case H2_HEADERS:
        if (hd->flags & H2_FLAG_PADDED)
            h2_text_printf(t, ", pad %u", f->headers.pad_length);
        if (hd->flags & H2_FLAG_PRIORITY) {
            h2_text_printf(t, ", ");
            format_pri(t, &f->headers.pri_spec);
        }
        h2_text_printf(t, ", block ");
        h2_text_hex(t, f->headers.block, f->headers.blocklen, HEXMAX);
        break;
    case H2_PRIORITY:
        h2_text_printf(t, ", ");
        format_pri(t, &f->priority.pri_spec);
        break;
    case H2_RST_STREAM:
        h2_text_printf(t, ", error ");
        format_error_code(t, f->rst_stream.error_code);
        break;
    case H2_SETTINGS:
        h2_text_printf(t, ", [");
        for (size_t i = 0; i < f->settings.niv && i < 16; i++)
            h2_text_printf(t, "%s0x%x=%u", i ? ", " : "", f->settings.iv[i].id,
                           f->settings.iv[i].value);
        h2_text_printf(t, "%s]", f->settings.niv > 16 ? ", ..." : "");
        break;
    case H2_PUSH_PROMISE:
        if (hd->flags & H2_FLAG_PADDED)
            h2_text_printf(t, ", pad %u", f->push_promise.pad_length);
        h2_text_printf(t, ", promised %u, block ", f->push_promise.promised_stream_id);
        h2_text_hex(t, f->push_promise.block, f->push_promise.blocklen, HEXMAX);
        break;
    case H2_PING:
        h2_text_printf(t, ", data ");
        h2_text_hex(t, f->ping.opaque_data, 8, 8);
        break;
    case H2_GOAWAY:
        h2_text_printf(t, ", last %u, error ", f->goaway.last_stream_id);
        format_error_code(t, f->goaway.error_code);
        h2_text_printf(t, ", debug ");
        h2_text_hex(t, f->goaway.debug_data, f->goaway.debug_datalen, HEXMAX);
        break;
    case H2_WINDOW_UPDATE:
        h2_text_printf(t, ", increment %u", f->window_update.window_size_increment);
        break;
    case H2_CONTINUATION:
        h2_text_printf(t, ", block ");
        h2_text_hex(t, f->continuation.block, f->continuation.blocklen, HEXMAX);
        break;
    default:
        if (f->ext.payload) {
            h2_text_printf(t, ", payload ");
            h2_text_hex(t, f->ext.payload, f->ext.payloadlen, HEXMAX);
        } else {
            h2_text_printf(t, ", %zu octets", f->ext.payloadlen);
        }
        break;
    }
    h2_text_printf(t, "}");
}

static void format_str(h2_text *t, const uint8_t *s, size_t n)
{
    int printable = 1;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 || s[i] > 0x7e || s[i] == '"' || s[i] == '\\')
            printable = 0;
    if (printable)
        h2_text_printf(t, "\"%.*s\"", (int)n, (const char *)s);
    else
        h2_text_hex(t, s, n, 32);
}

void h2_nv_format(h2_text *t, const h2_nv *nva, size_t n)
{
    h2_text_printf(t, "[");
    for (size_t i = 0; i < n; i++) {
        h2_text_printf(t, "%s", i ? ", " : "");
        format_str(t, nva[i].name, nva[i].namelen);
        h2_text_printf(t, ": ");
        format_str(t, nva[i].value, nva[i].valuelen);
        if (nva[i].flags & H2_NV_FLAG_NEVER_INDEX)
            h2_text_printf(t, " (never)");
        else if (nva[i].flags & H2_NV_FLAG_NO_INDEX)
            h2_text_printf(t, " (no-index)");
        if (nva[i].flags & H2_NV_FLAG_HUFFMAN)
            h2_text_printf(t, " (huffman)");
        else if (nva[i].flags & H2_NV_FLAG_NO_HUFFMAN)
            h2_text_printf(t, " (raw)");
    }
    h2_text_printf(t, "]");
}

/* ---- named weighted choices ---- */

static void *draw_named(pry_t *p, const void *arg)
{
    const h2_named_weights *w = arg;
    size_t *k = pry_alloc(p, sizeof *k);
    *k = pry_weighted(p, NULL, w->n, w->weights);
    return k;
}

static void print_named(pry_out_t *out, const void *v, const void *arg)
{
    const h2_named_weights *w = arg;
    pry_out_printf(out, "%s", w->names[*(const size_t *)v]);
}

size_t h2_weighted_named(pry_t *p, const char *label, const h2_named_weights *w)
{
    pry_gen_t g = {"choice", draw_named, print_named, w};
    return *(const size_t *)pry_draw(p, label, &g);
}

/* ---- frame generators ---- */

static void print_frame(pry_out_t *out, const void *v, const void *arg)
{
    (void)arg;
    h2_text t = {.len = 0};
    t.buf[0] = 0;
    h2_frame_format(&t, v);
    pry_out_printf(out, "%s", t.buf);
}

/* Mostly the small ids real connections use (and that collide, so
   "depends on itself" and "same stream" come up), sometimes any. */
static uint32_t draw_stream_id(pry_t *p, const void *arg)
{
    static const unsigned w[] = {6, 1};
    if (arg)
        return *(const uint32_t *)arg;
    uint32_t g = pry_group_begin(p, "stream");
    uint32_t v = pry_weighted(p, NULL, 2, w) == 0
                     ? (uint32_t)pry_range_u(p, NULL, 1, 9)
                     : (uint32_t)pry_range_u(p, NULL, 1, H2_MAX_STREAM_ID);
    pry_group_end(p, g);
    return v;
}

/* The flags the type defines (each a coin), and rarely some it does not
   (§4.1: unused flags are kept, must round-trip and mean nothing). */
static uint8_t draw_flags(pry_t *p, uint8_t defined)
{
    static const unsigned w[] = {8, 1};
    uint32_t g = pry_group_begin(p, "flags");
    uint8_t f = (uint8_t)(pry_u8(p, NULL) & defined);
    if (pry_weighted(p, NULL, 2, w) == 1)
        f = (uint8_t)(f | (pry_u8(p, NULL) & ~defined));
    pry_group_end(p, g);
    return f;
}

static pry_bytes_t draw_payload(pry_t *p, const char *label)
{
    return pry_bytes(p, label, 24);
}

static uint32_t draw_error_code(pry_t *p)
{
    static const unsigned w[] = {4, 1};
    uint32_t g = pry_group_begin(p, "error");
    uint32_t v = pry_weighted(p, NULL, 2, w) == 0 ? (uint32_t)pry_range_u(p, NULL, 0, 0xd)
                                                   : pry_u32(p, NULL);
    pry_group_end(p, g);
    return v;
}

static h2_priority_spec draw_pri(pry_t *p, uint32_t stream_id)
{
    h2_priority_spec ps;
    uint32_t g = pry_group_begin(p, "priority");
    ps.stream_dependency = (uint32_t)pry_range_u(p, "dep", 0, 9);
    /* §5.3.1: never on itself (the parser property sends those) */
    if (ps.stream_dependency == stream_id)
        ps.stream_dependency = 0;
    ps.weight = (uint16_t)pry_range_u(p, "weight", 1, 256);
    ps.exclusive = pry_bool(p, "exclusive");
    pry_group_end(p, g);
    return ps;
}

/* A real HPACK block (literals without indexing, so it decodes in any
   decoder state), or arbitrary octets. */
static pry_bytes_t draw_block(pry_t *p, const char *label)
{
    static const unsigned w[] = {3, 2};
    uint32_t g = pry_group_begin(p, label);
    pry_bytes_t b;
    if (pry_weighted(p, NULL, 2, w) == 0) {
        b = draw_payload(p, NULL);
    } else {
        size_t n;
        h2_nv *nva = h2_draw_header_list(p, NULL, 3, &n);
        for (size_t i = 0; i < n; i++)
            if (!(nva[i].flags & H2_NV_FLAG_NEVER_INDEX))
                nva[i].flags |= H2_NV_FLAG_NO_INDEX;
        h2_hpack_encoder *e = h2_hpack_encoder_new(H2_HPACK_DEFAULT_TABLE_SIZE);
        b.data = pry_alloc(p, 1024);
        b.len = 0;
        if (e == NULL || h2_hpack_encode_block(e, b.data, 1024, &b.len, nva, n) != H2_OK)
            b.len = 0;
        h2_hpack_encoder_del(e);
    }
    pry_group_end(p, g);
    return b;
}

static void *draw_data(pry_t *p, const void *arg)
{
    h2_frame *f = pry_alloc(p, sizeof *f);
    uint32_t sid = draw_stream_id(p, arg);
    uint8_t flags = draw_flags(p, H2_FLAG_END_STREAM | H2_FLAG_PADDED);
    uint8_t pad = (flags & H2_FLAG_PADDED) ? pry_u8(p, "pad") : 0;
    pry_bytes_t d = draw_payload(p, "data");
    h2_data_init(&f->data, flags, sid, pad, d.data, d.len);
    return f;
}

static void *draw_headers(pry_t *p, const void *arg)
{
    h2_frame *f = pry_alloc(p, sizeof *f);
    uint32_t sid = draw_stream_id(p, arg);
    uint8_t flags = draw_flags(p, H2_FLAG_END_STREAM | H2_FLAG_END_HEADERS | H2_FLAG_PADDED |
                                      H2_FLAG_PRIORITY);
    uint8_t pad = (flags & H2_FLAG_PADDED) ? pry_u8(p, "pad") : 0;
    h2_priority_spec ps = {0, H2_DEFAULT_WEIGHT, 0};
    if (flags & H2_FLAG_PRIORITY)
        ps = draw_pri(p, sid);
    pry_bytes_t b = draw_block(p, "block");
    h2_headers_init(&f->headers, flags, sid, pad, &ps, b.data, b.len);
    return f;
}

static void *draw_priority(pry_t *p, const void *arg)
{
    h2_frame *f = pry_alloc(p, sizeof *f);
    uint32_t sid = draw_stream_id(p, arg);
    h2_priority_spec ps = draw_pri(p, sid);
    h2_priority_init(&f->priority, sid, &ps);
    f->hd.flags = draw_flags(p, 0);
    return f;
}

static void *draw_rst_stream(pry_t *p, const void *arg)
{
    h2_frame *f = pry_alloc(p, sizeof *f);
    uint32_t sid = draw_stream_id(p, arg);
    h2_rst_stream_init(&f->rst_stream, sid, draw_error_code(p));
    f->hd.flags = draw_flags(p, 0);
    return f;
}

/* A §6.5.2 setting with a value the RFC allows for it; unknown ids too. */
static h2_settings_entry draw_setting(pry_t *p)
{
    static const char *const ids[] = {"HEADER_TABLE_SIZE", "ENABLE_PUSH",
                                      "MAX_CONCURRENT_STREAMS", "INITIAL_WINDOW_SIZE",
                                      "MAX_FRAME_SIZE", "MAX_HEADER_LIST_SIZE", "unknown"};
    h2_settings_entry e;
    uint32_t g = pry_group_begin(p, NULL);
    size_t k = pry_choice_named(p, "id", 7, ids);
    e.id = k < 6 ? (uint16_t)(k + 1) : (uint16_t)pry_range_u(p, "raw id", 7, 0xffff);
    switch (e.id) {
    case H2_SETTINGS_ENABLE_PUSH: e.value = (uint32_t)pry_range_u(p, "value", 0, 1); break;
    case H2_SETTINGS_INITIAL_WINDOW_SIZE:
        e.value = (uint32_t)pry_range_u(p, "value", 0, H2_MAX_WINDOW_SIZE);
        break;
    case H2_SETTINGS_MAX_FRAME_SIZE:
        e.value = (uint32_t)pry_range_u(p, "value", H2_DEFAULT_MAX_FRAME_SIZE,
                                        H2_MAX_PAYLOAD_LENGTH);
        break;
    default: e.value = pry_u32(p, "value"); break;
    }
    pry_group_end(p, g);
    return e;
}

static void *draw_settings(pry_t *p, const void *arg)
{
    (void)arg;
    h2_frame *f = pry_alloc(p, sizeof *f);
    uint8_t flags = draw_flags(p, H2_FLAG_ACK);
    h2_settings_entry *iv = pry_alloc(p, 6 * sizeof *iv);
    size_t n = 0;
    if (!(flags & H2_FLAG_ACK)) { /* §6.5: an ACK is empty */
        pry_list_t l = pry_list(p, "entries", 6);
        while (pry_list_more(p, &l))
            iv[n++] = draw_setting(p);
    }
    /* Not h2_settings_init: that mallocs; the entries stay in the arena. */
    f->settings.hd.length = (uint32_t)(6 * n);
    f->settings.hd.type = H2_SETTINGS;
    f->settings.hd.flags = flags;
    f->settings.hd.stream_id = 0;
    f->settings.iv = iv;
    f->settings.niv = n;
    return f;
}

static void *draw_push_promise(pry_t *p, const void *arg)
{
    h2_frame *f = pry_alloc(p, sizeof *f);
    uint32_t sid = draw_stream_id(p, arg);
    uint8_t flags = draw_flags(p, H2_FLAG_END_HEADERS | H2_FLAG_PADDED);
    uint8_t pad = (flags & H2_FLAG_PADDED) ? pry_u8(p, "pad") : 0;
    uint32_t promised = (uint32_t)pry_range_u(p, "promised", 1, H2_MAX_STREAM_ID);
    pry_bytes_t b = draw_block(p, "block");
    h2_push_promise_init(&f->push_promise, flags, sid, pad, promised, b.data, b.len);
    return f;
}

static void *draw_ping(pry_t *p, const void *arg)
{
    (void)arg;
    h2_frame *f = pry_alloc(p, sizeof *f);
    uint8_t flags = draw_flags(p, H2_FLAG_ACK);
    uint8_t data[8];
    uint64_t v = pry_u64(p, "data");
    for (int i = 0; i < 8; i++)
        data[i] = (uint8_t)(v >> (56 - 8 * i));
    h2_ping_init(&f->ping, flags, data);
    return f;
}

static void *draw_goaway(pry_t *p, const void *arg)
{
    (void)arg;
    h2_frame *f = pry_alloc(p, sizeof *f);
    uint32_t last = (uint32_t)pry_range_u(p, "last", 0, H2_MAX_STREAM_ID);
    uint32_t code = draw_error_code(p);
    pry_bytes_t d = draw_payload(p, "debug");
    h2_goaway_init(&f->goaway, last, code, d.data, d.len);
    f->hd.flags = draw_flags(p, 0);
    return f;
}

static void *draw_window_update(pry_t *p, const void *arg)
{
    h2_frame *f = pry_alloc(p, sizeof *f);
    /* §6.9: stream 0 (the connection) or a stream */
    uint32_t sid = pry_bool(p, "on a stream") ? draw_stream_id(p, arg) : 0;
    uint32_t inc = (uint32_t)pry_range_u(p, "increment", 1, H2_MAX_WINDOW_SIZE);
    h2_window_update_init(&f->window_update, sid, inc);
    f->hd.flags = draw_flags(p, 0);
    return f;
}

static void *draw_continuation(pry_t *p, const void *arg)
{
    h2_frame *f = pry_alloc(p, sizeof *f);
    uint32_t sid = draw_stream_id(p, arg);
    uint8_t flags = draw_flags(p, H2_FLAG_END_HEADERS);
    pry_bytes_t b = draw_payload(p, "block");
    h2_continuation_init(&f->continuation, flags, sid, b.data, b.len);
    return f;
}

static void *draw_extension(pry_t *p, const void *arg)
{
    h2_frame *f = pry_alloc(p, sizeof *f);
    f->ext.hd.type = (uint8_t)pry_range_u(p, "type", 10, 255);
    f->ext.hd.flags = pry_u8(p, "flags");
    f->ext.hd.stream_id = arg ? *(const uint32_t *)arg
                              : (uint32_t)pry_range_u(p, "stream", 0, H2_MAX_STREAM_ID);
    pry_bytes_t d = draw_payload(p, "payload");
    f->ext.payload = d.data;
    f->ext.payloadlen = d.len;
    f->ext.hd.length = (uint32_t)d.len;
    return f;
}

const pry_gen_t H2_FRAME_GENS[11] = {
    {"DATA", draw_data, print_frame, NULL},
    {"HEADERS", draw_headers, print_frame, NULL},
    {"PRIORITY", draw_priority, print_frame, NULL},
    {"RST_STREAM", draw_rst_stream, print_frame, NULL},
    {"SETTINGS", draw_settings, print_frame, NULL},
    {"PUSH_PROMISE", draw_push_promise, print_frame, NULL},
    {"PING", draw_ping, print_frame, NULL},
    {"GOAWAY", draw_goaway, print_frame, NULL},
    {"WINDOW_UPDATE", draw_window_update, print_frame, NULL},
    {"CONTINUATION", draw_continuation, print_frame, NULL},
    {"extension", draw_extension, print_frame, NULL},
};

h2_frame *h2_draw_frame(pry_t *p, const char *label)
{
    static const pry_gen_t *const gens[] = {
        &H2_FRAME_GENS[0], &H2_FRAME_GENS[1], &H2_FRAME_GENS[2], &H2_FRAME_GENS[3],
        &H2_FRAME_GENS[4], &H2_FRAME_GENS[5], &H2_FRAME_GENS[6], &H2_FRAME_GENS[7],
        &H2_FRAME_GENS[8], &H2_FRAME_GENS[9], &H2_FRAME_GENS[10],
    };
    return pry_oneof(p, label, 11, gens);
}

pry_bytes_t h2_pack_or_fail(pry_t *p, const h2_frame *f)
{
    size_t cap = H2_FRAME_HEADER_LENGTH + 4096, n = 0;
    pry_bytes_t out = {pry_alloc(p, cap), 0};
    int rv = h2_pack_frame(out.data, cap, &n, f);
    pry_check(p, rv == H2_OK, "h2_pack_frame refused a valid frame: %s", h2_strerror(rv));
    out.len = n;
    return out;
}

/* ---- frame comparison ---- */

static int mem_same(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
    return al == bl && (al == 0 || memcmp(a, b, al) == 0);
}

static int pri_same(const h2_priority_spec *a, const h2_priority_spec *b)
{
    return a->stream_dependency == b->stream_dependency && a->weight == b->weight &&
           a->exclusive == b->exclusive;
}

const char *h2_frame_diff(pry_t *p, const h2_frame *a, const h2_frame *b)
{
    if (a->hd.type != b->hd.type)
        return pry_sprintf(p, "type %u vs %u", a->hd.type, b->hd.type);
    if (a->hd.length != b->hd.length)
        return pry_sprintf(p, "length %u vs %u", a->hd.length, b->hd.length);
    if (a->hd.flags != b->hd.flags)
        return pry_sprintf(p, "flags 0x%02x vs 0x%02x", a->hd.flags, b->hd.flags);
    if (a->hd.stream_id != b->hd.stream_id)
        return pry_sprintf(p, "stream %u vs %u", a->hd.stream_id, b->hd.stream_id);
    switch (a->hd.type) {
    case H2_DATA:
        if (a->data.pad_length != b->data.pad_length)
            return "pad length";
        if (!mem_same(a->data.data, a->data.datalen, b->data.data, b->data.datalen))
            return "data";
        break;
    case H2_HEADERS:
        if (a->headers.pad_length != b->headers.pad_length)
            return "pad length";
        if (!pri_same(&a->headers.pri_spec, &b->headers.pri_spec))
            return "priority";
        if (!mem_same(a->headers.block, a->headers.blocklen, b->headers.block,
                      b->headers.blocklen))
            return "block";
        break;
    case H2_PRIORITY:
        if (!pri_same(&a->priority.pri_spec, &b->priority.pri_spec))
            return "priority";
        break;
    case H2_RST_STREAM:
        if (a->rst_stream.error_code != b->rst_stream.error_code)
            return "error code";
        break;
    case H2_SETTINGS:
        if (a->settings.niv != b->settings.niv)
            return pry_sprintf(p, "%zu vs %zu entries", a->settings.niv, b->settings.niv);
        for (size_t i = 0; i < a->settings.niv; i++)
            if (a->settings.iv[i].id != b->settings.iv[i].id ||
                a->settings.iv[i].value != b->settings.iv[i].value)
                return pry_sprintf(p, "entry %zu", i);
        break;
    case H2_PUSH_PROMISE:
        if (a->push_promise.pad_length != b->push_promise.pad_length)
            return "pad length";
        if (a->push_promise.promised_stream_id != b->push_promise.promised_stream_id)
            return "promised stream";
        if (!mem_same(a->push_promise.block, a->push_promise.blocklen, b->push_promise.block,
                      b->push_promise.blocklen))
            return "block";
        break;
    case H2_PING:
        if (memcmp(a->ping.opaque_data, b->ping.opaque_data, 8) != 0)
            return "opaque data";
        break;
    case H2_GOAWAY:
        if (a->goaway.last_stream_id != b->goaway.last_stream_id)
            return "last stream";
        if (a->goaway.error_code != b->goaway.error_code)
            return "error code";
        if (!mem_same(a->goaway.debug_data, a->goaway.debug_datalen, b->goaway.debug_data,
                      b->goaway.debug_datalen))
            return "debug data";
        break;
    case H2_WINDOW_UPDATE:
        if (a->window_update.window_size_increment != b->window_update.window_size_increment)
            return "increment";
        break;
    case H2_CONTINUATION:
        if (!mem_same(a->continuation.block, a->continuation.blocklen, b->continuation.block,
                      b->continuation.blocklen))
            return "block";
        break;
    default:
        if (!mem_same(a->ext.payload, a->ext.payloadlen, b->ext.payload, b->ext.payloadlen))
            return "payload";
        break;
    }
    return NULL;
}

/* ---- streams ---- */

static void append(pry_t *p, pry_bytes_t *out, size_t *cap, const uint8_t *d, size_t n)
{
    if (out->len + n + 1 > *cap) {
        size_t ncap = (*cap ? *cap : 256);
        while (out->len + n + 1 > ncap)
            ncap *= 2;
        uint8_t *nd = pry_alloc(p, ncap);
        if (out->len)
            memcpy(nd, out->data, out->len);
        out->data = nd;
        *cap = ncap;
    }
    if (n)
        memcpy(out->data + out->len, d, n);
    out->len += n;
}

pry_bytes_t h2_draw_frame_stream(pry_t *p, const char *label, size_t max)
{
    static const unsigned cont_w[] = {6, 1};
    static const char *const nexts[] = {"CONTINUATION", "any frame"};
    static const h2_named_weights next = {2, cont_w, nexts};
    pry_bytes_t out = {NULL, 0};
    size_t cap = 0;
    int open = 0;
    uint32_t open_stream = 0;
    pry_list_t l = pry_list(p, label, max);
    append(p, &out, &cap, NULL, 0);
    while (pry_list_more(p, &l)) {
        h2_frame *f;
        if (open && h2_weighted_named(p, "next", &next) == 0) {
            /* §6.10: the block goes on on its stream */
            pry_gen_t g = H2_FRAME_GENS[H2_CONTINUATION];
            g.arg = &open_stream;
            f = pry_draw(p, "frame", &g);
        } else {
            f = h2_draw_frame(p, "frame");
        }
        pry_bytes_t b = h2_pack_or_fail(p, f);
        append(p, &out, &cap, b.data, b.len);
        if (f->hd.type == H2_HEADERS || f->hd.type == H2_PUSH_PROMISE) {
            open = !(f->hd.flags & H2_FLAG_END_HEADERS);
            open_stream = f->hd.stream_id;
        } else if (f->hd.type == H2_CONTINUATION && (f->hd.flags & H2_FLAG_END_HEADERS)) {
            open = 0;
        }
    }
    return out;
}

typedef struct {
    uint32_t length;
    uint8_t type, flags;
    uint32_t stream_id; /* raw, reserved bit included */
    pry_bytes_t payload;
} raw_frame;

static void *draw_raw(pry_t *p, const void *arg)
{
    static const unsigned type_w[] = {8, 1};
    static const unsigned sid_w[] = {6, 1};
    static const unsigned len_w[] = {8, 2, 1};
    (void)arg;
    raw_frame *r = pry_alloc(p, sizeof *r);
    r->type = pry_weighted(p, NULL, 2, type_w) == 0 ? (uint8_t)pry_range_u(p, "type", 0, 9)
                                                    : (uint8_t)pry_range_u(p, "type", 10, 255);
    r->flags = pry_u8(p, "flags");
    r->stream_id = pry_weighted(p, NULL, 2, sid_w) == 0 ? (uint32_t)pry_range_u(p, "stream", 0, 3)
                                                        : pry_u32(p, "stream");
    r->payload = draw_payload(p, "payload");
    switch (pry_weighted(p, NULL, 3, len_w)) {
    case 0: r->length = (uint32_t)r->payload.len; break;
    case 1: r->length = (uint32_t)pry_range_u(p, "length", 0, 32); break;
    default: r->length = (uint32_t)pry_range_u(p, "length", 0, H2_MAX_PAYLOAD_LENGTH); break;
    }
    return r;
}

static void print_raw(pry_out_t *out, const void *v, const void *arg)
{
    (void)arg;
    const raw_frame *r = v;
    h2_text t = {.len = 0};
    t.buf[0] = 0;
    const char *name = h2_frame_type_name(r->type);
    h2_text_printf(&t, "raw{length %u%s, ", r->length,
                   r->length == r->payload.len ? "" : " (lies)");
    if (name)
        h2_text_printf(&t, "%s, ", name);
    else
        h2_text_printf(&t, "type 0x%02x, ", r->type);
    h2_text_printf(&t, "flags 0x%02x, stream 0x%x, payload ", r->flags, r->stream_id);
    h2_text_hex(&t, r->payload.data, r->payload.len, HEXMAX);
    h2_text_printf(&t, "}");
    pry_out_printf(out, "%s", t.buf);
}

static const pry_gen_t RAW_FRAME = {"raw frame", draw_raw, print_raw, NULL};

pry_bytes_t h2_draw_raw_frames(pry_t *p, const char *label, size_t max)
{
    size_t n;
    void **frames = pry_array(p, label, &RAW_FRAME, max, &n);
    pry_bytes_t out = {NULL, 0};
    size_t cap = 0;
    append(p, &out, &cap, NULL, 0);
    for (size_t i = 0; i < n; i++) {
        const raw_frame *r = frames[i];
        uint8_t hd[9] = {(uint8_t)(r->length >> 16), (uint8_t)(r->length >> 8), (uint8_t)r->length,
                         r->type, r->flags, (uint8_t)(r->stream_id >> 24),
                         (uint8_t)(r->stream_id >> 16), (uint8_t)(r->stream_id >> 8),
                         (uint8_t)r->stream_id};
        append(p, &out, &cap, hd, sizeof hd);
        append(p, &out, &cap, r->payload.data, r->payload.len);
    }
    return out;
}

h2_chunks h2_draw_chunks(pry_t *p, const char *label, size_t max, size_t max_len)
{
    h2_chunks c = {pry_alloc(p, (max + 1) * sizeof *c.len), 0};
    pry_list_t l = pry_list(p, label, max);
    while (pry_list_more(p, &l))
        c.len[c.n++] = (size_t)pry_range_u(p, NULL, 0, max_len);
    return c;
}

/* ---- header lists ---- */

static const char *const common_names[] = {
    ":method", ":path", ":authority", ":scheme", ":status", "content-type", "cookie",
    "user-agent", "accept-encoding", "set-cookie", "date", "x-a",
};
static const char *const common_values[] = {
    "GET", "POST", "/", "/index.html", "http", "https", "200", "404", "gzip, deflate",
    "", "a", "text/html",
};
#define NCOMMON (sizeof common_names / sizeof common_names[0])

static pry_bytes_t draw_hstring(pry_t *p, const char *label, const char *const *common,
                                size_t ncommon, size_t tiny_max, size_t any_max)
{
    static const unsigned w[] = {4, 4, 1};
    static const unsigned long_w[] = {6, 1};
    uint32_t g = pry_group_begin(p, label);
    pry_bytes_t s;
    switch (pry_weighted(p, NULL, 3, w)) {
    case 0: {
        const char *c = common[pry_index(p, NULL, ncommon)];
        s.data = (uint8_t *)pry_strdup(p, c);
        s.len = strlen(c);
        break;
    }
    case 1: {
        /* a tiny alphabet: the same strings again and again */
        char *c = pry_string(p, NULL, tiny_max, "ab");
        s.data = (uint8_t *)c;
        s.len = strlen(c);
        break;
    }
    default:
        s = pry_bytes(p, NULL, pry_weighted(p, NULL, 2, long_w) == 0 ? any_max : 4 * any_max);
        break;
    }
    pry_group_end(p, g);
    return s;
}

static void *draw_field(pry_t *p, const void *arg)
{
    static const char *const index_modes[] = {"incremental", "no-index", "never-index"};
    static const char *const huff_modes[] = {"auto", "huffman", "raw"};
    static const uint8_t index_flags[] = {0, H2_NV_FLAG_NO_INDEX, H2_NV_FLAG_NEVER_INDEX};
    static const uint8_t huff_flags[] = {0, H2_NV_FLAG_HUFFMAN, H2_NV_FLAG_NO_HUFFMAN};
    (void)arg;
    h2_nv *nv = pry_alloc(p, sizeof *nv);
    pry_bytes_t n = draw_hstring(p, "name", common_names, NCOMMON, 3, 8);
    pry_bytes_t v = draw_hstring(p, "value", common_values, NCOMMON, 4, 16);
    nv->name = n.data;
    nv->namelen = n.len;
    nv->value = v.data;
    nv->valuelen = v.len;
    nv->flags = (uint8_t)(index_flags[pry_choice_named(p, "indexing", 3, index_modes)] |
                          huff_flags[pry_choice_named(p, "huffman", 3, huff_modes)]);
    return nv;
}

static void print_field(pry_out_t *out, const void *v, const void *arg)
{
    (void)arg;
    h2_text t = {.len = 0};
    t.buf[0] = 0;
    h2_nv_format(&t, v, 1);
    /* drop the list brackets */
    t.buf[t.len - 1] = 0;
    pry_out_printf(out, "%s", t.buf + 1);
}

static const pry_gen_t FIELD = {"field", draw_field, print_field, NULL};

h2_nv *h2_draw_header_list(pry_t *p, const char *label, size_t max, size_t *n)
{
    void **fields = pry_array(p, label, &FIELD, max, n);
    h2_nv *nva = pry_alloc(p, (*n + 1) * sizeof *nva);
    for (size_t i = 0; i < *n; i++)
        nva[i] = *(const h2_nv *)fields[i];
    return nva;
}

uint32_t h2_draw_table_size(pry_t *p, const char *label)
{
    static const unsigned w[] = {2, 3, 2, 2};
    uint32_t g = pry_group_begin(p, label);
    uint32_t v;
    switch (pry_weighted(p, NULL, 4, w)) {
    case 0: v = 0; break;
    case 1: v = (uint32_t)pry_range_u(p, NULL, 0, 256); break;
    case 2: v = H2_HPACK_DEFAULT_TABLE_SIZE; break;
    default: v = (uint32_t)pry_range_u(p, NULL, 0, 8192); break;
    }
    pry_group_end(p, g);
    return v;
}

int h2_nv_same(const h2_nv *a, const h2_nv *b)
{
    return mem_same(a->name, a->namelen, b->name, b->namelen) &&
           mem_same(a->value, a->valuelen, b->value, b->valuelen);
}

/* ---- HPACK blocks from the representation grammar ---- */

size_t h2_put_hpack_int(uint8_t *out, uint8_t first, unsigned prefix, uint32_t v)
{
    uint32_t max = (1u << prefix) - 1;
    size_t n = 0;
    if (v < max) {
        out[n++] = (uint8_t)(first | v);
        return n;
    }
    out[n++] = (uint8_t)(first | max);
    v -= max;
    while (v >= 128) {
        out[n++] = (uint8_t)(0x80 | (v & 0x7f));
        v >>= 7;
    }
    out[n++] = (uint8_t)v;
    return n;
}

/* An index: static, around the end of the dynamic table (62 + len is the
   first invalid one), 0 (never valid), or any. */
static uint32_t draw_index(pry_t *p, const char *label, size_t table_len)
{
    static const unsigned w[] = {3, 3, 1, 1};
    uint32_t g = pry_group_begin(p, label);
    uint32_t v;
    switch (pry_weighted(p, NULL, 4, w)) {
    case 0: v = (uint32_t)pry_range_u(p, NULL, 1, H2_HPACK_STATIC_TABLE_LEN); break;
    case 1:
        v = (uint32_t)(H2_HPACK_STATIC_TABLE_LEN + 1 + pry_range_u(p, NULL, 0, table_len + 1));
        break;
    case 2: v = 0; break;
    default: v = pry_u32(p, NULL); break;
    }
    pry_group_end(p, g);
    return v;
}

/* One representation (RFC 7541 §6) as octets, with a one-line
   description for the report. */
typedef struct {
    pry_bytes_t wire;
    size_t cap;
    h2_text desc;
} repr_t;

typedef struct {
    size_t table_len;
    uint32_t settings_max;
} repr_arg;

static void put_string(pry_t *p, repr_t *r, const char *what)
{
    static const unsigned len_w[] = {10, 1};
    static const unsigned huff_w[] = {4, 1};
    uint8_t buf[8];
    pry_bytes_t s = draw_hstring(p, what, common_values, NCOMMON, 4, 12);
    int huff = pry_bool(p, "huffman");
    int valid = 1;
    pry_bytes_t enc = s;
    if (huff && (valid = pry_weighted(p, "valid code", 2, huff_w) == 0) != 0) {
        size_t hl = h2_hpack_huffman_encoded_len(s.data, s.len);
        enc.data = pry_alloc(p, hl + 1);
        h2_hpack_huffman_encode(enc.data, hl + 1, &enc.len, s.data, s.len);
    }
    uint32_t len = (uint32_t)enc.len;
    if (pry_weighted(p, "length", 2, len_w) == 1)
        len = (uint32_t)pry_range_u(p, "lie", 0, 300);
    append(p, &r->wire, &r->cap, buf, h2_put_hpack_int(buf, huff ? 0x80 : 0, 7, len));
    append(p, &r->wire, &r->cap, enc.data, enc.len);
    h2_text_printf(&r->desc, " %s ", what);
    format_str(&r->desc, s.data, s.len);
    if (huff)
        h2_text_printf(&r->desc, valid ? " (huffman)" : " (huffman: the raw octets)");
    if (len != enc.len)
        h2_text_printf(&r->desc, " (length says %u)", len);
}

static void *draw_repr(pry_t *p, const void *arg)
{
    static const char *const kinds[] = {"indexed", "literal", "literal no-index",
                                        "literal never", "size update"};
    static const unsigned kind_w[] = {3, 3, 1, 1, 1};
    static const unsigned upd_w[] = {3, 1, 1};
    static const unsigned name_w[] = {2, 3};
    static const h2_named_weights kind_nw = {5, kind_w, kinds};
    const repr_arg *a = arg;
    repr_t *r = pry_alloc(p, sizeof *r);
    uint8_t buf[8];
    append(p, &r->wire, &r->cap, NULL, 0);
    r->desc.buf[0] = 0;
    size_t k = h2_weighted_named(p, "kind", &kind_nw);
    h2_text_printf(&r->desc, "%s", kinds[k]);
    if (k == 0) {
        uint32_t idx = draw_index(p, "index", a->table_len);
        append(p, &r->wire, &r->cap, buf, h2_put_hpack_int(buf, 0x80, 7, idx));
        h2_text_printf(&r->desc, " %u", idx);
        return r;
    }
    if (k == 4) {
        uint32_t v;
        switch (pry_weighted(p, NULL, 3, upd_w)) {
        case 0: v = (uint32_t)pry_range_u(p, "size", 0, a->settings_max); break;
        case 1: v = a->settings_max + (uint32_t)pry_range_u(p, "size above", 1, 64); break;
        default: v = pry_u32(p, "size"); break;
        }
        append(p, &r->wire, &r->cap, buf, h2_put_hpack_int(buf, 0x20, 5, v));
        h2_text_printf(&r->desc, " %u", v);
        return r;
    }
    uint8_t first = k == 1 ? 0x40 : k == 2 ? 0x00 : 0x10;
    unsigned prefix = k == 1 ? 6 : 4;
    uint32_t name = pry_weighted(p, "name", 2, name_w) == 0
                        ? draw_index(p, "name index", a->table_len)
                        : 0;
    append(p, &r->wire, &r->cap, buf, h2_put_hpack_int(buf, first, prefix, name));
    if (name == 0)
        put_string(p, r, "name");
    else
        h2_text_printf(&r->desc, " name %u", name);
    put_string(p, r, "value");
    return r;
}

static void print_repr(pry_out_t *out, const void *v, const void *arg)
{
    (void)arg;
    const repr_t *r = v;
    pry_out_printf(out, "%s", r->desc.buf);
}

pry_bytes_t h2_draw_hpack_block(pry_t *p, const char *label, size_t table_len,
                                uint32_t settings_max)
{
    repr_arg a = {table_len, settings_max};
    pry_gen_t g = {"representation", draw_repr, print_repr, &a};
    pry_bytes_t out = {NULL, 0};
    size_t cap = 0, n;
    append(p, &out, &cap, NULL, 0);
    void **reprs = pry_array(p, label, &g, 8, &n);
    for (size_t i = 0; i < n; i++) {
        const repr_t *r = reprs[i];
        append(p, &out, &cap, r->wire.data, r->wire.len);
    }
    return out;
}
