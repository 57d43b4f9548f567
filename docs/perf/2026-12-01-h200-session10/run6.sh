#!/bin/bash
# Session 10, call 6: the double-buffered walk with its first round requested before X is staged.
# The compact self-test, then llm n = 1 at 0.5 / 0.7 / 0.9 with the .db1 winners and their
# single-buffered twins (unchanged code) timed in the same search: the ratio against call 3's
# 1.12-1.23x is the same-run measure of this change.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s10; R=/tmp/r6; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 100 /tmp/sparrow selftest --device gpu --compact-only --json $R/selftest-compact.json > $R/selftest-compact.log 2>&1
B="/tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6"
CS="sparrow-simple-fp16 sparrow-bitmap-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3 cusparselt-fp16"
W=compact.i16.w16.v8
CF="$W.u2.s1.b2.k4096 $W.u1.s1.b2.k4096.db1 $W.u2.s1.b2.k16384 $W.u1.s1.b2.k16384.db1"
t timeout 200 $B --suite llm --sparsity 0.5 0.7 0.9 -n 1 --skip $CS --config $CF --json $R/llm.json --markdown $OUT/llm.md > $R/llm.log 2>&1
cp $R/llm.json $OUT/ 2>/dev/null || cp $R/llm.json.partial.jsonl $OUT/
cp $R/selftest-compact.log $OUT/
cat $OUT/steps.txt
grep -E "passed, .*failed" $R/selftest-compact.log | tail -1
grep -E "FAIL|failed  " $R/selftest-compact.log | head -5
grep -A8 "Geometric" $OUT/llm.md
