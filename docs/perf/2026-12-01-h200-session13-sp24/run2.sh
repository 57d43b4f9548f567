#!/bin/bash
# Session 13, call 2: the strip/slice skeleton (bitmap and 2:4 on one kernel body) with K splits
# over the grid: the self-test of both families (`--bitmap-only`), then the llm suite pruned 2:4 at
# n = 1, 8, 16, 64, fp16, cold: Sparrow's sp24 family (its own search plus named designs, split
# ones among them) against cuSPARSELt and cuBLAS in the same run.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
export SPARROW_CUSPARSELT=/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cusparselt/lib/libcusparseLt.so.0
D=.device-s13; R=/tmp/r2; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 240 /tmp/sparrow selftest --device gpu --bitmap-only > $R/selftest.txt 2>&1
grep -E "failed|passed," $R/selftest.txt | tail -12
cp $R/selftest.txt $OUT/
B="/tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6"
SKIP="sparrow-fp16 sparrow-bitmap-fp16 sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
X="sp24.s2.j8.n8.c4.p3 sp24.s2.j8.n8.c8.p2 sp24.s4.j4.n8.c4.p2 sp24.s4.j4.n8.c8.p2.z2 sp24.s8.j4.n8.c4.p2.z2 sp24.s1.j16.n8.c4.p2"
X="$X sp24.s4.j4.n16.c4.p3.z2 sp24.s8.j4.n16.c4.p2.z4 sp24.s8.j2.n16.c8.p2.z4 sp24.s4.j2.n16.c4.p3 sp24.s2.j4.n16.c4.p4 sp24.s8.j4.n16.c2.p3.z2"
X="$X sp24.s4.j2.n64.c4.p2 sp24.s8.j2.n64.c2.p2.z4 sp24.s8.j4.n64.c1.p2.z4 sp24.s4.j4.n64.c2.p2.z2"
t timeout 420 $B --suite llm --pattern 2:4 -n 1 8 16 64 --skip $SKIP --config $X --json $R/llm24.json --markdown $OUT/llm24.md > $R/llm24.log 2>&1
cp $R/llm24.json $OUT/ 2>/dev/null || cp $R/llm24.json.partial.jsonl $OUT/
tail -3 $R/llm24.log
cat $OUT/steps.txt
grep -A40 "^| problem" $OUT/llm24.md | cut -d'|' -f2,3,6,7,10,11,12,13 | head -20
grep -A5 "Geometric" $OUT/llm24.md
