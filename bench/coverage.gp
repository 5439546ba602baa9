# bench/coverage.gp: coverage (edges) over time of the demo campaign,
# `./pry fuzz patch --plant no-newline --time 60` (its progress.csv:
# seconds,execs,execs_per_sec,corpus,coverage,findings).
#   gnuplot -e "outdir='bench/plots'; csv='build/bench/demo-progress.csv'" bench/coverage.gp
set terminal pngcairo size 900,480 font ',10'
set output outdir.'/coverage.png'
set datafile separator ','
set title 'Demo campaign: ./pry fuzz patch --plant no-newline --engine afl --time 60'
set xlabel 'seconds'
set ylabel 'coverage (edges)'
set y2label 'corpus inputs'
set y2tics
set ytics nomirror
set grid
set key bottom right
plot csv using 1:5 every ::1 with lines lw 2 title 'edges', \
     csv using 1:4 every ::1 axes x1y2 with lines lw 1 dt 2 title 'corpus', \
     csv using 1:($6 > 0 ? $5 : 1/0) every ::1 with points pt 7 ps 0.6 lc rgb 'red' title 'findings > 0'
