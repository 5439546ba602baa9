/*
 * prypatch: apply a unified diff to files under the current directory,
 * compatible with GNU patch for the options below (messages and exit
 * status follow GNU patch 2.7):
 *
 *   prypatch [-pN | -p N] [-i PATCHFILE] [-R] [-E] [-f | -t] [--dry-run]
 *            [-o OUTFILE] [-d DIR] [-s] [ORIGFILE [PATCHFILE]]
 *
 * Files are created and removed by GNU patch 2.7.6's rules: the library's
 * patch_file_presence says whether each side exists, and do_file below
 * follows pch.c (which file to read, maybe_reverse) and patch.c (what
 * becomes of an empty result) for the rest.
 *
 * Exit status: 0 every hunk applied, 1 some hunks failed or a file patch
 * was skipped, 2 trouble (unreadable or malformed patch, I/O error).
 *
 * Safety: every file name taken from the patch is stripped (-p) and then
 * checked by patch_path_strip (never absolute, never climbing out with
 * ".."), and nothing is written through a symbolic link, so names from
 * the patch can only reach files under the working directory. -o and -d
 * are the caller's own choices and are used as given.
 *
 * Failed hunks go to NAME.rej in unified format (not in --dry-run).
 */
#include "patch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct options {
    long strip;          /* -1: not given (use the last component) */
    const char *input;   /* -i, NULL for stdin */
    int reverse, dry_run, silent;
    int force;           /* -f: apply what looks reversed anyway */
    int batch;           /* -t: take what looks reversed as reversed */
    int remove_empty;    /* -E: remove files that end up empty */
    const char *outfile; /* -o */
    const char *dir;     /* -d */
    const char *origfile;/* positional file to patch */
} options;

static void usage(void)
{
    fprintf(stderr, "usage: prypatch [-pN] [-i PATCHFILE] [-R] [-E] [-f | -t] "
                    "[--dry-run] [-o OUTFILE] [-d DIR] [-s] "
                    "[ORIGFILE [PATCHFILE]]\n");
}

static int parse_strip(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0)
        return -1;
    *out = v;
    return 0;
}

static int parse_args(int argc, char **argv, options *o)
{
    int npos = 0;
    memset(o, 0, sizeof *o);
    o->strip = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++) {
                if (npos == 0) o->origfile = argv[i];
                else if (npos == 1) o->input = argv[i];
                else return -1;
                npos++;
            }
            break;
        }
        if (strncmp(a, "-p", 2) == 0 || strncmp(a, "--strip=", 8) == 0) {
            const char *v = a[1] == 'p' ? a + 2 : a + 8;
            if (*v == '\0') {
                if (++i >= argc) return -1;
                v = argv[i];
            }
            if (parse_strip(v, &o->strip)) return -1;
        } else if (strcmp(a, "-i") == 0 || strcmp(a, "-o") == 0 ||
                   strcmp(a, "-d") == 0) {
            if (++i >= argc) return -1;
            if (a[1] == 'i') o->input = argv[i];
            else if (a[1] == 'o') o->outfile = argv[i];
            else o->dir = argv[i];
        } else if (strncmp(a, "--input=", 8) == 0) {
            o->input = a + 8;
        } else if (strncmp(a, "--output=", 9) == 0) {
            o->outfile = a + 9;
        } else if (strncmp(a, "--directory=", 12) == 0) {
            o->dir = a + 12;
        } else if (strcmp(a, "-R") == 0 || strcmp(a, "--reverse") == 0) {
            o->reverse = 1;
        } else if (strcmp(a, "--dry-run") == 0) {
            o->dry_run = 1;
        } else if (strcmp(a, "-s") == 0 || strcmp(a, "--silent") == 0 ||
                   strcmp(a, "--quiet") == 0) {
            o->silent = 1;
        } else if (strcmp(a, "-f") == 0 || strcmp(a, "--force") == 0) {
            o->force = 1;
        } else if (strcmp(a, "-t") == 0 || strcmp(a, "--batch") == 0) {
            o->batch = 1;
        } else if (strcmp(a, "-E") == 0 ||
                   strcmp(a, "--remove-empty-files") == 0) {
            o->remove_empty = 1;
        } else if (strcmp(a, "--no-backup-if-mismatch") == 0) {
            /* we never make backups: nothing to do */
        } else if (a[0] == '-' && a[1] != '\0') {
            return -1;
        } else {
            if (npos == 0) o->origfile = a;
            else if (npos == 1) o->input = a;
            else return -1;
            npos++;
        }
    }
    return 0;
}

