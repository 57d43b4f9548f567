#!/bin/bash
# Issue 12, call 2: ncu stall breakdown of call 1's profile; bert-base n = 4096 fp16 at 0.9; llm
# 4096x4096 n = 512 at 0.7 (cold); llm 4096x4096 2:4 n = 64 against cuSPARSELt (cold).
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
export SPARROW_CUSPARSELT=/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cusparselt/lib/libcusparseLt.so.0
D=.device-sparselt; R=/tmp/r; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
{ date -u; /tmp/sparrow --version; } > $OUT/machine.txt 2>&1
ncu --import $D/bitmap-ncu.ncu-rep --page raw 2>&1 | grep -E "stalled|issue_active|warps_active|dram__|lts__t_sector_hit" > $OUT/ncu-raw.txt
B="/tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 2"
CS="sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
t timeout 35 $B --suite bert-base --sparsity 0.9 -n 4096 --skip $CS --json $R/bert.json > $R/bert.log 2>&1
t timeout 20 $B --suite llm --filter attn-4096x4096 --sparsity 0.7 -n 512 --skip $CS --json $R/n512.json > $R/n512.log 2>&1
t timeout 20 $B --suite llm --filter attn-4096x4096 --pattern 2:4 -n 64 --skip $CS --json $R/llm24-64.json > $R/llm24-64.log 2>&1
(cd /tmp/r && tar -czf $OUT/logs.tgz .)
cat $OUT/steps.txt
