#!/bin/bash
# Session 20, call 1: the SWAR delta4 decode with fp32 X at n = 1 against session 19's binary in the same run. GPU
# self-test of the compact family (new binary), then llm n = 1 (0.5, 0.7, 0.9) cold with the default search and the
# named configs, new binary then old. One archive back.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s20; R=$OUT/call1; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
xz -dc $D/old-sparrow.xz > /tmp/old-sparrow && chmod +x /tmp/old-sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; /tmp/old-sparrow --version; } > $R/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $R/steps.txt; }
SKIP="sparrow-simple-fp16 sparrow-sp24-fp16 cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
COMMON="--device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --skip $SKIP --suite llm -n 1 --sparsity 0.5 0.7 0.9 --sweep-limit 3"
BOTH="compact.i4.w16.v8.u1.s1.b2.k16384.db1 compact.i4.w16.v8.u1.s1.b2.k16384.db1.rg3 compact.i4.w16.v8.u1.s1.b2.k16384.db1.rg4 compact.i4.w16.v8.u2.s1.b2.k16384.db1.rg3 compact.i16.w16.v8.u1.s1.b2.k16384.db1"
t timeout 120 /tmp/sparrow selftest --device gpu --compact-only --json $R/selftest.json > $R/selftest.txt 2>&1
tail -4 $R/selftest.txt
t timeout 230 /tmp/sparrow bench spmm $COMMON --config $BOTH compact.i4.w16.v8.u1.s1.b3.k16384.db1.rg3 compact.i4.w16.v8.u1.s1.b3.k16384.db1.rg4 \
  --json $R/new-n1.json --markdown $R/new-n1.md > $R/new-n1.log 2>&1
t timeout 200 /tmp/old-sparrow bench spmm $COMMON --config $BOTH --json $R/old-n1.json --markdown $R/old-n1.md > $R/old-n1.log 2>&1
cat $R/steps.txt
for f in $R/*.md; do echo "== $f"; grep -A8 "Geometric" $f | head -10; done
xz -9 $R/*.json
cd $OUT && tar -cJf call1.tar.xz call1 && rm -rf call1
