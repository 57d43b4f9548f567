#!/bin/bash
# Session 11, call 1: instruction-level ncu profiles of the fused tensor-core attention kernel
# (issue 15) on window 256, L 16384, 1 x 16 heads, f16: d 64 (tc.w4.k64.s2) and d 128 (tc.w4.k32.s2),
# the configs the search chose in 2026-11-30-h200-attention-split.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s11; R=/tmp/r1; mkdir -p $R
xz -dc $D/${BIN:-sparrow}.xz > /tmp/sparrow && chmod +x /tmp/sparrow
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv > $OUT/machine.txt
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
S="--section SpeedOfLight --section MemoryWorkloadAnalysis --section WarpStateStats --section SchedulerStats --section Occupancy --section LaunchStats --section ComputeWorkloadAnalysis --section SourceCounters --import-source yes"
prof() { # name pattern d config
  t timeout 150 ncu -k regex:sparrow_attention_fused_f16_d$3_$(echo $4 | tr . _) -c 1 $S -o $R/$1 \
    /tmp/sparrow bench attention --pattern $2 --seq 16384 --batch 1 --heads 16 --head-dim $3 --dtype f16 \
    --iterations 3 --warmup 1 --top-k 1 --config $4 --skip torch > $R/$1.log 2>&1
  ncu --import $R/$1.ncu-rep --page details > $OUT/$1.txt 2>&1
  ncu --import $R/$1.ncu-rep --page source --csv --print-source sass > $R/$1-sass.csv 2>&1
  xz -k $R/$1-sass.csv && cp $R/$1-sass.csv.xz $OUT/
}
prof w256-d64 window:256 64 tc.w4.k64.s2
prof w256-d128 window:256 128 tc.w4.k32.s2
(cd $R && tar -czf $OUT/logs.tgz *.log)
cat $OUT/steps.txt
for f in $OUT/w*.txt; do echo "== $f"; grep -E "Duration|DRAM Throughput|L2 Cache Throughput|L1/TEX Cache Throughput|Achieved Occupancy|Theoretical Occupancy|Registers Per|Issued Warp|No Eligible|Block Limit|Compute \(SM\)" $f | head -16; done
