// bench/fdp/nic_flows.cc: the flow-dup plant's property (pry's nic/flows)
// written the way a C or C++ user writes structured fuzzing today without
// pry: libFuzzer's FuzzedDataProvider cutting the input into a driver
// configuration and up to 64 operations on the flow filters (add with a
// queue, delete, deliver a frame by flow), each checked against a plain
// list of the filters: every return value, the rule count and the lookup
// of every key after each operation, and the queue the device steers a
// frame to. Keys and queues have the ranges of harnesses/nic/flow_steps.c
// (a 32-bit address, a 16-bit port, 1..4 RX queues); the ring traffic of
// pry's property (receives, frees) is left out: the plant shows in the
// count and the steering, and the twin's depth is the same. A
// disagreement aborts (what the engines see as a crash). Built by
// bench/fdp.sh for AFL++ (afl-clang-fast++) and libFuzzer.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

extern "C" {  // the target's headers are C, without C++ guards
#include "nic_sim.h"
}

namespace {

struct Flow {
  nic_flow_key key;
  uint32_t queue;
};

[[noreturn]] void fail(const char *what) {
  std::fprintf(stderr, "nic_flows (FuzzedDataProvider): %s disagrees with the model\n", what);
  std::abort();
}

int find(const std::vector<Flow> &flows, const nic_flow_key &k) {
  for (size_t i = 0; i < flows.size(); i++)
    if (flows[i].key.dst_ip == k.dst_ip && flows[i].key.dst_port == k.dst_port)
      return static_cast<int>(i);
  return -1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  nic_config cfg;
  cfg.num_rx_queues = fdp.ConsumeIntegralInRange<uint32_t>(1, 4);
  cfg.num_tx_queues = 1;
  cfg.rx_entries = 1u << fdp.ConsumeIntegralInRange<uint32_t>(1, 7);
  cfg.tx_entries = 2;
  cfg.num_bufs = cfg.num_rx_queues * cfg.rx_entries;
  size_t arena_size = nic_arena_size(&cfg);
  void *arena = std::calloc(1, arena_size);
  auto *regs = static_cast<nic_regs *>(std::aligned_alloc(64, sizeof(nic_regs)));
  if (arena == nullptr || regs == nullptr) std::abort();
  nic_regs_init(regs);
  nic_dev *dev = nic_dev_create(&cfg, arena, arena_size, regs, nullptr);
  nic_sim *sim = nic_sim_create(arena, arena_size, regs);
  if (dev == nullptr || sim == nullptr) std::abort();
  std::vector<Flow> flows;
  for (int step = 0; step < 64 && fdp.remaining_bytes() > 0; step++) {
    nic_flow_key k;
    k.dst_ip = fdp.ConsumeIntegral<uint32_t>();
    k.dst_port = fdp.ConsumeIntegral<uint16_t>();
    const int at = find(flows, k);
    switch (fdp.ConsumeIntegralInRange<int>(0, 2)) {
      case 0: {  // add, or update the queue of an existing key
        uint32_t q = fdp.ConsumeIntegralInRange<uint32_t>(0, cfg.num_rx_queues - 1);
        int want = at >= 0 || flows.size() < NIC_FLOW_SLOTS ? NIC_OK : NIC_ENOSPC;
        if (nic_flow_add(dev, &k, q) != want) fail("nic_flow_add");
        if (want == NIC_OK && at >= 0) flows[at].queue = q;
        if (want == NIC_OK && at < 0) flows.push_back({k, q});
        break;
      }
      case 1:  // delete
        if (nic_flow_del(dev, &k) != (at >= 0 ? NIC_OK : NIC_ENOENT)) fail("nic_flow_del");
        if (at >= 0) flows.erase(flows.begin() + at);
        break;
      default:  // where the device steers a frame of k
        if (nic_sim_flow_queue(sim, &k) != (at >= 0 ? flows[at].queue : 0)) fail("steering");
        break;
    }
    if (nic_flow_count(dev) != flows.size()) fail("nic_flow_count");
    for (const Flow &f : flows)
      if (nic_flow_lookup(dev, &f.key) != static_cast<int>(f.queue)) fail("nic_flow_lookup");
  }
  nic_sim_destroy(sim);
  nic_dev_destroy(dev);
  std::free(regs);
  std::free(arena);
  return 0;
}
