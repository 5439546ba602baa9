/*
 * nic_sim.h: a software 82599 (the device side of nic.h).
 *
 * The simulator implements the register and descriptor semantics the driver
 * relies on: RDH/RDT and TDH/TDT ring ownership (§7.1.9, §7.2.1.2: the
 * device owns descriptors [head, tail), head == tail means it owns none),
 * advanced descriptor write-back (§7.1.6.2, §7.2.3.2.4) with DD/EOP,
 * missed-packet counting when the RX ring is full (MPC, §8.2.3.23.4) and the
 * good packet/octet counters. It checks every I/O address against the arena
 * before touching memory (a DMA fault is counted, never a crash).
 *
 * Two ways to run it:
 *   1. In-process, as deterministic step functions a harness calls:
 *      nic_sim_deliver, nic_sim_tx_complete, nic_sim_hostile; "stall" is
 *      simply not calling them.
 *   2. In a second process on a POSIX shared-memory object (nic_shm_*):
 *      nic_sim_run generates RX traffic as fast as the ring allows and
 *      completes TX descriptors until NIC_SIMCTL_STOP is set.
 *
 * No global state; never prints or exits. A struct nic_sim borrows the arena
 * and register window; the caller keeps them alive.
 */
#ifndef PRY_NIC_SIM_H
#define PRY_NIC_SIM_H

#include "nic.h"

struct nic_sim;

struct nic_sim *nic_sim_create(void *arena, size_t arena_size, struct nic_regs *regs);
void nic_sim_destroy(struct nic_sim *sim);

#define NIC_SIM_OK 0
#define NIC_SIM_MISSED 1      /* RX ring full: dropped, MPC incremented */
#define NIC_SIM_FAULT 2       /* DMA fault: descriptor written back with RXE */
#define NIC_SIM_EINVAL (-1)   /* bad queue, length, or queue not enabled */

/* Receive one frame of len bytes (1..buffer size) on queue q: DMA it into
 * the buffer of the descriptor at RDH, write back PKT_LEN and DD|EOP. */
int nic_sim_deliver(struct nic_sim *sim, uint32_t q, uint32_t len, const void *payload);

/* Flow Director (§7.1.2.7): the RX queue the device steers a frame of key
 * to. A programmed filter (FDIRCMD valid) whose key matches gives its
 * queue; if two match (a driver bug: the card's perfect filters hold a key
 * once), the lowest index wins, as it is the first the device compares.
 * No match: queue 0, the default queue (no RSS here). */
uint32_t nic_sim_flow_queue(const struct nic_sim *sim, const struct nic_flow_key *key);

/* Receive one frame of key: steer it (nic_sim_flow_queue), then as
 * nic_sim_deliver on that queue. If q is not NULL it gets the queue. */
int nic_sim_deliver_flow(struct nic_sim *sim, const struct nic_flow_key *key, uint32_t len,
                         const void *payload, uint32_t *q);

/* Called for each frame transmitted by nic_sim_tx_complete. */
typedef void nic_sim_tx_fn(void *ctx, uint32_t q, const uint8_t *frame, uint32_t len);

/* Process up to max descriptors of TX queue q from TDH towards TDT: read
 * the frame (fn may be NULL), write back DD if RS is set, advance TDH.
 * Returns the number processed. */
uint32_t nic_sim_tx_complete(struct nic_sim *sim, uint32_t q, uint32_t max,
                             nic_sim_tx_fn *fn, void *ctx);

/* Descriptors the device may still fill on RX queue q ((RDT - RDH) mod n). */
uint32_t nic_sim_rx_space(const struct nic_sim *sim, uint32_t q);
/* Descriptors handed to the device and not yet processed on TX queue q. */
uint32_t nic_sim_tx_pending(const struct nic_sim *sim, uint32_t q);

/* A hostile device. Returns 1 if the action was carried out, 0 if it did
 * not apply (e.g. ring full), NIC_SIM_EINVAL on a bad queue. */
enum nic_hostile {
    NIC_HOSTILE_STRAY_DD = 0, /* DD|EOP, PKT_LEN 60 on the RX descriptor at
                                 RDT, which the device does not own */
    NIC_HOSTILE_OVERSIZE,     /* receive, writing back PKT_LEN = buffer size
                                 + 1 + arg (clamped to 65535) */
    NIC_HOSTILE_NO_EOP,       /* receive arg bytes (clamped) without EOP */
    NIC_HOSTILE_BAD_ADDR,     /* corrupt the next RX descriptor's address to
                                 arena size + arg, then receive into it:
                                 DMA fault, write-back with RXE */
    NIC_HOSTILE_REWRITE,      /* rewrite PKT_LEN := arg of the last
                                 written-back RX descriptor while its DD is
                                 still set (i.e. the driver has not yet
                                 re-armed it) */
    NIC_HOSTILE_COUNT
};
int nic_sim_hostile(struct nic_sim *sim, uint32_t q, enum nic_hostile kind, uint32_t arg);

/* Shared-memory mode: run until (regs->simctl & NIC_SIMCTL_STOP). RX frames
 * are len bytes; the first 8 carry a per-queue sequence number (little
 * endian), the rest a fixed pattern. Returns NIC_SIM_OK. */
struct nic_sim_run_stats {
    uint64_t rx_frames, tx_frames, tx_seq_errors, idle_loops;
};
int nic_sim_run(struct nic_sim *sim, uint32_t len, struct nic_sim_run_stats *out);

/* ---------------------------------------------------------------------- */
/* POSIX shared memory: one object = header + register window + arena. */

struct nic_shm;

/* Create (O_CREAT|O_EXCL, mode 0600), size and map the object name
 * ("/pry-nic-..."), zero the registers. */
struct nic_shm *nic_shm_create(const char *name, size_t arena_size, int *err);
/* Map an existing object made by nic_shm_create (checks its header). */
struct nic_shm *nic_shm_open(const char *name, int *err);
/* Unmap (does not unlink). */
void nic_shm_close(struct nic_shm *shm);
/* shm_unlink(name): 0 or -1. */
int nic_shm_unlink(const char *name);

struct nic_regs *nic_shm_regs(struct nic_shm *shm);
void *nic_shm_arena(struct nic_shm *shm);
size_t nic_shm_arena_size(const struct nic_shm *shm);
/* A word in the header for the two processes to hand-shake on. */
_Atomic uint32_t *nic_shm_user_word(struct nic_shm *shm);

#endif
