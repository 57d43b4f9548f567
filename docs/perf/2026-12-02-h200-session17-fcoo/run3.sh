#!/bin/bash
# Session 17, call 3 (binary 3ebe777, the final kernels and portfolio): the plain llm command a user runs on
# unstructured weights, fp16, cold, every Sparrow family's search and cuBLAS fp16 in the same run (cuSPARSE's four
# algorithms and the simple kernel skipped for time): 0.9 and 0.7 at n = 1, 8, 16.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s17; R=/tmp/r3; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
SKIP="sparrow-simple-fp16 sparrow-sp24-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
for s in 0.9 0.7; do
  t timeout 250 /tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6 \
    --suite llm -n 1 8 16 --sparsity $s --skip $SKIP --json $R/llm-$s.json --markdown $OUT/llm-$s.md > $R/llm-$s.log 2>&1
  cp $R/llm-$s.json $OUT/ 2>/dev/null || cp $R/llm-$s.json.partial.jsonl $OUT/
done
xz -9 $OUT/llm-*.json* 2>/dev/null
cat $OUT/steps.txt
for s in 0.9 0.7; do grep -A14 "^| problem" $OUT/llm-$s.md | cut -d'|' -f2,3,5,6,11,12 | head -15; grep -A5 "Geometric" $OUT/llm-$s.md | tail -2; done
