#!/bin/bash
# Call 1: the specialised family's and the locality order's GPU self-tests (with NVRTC's cost on this
# machine), then a small on/off sample: DLMC rn50 0.9, n = 256, fp32, 12 layers.
set -u
export PYTHONUNBUFFERED=1
D=$(cd "$(dirname "$0")" && pwd)
xz -dc "$D/sparrow.xz" > /tmp/sparrow && chmod +x /tmp/sparrow
/tmp/sparrow --version > "$OUT/version.txt" 2>&1
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv > "$OUT/machine.txt" 2>&1
nproc >> "$OUT/machine.txt"
start=$(date +%s)
timeout 110 /tmp/sparrow selftest --device gpu --specialised-only --json "$OUT/selftest.json" > "$OUT/selftest.txt" 2>&1
echo "selftest rc=$? seconds=$(( $(date +%s) - start ))" >> "$OUT/times.txt"
start=$(date +%s)
timeout 130 /tmp/sparrow bench spmm --suite dlmc-rn50 --sparsity 0.9 -n 256 --dtype f32 --data "$D" --limit 12 \
  --config spec.r1.t32.v4.c1.o0 spec.r2.t32.v4.c1.o1 spec.r1.t64.v2.c0.o0 \
  --json "$OUT/rn50-f32-0.9-sample.json" > "$OUT/bench1.txt" 2>&1
echo "bench rc=$? seconds=$(( $(date +%s) - start ))" >> "$OUT/times.txt"
tail -5 "$OUT/selftest.txt"; cat "$OUT/times.txt"
