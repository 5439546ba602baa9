/*
 * pack.c: json_unpack with a format takes apart what json_pack with the
 * same format built (apiref: "Building Values", "Parsing and Validating
 * Values"), for objects and arrays of every scalar conversion:
 *   i int, I json_int_t, f double, s% string with a length (may hold
 *   NUL), b boolean, n null.
 * JSON_STRICT makes unpack also check that nothing is left unread.
 */
#include "jansson_harness.h"

#include <math.h>
#include <string.h>

typedef struct {
    int i;
    json_int_t big;
    double f;
    const char *s;
    size_t slen;
    int b;
} scalars_t;

static scalars_t draw_scalars(pry_t *p)
{
    scalars_t v;
    v.i = (int)pry_i32(p, "i");
    v.big = (json_int_t)pry_i64(p, "I");
    v.f = draw_finite(p, "f");
    pry_bytes_t s = draw_utf8(p, "s", 8, true);
    v.s = (const char *)s.data;
    v.slen = s.len;
    v.b = pry_bool(p, "b");
    return v;
}

static void check_same(pry_t *p, const scalars_t *a, const scalars_t *b)
{
    pry_check_eq_int(p, b->i, a->i);
    pry_check_eq_int(p, b->big, a->big);
    pry_check(p, memcmp(&b->f, &a->f, sizeof a->f) == 0, "f: %.17g unpacked as %.17g", a->f,
              b->f);
    pry_check_eq_mem(p, b->s, b->slen, a->s, a->slen);
    pry_check_eq_int(p, b->b, a->b);
}

PRY_PROPERTY(pack_unpack_array)
{
    scalars_t in = draw_scalars(p);
    json_error_t err;
    json_t *j = json_pack_ex(&err, 0, "[iIfs%bn]", in.i, in.big, in.f, in.s, in.slen, in.b);
    pry_check(p, j != NULL, "json_pack failed: %s", err.text);
    scalars_t out;
    int rc = json_unpack_ex(j, &err, JSON_STRICT, "[iIfs%bn]", &out.i, &out.big, &out.f, &out.s,
                            &out.slen, &out.b);
    /* out.s points into j: compare before the last reference goes. */
    char msg[JSON_ERROR_TEXT_LENGTH];
    memcpy(msg, err.text, sizeof msg);
    if (rc == 0) {
        out.s = pry_alloc(p, out.slen + 1);
        memcpy((char *)out.s, json_string_value(json_array_get(j, 3)), out.slen);
    }
    json_decref(j);
    pry_check(p, rc == 0, "json_unpack failed: %s", msg);
    check_same(p, &in, &out);
}

PRY_PROPERTY(pack_unpack_object)
{
    /* Keys: a fixed, distinct two-byte prefix each (a repeated key would
     * overwrite, apiref: json_object_set), then any UTF-8 without NUL. */
    static const char *const prefix[] = {"ki", "kI", "kf", "ks", "kb", "kn"};
    const char *k[6];
    for (size_t n = 0; n < 6; n++)
        k[n] = pry_sprintf(p, "%s%s", prefix[n], (const char *)draw_utf8(p, prefix[n], 3, false).data);
    scalars_t in = draw_scalars(p);
    json_error_t err;
    json_t *j = json_pack_ex(&err, 0, "{s:i, s:I, s:f, s:s%, s:b, s:n}", k[0], in.i, k[1], in.big,
                             k[2], in.f, k[3], in.s, in.slen, k[4], in.b, k[5]);
    pry_check(p, j != NULL, "json_pack failed: %s", err.text);
    scalars_t out;
    int rc = json_unpack_ex(j, &err, JSON_STRICT, "{s:i, s:I, s:f, s:s%, s:b, s:n}", k[0], &out.i,
                            k[1], &out.big, k[2], &out.f, k[3], &out.s, &out.slen, k[4], &out.b,
                            k[5]);
    char msg[JSON_ERROR_TEXT_LENGTH];
    memcpy(msg, err.text, sizeof msg);
    if (rc == 0) {
        out.s = pry_alloc(p, out.slen + 1);
        memcpy((char *)out.s, json_string_value(json_object_get(j, k[3])), out.slen);
    }
    json_decref(j);
    pry_check(p, rc == 0, "json_unpack failed: %s", msg);
    check_same(p, &in, &out);
}
