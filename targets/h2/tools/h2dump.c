/*
 * h2dump: print HTTP/2 frames (RFC 9113), one line per frame, as the
 * receiving end of one direction of a connection sees them.
 *
 *   h2dump [--json] [--preface] [--role client|server|any]
 *          [--max-frame-size N] [--header-table-size N] [--no-push] [FILE|-]
 *
 * Input: FILE, or stdin for "-" or no FILE: the octets one end sent.
 *
 * The receiver's own settings (what it announced, RFC 9113 §6.5.2):
 *   --max-frame-size N     SETTINGS_MAX_FRAME_SIZE, 16384..16777215 (default
 *                          16384); a longer frame is a FRAME_SIZE_ERROR (§4.2)
 *   --header-table-size N  SETTINGS_HEADER_TABLE_SIZE, 0..4294967295 (default
 *                          4096): the ceiling for HPACK size updates
 *   --no-push              SETTINGS_ENABLE_PUSH 0: PUSH_PROMISE is an error (§6.6)
 *   --role server          the input comes from a client. A PUSH_PROMISE (§8.4)
 *                          or HEADERS on an even stream (§5.1.1) is a
 *                          connection error.
 *   --role client          the input comes from a server. SETTINGS_ENABLE_PUSH
 *                          1 (§6.5.2), PUSH_PROMISE on an even stream or
 *                          promising an odd or non-increasing one (§6.6,
 *                          §5.1.1), HEADERS on an even stream never promised
 *                          (§8.4) are connection errors.
 *   --role any             (default) none of those rules.
 *   --preface              the input starts with the client connection preface
 *                          and a SETTINGS frame (§3.4); implies --role server.
 *
 * Output, text (default): one line per frame, "TYPE flags=0x.. stream_id=N
 * length=N" and the type's fields. --json: one JSON object per line with
 * "type" (the RFC name, or "UNKNOWN" and "type_code"), "flags", "stream_id",
 * "length" and these fields by type:
 *   DATA          "pad_length" (if PADDED), "data" (hex)
 *   HEADERS       "pad_length", "exclusive", "stream_dependency", "weight"
 *   PRIORITY      "exclusive", "stream_dependency", "weight"
 *   RST_STREAM    "error_code", "error_name"
 *   SETTINGS      "settings": [[id, value], ...]
 *   PUSH_PROMISE  "pad_length", "promised_stream_id"
 *   PING          "opaque" (hex)
 *   GOAWAY        "last_stream_id", "error_code", "error_name", "debug_data" (hex)
 *   WINDOW_UPDATE "increment"
 *   UNKNOWN       "payload" (hex; §5.5: the frame is otherwise ignored)
 * "weight" is the effective weight 1..256, the wire value plus one (§5.3.2,
 * §6.3), as nghttp2 reports it. "error_code" is always the number and
 * "error_name" always a string: the §7 name, or "UNKNOWN" for a code the RFC
 * does not define. A field block (HEADERS or PUSH_PROMISE and its
 * CONTINUATIONs) is decoded with HPACK and shown on the frame that ends it
 * as "headers": [[name, value], ...].
 *
 * Header names and values are bytes. In JSON, valid UTF-8 (RFC 3629) is
 * passed through; each byte that is not part of a valid UTF-8 sequence,
 * necessarily 0x80..0xFF, is written as the lone surrogate \udc80..\udcff
 * (the "surrogateescape" mapping of Python's PEP 383), which no valid UTF-8
 * text produces, so the bytes are recovered exactly: in Python,
 * s.encode("utf-8", "surrogateescape"). Control characters are \u00XX
 * escapes. In text, invalid bytes and control characters are \xNN.
 *
 * Errors (§5.4) are printed where they happen, in JSON as
 *   {"error": NAME, "error_code": N, "scope": "connection"|"stream",
 *    "stream_id": N, "reason": "RFC 9113 §...: ..."}
 * A stream error (e.g. PRIORITY of length other than 5, WINDOW_UPDATE of 0 on
 * a stream) loses that frame only: the dump goes on, as the connection
 * would. A connection error ends it. Input that ends inside the preface, a
 * frame or an unfinished field block gives
 *   {"error": "TRUNCATED", "scope": "input", "reason": "..."}
 * (no "error_code": it is not a protocol error). The text output prints the
 * same as "error NAME scope=... stream_id=N (reason)".
 *
 * Exit status: 0 the whole input was valid; 1 at least one error line was
 * printed (protocol error or truncation); 2 usage error, unreadable input or
 * out of memory (one line on stderr).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h2.h"

typedef struct {
    int json;
    FILE *out;
} dump;

static void put_hex(FILE *o, const uint8_t *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        fprintf(o, "%02x", p[i]);
}

/* The length of the valid UTF-8 sequence at |p| (RFC 3629 §4: no overlong
   forms, no surrogates, nothing above U+10FFFF), or 0 if there is none. */
