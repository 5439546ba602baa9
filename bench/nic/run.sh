#!/bin/sh
# Sweep nicbench over batch sizes 1..256 (run from the repository root after
# building). Usage: bench/nic/run.sh [seconds-per-run]   (default 2)
set -e
s=${1:-2}
lscpu | grep 'Model name'
uptime
for b in 1 2 4 8 16 32 64 128 256; do
    out=$(build/bin/nicbench --batch "$b" --seconds "$s")
    printf '%4s  %s  %s\n' "$b" "$(echo "$out" | head -1)" \
        "$(echo "$out" | sed -n 2p | sed 's/.*average batch fill/fill/')"
done
uptime
