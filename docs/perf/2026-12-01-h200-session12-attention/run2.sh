#!/bin/bash
# Session 12, call 2: the attention kernel with an unrolled tile loader (immediate shared offsets, no key test
# in a tile below L) and a shared segment table filled once a block (no global segment reads a tile).
# Attention self-test; the issue-15 grid at 8k-32k, f16, 1 x 16 heads, d 64 and 128, against FlexAttention and
# SDPA in the same run.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s12
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv > $OUT/machine.txt
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 90 /tmp/sparrow selftest --device gpu --attention-only --json $OUT/selftest.json > $OUT/selftest.txt 2>&1
tail -2 $OUT/selftest.txt
t timeout 330 /tmp/sparrow bench attention --pattern window:256 dilated:256:4 global:16+window:256 --seq 8192 16384 32768 \
  --batch 1 --heads 16 --head-dim 64 128 --dtype f16 --iterations 10 --top-k 3 \
  --config tc.w4.k64.s2 tc.w4.k32.s2 tc.w4.k64.s2.t32 tc.w4.k32.s2.t32 --json $OUT/grid.json --markdown $OUT/grid.md > $OUT/grid.txt 2>&1
cat $OUT/steps.txt
cut -d'|' -f2-8,10,13 $OUT/grid.md
