#!/bin/bash
# Session 15, call 8: the plain 2:4 command at n = 64 on the four llm shapes (binary dd0bde1), fp16, cold, with
# cuSPARSELt and cuBLAS in the same run.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
export SPARROW_CUSPARSELT=/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cusparselt/lib/libcusparseLt.so.0
D=.device-s15; R=/tmp/r8; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
SKIP="sparrow-fp16 sparrow-bitmap-fp16 sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
t timeout 150 /tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6 \
  --suite llm --pattern 2:4 -n 64 --skip $SKIP --json $R/llm24-n64.json --markdown $OUT/llm24-n64.md > $R/llm24-n64.log 2>&1
cp $R/llm24-n64.json $OUT/ 2>/dev/null || cp $R/llm24-n64.json.partial.jsonl $OUT/
xz -9 $OUT/llm24-n64.json* 2>/dev/null
cat $OUT/steps.txt
grep -A6 "^| problem" $OUT/llm24-n64.md | cut -d'|' -f2,3,6,7,10,11,12,13
grep -A5 "Geometric" $OUT/llm24-n64.md
