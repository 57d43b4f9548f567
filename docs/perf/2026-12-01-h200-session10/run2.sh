#!/bin/bash
# Session 10, call 2: instruction-level ncu profiles (SourceCounters: stall samples per SASS
# instruction) of the two decoding kernels that bound issue 12: CSR16 compact at 0.9, n = 1, on
# llm mlp-up 11008x4096, and the bitmap kernel at 0.7, n = 16, on attn 4096x4096.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s10; R=/tmp/r2; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
SK="--skip sparrow-simple-fp16 sparrow-bitmap-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3 cusparselt-fp16 cublas-fp16"
S="--section SpeedOfLight --section MemoryWorkloadAnalysis --section WarpStateStats --section SchedulerStats --section Occupancy --section LaunchStats --section SourceCounters --import-source yes"
prof() { # name config sparsity filter n skip
  t timeout 120 ncu -k regex:sparrow_spmm_f16_$(echo $2 | tr . _) -c 1 $S -o $R/$1 \
    /tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 3 --warmup 1 --no-tuned --no-specialise --suite llm \
    --filter $4 -n $5 --sweep-limit 1 --sparsity $3 --config $2 $6 > $R/$1.log 2>&1
  ncu --import $R/$1.ncu-rep --page details > $OUT/$1.txt 2>&1
  ncu --import $R/$1.ncu-rep --page source --csv --print-source sass > $R/$1-sass.csv 2>&1
  xz -k $R/$1-sass.csv && cp $R/$1-sass.csv.xz $OUT/
}
prof csr16-09-n1 compact.i16.w16.v8.u2.s1.b2.k16384 0.9 mlp-up-11008x4096 1 "$SK"
prof bitmap-07-n16 bitmap.s2.j8.n16.c4.p3 0.7 attn-4096x4096 16 "--skip sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3 cusparselt-fp16 cublas-fp16"
(cd $R && tar -czf $OUT/logs.tgz *.log)
cat $OUT/steps.txt
for f in $OUT/*.txt; do echo "== $f"; grep -E "Duration|DRAM Throughput|Memory Throughput|Achieved Occupancy|Registers Per|Issued Warp|No Eligible|Block Limit" $f | head -10; done
ls -la $OUT
