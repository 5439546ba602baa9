/*
 * parser.c: incremental HTTP/2 frame parser (RFC 9113 §4, §6).
 *
 * A push parser: h2_parser_feed takes bytes in any chunking and calls the
 * user's callback once per complete frame. A frame wholly inside one chunk is
 * handed over in place (zero copy); one split across chunks is gathered in an
 * internal buffer first, so the callback sees the same frames whatever the
 * split. Header blocks are gathered across CONTINUATION (bounded: RFC 9113
 * §10.5, CVE-2024-28182) and decoded with HPACK once END_HEADERS arrives.
 */
#include <stdlib.h>
#include <string.h>

#include "h2_internal.h"

enum { ST_PREFACE, ST_HEADER, ST_PAYLOAD, ST_SKIP };

struct h2_parser {
    h2_parser_config cfg;
    h2_on_frame_cb cb;
    void *user_data;
    h2_hpack_decoder *hpack;
    int state;
    int dead;
    int want_settings;        /* §3.4: the first frame after the preface */
    size_t preface_matched;
    uint8_t hdbuf[H2_FRAME_HEADER_LENGTH];
    size_t hdlen;
    h2_frame_hd hd;           /* the frame being read */
    uint8_t *buf;             /* payload of a frame split across chunks */
    size_t buflen, bufcap;
    size_t skip;              /* payload octets of an unknown frame left */
    int in_block;             /* a header block is open (§4.3) */
    uint32_t block_stream;
    h2_frame_hd block_hd;     /* the HEADERS or PUSH_PROMISE that opened it */
    uint32_t last_promised;   /* highest promised stream id so far (§5.1.1) */
    uint8_t *block;
    size_t blocklen, blockcap;
    size_t ncontinuations;
    h2_header_list headers;
    h2_error err;
};

void h2_parser_config_default(h2_parser_config *cfg)
{
    cfg->max_frame_size = H2_DEFAULT_MAX_FRAME_SIZE;
    cfg->max_header_block = 65536;
    cfg->max_continuations = 64;
    cfg->header_table_size = H2_HPACK_DEFAULT_TABLE_SIZE;
    cfg->max_header_list_size = 65536;
    cfg->max_string_length = 16384;
    cfg->expect_preface = 0;
    cfg->enable_push = 1;
    cfg->role = H2_ROLE_ANY;
    cfg->extension_payloads = 0;
}

h2_parser *h2_parser_new(const h2_parser_config *cfg, h2_on_frame_cb cb, void *user_data)
{
    h2_parser *p;
    h2_hpack_decoder_config hc;
    h2_parser_config def;
    if (cfg == NULL) {
        h2_parser_config_default(&def);
        cfg = &def;
    }
    /* §6.5.2 range of SETTINGS_MAX_FRAME_SIZE */
    if (cfg->max_frame_size < H2_DEFAULT_MAX_FRAME_SIZE ||
        cfg->max_frame_size > H2_MAX_PAYLOAD_LENGTH)
        return NULL;
    p = calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    p->cfg = *cfg;
    p->cb = cb;
    p->user_data = user_data;
    hc.max_table_size = cfg->header_table_size;
    hc.max_header_list_size = cfg->max_header_list_size;
    hc.max_string_length = cfg->max_string_length;
    p->hpack = h2_hpack_decoder_new(&hc);
    if (p->hpack == NULL) {
        free(p);
        return NULL;
    }
    p->state = cfg->expect_preface ? ST_PREFACE : ST_HEADER;
    p->want_settings = cfg->expect_preface != 0;
    h2_header_list_init(&p->headers);
    return p;
}

void h2_parser_del(h2_parser *p)
{
    if (p == NULL)
        return;
    h2_hpack_decoder_del(p->hpack);
    h2_header_list_free(&p->headers);
    free(p->buf);
    free(p->block);
    free(p);
}

const h2_error *h2_parser_last_error(const h2_parser *p)
{
    return &p->err;
}

int h2_parser_at_boundary(const h2_parser *p)
{
    return p->state == ST_HEADER && p->hdlen == 0 && !p->in_block && !p->dead;
}

size_t h2_parser_header_block_len(const h2_parser *p)
{
    return p->blocklen;
}

