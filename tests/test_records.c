/*
 * test_records.c: counterexample records (generators/record.c).
 *
 * - write, read back: same harness, property, values and printed draws;
 * - replay by value after the byte encoding changed (a u8 became a wide
 *   range: the value survives) and after a bound narrowed (clamped, and
 *   flagged as adapted);
 * - every truncation of a valid record, random garbage, CBOR that is not a
 *   pry record and a future format version are all rejected with a reason.
 */
#include "check.h"
#include "record.h"

#include <stdlib.h>
#include <string.h>

/* The same draws, with the first one encoded three different ways. */
static void body(pry_t *p, uint64_t n)
{
    (void)n;
    pry_string(p, "name", 8, "abc");
    pry_blob(p, "blob", 16);
    pry_list_t l = pry_list(p, "xs", 4);
    while (pry_list_more(p, &l))
        pry_i16(p, NULL);
}
PRY_PROPERTY(narrow) { body(p, pry_u8(p, "n")); }
PRY_PROPERTY(wide) { body(p, pry_range_u(p, "n", 0, (uint64_t)1 << 40)); }
PRY_PROPERTY(narrower) { body(p, pry_range_u(p, "n", 0, 9)); }

static pry_exec_t X;
static pry_opts_t O;

static void run_bytes(int prop, const uint8_t *in, size_t len)
{
    pry_source_begin_run(&X.p, PRY_SRC_BYTES, in, len);
    pry_run_one(&X.p, prop);
}

static void run_values(int prop, const pry_record_t *rec)
{
    X.p.values = rec->values;
    X.p.n_values = rec->n_values;
    pry_source_begin_run(&X.p, PRY_SRC_VALUES, NULL, 0);
    pry_run_one(&X.p, prop);
    X.p.values = NULL;
    X.p.n_values = 0;
}

static char *draws_text(const pry_log_t *log)
{
    pry_out_t out;
    pry_out_init(&out);
    pry_report_draws(&out, log, 0);
    return out.buf; /* caller frees */
}

/* n = 200, name = "cab", blob = "hi!", xs = [-2, 300] */
static const uint8_t INPUT[] = {200, 1, 'c', 1, 'a', 1, 'b', 0, 3, 0, 'h', 'i',
                                '!', 1, 0xfe, 0xff, 1, 0x2c, 0x01, 0};

static uint8_t *encode_narrow(size_t *len)
{
    int prop = pry_property_find("narrow");
    run_bytes(prop, INPUT, sizeof INPUT);
    pry_finding_t fd;
    memset(&fd, 0, sizeof fd);
    fd.prop = prop;
    fd.result.status = PRY_RUN_FAIL;
    snprintf(fd.result.kind, sizeof fd.result.kind, "failed check");
    snprintf(fd.result.site, sizeof fd.result.site, "x.c:1");
    fd.input = (uint8_t *)INPUT;
    fd.len = sizeof INPUT;
    return pry_record_encode(&O, &X, &fd, len);
}

static void test_round_trip(void)
{
    size_t n;
    uint8_t *buf = encode_narrow(&n);
    CHECK(buf != NULL && pry_record_sniff(buf, n));
    char *before = draws_text(X.log);
    CHECK_STREQ(before, "n = 200\nname = \"cab\"\nblob = \"hi!\" (3 bytes)\n"
                        "xs = [-2, 300]\n");
    pry_record_t rec;
    char err[256] = "";
    CHECK_EQ(pry_record_decode(buf, n, &rec, err, sizeof err), 0);
    CHECK_STREQ(rec.harness, "testharness");
    CHECK_STREQ(rec.property, "narrow");
    CHECK_STREQ(rec.site, "x.c:1");
    CHECK_MEMEQ(rec.input, rec.input_len, INPUT, sizeof INPUT);
    char *shown = draws_text(rec.log);
    CHECK_STREQ(shown, before);
    /* Replay by value: the same draws. */
    run_values(pry_property_find("narrow"), &rec);
    char *replayed = draws_text(X.log);
    CHECK_STREQ(replayed, before);
    CHECK_EQ(X.log->adapted, 0);
    free(before);
    free(shown);
    free(replayed);
    pry_record_free(&rec);
    free(buf);
}

