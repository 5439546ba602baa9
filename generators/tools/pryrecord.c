/*
 * pryrecord: what a counterexample record is for, read with libcbor by the
 * kit's own reader (generators/record.c), for tools that must choose a
 * binary before they can replay one (the ./pry wrapper).
 *
 *   pryrecord FILE     prints three lines: harness, property, planted bugs
 *
 * Exit status: 0, or 2 with one line on stderr (missing file, not a pry
 * record, truncated, garbage, unsupported version).
 */
#include "record.h"

#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: pryrecord FILE\n");
        return 2;
    }
    size_t n;
    uint8_t *data = pry_read_file(argv[1], &n);
    if (data == NULL)
        return 2;
    if (!pry_record_sniff(data, n)) {
        fprintf(stderr, "pry: %s is not a pry record (no CBOR self-describe tag)\n", argv[1]);
        free(data);
        return 2;
    }
    pry_record_t rec;
    char err[256];
    if (pry_record_decode(data, n, &rec, err, sizeof err) != 0) {
        fprintf(stderr, "pry: %s: not a valid pry record: %s\n", argv[1], err);
        free(data);
        return 2;
    }
    free(data);
    printf("%s\n%s\n%s\n", rec.harness, rec.property, rec.plants ? rec.plants : "");
    pry_record_free(&rec);
    return 0;
}
