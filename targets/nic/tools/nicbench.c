/*
 * nicbench: forward packets RX -> TX through the nic driver (like ixy-fwd)
 * against the simulated 82599 running in a child process over POSIX shared
 * memory, and report the forwarding rate.
 *
 *   nicbench --batch N --seconds S [--size BYTES] [--baseline]
 *
 * --baseline runs the same forwarding over a bare ring instead of the
 * driver and the simulator (bare_ring.h): the limit of this design on this
 * machine. bench/nic/run.sh runs both in one sweep and reports the
 * driver's rate as a ratio of the baseline's, which holds from one
 * machine to the next where absolute Mpps do not.
 *
 * The shared-memory object is unlinked as soon as the child has mapped it,
 * so nothing is left in /dev/shm even if either process is killed; the
 * child dies with its parent (PR_SET_PDEATHSIG) and is stopped and reaped
 * on normal exit, on SIGINT/SIGTERM/SIGHUP and on errors.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nic.h"
#include "nic_sim.h"

#include "bare_ring.h"

#define RING 512u
#define NUM_BUFS 4096u
#define MAX_BATCH 1024u

static volatile sig_atomic_t g_stop; /* tool, not library: set by signals */

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int usage(const char *why)
{
    fprintf(stderr, "nicbench: %s (usage: nicbench --batch N --seconds S [--size BYTES] [--baseline])\n", why);
    return 2;
}

