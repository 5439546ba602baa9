/*
 * patch.h: parse, print, apply and produce unified diffs, in memory.
 *
 * The reference behaviour is GNU patch 2.7 and GNU diffutils' unified
 * format (GNU diff manual, "Unified Format"; GNU patch manual, "Applying
 * Patches"). Nothing here touches the file system: the
 * library works on byte buffers only, never prints and never exits, and has
 * no global state, so a fuzzing harness can call it millions of times.
 *
 * Ownership, in one place (each declaration repeats it):
 *   - Every pointer an out-parameter receives is owned by the caller.
 *   - patch_set / patch_file come from patch_parse / patch_diff and are freed
 *     with patch_set_free / patch_file_free (which free every string and
 *     line inside them).
 *   - Byte buffers returned by print, apply and path functions are freed
 *     with patch_bytes_free.
 *   - Input buffers are only read, never kept: the results copy what they
 *     need.
 *
 * Results: every function that can fail returns a patch_result; 0 is
 * success, negative values are errors, patch_strerror names them.
 */
#ifndef PRY_PATCH_H
#define PRY_PATCH_H

#include <stddef.h>

typedef enum patch_result {
    PATCH_OK = 0,
    PATCH_ERR_NOMEM = -1,   /* allocation failed */
    PATCH_ERR_SYNTAX = -2,  /* malformed diff text (see the error line) */
    PATCH_ERR_RANGE = -3,   /* a number in a header is out of range */
    PATCH_ERR_COUNT = -4,   /* hunk body disagrees with its header counts */
    PATCH_ERR_BINARY = -5,  /* binary patch (git binary / "Binary files") */
    PATCH_ERR_PATH = -6,    /* unsafe path: absolute or climbs out with .. */
    PATCH_ERR_STRIP = -7,   /* -p strips more components than the name has */
    PATCH_ERR_FAILED = -8,  /* at least one hunk did not apply */
    PATCH_ERR_INVAL = -9    /* bad argument (NULL where not allowed, ...) */
} patch_result;

/* A static English message for a patch_result; never NULL. */
const char *patch_strerror(int result);

/* Largest line number or count accepted in a hunk header. Bigger numbers
 * are PATCH_ERR_RANGE, so start + count never overflows a long. */
#define PATCH_NUM_MAX 0x3fffffffL

/* One line of a hunk body. */
typedef struct patch_line {
    char kind;   /* ' ' context, '-' old side only, '+' new side only */
    size_t len;  /* bytes in text, without the line terminator */
    char *text;  /* owned by the hunk; len bytes plus a NUL (the text itself
                    may contain NUL bytes, so use len) */
} patch_line;

/* One hunk. Invariant (established by patch_parse and patch_diff, and
 * relied upon by patch_file_apply): the number of ' ' and '-' lines equals
 * old_count and the number of ' ' and '+' lines equals new_count. */
typedef struct patch_hunk {
    long old_start, old_count;  /* as written in "@@ -s,c"; s is the line
                                   *before* the hunk when c == 0 */
    long new_start, new_count;
    int old_nonl;   /* old side's last line has no newline ("\ No newline") */
    int new_nonl;   /* same for the new side */
    char *section;  /* owned; text after the closing "@@" (starts with the
                       separating space), or NULL */
    size_t nlines;
    patch_line *lines; /* owned array of nlines */
    long line_no;   /* line of the "@@" header in the parsed text, 0 if made
                       by patch_diff */
} patch_hunk;

/* Flags of a file patch (bit set). CREATE and DELETE record what the
 * headers say; whether a file is really created or removed also depends
 * on the first hunk and the timestamps: see patch_file_presence. */
enum {
    PATCH_F_GIT = 1,      /* came with a "diff --git" header */
    PATCH_F_CREATE = 2,   /* old side is /dev/null or "new file mode" */
    PATCH_F_DELETE = 4,   /* new side is /dev/null or "deleted file mode" */
    PATCH_F_RENAME = 8,   /* git "rename from/to" */
    PATCH_F_COPY = 16,    /* git "copy from/to" */
    PATCH_F_CRLF = 32     /* the "+++" line ended in CRLF, so (as GNU patch
                             does) one trailing CR was stripped from every
                             line of this file patch; printed back as CRLF */
};

