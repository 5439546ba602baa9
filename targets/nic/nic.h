/*
 * nic.h: an ixy-style userland driver for the descriptor rings of an Intel
 * 82599 (ixgbe) NIC, written against a *software* 82599 (nic_sim.h) so that
 * it can be tested, fuzzed and benchmarked without the card.
 *
 * Section numbers ("§7.1.6") refer to the Intel 82599 10 GbE Controller
 * Datasheet, revision 3.x, as in ixy.
 *
 * Memory model
 *   - The *DMA arena* is one contiguous block of memory that both the driver
 *     and the device can access. It holds the descriptor rings and the packet
 *     buffers. Addresses the device sees (I/O addresses, "iova") are byte
 *     offsets into the arena, so the arena may be mapped at different virtual
 *     addresses in the two processes of the shared-memory mode.
 *   - The *register window* (struct nic_regs) is the device's register file:
 *     per queue RDBAL/RDBAH/RDLEN/RDH/RDT (§8.2.3.8) and TDBAL/TDBAH/TDLEN/
 *     TDH/TDT (§8.2.3.9), plus statistics counters (§8.2.3.23). Every
 *     register is a C11 atomic: the tails are written with release order by
 *     the driver, the heads and counters by the device.
 *   - Descriptor status words (DD) are published by the device with release
 *     order and read by the driver with acquire order; nothing else in a
 *     descriptor is read before DD has been seen.
 *
 * Ownership
 *   - The caller owns the arena and the register window (malloc, mmap of a
 *     shared-memory object, ...) and must keep them alive until
 *     nic_dev_destroy(). The library never frees them.
 *   - A struct nic_buf is owned by exactly one party at a time: the mempool
 *     (free), an RX ring (handed to the device or held back), the
 *     application (after nic_rx_batch or nic_buf_alloc), or a TX ring (in
 *     flight until cleaned). nic_census() checks this.
 *
 * The library has no global state, never prints and never exits. One
 * struct nic_dev must be used by one thread at a time.
 */
#ifndef PRY_NIC_H
#define PRY_NIC_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------------- */
/* Descriptors (§7.1.6 receive, §7.2.3 transmit), 16 bytes, little endian. */

/* Advanced receive descriptor, §7.1.6.1 (read) and §7.1.6.2 (write-back). */
union nic_adv_rx_desc {
    struct {
        uint64_t pkt_addr; /* packet buffer I/O address */
        uint64_t hdr_addr; /* header buffer address; bit 0 overlays DD (§7.1.6.1) */
    } read;
    struct {
        struct {
            uint32_t data; /* packet type, header length, RSS type */
            uint32_t rss;  /* RSS hash or fragment checksum */
        } lower;
        struct {
            uint32_t status_error; /* extended status 19:0, extended error 31:20 */
            uint16_t length;       /* PKT_LEN: bytes written to the buffer */
            uint16_t vlan;
        } upper;
    } wb;
};

#define NIC_RXD_STAT_DD 0x00000001u  /* descriptor done, §7.1.6.2 */
#define NIC_RXD_STAT_EOP 0x00000002u /* end of packet */
#define NIC_RXD_ERR_RXE 0x20000000u  /* RX data error, §7.1.6.2 extended error */
#define NIC_RXD_ERR_MASK 0xfff00000u

/* Advanced transmit data descriptor, §7.2.3.2.4 (read) and write-back. */
union nic_adv_tx_desc {
    struct {
        uint64_t buffer_addr;   /* I/O address of the data */
        uint32_t cmd_type_len;  /* DTALEN 15:0, DTYP 23:20, DCMD 31:24 */
        uint32_t olinfo_status; /* PAYLEN 31:14; STA 3:0 (DD) in write-back */
    } read;
    struct {
        uint64_t rsvd;
        uint32_t nxtseq_seed;
        uint32_t status; /* bit 0: DD */
    } wb;
};

