#!/bin/bash
# Session 9, call 7: final main. The encoder self-test (every form against the CPU encoder; the
# persistent form on the hidden-128 model), the quick self-test (every family's sample of configs,
# fp32/fp16/bf16, against Float64), and MiniLM f16 0.9 twice: batch 1 and 8 with the plan, then batch 1
# again, torch.compile and the torch graph in the same runs.
set -u
export PYTHONUNBUFFERED=1 SPARROW_SCRIPTS=$PWD/scripts SPARROW_ALLOW_FEW_ITERATIONS=1
export SPARROW_CUSPARSELT=/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cusparselt/lib/libcusparseLt.so.0
D=.device-s9; R=/tmp/r; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 100 /tmp/sparrow selftest --device gpu --encoder-only --json $R/selftest-encoder.json > $R/selftest-encoder.log 2>&1
python3 scripts/bert-base-weights.py /tmp/minilm --config minilm --tokenizer-from $D/tok > $R/setup.log 2>&1
t timeout 190 /tmp/sparrow bench model /tmp/minilm --device gpu --batch 1 8 --seq 128 --sparsity 0.9 --dtype f16 --show-plan \
  --json $R/minilm.json --markdown $R/minilm.md > $R/bench-minilm.log 2>&1
t timeout 100 /tmp/sparrow bench model /tmp/minilm --device gpu --batch 1 --seq 128 --sparsity 0.9 --dtype f16 \
  --json $R/minilm-b.json --markdown $R/minilm-b.md > $R/bench-minilm-b.log 2>&1
t timeout 200 /tmp/sparrow selftest --device gpu --quick --json $R/selftest-quick.json > $R/selftest-quick.log 2>&1
cp $R/*.log $R/*.md $R/minilm*.json $OUT/ 2>/dev/null; xz -k $R/selftest-quick.json 2>/dev/null; cp $R/selftest-quick.json.xz $OUT/ 2>/dev/null
cat $OUT/steps.txt
for f in encoder quick; do grep -E "passed, .*failed" $R/selftest-$f.log | tail -1; done
grep -E "FAIL|failed  " $R/selftest-quick.log | head -10
grep -iE "persistent" $R/selftest-encoder.log | head -4
grep -hE "^\| unstructured" $R/minilm.md $R/minilm-b.md
grep -hE "timeline" $R/bench-minilm.log $R/bench-minilm-b.log | head -6
