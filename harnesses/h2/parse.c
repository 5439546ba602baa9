/*
 * parse.c: the incremental parser is total and its results do not depend
 * on how its input is split.
 */
#include "feed.h"

#include <string.h>

static h2_parser_config draw_config(pry_t *p, int *send_preface)
{
    static const char *const prefaces[] = {"none", "expected", "expected and sent"};
    h2_parser_config cfg;
    h2_parser_config_default(&cfg);
    size_t k = pry_choice_named(p, "preface", 3, prefaces);
    cfg.expect_preface = k != 0;
    *send_preface = k == 2;
    cfg.enable_push = !pry_bool(p, "push disabled");
    return cfg;
}

/* The receiver's role (RFC 9113 §8.4, §6.5.2, §6.6, §5.1.1) and whether
   unknown frames are buffered. Drawn after everything else, so that records
   made before these draws existed replay unchanged (zeros: no role, not
   buffered). */
static void draw_receiver(pry_t *p, h2_parser_config *cfg)
{
    static const char *const roles[] = {"any", "client", "server"};
    cfg->role = (h2_role)pry_choice_named(p, "role", 3, roles);
    cfg->extension_payloads = pry_bool(p, "extension payloads");
}

static pry_bytes_t with_preface(pry_t *p, pry_bytes_t b, int send)
{
    if (!send)
        return b;
    pry_bytes_t out = {pry_alloc(p, H2_CLIENT_PREFACE_LEN + b.len + 1),
                       H2_CLIENT_PREFACE_LEN + b.len};
    memcpy(out.data, H2_CLIENT_PREFACE, H2_CLIENT_PREFACE_LEN);
    if (b.len)
        memcpy(out.data + H2_CLIENT_PREFACE_LEN, b.data, b.len);
    return out;
}

/* Totality on arbitrary bytes: any input, any chunking, gives frames and
 * errors, never a crash, an over-read (ASan), a consumption beyond what
 * was given or a stall; each frame emitted is the next frame of the input
 * and packs back to its octets (up to padding and reserved bits).
 *
 * Two shapes of "arbitrary": a blob (the fuzzers' view: dictionary tokens
 * and cmplog values land whole; the first alternative, so blob-encoded
 * seeds start with a zero byte), and loosely drawn raw frames (any type,
 * flags, stream, a length that may lie) so random mode gets past the
 * frame header into each type's rules. */
PRY_PROPERTY(parse_total)
{
    static const unsigned shape_w[] = {1, 3};
    static const char *const shapes[] = {"blob", "raw frames"};
    static const h2_named_weights shape = {2, shape_w, shapes};
    pry_bytes_t in = h2_weighted_named(p, "shape", &shape) == 0
                         ? pry_blob(p, "bytes", 4096)
                         : h2_draw_raw_frames(p, "frames", 6);
    int send_preface;
    h2_parser_config cfg = draw_config(p, &send_preface);
    in = with_preface(p, in, send_preface);
    h2_chunks ch = h2_draw_chunks(p, "chunks", 8, 64);
    draw_receiver(p, &cfg);
    h2_feed_run(p, &cfg, in.data, in.len, &ch, 1);
}

/* Chunking invariance (angstrom #166): a byte stream gives the same
 * frames, the same decoded header lists and the same errors at the same
 * offsets whether it arrives in one piece or split at drawn points. The
 * stream is valid-ish (generated frames, header blocks mostly continued
 * properly) with a tail of arbitrary octets, so frames are emitted, split
 * across chunks, and the end is often a partial frame. */
PRY_PROPERTY(chunking_invariance)
{
    pry_bytes_t frames = h2_draw_frame_stream(p, "frames", 8);
    pry_bytes_t tail = pry_blob(p, "tail", 48);
    int send_preface;
    h2_parser_config cfg = draw_config(p, &send_preface);
    h2_chunks ch = h2_draw_chunks(p, "chunks", 12, 24);
    draw_receiver(p, &cfg);

    pry_bytes_t in = {pry_alloc(p, frames.len + tail.len + 1), frames.len + tail.len};
    if (frames.len)
        memcpy(in.data, frames.data, frames.len);
    if (tail.len)
        memcpy(in.data + frames.len, tail.data, tail.len);
    in = with_preface(p, in, send_preface);

    h2_chunks whole = {NULL, 0};
    const char *once = h2_feed_run(p, &cfg, in.data, in.len, &whole, 0);
    pry_note(p, "in one chunk:\n%s", once);
    const char *split = h2_feed_run(p, &cfg, in.data, in.len, &ch, 0);
    pry_note(p, "split:\n%s", split);
    pry_check_eq_str(p, split, once);
}
