#!/bin/bash
# Session 17, call 4 (binary 3ebe777): the GPU self-test's quick pass over every family, then the plain llm command at
# n = 64 (0.9), fp16, cold, cuBLAS fp16 in the same run (cuSPARSE's four algorithms and the simple kernel skipped).
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s17; R=/tmp/r4; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 230 /tmp/sparrow selftest --device gpu --quick --json $R/selftest-quick.json > $OUT/selftest-quick.txt 2>&1
cp $R/selftest-quick.json $OUT/ 2>/dev/null; xz -9 $OUT/selftest-quick.json 2>/dev/null
tail -2 $OUT/selftest-quick.txt; grep -E "failed " $OUT/selftest-quick.txt | head -10
SKIP="sparrow-simple-fp16 sparrow-sp24-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
t timeout 200 /tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6 \
  --suite llm -n 64 --sparsity 0.9 --skip $SKIP --json $R/llm-n64.json --markdown $OUT/llm-n64.md > $R/llm-n64.log 2>&1
cp $R/llm-n64.json $OUT/ 2>/dev/null || cp $R/llm-n64.json.partial.jsonl $OUT/
xz -9 $OUT/llm-n64.json* 2>/dev/null
cat $OUT/steps.txt
grep -A6 "^| problem" $OUT/llm-n64.md | cut -d'|' -f2,3,5,6,7,11,12; grep -A4 "Geometric" $OUT/llm-n64.md | tail -1
