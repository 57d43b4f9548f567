#!/bin/bash
# Session 13, call 3: X staged unpadded with a swizzle (both strip/slice families): the self-test
# of both families (`--bitmap-only`); the llm suite pruned 2:4 at n = 1, 8, 16, 64 (sp24 against
# cuSPARSELt and cuBLAS, same run, cold); then unstructured llm at n = 16 (0.5 / 0.7 / 0.9), the
# bitmap family (its search plus K-split designs) against cuBLAS, cold.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
export SPARROW_CUSPARSELT=/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cusparselt/lib/libcusparseLt.so.0
D=.device-s13; R=/tmp/r3; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 240 /tmp/sparrow selftest --device gpu --bitmap-only > $R/selftest.txt 2>&1
grep -E "failed|passed," $R/selftest.txt | tail -12
cp $R/selftest.txt $OUT/
B="/tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6"
SKIP="sparrow-fp16 sparrow-bitmap-fp16 sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
X="sp24.s2.j8.n8.c4.p3 sp24.s2.j4.n8.c8.p4 sp24.s8.j2.n8.c4.p4 sp24.s1.j16.n8.c4.p2"
X="$X sp24.s2.j8.n16.c4.p3 sp24.s2.j4.n16.c4.p4 sp24.s8.j2.n16.c4.p4 sp24.s8.j4.n16.c4.p3.z4 sp24.s4.j4.n16.c4.p4.z2 sp24.s4.j8.n16.c2.p4"
X="$X sp24.s4.j2.n64.c4.p3 sp24.s8.j2.n64.c4.p3 sp24.s8.j2.n64.c2.p4.z4 sp24.s4.j4.n64.c2.p3.z2 sp24.s4.j2.n16.c4.p4"
t timeout 330 $B --suite llm --pattern 2:4 -n 1 8 16 64 --skip $SKIP --config $X --json $R/llm24.json --markdown $OUT/llm24.md > $R/llm24.log 2>&1
cp $R/llm24.json $OUT/ 2>/dev/null || cp $R/llm24.json.partial.jsonl $OUT/
grep -A20 "^| problem" $OUT/llm24.md | cut -d'|' -f2,3,6,10,11,12,13 | head -20
grep -A4 "Geometric" $OUT/llm24.md
SKIPU="sparrow-fp16 sparrow-sp24-fp16 sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3 cusparselt-fp16"
XU="bitmap.s2.j8.n16.c4.p3 bitmap.s4.j4.n16.c4.p3.z2 bitmap.s4.j8.n16.c4.p2.z2 bitmap.s4.j4.n16.c8.p2.z4 bitmap.s2.j8.n16.c4.p4"
t timeout 200 $B --suite llm --sparsity 0.5 0.7 0.9 -n 16 --skip $SKIPU --config $XU --json $R/llm16.json --markdown $OUT/llm16.md > $R/llm16.log 2>&1
cp $R/llm16.json $OUT/ 2>/dev/null || cp $R/llm16.json.partial.jsonl $OUT/
grep -A14 "^| problem" $OUT/llm16.md | cut -d'|' -f2,3,5,6,10,11 | head -14
grep -A4 "Geometric" $OUT/llm16.md
cat $OUT/steps.txt
