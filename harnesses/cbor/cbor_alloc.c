/*
 * cbor_alloc.c: a bounded allocator for libcbor, and a meter.
 *
 * libcbor 0.8 allocates the element count a definite array or map header
 * declares before reading any element, and initialises every slot
 * (cbor_new_definite_array / cbor_new_definite_map), so five input bytes
 * can make it request and touch gigabytes (README, known bug 4). Whether
 * such a malloc returns NULL then depends on the machine (overcommit,
 * RAM): on a 23 GiB host a 10 GiB request succeeds and the load spends
 * seconds zeroing it. So that every property behaves the same everywhere,
 * allocation requests above ALLOC_LIMIT fail (return NULL, as malloc may)
 * while a cbor call is guarded, and libcbor reports CBOR_ERR_MEMERROR.
 * The largest request is recorded, which load_bounded_memory checks.
 *
 *   plain and AFL builds: malloc/calloc/realloc are interposed here and
 *     forward to glibc's __libc_* functions; the limit and the meter
 *     apply only between alloc_guard_begin and alloc_guard_end;
 *   ASan builds (asan, libfuzzer): ASan owns malloc, so the limit is
 *     ASan's own: max_allocation_size_mb with allocator_may_return_null
 *     (set by __asan_default_options below; ASAN_OPTIONS in the
 *     environment overrides it). The meter is not available there.
 */
#include "cbor_harness.h"

#include <errno.h>
#include <stdlib.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CBOR_HARNESS_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CBOR_HARNESS_ASAN 1
#endif

#ifdef CBOR_HARNESS_ASAN

const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1:max_allocation_size_mb=64";
}

bool alloc_meter_available(void) { return false; }
void alloc_guard_begin(void) {}
size_t alloc_guard_end(void) { return 0; }

#else

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *ptr, size_t n);

static int guard;
static size_t largest;

static bool refuse(size_t n)
{
    if (!guard)
        return false;
    if (n > largest)
        largest = n;
    if (n > ALLOC_LIMIT) {
        errno = ENOMEM;
        return true;
    }
    return false;
}

void *malloc(size_t n)
{
    return refuse(n) ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(n, size, &total))
        total = SIZE_MAX;
    return refuse(total) ? NULL : __libc_calloc(n, size);
}

void *realloc(void *ptr, size_t n)
{
    return refuse(n) ? NULL : __libc_realloc(ptr, n);
}

bool alloc_meter_available(void) { return true; }

void alloc_guard_begin(void)
{
    guard = 1;
    largest = 0;
}

size_t alloc_guard_end(void)
{
    guard = 0;
    return largest;
}

#endif

cbor_item_t *guarded_load(const uint8_t *data, size_t len,
                          struct cbor_load_result *r, size_t *largest_request)
{
    alloc_guard_begin();
    cbor_item_t *it = cbor_load(data, len, r);
    size_t big = alloc_guard_end();
    if (largest_request != NULL)
        *largest_request = big;
    return it;
}
