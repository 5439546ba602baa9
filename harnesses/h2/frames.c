/*
 * frames.c: pack and unpack are inverses. For every frame the RFC allows
 * (one typed generator per frame type), h2_pack_frame accepts it, writes
 * exactly the header it describes, and h2_unpack_frame_payload gives back
 * the same fields; a buffer one octet short is refused, not overrun.
 */
#include "h2_gen.h"

#include <stdlib.h>
#include <string.h>

PRY_PROPERTY(frame_roundtrip)
{
    h2_frame *f = h2_draw_frame(p, "frame");
    pry_bytes_t wire = h2_pack_or_fail(p, f);
    h2_text t = {.len = 0};
    t.buf[0] = 0;
    h2_text_hex(&t, wire.data, wire.len, 512);
    pry_note(p, "packed = %s", t.buf);

    /* §4.1: the header says what the payload is */
    pry_check(p, wire.len >= H2_FRAME_HEADER_LENGTH);
    h2_frame_hd hd;
    h2_frame_unpack_frame_hd(&hd, wire.data);
    pry_check_eq_uint(p, hd.length, wire.len - H2_FRAME_HEADER_LENGTH);
    pry_check_eq_uint(p, hd.type, f->hd.type);
    pry_check_eq_uint(p, hd.flags, f->hd.flags);
    pry_check_eq_uint(p, hd.stream_id, f->hd.stream_id);

    /* The initialisers' computed length is the packed one. */
    pry_check_eq_uint(p, f->hd.length, hd.length);

    /* Exact-size output: the pack must fit, one octet less must not. */
    uint8_t *exact = pry_alloc(p, wire.len);
    size_t n = 0;
    pry_check_eq_int(p, h2_pack_frame(exact, wire.len, &n, f), H2_OK);
    pry_check_eq_mem(p, exact, n, wire.data, wire.len);
    pry_check_eq_int(p, h2_pack_frame(exact, wire.len - 1, &n, f), H2_ERR_BUFFER_TOO_SMALL);

    /* The payload in its own allocation, so a read past the frame is an
       ASan report, not a read of the next frame. */
    size_t plen = wire.len - H2_FRAME_HEADER_LENGTH;
    uint8_t *payload = plen ? malloc(plen) : NULL;
    pry_check(p, plen == 0 || payload != NULL, "out of memory");
    if (plen)
        memcpy(payload, wire.data + H2_FRAME_HEADER_LENGTH, plen);
    h2_frame back;
    h2_error err = {0, 0, 0, NULL};
    int rv = h2_unpack_frame_payload(&back, &hd, payload, &err);
    if (rv != H2_OK) {
        free(payload);
        pry_fail(p, "unpack refused a packed frame: %s (%s, %s)", h2_strerror(rv),
                 h2_error_code_name(err.code) ? h2_error_code_name(err.code) : "?",
                 err.detail ? err.detail : "");
    }
    const char *diff = h2_frame_diff(p, f, &back);
    if (diff) {
        t.len = 0;
        t.buf[0] = 0;
        h2_frame_format(&t, &back);
        pry_note(p, "unpacked = %s", t.buf);
        h2_frame_free(&back);
        free(payload);
        pry_fail(p, "unpack(pack(frame)) differs: %s", diff);
    }
    h2_frame_free(&back);
    free(payload);
}
