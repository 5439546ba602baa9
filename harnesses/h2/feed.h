/*
 * feed.h: driving an h2_parser over an input, chunk by chunk, checking
 * the h2_parser_feed contract on every call and logging what it did.
 */
#ifndef PRY_HARNESS_H2_FEED_H
#define PRY_HARNESS_H2_FEED_H

#include "h2_gen.h"

typedef struct {
    pry_t *p;
    const uint8_t *in; /* the whole input, as the test sees it */
    size_t len;
    size_t cursor;     /* where the next frame starts in |in| */
    int repack;        /* check that emitted frames re-pack to their bytes */
    int ext_payloads;  /* cfg->extension_payloads: unknown frames carry theirs */
    size_t nframes;
    char *log;         /* what happened, one event per line (arena) */
    size_t log_len, log_cap;
} h2_feed;

/* Feeds |in| to a new parser with |cfg| in the chunks |ch| (then the rest
   in one chunk), each chunk in its own exact-size allocation so a read
   past it is an ASan report. Checks, failing the property:
     - every call consumes at most what it was given; all of it on H2_OK,
       at least one octet on an error; nothing once the parser is dead;
     - every emitted frame is the next frame of the input (same header,
       reserved bit masked), its fields add up to its length (an unknown
       frame's payload is there exactly when cfg->extension_payloads), and with
       |repack| it packs back to the input's octets (RFC 9113 leaves only
       padding octets and reserved bits free);
     - a stream-scope error ends exactly at the end of the frame that
       caused it, and the parser goes on;
     - at the end, the accumulated header block is within the limit.
   Returns the event log (frames printed with their decoded header lists,
   errors with code, scope, stream and offset). */
const char *h2_feed_run(pry_t *p, const h2_parser_config *cfg, const uint8_t *in, size_t len,
                        const h2_chunks *ch, int repack);

#endif
