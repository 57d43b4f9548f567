#!/bin/bash
# Session 10, call 3: the double-buffered csr16 walk (.db1). (1) The compact self-test on the GPU
# (every sampled and space config against the Float64 reference, .db1 ones included); (2) llm,
# four shapes, 0.5 / 0.7 / 0.9, n = 1 and 16, fp16, cold, each compact winner timed beside its
# .db1 twin in the same search (--config), plus the search's own choice.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s10; R=/tmp/r3; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 150 /tmp/sparrow selftest --device gpu --compact-only --json $R/selftest-compact.json > $R/selftest-compact.log 2>&1
B="/tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6"
CS="sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3 cusparselt-fp16"
W=compact.i16.w16.v8
CF="$W.u2.s1.b2.k4096 $W.u2.s1.b2.k4096.db1 $W.u1.s1.b2.k4096.db1 $W.u2.s1.b1.k4096 $W.u2.s1.b1.k4096.db1 $W.u2.s1.b2.k16384 $W.u2.s1.b2.k16384.db1 $W.u1.s1.b2.k16384.db1 $W.u2.s1.b1.k16384.db1 compact.i16.w8.v8.u1.s1.b2.k16384.db1"
t timeout 300 $B --suite llm --sparsity 0.5 0.7 0.9 -n 1 16 --skip $CS --config $CF --json $R/llm.json --markdown $OUT/llm.md > $R/llm.log 2>&1
cp $R/llm.json $OUT/ 2>/dev/null || cp $R/llm.json.partial.jsonl $OUT/
cp $R/*.log $OUT/ 2>/dev/null
cat $OUT/steps.txt
grep -E "passed, .*failed" $R/selftest-compact.log | tail -1
grep -E "FAIL|failed  " $R/selftest-compact.log | head -10
grep -A8 "Geometric" $OUT/llm.md
