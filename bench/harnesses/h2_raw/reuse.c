/*
 * reuse.c: the h2 harness's feed driver (the h2_parser_feed contract
 * checks) and the helpers it needs, compiled into h2_raw unchanged, so the
 * raw properties check exactly what the typed ones check. Only formatting
 * helpers of h2_gen.c are reached; none of its generators is called.
 */
#include "../../../harnesses/h2/h2_gen.c"
#include "../../../harnesses/h2/feed.c"
