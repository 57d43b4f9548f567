#!/bin/bash
# Session 20, call 3: the README's decoding command at n = 1 resumed from call 2's partial report (call 2's timeout ended it
# after 11 of 12 problems; the twelfth, 14336 x 4096 at 0.9, timed here), and n = 16 at 0.5 and 0.9 with the default search.
# Same binary as call 2. One archive back.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s20; R=$OUT/call3; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $R/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $R/steps.txt; }
SKIP="sparrow-simple-fp16 sparrow-sp24-fp16 cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
COMMON="--device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --skip $SKIP --suite llm"
cp docs/perf/2026-12-02-h200-session20-swar/call2/plain-n1.json.partial.jsonl /tmp/partial.jsonl
t timeout 150 /tmp/sparrow bench spmm $COMMON -n 1 --sparsity 0.5 0.7 0.9 --sweep-limit 6 --resume /tmp/partial.jsonl \
  --json $R/plain-n1.json --markdown $R/plain-n1.md > $R/plain-n1.log 2>&1
t timeout 200 /tmp/sparrow bench spmm $COMMON -n 16 --sparsity 0.5 0.9 --sweep-limit 2 \
  --json $R/plain-n16.json --markdown $R/plain-n16.md > $R/plain-n16.log 2>&1
cat $R/steps.txt
for f in $R/plain*.md; do echo "== $f"; grep -A8 "Geometric" $f | head -10; done
xz -9 $R/*.json
cd $OUT && tar -cJf call3.tar.xz call3 && rm -rf call3
