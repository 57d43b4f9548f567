#!/bin/bash
# gpuenc's GPU run. Phases (arguments, in order): embed (GPU embed vs CPU on six texts), selftest
# (sparrow selftest --encoder-only: GPU encoder vs CPU encoder on a seeded small BERT), minilm
# (bench model on MiniLM-shaped seeded weights), bertbase (bench model on BERT-base-shaped ones).
set -u
D=$PWD/.device-gpuenc
export PYTHONUNBUFFERED=1
export SPARROW_SCRIPTS=$D/scripts
export SPARROW_COMMIT=$(cat $D/COMMIT)
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; lscpu | grep "Model name"; python3 -c "import torch, transformers; print('torch', torch.__version__, 'transformers', transformers.__version__)"; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
[ -d /tmp/minilm ] || python3 $D/scripts/bert-base-weights.py /tmp/minilm --config minilm --tokenizer-from $D/tok > $OUT/setup.log 2>&1
for PHASE in "$@"; do
case $PHASE in
embed)
  printf '%s\n' "A man is eating food." "A man is eating a piece of bread." "" "The quick brown fox jumps over the lazy dog near the river bank on a sunny afternoon, while children play." "Héllo wörld" "GPU kernels in one CUDA graph." > /tmp/texts.txt
  for dev in cpu "gpu --dtype f32" "gpu --dtype f16"; do
    name=$(echo $dev | tr -d ' -')
    echo "== embed $dev" >> $OUT/embed.log
    timeout 40 /tmp/sparrow embed /tmp/minilm --device $dev --batch-size 4 --show-plan --npy /tmp/e_$name.npy < /tmp/texts.txt >> $OUT/embed.log 2>&1; echo "rc=$?" >> $OUT/embed.log
  done
  python3 - >> $OUT/embed.log 2>&1 <<'PY'
import numpy as np
c = np.load("/tmp/e_cpu.npy")
for n in ["gpudtypef32", "gpudtypef16"]:
    try:
        g = np.load(f"/tmp/e_{n}.npy"); print(n, "cosines vs cpu", [round(float(x), 6) for x in (c * g).sum(1) / np.linalg.norm(c, axis=1) / np.linalg.norm(g, axis=1)])
    except Exception as e: print(n, "failed", e)
PY
  ;;
selftest)
  timeout 30 /tmp/sparrow selftest --device gpu --encoder-only --json $OUT/selftest.json > $OUT/selftest.log 2>&1; echo "rc=$?" >> $OUT/selftest.log
  ;;
minilm)
  timeout ${MINILM_TIMEOUT:-80} /tmp/sparrow bench model /tmp/minilm --device gpu --batch 1 --seq 128 --sparsity 0.9 0.7 0.5 0 --dtype f16 f32 --show-plan --json $OUT/minilm.json --markdown $OUT/minilm.md > $OUT/bench-minilm.log 2>&1; echo "rc=$?" >> $OUT/bench-minilm.log
  ;;
bertbase)
  python3 $D/scripts/bert-base-weights.py /tmp/bertbase --tokenizer-from $D/tok > $OUT/setup-bert.log 2>&1
  timeout 110 /tmp/sparrow bench model /tmp/bertbase --device gpu --batch 32 --seq 128 --sparsity 0.9 --dtype f16 --show-plan --json $OUT/bertbase.json --markdown $OUT/bertbase.md > $OUT/bench-bertbase.log 2>&1; echo "rc=$?" >> $OUT/bench-bertbase.log
  ;;
esac
done
ls -la $OUT
