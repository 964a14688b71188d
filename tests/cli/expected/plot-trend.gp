# The data is inline: `gnuplot THIS_FILE` draws the chart again.
set terminal pngcairo noenhanced size 1000,600 font 'sans,10'
set output "trend.png"
set encoding utf8
set datafile commentschars ''
set title "whole boot per label"
set ylabel 'ms, mean (bars: sample sd)'
set grid ytics
set offsets 0.5, 0.5, 0, 0
set yrange [0:*]
set key top left
set xtics rotate by -30 ("v170" 0, "q192" 1, "v192" 2)
$trend << EOD
0 2301.7430 35.2679
1 2167.8704 25.6078
2 2462.4133 236.5704
EOD
$steps << EOD
1 2167.8704 "faster -133.9 ms"
EOD
plot $trend using 1:2:3 with yerrorlines lw 2 pt 7 lc rgb '#4878a8' title "whole boot", \
     $steps using 1:2 with points pt 6 ps 3 lw 2 lc rgb '#d65f5f' title 'significant step (p < 0.05)', \
     $steps using 1:2:3 with labels offset 0, 2 tc rgb '#d65f5f' notitle
unset output
