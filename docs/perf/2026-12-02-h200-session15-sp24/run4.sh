#!/bin/bash
# Session 15, call 7: the plain command a user runs on 2:4 weights (no --config) at n = 1, 8, 16 on the four llm
# shapes, fp16, cold, against cuSPARSELt and cuBLAS in the same run (binary dd0bde1: the narrower ring barrier and
# the 2:4 portfolio's three new winners).
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
export SPARROW_CUSPARSELT=/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cusparselt/lib/libcusparseLt.so.0
D=.device-s15; R=/tmp/r7; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
SKIP="sparrow-fp16 sparrow-bitmap-fp16 sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
t timeout 330 /tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6 \
  --suite llm --pattern 2:4 -n 1 8 16 --skip $SKIP --json $R/llm24.json --markdown $OUT/llm24.md > $R/llm24.log 2>&1
cp $R/llm24.json $OUT/ 2>/dev/null || cp $R/llm24.json.partial.jsonl $OUT/
xz -9 $OUT/llm24.json* 2>/dev/null
cat $OUT/steps.txt
grep -A14 "^| problem" $OUT/llm24.md | cut -d'|' -f2,3,6,7,10,11,12,13 | head -16
grep -A5 "Geometric" $OUT/llm24.md
