#!/bin/bash
# Session 6, call 2 (merged main): issue 12's missing llm shapes (unstructured and 2:4, cold), DLMC
# rn50 fp16 n = 256, bert-base 0.8 / 0.95; issue 15's 1k runs and 32k d 128 window / dilated.
set -u
export PYTHONUNBUFFERED=1 SPARROW_SCRIPTS=$PWD/scripts SPARROW_ALLOW_FEW_ITERATIONS=1
export SPARROW_CUSPARSELT=/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cusparselt/lib/libcusparseLt.so.0
D=.device-s6; R=/tmp/r; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
B="/tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 3"
CS="sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
t timeout 170 $B --suite llm --filter mlp --sparsity 0.5 0.7 0.9 -n 1 16 --skip $CS cusparselt-fp16 \
  --json $R/llm-mlp.json --markdown $R/llm-mlp.md > $R/llm-mlp.log 2>&1
t timeout 90 $B --suite llm --filter mlp --pattern 2:4 -n 1 16 --skip $CS \
  --json $R/llm24-mlp.json --markdown $R/llm24-mlp.md > $R/llm24-mlp.log 2>&1
mkdir -p /tmp/data && tar -xJf $D/dlmc-rn50-magnitude.tar.xz -C /tmp/data 2>/dev/null
t timeout 80 $B --suite dlmc-rn50 --data /tmp/data --sparsity 0.9 0.95 -n 256 --sample 6 --skip $CS cusparselt-fp16 \
  --json $R/rn50-f16.json --markdown $R/rn50-f16.md > $R/rn50-f16.log 2>&1
t timeout 60 $B --suite bert-base --sparsity 0.8 0.95 -n 4096 --skip $CS cusparselt-fp16 \
  --json $R/bert-base.json --markdown $R/bert-base.md > $R/bert-base.log 2>&1
t timeout 120 /tmp/sparrow bench attention --pattern window:256 dilated:256:4 global:16+window:256 --seq 1024 \
  --head-dim 64 128 --dtype f16 --iterations 10 --top-k 3 --json $R/attn-1k.json --markdown $R/attn-1k.md > $R/attn-1k.log 2>&1
t timeout 60 /tmp/sparrow bench attention --pattern window:256 dilated:256:4 --seq 32768 \
  --head-dim 128 --dtype f16 --iterations 10 --top-k 3 --json $R/attn-32k.json --markdown $R/attn-32k.md > $R/attn-32k.log 2>&1
cp $R/*.md $OUT/ 2>/dev/null
(cd $R && tar -czf $OUT/logs.tgz .)
cat $OUT/steps.txt
