#!/bin/bash
# Session 18, call 2 (binary 3ebe777, as call 1): what call 1 lost or did not finish, with the same options:
#   DLMC rn50 fp16 n = 256 at 0.9 / 0.95 (call 1's table came back without its files: the device returns at most
#   8 files, so this call returns one archive), the rest of llm 0.5 at n = 1, 8, 16 and of llm n = 512 at 0.7
#   (resumed from call 1's partial files), and llm at n = 64 for 0.7 (issue 12's 1.6x target; 0.9 was session 17's call 4).
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s18; R=$OUT/call2; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
mkdir -p /tmp/data && tar -xJf $D/dlmc-rn50-0.9-0.95.tar.xz -C /tmp/data 2>/dev/null
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $R/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $R/steps.txt; }
SKIP="sparrow-simple-fp16 sparrow-sp24-fp16 cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
COMMON="--device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --skip $SKIP"
run() { local name=$1 limit=$2; shift 2
  t timeout $limit /tmp/sparrow bench spmm $COMMON "$@" --json $R/$name.json --markdown $R/$name.md > $R/$name.log 2>&1; }
run rn50-n256 100 --suite dlmc-rn50 --data /tmp/data -n 256 --sparsity 0.9 0.95 --sample 8 --sweep-limit 6
run llm-0.5 150 --suite llm -n 1 8 16 --sparsity 0.5 --sweep-limit 6 --resume $D/llm-0.5.partial.jsonl
run llm-n512-0.7 110 --suite llm -n 512 --sparsity 0.7 --sweep-limit 6 --resume $D/llm-n512-0.7.partial.jsonl
run llm-n64-0.7 100 --suite llm -n 64 --sparsity 0.7 --sweep-limit 6
cat $R/steps.txt
for f in $R/*.md; do echo "== $f"; grep -A6 "Geometric" $f | head -8; done
cd $OUT && tar -cJf call2.tar.xz call2 && rm -rf call2