/* Read a whole stream; NULL on error. */
static char *read_stream(FILE *fp, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    if (buf == NULL)
        return NULL;
    for (;;) {
        if (n == cap) {
            char *nb = cap > ((size_t)-1) / 2 ? NULL : realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(fp)) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* 1 if some existing component of path (or path itself) is a symlink. */
static int through_symlink(const char *path)
{
    char *copy = strdup(path);
    int bad = 0;
    if (copy == NULL)
        return 1;
    for (char *p = copy;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            struct stat st;
            *p = '\0';
            if (copy[0] && lstat(copy, &st) == 0 && S_ISLNK(st.st_mode))
                bad = 1;
            *p = c;
            if (c == '\0' || bad)
                break;
        }
    }
    free(copy);
    return bad;
}

static int make_parents(const char *path)
{
    char *copy = strdup(path);
    if (copy == NULL)
        return -1;
    for (char *p = copy + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
                free(copy);
                return -1;
            }
            *p = '/';
        }
    }
    free(copy);
    return 0;
}

static int write_file(const char *path, const char *data, size_t len,
                      mode_t mode)
{
    size_t tl = strlen(path) + 16;
    char *tmp = malloc(tl);
    if (tmp == NULL)
        return -1;
    snprintf(tmp, tl, "%s.prypatchXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        free(tmp);
        return -1;
    }
    FILE *fp = fdopen(fd, "wb");
    int ok = fp != NULL && fwrite(data, 1, len, fp) == len;
    if (fp) {
        if (fclose(fp) != 0)
            ok = 0;
    } else {
        close(fd);
    }
    if (ok && chmod(tmp, mode) != 0)
        ok = 0;
    if (ok && rename(tmp, path) != 0)
        ok = 0;
    if (!ok)
        unlink(tmp);
    free(tmp);
    return ok ? 0 : -1;
}

static int count_components(const char *s)
{
    int n = 1;
    for (; *s; s++)
        if (*s == '/')
            n++;
    return n;
}

static const char *base_of(const char *s)
{
    const char *b = strrchr(s, '/');
    return b ? b + 1 : s;
}

/* GNU's choice among candidate names: fewest components, then shortest
 * basename, then shortest name; the first wins ties. */
static int better(const char *a, const char *b)
{
    int ca = count_components(a), cb = count_components(b);
    if (ca != cb)
        return ca < cb;
    size_t ba = strlen(base_of(a)), bb = strlen(base_of(b));
    if (ba != bb)
        return ba < bb;
    return strlen(a) < strlen(b);
}

/* Strip and check one name; prints GNU's warning for unsafe names. */
static char *stripped(const options *o, const char *name)
{
    char *out = NULL;
    if (name == NULL)
        return NULL;
    long strip = o->strip;
    if (strip < 0) { /* no -p: GNU uses the last component */
        const char *b = base_of(name);
        int rc = patch_path_strip(*b ? b : name, 0, &out);
        if (rc == PATCH_ERR_PATH)
            fprintf(stderr, "Ignoring potentially dangerous file name %s\n", name);
        return rc == PATCH_OK ? out : NULL;
    }
    int rc = patch_path_strip(name, strip, &out);
    if (rc == PATCH_ERR_PATH)
        fprintf(stderr, "Ignoring potentially dangerous file name %s\n", name);
    return rc == PATCH_OK ? out : NULL;
}

typedef struct run {
    options *o;
    FILE *outfp;  /* -o stream, or NULL */
    int status;
} run;

static void say_hunks(const options *o, const patch_file *f,
                      const patch_hunk_report *r)
{
    if (o->silent)
        return;
    for (size_t i = 0; i < f->nhunks; i++) {
        if (r[i].status == PATCH_HUNK_FAILED) {
            printf("Hunk #%zu FAILED at %ld.\n", i + 1, r[i].line);
        } else if (r[i].status != PATCH_HUNK_APPLIED) {
            printf("Hunk #%zu succeeded at %ld", i + 1, r[i].line);
            if (r[i].fuzz)
                printf(" with fuzz %d", r[i].fuzz);
            if (r[i].offset)
                printf(" (offset %ld line%s)", r[i].offset,
                       r[i].offset == 1 || r[i].offset == -1 ? "" : "s");
            printf(".\n");
        }
    }
}

