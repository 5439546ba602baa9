/* frame.c: RFC 9113 §4 frame header and §6 frame pack/unpack pairs. */
#include <stdlib.h>
#include <string.h>

#include "h2_internal.h"

#define CONN H2_SCOPE_CONNECTION
#define STRM H2_SCOPE_STREAM

/* ---- §4.1 frame header ---- */

void h2_frame_pack_frame_hd(uint8_t *out, const h2_frame_hd *hd)
{
    out[0] = (uint8_t)(hd->length >> 16);
    out[1] = (uint8_t)(hd->length >> 8);
    out[2] = (uint8_t)hd->length;
    out[3] = hd->type;
    out[4] = hd->flags;
    h2_put_u32(out + 5, hd->stream_id & H2_MAX_STREAM_ID);
}

void h2_frame_unpack_frame_hd(h2_frame_hd *hd, const uint8_t *in)
{
    hd->length = ((uint32_t)in[0] << 16) | ((uint32_t)in[1] << 8) | in[2];
    hd->type = in[3];
    hd->flags = in[4];
    /* §4.1: the reserved bit MUST remain unset when sending and MUST be
       ignored when receiving. */
    hd->stream_id = h2_get_u32(in + 5) & H2_MAX_STREAM_ID;
}

/* ---- initialisers ---- */

static void hd_init(h2_frame_hd *hd, size_t length, uint8_t type, uint8_t flags, uint32_t stream_id)
{
    hd->length = (uint32_t)(length > H2_MAX_PAYLOAD_LENGTH ? H2_MAX_PAYLOAD_LENGTH + 1u : length);
    hd->type = type;
    hd->flags = flags;
    hd->stream_id = stream_id;
}

static size_t pad_overhead(uint8_t flags, uint8_t pad_length)
{
    return (flags & H2_FLAG_PADDED) ? 1u + pad_length : 0u;
}

void h2_data_init(h2_data *f, uint8_t flags, uint32_t stream_id, uint8_t pad_length,
                  const uint8_t *data, size_t datalen)
{
    memset(f, 0, sizeof *f);
    f->pad_length = (flags & H2_FLAG_PADDED) ? pad_length : 0;
    f->data = data;
    f->datalen = datalen;
    hd_init(&f->hd, datalen + pad_overhead(flags, f->pad_length), H2_DATA, flags, stream_id);
}

static const h2_priority_spec default_pri = {0, H2_DEFAULT_WEIGHT, 0};

void h2_headers_init(h2_headers *f, uint8_t flags, uint32_t stream_id, uint8_t pad_length,
                     const h2_priority_spec *pri_spec, const uint8_t *block, size_t blocklen)
{
    memset(f, 0, sizeof *f);
    f->pad_length = (flags & H2_FLAG_PADDED) ? pad_length : 0;
    f->pri_spec = pri_spec ? *pri_spec : default_pri;
    f->block = block;
    f->blocklen = blocklen;
    hd_init(&f->hd, blocklen + pad_overhead(flags, f->pad_length) + ((flags & H2_FLAG_PRIORITY) ? 5u : 0u),
            H2_HEADERS, flags, stream_id);
}

void h2_priority_init(h2_priority *f, uint32_t stream_id, const h2_priority_spec *pri_spec)
{
    memset(f, 0, sizeof *f);
    f->pri_spec = pri_spec ? *pri_spec : default_pri;
    hd_init(&f->hd, 5, H2_PRIORITY, 0, stream_id);
}

void h2_rst_stream_init(h2_rst_stream *f, uint32_t stream_id, uint32_t error_code)
{
    memset(f, 0, sizeof *f);
    f->error_code = error_code;
    hd_init(&f->hd, 4, H2_RST_STREAM, 0, stream_id);
}

int h2_settings_init(h2_settings *f, uint8_t flags, const h2_settings_entry *iv, size_t niv)
{
    memset(f, 0, sizeof *f);
    hd_init(&f->hd, 0, H2_SETTINGS, flags, 0);
    if (niv == 0)
        return H2_OK;
    if (iv == NULL)
        return H2_ERR_INVALID_ARGUMENT;
    f->iv = malloc(niv * sizeof *iv);
    if (f->iv == NULL)
        return H2_ERR_NOMEM;
    memcpy(f->iv, iv, niv * sizeof *iv);
    f->niv = niv;
    hd_init(&f->hd, niv * 6, H2_SETTINGS, flags, 0);
    return H2_OK;
}

