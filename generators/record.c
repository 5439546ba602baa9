/*
 * record.c: counterexample records (docs/record-format.md), with libcbor.
 *
 * A record is the typed choice sequence of a failing run: every draw's
 * kind, bounds, value and label, plus the failure and the raw bytes. Replay
 * takes the values, not the bytes, so a record outlives changes to the byte
 * encoding and to generators' details.
 */
#include "record.h"

#include <cbor.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define SELF_DESCRIBE_TAG 55799u

bool pry_record_sniff(const uint8_t *data, size_t n)
{
    /* RFC 8949 §3.4.6: d9 d9 f7 marks the file as CBOR. */
    return n >= 3 && data[0] == 0xd9 && data[1] == 0xd9 && data[2] == 0xf7;
}

/* ---- encoding ---- */

static void put(cbor_item_t *map, const char *key, cbor_item_t *value)
{
    if (value == NULL)
        return;
    cbor_map_add(map, (struct cbor_pair){.key = cbor_move(cbor_build_string(key)),
                                         .value = cbor_move(value)});
}

static cbor_item_t *text_or_null(const char *s)
{
    return s != NULL ? cbor_build_string(s) : cbor_new_null();
}

static cbor_item_t *int_item(uint64_t v, bool is_signed)
{
    if (is_signed && (int64_t)v < 0)
        return cbor_build_negint64((uint64_t)(-((int64_t)v + 1)));
    return cbor_build_uint64(v);
}

void pry_record_blob_data(const pry_log_t *log, uint32_t i, size_t *from,
                          size_t *to)
{
    const pry_entry_t *e = &log->entries[i];
    uint32_t end = e->end > i ? e->end : i + 1;
    size_t prefix = (i + 1 < end && log->entries[i + 1].kind == PRY_K_LEN)
                        ? log->entries[i + 1].len : 0;
    *from = (size_t)e->start + prefix;
    *to = (size_t)e->start + e->len;
    if (*to > log->input_len)
        *to = log->input_len;
    if (*from > *to)
        *from = *to;
}

static cbor_item_t *entry_item(const pry_log_t *log, uint32_t i)
{
    const pry_entry_t *e = &log->entries[i];
    bool sg = (e->flags & PRY_F_SIGNED) != 0;
    cbor_item_t *m = cbor_new_definite_map(12);
    put(m, "k", cbor_build_string(pry_kind_name(e->kind)));
    if (e->label != 0)
        put(m, "l", cbor_build_string(pry_pool_str(log, e->label)));
    put(m, "d", cbor_build_uint16(e->depth));
    put(m, "s", cbor_build_uint32(e->start));
    put(m, "w", cbor_build_uint32(e->len));
    if (e->flags & (PRY_F_BYTES | PRY_F_ADAPTED | PRY_F_STEPS))
        put(m, "f", cbor_build_uint8(e->flags & (PRY_F_BYTES | PRY_F_ADAPTED | PRY_F_STEPS)));
    if (e->text != 0)
        put(m, "t", cbor_build_string(pry_pool_str(log, e->text)));
    if (PRY_KIND_IS_GROUP(e->kind)) {
        uint32_t end = (e->flags & PRY_F_OPEN) ? log->n_entries : e->end;
        put(m, "n", cbor_build_uint32(end > i ? end - i - 1 : 0));
    } else if (e->kind == PRY_K_BLOB) {
        uint32_t end = e->end > i ? e->end : i + 1;
        put(m, "n", cbor_build_uint32(end - i - 1));
        size_t from, to;
        pry_record_blob_data(log, i, &from, &to);
        put(m, "b", cbor_build_bytestring(log->input + from, to - from));
        put(m, "hi", cbor_build_uint64(e->hi));
    } else {
        put(m, "lo", int_item(e->lo, sg));
        put(m, "hi", int_item(e->hi, sg));
        put(m, "v", int_item(e->value, sg));
    }
    return m;
}