static size_t utf8_len(const uint8_t *p, size_t n)
{
    uint8_t c = p[0], lo = 0x80, hi = 0xbf;
    size_t len, i;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4;
    else
        return 0; /* a continuation byte, an overlong lead (C0, C1), F5..FF */
    /* the second byte's narrower ranges of RFC 3629 §4 */
    if (c == 0xe0)
        lo = 0xa0; /* overlong */
    else if (c == 0xed)
        hi = 0x9f; /* U+D800..DFFF */
    else if (c == 0xf0)
        lo = 0x90; /* overlong */
    else if (c == 0xf4)
        hi = 0x8f; /* above U+10FFFF */
    if (n < len || p[1] < lo || p[1] > hi)
        return 0;
    for (i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    return len;
}

/* |p| as a JSON string: see "Header names and values" above. */
static void put_json_str(FILE *o, const uint8_t *p, size_t n)
{
    size_t i = 0;
    fputc('"', o);
    while (i < n) {
        uint8_t c = p[i];
        size_t len = utf8_len(p + i, n - i);
        if (len == 0) {
            fprintf(o, "\\udc%02x", c); /* PEP 383 surrogateescape */
            i++;
        } else if (len > 1) {
            fwrite(p + i, 1, len, o);
            i += len;
        } else {
            if (c == '"' || c == '\\')
                fprintf(o, "\\%c", c);
            else if (c == '\n')
                fputs("\\n", o);
            else if (c == '\r')
                fputs("\\r", o);
            else if (c == '\t')
                fputs("\\t", o);
            else if (c < 0x20 || c == 0x7f)
                fprintf(o, "\\u%04x", c);
            else
                fputc(c, o);
            i++;
        }
    }
    fputc('"', o);
}

static void put_text_str(FILE *o, const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t len = utf8_len(p + i, n - i);
        if (len > 1) {
            fwrite(p + i, 1, len, o);
            i += len;
        } else {
            if (len == 0 || p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\')
                fprintf(o, "\\x%02x", p[i]);
            else
                fputc(p[i], o);
            i++;
        }
    }
}

static void put_code(dump *d, uint32_t code)
{
    const char *name = h2_error_code_name(code);
    if (d->json)
        fprintf(d->out, ",\"error_code\":%u,\"error_name\":\"%s\"", code, name ? name : "UNKNOWN");
    else if (name)
        fprintf(d->out, " error_code=%s", name);
    else
        fprintf(d->out, " error_code=0x%x", code);
}

static void put_u(dump *d, const char *key, unsigned long v)
{
    fprintf(d->out, d->json ? ",\"%s\":%lu" : " %s=%lu", key, v);
}

static void put_bytes(dump *d, const char *key, const uint8_t *p, size_t n)
{
    fprintf(d->out, d->json ? ",\"%s\":\"" : " %s=", key);
    put_hex(d->out, p, n);
    if (d->json)
        fputc('"', d->out);
}

static void put_pri(dump *d, const h2_priority_spec *ps)
{
    if (d->json)
        fprintf(d->out, ",\"exclusive\":%s", ps->exclusive ? "true" : "false");
    else
        fprintf(d->out, " exclusive=%u", ps->exclusive);
    put_u(d, "stream_dependency", ps->stream_dependency);
    put_u(d, "weight", ps->weight); /* 1..256: wire value + 1 (§6.3) */
}

static void put_headers(dump *d, const h2_header_list *hl)
{
    size_t i;
    fprintf(d->out, d->json ? ",\"headers\":[" : " headers=[");
    for (i = 0; i < hl->len; i++) {
        const h2_nv *nv = &hl->nva[i];
        if (d->json) {
            fprintf(d->out, "%s[", i ? "," : "");
            put_json_str(d->out, nv->name, nv->namelen);
            fputc(',', d->out);
            put_json_str(d->out, nv->value, nv->valuelen);
            fputc(']', d->out);
        } else {
            fprintf(d->out, "%s", i ? " " : "");
            put_text_str(d->out, nv->name, nv->namelen);
            fputs(": ", d->out);
            put_text_str(d->out, nv->value, nv->valuelen);
            fputc(';', d->out);
        }
    }
    fputc(']', d->out);
}

static int on_frame(void *ud, const h2_frame *f, const h2_header_list *hl)
{
    dump *d = ud;
    const char *name = h2_frame_type_name(f->hd.type);
    size_t i;
    if (d->json) {
        fprintf(d->out, "{\"type\":\"%s\"", name ? name : "UNKNOWN");
        if (!name)
            fprintf(d->out, ",\"type_code\":%u", f->hd.type);
        fprintf(d->out, ",\"flags\":%u,\"stream_id\":%u,\"length\":%u", f->hd.flags,
                f->hd.stream_id, f->hd.length);
    } else {
        if (name)
            fprintf(d->out, "%s", name);
        else
            fprintf(d->out, "UNKNOWN(0x%02x)", f->hd.type);
        fprintf(d->out, " flags=0x%02x stream_id=%u length=%u", f->hd.flags, f->hd.stream_id,
                f->hd.length);
    }
    switch (f->hd.type) {
    case H2_DATA:
        if (f->hd.flags & H2_FLAG_PADDED)
            put_u(d, "pad_length", f->data.pad_length);
        put_bytes(d, "data", f->data.data, f->data.datalen);
        break;
    case H2_HEADERS:
        if (f->hd.flags & H2_FLAG_PADDED)
            put_u(d, "pad_length", f->headers.pad_length);
        if (f->hd.flags & H2_FLAG_PRIORITY)
            put_pri(d, &f->headers.pri_spec);
        break;
    case H2_PRIORITY:
        put_pri(d, &f->priority.pri_spec);
        break;
    case H2_RST_STREAM:
        put_code(d, f->rst_stream.error_code);
        break;
    case H2_SETTINGS:
        fprintf(d->out, d->json ? ",\"settings\":[" : " settings=[");
        for (i = 0; i < f->settings.niv; i++)
            fprintf(d->out, d->json ? "%s[%u,%u]" : "%s%u:%u", i ? (d->json ? "," : " ") : "",
                    f->settings.iv[i].id, f->settings.iv[i].value);
        fputc(']', d->out);
        break;
    case H2_PUSH_PROMISE:
        if (f->hd.flags & H2_FLAG_PADDED)
            put_u(d, "pad_length", f->push_promise.pad_length);
        put_u(d, "promised_stream_id", f->push_promise.promised_stream_id);
        break;
    case H2_PING:
        put_bytes(d, "opaque", f->ping.opaque_data, 8);
        break;
    case H2_GOAWAY:
        put_u(d, "last_stream_id", f->goaway.last_stream_id);
        put_code(d, f->goaway.error_code);
        put_bytes(d, "debug_data", f->goaway.debug_data, f->goaway.debug_datalen);
        break;
    case H2_WINDOW_UPDATE:
        put_u(d, "increment", f->window_update.window_size_increment);
        break;
    case H2_CONTINUATION:
        break;
    default: /* §5.5: an extension frame, shown whole */
        put_bytes(d, "payload", f->ext.payload, f->ext.payloadlen);
        break;
    }
    if (hl)
        put_headers(d, hl);
    fputs(d->json ? "}\n" : "\n", d->out);
    return 0;
}

/* One error line: |name| is an RFC 9113 §7 name (with |code|) or
   "TRUNCATED" (|code| unused, |scope| "input", no stream). */
static void put_error(dump *d, const char *name, uint32_t code, const char *scope,
                      uint32_t stream_id, const char *reason)
{
    int protocol = strcmp(scope, "input") != 0;
    if (d->json) {
        fprintf(d->out, "{\"error\":\"%s\"", name);
        if (protocol)
            fprintf(d->out, ",\"error_code\":%u", code);
        fprintf(d->out, ",\"scope\":\"%s\"", scope);
        if (protocol)
            fprintf(d->out, ",\"stream_id\":%u", stream_id);
        fputs(",\"reason\":", d->out);
        put_json_str(d->out, (const uint8_t *)reason, strlen(reason));
        fputs("}\n", d->out);
    } else {
        fprintf(d->out, "error %s scope=%s", name, scope);
        if (protocol)
            fprintf(d->out, " stream_id=%u", stream_id);
        fprintf(d->out, " (%s)\n", reason);
    }
}

/* The truncation error for input that ends with |pd| unfinished; returns 0
   if nothing is. */
static int put_truncation(dump *d, const h2_pending *pd)
{
    char reason[200];
    const char *type = h2_frame_type_name(pd->hd.type);
    switch (pd->kind) {
    case H2_PENDING_NONE:
        return 0;
    case H2_PENDING_PREFACE:
        if (pd->have == 0)
            snprintf(reason, sizeof reason,
                     "no client connection preface (RFC 9113 §3.4): the input is empty");
        else
            snprintf(reason, sizeof reason,
                     "input ends inside the client connection preface (%zu of %zu octets)",
                     pd->have, pd->need);
        break;
    case H2_PENDING_SETTINGS:
        snprintf(reason, sizeof reason,
                 "input ends after the preface octets, before the SETTINGS frame that "
                 "completes the client connection preface (RFC 9113 §3.4)");
        break;
    case H2_PENDING_FRAME_HEADER:
        snprintf(reason, sizeof reason, "input ends inside a frame header (%zu of %zu octets)",
                 pd->have, pd->need);
        break;
    case H2_PENDING_PAYLOAD:
        if (type)
            snprintf(reason, sizeof reason,
                     "input ends inside the payload of a %s frame on stream %u (%zu of %zu "
                     "octets)", type, pd->hd.stream_id, pd->have, pd->need);
        else
            snprintf(reason, sizeof reason,
                     "input ends inside the payload of a frame of unknown type 0x%02x on "
                     "stream %u (%zu of %zu octets)", pd->hd.type, pd->hd.stream_id, pd->have,
                     pd->need);
        break;
    case H2_PENDING_FIELD_BLOCK:
        snprintf(reason, sizeof reason,
                 "input ends inside the field block %s began on stream %u: no CONTINUATION "
                 "with END_HEADERS (RFC 9113 §4.3)",
                 type ? type : "a frame", pd->hd.stream_id);
        break;
    }
    put_error(d, "TRUNCATED", 0, "input", 0, reason);
    return 1;
}

static int usage(FILE *o, int status)
{
    fprintf(o, "usage: h2dump [--json] [--preface] [--role client|server|any] "
               "[--max-frame-size N] [--header-table-size N] [--no-push] [FILE|-]\n");
    return status;
}

/* Parses decimal |s| into *|v| within [lo, hi]; 0 on success. */
static int parse_num(const char *s, unsigned long lo, unsigned long hi, unsigned long *v)
{
    char *end;
    if (s == NULL || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    *v = strtoul(s, &end, 10);
    return (errno || *end || *v < lo || *v > hi) ? -1 : 0;
}

/* Options into |cfg| and |d|; returns -1 for a usage error (message printed),
   1 for --help, else 0. */
static int parse_args(int argc, char **argv, h2_parser_config *cfg, dump *d, const char **path)
{
    int i, role_given = 0;
    unsigned long v;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--json") == 0) {
            d->json = 1;
        } else if (strcmp(a, "--preface") == 0) {
            cfg->expect_preface = 1;
        } else if (strcmp(a, "--no-push") == 0) {
            cfg->enable_push = 0;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            return 1;
        } else if (strcmp(a, "--max-frame-size") == 0) {
            /* §6.5.2: SETTINGS_MAX_FRAME_SIZE is 2^14..2^24-1 */
            if (parse_num(val, H2_DEFAULT_MAX_FRAME_SIZE, H2_MAX_PAYLOAD_LENGTH, &v)) {
                fprintf(stderr, "h2dump: --max-frame-size takes 16384..16777215 "
                                "(RFC 9113 §6.5.2)\n");
                return -1;
            }
            cfg->max_frame_size = (uint32_t)v;
            i++;
        } else if (strcmp(a, "--header-table-size") == 0) {
            if (parse_num(val, 0, UINT32_MAX, &v)) {
                fprintf(stderr, "h2dump: --header-table-size takes 0..4294967295\n");
                return -1;
            }
            cfg->header_table_size = (uint32_t)v;
            i++;
        } else if (strcmp(a, "--role") == 0) {
            if (val && strcmp(val, "client") == 0)
                cfg->role = H2_ROLE_CLIENT;
            else if (val && strcmp(val, "server") == 0)
                cfg->role = H2_ROLE_SERVER;
            else if (val && strcmp(val, "any") == 0)
                cfg->role = H2_ROLE_ANY;
            else {
                fprintf(stderr, "h2dump: --role takes client, server or any\n");
                return -1;
            }
            role_given = 1;
            i++;
        } else if ((a[0] == '-' && a[1] != '\0') || *path) {
            usage(stderr, 2);
            return -1;
        } else {
            *path = a;
        }
    }
    /* §3.4: only a client sends the preface, so its reader is the server */
    if (cfg->expect_preface) {
        if (role_given && cfg->role != H2_ROLE_SERVER) {
            fprintf(stderr, "h2dump: --preface means the input comes from a client "
                            "(h2dump is the server); it contradicts --role %s\n",
                    cfg->role == H2_ROLE_CLIENT ? "client" : "any");
            return -1;
        }
        cfg->role = H2_ROLE_SERVER;
    }
    return 0;
}

