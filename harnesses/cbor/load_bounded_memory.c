/*
 * load_bounded_memory.c: cbor_load's memory is bounded by its input.
 *
 * EXPECTED TO FAIL on libcbor 0.8 (README, known bug 4); not part of the
 * default test run.
 *
 * A decoder of untrusted input should not let a few bytes reserve
 * gigabytes: RFC 8949 §10 (Security Considerations) names resource
 * exhaustion from declared lengths, and says a decoder should not
 * allocate based on a declared count before the data is there. An item
 * of n bytes has at most n elements, n string bytes or n/2 map pairs,
 * so no single request needs more than a small multiple of n.
 *
 * Oracle, on arbitrary bytes b (under the harness's bounded allocator,
 * cbor_alloc.c):
 *   - cbor_load(b) does not fail with CBOR_ERR_MEMERROR (the limit is
 *     64 MiB, far above what |b| <= 4095 bytes can legitimately need);
 *   - where the harness sees allocations (plain and AFL builds), no
 *     single request exceeds 32 * |b| + 4096 bytes (8-byte pointers,
 *     16-byte map pairs, growth by doubling, a constant for headers).
 */
#include "cbor_harness.h"

PRY_PROPERTY(load_bounded_memory)
{
    pry_bytes_t b = pry_blob(p, "bytes", 4095);
    pry_note(p, "bytes = %s", hex(p, b.data, b.len));
    struct cbor_load_result r;
    size_t largest = 0;
    cbor_item_t *x = guarded_load(b.data, b.len, &r, &largest);
    if (x != NULL)
        cbor_decref(&x);
    pry_check(p, r.error.code != CBOR_ERR_MEMERROR,
              "cbor_load of %zu bytes fails with CBOR_ERR_MEMERROR (a request "
              "over %zu MiB)", b.len, ALLOC_LIMIT >> 20);
    size_t bound = 32 * b.len + 4096;
    pry_check(p, largest <= bound,
              "cbor_load of %zu bytes requests %zu bytes at once (bound %zu)",
              b.len, largest, bound);
}

/* Known bug 4: 5 bytes declaring an array of 65536 elements make libcbor
 * 0.8 request 512 KiB at once (blob length, 2 bytes LE, then bytes). */
PRY_EXAMPLE(load_bounded_memory, "\x05\x00\x9a\x00\x01\x00\x00");
