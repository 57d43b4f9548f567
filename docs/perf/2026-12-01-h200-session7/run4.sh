#!/bin/bash
# Session 7, calls 4 and 9: main after the session's changes (call 4: cfb544a, the tiled SpMM staging
# chunk 0 before its loop; call 9: b1ec9cf, the single-buffered loop as before, the dependent-launch
# marker, no trigger). The quick self-test (a sample of every config space, every family,
# fp32/fp16/bf16, awkward shapes, against Float64) and the encoder self-test.
set -u
export PYTHONUNBUFFERED=1 SPARROW_SCRIPTS=$PWD/scripts
D=.device-s7; R=/tmp/r; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 60 /tmp/sparrow selftest --device gpu --encoder-only --json $R/selftest-encoder.json > $R/selftest-encoder.log 2>&1
t timeout 420 /tmp/sparrow selftest --device gpu --quick --json $R/selftest-quick.json > $R/selftest-quick.log 2>&1
cp $R/*.log $OUT/; xz -k $R/selftest-quick.json 2>/dev/null; cp $R/selftest-quick.json.xz $OUT/ 2>/dev/null
cat $OUT/steps.txt
for f in encoder quick; do grep -E "passed, .*failed" $R/selftest-$f.log | tail -1; done
grep -E "FAIL|failed  " $R/selftest-quick.log | head -20
