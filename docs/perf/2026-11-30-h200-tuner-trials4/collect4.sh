#!/usr/bin/env bash
# Trials for the tuner's remaining held-out misses (issue 10), third session: large n (rn50's layers
# run at n = 784-12,544; no family but rn50 had n above 4096) on small synthetic matrices in f32 and
# f16, and f16 on 512-2048-row synthetic matrices (transformer's sizes) at more sparsities and n.
# Every config left after pruning (--exhaustive), 5 timed iterations. About 9 minutes on an H200.
set -uo pipefail
S=/tmp/sparrow; xz -dc .device/sparrow.xz > $S && chmod +x $S || exit 1
{ $S --version; cat .device/COMMIT; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; } > $OUT/version.txt 2>&1
T=(--exhaustive --iterations 5 --db /tmp/k.sqlite)
step() { # name limit args...
  local name=$1 limit=$2; shift 2
  local t0=$SECONDS
  timeout "$limit" $S tune "${T[@]}" "$@" > /tmp/$name.txt 2>&1; echo "$name rc=$? $((SECONDS - t0)) s" | tee -a /tmp/steps.txt
}
step k1-syn-large-n-f32 190 --suite synthetic --size 256 512 --sparsity 0.9 --distribution uniform powerlaw -n 3136 12544 --dtype f32
step k2-syn-f16 150 --suite synthetic --size 1024 2048 --sparsity 0.8 0.95 --distribution uniform powerlaw -n 256 2048 --dtype f16
step k3-syn-mid-n-f32 80 --suite synthetic --size 256 1024 --sparsity 0.8 --distribution uniform -n 784 --dtype f32
step k4-syn-large-n-f16 80 --suite synthetic --size 256 --sparsity 0.9 --distribution uniform powerlaw -n 3136 --dtype f16
$S tune --export $OUT/trials-4.jsonl.gz --db /tmp/k.sqlite; $S tune --list --db /tmp/k.sqlite > /tmp/list.txt 2>&1
(cd /tmp && tar -czf $OUT/logs.tgz k*.txt list.txt steps.txt)
cat /tmp/steps.txt