void h2_settings_free(h2_settings *f)
{
    if (f == NULL)
        return;
    free(f->iv);
    f->iv = NULL;
    f->niv = 0;
}

void h2_push_promise_init(h2_push_promise *f, uint8_t flags, uint32_t stream_id, uint8_t pad_length,
                          uint32_t promised_stream_id, const uint8_t *block, size_t blocklen)
{
    memset(f, 0, sizeof *f);
    f->pad_length = (flags & H2_FLAG_PADDED) ? pad_length : 0;
    f->promised_stream_id = promised_stream_id;
    f->block = block;
    f->blocklen = blocklen;
    hd_init(&f->hd, 4 + blocklen + pad_overhead(flags, f->pad_length), H2_PUSH_PROMISE, flags,
            stream_id);
}

void h2_ping_init(h2_ping *f, uint8_t flags, const uint8_t *opaque_data)
{
    memset(f, 0, sizeof *f);
    if (opaque_data)
        memcpy(f->opaque_data, opaque_data, 8);
    hd_init(&f->hd, 8, H2_PING, flags, 0);
}

void h2_goaway_init(h2_goaway *f, uint32_t last_stream_id, uint32_t error_code,
                    const uint8_t *debug_data, size_t debug_datalen)
{
    memset(f, 0, sizeof *f);
    f->last_stream_id = last_stream_id;
    f->error_code = error_code;
    f->debug_data = debug_data;
    f->debug_datalen = debug_datalen;
    hd_init(&f->hd, 8 + debug_datalen, H2_GOAWAY, 0, 0);
}

void h2_window_update_init(h2_window_update *f, uint32_t stream_id, uint32_t increment)
{
    memset(f, 0, sizeof *f);
    f->window_size_increment = increment;
    hd_init(&f->hd, 4, H2_WINDOW_UPDATE, 0, stream_id);
}

void h2_continuation_init(h2_continuation *f, uint8_t flags, uint32_t stream_id,
                          const uint8_t *block, size_t blocklen)
{
    memset(f, 0, sizeof *f);
    f->block = block;
    f->blocklen = blocklen;
    hd_init(&f->hd, blocklen, H2_CONTINUATION, flags, stream_id);
}

void h2_frame_free(h2_frame *f)
{
    if (f && f->hd.type == H2_SETTINGS)
        h2_settings_free(&f->settings);
}

/* ---- pack ---- */

/* Checks the common limits and room, writes the header; returns the payload
   start via |*p|. */
static int pack_begin(uint8_t *out, size_t outlen, size_t *written, size_t length, uint8_t type,
                      uint8_t flags, uint32_t stream_id, uint8_t **p)
{
    h2_frame_hd hd;
    if (out == NULL && outlen > 0)
        return H2_ERR_INVALID_ARGUMENT;
    if (length > H2_MAX_PAYLOAD_LENGTH || stream_id > H2_MAX_STREAM_ID)
        return H2_ERR_INVALID_ARGUMENT;
    if (outlen < H2_FRAME_HEADER_LENGTH + length)
        return H2_ERR_BUFFER_TOO_SMALL;
    hd.length = (uint32_t)length;
    hd.type = type;
    hd.flags = flags;
    hd.stream_id = stream_id;
    h2_frame_pack_frame_hd(out, &hd);
    *p = out + H2_FRAME_HEADER_LENGTH;
    if (written)
        *written = H2_FRAME_HEADER_LENGTH + length;
    return H2_OK;
}

/* Fields that the flags say are absent must hold their defaults, so that
   unpacking gives back exactly what was packed. */
static int absent_fields_ok(uint8_t flags, uint8_t pad_length)
{
    return (flags & H2_FLAG_PADDED) || pad_length == 0;
}

static int pri_spec_is_default(const h2_priority_spec *ps)
{
    return ps->stream_dependency == 0 && ps->weight == H2_DEFAULT_WEIGHT && ps->exclusive == 0;
}

