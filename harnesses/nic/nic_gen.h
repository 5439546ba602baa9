/*
 * nic_gen.h: what the nic properties share: a configuration of the
 * driver (queues, ring sizes, buffers, batch limits), the reference model
 * of the driver and the simulated NIC, and its operations as the commands
 * of a stateful property.
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
/* Buffers beyond what the RX rings hold. The nic deep plants' depth rests
 * on this limit: with up to an RX and a TX ring's worth spare, random mode
 * finds both (harnesses/nic/README.md, "Where the wall is"). */
#define NG_MAX_SPARE 64u
#define NG_MAX_BURST 64u
#define NG_MAX_STEPS 64u

/* A driver configuration, always valid, plus the application's batch
 * limits (ixy-fwd's BATCH_SIZE): the most one rx_batch / tx_batch asks. */
typedef struct {
    struct nic_config nic;
    uint32_t rx_burst, tx_burst;
} ng_config_t;

/* A valid configuration: 1..NG_MAX_QUEUES queues per direction, rings of
 * 2..128 descriptors, RX rings' worth of buffers plus 0..64 spare. */
const ng_config_t *draw_config(pry_t *p, const char *label);

/* ---- the reference model (nic_ref.c) ----
 * A driver and a simulated NIC for one configuration, and what the model
 * knows of them. Each operation predicts, performs and checks one call;
 * its result is the call's. */
typedef struct nic_ref nic_ref_t;

/* A fresh driver and NIC for |cfg|, checked; in the arena, and its DMA
 * memory is freed when the run ends (pry_defer), failed or not. */
nic_ref_t *ref_new(pry_t *p, const ng_config_t *cfg);
const ng_config_t *ref_config(const nic_ref_t *r);
uint32_t ref_held(const nic_ref_t *r); /* buffers the app holds */

/* Every buffer where the model says, every counter as it says. */
void ref_check(const nic_ref_t *r);
void ref_deliver(nic_ref_t *r, uint32_t q, uint32_t n, uint32_t len);
uint32_t ref_rx_batch(nic_ref_t *r, uint32_t q, uint32_t n);
uint32_t ref_tx_batch(nic_ref_t *r, uint32_t q, uint32_t n); /* the n oldest held */
uint32_t ref_complete(nic_ref_t *r, uint32_t q, uint32_t max);
uint32_t ref_clean(nic_ref_t *r, uint32_t q);
void ref_alloc(nic_ref_t *r, uint32_t n, uint32_t len);
void ref_free(nic_ref_t *r, uint32_t n); /* the n oldest held */
void ref_hostile(nic_ref_t *r, uint32_t q, enum nic_hostile kind, uint32_t arg);
void ref_tx_twice(nic_ref_t *r, uint32_t q);
void ref_free_foreign(nic_ref_t *r, uint32_t idx);
/* Targets for the fuzzers (pry_target, pry.h §10): the traffic the steps
 * drove through the busiest RX and the busiest TX queue. Ring bugs that
 * show only after the indices have gone round many times need long
 * sequences of well-fed steps, which no single new edge rewards. A
 * ring's fill is not a target: one delivery fills it. */
void ref_target(const nic_ref_t *r);
/* The NIC sends everything, the app receives and frees everything; then
 * every buffer must be home. */
void ref_drain(nic_ref_t *r);

/* ---- flow steering (flow_ref.c) ----
 * The model of the flow filters: the keys added and not deleted, each
 * with its queue, in a plain array (the driver's hash table is what is
 * under test). ref_flow_check, after every step of `flows`: the driver's
 * rule count and lookup of every key, and the device's steering of every
 * key, agree with it. */
typedef struct {
    struct nic_flow_key key[NIC_FLOW_SLOTS];
    uint32_t queue[NIC_FLOW_SLOTS];
    uint32_t n;
} ng_flows_t;

int ref_flow_add(nic_ref_t *r, uint32_t dst_ip, uint32_t dst_port, uint32_t q);
int ref_flow_del(nic_ref_t *r, uint32_t dst_ip, uint32_t dst_port);
/* n frames of len bytes of the flow: the model says which queue. */
void ref_flow_deliver(nic_ref_t *r, uint32_t dst_ip, uint32_t dst_port, uint32_t n,
                      uint32_t len);
void ref_flow_check(const nic_ref_t *r);

/* What flow_ref.c needs of nic_ref.c: the parts, and ref_deliver with
 * another way of handing each frame to the device (send returns what
 * nic_sim_deliver does). */
pry_t *ref_pry(const nic_ref_t *r);
struct nic_dev *ref_dev(const nic_ref_t *r);
struct nic_sim *ref_sim(const nic_ref_t *r);
ng_flows_t *ref_flows(nic_ref_t *r);
typedef int ng_send_fn(void *ctx, const void *frame, uint32_t len);
void ref_deliver_with(nic_ref_t *r, uint32_t q, uint32_t n, uint32_t len, ng_send_fn *send,
                      void *ctx);

/* ---- the operations as commands (nic_steps.c) ----
 * NG_MODEL: traffic and the app's calls; NG_HOSTILE: also device
 * misbehaviour and application misuse. */
extern const pry_machine_t NG_MODEL, NG_HOSTILE;
/* NG_FLOWS (flow_steps.c): flow filters, deliveries by flow, receives
 * and frees. */
extern const pry_machine_t NG_FLOWS;
/* Commands of nic_steps.c that NG_FLOWS shares. */
void ng_cmd_check(pry_t *p, void *v);
void ng_cmd_rx_batch(pry_t *p, void *v);
void ng_cmd_free(pry_t *p, void *v);

#endif
