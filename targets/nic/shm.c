/*
 * shm.c: the register window and DMA arena in one POSIX shared-memory
 * object, so that the simulator can run in another process. Layout:
 * [header, 4 KB][struct nic_regs, page aligned][arena, page aligned].
 * Registers are lock-free C11 atomics, which are address-free and so work
 * across processes; descriptors and buffers are addressed by arena
 * offsets, so the two mappings may sit at different virtual addresses.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nic_sim_internal.h"

#define SHM_MAGIC 0x70727963696e6931ull /* "pryNIC" + version */
#define SHM_PAGE 4096u

struct nic_shm_hdr {
    uint64_t magic;
    uint64_t regs_off, arena_off, arena_size, total;
    _Atomic uint32_t user;
};

struct nic_shm {
    uint8_t *map;
    size_t size;
    struct nic_shm_hdr *hdr;
};

_Static_assert(sizeof(struct nic_shm_hdr) <= SHM_PAGE, "header fits a page");
#if defined(ATOMIC_INT_LOCK_FREE) && ATOMIC_INT_LOCK_FREE != 2
#error "shared-memory registers need always-lock-free atomics"
#endif

static size_t page_up(size_t x)
{
    return (x + SHM_PAGE - 1) & ~(size_t)(SHM_PAGE - 1);
}

struct nic_shm *nic_shm_create(const char *name, size_t arena_size, int *err)
{
    int dummy;
    if (err == NULL)
        err = &dummy;
    if (name == NULL || name[0] != '/' || arena_size == 0 || arena_size > ((size_t)1 << 40)) {
        *err = NIC_EINVAL;
        return NULL;
    }
    struct nic_shm *shm = calloc(1, sizeof(*shm));
    if (shm == NULL) {
        *err = NIC_ENOMEM;
        return NULL;
    }
    size_t regs_off = SHM_PAGE;
    size_t arena_off = regs_off + page_up(sizeof(struct nic_regs));
    size_t total = arena_off + page_up(arena_size);
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        free(shm);
        *err = NIC_EINVAL;
        return NULL;
    }
    void *p = MAP_FAILED;
    if (ftruncate(fd, (off_t)total) == 0)
        p = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        shm_unlink(name);
        free(shm);
        *err = NIC_ENOMEM;
        return NULL;
    }
    shm->map = p;
    shm->size = total;
    shm->hdr = p;
    shm->hdr->regs_off = regs_off;
    shm->hdr->arena_off = arena_off;
    shm->hdr->arena_size = arena_size;
    shm->hdr->total = total;
    atomic_init(&shm->hdr->user, 0);
    nic_regs_init((struct nic_regs *)(void *)(shm->map + regs_off));
    /* magic last: an opener that sees it sees an initialised object */
    __atomic_store_n(&shm->hdr->magic, SHM_MAGIC, __ATOMIC_RELEASE);
    *err = NIC_OK;
    return shm;
}

struct nic_shm *nic_shm_open(const char *name, int *err)
{
    int dummy;
    if (err == NULL)
        err = &dummy;
    *err = NIC_EINVAL;
    if (name == NULL)
        return NULL;
    int fd = shm_open(name, O_RDWR, 0);
    if (fd < 0)
        return NULL;
    struct stat sb;
    void *p = MAP_FAILED;
    if (fstat(fd, &sb) == 0 && sb.st_size >= (off_t)SHM_PAGE)
        p = mmap(NULL, (size_t)sb.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return NULL;
    struct nic_shm_hdr *h = p;
    size_t size = (size_t)sb.st_size;
    if (__atomic_load_n(&h->magic, __ATOMIC_ACQUIRE) != SHM_MAGIC || h->total != size ||
        h->regs_off != SHM_PAGE || h->arena_off > size || h->arena_size > size - h->arena_off ||
        h->arena_off < h->regs_off + sizeof(struct nic_regs)) {
        munmap(p, size);
        return NULL;
    }
    struct nic_shm *shm = calloc(1, sizeof(*shm));
    if (shm == NULL) {
        munmap(p, size);
        *err = NIC_ENOMEM;
        return NULL;
    }
    shm->map = p;
    shm->size = size;
    shm->hdr = h;
    *err = NIC_OK;
    return shm;
}

void nic_shm_close(struct nic_shm *shm)
{
    if (shm == NULL)
        return;
    munmap(shm->map, shm->size);
    free(shm);
}

int nic_shm_unlink(const char *name)
{
    return shm_unlink(name) == 0 ? 0 : -1;
}

struct nic_regs *nic_shm_regs(struct nic_shm *shm)
{
    return (struct nic_regs *)(void *)(shm->map + shm->hdr->regs_off);
}

void *nic_shm_arena(struct nic_shm *shm)
{
    return shm->map + shm->hdr->arena_off;
}

size_t nic_shm_arena_size(const struct nic_shm *shm)
{
    return (size_t)shm->hdr->arena_size;
}

_Atomic uint32_t *nic_shm_user_word(struct nic_shm *shm)
{
    return &shm->hdr->user;
}
