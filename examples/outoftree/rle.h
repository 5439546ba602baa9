/* rle.h: run-length encoding, the code under test of this example.
 *
 * The encoding is a sequence of (count, byte) pairs, count in 1..255; a
 * longer run is split into several pairs. */
#ifndef RLE_H
#define RLE_H

#include <stddef.h>
#include <stdint.h>

/* Encode |n| bytes of |in| into |out| (room for rle_bound(n) bytes).
 * Returns the encoded length. */
size_t rle_encode(const uint8_t *in, size_t n, uint8_t *out);

/* Decode |n| bytes of |in| into |out| (room for |cap| bytes). Returns the
 * decoded length, or (size_t)-1 if the input is malformed (odd length, a
 * zero count) or does not fit. */
size_t rle_decode(const uint8_t *in, size_t n, uint8_t *out, size_t cap);

/* The most rle_encode can write for |n| input bytes. */
static inline size_t rle_bound(size_t n) { return 2 * n; }

#endif
