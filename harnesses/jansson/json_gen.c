/*
 * json_gen.c: generated JSON values (RFC 8259), their printer, the
 * jansson value built from them, and the model comparison.
 */
#include "jansson_harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 4
#define MAX_KIDS 5

/* ---- strings: valid UTF-8 (RFC 3629), every plane ---- */

/* One code point from a class, so that the short encodings, the longest
 * ones and JSON's own specials ('"', '\\', '/', control characters, which
 * must be escaped, RFC 8259 §7) all come up often. */
static uint32_t draw_code_point(pry_t *p, bool nul)
{
    static const char *const classes[] = {"ascii", "special", "2-byte", "3-byte", "4-byte"};
    switch (pry_choice_named(p, NULL, 5, classes)) {
    case 0:
        return (uint32_t)pry_range_u(p, NULL, 'a', '~');
    case 1: {
        static const uint32_t specials[] = {'"', '\\', '/', '\n', '\t', 0x7f, 0x1f, 0x01, 0};
        return specials[pry_index(p, NULL, nul ? 9 : 8)];
    }
    case 2:
        return (uint32_t)pry_range_u(p, NULL, 0x80, 0x7ff);
    case 3: { /* 0x800..0xffff without the surrogates 0xd800..0xdfff */
        uint32_t c = (uint32_t)pry_range_u(p, NULL, 0x800, 0xffff - 0x800);
        return c < 0xd800 ? c : c + 0x800;
    }
    default:
        return (uint32_t)pry_range_u(p, NULL, 0x10000, 0x10ffff);
    }
}

static size_t utf8_put(uint8_t *o, uint32_t c)
{
    if (c < 0x80) {
        o[0] = (uint8_t)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (uint8_t)(0xc0 | (c >> 6));
        o[1] = (uint8_t)(0x80 | (c & 0x3f));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (uint8_t)(0xe0 | (c >> 12));
        o[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
        o[2] = (uint8_t)(0x80 | (c & 0x3f));
        return 3;
    }
    o[0] = (uint8_t)(0xf0 | (c >> 18));
    o[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3f));
    o[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
    o[3] = (uint8_t)(0x80 | (c & 0x3f));
    return 4;
}

pry_bytes_t draw_utf8(pry_t *p, const char *label, size_t max, bool nul)
{
    uint8_t *buf = pry_alloc(p, 4 * max + 1);
    size_t n = 0;
    uint32_t g = pry_group_begin(p, label);
    pry_list_t l = pry_list(p, NULL, max);
    while (pry_list_more(p, &l))
        n += utf8_put(buf + n, draw_code_point(p, nul));
    pry_group_end(p, g);
    buf[n] = 0;
    return (pry_bytes_t){.data = buf, .len = n};
}

double draw_finite(pry_t *p, const char *label)
{
    double d = pry_double(p, label);
    return isfinite(d) ? d : 0.0;
}

/* ---- values ---- */

static const pry_gen_t LEAF, NODE;

static void *draw_leaf(pry_t *p, const void *arg)
{
    (void)arg;
    static const char *const kinds[] = {"null", "true", "false", "integer", "real", "string"};
    jspec_t *s = pry_alloc(p, sizeof *s);
    memset(s, 0, sizeof *s);
    s->kind = (jkind)pry_choice_named(p, NULL, 6, kinds);
    if (s->kind == J_INT)
        s->i = (json_int_t)pry_i64(p, NULL);
    else if (s->kind == J_REAL)
        s->d = draw_finite(p, NULL);
    else if (s->kind == J_STRING)
        s->s = draw_utf8(p, NULL, 8, true);
    return s;
}

static void *draw_node(pry_t *p, const void *arg)
{
    (void)arg;
    static const char *const kinds[] = {"array", "object"};
    jspec_t *s = pry_alloc(p, sizeof *s);
    memset(s, 0, sizeof *s);
    s->kind = pry_choice_named(p, NULL, 2, kinds) == 0 ? J_ARRAY : J_OBJECT;
    s->kids = pry_alloc(p, MAX_KIDS * sizeof *s->kids);
    s->keys = pry_alloc(p, MAX_KIDS * sizeof *s->keys);
    pry_list_t l = pry_list(p, NULL, MAX_KIDS);
    while (pry_list_more(p, &l)) {
        if (s->kind == J_OBJECT)
            s->keys[s->n] = draw_utf8(p, NULL, 4, false);
        s->kids[s->n++] = pry_recursive(p, NULL, &LEAF, &NODE, MAX_DEPTH);
    }
    return s;
}

/* Printed as JSON, strings as C literals (so NUL and invalid bytes show). */
static void print_spec(pry_out_t *out, const void *v, const void *arg)
{
    const jspec_t *s = v;
    switch (s->kind) {
    case J_NULL: pry_out_printf(out, "null"); break;
    case J_TRUE: pry_out_printf(out, "true"); break;
    case J_FALSE: pry_out_printf(out, "false"); break;
    case J_INT: pry_out_printf(out, "%" JSON_INTEGER_FORMAT, s->i); break;
    case J_REAL: pry_out_printf(out, "%.17g (real)", s->d); break;
    case J_STRING: pry_out_quoted(out, s->s.data, s->s.len); break;
    case J_ARRAY:
    case J_OBJECT:
        pry_out_printf(out, s->kind == J_ARRAY ? "[" : "{");
        for (size_t k = 0; k < s->n; k++) {
            if (k > 0)
                pry_out_printf(out, ", ");
            if (s->kind == J_OBJECT) {
                pry_out_quoted(out, s->keys[k].data, s->keys[k].len);
                pry_out_printf(out, ": ");
            }
            print_spec(out, s->kids[k], arg);
        }
        pry_out_printf(out, s->kind == J_ARRAY ? "]" : "}");
        break;
    }
}

static const pry_gen_t LEAF = {"scalar", draw_leaf, print_spec, NULL};
static const pry_gen_t NODE = {"container", draw_node, print_spec, NULL};

jspec_t *draw_json(pry_t *p, const char *label)
{
    return pry_recursive(p, label, &LEAF, &NODE, MAX_DEPTH);
}

json_t *json_of_spec(const jspec_t *s)
{
    switch (s->kind) {
    case J_NULL: return json_null();
    case J_TRUE: return json_true();
    case J_FALSE: return json_false();
    case J_INT: return json_integer(s->i);
    case J_REAL: return json_real(s->d);
    case J_STRING: return json_stringn((const char *)s->s.data, s->s.len);
    case J_ARRAY:
    case J_OBJECT: break;
    }
    json_t *c = s->kind == J_ARRAY ? json_array() : json_object();
    for (size_t k = 0; c != NULL && k < s->n; k++) {
        json_t *kid = json_of_spec(s->kids[k]);
        int rc = -1;
        if (kid != NULL && s->kind == J_ARRAY)
            rc = json_array_append_new(c, kid);
        else if (kid != NULL) /* _new: steals kid, also on failure */
            rc = json_object_setn_new(c, (const char *)s->keys[k].data, s->keys[k].len, kid);
        if (rc != 0) {
            json_decref(c);
            c = NULL;
        }
    }
    return c;
}

static const char *const KIND_NAME[] = {"null", "true", "false", "integer",
                                        "real", "string", "array", "object"};

static jkind kind_of(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: return J_OBJECT;
    case JSON_ARRAY: return J_ARRAY;
    case JSON_STRING: return J_STRING;
    case JSON_INTEGER: return J_INT;
    case JSON_REAL: return J_REAL;
    case JSON_TRUE: return J_TRUE;
    case JSON_FALSE: return J_FALSE;
    case JSON_NULL: break;
    }
    return J_NULL;
}

