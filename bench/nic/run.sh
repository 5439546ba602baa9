#!/bin/sh
# Sweep nicbench over batch sizes 1..256, each against its baseline in the
# same run: the bare ring (nicbench --baseline, targets/nic/tools/bare_ring.h)
# between the same two processes over the same shared memory, moving the
# same descriptors and buffers. An absolute Mpps on a shared VM says little
# (the same build gave 41 and 13 Mpps on two machines of one kind); the
# ratio driver/baseline is what the driver costs.
#
# Usage: bench/nic/run.sh [seconds-per-run] [pairs]   (defaults 1 and 3)
# Run from the repository root after `make tools`. Per batch size it runs
# baseline, driver, baseline, driver, ... and reports the median of each
# and the median of the per-pair ratios.
set -eu
s=${1:-1}
pairs=${2:-3}
bin=build/bin/nicbench
[ -x "$bin" ] || { echo "run 'make tools' first ($bin is missing)" >&2; exit 2; }
lscpu | grep 'Model name' || true
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
med() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
printf '| batch | baseline Mpps | driver Mpps | driver / baseline | driver fill (all polls) | driver fill (non-empty polls) | driver empty polls |\n'
printf '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
for b in 1 2 4 8 16 32 64 128 256; do
    base="" drv="" ratio="" fill="" fillne="" empty=""
    i=0
    while [ $i -lt "$pairs" ]; do
        ob=$($bin --batch "$b" --seconds "$s" --baseline)
        od=$($bin --batch "$b" --seconds "$s")
        rb=$(echo "$ob" | head -1 | cut -d' ' -f1)
        rd=$(echo "$od" | head -1 | cut -d' ' -f1)
        base="$base $rb" drv="$drv $rd"
        ratio="$ratio $(awk -v d="$rd" -v b="$rb" 'BEGIN {printf "%.3f", (b > 0) ? d / b : 0}')"
        fill="$fill $(echo "$od" | sed -n 2p | sed 's/.*average batch fill \([0-9.]*\).*/\1/')"
        fillne="$fillne $(echo "$od" | sed -n 2p | sed 's/.*non-empty polls \([0-9.]*\).*/\1/')"
        empty="$empty $(echo "$od" | sed -n 2p | sed 's/.*empty polls \([0-9.]*\)%.*/\1/')"
        i=$((i + 1))
    done
    printf '| %s | %s | %s | %s | %s/%s | %s | %s%% |\n' "$b" \
        "$(echo $base | tr ' ' '\n' | med)" "$(echo $drv | tr ' ' '\n' | med)" \
        "$(echo $ratio | tr ' ' '\n' | med)" "$(echo $fill | tr ' ' '\n' | med)" "$b" \
        "$(echo $fillne | tr ' ' '\n' | med)" "$(echo $empty | tr ' ' '\n' | med)"
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
