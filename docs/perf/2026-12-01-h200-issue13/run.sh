#!/bin/bash
# Issue 13 (spec2 branch, e0330a3): one batched call. Sparrow's search (portfolio + hand model, 16 configs, the
# specialised family, the row-order twins of the first two, the locality retrial) with every trial logged
# (--config simple.r8.t32 turns the log on); cuSPARSE and cuBLAS in the same run. Each step has its own timeout.
set -u
export PYTHONUNBUFFERED=1
D=$(cd "$(dirname "$0")" && pwd)
xz -dc "$D/sparrow.xz" > /tmp/sparrow && chmod +x /tmp/sparrow
R="$OUT/r"; mkdir -p "$R"
/tmp/sparrow --version > "$R/version.txt" 2>&1
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv > "$R/machine.txt" 2>&1
B="/tmp/sparrow bench spmm --data $D --config simple.r8.t32 --no-tuned"
run() { local name=$1 limit=$2; shift 2; local start=$(date +%s)
  timeout "$limit" $B "$@" --json "$R/$name.json" > "$R/$name.txt" 2>&1
  echo "$name rc=$? seconds=$(( $(date +%s) - start ))" >> "$R/times.txt"; }
run rn50-f32-sweep 110 --suite dlmc-rn50 --dtype f32 -n 256 --sparsity 0.7 0.8 0.9 0.95 0.98 --sample 6
run transformer-f32 40 --suite dlmc-transformer --dtype f32 --sparsity 0.9 -n 256 2048 --sample 6
run rn50-f16 25 --suite dlmc-rn50 --dtype f16 -n 256 --sparsity 0.9 --sample 6
run transformer-f16 25 --suite dlmc-transformer --dtype f16 --sparsity 0.9 -n 256 --sample 6
run rn50-f32-layer 35 --suite dlmc-rn50 --dtype f32 -n layer --sparsity 0.9 --sample 6
cat "$R/times.txt"
cd "$OUT" && tar czf results.tgz r && rm -r r
