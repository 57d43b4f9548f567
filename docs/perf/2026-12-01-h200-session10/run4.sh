#!/bin/bash
# Session 10, call 4: final main. The compact self-test (its sample now holds each csr16 config's
# double-buffered twin), the quick self-test (every family, the CUDA checks with the cooperative
# launch), and the llm suite with the bench's own search (the double-buffered winners now lead the
# compact portfolio; no --config), same protocol as call 3.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
export SPARROW_CUSPARSELT=/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cusparselt/lib/libcusparseLt.so.0
D=.device-s10; R=/tmp/r4; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 100 /tmp/sparrow selftest --device gpu --compact-only --json $R/selftest-compact.json > $R/selftest-compact.log 2>&1
B="/tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6"
CS="sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3 cusparselt-fp16"
t timeout 220 $B --suite llm --sparsity 0.5 0.7 0.9 -n 1 16 --skip $CS --json $R/llm.json --markdown $OUT/llm.md > $R/llm.log 2>&1
cp $R/llm.json $OUT/ 2>/dev/null || cp $R/llm.json.partial.jsonl $OUT/
t timeout 230 /tmp/sparrow selftest --device gpu --quick --json $R/selftest-quick.json > $R/selftest-quick.log 2>&1
cp $R/selftest-compact.log $R/selftest-quick.log $OUT/ 2>/dev/null
cat $OUT/steps.txt
for f in compact quick; do grep -E "passed, .*failed" $R/selftest-$f.log | tail -1; done
grep -E "FAIL|failed  " $R/selftest-compact.log $R/selftest-quick.log | head -10
grep -iE "cooperative" $R/selftest-quick.log | head -2
grep -A8 "Geometric" $OUT/llm.md
