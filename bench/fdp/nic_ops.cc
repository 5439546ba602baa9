// bench/fdp/nic_ops.cc: the deep nic bugs' properties (tx-counter-wrap
// under model, rx-index-wrap under hostile) written the way a C or C++
// user writes structured fuzzing today without pry: libFuzzer's
// FuzzedDataProvider (clang 14, <fuzzer/FuzzedDataProvider.h>) cutting the
// input into a driver configuration and up to 64 operations, each checked
// against the target's own test model (targets/nic/tests/nic_model.h,
// through bench/fdp/nic_model_ops.c): every packet received or sent once,
// in order and intact, every buffer in the one place the model says, every
// return value and counter as predicted; then a final drain. The
// operations and their ranges are those of harnesses/nic/nic_steps.c
// (deliveries, receives, transmits, completions, clean-ups, allocations,
// frees, and the hostile NIC and application), so the twin searches the
// same space as pry's nic/model and nic/hostile together, except up to 3
// queues (nic_model.h's limit) where pry draws up to 4, and allocated
// packets of 1..200 octets (nic_model.h's) instead of up to 2048; the
// app's transmits sometimes repeat a buffer or name one it does not hold
// (nic_model.h's m_op_tx), where pry has separate commands for those
// misuses. A disagreement aborts
// (what the engines see as a crash). Built by bench/fdp.sh for AFL++
// (afl-clang-fast++) and libFuzzer, per plant.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "nic_model_ops.h"
#include "nic_sim.h"

namespace {

// nic_model.h's stream of choices (for m_op_tx's picks): a value in [0, bound).
uint32_t next(void *ctx, uint32_t bound) {
  auto *fdp = static_cast<FuzzedDataProvider *>(ctx);
  return bound == 0 ? 0 : fdp->ConsumeIntegralInRange<uint32_t>(0, bound - 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  nic_config cfg;
  cfg.num_rx_queues = fdp.ConsumeIntegralInRange<uint32_t>(1, 3);
  cfg.num_tx_queues = fdp.ConsumeIntegralInRange<uint32_t>(1, 3);
  cfg.rx_entries = 1u << fdp.ConsumeIntegralInRange<uint32_t>(1, 7);
  cfg.tx_entries = 1u << fdp.ConsumeIntegralInRange<uint32_t>(1, 7);
  cfg.num_bufs = cfg.num_rx_queues * cfg.rx_entries + fdp.ConsumeIntegralInRange<uint32_t>(0, 64);
  uint32_t rx_burst = fdp.ConsumeIntegralInRange<uint32_t>(1, 64);
  uint32_t tx_burst = fdp.ConsumeIntegralInRange<uint32_t>(1, 64);
  struct model *m = nmo_new(&cfg);
  if (m == nullptr) {
    std::fprintf(stderr, "nic_ops (FuzzedDataProvider): model set-up failed\n");
    std::abort();
  }
  for (int step = 0; step < 64 && fdp.remaining_bytes() > 0 && nmo_failures(m) == 0; step++) {
    uint32_t rxq = fdp.ConsumeIntegralInRange<uint32_t>(0, cfg.num_rx_queues - 1);
    uint32_t txq = fdp.ConsumeIntegralInRange<uint32_t>(0, cfg.num_tx_queues - 1);
    switch (fdp.ConsumeIntegralInRange<int>(0, 9)) {
      case 0: {  // up to one more packet than the ring holds: a full ring drops
        uint32_t n = fdp.ConsumeIntegralInRange<uint32_t>(1, cfg.rx_entries + 1);
        nmo_deliver(m, rxq, n, fdp.ConsumeIntegralInRange<uint32_t>(1, NIC_BUF_DATA));
        break;
      }
      case 1: nmo_rx(m, rxq, fdp.ConsumeIntegralInRange<uint32_t>(0, rx_burst)); break;
      case 2: nmo_tx(m, next, &fdp, txq, fdp.ConsumeIntegralInRange<uint32_t>(0, tx_burst)); break;
      case 3: nmo_complete(m, txq, fdp.ConsumeIntegralInRange<uint32_t>(0, cfg.tx_entries)); break;
      case 4: nmo_clean(m, txq); break;
      case 5: {  // packets of 1..200 octets, as nic_model.h writes them
        uint32_t n = fdp.ConsumeIntegralInRange<uint32_t>(1, 8);
        nmo_alloc(m, n, fdp.ConsumeIntegralInRange<uint32_t>(1, 200));
        break;
      }
      case 6: nmo_free(m, fdp.ConsumeIntegralInRange<uint32_t>(1, 8)); break;
      case 7: {  // the NIC misbehaves (nic_steps.c's argument ranges)
        uint32_t kind = fdp.ConsumeIntegralInRange<uint32_t>(0, NIC_HOSTILE_COUNT - 1), arg = 0;
        if (kind == NIC_HOSTILE_BAD_ADDR)  // the address is arena end + arg
          arg = fdp.ConsumeIntegralInRange<uint32_t>(0, 1u << 20);
        else if (kind == NIC_HOSTILE_NO_EOP)  // a packet of arg octets
          arg = fdp.ConsumeIntegralInRange<uint32_t>(1, NIC_BUF_DATA);
        else if (kind != NIC_HOSTILE_STRAY_DD)  // a PKT_LEN, good or bad
          arg = fdp.ConsumeIntegralInRange<uint32_t>(0, 0xffff);
        nmo_hostile(m, rxq, kind, arg);
        break;
      }
      case 8: nmo_free_foreign(m, fdp.ConsumeIntegralInRange<uint32_t>(0, cfg.num_bufs - 1)); break;
      default: break;  // the device and the app stall
    }
  }
  if (nmo_failures(m) == 0) nmo_drain(m);
  if (nmo_failures(m) != 0) {
    std::fprintf(stderr, "nic_ops (FuzzedDataProvider): the driver disagrees with the model\n");
    std::abort();
  }
  nmo_del(m);
  return 0;
}
