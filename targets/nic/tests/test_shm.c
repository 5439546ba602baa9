/*
 * test_shm.c: the shared-memory mode. Maps the object twice, then runs the
 * simulator in a child process for about a second while the parent
 * forwards packets through the driver, and checks that packets flowed,
 * the loopback sequence check passed, every buffer is accounted for, and
 * no process or /dev/shm object is left behind. Also runs
 * build/bin/nicbench if it has been built.
 */
#include <errno.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "nic_testutil.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void test_shm_two_mappings(void)
{
    char name[64];
    snprintf(name, sizeof(name), "/pry-nic-test-%ld-a", (long)getpid());
    int err;
    struct nic_shm *a = nic_shm_create(name, 1 << 16, &err);
    CHECK(a != NULL);
    if (a == NULL)
        return;
    CHECK(nic_shm_create(name, 1 << 16, &err) == NULL); /* O_EXCL */
    struct nic_shm *b = nic_shm_open(name, &err);
    CHECK(b != NULL);
    if (b != NULL) {
        CHECK(nic_shm_arena(a) != nic_shm_arena(b)); /* two mappings */
        CHECK_EQ(nic_shm_arena_size(b), 1 << 16);
        atomic_store(&nic_shm_regs(a)->rx[3].rdt, 1234);
        CHECK_EQ(atomic_load(&nic_shm_regs(b)->rx[3].rdt), 1234);
        ((uint8_t *)nic_shm_arena(b))[100] = 7;
        CHECK_EQ(((uint8_t *)nic_shm_arena(a))[100], 7);
        nic_shm_close(b);
    }
    CHECK_EQ(nic_shm_unlink(name), 0);
    CHECK(nic_shm_open(name, &err) == NULL);
    CHECK_EQ(nic_shm_unlink(name), -1);
    CHECK(nic_shm_create("no-slash", 4096, &err) == NULL);
    nic_shm_close(a);
}

static void test_two_process_forwarding(void)
{
    char name[64];
    snprintf(name, sizeof(name), "/pry-nic-test-%ld-b", (long)getpid());
    struct nic_config cfg = {2, 2, 256, 256, 1024};
    int err;
    struct nic_shm *shm = nic_shm_create(name, nic_arena_size(&cfg), &err);
    CHECK(shm != NULL);
    if (shm == NULL)
        return;
    struct nic_regs *regs = nic_shm_regs(shm);
    struct nic_dev *dev = nic_dev_create(&cfg, nic_shm_arena(shm), nic_shm_arena_size(shm),
                                         regs, &err);
    CHECK(dev != NULL);
    pid_t parent = getpid();
    fflush(NULL);
    pid_t pid = dev ? fork() : -1;
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(1);
        struct nic_shm *mine = nic_shm_open(name, &err);
        if (mine == NULL)
            _exit(1);
        struct nic_sim *sim = nic_sim_create(nic_shm_arena(mine), nic_shm_arena_size(mine),
                                             nic_shm_regs(mine));
        atomic_store(nic_shm_user_word(mine), 1);
        struct nic_sim_run_stats st;
        nic_sim_run(sim, 64, &st);
        nic_sim_destroy(sim);
        nic_shm_close(mine);
        _exit(st.tx_seq_errors == 0 && st.rx_frames > 0 ? 0 : 3);
    }
    CHECK(pid > 0);
    double t0 = now_s();
    while (pid > 0 && !atomic_load(nic_shm_user_word(shm)) && now_s() - t0 < 5)
        usleep(1000);
    CHECK_EQ(nic_shm_unlink(name), 0);
    uint64_t rx = 0, tx = 0;
    struct nic_buf *b[32];
    t0 = now_s();
    while (pid > 0 && now_s() - t0 < 1.0) {
        for (int k = 0; k < 64; k++) {
            for (uint32_t q = 0; q < 2; q++) {
                uint32_t n = nic_rx_batch(dev, q, b, 32);
                rx += n;
                uint32_t s = nic_tx_batch(dev, q, b, n);
                tx += s;
                for (uint32_t i = s; i < n; i++)
                    nic_buf_free(dev, b[i]);
            }
        }
    }
    int status = -1;
    if (pid > 0) {
        atomic_fetch_or(&regs->simctl, NIC_SIMCTL_STOP);
        t0 = now_s();
        while (waitpid(pid, &status, WNOHANG) == 0 && now_s() - t0 < 5)
            usleep(1000);
        if (now_s() - t0 >= 5) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
        }
    }
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(rx > 1000);
    CHECK(tx > 1000);
    struct nic_stats st;
    nic_stats_read(dev, &st);
    CHECK_EQ(st.rx_bad_length + st.rx_no_eop + st.rx_errors + st.rx_stray_dd, 0);
    CHECK(st.dev_gptc > 0);
    CHECK_EQ(nic_census(dev, NULL), 0);
    CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD); /* no child left */
    nic_dev_destroy(dev);
    nic_shm_close(shm);
    int e2;
    CHECK(nic_shm_open(name, &e2) == NULL); /* nothing left in /dev/shm */
}

static int run(const char *cmd, char *out, size_t outlen)
{
    FILE *p = popen(cmd, "r");
    if (p == NULL)
        return -1;
    size_t n = fread(out, 1, outlen - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Objects in /dev/shm left by processes that have ended. Their names
 * carry the creator's pid (/pry-nic-PID, /pry-nic-test-PID-x): objects of
 * a process still running (this test's ASan twin, run beside it by
 * tests/run.sh) are in use, not left behind. */
static size_t shm_leftovers(void)
{
    glob_t g;
    size_t n = 0;
    if (glob("/dev/shm/pry-nic-*", 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++) {
            const char *s = g.gl_pathv[i] + strlen("/dev/shm/pry-nic-");
            if (strncmp(s, "test-", 5) == 0)
                s += 5;
            long pid = strtol(s, NULL, 10);
            if (pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno == ESRCH))
                n++;
        }
    }
    globfree(&g);
    return n;
}

static void test_nicbench_tool(void)
{
    if (access("build/bin/nicbench", X_OK) != 0)
        return; /* not built: the library test above covers the mode */
    char out[4096];
    size_t before = shm_leftovers();
    CHECK_EQ(run("build/bin/nicbench --batch 32 --seconds 1 2>&1", out, sizeof(out)), 0);
    CHECK(strstr(out, " Mpps\n") != NULL);
    CHECK_EQ(shm_leftovers(), before);
    /* The baseline (bare ring) forwards too, and leaves nothing behind. */
    CHECK_EQ(run("build/bin/nicbench --batch 32 --seconds 0.2 --baseline 2>&1", out, sizeof(out)), 0);
    CHECK(strstr(out, " Mpps (bare ring)\n") != NULL);
    CHECK(strstr(out, "tx 0 sent") == NULL);
    CHECK_EQ(shm_leftovers(), before);
    CHECK_EQ(run("build/bin/nicbench --batch 0 --seconds 1 2>/dev/null", out, sizeof(out)), 2);
    CHECK_EQ(run("build/bin/nicbench --seconds 1 2>/dev/null", out, sizeof(out)), 2);
    CHECK_EQ(run("build/bin/nicbench --batch 4 --seconds x 2>/dev/null", out, sizeof(out)), 2);
    CHECK_EQ(run("build/bin/nicbench --batch 4 --seconds 1 --size 9999 2>&1", out, sizeof(out)), 2);
    CHECK(strchr(out, '\n') == strrchr(out, '\n')); /* one line */
}

int main(void)
{
    RUN(test_shm_two_mappings);
    RUN(test_two_process_forwarding);
    RUN(test_nicbench_tool);
    return check_summary();
}
