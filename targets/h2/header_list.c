/* header_list.c: storage for decoded header lists (one arena of strings). */
#include <stdlib.h>
#include <string.h>

#include "h2_internal.h"

void h2_header_list_init(h2_header_list *l)
{
    memset(l, 0, sizeof *l);
}

void h2_header_list_clear(h2_header_list *l)
{
    l->len = 0;
    l->arena_len = 0;
}

void h2_header_list_free(h2_header_list *l)
{
    if (l == NULL)
        return;
    free(l->nva);
    free(l->arena);
    h2_header_list_init(l);
}

/* Makes room for |bytes| more arena octets; moves existing fields' pointers
   if the arena moves. */
int h2_header_list_reserve(h2_header_list *l, size_t bytes)
{
    size_t ncap, i;
    uint8_t *na;
    if (l->arena != NULL && l->arena_cap - l->arena_len >= bytes)
        return H2_OK;
    if (bytes > SIZE_MAX / 2 - l->arena_len)
        return H2_ERR_NOMEM;
    ncap = l->arena_cap ? l->arena_cap : 256;
    while (ncap - l->arena_len < bytes)
        ncap *= 2;
    na = malloc(ncap);
    if (na == NULL)
        return H2_ERR_NOMEM;
    if (l->arena_len)
        memcpy(na, l->arena, l->arena_len);
    for (i = 0; i < l->len; i++) {
        l->nva[i].name = na + (l->nva[i].name - l->arena);
        l->nva[i].value = na + (l->nva[i].value - l->arena);
    }
    free(l->arena);
    l->arena = na;
    l->arena_cap = ncap;
    return H2_OK;
}

int h2_header_list_push(h2_header_list *l, size_t name_off, size_t namelen, size_t value_off,
                        size_t valuelen, uint8_t flags)
{
    h2_nv *nv;
    if (l->len == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 16;
        h2_nv *nn = realloc(l->nva, ncap * sizeof *nn);
        if (nn == NULL)
            return H2_ERR_NOMEM;
        l->nva = nn;
        l->cap = ncap;
    }
    nv = &l->nva[l->len++];
    nv->name = l->arena + name_off;
    nv->namelen = namelen;
    nv->value = l->arena + value_off;
    nv->valuelen = valuelen;
    nv->flags = flags;
    return H2_OK;
}