static int pri_spec_ok(const h2_priority_spec *ps, uint32_t stream_id)
{
    /* §5.3.1: a stream cannot depend on itself; §6.3 weight 1..256. */
    return ps->weight >= 1 && ps->weight <= 256 && ps->exclusive <= 1 &&
           ps->stream_dependency <= H2_MAX_STREAM_ID && ps->stream_dependency != stream_id;
}

static void pack_pri_spec(uint8_t *p, const h2_priority_spec *ps)
{
    h2_put_u32(p, ps->stream_dependency | (ps->exclusive ? 0x80000000u : 0u));
    p[4] = (uint8_t)(ps->weight - 1);
}

/* Writes |len| octets (|src| may be NULL only when |len| is 0). */
static uint8_t *put_bytes(uint8_t *p, const uint8_t *src, size_t len)
{
    if (len)
        memcpy(p, src, len);
    return p + len;
}

int h2_pack_data(uint8_t *out, size_t outlen, size_t *written, const h2_data *f)
{
    uint8_t *p;
    int rv;
    size_t padded = pad_overhead(f->hd.flags, f->pad_length);
    if ((f->data == NULL && f->datalen) || f->datalen > H2_MAX_PAYLOAD_LENGTH)
        return H2_ERR_INVALID_ARGUMENT;
    if (f->hd.stream_id == 0 || !absent_fields_ok(f->hd.flags, f->pad_length)) /* §6.1 */
        return H2_ERR_INVALID_ARGUMENT;
    rv = pack_begin(out, outlen, written, f->datalen + padded, H2_DATA, f->hd.flags,
                    f->hd.stream_id, &p);
    if (rv)
        return rv;
    if (f->hd.flags & H2_FLAG_PADDED)
        *p++ = f->pad_length;
    p = put_bytes(p, f->data, f->datalen);
    if (f->hd.flags & H2_FLAG_PADDED)
        memset(p, 0, f->pad_length);
    return H2_OK;
}

int h2_pack_headers(uint8_t *out, size_t outlen, size_t *written, const h2_headers *f)
{
    uint8_t *p;
    int rv;
    int pri = (f->hd.flags & H2_FLAG_PRIORITY) != 0;
    size_t padded = pad_overhead(f->hd.flags, f->pad_length);
    if ((f->block == NULL && f->blocklen) || f->blocklen > H2_MAX_PAYLOAD_LENGTH)
        return H2_ERR_INVALID_ARGUMENT;
    if (f->hd.stream_id == 0 || !absent_fields_ok(f->hd.flags, f->pad_length)) /* §6.2 */
        return H2_ERR_INVALID_ARGUMENT;
    if (pri ? !pri_spec_ok(&f->pri_spec, f->hd.stream_id) : !pri_spec_is_default(&f->pri_spec))
        return H2_ERR_INVALID_ARGUMENT;
    rv = pack_begin(out, outlen, written, f->blocklen + padded + (pri ? 5u : 0u), H2_HEADERS,
                    f->hd.flags, f->hd.stream_id, &p);
    if (rv)
        return rv;
    if (f->hd.flags & H2_FLAG_PADDED)
        *p++ = f->pad_length;
    if (pri) {
        pack_pri_spec(p, &f->pri_spec);
        p += 5;
    }
    p = put_bytes(p, f->block, f->blocklen);
    if (f->hd.flags & H2_FLAG_PADDED)
        memset(p, 0, f->pad_length);
    return H2_OK;
}

int h2_pack_priority(uint8_t *out, size_t outlen, size_t *written, const h2_priority *f)
{
    uint8_t *p;
    int rv;
    if (f->hd.stream_id == 0 || !pri_spec_ok(&f->pri_spec, f->hd.stream_id)) /* §6.3 */
        return H2_ERR_INVALID_ARGUMENT;
    rv = pack_begin(out, outlen, written, 5, H2_PRIORITY, f->hd.flags, f->hd.stream_id, &p);
    if (rv)
        return rv;
    pack_pri_spec(p, &f->pri_spec);
    return H2_OK;
}

int h2_pack_rst_stream(uint8_t *out, size_t outlen, size_t *written, const h2_rst_stream *f)
{
    uint8_t *p;
    int rv;
    if (f->hd.stream_id == 0) /* §6.4 */
        return H2_ERR_INVALID_ARGUMENT;
    rv = pack_begin(out, outlen, written, 4, H2_RST_STREAM, f->hd.flags, f->hd.stream_id, &p);
    if (rv)
        return rv;
    h2_put_u32(p, f->error_code);
    return H2_OK;
}

