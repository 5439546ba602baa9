/*
 * queue.c: the stateful property the README shows (pry.h §13), on a
 * bounded queue with the bug of QuickCheck's classic example (Hughes,
 * "Testing the Hard Stuff and Staying Sane", 2014): the size is computed
 * modulo the capacity, so a full queue says it is empty. The smallest
 * counterexample is a queue of capacity 1, one put, and a size.
 * tests/test_stateful.c finds and shrinks it, and checks that README.md
 * quotes this file's property verbatim. The harness is expected to fail
 * (tests/harnesses/ are not run as passing harnesses).
 */
#include "pry.h"

#include <string.h>

/* The system under test: a ring of |cap| ints. */
typedef struct { int buf[8]; unsigned in, out, cap; } bq_t;
static void bq_put(bq_t *q, int x) { q->buf[q->in] = x; q->in = (q->in + 1) % q->cap; }
static int bq_get(bq_t *q) { int x = q->buf[q->out]; q->out = (q->out + 1) % q->cap; return x; }
static unsigned bq_size(const bq_t *q) { return (q->in - q->out + q->cap) % q->cap; }

/* The model: the queue's contents, oldest first. */
typedef struct { bq_t q; int model[8]; unsigned n; } state_t;

static bool not_full(const void *v) { return ((const state_t *)v)->n < ((const state_t *)v)->q.cap; }
static bool not_empty(const void *v) { return ((const state_t *)v)->n > 0; }

static void put(pry_t *p, void *v)
{
    state_t *s = v;
    int x = (int)pry_range_i(p, "x", 0, 9);
    bq_put(&s->q, x);
    s->model[s->n++] = x;
}
static void get(pry_t *p, void *v)
{
    state_t *s = v;
    int x = bq_get(&s->q);
    pry_step_result(p, "%d", x);
    pry_check_eq_int(p, x, s->model[0]);
    memmove(s->model, s->model + 1, --s->n * sizeof *s->model);
}
static void size(pry_t *p, void *v)
{
    state_t *s = v;
    pry_step_result(p, "%u", bq_size(&s->q));
    pry_check_eq_uint(p, bq_size(&s->q), s->n);
}

static const pry_command_t commands[] = {
    {"bq_put", put, not_full, 0}, {"bq_size", size, NULL, 0}, {"bq_get", get, not_empty, 0}};
static const pry_machine_t machine = {
    .commands = commands, .n_commands = 3, .max_steps = 20, .subject = "&q"};

PRY_PROPERTY(bounded_queue)
{
    state_t s = {.q.cap = (unsigned)pry_range_u(p, "capacity", 1, 8)};
    pry_steps(p, "steps", &machine, &s);
}
