#!/bin/bash
# The merged main on an H200 (third session's last call): the attention and encoder self-tests of the
# static binary built from the merge, and the MiniLM batch 1 x 128 f16 0.9 bench three times back to
# back (torch.compile's figure moved 0.23-0.32 ms between earlier runs: three same-run ratios).
# Run from the repository root with .device carried (sparrow.xz, COMMIT, tok/: all-MiniLM-L6-v2's
# tokenizer files); results under $OUT.
set -u
export PYTHONUNBUFFERED=1 SPARROW_SCRIPTS=$PWD/scripts
xz -dc .device/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat .device/COMMIT; } > $OUT/machine.txt 2>&1
python3 scripts/bert-base-weights.py /tmp/minilm --config minilm --tokenizer-from .device/tok > $OUT/setup.log 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s"; }
t timeout 60 /tmp/sparrow selftest --device gpu --attention-only --json $OUT/selftest-attention.json > /tmp/selftest-attention.log 2>&1
t timeout 80 /tmp/sparrow selftest --device gpu --encoder-only --json $OUT/selftest-encoder.json > /tmp/selftest-encoder.log 2>&1
for i in 1 2 3; do
  t timeout 60 /tmp/sparrow bench model /tmp/minilm --device gpu --batch 1 --seq 128 --sparsity 0.9 --dtype f16 \
    --json /tmp/minilm-$i.json --markdown /tmp/minilm-$i.md > /tmp/bench-minilm-$i.log 2>&1
done
(cd /tmp && tar -czf $OUT/logs.tgz selftest-*.log minilm-*.json minilm-*.md bench-minilm-*.log)