/* §6.5.2 value ranges; returns 0 if ok, else the h2_result and fills |err|. */
static int check_setting(const h2_settings_entry *e, h2_error *err)
{
    switch (e->id) {
    case H2_SETTINGS_ENABLE_PUSH:
        if (e->value > 1)
            return h2_fail(err, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 0,
                           "RFC 9113 §6.5.2: SETTINGS_ENABLE_PUSH other than 0 or 1");
        break;
    case H2_SETTINGS_INITIAL_WINDOW_SIZE:
        if (e->value > H2_MAX_WINDOW_SIZE)
            return h2_fail(err, H2_ERR_FLOW_CONTROL, H2_FLOW_CONTROL_ERROR, CONN, 0,
                           "RFC 9113 §6.5.2: SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1");
        break;
    case H2_SETTINGS_MAX_FRAME_SIZE:
        if (e->value < H2_DEFAULT_MAX_FRAME_SIZE || e->value > H2_MAX_PAYLOAD_LENGTH)
            return h2_fail(err, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 0,
                           "RFC 9113 §6.5.2: SETTINGS_MAX_FRAME_SIZE outside [2^14, 2^24-1]");
        break;
    default: /* §6.5.2: unknown settings MUST be ignored */
        break;
    }
    return H2_OK;
}

int h2_pack_settings(uint8_t *out, size_t outlen, size_t *written, const h2_settings *f)
{
    uint8_t *p;
    int rv;
    size_t i;
    if ((f->iv == NULL && f->niv) || f->niv > H2_MAX_PAYLOAD_LENGTH / 6)
        return H2_ERR_INVALID_ARGUMENT;
    if (f->hd.stream_id != 0 || ((f->hd.flags & H2_FLAG_ACK) && f->niv)) /* §6.5 */
        return H2_ERR_INVALID_ARGUMENT;
    for (i = 0; i < f->niv; i++)
        if (check_setting(&f->iv[i], NULL))
            return H2_ERR_INVALID_ARGUMENT;
    rv = pack_begin(out, outlen, written, f->niv * 6, H2_SETTINGS, f->hd.flags, 0, &p);
    if (rv)
        return rv;
    for (i = 0; i < f->niv; i++, p += 6) {
        h2_put_u16(p, f->iv[i].id);
        h2_put_u32(p + 2, f->iv[i].value);
    }
    return H2_OK;
}

int h2_pack_push_promise(uint8_t *out, size_t outlen, size_t *written, const h2_push_promise *f)
{
    uint8_t *p;
    int rv;
    size_t padded = pad_overhead(f->hd.flags, f->pad_length);
    if ((f->block == NULL && f->blocklen) || f->blocklen > H2_MAX_PAYLOAD_LENGTH)
        return H2_ERR_INVALID_ARGUMENT;
    if (f->hd.stream_id == 0 || !absent_fields_ok(f->hd.flags, f->pad_length) ||
        f->promised_stream_id == 0 ||
        f->promised_stream_id > H2_MAX_STREAM_ID) /* §6.6 */
        return H2_ERR_INVALID_ARGUMENT;
    rv = pack_begin(out, outlen, written, 4 + f->blocklen + padded, H2_PUSH_PROMISE, f->hd.flags,
                    f->hd.stream_id, &p);
    if (rv)
        return rv;
    if (f->hd.flags & H2_FLAG_PADDED)
        *p++ = f->pad_length;
    h2_put_u32(p, f->promised_stream_id);
    p = put_bytes(p + 4, f->block, f->blocklen);
    if (f->hd.flags & H2_FLAG_PADDED)
        memset(p, 0, f->pad_length);
    return H2_OK;
}

int h2_pack_ping(uint8_t *out, size_t outlen, size_t *written, const h2_ping *f)
{
    uint8_t *p;
    int rv;
    if (f->hd.stream_id != 0) /* §6.7 */
        return H2_ERR_INVALID_ARGUMENT;
    rv = pack_begin(out, outlen, written, 8, H2_PING, f->hd.flags, 0, &p);
    if (rv)
        return rv;
    memcpy(p, f->opaque_data, 8);
    return H2_OK;
}