/* The patch for one file. Names are the raw header names after C-unquoting
 * (e.g. "a/src/x.c"), without timestamps; NULL means /dev/null. */
typedef struct patch_file {
    char *old_name;      /* owned or NULL */
    char *new_name;      /* owned or NULL */
    char *old_stamp;     /* owned or NULL: text after the TAB on "---" */
    char *new_stamp;     /* owned or NULL: text after the TAB on "+++" */
    char *git_index;     /* owned or NULL: value of a git "index" line */
    unsigned old_mode;   /* git "old mode"/"deleted file mode", 0 if none */
    unsigned new_mode;   /* git "new mode"/"new file mode", 0 if none */
    int similarity;      /* git similarity index in percent, -1 if none */
    unsigned flags;      /* PATCH_F_* */
    long line_no;        /* first header line in the parsed text */
    size_t nhunks;
    patch_hunk *hunks;   /* owned array of nhunks */
} patch_file;

/* A whole diff: several file patches. */
typedef struct patch_set {
    size_t nfiles;
    patch_file *files;   /* owned array of nfiles */
} patch_set;

/* Parse diff text (len bytes, NUL bytes allowed inside lines). Text before,
 * between and after file patches that is not a diff header is skipped, as
 * GNU patch does with commentary. An input without any file patch gives
 * PATCH_OK and an empty set.
 * On success *out receives a set the caller frees with patch_set_free.
 * On error *out is NULL and, if err_line is not NULL, *err_line receives
 * the 1-based line of the problem. */
int patch_parse(const char *text, size_t len, patch_set **out, long *err_line);

/* ---- Creation and removal: does each side exist? ----
 *
 * A file patch does not say "create" or "delete" in so many words. GNU
 * patch 2.7.6 reads it from the headers (src/pch.c, intuit_diff_type):
 * git's "new file mode" / "deleted file mode" and "index" hashes, and the
 * first hunk: a side whose range starts at line 0 ("@@ -0,0 +1,3 @@")
 * does not exist if its name is /dev/null or its timestamp is the epoch
 * (as `diff -N` writes for a missing file, in local time:
 * "1970-01-01 00:00:00.000000000 +0000", "1969-12-31 19:00:00 -0500"),
 * and is otherwise an existing, empty file. presence.c has the details. */
typedef enum patch_side {
    PATCH_SIDE_OLD = 0,
    PATCH_SIDE_NEW = 1
} patch_side;

typedef enum patch_presence {
    PATCH_PRESENT = 0,       /* the file exists */
    PATCH_PRESENT_EMPTY = 1, /* it exists and is probably empty */
    PATCH_ABSENT = 2         /* it does not exist: an absent old side
                                creates the file, an absent new side
                                removes it (GNU's p_says_nonexistent) */
} patch_presence;

/* GNU patch's verdict on one side of |file| (not owned, only read).
 * NULL gives PATCH_PRESENT. Reads the TZ environment for timestamps that
 * carry no zone (see patch_stamp_parse). */
patch_presence patch_file_presence(const patch_file *file, patch_side side);

/* Read a header timestamp (the text after the TAB on "---"/"+++") as GNU
 * patch's get_date does for the forms diff tools write: ISO 8601 dates
 * ("2024-05-01 10:00:00.123456789 +0200", "T" or blanks between, the time
 * and zone optional), ctime / date(1) ("Thu Jan  1 00:00:00 [UTC] 1970")
 * and RFC 5322 ("Thu, 01 Jan 1970 00:00:00 +0000"). Zones are numeric
 * (+HH, +HHMM, +HH:MM, at most 24:00) or gnulib's names (UTC, EST, CET,
 * ...); without a zone the time is local (TZ), as in GNU. Trailing
 * parenthesised comments are skipped. *sec receives seconds since
 * 1970-01-01 00:00:00 UTC, *nsec the fraction in nanoseconds.
 * Errors: PATCH_ERR_SYNTAX (not such a date: relative dates, "@N" and
 * other get_date forms no diff tool writes are refused), PATCH_ERR_INVAL
 * (a NULL argument). */
