#!/bin/bash
# Final check of the merged main on the H200: self-tests of every family, a cold llm spot check of
# the bitmap family against cuBLAS, and the GPU MiniLM bench with PyTorch's GPU-only column.
set -u
export PYTHONUNBUFFERED=1 SPARROW_SCRIPTS=$PWD/scripts
D=.device-final
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
mkdir -p /tmp/r
t timeout 60 /tmp/sparrow selftest --device gpu --quick --json /tmp/r/selftest-quick.json > /tmp/r/selftest-quick.log 2>&1
for f in bitmap specialised attention compact; do
  t timeout 70 /tmp/sparrow selftest --device gpu --$f-only --json /tmp/r/selftest-$f.json > /tmp/r/selftest-$f.log 2>&1
done
python3 scripts/bert-base-weights.py /tmp/minilm --config minilm --tokenizer-from $D/tok > /tmp/r/setup.log 2>&1
t timeout 110 /tmp/sparrow bench model /tmp/minilm --device gpu --batch 1 --seq 128 --sparsity 0.9 --dtype f16 \
  --json /tmp/r/minilm.json --markdown /tmp/r/minilm.md > /tmp/r/bench-minilm.log 2>&1
export SPARROW_ALLOW_FEW_ITERATIONS=1
t timeout 150 /tmp/sparrow bench spmm --suite llm --filter attn-4096x4096 --dtype f16 \
  --sparsity 0.5 0.7 0.9 -n 1 16 64 --iterations 10 --warmup 2 --no-tuned --sweep-limit 8 \
  --skip cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3 \
  --json /tmp/r/llm.json --markdown /tmp/r/llm.md > /tmp/r/bench-llm.log 2>&1
cp /tmp/r/llm.md /tmp/r/minilm.md $OUT/ 2>/dev/null
(cd /tmp/r && tar -czf $OUT/logs.tgz .)
cat $OUT/steps.txt
