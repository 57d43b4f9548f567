#!/bin/bash
# Session 6, call 6 (final main 31aecc9): quick self-test, encoder self-test, compact self-test, and the
# llm 2:4 contest (Sparrow's cold search with the compact winners vs cuSPARSELt vs cuBLAS), n = 1 8 16.
set -u
export PYTHONUNBUFFERED=1 SPARROW_SCRIPTS=$PWD/scripts SPARROW_ALLOW_FEW_ITERATIONS=1
export SPARROW_CUSPARSELT=/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cusparselt/lib/libcusparseLt.so.0
D=.device-s6; R=/tmp/r6; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 70 /tmp/sparrow selftest --device gpu --quick --json $R/quick.json > $R/quick.log 2>&1
t timeout 60 /tmp/sparrow selftest --device gpu --encoder-only --json $R/enc.json > $R/enc.log 2>&1
t timeout 70 /tmp/sparrow selftest --device gpu --compact-only --json $R/compact.json > $R/compact.log 2>&1
B="/tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6"
CS="sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
t timeout 200 $B --suite llm --pattern 2:4 -n 1 8 16 --skip $CS --json $R/llm24.json --markdown $OUT/llm24.md > $R/llm24.log 2>&1
cp $R/llm24.json $OUT/ 2>/dev/null || cp $R/llm24.json.partial.jsonl $OUT/
(cd $R && tar -czf $OUT/logs.tgz .)
cat $OUT/steps.txt
for f in quick enc compact; do tail -1 $R/$f.log; grep -E "failed  " $R/$f.log | head -5; done
grep -A6 "Geometric" $OUT/llm24.md
