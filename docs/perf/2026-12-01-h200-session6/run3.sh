#!/bin/bash
# Session 6, call 3: ncu of the n = 1 decoding kernels on llm mlp-up 11008x4096 (why 0.2-0.3 of the
# byte bound): the delta4 compact kernel at 0.9, the csr16 compact kernel at 0.9, the bitmap kernel at 0.5.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s6; R=/tmp/r3; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
B="/tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 3 --warmup 1 --no-tuned --no-specialise --suite llm --filter mlp-up-11008x4096 -n 1 --sweep-limit 1"
SK="--skip sparrow-simple-fp16 sparrow-bitmap-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3 cusparselt-fp16"
S="--section SpeedOfLight --section MemoryWorkloadAnalysis --section WarpStateStats --section SchedulerStats --section Occupancy --section LaunchStats"
prof() { # name config sparsity
  t timeout 90 ncu -k regex:sparrow_spmm_f16_$(echo $2 | tr . _) -c 1 $S -o $R/$1 $B --sparsity $3 --config $2 $SK > $R/$1.log 2>&1
  ncu --import $R/$1.ncu-rep --page details > $OUT/$1.txt 2>&1
}
prof delta4-09 compact.i4.w16.v8.u1.s1.b2.k4096 0.9
prof csr16-09 compact.i16.w16.v8.u2.s1.b2.k4096 0.9
prof bitmap-05 bitmap.s1.j8.n8.c8.p2 0.5
(cd $R && tar -czf $OUT/logs.tgz *.log)
cat $OUT/steps.txt
for f in $OUT/*.txt; do echo "== $f"; grep -E "Duration|DRAM Throughput|Memory Throughput|Achieved Occupancy|Theoretical Occupancy|Registers Per|Stall Long|Issued Warp|No Eligible|Block Limit" $f | head -14; done