static int parse_uint(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
    char *end;
    if (s == NULL || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* Stop the child: ask, wait up to 2 s, then kill. Always reaps it. */
static int stop_child(struct nic_regs *regs, pid_t pid)
{
    int status = 0;
    atomic_fetch_or_explicit(&regs->simctl, NIC_SIMCTL_STOP, memory_order_relaxed);
    for (int i = 0; i < 200; i++) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
        if (r < 0)
            return 128;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return 128;
}

static int child_main(const char *name, pid_t parent, uint32_t size, int baseline)
{
    signal(SIGINT, SIG_IGN); /* the parent stops us through the registers */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        return 1;
    int err;
    /* A mapping of our own: the arena sits at another address than in the
     * parent, which only works because descriptors carry offsets. */
    struct nic_shm *shm = nic_shm_open(name, &err);
    if (shm == NULL)
        return 1;
    if (baseline) {
        atomic_store_explicit(nic_shm_user_word(shm), 1, memory_order_release);
        bare_device_run(nic_shm_arena(shm), size, &nic_shm_regs(shm)->simctl);
        nic_shm_close(shm);
        return 0;
    }
    struct nic_sim *sim = nic_sim_create(nic_shm_arena(shm), nic_shm_arena_size(shm),
                                         nic_shm_regs(shm));
    if (sim == NULL) {
        nic_shm_close(shm);
        return 1;
    }
    atomic_store_explicit(nic_shm_user_word(shm), 1, memory_order_release);
    struct nic_sim_run_stats st;
    nic_sim_run(sim, size, &st);
    nic_sim_destroy(sim);
    nic_shm_close(shm);
    return st.tx_seq_errors == 0 ? 0 : 3;
}

int main(int argc, char **argv)
{
    unsigned long batch = 0, size = 60;
    double seconds = 0;
    int baseline = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--batch") == 0) {
            if (parse_uint(v, 1, MAX_BATCH, &batch) != 0)
                return usage("--batch needs an integer in 1..1024");
            i++;
        } else if (strcmp(a, "--seconds") == 0) {
            char *end;
            if (v == NULL)
                return usage("--seconds needs a value");
            seconds = strtod(v, &end);
            if (*end != '\0' || !(seconds > 0 && seconds <= 3600))
                return usage("--seconds needs a number in (0, 3600]");
            i++;
        } else if (strcmp(a, "--size") == 0) {
            if (parse_uint(v, 60, NIC_BUF_DATA, &size) != 0)
                return usage("--size needs an integer in 60..2048");
            i++;
        } else if (strcmp(a, "--baseline") == 0) {
            baseline = 1;
        } else {
            return usage("unknown argument");
        }
    }
    if (batch == 0 || seconds <= 0)
        return usage("--batch and --seconds are required");

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    struct nic_config cfg = {.num_rx_queues = 1, .num_tx_queues = 1, .rx_entries = RING,
                             .tx_entries = RING, .num_bufs = NUM_BUFS};
    char name[64];
    snprintf(name, sizeof(name), "/pry-nic-%ld", (long)getpid());
    int err;
    const size_t arena = baseline ? sizeof(struct bare_shared) : nic_arena_size(&cfg);
    struct nic_shm *shm = nic_shm_create(name, arena, &err);
    if (shm == NULL) {
        fprintf(stderr, "nicbench: cannot create shared memory %s: %s\n", name, strerror(errno));
        return 1;
    }
    struct nic_regs *regs = nic_shm_regs(shm);
    struct nic_dev *dev = NULL;
    static struct bare_fwd fwd; /* 20 KB: not on the stack */
    if (baseline)
        bare_fwd_init(&fwd, nic_shm_arena(shm));
    else
        dev = nic_dev_create(&cfg, nic_shm_arena(shm), nic_shm_arena_size(shm), regs, &err);
    if (dev == NULL && !baseline) {
        fprintf(stderr, "nicbench: device init failed (%d)\n", err);
        nic_shm_unlink(name);
        nic_shm_close(shm);
        return 1;
    }
    pid_t parent = getpid();
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "nicbench: fork: %s\n", strerror(errno));
        nic_shm_unlink(name);
        nic_dev_destroy(dev);
        nic_shm_close(shm);
        return 1;
    }
    if (pid == 0)
        _exit(child_main(name, parent, (uint32_t)size, baseline));

    /* Wait until the child has its own mapping, then unlink the name. */
    double t0 = now();
    while (!atomic_load_explicit(nic_shm_user_word(shm), memory_order_acquire) && !g_stop &&
           now() - t0 < 5.0 && waitpid(pid, NULL, WNOHANG) == 0) {
        struct timespec ts = {0, 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    nic_shm_unlink(name);
    int ready = atomic_load_explicit(nic_shm_user_word(shm), memory_order_acquire) != 0;
    if (!ready || g_stop) {
        int rc = stop_child(regs, pid);
        nic_dev_destroy(dev);
        nic_shm_close(shm);
        if (g_stop) {
            fprintf(stderr, "nicbench: interrupted\n");
            return 130;
        }
        fprintf(stderr, "nicbench: simulator process did not start (%d)\n", rc);
        return 1;
    }

    struct nic_buf *bufs[MAX_BATCH];
    uint64_t rx_calls = 0, rx_pkts = 0, tx_pkts = 0, dropped = 0, empty_polls = 0;
    const uint32_t b = (uint32_t)batch;
    uint32_t empty = 0; /* consecutive empty polls */
    double start = now(), end = start + seconds, t = start;
    while (!g_stop) {
        for (int k = 0; k < 256; k++) {
            if (baseline) {
                uint32_t sent;
                uint32_t n = bare_fwd_poll(&fwd, b, &sent);
                rx_calls++;
                rx_pkts += n;
                tx_pkts += sent;
                dropped += n - sent;
                empty_polls += n == 0;
                if (n == 0 && ++empty >= 64) { /* as below */
                    empty = 0;
                    sched_yield();
                } else if (n != 0) {
                    empty = 0;
                }
                continue;
            }
            uint32_t n = nic_rx_batch(dev, 0, bufs, b);
            rx_calls++;
            rx_pkts += n;
            empty_polls += n == 0;
            /* If the simulator shares our CPU (a busy machine), spinning
             * starves it: yield after a run of empty polls. */
            if (n == 0 && ++empty >= 64) {
                empty = 0;
                sched_yield();
            } else if (n != 0) {
                empty = 0;
            }
            for (uint32_t i = 0; i < n; i++)
                bufs[i]->data[12]++; /* touch every packet, as ixy-fwd does */
            uint32_t sent = nic_tx_batch(dev, 0, bufs, n);
            tx_pkts += sent;
            for (uint32_t i = sent; i < n; i++) { /* TX ring full: drop */
                nic_buf_free(dev, bufs[i]);
                dropped++;
            }
        }
        t = now();
        if (t >= end)
            break;
    }
    double elapsed = t - start;
    struct nic_stats st;
    memset(&st, 0, sizeof(st));
    if (dev != NULL)
        nic_stats_read(dev, &st);
    int child_rc = stop_child(regs, pid);
    struct nic_census c;
    uint32_t census_errors = dev != NULL ? nic_census(dev, &c) : 0;
    nic_dev_destroy(dev);
    nic_shm_close(shm);

    printf("%.2f Mpps%s\n", (double)tx_pkts / elapsed / 1e6, baseline ? " (bare ring)" : "");
    printf("batch %lu, %lu-byte frames, %.2f s: rx %llu pkts in %llu rx_batch calls, "
           "average batch fill %.2f/%lu (%.1f%%), empty polls %.1f%%, "
           "fill of non-empty polls %.2f\n",
           batch, size, elapsed, (unsigned long long)rx_pkts, (unsigned long long)rx_calls,
           rx_calls ? (double)rx_pkts / (double)rx_calls : 0.0, batch,
           rx_calls ? 100.0 * (double)rx_pkts / (double)rx_calls / (double)batch : 0.0,
           rx_calls ? 100.0 * (double)empty_polls / (double)rx_calls : 0.0,
           rx_calls > empty_polls ? (double)rx_pkts / (double)(rx_calls - empty_polls) : 0.0);
    printf("tx %llu sent, %llu dropped (TX ring full); driver drops: bad length %llu, "
           "no EOP %llu, errors %llu, stray DD %llu; device: missed %llu\n",
           (unsigned long long)tx_pkts, (unsigned long long)dropped,
           (unsigned long long)st.rx_bad_length, (unsigned long long)st.rx_no_eop,
           (unsigned long long)st.rx_errors, (unsigned long long)st.rx_stray_dd,
           (unsigned long long)st.dev_mpc);
    if (g_stop)
        fprintf(stderr, "nicbench: interrupted\n");
    if (child_rc != 0) {
        fprintf(stderr, "nicbench: simulator process failed (status %d%s)\n", child_rc,
                child_rc == 3 ? ": duplicate or reordered frames on TX" : "");
        return 1;
    }
    if (census_errors != 0) {
        fprintf(stderr, "nicbench: buffer census found %u inconsistencies\n", census_errors);
        return 1;
    }
    return g_stop ? 130 : 0;
}
