/*
 * jansson_harness.h: what the jansson properties share.
 *
 * The properties are about jansson itself, built from Debian's source
 * package (2.14 in Debian 12) by mk/extlib.sh in the harness's variant.
 * References: RFC 8259 (JSON) by section, and jansson's reference manual
 * (doc/apiref.rst in the source) by function.
 *
 *   json_gen.c   a generated JSON value (jspec_t): its generator, its
 *                printer, the jansson value built from it, and the
 *                comparison of a jansson value against it (the model)
 */
#ifndef PRY_HARNESS_JANSSON_H
#define PRY_HARNESS_JANSSON_H

#include "pry.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum { J_NULL, J_TRUE, J_FALSE, J_INT, J_REAL, J_STRING, J_ARRAY, J_OBJECT } jkind;

/* A JSON value as drawn: the model the properties compare jansson with.
 * Object keys may repeat (jansson keeps the last, json_object_set), and
 * strings may hold NUL (json_stringn; loading needs JSON_ALLOW_NUL). */
typedef struct jspec {
    jkind kind;
    json_int_t i;        /* J_INT */
    double d;            /* J_REAL: finite (RFC 8259 §6 has no NaN/inf) */
    pry_bytes_t s;       /* J_STRING: valid UTF-8 */
    size_t n;            /* J_ARRAY elements, J_OBJECT members */
    struct jspec **kids; /* n values */
    pry_bytes_t *keys;   /* J_OBJECT: n keys, valid UTF-8 without NUL */
} jspec_t;

/* A value, nested at most 4 deep, at most 5 elements or members a level. */
jspec_t *draw_json(pry_t *p, const char *label);
/* A string of valid UTF-8 (every plane, no surrogates), at most |max|
 * code points; with |nul| the code point 0 may occur. */
pry_bytes_t draw_utf8(pry_t *p, const char *label, size_t max, bool nul);
/* A finite double, printed as such (non-finite draws become 0.0). */
double draw_finite(pry_t *p, const char *label);

/* The jansson value of |s| (a new reference; NULL if jansson refuses). */
json_t *json_of_spec(const jspec_t *s);
/* Whether |j| is exactly |s|: same kinds, integers, real bits, string
 * bytes, element order, and object members (the last of a repeated key).
 * On a difference, |why| says where. */
bool json_matches(const jspec_t *s, const json_t *j, char *why, size_t n);

/* Dump flags drawn from the documented set (json_dumps): indent 0..31,
 * compact, ensure_ascii, sort_keys, escape_slash, and JSON_ENCODE_ANY.
 * Real precision stays the default 17, which round-trips every double. */
size_t draw_dump_flags(pry_t *p, const char *label);

/* json_dumps into the arena (NULL if jansson returns NULL). */
char *dumps(pry_t *p, const json_t *j, size_t flags);

#endif
