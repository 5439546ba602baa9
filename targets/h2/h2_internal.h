/* h2_internal.h: helpers shared by the h2 target's .c files (not public). */
#ifndef PRY_TARGETS_H2_INTERNAL_H
#define PRY_TARGETS_H2_INTERNAL_H

#include "hpack.h"

static inline uint32_t h2_get_u32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline uint16_t h2_get_u16(const uint8_t *p)
{
    return (uint16_t)(((unsigned)p[0] << 8) | p[1]);
}

static inline void h2_put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline void h2_put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* Fills |err| (if not NULL) and returns |rv|. */
int h2_fail(h2_error *err, int rv, uint32_t code, h2_scope scope, uint32_t stream_id,
            const char *detail);

/* ---- Huffman tables (huffman_table.c) ---- */
typedef struct {
    uint32_t code;  /* right-aligned */
    uint8_t len;
} h2_huff_sym;
extern const h2_huff_sym h2_huff_codes[257];
extern const uint16_t h2_huff_sorted[257];
extern const uint32_t h2_huff_limit[31];
extern const uint32_t h2_huff_first[31];
extern const uint16_t h2_huff_offset[31];

/* ---- HPACK tables (hpack_table.c) ---- */

typedef struct {
    const char *name;
    const char *value;
    uint8_t namelen;
    uint8_t valuelen;
} h2_hpack_static_entry;
extern const h2_hpack_static_entry h2_hpack_static_table[H2_HPACK_STATIC_TABLE_LEN];

/* One dynamic-table entry: a single allocation holding name then value. */
typedef struct {
    size_t namelen;
    size_t valuelen;
    uint8_t data[];
} h2_hpack_entry;

/* §2.3.2 dynamic table: a ring of entries, newest at index 0. */
typedef struct {
    h2_hpack_entry **ring;
    size_t cap;      /* ring slots (power of two) */
    size_t head;     /* slot of the newest entry */
    size_t len;      /* entries */
    size_t size;     /* §4.1 size: sum of name+value+32 */
    size_t max_size; /* current maximum (§4.2) */
} h2_hpack_table;

void h2_hpack_table_init(h2_hpack_table *t, size_t max_size);
void h2_hpack_table_free(h2_hpack_table *t);
/* The entry at dynamic index |i| (0 = newest), NULL if |i| >= len. */
const h2_hpack_entry *h2_hpack_table_get(const h2_hpack_table *t, size_t i);
/* §4.3 sets the maximum and evicts down to it. */
void h2_hpack_table_set_max(h2_hpack_table *t, size_t max_size);
/* §4.4 adds a field, evicting first; an entry larger than the maximum
   empties the table and is not added. Returns H2_OK or H2_ERR_NOMEM. */
int h2_hpack_table_add(h2_hpack_table *t, const uint8_t *name, size_t namelen,
                       const uint8_t *value, size_t valuelen);

/* §2.3.3 index space lookup: |index| >= 1. Sets name/value pointers and
   lengths. Returns H2_OK or H2_ERR_HPACK_INDEX. */
int h2_hpack_lookup(const h2_hpack_table *t, uint32_t index, const uint8_t **name,
                    size_t *namelen, const uint8_t **value, size_t *valuelen);

/* Header-list arena append (hpack_decode.c / header_list.c). */
int h2_header_list_reserve(h2_header_list *l, size_t bytes);
int h2_header_list_push(h2_header_list *l, size_t name_off, size_t namelen, size_t value_off,
                        size_t valuelen, uint8_t flags);

#endif