/* The index of the member of |s| that holds key |k| (the last one wins). */
static bool last_of_key(const jspec_t *s, size_t k)
{
    for (size_t m = k + 1; m < s->n; m++)
        if (s->keys[m].len == s->keys[k].len &&
            memcmp(s->keys[m].data, s->keys[k].data, s->keys[k].len) == 0)
            return false;
    return true;
}

bool json_matches(const jspec_t *s, const json_t *j, char *why, size_t n)
{
    if (j == NULL) {
        snprintf(why, n, "missing %s", KIND_NAME[s->kind]);
        return false;
    }
    if (kind_of(j) != s->kind) {
        snprintf(why, n, "%s where %s was expected", KIND_NAME[kind_of(j)], KIND_NAME[s->kind]);
        return false;
    }
    switch (s->kind) {
    case J_INT:
        if (json_integer_value(j) == s->i)
            return true;
        snprintf(why, n, "integer %" JSON_INTEGER_FORMAT " != %" JSON_INTEGER_FORMAT,
                 json_integer_value(j), s->i);
        return false;
    case J_REAL: {
        double d = json_real_value(j);
        if (memcmp(&d, &s->d, sizeof d) == 0)
            return true;
        snprintf(why, n, "real %.17g != %.17g", d, s->d);
        return false;
    }
    case J_STRING:
        if (json_string_length(j) == s->s.len &&
            memcmp(json_string_value(j), s->s.data, s->s.len) == 0)
            return true;
        snprintf(why, n, "string of %zu bytes differs from the %zu drawn", json_string_length(j),
                 s->s.len);
        return false;
    case J_ARRAY:
        if (json_array_size(j) != s->n) {
            snprintf(why, n, "array of %zu elements, %zu drawn", json_array_size(j), s->n);
            return false;
        }
        for (size_t k = 0; k < s->n; k++)
            if (!json_matches(s->kids[k], json_array_get(j, k), why, n))
                return false;
        return true;
    case J_OBJECT: {
        size_t distinct = 0;
        for (size_t k = 0; k < s->n; k++) {
            if (!last_of_key(s, k))
                continue;
            distinct++;
            const json_t *v = json_object_getn(j, (const char *)s->keys[k].data, s->keys[k].len);
            if (!json_matches(s->kids[k], v, why, n))
                return false;
        }
        if (json_object_size(j) == distinct)
            return true;
        snprintf(why, n, "object of %zu members, %zu distinct keys drawn", json_object_size(j),
                 distinct);
        return false;
    }
    default:
        return true;
    }
}

size_t draw_dump_flags(pry_t *p, const char *label)
{
    uint32_t g = pry_group_begin(p, label);
    size_t f = JSON_ENCODE_ANY | JSON_INDENT(pry_range_u(p, "indent", 0, 31));
    if (pry_bool(p, "compact"))
        f |= JSON_COMPACT;
    if (pry_bool(p, "ensure_ascii"))
        f |= JSON_ENSURE_ASCII;
    if (pry_bool(p, "sort_keys"))
        f |= JSON_SORT_KEYS;
    if (pry_bool(p, "escape_slash"))
        f |= JSON_ESCAPE_SLASH;
    pry_group_end(p, g);
    return f;
}

char *dumps(pry_t *p, const json_t *j, size_t flags)
{
    char *s = json_dumps(j, flags);
    if (s == NULL)
        return NULL;
    char *copy = pry_strdup(p, s);
    free(s);
    return copy;
}