static void test_replay_after_encoding_change(void)
{
    size_t n;
    uint8_t *buf = encode_narrow(&n);
    pry_record_t rec;
    char err[256];
    CHECK_EQ(pry_record_decode(buf, n, &rec, err, sizeof err), 0);
    /* n is now an 8-byte range: the bytes differ, the values do not. */
    run_values(pry_property_find("wide"), &rec);
    char *text = draws_text(X.log);
    CHECK_STREQ(text, "n = 200\nname = \"cab\"\nblob = \"hi!\" (3 bytes)\n"
                      "xs = [-2, 300]\n");
    CHECK_EQ(X.log->adapted, 0);
    CHECK(X.log->input_len != sizeof INPUT);
    free(text);
    /* n's bound shrank to 9: clamped, flagged, and the rest still fits. */
    run_values(pry_property_find("narrower"), &rec);
    text = draws_text(X.log);
    CHECK_STREQ(text, "n = 9 (adapted)\nname = \"cab\"\nblob = \"hi!\" (3 bytes)\n"
                      "xs = [-2, 300]\n");
    CHECK_EQ(X.log->adapted, 1);
    free(text);
    pry_record_free(&rec);
    free(buf);
}

static void test_bad_records_rejected(void)
{
    size_t n;
    uint8_t *buf = encode_narrow(&n);
    pry_record_t rec;
    char err[256];
    /* Every truncation. */
    for (size_t k = 0; k < n; k++) {
        err[0] = 0;
        CHECK(pry_record_decode(buf, k, &rec, err, sizeof err) != 0);
        CHECK(err[0] != 0);
    }
    /* Trailing garbage. */
    uint8_t *longer = malloc(n + 1);
    memcpy(longer, buf, n);
    longer[n] = 0;
    CHECK(pry_record_decode(longer, n + 1, &rec, err, sizeof err) != 0);
    free(longer);
    /* Random garbage with a record's first bytes (pinned seed). */
    pry_t rng;
    pry_rng_seed(&rng, 2024);
    for (int k = 0; k < 2000; k++) {
        uint8_t junk[64] = {0xd9, 0xd9, 0xf7};
        for (size_t j = 3; j < sizeof junk; j++)
            junk[j] = (uint8_t)pry_rng_next(&rng);
        size_t len = 3 + (size_t)(pry_rng_next(&rng) % 61);
        if (pry_record_decode(junk, len, &rec, err, sizeof err) == 0)
            pry_record_free(&rec); /* valid by chance: must be well-formed */
    }
    /* CBOR, but not ours: 55799([1, 2]), and a record of version 2. */
    static const uint8_t array[] = {0xd9, 0xd9, 0xf7, 0x82, 0x01, 0x02};
    CHECK(pry_record_decode(array, sizeof array, &rec, err, sizeof err) != 0);
    CHECK(strstr(err, "not a pry record") != NULL);
    static const uint8_t v2[] = {0xd9, 0xd9, 0xf7, 0xa1, 0x63, 'p', 'r', 'y', 0x02};
    CHECK(pry_record_decode(v2, sizeof v2, &rec, err, sizeof err) != 0);
    CHECK(strstr(err, "version 2") != NULL);
    free(buf);
}

int main(void)
{
    pry_registry_sort();
    X.log = calloc(1, sizeof *X.log);
    if (X.log == NULL)
        return 2;
    pry_source_init(&X.p, X.log);
    X.p.record = true;
    O.harness = "testharness";
    RUN(test_round_trip);
    RUN(test_replay_after_encoding_change);
    RUN(test_bad_records_rejected);
    pry_arena_free(&X.p);
    free(X.log);
    return check_summary();
}
