/*
 * arena.c: the per-run arena. Everything generators return lives here and
 * is released after every run: persistent fuzzing runs millions of inputs
 * in one process, so nothing may accumulate between runs.
 *
 * The first chunk is kept across runs (the common case allocates nothing);
 * chunks added by a large run are freed at the next reset.
 */
#include "pry_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Under AddressSanitizer a bump allocator would hide overflows from one
 * allocation into the next: free space is kept poisoned, each allocation
 * is unpoisoned exactly, and a poisoned redzone follows it
 * (PRY_ARENA_ASAN: pry_internal.h). */
#ifdef PRY_ARENA_ASAN
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define POISON(a, n) __asan_poison_memory_region((a), (n))
#define UNPOISON(a, n) __asan_unpoison_memory_region((a), (n))
#define REDZONE 16u
#else
#define POISON(a, n) ((void)(a), (void)(n))
#define UNPOISON(a, n) ((void)(a), (void)(n))
#define REDZONE 0u
#endif

#define PRY_ARENA_ALIGN 16u

static pry_arena_chunk_t *chunk_new(size_t size)
{
    pry_arena_chunk_t *c = malloc(sizeof *c + size);
    if (c == NULL)
        return NULL;
    c->next = NULL;
    c->used = 0;
    c->size = size;
    POISON(c->data, size);
    return c;
}

/* A new chunk big enough for |need| bytes, in front of the others. */
static __attribute__((noinline)) pry_arena_chunk_t *grow(pry_t *p, size_t size,
                                                         size_t need)
{
    if (need < size) /* overflow */
        pry_fail_at(p, __FILE__, __LINE__, NULL, "pry_alloc(%zu): too large", size);
    size_t chunk = PRY_ARENA_FIRST;
    while (chunk < need)
        chunk *= 2;
    pry_arena_chunk_t *n = chunk_new(chunk);
    if (n == NULL)
        pry_fail_at(p, __FILE__, __LINE__, NULL,
                    "pry_alloc(%zu): out of memory", size);
    n->next = p->arena;
    p->arena = n;
    return n;
}

/* The bump allocation itself, inlined into the arena's entry points: most
 * runs' allocations fit in the kept chunk and cost a few instructions.
 * bump_fits() takes |size| bytes from the current chunk when they fit
 * (false otherwise, nothing done); bump() also grows the arena. An
 * overflowing size wraps need around below size and goes to grow(). The
 * entry points call their out-of-line rest (bump() and what follows) as
 * a tail call when bump_fits() says no: then the usual allocation keeps
 * nothing in registers across a call. */
static inline __attribute__((always_inline)) bool bump_fits(pry_t *p, size_t size, void **out)
{
    size_t need = (size + REDZONE + PRY_ARENA_ALIGN - 1) &
                  ~(size_t)(PRY_ARENA_ALIGN - 1);
    pry_arena_chunk_t *c = p->arena;
    if (c == NULL || c->size - c->used < need || need < size)
        return false;
    *out = c->data + c->used;
    c->used += need;
    UNPOISON(*out, size);
    return true;
}

static inline __attribute__((always_inline)) void *bump(pry_t *p, size_t size)
{
    void *out;
    if (bump_fits(p, size, &out))
        return out;
    size_t need = (size + REDZONE + PRY_ARENA_ALIGN - 1) &
                  ~(size_t)(PRY_ARENA_ALIGN - 1);
    pry_arena_chunk_t *c = grow(p, size, need);
    out = c->data + c->used;
    c->used += need;
    UNPOISON(out, size);
    return out;
}

static __attribute__((noinline)) void *alloc_grow(pry_t *p, size_t size)
{
    return memset(bump(p, size), 0, size);
}

void *pry_alloc(pry_t *p, size_t size)
{
    void *out;
    if (!bump_fits(p, size, &out))
        return alloc_grow(p, size);
    return memset(out, 0, size);
}

static __attribute__((noinline)) void *alloc_raw_grow(pry_t *p, size_t size)
{
    return bump(p, size);
}

void *pry_alloc_raw(pry_t *p, size_t size)
{
    void *out;
    if (!bump_fits(p, size, &out))
        return alloc_raw_grow(p, size);
    return out;
}

/* pry_strdup() of |n| bytes (with the NUL) that do not fit the current
 * chunk. */
