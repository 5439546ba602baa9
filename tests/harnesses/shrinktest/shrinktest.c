/*
 * shrinktest: properties with known minimal counterexamples, for the
 * shrinker's own tests (tests/test_shrink.sh): floats toward simple
 * values, crashes, sanitizer errors and hangs shrunk through the
 * long-lived child, lists lifted out of lists. Not a shipped harness.
 */
#include "pry.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Integers come before fractions: minimal x = 101. */
PRY_PROPERTY(double_above)
{
    double x = pry_double(p, "x");
    pry_check(p, !(x > 100.25));
}

/* Fewest binary digits after the point: minimal x = 0.5. */
PRY_PROPERTY(double_fraction)
{
    double x = pry_double(p, "x");
    pry_check(p, !isfinite(x) || x == floor(x));
}

/* Any non-zero value fails: minimal x = 1 (never a subnormal such as
 * 1.48e-323, which is what shrinking the bit pattern gives). */
PRY_PROPERTY(double_nonzero)
{
    double x = pry_double(p, "x");
    pry_check(p, x == 0);
}

/* The same for a float: minimal x = 1. */
PRY_PROPERTY(float_nonzero)
{
    float x = pry_float(p, "x");
    pry_check(p, x == 0);
}

/* Hangs for x >= 100 (run with a short --timeout): minimal x = 100. */
PRY_PROPERTY(hangs_on_big)
{
    uint8_t x = pry_u8(p, "x");
    volatile uint32_t spin = 0;
    if (x >= 100)
        for (;;)
            spin++;
}

/* A heap overflow (ASan) for strings of 4 or more: minimal s = "aaaa".
 * Between the crashes, the passing tries run in the same child. */
PRY_PROPERTY(overflows_on_long)
{
    char *s = pry_string(p, "s", 6, "ab");
    size_t n = strlen(s);
    char *volatile buf = malloc(4);
    if (buf == NULL)
        return;
    if (n >= 4)
        buf[n] = 1;
    free(buf);
}

/* A tree of labelled groups (pry_recursive): a NUL anywhere fails, and
 * the leaf is lifted out of its lists: minimal value = "\x00". */
static void *draw_leaf(pry_t *p, const void *arg)
{
    (void)arg;
    pry_bytes_t *b = pry_alloc(p, sizeof *b);
    *b = pry_bytes(p, NULL, 4);
    return b;
}

typedef struct node {
    int is_list;
    pry_bytes_t *leaf;
    struct node **kids;
    size_t n;
} node_t;

static const pry_gen_t LEAF = {"leaf", draw_leaf, NULL, NULL};
static const pry_gen_t NODE;

static void *draw_node(pry_t *p, const void *arg)
{
    (void)arg;
    node_t *t = pry_alloc(p, sizeof *t);
    t->is_list = 1;
    t->kids = pry_alloc(p, 4 * sizeof *t->kids);
    pry_list_t l = pry_list(p, NULL, 4);
    while (pry_list_more(p, &l))
        t->kids[t->n++] = pry_recursive(p, "value", &LEAF, &NODE, 4);
    return t;
}

static const pry_gen_t NODE = {"list", draw_node, NULL, NULL};

static bool has_nul(const void *v, int is_node)
{
    if (!is_node) {
        const pry_bytes_t *b = v;
        return memchr(b->data, 0, b->len) != NULL;
    }
    const node_t *t = v;
    for (size_t i = 0; i < t->n; i++)
        if (has_nul(t->kids[i], ((const node_t *)t->kids[i])->is_list == 1))
            return true;
    return false;
}

PRY_PROPERTY(nested_nul)
{
    /* Which generator drew a value: the first word of a node_t is 1;
     * a leaf's first word is a data pointer, never 1. */
    void *v = pry_recursive(p, "value", &LEAF, &NODE, 4);
    pry_check(p, !has_nul(v, ((node_t *)v)->is_list == 1));
}
