/*
 * check.h: the kit's minimal unit-test helper, shared by tests/ and by the
 * targets' own tests (targets/<t>/tests/test_<module>.c).
 *
 * Each test file is one program:
 *
 *     #include "check.h"
 *     static void test_parse_empty(void) { CHECK(parse("") == 0); }
 *     int main(void) { RUN(test_parse_empty); return check_summary(); }
 *
 * A failed CHECK prints file:line and the expression and the test goes on
 * (so one run shows every failure). check_summary() prints the closing line
 * "N passed, N failed" that CI reads, and returns the exit status.
 */
#ifndef PRY_TESTS_CHECK_H
#define PRY_TESTS_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int check_failures_;
static int check_passed_;
static int check_failed_;
static const char *check_current_;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n", __FILE__,         \
                    __LINE__, check_current_, #cond);                          \
            check_failures_++;                                                 \
        }                                                                      \
    } while (0)

/* Integer equality that prints both sides. */
#define CHECK_EQ(a, b)                                                         \
    do {                                                                       \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);        \
        if (check_a_ != check_b_) {                                            \
            fprintf(stderr, "%s:%d: %s: CHECK_EQ(%s, %s) failed: %lld != %lld\n", \
                    __FILE__, __LINE__, check_current_, #a, #b, check_a_,      \
                    check_b_);                                                 \
            check_failures_++;                                                 \
        }                                                                      \
    } while (0)

/* NUL-terminated string equality that prints both sides. */
#define CHECK_STREQ(a, b)                                                      \
    do {                                                                       \
        const char *check_sa_ = (a), *check_sb_ = (b);                         \
        if (check_sa_ == NULL || check_sb_ == NULL ||                          \
            strcmp(check_sa_, check_sb_) != 0) {                               \
            fprintf(stderr, "%s:%d: %s: CHECK_STREQ(%s, %s) failed:\n  \"%s\"\n  \"%s\"\n", \
                    __FILE__, __LINE__, check_current_, #a, #b,                \
                    check_sa_ ? check_sa_ : "(null)",                          \
                    check_sb_ ? check_sb_ : "(null)");                         \
            check_failures_++;                                                 \
        }                                                                      \
    } while (0)

/* Memory equality (lengths and bytes). */
#define CHECK_MEMEQ(a, alen, b, blen)                                          \
    do {                                                                       \
        size_t check_al_ = (size_t)(alen), check_bl_ = (size_t)(blen);         \
        if (check_al_ != check_bl_ || memcmp((a), (b), check_al_) != 0) {      \
            fprintf(stderr, "%s:%d: %s: CHECK_MEMEQ(%s, %s) failed (%zu vs %zu bytes)\n", \
                    __FILE__, __LINE__, check_current_, #a, #b, check_al_,     \
                    check_bl_);                                                \
            check_failures_++;                                                 \
        }                                                                      \
    } while (0)

#define RUN(test_fn)                                                           \
    do {                                                                       \
        int check_before_ = check_failures_;                                   \
        check_current_ = #test_fn;                                             \
        test_fn();                                                             \
        if (check_failures_ == check_before_)                                  \
            check_passed_++;                                                   \
        else                                                                   \
            check_failed_++;                                                   \
    } while (0)

static inline int check_summary(void)
{
    printf("%d passed, %d failed\n", check_passed_, check_failed_);
    return check_failed_ == 0 ? 0 : 1;
}

#endif
