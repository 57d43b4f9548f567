#!/bin/bash
# gpufuse's GPU run (issue 11, MiniLM batch 1 x 128 fp16 at 0.9 against torch.compile). Phases, in
# order: selftest (sparrow selftest --device gpu --encoder-only: the GPU encoder in every form against
# the CPU encoder on a seeded small BERT), minilm (bench model on MiniLM-shaped seeded weights, 0.9,
# f16 and f32, with PyTorch eager and torch.compile in the same run; every form timed as a whole graph).
set -u
D=$PWD/.device-gpufuse
export PYTHONUNBUFFERED=1
export SPARROW_SCRIPTS=$D/scripts
export SPARROW_COMMIT=$(cat $D/COMMIT)
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; lscpu | grep "Model name"; python3 -c "import torch, transformers; print('torch', torch.__version__, 'transformers', transformers.__version__)"; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
[ -d /tmp/minilm ] || python3 $D/scripts/bert-base-weights.py /tmp/minilm --config minilm --tokenizer-from $D/tok > $OUT/setup.log 2>&1
for PHASE in "$@"; do
case $PHASE in
selftest)
  timeout ${SELFTEST_TIMEOUT:-100} /tmp/sparrow selftest --device gpu --encoder-only --json $OUT/selftest.json > $OUT/selftest.log 2>&1; echo "rc=$?" >> $OUT/selftest.log
  ;;
minilm)
  timeout ${MINILM_TIMEOUT:-200} /tmp/sparrow bench model /tmp/minilm --device gpu --batch 1 --seq 128 --sparsity 0.9 --dtype f16 f32 --show-plan --json $OUT/minilm.json --markdown $OUT/minilm.md > $OUT/bench-minilm.log 2>&1; echo "rc=$?" >> $OUT/bench-minilm.log
  ;;
esac
done
ls -la $OUT
