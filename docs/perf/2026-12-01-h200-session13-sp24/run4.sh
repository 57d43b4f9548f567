#!/bin/bash
# Session 13, call 4: m = 1 reads X pairs as words (both strip/slice families): the self-test of
# both families (`--bitmap-only`); the llm suite pruned 2:4 at n = 1 and 8 (sp24 against cuSPARSELt
# and cuBLAS, same run, cold); unstructured llm at 0.5, n = 1: Sparrow's whole search and the bitmap
# family's against cuBLAS, cold.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
export SPARROW_CUSPARSELT=/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cusparselt/lib/libcusparseLt.so.0
D=.device-s13; R=/tmp/r4; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 240 /tmp/sparrow selftest --device gpu --bitmap-only > $R/selftest.txt 2>&1
grep -E "failed|passed," $R/selftest.txt | tail -12
cp $R/selftest.txt $OUT/
B="/tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6"
SKIP="sparrow-fp16 sparrow-bitmap-fp16 sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
X="sp24.s2.j8.n8.c4.p3 sp24.s2.j4.n8.c8.p3 sp24.s8.j2.n8.c4.p4 sp24.s1.j16.n8.c4.p2 sp24.s4.j4.n8.c8.p2 sp24.s8.j2.n8.c4.p3"
t timeout 200 $B --suite llm --pattern 2:4 -n 1 8 --skip $SKIP --config $X --json $R/llm24.json --markdown $OUT/llm24.md > $R/llm24.log 2>&1
cp $R/llm24.json $OUT/ 2>/dev/null || cp $R/llm24.json.partial.jsonl $OUT/
grep -A10 "^| problem" $OUT/llm24.md | cut -d'|' -f2,3,6,10,11,12,13 | head -10
grep -A4 "Geometric" $OUT/llm24.md
SKIPU="sparrow-sp24-fp16 sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3 cusparselt-fp16"
t timeout 200 $B --suite llm --sparsity 0.5 -n 1 --skip $SKIPU --json $R/llm1.json --markdown $OUT/llm1.md > $R/llm1.log 2>&1
cp $R/llm1.json $OUT/ 2>/dev/null || cp $R/llm1.json.partial.jsonl $OUT/
grep -A6 "^| problem" $OUT/llm1.md | head -6
grep -A4 "Geometric" $OUT/llm1.md
cat $OUT/steps.txt