int h2_pack_goaway(uint8_t *out, size_t outlen, size_t *written, const h2_goaway *f)
{
    uint8_t *p;
    int rv;
    if ((f->debug_data == NULL && f->debug_datalen) || f->debug_datalen > H2_MAX_PAYLOAD_LENGTH)
        return H2_ERR_INVALID_ARGUMENT;
    if (f->hd.stream_id != 0 || f->last_stream_id > H2_MAX_STREAM_ID) /* §6.8 */
        return H2_ERR_INVALID_ARGUMENT;
    rv = pack_begin(out, outlen, written, 8 + f->debug_datalen, H2_GOAWAY, f->hd.flags, 0, &p);
    if (rv)
        return rv;
    h2_put_u32(p, f->last_stream_id);
    h2_put_u32(p + 4, f->error_code);
    put_bytes(p + 8, f->debug_data, f->debug_datalen);
    return H2_OK;
}

int h2_pack_window_update(uint8_t *out, size_t outlen, size_t *written, const h2_window_update *f)
{
    uint8_t *p;
    int rv;
    if (f->window_size_increment == 0 || f->window_size_increment > H2_MAX_WINDOW_SIZE) /* §6.9 */
        return H2_ERR_INVALID_ARGUMENT;
    rv = pack_begin(out, outlen, written, 4, H2_WINDOW_UPDATE, f->hd.flags, f->hd.stream_id, &p);
    if (rv)
        return rv;
    h2_put_u32(p, f->window_size_increment);
    return H2_OK;
}

int h2_pack_continuation(uint8_t *out, size_t outlen, size_t *written, const h2_continuation *f)
{
    uint8_t *p;
    int rv;
    if ((f->block == NULL && f->blocklen) || f->hd.stream_id == 0) /* §6.10 */
        return H2_ERR_INVALID_ARGUMENT;
    rv = pack_begin(out, outlen, written, f->blocklen, H2_CONTINUATION, f->hd.flags,
                    f->hd.stream_id, &p);
    if (rv)
        return rv;
    put_bytes(p, f->block, f->blocklen);
    return H2_OK;
}

int h2_pack_frame(uint8_t *out, size_t outlen, size_t *written, const h2_frame *f)
{
    uint8_t *p;
    int rv;
    if (f == NULL)
        return H2_ERR_INVALID_ARGUMENT;
    switch (f->hd.type) {
    case H2_DATA: return h2_pack_data(out, outlen, written, &f->data);
    case H2_HEADERS: return h2_pack_headers(out, outlen, written, &f->headers);
    case H2_PRIORITY: return h2_pack_priority(out, outlen, written, &f->priority);
    case H2_RST_STREAM: return h2_pack_rst_stream(out, outlen, written, &f->rst_stream);
    case H2_SETTINGS: return h2_pack_settings(out, outlen, written, &f->settings);
    case H2_PUSH_PROMISE: return h2_pack_push_promise(out, outlen, written, &f->push_promise);
    case H2_PING: return h2_pack_ping(out, outlen, written, &f->ping);
    case H2_GOAWAY: return h2_pack_goaway(out, outlen, written, &f->goaway);
    case H2_WINDOW_UPDATE: return h2_pack_window_update(out, outlen, written, &f->window_update);
    case H2_CONTINUATION: return h2_pack_continuation(out, outlen, written, &f->continuation);
    default:
        if (f->ext.payload == NULL && f->ext.payloadlen)
            return H2_ERR_INVALID_ARGUMENT;
        rv = pack_begin(out, outlen, written, f->ext.payloadlen, f->hd.type, f->hd.flags,
                        f->hd.stream_id, &p);
        if (rv)
            return rv;
        put_bytes(p, f->ext.payload, f->ext.payloadlen);
        return H2_OK;
    }
}

/* ---- unpack ---- */

static int unpack_args_ok(const void *f, const h2_frame_hd *hd, const uint8_t *payload)
{
    return f != NULL && hd != NULL && (payload != NULL || hd->length == 0);
}

static void unpack_pri_spec(h2_priority_spec *ps, const uint8_t *p)
{
    uint32_t v = h2_get_u32(p);
    ps->exclusive = (uint8_t)(v >> 31);
    ps->stream_dependency = v & H2_MAX_STREAM_ID;
    ps->weight = (uint16_t)(p[4] + 1u);
}

