# The plot of docs/paper-bounds.md: probes per insertion against log2(1/delta)
# for elastic hashing (ehm) and uniform probing, on a log scale.
#
#   gnuplot -e "data='FILE'; out='SVG'" tests/bounds/paper-bounds.gp
#
# FILE is what `probe_bounds --data FILE` writes; scripts/bounds runs both.
set terminal svg size 1000,520 font 'sans,13' background rgb 'white'
set output out
set title 'Probes per insertion at the growth point (one probe = one group of 15 slots)'
set xlabel 'log_2(1/δ)'
set ylabel 'probes'
set logscale y 10
set xrange [0.7:10.3]
set yrange [0.9:2000]
set xtics 1
set ytics ('1' 1, '2' 2, '5' 5, '10' 10, '20' 20, '50' 50, '100' 100, '200' 200, '500' 500, '1000' 1000, '2000' 2000)
set grid xtics ytics lc rgb '#dddddd'
set key outside right top Left reverse spacing 1.3
set style data linespoints
plot data using 1:11 lw 2 lc rgb '#a6761d' pt 12 title 'uniform, largest', \
     data using 1:9  lw 2 lc rgb '#e7298a' pt 8  title 'uniform, last 1%', \
     data using 1:8  lw 2 lc rgb '#d95f02' pt 6  title 'uniform, mean', \
     data using 1:5  lw 2 lc rgb '#7570b3' pt 4  title 'elastic, largest', \
     data using 1:3  lw 2 lc rgb '#1b9e77' pt 9  title 'elastic, last 1%', \
     data using 1:2  lw 2 lc rgb '#0a5f8a' pt 7  title 'elastic, mean', \
     2*x + 2 with lines dt 2 lw 1.5 lc rgb '#666666' title 'test bound 2·log_2(1/δ) + 2'
