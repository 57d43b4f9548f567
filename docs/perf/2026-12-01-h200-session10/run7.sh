#!/bin/bash
# Session 10, call 7: review mends. The compact and CUDA self-tests (a range download; the
# double-buffered twins' chunk rounding) and MiniLM f16 0.9 batch 1 (the persistent timeline now
# downloads only its own bytes).
set -u
export PYTHONUNBUFFERED=1 SPARROW_SCRIPTS=$PWD/scripts SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s10; R=/tmp/r7; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 100 /tmp/sparrow selftest --device gpu --compact-only --json $R/selftest-compact.json > $R/selftest-compact.log 2>&1
python3 scripts/bert-base-weights.py /tmp/minilm --config minilm --tokenizer-from $D/tok > $R/setup.log 2>&1
t timeout 110 /tmp/sparrow bench model /tmp/minilm --device gpu --batch 1 --seq 128 --sparsity 0.9 --dtype f16 \
  --json $R/minilm.json --markdown $R/minilm.md > $R/bench-minilm.log 2>&1
cp $R/*.log $R/*.md $OUT/ 2>/dev/null
cat $OUT/steps.txt
grep -E "passed, .*failed" $R/selftest-compact.log | tail -1
grep -E "FAIL|failed  |buffer round" $R/selftest-compact.log | head -5
grep -hE "^\| unstructured" $R/minilm.md
grep -hE "timeline" $R/bench-minilm.log | head -3
