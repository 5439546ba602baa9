/*
 * session.c: one HPACK connection direction as a stateful property (pry.h
 * §13): our encoder (targets/h2) feeds our decoder block after block, with
 * SETTINGS_HEADER_TABLE_SIZE changes and encoder-side size changes in
 * between, against a model of the dynamic table written from RFC 7541:
 *   - every block decodes to the fields encoded, in order, with the
 *     never-indexed flag kept (§6.2.3);
 *   - after every step both dynamic tables hold what the model says
 *     (entries and octets, §4.1; the decoder's maximum too), except
 *     between a size change and the block that carries its update (§4.2),
 *     when neither side's table is specified.
 * The model: a field is added by the encoder exactly when it is not sent
 * "without indexing" or "never indexed" and no table entry matches it
 * exactly (hpack.h's contract; the names here are not in the static
 * table, so only the dynamic table can match); adding evicts the oldest
 * entries until the new one fits, and an entry larger than the maximum
 * empties the table and is not added (§4.4). A smaller maximum evicts
 * likewise (§4.3), when the block carrying it is encoded.
 */
#include "hpack.h"
#include "pry.h"

#include <string.h>

#define MAX_FIELDS 8   /* per block */
#define MAX_VALUE 16
#define MODEL_CAP 256  /* entries: 4096 / 32 would be 128 */
#define BLOCK_CAP 4096

typedef struct {
    const char *name, *value; /* in the arena */
    uint8_t flags;
} field_t;

/* The session under test and its model. */
typedef struct {
    pry_t *p;
    h2_hpack_encoder *enc;
    h2_hpack_decoder *dec;
    h2_header_list out;
    field_t pending[MAX_FIELDS]; /* the next block's fields */
    size_t n_pending;
    bool size_change_unsent;     /* size changes not yet sent in a block */
    size_t min_unsent, max_unsent; /* the smallest of them, and the last */
    /* the model's dynamic table, newest first (§2.3.3: index 62 is newest) */
    field_t table[MODEL_CAP];
    size_t len, size, max;
} session_t;

static size_t entry_size(const field_t *f)
{
    return strlen(f->name) + strlen(f->value) + H2_HPACK_ENTRY_OVERHEAD; /* §4.1 */
}

static void evict_to(session_t *s, size_t limit) /* §4.4: oldest first */
{
    while (s->size > limit) {
        s->len--;
        s->size -= entry_size(&s->table[s->len]);
    }
}

static void model_add(session_t *s, const field_t *f)
{
    size_t need = entry_size(f);
    if (need > s->max) { /* §4.4: the table is emptied, nothing added */
        evict_to(s, 0);
        return;
    }
    evict_to(s, s->max - need);
    memmove(&s->table[1], &s->table[0], s->len * sizeof s->table[0]);
    s->table[0] = *f;
    s->len++;
    s->size += need;
}

static bool model_has(const session_t *s, const field_t *f)
{
    for (size_t i = 0; i < s->len; i++)
        if (strcmp(s->table[i].name, f->name) == 0 && strcmp(s->table[i].value, f->value) == 0)
            return true;
    return false;
}

static void session_end(void *v)
{
    session_t *s = v;
    h2_header_list_free(&s->out);
    h2_hpack_decoder_del(s->dec);
    h2_hpack_encoder_del(s->enc);
}

/* ---- the session's operations: what the pasted C form calls ---- */

/* Add a field to the next block. */
static void hs_field(session_t *s, const char *name, const char *value, uint8_t flags)
{
    s->pending[s->n_pending++] = (field_t){name, value, flags};
}

/* Encode the pending fields as one block, decode it, compare. Returns the
 * block's length. */
static size_t hs_block(session_t *s)
{
    pry_t *p = s->p;
    if (s->size_change_unsent) { /* §4.2: the block starts with the updates */
        evict_to(s, s->min_unsent);
        s->max = s->max_unsent;
    }
    h2_nv nva[MAX_FIELDS];
    for (size_t i = 0; i < s->n_pending; i++) {
        const field_t *f = &s->pending[i];
        nva[i] = (h2_nv){(const uint8_t *)f->name, strlen(f->name), (const uint8_t *)f->value,
                         strlen(f->value), f->flags};
        if (!(f->flags & (H2_NV_FLAG_NO_INDEX | H2_NV_FLAG_NEVER_INDEX)) && !model_has(s, f))
            model_add(s, f);
    }
    uint8_t block[BLOCK_CAP];
    size_t len = 0;
    int rv = h2_hpack_encode_block(s->enc, block, sizeof block, &len, nva, s->n_pending);
    pry_check(p, rv == H2_OK, "encode: %s", h2_strerror(rv));
    rv = h2_hpack_decode_block(s->dec, block, len, &s->out);
    pry_check(p, rv == H2_OK, "our decoder refused our encoder's block: %s", h2_strerror(rv));
    pry_check_eq_uint(p, s->out.len, s->n_pending);
    for (size_t i = 0; i < s->n_pending; i++) {
        const h2_nv *got = &s->out.nva[i];
        pry_check_eq_mem(p, got->name, got->namelen, nva[i].name, nva[i].namelen);
        pry_check_eq_mem(p, got->value, got->valuelen, nva[i].value, nva[i].valuelen);
        pry_check(p, !(got->flags & H2_NV_FLAG_NEVER_INDEX) == !(nva[i].flags & H2_NV_FLAG_NEVER_INDEX),
                  "field %zu: never-indexed flag lost or invented", i);
    }
    s->n_pending = 0;
    s->size_change_unsent = false;
    return len;
}

