/*
 * test_recursive.c: recursive generators terminate, and print as
 * structure. The expression tree here is the example pry.h points to.
 */
#include "check.h"
#include "pry_internal.h"

#include <stdlib.h>
#include <string.h>

/* An arithmetic expression: a literal, or an operator with two operands. */
typedef struct expr {
    char op; /* 0 for a literal */
    int value;
    struct expr *left, *right;
} expr_t;

static const pry_gen_t LEAF, NODE;
#define MAX_DEPTH 5

static void *draw_leaf(pry_t *p, const void *arg)
{
    (void)arg;
    expr_t *e = pry_alloc(p, sizeof *e);
    e->value = (int)pry_range_i(p, NULL, -9, 9);
    return e;
}

static void *draw_node(pry_t *p, const void *arg)
{
    (void)arg;
    static const char *const ops[] = {"+", "-", "*"};
    expr_t *e = pry_alloc(p, sizeof *e);
    e->op = ops[pry_choice_named(p, NULL, 3, ops)][0];
    e->left = pry_recursive(p, NULL, &LEAF, &NODE, MAX_DEPTH);
    e->right = pry_recursive(p, NULL, &LEAF, &NODE, MAX_DEPTH);
    return e;
}

static void print_expr(pry_out_t *out, const void *v, const void *arg)
{
    const expr_t *e = v;
    if (e->op == 0) {
        pry_out_printf(out, "%d", e->value);
        return;
    }
    pry_out_printf(out, "(");
    print_expr(out, e->left, arg);
    pry_out_printf(out, " %c ", e->op);
    print_expr(out, e->right, arg);
    pry_out_printf(out, ")");
}

static const pry_gen_t LEAF = {"literal", draw_leaf, print_expr, NULL};
static const pry_gen_t NODE = {"operation", draw_node, print_expr, NULL};

static int depth(const expr_t *e)
{
    if (e->op == 0)
        return 0;
    int l = depth(e->left), r = depth(e->right);
    return 1 + (l > r ? l : r);
}

static pry_log_t *LOG;
static pry_t P;

static expr_t *draw(pry_source_mode mode, const uint8_t *in, size_t len)
{
    jmp_buf escape;
    expr_t *volatile e = NULL;
    P.escape = &escape;
    pry_source_begin_run(&P, mode, in, len);
    if (setjmp(escape) == 0)
        e = pry_recursive(&P, "e", &LEAF, &NODE, MAX_DEPTH);
    pry_source_end_run(&P);
    return e;
}

static void test_zero_is_a_leaf(void)
{
    expr_t *e = draw(PRY_SRC_BYTES, NULL, 0);
    CHECK(e != NULL && e->op == 0 && e->value == 0);
    pry_arena_reset(&P);
}

/* All-ones input asks for a node at every level: the budget stops it. */
static void test_budget_bounds_depth(void)
{
    uint8_t ones[4096];
    memset(ones, 1, sizeof ones);
    expr_t *e = draw(PRY_SRC_BYTES, ones, sizeof ones);
    CHECK(e != NULL);
    CHECK_EQ(depth(e), MAX_DEPTH);
    pry_arena_reset(&P);
    for (uint64_t seed = 0; seed < 2000; seed++) {
        pry_rng_seed(&P, seed);
        e = draw(PRY_SRC_RANDOM, NULL, 0);
        CHECK(e != NULL && depth(e) <= MAX_DEPTH);
        pry_arena_reset(&P);
    }
}

static void test_prints_as_expression(void)
{
    /* node(+, literal 2, node(*, literal -3, literal 0)) */
    /* Build the input from values rather than by hand: replay. */
    pry_value_t v[] = {
        {.kind = PRY_K_INDEX, .lo = 0, .hi = 1, .value = 1},  /* node */
        {.kind = PRY_K_NAMED, .lo = 0, .hi = 2, .value = 0},  /* + */
        {.kind = PRY_K_INDEX, .lo = 0, .hi = 1, .value = 0},  /* leaf */
        {.kind = PRY_K_INT, .flags = PRY_F_SIGNED, .lo = (uint64_t)-9, .hi = 9, .value = 2},
        {.kind = PRY_K_INDEX, .lo = 0, .hi = 1, .value = 1},  /* node */
        {.kind = PRY_K_NAMED, .lo = 0, .hi = 2, .value = 2},  /* * */
        {.kind = PRY_K_INDEX, .lo = 0, .hi = 1, .value = 0},
        {.kind = PRY_K_INT, .flags = PRY_F_SIGNED, .lo = (uint64_t)-9, .hi = 9, .value = (uint64_t)-3},
        {.kind = PRY_K_INDEX, .lo = 0, .hi = 1, .value = 0},
    };
    P.values = v;
    P.n_values = sizeof v / sizeof v[0];
    expr_t *e = draw(PRY_SRC_VALUES, NULL, 0);
    P.values = NULL;
    P.n_values = 0;
    CHECK(e != NULL && e->op == '+');
    pry_out_t out;
    pry_out_init(&out);
    pry_report_draws(&out, LOG, 0);
    CHECK_STREQ(out.buf, "e = (2 + (-3 * 0))\n");
    CHECK_EQ(LOG->adapted, 0);
    pry_out_free(&out);
    pry_arena_reset(&P);
}

int main(void)
{
    LOG = calloc(1, sizeof *LOG);
    if (LOG == NULL)
        return 2;
    pry_source_init(&P, LOG);
    P.record = true;
    RUN(test_zero_is_a_leaf);
    RUN(test_budget_bounds_depth);
    RUN(test_prints_as_expression);
    pry_arena_free(&P);
    free(LOG);
    return check_summary();
}
