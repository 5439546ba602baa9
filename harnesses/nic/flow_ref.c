/*
 * flow_ref.c: the reference model of RX flow steering (nic_flow_*, the
 * device's Flow Director filters, §7.1.2.7), beside nic_ref.c's model of
 * the rings. The model is a plain array of the keys added and not
 * deleted, each with its queue: no hashing, no probing, so it shares
 * nothing with the driver's table it checks. Each operation predicts,
 * performs and checks one call; ref_flow_check runs after every step.
 */
#include "nic_gen.h"

/* Index of key in the model, or -1. */
static int64_t model_find(const ng_flows_t *f, const struct nic_flow_key *k)
{
    for (uint32_t i = 0; i < f->n; i++)
        if (f->key[i].dst_ip == k->dst_ip && f->key[i].dst_port == k->dst_port)
            return i;
    return -1;
}

static struct nic_flow_key make_key(uint32_t dst_ip, uint32_t dst_port)
{
    struct nic_flow_key k = {dst_ip, (uint16_t)dst_port};
    return k;
}

int ref_flow_add(nic_ref_t *r, uint32_t dst_ip, uint32_t dst_port, uint32_t q)
{
    ng_flows_t *f = ref_flows(r);
    const struct nic_flow_key k = make_key(dst_ip, dst_port);
    const int64_t at = model_find(f, &k);
    /* An existing key is updated; a new one needs a free filter. */
    const int want = at >= 0 || f->n < NIC_FLOW_SLOTS ? NIC_OK : NIC_ENOSPC;
    const int rc = nic_flow_add(ref_dev(r), &k, q);
    pry_check(ref_pry(r), rc == want, "nic_flow_add(%u:%u, q%u) returned %d, model %d (%s)",
              dst_ip, dst_port, q, rc, want, at >= 0 ? "an update" : "a new key");
    if (rc == NIC_OK) {
        if (at < 0) {
            f->key[f->n] = k;
            f->queue[f->n] = q;
            f->n++;
        } else {
            f->queue[at] = q;
        }
    }
    return rc;
}

int ref_flow_del(nic_ref_t *r, uint32_t dst_ip, uint32_t dst_port)
{
    ng_flows_t *f = ref_flows(r);
    const struct nic_flow_key k = make_key(dst_ip, dst_port);
    const int64_t at = model_find(f, &k);
    const int want = at >= 0 ? NIC_OK : NIC_ENOENT;
    const int rc = nic_flow_del(ref_dev(r), &k);
    pry_check(ref_pry(r), rc == want, "nic_flow_del(%u:%u) returned %d, model %d", dst_ip,
              dst_port, rc, want);
    if (rc == NIC_OK) { /* the last entry fills the hole: order is not kept */
        f->n--;
        f->key[at] = f->key[f->n];
        f->queue[at] = f->queue[f->n];
    }
    return rc;
}

struct by_flow {
    struct nic_sim *sim;
    struct nic_flow_key key;
};

static int send_by_flow(void *ctx, const void *frame, uint32_t len)
{
    const struct by_flow *b = ctx;
    return nic_sim_deliver_flow(b->sim, &b->key, len, frame, NULL);
}

void ref_flow_deliver(nic_ref_t *r, uint32_t dst_ip, uint32_t dst_port, uint32_t n,
                      uint32_t len)
{
    const ng_flows_t *f = ref_flows(r);
    struct by_flow b = {ref_sim(r), make_key(dst_ip, dst_port)};
    const int64_t at = model_find(f, &b.key);
    const uint32_t q = at >= 0 ? f->queue[at] : 0; /* no filter: the default queue */
    const uint32_t got = nic_sim_flow_queue(b.sim, &b.key);
    pry_check(ref_pry(r), got == q, "the device steers %u:%u to q%u, model q%u", dst_ip,
              dst_port, got, q);
    ref_deliver_with(r, q, n, len, send_by_flow, &b);
}

void ref_flow_check(const nic_ref_t *r)
{
    const ng_flows_t *f = ref_flows((nic_ref_t *)(uintptr_t)r);
    pry_t *p = ref_pry(r);
    const uint32_t count = nic_flow_count(ref_dev(r));
    pry_check(p, count == f->n, "nic_flow_count is %u, model %u", count, f->n);
    for (uint32_t i = 0; i < f->n; i++) {
        const struct nic_flow_key *k = &f->key[i];
        const int q = nic_flow_lookup(ref_dev(r), k);
        pry_check(p, q == (int)f->queue[i], "nic_flow_lookup(%u:%u) is %d, model q%u",
                  k->dst_ip, k->dst_port, q, f->queue[i]);
        const uint32_t dq = nic_sim_flow_queue(ref_sim(r), k);
        pry_check(p, dq == f->queue[i], "the device steers %u:%u to q%u, model q%u",
                  k->dst_ip, k->dst_port, dq, f->queue[i]);
    }
}
