# bench/nic.gp: nicbench Mpps by batch size, with ixy's two published C
# figures (82599 at 3.3 GHz: 8.3 Mpps at batch 1, 27.4 at batch 32).
#   gnuplot -e "outdir='bench/plots'; dat='build/bench/nic.dat'" bench/nic.gp
set terminal pngcairo size 900,480 font ',10'
set output outdir.'/nic_mpps.png'
set title 'nicbench: forwarded Mpps by batch size (60-byte frames)'
set logscale x 2
set xlabel 'batch size'
set ylabel 'Mpps'
set yrange [0:*]
set grid
set key top left
$ixy << EOD
1 8.3
32 27.4
EOD
plot dat using 1:2 with linespoints pt 7 lw 2 title 'pry nic driver + simulated NIC (this machine)', \
     $ixy using 1:2 with points pt 5 ps 1.8 lc rgb 'red' title 'ixy C on an 82599, 3.3 GHz (published)', \
     14.88 with lines dt 2 lc rgb 'gray' title '10 GbE line rate, 64 B'