static void write_rej(run *rn, const char *target, const patch_file *f,
                      const patch_hunk_report *r, size_t nfailed)
{
    patch_file copy = *f;
    patch_hunk *hs = malloc(nfailed * sizeof *hs);
    char *text = NULL, *rej = NULL;
    size_t len, k = 0;
    if (hs == NULL)
        goto fail;
    for (size_t i = 0; i < f->nhunks; i++)
        if (r[i].status == PATCH_HUNK_FAILED)
            hs[k++] = f->hunks[i];
    copy.hunks = hs;
    copy.nhunks = k;
    copy.flags &= ~(unsigned)PATCH_F_GIT; /* plain ---/+++ header */
    if (patch_file_print(&copy, &text, &len) != PATCH_OK)
        goto fail;
    rej = malloc(strlen(target) + 5);
    if (rej == NULL)
        goto fail;
    sprintf(rej, "%s.rej", target);
    if (through_symlink(rej) || write_file(rej, text, len, 0644) != 0)
        goto fail;
    free(hs);
    free(rej);
    patch_bytes_free(text);
    return;
fail:
    fprintf(stderr, "prypatch: can't write reject file for %s\n", target);
    rn->status = 2;
    free(hs);
    free(rej);
    patch_bytes_free(text);
}

/* Size of a regular file, or -1 if there is none. */
static long long file_size(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISREG(st.st_mode) ? (long long)st.st_size
                                                          : -1;
}

/* Directories a created file would need: components of |p| that are not
 * existing directories (pch.c, prefix_components with and without
 * checkdirs). */
static int new_dirs(const char *p)
{
    char *copy = strdup(p);
    int all = 0, have = 0, stop = 0;
    if (copy == NULL)
        return 0;
    for (char *c = copy + 1; *c; c++) {
        if (*c == '/' && c[-1] != '/') {
            struct stat st;
            all++;
            *c = '\0';
            if (!stop && stat(copy, &st) == 0 && S_ISDIR(st.st_mode))
                have++;
            else
                stop = 1;
            *c = '/';
        }
    }
    free(copy);
    return all - have;
}

/* Remove the now empty directories above a removed file, deepest first,
 * as GNU's delete_files does with removedirs (util.c); a directory that
 * still holds something stays. */
static void remove_dirs(const char *p)
{
    char *copy = strdup(p);
    if (copy == NULL)
        return;
    for (size_t i = strlen(copy); i > 0; i--)
        if (copy[i] == '/' && copy[i - 1] != '/') {
            copy[i] = '\0';
            rmdir(copy);
        }
    free(copy);
}

/* GNU patch's maybe_reverse (pch.c): a patch that would create a file
 * that already has content, or delete or empty out one that is missing
 * or empty, looks reversed. Without -f or -t GNU asks; with no terminal
 * the answers are the defaults ("n", "n"), so the file is skipped.
 * With -f it is applied anyway, with -t the patch is taken as reversed
 * for this file. Returns 1 if the patch looks reversed; *skip is set when
 * the file is to be skipped. */
static int maybe_reverse(const options *o, const patch_presence st[2],
                         int *reverse, const char *name, int nonexistent,
                         int is_empty, int *skip)
{
    int r = *reverse;
    /* Creating or deleting an empty file that git's index line says is
     * empty is fine. */
    if (is_empty && st[r ^ nonexistent] == PATCH_PRESENT_EMPTY &&
        st[!r ^ nonexistent] == PATCH_ABSENT)
        return 0;
    /* pch.c: "(! is_empty) < p_says_nonexistent[reverse ^ is_empty]": a
     * file with content when the input side is absent, an empty or
     * missing one when the output side is absent or empty. */
    int looks = is_empty ? st[!r] != PATCH_PRESENT : st[r] == PATCH_ABSENT;
    if (!looks)
        return 0;
    if (!(o->force && o->silent))
        printf("The next patch%s would %s the file %s,\nwhich %s!",
               r ? ", when reversed," : "",
               nonexistent ? "delete" : is_empty ? "empty out" : "create",
               name,
               nonexistent ? "does not exist"
               : is_empty  ? "is already empty"
                           : "already exists");
    if (o->force) {
        if (!o->silent)
            printf("  Applying it anyway.\n");
    } else if (o->batch) {
        printf(r ? "  Ignoring -R.\n" : "  Assuming -R.\n");
        *reverse = !r;
    } else {
        printf("  Assume -R? [n] \nApply anyway? [n] \n");
        if (!o->silent)
            printf("Skipping patch.\n");
        *skip = 1;
    }
    return 1;
}