int patch_stamp_parse(const char *stamp, long long *sec, long *nsec);

/* Free a set from patch_parse, with everything in it. NULL is a no-op. */
void patch_set_free(patch_set *set);

/* Free one file patch from patch_diff. NULL is a no-op. (Files inside a
 * patch_set are freed by patch_set_free, not by this.) */
void patch_file_free(patch_file *file);

/* Print a set / one file patch back as unified diff text. The result
 * parses back to the same structure. *out receives a NUL-terminated
 * buffer of *out_len bytes (not counting the NUL) that the caller frees
 * with patch_bytes_free. */
int patch_set_print(const patch_set *set, char **out, size_t *out_len);
int patch_file_print(const patch_file *file, char **out, size_t *out_len);

/* Free a buffer returned by this library. NULL is a no-op. */
void patch_bytes_free(char *bytes);

/* What happened to one hunk in patch_file_apply. */
typedef enum patch_hunk_status {
    PATCH_HUNK_APPLIED = 0, /* at its own position, no fuzz */
    PATCH_HUNK_OFFSET = 1,  /* at another position (offset != 0), no fuzz */
    PATCH_HUNK_FUZZ = 2,    /* with fuzz (and maybe an offset) */
    PATCH_HUNK_FAILED = 3   /* not applied */
} patch_hunk_status;

typedef struct patch_hunk_report {
    patch_hunk_status status;
    long line;    /* applied: first line of the hunk in the output, as GNU
                     prints it ("succeeded at L"); failed: the line GNU
                     prints in "FAILED at L" */
    long offset;  /* lines between where the header said and where it
                     matched, cumulative like GNU's (0 if failed) */
    int fuzz;     /* context lines ignored at each end (0..max_fuzz) */
} patch_hunk_report;

typedef struct patch_apply_options {
    int reverse;   /* apply new -> old (patch -R) */
    int max_fuzz;  /* GNU's -F; 2 is GNU's default; negative means 2 */
} patch_apply_options;

/* Apply the hunks of one file patch to in[0..in_len), in memory.
 * opts may be NULL (forward, fuzz 2). If reports is not NULL it must have
 * file->nhunks entries and receives one report per hunk.
 * Returns PATCH_OK if every hunk applied, PATCH_ERR_FAILED if some did not
 * (the output then holds the hunks that did apply, like GNU patch's file),
 * or another error (then *out is NULL). On PATCH_OK and PATCH_ERR_FAILED
 * *out receives a buffer of *out_len bytes freed with patch_bytes_free. */
int patch_file_apply(const patch_file *file, const char *in, size_t in_len,
                     const patch_apply_options *opts, char **out,
                     size_t *out_len, patch_hunk_report *reports);

typedef struct patch_diff_options {
    int context;           /* context lines; negative means 3 */
    const char *old_name;  /* header names (copied); NULL means /dev/null
                              and then the old text must be empty */
    const char *new_name;  /* same for the new side */
} patch_diff_options;

/* Produce a unified diff from a to b (Myers' O(ND) algorithm). Lines are
 * split at '\n'; every byte is allowed (CR and NUL are ordinary bytes), and
 * a missing final newline is recorded as "\ No newline at end of file".
 * Identical inputs give a file patch with no hunks. opts may be NULL
 * (context 3, names "a" and "b"). *out receives a file patch freed with
 * patch_file_free. */
int patch_diff(const char *a, size_t a_len, const char *b, size_t b_len,
               const patch_diff_options *opts, patch_file **out);

/* Strip `strip` leading components from a patch file name (as patch -pN
 * does: runs of slashes count as one separator) and check the result is a
 * safe relative path: not absolute and never climbing above its start
 * with "..". *out receives a NUL-terminated copy freed with
 * patch_bytes_free. Errors: PATCH_ERR_STRIP (too few components),
 * PATCH_ERR_PATH (unsafe), PATCH_ERR_INVAL (negative strip, empty name). */
int patch_path_strip(const char *name, long strip, char **out);

/* Check one relative path as above; PATCH_OK or PATCH_ERR_PATH. */
int patch_path_check(const char *path);

#endif