/* Reads the Pad Length field of a padded frame whose mandatory fields after
   it take |fixed| octets. Sets *pad and *content_len (octets between the
   fixed fields and the padding). */
static int unpack_padding(const h2_frame_hd *hd, const uint8_t *payload, size_t fixed, uint8_t *pad,
                          size_t *content_len, h2_error *err)
{
    size_t head = fixed;
    *pad = 0;
    if (hd->flags & H2_FLAG_PADDED) {
        head += 1;
        /* §4.2: too small to hold the mandatory fields */
        if (hd->length < head)
            return h2_fail(err, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, CONN, hd->stream_id,
                           "RFC 9113 §4.2: padded frame too short for its Pad Length field");
        *pad = payload[0];
#ifdef PRY_PLANT_PAD_UNDERFLOW
        (void)err;
#else
        /* §6.1/§6.2/§6.6: padding not less than the payload left */
        if (*pad > hd->length - head)
            return h2_fail(err, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, hd->stream_id,
                           "RFC 9113 §6.1: pad length not less than the frame payload");
#endif
        *content_len = hd->length - head - *pad;
        return H2_OK;
    }
    if (hd->length < head)
        return h2_fail(err, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, CONN, hd->stream_id,
                       "RFC 9113 §4.2: frame too short for its mandatory fields");
    *content_len = hd->length - head;
    return H2_OK;
}

int h2_unpack_data_payload(h2_data *f, const h2_frame_hd *hd, const uint8_t *payload, h2_error *err)
{
    int rv;
    if (!unpack_args_ok(f, hd, payload))
        return H2_ERR_INVALID_ARGUMENT;
    memset(f, 0, sizeof *f);
    f->hd = *hd;
    if (hd->stream_id == 0)
        return h2_fail(err, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 0,
                       "RFC 9113 §6.1: DATA on stream 0");
    rv = unpack_padding(hd, payload, 0, &f->pad_length, &f->datalen, err);
    if (rv)
        return rv;
    f->data = f->datalen ? payload + ((hd->flags & H2_FLAG_PADDED) ? 1 : 0) : NULL;
    return H2_OK;
}

int h2_unpack_headers_payload(h2_headers *f, const h2_frame_hd *hd, const uint8_t *payload,
                              h2_error *err)
{
    int rv;
    size_t off = (hd && (hd->flags & H2_FLAG_PADDED)) ? 1 : 0;
    if (!unpack_args_ok(f, hd, payload))
        return H2_ERR_INVALID_ARGUMENT;
    memset(f, 0, sizeof *f);
    f->hd = *hd;
    f->pri_spec = default_pri;
    if (hd->stream_id == 0)
        return h2_fail(err, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 0,
                       "RFC 9113 §6.2: HEADERS on stream 0");
    rv = unpack_padding(hd, payload, (hd->flags & H2_FLAG_PRIORITY) ? 5 : 0, &f->pad_length,
                        &f->blocklen, err);
    if (rv)
        return rv;
    if (hd->flags & H2_FLAG_PRIORITY) {
        unpack_pri_spec(&f->pri_spec, payload + off);
        off += 5;
        /* §5.3.1 makes this a stream error; it is escalated to the connection
           because the field block must still be decoded to keep HPACK state
           in step (§4.3), which a stream reset would skip. */
        if (f->pri_spec.stream_dependency == hd->stream_id)
            return h2_fail(err, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, hd->stream_id,
                           "RFC 9113 §5.3.1: HEADERS stream depends on itself");
    }
    f->block = f->blocklen ? payload + off : NULL;
    return H2_OK;
}

int h2_unpack_priority_payload(h2_priority *f, const h2_frame_hd *hd, const uint8_t *payload,
                               h2_error *err)
{
    if (!unpack_args_ok(f, hd, payload))
        return H2_ERR_INVALID_ARGUMENT;
    memset(f, 0, sizeof *f);
    f->hd = *hd;
    f->pri_spec = default_pri;
    if (hd->stream_id == 0)
        return h2_fail(err, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 0,
                       "RFC 9113 §6.3: PRIORITY on stream 0");
    if (hd->length != 5)
        return h2_fail(err, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, STRM, hd->stream_id,
                       "RFC 9113 §6.3: PRIORITY length other than 5");
    unpack_pri_spec(&f->pri_spec, payload);
    if (f->pri_spec.stream_dependency == hd->stream_id)
        return h2_fail(err, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, STRM, hd->stream_id,
                       "RFC 9113 §5.3.1: PRIORITY stream depends on itself");
    return H2_OK;
}

