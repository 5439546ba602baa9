/* bench/fdp/nic_model_ops.h: nic_model.h's model as plain C functions
 * (nic_model_ops.c), for the C++ twin bench/fdp/nic_ops.cc. */
#ifndef PRY_BENCH_NIC_MODEL_OPS_H
#define PRY_BENCH_NIC_MODEL_OPS_H

#include <stdint.h>

#include "nic.h"

#ifdef __cplusplus
extern "C" {
#endif

struct model;
struct model *nmo_new(const struct nic_config *cfg); /* NULL: invalid */
void nmo_del(struct model *m);
unsigned nmo_failures(const struct model *m); /* disagreements so far */
void nmo_deliver(struct model *m, uint32_t q, uint32_t n, uint32_t len);
void nmo_rx(struct model *m, uint32_t q, uint32_t n);
void nmo_tx(struct model *m, uint32_t (*next)(void *, uint32_t), void *ctx, uint32_t q,
            uint32_t n);
void nmo_complete(struct model *m, uint32_t q, uint32_t max);
void nmo_clean(struct model *m, uint32_t q);
void nmo_alloc(struct model *m, uint32_t n, uint32_t len);
void nmo_free(struct model *m, uint32_t n);
void nmo_hostile(struct model *m, uint32_t q, uint32_t kind, uint32_t arg);
void nmo_free_foreign(struct model *m, uint32_t idx);
void nmo_drain(struct model *m);

#ifdef __cplusplus
}
#endif

#endif
