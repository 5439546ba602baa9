/*
 * flow.c: RX flow steering, the driver's side. The device's Flow Director
 * perfect-match filters (§7.1.2.7) are programmed at a software index; the
 * driver keeps a software copy of what it programmed (ixgbe's
 * fdir_filter_list, DPDK ixgbe's hash of filters) so that adding a key
 * twice updates its filter instead of programming a second one, and so
 * that a delete finds the index to clear.
 *
 * The copy is an open-addressing table of NIC_FLOW_SLOTS slots with linear
 * probing; the slot is also the filter's index on the device. A delete
 * leaves a tombstone (a key further along the same probe chain must stay
 * findable); an insert may reuse the first tombstone of its chain, but
 * only after it has walked the whole chain and made sure the key is not
 * already further on. There is no rehash: the chain is bounded by the
 * table size, and a table of tombstones still has room.
 */
#include "nic_internal.h"

/* NIC_FLOW_SLOTS is a power of two: the probe wraps with this mask. */
#define SLOT_MASK (NIC_FLOW_SLOTS - 1u)
_Static_assert((NIC_FLOW_SLOTS & (NIC_FLOW_SLOTS - 1u)) == 0, "slots: a power of two");
_Static_assert(NIC_MAX_QUEUES - 1 <= NIC_FDIRCMD_QUEUE_MASK, "FDIRCMD holds every queue");

uint32_t nic_flow_home(const struct nic_flow_key *key)
{
    /* MurmurHash3's 64-bit finalizer over the 48-bit key; the top bits
     * pick the slot. Every input bit reaches every output bit, so the
     * small, nearby and all-ones keys fuzzers and testers favour do not
     * pile into a few slots. */
    uint64_t x = (uint64_t)key->dst_ip << 16 | key->dst_port;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return (uint32_t)(x >> 58) & SLOT_MASK;
}

static int key_eq(const struct nic_flow_key *a, const struct nic_flow_key *b)
{
    return a->dst_ip == b->dst_ip && a->dst_port == b->dst_port;
}

/* Write slot i's filter to the device: the key first, then FDIRCMD with
 * release order, so the device never matches a half-written key. */
static void program(struct nic_dev *dev, uint32_t i)
{
    const struct nic_flow_slot *s = &dev->flows.slot[i];
    struct nic_fdir_regs *r = &dev->regs->fdir[i];
    if (s->state != NIC_FLOW_USED) {
        atomic_store_explicit(&r->cmd, 0, memory_order_release);
        return;
    }
    atomic_store_explicit(&r->cmd, 0, memory_order_release); /* off while rewritten */
    atomic_store_explicit(&r->ipda, s->key.dst_ip, memory_order_relaxed);
    atomic_store_explicit(&r->port, s->key.dst_port, memory_order_relaxed);
    atomic_store_explicit(&r->cmd, NIC_FDIRCMD_VALID | s->queue, memory_order_release);
}

/* The slot holding key, or -1. Walks key's probe chain past tombstones
 * until an empty slot (the key is never beyond one) or the whole table. */
static int64_t find(const struct nic_flow_table *t, const struct nic_flow_key *key)
{
    uint32_t h = nic_flow_home(key);
    for (uint32_t i = 0; i < NIC_FLOW_SLOTS; i++) {
        const struct nic_flow_slot *s = &t->slot[(h + i) & SLOT_MASK];
        if (s->state == NIC_FLOW_EMPTY)
            return -1;
        if (s->state == NIC_FLOW_USED && key_eq(&s->key, key))
            return (h + i) & SLOT_MASK;
    }
    return -1;
}

int nic_flow_add(struct nic_dev *dev, const struct nic_flow_key *key, uint32_t q)
{
    if (dev == NULL || key == NULL || q >= dev->cfg.num_rx_queues)
        return NIC_EINVAL;
    struct nic_flow_table *t = &dev->flows;
    const uint32_t h = nic_flow_home(key);
    int64_t room = -1; /* the first reusable slot of the chain */
    for (uint32_t i = 0; i < NIC_FLOW_SLOTS; i++) {
        const uint32_t at = (h + i) & SLOT_MASK;
        struct nic_flow_slot *s = &t->slot[at];
        if (s->state == NIC_FLOW_EMPTY) {
            if (room < 0)
                room = at;
            break; /* the key is not beyond an empty slot */
        }
        if (s->state == NIC_FLOW_DELETED) {
            if (room < 0)
                room = at;
#ifdef PRY_PLANT_FLOW_DUP
            break; /* reuses the tombstone before looking for key further on */
#endif
            continue; /* key may still be further along this chain */
        }
        if (key_eq(&s->key, key)) { /* an update: the same filter, a new queue */
            s->queue = (uint8_t)q;
            program(dev, at);
            return NIC_OK;
        }
    }
    if (room < 0)
        return NIC_ENOSPC;
    struct nic_flow_slot *s = &t->slot[room];
    s->key = *key;
    s->queue = (uint8_t)q;
    s->state = NIC_FLOW_USED;
    t->used++;
    program(dev, (uint32_t)room);
    return NIC_OK;
}

int nic_flow_del(struct nic_dev *dev, const struct nic_flow_key *key)
{
    if (dev == NULL || key == NULL)
        return NIC_EINVAL;
    int64_t at = find(&dev->flows, key);
    if (at < 0)
        return NIC_ENOENT;
    /* A tombstone, not an empty slot: keys that probed past this one
     * must still be found. */
    dev->flows.slot[at].state = NIC_FLOW_DELETED;
    dev->flows.used--;
    program(dev, (uint32_t)at);
    return NIC_OK;
}

int nic_flow_lookup(const struct nic_dev *dev, const struct nic_flow_key *key)
{
    if (dev == NULL || key == NULL)
        return NIC_EINVAL;
    int64_t at = find(&dev->flows, key);
    return at < 0 ? NIC_ENOENT : dev->flows.slot[at].queue;
}

uint32_t nic_flow_count(const struct nic_dev *dev)
{
    return dev == NULL ? 0 : dev->flows.used;
}