uint8_t *pry_record_encode(const pry_opts_t *o, pry_exec_t *x,
                           const pry_finding_t *fd, size_t *len)
{
    pry_log_t *log = x->log;
    const pry_result_t *r = &fd->result;
    cbor_item_t *m = cbor_new_definite_map(16);
    put(m, "pry", cbor_build_uint8(PRY_RECORD_VERSION));
    put(m, "kit", cbor_build_string(PRY_VERSION));
    put(m, "build", cbor_build_string(pry_build_variant()));
    put(m, "plants", cbor_build_string(pry_build_plants()));
    put(m, "harness", cbor_build_string(o->harness));
    put(m, "property", cbor_build_string(pry_property_at((size_t)fd->prop)->name));
    put(m, "status", cbor_build_string(r->status == PRY_RUN_FAIL    ? "failed"
                                       : r->status == PRY_RUN_TIMEOUT ? "hung"
                                       : r->status == PRY_RUN_PASS    ? "passed"
                                                                      : "crashed"));
    put(m, "kind", cbor_build_string(r->kind));
    put(m, "site", cbor_build_string(r->site));
    put(m, "expr", text_or_null(r->status == PRY_RUN_FAIL
                                    ? pry_pool_str(log, log->fail_expr) : NULL));
    put(m, "message", text_or_null(r->status == PRY_RUN_FAIL
                                       ? pry_pool_str(log, log->fail_message) : NULL));
    put(m, "notes", text_or_null(pry_pool_str(log, log->notes)));
    cbor_item_t *draws = cbor_new_definite_array(log->n_entries);
    for (uint32_t i = 0; i < log->n_entries; i++)
        cbor_array_push(draws, cbor_move(entry_item(log, i)));
    put(m, "draws", draws);
    put(m, "input", cbor_build_bytestring(fd->input, fd->len));
    cbor_item_t *root = cbor_build_tag(SELF_DESCRIBE_TAG, cbor_move(m));
    unsigned char *buf = NULL;
    size_t cap = 0;
    *len = cbor_serialize_alloc(root, &buf, &cap);
    cbor_decref(&root);
    if (*len == 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

int pry_save_record_to(const pry_opts_t *o, pry_exec_t *x,
                       const pry_finding_t *fd, const char *path)
{
    size_t n;
    uint8_t *buf = pry_record_encode(o, x, fd, &n);
    if (buf == NULL) {
        fprintf(stderr, "pry: cannot encode the record (out of memory)\n");
        return -1;
    }
    int rc = pry_write_file(path, buf, n);
    free(buf);
    return rc;
}

/* ---- decoding ---- */

static cbor_item_t *get(cbor_item_t *map, const char *key)
{
    struct cbor_pair *pairs = cbor_map_handle(map);
    size_t n = cbor_map_size(map);
    size_t klen = strlen(key);
    for (size_t i = 0; i < n; i++) {
        cbor_item_t *k = pairs[i].key;
        if (cbor_isa_string(k) && cbor_string_is_definite(k) &&
            cbor_string_length(k) == klen &&
            memcmp(cbor_string_handle(k), key, klen) == 0)
            return pairs[i].value;
    }
    return NULL;
}

static char *dup_text(cbor_item_t *it)
{
    if (it == NULL || !cbor_isa_string(it) || !cbor_string_is_definite(it))
        return NULL;
    size_t n = cbor_string_length(it);
    char *s = malloc(n + 1);
    if (s != NULL) {
        memcpy(s, cbor_string_handle(it), n);
        s[n] = '\0';
    }
    return s;
}

/* An integer field: uint or negint. */
static bool get_int(cbor_item_t *it, uint64_t *out)
{
    if (it == NULL)
        return false;
    if (cbor_isa_uint(it)) {
        *out = cbor_get_int(it);
        return true;
    }
    if (cbor_isa_negint(it)) {
        *out = (uint64_t)(-(int64_t)cbor_get_int(it) - 1);
        return true;
    }
    return false;
}

static int kind_from_name(const char *name)
{
    for (int k = 1; k < 64; k++)
        if (strcmp(pry_kind_name((unsigned)k), name) == 0)
            return k;
    return -1;
}

static uint32_t pool_put(pry_log_t *log, const char *s, size_t n)
{
    if ((size_t)log->pool_used + n + 1 > PRY_POOL_SIZE)
        return 0;
    uint32_t off = log->pool_used;
    memcpy(log->pool + off, s, n);
    log->pool[off + n] = '\0';
    log->pool_used += (uint32_t)(n + 1);
    return off;
}

static uint32_t pool_text(pry_log_t *log, cbor_item_t *it)
{
    if (it == NULL || !cbor_isa_string(it) || !cbor_string_is_definite(it))
        return 0;
    return pool_put(log, (const char *)cbor_string_handle(it), cbor_string_length(it));
}

/* libcbor's cbor_load allocates what a header declares before reading the
 * elements, so 9 bytes declaring a 2^33-element array ask for 128 GiB. A
 * record is never larger than its file: walk the headers with libcbor's
 * streaming decoder first and refuse any count larger than the bytes left
 * (each element takes at least one byte). */
typedef struct {
    size_t remaining;
    bool too_big;
} size_check_t;

static void check_count(void *ctx, size_t count)
{
    size_check_t *c = ctx;
    if (count > c->remaining)
        c->too_big = true;
}

static void check_map(void *ctx, size_t count)
{
    size_check_t *c = ctx;
    if (count > c->remaining / 2)
        c->too_big = true;
}

static bool declared_sizes_fit(const uint8_t *data, size_t n)
{
    struct cbor_callbacks cb = cbor_empty_callbacks;
    cb.array_start = check_count;
    cb.map_start = check_map;
    size_check_t c = {0, false};
    size_t pos = 0;
    while (pos < n && !c.too_big) {
        c.remaining = n - pos; /* an upper bound: it includes the header */
        struct cbor_decoder_result r =
            cbor_stream_decode(data + pos, n - pos, &cb, &c);
        if (r.status != CBOR_DECODER_FINISHED || r.read == 0)
            break; /* cbor_load will say what is wrong */
        pos += r.read;
        /* Strings come whole (the decoder checked their length against
         * the bytes available); collections are only their headers. */
    }
    return !c.too_big;
}

#define FAIL(...)                                                              \
    do {                                                                       \
        snprintf(err, err_size, __VA_ARGS__);                                  \
        goto fail;                                                             \
    } while (0)

int pry_record_decode(const uint8_t *data, size_t n, pry_record_t *rec,
                      char *err, size_t err_size)
{
    memset(rec, 0, sizeof *rec);
    if (!declared_sizes_fit(data, n)) {
        snprintf(err, err_size, "a CBOR header declares more items than the "
                                "file holds (truncated or garbage)");
        return -1;
    }
    struct cbor_load_result res;
    cbor_item_t *root = cbor_load(data, n, &res);
    cbor_item_t *m = NULL;
    if (root == NULL) {
        snprintf(err, err_size, "%s at byte %zu",
                 res.error.code == CBOR_ERR_NOTENOUGHDATA ? "truncated CBOR"
                 : res.error.code == CBOR_ERR_MEMERROR     ? "out of memory"
                                                           : "malformed CBOR",
                 res.error.position);
        return -1;
    }
    rec->item = root;
    if (res.read != n)
        FAIL("%zu bytes of garbage after the record", n - res.read);
    if (!cbor_isa_tag(root) || cbor_tag_value(root) != SELF_DESCRIBE_TAG)
        FAIL("CBOR, but not a pry record (no self-describe tag)");
    m = cbor_tag_item(root);
    if (!cbor_isa_map(m) || !cbor_map_is_definite(m))
        FAIL("CBOR, but not a pry record (not a map)");
    uint64_t version;
    if (!get_int(get(m, "pry"), &version))
        FAIL("CBOR, but not a pry record (no \"pry\" version)");
    if (version != PRY_RECORD_VERSION)
        FAIL("record format version %" PRIu64 "; this pry reads version %d",
             version, PRY_RECORD_VERSION);
    rec->version = (unsigned)version;
    rec->kit = dup_text(get(m, "kit"));
    rec->plants = dup_text(get(m, "plants"));
    rec->harness = dup_text(get(m, "harness"));
    rec->property = dup_text(get(m, "property"));
    rec->status = dup_text(get(m, "status"));
    rec->kind = dup_text(get(m, "kind"));
    rec->site = dup_text(get(m, "site"));
    rec->expr = dup_text(get(m, "expr"));
    rec->message = dup_text(get(m, "message"));
    rec->notes = dup_text(get(m, "notes"));
    if (rec->harness == NULL || rec->property == NULL)
        FAIL("the record names no harness or property");
    cbor_item_t *input = get(m, "input");
    if (input == NULL || !cbor_isa_bytestring(input) ||
        !cbor_bytestring_is_definite(input))
        FAIL("the record has no \"input\" bytes");
    rec->input_len = cbor_bytestring_length(input);
    rec->input = malloc(rec->input_len + 1);
    if (rec->input == NULL)
        FAIL("out of memory");
    memcpy(rec->input, cbor_bytestring_handle(input), rec->input_len);

    cbor_item_t *draws = get(m, "draws");
    if (draws == NULL || !cbor_isa_array(draws) || !cbor_array_is_definite(draws))
        FAIL("the record has no \"draws\" array");
    size_t nd = cbor_array_size(draws);
    if (nd > PRY_MAX_ENTRIES)
        FAIL("too many draws (%zu)", nd);
    rec->log = calloc(1, sizeof *rec->log);
    rec->values = calloc(nd + 1, sizeof *rec->values);
    if (rec->log == NULL || rec->values == NULL)
        FAIL("out of memory");
    pry_log_t *log = rec->log;
    log->pool_used = 1;
    size_t in_len = rec->input_len < PRY_MAX_INPUT ? rec->input_len : PRY_MAX_INPUT;
    memcpy(log->input, rec->input, in_len);
    log->input_len = (uint32_t)in_len;
    cbor_item_t **items = cbor_array_handle(draws);
    for (size_t i = 0; i < nd; i++) {
        cbor_item_t *d = items[i];
        if (!cbor_isa_map(d))
            FAIL("draw %zu is not a map", i);
        char *kname = dup_text(get(d, "k"));
        int kind = kname ? kind_from_name(kname) : -1;
        free(kname);
        if (kind < 0)
            FAIL("draw %zu has an unknown kind", i);
        pry_entry_t *e = &log->entries[i];
        uint64_t v = 0;
        e->kind = (uint8_t)kind;
        e->label = pool_text(log, get(d, "l"));
        e->text = pool_text(log, get(d, "t"));
        if (get_int(get(d, "d"), &v))
            e->depth = (uint16_t)v;
        if (get_int(get(d, "s"), &v))
            e->start = (uint32_t)v;
        if (get_int(get(d, "w"), &v))
            e->len = (uint32_t)v;
        if (get_int(get(d, "f"), &v))
            e->flags = (uint8_t)(v & (PRY_F_BYTES | PRY_F_ADAPTED | PRY_F_STEPS));
        e->end = (uint32_t)i + 1;
        if (PRY_KIND_IS_GROUP(kind) || kind == PRY_K_BLOB) {
            if (get_int(get(d, "n"), &v) && v < nd - i)
                e->end = (uint32_t)(i + 1 + v);
        }
        if (kind == PRY_K_BLOB) {
            cbor_item_t *b = get(d, "b");
            if (b == NULL || !cbor_isa_bytestring(b) || !cbor_bytestring_is_definite(b))
                FAIL("blob draw %zu has no bytes", i);
            pry_value_t *pv = &rec->values[rec->n_values++];
            pv->kind = PRY_K_BLOB;
            pv->bytes = cbor_bytestring_handle(b);
            pv->n_bytes = cbor_bytestring_length(b);
            e->value = pv->n_bytes;
            if (get_int(get(d, "hi"), &v))
                e->hi = v;
        } else if (!PRY_KIND_IS_GROUP(kind)) {
            cbor_item_t *lo = get(d, "lo"), *hi = get(d, "hi"), *val = get(d, "v");
            if (!get_int(lo, &e->lo) || !get_int(hi, &e->hi) || !get_int(val, &e->value))
                FAIL("draw %zu lacks lo, hi or v", i);
            if (cbor_isa_negint(lo) || cbor_isa_negint(val) || cbor_isa_negint(hi) ||
                kind == PRY_K_INT)
                e->flags |= PRY_F_SIGNED;
            /* The length of a blob is implied by its bytes. */
            bool in_blob = false;
            for (size_t j = i; j-- > 0;) {
                if (log->entries[j].kind == PRY_K_BLOB && log->entries[j].end > i) {
                    in_blob = true;
                    break;
                }
                if (log->entries[j].depth < e->depth)
                    break;
            }
            if (!in_blob) {
                pry_value_t *pv = &rec->values[rec->n_values++];
                pv->kind = e->kind;
                pv->flags = e->flags & PRY_F_SIGNED;
                pv->lo = e->lo;
                pv->hi = e->hi;
                pv->value = e->value;
            }
        }
    }
    log->n_entries = (uint32_t)nd;
    if (rec->site != NULL && rec->status != NULL && strcmp(rec->status, "failed") == 0) {
        log->fail_expr = rec->expr ? pool_put(log, rec->expr, strlen(rec->expr)) : 0;
        log->fail_message = rec->message ? pool_put(log, rec->message, strlen(rec->message)) : 0;
    }
    if (rec->notes != NULL)
        log->notes = pool_put(log, rec->notes, strlen(rec->notes));
    cbor_decref(&m);
    return 0;
fail:
    if (m != NULL)
        cbor_decref(&m);
    pry_record_free(rec);
    return -1;
}

void pry_record_free(pry_record_t *rec)
{
    free(rec->kit);
    free(rec->plants);
    free(rec->harness);
    free(rec->property);
    free(rec->status);
    free(rec->kind);
    free(rec->site);
    free(rec->expr);
    free(rec->message);
    free(rec->notes);
    free(rec->values);
    free(rec->log);
    free(rec->input);
    if (rec->item != NULL) {
        cbor_item_t *it = rec->item;
        cbor_decref(&it);
    }
    memset(rec, 0, sizeof *rec);
}

/* ---- diagnostic notation (RFC 8949 §8) ---- */

static void diag(FILE *f, cbor_item_t *it, int indent)
{
    switch (cbor_typeof(it)) {
    case CBOR_TYPE_UINT:
        fprintf(f, "%" PRIu64, cbor_get_int(it));
        break;
    case CBOR_TYPE_NEGINT:
        fprintf(f, "-%" PRIu64 "%s", cbor_get_int(it) + 1,
                cbor_get_int(it) == UINT64_MAX ? " (overflows)" : "");
        break;
    case CBOR_TYPE_BYTESTRING: {
        fprintf(f, "h'");
        if (cbor_bytestring_is_definite(it))
            for (size_t i = 0; i < cbor_bytestring_length(it); i++)
                fprintf(f, "%02x", cbor_bytestring_handle(it)[i]);
        fprintf(f, "'");
        break;
    }
    case CBOR_TYPE_STRING: {
        pry_out_t o;
        pry_out_init(&o);
        if (cbor_string_is_definite(it))
            pry_out_quoted(&o, cbor_string_handle(it), cbor_string_length(it));
        fputs(o.buf ? o.buf : "\"\"", f);
        pry_out_free(&o);
        break;
    }
    case CBOR_TYPE_ARRAY: {
        size_t n = cbor_array_size(it);
        cbor_item_t **a = cbor_array_handle(it);
        fprintf(f, "[");
        for (size_t i = 0; i < n; i++) {
            fprintf(f, "%s\n%*s", i ? "," : "", indent + 2, "");
            diag(f, a[i], indent + 2);
        }
        if (n)
            fprintf(f, "\n%*s", indent, "");
        fprintf(f, "]");
        break;
    }
    case CBOR_TYPE_MAP: {
        size_t n = cbor_map_size(it);
        struct cbor_pair *p = cbor_map_handle(it);
        bool flat = indent > 2; /* draws: one line each */
        fprintf(f, "{");
        for (size_t i = 0; i < n; i++) {
            if (flat)
                fprintf(f, "%s", i ? ", " : "");
            else
                fprintf(f, "%s\n%*s", i ? "," : "", indent + 2, "");
            diag(f, p[i].key, indent + 2);
            fprintf(f, ": ");
            diag(f, p[i].value, indent + 2);
        }
        if (!flat && n)
            fprintf(f, "\n%*s", indent, "");
        fprintf(f, "}");
        break;
    }
    case CBOR_TYPE_TAG: {
        fprintf(f, "%" PRIu64 "(", cbor_tag_value(it));
        cbor_item_t *inner = cbor_tag_item(it);
        diag(f, inner, indent);
        cbor_decref(&inner);
        fprintf(f, ")");
        break;
    }
    case CBOR_TYPE_FLOAT_CTRL:
        if (cbor_float_ctrl_is_ctrl(it)) {
            uint8_t c = cbor_ctrl_value(it);
            fprintf(f, "%s", c == CBOR_CTRL_NULL ? "null" : c == CBOR_CTRL_TRUE ? "true"
                             : c == CBOR_CTRL_FALSE ? "false" : "undefined");
        } else {
            fprintf(f, "%.17g", cbor_float_get_float(it));
        }
        break;
    }
}

void pry_record_diagnostic(FILE *f, const pry_record_t *rec)
{
    diag(f, rec->item, 0);
    fprintf(f, "\n");
}

/* ---- show ---- */

int pry_cmd_show(pry_opts_t *o, const char *file)
{
    size_t n;
    uint8_t *data = pry_read_file(file, &n);
    if (data == NULL)
        return 2;
    if (!pry_record_sniff(data, n)) {
        fprintf(stderr, "pry: %s is not a pry record (raw input? use --repro)\n", file);
        free(data);
        return 2;
    }
    pry_record_t rec;
    char err[256];
    if (pry_record_decode(data, n, &rec, err, sizeof err) != 0) {
        fprintf(stderr, "pry: %s: not a valid pry record: %s\n", file, err);
        free(data);
        return 2;
    }
    free(data);
    (void)o;
    printf("%s/%s: %s", rec.harness, rec.property, rec.status ? rec.status : "?");
    if (rec.kind && rec.kind[0])
        printf(" (%s%s%s)", rec.kind, rec.site && rec.site[0] ? " at " : "",
               rec.site ? rec.site : "");
    printf("   [record v%u, pry %s]\n", rec.version, rec.kit ? rec.kit : "?");
    if (rec.plants != NULL && rec.plants[0])
        printf("  found with planted bugs: %s\n", rec.plants);
    if (rec.expr)
        printf("    %s\n", rec.expr);
    if (rec.message && rec.message[0]) {
        for (const char *s = rec.message; *s;) {
            size_t k = strcspn(s, "\n");
            printf("    %.*s\n", (int)k, s);
            s += k + (s[k] == '\n');
        }
    }
    pry_out_t draws;
    pry_out_init(&draws);
    pry_report_draws(&draws, rec.log, 4);
    printf("  drawn:\n%s", draws.buf ? draws.buf : "    (nothing)\n");
    pry_out_free(&draws);
    if (rec.notes) {
        printf("  notes:\n");
        for (const char *s = rec.notes; *s;) {
            size_t k = strcspn(s, "\n");
            printf("    %.*s\n", (int)k, s);
            s += k + (s[k] == '\n');
        }
    }
    printf("  input: %zu bytes\n\nCBOR diagnostic notation:\n", rec.input_len);
    pry_record_diagnostic(stdout, &rec);
    pry_record_free(&rec);
    return 0;
}

/* ---- paste-ready regression ---- */

void pry_print_regression(FILE *f, const pry_opts_t *o, pry_exec_t *x,
                          const pry_finding_t *fd)
{
    (void)o;
    const char *name = pry_property_at((size_t)fd->prop)->name;
    pry_out_t lit;
    pry_out_init(&lit);
    pry_out_quoted(&lit, fd->input, fd->len);
    fprintf(f, "  regression (paste into the harness; it runs first, every time):\n"
               "    PRY_EXAMPLE(%s, %s);\n", name, lit.buf ? lit.buf : "\"\"");
    pry_out_free(&lit);
    pry_out_t calls; /* a stateful property's steps: the calls, as C */
    pry_out_init(&calls);
    pry_report_steps_c(&calls, x->log, 4);
    if (calls.len > 0)
        fprintf(f, "  as C (the calls in order, paste into a test):\n%s", calls.buf);
    pry_out_free(&calls);
}
