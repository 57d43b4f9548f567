#!/bin/bash
# Session 6, call 7 (bf7846b, the one rotating timer): baselines self-test, and one cold llm problem per
# candidate kind (Sparrow's cold search, cuBLAS, cuSPARSE, cuSPARSELt rotating over copies).
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
export SPARROW_CUSPARSELT=/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cusparselt/lib/libcusparseLt.so.0
D=.device-s6; R=/tmp/r7; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 40 /tmp/sparrow selftest --device gpu --baselines-only > $OUT/selftest-baselines.log 2>&1
B="/tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6"
t timeout 100 $B --suite llm --filter attn-4096x4096 --pattern 2:4 -n 1 16 --markdown $OUT/llm24.md > $R/a.log 2>&1
t timeout 100 $B --suite llm --filter attn-4096x4096 --sparsity 0.9 -n 1 16 --markdown $OUT/llm09.md > $R/b.log 2>&1
cat $OUT/steps.txt; tail -1 $OUT/selftest-baselines.log; grep "^| llm" $OUT/llm24.md $OUT/llm09.md | cut -c1-200
