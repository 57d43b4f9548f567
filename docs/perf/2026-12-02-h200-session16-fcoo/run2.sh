#!/bin/bash
# Session 16, call 2 (binary f500f7d): the bitmap and fragment-COO slots sized by W's fullest 16 x 16 block
# instead of 256 entries a block (so more blocks fit an SM and deeper rings fit), the fragment-COO ring up to 6.
#  1. self-test of the tensor-core families (--bitmap-only);
#  2. llm unstructured fp16 cold, n = 8 and 16 at 0.9 and 0.7, bitmap and fragment-COO family searches with the
#     call-1 winners and deeper / larger-chunk designs named, cuBLAS fp16 in the same run;
#  3. ncu (one launch) of fcoo.s2.j8.n16.c4.p3 and fcoo.s2.j8.n16.c4.p6 on 4096x4096 at 0.9, n = 16.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s16; R=/tmp/r2; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 150 /tmp/sparrow selftest --device gpu --bitmap-only > $OUT/selftest.txt 2>&1
tail -2 $OUT/selftest.txt
grep -E "failed " $OUT/selftest.txt | head -10
SKIP="sparrow-fp16 sparrow-simple-fp16 sparrow-sp24-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
CFG="fcoo.s2.j8.n16.c4.p3 fcoo.s2.j8.n8.c4.p3 fcoo.s1.j16.n8.c4.p2 fcoo.s1.j16.n16.c4.p2 fcoo.s4.j2.n16.c4.p3
 fcoo.s2.j8.n16.c4.p6 fcoo.s2.j8.n8.c4.p6 fcoo.s1.j16.n8.c4.p6 fcoo.s1.j16.n16.c4.p6 fcoo.s2.j8.n16.c8.p4 fcoo.s2.j8.n8.c8.p4
 fcoo.s4.j4.n16.c4.p6 fcoo.s2.j4.n16.c8.p6 fcoo.s1.j8.n8.c8.p6 fcoo.s4.j2.n16.c8.p6
 bitmap.s2.j8.n16.c8.p4 bitmap.s2.j8.n8.c8.p4 bitmap.s1.j16.n8.c8.p4 bitmap.s1.j16.n16.c8.p4 bitmap.s4.j4.n16.c8.p4"
t timeout 330 /tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6 \
  --suite llm -n 8 16 --sparsity 0.9 0.7 --skip $SKIP --config $CFG --json $R/llm.json --markdown $OUT/llm.md > $R/llm.log 2>&1
cp $R/llm.json $OUT/ 2>/dev/null || cp $R/llm.json.partial.jsonl $OUT/
tail -3 $R/llm.log > $OUT/llm-log-tail.txt
xz -9 $OUT/llm.json* 2>/dev/null
S="--section SpeedOfLight --section MemoryWorkloadAnalysis --section WarpStateStats --section SchedulerStats --section Occupancy --section LaunchStats"
prof() { # name config
  t timeout 60 ncu -k regex:sparrow_spmm_f16_$(echo $2 | tr . _) -c 1 $S -o $R/$1 \
    /tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 3 --warmup 1 --no-tuned --no-specialise --suite llm \
    --filter attn-4096x4096 -n 16 --sweep-limit 1 --sparsity 0.9 --config $2 \
    --skip sparrow-simple-fp16 sparrow-bitmap-fp16 sparrow-sp24-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3 cusparselt-fp16 cublas-fp16 > $R/$1.log 2>&1
  ncu --import $R/$1.ncu-rep --page details > $OUT/$1.txt 2>&1
}
prof fcoo-p3 fcoo.s2.j8.n16.c4.p3
prof fcoo-p6 fcoo.s2.j8.n16.c4.p6
cat $OUT/steps.txt
for f in $OUT/fcoo-p*.txt; do echo "== $f"; grep -E "Duration|DRAM Throughput|Achieved Occupancy|Theoretical Occupancy|Issued Warp|No Eligible|Block Limit Shared|Dynamic Shared" $f | head -12; done
grep -A20 "^| problem" $OUT/llm.md | cut -d'|' -f2,3,5,6,7,11,12 | head -20
