#!/bin/bash
# Session 20, call 4: the decoding command in bf16 (n = 1 at 0.5, 0.7, 0.9), same binary as calls 2-3. One archive back.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s20; R=$OUT/call4; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $R/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $R/steps.txt; }
SKIP="sparrow-simple-bf16 sparrow-sp24-bf16 cusparse-bf16-alg1 cusparse-bf16-alg2 cusparse-bf16-alg3"
t timeout 300 /tmp/sparrow bench spmm --device gpu --dtype bf16 --iterations 10 --warmup 2 --no-tuned --no-specialise --skip $SKIP \
  --suite llm -n 1 --sparsity 0.5 0.7 0.9 --sweep-limit 6 --json $R/plain-n1-bf16.json --markdown $R/plain-n1-bf16.md > $R/plain-n1-bf16.log 2>&1
cat $R/steps.txt
grep -A8 "Geometric" $R/plain-n1-bf16.md | head -10
xz -9 $R/*.json
cd $OUT && tar -cJf call4.tar.xz call4 && rm -rf call4
