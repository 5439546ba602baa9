/*
 * numbers.c: integers and reals survive formatting and parsing.
 *
 * RFC 8259 §6: JSON numbers; jansson keeps integers (json_int_t, long
 * long) and reals (double) apart, and formats reals with "%.17g" by
 * default or with JSON_REAL_PRECISION(n) digits (apiref: json_dumps),
 * always with a '.' or an exponent so that they load back as reals.
 */
#include "jansson_harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An integer is written as "%lld" (JSON_INTEGER_FORMAT) and read back. */
PRY_PROPERTY(integer_text)
{
    json_int_t i = (json_int_t)pry_i64(p, "i");
    json_t *j = json_integer(i);
    char *text = dumps(p, j, JSON_ENCODE_ANY);
    json_decref(j);
    pry_check(p, text != NULL, "json_dumps returned NULL");
    char *want = pry_sprintf(p, "%" JSON_INTEGER_FORMAT, i);
    pry_check_eq_str(p, text, want);
    json_t *back = json_loads(text, JSON_DECODE_ANY, NULL);
    bool ok = json_is_integer(back) && json_integer_value(back) == i;
    json_decref(back);
    pry_check(p, ok, "%s does not load back as the integer", text);
}

/* A real at precision 1..31 loads back as what C's strtod makes of
 * printf("%.<precision>g"); at the default precision, as the same bits.
 * Non-finite doubles have no JSON text: json_real refuses them.
 *
 * Rounding to few digits can leave the range of a double (-1.5e308 at
 * precision 1 is "-2e308"), and jansson refuses such a text on purpose:
 * "Real numbers whose absolute values are too large to be represented in
 * a C double will result in an overflow error" (doc/conformance.rst,
 * "Overflow, Underflow & Precision"). So json_dumps can write a real that
 * json_loads rejects; the property states that as the documented error. */
PRY_PROPERTY(real_text)
{
    double d = pry_double(p, "d");
    unsigned prec = (unsigned)pry_range_u(p, "precision", 0, 31); /* 0: the default, 17 */
    json_t *j = json_real(d);
    if (!isfinite(d)) {
        json_decref(j);
        pry_check(p, j == NULL, "json_real accepted a non-finite double");
        return;
    }
    char *text = dumps(p, j, JSON_ENCODE_ANY | JSON_REAL_PRECISION(prec));
    json_decref(j);
    pry_check(p, text != NULL, "json_dumps returned NULL");
    pry_note(p, "text = %s", text);
    pry_check(p, strchr(text, '.') != NULL || strchr(text, 'e') != NULL,
              "a real is written without '.' or exponent, so it would load as an integer");

    char want_text[64];
    snprintf(want_text, sizeof want_text, "%.*g", prec == 0 ? 17 : (int)prec, d);
    double want = strtod(want_text, NULL);

    json_error_t err;
    json_t *back = json_loads(text, JSON_DECODE_ANY, &err);
    bool is_real = json_is_real(back);
    double got = json_real_value(back);
    json_decref(back);
    if (isinf(want)) {
        pry_check(p, back == NULL && strstr(err.text, "overflow") != NULL,
                  "%s loads without the documented overflow error", text);
        return;
    }
    pry_check(p, is_real, "%s does not load back as a real: %s", text, back ? "integer" : err.text);
    pry_check(p, memcmp(&got, &want, sizeof got) == 0, "loaded %.17g, printf gives %s", got,
              want_text);
}
