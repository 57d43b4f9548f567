#!/bin/bash
# Session 16, call 1: the fragment-COO family (scatter decode) on the GPU for the first time.
#  1. its self-test (with the bitmap and 2:4 families': --bitmap-only);
#  2. llm unstructured fp16 cold, n = 8 and 16 at 0.7 and 0.9: the bitmap family's search and the
#     fragment-COO family's search (its hand model's 6 plus six named designs, the bitmap portfolio's
#     shapes and neighbours) against cuBLAS fp16, in the same run.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s16; R=/tmp/r1; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 150 /tmp/sparrow selftest --device gpu --bitmap-only > $OUT/selftest.txt 2>&1
tail -5 $OUT/selftest.txt
grep -iE "fail" $OUT/selftest.txt | head -20
SKIP="sparrow-fp16 sparrow-simple-fp16 sparrow-sp24-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
CFG="fcoo.s2.j8.n16.c4.p3 fcoo.s1.j8.n16.c4.p3 fcoo.s2.j8.n8.c4.p3 fcoo.s1.j8.n8.c8.p2 fcoo.s1.j16.n16.c4.p2 fcoo.s4.j4.n16.c4.p2 fcoo.s2.j4.n16.c8.p3 fcoo.s1.j16.n8.c4.p2 fcoo.s4.j4.n8.c4.p2"
t timeout 400 /tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6 \
  --suite llm -n 8 16 --sparsity 0.9 0.7 --skip $SKIP --config $CFG --json $R/llm.json --markdown $OUT/llm.md > $R/llm.log 2>&1
cp $R/llm.json $OUT/ 2>/dev/null || cp $R/llm.json.partial.jsonl $OUT/
tail -3 $R/llm.log > $OUT/llm-log-tail.txt
xz -9 $OUT/llm.json* 2>/dev/null
cat $OUT/steps.txt
grep -A20 "^| problem" $OUT/llm.md | head -22
