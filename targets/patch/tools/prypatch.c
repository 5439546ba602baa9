/*
 * prypatch: apply a unified diff to files under the current directory,
 * compatible with GNU patch for the options below (messages and exit
 * status follow GNU patch 2.7):
 *
 *   prypatch [-pN | -p N] [-i PATCHFILE] [-R] [--dry-run] [-o OUTFILE]
 *            [-d DIR] [-s] [-f] [ORIGFILE [PATCHFILE]]
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
    const char *outfile; /* -o */
    const char *dir;     /* -d */
    const char *origfile;/* positional file to patch */
} options;

static void usage(void)
{
    fprintf(stderr, "usage: prypatch [-pN] [-i PATCHFILE] [-R] [--dry-run] "
                    "[-o OUTFILE] [-d DIR] [-s] [ORIGFILE [PATCHFILE]]\n");
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
        } else if (strcmp(a, "-f") == 0 || strcmp(a, "--force") == 0 ||
                   strcmp(a, "-t") == 0 || strcmp(a, "--batch") == 0 ||
                   strcmp(a, "--no-backup-if-mismatch") == 0) {
            /* we never ask questions nor make backups: nothing to do */
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

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
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

static void do_file(run *rn, const patch_file *f)
{
    options *o = rn->o;
    int create = (f->flags & PATCH_F_CREATE) != 0;
    int del = (f->flags & PATCH_F_DELETE) != 0;
    if (o->reverse) {
        int t = create;
        create = del;
        del = t;
    }
    char *oldp = (f->flags & PATCH_F_CREATE) ? NULL : stripped(o, f->old_name);
    char *newp = (f->flags & PATCH_F_DELETE) ? NULL : stripped(o, f->new_name);
    char *src = NULL, *dst = NULL;
    int rename_src = 0;

    if (o->origfile) {
        src = strdup(o->origfile);
        dst = strdup(o->origfile);
    } else if (f->flags & PATCH_F_GIT) {
        /* git names are exact: old is read, new is written */
        const char *from = o->reverse ? newp : oldp;
        const char *to = o->reverse ? oldp : newp;
        src = from ? strdup(from) : NULL;
        dst = strdup(to ? to : (from ? from : ""));
        rename_src = (f->flags & PATCH_F_RENAME) && from && to &&
                     strcmp(from, to) != 0;
    } else {
        const char *cand[2] = {oldp, newp}, *best = NULL;
        int any = 0;
        for (int i = 0; i < 2; i++)
            if (cand[i] && exists(cand[i]))
                any = 1;
        for (int i = 0; i < 2; i++) {
            if (cand[i] == NULL || (any && !exists(cand[i])))
                continue;
            if (best == NULL || better(cand[i], best))
                best = cand[i];
        }
        if (!any && create && newp && !o->reverse)
            best = newp;
        else if (!any && create && oldp && o->reverse)
            best = oldp;
        src = best ? strdup(best) : NULL;
        dst = best ? strdup(best) : NULL;
    }
    if (dst == NULL || dst[0] == '\0' || (src == NULL && !create)) {
        printf("can't find file to patch at input line %ld\n", f->line_no);
        printf("No file to patch.  Skipping patch.\n");
        printf("%zu out of %zu hunk%s ignored\n", f->nhunks, f->nhunks,
               f->nhunks == 1 ? "" : "s");
        rn->status = rn->status > 1 ? rn->status : 1;
        goto out;
    }

    /* Read the original (empty for a file being created). */
    char *in = NULL;
    size_t in_len = 0;
    mode_t mode = 0644;
    if (src && !o->origfile && through_symlink(src)) {
        fprintf(stderr, "prypatch: refusing to follow a symbolic link in %s\n", src);
        rn->status = 2;
        goto out;
    }
    FILE *ifp = src ? fopen(src, "rb") : NULL;
    if (ifp) {
        struct stat st;
        if (fstat(fileno(ifp), &st) == 0)
            mode = st.st_mode & 07777;
        in = read_stream(ifp, &in_len);
        fclose(ifp);
        if (in == NULL) {
            fprintf(stderr, "prypatch: can't read %s\n", src);
            rn->status = 2;
            goto out;
        }
    } else if (!create) {
        printf("can't find file to patch at input line %ld\n", f->line_no);
        printf("No file to patch.  Skipping patch.\n");
        printf("%zu out of %zu hunk%s ignored\n", f->nhunks, f->nhunks,
               f->nhunks == 1 ? "" : "s");
        rn->status = rn->status > 1 ? rn->status : 1;
        goto out;
    }
    if (f->new_mode && !o->reverse)
        mode = f->new_mode & 07777;

    if (!o->silent) {
        printf("%s file %s", o->dry_run ? "checking" : "patching", dst);
        if (rename_src)
            printf(" (renamed from %s)", src);
        printf("\n");
    }
    patch_hunk_report *rep = calloc(f->nhunks ? f->nhunks : 1, sizeof *rep);
    char *res = NULL;
    size_t res_len = 0;
    patch_apply_options ao = {o->reverse, 2};
    int rc = rep ? patch_file_apply(f, in, in_len, &ao, &res, &res_len, rep)
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

    if (rn->outfp) {
        if (!o->dry_run && fwrite(res, 1, res_len, rn->outfp) != res_len)
            rn->status = 2;
    } else if (!o->dry_run) {
        if (through_symlink(dst)) {
            fprintf(stderr, "prypatch: refusing to write through a symbolic link: %s\n", dst);
            rn->status = 2;
        } else if (del && res_len == 0 && nfailed == 0) {
            if (src && unlink(src) != 0 && errno != ENOENT)
                rn->status = 2;
        } else if (make_parents(dst) != 0 ||
                   write_file(dst, res, res_len, mode) != 0) {
            fprintf(stderr, "prypatch: can't write %s\n", dst);
            rn->status = 2;
        } else if (rename_src && unlink(src) != 0) {
            rn->status = 2;
        }
    }
    if (del && res_len != 0 && nfailed == 0 && !rn->outfp) {
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
        if (!o->dry_run && !rn->outfp)
            write_rej(rn, dst, f, rep, nfailed);
        rn->status = rn->status > 1 ? rn->status : 1;
    }
    patch_bytes_free(res);
    free(rep);
out:
    free(src);
    free(dst);
    patch_bytes_free(oldp);
    patch_bytes_free(newp);
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
