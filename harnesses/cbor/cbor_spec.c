/*
 * cbor_spec.c: generated CBOR data items (spec_t), printed in diagnostic
 * notation, and built into libcbor items with libcbor's own constructors.
 *
 * The generator covers every major type and every argument width
 * (RFC 8949 §3: additional information 0..23 immediate, 24..27 for 1, 2,
 * 4, 8 following bytes), indefinite lengths for strings, arrays and maps
 * (§3.2), tags (§3.4), floats of all three widths and simple values
 * (§3.3). What it leaves out, and why:
 *   - text that is not valid UTF-8: well-formed but not valid (§3.1,
 *     §5.3.1), and libcbor 0.8's cbor_load rejects it by design;
 *   - simple values 24..31: not well-formed in the two-byte form (§3.3,
 *     "MUST NOT issue two-byte sequences that start with 0xf8 and continue
 *     with a byte less than 0x20"), and have no one-byte form.
 */
#include "cbor_harness.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *draw_leaf(pry_t *p, const void *arg);
static void *draw_node(pry_t *p, const void *arg);
static void print_spec(pry_out_t *out, const void *v, const void *arg);

/* Each profile carries its own leaf and node generators, so a node's
 * children are drawn under the same profile. */
typedef struct {
    profile_t prof;
    pry_gen_t leaf, node;
} gens_t;

static const gens_t GENS_FULL, GENS_AVOID;
static const gens_t GENS_FULL = {
    {false, 4},
    {"scalar", draw_leaf, print_spec, &GENS_FULL},
    {"container", draw_node, print_spec, &GENS_FULL},
};
static const gens_t GENS_AVOID = {
    {true, 4},
    {"scalar", draw_leaf, print_spec, &GENS_AVOID},
    {"container", draw_node, print_spec, &GENS_AVOID},
};
const profile_t PROFILE_FULL = {false, 4};
const profile_t PROFILE_AVOID_KNOWN = {true, 4};

static const gens_t *gens_for(const profile_t *prof)
{
    return prof->avoid_known_bugs ? &GENS_AVOID : &GENS_FULL;
}

/* ---- scalars ---- */

static spec_t *new_spec(pry_t *p, spec_kind kind)
{
    spec_t *s = pry_alloc(p, sizeof *s);
    s->kind = kind;
    return s;
}

/* An unsigned argument of 1, 2, 4 or 8 bytes: libcbor keeps the width of
 * an integer item (cbor_build_uint8..64) and serialises with it. */
static uint64_t draw_width_value(pry_t *p, unsigned *width)
{
    static const char *const widths[] = {"1 byte", "2 bytes", "4 bytes",
                                         "8 bytes"};
    size_t w = pry_choice_named(p, NULL, 4, widths);
    *width = 1u << w;
    switch (w) {
    case 0: return pry_u8(p, NULL);
    case 1: return pry_u16(p, NULL);
    case 2: return pry_u32(p, NULL);
    default: return pry_u64(p, NULL);
    }
}

float half_to_float(uint16_t h)
{
    int e = (h >> 10) & 31, m = h & 1023;
    float v;
    if (e == 0)
        v = ldexpf((float)m, -24); /* subnormal (or zero): m * 2^-24 */
    else if (e == 31)
        v = m != 0 ? NAN : INFINITY;
    else
        v = ldexpf((float)(m | 1024), e - 25);
    return (h & 0x8000) ? -v : v;
}

/* Valid UTF-8 (RFC 3629): one code point from one of the four encoded
 * lengths, surrogates excluded. */
