#!/bin/bash
# Session 21, call 7 (issue 12, the tuner change 7ddfe63): the README's decoding command at n = 1 with the measured
# portfolio listing each compact kernel once (at K = 4096 the delta4 leader is named k4096 and the third portfolio
# place goes to another design); cold caches (the llm suite's default), cuBLAS fp16 in the same run, the flags of
# session 20's run of the same command. One archive back.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s21; R=$OUT/call7; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $R/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $R/steps.txt; }
SKIP="sparrow-simple-fp16 sparrow-sp24-fp16 cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
COMMON="--device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --skip $SKIP --suite llm"
t timeout 290 /tmp/sparrow bench spmm $COMMON -n 1 --sparsity 0.5 0.7 0.9 --sweep-limit 6 \
  --json $R/plain-n1.json --markdown $R/plain-n1.md > $R/plain-n1.log 2>&1
cat $R/steps.txt
for f in $R/plain*.md; do echo "== $f"; grep -A8 "Geometric" $f | head -10; done
xz -9 $R/*.json
cd $OUT && tar -cJf call7.tar.xz call7 && rm -rf call7