/* Which file to read (GNU's intuit_diff_type, after the headers): the
 * best of the names that exist; if none does and the input side may be
 * missing, the one needing the fewest new directories. -1 if none. */
static int choose_input(const options *o, const patch_presence st[2],
                        int *reverse, char *const name[2], int *skip)
{
    int best = -1, last = -1;
    for (int i = 0; i < 2; i++) {
        if (name[i] == NULL)
            continue;
        last = i;
        if (file_size(name[i]) >= 0 && (best < 0 || better(name[i], name[best])))
            best = i;
    }
    /* A missing file that looks reversed is read (as empty) under the
     * last name, when applied anyway. */
    if (last >= 0) {
        long long size = best >= 0 ? file_size(name[best]) : 0;
        if (maybe_reverse(o, st, reverse, name[best >= 0 ? best : last],
                          best < 0, size == 0, skip) && best < 0)
            best = last;
        if (*skip)
            return -1;
    }
    if (best < 0 && st[*reverse] != PATCH_PRESENT) {
        int fewest = -1;
        for (int i = 0; i < 2; i++)
            if (name[i] && (fewest < 0 || new_dirs(name[i]) < fewest))
                fewest = new_dirs(name[i]);
        for (int i = 0; i < 2; i++)
            if (name[i] && new_dirs(name[i]) == fewest &&
                (best < 0 || better(name[i], name[best])))
                best = i;
    }
    return best;
}

static void say_skipped(run *rn, const patch_file *f, int cant_find)
{
    if (cant_find) {
        printf("can't find file to patch at input line %ld\n", f->line_no);
        printf("No file to patch.  Skipping patch.\n");
    }
    printf("%zu out of %zu hunk%s ignored\n", f->nhunks, f->nhunks,
           f->nhunks == 1 ? "" : "s");
    rn->status = rn->status > 1 ? rn->status : 1;
}

/* Apply |f| to in[0..in_len). GNU fails a hunk that would go at line 1
 * of a file with content when the patch says that file does not exist
 * (patch.c: "where == 1 && pch_says_nonexistent (reverse) == 2 &&
 * instat.st_size"); here: the hunks whose input range starts at line 0. */
static int apply_file(const patch_file *f, int reverse, int in_absent,
                      const char *in, size_t in_len, char **res,
                      size_t *res_len, patch_hunk_report *rep)
{
    patch_apply_options ao = {reverse, 2};
    if (!in_absent || in_len == 0 || f->nhunks == 0)
        return patch_file_apply(f, in, in_len, &ao, res, res_len, rep);
    patch_file view = *f;
    patch_hunk *hs = malloc(f->nhunks * sizeof *hs);
    patch_hunk_report *vr = calloc(f->nhunks, sizeof *vr);
    size_t k = 0;
    int rc = PATCH_ERR_NOMEM;
    if (hs && vr) {
        for (size_t i = 0; i < f->nhunks; i++)
            if ((reverse ? f->hunks[i].new_start : f->hunks[i].old_start) != 0)
                hs[k++] = f->hunks[i];
        view.hunks = hs;
        view.nhunks = k;
        rc = patch_file_apply(&view, in, in_len, &ao, res, res_len, vr);
        for (size_t i = 0, j = 0; i < f->nhunks; i++) {
            if ((reverse ? f->hunks[i].new_start : f->hunks[i].old_start) != 0) {
                rep[i] = vr[j++];
            } else {
                rep[i].status = PATCH_HUNK_FAILED;
                rep[i].line = 1;
                if (rc == PATCH_OK)
                    rc = PATCH_ERR_FAILED;
            }
        }
    }
    free(hs);
    free(vr);
    return rc;
}

