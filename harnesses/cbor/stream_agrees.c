/*
 * stream_agrees.c: the streaming decoder and cbor_load agree.
 *
 * libcbor has two decoders over one header decoder: cbor_stream_decode
 * (one header per call, to callbacks) and cbor_load (which drives the
 * first with callbacks that build a tree). A client that walks the
 * stream itself must see the same item cbor_load builds. RFC 8949 §5.3:
 * well-formedness is a property of the bytes, not of the decoder.
 *
 * Oracle, on arbitrary bytes:
 *   - stream_walk (cbor_events.c: cbor_stream_decode header by header,
 *     with an explicit stack and rules R1-R6) accepts the first item iff
 *     cbor_load returns an item;
 *   - when both accept, they consumed the same number of bytes, and the
 *     walk's events equal tree_events of cbor_load's tree (the pre-order
 *     event sequence defined in cbor_events.c: types, widths, lengths,
 *     tag numbers, float bits).
 */
#include "cbor_harness.h"

PRY_PROPERTY(stream_agrees)
{
    pry_bytes_t b = pry_blob(p, "bytes", 4095);
    pry_note(p, "bytes = %s", hex(p, b.data, b.len));
    events_t se = {pry_alloc(p, (b.len + 8) * sizeof(event_t)), 0, b.len + 8, false};
    events_t te = {pry_alloc(p, (b.len + 8) * sizeof(event_t)), 0, b.len + 8, false};
    size_t used = 0;
    const char *why = "";
    bool walk_ok = stream_walk(b.data, b.len, &se, &used, &why);

    struct cbor_load_result r;
    cbor_item_t *x = guarded_load(b.data, b.len, &r, NULL);
    bool load_ok = x != NULL;
    if (x != NULL) {
        pry_note(p, "loaded = %s", item_diag(p, x));
        tree_events(x, &te);
        cbor_decref(&x);
    }

    if (walk_ok != load_ok) {
        if (load_ok)
            pry_fail(p, "cbor_load accepts %zu bytes, but the stream walk "
                        "rejects: %s", r.read, why);
        pry_fail(p, "the stream walk accepts %zu bytes, but cbor_load fails: "
                    "%s at byte %zu", used, load_error_name(r.error.code),
                 r.error.position);
    }
    if (!walk_ok)
        return;
    pry_check_eq_uint(p, used, r.read);
    pry_check(p, !se.overflow && !te.overflow, "too many events");
    size_t n = se.n < te.n ? se.n : te.n;
    for (size_t i = 0; i < n; i++) {
        const event_t *s = &se.ev[i], *t = &te.ev[i];
        pry_check(p, s->kind == t->kind && s->width == t->width && s->value == t->value,
                  "event %zu: stream %s, tree %s", i, event_text(p, s),
                  event_text(p, t));
    }
    pry_check(p, se.n == te.n, "stream has %zu events, tree %zu", se.n, te.n);
}
