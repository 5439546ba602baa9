/*
 * record.h: counterexample records in CBOR, written and read with libcbor.
 * The format is documented in docs/record-format.md.
 */
#ifndef PRY_RECORD_H
#define PRY_RECORD_H

#include "runner.h"

#define PRY_RECORD_VERSION 1

/* A decoded record. Everything is owned by the record: pry_record_free. */
typedef struct {
    unsigned version;
    char *kit, *plants, *harness, *property, *status, *kind, *site, *expr, *message,
        *notes;
    pry_value_t *values; /* the primitive draws, in order, for replay */
    size_t n_values;
    pry_log_t *log;      /* the whole draw log as saved, for `show` */
    uint8_t *input;      /* the raw bytes at save time */
    size_t input_len;
    void *item;          /* the libcbor item (cbor_item_t *) */
} pry_record_t;

/* Does |data| start like a pry record (CBOR self-describe tag)? */
bool pry_record_sniff(const uint8_t *data, size_t n);

/* Decode. 0, or -1 with a reason in |err| (truncated, not CBOR, not a pry
 * record, unsupported version, a field of the wrong type). */
int pry_record_decode(const uint8_t *data, size_t n, pry_record_t *rec,
                      char *err, size_t err_size);
void pry_record_free(pry_record_t *rec);

/* Encode the run in x->log as a record. Returns a malloc'd buffer. */
uint8_t *pry_record_encode(const pry_opts_t *o, pry_exec_t *x,
                           const pry_finding_t *fd, size_t *len);

/* Save fd's record to |path|. 0 or -1. */
int pry_save_record_to(const pry_opts_t *o, pry_exec_t *x,
                       const pry_finding_t *fd, const char *path);

/* Print |rec| as RFC 8949 diagnostic notation. */
void pry_record_diagnostic(FILE *f, const pry_record_t *rec);

/* The bytes of blob entry |i| of |log|: input[*from, *to), after its
 * length prefix, clipped to the input. */
void pry_record_blob_data(const pry_log_t *log, uint32_t i, size_t *from,
                          size_t *to);

/* A paste-ready C regression for the failure in x->log. */
void pry_print_regression(FILE *f, const pry_opts_t *o, pry_exec_t *x,
                          const pry_finding_t *fd);

#endif
