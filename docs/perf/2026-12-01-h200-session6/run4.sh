#!/bin/bash
# Session 6, call 4 (main with the cold search): the llm suite, all four shapes, unstructured 0.5 0.7 0.9,
# n = 1 16, fp16, cold search and cold timing, cuBLAS in the same run.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s6; R=/tmp/r5; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
B="/tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6"
CS="sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3 cusparselt-fp16"
t timeout 480 $B --suite llm --sparsity 0.5 0.7 0.9 -n 1 16 --skip $CS --json $R/llm.json --markdown $OUT/llm.md > $R/llm.log 2>&1
cp $R/llm.json $OUT/ 2>/dev/null || cp $R/llm.json.partial.jsonl $OUT/
(cd $R && tar -czf $OUT/logs.tgz .)
cat $OUT/steps.txt; grep -A8 "Geometric" $OUT/llm.md
