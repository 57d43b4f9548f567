#!/bin/bash
# Session 19, call 3: why the double-buffered compact walks take the same time in both formats at 0.5, n = 1 (delta4
# reads 37% fewer bytes): ncu (one launch each, caches flushed by ncu, instruction-level stall sampling) of
# compact.i4.w16.v8.u1.s1.b2.k16384.db1 and compact.i16.w16.v8.u1.s1.b2.k16384.db1 on llm mlp-up 14336x4096 at 0.5.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s19; R=/tmp/r3; mkdir -p $R $OUT/call3
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/call3/steps.txt; }
SK="--skip sparrow-simple-fp16 sparrow-bitmap-fp16 sparrow-fcoo-fp16 sparrow-sp24-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3 cusparselt-fp16 cublas-fp16"
S="--section SpeedOfLight --section MemoryWorkloadAnalysis --section WarpStateStats --section SchedulerStats --section Occupancy --section LaunchStats --section SourceCounters --import-source yes"
prof() { # name config sparsity filter n
  t timeout 150 ncu -k regex:sparrow_spmm_f16_$(echo $2 | tr . _) -c 1 $S -o $R/$1 \
    /tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 3 --warmup 1 --no-tuned --no-specialise --suite llm \
    --filter $4 -n $5 --sweep-limit 1 --sparsity $3 --config $2 $SK > $R/$1.log 2>&1
  ncu --import $R/$1.ncu-rep --page details > $OUT/call3/$1.txt 2>&1
  ncu --import $R/$1.ncu-rep --page source --csv --print-source sass > $OUT/call3/$1-sass.csv 2>&1
}
prof i4-05-n1 compact.i4.w16.v8.u1.s1.b2.k16384.db1 0.5 mlp-up-14336x4096 1
prof i16-05-n1 compact.i16.w16.v8.u1.s1.b2.k16384.db1 0.5 mlp-up-14336x4096 1
cp $R/*.log $OUT/call3/
cat $OUT/call3/steps.txt
for f in $OUT/call3/*.txt; do echo "== $f"; grep -E "Duration|DRAM Throughput|Memory Throughput|Achieved Occupancy|Registers Per|Issued Warp|No Eligible|Block Limit|L1/TEX Hit|L2 Hit|Mem Busy|Max Bandwidth" $f | head -16; done
cd $OUT && tar -cJf call3.tar.xz call3 && rm -rf call3