int h2_unpack_rst_stream_payload(h2_rst_stream *f, const h2_frame_hd *hd, const uint8_t *payload,
                                 h2_error *err)
{
    if (!unpack_args_ok(f, hd, payload))
        return H2_ERR_INVALID_ARGUMENT;
    memset(f, 0, sizeof *f);
    f->hd = *hd;
    if (hd->stream_id == 0)
        return h2_fail(err, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 0,
                       "RFC 9113 §6.4: RST_STREAM on stream 0");
#ifndef PRY_PLANT_FIXED_LENGTH
    if (hd->length != 4)
        return h2_fail(err, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, CONN, hd->stream_id,
                       "RFC 9113 §6.4: RST_STREAM length other than 4");
#endif
    f->error_code = h2_get_u32(payload);
    return H2_OK;
}

int h2_unpack_settings_payload(h2_settings *f, const h2_frame_hd *hd, const uint8_t *payload,
                               h2_error *err)
{
    size_t i, n;
    int rv;
    if (!unpack_args_ok(f, hd, payload))
        return H2_ERR_INVALID_ARGUMENT;
    memset(f, 0, sizeof *f);
    f->hd = *hd;
    if (hd->stream_id != 0)
        return h2_fail(err, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, hd->stream_id,
                       "RFC 9113 §6.5: SETTINGS on a stream other than 0");
    if ((hd->flags & H2_FLAG_ACK) && hd->length != 0)
        return h2_fail(err, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, CONN, 0,
                       "RFC 9113 §6.5: SETTINGS ACK with a payload");
    if (hd->length % 6 != 0)
        return h2_fail(err, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, CONN, 0,
                       "RFC 9113 §6.5: SETTINGS length not a multiple of 6");
    n = hd->length / 6;
    if (n == 0)
        return H2_OK;
    f->iv = malloc(n * sizeof *f->iv);
    if (f->iv == NULL)
        return H2_ERR_NOMEM;
    for (i = 0; i < n; i++) {
        f->iv[i].id = h2_get_u16(payload + 6 * i);
        f->iv[i].value = h2_get_u32(payload + 6 * i + 2);
        rv = check_setting(&f->iv[i], err);
        if (rv) {
            free(f->iv);
            f->iv = NULL;
            return rv;
        }
    }
    f->niv = n;
    return H2_OK;
}

int h2_unpack_push_promise_payload(h2_push_promise *f, const h2_frame_hd *hd,
                                   const uint8_t *payload, h2_error *err)
{
    int rv;
    size_t off = (hd && (hd->flags & H2_FLAG_PADDED)) ? 1 : 0;
    if (!unpack_args_ok(f, hd, payload))
        return H2_ERR_INVALID_ARGUMENT;
    memset(f, 0, sizeof *f);
    f->hd = *hd;
    if (hd->stream_id == 0)
        return h2_fail(err, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 0,
                       "RFC 9113 §6.6: PUSH_PROMISE on stream 0");
    rv = unpack_padding(hd, payload, 4, &f->pad_length, &f->blocklen, err);
    if (rv)
        return rv;
    f->promised_stream_id = h2_get_u32(payload + off) & H2_MAX_STREAM_ID;
    if (f->promised_stream_id == 0)
        return h2_fail(err, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, hd->stream_id,
                       "RFC 9113 §6.6: promised stream 0 is not a valid stream");
    f->block = f->blocklen ? payload + off + 4 : NULL;
    return H2_OK;
}

int h2_unpack_ping_payload(h2_ping *f, const h2_frame_hd *hd, const uint8_t *payload, h2_error *err)
{
    if (!unpack_args_ok(f, hd, payload))
        return H2_ERR_INVALID_ARGUMENT;
    memset(f, 0, sizeof *f);
    f->hd = *hd;
    if (hd->stream_id != 0)
        return h2_fail(err, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, hd->stream_id,
                       "RFC 9113 §6.7: PING on a stream other than 0");
    if (hd->length != 8)
        return h2_fail(err, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, CONN, 0,
                       "RFC 9113 §6.7: PING length other than 8");
    memcpy(f->opaque_data, payload, 8);
    return H2_OK;
}