void h2_parser_pending(const h2_parser *p, h2_pending *out)
{
    memset(out, 0, sizeof *out);
    if (p->dead)
        return;
    switch (p->state) {
    case ST_PREFACE:
        out->kind = H2_PENDING_PREFACE;
        out->have = p->preface_matched;
        out->need = H2_CLIENT_PREFACE_LEN;
        return;
    case ST_PAYLOAD:
    case ST_SKIP:
        out->kind = H2_PENDING_PAYLOAD;
        out->hd = p->hd;
        out->need = p->hd.length;
        out->have = p->state == ST_PAYLOAD ? p->buflen : p->hd.length - p->skip;
        return;
    default:
        break;
    }
    if (p->hdlen > 0) {
        out->kind = H2_PENDING_FRAME_HEADER;
        out->have = p->hdlen;
        out->need = H2_FRAME_HEADER_LENGTH;
    } else if (p->want_settings) {
        out->kind = H2_PENDING_SETTINGS;
    } else if (p->in_block) {
        out->kind = H2_PENDING_FIELD_BLOCK;
        out->hd = p->block_hd;
        out->have = p->blocklen;
    }
}

/* How much of |need| octets to take from |avail| available. */
static size_t take(size_t avail, size_t need)
{
#ifdef PRY_PLANT_ADVANCE_PAST_END
    (void)avail; /* angstrom #166: advance n without checking n <= available */
    return need;
#else
    return need < avail ? need : avail;
#endif
}

/* Records a protocol error; connection errors kill the parser. */
static int fail(h2_parser *p, int rv, uint32_t code, h2_scope scope, uint32_t stream_id,
                const char *detail)
{
    h2_fail(&p->err, rv, code, scope, stream_id, detail);
    if (scope == H2_SCOPE_CONNECTION)
        p->dead = 1;
    return rv;
}

static int grow(uint8_t **buf, size_t *cap, size_t need)
{
    size_t ncap;
    uint8_t *nb;
    if (*cap >= need)
        return H2_OK;
    ncap = *cap ? *cap : 1024;
    while (ncap < need)
        ncap *= 2;
    nb = realloc(*buf, ncap);
    if (nb == NULL)
        return H2_ERR_NOMEM;
    *buf = nb;
    *cap = ncap;
    return H2_OK;
}

/* Adds a field block fragment to the open block, within the limits. */
static int block_append(h2_parser *p, const uint8_t *frag, size_t len, uint32_t stream_id)
{
#ifdef PRY_PLANT_CONTINUATION_FLOOD
    (void)stream_id; /* CVE-2024-28182: no bound on the accumulated block */
#else
    /* RFC 9113 §10.5 / CVE-2024-28182: bound what a peer can make us hold */
    if (len > p->cfg.max_header_block - p->blocklen)
        return fail(p, H2_ERR_ENHANCE_YOUR_CALM, H2_ENHANCE_YOUR_CALM, H2_SCOPE_CONNECTION,
                    stream_id, "RFC 9113 §10.5: header block above max_header_block");
#endif
    if (len == 0)
        return H2_OK;
    if (grow(&p->block, &p->blockcap, p->blocklen + len)) {
        p->dead = 1;
        return H2_ERR_NOMEM;
    }
    memcpy(p->block + p->blocklen, frag, len);
    p->blocklen += len;
    return H2_OK;
}

/* Decodes a complete field block (RFC 9113 §4.3). */
static int block_decode(h2_parser *p, const uint8_t *block, size_t len, uint32_t stream_id)
{
    int rv = h2_hpack_decode_block(p->hpack, block, len, &p->headers);
    if (rv == H2_OK)
        return H2_OK;
    if (rv == H2_ERR_NOMEM) {
        p->dead = 1;
        return rv;
    }
    if (rv == H2_ERR_HPACK_LIST_TOO_LARGE || rv == H2_ERR_HPACK_STRING_TOO_LONG)
        return fail(p, H2_ERR_ENHANCE_YOUR_CALM, H2_ENHANCE_YOUR_CALM, H2_SCOPE_CONNECTION,
                    stream_id, "RFC 9113 §10.5.1: header list above the configured limits");
    /* §4.3: a decoding error MUST be a connection error COMPRESSION_ERROR */
    return fail(p, H2_ERR_COMPRESSION, H2_COMPRESSION_ERROR, H2_SCOPE_CONNECTION, stream_id,
                "RFC 9113 §4.3: field block failed to decode");
}

