#!/usr/bin/env python3
"""bench/fdp/nic_witness.py: two hand-made inputs for the nic twin
(nic_ops.cc), to show that it can express the deep nic bugs at all: the
scenarios of targets/nic/tests/test_plants.c, as FuzzedDataProvider reads
them (integers from the end of the input, high byte first).

  python3 bench/fdp/nic_witness.py DIR   # writes DIR/tx.bin, DIR/rx.bin

tx.bin: 280 packets through a 64-entry TX queue in rounds of 40, then a
tx_batch of 0 whose batched clean-up should free one batch
(tx-counter-wrap). rx.bin: 4 x 63 packets through a 64-entry RX ring,
then the ring full, a forged DD on the held-back descriptor and a batch
of 64 (rx-index-wrap). Each aborts on its planted build and passes on the
correct one.
"""
import sys


class Fdp:
    """Values in the order nic_ops.cc consumes them."""

    def __init__(self):
        self.taken = []

    def int(self, lo, hi, v):  # ConsumeIntegralInRange(lo, hi) == v
        r, x = hi - lo, v - lo
        assert 0 <= x <= r
        n = 0
        while n < 4 and r >> (8 * n):
            n += 1
        self.taken += [(x >> (8 * (n - 1 - i))) & 255 for i in range(n)]

    def bytes(self):
        return bytes(reversed(self.taken))


def config(f, rx_log2, tx_log2, spare):  # one queue each way, bursts of 64
    for lo, hi, v in [(1, 3, 1), (1, 3, 1), (1, 7, rx_log2), (1, 7, tx_log2),
                      (0, 64, spare), (1, 64, 64), (1, 64, 64)]:
        f.int(lo, hi, v)


def tx(f, n, held):  # tx_batch of the n first held buffers
    f.int(0, 9, 2)
    f.int(0, 64, n)
    for i in range(n):
        f.int(0, 31, 2)  # m_op_tx: an app-held buffer, not a misuse
        if held > 1:
            f.int(0, held - 1, i)


def tx_counter_wrap():
    f = Fdp()
    config(f, 3, 6, 56)
    for rnd in range(7):
        for _ in range(5):  # alloc 8 buffers of 60 octets
            f.int(0, 9, 5), f.int(1, 8, 8), f.int(1, 200, 60)
        tx(f, 40, 40)
        f.int(0, 9, 3), f.int(0, 64, 64)  # the device sends them
        if rnd < 6:
            f.int(0, 9, 4)  # full clean-up
    tx(f, 0, 0)
    return f.bytes()


def rx_index_wrap():
    f = Fdp()
    config(f, 6, 7, 64)
    for _ in range(4):
        f.int(0, 9, 0), f.int(1, 65, 63), f.int(1, 2048, 60)  # deliver 63
        f.int(0, 9, 1), f.int(0, 64, 64)  # receive them
        tx(f, 63, 63)  # and give the buffers back by sending them
        f.int(0, 9, 3), f.int(0, 128, 128)
        f.int(0, 9, 4)
    f.int(0, 9, 0), f.int(1, 65, 64), f.int(1, 2048, 60)  # ring full, one missed
    f.int(0, 9, 7), f.int(0, 4, 0)  # NIC_HOSTILE_STRAY_DD
    f.int(0, 9, 1), f.int(0, 64, 64)
    return f.bytes()


if __name__ == "__main__":
    out = sys.argv[1]
    open(f"{out}/tx.bin", "wb").write(tx_counter_wrap())
    open(f"{out}/rx.bin", "wb").write(rx_index_wrap())