/* The peer's SETTINGS_HEADER_TABLE_SIZE changes, and our encoder adopts
 * |size| (at most the setting) for its table. The tables change when the
 * next block carries the update (§4.3: evicting then; the encoder sends
 * the smallest size set since the last block, then the last, §4.2). */
static void hs_settings(session_t *s, uint32_t setting, uint32_t size)
{
    h2_hpack_decoder_set_max_table_size(s->dec, setting);
    h2_hpack_encoder_set_max_table_size(s->enc, size);
    if (!s->size_change_unsent || size < s->min_unsent)
        s->min_unsent = size;
    s->max_unsent = size;
    s->size_change_unsent = true;
}

/* ---- the commands: draw the operations' arguments, call them ---- */

static bool block_not_full(const void *v)
{
    return ((const session_t *)v)->n_pending < MAX_FIELDS;
}

static void field(pry_t *p, void *v)
{
    /* Not static-table names (RFC 7541 Appendix A), quoted for the C form. */
    static const char *const names[] = {"\"x-a\"", "\"x-b\"", "\"x-long-header-name\""};
    static const char *const flag_names[] = {"H2_NV_FLAG_NONE", "H2_NV_FLAG_NO_INDEX",
                                             "H2_NV_FLAG_NEVER_INDEX", "H2_NV_FLAG_HUFFMAN",
                                             "H2_NV_FLAG_NO_HUFFMAN"};
    static const uint8_t flag_values[] = {H2_NV_FLAG_NONE, H2_NV_FLAG_NO_INDEX,
                                          H2_NV_FLAG_NEVER_INDEX, H2_NV_FLAG_HUFFMAN,
                                          H2_NV_FLAG_NO_HUFFMAN};
    size_t n = pry_choice_named(p, "name", 3, names);
    char *name = pry_strdup(p, names[n] + 1);
    name[strlen(name) - 1] = '\0';
    const char *value = pry_string(p, "value", MAX_VALUE, "ab");
    uint8_t flags = flag_values[pry_choice_named(p, "flags", 5, flag_names)];
    hs_field(v, name, value, flags);
}

static void block(pry_t *p, void *v)
{
    pry_step_result(p, "%zu octets", hs_block(v));
}

static void settings(pry_t *p, void *v)
{
    uint32_t setting = (uint32_t)pry_range_u(p, "setting", 0, 8192);
    /* the encoder may use less than the peer allows */
    hs_settings(v, setting, (uint32_t)pry_range_u(p, "size", 0, setting));
}

static void tables_agree(pry_t *p, const void *v)
{
    const session_t *s = v;
    if (s->size_change_unsent)
        return; /* the tables learn of it from the next block */
    size_t esize = h2_hpack_encoder_table_size(s->enc);
    pry_check(p, h2_hpack_encoder_table_len(s->enc) == s->len && esize == s->size,
              "encoder table: %zu entries, %zu octets; model %zu entries, %zu octets (max %zu)",
              h2_hpack_encoder_table_len(s->enc), esize, s->len, s->size, s->max);
    pry_check(p, h2_hpack_decoder_table_len(s->dec) == s->len &&
                     h2_hpack_decoder_table_size(s->dec) == s->size &&
                     h2_hpack_decoder_table_max_size(s->dec) == s->max,
              "decoder table: %zu entries, %zu octets, max %zu; model %zu, %zu, max %zu",
              h2_hpack_decoder_table_len(s->dec), h2_hpack_decoder_table_size(s->dec),
              h2_hpack_decoder_table_max_size(s->dec), s->len, s->size, s->max);
}

static const pry_command_t COMMANDS[] = {
    {"hs_field", field, block_not_full, 4},
    {"hs_block", block, NULL, 2},
    {"hs_settings", settings, NULL, 1},
};
static const pry_invariant_t INVARIANTS[] = {{"tables_agree", tables_agree}};
static const pry_machine_t SESSION = {COMMANDS, 3, 60, INVARIANTS, 1, "s"};

PRY_PROPERTY(session)
{
    session_t *s = pry_alloc(p, sizeof *s);
    s->p = p;
    s->max = H2_HPACK_DEFAULT_TABLE_SIZE;
    h2_header_list_init(&s->out);
    h2_hpack_decoder_config dc;
    h2_hpack_decoder_config_default(&dc);
    s->dec = h2_hpack_decoder_new(&dc);
    s->enc = h2_hpack_encoder_new(H2_HPACK_DEFAULT_TABLE_SIZE);
    pry_defer(p, session_end, s);
    pry_check(p, s->dec != NULL && s->enc != NULL, "out of memory");
    pry_steps(p, "steps", &SESSION, s);
}