static int emit(h2_parser *p, const h2_frame *f, const h2_header_list *headers)
{
    if (p->cb && p->cb(p->user_data, f, headers) != 0)
        return H2_ERR_CALLBACK;
    return H2_OK;
}

/* Header-time checks, before any payload is read. */
static int check_header(h2_parser *p, const h2_frame_hd *hd)
{
    /* §4.2: a frame above SETTINGS_MAX_FRAME_SIZE; treated as a connection
       error for every type (§5.4.1 allows escalation) since we will not read
       the payload. */
    if (hd->length > p->cfg.max_frame_size)
        return fail(p, H2_ERR_FRAME_SIZE, H2_FRAME_SIZE_ERROR, H2_SCOPE_CONNECTION, hd->stream_id,
                    "RFC 9113 §4.2: frame above SETTINGS_MAX_FRAME_SIZE");
    /* §3.4: the preface is followed by a SETTINGS frame */
    if (p->want_settings) {
        if (hd->type != H2_SETTINGS || (hd->flags & H2_FLAG_ACK))
            return fail(p, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, H2_SCOPE_CONNECTION,
                        hd->stream_id, "RFC 9113 §3.4: preface not followed by SETTINGS");
        p->want_settings = 0;
    }
    /* §4.3 / §6.10: a field block is a contiguous run of frames: nothing
       else, not even extension frames (§5.5), and not another stream. */
    if (p->in_block) {
        if (hd->type != H2_CONTINUATION || hd->stream_id != p->block_stream)
            return fail(p, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, H2_SCOPE_CONNECTION,
                        hd->stream_id, "RFC 9113 §6.10: frame interleaved in a field block");
    } else if (hd->type == H2_CONTINUATION) {
        return fail(p, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, H2_SCOPE_CONNECTION, hd->stream_id,
                    "RFC 9113 §6.10: CONTINUATION without an open field block");
    }
    return H2_OK;
}

/* Stream ids: RFC 9113 §5.1.1, clients open odd streams, servers even. */
static int server_initiated(uint32_t stream_id)
{
    return stream_id % 2 == 0;
}

/* The rules that depend on which end we are (h2_parser_config.role), for a
   frame that unpacked cleanly. Returns H2_OK or the connection error. */
