#!/bin/bash
# Session 16, call 5 (binary 8b96ed3, the final kernels): the plain llm command a user runs on unstructured weights
# at 0.9, n = 1, 8, 16, fp16, cold, every Sparrow family's search and cuBLAS fp16 in the same run (cuSPARSE's four
# algorithms and the simple kernel skipped for time).
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s16; R=/tmp/r5; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
SKIP="sparrow-simple-fp16 sparrow-sp24-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
t timeout 200 /tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6 \
  --suite llm -n 1 8 16 --sparsity 0.9 --skip $SKIP --json $R/llm.json --markdown $OUT/llm.md > $R/llm.log 2>&1
cp $R/llm.json $OUT/ 2>/dev/null || cp $R/llm.json.partial.jsonl $OUT/
xz -9 $OUT/llm.json* 2>/dev/null
cat $OUT/steps.txt
grep -A14 "^| problem" $OUT/llm.md | cut -d'|' -f2,3,6,7,11,12 | head -15
grep -A5 "Geometric" $OUT/llm.md