/* Feeds |n| octets to |p|, printing each error; stream errors do not stop
   it (§5.4.2). Returns 0 to go on, 1 after a connection error, 2 on
   exhaustion of memory; sets *|errors| when something was printed. */
static int feed(dump *d, h2_parser *p, const uint8_t *buf, size_t n, int *errors)
{
    size_t off = 0;
    while (off < n) {
        size_t c = 0;
        int rv = h2_parser_feed(p, buf + off, n - off, &c);
        const h2_error *e;
        const char *name;
        off += c;
        if (rv == H2_OK)
            break;
        e = h2_parser_last_error(p);
        name = h2_error_code_name(e->code);
        if (rv == H2_ERR_NOMEM || rv == H2_ERR_CALLBACK || rv == H2_ERR_PARSER_DEAD ||
            name == NULL) {
            fprintf(stderr, "h2dump: %s\n", h2_strerror(rv));
            return 2;
        }
        *errors = 1;
        put_error(d, name, e->code, e->scope == H2_SCOPE_STREAM ? "stream" : "connection",
                  e->stream_id, e->detail ? e->detail : h2_strerror(rv));
        if (e->scope == H2_SCOPE_CONNECTION)
            return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    dump d = {0, stdout};
    h2_parser_config cfg;
    h2_parser *p;
    h2_pending pd;
    const char *path = NULL;
    FILE *in = stdin;
    uint8_t buf[4096];
    int rv, errors = 0, stop = 0;
    h2_parser_config_default(&cfg);
    cfg.extension_payloads = 1; /* show unknown frames' payload */
    rv = parse_args(argc, argv, &cfg, &d, &path);
    if (rv > 0) {
        usage(stdout, 0);
        fputs("Prints the HTTP/2 frames (RFC 9113) that one end sent, as the other end\n"
              "reads them: one line, or with --json one JSON object, per frame.\n"
              "  --preface             input starts with the client preface (implies --role server)\n"
              "  --role R              server: input from a client; client: from a server;\n"
              "                        any (default): no role rules\n"
              "  --max-frame-size N    our SETTINGS_MAX_FRAME_SIZE (16384..16777215)\n"
              "  --header-table-size N our SETTINGS_HEADER_TABLE_SIZE (default 4096)\n"
              "  --no-push             our SETTINGS_ENABLE_PUSH is 0\n"
              "weight is 1..256 (wire value + 1); errors are printed where they occur; exit\n"
              "0 valid, 1 an error was printed, 2 usage or input error. See targets/h2/README.md.\n",
              stdout);
        return 0;
    }
    if (rv)
        return 2;
    if (path && strcmp(path, "-") != 0) {
        in = fopen(path, "rb");
        if (in == NULL) {
            fprintf(stderr, "h2dump: %s: %s\n", path, strerror(errno));
            return 2;
        }
    }
    p = h2_parser_new(&cfg, on_frame, &d);
    if (p == NULL) {
        fprintf(stderr, "h2dump: out of memory\n");
        return 2;
    }
    while (!stop) {
        size_t n = fread(buf, 1, sizeof buf, in);
        if (n == 0) {
            if (ferror(in)) {
                fprintf(stderr, "h2dump: %s: %s\n", path ? path : "stdin", strerror(errno));
                stop = 2;
            }
            break;
        }
        stop = feed(&d, p, buf, n, &errors);
    }
    if (stop == 0) {
        h2_parser_pending(p, &pd);
        errors |= put_truncation(&d, &pd);
    }
    h2_parser_del(p);
    if (in != stdin)
        fclose(in);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "h2dump: write error\n");
        return 2;
    }
    return stop == 2 ? 2 : errors ? 1 : 0;
}
