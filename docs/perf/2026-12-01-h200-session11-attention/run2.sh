#!/bin/bash
# Session 11, call 2: the tensor-core attention kernel with warp-uniform mask paths (issue 15):
# attention self-test, the target grid at 8k-32k (window 256, dilated 256:4, global 16 + window 256;
# d 64 and 128; 1 x 16 heads; f16) against FlexAttention and SDPA in the same run, and an ncu
# profile of window 256 L 16384 d 64 to compare with call 1.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s11; R=/tmp/r2; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv > $OUT/machine.txt
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 90 /tmp/sparrow selftest --device gpu --attention-only --json $OUT/selftest.json > $OUT/selftest.txt 2>&1
tail -3 $OUT/selftest.txt
S="--section SpeedOfLight --section WarpStateStats --section SchedulerStats --section Occupancy --section ComputeWorkloadAnalysis --section SourceCounters --import-source yes"
t timeout 60 ncu -k regex:sparrow_attention_fused_f16_d64_tc_w4_k64_s2 -c 1 $S -o $R/w256-d64 \
    /tmp/sparrow bench attention --pattern window:256 --seq 16384 --batch 1 --heads 16 --head-dim 64 --dtype f16 \
    --iterations 3 --warmup 1 --top-k 1 --config tc.w4.k64.s2 --skip torch > $R/ncu.log 2>&1
ncu --import $R/w256-d64.ncu-rep --page details > $OUT/w256-d64.txt 2>&1
ncu --import $R/w256-d64.ncu-rep --page source --csv --print-source sass > $R/w256-d64-sass.csv 2>&1
xz -k $R/w256-d64-sass.csv && cp $R/w256-d64-sass.csv.xz $OUT/
grep -E "Duration|Registers Per|Issued Warp|Theoretical Occ" $OUT/w256-d64.txt
t timeout 330 /tmp/sparrow bench attention --pattern window:256 dilated:256:4 global:16+window:256 --seq 8192 16384 32768 \
  --batch 1 --heads 16 --head-dim 64 128 --dtype f16 --iterations 10 --top-k 3 \
  --config tc.w4.k64.s2 tc.w8.k64.s2 tc.w4.k32.s2 --json $OUT/grid.json --markdown $OUT/grid.md > $OUT/grid.txt 2>&1
cat $OUT/steps.txt
cat $OUT/grid.md | cut -d'|' -f2-13
