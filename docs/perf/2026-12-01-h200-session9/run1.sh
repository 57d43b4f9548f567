#!/bin/bash
# Session 9, call N: the persistent encoder kernel (one kernel a forward, grid barriers between
# stages). The encoder self-test (every form against the CPU encoder; the persistent forms on the
# hidden-128 model) and MiniLM b1 x 128 f16 0.9 with the plan, torch.compile and the torch graph.
set -u
export PYTHONUNBUFFERED=1 SPARROW_SCRIPTS=$PWD/scripts SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s9; R=/tmp/r; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 120 /tmp/sparrow selftest --device gpu --encoder-only --json $R/selftest-encoder.json > $R/selftest-encoder.log 2>&1
python3 scripts/bert-base-weights.py /tmp/minilm --config minilm --tokenizer-from $D/tok > $R/setup.log 2>&1
t timeout 200 /tmp/sparrow bench model /tmp/minilm --device gpu --batch 1 --seq 128 --sparsity 0.9 --dtype f16 --show-plan \
  --json $R/minilm.json --markdown $R/minilm.md > $R/bench-minilm.log 2>&1
cp $R/*.log $R/minilm.md $R/minilm.json $OUT/ 2>/dev/null
cat $OUT/steps.txt
grep -E "passed, .*failed" $R/selftest-encoder.log | tail -1
grep -iE "persistent" $R/selftest-encoder.log | head -12
grep -E "^\| unstructured" $R/minilm.md
grep -E "timeline" $R/bench-minilm.log | head -8
grep -E "whole graphs" $R/bench-minilm.log | tr ';' '\n' | grep -E "persistent|all cublas, fused-q8\+folded\+pdl\+ln8 " | head -8
