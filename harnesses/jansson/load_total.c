/*
 * load_total.c: json_loadb on arbitrary bytes is total, and what it
 * accepts is a fixpoint of dumps and loads.
 *
 * apiref, json_loadb: returns the value, or NULL with |error| filled in
 * (a message, and the position in bytes). With JSON_DISABLE_EOF_CHECK it
 * stops after the first value and error->position says how many bytes it
 * read. So for any bytes and any decoding flags:
 *   - no crash, no sanitizer report, no leak (ASan/LSan builds);
 *   - NULL comes with a non-empty message and a position within the input;
 *   - a value x comes with x's compact text t = dumps(x), loads(t) equal
 *     to x (json_equal), and dumps(loads(t)) == t byte for byte.
 */
#include "jansson_harness.h"

#include <stdlib.h>
#include <string.h>

static size_t draw_load_flags(pry_t *p)
{
    uint32_t g = pry_group_begin(p, "flags");
    size_t f = 0;
    if (pry_bool(p, "decode_any"))
        f |= JSON_DECODE_ANY;
    if (pry_bool(p, "reject_duplicates"))
        f |= JSON_REJECT_DUPLICATES;
    if (pry_bool(p, "disable_eof_check"))
        f |= JSON_DISABLE_EOF_CHECK;
    if (pry_bool(p, "int_as_real"))
        f |= JSON_DECODE_INT_AS_REAL;
    if (pry_bool(p, "allow_nul"))
        f |= JSON_ALLOW_NUL;
    pry_group_end(p, g);
    return f;
}

PRY_PROPERTY(load_total)
{
    pry_bytes_t b = pry_blob(p, "bytes", 4095);
    size_t flags = draw_load_flags(p);

    json_error_t err;
    json_t *x = json_loadb((const char *)b.data, b.len, flags, &err);
    if (x == NULL) {
        pry_note(p, "error: %s (line %d, column %d, position %d)", err.text, err.line,
                 err.column, err.position);
        pry_check(p, err.text[0] != 0, "json_loadb failed with an empty message");
        pry_check(p, err.position >= 0 && (size_t)err.position <= b.len,
                  "error position %d outside the %zu-byte input", err.position, b.len);
        return;
    }
    if (flags & JSON_DISABLE_EOF_CHECK)
        pry_check(p, err.position > 0 && (size_t)err.position <= b.len,
                  "read %d bytes of a %zu-byte input", err.position, b.len);

    /* The reload keeps what the first load allowed: scalars and NUL. */
    size_t reload = (flags & (JSON_DECODE_ANY | JSON_ALLOW_NUL)) | JSON_DECODE_ANY;
    char *t = dumps(p, x, JSON_ENCODE_ANY | JSON_COMPACT);
    json_t *y = t != NULL ? json_loads(t, reload, &err) : NULL;
    char *t2 = y != NULL ? dumps(p, y, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    bool equal = y != NULL && json_equal(x, y);
    json_decref(x);
    json_decref(y);

    pry_check(p, t != NULL, "json_dumps returned NULL on a loaded value");
    pry_note(p, "dumps(x) = %s", t);
    pry_check(p, y != NULL, "json_loads rejects dumps(x): %s", err.text);
    pry_check(p, equal, "loads(dumps(x)) is not json_equal to x");
    pry_check_eq_str(p, t2, t);
}
