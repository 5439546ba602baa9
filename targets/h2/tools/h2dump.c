/*
 * h2dump: print HTTP/2 frames, one line per frame.
 *
 *   h2dump [--json] [--preface] [FILE]      (FILE or "-" or nothing: stdin)
 *
 * --preface expects the client connection preface (RFC 9113 §3.4) first.
 * --json prints one JSON object per line: "type" (RFC name, or "UNKNOWN" with
 * "type_code"), "flags", "stream_id", "length" and the type's fields; header
 * lists appear as "headers": [[name, value], ...] on the frame that completes
 * the block. Bytes outside printable ASCII in strings are escaped as \u00XX
 * (read as Latin-1). A protocol error ends the output with
 * {"error": NAME, "scope": "connection"|"stream", "stream_id": N} and exit
 * status 1; input ending inside a frame also exits 1. Usage errors and
 * unreadable files exit 2.
 */
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

static void put_json_str(FILE *o, const uint8_t *p, size_t n)
{
    size_t i;
    fputc('"', o);
    for (i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (c == '"' || c == '\\')
            fprintf(o, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", o);
        else if (c == '\r')
            fputs("\\r", o);
        else if (c == '\t')
            fputs("\\t", o);
        else if (c < 0x20 || c >= 0x7f)
            fprintf(o, "\\u%04x", c);
        else
            fputc(c, o);
    }
    fputc('"', o);
}

static void put_text_str(FILE *o, const uint8_t *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (p[i] < 0x20 || p[i] >= 0x7f || p[i] == '\\')
            fprintf(o, "\\x%02x", p[i]);
        else
            fputc(p[i], o);
    }
}

static void put_code(dump *d, const char *key, uint32_t code)
{
    const char *name = h2_error_code_name(code);
    if (d->json) {
        if (name)
            fprintf(d->out, ",\"%s\":\"%s\"", key, name);
        else
            fprintf(d->out, ",\"%s\":%u", key, code);
    } else {
        if (name)
            fprintf(d->out, " %s=%s", key, name);
        else
            fprintf(d->out, " %s=0x%x", key, code);
    }
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
    put_u(d, "weight", ps->weight);
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
        put_code(d, "error_code", f->rst_stream.error_code);
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
        put_code(d, "error_code", f->goaway.error_code);
        put_bytes(d, "debug_data", f->goaway.debug_data, f->goaway.debug_datalen);
        break;
    case H2_WINDOW_UPDATE:
        put_u(d, "increment", f->window_update.window_size_increment);
        break;
    default:
        break;
    }
    if (hl) {
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
    fputs(d->json ? "}\n" : "\n", d->out);
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: h2dump [--json] [--preface] [FILE|-]\n");
    return 2;
}

int main(int argc, char **argv)
{
    dump d = {0, stdout};
    h2_parser_config cfg;
    h2_parser *p;
    const char *path = NULL;
    FILE *in = stdin;
    uint8_t buf[4096];
    int i, status = 0;
    h2_parser_config_default(&cfg);
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            d.json = 1;
        else if (strcmp(argv[i], "--preface") == 0)
            cfg.expect_preface = 1;
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return usage();
        else if (argv[i][0] == '-' && argv[i][1] != '\0')
            return usage();
        else if (path)
            return usage();
        else
            path = argv[i];
    }
    if (path && strcmp(path, "-") != 0) {
        in = fopen(path, "rb");
        if (in == NULL) {
            perror(path);
            return 2;
        }
    }
    p = h2_parser_new(&cfg, on_frame, &d);
    if (p == NULL) {
        fprintf(stderr, "h2dump: out of memory\n");
        return 2;
    }
    for (;;) {
        size_t n = fread(buf, 1, sizeof buf, in), c;
        int rv;
        if (n == 0) {
            if (ferror(in)) {
                perror(path ? path : "stdin");
                status = 2;
            }
            break;
        }
        rv = h2_parser_feed(p, buf, n, &c);
        if (rv != H2_OK) {
            const h2_error *e = h2_parser_last_error(p);
            const char *name = h2_error_code_name(e->code);
            if (rv == H2_ERR_NOMEM || rv == H2_ERR_CALLBACK || name == NULL) {
                fprintf(stderr, "h2dump: %s\n", h2_strerror(rv));
            } else if (d.json) {
                fprintf(d.out, "{\"error\":\"%s\",\"scope\":\"%s\",\"stream_id\":%u}\n", name,
                        e->scope == H2_SCOPE_STREAM ? "stream" : "connection", e->stream_id);
            } else {
                fprintf(d.out, "error %s scope=%s stream_id=%u (%s)\n", name,
                        e->scope == H2_SCOPE_STREAM ? "stream" : "connection", e->stream_id,
                        e->detail ? e->detail : "");
            }
            status = 1;
            break;
        }
    }
    if (status == 0 && !h2_parser_at_boundary(p)) {
        fprintf(stderr, "h2dump: input ends inside a frame or header block\n");
        status = 1;
    }
    h2_parser_del(p);
    if (in != stdin)
        fclose(in);
    return status;
}
