#!/bin/bash
# Session 17, call 1 (binary bc9764d): the fragment-COO kernel with two fragments a warp (chunks up to 16), the
# predicated first scatter round, the skeleton's lighter X tile copy.
#  1. self-test of the tensor-core families (--bitmap-only);
#  2. llm unstructured fp16 cold, n = 8 and 16 at 0.9, the fragment-COO family search plus named designs
#     (session 16's winners at chunks 4 and 8, and chunk-16 designs), cuBLAS fp16 in the same run.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s17; R=/tmp/r1; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 170 /tmp/sparrow selftest --device gpu --bitmap-only > $OUT/selftest.txt 2>&1
tail -2 $OUT/selftest.txt
grep -E "failed " $OUT/selftest.txt | head -10
SKIP="sparrow-fp16 sparrow-simple-fp16 sparrow-bitmap-fp16 sparrow-sp24-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
CFG="fcoo.s2.j8.n16.c4.p3 fcoo.s2.j8.n16.c4.p6 fcoo.s4.j2.n16.c8.p4 fcoo.s2.j8.n16.c8.p2 fcoo.s1.j16.n8.c4.p2 fcoo.s2.j8.n8.c8.p4
 fcoo.s4.j2.n16.c8.p4.z4 fcoo.s1.j16.n8.c16.p2 fcoo.s2.j8.n8.c16.p2 fcoo.s2.j8.n16.c16.p2 fcoo.s4.j2.n16.c16.p3 fcoo.s4.j2.n16.c16.p4
 fcoo.s2.j4.n16.c16.p3 fcoo.s1.j8.n16.c16.p3 fcoo.s4.j2.n16.c16.p2.z4 fcoo.s4.j4.n16.c16.p2 fcoo.s2.j8.n16.c16.p3"
t timeout 330 /tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6 \
  --suite llm -n 8 16 --sparsity 0.9 --skip $SKIP --config $CFG --json $R/llm.json --markdown $OUT/llm.md > $R/llm.log 2>&1
cp $R/llm.json $OUT/ 2>/dev/null || cp $R/llm.json.partial.jsonl $OUT/
tail -3 $R/llm.log > $OUT/llm-log-tail.txt
xz -9 $OUT/llm.json* 2>/dev/null
cat $OUT/steps.txt
grep -A20 "^| problem" $OUT/llm.md | cut -d'|' -f2,3,5,6,7,11,12 | head -20
