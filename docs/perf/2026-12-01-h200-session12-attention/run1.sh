#!/bin/bash
# Session 12, call 1: the split attention kernel reads its linear block index head-fastest (every head's
# split items start in the first wave). Attention self-test; global 16 + window 256 at 8k-32k, d 64 and 128,
# f16, 1 x 16 heads, against FlexAttention and SDPA in the same run; window 256 at 8k as a control; an ncu
# source-level profile of window 256, L 16384, d 64 (tc.w4.k64.s2) with the per-instruction SASS table.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s12; R=/tmp/r1; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv > $OUT/machine.txt
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 90 /tmp/sparrow selftest --device gpu --attention-only --json $OUT/selftest.json > $OUT/selftest.txt 2>&1
tail -2 $OUT/selftest.txt
t timeout 200 /tmp/sparrow bench attention --pattern global:16+window:256 --seq 8192 16384 32768 \
  --batch 1 --heads 16 --head-dim 64 128 --dtype f16 --iterations 10 --top-k 3 \
  --config tc.w4.k64.s2.t32 tc.w4.k32.s2.t32 tc.w4.k64.s2.t8 tc.w4.k32.s2.t8 --json $OUT/gw.json --markdown $OUT/gw.md > $OUT/gw.txt 2>&1
t timeout 60 /tmp/sparrow bench attention --pattern window:256 --seq 8192 \
  --batch 1 --heads 16 --head-dim 64 128 --dtype f16 --iterations 10 --top-k 3 \
  --config tc.w4.k64.s2 tc.w4.k32.s2 --json $OUT/w.json --markdown $OUT/w.md > $OUT/w.txt 2>&1
S="--section SpeedOfLight --section WarpStateStats --section SchedulerStats --section Occupancy --section LaunchStats --section SourceCounters --import-source yes"
t timeout 120 ncu -k regex:sparrow_attention_fused_f16_d64_tc_w4_k64_s2 -c 1 $S -o $R/w256-d64 \
  /tmp/sparrow bench attention --pattern window:256 --seq 16384 --batch 1 --heads 16 --head-dim 64 --dtype f16 \
  --iterations 3 --warmup 1 --top-k 1 --config tc.w4.k64.s2 --skip torch > $R/ncu.log 2>&1
ncu --import $R/w256-d64.ncu-rep --page details > $OUT/w256-d64.txt 2>&1
ncu --import $R/w256-d64.ncu-rep --page source --csv --print-source sass > $R/w256-d64-sass.csv 2>&1
xz -k $R/w256-d64-sass.csv && cp $R/w256-d64-sass.csv.xz $OUT/
tail -3 $R/ncu.log
cat $OUT/steps.txt
cut -d'|' -f2-8,10,13 $OUT/gw.md $OUT/w.md
grep -E "Duration|Registers Per|Achieved Occupancy|Issued Warp|No Eligible" $OUT/w256-d64.txt
