#!/usr/bin/env bash
# Tuned (learned model, top 8) against exhaustive and the 16-config shortlist on matrices held
# out from the model's training, f32 and f16, re-timed together (issue 10's targets). About 7
# minutes on an H200. Run from the repository root on the GPU machine, carrying .device (the
# DLMC tarballs, the held-out models model-rn50-synthetic.json and model-others.json written by
# scripts/train-cost-model.py --train-on, and the binary: $SPARROW_XZ, default .device/sparrow.xz);
# results go to $OUT (default ./out).
set -uo pipefail
OUT=${OUT:-./out}
mkdir -p "$OUT"
S=/tmp/sparrow-heldout
xz -dc "${SPARROW_XZ:-.device/sparrow.xz}" > "$S" && chmod +x "$S" || exit 1
{ $S --version; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; } > "$OUT/version.txt" 2>&1
C=(--top-k 8 --cost-model learned --compare --data .device --iterations 5 --json)
run() { # name timeout args...
  local name=$1 limit=$2; shift 2
  timeout "$limit" $S tune "${C[@]}" --db "/tmp/$name.sqlite" "$@" > "$OUT/$name.json" 2> "$OUT/$name.err"
  echo "$name rc=$?"
}
# Transformer held out: the model trained on rn50 + synthetic. rn50 held out: the model trained on
# transformer + synthetic. n = 256 and 2048 (transformer), 256 and each layer's own n (rn50).
run transformer-f32 100 --suite dlmc-transformer --sparsity 0.9 --sample 3 -n 256 2048 --dtype f32 --model-file .device/model-rn50-synthetic.json
run rn50-f32 90 --suite dlmc-rn50 --sparsity 0.9 --sample 4 --dtype f32 --model-file .device/model-others.json
run transformer-f16 120 --suite dlmc-transformer --sparsity 0.9 --sample 3 -n 256 2048 --dtype f16 --model-file .device/model-rn50-synthetic.json
run rn50-f16 80 --suite dlmc-rn50 --sparsity 0.9 --sample 4 --dtype f16 --model-file .device/model-others.json
# At most 8 files come back: the logs and the databases in one archive.
cp "$OUT"/*.err /tmp/ && rm "$OUT"/*.err
(cd /tmp && tar -czf "$OUT/logs-and-trials.tgz" ./*.err ./*-f32.sqlite ./*-f16.sqlite)
