/*
 * exec.c: fork-isolated runs (see exec.h).
 */

#include "exec.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

volatile sig_atomic_t pry_interrupted;

/* In a sanitizer build, each child that crashes symbolizes its report
 * through an external llvm-symbolizer, which it starts and which loads the
 * binary's debug information anew: about 0.3 s a crash, so that shrinking a
 * 9-byte ASan failure spent its whole 60 s budget on it. Started once here,
 * in the runner, the symbolizer process and its pipes are inherited by every
 * child forked afterwards (the sanitizer runtime's state is copied by fork),
 * and a crash report costs a few milliseconds. Children run one at a time,
 * so they never talk to it at once. The runtime's interface is weak: in a
 * build without a sanitizer it is absent and nothing is done. */
extern void __sanitizer_symbolize_pc(void *pc, const char *fmt, char *out, size_t size)
    __attribute__((weak));

static void warm_symbolizer(const pry_result_t *r)
{
    static bool warm;
    if (warm || __sanitizer_symbolize_pc == NULL || r->err.buf == NULL ||
        strstr(r->err.buf, "Sanitizer") == NULL)
        return; /* only once a report needed it: most runners never crash */
    warm = true;
    char name[64];
    __sanitizer_symbolize_pc((void *)(uintptr_t)&warm_symbolizer, "%F", name, sizeof name);
}

int pry_exec_open(pry_exec_t *x)
{
    void *m = mmap(NULL, sizeof(pry_log_t), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        fprintf(stderr, "pry: cannot map the shared log: %s\n", strerror(errno));
        return -1;
    }
    x->log = m;
    pry_source_init(&x->p, x->log);
    x->p.record = true;
    x->timeout = 10.0;
    x->show_stderr = false;
    x->persistent = false;
    x->server = NULL;
    x->tail_seed = 0;
    return 0;
}

void pry_exec_close(pry_exec_t *x)
{
    pry_server_stop(x);
    pry_arena_free(&x->p);
    if (x->log != NULL)
        munmap(x->log, sizeof(pry_log_t));
    x->log = NULL;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void pry_exec_read_all(int fd, pry_out_t *out)
{
    char buf[4096];
    lseek(fd, 0, SEEK_SET);
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0)
            break;
        pry_out_write(out, buf, (size_t)n);
    }
}

