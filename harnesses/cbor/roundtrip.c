/*
 * roundtrip.c: every item libcbor can build, it can encode and decode
 * back to an equal item.
 *
 * RFC 8949 §2 and §3: every data item has an encoding, and a decoder
 * turns the encoding back into the item; libcbor keeps the encoding
 * choices (argument widths, definite or indefinite lengths, chunks) in
 * its items, so the round trip must give back the same item, not just
 * the same value (cbor_equal.c says exactly what "equal" means, and its
 * one allowance, half-float NaNs).
 *
 * Oracle: items_equal(build(x), cbor_load(cbor_serialize_alloc(build(x)))),
 * and cbor_load consumes the whole encoding.
 *
 * `roundtrip` is the whole contract and FAILS on libcbor 0.8 (README:
 * known bugs 1-3). `roundtrip_known_excluded` is the same check on items
 * that avoid exactly those three known bugs, so that fuzzing it can still
 * find new ones. The `roundtrip_tag_6_to_20`, `roundtrip_simple` and
 * `roundtrip_half` properties state one finding each (all expected to
 * fail on 0.8, pass on fixed versions).
 */
#include "cbor_harness.h"

#include <stdlib.h>

static void roundtrip_check(pry_t *p, const spec_t *s)
{
    cbor_item_t *built = spec_build(s);
    pry_check(p, built != NULL, "libcbor could not build the item");
    size_t n;
    unsigned char *enc = serialize(built, &n);
    if (enc == NULL) {
        cbor_decref(&built);
        pry_fail(p, "cbor_serialize_alloc failed");
    }
    pry_note(p, "encoded = %s", hex(p, enc, n));

    struct cbor_load_result r;
    cbor_item_t *loaded = guarded_load(enc, n, &r, NULL);
    bool load_ok = loaded != NULL;
    char why[320] = "";
    bool equal = load_ok && items_equal(built, loaded, why, sizeof why);
    if (load_ok)
        pry_note(p, "loaded = %s", item_diag(p, loaded));
    /* Free before checking: a failed check does not return. */
    free(enc);
    cbor_decref(&built);
    if (load_ok)
        cbor_decref(&loaded); /* sets loaded to NULL */

    pry_check(p, load_ok,
              "cbor_load rejects libcbor's own encoding: %s at byte %zu",
              load_error_name(r.error.code), r.error.position);
    pry_check(p, r.read == n, "cbor_load read %zu of %zu bytes", r.read, n);
    pry_check(p, equal, "loaded item differs from the built one %s", why);
}

PRY_PROPERTY(roundtrip)
{
    roundtrip_check(p, draw_item(p, "item", &PROFILE_FULL));
}

PRY_PROPERTY(roundtrip_known_excluded)
{
    roundtrip_check(p, draw_item(p, "item", &PROFILE_AVOID_KNOWN));
}

/* Known bug 1: tags 6..20 (unassigned but well-formed, §3.4) are encoded
 * by libcbor 0.8 but rejected by its decoder. */
PRY_PROPERTY(roundtrip_tag_6_to_20)
{
    roundtrip_check(p, draw_tagged(p, "item", 6, 20));
}

/* Known bug 3: simple values other than false/true/null/undefined (§3.3)
 * are encoded by libcbor 0.8 but rejected by its decoder. */
PRY_PROPERTY(roundtrip_simple)
{
    roundtrip_check(p, draw_simple(p, "item"));
}

/* Known bug 2: every half float's value survives a round trip (NaN
 * payloads excepted, see cbor_equal.c); libcbor 0.8 drops mantissa bits
 * of subnormals. */
PRY_PROPERTY(roundtrip_half)
{
    roundtrip_check(p, draw_half(p, "item"));
}