static void do_file(run *rn, const patch_file *f)
{
    options *o = rn->o;
    int reverse = o->reverse, skip = 0;
    patch_presence st[2] = {patch_file_presence(f, PATCH_SIDE_OLD),
                            patch_file_presence(f, PATCH_SIDE_NEW)};
    char *name[2] = {stripped(o, f->old_name), stripped(o, f->new_name)};
    char *src = NULL, *dst = NULL;
    int moves = (f->flags & (PATCH_F_RENAME | PATCH_F_COPY)) != 0;

    if (o->origfile) {
        long long size = file_size(o->origfile);
        maybe_reverse(o, st, &reverse, o->origfile, size < 0, size <= 0, &skip);
        src = strdup(o->origfile);
        dst = strdup(o->origfile);
    } else {
        int i = choose_input(o, st, &reverse, name, &skip);
        if (i >= 0 && moves && !(name[0] && name[1])) {
            printf("Cannot %s file without two valid file names\n",
                   (f->flags & PATCH_F_RENAME) ? "rename" : "copy");
            skip = 1;
        } else if (i >= 0) {
            src = strdup(name[i]);
            /* git renames and copies write the other side's name. */
            dst = strdup(moves ? name[!reverse] : name[i]);
        }
    }
    if (skip || src == NULL || dst == NULL) {
        say_skipped(rn, f, !skip);
        goto out;
    }
    int rename_src = (f->flags & PATCH_F_RENAME) && strcmp(src, dst) != 0;

    /* Read the original; a missing one reads as empty (inp.c,
     * get_input_file: "instat.st_size = 0"). */
    char *in = NULL;
    size_t in_len = 0;
    mode_t mode = 0644;
    int src_exists = file_size(src) >= 0;
    if (!o->origfile && through_symlink(src)) {
        fprintf(stderr, "prypatch: refusing to follow a symbolic link in %s\n", src);
        rn->status = 2;
        goto out;
    }
    FILE *ifp = src_exists ? fopen(src, "rb") : NULL;
    if (ifp) {
        struct stat sb;
        if (fstat(fileno(ifp), &sb) == 0)
            mode = sb.st_mode & 07777;
        in = read_stream(ifp, &in_len);
        fclose(ifp);
        if (in == NULL) {
            fprintf(stderr, "prypatch: can't read %s\n", src);
            rn->status = 2;
            goto out;
        }
    } else if (src_exists) {
        fprintf(stderr, "prypatch: can't read %s\n", src);
        rn->status = 2;
        goto out;
    }
    unsigned in_mode = reverse ? f->new_mode : f->old_mode;
    unsigned out_mode = reverse ? f->old_mode : f->new_mode;
    /* patch.c: a mode is set when the patch gives a new one that differs. */
    int set_mode = out_mode && in_mode != out_mode;
    if (out_mode)
        mode = out_mode & 07777;

    if (!o->silent) {
        printf("%s file %s", o->dry_run ? "checking" : "patching", dst);
        if (rename_src)
            printf(" (renamed from %s)", src);
        printf("\n");
    }
    patch_hunk_report *rep = calloc(f->nhunks ? f->nhunks : 1, sizeof *rep);
    char *res = NULL;
    size_t res_len = 0;
    int rc = rep ? apply_file(f, reverse, st[reverse] == PATCH_ABSENT, in,
                              in_len, &res, &res_len, rep)
                 : PATCH_ERR_NOMEM;
    free(in);
    if (rc != PATCH_OK && rc != PATCH_ERR_FAILED) {
        fprintf(stderr, "prypatch: %s\n", patch_strerror(rc));
        rn->status = 2;
        free(rep);
        goto out;
    }
    say_hunks(o, f, rep);
    size_t nfailed = 0;
    for (size_t i = 0; i < f->nhunks; i++)
        nfailed += rep[i].status == PATCH_HUNK_FAILED;

    /* What becomes of the output (patch.c, after the hunks): an empty
     * result is removed with -E or when the patch says the new side does
     * not exist; a result with content where the patch says so is kept,
     * with "Not deleting" and exit 1. */
    int out_absent = st[!reverse] == PATCH_ABSENT;
    int remove = res_len == 0 && (o->remove_empty || out_absent);
    if (!rn->outfp && !remove && res_len != 0 && out_absent) {
        if (!o->silent)
            printf("Not deleting file %s as content differs from patch\n", dst);
        rn->status = rn->status > 1 ? rn->status : 1;
    }
    if (nfailed) {
        /* printed even with -s: it reports an error */
        printf("%zu out of %zu hunk%s FAILED", nfailed, f->nhunks,
               f->nhunks == 1 ? "" : "s");
        if (!o->dry_run && !rn->outfp)
            printf(" -- saving rejects to file %s.rej", dst);
        printf("\n");
        rn->status = rn->status > 1 ? rn->status : 1;
    }
    if (rn->outfp) {
        if (!o->dry_run && fwrite(res, 1, res_len, rn->outfp) != res_len)
            rn->status = 2;
    } else {
        if (!o->dry_run && nfailed) {
            if (make_parents(dst) == 0)
                write_rej(rn, dst, f, rep, nfailed);
            else
                rn->status = 2;
        }
        if (o->dry_run) {
            /* nothing to write */
        } else if (through_symlink(dst)) {
            fprintf(stderr, "prypatch: refusing to write through a symbolic link: %s\n", dst);
            rn->status = 2;
        } else if (remove) {
            /* GNU removes every file it deletes and then its empty
             * directories (patch.c, delete_files). */
            if (unlink(dst) != 0 && errno != ENOENT)
                rn->status = 2;
            else
                remove_dirs(dst);
            if (rename_src && unlink(src) == 0)
                remove_dirs(src);
        } else if (nfailed < f->nhunks || set_mode || moves) {
            /* GNU leaves the file alone when nothing changed (every hunk
             * failed): "Avoid replacing files when nothing has changed". */
            if (make_parents(dst) != 0 || write_file(dst, res, res_len, mode) != 0) {
                fprintf(stderr, "prypatch: can't write %s\n", dst);
                rn->status = 2;
            } else if (rename_src) {
                if (unlink(src) != 0)
                    rn->status = 2;
                else
                    remove_dirs(src);
            }
        }
    }
    patch_bytes_free(res);
    free(rep);
out:
    free(src);
    free(dst);
    patch_bytes_free(name[0]);
    patch_bytes_free(name[1]);
}

