#!/bin/bash
# Session 6, call 1 (merged main): encoder self-test (the 90%-zeros fix), MiniLM b1 x 128 f16 0.9
# and BERT-base b32 x 128 f16 0.9 with the plan, torch.compile and the torch graph in the same run.
set -u
export PYTHONUNBUFFERED=1 SPARROW_SCRIPTS=$PWD/scripts SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s6; R=/tmp/r; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 100 /tmp/sparrow selftest --device gpu --encoder-only --json $R/selftest-encoder.json > $R/selftest-encoder.log 2>&1
python3 scripts/bert-base-weights.py /tmp/minilm --config minilm --tokenizer-from $D/tok > $R/setup.log 2>&1
t timeout 100 /tmp/sparrow bench model /tmp/minilm --device gpu --batch 1 --seq 128 --sparsity 0.9 --dtype f16 --show-plan \
  --json $R/minilm.json --markdown $R/minilm.md > $R/bench-minilm.log 2>&1
python3 scripts/bert-base-weights.py /tmp/bert --config bert-base --tokenizer-from $D/tok >> $R/setup.log 2>&1
t timeout 240 /tmp/sparrow bench model /tmp/bert --device gpu --batch 32 --seq 128 --sparsity 0.9 --dtype f16 --show-plan \
  --json $R/bert.json --markdown $R/bert.md > $R/bench-bert.log 2>&1
cp $R/minilm.md $R/bert.md $R/selftest-encoder.log $OUT/ 2>/dev/null
(cd $R && tar -czf $OUT/logs.tgz .)
cat $OUT/steps.txt
grep -E "passed|failed" $R/selftest-encoder.log | tail -2; grep -c failed $R/selftest-encoder.log
tail -30 $R/bench-bert.log
