/*
 * nic_gen.h: generators shared by the nic properties: a configuration of
 * the driver (queues, ring sizes, buffers, batch limits) and a typed
 * sequence of operations on the driver and the simulated NIC.
 */
#ifndef PRY_HARNESS_NIC_GEN_H
#define PRY_HARNESS_NIC_GEN_H

#include <stdbool.h>

#include "nic.h"
#include "nic_sim.h"
#include "pry.h"

/* Queues per direction drawn by draw_config: at least 2 reachable, so
 * that per-queue state of one queue can be seen to overlay another's. */
#define NG_MAX_QUEUES 4u
#define NG_MAX_RING_LOG 7u /* rings of 2..128 descriptors */
#define NG_MAX_SPARE 64u   /* buffers beyond what the RX rings hold */
#define NG_MAX_BURST 64u
#define NG_MAX_OPS 64u

/* A driver configuration, always valid, plus the application's batch
 * limits (ixy-fwd's BATCH_SIZE): the most one rx_batch / tx_batch asks. */
typedef struct {
    struct nic_config nic;
    uint32_t rx_burst, tx_burst;
} ng_config_t;

typedef enum {
    OP_STALL = 0, /* nobody does anything (first: the minimal op) */
    OP_DELIVER,   /* the NIC receives n frames of len bytes on RX queue q */
    OP_RX_BATCH,  /* nic_rx_batch(q, n) */
    OP_TX_BATCH,  /* nic_tx_batch(q, the n oldest buffers the app holds) */
    OP_COMPLETE,  /* the NIC processes up to n TX descriptors of queue q */
    OP_CLEAN,     /* nic_tx_clean(q) */
    OP_ALLOC,     /* the app allocates n buffers and writes len-byte packets */
    OP_FREE,      /* the app frees its n oldest buffers */
    OP_HOSTILE,   /* nic_sim_hostile(q, hostile, arg) */
    OP_TX_TWICE,  /* the app queues its oldest buffer twice in one batch */
    OP_FREE_FOREIGN, /* the app frees buffer arg, which it does not hold */
    OP_KINDS
} ng_op_kind_t;

typedef struct {
    ng_op_kind_t kind;
    uint32_t q;
    uint32_t n;
    uint32_t len;
    enum nic_hostile hostile;
    uint32_t arg;
} ng_op_t;

typedef struct {
    const ng_op_t *v;
    size_t n;
} ng_ops_t;

/* A valid configuration: 1..NG_MAX_QUEUES queues per direction, rings of
 * 2..128 descriptors, RX rings' worth of buffers plus 0..64 spare. */
const ng_config_t *draw_config(pry_t *p, const char *label);

/* Up to NG_MAX_OPS operations for cfg (queue numbers and counts drawn in
 * its ranges). With |hostile|, device misbehaviour and application misuse
 * (a buffer queued twice, a free of a buffer not held) are drawn too. Printed
 * as `ops = [deliver(q0, 3 x 64 B), rx_batch(q0, 4), ...]`. */
ng_ops_t draw_ops(pry_t *p, const char *label, const ng_config_t *cfg, bool hostile);

/* One operation as text, as the report prints it. */
void format_op(char *buf, size_t size, const ng_op_t *op);

/* Run |ops| on a fresh driver and simulated NIC for |cfg|, checking after
 * every step against the reference model (nic_ref.c); then drain every
 * queue and check that every buffer came home. */
void run_model(pry_t *p, const ng_config_t *cfg, ng_ops_t ops);

#endif
