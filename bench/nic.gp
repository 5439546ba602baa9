# bench/nic.gp: the nic driver's forwarding rate as a ratio of the bare
# ring's (bench/nic/run.sh: both measured in the same run), by batch size.
#   gnuplot -e "outdir='bench/plots'; dat='build/bench/nic.dat'" bench/nic.gp
set terminal pngcairo size 900,480 font ',10'
set output outdir.'/nic_mpps.png'
set title 'nicbench: driver + simulated NIC as a share of the bare ring, by batch size'
set logscale x 2
set xlabel 'batch size'
set ylabel 'driver Mpps / bare-ring Mpps (same run)'
set yrange [0:1.2]
set grid
set key top left
plot dat using 1:2 with linespoints pt 7 lw 2 title 'driver / baseline', \
     1 with lines dt 2 lc rgb 'gray' title 'the bare ring (the limit of this design)'
