#!/bin/bash
# Session 18, call 1 (binary 3ebe777: its sources differ from aedbe45 in Swift comments only): issue 12's targets that session 17 left unmeasured with the current families, each the
# plain command a user runs (fp16, the default search over 16 configs, --no-specialise, cuBLAS fp16 and
# cuSPARSE's default algorithm in the same run; llm and bert-base timed cold, DLMC as the suite does):
#   llm n = 512 at 0.7 (target >= 1x cuBLAS), bert-base n = 4096 at 0.8 / 0.9 / 0.95 (target 1.2x at 0.9),
#   DLMC rn50 fp16 n = 256 at 0.9 / 0.95 (target >= 1x cuBLAS fp16 from 0.9), llm 0.5 at n = 1, 8, 16.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s18; R=/tmp/r1; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
mkdir -p /tmp/data && tar -xJf $D/dlmc-rn50-0.9-0.95.tar.xz -C /tmp/data 2>/dev/null
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
SKIP="sparrow-simple-fp16 sparrow-sp24-fp16 cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
COMMON="--device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --skip $SKIP"
run() { local name=$1 limit=$2; shift 2
  t timeout $limit /tmp/sparrow bench spmm $COMMON "$@" --json $R/$name.json --markdown $OUT/$name.md > $OUT/$name.log 2>&1
  cp $R/$name.json $OUT/ 2>/dev/null || cp $R/$name.json.partial.jsonl $OUT/ 2>/dev/null; }
run llm-n512-0.7 110 --suite llm -n 512 --sparsity 0.7 --sweep-limit 6
run bert-n4096 130 --suite bert-base -n 4096 --sparsity 0.8 0.9 0.95 --sweep-limit 6
run rn50-n256 90 --suite dlmc-rn50 --data /tmp/data -n 256 --sparsity 0.9 0.95 --sample 6 --sweep-limit 6
run llm-0.5 200 --suite llm -n 1 8 16 --sparsity 0.5 --sweep-limit 6
xz -9 $OUT/*.json* 2>/dev/null
cat $OUT/steps.txt
for f in $OUT/*.md; do echo "== $f"; grep -A6 "Geometric" $f | head -8; done
