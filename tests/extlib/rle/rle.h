/* rle.h: a tiny run-length codec, the stand-in "external library" that
 * tests/test_extlib.sh builds through its own Makefile and CMakeLists.txt
 * (mk/extlib.sh), to check detection, flags and rebuilds cheaply. */
#ifndef RLE_H
#define RLE_H
#include <stddef.h>
#include <stdint.h>

/* Encode |n| bytes as (count, byte) pairs into |out| (2n bytes at most);
 * returns the encoded length. */
size_t rle_encode(const uint8_t *in, size_t n, uint8_t *out);
#endif
