#!/bin/bash
# Session 10, call 5: 2:4 weights, Sparrow (its own search; the compact family's double-buffered
# walk included) against cuSPARSELt and cuBLAS fp16, n = 1 and 16, four llm shapes, cold.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
export SPARROW_CUSPARSELT=/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cusparselt/lib/libcusparseLt.so.0
D=.device-s10; R=/tmp/r5; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
B="/tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6"
CS="sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
t timeout 300 $B --suite llm --pattern 2:4 -n 1 16 --skip $CS --json $R/llm24.json --markdown $OUT/llm24.md > $R/llm24.log 2>&1
cp $R/llm24.json $OUT/ 2>/dev/null || cp $R/llm24.json.partial.jsonl $OUT/
cp $R/llm24.log $OUT/
cat $OUT/steps.txt
grep -A8 "Geometric" $OUT/llm24.md
