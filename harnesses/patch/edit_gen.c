/*
 * edit_gen.c: a longer file and an edited copy of it, for properties about
 * diffs of several hunks. The file is a list of blocks, each a run of
 * lines both sides keep, then lines only a has (removed) and lines only b
 * has (added); runs of 7 or more kept lines separate hunks (diff merges
 * changes at most 2 x 3 context lines apart).
 *
 * Lines are words from a table of 64, drawn uniformly: a hunk's old lines
 * (six or seven of them) rarely occur twice by chance, so random choice
 * almost never makes a file where the search for a hunk has a second
 * place to land. A fuzzer gets there by copying or repeating input bytes.
 */
#include "patch_gen.h"

#include <stdio.h>

#define BLOCKS 8
#define KEPT 8
#define CHANGED 3
#define WORDS 64

/* The words, by index: word w is 'a' + w / 8, then 'a' + w % 8. */
static const char *const WORD[WORDS] = {
    "aa", "ab", "ac", "ad", "ae", "af", "ag", "ah", "ba", "bb", "bc", "bd", "be",
    "bf", "bg", "bh", "ca", "cb", "cc", "cd", "ce", "cf", "cg", "ch", "da", "db",
    "dc", "dd", "de", "df", "dg", "dh", "ea", "eb", "ec", "ed", "ee", "ef", "eg",
    "eh", "fa", "fb", "fc", "fd", "fe", "ff", "fg", "fh", "ga", "gb", "gc", "gd",
    "ge", "gf", "gg", "gh", "ha", "hb", "hc", "hd", "he", "hf", "hg", "hh",
};

/* One line: a two-letter word ("aa" .. "hh"), printed as the word, and
 * its newline. */
static void put_word(pry_t *p, pry_bytes_t *f)
{
    size_t w = pry_choice_named(p, NULL, WORDS, WORD);
    f->data[f->len++] = (uint8_t)WORD[w][0];
    f->data[f->len++] = (uint8_t)WORD[w][1];
    f->data[f->len++] = '\n';
}

void draw_edited(pry_t *p, pry_bytes_t *a, pry_bytes_t *b)
{
    size_t max = BLOCKS * (KEPT + CHANGED) * 3 + 1;
    *a = (pry_bytes_t){pry_alloc(p, max), 0};
    *b = (pry_bytes_t){pry_alloc(p, max), 0};
    pry_list_t blocks = pry_list(p, "blocks", BLOCKS);
    while (pry_list_more(p, &blocks)) {
        pry_list_t kept = pry_list(p, "kept", KEPT);
        while (pry_list_more(p, &kept)) {
            size_t at = a->len;
            put_word(p, a);
            for (size_t i = at; i < a->len; i++)
                b->data[b->len++] = a->data[i];
        }
        pry_list_t removed = pry_list(p, "removed", CHANGED);
        while (pry_list_more(p, &removed))
            put_word(p, a);
        pry_list_t added = pry_list(p, "added", CHANGED);
        while (pry_list_more(p, &added))
            put_word(p, b);
    }
}
