#!/bin/bash
# Session 20, call 2: (1) the README's decoding command at n = 1 with the portfolio led by delta4's double-buffered walk;
# (2) that walk's occupancy variants at 0.5 (3 blocks of 16 warps an SM, 4 blocks of 8, 2 vectors a lane) beside it and the
# 3-stage ring; (3) ncu of it on 14336 x 4096 at 0.5 (one launch, caches flushed by ncu, stall sampling); (4) n = 8 at 0.5
# and 0.9 with the default search. One archive back.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s20; R=$OUT/call2; P=/tmp/r2; mkdir -p $R $P
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $R/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $R/steps.txt; }
SKIP="sparrow-simple-fp16 sparrow-sp24-fp16 cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
COMMON="--device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --skip $SKIP --suite llm"
t timeout 200 /tmp/sparrow bench spmm $COMMON -n 1 --sparsity 0.5 0.7 0.9 --sweep-limit 6 \
  --json $R/plain-n1.json --markdown $R/plain-n1.md > $R/plain-n1.log 2>&1
V="compact.i4.w16.v8.u1.s1.b2.k16384.db1 compact.i4.w16.v8.u1.s1.b3.k16384.db1 compact.i4.w8.v8.u1.s1.b4.k16384.db1 compact.i4.w16.v8.u2.s1.b2.k16384.db1 compact.i4.w16.v8.u1.s1.b2.k16384.db1.rg3"
t timeout 100 /tmp/sparrow bench spmm $COMMON -n 1 --sparsity 0.5 --sweep-limit 1 --config $V \
  --json $R/variants-n1.json --markdown $R/variants-n1.md > $R/variants-n1.log 2>&1
SK="--skip sparrow-simple-fp16 sparrow-bitmap-fp16 sparrow-fcoo-fp16 sparrow-sp24-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3 cusparselt-fp16 cublas-fp16"
S="--section SpeedOfLight --section MemoryWorkloadAnalysis --section WarpStateStats --section SchedulerStats --section Occupancy --section LaunchStats --section SourceCounters --import-source yes"
C=compact.i4.w16.v8.u1.s1.b2.k16384.db1
t timeout 120 ncu -k regex:sparrow_spmm_f16_$(echo $C | tr . _) -c 1 $S -o $P/i4-05-n1 \
  /tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 3 --warmup 1 --no-tuned --no-specialise --suite llm \
  --filter mlp-up-14336x4096 -n 1 --sweep-limit 1 --sparsity 0.5 --config $C $SK > $R/ncu-i4-05-n1.log 2>&1
ncu --import $P/i4-05-n1.ncu-rep --page details > $R/i4-05-n1.txt 2>&1
ncu --import $P/i4-05-n1.ncu-rep --page source --csv --print-source sass > $R/i4-05-n1-sass.csv 2>&1
t timeout 170 /tmp/sparrow bench spmm $COMMON -n 8 --sparsity 0.5 0.9 --sweep-limit 2 \
  --json $R/plain-n8.json --markdown $R/plain-n8.md > $R/plain-n8.log 2>&1
cat $R/steps.txt
for f in $R/plain*.md $R/variants*.md; do echo "== $f"; grep -A8 "Geometric" $f | head -10; done
grep -E "Duration|DRAM Throughput|Achieved Occupancy|Registers Per|Issued Warp|No Eligible|L1/TEX Hit|Mem Busy|Max Bandwidth|Bank" $R/i4-05-n1.txt | head -20
xz -9 $R/*.json $R/*.csv
cd $OUT && tar -cJf call2.tar.xz call2 && rm -rf call2
