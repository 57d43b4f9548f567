#!/bin/bash
# Session 21, call 2 (issue 13): the whole DLMC rn50 suite in f32 at n = 256 (54 matrices x 0.7 0.8 0.9 0.95 0.98) with
# the default search (no specialisation: its compile time would not fit), warm caches, cuSPARSE's algorithms and
# cuBLAS in the same run, the empty-kernel launch measured by the bench; then every valid config (--sweep) on the two
# rn50 0.9 layers where the search's pick was least ahead of cuSPARSE in the issue-13 record; ncu of the search's pick
# on one of them. One archive back.
set -u
export PYTHONUNBUFFERED=1
D=.device-s21; R=$OUT/call2; P=/tmp/r2; mkdir -p $R $P
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $R/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $R/steps.txt; }
B="/tmp/sparrow bench spmm --device gpu --data $D --no-tuned --no-specialise --dtype f32 --skip sparrow-simple-fp32 cusparse-fp32-alg1"
t timeout 360 $B --suite dlmc-rn50 --sparsity 0.7 0.8 0.9 0.95 0.98 -n 256 \
  --json $R/rn50-all.json --markdown $R/rn50-all.md > $R/rn50-all.log 2>&1
for F in bottleneck_3_block_group4_1_1 bottleneck_1_block_group4_1_1; do
  t timeout 150 $B --suite dlmc-rn50 --sparsity 0.9 -n 256 --filter $F --sweep \
    --json $R/sweep-$F.json --markdown $R/sweep-$F.md > $R/sweep-$F.log 2>&1
done
S="--section SpeedOfLight --section MemoryWorkloadAnalysis --section WarpStateStats --section SchedulerStats --section Occupancy --section LaunchStats --section SourceCounters"
C=r1.t32.c256.v4.k32.db1.s4.u8; N=$(echo $C | tr . _)
t timeout 90 ncu -k regex:sparrow_spmm_f32_${N} -c 1 $S -o $P/$N \
  /tmp/sparrow bench spmm --device gpu --data $D --no-tuned --no-specialise --dtype f32 --iterations 20 --warmup 1 \
  --suite dlmc-rn50 --sparsity 0.9 -n 256 --filter bottleneck_3_block_group4_1_1 --sweep-limit 1 --config $C \
  --skip sparrow-simple-fp32 cusparse-fp32-default cusparse-fp32-alg1 cusparse-fp32-alg2 cusparse-fp32-alg3 cublas-fp32 cublas-tf32 cublas-fp16 \
  > $R/ncu-$N.log 2>&1
ncu --import $P/$N.ncu-rep --page details > $R/ncu-$N.txt 2>&1
cat $R/steps.txt
for f in $R/*.md; do echo "== $f"; grep -A12 -i "geometric" $f | head -14; done
grep -E "Duration|L1/TEX Cache Throughput|L2 Cache Throughput|Achieved Occupancy|Registers Per|Issued Warp|No Eligible|L1/TEX Hit|SM Active|Elapsed Cycles|Waves" $R/ncu-$N.txt | head -16
xz -9 $R/*.json
cd $OUT && tar -cJf call2.tar.xz call2 && rm -rf call2
