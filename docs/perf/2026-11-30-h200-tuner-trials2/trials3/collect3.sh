#!/usr/bin/env bash
# Trials for the tuner's remaining held-out misses (issue 10): large n on synthetic (rn50's layer n goes to
# 12,544; no other family had n above 2048) and f16 on 512-2048-row synthetic matrices with the new space.
set -uo pipefail
S=/tmp/sparrow; xz -dc .device/sparrow.xz > $S && chmod +x $S || exit 1
{ $S --version; cat .device/COMMIT; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; } > $OUT/version.txt 2>&1
T=(--exhaustive --iterations 5 --db /tmp/h.sqlite)
timeout 110 $S tune --suite synthetic --size 1024 2048 --sparsity 0.9 --distribution uniform powerlaw -n 4096 12544 --dtype f32 "${T[@]}" > $OUT/h1-syn-large-n-f32.txt 2>&1; echo "h1 rc=$?"
timeout 110 $S tune --suite synthetic --size 512 2048 --sparsity 0.9 --distribution uniform powerlaw -n 256 2048 --dtype f16 "${T[@]}" > $OUT/h2-syn-f16.txt 2>&1; echo "h2 rc=$?"
$S tune --export $OUT/trials-3.jsonl.gz --db /tmp/h.sqlite; $S tune --list --db /tmp/h.sqlite > $OUT/list.txt 2>&1