static int check_role(h2_parser *p, const h2_frame *f)
{
    const h2_frame_hd *hd = &f->hd;
    size_t i;
    if (p->cfg.role == H2_ROLE_SERVER) {
        /* §8.4: "A client cannot push. Thus, servers MUST treat the receipt
           of a PUSH_PROMISE frame as a connection error of type
           PROTOCOL_ERROR." (also §6.6) */
        if (hd->type == H2_PUSH_PROMISE)
            return fail(p, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, H2_SCOPE_CONNECTION,
                        hd->stream_id, "RFC 9113 §8.4: a server received PUSH_PROMISE");
        /* §5.1.1: streams a client initiates are odd; an even stream is one
           the server opened (pushed), on which the client never sends
           HEADERS; an unexpected stream id is a connection PROTOCOL_ERROR. */
        if (hd->type == H2_HEADERS && server_initiated(hd->stream_id))
            return fail(p, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, H2_SCOPE_CONNECTION,
                        hd->stream_id, "RFC 9113 §5.1.1: HEADERS from a client on an even stream");
    } else if (p->cfg.role == H2_ROLE_CLIENT) {
        /* §6.5.2: "A client MUST treat receipt of a SETTINGS frame with
           SETTINGS_ENABLE_PUSH set to 1 as a connection error" */
        if (hd->type == H2_SETTINGS)
            for (i = 0; i < f->settings.niv; i++)
                if (f->settings.iv[i].id == H2_SETTINGS_ENABLE_PUSH &&
                    f->settings.iv[i].value == 1)
                    return fail(p, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, H2_SCOPE_CONNECTION, 0,
                                "RFC 9113 §6.5.2: a server sent SETTINGS_ENABLE_PUSH 1");
        if (hd->type == H2_PUSH_PROMISE) {
            uint32_t promised = f->push_promise.promised_stream_id;
            /* §6.6: PUSH_PROMISE "MUST only be sent on a peer-initiated
               stream": to a client, an odd one (a request it made). */
            if (server_initiated(hd->stream_id))
                return fail(p, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, H2_SCOPE_CONNECTION,
                            hd->stream_id, "RFC 9113 §6.6: PUSH_PROMISE on a server-initiated stream");
            /* §6.6: "A receiver MUST treat the receipt of a PUSH_PROMISE that
               promises an illegal stream identifier (Section 5.1.1) as a
               connection error": it must be even and new, above every
               stream the server opened or reserved before. */
            if (!server_initiated(promised) || promised <= p->last_promised)
                return fail(p, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, H2_SCOPE_CONNECTION,
                            hd->stream_id,
                            "RFC 9113 §6.6, §5.1.1: promised stream id odd or not increasing");
            p->last_promised = promised;
        }
        /* §8.4 / §5.1: a server opens a stream only by reserving it with
           PUSH_PROMISE; HEADERS on an even stream never promised opens a
           stream from the server, a connection PROTOCOL_ERROR (nghttp2:
           "client received request"). */
        if (hd->type == H2_HEADERS && server_initiated(hd->stream_id) &&
            hd->stream_id > p->last_promised)
            return fail(p, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, H2_SCOPE_CONNECTION,
                        hd->stream_id, "RFC 9113 §8.4: HEADERS on an even stream never promised");
    }
    return H2_OK;
}

/* Handles one complete frame (of an unknown type only with
   extension_payloads). */
static int process(h2_parser *p, const uint8_t *payload)
{
    h2_frame f;
    h2_error e;
    int rv;
    const h2_header_list *hl = NULL;

    rv = h2_unpack_frame_payload(&f, &p->hd, payload, &e);
    if (rv == H2_ERR_NOMEM) {
        p->dead = 1;
        return rv;
    }
    if (rv)
        return fail(p, rv, e.code, e.scope, e.stream_id, e.detail);
    rv = check_role(p, &f);
    if (rv) {
        h2_frame_free(&f);
        return rv;
    }

    switch (p->hd.type) {
    case H2_PUSH_PROMISE:
        /* §6.6: PUSH_PROMISE when we disabled push */
        if (!p->cfg.enable_push)
            return fail(p, H2_ERR_PROTOCOL, H2_PROTOCOL_ERROR, H2_SCOPE_CONNECTION,
                        p->hd.stream_id, "RFC 9113 §6.6: PUSH_PROMISE with SETTINGS_ENABLE_PUSH 0");
        /* fall through */
    case H2_HEADERS: {
        const uint8_t *frag = p->hd.type == H2_HEADERS ? f.headers.block : f.push_promise.block;
        size_t fraglen = p->hd.type == H2_HEADERS ? f.headers.blocklen : f.push_promise.blocklen;
        p->blocklen = 0;
        p->ncontinuations = 0;
        if (p->hd.flags & H2_FLAG_END_HEADERS) {
            if (fraglen > p->cfg.max_header_block)
                return fail(p, H2_ERR_ENHANCE_YOUR_CALM, H2_ENHANCE_YOUR_CALM,
                            H2_SCOPE_CONNECTION, p->hd.stream_id,
                            "RFC 9113 §10.5: header block above max_header_block");
            rv = block_decode(p, frag, fraglen, p->hd.stream_id);
            if (rv)
                return rv;
            hl = &p->headers;
        } else {
            rv = block_append(p, frag, fraglen, p->hd.stream_id);
            if (rv)
                return rv;
            p->in_block = 1;
            p->block_stream = p->hd.stream_id;
            p->block_hd = p->hd;
        }
        break;
    }
    case H2_CONTINUATION:
#ifndef PRY_PLANT_CONTINUATION_FLOOD
        /* CVE-2024-28182: bound the number of frames too (empty ones cost
           nothing to send but CPU to process) */
        if (++p->ncontinuations > p->cfg.max_continuations)
            return fail(p, H2_ERR_ENHANCE_YOUR_CALM, H2_ENHANCE_YOUR_CALM, H2_SCOPE_CONNECTION,
                        p->hd.stream_id, "RFC 9113 §10.5: too many CONTINUATION frames");
#endif
        rv = block_append(p, f.continuation.block, f.continuation.blocklen, p->hd.stream_id);
        if (rv)
            return rv;
        if (p->hd.flags & H2_FLAG_END_HEADERS) {
            p->in_block = 0;
            rv = block_decode(p, p->block, p->blocklen, p->hd.stream_id);
            p->blocklen = 0;
            if (rv)
                return rv;
            hl = &p->headers;
        }
        break;
    default:
        break;
    }
    rv = emit(p, &f, hl);
    h2_frame_free(&f);
    return rv;
}

