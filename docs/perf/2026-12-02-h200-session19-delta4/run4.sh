#!/bin/bash
# Session 19, call 4: the cp.async ring (.rg3, .rg4) of the double-buffered delta4 walk. GPU self-test of the compact family (both
# formats' db1 configs and delta4's rings against the Float64 reference), then llm at n = 1 (0.5, 0.7, 0.9) and n = 8 with
# the default search and the ring configs named (--config), cold. One archive back.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s19; R=$OUT/call4; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $R/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $R/steps.txt; }
SKIP="sparrow-simple-fp16 sparrow-sp24-fp16 cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
COMMON="--device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --skip $SKIP"
EXTRA="--config compact.i4.w16.v8.u1.s1.b2.k16384.db1 compact.i4.w16.v8.u1.s1.b2.k16384.db1.rg3 compact.i4.w16.v8.u1.s1.b2.k16384.db1.rg4 compact.i4.w8.v8.u2.s1.b2.k16384.db1.rg4 compact.i4.w16.v8.u2.s1.b1.k16384.db1.rg4"
run() { local name=$1 limit=$2; shift 2
  t timeout $limit /tmp/sparrow bench spmm $COMMON "$@" --json $R/$name.json --markdown $R/$name.md > $R/$name.log 2>&1; }
t timeout 150 /tmp/sparrow selftest --device gpu --compact-only --json $R/selftest.json > $R/selftest.txt 2>&1
tail -5 $R/selftest.txt
run llm-n1 200 --suite llm -n 1 --sparsity 0.5 0.7 0.9 --sweep-limit 3 $EXTRA
run llm-n8 120 --suite llm -n 8 --sparsity 0.5 0.9 --sweep-limit 2 $EXTRA
cat $R/steps.txt
for f in $R/*.md; do echo "== $f"; grep -A8 "Geometric" $f | head -10; done
cd $OUT && tar -cJf call4.tar.xz call4 && rm -rf call4
