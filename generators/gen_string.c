/*
 * gen_string.c: byte strings, strings over an alphabet, line-structured
 * text, and blobs.
 *
 * A character is one byte: the byte itself if it is in the alphabet (so
 * dictionary tokens and compared constants keep their meaning), else
 * alphabet[byte % size]. Zero maps to alphabet[0] unless NUL is in the
 * alphabet.
 */
#include "pry_internal.h"

#include <string.h>


/* A growing byte buffer in the arena. */
typedef struct {
    uint8_t *data;
    size_t len, cap;
} grow_t;

static void grow_push(pry_t *p, grow_t *g, uint8_t c)
{
    if (g->len + 1 >= g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 64; /* one allocation for most */
        uint8_t *d = pry_alloc_raw(p, cap); /* [0, len] are written below */
        if (g->len)
            memcpy(d, g->data, g->len);
        g->data = d;
        g->cap = cap;
    }
    g->data[g->len++] = c;
    g->data[g->len] = 0;
}

/* Is b one of the k characters of the alphabet? Short alphabets (most:
 * "abc", "xy", digits) are searched inline, without a call to memchr. */
static bool in_alphabet(const char *alphabet, size_t k, uint8_t b)
{
    if (k > 16)
        return memchr(alphabet, b, k) != NULL;
    for (size_t i = 0; i < k; i++)
        if ((uint8_t)alphabet[i] == b)
            return true;
    return false;
}

/* The character a drawn byte stands for. */
static uint8_t char_of(const char *alphabet, size_t k, uint8_t b)
{
    return b == 0 || !in_alphabet(alphabet, k, b) ? (uint8_t)alphabet[b % k] : b;
}

static uint8_t draw_char(pry_t *p, const char *alphabet, size_t k)
{
    if (p->mode == PRY_SRC_RANDOM) {
        p->has_hint = true;
        p->hint = (uint8_t)alphabet[pry_rng_next(p) % k];
    }
    uint8_t b = char_of(alphabet, k,
                        (uint8_t)pry_draw_int(p, PRY_K_CHAR, NULL, 0, 255, false));
    if (p->last_entry != 0) /* record the character, not the raw byte */
        p->log->entries[p->last_entry - 1].value = b;
    return b;
}

pry_bytes_t pry_bytes(pry_t *p, const char *label, size_t max_len)
{
    grow_t g = {0};
    uint32_t grp = pry_group_begin_kind(p, PRY_K_STRING, label);
    if (grp != 0)
        p->log->entries[grp - 1].flags |= PRY_F_BYTES;
    pry_group_set_max(p, grp, max_len);
    size_t target = p->mode == PRY_SRC_RANDOM ? pry_random_length(p, max_len) : 0;
    while (g.len < max_len && pry_draw_more(p, g.len, target))
        grow_push(p, &g, (uint8_t)pry_draw_int(p, PRY_K_BYTE, NULL, 0, 255, false));
    pry_group_end(p, grp);
    if (g.data == NULL)
        g.data = pry_alloc(p, 1);
    return (pry_bytes_t){g.data, g.len};
}

static const char *alphabet_or_default(const char *alphabet)
{
    return alphabet == NULL || alphabet[0] == '\0' ? PRY_PRINTABLE : alphabet;
}

/* Fuzzing (input bytes, recording off): string_in()'s draws, a "more?"
 * byte then a character byte, decoded straight from the input while both
 * are inside it and under the draw limit: pry_draw_int()'s fast path with
 * the position and the draw count kept in registers (writing a character
 * through a byte pointer would otherwise reload them for every draw).
 * Returns the characters appended; *stopped when a "more?" byte said stop.
 * string_in() goes on from there with the ordinary draws. */
static size_t string_in_bytes(pry_t *p, grow_t *g, size_t max_len,
                              const char *alphabet, size_t k, bool *stopped)
{
    const uint8_t *in = p->in;
    size_t pos = p->pos, end = p->in_len, len = 0;
    uint32_t draws = p->draws;
    *stopped = false;
    while (len < max_len && pos + 2 <= end && draws + 2 <= PRY_MAX_DRAWS) {
        if (pry_int_decode(in[pos], 1, 0, 1, false) == 0) { /* "more?" */
            pos++;
            draws++;
            *stopped = true;
            break;
        }
        uint8_t b = (uint8_t)pry_int_decode(in[pos + 1], 1, 0, 255, false);
        pos += 2;
        draws += 2;
        grow_push(p, g, char_of(alphabet, k, b));
        len++;
    }
    p->pos = pos;
    p->draws = draws;
    if (len > 0 || *stopped) { /* what every draw leaves behind */
        p->has_hint = false;
        p->last_entry = 0;
    }
    return len;
}

/* Up to max_len characters of the k-character alphabet, appended to g. */
static void string_in(pry_t *p, grow_t *g, size_t max_len,
                      const char *alphabet, size_t k)
{
    size_t target = p->mode == PRY_SRC_RANDOM ? pry_random_length(p, max_len) : 0;
    size_t len = 0;
    if (p->mode == PRY_SRC_BYTES && !p->record) {
        bool stopped;
        len = string_in_bytes(p, g, max_len, alphabet, k, &stopped);
        if (stopped)
            return;
    }
    while (len < max_len && pry_draw_more(p, len, target)) {
        grow_push(p, g, draw_char(p, alphabet, k));
        len++;
    }
}

char *pry_string(pry_t *p, const char *label, size_t max_len,
                 const char *alphabet)
{
    uint32_t grp = pry_group_begin_kind(p, PRY_K_STRING, label);
    pry_group_set_max(p, grp, max_len);
    alphabet = alphabet_or_default(alphabet);
    grow_t g = {0};
    string_in(p, &g, max_len, alphabet, strlen(alphabet));
    if (g.data == NULL)
        g.data = pry_alloc(p, 1);
    pry_group_end(p, grp);
    return (char *)g.data;
}

pry_bytes_t pry_lines(pry_t *p, const char *label, size_t max_lines,
                      size_t max_line_len, const char *alphabet)
{
    grow_t text = {0};
    uint32_t grp = pry_group_begin_kind(p, PRY_K_TEXT, label);
    pry_group_set_max(p, grp, max_lines);
    size_t target = p->mode == PRY_SRC_RANDOM ? pry_random_length(p, max_lines) : 0;
    size_t lines = 0;
    alphabet = alphabet_or_default(alphabet);
    size_t k = strlen(alphabet);
    while (lines < max_lines && pry_draw_more(p, lines, target)) {
        /* Each line is a group when recording; fuzzing skips the calls. */
        uint32_t line = p->record ? pry_group_begin_kind(p, PRY_K_STRING, NULL) : 0;
        if (line != 0)
            pry_group_set_max(p, line, max_line_len);
        string_in(p, &text, max_line_len, alphabet, k); /* straight into the text */
        if (line != 0)
            pry_group_end(p, line);
        grow_push(p, &text, '\n');
        lines++;
    }
    if (lines > 0) {
        /* 1: the last line lacks its newline. Random mode: one in four. */
        if (p->mode == PRY_SRC_RANDOM) {
            p->has_hint = true;
            p->hint = pry_rng_next(p) % 4 == 0;
        }
        if (pry_draw_int(p, PRY_K_NEWLINE, NULL, 0, 1, false) != 0)
            text.data[--text.len] = 0;
    }
    pry_group_end(p, grp);
    if (text.data == NULL)
        text.data = pry_alloc(p, 1);
    return (pry_bytes_t){text.data, text.len};
}

pry_bytes_t pry_blob(pry_t *p, const char *label, size_t max_len)
{
    return pry_draw_blob(p, label, max_len);
}
