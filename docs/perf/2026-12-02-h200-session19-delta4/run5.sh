#!/bin/bash
# Session 19, call 5: the plain command (no named configs) after the portfolio change, n = 1 at 0.5, 0.7, 0.9, as the
# README quotes it. One archive back.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s19; R=$OUT/call5; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $R/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $R/steps.txt; }
SKIP="sparrow-simple-fp16 sparrow-sp24-fp16 cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
t timeout 330 /tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --skip $SKIP \
  --suite llm -n 1 --sparsity 0.5 0.7 0.9 --sweep-limit 6 --json $R/llm-n1.json --markdown $R/llm-n1.md > $R/llm-n1.log 2>&1
cat $R/steps.txt
grep -A8 "Geometric" $R/llm-n1.md | head -10
cd $OUT && tar -cJf call5.tar.xz call5 && rm -rf call5