int h2_unpack_goaway_payload(h2_goaway *f, const h2_frame_hd *hd, const uint8_t *payload,
                             h2_error *err)
{
    if (!unpack_args_ok(f, hd, payload))
        return H2_ERR_INVALID_ARGUMENT;
    memset(f, 0, sizeof *f);
    f->hd = *hd;
    if (hd->stream_id != 0)
        return h2_fail(err, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, hd->stream_id,
                       "RFC 9113 §6.8: GOAWAY on a stream other than 0");
    if (hd->length < 8)
        return h2_fail(err, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, CONN, 0,
                       "RFC 9113 §6.8/§4.2: GOAWAY shorter than 8");
    f->last_stream_id = h2_get_u32(payload) & H2_MAX_STREAM_ID;
    f->error_code = h2_get_u32(payload + 4);
    f->debug_datalen = hd->length - 8u;
    f->debug_data = f->debug_datalen ? payload + 8 : NULL;
    return H2_OK;
}

int h2_unpack_window_update_payload(h2_window_update *f, const h2_frame_hd *hd,
                                    const uint8_t *payload, h2_error *err)
{
    if (!unpack_args_ok(f, hd, payload))
        return H2_ERR_INVALID_ARGUMENT;
    memset(f, 0, sizeof *f);
    f->hd = *hd;
    if (hd->length != 4)
        return h2_fail(err, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, CONN, hd->stream_id,
                       "RFC 9113 §6.9: WINDOW_UPDATE length other than 4");
    f->window_size_increment = h2_get_u32(payload) & H2_MAX_WINDOW_SIZE; /* §6.9 reserved bit */
    if (f->window_size_increment == 0)
        return h2_fail(err, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, hd->stream_id ? STRM : CONN,
                       hd->stream_id, "RFC 9113 §6.9: WINDOW_UPDATE increment of 0");
    return H2_OK;
}

int h2_unpack_continuation_payload(h2_continuation *f, const h2_frame_hd *hd,
                                   const uint8_t *payload, h2_error *err)
{
    if (!unpack_args_ok(f, hd, payload))
        return H2_ERR_INVALID_ARGUMENT;
    memset(f, 0, sizeof *f);
    f->hd = *hd;
    if (hd->stream_id == 0)
        return h2_fail(err, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, CONN, 0,
                       "RFC 9113 §6.10: CONTINUATION on stream 0");
    f->block = hd->length ? payload : NULL;
    f->blocklen = hd->length;
    return H2_OK;
}

int h2_unpack_frame_payload(h2_frame *f, const h2_frame_hd *hd, const uint8_t *payload,
                            h2_error *err)
{
    if (!unpack_args_ok(f, hd, payload))
        return H2_ERR_INVALID_ARGUMENT;
    switch (hd->type) {
    case H2_DATA: return h2_unpack_data_payload(&f->data, hd, payload, err);
    case H2_HEADERS: return h2_unpack_headers_payload(&f->headers, hd, payload, err);
    case H2_PRIORITY: return h2_unpack_priority_payload(&f->priority, hd, payload, err);
    case H2_RST_STREAM: return h2_unpack_rst_stream_payload(&f->rst_stream, hd, payload, err);
    case H2_SETTINGS: return h2_unpack_settings_payload(&f->settings, hd, payload, err);
    case H2_PUSH_PROMISE: return h2_unpack_push_promise_payload(&f->push_promise, hd, payload, err);
    case H2_PING: return h2_unpack_ping_payload(&f->ping, hd, payload, err);
    case H2_GOAWAY: return h2_unpack_goaway_payload(&f->goaway, hd, payload, err);
    case H2_WINDOW_UPDATE:
        return h2_unpack_window_update_payload(&f->window_update, hd, payload, err);
    case H2_CONTINUATION: return h2_unpack_continuation_payload(&f->continuation, hd, payload, err);
    default: /* §5.5: unknown types MUST be ignored */
        memset(f, 0, sizeof *f);
        f->ext.hd = *hd;
        f->ext.payload = hd->length ? payload : NULL;
        f->ext.payloadlen = hd->length;
        return H2_OK;
    }
}