#define NIC_TXD_DTALEN_MASK 0x0000ffffu
#define NIC_TXD_DTYP_DATA 0x00300000u /* advanced data descriptor */
#define NIC_TXD_DCMD_EOP 0x01000000u
#define NIC_TXD_DCMD_IFCS 0x02000000u /* insert FCS */
#define NIC_TXD_DCMD_RS 0x08000000u   /* report status: write back DD */
#define NIC_TXD_DCMD_DEXT 0x20000000u /* advanced descriptor format */
#define NIC_TXD_PAYLEN_SHIFT 14
#define NIC_TXD_STAT_DD 0x00000001u

/* ---------------------------------------------------------------------- */
/* Register window. Real offsets (e.g. RDT(n) = 0x01018 + 0x40*n) are given
 * for reference; here each group is a struct member, and registers written
 * by different sides sit on different cache lines. */

#define NIC_MAX_QUEUES 8
#define NIC_RXDCTL_ENABLE 0x02000000u /* §8.2.3.8.6 */
#define NIC_TXDCTL_ENABLE 0x02000000u /* §8.2.3.9.10 */
#define NIC_SRRCTL_BSIZEPKT_MASK 0x1fu /* buffer size in 1 KB units, §8.2.3.8.7 */
#define NIC_SIMCTL_STOP 0x1u           /* simulation only: stop nic_sim_run */

struct nic_rxq_regs {
    _Alignas(64) _Atomic uint32_t rdbal; /* 0x01000 + 0x40*n */
    _Atomic uint32_t rdbah;              /* 0x01004 */
    _Atomic uint32_t rdlen;              /* 0x01008, bytes */
    _Atomic uint32_t srrctl;             /* 0x01014 */
    _Atomic uint32_t rxdctl;             /* 0x01028 */
    _Alignas(64) _Atomic uint32_t rdh;   /* 0x01010, written by the device */
    _Alignas(64) _Atomic uint32_t rdt;   /* 0x01018, written by the driver */
};

struct nic_txq_regs {
    _Alignas(64) _Atomic uint32_t tdbal; /* 0x06000 + 0x40*n */
    _Atomic uint32_t tdbah;              /* 0x06004 */
    _Atomic uint32_t tdlen;              /* 0x06008, bytes */
    _Atomic uint32_t txdctl;             /* 0x06028 */
    _Alignas(64) _Atomic uint32_t tdh;   /* 0x06010, written by the device */
    _Alignas(64) _Atomic uint32_t tdt;   /* 0x06018, written by the driver */
};

/* Statistics (§8.2.3.23). Unlike the card they are not clear-on-read: they
 * count from nic_regs_init(). sim_* counters are simulation only. */
struct nic_stat_regs {
    _Alignas(64) _Atomic uint64_t gprc; /* good packets received */
    _Atomic uint64_t gorc;              /* good octets received */
    _Atomic uint64_t mpc;               /* missed packets: RX ring full */
    _Atomic uint64_t sim_rx_dma_faults; /* RX buffer address outside the arena */
    _Alignas(64) _Atomic uint64_t gptc; /* good packets transmitted */
    _Atomic uint64_t gotc;              /* good octets transmitted */
    _Atomic uint64_t sim_tx_dma_faults; /* TX buffer address outside the arena */
    _Atomic uint64_t sim_bad_ring;      /* ring base/length/tail rejected */
};

/* Flow Director perfect-match filters (§7.1.2.7): the card steers a
 * received frame whose key matches a programmed filter to that filter's RX
 * queue. The card takes a filter through FDIRIPDA, FDIRPORT and FDIRCMD at
 * a software index the driver chooses; here each index has its own
 * registers, written by the driver (key first, then FDIRCMD with release
 * order) and read by the device (FDIRCMD with acquire order first). */
#define NIC_FLOW_SLOTS 64u             /* filters, = the driver's table size */
#define NIC_FDIRCMD_VALID 0x80000000u  /* the filter is programmed */
#define NIC_FDIRCMD_QUEUE_MASK 0x7fu   /* RX queue of the filter */

struct nic_fdir_regs {
    _Atomic uint32_t ipda; /* destination IPv4 address */
    _Atomic uint32_t port; /* destination port, bits 15:0 */
    _Atomic uint32_t cmd;  /* NIC_FDIRCMD_VALID | queue; 0 = no filter */
};