int h2_parser_feed(h2_parser *p, const uint8_t *in, size_t len, size_t *consumed)
{
    size_t pos = 0, n;
    int rv = H2_OK;
    if (consumed)
        *consumed = 0;
    if (p == NULL || (in == NULL && len > 0))
        return H2_ERR_INVALID_ARGUMENT;
    if (p->dead)
        return H2_ERR_PARSER_DEAD;
    while (pos < len && rv == H2_OK) {
        switch (p->state) {
        case ST_PREFACE: {
            /* §3.4 client connection preface */
            size_t i;
            n = take(len - pos, H2_CLIENT_PREFACE_LEN - p->preface_matched);
            for (i = 0; i < n; i++) {
                if (in[pos + i] != (uint8_t)H2_CLIENT_PREFACE[p->preface_matched + i]) {
                    pos += i + 1;
                    rv = fail(p, H2_ERR_BAD_PREFACE, H2_PROTOCOL_ERROR, H2_SCOPE_CONNECTION, 0,
                              "RFC 9113 §3.4: invalid client connection preface");
                    break;
                }
            }
            if (rv)
                break;
            pos += n;
            p->preface_matched += n;
            if (p->preface_matched == H2_CLIENT_PREFACE_LEN)
                p->state = ST_HEADER;
            break;
        }
        case ST_HEADER:
            n = take(len - pos, H2_FRAME_HEADER_LENGTH - p->hdlen);
            memcpy(p->hdbuf + p->hdlen, in + pos, n);
            pos += n;
            p->hdlen += n;
            if (p->hdlen < H2_FRAME_HEADER_LENGTH)
                break;
            p->hdlen = 0;
            h2_frame_unpack_frame_hd(&p->hd, p->hdbuf);
            rv = check_header(p, &p->hd);
            if (rv)
                break;
            if (h2_frame_type_name(p->hd.type) == NULL && !p->cfg.extension_payloads) {
                /* §5.5: unknown types are ignored; skip the payload */
                p->skip = p->hd.length;
                p->state = ST_SKIP;
            } else if (len - pos >= p->hd.length) {
                rv = process(p, in + pos);
                pos += p->hd.length;
            } else {
                p->buflen = 0;
                if (grow(&p->buf, &p->bufcap, p->hd.length)) {
                    p->dead = 1;
                    rv = H2_ERR_NOMEM;
                    break;
                }
                p->state = ST_PAYLOAD;
            }
            break;
        case ST_PAYLOAD:
            n = take(len - pos, p->hd.length - p->buflen);
            memcpy(p->buf + p->buflen, in + pos, n);
            pos += n;
            p->buflen += n;
            if (p->buflen == p->hd.length) {
                p->state = ST_HEADER;
                rv = process(p, p->buf);
            }
            break;
        case ST_SKIP:
            n = take(len - pos, p->skip);
            pos += n;
            p->skip -= n;
            break;
        }
        if (rv == H2_OK && p->state == ST_SKIP && p->skip == 0) {
            h2_frame f;
            memset(&f, 0, sizeof f);
            f.ext.hd = p->hd;
            f.ext.payloadlen = p->hd.length;
            p->state = ST_HEADER;
            rv = emit(p, &f, NULL);
        }
    }
    if (consumed)
        *consumed = pos;
    return rv;
}