/* Frames of the runtime and of pry itself are not where a bug is. */
static bool boring_frame(const char *fn)
{
    if (strncmp(fn, "pry_property_", 13) == 0) /* the user's property */
        return false;
    static const char *const prefixes[] = {
        "__asan", "__ubsan", "__sanitizer", "__interceptor", "__GI_", "__libc",
        "__memcpy", "__memmove", "__strlen", "__str", "__mem", "abort", "raise",
        "pry_", "LLVMFuzzer", "fuzzer::", "main", "_start", "__wrap", "free",
        "malloc", "calloc", "realloc", "memcpy", "memmove", "memcmp", "memset",
        "strlen", "strcmp", "strncmp", "__pthread", "pthread_",
    };
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (strncmp(fn, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

/* Find a sanitizer's kind of error and the first interesting frame. */
static void parse_crash(pry_result_t *r)
{
    const char *err = r->err.buf ? r->err.buf : "";
    const char *m;
    if ((m = strstr(err, "ERROR: AddressSanitizer: ")) != NULL ||
        (m = strstr(err, "ERROR: LeakSanitizer: ")) != NULL) {
        m = strstr(m, ": ") + 2;
        m = strstr(m, ": ") ? strstr(m, ": ") + 2 : m;
        size_t n = strcspn(m, " \n");
        snprintf(r->kind, sizeof r->kind, "%.*s", (int)n, m);
    } else if ((m = strstr(err, "runtime error: ")) != NULL) {
        /* UBSan: "file:line:col: runtime error: what" */
        const char *line = m;
        while (line > err && line[-1] != '\n')
            line--;
        size_t n = strcspn(m + 15, "\n");
        snprintf(r->kind, sizeof r->kind, "undefined behaviour: %.*s",
                 (int)(n > 80 ? 80 : n), m + 15);
        size_t sn = (size_t)(m - line);
        if (sn > 2)
            snprintf(r->site, sizeof r->site, "%.*s", (int)(sn - 2), line);
        return;
    } else if (r->signal != 0) {
        const char *abbrev = sigabbrev_np(r->signal);
        snprintf(r->kind, sizeof r->kind, "SIG%s", abbrev ? abbrev : "?");
    } else {
        snprintf(r->kind, sizeof r->kind, "exit status %d", r->exit_code);
    }
    /* "    #3 0x4f2a1c in patch_apply /src/targets/patch/apply.c:120:9" */
    for (const char *l = err; (l = strstr(l, "    #")) != NULL; l++) {
        const char *in = strstr(l, " in ");
        const char *eol = strchr(l, '\n');
        if (in == NULL || (eol != NULL && in > eol))
            continue;
        in += 4;
        size_t fn = strcspn(in, " \n");
        char func[256];
        snprintf(func, sizeof func, "%.*s", (int)(fn < 255 ? fn : 255), in);
        if (boring_frame(func))
            continue;
        const char *loc = in + fn;
        size_t ln = eol ? (size_t)(eol - loc) : strlen(loc);
        while (ln > 0 && *loc == ' ') {
            loc++;
            ln--;
        }
        /* Paths relative to the working directory (the project root when
         * run by ./pry), like the check sites. */
        char cwd[1024];
        if (getcwd(cwd, sizeof cwd) != NULL) {
            size_t cn = strlen(cwd);
            if (ln > cn && strncmp(loc, cwd, cn) == 0 && loc[cn] == '/') {
                loc += cn + 1;
                ln -= cn + 1;
            }
        }
        snprintf(r->site, sizeof r->site, "%s %.*s", func, (int)ln, loc);
        break;
    }
}

int pry_exec(pry_exec_t *x, pry_child_fn fn, void *arg, pry_result_t *r)
{
    memset(r, 0, sizeof *r);
    pry_out_init(&r->err);
    int errfd = memfd_create("pry-stderr", MFD_CLOEXEC);
    int pipefd[2];
    if (errfd < 0 || pipe(pipefd) != 0) {
        fprintf(stderr, "pry: cannot set up a child: %s\n", strerror(errno));
        if (errfd >= 0)
            close(errfd);
        return -1;
    }
    x->log->status = PRY_RUN_STARTED;
    x->log->runs_started = 0;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "pry: fork: %s\n", strerror(errno));
        close(errfd);
        close(pipefd[0]);
        close(pipefd[1]);
        return -1;
    }
    if (pid == 0) {
        /* Die with the runner, even if it is killed by SIGKILL: no child
         * is ever left running on its own. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() == 1)
            _exit(0); /* the runner died before prctl took effect */
        close(pipefd[0]);
        dup2(errfd, 2);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        fn(x, arg);
        fflush(NULL);
        _exit(0);
    }
    close(pipefd[1]);
    struct pollfd pfd = {.fd = pipefd[0], .events = POLLIN};
    uint64_t beat = x->log->runs_started;
    double last = now();
    bool timed_out = false, interrupted = false;
    for (;;) {
        int n = poll(&pfd, 1, 50);
        if (n > 0)
            break; /* EOF: the child is gone */
        if (pry_interrupted) {
            interrupted = true;
            kill(pid, SIGKILL);
            break;
        }
        if (x->log->runs_started != beat) {
            beat = x->log->runs_started;
            last = now();
        } else if (x->timeout > 0 && now() - last > x->timeout) {
            timed_out = true;
            kill(pid, SIGKILL);
            break;
        }
    }
    int wstatus = 0;
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
    close(pipefd[0]);
    pry_exec_read_all(errfd, &r->err);
    close(errfd);
    if (interrupted)
        return -1;
    pry_exec_classify(x, r, wstatus, timed_out);
    return 0;
}

void pry_exec_classify(pry_exec_t *x, pry_result_t *r, int wstatus, bool timed_out)
{
    if (x->show_stderr && r->err.len > 0)
        fwrite(r->err.buf, 1, r->err.len, stderr);
    if (WIFSIGNALED(wstatus))
        r->signal = WTERMSIG(wstatus);
    if (WIFEXITED(wstatus))
        r->exit_code = WEXITSTATUS(wstatus);
    pry_run_status st = (pry_run_status)x->log->status;
    if (timed_out) {
        r->status = PRY_RUN_TIMEOUT;
        snprintf(r->kind, sizeof r->kind, "timeout (no progress in %.0f s)",
                 x->timeout);
    } else if (r->signal != 0 || r->exit_code != 0 || st == PRY_RUN_STARTED) {
        r->status = PRY_RUN_CRASH;
        parse_crash(r);
        warm_symbolizer(r);
    } else {
        r->status = st;
        if (st == PRY_RUN_FAIL) {
            snprintf(r->kind, sizeof r->kind, "failed check");
            const char *file = pry_pool_str(x->log, x->log->fail_file);
            snprintf(r->site, sizeof r->site, "%s:%d", file ? file : "?",
                     x->log->fail_line);
        }
    }
}

typedef struct {
    int prop;
    pry_source_mode mode;
    const uint8_t *in;
    size_t len;
    const pry_value_t *values;
    size_t n;
} one_run_t;

static void child_one(pry_exec_t *x, void *arg)
{
    one_run_t *a = arg;
    x->p.values = a->values;
    x->p.n_values = a->n;
    pry_source_begin_run(&x->p, a->mode, a->in, a->len);
    pry_source_tail(&x->p, x->tail_seed);
    pry_run_one(&x->p, a->prop);
}

int pry_exec_bytes(pry_exec_t *x, int prop, const uint8_t *in, size_t len,
                   pry_result_t *r)
{
    one_run_t a = {prop, PRY_SRC_BYTES, in, len, NULL, 0};
    return pry_exec(x, child_one, &a, r);
}

int pry_exec_values(pry_exec_t *x, int prop, const pry_value_t *values,
                    size_t n, pry_result_t *r)
{
    if (x->persistent) {
        int rc = pry_server_run(x, prop, values, n, r);
        if (rc != 1)
            return rc;
        /* too big for the shared request area: a child of its own */
    }
    one_run_t a = {prop, PRY_SRC_VALUES, NULL, 0, values, n};
    return pry_exec(x, child_one, &a, r);
}

bool pry_same_failure(const pry_result_t *a, const pry_result_t *b)
{
    if (a->status != b->status)
        return false;
    if (a->status == PRY_RUN_FAIL)
        return strcmp(a->site, b->site) == 0;
    if (a->status == PRY_RUN_CRASH)
        return a->signal == b->signal && strcmp(a->kind, b->kind) == 0 &&
               strcmp(a->site, b->site) == 0;
    return true;
}

void pry_result_describe(const pry_result_t *r, pry_out_t *out)
{
    switch (r->status) {
    case PRY_RUN_PASS: pry_out_printf(out, "passed"); break;
    case PRY_RUN_DISCARD: pry_out_printf(out, "discarded (assume)"); break;
    case PRY_RUN_OVERRUN: pry_out_printf(out, "overrun (too much drawn)"); break;
    case PRY_RUN_FAIL: pry_out_printf(out, "failed check at %s", r->site); break;
    case PRY_RUN_TIMEOUT: pry_out_printf(out, "%s", r->kind); break;
    default:
        pry_out_printf(out, "crashed: %s", r->kind);
        if (r->site[0])
            pry_out_printf(out, " in %s", r->site);
    }
}
