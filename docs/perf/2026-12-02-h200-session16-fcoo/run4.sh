#!/bin/bash
# Session 16, call 4 (binary with the fragment-COO copy loops rolled: 54 registers where call 2's took 78):
#  1. self-test of the tensor-core families (--bitmap-only);
#  2. llm unstructured fp16 cold, n = 8 and 16 at 0.9 and 0.7, the bitmap family (unchanged since call 2: the
#     control for run-to-run drift) and the fragment-COO family with call 2's winners named, cuBLAS fp16 in the
#     same run: an A/B against call 2 config by config.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s16; R=/tmp/r4; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 150 /tmp/sparrow selftest --device gpu --bitmap-only > $OUT/selftest.txt 2>&1
tail -2 $OUT/selftest.txt
grep -E "failed " $OUT/selftest.txt | head -10
SKIP="sparrow-fp16 sparrow-simple-fp16 sparrow-sp24-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
CFG="fcoo.s2.j8.n16.c4.p3 fcoo.s2.j8.n16.c4.p6 fcoo.s2.j8.n16.c8.p2 fcoo.s4.j2.n16.c8.p4 fcoo.s4.j2.n16.c8.p2 fcoo.s4.j8.n16.c4.p4
 fcoo.s1.j16.n8.c4.p2 fcoo.s2.j8.n8.c8.p4 fcoo.s2.j16.n8.c4.p4 fcoo.s2.j8.n8.c4.p3 bitmap.s2.j8.n16.c8.p4 bitmap.s2.j8.n8.c8.p4"
t timeout 300 /tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6 \
  --suite llm -n 8 16 --sparsity 0.9 0.7 --skip $SKIP --config $CFG --json $R/llm.json --markdown $OUT/llm.md > $R/llm.log 2>&1
cp $R/llm.json $OUT/ 2>/dev/null || cp $R/llm.json.partial.jsonl $OUT/
xz -9 $OUT/llm.json* 2>/dev/null
cat $OUT/steps.txt
grep -A20 "^| problem" $OUT/llm.md | cut -d'|' -f2,3,5,6,7,11,12 | head -20
