/*
 * pryrecord: what a counterexample record is for, read with libcbor by the
 * kit's own reader (generators/record.c), for tools that must choose a
 * binary before they can replay one (the ./pry wrapper).
 *
 *   pryrecord FILE           four lines: harness, property, planted bugs,
 *                            and the kind of failure
 *   pryrecord --input FILE   the raw choice bytes it saved, to stdout (a
 *                            seed, or an input for a raw-bytes replay)
 *   pryrecord --show FILE    the record, typed and as CBOR diagnostic
 *                            notation (what a harness's --show prints; no
 *                            harness binary needed)
 *
 * Exit status: 0, or 2 with one line on stderr (missing file, not a pry
 * record, truncated, garbage, unsupported version).
 */
#include "record.h"

#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    bool raw = argc == 3 && strcmp(argv[1], "--input") == 0;
    if (argc == 3 && strcmp(argv[1], "--show") == 0) {
        pry_opts_t o;
        memset(&o, 0, sizeof o);
        return pry_cmd_show(&o, argv[2]);
    }
    if (argc != 2 && !raw) {
        fprintf(stderr, "usage: pryrecord [--input|--show] FILE\n");
        return 2;
    }
    const char *path = argv[argc - 1];
    size_t n;
    uint8_t *data = pry_read_file(path, &n);
    if (data == NULL)
        return 2;
    if (!pry_record_sniff(data, n)) {
        fprintf(stderr, "pry: %s is not a pry record (no CBOR self-describe tag)\n", path);
        free(data);
        return 2;
    }
    pry_record_t rec;
    char err[256];
    if (pry_record_decode(data, n, &rec, err, sizeof err) != 0) {
        fprintf(stderr, "pry: %s: not a valid pry record: %s\n", path, err);
        free(data);
        return 2;
    }
    free(data);
    int rc = 0;
    if (raw) {
        if (fwrite(rec.input, 1, rec.input_len, stdout) != rec.input_len)
            rc = 2;
    } else {
        printf("%s\n%s\n%s\n%s\n", rec.harness, rec.property,
               rec.plants ? rec.plants : "", rec.kind ? rec.kind : "");
    }
    pry_record_free(&rec);
    return rc;
}
