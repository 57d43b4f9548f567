#!/bin/bash
# Session 17, call 2 (binary of "8 strips a block and 8 K splits"): occupancy. llm unstructured fp16 cold, n = 8 and
# 16 at 0.9, the fragment-COO family search plus named designs: call 1's winners and designs of 8 strips / 8 splits
# that fit 2-4 blocks an SM; cuBLAS fp16 in the same run. Then ncu of call 1's winner and one new design.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s17; R=/tmp/r2; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
SKIP="sparrow-fp16 sparrow-simple-fp16 sparrow-bitmap-fp16 sparrow-sp24-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
CFG="fcoo.s2.j8.n16.c16.p2 fcoo.s2.j8.n8.c16.p3 fcoo.s1.j16.n8.c4.p2 fcoo.s4.j4.n16.c16.p2 fcoo.s4.j8.n8.c8.p3
 fcoo.s8.j2.n16.c8.p3.z8 fcoo.s8.j2.n16.c4.p3.z8 fcoo.s8.j1.n16.c16.p2.z4 fcoo.s8.j1.n16.c8.p3.z4 fcoo.s4.j2.n16.c8.p2.z8
 fcoo.s4.j2.n16.c4.p4.z8 fcoo.s4.j4.n16.c4.p3.z4 fcoo.s8.j2.n16.c8.p3.z4 fcoo.s8.j1.n16.c8.p3.z2 fcoo.s8.j2.n16.c16.p2.z8
 fcoo.s8.j2.n8.c8.p3.z8 fcoo.s8.j1.n8.c16.p2.z4 fcoo.s8.j1.n8.c8.p3.z4 fcoo.s4.j2.n8.c8.p3.z8 fcoo.s8.j2.n8.c16.p2.z8 fcoo.s4.j4.n8.c8.p3.z4"
t timeout 330 /tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6 \
  --suite llm -n 8 16 --sparsity 0.9 --skip $SKIP --config $CFG --json $R/llm.json --markdown $OUT/llm.md > $R/llm.log 2>&1
cp $R/llm.json $OUT/ 2>/dev/null || cp $R/llm.json.partial.jsonl $OUT/
tail -3 $R/llm.log > $OUT/llm-log-tail.txt
xz -9 $OUT/llm.json* 2>/dev/null
S="--section SpeedOfLight --section WarpStateStats --section SchedulerStats --section Occupancy --section LaunchStats"
prof() { # name config filter
  t timeout 60 ncu -k regex:sparrow_spmm_f16_$(echo $2 | tr . _) -c 1 $S -o $R/$1 \
    /tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 3 --warmup 1 --no-tuned --no-specialise --suite llm \
    --filter $3 -n 16 --sweep-limit 1 --sparsity 0.9 --config $2 \
    --skip sparrow-simple-fp16 sparrow-bitmap-fp16 sparrow-sp24-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3 cusparselt-fp16 cublas-fp16 > $R/$1.log 2>&1
  ncu --import $R/$1.ncu-rep --page details > $OUT/$1.txt 2>&1
}
prof c16 fcoo.s2.j8.n16.c16.p2 mlp-up-11008
prof s8 fcoo.s8.j2.n16.c8.p3.z8 mlp-up-11008
cat $OUT/steps.txt
for f in $OUT/c16.txt $OUT/s8.txt; do echo "== $f"; grep -E "Duration|Issued Warp|Eligible Warps|Achieved Occupancy|Theoretical Occupancy|Registers Per|Block Limit (Reg|Shared)|Warp Cycles Per Issued" $f | head -12; done
