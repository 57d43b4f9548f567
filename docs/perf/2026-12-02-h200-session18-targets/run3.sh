#!/bin/bash
# Session 18, call 3 (binary 3ebe777, as calls 1-2): the last problem of each llm run calls 1-2 left unfinished
# (14336x4096: llm 0.5 at n = 16, n = 512 at 0.7, n = 64 at 0.7), resumed from call 2's partial files, and llm
# at n = 64 for 0.5 (issue 12's 1.1x target). Same options; one archive back.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s18; R=$OUT/call3; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $R/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $R/steps.txt; }
SKIP="sparrow-simple-fp16 sparrow-sp24-fp16 cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
COMMON="--device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --skip $SKIP"
run() { local name=$1 limit=$2; shift 2
  t timeout $limit /tmp/sparrow bench spmm $COMMON "$@" --json $R/$name.json --markdown $R/$name.md > $R/$name.log 2>&1; }
run llm-0.5 80 --suite llm -n 1 8 16 --sparsity 0.5 --sweep-limit 6 --resume $D/llm-0.5.partial.jsonl
run llm-n512-0.7 80 --suite llm -n 512 --sparsity 0.7 --sweep-limit 6 --resume $D/llm-n512-0.7.partial.jsonl
run llm-n64-0.7 70 --suite llm -n 64 --sparsity 0.7 --sweep-limit 6 --resume $D/llm-n64-0.7.partial.jsonl
run llm-n64-0.5 150 --suite llm -n 64 --sparsity 0.5 --sweep-limit 6
cat $R/steps.txt
for f in $R/*.md; do echo "== $f"; grep -A6 "Geometric" $f | head -8; done
cd $OUT && tar -cJf call3.tar.xz call3 && rm -rf call3
