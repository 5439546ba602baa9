/*
 * roundtrip.c: what jansson dumps, it loads back as the same value.
 *
 * RFC 8259 §2-§9 define the text of every value; json_dumps writes it and
 * json_loads/json_loadb read it (apiref: "Encoding", "Decoding").
 *
 * Oracle: the drawn value (jspec_t) is the model. json_of_spec builds the
 * jansson value from it; that value must match the model (construction),
 * dumps with any documented flags must succeed, and loads of the text
 * must match the model again: kinds, integers, reals bit for bit (the
 * default precision, 17 digits, is enough for every double), string
 * bytes, element order, and object members. json_equal must agree.
 */
#include "jansson_harness.h"

#include <stdlib.h>
#include <string.h>

/* JSON_DECODE_ANY: the value may be a scalar (RFC 8259 §2 allows it);
 * JSON_ALLOW_NUL: strings may hold U+0000 (apiref: json_loads). */
#define LOAD_FLAGS (JSON_DECODE_ANY | JSON_ALLOW_NUL)

PRY_PROPERTY(dumps_loads)
{
    jspec_t *v = draw_json(p, "value");
    size_t flags = draw_dump_flags(p, "flags");

    json_t *built = json_of_spec(v);
    char why[256] = "";
    bool built_ok = json_matches(v, built, why, sizeof why);
    char *text = built != NULL ? dumps(p, built, flags) : NULL;
    json_error_t err;
    json_t *loaded = text != NULL ? json_loads(text, LOAD_FLAGS, &err) : NULL;
    char why2[256] = "";
    bool loaded_ok = loaded != NULL && json_matches(v, loaded, why2, sizeof why2);
    bool equal = loaded != NULL && json_equal(built, loaded);
    /* Free before checking: a failed check does not return. */
    json_decref(built);
    json_decref(loaded);

    pry_check(p, built_ok, "the built value differs from the drawn one: %s", why);
    pry_check(p, text != NULL, "json_dumps returned NULL");
    pry_note(p, "text = %s", text);
    pry_check(p, loaded != NULL, "json_loads rejects jansson's own text: %s at byte %d", err.text,
              err.position);
    pry_check(p, loaded_ok, "the loaded value differs from the drawn one: %s", why2);
    pry_check(p, equal, "json_equal(built, loaded) is false");
}

/* json_loadb reads exactly |buflen| bytes (apiref: "the buffer need not be
 * NUL terminated"): whatever follows the text must change nothing. The
 * text sits in an arena block of exactly its size plus the tail, so ASan
 * builds also see a read past it. */
PRY_PROPERTY(loadb_length)
{
    jspec_t *v = draw_json(p, "value");
    pry_bytes_t tail = pry_bytes(p, "after", 8);

    json_t *built = json_of_spec(v);
    char *text = built != NULL ? dumps(p, built, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    json_decref(built);
    pry_assume(p, text != NULL); /* dumps_loads checks construction */
    size_t n = strlen(text);
    char *buf = pry_alloc(p, n + tail.len + (tail.len == 0)); /* no NUL after the text */
    memcpy(buf, text, n);
    memcpy(buf + n, tail.data, tail.len);

    json_error_t err;
    json_t *loaded = json_loadb(buf, n, LOAD_FLAGS, &err);
    char why[256] = "";
    bool ok = json_matches(v, loaded, why, sizeof why);
    json_decref(loaded);
    pry_note(p, "text = %s", text);
    pry_check(p, ok, "json_loadb(text + after, strlen(text)) differs: %s (error: %s)", why,
              loaded == NULL ? err.text : "none");
}