struct nic_regs {
    _Alignas(64) _Atomic uint32_t ctrl; /* 0x00000 */
    _Atomic uint32_t simctl;            /* simulation only */
    struct nic_stat_regs stats;
    struct nic_rxq_regs rx[NIC_MAX_QUEUES];
    struct nic_txq_regs tx[NIC_MAX_QUEUES];
    struct nic_fdir_regs fdir[NIC_FLOW_SLOTS];
};

/* Zero every register (power-on state). */
void nic_regs_init(struct nic_regs *regs);

/* ---------------------------------------------------------------------- */
/* Packet buffers (ixy's pkt_buf). They live in the DMA arena; the device
 * only ever sees the I/O address of data[]. */

#define NIC_BUF_DATA 2048u  /* bytes of packet data (SRRCTL.BSIZEPACKET = 2 KB) */
#define NIC_BUF_HEADROOM 64u
#define NIC_BUF_STRIDE (NIC_BUF_HEADROOM + NIC_BUF_DATA)

struct nic_buf {
    uint64_t iova; /* I/O address of data[]; written once by the mempool */
    uint32_t idx;  /* index in the mempool (informational) */
    uint32_t len;  /* packet length: set by nic_rx_batch, by the app for TX */
    uint8_t pad[NIC_BUF_HEADROOM - 16];
    uint8_t data[NIC_BUF_DATA];
};

/* ---------------------------------------------------------------------- */
/* Device (driver side). */

struct nic_config {
    uint32_t num_rx_queues; /* 0..NIC_MAX_QUEUES */
    uint32_t num_tx_queues; /* 0..NIC_MAX_QUEUES */
    uint32_t rx_entries;    /* descriptors per RX ring: power of two, 2..32768 */
    uint32_t tx_entries;    /* descriptors per TX ring: power of two, 2..32768 */
    uint32_t num_bufs;      /* mempool size: >= num_rx_queues * rx_entries */
};

/* Arena bytes needed for cfg (rings + buffers), or 0 if cfg is invalid. */
size_t nic_arena_size(const struct nic_config *cfg);

struct nic_dev;

#define NIC_OK 0
#define NIC_EINVAL (-1) /* bad configuration or argument */
#define NIC_ENOMEM (-2) /* host allocation failed */
#define NIC_ESMALL (-3) /* arena too small or too few buffers */
#define NIC_ENOSPC (-4) /* flow table full */
#define NIC_ENOENT (-5) /* no such flow */

/* Lay out rings and buffers in arena (arena_size bytes, 128-byte aligned),
 * program the register window (§4.6.7 RX init, §4.6.8 TX init: base,
 * length, head = 0, RX tail = n - 1 after filling the ring) and enable the
 * queues. Returns NULL and sets *err (if err != NULL) on failure. */
struct nic_dev *nic_dev_create(const struct nic_config *cfg, void *arena,
                               size_t arena_size, struct nic_regs *regs, int *err);
/* Frees host memory only (not arena, not regs); disables the queues. */
void nic_dev_destroy(struct nic_dev *dev);

/* Receive up to n packets from queue q into bufs[] (ixy's rx_batch). Each
 * returned buffer belongs to the caller, with buf->len set. Descriptors the
 * device wrote badly are dropped, re-armed and counted (struct nic_stats).
 * RDT is written once per call, after the descriptors. */
uint32_t nic_rx_batch(struct nic_dev *dev, uint32_t q, struct nic_buf **bufs, uint32_t n);

/* Queue up to n packets (bufs[i]->len bytes of bufs[i]->data) on queue q
 * (ixy's tx_batch); first cleans completed descriptors in batches. Returns
 * the number queued: those buffers now belong to the ring, the rest stay
 * with the caller. TDT is written once per call. Stops at the first buffer
 * that is not the caller's or has a bad length (counted in tx_bad_buf). */
uint32_t nic_tx_batch(struct nic_dev *dev, uint32_t q, struct nic_buf **bufs, uint32_t n);

