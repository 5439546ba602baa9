# bench/ttb.gp: time to the first finding of every planted bug, one point
# per run (seed), per engine; typed properties filled, raw-bytes harnesses
# open. Data and plot command from `bench/bench.py plotdata`.
#   gnuplot -e "outdir='bench/plots'; datadir='build/bench/plots'" bench/ttb.gp
set terminal pngcairo size 1400,620 font ',10'
set output outdir.'/time_to_bug.png'
set title 'Time to the first finding per planted bug (wall clock from launch, one point per seed; filled: typed property, open: raw-bytes harness; under 6 ms drawn at 6 ms)'
set logscale y
set ylabel 'seconds (log)'
set grid ytics
set key outside right top
set bmargin 7
load datadir.'/ttb.gpinc'