static size_t draw_code_point(pry_t *p, uint8_t out[4])
{
    static const char *const lens[] = {"ascii", "2-byte", "3-byte", "4-byte"};
    size_t k = pry_choice_named(p, NULL, 4, lens);
    uint32_t c;
    switch (k) {
    case 0:
        /* All of 0..0x7f, starting at 'a' so the minimal text reads "a". */
        c = (uint32_t)pry_range_u(p, NULL, 0x61, 0x61 + 0x7f);
        c = c <= 0x7f ? c : c - 0x80;
        out[0] = (uint8_t)c;
        return 1;
    case 1:
        c = (uint32_t)pry_range_u(p, NULL, 0x80, 0x7ff);
        out[0] = (uint8_t)(0xc0 | (c >> 6));
        out[1] = (uint8_t)(0x80 | (c & 0x3f));
        return 2;
    case 2:
        c = (uint32_t)pry_range_u(p, NULL, 0x800, 0xffff - 0x800);
        if (c >= 0xd800) /* skip the surrogates */
            c += 0x800;
        out[0] = (uint8_t)(0xe0 | (c >> 12));
        out[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
        out[2] = (uint8_t)(0x80 | (c & 0x3f));
        return 3;
    default:
        c = (uint32_t)pry_range_u(p, NULL, 0x10000, 0x10ffff);
        out[0] = (uint8_t)(0xf0 | (c >> 18));
        out[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3f));
        out[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
        out[3] = (uint8_t)(0x80 | (c & 0x3f));
        return 4;
    }
}

static pry_bytes_t draw_text_chunk(pry_t *p, size_t *codepoints)
{
    enum { MAX_CP = 8 };
    pry_bytes_t b;
    b.data = pry_alloc(p, 4 * MAX_CP + 1);
    b.len = 0;
    pry_list_t l = pry_list(p, NULL, MAX_CP);
    while (pry_list_more(p, &l)) {
        b.len += draw_code_point(p, b.data + b.len);
        (*codepoints)++;
    }
    return b;
}

/* A string: definite (one chunk) or indefinite (0..3 chunks, §3.2.3). */
static spec_t *draw_string(pry_t *p, bool text)
{
    spec_t *s = new_spec(p, text ? S_TEXT : S_BYTES);
    s->indef = pry_bool(p, NULL);
    if (!s->indef) {
        s->n = 1;
        s->chunks = pry_alloc(p, sizeof *s->chunks);
        s->chunks[0] = text ? draw_text_chunk(p, &s->codepoints)
                            : pry_bytes(p, NULL, 12);
        return s;
    }
    enum { MAX_CHUNKS = 3 };
    s->chunks = pry_alloc(p, MAX_CHUNKS * sizeof *s->chunks);
    pry_list_t l = pry_list(p, NULL, MAX_CHUNKS);
    while (pry_list_more(p, &l))
        s->chunks[s->n++] = text ? draw_text_chunk(p, &s->codepoints)
                                 : pry_bytes(p, NULL, 6);
    return s;
}

static spec_t *draw_float_spec(pry_t *p, bool avoid_known)
{
    static const char *const widths[] = {"half", "single", "double"};
    size_t w = pry_choice_named(p, NULL, 3, widths);
    spec_t *s;
    if (w == 0) {
        s = new_spec(p, S_HALF);
        uint16_t bits = pry_u16(p, NULL);
        /* libcbor 0.8 drops mantissa bits of subnormal halves (README,
         * known bug 2): keep the sign and exponent, make it a zero. */
        if (avoid_known && (bits & 0x7c00) == 0)
            bits &= 0x8000;
        s->value = bits;
        s->f = half_to_float(bits);
    } else if (w == 1) {
        s = new_spec(p, S_FLOAT);
        s->f = pry_float(p, NULL);
    } else {
        s = new_spec(p, S_DOUBLE);
        s->d = pry_double(p, NULL);
    }
    return s;
}

static uint64_t draw_simple_value(pry_t *p, bool avoid_known)
{
    static const char *const names[] = {"false", "true", "null", "undefined",
                                        "simple(n)"};
    size_t k = pry_choice_named(p, NULL, avoid_known ? 4 : 5, names);
    if (k < 4)
        return 20 + k;
    /* 0..19 and 32..255: the unassigned simple values (§3.3). */
    uint64_t v = pry_range_u(p, NULL, 0, 19 + 224);
    return v < 20 ? v : v + 12;
}

static void *draw_leaf(pry_t *p, const void *arg)
{
    const gens_t *g = arg;
    bool avoid = g->prof.avoid_known_bugs;
    static const char *const kinds[] = {"uint", "negint", "bytes", "text",
                                        "float", "simple"};
    size_t k = pry_choice_named(p, NULL, 6, kinds);
    spec_t *s;
    switch (k) {
    case 0:
    case 1:
        s = new_spec(p, k == 0 ? S_UINT : S_NEGINT);
        s->value = draw_width_value(p, &s->width);
        return s;
    case 2:
    case 3:
        return draw_string(p, k == 3);
    case 4:
        return draw_float_spec(p, avoid);
    default:
        s = new_spec(p, S_SIMPLE);
        s->value = draw_simple_value(p, avoid);
        return s;
    }
}

/* ---- containers ---- */

static spec_t *draw_child(pry_t *p, const gens_t *g)
{
    return pry_recursive(p, NULL, &g->leaf, &g->node, g->prof.max_depth);
}

static void *draw_node(pry_t *p, const void *arg)
{
    const gens_t *g = arg;
    static const char *const kinds[] = {"array", "map", "tag"};
    size_t k = pry_choice_named(p, NULL, 3, kinds);
    enum { MAX_KIDS = 4 };
    spec_t *s;
    if (k == 2) {
        s = new_spec(p, S_TAG);
        s->value = draw_width_value(p, &s->width);
        /* libcbor 0.8 cannot decode tags 6..20 (README, known bug 1). */
        if (g->prof.avoid_known_bugs && s->value >= 6 && s->value <= 20)
            s->value += 15;
        s->n = 1;
        s->kids = pry_alloc(p, sizeof *s->kids);
        s->kids[0] = draw_child(p, g);
        return s;
    }
    s = new_spec(p, k == 0 ? S_ARRAY : S_MAP);
    s->indef = pry_bool(p, NULL);
    size_t per = k == 0 ? 1 : 2;
    s->kids = pry_alloc(p, MAX_KIDS * per * sizeof *s->kids);
    pry_list_t l = pry_list(p, NULL, MAX_KIDS);
    while (pry_list_more(p, &l)) {
        for (size_t j = 0; j < per; j++)
            s->kids[s->n * per + j] = draw_child(p, g);
        s->n++;
    }
    return s;
}

const spec_t *draw_item(pry_t *p, const char *label, const profile_t *prof)
{
    const gens_t *g = gens_for(prof);
    return pry_recursive(p, label, &g->leaf, &g->node, prof->max_depth);
}

static void *draw_half_v(pry_t *p, const void *arg)
{
    (void)arg;
    spec_t *s = new_spec(p, S_HALF);
    s->value = pry_u16(p, NULL);
    s->f = half_to_float((uint16_t)s->value);
    return s;
}

static void *draw_simple_v(pry_t *p, const void *arg)
{
    (void)arg;
    spec_t *s = new_spec(p, S_SIMPLE);
    s->value = draw_simple_value(p, false);
    return s;
}

typedef struct {
    uint64_t lo, hi;
} tag_range_t;

static void *draw_tagged_v(pry_t *p, const void *arg)
{
    const tag_range_t *r = arg;
    spec_t *s = new_spec(p, S_TAG);
    s->value = pry_range_u(p, NULL, r->lo, r->hi);
    s->width = s->value <= 0xff ? 1 : s->value <= 0xffff ? 2
             : s->value <= 0xffffffffu ? 4 : 8;
    s->n = 1;
    s->kids = pry_alloc(p, sizeof *s->kids);
    s->kids[0] = new_spec(p, S_UINT); /* 0 */
    s->kids[0]->width = 1;
    return s;
}

const spec_t *draw_half(pry_t *p, const char *label)
{
    static const pry_gen_t gen = {"half", draw_half_v, print_spec, NULL};
    return pry_draw(p, label, &gen);
}

const spec_t *draw_simple(pry_t *p, const char *label)
{
    static const pry_gen_t gen = {"simple", draw_simple_v, print_spec, NULL};
    return pry_draw(p, label, &gen);
}

const spec_t *draw_tagged(pry_t *p, const char *label, uint64_t lo,
                          uint64_t hi)
{
    tag_range_t r = {lo, hi};
    pry_gen_t gen = {"tag", draw_tagged_v, print_spec, &r};
    return pry_draw(p, label, &gen);
}

/* ---- printing: diagnostic notation (RFC 8949 §8) ---- */

/* The §8.1 encoding indicator of an argument: none for the immediate
 * form, _0.._3 for 1, 2, 4, 8 following bytes. libcbor writes a uint8
 * below 24 in the immediate form (cbor_encode_uint8). */
static const char *indicator(unsigned width, uint64_t v)
{
    switch (width) {
    case 1: return v < 24 ? "" : "_0";
    case 2: return "_1";
    case 4: return "_2";
    default: return "_3";
    }
}

void diag_float(sbuf_t *out, double v, unsigned width, uint64_t bits)
{
    const char *ind = width == 2 ? "_1" : width == 4 ? "_2" : "_3";
    if (isnan(v) && bits == UINT64_MAX) {
        sb_printf(out, "NaN%s", ind);
    } else if (isnan(v)) {
        sb_printf(out, "NaN%s /0x%0*llx/", ind, (int)width * 2,
                       (unsigned long long)bits);
    } else if (isinf(v)) {
        sb_printf(out, "%sInfinity%s", v < 0 ? "-" : "", ind);
    } else {
        char buf[64];
        snprintf(buf, sizeof buf, width == 8 ? "%.17g" : "%.9g", v);
        /* A float always shows a '.' or an exponent (1.0, not 1). */
        if (strpbrk(buf, ".e") == NULL)
            strcat(buf, ".0");
        sb_printf(out, "%s%s", buf, ind);
    }
}

void diag_text(sbuf_t *out, const uint8_t *s, size_t n)
{
    sb_printf(out, "\"");
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (c == '"' || c == '\\')
            sb_printf(out, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            sb_printf(out, "\\u%04x", c);
        else
            sb_printf(out, "%c", c); /* UTF-8 passes through */
    }
    sb_printf(out, "\"");
}

void diag_bytes(sbuf_t *out, const uint8_t *s, size_t n)
{
    sb_printf(out, "h'");
    for (size_t i = 0; i < n; i++)
        sb_printf(out, "%02x", s[i]);
    sb_printf(out, "'");
}

void diag_simple(sbuf_t *out, uint64_t v)
{
    static const char *const named[] = {"false", "true", "null", "undefined"};
    if (v >= 20 && v <= 23)
        sb_printf(out, "%s", named[v - 20]);
    else
        sb_printf(out, "simple(%llu)", (unsigned long long)v);
}

void spec_print(sbuf_t *out, const spec_t *s)
{
    switch (s->kind) {
    case S_UINT:
        sb_printf(out, "%llu%s", (unsigned long long)s->value,
                       indicator(s->width, s->value));
        break;
    case S_NEGINT:
        if (s->value == UINT64_MAX)
            sb_printf(out, "-18446744073709551616_3");
        else
            sb_printf(out, "-%llu%s", (unsigned long long)s->value + 1,
                           indicator(s->width, s->value));
        break;
    case S_BYTES:
    case S_TEXT:
        if (s->indef && s->n == 0) {
            sb_printf(out, s->kind == S_TEXT ? "\"\"_" : "''_");
            break;
        }
        if (s->indef)
            sb_printf(out, "(_ ");
        for (size_t i = 0; i < s->n; i++) {
            if (i > 0)
                sb_printf(out, ", ");
            if (s->kind == S_TEXT)
                diag_text(out, s->chunks[i].data, s->chunks[i].len);
            else
                diag_bytes(out, s->chunks[i].data, s->chunks[i].len);
        }
        if (s->indef)
            sb_printf(out, ")");
        break;
    case S_ARRAY:
    case S_MAP: {
        bool map = s->kind == S_MAP;
        sb_printf(out, "%s%s", map ? "{" : "[", s->indef ? "_ " : "");
        for (size_t i = 0; i < s->n; i++) {
            if (i > 0)
                sb_printf(out, ", ");
            if (map) {
                spec_print(out, s->kids[2 * i]);
                sb_printf(out, ": ");
                spec_print(out, s->kids[2 * i + 1]);
            } else {
                spec_print(out, s->kids[i]);
            }
        }
        sb_printf(out, "%s", map ? "}" : "]");
        break;
    }
    case S_TAG:
        sb_printf(out, "%llu%s(", (unsigned long long)s->value,
                       indicator(s->width, s->value));
        spec_print(out, s->kids[0]);
        sb_printf(out, ")");
        break;
    case S_HALF:
        diag_float(out, s->f, 2, s->value);
        if (!isnan(s->f)) /* the drawn bits, as the encoding shows them */
            sb_printf(out, " /0x%04x/", (unsigned)s->value);
        break;
    case S_FLOAT: {
        uint32_t bits;
        memcpy(&bits, &s->f, 4);
        diag_float(out, s->f, 4, bits);
        break;
    }
    case S_DOUBLE: {
        uint64_t bits;
        memcpy(&bits, &s->d, 8);
        diag_float(out, s->d, 8, bits);
        break;
    }
    case S_SIMPLE:
        diag_simple(out, s->value);
        break;
    }
}

static void print_spec(pry_out_t *out, const void *v, const void *arg)
{
    (void)arg;
    sbuf_t b = {NULL, 0, 0};
    spec_print(&b, v);
    pry_out_printf(out, "%s", b.s != NULL ? b.s : "");
    free(b.s);
}

void sb_printf(sbuf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t need = b->len + (size_t)n + 1;
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : 128;
        while (cap < need)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (s == NULL)
            return;
        b->s = s;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* ---- building the libcbor item ---- */

/* libcbor's container functions (cbor_array_push, cbor_map_add,
 * cbor_*_add_chunk, cbor_build_tag) take their own reference; the builder
 * drops ours after adding (so a failed add frees the child). */
static cbor_item_t *build_int(const spec_t *s)
{
    bool neg = s->kind == S_NEGINT;
    switch (s->width) {
    case 1: return neg ? cbor_build_negint8((uint8_t)s->value)
                       : cbor_build_uint8((uint8_t)s->value);
    case 2: return neg ? cbor_build_negint16((uint16_t)s->value)
                       : cbor_build_uint16((uint16_t)s->value);
    case 4: return neg ? cbor_build_negint32((uint32_t)s->value)
                       : cbor_build_uint32((uint32_t)s->value);
    default: return neg ? cbor_build_negint64(s->value)
                        : cbor_build_uint64(s->value);
    }
}

static cbor_item_t *build_chunk(const spec_t *s, size_t i)
{
    const pry_bytes_t *c = &s->chunks[i];
    return s->kind == S_TEXT
               ? cbor_build_stringn((const char *)c->data, c->len)
               : cbor_build_bytestring(c->data, c->len);
}

static cbor_item_t *build_string(const spec_t *s)
{
    if (!s->indef)
        return build_chunk(s, 0);
    cbor_item_t *it = s->kind == S_TEXT ? cbor_new_indefinite_string()
                                        : cbor_new_indefinite_bytestring();
    if (it == NULL)
        return NULL;
    for (size_t i = 0; i < s->n; i++) {
        cbor_item_t *c = build_chunk(s, i);
        bool ok = c != NULL && (s->kind == S_TEXT ? cbor_string_add_chunk(it, c)
                                                  : cbor_bytestring_add_chunk(it, c));
        if (c != NULL)
            cbor_decref(&c);
        if (!ok) {
            cbor_decref(&it);
            return NULL;
        }
    }
    return it;
}

static cbor_item_t *build_container(const spec_t *s)
{
    bool map = s->kind == S_MAP;
    cbor_item_t *it = map ? (s->indef ? cbor_new_indefinite_map()
                                      : cbor_new_definite_map(s->n))
                          : (s->indef ? cbor_new_indefinite_array()
                                      : cbor_new_definite_array(s->n));
    if (it == NULL)
        return NULL;
    for (size_t i = 0; i < s->n; i++) {
        bool ok;
        if (map) {
            cbor_item_t *k = spec_build(s->kids[2 * i]);
            cbor_item_t *v = spec_build(s->kids[2 * i + 1]);
            ok = k != NULL && v != NULL &&
                 cbor_map_add(it, (struct cbor_pair){.key = k, .value = v});
            if (k != NULL)
                cbor_decref(&k);
            if (v != NULL)
                cbor_decref(&v);
        } else {
            cbor_item_t *e = spec_build(s->kids[i]);
            ok = e != NULL && cbor_array_push(it, e);
            if (e != NULL)
                cbor_decref(&e);
        }
        if (!ok) {
            cbor_decref(&it);
            return NULL;
        }
    }
    return it;
}

cbor_item_t *spec_build(const spec_t *s)
{
    switch (s->kind) {
    case S_UINT:
    case S_NEGINT:
        return build_int(s);
    case S_BYTES:
    case S_TEXT:
        return build_string(s);
    case S_ARRAY:
    case S_MAP:
        return build_container(s);
    case S_TAG: {
        cbor_item_t *kid = spec_build(s->kids[0]);
        if (kid == NULL)
            return NULL;
        cbor_item_t *it = cbor_build_tag(s->value, kid);
        cbor_decref(&kid);
        return it;
    }
    case S_HALF: return cbor_build_float2(s->f);
    case S_FLOAT: return cbor_build_float4(s->f);
    case S_DOUBLE: return cbor_build_float8(s->d);
    case S_SIMPLE: return cbor_build_ctrl((uint8_t)s->value);
    }
    return NULL;
}