/* Free every buffer of TX queue q the device has completed (batches, then
 * single descriptors); returns the number freed. nic_tx_batch only cleans
 * whole batches (ixy), so call this when traffic stops. */
uint32_t nic_tx_clean(struct nic_dev *dev, uint32_t q);

/* Mempool access: allocate a buffer for the caller (NULL if none), or give
 * one back. nic_buf_free returns NIC_OK, or NIC_EINVAL (counted as
 * bad_free, nothing changed) if buf is not a caller-owned buffer of dev. */
struct nic_buf *nic_buf_alloc(struct nic_dev *dev);
int nic_buf_free(struct nic_dev *dev, struct nic_buf *buf);

/* Driver statistics, summed over queues, plus a snapshot of the device's
 * statistics registers. */
struct nic_stats {
    uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes, tx_cleaned;
    uint64_t rx_bad_length; /* PKT_LEN 0 or larger than the buffer */
    uint64_t rx_no_eop;     /* multi-descriptor packet (unsupported) */
    uint64_t rx_errors;     /* error bits set in the write-back */
    uint64_t rx_stray_dd;   /* DD on a descriptor not handed to the device */
    uint64_t rx_no_buf;     /* mempool empty: packet left in the ring */
    uint64_t tx_bad_buf;    /* buffer not owned by the caller, or bad len */
    uint64_t bad_free;      /* nic_buf_free of a buffer not the caller's */
    uint64_t dev_gprc, dev_gorc, dev_mpc, dev_gptc, dev_gotc;
};
void nic_stats_read(const struct nic_dev *dev, struct nic_stats *out);

/* Where every buffer is. Returns the number of inconsistencies found (a
 * buffer in two places, a ring slot holding something that is not a
 * buffer of this pool, a state tag that disagrees with the location);
 * 0 means every buffer is in exactly one place. */
struct nic_census {
    uint32_t total, free, rx, tx, app;
    uint32_t errors;
};
uint32_t nic_census(struct nic_dev *dev, struct nic_census *out);

/* Packets queued on TX queue q and not yet cleaned. */
uint32_t nic_tx_inflight(const struct nic_dev *dev, uint32_t q);

/* ---------------------------------------------------------------------- */
/* RX flow steering (flow.c): Flow Director perfect-match filters, §7.1.2.7,
 * as `ethtool -N DEV flow-type tcp4 dst-ip A dst-port P action Q` programs
 * them. The driver keeps a software copy of the programmed filters, as
 * ixgbe (adapter->fdir_filter_list) and DPDK's ixgbe PMD
 * (ixgbe_fdir_filter_lookup, ixgbe_insert_fdir_filter) do, to reject
 * duplicates and to find the filter to delete. A filter lives at the index
 * of its software slot (NIC_FLOW_SLOTS of them). */
struct nic_flow_key {
    uint32_t dst_ip;   /* destination IPv4 address */
    uint16_t dst_port; /* destination TCP/UDP port */
};

/* Steer frames of key to RX queue q: a new filter, or the queue of the
 * existing filter for key changed. NIC_OK, NIC_EINVAL (q not a configured
 * RX queue), NIC_ENOSPC (a new key and all NIC_FLOW_SLOTS filters used). */
int nic_flow_add(struct nic_dev *dev, const struct nic_flow_key *key, uint32_t q);
/* Remove key's filter: NIC_OK or NIC_ENOENT. */
int nic_flow_del(struct nic_dev *dev, const struct nic_flow_key *key);
/* The queue of key's filter (>= 0), NIC_ENOENT, or NIC_EINVAL (NULL). */
int nic_flow_lookup(const struct nic_dev *dev, const struct nic_flow_key *key);
/* Filters programmed (what `ethtool -n` reports as the rule count). */
uint32_t nic_flow_count(const struct nic_dev *dev);

/* Device I/O address <-> arena pointer. nic_iova_ptr returns NULL unless
 * [iova, iova + len) lies inside the arena. */
void *nic_iova_ptr(void *arena, size_t arena_size, uint64_t iova, size_t len);

#endif