static __attribute__((noinline)) char *strdup_grow(pry_t *p, const char *s, size_t n)
{
    return memcpy(bump(p, n), s, n);
}

char *pry_strdup(pry_t *p, const char *s)
{
    size_t n = strlen(s) + 1; /* p and s alone kept across the call */
    void *d;
    if (!bump_fits(p, n, &d))
        return strdup_grow(p, s, n);
    return memcpy(d, s, n);
}

char *pry_sprintf(pry_t *p, const char *fmt, ...)
{
    va_list ap;
    int n = -1;
    /* Format straight into the free end of the current chunk, and keep it
     * if it fits: one formatting pass instead of measuring first (in a
     * property that builds strings, vsnprintf was most of the run). */
    pry_arena_chunk_t *c = p->arena;
    if (c != NULL && c->size - c->used > REDZONE + 1) {
        size_t room = c->size - c->used - REDZONE;
        char *dst = (char *)c->data + c->used;
        UNPOISON(dst, room);
        va_start(ap, fmt);
        n = vsnprintf(dst, room, fmt, ap);
        va_end(ap);
        POISON(dst, room);
        if (n >= 0 && (size_t)n < room) {
            /* What pry_alloc_raw(p, n + 1) would return: room and used
             * are multiples of the alignment, so it fits here. */
            c->used += ((size_t)n + 1 + REDZONE + PRY_ARENA_ALIGN - 1) &
                       ~(size_t)(PRY_ARENA_ALIGN - 1);
            UNPOISON(dst, (size_t)n + 1);
            return dst;
        }
    }
    if (n < 0) { /* no chunk yet, or an encoding error: measure */
        va_start(ap, fmt);
        n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            n = 0;
    }
    char *s = pry_alloc_raw(p, (size_t)n + 1);
    s[0] = '\0';
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* Deferred clean-ups live in the arena, newest first. */
struct pry_deferred {
    pry_deferred_t *next;
    void (*fn)(void *);
    void *arg;
};

void pry_defer(pry_t *p, void (*fn)(void *arg), void *arg)
{
    pry_deferred_t *d = pry_alloc(p, sizeof *d);
    d->fn = fn;
    d->arg = arg;
    d->next = p->deferred;
    p->deferred = d;
}

/* Run them, newest first, before the arena that holds them goes: a run
 * that failed a check (longjmp) gets here too, so nothing leaks. */
static void run_deferred(pry_t *p)
{
    while (p->deferred != NULL) {
        pry_deferred_t *d = p->deferred;
        p->deferred = d->next;
        d->fn(d->arg);
    }
}

/* Deferred clean-ups to run, or chunks to free. */
static __attribute__((noinline)) void reset_slow(pry_t *p)
{
    run_deferred(p);
    pry_arena_chunk_t *c = p->arena;
    if (c == NULL)
        return;
    /* Keep the oldest (first, smallest) chunk; free the rest. */
    while (c->next != NULL) {
        pry_arena_chunk_t *next = c->next;
        UNPOISON(c->data, c->size);
        free(c);
        c = next;
    }
    if (c->size > PRY_ARENA_FIRST) {
        UNPOISON(c->data, c->size);
        free(c);
        p->arena = NULL;
        return;
    }
    POISON(c->data, c->used);
    c->used = 0;
    p->arena = c;
}

void pry_arena_reset(pry_t *p)
{
    /* The usual run: one chunk, the first, nothing deferred. Its bytes
     * are handed out again from the start (poisoned first under ASan). */
    pry_arena_chunk_t *c = p->arena;
    if (p->deferred == NULL && c != NULL && c->next == NULL && c->size <= PRY_ARENA_FIRST) {
        size_t used = c->used;
        c->used = 0;
        POISON(c->data, used);
        return;
    }
    reset_slow(p);
}

void pry_arena_free(pry_t *p)
{
    run_deferred(p);
    pry_arena_chunk_t *c = p->arena;
    while (c != NULL) {
        pry_arena_chunk_t *next = c->next;
        UNPOISON(c->data, c->size);
        free(c);
        c = next;
    }
    p->arena = NULL;
}

size_t pry_arena_chunk_count(const pry_t *p)
{
    size_t n = 0;
    for (const pry_arena_chunk_t *c = p->arena; c != NULL; c = c->next)
        n++;
    return n;
}
