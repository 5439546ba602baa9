/*
 * exec_server.c: value runs in one long-lived child (see exec.h).
 *
 * A fork per run costs more than most properties do, and the shrinker
 * makes hundreds of runs. So, as AFL++'s persistent mode and fork server
 * do, one child runs them one after another: the parent writes the values
 * into memory shared with the child and sends one byte over a socket
 * pair; the child runs the property and answers one byte; the log is shared as in pry_exec.
 * Isolation is kept where it matters: a crash, a sanitizer abort or a hang
 * ends only that child (the parent sees EOF or kills it, classifies the
 * run from its stderr and wait status exactly as pry_exec does, and starts
 * a new child for the next run). What one run leaves behind in the
 * property's own state is the property's business, as under the fuzzers;
 * the shrinker checks its final answer in a fresh child.
 */
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The request area: a header, the values, then the blobs' bytes. It is
 * mapped before the fork, so its pointers mean the same in the child. */
#define REQUEST_SIZE ((size_t)8 << 20)

typedef struct {
    int prop;
    size_t n;
    uint64_t tail_seed; /* pry_exec_t's */
    pry_value_t values[];
} request_t;

struct pry_server {
    pid_t pid;
    int sock, errfd; /* the parent's or the child's end; the child's stderr */
    request_t *req;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Copy |values| into the request area; false if they do not fit. */
static bool put_request(request_t *req, int prop, const pry_value_t *values,
                        size_t n, uint64_t tail_seed)
{
    size_t head = sizeof *req + n * sizeof *values;
    if (head > REQUEST_SIZE)
        return false;
    uint8_t *bytes = (uint8_t *)req + head;
    size_t room = REQUEST_SIZE - head;
    for (size_t i = 0; i < n; i++) {
        req->values[i] = values[i];
        if (values[i].bytes != NULL) {
            if (values[i].n_bytes > room)
                return false;
            memcpy(bytes, values[i].bytes, values[i].n_bytes);
            req->values[i].bytes = bytes;
            bytes += values[i].n_bytes;
            room -= values[i].n_bytes;
        }
    }
    req->prop = prop;
    req->n = n;
    req->tail_seed = tail_seed;
    return true;
}

static _Noreturn void serve(pry_exec_t *x, struct pry_server *sv)
{
    for (;;) {
        char c;
        ssize_t got = read(sv->sock, &c, 1);
        if (got == 0 || (got < 0 && errno != EINTR))
            _exit(0);
        if (got < 0)
            continue;
        x->p.values = sv->req->values;
        x->p.n_values = sv->req->n;
        pry_source_begin_run(&x->p, PRY_SRC_VALUES, NULL, 0);
        pry_source_tail(&x->p, sv->req->tail_seed);
        pry_run_one(&x->p, sv->req->prop);
        fflush(NULL);
        if (write(sv->sock, "d", 1) != 1)
            _exit(0);
    }
}

/* One socket pair carries both ways: the parent's sends use MSG_NOSIGNAL,
 * so a child that died between runs gives EPIPE, not a SIGPIPE that would
 * kill the runner. */
static int start(pry_exec_t *x, struct pry_server *sv)
{
    int fds[2];
    sv->errfd = memfd_create("pry-stderr", MFD_CLOEXEC);
    if (sv->errfd < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        fprintf(stderr, "pry: cannot set up a child: %s\n", strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "pry: fork: %s\n", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the runner */
        if (getppid() == 1)
            _exit(0);
        close(fds[0]);
        dup2(sv->errfd, 2);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        sv->sock = fds[1];
        serve(x, sv);
    }
    close(fds[1]);
    sv->pid = pid;
    sv->sock = fds[0];
    return 0;
}

/* The child is gone or must go: reap it, and give its status. */
static int reap(struct pry_server *sv, bool kill_it)
{
    int wstatus = 0;
    if (kill_it)
        kill(sv->pid, SIGKILL);
    while (waitpid(sv->pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
    close(sv->sock);
    sv->pid = 0;
    return wstatus;
}

int pry_server_run(pry_exec_t *x, int prop, const pry_value_t *values, size_t n,
                   pry_result_t *r)
{
    struct pry_server *sv = x->server;
    if (sv == NULL) {
        sv = calloc(1, sizeof *sv);
        void *m = mmap(NULL, REQUEST_SIZE, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (sv == NULL || m == MAP_FAILED) {
            free(sv);
            return 1; /* fork a child per run instead */
        }
        sv->req = m;
        sv->errfd = -1;
        x->server = sv;
    }
    if (!put_request(sv->req, prop, values, n, x->tail_seed))
        return 1;
    if (sv->pid == 0) {
        if (sv->errfd >= 0)
            close(sv->errfd);
        if (start(x, sv) != 0)
            return -1;
    }
    memset(r, 0, sizeof *r);
    pry_out_init(&r->err);
    /* The child's stderr, for this run only (the file offset is shared). */
    if (ftruncate(sv->errfd, 0) != 0 || lseek(sv->errfd, 0, SEEK_SET) != 0)
        return -1;
    x->log->status = PRY_RUN_STARTED;
    x->log->runs_started = 0;
    if (send(sv->sock, "r", 1, MSG_NOSIGNAL) != 1) {
        /* The child went away between runs (killed from outside): this
         * run never started, so start a new child for it. */
        reap(sv, true);
        close(sv->errfd);
        if (start(x, sv) != 0)
            return -1;
        if (send(sv->sock, "r", 1, MSG_NOSIGNAL) != 1) {
            pry_exec_classify(x, r, reap(sv, true), false);
            return 0;
        }
    }
    struct pollfd pfd = {.fd = sv->sock, .events = POLLIN};
    uint64_t beat = 0;
    double last = now();
    for (;;) {
        int k = poll(&pfd, 1, 50);
        if (k > 0) {
            char c;
            ssize_t got = read(sv->sock, &c, 1);
            if (got == 1) {
                /* A run that ended normally: PASS, FAIL, DISCARD, OVERRUN. */
                pry_exec_read_all(sv->errfd, &r->err);
                pry_exec_classify(x, r, 0, false);
                return 0;
            }
            if (got < 0 && errno == EINTR)
                continue;
            break; /* EOF: the child died in the run */
        }
        if (pry_interrupted) {
            reap(sv, true);
            return -1;
        }
        if (x->log->runs_started != beat) {
            beat = x->log->runs_started;
            last = now();
        } else if (x->timeout > 0 && now() - last > x->timeout) {
            int ws = reap(sv, true);
            pry_exec_read_all(sv->errfd, &r->err);
            pry_exec_classify(x, r, ws, true);
            return 0;
        }
    }
    int ws = reap(sv, false);
    pry_exec_read_all(sv->errfd, &r->err);
    pry_exec_classify(x, r, ws, false);
    return 0;
}

void pry_server_stop(pry_exec_t *x)
{
    struct pry_server *sv = x->server;
    if (sv == NULL)
        return;
    if (sv->pid != 0) {
        close(sv->sock); /* the child reads EOF and exits */
        int ws;
        while (waitpid(sv->pid, &ws, 0) < 0 && errno == EINTR)
            ;
    }
    if (sv->errfd >= 0)
        close(sv->errfd);
    munmap(sv->req, REQUEST_SIZE);
    free(sv);
    x->server = NULL;
}
