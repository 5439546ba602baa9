/*
 * health.c: the health rule, and the execution counters a fuzzing
 * campaign's processes share (health.h).
 */
#include "health.h"
#include "pry_internal.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

bool pry_health_bad(uint64_t valid, uint64_t bad, uint64_t wanted)
{
    uint64_t floor = wanted < PRY_HEALTH_MIN_DISCARDS / PRY_MAX_DISCARD_RATIO
                         ? wanted * PRY_MAX_DISCARD_RATIO
                         : PRY_HEALTH_MIN_DISCARDS;
    /* valid is a count of runs: far below UINT64_MAX / 10. */
    return bad >= floor && bad > valid * PRY_MAX_DISCARD_RATIO;
}

static pry_health_slot_t *health_slots;
static size_t health_n;

int pry_health_attach(const char *path)
{
    size_t n = pry_property_count();
    size_t size = sizeof(pry_health_header_t) + n * sizeof(pry_health_slot_t);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    struct stat st;
    /* Several processes may attach at once: each only ever grows the file
     * to the same size and writes the same header and names. */
    if (fstat(fd, &st) != 0 || ((size_t)st.st_size < size && ftruncate(fd, (off_t)size) != 0)) {
        close(fd);
        return -1;
    }
    void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return -1;
    pry_health_header_t *h = m;
    memcpy(h->magic, PRY_HEALTH_MAGIC, sizeof h->magic);
    h->n = n;
    health_slots = (pry_health_slot_t *)(h + 1);
    for (size_t i = 0; i < n; i++) {
        const char *name = pry_property_at(i)->name;
        size_t len = strlen(name);
        memcpy(health_slots[i].name, name, len < PRY_HEALTH_NAME ? len : PRY_HEALTH_NAME - 1);
    }
    health_n = n;
    return 0;
}

void pry_health_count(int prop, int status)
{
    if (health_slots == NULL || prop < 0 || (size_t)prop >= health_n)
        return;
    pry_health_slot_t *s = &health_slots[prop];
    uint64_t *c = status == PRY_RUN_PASS      ? &s->pass
                  : status == PRY_RUN_DISCARD ? &s->discard
                  : status == PRY_RUN_OVERRUN ? &s->overrun
                                              : NULL;
    if (c != NULL)
        __atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}
