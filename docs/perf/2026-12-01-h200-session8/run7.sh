#!/bin/bash
# Session 8, call 7: tensor-core forms reading W from its bitmap8x8 tiles (sparse). Encoder self-test (every form against the
# CPU encoder), then MiniLM b1 x 128 f16 0.9 with the plan, torch.compile and the torch graph in the same run.
set -u
export PYTHONUNBUFFERED=1 SPARROW_SCRIPTS=$PWD/scripts SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s8; R=/tmp/r; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 150 /tmp/sparrow selftest --device gpu --encoder-only --json $R/selftest-encoder.json > $R/selftest-encoder.log 2>&1
cp $R/selftest-encoder.log $OUT/
grep -E "tc-" $R/selftest-encoder.log | head -40
grep -E "passed|failed" $R/selftest-encoder.log | tail -2
python3 scripts/bert-base-weights.py /tmp/minilm --config minilm --tokenizer-from $D/tok > $R/setup.log 2>&1
t timeout 240 /tmp/sparrow bench model /tmp/minilm --device gpu --batch 1 --seq 128 --sparsity 0.9 --dtype f16 --show-plan \
  --json $R/minilm.json --markdown $R/minilm.md > $R/bench-minilm.log 2>&1
cp $R/minilm.md $R/minilm.json $OUT/ 2>/dev/null
(cd $R && tar -czf $OUT/logs.tgz .)
cat $OUT/steps.txt
grep -E "^\| unstructured" $R/minilm.md
python3 - <<'P'
import json
d=json.load(open('/tmp/r/minilm.json'))
for r in d['rows']:
  for g in sorted(r['graphTrials'], key=lambda g: g['ms'] or 9)[:14]: print(g['ms'] and round(g['ms'],4), g['name'], g.get('note') or '')
  for g in r['graphTrials']:
    if 'tc-' in g['name']: print('TC', g['ms'], g['name'], g.get('note') or '')
P
tail -5 $R/bench-minilm.log
