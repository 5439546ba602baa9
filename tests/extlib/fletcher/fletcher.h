/* fletcher.h: Fletcher's 16-bit checksum, the stand-in "external library"
 * that tests/test_extlib.sh builds through its own Makefile and
 * CMakeLists.txt (mk/extlib.sh), to check detection, flags and rebuilds
 * cheaply. */
#ifndef FLETCHER_H
#define FLETCHER_H
#include <stddef.h>
#include <stdint.h>

/* Fletcher-16 of |n| bytes: two running sums modulo 255 (RFC 1146). */
uint16_t fletcher16(const uint8_t *data, size_t n);
#endif