int main(int argc, char **argv)
{
    options o;
    run rn = {&o, NULL, 0};
    if (parse_args(argc, argv, &o) != 0) {
        usage();
        return 2;
    }
    if (o.dir && chdir(o.dir) != 0) {
        fprintf(stderr, "prypatch: **** Can't change to directory %s : %s\n",
                o.dir, strerror(errno));
        return 2;
    }
    FILE *pf = o.input && strcmp(o.input, "-") != 0 ? fopen(o.input, "rb") : stdin;
    if (pf == NULL) {
        fprintf(stderr, "prypatch: **** Can't open patch file %s : %s\n",
                o.input, strerror(errno));
        return 2;
    }
    size_t len = 0;
    char *text = read_stream(pf, &len);
    if (pf != stdin)
        fclose(pf);
    if (text == NULL) {
        fprintf(stderr, "prypatch: **** can't read patch\n");
        return 2;
    }
    patch_set *set = NULL;
    long line = 0;
    int rc = patch_parse(text, len, &set, &line);
    free(text);
    if (rc != PATCH_OK) {
        fprintf(stderr, "prypatch: **** %s at line %ld\n", patch_strerror(rc), line);
        return 2;
    }
    if (set->nfiles == 0) {
        fprintf(stderr, "prypatch: **** Only garbage was found in the patch input.\n");
        patch_set_free(set);
        return 2;
    }
    if (o.outfile && !o.dry_run) {
        rn.outfp = strcmp(o.outfile, "-") == 0 ? stdout : fopen(o.outfile, "wb");
        if (rn.outfp == NULL) {
            fprintf(stderr, "prypatch: **** Can't create file %s : %s\n",
                    o.outfile, strerror(errno));
            patch_set_free(set);
            return 2;
        }
    }
    for (size_t i = 0; i < set->nfiles; i++)
        do_file(&rn, &set->files[i]);
    if (rn.outfp && rn.outfp != stdout && fclose(rn.outfp) != 0)
        rn.status = 2;
    patch_set_free(set);
    return rn.status;
}
