#!/bin/bash
# Branch `fuse`: the GPU encoder self-test (every form, the fused-CSR ones included) and the
# MiniLM batch 1 x 128 fp16 0.9 bench with torch.compile and the torch graph in the same run.
set -u
export PYTHONUNBUFFERED=1 SPARROW_SCRIPTS=$PWD/scripts
D=.device-fuse
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
mkdir -p /tmp/r
t timeout 110 /tmp/sparrow selftest --device gpu --encoder-only --json /tmp/r/selftest-encoder.json > /tmp/r/selftest-encoder.log 2>&1
python3 scripts/bert-base-weights.py /tmp/minilm --config minilm --tokenizer-from $D/tok > /tmp/r/setup.log 2>&1
t timeout ${BENCH_LIMIT:-200} /tmp/sparrow bench model /tmp/minilm --device gpu --batch 1 --seq 128 --sparsity 0.9 --dtype f16 --show-plan \
  --json /tmp/r/minilm.json --markdown /tmp/r/minilm.md > /tmp/r/bench-minilm.log 2>&1
cp /tmp/r/minilm.md /tmp/r/selftest-encoder.log $OUT/ 2>/dev/null
(cd /tmp/r && tar -czf $OUT/logs.tgz .)
cat $OUT/steps.txt
grep -E "passed|failed" /tmp/r/selftest-encoder.log | tail -3
grep -E "csr|FAIL|fail" /tmp/r/selftest-encoder.log | head -30
grep -E "whole graphs|sparrow [0-9.]+ ms|error|failed" /tmp/r/bench-minilm.log | head -20
