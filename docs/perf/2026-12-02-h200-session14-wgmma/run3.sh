#!/bin/bash
# Session 14, call 3: ncu profiles of the wg kernel (call 1's binary) against the tc kernel on window 256,
# L 16384, 1 x 16 heads, f16, d 64: wg.w4.k64.s2, wg.w8.k64.s2 and tc.w4.k64.s2.
set -u
D=.device-s14; R=/tmp/r3; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
S="--section SpeedOfLight --section WarpStateStats --section SchedulerStats --section Occupancy --section LaunchStats --section SourceCounters"
prof() { # name d config
  t timeout 100 ncu -k regex:sparrow_attention_fused_f16_d$2_$(echo $3 | tr . _) -c 1 $S -o $R/$1 \
    /tmp/sparrow bench attention --pattern window:256 --seq 16384 --batch 1 --heads 16 --head-dim $2 --dtype f16 \
    --iterations 3 --warmup 1 --top-k 1 --config $3 --skip torch > $R/$1.log 2>&1
  ncu --import $R/$1.ncu-rep --page details > $OUT/$1.txt 2>&1
  ncu --import $R/$1.ncu-rep --page source --csv --print-source sass > $R/$1-sass.csv 2>&1
  xz -c $R/$1-sass.csv > $OUT/$1-sass.csv.xz
}
prof wg4-d64 64 wg.w4.k64.s2
prof wg8-d64 64 wg.w8.k64.s2
prof tc4-d64 64 tc.w4.k64.s2
cat $OUT/steps.txt
for f in $OUT/*.txt; do echo "== $f"; grep -E "Duration|Registers Per|Achieved Occupancy|Issued Warp|No Eligible|Executed Ipc A|Block Limit|Stall|stall" $f | head -30; done
